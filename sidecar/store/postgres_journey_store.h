// A JourneyStore in PostgreSQL (libpq), for when several sidecar replicas
// share one journey memory. SQLite stays the embedded default.
//
// Idempotency holds across replicas: RecordIngest is one INSERT ... ON
// CONFLICT DO NOTHING on (source, event_id), so of two replicas receiving the
// same delivery exactly one records it and the other returns the stored
// assessment.
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
// Not yet journey memory (TODO: the journey-memory issue): this backend
// implements JourneyStore only, at schema version 1. RecordIngest stores the
// event, its assessment and the account's latest phase (by occurred_at; the
// CRM sequence is not yet a tie-break) and ignores the record's critical
// events, suggestions, writeback jobs, phase explanation and body. It does not
// implement AccountJourneys, WritebackOutbox or OutcomeStore (so it is not a
// JourneyMemory); see sqlite_journey_store.cc migration 2 for the schema to
// port, with FOR UPDATE SKIP LOCKED for leasing.
//
// Example:
//   auto store = PostgresJourneyStore::Open(
//       "postgresql://cse@db.internal:5432/cse?sslmode=require");
//   if (!store.ok()) return store.status();
#ifndef CSE_SIDECAR_STORE_POSTGRES_JOURNEY_STORE_H_
#define CSE_SIDECAR_STORE_POSTGRES_JOURNEY_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "sidecar/store/journey_store.h"

struct pg_conn;

namespace cse::store {

class PostgresJourneyStore : public JourneyStore {
 public:
  // The schema version this binary writes.
  static constexpr int kSchemaVersion = 1;

  struct Options {
    // Connections kept open. Every call holds one for a single round trip
    // (two for a duplicate delivery), so a few serve many gRPC threads.
    int pool_size = 4;
  };

  // Connects to `url` (a libpq connection URI or key=value string), migrates
  // the schema and opens the pool. A connect_timeout of 10 s applies unless
  // the URL sets its own.
  static absl::StatusOr<std::unique_ptr<PostgresJourneyStore>> Open(
      absl::string_view url, Options options);
  static absl::StatusOr<std::unique_ptr<PostgresJourneyStore>> Open(
      absl::string_view url) {
    return Open(url, Options());
  }

  ~PostgresJourneyStore() override;

  absl::StatusOr<std::optional<std::string>> RecordIngest(
      const IngestRecord& record) override;
  absl::StatusOr<std::optional<std::string>> FindAssessment(
      absl::string_view source, absl::string_view event_id) override;
  absl::StatusOr<std::string> LastKnownPhase(
      absl::string_view account_id) override;

  // The highest schema version recorded in the database.
  absl::StatusOr<int> SchemaVersion();

 private:
  class Lease;

  PostgresJourneyStore(std::vector<pg_conn*> connections,
                       std::vector<std::string> secrets);

  // Waits for a free connection; re-establishes it first when it was lost.
  absl::StatusOr<Lease> Acquire();
  void Release(pg_conn* conn);

  // What must never appear in an error message (the URL's password).
  const std::vector<std::string> secrets_;
  const std::vector<pg_conn*> all_;  // owned; closed by the destructor
  absl::Mutex mu_;
  std::vector<pg_conn*> idle_ ABSL_GUARDED_BY(mu_);  // not leased right now
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_POSTGRES_JOURNEY_STORE_H_
