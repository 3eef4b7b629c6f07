// The journey memory in process memory: for tests, for the dry-run path,
// and as the baseline the load benchmark compares the real stores with.
// Bounded: beyond `max_events` it forgets the oldest recorded events (their
// assessments, critical events and suggestions; so a very late duplicate
// of a forgotten event is recorded again). Account phases, outcomes and
// writeback jobs are kept. Nothing survives a restart.
#ifndef CSE_SIDECAR_STORE_IN_MEMORY_JOURNEY_STORE_H_
#define CSE_SIDECAR_STORE_IN_MEMORY_JOURNEY_STORE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "sidecar/store/journey_memory.h"

namespace cse::store {

class InMemoryJourneyStore : public JourneyMemory {
 public:
  explicit InMemoryJourneyStore(size_t max_events = 100000,
                                StoreOptions options = {})
      : max_events_(max_events), options_(std::move(options)) {}

  // JourneyStore.
  absl::StatusOr<std::optional<std::string>> RecordIngest(
      const IngestRecord& record) override;
  absl::StatusOr<std::optional<std::string>> FindAssessment(
      absl::string_view source, absl::string_view event_id) override;
  absl::StatusOr<std::string> LastKnownPhase(
      absl::string_view account_id) override;

  // AccountJourneys.
  absl::StatusOr<AccountJourney> GetAccountJourney(
      const JourneyQuery& query) override;
  absl::StatusOr<std::vector<AccountRisk>> ListAccountsAtRisk(
      const AtRiskQuery& query) override;
  absl::StatusOr<ErasedCounts> EraseAccount(
      absl::string_view account_id) override;
  absl::StatusOr<std::vector<CircumplexCount>> CircumplexCounts(
      absl::string_view account_id, CircumplexBasis basis,
      const TimeWindow& window) override;

  // WritebackOutbox.
  absl::StatusOr<std::vector<WritebackJob>> LeaseWritebacks(
      const LeaseRequest& request) override;
  absl::StatusOr<WritebackJob> AckWriteback(const AckRequest& request) override;
  absl::StatusOr<std::vector<WritebackJob>> ListDeadLetters(
      const DeadLetterQuery& query) override;
  absl::StatusOr<WritebackJob> RetryDeadLetter(int64_t job_id) override;

  // OutcomeStore.
  absl::StatusOr<RecordedOutcome> RecordOutcome(
      const OutcomeRecord& outcome) override;
  absl::StatusOr<std::vector<OutcomeTally>> OutcomeTallies() override;

 private:
  using Key = std::pair<std::string, std::string>;  // (source, event_id)
  struct StoredEvent {
    IngestRecord record;  // body cleared unless retention keeps it
    int64_t sequence = 0;
    uint64_t arrival = 0;
  };
  struct AccountPhase {
    std::string phase_id;
    absl::Time occurred_at;
    int64_t sequence = 0;
  };

  // The account's events in their own order.
  std::vector<const StoredEvent*> EventsOf(absl::string_view account_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool IsOpen(const StoredEvent& e, const CriticalEventRecord& ce,
              absl::Time as_of, absl::Duration window)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Forget(const Key& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t max_events_;
  const StoreOptions options_;
  absl::Mutex mu_;
  absl::flat_hash_map<Key, StoredEvent> events_ ABSL_GUARDED_BY(mu_);
  std::deque<Key> order_ ABSL_GUARDED_BY(mu_);  // oldest first
  uint64_t next_arrival_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, absl::flat_hash_set<Key>> by_account_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, AccountPhase> phases_ ABSL_GUARDED_BY(mu_);
  std::map<int64_t, WritebackJob> jobs_ ABSL_GUARDED_BY(mu_);
  int64_t next_job_id_ ABSL_GUARDED_BY(mu_) = 1;
  // Outcomes by id; `outcome_order_` keeps recording order.
  absl::flat_hash_map<std::string, OutcomeRecord> outcomes_
      ABSL_GUARDED_BY(mu_);
  std::vector<std::string> outcome_order_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_IN_MEMORY_JOURNEY_STORE_H_
