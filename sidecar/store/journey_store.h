// What the sidecar remembers of each account's journey.
//
// The service layer is the only user. Implementations: InMemoryJourneyStore
// (bounded, for tests and for the dry-run path), SqliteJourneyStore (the
// embedded default) and PostgresJourneyStore (shared by several replicas).
#ifndef CSE_SIDECAR_STORE_JOURNEY_STORE_H_
#define CSE_SIDECAR_STORE_JOURNEY_STORE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cse::store {

// One ingested event and what the sidecar concluded.
struct IngestRecord {
  std::string source;
  std::string event_id;
  std::string account_id;
  // The decided phase id, empty when unknown.
  std::string phase_id;
  // The serialised cse.v1.Assessment returned to the caller.
  std::string assessment;
  absl::Time occurred_at;
};

class JourneyStore {
 public:
  virtual ~JourneyStore() = default;

  // Records the event unless (source, event_id) is already stored. Returns
  // the stored record's assessment when it was a duplicate (nothing is
  // changed then), std::nullopt when it was recorded now.
  virtual absl::StatusOr<std::optional<std::string>> RecordIngest(
      const IngestRecord& record) = 0;

  // The stored assessment of an event, if any.
  virtual absl::StatusOr<std::optional<std::string>> FindAssessment(
      absl::string_view source, absl::string_view event_id) = 0;

  // The account's last known phase id (latest by occurred_at), or empty.
  virtual absl::StatusOr<std::string> LastKnownPhase(
      absl::string_view account_id) = 0;
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_JOURNEY_STORE_H_
