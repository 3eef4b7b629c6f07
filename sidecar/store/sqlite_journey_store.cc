#include "sidecar/store/sqlite_journey_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "sidecar/store/outbox_policy.h"
#include "sidecar/store/record_rules.h"
#include "sidecar/store/sql_row_readers.h"
#include "sidecar/store/sqlite_wal_coalescing_vfs.h"

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
    // 1 -> 2: journey memory. Each event's phase with its explanation (the
    // phase history is derived from them in event order), the CRM's
    // sequence, the body only when retention keeps it; critical events,
    // suggestions, outcomes, and the writeback outbox. Times are unix
    // micros; enums are the cse.v1 numbers.
    R"sql(
    ALTER TABLE events ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN phase_number INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN phase_decided_by INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN phase_explanation TEXT NOT NULL DEFAULT '';
    ALTER TABLE events ADD COLUMN body TEXT;  -- NULL unless kept
    ALTER TABLE account_phase ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE critical_events (
      source       TEXT    NOT NULL,
      event_id     TEXT    NOT NULL,
      ordinal      INTEGER NOT NULL,
      account_id   TEXT    NOT NULL,
      type         TEXT    NOT NULL,
      polarity     INTEGER NOT NULL,
      occurred_at  INTEGER NOT NULL,
      phase_id     TEXT    NOT NULL,
      PRIMARY KEY (source, event_id, ordinal)
    ) WITHOUT ROWID;
    CREATE INDEX critical_events_by_account
      ON critical_events (account_id, occurred_at);
    CREATE INDEX critical_events_by_polarity
      ON critical_events (polarity, occurred_at);
    CREATE TABLE suggestions (
      source       TEXT    NOT NULL,
      event_id     TEXT    NOT NULL,
      rank         INTEGER NOT NULL,
      account_id   TEXT    NOT NULL,
      practice_id  TEXT    NOT NULL,
      organization INTEGER NOT NULL,
      engagement   INTEGER NOT NULL,
      effect       INTEGER NOT NULL,
      score        REAL    NOT NULL,
      occurred_at  INTEGER NOT NULL,
      phase_id     TEXT    NOT NULL,
      PRIMARY KEY (source, event_id, rank)
    ) WITHOUT ROWID;
    CREATE INDEX suggestions_by_account ON suggestions (account_id, occurred_at);
    CREATE TABLE outcomes (
      outcome_id          TEXT    PRIMARY KEY,
      account_id          TEXT    NOT NULL,
      source              TEXT    NOT NULL,
      event_id            TEXT    NOT NULL,
      practice_id         TEXT    NOT NULL,
      organization        INTEGER NOT NULL,
      engagement          INTEGER NOT NULL,
      reaction            INTEGER NOT NULL,
      phase_id            TEXT    NOT NULL,
      critical_event_type TEXT    NOT NULL,
      description         TEXT    NOT NULL,
      occurred_at         INTEGER NOT NULL,
      recorded_at         INTEGER NOT NULL,
      recorded_by         TEXT    NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX outcomes_by_account ON outcomes (account_id, occurred_at);
    CREATE TABLE writeback_jobs (
      job_id             INTEGER PRIMARY KEY AUTOINCREMENT,
      source             TEXT    NOT NULL,
      event_id           TEXT    NOT NULL,
      account_id         TEXT    NOT NULL,
      kind               INTEGER NOT NULL,
      object_kind        INTEGER NOT NULL,
      object_id          TEXT    NOT NULL,
      tags               TEXT    NOT NULL,  -- newline-separated
      note_markdown      TEXT    NOT NULL,
      note_marker        TEXT    NOT NULL,
      phase_id           TEXT    NOT NULL,
      phase_name         TEXT    NOT NULL,
      field              TEXT    NOT NULL,
      state              INTEGER NOT NULL,
      attempts           INTEGER NOT NULL DEFAULT 0,
      lease_token        TEXT,
      lessee_id          TEXT    NOT NULL DEFAULT '',
      lease_expires_at   INTEGER,
      not_before         INTEGER NOT NULL,
      created_at         INTEGER NOT NULL,
      last_crm_answer    TEXT    NOT NULL DEFAULT '',
      dead_letter_reason TEXT    NOT NULL DEFAULT '',
      dead_lettered_at   INTEGER
    );
    CREATE INDEX writeback_jobs_due ON writeback_jobs (state, not_before);
    CREATE INDEX writeback_jobs_by_account ON writeback_jobs (account_id);
    )sql",
    // 2 -> 3: fewer B-trees written per ingest. Critical events and
    // suggestions are read by account (journeys, erasure), and by event
    // only when an outcome names one (its account and time are then known
    // from the event): keyed by account first, their tables serve both, and
    // the by-account indexes go. The at-risk scan reads only negative
    // critical events: a partial index holds just those.
    R"sql(
    CREATE TABLE critical_events_v3 (
      account_id   TEXT    NOT NULL,
      occurred_at  INTEGER NOT NULL,
      source       TEXT    NOT NULL,
      event_id     TEXT    NOT NULL,
      ordinal      INTEGER NOT NULL,
      type         TEXT    NOT NULL,
      polarity     INTEGER NOT NULL,
      phase_id     TEXT    NOT NULL,
      PRIMARY KEY (account_id, occurred_at, source, event_id, ordinal)
    ) WITHOUT ROWID;
    INSERT INTO critical_events_v3 (account_id, occurred_at, source,
      event_id, ordinal, type, polarity, phase_id)
    SELECT account_id, occurred_at, source, event_id, ordinal, type,
      polarity, phase_id FROM critical_events;
    DROP TABLE critical_events;
    ALTER TABLE critical_events_v3 RENAME TO critical_events;
    CREATE INDEX critical_events_negative ON critical_events (occurred_at)
      WHERE polarity = 1;
    CREATE TABLE suggestions_v3 (
      account_id   TEXT    NOT NULL,
      occurred_at  INTEGER NOT NULL,
      source       TEXT    NOT NULL,
      event_id     TEXT    NOT NULL,
      rank         INTEGER NOT NULL,
      practice_id  TEXT    NOT NULL,
      organization INTEGER NOT NULL,
      engagement   INTEGER NOT NULL,
      effect       INTEGER NOT NULL,
      score        REAL    NOT NULL,
      phase_id     TEXT    NOT NULL,
      PRIMARY KEY (account_id, occurred_at, source, event_id, rank)
    ) WITHOUT ROWID;
    INSERT INTO suggestions_v3 (account_id, occurred_at, source, event_id,
      rank, practice_id, organization, engagement, effect, score, phase_id)
    SELECT account_id, occurred_at, source, event_id, rank, practice_id,
      organization, engagement, effect, score, phase_id FROM suggestions;
    DROP TABLE suggestions;
    ALTER TABLE suggestions_v3 RENAME TO suggestions;
    )sql",
};
static_assert(std::size(kMigrations) == SqliteJourneyStore::kSchemaVersion);

