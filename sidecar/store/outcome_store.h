// Outcomes: what the team did for an account and how the customer reacted.
// They feed the practice ranking (counts per phase x critical event x
// practice, which the engine smooths toward its priors) and the circumplex
// report.
#ifndef CSE_SIDECAR_STORE_OUTCOME_STORE_H_
#define CSE_SIDECAR_STORE_OUTCOME_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sidecar/store/journey_records.h"

namespace cse::store {

// One outcome (cse.v1.Outcome).
struct OutcomeRecord {
  // The caller's idempotency key; the store assigns one when empty.
  std::string outcome_id;
  std::string account_id;
  // The event whose suggestion was followed; both empty when the team
  // acted on its own.
  std::string source;
  std::string event_id;
  std::string practice_id;
  Organization organization = Organization::kUnspecified;
  Engagement engagement = Engagement::kUnspecified;
  CustomerReaction reaction = CustomerReaction::kUnspecified;
  // Defaulted by RecordOutcome when empty (see there).
  std::string phase_id;
  std::string critical_event_type;
  std::string description;
  absl::Time occurred_at = absl::InfinitePast();
  // Set by the store.
  absl::Time recorded_at = absl::InfinitePast();
  std::string recorded_by;
  // Input only: with source/event_id empty, follow the account's latest
  // suggestion of practice_id at or before occurred_at (see RecordOutcome).
  bool follow_latest_suggestion = false;
};

struct RecordedOutcome {
  OutcomeRecord outcome;
  // outcome_id had been recorded before; nothing changed.
  bool duplicate = false;
};

// Outcome counts for one (phase, critical event type, practice); the event
// type is empty for outcomes that answered no critical event.
struct OutcomeTally {
  std::string phase_id;
  std::string critical_event_type;
  std::string practice_id;
  int restored = 0;
  int bolstered = 0;
  int no_change = 0;
  int worsened = 0;
};

class OutcomeStore {
 public:
  virtual ~OutcomeStore() = default;

  // Records an outcome unless its outcome_id is already stored (then the
  // stored one comes back with duplicate = true). When source/event_id name
  // an event, it must exist (NOT_FOUND) and belong to account_id
  // (INVALID_ARGUMENT), and an empty phase_id / critical_event_type default
  // to the event's phase and its first negative (else first) critical
  // event. Otherwise an empty phase_id defaults to the account's last known
  // phase. An unset occurred_at means now.
  // With follow_latest_suggestion and no source/event_id, the event is the
  // account's latest (by its own time) that suggested practice_id at or
  // before occurred_at, when there is one, and the above applies to it.
  // An unspecified organization / engagement is the position the followed
  // event suggested practice_id in; INVALID_ARGUMENT when there is none.
  virtual absl::StatusOr<RecordedOutcome> RecordOutcome(
      const OutcomeRecord& outcome) = 0;

  // Counts of every (phase, critical event type, practice) with outcomes,
  // sorted by those keys.
  virtual absl::StatusOr<std::vector<OutcomeTally>> OutcomeTallies() = 0;
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_OUTCOME_STORE_H_
