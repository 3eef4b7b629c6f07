#include "sidecar/store/sqlite_journey_store.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/str_cat.h"

namespace cse::store {
namespace {

// Migrations, in order; index i upgrades schema version i to i + 1. Never
// edit a released migration: add a new one.
constexpr const char* kMigrations[] = {
    // 0 -> 1: events (idempotency by source + event id) and the account's
    // latest phase.
    R"sql(
    CREATE TABLE events (
      source       TEXT    NOT NULL,
      event_id     TEXT    NOT NULL,
      account_id   TEXT    NOT NULL,
      phase_id     TEXT    NOT NULL,
      occurred_at  INTEGER NOT NULL,  -- unix micros
      assessment   BLOB    NOT NULL,  -- serialised cse.v1.Assessment
      recorded_at  INTEGER NOT NULL,
      PRIMARY KEY (source, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX events_by_account ON events (account_id, occurred_at);
    CREATE TABLE account_phase (
      account_id   TEXT    PRIMARY KEY,
      phase_id     TEXT    NOT NULL,
      occurred_at  INTEGER NOT NULL
    ) WITHOUT ROWID;
    )sql",
};
static_assert(std::size(kMigrations) == SqliteJourneyStore::kSchemaVersion);

absl::Status SqliteError(sqlite3* db, absl::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  const std::string msg =
      absl::StrCat("sqlite: ", what, ": ", sqlite3_errmsg(db));
  // A busy or locked database is worth retrying; anything else is not.
  if ((code & 0xFF) == SQLITE_BUSY || (code & 0xFF) == SQLITE_LOCKED) {
    return absl::UnavailableError(msg);
  }
  if ((code & 0xFF) == SQLITE_FULL || (code & 0xFF) == SQLITE_IOERR) {
    return absl::UnavailableError(msg);
  }
  return absl::InternalError(msg);
}

absl::Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    return absl::InternalError(absl::StrCat("sqlite: ", msg));
  }
  return absl::OkStatus();
}

int64_t Micros(absl::Time t) {
  return t == absl::InfinitePast() ? 0 : absl::ToUnixMicros(t);
}

// Resets a statement when it goes out of scope, so every path leaves it
// ready for the next call.
class StatementScope {
 public:
  explicit StatementScope(sqlite3_stmt* s) : s_(s) {}
  ~StatementScope() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

 private:
  sqlite3_stmt* s_;
};

void BindText(sqlite3_stmt* s, int i, absl::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()),
                    SQLITE_TRANSIENT);
}

std::string ColumnBlob(sqlite3_stmt* s, int i) {
  const void* p = sqlite3_column_blob(s, i);
  const int n = sqlite3_column_bytes(s, i);
  return p == nullptr ? std::string()
                      : std::string(static_cast<const char*>(p), n);
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteJourneyStore>> SqliteJourneyStore::Open(
    const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::UnavailableError(
        absl::StrCat("sqlite: cannot open ", path, ": ", msg));
  }
  std::unique_ptr<SqliteJourneyStore> store(new SqliteJourneyStore(db));
  absl::MutexLock lock(&store->mu_);
  sqlite3_busy_timeout(db, 5000);
  // WAL: readers never block the writer; synchronous=NORMAL keeps every
  // committed transaction across a process crash (kill -9), which is the
  // failure a sidecar meets.
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;",
        "PRAGMA foreign_keys=ON;"}) {
    if (absl::Status s = Exec(db, pragma); !s.ok()) return s;
  }
  sqlite3_stmt* v = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version;", -1, &v, nullptr);
  int version = 0;
  if (v != nullptr && sqlite3_step(v) == SQLITE_ROW) {
    version = sqlite3_column_int(v, 0);
  }
  sqlite3_finalize(v);
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("sqlite: ", path, " has schema version ", version,
                     " but this sidecar knows up to ", kSchemaVersion,
                     "; run a newer sidecar (the file was not changed)"));
  }
  for (int i = version; i < kSchemaVersion; ++i) {
    const std::string tx =
        absl::StrCat("BEGIN IMMEDIATE;", kMigrations[i],
                     "PRAGMA user_version=", i + 1, ";COMMIT;");
    if (absl::Status s = Exec(db, tx.c_str()); !s.ok()) {
      (void)Exec(db, "ROLLBACK;");
      return absl::InternalError(absl::StrCat(
          "migrating ", path, " to schema version ", i + 1, ": ", s.message()));
    }
  }
  if (absl::Status s = store->Prepare(); !s.ok()) return s;
  return store;
}