// The enum numbers the SQL below spells out.
static_assert(static_cast<int>(WritebackState::kPending) == 1);
static_assert(static_cast<int>(WritebackState::kLeased) == 2);
static_assert(static_cast<int>(WritebackState::kDeadLetter) == 4);
static_assert(static_cast<int>(Polarity::kNegative) == 1);
static_assert(static_cast<int>(CustomerReaction::kRestored) == 1);
static_assert(static_cast<int>(CustomerReaction::kBolstered) == 2);

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
    const int code = sqlite3_extended_errcode(db) & 0xFF;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_FULL ||
        code == SQLITE_IOERR) {
      return absl::UnavailableError(absl::StrCat("sqlite: ", msg));
    }
    return absl::InternalError(absl::StrCat("sqlite: ", msg));
  }
  return absl::OkStatus();
}

int64_t Micros(absl::Time t) {
  return t == absl::InfinitePast() ? 0 : absl::ToUnixMicros(t);
}

// A negative critical event `ce` still open at ?2 (as_of) with the window
// starting at ?3; see account_journeys.h.
#define CSE_OPEN_NEGATIVE_SQL                                           \
  "(ce.polarity = 1 AND ce.occurred_at <= ?2 AND ce.occurred_at >= ?3 " \
  "AND NOT EXISTS (SELECT 1 FROM outcomes o "                           \
  "WHERE o.account_id = ce.account_id AND o.reaction IN (1, 2) "        \
  "AND o.occurred_at >= ce.occurred_at AND o.occurred_at <= ?2 "        \
  "AND (o.critical_event_type = ce.type "                               \
  "OR (o.source = ce.source AND o.event_id = ce.event_id))))"

// A cached prepared statement in use: bound, stepped, and reset (with its
// bindings cleared) when it goes out of scope, so every path leaves it
// ready for the next call.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* s) : s_(s) {}
  Statement(Statement&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement() {
    if (s_ != nullptr) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }

  Statement& Text(int i, absl::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Blob(int i, absl::string_view v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Int(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Statement& Real(int i, double v) {
    sqlite3_bind_double(s_, i, v);
    return *this;
  }
  Statement& Time(int i, absl::Time t) { return Int(i, Micros(t)); }
  Statement& Null(int i) {
    sqlite3_bind_null(s_, i);
    return *this;
  }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(s_); }

  std::string ColText(int i) const {
    const unsigned char* p = sqlite3_column_text(s_, i);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      sqlite3_column_bytes(s_, i));
  }
  std::string ColBlob(int i) const {
    const void* p = sqlite3_column_blob(s_, i);
    const int n = sqlite3_column_bytes(s_, i);
    return p == nullptr ? std::string()
                        : std::string(static_cast<const char*>(p), n);
  }
  int64_t ColInt(int i) const { return sqlite3_column_int64(s_, i); }
  double ColReal(int i) const { return sqlite3_column_double(s_, i); }
  // InfinitePast for NULL (no such time).
  absl::Time ColTime(int i) const {
    if (sqlite3_column_type(s_, i) == SQLITE_NULL) return absl::InfinitePast();
    return absl::FromUnixMicros(ColInt(i));
  }

 private:
  sqlite3_stmt* s_;
};

// Rolls back on scope exit unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() { Rollback(); }
  absl::Status Begin() {
    // IMMEDIATE takes the write lock now, so a busy file fails here (and
    // waits busy_timeout) instead of at the first write.
    absl::Status s = Exec(db_, "BEGIN IMMEDIATE;");
    open_ = s.ok();
    return s;
  }
  absl::Status Commit() {
    absl::Status s = Exec(db_, "COMMIT;");
    if (s.ok()) open_ = false;
    return s;
  }
  void Rollback() {
    if (open_) (void)Exec(db_, "ROLLBACK;");
    open_ = false;
  }

 private:
  sqlite3* db_;
  bool open_ = false;
};

// A statement's current row, as the readers of sql_row_readers.h read it;
// every job and outcome query below selects the columns in their order.
struct SqliteRow {
  const Statement& s;
  int64_t Int(int i) const { return s.ColInt(i); }
  std::string Text(int i) const { return s.ColText(i); }
  absl::Time Time(int i) const { return s.ColTime(i); }
};

// The statements, one constant each: the statement cache is keyed by the
// constant's address.
constexpr const char* kInsertEvent =
    "INSERT INTO events (source, event_id, account_id, phase_id, occurred_at, "
    "assessment, recorded_at, sequence, phase_number, phase_decided_by, "
    "phase_explanation, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
    "?10, ?11, ?12) ON CONFLICT (source, event_id) DO NOTHING;";
constexpr const char* kFindEvent =
    "SELECT assessment FROM events WHERE source = ?1 AND event_id = ?2;";
// Out-of-order deliveries must not move the journey back in time.
constexpr const char* kUpsertPhase =
    "INSERT INTO account_phase (account_id, phase_id, occurred_at, sequence) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (account_id) DO UPDATE SET "
    "phase_id = excluded.phase_id, occurred_at = excluded.occurred_at, "
    "sequence = excluded.sequence WHERE (excluded.occurred_at, "
    "excluded.sequence) >= (account_phase.occurred_at, "
    "account_phase.sequence);";
constexpr const char* kFindPhase =
    "SELECT phase_id FROM account_phase WHERE account_id = ?1;";
constexpr const char* kInsertCriticalEvent =
    "INSERT INTO critical_events (source, event_id, ordinal, account_id, "
    "type, polarity, occurred_at, phase_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);";
constexpr const char* kInsertSuggestion =
    "INSERT INTO suggestions (source, event_id, rank, account_id, "
    "practice_id, organization, engagement, effect, score, occurred_at, "
    "phase_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11);";
constexpr const char* kInsertJob =
    "INSERT INTO writeback_jobs (source, event_id, account_id, kind, "
    "object_kind, object_id, tags, note_markdown, note_marker, phase_id, "
    "phase_name, field, state, not_before, created_at) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1, ?13, ?13);";

}  // namespace

// One RecordIngest call waiting in the writer's queue.
struct SqliteJourneyStore::PendingIngest {
  const IngestRecord* record;
  absl::StatusOr<std::optional<std::string>> result;
  bool done = false;
};

