// Ranks the provider practices for one event and places each on the
// circumplex.
//
// score = phase prior (the research's observations per phase)
//       x (1 + sum of the detected events' affinities for the practice)
//       x routine factor (when a playbook applies: the practice is regular)
//       x learned factor (the team's recorded outcomes for the practice in
//         this phase and for this event, smoothed toward 1; see
//         OutcomeLearning in mapping.proto)
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
#include "sidecar/engine/practice_outcomes.h"

namespace cse::engine {

// The practices, best first (ties keep mapping order), at most `limit` of
// them (the ranking of the others is decided but their text is not built).
// `phase_index` -1 means unknown: the prior is then the mean over phases,
// and no outcomes are learned from. `outcomes` may be null: no learning.
std::vector<PracticeSuggestion> RankPractices(
    const CompiledMapping& mapping, int phase_index,
    const std::vector<DetectedEvent>& events,
    const PracticeOutcomeStats* outcomes = nullptr,
    size_t limit = static_cast<size_t>(-1));

// The learned factor for one cell's counts: 1 below min_outcomes, else the
// smoothed success rate over the neutral rate, clamped (mapping.proto,
// OutcomeLearning). Exposed for tests.
double LearnedFactor(const OutcomeLearningParams& params,
                     const OutcomeCounts& counts);

// The event recorded outcomes are filed under for this assessment: the
// first negative event, else the first, else none (nullptr). The store
// defaults an outcome's critical event the same way, so the counts read
// here are the ones following this assessment's advice produces.
const DetectedEvent* OutcomeEvent(const std::vector<DetectedEvent>& events);

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_PRACTICE_RANKER_H_
