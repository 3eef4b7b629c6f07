// A JourneyStore in an embedded SQLite file (WAL mode): the sidecar's
// default store. One process owns the file; several sidecar replicas need
// the PostgreSQL store instead.
//
// The schema is versioned: Open() applies the migrations this binary knows,
// in order, each in its own transaction, and refuses (FAILED_PRECONDITION)
// a file whose schema is newer than the binary, instead of corrupting it.
//
// Example:
//   auto store = SqliteJourneyStore::Open("/var/lib/cse/journey.db");
//   if (!store.ok()) return store.status();
#ifndef CSE_SIDECAR_STORE_SQLITE_JOURNEY_STORE_H_
#define CSE_SIDECAR_STORE_SQLITE_JOURNEY_STORE_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sidecar/store/journey_store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cse::store {

class SqliteJourneyStore : public JourneyStore {
 public:
  // The schema version this binary writes.
  static constexpr int kSchemaVersion = 1;

  // Opens (creating if needed) the database at `path` (":memory:" for a
  // private in-memory database) and migrates it.
  static absl::StatusOr<std::unique_ptr<SqliteJourneyStore>> Open(
      const std::string& path);

  ~SqliteJourneyStore() override;

  absl::StatusOr<std::optional<std::string>> RecordIngest(
      const IngestRecord& record) override;
  absl::StatusOr<std::optional<std::string>> FindAssessment(
      absl::string_view source, absl::string_view event_id) override;
  absl::StatusOr<std::string> LastKnownPhase(
      absl::string_view account_id) override;

  // The schema version stored in the file.
  absl::StatusOr<int> SchemaVersion();

 private:
  explicit SqliteJourneyStore(sqlite3* db) : db_(db) {}
  absl::Status Prepare();

  absl::Mutex mu_;  // one connection; SQLite serialises writers anyway
  sqlite3* db_ ABSL_GUARDED_BY(mu_);
  sqlite3_stmt* insert_event_ ABSL_GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* find_event_ ABSL_GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* upsert_phase_ ABSL_GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* find_phase_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_SQLITE_JOURNEY_STORE_H_