#define CSE_STATEMENT(var, sql)                                \
  absl::StatusOr<sqlite3_stmt*> var##_prepared = Prepare(sql); \
  if (!var##_prepared.ok()) return var##_prepared.status();    \
  Statement var(*var##_prepared)

absl::StatusOr<std::unique_ptr<SqliteJourneyStore>> SqliteJourneyStore::Open(
    const std::string& path, StoreOptions options) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      // Each commit's WAL frames in a few writes instead of two per page.
      WalCoalescingVfs());
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::UnavailableError(
        absl::StrCat("sqlite: cannot open ", path, ": ", msg));
  }
  std::unique_ptr<SqliteJourneyStore> store(
      new SqliteJourneyStore(db, std::move(options)));
  {
    absl::MutexLock lock(&store->mu_);
    sqlite3_busy_timeout(db, 5000);
    // WAL: readers never block the writer; synchronous=NORMAL keeps every
    // committed transaction across a process crash (kill -9), which is the
    // failure a sidecar meets.
    for (const char* pragma :
         {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;",
          "PRAGMA foreign_keys=ON;",
          // Checkpoints (not commits) are what sync the disk in WAL mode
          // with synchronous=NORMAL: each copies the WAL's pages into the
          // database and fdatasyncs both files. SQLite's automatic one ran
          // on the writer thread every 1000 WAL pages (every ~20-60
          // ingests), stalling every queued caller behind the syncs. The
          // writer connection now only signals CheckpointLoop, which runs
          // PASSIVE checkpoints on its own connection while the writer keeps
          // committing (see OnWalCommit). Commits stay exactly as durable:
          // a committed transaction is in the WAL before COMMIT returns and
          // survives a process crash, checkpointed or not.
          "PRAGMA wal_autocheckpoint=0;",
          // 8 MiB page cache. Bigger is slower here: every commit walks
          // part of the cache's page hash (SQLite's pcache truncate in
          // sqlite3PagerCommitPhaseTwo), and at 64 MiB that cost 45 us per
          // commit on 2 cores; the kernel's page cache holds the rest.
          "PRAGMA cache_size=-8192;",
          // EraseAccount must not leave the erased text in free pages.
          "PRAGMA secure_delete=ON;"}) {
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
        return absl::InternalError(absl::StrCat("migrating ", path,
                                                " to schema version ", i + 1,
                                                ": ", s.message()));
      }
    }
  }
  // Replaces the (disabled) automatic checkpoint; fires only in WAL mode,
  // so never for ":memory:".
  sqlite3_wal_hook(db, &SqliteJourneyStore::OnWalCommit, store.get());
  // The file the writer opened (absolute; "" for an in-memory database).
  const char* file = sqlite3_db_filename(db, "main");
  store->checkpointer_ =
      std::thread([s = store.get(), f = std::string(file ? file : "")] {
        s->CheckpointLoop(f);
      });
  store->writer_ = std::thread([s = store.get()] { s->WriterLoop(); });
  return store;
}

SqliteJourneyStore::~SqliteJourneyStore() {
  {
    absl::MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
  {
    absl::MutexLock lock(&checkpoint_mu_);
    checkpoint_stopping_ = true;
  }
  if (checkpointer_.joinable()) checkpointer_.join();
  absl::MutexLock lock(&mu_);
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

int SqliteJourneyStore::OnWalCommit(void* arg, sqlite3* db, const char* name,
                                    int frames) {
  auto* self = static_cast<SqliteJourneyStore*>(arg);
  if (frames >= kForceCheckpointFrames) {
    // The background checkpoints have copied all but the newest pages, but
    // a WAL restarts from its beginning only when a writer finds it fully
    // copied; under steady load that never happens, so catch up here (a
    // short copy) and let the next transaction restart the file.
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
    return SQLITE_OK;
  }
  if (frames >= kCheckpointFrames) {
    absl::MutexLock lock(&self->checkpoint_mu_);
    self->checkpoint_wanted_ = true;
  }
  return SQLITE_OK;
}

void SqliteJourneyStore::CheckpointLoop(const std::string& path) {
  sqlite3* db = nullptr;
  for (;;) {
    {
      absl::MutexLock lock(&checkpoint_mu_);
      checkpoint_mu_.Await(
          absl::Condition(this, &SqliteJourneyStore::CheckpointerHasWork));
      if (checkpoint_stopping_) break;
      checkpoint_wanted_ = false;
    }
    if (db == nullptr) {
      if (path.empty()) continue;
      if (sqlite3_open_v2(path.c_str(), &db,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                          WalCoalescingVfs()) != SQLITE_OK) {
        sqlite3_close(db);
        db = nullptr;
        continue;  // OnWalCommit's forced checkpoints still bound the WAL
      }
      (void)Exec(db, "PRAGMA synchronous=NORMAL;");
    }
    // PASSIVE: copies what no reader still needs, never takes the write
    // lock, so ingests commit while the checkpoint copies and syncs.
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
  }
  sqlite3_close(db);
}

absl::StatusOr<sqlite3_stmt*> SqliteJourneyStore::Prepare(const char* sql) {
  auto [it, inserted] = statements_.try_emplace(sql, nullptr);
  if (!inserted) return it->second;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &it->second,
                         nullptr) != SQLITE_OK) {
    statements_.erase(it);
    return SqliteError(db_, "prepare");
  }
  return it->second;
}

// --- Ingest: group commit ---------------------------------------------------

absl::StatusOr<std::optional<std::string>> SqliteJourneyStore::RecordIngest(
    const IngestRecord& record) {
  PendingIngest pending{&record, std::optional<std::string>()};
  absl::MutexLock lock(&queue_mu_);
  if (stopping_) return absl::UnavailableError("sqlite: store is closing");
  queue_.push_back(&pending);
  queue_mu_.Await(absl::Condition(&pending.done));
  return std::move(pending.result);
}

void SqliteJourneyStore::WriterLoop() {
  for (;;) {
    std::vector<PendingIngest*> batch;
    {
      absl::MutexLock lock(&queue_mu_);
      queue_mu_.Await(
          absl::Condition(this, &SqliteJourneyStore::WriterHasWork));
      if (queue_.empty()) return;  // stopping, and nothing left to commit
      const size_t n = std::min<size_t>(queue_.size(), kMaxBatch);
      batch.assign(queue_.begin(), queue_.begin() + n);
      queue_.erase(queue_.begin(), queue_.begin() + n);
    }
    {
      absl::MutexLock lock(&mu_);
      RunBatch(batch);
    }
    absl::MutexLock lock(&queue_mu_);
    for (PendingIngest* p : batch) p->done = true;
  }
}

void SqliteJourneyStore::RunBatch(const std::vector<PendingIngest*>& batch) {
  if (batch.size() == 1) {
    RunAlone(batch.front());
    return;
  }
  Transaction tx(db_);
  bool failed = !tx.Begin().ok();
  for (size_t i = 0; !failed && i < batch.size(); ++i) {
    batch[i]->result = IngestInTransaction(*batch[i]->record);
    failed = !batch[i]->result.ok();
  }
  if (!failed && tx.Commit().ok()) {
    ++ingest_transactions_;
    return;
  }
  // Something in the batch failed: roll it all back and give every event
  // its own transaction, so only the bad one fails its caller.
  tx.Rollback();
  for (PendingIngest* p : batch) RunAlone(p);
}