absl::Status SqliteJourneyStore::Prepare() {
  const struct {
    sqlite3_stmt** stmt;
    const char* sql;
  } statements[] = {
      {&insert_event_,
       "INSERT INTO events (source, event_id, account_id, phase_id, "
       "occurred_at, assessment, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
       "?7) ON CONFLICT (source, event_id) DO NOTHING;"},
      {&find_event_,
       "SELECT assessment FROM events WHERE source = ?1 AND event_id = ?2;"},
      // Out-of-order deliveries must not move the journey back in time.
      {&upsert_phase_,
       "INSERT INTO account_phase (account_id, phase_id, occurred_at) "
       "VALUES (?1, ?2, ?3) ON CONFLICT (account_id) DO UPDATE SET "
       "phase_id = excluded.phase_id, occurred_at = excluded.occurred_at "
       "WHERE excluded.occurred_at >= account_phase.occurred_at;"},
      {&find_phase_,
       "SELECT phase_id FROM account_phase WHERE account_id = ?1;"},
  };
  for (const auto& s : statements) {
    if (sqlite3_prepare_v3(db_, s.sql, -1, SQLITE_PREPARE_PERSISTENT, s.stmt,
                           nullptr) != SQLITE_OK) {
      return SqliteError(db_, "prepare");
    }
  }
  return absl::OkStatus();
}

SqliteJourneyStore::~SqliteJourneyStore() {
  absl::MutexLock lock(&mu_);
  for (sqlite3_stmt* s :
       {insert_event_, find_event_, upsert_phase_, find_phase_}) {
    sqlite3_finalize(s);
  }
  sqlite3_close(db_);
}

absl::StatusOr<std::optional<std::string>> SqliteJourneyStore::RecordIngest(
    const IngestRecord& r) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Exec(db_, "BEGIN IMMEDIATE;"); !s.ok()) {
    return absl::UnavailableError(s.message());
  }
  auto rollback = [this](absl::Status s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    (void)Exec(db_, "ROLLBACK;");
    return s;
  };
  {
    StatementScope scope(insert_event_);
    BindText(insert_event_, 1, r.source);
    BindText(insert_event_, 2, r.event_id);
    BindText(insert_event_, 3, r.account_id);
    BindText(insert_event_, 4, r.phase_id);
    sqlite3_bind_int64(insert_event_, 5, Micros(r.occurred_at));
    sqlite3_bind_blob(insert_event_, 6, r.assessment.data(),
                      static_cast<int>(r.assessment.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert_event_, 7, Micros(absl::Now()));
    if (sqlite3_step(insert_event_) != SQLITE_DONE) {
      return rollback(SqliteError(db_, "insert event"));
    }
  }
  if (sqlite3_changes(db_) == 0) {
    // A duplicate delivery: return what was stored, change nothing.
    StatementScope scope(find_event_);
    BindText(find_event_, 1, r.source);
    BindText(find_event_, 2, r.event_id);
    if (sqlite3_step(find_event_) != SQLITE_ROW) {
      return rollback(SqliteError(db_, "read duplicate event"));
    }
    std::string stored = ColumnBlob(find_event_, 0);
    (void)Exec(db_, "ROLLBACK;");
    return std::optional<std::string>(std::move(stored));
  }
  if (!r.phase_id.empty() && !r.account_id.empty()) {
    StatementScope scope(upsert_phase_);
    BindText(upsert_phase_, 1, r.account_id);
    BindText(upsert_phase_, 2, r.phase_id);
    sqlite3_bind_int64(upsert_phase_, 3, Micros(r.occurred_at));
    if (sqlite3_step(upsert_phase_) != SQLITE_DONE) {
      return rollback(SqliteError(db_, "update account phase"));
    }
  }
  if (absl::Status s = Exec(db_, "COMMIT;"); !s.ok()) {
    return rollback(absl::UnavailableError(s.message()));
  }
  return std::optional<std::string>();
}

absl::StatusOr<std::optional<std::string>> SqliteJourneyStore::FindAssessment(
    absl::string_view source, absl::string_view event_id) {
  absl::MutexLock lock(&mu_);
  StatementScope scope(find_event_);
  BindText(find_event_, 1, source);
  BindText(find_event_, 2, event_id);
  const int rc = sqlite3_step(find_event_);
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return SqliteError(db_, "find event");
  return std::optional<std::string>(ColumnBlob(find_event_, 0));
}

absl::StatusOr<std::string> SqliteJourneyStore::LastKnownPhase(
    absl::string_view account_id) {
  absl::MutexLock lock(&mu_);
  StatementScope scope(find_phase_);
  BindText(find_phase_, 1, account_id);
  const int rc = sqlite3_step(find_phase_);
  if (rc == SQLITE_DONE) return std::string();
  if (rc != SQLITE_ROW) return SqliteError(db_, "find account phase");
  return std::string(
      reinterpret_cast<const char*>(sqlite3_column_text(find_phase_, 0)));
}

absl::StatusOr<int> SqliteJourneyStore::SchemaVersion() {
  absl::MutexLock lock(&mu_);
  sqlite3_stmt* v = nullptr;
  if (sqlite3_prepare_v2(db_, "PRAGMA user_version;", -1, &v, nullptr) !=
      SQLITE_OK) {
    return SqliteError(db_, "read schema version");
  }
  int version = -1;
  if (sqlite3_step(v) == SQLITE_ROW) version = sqlite3_column_int(v, 0);
  sqlite3_finalize(v);
  return version;
}

}  // namespace cse::store
