// Maps an event to a journey phase in three explainable layers:
//   (a) admin field rules on structured fields, highest priority first;
//       equal priorities naming different phases are a reported conflict,
//       resolved by file order;
//   (b) the phase lexicon: the phase whose matched text signals weigh most;
//   (c) the account's last known phase, when nothing else speaks.
#ifndef CSE_SIDECAR_ENGINE_PHASE_MAPPER_H_
#define CSE_SIDECAR_ENGINE_PHASE_MAPPER_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "sidecar/engine/assessment.h"
#include "sidecar/engine/compiled_mapping.h"
#include "sidecar/engine/event_view.h"
#include "sidecar/engine/text_scan.h"

namespace cse::engine {

// Decides the phase. `last_known_phase_id` may be empty or name a phase
// the model no longer has (then it is ignored). Appends to *traces when not
// null (explain mode).
PhaseDecision MapPhase(const CompiledMapping& mapping, const EventView& event,
                       const ScannedText& scan,
                       absl::string_view last_known_phase_id,
                       std::vector<RuleTrace>* traces);

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_PHASE_MAPPER_H_