void SqliteJourneyStore::RunAlone(PendingIngest* p) {
  Transaction tx(db_);
  if (absl::Status s = tx.Begin(); !s.ok()) {
    p->result = absl::UnavailableError(s.message());
    return;
  }
  p->result = IngestInTransaction(*p->record);
  if (!p->result.ok()) return;
  if (absl::Status s = tx.Commit(); !s.ok()) {
    p->result = absl::UnavailableError(s.message());
    return;
  }
  ++ingest_transactions_;
}

absl::StatusOr<std::optional<std::string>>
SqliteJourneyStore::IngestInTransaction(const IngestRecord& r) {
  const int64_t sequence = ClampSequence(r.sequence);
  const absl::Time now = options_.clock();
  {
    CSE_STATEMENT(insert, kInsertEvent);
    insert.Text(1, r.source)
        .Text(2, r.event_id)
        .Text(3, r.account_id)
        .Text(4, r.phase_id)
        .Time(5, r.occurred_at)
        .Blob(6, r.assessment)
        .Time(7, now)
        .Int(8, sequence)
        .Int(9, r.phase_number)
        .Int(10, static_cast<int>(r.phase_decided_by))
        .Text(11, r.phase_explanation);
    // Data minimisation: without an explicit retention setting the body
    // never reaches the file.
    if (options_.retention.keep_bodies) {
      insert.Text(12, r.body);
    } else {
      insert.Null(12);
    }
    if (insert.Step() != SQLITE_DONE) return SqliteError(db_, "insert event");
  }
  if (sqlite3_changes(db_) == 0) {
    // A duplicate delivery: return what was stored, change nothing.
    CSE_STATEMENT(find, kFindEvent);
    find.Text(1, r.source).Text(2, r.event_id);
    if (find.Step() != SQLITE_ROW) {
      return SqliteError(db_, "read duplicate event");
    }
    return std::optional<std::string>(find.ColBlob(0));
  }
  if (!r.phase_id.empty() && !r.account_id.empty()) {
    CSE_STATEMENT(upsert, kUpsertPhase);
    upsert.Text(1, r.account_id)
        .Text(2, r.phase_id)
        .Time(3, r.occurred_at)
        .Int(4, sequence);
    if (upsert.Step() != SQLITE_DONE) {
      return SqliteError(db_, "update account phase");
    }
  }
  for (size_t i = 0; i < r.critical_events.size(); ++i) {
    const CriticalEventRecord& ce = r.critical_events[i];
    CSE_STATEMENT(insert, kInsertCriticalEvent);
    insert.Text(1, r.source)
        .Text(2, r.event_id)
        .Int(3, static_cast<int64_t>(i))
        .Text(4, r.account_id)
        .Text(5, ce.type)
        .Int(6, static_cast<int>(ce.polarity))
        .Time(7, r.occurred_at)
        .Text(8, r.phase_id);
    if (insert.Step() != SQLITE_DONE) {
      return SqliteError(db_, "insert critical event");
    }
  }
  for (size_t i = 0; i < r.suggestions.size(); ++i) {
    const SuggestionRecord& sg = r.suggestions[i];
    CSE_STATEMENT(insert, kInsertSuggestion);
    insert.Text(1, r.source)
        .Text(2, r.event_id)
        .Int(3, static_cast<int64_t>(i + 1))
        .Text(4, r.account_id)
        .Text(5, sg.practice_id)
        .Int(6, static_cast<int>(sg.organization))
        .Int(7, static_cast<int>(sg.engagement))
        .Int(8, static_cast<int>(sg.effect))
        .Real(9, sg.score)
        .Time(10, r.occurred_at)
        .Text(11, r.phase_id);
    if (insert.Step() != SQLITE_DONE) {
      return SqliteError(db_, "insert suggestion");
    }
  }
  for (const WritebackSpec& w : r.writebacks) {
    CSE_STATEMENT(insert, kInsertJob);
    insert.Text(1, r.source)
        .Text(2, r.event_id)
        .Text(3, r.account_id)
        .Int(4, static_cast<int>(w.kind))
        .Int(5, static_cast<int>(w.object_kind))
        .Text(6, w.object_id)
        .Text(7, absl::StrJoin(w.tags, "\n"))
        .Text(8, w.note_markdown)
        .Text(9, w.note_marker)
        .Text(10, w.phase_id)
        .Text(11, w.phase_name)
        .Text(12, w.field)
        .Time(13, now);
    if (insert.Step() != SQLITE_DONE) {
      return SqliteError(db_, "insert writeback job");
    }
  }
  return std::optional<std::string>();
}

int64_t SqliteJourneyStore::IngestTransactions() {
  absl::MutexLock lock(&mu_);
  return ingest_transactions_;
}

absl::StatusOr<std::optional<std::string>> SqliteJourneyStore::FindAssessment(
    absl::string_view source, absl::string_view event_id) {
  absl::MutexLock lock(&mu_);
  CSE_STATEMENT(find, kFindEvent);
  find.Text(1, source).Text(2, event_id);
  const int rc = find.Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return SqliteError(db_, "find event");
  return std::optional<std::string>(find.ColBlob(0));
}

