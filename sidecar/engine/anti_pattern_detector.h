// Warns when an event shows a pattern known to destroy CSE (lack of
// coordination, avoiding customer requests, no proactive information on a
// breakdown, opportunism).
#ifndef CSE_SIDECAR_ENGINE_ANTI_PATTERN_DETECTOR_H_
#define CSE_SIDECAR_ENGINE_ANTI_PATTERN_DETECTOR_H_

#include <vector>

#include "sidecar/engine/assessment.h"
#include "sidecar/engine/compiled_mapping.h"
#include "sidecar/engine/event_view.h"
#include "sidecar/engine/text_scan.h"

namespace cse::engine {

// An anti-pattern fires when all its required critical events were
// detected, the phase is one of its phases (if any are listed), and, when
// it has patterns or conditions, one pattern matched or one condition held.
std::vector<AntiPatternWarning> DetectAntiPatterns(
    const CompiledMapping& mapping, const EventView& event,
    const ScannedText& scan, int phase_index,
    const std::vector<DetectedEvent>& events, std::vector<RuleTrace>* traces);

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_ANTI_PATTERN_DETECTOR_H_
