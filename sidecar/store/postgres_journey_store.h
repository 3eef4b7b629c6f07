// The journey memory in PostgreSQL (libpq), for when several sidecar
// replicas share one journey memory. SQLite stays the embedded default; the
// two behave the same (tests/unit/store/journey_memory_test.cc runs one suite
// over both), with the differences listed at the end.
//
// Idempotency holds across replicas: events are inserted with ON CONFLICT DO
// NOTHING on (source, event_id), so of two replicas receiving the same
// delivery exactly one records it and the other returns the stored
// assessment. Outcomes likewise on outcome_id.
//
// Writeback jobs are leased with SELECT ... FOR UPDATE SKIP LOCKED: any
// number of lessees in any number of replicas lease concurrently, each job
// goes to one of them, and no lessee waits for another's lease transaction.
//
// Ingest, group commit: RecordIngest calls from many threads are queued, and
// whichever caller finds a free slot sends the queue's head as one batch: one
// statement (so one round trip and one transaction) that stores every event
// of the batch with its phase, critical events, suggestions and writeback
// jobs. Up to max(1, pool_size / 2) batches are in flight at once. A batch
// that fails is retried one event per statement, so one bad record fails
// only its own caller. Each caller returns once its event is committed. The
// batch statement is prepared once per connection (a named, protocol-level
// prepared statement: behind PgBouncer in transaction mode that needs
// PgBouncer 1.21 or later with max_prepared_statements set).
//
// The schema is versioned in the table schema_migrations. Open() applies the
// migrations this binary knows in one transaction, under a transaction-level
// advisory lock so that replicas starting together migrate once, and refuses
// (FAILED_PRECONDITION) a database whose schema is newer than the binary,
// leaving it unchanged. Tables go to the connection's search_path; put
// `options=-csearch_path%3Dcse` in the URL for a schema of its own.
//
// Thread safety: every method may be called from any thread. The store owns a
// small fixed pool of connections (a libpq connection serves one query at a
// time); a call waits for a free connection, so at most pool_size queries of
// one sidecar run at once.
//
// Errors: a connection that cannot be made or is lost is UNAVAILABLE with
// libpq's message (a password in the URL is never repeated); a connection
// string libpq cannot parse is INVALID_ARGUMENT.
//
// Differences from SqliteJourneyStore:
// - Text fields must be valid UTF-8 without NUL bytes (PostgreSQL's text);
//   a record that is not is INVALID_ARGUMENT (SQLite stores the bytes).
// - Lease tokens are 32 random hex digits, a dash and the job's position in
//   the lease answer (one random draw per LeaseWritebacks call); they are as
//   opaque as SQLite's.
// - An unset (InfinitePast) occurred_at is stored as -infinity and read back
//   as InfinitePast (SQLite reads back the Unix epoch).
// - EraseAccount deletes the rows; their bytes stay in the table files until
//   VACUUM reuses the space (SQLite's secure_delete overwrites them at once).
// - Text is ordered bytewise (COLLATE "C") wherever SQLite orders it, so
//   lists come back in the same order whatever the database's locale.
//
// Example:
//   auto store = PostgresJourneyStore::Open(
//       "postgresql://cse@db.internal:5432/cse?sslmode=require");
//   if (!store.ok()) return store.status();
#ifndef CSE_SIDECAR_STORE_POSTGRES_JOURNEY_STORE_H_
#define CSE_SIDECAR_STORE_POSTGRES_JOURNEY_STORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "sidecar/store/journey_memory.h"

struct pg_conn;

namespace cse::store {

class PostgresJourneyStore : public JourneyMemory {
 public:
  // The schema version this binary writes.
  static constexpr int kSchemaVersion = 2;
  // At most this many RecordIngest calls share one statement.
  static constexpr int kMaxBatch = 256;

  struct Options {
    // Connections kept open. Most calls hold one for a single round trip,
    // and ingest batches many calls per round trip, so a few serve many
    // gRPC threads.
    int pool_size = 4;
  };

  // Connects to `url` (a libpq connection URI or key=value string), migrates
  // the schema and opens the pool. A connect_timeout of 10 s applies unless
  // the URL sets its own.
  static absl::StatusOr<std::unique_ptr<PostgresJourneyStore>> Open(
      absl::string_view url, StoreOptions store_options, Options options);
  static absl::StatusOr<std::unique_ptr<PostgresJourneyStore>> Open(
      absl::string_view url, Options options) {
    return Open(url, StoreOptions(), options);
  }
  static absl::StatusOr<std::unique_ptr<PostgresJourneyStore>> Open(
      absl::string_view url) {
    return Open(url, StoreOptions(), Options());
  }

  // Callers must have returned (no RecordIngest in flight).
  ~PostgresJourneyStore() override;

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

  // The highest schema version recorded in the database.
  absl::StatusOr<int> SchemaVersion();

  // How many statements recorded ingests so far (for tests: fewer than the
  // events means batching happened).
  int64_t IngestStatements();

 private:
  class Lease;
  struct PendingIngest;

  PostgresJourneyStore(std::vector<pg_conn*> connections,
                       std::vector<std::string> secrets,
                       StoreOptions store_options);

  // Waits for a free connection; re-establishes it first when it was lost.
  absl::StatusOr<Lease> Acquire();
  void Release(pg_conn* conn);

  // Takes up to kMaxBatch queued ingests, at most one per event key (a
  // repeat waits for the next batch, where it is a plain duplicate).
  std::vector<PendingIngest*> TakeBatch()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_);
  bool CanFlush() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
    return !queue_.empty() && flushing_ < max_flushing_;
  }
  // Records a batch in one statement, or each alone when that fails.
  void RunBatch(const std::vector<PendingIngest*>& batch);
  // Sets the result of every record of `batch`, or returns the error.
  absl::Status IngestBatch(const std::vector<PendingIngest*>& batch);

  const StoreOptions options_;
  // What must never appear in an error message (the URL's password).
  const std::vector<std::string> secrets_;
  const std::vector<pg_conn*> all_;  // owned; closed by the destructor
  absl::Mutex mu_;
  std::vector<pg_conn*> idle_ ABSL_GUARDED_BY(mu_);  // not leased right now
  // Connections whose session has the ingest statement prepared.
  absl::flat_hash_set<pg_conn*> ingest_prepared_ ABSL_GUARDED_BY(mu_);

  absl::Mutex queue_mu_;
  std::vector<PendingIngest*> queue_ ABSL_GUARDED_BY(queue_mu_);
  int flushing_ ABSL_GUARDED_BY(queue_mu_) = 0;
  const int max_flushing_;
  std::atomic<int64_t> ingest_statements_{0};
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_POSTGRES_JOURNEY_STORE_H_
