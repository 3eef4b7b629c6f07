// Queries over the remembered journeys: one account's journey, the accounts
// at risk, the circumplex counts; and erasing an account (data protection).
//
// "Open" negative critical event (used by the journey and the at-risk
// list): a negative critical event that occurred within `open_window`
// before `as_of`, and that no outcome with reaction kRestored or kBolstered
// has answered, where answering means an outcome of the same account that
// occurred at or after the event (and not after as_of) and names the same
// event or the same critical-event type.
#ifndef CSE_SIDECAR_STORE_ACCOUNT_JOURNEYS_H_
#define CSE_SIDECAR_STORE_ACCOUNT_JOURNEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sidecar/store/journey_records.h"
#include "sidecar/store/outcome_store.h"
#include "sidecar/store/phase_history.h"

namespace cse::store {

inline constexpr absl::Duration kDefaultOpenWindow = absl::Hours(24 * 30);

// One recorded event, without its assessment.
struct JourneyEvent {
  std::string source;
  std::string event_id;
  absl::Time occurred_at;
  int64_t sequence = 0;
  std::string phase_id;
  // Empty unless the store keeps bodies (RetentionPolicy::keep_bodies).
  std::string body;
};

struct JourneyCriticalEvent {
  std::string type;
  Polarity polarity = Polarity::kUnspecified;
  std::string source;
  std::string event_id;
  absl::Time occurred_at;
  std::string phase_id;
  // Negative and open (see the file comment).
  bool open = false;
};

struct JourneySuggestion {
  std::string source;
  std::string event_id;
  absl::Time occurred_at;
  std::string phase_id;
  // 1 for the event's best suggestion.
  int rank = 0;
  SuggestionRecord suggestion;
};

struct AccountJourney {
  std::string account_id;
  std::string current_phase_id;
  // Oldest first, complete.
  std::vector<PhaseSpan> phase_history;
  // Oldest first, each the most recent `max_items`.
  std::vector<JourneyEvent> events;
  std::vector<JourneyCriticalEvent> critical_events;
  std::vector<JourneySuggestion> suggestions;
  std::vector<OutcomeRecord> outcomes;
  int event_count = 0;
  int open_negative_event_count = 0;
};

struct JourneyQuery {
  std::string account_id;
  // Per list; the phase history is always complete.
  int max_items = 200;
  // For the `open` flags; unset: the store's clock.
  std::optional<absl::Time> as_of;
  absl::Duration open_window = kDefaultOpenWindow;
};

struct AtRiskQuery {
  std::optional<absl::Time> as_of;
  absl::Duration open_window = kDefaultOpenWindow;
  int limit = 50;
  int offset = 0;
};

struct AccountRisk {
  std::string account_id;
  std::string current_phase_id;
  int open_negative_event_count = 0;
  // Distinct types of the open events, most frequent first (ties by name).
  std::vector<std::string> open_event_types;
  absl::Time oldest_open_at;
  absl::Time latest_open_at;
};

struct ErasedCounts {
  int events = 0;
  int outcomes = 0;
  int writeback_jobs = 0;
};

// Which work the circumplex counts cover (cse.v1.CircumplexBasis).
enum class CircumplexBasis { kApplied = 1, kSuggested = 2 };

// How often one practice was applied (or suggested) in one phase and
// quadrant.
struct CircumplexCount {
  std::string phase_id;
  Organization organization = Organization::kUnspecified;
  Engagement engagement = Engagement::kUnspecified;
  std::string practice_id;
  int count = 0;
};

// [since, until): at or after `since`, before `until`.
struct TimeWindow {
  absl::Time since = absl::InfinitePast();
  absl::Time until = absl::InfiniteFuture();

  bool Contains(absl::Time t) const { return t >= since && t < until; }
};

class AccountJourneys {
 public:
  virtual ~AccountJourneys() = default;

  // The account's journey. NOT_FOUND when it has no recorded events.
  virtual absl::StatusOr<AccountJourney> GetAccountJourney(
      const JourneyQuery& query) = 0;

  // Accounts with at least one open negative critical event: more open
  // events first, then the latest open event first, then account id.
  virtual absl::StatusOr<std::vector<AccountRisk>> ListAccountsAtRisk(
      const AtRiskQuery& query) = 0;

  // Removes everything held for the account: events, assessments, bodies,
  // phase, critical events, suggestions, outcomes and writeback jobs in any
  // state. Erasing an unknown account succeeds with zero counts.
  virtual absl::StatusOr<ErasedCounts> EraseAccount(
      absl::string_view account_id) = 0;

  // Counts by (phase, organization, engagement, practice), sorted by those
  // keys, for one account or (empty account_id) the whole portfolio, of the
  // work in `window`. kApplied counts recorded outcomes (by the time they
  // occurred), kSuggested ranked suggestions (by their event's time).
  virtual absl::StatusOr<std::vector<CircumplexCount>> CircumplexCounts(
      absl::string_view account_id, CircumplexBasis basis,
      const TimeWindow& window) = 0;
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_ACCOUNT_JOURNEYS_H_
