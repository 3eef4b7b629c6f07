// Ranks the provider practices for one event and places each on the
// circumplex.
//
// score = phase prior (the research's observations per phase)
//       x (1 + sum of the detected events' affinities for the practice)
//       x routine factor (when a playbook applies: the practice is regular)
// Mode of engagement follows the polarity of the event the practice answers
// most (negative -> reactive, opportunity -> proactive), else the phase's
// default; the effect follows engagement (reactive restores, proactive
// bolsters).
#ifndef CSE_SIDECAR_ENGINE_PRACTICE_RANKER_H_
#define CSE_SIDECAR_ENGINE_PRACTICE_RANKER_H_

#include <cstddef>
#include <vector>

#include "sidecar/engine/assessment.h"
#include "sidecar/engine/compiled_mapping.h"

namespace cse::engine {

// The practices, best first (ties keep mapping order), at most `limit` of
// them (the ranking of the others is decided but their text is not built).
// `phase_index` -1 means unknown: the prior is then the mean over phases.
std::vector<PracticeSuggestion> RankPractices(
    const CompiledMapping& mapping, int phase_index,
    const std::vector<DetectedEvent>& events,
    size_t limit = static_cast<size_t>(-1));

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_PRACTICE_RANKER_H_
