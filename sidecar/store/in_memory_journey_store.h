// A bounded in-memory JourneyStore: remembers the most recent events (for
// duplicate detection) and every account's last phase, and forgets the
// oldest events beyond its capacity. Nothing survives a restart.
#ifndef CSE_SIDECAR_STORE_IN_MEMORY_JOURNEY_STORE_H_
#define CSE_SIDECAR_STORE_IN_MEMORY_JOURNEY_STORE_H_

#include <deque>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "sidecar/store/journey_store.h"

namespace cse::store {

class InMemoryJourneyStore : public JourneyStore {
 public:
  explicit InMemoryJourneyStore(size_t max_events = 100000)
      : max_events_(max_events) {}

  absl::StatusOr<std::optional<std::string>> RecordIngest(
      const IngestRecord& record) override;
  absl::StatusOr<std::optional<std::string>> FindAssessment(
      absl::string_view source, absl::string_view event_id) override;
  absl::StatusOr<std::string> LastKnownPhase(
      absl::string_view account_id) override;

 private:
  struct AccountPhase {
    std::string phase_id;
    absl::Time occurred_at;
  };
  using Key = std::pair<std::string, std::string>;  // (source, event_id)

  const size_t max_events_;
  absl::Mutex mu_;
  absl::flat_hash_map<Key, std::string> assessments_ ABSL_GUARDED_BY(mu_);
  std::deque<Key> order_ ABSL_GUARDED_BY(mu_);  // oldest first
  absl::flat_hash_map<std::string, AccountPhase> phases_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_IN_MEMORY_JOURNEY_STORE_H_
