// Recognises critical events: occurrences that alter the customer's
// experience. A detector fires on any of its text patterns or any of its
// structured conditions (or on both, when it requires both).
#ifndef CSE_SIDECAR_ENGINE_CRITICAL_EVENT_DETECTOR_H_
#define CSE_SIDECAR_ENGINE_CRITICAL_EVENT_DETECTOR_H_

#include <vector>

#include "sidecar/engine/assessment.h"
#include "sidecar/engine/compiled_mapping.h"
#include "sidecar/engine/event_view.h"
#include "sidecar/engine/text_scan.h"

namespace cse::engine {

// Detected events in mapping order. `phase_index` is the decided phase
// (-1 unknown: phase-restricted detectors then still fire).
std::vector<DetectedEvent> DetectCriticalEvents(const CompiledMapping& mapping,
                                                const EventView& event,
                                                const ScannedText& scan,
                                                int phase_index,
                                                std::vector<RuleTrace>* traces);

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_CRITICAL_EVENT_DETECTOR_H_
