// Derives an account's phase history from its events in their own time
// order. Every backend stores each event's phase and builds the history
// here on read, so a late delivery of an older event lands where it
// belongs without rewriting stored spans.
#ifndef CSE_SIDECAR_STORE_PHASE_HISTORY_H_
#define CSE_SIDECAR_STORE_PHASE_HISTORY_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "sidecar/store/journey_records.h"

namespace cse::store {

// One event with a phase, as the history needs it.
struct PhasePoint {
  std::string phase_id;
  // 1-based position of the phase in the model; 0 when unknown.
  int phase_number = 0;
  PhaseDecidedBy decided_by = PhaseDecidedBy::kUnspecified;
  std::string explanation;
  std::string source;
  std::string event_id;
  absl::Time occurred_at;
};

// A stretch of the journey in one phase (cse.v1.PhaseSpan).
struct PhaseSpan {
  std::string phase_id;
  // 1-based position in the model of the entering event; 0 when unknown.
  int phase_number = 0;
  absl::Time entered_at;
  // InfiniteFuture for the current phase.
  absl::Time left_at = absl::InfiniteFuture();
  std::string previous_phase_id;
  // The phase comes earlier in the model than the previous one.
  bool step_back = false;
  // The entering event and why it had that phase.
  std::string entered_by_source;
  std::string entered_by_event_id;
  PhaseDecidedBy decided_by = PhaseDecidedBy::kUnspecified;
  std::string explanation;
  int event_count = 0;
};

// `points` must be in the events' own order (occurred_at, then sequence,
// then arrival). An event whose phase came only from the account's history
// (nothing in it spoke) never opens a span: it was assessed against the
// latest phase, which for a late delivery is not the phase of its time.
std::vector<PhaseSpan> BuildPhaseHistory(const std::vector<PhasePoint>& points);

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_PHASE_HISTORY_H_