absl::StatusOr<std::string> SqliteJourneyStore::LastKnownPhase(
    absl::string_view account_id) {
  absl::MutexLock lock(&mu_);
  CSE_STATEMENT(find, kFindPhase);
  find.Text(1, account_id);
  const int rc = find.Step();
  if (rc == SQLITE_DONE) return std::string();
  if (rc != SQLITE_ROW) return SqliteError(db_, "find account phase");
  return find.ColText(0);
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

// --- Journey queries ---------------------------------------------------------

namespace {

constexpr const char* kJourneyEvents =
    "SELECT source, event_id, occurred_at, sequence, phase_id, phase_number, "
    "phase_decided_by, phase_explanation, coalesce(body, '') FROM events "
    "WHERE account_id = ?1 ORDER BY occurred_at, sequence, recorded_at, "
    "source, event_id;";
constexpr const char* kJourneyCriticalEvents =
    "SELECT ce.type, ce.polarity, ce.source, ce.event_id, ce.occurred_at, "
    "ce.phase_id, " CSE_OPEN_NEGATIVE_SQL
    " FROM critical_events ce WHERE ce.account_id = ?1 ORDER BY "
    "ce.occurred_at DESC, ce.source DESC, ce.event_id DESC, ce.ordinal DESC "
    "LIMIT ?4;";
constexpr const char* kJourneyOpenCount =
    "SELECT count(*) FROM critical_events ce WHERE ce.account_id = ?1 "
    "AND " CSE_OPEN_NEGATIVE_SQL ";";
constexpr const char* kJourneySuggestions =
    "SELECT source, event_id, occurred_at, phase_id, rank, practice_id, "
    "organization, engagement, effect, score FROM suggestions "
    "WHERE account_id = ?1 ORDER BY occurred_at DESC, source DESC, "
    "event_id DESC, rank DESC LIMIT ?2;";
constexpr const char* kJourneyOutcomes =
    "SELECT outcome_id, account_id, source, event_id, practice_id, "
    "organization, engagement, reaction, phase_id, critical_event_type, "
    "description, occurred_at, recorded_at, recorded_by FROM outcomes "
    "WHERE account_id = ?1 ORDER BY occurred_at DESC, recorded_at DESC, "
    "outcome_id DESC LIMIT ?2;";
constexpr const char* kAtRisk =
    "SELECT ce.account_id, count(*), min(ce.occurred_at), "
    "max(ce.occurred_at), group_concat(ce.type, char(10)), "
    "coalesce(max(p.phase_id), '') FROM critical_events ce "
    "LEFT JOIN account_phase p ON p.account_id = ce.account_id "
    "WHERE ?1 = ?1 AND " CSE_OPEN_NEGATIVE_SQL
    " GROUP BY ce.account_id ORDER BY count(*) DESC, max(ce.occurred_at) "
    "DESC, ce.account_id LIMIT ?4 OFFSET ?5;";
constexpr const char* kEraseStatements[] = {
    "DELETE FROM events WHERE account_id = ?1;",
    "DELETE FROM outcomes WHERE account_id = ?1;",
    "DELETE FROM writeback_jobs WHERE account_id = ?1;",
    "DELETE FROM critical_events WHERE account_id = ?1;",
    "DELETE FROM suggestions WHERE account_id = ?1;",
    "DELETE FROM account_phase WHERE account_id = ?1;",
};
constexpr const char* kCircumplexApplied =
    "SELECT phase_id, organization, engagement, practice_id, count(*) "
    "FROM outcomes WHERE (?1 = '' OR account_id = ?1) AND occurred_at >= ?2 "
    "AND occurred_at < ?3 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;";
constexpr const char* kCircumplexSuggested =
    "SELECT phase_id, organization, engagement, practice_id, count(*) "
    "FROM suggestions WHERE (?1 = '' OR account_id = ?1) AND occurred_at >= "
    "?2 AND occurred_at < ?3 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;";

}  // namespace

absl::StatusOr<AccountJourney> SqliteJourneyStore::GetAccountJourney(
    const JourneyQuery& query) {
  const absl::Time as_of = query.as_of.value_or(options_.clock());
  const int limit = std::max(query.max_items, 0);
  absl::MutexLock lock(&mu_);
  // One read transaction: every list sees the same snapshot.
  if (absl::Status s = Exec(db_, "BEGIN;"); !s.ok()) return s;
  struct EndRead {
    sqlite3* db;
    ~EndRead() { (void)Exec(db, "COMMIT;"); }
  } end_read{db_};

  AccountJourney j;
  j.account_id = query.account_id;
  std::vector<PhasePoint> points;
  {
    CSE_STATEMENT(events, kJourneyEvents);
    events.Text(1, query.account_id);
    int rc;
    while ((rc = events.Step()) == SQLITE_ROW) {
      JourneyEvent e{events.ColText(0), events.ColText(1), events.ColTime(2),
                     events.ColInt(3),  events.ColText(4), events.ColText(8)};
      points.push_back({e.phase_id, static_cast<int>(events.ColInt(5)),
                        static_cast<PhaseDecidedBy>(events.ColInt(6)),
                        events.ColText(7), e.source, e.event_id,
                        e.occurred_at});
      j.events.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, "read journey events");
  }
  if (j.events.empty()) {
    return absl::NotFoundError(
        absl::StrCat("account \"", query.account_id, "\" has no events"));
  }
  j.event_count = static_cast<int>(j.events.size());
  j.phase_history = BuildPhaseHistory(points);
  if (static_cast<int>(j.events.size()) > limit) {
    j.events.erase(j.events.begin(), j.events.end() - limit);
  }
  {
    CSE_STATEMENT(phase, kFindPhase);
    phase.Text(1, query.account_id);
    if (phase.Step() == SQLITE_ROW) j.current_phase_id = phase.ColText(0);
  }
  {
    CSE_STATEMENT(ces, kJourneyCriticalEvents);
    ces.Text(1, query.account_id)
        .Time(2, as_of)
        .Time(3, as_of - query.open_window)
        .Int(4, limit);
    int rc;
    while ((rc = ces.Step()) == SQLITE_ROW) {
      j.critical_events.push_back(
          {ces.ColText(0), static_cast<Polarity>(ces.ColInt(1)), ces.ColText(2),
           ces.ColText(3), ces.ColTime(4), ces.ColText(5), ces.ColInt(6) != 0});
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, "read critical events");
    std::reverse(j.critical_events.begin(), j.critical_events.end());
  }
  {
    CSE_STATEMENT(open, kJourneyOpenCount);
    open.Text(1, query.account_id)
        .Time(2, as_of)
        .Time(3, as_of - query.open_window);
    if (open.Step() != SQLITE_ROW) return SqliteError(db_, "count open");
    j.open_negative_event_count = static_cast<int>(open.ColInt(0));
  }
  {
    CSE_STATEMENT(sgs, kJourneySuggestions);
    sgs.Text(1, query.account_id).Int(2, limit);
    int rc;
    while ((rc = sgs.Step()) == SQLITE_ROW) {
      JourneySuggestion s{
          sgs.ColText(0),
          sgs.ColText(1),
          sgs.ColTime(2),
          sgs.ColText(3),
          static_cast<int>(sgs.ColInt(4)),
          {sgs.ColText(5), static_cast<Organization>(sgs.ColInt(6)),
           static_cast<Engagement>(sgs.ColInt(7)),
           static_cast<Effect>(sgs.ColInt(8)), sgs.ColReal(9)}};
      j.suggestions.push_back(std::move(s));
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, "read suggestions");
    std::reverse(j.suggestions.begin(), j.suggestions.end());
  }
  {
    CSE_STATEMENT(outs, kJourneyOutcomes);
    outs.Text(1, query.account_id).Int(2, limit);
    int rc;
    while ((rc = outs.Step()) == SQLITE_ROW) {
      j.outcomes.push_back(OutcomeFromRow(SqliteRow{outs}));
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, "read outcomes");
    std::reverse(j.outcomes.begin(), j.outcomes.end());
  }
  return j;
}

absl::StatusOr<std::vector<AccountRisk>> SqliteJourneyStore::ListAccountsAtRisk(
    const AtRiskQuery& query) {
  const absl::Time as_of = query.as_of.value_or(options_.clock());
  absl::MutexLock lock(&mu_);
  CSE_STATEMENT(risk, kAtRisk);
  risk.Text(1, "")
      .Time(2, as_of)
      .Time(3, as_of - query.open_window)
      .Int(4, std::max(query.limit, 0))
      .Int(5, std::max(query.offset, 0));
  std::vector<AccountRisk> out;
  int rc;
  while ((rc = risk.Step()) == SQLITE_ROW) {
    AccountRisk r;
    r.account_id = risk.ColText(0);
    r.open_negative_event_count = static_cast<int>(risk.ColInt(1));
    r.oldest_open_at = risk.ColTime(2);
    r.latest_open_at = risk.ColTime(3);
    r.open_event_types = ByFrequency(absl::StrSplit(risk.ColText(4), '\n'));
    r.current_phase_id = risk.ColText(5);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return SqliteError(db_, "list accounts at risk");
  return out;
}

absl::StatusOr<ErasedCounts> SqliteJourneyStore::EraseAccount(
    absl::string_view account_id) {
  absl::MutexLock lock(&mu_);
  Transaction tx(db_);
  if (absl::Status s = tx.Begin(); !s.ok()) return s;
  int changed[std::size(kEraseStatements)];
  for (size_t i = 0; i < std::size(kEraseStatements); ++i) {
    CSE_STATEMENT(erase, kEraseStatements[i]);
    erase.Text(1, account_id);
    if (erase.Step() != SQLITE_DONE) return SqliteError(db_, "erase account");
    changed[i] = sqlite3_changes(db_);
  }
  if (absl::Status s = tx.Commit(); !s.ok()) return s;
  // Deleted rows stay in free pages (and the WAL) until reused; rewrite
  // them so erased text does not linger in the file.
  (void)Exec(db_, "PRAGMA wal_checkpoint(TRUNCATE);");
  return ErasedCounts{changed[0], changed[1], changed[2]};
}

absl::StatusOr<std::vector<CircumplexCount>>
SqliteJourneyStore::CircumplexCounts(absl::string_view account_id,
                                     CircumplexBasis basis,
                                     const TimeWindow& window) {
  absl::MutexLock lock(&mu_);
  CSE_STATEMENT(counts, basis == CircumplexBasis::kApplied
                            ? kCircumplexApplied
                            : kCircumplexSuggested);
  // Micros() writes InfinitePast as 0; the far future is INT64_MAX.
  counts.Text(1, account_id)
      .Time(2, window.since)
      .Int(3, window.until == absl::InfiniteFuture()
                  ? std::numeric_limits<int64_t>::max()
                  : Micros(window.until));
  std::vector<CircumplexCount> out;
  int rc;
  while ((rc = counts.Step()) == SQLITE_ROW) {
    out.push_back({counts.ColText(0),
                   static_cast<Organization>(counts.ColInt(1)),
                   static_cast<Engagement>(counts.ColInt(2)), counts.ColText(3),
                   static_cast<int>(counts.ColInt(4))});
  }
  if (rc != SQLITE_DONE) return SqliteError(db_, "circumplex counts");
  return out;
}

// --- Writeback outbox --------------------------------------------------------

namespace {

// Expired leases of jobs with no attempts left go to the dead letters.
constexpr const char* kDeadLetterExpired =
    "UPDATE writeback_jobs SET state = 4, lease_token = NULL, "
    "lease_expires_at = NULL, dead_lettered_at = ?1, "
    "dead_letter_reason = 'lease expired; ' || attempts || "
    "' attempts exhausted' "
    "WHERE state = 2 AND lease_expires_at <= ?1 AND attempts >= ?2 "
    "AND (?3 = '' OR source = ?3);";
constexpr const char* kDueJobs =
    "SELECT job_id FROM writeback_jobs WHERE ((state = 1 AND not_before <= "
    "?1) OR (state = 2 AND lease_expires_at <= ?1)) AND (?2 = '' OR source = "
    "?2) ORDER BY not_before, job_id LIMIT ?3;";
constexpr const char* kLeaseJob =
    "UPDATE writeback_jobs SET state = 2, lease_token = ?2, lessee_id = ?3, "
    "lease_expires_at = ?4, attempts = attempts + 1 WHERE job_id = ?1 "
    "RETURNING job_id, source, event_id, account_id, kind, object_kind, "
    "object_id, tags, note_markdown, note_marker, phase_id, phase_name, "
    "field, state, attempts, lease_token, lessee_id, lease_expires_at, "
    "not_before, created_at, last_crm_answer, dead_letter_reason, "
    "dead_lettered_at;";
constexpr const char* kJobLease =
    "SELECT state, coalesce(lease_token, ''), attempts FROM writeback_jobs "
    "WHERE job_id = ?1;";
constexpr const char* kAckJob =
    "UPDATE writeback_jobs SET state = ?2, last_crm_answer = ?3, "
    "lease_token = NULL, lease_expires_at = NULL, "
    "not_before = CASE WHEN ?2 = 1 THEN ?4 ELSE not_before END, "
    "dead_letter_reason = CASE WHEN ?2 = 4 THEN ?5 ELSE dead_letter_reason "
    "END, dead_lettered_at = CASE WHEN ?2 = 4 THEN ?6 ELSE dead_lettered_at "
    "END WHERE job_id = ?1 "
    "RETURNING job_id, source, event_id, account_id, kind, object_kind, "
    "object_id, tags, note_markdown, note_marker, phase_id, phase_name, "
    "field, state, attempts, lease_token, lessee_id, lease_expires_at, "
    "not_before, created_at, last_crm_answer, dead_letter_reason, "
    "dead_lettered_at;";
constexpr const char* kDeadLetters =
    "SELECT job_id, source, event_id, account_id, kind, object_kind, "
    "object_id, tags, note_markdown, note_marker, phase_id, phase_name, "
    "field, state, attempts, NULL, lessee_id, lease_expires_at, "
    "not_before, created_at, last_crm_answer, dead_letter_reason, "
    "dead_lettered_at FROM writeback_jobs WHERE state = 4 AND (?1 = '' OR "
    "source = ?1) AND (?2 = '' OR account_id = ?2) AND (?4 = 0 OR "
    "(dead_lettered_at, job_id) < (?5, ?6)) ORDER BY "
    "dead_lettered_at DESC, job_id DESC LIMIT ?3;";
constexpr const char* kRetryDeadLetter =
    "UPDATE writeback_jobs SET state = 1, attempts = 0, not_before = ?2, "
    "dead_letter_reason = '', dead_lettered_at = NULL WHERE job_id = ?1 "
    "RETURNING job_id, source, event_id, account_id, kind, object_kind, "
    "object_id, tags, note_markdown, note_marker, phase_id, phase_name, "
    "field, state, attempts, lease_token, lessee_id, lease_expires_at, "
    "not_before, created_at, last_crm_answer, dead_letter_reason, "
    "dead_lettered_at;";

absl::Status JobNotFound(int64_t job_id) {
  return absl::NotFoundError(
      absl::StrCat("writeback job ", job_id, " not found"));
}

}  // namespace

absl::StatusOr<std::vector<WritebackJob>> SqliteJourneyStore::LeaseWritebacks(
    const LeaseRequest& request) {
  if (absl::Status s = CheckLeaseRequest(request); !s.ok()) return s;
  const absl::Time now = options_.clock();
  absl::MutexLock lock(&mu_);
  Transaction tx(db_);
  if (absl::Status s = tx.Begin(); !s.ok()) return s;
  {
    CSE_STATEMENT(expire, kDeadLetterExpired);
    expire.Time(1, now)
        .Int(2, options_.outbox.max_attempts)
        .Text(3, request.target_system);
    if (expire.Step() != SQLITE_DONE) {
      return SqliteError(db_, "dead-letter expired leases");
    }
  }
  std::vector<int64_t> ids;
  {
    CSE_STATEMENT(due, kDueJobs);
    due.Time(1, now).Text(2, request.target_system).Int(3, request.max_jobs);
    int rc;
    while ((rc = due.Step()) == SQLITE_ROW) ids.push_back(due.ColInt(0));
    if (rc != SQLITE_DONE) return SqliteError(db_, "find due jobs");
  }
  std::vector<WritebackJob> leased;
  for (int64_t id : ids) {
    CSE_STATEMENT(lease, kLeaseJob);
    lease.Int(1, id)
        .Text(2, NewLeaseToken())
        .Text(3, request.lessee_id)
        .Time(4, now + request.lease_duration);
    if (lease.Step() != SQLITE_ROW) return SqliteError(db_, "lease job");
    leased.push_back(WritebackJobFromRow(SqliteRow{lease}));
  }
  if (absl::Status s = tx.Commit(); !s.ok()) return s;
  return leased;
}

absl::StatusOr<WritebackJob> SqliteJourneyStore::AckWriteback(
    const AckRequest& request) {
  const absl::Time now = options_.clock();
  absl::MutexLock lock(&mu_);
  Transaction tx(db_);
  if (absl::Status s = tx.Begin(); !s.ok()) return s;
  int attempts;
  {
    CSE_STATEMENT(lease, kJobLease);
    lease.Int(1, request.job_id);
    const int rc = lease.Step();
    if (rc == SQLITE_DONE) return JobNotFound(request.job_id);
    if (rc != SQLITE_ROW) return SqliteError(db_, "read job");
    if (static_cast<WritebackState>(lease.ColInt(0)) !=
            WritebackState::kLeased ||
        request.lease_token.empty() ||
        lease.ColText(1) != request.lease_token) {
      return StaleLeaseError(request.job_id);
    }
    attempts = static_cast<int>(lease.ColInt(2));
  }
  const AckTransition t = TransitionForAck(options_.outbox, attempts, request,
                                           now, DrawJitter(options_));
  WritebackJob job;
  {
    CSE_STATEMENT(ack, kAckJob);
    ack.Int(1, request.job_id)
        .Int(2, static_cast<int>(t.state))
        .Text(3, request.crm_answer)
        .Time(4, t.not_before)
        .Text(5, t.dead_letter_reason)
        .Time(6, now);
    if (ack.Step() != SQLITE_ROW) return SqliteError(db_, "ack job");
    job = WritebackJobFromRow(SqliteRow{ack});
  }
  if (absl::Status s = tx.Commit(); !s.ok()) return s;
  return job;
}

absl::StatusOr<std::vector<WritebackJob>> SqliteJourneyStore::ListDeadLetters(
    const DeadLetterQuery& query) {
  absl::MutexLock lock(&mu_);
  CSE_STATEMENT(dead, kDeadLetters);
  dead.Text(1, query.target_system)
      .Text(2, query.account_id)
      .Int(3, std::max(query.limit, 0))
      .Int(4, query.after.has_value() ? 1 : 0)
      .Int(5, query.after ? query.after->dead_lettered_at_micros : 0)
      .Int(6, query.after ? query.after->job_id : 0);
  std::vector<WritebackJob> out;
  int rc;
  while ((rc = dead.Step()) == SQLITE_ROW)
    out.push_back(WritebackJobFromRow(SqliteRow{dead}));
  if (rc != SQLITE_DONE) return SqliteError(db_, "list dead letters");
  return out;
}

absl::StatusOr<WritebackJob> SqliteJourneyStore::RetryDeadLetter(
    int64_t job_id) {
  const absl::Time now = options_.clock();
  absl::MutexLock lock(&mu_);
  Transaction tx(db_);
  if (absl::Status s = tx.Begin(); !s.ok()) return s;
  {
    CSE_STATEMENT(lease, kJobLease);
    lease.Int(1, job_id);
    const int rc = lease.Step();
    if (rc == SQLITE_DONE) return JobNotFound(job_id);
    if (rc != SQLITE_ROW) return SqliteError(db_, "read job");
    if (static_cast<WritebackState>(lease.ColInt(0)) !=
        WritebackState::kDeadLetter) {
      return absl::FailedPreconditionError(
          absl::StrCat("writeback job ", job_id, " is not a dead letter"));
    }
  }
  WritebackJob job;
  {
    CSE_STATEMENT(retry, kRetryDeadLetter);
    retry.Int(1, job_id).Time(2, now);
    if (retry.Step() != SQLITE_ROW) return SqliteError(db_, "retry job");
    job = WritebackJobFromRow(SqliteRow{retry});
  }
  if (absl::Status s = tx.Commit(); !s.ok()) return s;
  return job;
}

// --- Outcomes ----------------------------------------------------------------

namespace {

constexpr const char* kFindOutcome =
    "SELECT outcome_id, account_id, source, event_id, practice_id, "
    "organization, engagement, reaction, phase_id, critical_event_type, "
    "description, occurred_at, recorded_at, recorded_by FROM outcomes "
    "WHERE outcome_id = ?1;";
constexpr const char* kOutcomeEvent =
    "SELECT account_id, phase_id, occurred_at FROM events WHERE source = ?1 "
    "AND event_id = ?2;";
// The event's account and time lead the table's key.
constexpr const char* kOutcomeEventCriticalEvents =
    "SELECT type, polarity FROM critical_events WHERE account_id = ?3 AND "
    "occurred_at = ?4 AND source = ?1 AND event_id = ?2 ORDER BY ordinal;";
// The account's latest event (its own order) that suggested a practice at
// or before a time; suggestions lead with the account and time.
constexpr const char* kLatestSuggestion =
    "SELECT s.source, s.event_id FROM suggestions s JOIN events e ON "
    "e.source = s.source AND e.event_id = s.event_id WHERE s.account_id = ?1 "
    "AND s.occurred_at <= ?3 AND s.practice_id = ?2 "
    "ORDER BY s.occurred_at DESC, e.sequence DESC LIMIT 1;";
constexpr const char* kOutcomeEventSuggestion =
    "SELECT organization, engagement FROM suggestions WHERE account_id = ?3 "
    "AND occurred_at = ?4 AND source = ?1 AND event_id = ?2 AND "
    "practice_id = ?5 ORDER BY rank LIMIT 1;";
constexpr const char* kInsertOutcome =
    "INSERT INTO outcomes (outcome_id, account_id, source, event_id, "
    "practice_id, organization, engagement, reaction, phase_id, "
    "critical_event_type, description, occurred_at, recorded_at, "
    "recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
    "?13, ?14);";
constexpr const char* kOutcomeTallies =
    "SELECT phase_id, critical_event_type, practice_id, "
    "sum(reaction = 1), sum(reaction = 2), sum(reaction = 3), "
    "sum(reaction = 4) FROM outcomes GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;";

}  // namespace

absl::StatusOr<RecordedOutcome> SqliteJourneyStore::RecordOutcome(
    const OutcomeRecord& outcome) {
  if (absl::Status s = CheckOutcome(outcome); !s.ok()) return s;
  const absl::Time now = options_.clock();
  absl::MutexLock lock(&mu_);
  Transaction tx(db_);
  if (absl::Status s = tx.Begin(); !s.ok()) return s;
  if (!outcome.outcome_id.empty()) {
    CSE_STATEMENT(find, kFindOutcome);
    find.Text(1, outcome.outcome_id);
    const int rc = find.Step();
    if (rc == SQLITE_ROW)
      return RecordedOutcome{OutcomeFromRow(SqliteRow{find}), true};
    if (rc != SQLITE_DONE) return SqliteError(db_, "find outcome");
  }
  OutcomeRecord o = outcome;
  if (o.outcome_id.empty()) o.outcome_id = NewOutcomeId();
  o.recorded_at = now;
  if (o.occurred_at == absl::InfinitePast()) o.occurred_at = now;
  if (o.source.empty() && o.follow_latest_suggestion) {
    CSE_STATEMENT(latest, kLatestSuggestion);
    latest.Text(1, o.account_id).Text(2, o.practice_id).Time(3, o.occurred_at);
    const int rc = latest.Step();
    if (rc == SQLITE_ROW) {
      o.source = latest.ColText(0);
      o.event_id = latest.ColText(1);
    } else if (rc != SQLITE_DONE) {
      return SqliteError(db_, "find latest suggestion");
    }
  }
  std::optional<SuggestedMode> suggested;
  if (!o.source.empty()) {
    CSE_STATEMENT(event, kOutcomeEvent);
    event.Text(1, o.source).Text(2, o.event_id);
    const int rc = event.Step();
    if (rc == SQLITE_DONE) {
      return absl::NotFoundError(absl::StrCat("event (", o.source, ", ",
                                              o.event_id, ") is not recorded"));
    }
    if (rc != SQLITE_ROW) return SqliteError(db_, "find outcome event");
    if (event.ColText(0) != o.account_id) {
      return absl::InvalidArgumentError(
          absl::StrCat("event_id: event (", o.source, ", ", o.event_id,
                       ") belongs to another account"));
    }
    if (o.phase_id.empty()) o.phase_id = event.ColText(1);
    if (o.critical_event_type.empty()) {
      CSE_STATEMENT(ces, kOutcomeEventCriticalEvents);
      ces.Text(1, o.source)
          .Text(2, o.event_id)
          .Text(3, o.account_id)
          .Int(4, event.ColInt(2));
      std::vector<CriticalEventRecord> events;
      while (ces.Step() == SQLITE_ROW) {
        events.push_back(
            {ces.ColText(0), static_cast<Polarity>(ces.ColInt(1))});
      }
      o.critical_event_type = DefaultCriticalEventType(events);
    }
    CSE_STATEMENT(mode, kOutcomeEventSuggestion);
    mode.Text(1, o.source)
        .Text(2, o.event_id)
        .Text(3, o.account_id)
        .Int(4, event.ColInt(2))
        .Text(5, o.practice_id);
    const int rc_mode = mode.Step();
    if (rc_mode == SQLITE_ROW) {
      suggested = SuggestedMode{static_cast<Organization>(mode.ColInt(0)),
                                static_cast<Engagement>(mode.ColInt(1))};
    } else if (rc_mode != SQLITE_DONE) {
      return SqliteError(db_, "read the followed suggestion");
    }
  } else if (o.phase_id.empty()) {
    CSE_STATEMENT(phase, kFindPhase);
    phase.Text(1, o.account_id);
    if (phase.Step() == SQLITE_ROW) o.phase_id = phase.ColText(0);
  }
  if (absl::Status s = FillSuggestedMode(suggested, &o); !s.ok()) return s;
  {
    CSE_STATEMENT(insert, kInsertOutcome);
    insert.Text(1, o.outcome_id)
        .Text(2, o.account_id)
        .Text(3, o.source)
        .Text(4, o.event_id)
        .Text(5, o.practice_id)
        .Int(6, static_cast<int>(o.organization))
        .Int(7, static_cast<int>(o.engagement))
        .Int(8, static_cast<int>(o.reaction))
        .Text(9, o.phase_id)
        .Text(10, o.critical_event_type)
        .Text(11, o.description)
        .Time(12, o.occurred_at)
        .Time(13, o.recorded_at)
        .Text(14, o.recorded_by);
    if (insert.Step() != SQLITE_DONE) {
      return SqliteError(db_, "insert outcome");
    }
  }
  if (absl::Status s = tx.Commit(); !s.ok()) return s;
  return RecordedOutcome{std::move(o), false};
}

absl::StatusOr<std::vector<OutcomeTally>> SqliteJourneyStore::OutcomeTallies() {
  absl::MutexLock lock(&mu_);
  CSE_STATEMENT(tallies, kOutcomeTallies);
  std::vector<OutcomeTally> out;
  int rc;
  while ((rc = tallies.Step()) == SQLITE_ROW) {
    out.push_back({tallies.ColText(0), tallies.ColText(1), tallies.ColText(2),
                   static_cast<int>(tallies.ColInt(3)),
                   static_cast<int>(tallies.ColInt(4)),
                   static_cast<int>(tallies.ColInt(5)),
                   static_cast<int>(tallies.ColInt(6))});
  }
  if (rc != SQLITE_DONE) return SqliteError(db_, "outcome tallies");
  return out;
}

#undef CSE_STATEMENT

}  // namespace cse::store
