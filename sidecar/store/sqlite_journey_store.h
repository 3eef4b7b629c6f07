// The journey memory in an embedded SQLite file (WAL mode): the sidecar's
// default store. One process owns the file; several sidecar replicas need
// the PostgreSQL store instead.
//
// The schema is versioned: Open() applies the migrations this binary knows,
// in order, each in its own transaction, and refuses (FAILED_PRECONDITION)
// a file whose schema is newer than the binary, instead of corrupting it.
//
// Group commit: RecordIngest calls from many threads are queued and a single
// writer thread commits them together, one transaction per batch, so the
// per-transaction cost (the WAL append and its bookkeeping) is paid once per
// batch instead of once per event. Each caller returns only after its batch
// committed. When a batch fails, its events are retried one transaction
// each, so one bad record fails only its own caller. The file is opened
// through WalCoalescingVfs() (sqlite_wal_coalescing_vfs.h): a commit's WAL
// frames reach the file in a few large writes, before COMMIT returns.
//
// Example:
//   auto store = SqliteJourneyStore::Open("/var/lib/cse/journey.db");
//   if (!store.ok()) return store.status();
#ifndef CSE_SIDECAR_STORE_SQLITE_JOURNEY_STORE_H_
#define CSE_SIDECAR_STORE_SQLITE_JOURNEY_STORE_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "sidecar/store/journey_memory.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cse::store {

class SqliteJourneyStore : public JourneyMemory {
 public:
  // The schema version this binary writes.
  static constexpr int kSchemaVersion = 3;
  // At most this many RecordIngest calls share one transaction.
  static constexpr int kMaxBatch = 256;

  // Opens (creating if needed) the database at `path` (":memory:" for a
  // private in-memory database) and migrates it.
  static absl::StatusOr<std::unique_ptr<SqliteJourneyStore>> Open(
      const std::string& path, StoreOptions options);
  static absl::StatusOr<std::unique_ptr<SqliteJourneyStore>> Open(
      const std::string& path) {
    return Open(path, StoreOptions());
  }

  // Waits for queued ingests to commit, then closes the file.
  ~SqliteJourneyStore() override;

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

  // The schema version stored in the file.
  absl::StatusOr<int> SchemaVersion();

  // How many transactions committed ingests so far (for tests: fewer than
  // the events means batching happened).
  int64_t IngestTransactions();

 private:
  struct PendingIngest;

  SqliteJourneyStore(sqlite3* db, StoreOptions options)
      : options_(std::move(options)), db_(db) {}

  void WriterLoop();

  // Checkpoints off the writer thread. OnWalCommit is the writer
  // connection's sqlite3_wal_hook (runs after each commit, with mu_ held):
  // past kCheckpointFrames WAL pages it wakes CheckpointLoop, which runs
  // PASSIVE checkpoints on its own connection to `path`; past
  // kForceCheckpointFrames it checkpoints inline so the WAL can restart.
  // That catch-up stalls every queued ingest for the rest of the copy and
  // two fdatasyncs (20-40 ms here), so the WAL may grow to 256 MiB: at 64
  // MiB it came ~7 times a second at 10k events/s and made p99 at 16
  // callers ~20 ms. The file keeps its largest size until the store
  // closes (a clean close removes it).
  static constexpr int kCheckpointFrames = 1000;
  static constexpr int kForceCheckpointFrames = 65536;  // 256 MiB of WAL
  static int OnWalCommit(void* arg, sqlite3* db, const char* name, int frames);
  void CheckpointLoop(const std::string& path);
  bool CheckpointerHasWork() const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(checkpoint_mu_) {
    return checkpoint_wanted_ || checkpoint_stopping_;
  }
  bool WriterHasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
    return !queue_.empty() || stopping_;
  }
  // Runs a batch in one transaction, or each alone when that fails.
  void RunBatch(const std::vector<PendingIngest*>& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RunAlone(PendingIngest* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The writes of one event inside an open transaction.
  absl::StatusOr<std::optional<std::string>> IngestInTransaction(
      const IngestRecord& r) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // The cached prepared statement for `sql` (a string constant: the
  // cache is keyed by its address), prepared on first use.
  absl::StatusOr<sqlite3_stmt*> Prepare(const char* sql)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const StoreOptions options_;

  absl::Mutex mu_;  // one connection; SQLite serialises writers anyway
  sqlite3* db_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<const char*, sqlite3_stmt*> statements_
      ABSL_GUARDED_BY(mu_);
  int64_t ingest_transactions_ ABSL_GUARDED_BY(mu_) = 0;

  absl::Mutex queue_mu_;
  std::vector<PendingIngest*> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;
  std::thread writer_;

  absl::Mutex checkpoint_mu_;
  bool checkpoint_wanted_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  bool checkpoint_stopping_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  std::thread checkpointer_;
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_SQLITE_JOURNEY_STORE_H_
