#include "sidecar/store/postgres_journey_store.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "sidecar/store/outbox_policy.h"
#include "sidecar/store/phase_history.h"
#include "sidecar/store/record_rules.h"
#include "sidecar/store/sql_row_readers.h"

namespace cse::store {
namespace {

// Migrations, in order; index i upgrades schema version i to i + 1. Never
// edit a released migration: add a new one (and bump kSchemaVersion). All
// pending ones run in the one transaction Open() holds, so a failure leaves
// the database at the version it had.
constexpr const char* kMigrations[] = {
    // 0 -> 1: events (idempotency by source + event id) and the account's
    // latest phase.
    R"sql(
    CREATE TABLE events (
      source       text        NOT NULL,
      event_id     text        NOT NULL,
      account_id   text        NOT NULL,
      phase_id     text        NOT NULL,
      occurred_at  timestamptz NOT NULL,
      assessment   bytea       NOT NULL,  -- serialised cse.v1.Assessment
      recorded_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source, event_id)
    );
    CREATE INDEX events_by_account ON events (account_id, occurred_at);
    CREATE TABLE account_phase (
      account_id   text        PRIMARY KEY,
      phase_id     text        NOT NULL,
      occurred_at  timestamptz NOT NULL
    );
    )sql",
    // 1 -> 2: journey memory, the tables of SQLite's migration 2. Each
    // event's phase with its explanation (the phase history is derived from
    // them in event order), the CRM's sequence, the body only when retention
    // keeps it; critical events, suggestions, outcomes, and the writeback
    // outbox. Enums are the cse.v1 numbers; tags are newline-separated, as
    // in SQLite, so both split them the same way.
    R"sql(
    ALTER TABLE events
      ADD COLUMN sequence          bigint  NOT NULL DEFAULT 0,
      ADD COLUMN phase_number      integer NOT NULL DEFAULT 0,
      ADD COLUMN phase_decided_by  integer NOT NULL DEFAULT 0,
      ADD COLUMN phase_explanation text    NOT NULL DEFAULT '',
      ADD COLUMN body              text;  -- NULL unless kept
    ALTER TABLE account_phase
      ADD COLUMN sequence bigint NOT NULL DEFAULT 0;
    CREATE TABLE critical_events (
      source       text        NOT NULL,
      event_id     text        NOT NULL,
      ordinal      integer     NOT NULL,
      account_id   text        NOT NULL,
      type         text        NOT NULL,
      polarity     integer     NOT NULL,
      occurred_at  timestamptz NOT NULL,
      phase_id     text        NOT NULL,
      PRIMARY KEY (source, event_id, ordinal)
    );
    CREATE INDEX critical_events_by_account
      ON critical_events (account_id, occurred_at);
    CREATE INDEX critical_events_by_polarity
      ON critical_events (polarity, occurred_at);
    CREATE TABLE suggestions (
      source       text             NOT NULL,
      event_id     text             NOT NULL,
      rank         integer          NOT NULL,
      account_id   text             NOT NULL,
      practice_id  text             NOT NULL,
      organization integer          NOT NULL,
      engagement   integer          NOT NULL,
      effect       integer          NOT NULL,
      score        double precision NOT NULL,
      occurred_at  timestamptz      NOT NULL,
      phase_id     text             NOT NULL,
      PRIMARY KEY (source, event_id, rank)
    );
    CREATE INDEX suggestions_by_account ON suggestions (account_id, occurred_at);
    CREATE TABLE outcomes (
      outcome_id          text        PRIMARY KEY,
      account_id          text        NOT NULL,
      source              text        NOT NULL,
      event_id            text        NOT NULL,
      practice_id         text        NOT NULL,
      organization        integer     NOT NULL,
      engagement          integer     NOT NULL,
      reaction            integer     NOT NULL,
      phase_id            text        NOT NULL,
      critical_event_type text        NOT NULL,
      description         text        NOT NULL,
      occurred_at         timestamptz NOT NULL,
      recorded_at         timestamptz NOT NULL,
      recorded_by         text        NOT NULL
    );
    CREATE INDEX outcomes_by_account ON outcomes (account_id, occurred_at);
    CREATE TABLE writeback_jobs (
      job_id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      source             text        NOT NULL,
      event_id           text        NOT NULL,
      account_id         text        NOT NULL,
      kind               integer     NOT NULL,
      object_kind        integer     NOT NULL,
      object_id          text        NOT NULL,
      tags               text        NOT NULL,  -- newline-separated
      note_markdown      text        NOT NULL,
      note_marker        text        NOT NULL,
      phase_id           text        NOT NULL,
      phase_name         text        NOT NULL,
      field              text        NOT NULL,
      state              integer     NOT NULL,
      attempts           integer     NOT NULL DEFAULT 0,
      lease_token        text,
      lessee_id          text        NOT NULL DEFAULT '',
      lease_expires_at   timestamptz,
      not_before         timestamptz NOT NULL,
      created_at         timestamptz NOT NULL,
      last_crm_answer    text        NOT NULL DEFAULT '',
      dead_letter_reason text        NOT NULL DEFAULT '',
      dead_lettered_at   timestamptz
    );
    CREATE INDEX writeback_jobs_due ON writeback_jobs (state, not_before);
    CREATE INDEX writeback_jobs_by_account ON writeback_jobs (account_id);
    )sql",
};
static_assert(std::size(kMigrations) == PostgresJourneyStore::kSchemaVersion);

// Serialises migrations of one database across replicas that start
// together. Any constant works as long as nothing else in the database uses
// it: these are the bytes of "cse-jour".
constexpr const char* kMigrationLockSql =
    "SELECT pg_advisory_xact_lock(7166182677810214258)";

// Type OIDs from catalog/pg_type.h (stable across PostgreSQL releases; the
// server headers are not part of libpq-dev).
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kTimestamptzOid = 1184;
constexpr Oid kByteaArrayOid = 1001;
constexpr Oid kInt4ArrayOid = 1007;
constexpr Oid kTextArrayOid = 1009;
constexpr Oid kInt8ArrayOid = 1016;
constexpr Oid kFloat8ArrayOid = 1022;
constexpr Oid kTimestamptzArrayOid = 1185;

// PostgreSQL's timestamp epoch is 2000-01-01 UTC; binary timestamps are
// int64 microseconds from it, with the extremes meaning -/+infinity.
constexpr int64_t kPgEpochUnixMicros = 946684800LL * 1000000;

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

void IgnoreNotice(void*, const char*) {
  // "relation already exists, skipping" and the like: libpq would print
  // them on stderr, and the library stays quiet.
}

std::string BigEndian(uint64_t v, int bytes) {
  std::string out(bytes, '\0');
  for (int i = bytes - 1; i >= 0; --i, v >>= 8) {
    out[i] = static_cast<char>(v & 0xFF);
  }
  return out;
}

int32_t ReadInt4(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return static_cast<int32_t>(v);
}

int64_t ReadInt8(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return static_cast<int64_t>(v);
}

std::string EncodeTimestamptz(absl::Time t) {
  int64_t micros;
  if (t == absl::InfinitePast()) {
    micros = std::numeric_limits<int64_t>::min();
  } else if (t == absl::InfiniteFuture()) {
    micros = std::numeric_limits<int64_t>::max();
  } else {
    micros = absl::ToUnixMicros(t) - kPgEpochUnixMicros;
  }
  return BigEndian(static_cast<uint64_t>(micros), 8);
}

std::string EncodeFloat8(double v) {
  uint64_t bits;
  static_assert(sizeof(bits) == sizeof(v));
  std::memcpy(&bits, &v, sizeof(v));
  return BigEndian(bits, 8);
}

// A one-dimensional array parameter in PostgreSQL's binary array format
// (what array_recv reads): a header, then each element as its length and
// bytes. Batches travel as a few such arrays, so the statement text (and the
// number of parameters) is the same whatever the batch size.
class Array {
 public:
  explicit Array(Oid element_type) : element_type_(element_type) {}

  Array& Text(absl::string_view v) { return Element(v); }
  Array& Int4(int32_t v) {
    return Element(BigEndian(static_cast<uint32_t>(v), 4));
  }
  Array& Int8(int64_t v) {
    return Element(BigEndian(static_cast<uint64_t>(v), 8));
  }
  Array& Float8(double v) { return Element(EncodeFloat8(v)); }
  Array& Timestamptz(absl::Time t) { return Element(EncodeTimestamptz(t)); }
  Array& Null() {
    has_null_ = true;
    ++count_;
    absl::StrAppend(&elements_, BigEndian(0xFFFFFFFFu, 4));
    return *this;
  }

  std::string Encode() const {
    std::string out;
    const bool empty = count_ == 0;
    absl::StrAppend(&out, BigEndian(empty ? 0 : 1, 4),
                    BigEndian(has_null_ ? 1 : 0, 4),
                    BigEndian(element_type_, 4));
    if (!empty) {
      absl::StrAppend(&out, BigEndian(count_, 4), BigEndian(1, 4));
    }
    absl::StrAppend(&out, elements_);
    return out;
  }

 private:
  Array& Element(absl::string_view bytes) {
    ++count_;
    absl::StrAppend(&elements_, BigEndian(bytes.size(), 4), bytes);
    return *this;
  }

  Oid element_type_;
  uint32_t count_ = 0;
  bool has_null_ = false;
  std::string elements_;
};

// Query parameters, all sent in binary: text and bytea need no escaping or
// NUL terminator that way, and timestamps no formatting.
class Params {
 public:
  Params& Text(absl::string_view v) { return Add(kTextOid, v); }
  Params& Bytea(absl::string_view v) { return Add(kByteaOid, v); }
  Params& Int4(int32_t v) {
    return Add(kInt4Oid, Own(BigEndian(static_cast<uint32_t>(v), 4)));
  }
  Params& Int8(int64_t v) {
    return Add(kInt8Oid, Own(BigEndian(static_cast<uint64_t>(v), 8)));
  }
  Params& Timestamptz(absl::Time t) {
    return Add(kTimestamptzOid, Own(EncodeTimestamptz(t)));
  }
  // `array_type` is the array's own type OID (e.g. kTextArrayOid).
  Params& Arr(Oid array_type, const Array& a) {
    return Add(array_type, Own(a.Encode()));
  }

  int size() const { return static_cast<int>(values_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  absl::string_view Own(std::string s) {
    return owned_.emplace_back(std::move(s));  // deque: stable addresses
  }
  Params& Add(Oid type, absl::string_view v) {
    types_.push_back(type);
    values_.push_back(v.data());
    lengths_.push_back(static_cast<int>(v.size()));
    formats_.push_back(1);
    return *this;
  }

  std::deque<std::string> owned_;
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// One row of a binary result. Integers are read by their width, so a
// column may be int2, int4 or int8 (count(*) is int8) alike.
class Row {
 public:
  Row(const PGresult* res, int row) : res_(res), row_(row) {}

  bool IsNull(int c) const { return PQgetisnull(res_, row_, c) != 0; }
  std::string Text(int c) const {
    return std::string(PQgetvalue(res_, row_, c), PQgetlength(res_, row_, c));
  }
  int64_t Int(int c) const {
    const char* p = PQgetvalue(res_, row_, c);
    switch (PQgetlength(res_, row_, c)) {
      case 2:
        return static_cast<int16_t>((static_cast<unsigned char>(p[0]) << 8) |
                                    static_cast<unsigned char>(p[1]));
      case 4:
        return ReadInt4(p);
      case 8:
        return ReadInt8(p);
      default:
        return 0;  // NULL
    }
  }
  double Float8(int c) const {
    if (PQgetlength(res_, row_, c) != 8) return 0;
    const uint64_t bits =
        static_cast<uint64_t>(ReadInt8(PQgetvalue(res_, row_, c)));
    double v;
    std::memcpy(&v, &bits, sizeof(v));
    return v;
  }
  bool Bool(int c) const {
    return PQgetlength(res_, row_, c) == 1 && *PQgetvalue(res_, row_, c) != 0;
  }
  // InfinitePast for NULL (no such time) and -infinity.
  absl::Time Time(int c) const {
    if (IsNull(c) || PQgetlength(res_, row_, c) != 8) {
      return absl::InfinitePast();
    }
    const int64_t micros = ReadInt8(PQgetvalue(res_, row_, c));
    if (micros == std::numeric_limits<int64_t>::min()) {
      return absl::InfinitePast();
    }
    if (micros == std::numeric_limits<int64_t>::max()) {
      return absl::InfiniteFuture();
    }
    return absl::FromUnixMicros(micros + kPgEpochUnixMicros);
  }

 private:
  const PGresult* res_;
  int row_;
};

// Collects what a connection string reveals as a password, in every
// spelling libpq might echo back (raw and percent-decoded), so that error
// messages can be scrubbed even when libpq could not parse the string.
std::vector<std::string> PasswordsIn(absl::string_view url) {
  std::vector<std::string> found;
  auto add = [&found](absl::string_view s) {
    if (!s.empty()) found.emplace_back(s);
  };
  // URI form: scheme://user:password@host...
  if (size_t scheme = url.find("://"); scheme != absl::string_view::npos) {
    absl::string_view rest = url.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?"));
    if (size_t at = rest.rfind('@'); at != absl::string_view::npos) {
      absl::string_view userinfo = rest.substr(0, at);
      if (size_t colon = userinfo.find(':'); colon != absl::string_view::npos) {
        add(userinfo.substr(colon + 1));
      }
    }
  }
  // key=value form or ?password= in a URI.
  for (size_t pos = url.find("password="); pos != absl::string_view::npos;
       pos = url.find("password=", pos + 1)) {
    absl::string_view value = url.substr(pos + 9);
    value = absl::StripPrefix(value, "'");
    add(value.substr(0, value.find_first_of(" &'")));
  }
  // What libpq itself makes of it (decoded), when it can parse it.
  std::string owned(url);
  char* err = nullptr;
  if (PQconninfoOption* opts = PQconninfoParse(owned.c_str(), &err)) {
    for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
      if (o->val != nullptr && absl::string_view(o->keyword) == "password") {
        add(o->val);
      }
    }
    PQconninfoFree(opts);
  }
  PQfreemem(err);
  return found;
}

std::string Scrub(absl::string_view message,
                  const std::vector<std::string>& secrets) {
  std::string out(absl::StripTrailingAsciiWhitespace(message));
  for (const std::string& s : secrets) {
    absl::StrReplaceAll({{s, "*****"}}, &out);
  }
  absl::StrReplaceAll({{"\n", " "}, {"\t", ""}}, &out);
  return out;
}

// The status of a failed query. Lost connections, resource shortages,
// shutdowns and serialisation failures are worth retrying (UNAVAILABLE);
// bad data is INVALID_ARGUMENT; anything else is a bug or a broken
// database (INTERNAL).
absl::Status QueryError(PGconn* conn, const PGresult* res,
                        absl::string_view what,
                        const std::vector<std::string>& secrets) {
  const char* state =
      res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* raw = res != nullptr && *PQresultErrorMessage(res) != '\0'
                        ? PQresultErrorMessage(res)
                        : PQerrorMessage(conn);
  std::string msg = absl::StrCat("postgres: ", what, ": ", Scrub(raw, secrets));
  if (PQstatus(conn) != CONNECTION_OK || state == nullptr) {
    return absl::UnavailableError(msg);
  }
  const absl::string_view code(state);
  if (absl::StartsWith(code, "08") || absl::StartsWith(code, "40") ||
      absl::StartsWith(code, "53") || absl::StartsWith(code, "57")) {
    return absl::UnavailableError(msg);
  }
  if (absl::StartsWith(code, "22")) return absl::InvalidArgumentError(msg);
  return absl::InternalError(msg);
}

absl::StatusOr<Result> Exec(PGconn* conn, const char* sql, const Params& p,
                            absl::string_view what,
                            const std::vector<std::string>& secrets) {
  // PQexecParams rather than prepared statements: no per-connection state
  // to rebuild after a reconnect. The one exception is the ingest batch
  // (ExecPrepared), whose planning would cost more than its execution.
  // Results come back in binary.
  Result res(PQexecParams(conn, sql, p.size(), p.types(), p.values(),
                          p.lengths(), p.formats(), /*resultFormat=*/1),
             &PQclear);
  const ExecStatusType st =
      res != nullptr ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    return QueryError(conn, res.get(), what, secrets);
  }
  return res;
}

absl::StatusOr<Result> ExecPrepared(PGconn* conn, const char* name,
                                    const Params& p, absl::string_view what,
                                    const std::vector<std::string>& secrets) {
  Result res(PQexecPrepared(conn, name, p.size(), p.values(), p.lengths(),
                            p.formats(), /*resultFormat=*/1),
             &PQclear);
  const ExecStatusType st =
      res != nullptr ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    return QueryError(conn, res.get(), what, secrets);
  }
  return res;
}

// For parameterless SQL only (migrations, transaction control): PQexec
// takes several statements at once.
absl::Status ExecScript(PGconn* conn, const char* sql, absl::string_view what,
                        const std::vector<std::string>& secrets) {
  Result res(PQexec(conn, sql), &PQclear);
  const ExecStatusType st =
      res != nullptr ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    return QueryError(conn, res.get(), what, secrets);
  }
  return absl::OkStatus();
}

absl::StatusOr<PGconn*> Connect(absl::string_view url,
                                const std::vector<std::string>& secrets) {
  const std::string dsn(url);
  // Keywords before dbname are defaults the URL may override; those after
  // it are not: our strings are UTF-8 whatever the URL says.
  const char* keywords[] = {"connect_timeout", "fallback_application_name",
                            "dbname", "client_encoding", nullptr};
  const char* values[] = {"10", "cse-sidecar", dsn.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return absl::ResourceExhaustedError("postgres: out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = Scrub(PQerrorMessage(conn), secrets);
    PQfinish(conn);
    return absl::UnavailableError(
        absl::StrCat("postgres: cannot connect: ", msg));
  }
  PQsetNoticeProcessor(conn, &IgnoreNotice, nullptr);
  return conn;
}

absl::StatusOr<int> ReadSchemaVersion(PGconn* conn,
                                      const std::vector<std::string>& secrets) {
  absl::StatusOr<Result> res = Exec(
      conn, "SELECT coalesce(max(version), 0)::int4 FROM schema_migrations",
      Params(), "read schema version", secrets);
  if (!res.ok()) return res.status();
  if (PQntuples(res->get()) != 1 || PQgetlength(res->get(), 0, 0) != 4) {
    return absl::InternalError("postgres: unexpected schema version row");
  }
  return ReadInt4(PQgetvalue(res->get(), 0, 0));
}

// Brings the schema to kSchemaVersion in one transaction.
absl::Status Migrate(PGconn* conn, const std::vector<std::string>& secrets) {
  if (absl::Status s = ExecScript(conn, "BEGIN", "begin migration", secrets);
      !s.ok()) {
    return s;
  }
  auto rollback = [&](absl::Status s) {
    (void)ExecScript(conn, "ROLLBACK", "rollback migration", secrets);
    return s;
  };
  // The lock comes first so that a second replica waits here, then finds
  // the schema already current.
  if (absl::Status s =
          ExecScript(conn, kMigrationLockSql, "lock for migration", secrets);
      !s.ok()) {
    return rollback(s);
  }
  if (absl::Status s =
          ExecScript(conn,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " version integer PRIMARY KEY,"
                     " applied_at timestamptz NOT NULL DEFAULT now())",
                     "create schema_migrations", secrets);
      !s.ok()) {
    return rollback(s);
  }
  absl::StatusOr<int> version = ReadSchemaVersion(conn, secrets);
  if (!version.ok()) return rollback(version.status());
  if (*version > PostgresJourneyStore::kSchemaVersion) {
    return rollback(absl::FailedPreconditionError(absl::StrCat(
        "postgres: the database has schema version ", *version,
        " but this sidecar knows up to ", PostgresJourneyStore::kSchemaVersion,
        "; run a newer sidecar (the database was not changed)")));
  }
  for (int i = *version; i < PostgresJourneyStore::kSchemaVersion; ++i) {
    const std::string what =
        absl::StrCat("migrating to schema version ", i + 1);
    if (absl::Status s = ExecScript(conn, kMigrations[i], what, secrets);
        !s.ok()) {
      return rollback(s);
    }
    absl::StatusOr<Result> recorded =
        Exec(conn, "INSERT INTO schema_migrations (version) VALUES ($1)",
             Params().Int4(i + 1), what, secrets);
    if (!recorded.ok()) return rollback(recorded.status());
  }
  return ExecScript(conn, "COMMIT", "commit migration", secrets);
}

// Rolls back on scope exit unless committed. A connection given back inside
// a transaction would be reset by the next Acquire; this keeps it usable.
class Transaction {
 public:
  Transaction(PGconn* conn, const std::vector<std::string>& secrets)
      : conn_(conn), secrets_(secrets) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (open_) (void)ExecScript(conn_, "ROLLBACK", "rollback", secrets_);
  }
  absl::Status Begin(const char* sql = "BEGIN") {
    absl::Status s = ExecScript(conn_, sql, "begin", secrets_);
    open_ = s.ok();
    return s;
  }
  absl::Status Commit() {
    open_ = false;
    return ExecScript(conn_, "COMMIT", "commit", secrets_);
  }

 private:
  PGconn* conn_;
  const std::vector<std::string>& secrets_;
  bool open_ = false;
};

// The enum numbers the SQL below spells out.
static_assert(static_cast<int>(WritebackState::kPending) == 1);
static_assert(static_cast<int>(WritebackState::kLeased) == 2);
static_assert(static_cast<int>(WritebackState::kDeadLetter) == 4);
static_assert(static_cast<int>(Polarity::kNegative) == 1);
static_assert(static_cast<int>(CustomerReaction::kRestored) == 1);
static_assert(static_cast<int>(CustomerReaction::kBolstered) == 2);
static_assert(static_cast<int>(CustomerReaction::kNoChange) == 3);
static_assert(static_cast<int>(CustomerReaction::kWorsened) == 4);

// Every job query returns these columns, in the order WritebackJobFromRow
// reads them.
#define CSE_JOB_COLUMNS                                                    \
  "job_id, source, event_id, account_id, kind, object_kind, object_id, "   \
  "tags, note_markdown, note_marker, phase_id, phase_name, field, state, " \
  "attempts, lease_token, lessee_id, lease_expires_at, not_before, "       \
  "created_at, last_crm_answer, dead_letter_reason, dead_lettered_at"

#define CSE_OUTCOME_COLUMNS                                               \
  "outcome_id, account_id, source, event_id, practice_id, organization, " \
  "engagement, reaction, phase_id, critical_event_type, description, "    \
  "occurred_at, recorded_at, recorded_by"

// A negative critical event `ce` still open at $2 (as_of) with the window
// starting at $3; see account_journeys.h. The same predicate as SQLite's.
#define CSE_OPEN_NEGATIVE_SQL                                           \
  "(ce.polarity = 1 AND ce.occurred_at <= $2 AND ce.occurred_at >= $3 " \
  "AND NOT EXISTS (SELECT 1 FROM outcomes o "                           \
  "WHERE o.account_id = ce.account_id AND o.reaction IN (1, 2) "        \
  "AND o.occurred_at >= ce.occurred_at AND o.occurred_at <= $2 "        \
  "AND (o.critical_event_type = ce.type "                               \
  "OR (o.source = ce.source AND o.event_id = ce.event_id))))"

// Serialises EraseAccount with RecordOutcome for one account (the two-key
// advisory lock space is apart from the migration's one-key lock). Without
// it an outcome naming an event could be checked before an erase and
// committed after the erase's snapshot, and outlive the erasure.
constexpr int32_t kAccountLockClass = 0x63736561;  // "csea"

}  // namespace

// A connection taken from the pool for one call; given back when it goes.
class PostgresJourneyStore::Lease {
 public:
  Lease(PostgresJourneyStore* store, PGconn* conn)
      : store_(store), conn_(conn) {}
  Lease(Lease&& other) noexcept
      : store_(other.store_), conn_(std::exchange(other.conn_, nullptr)) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (conn_ != nullptr) store_->Release(conn_);
  }
  PGconn* get() const { return conn_; }

 private:
  PostgresJourneyStore* store_;
  PGconn* conn_;
};

// One RecordIngest call waiting for its batch.
struct PostgresJourneyStore::PendingIngest {
  const IngestRecord* record;
  absl::StatusOr<std::optional<std::string>> result;
  bool done = false;
};

absl::StatusOr<std::unique_ptr<PostgresJourneyStore>>
PostgresJourneyStore::Open(absl::string_view url, StoreOptions store_options,
                           Options options) {
  std::vector<std::string> secrets = PasswordsIn(url);
  {
    // Tell a malformed URL (fix the configuration) from an unreachable
    // server (retry) before connecting.
    const std::string dsn(url);
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(dsn.c_str(), &err);
    if (opts == nullptr) {
      std::string msg =
          err != nullptr ? Scrub(err, secrets) : std::string("out of memory");
      PQfreemem(err);
      return absl::InvalidArgumentError(
          absl::StrCat("postgres: invalid connection URL: ", msg));
    }
    PQconninfoFree(opts);
  }
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError("postgres: pool_size must be >= 1");
  }
  std::vector<PGconn*> connections;
  auto close_all = [&connections] {
    for (PGconn* c : connections) PQfinish(c);
  };
  for (int i = 0; i < options.pool_size; ++i) {
    absl::StatusOr<PGconn*> conn = Connect(url, secrets);
    if (!conn.ok()) {
      close_all();
      return conn.status();
    }
    connections.push_back(*conn);
    if (i == 0) {
      // Migrate before opening the rest: a refused schema costs one
      // connection, not a pool.
      if (absl::Status s = Migrate(*conn, secrets); !s.ok()) {
        close_all();
        return s;
      }
    }
  }
  return std::unique_ptr<PostgresJourneyStore>(new PostgresJourneyStore(
      std::move(connections), std::move(secrets), std::move(store_options)));
}

PostgresJourneyStore::PostgresJourneyStore(std::vector<PGconn*> connections,
                                           std::vector<std::string> secrets,
                                           StoreOptions store_options)
    : options_(std::move(store_options)),
      secrets_(std::move(secrets)),
      all_(std::move(connections)),
      idle_(all_),
      // Half the pool for ingest batches: two batches in flight keep the
      // server busy while the next one gathers, and queries and leases
      // still find a connection.
      max_flushing_(std::max<int>(1, static_cast<int>(all_.size()) / 2)) {}

PostgresJourneyStore::~PostgresJourneyStore() {
  for (PGconn* c : all_) PQfinish(c);
}

absl::StatusOr<PostgresJourneyStore::Lease> PostgresJourneyStore::Acquire() {
  PGconn* conn;
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](std::vector<PGconn*>* idle) { return !idle->empty(); }, &idle_));
    conn = idle_.back();
    idle_.pop_back();
  }
  Lease lease(this, conn);
  // A connection lost in an earlier call (server restart, failover, idle
  // timeout in between) is re-established here, once; if that fails the
  // caller gets UNAVAILABLE and the next call tries again.
  if (PQstatus(conn) != CONNECTION_OK ||
      PQtransactionStatus(conn) != PQTRANS_IDLE) {
    PQreset(conn);
    {
      // A new server session: its prepared statements are gone.
      absl::MutexLock lock(&mu_);
      ingest_prepared_.erase(conn);
    }
    if (PQstatus(conn) != CONNECTION_OK) {
      return absl::UnavailableError(
          absl::StrCat("postgres: cannot reconnect: ",
                       Scrub(PQerrorMessage(conn), secrets_)));
    }
  }
  return lease;
}

void PostgresJourneyStore::Release(PGconn* conn) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(conn);
}

// --- Ingest: group commit ---------------------------------------------------

namespace {

// Records a batch of events in one statement. $1..$12 are the events (one
// array element each, in batch order), $13..$16 their critical events,
// $17..$23 their suggestions and $24..$35 their writeback jobs, each child
// naming its event by 1-based position in the batch. Returns (position,
// stored assessment): NULL for an event recorded now, the stored one for a
// duplicate already committed. An event in neither conflicted with another
// transaction's insert that committed during this statement.
//
// Locks are taken in one order by every batch (events by key, then account
// phases by account), so concurrent batches, also of other replicas, wait
// for each other but cannot deadlock. The phase of each account moves once
// per batch, to the batch's latest event by (occurred_at, sequence, batch
// position): what applying the events one by one would leave.
constexpr const char* kIngestBatch = R"sql(
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
                       $5::timestamptz[], $6::bytea[], $7::timestamptz[],
                       $8::int8[], $9::int4[], $10::int4[], $11::text[],
                       $12::text[])
    WITH ORDINALITY AS t(source, event_id, account_id, phase_id,
                         occurred_at, assessment, recorded_at, sequence,
                         phase_number, phase_decided_by, phase_explanation,
                         body, idx)
), inserted AS (
  INSERT INTO events (source, event_id, account_id, phase_id, occurred_at,
                      assessment, recorded_at, sequence, phase_number,
                      phase_decided_by, phase_explanation, body)
  SELECT source, event_id, account_id, phase_id, occurred_at, assessment,
         recorded_at, sequence, phase_number, phase_decided_by,
         phase_explanation, body
  FROM input ORDER BY source, event_id
  ON CONFLICT (source, event_id) DO NOTHING
  RETURNING source, event_id
), fresh AS (
  SELECT i.* FROM input i JOIN inserted n
    ON n.source = i.source AND n.event_id = i.event_id
), phase AS (
  INSERT INTO account_phase AS p (account_id, phase_id, occurred_at, sequence)
  SELECT DISTINCT ON (account_id) account_id, phase_id, occurred_at, sequence
  FROM fresh WHERE account_id <> '' AND phase_id <> ''
  ORDER BY account_id, occurred_at DESC, sequence DESC, idx DESC
  ON CONFLICT (account_id) DO UPDATE
    SET phase_id = excluded.phase_id, occurred_at = excluded.occurred_at,
        sequence = excluded.sequence
    WHERE (excluded.occurred_at, excluded.sequence) >=
          (p.occurred_at, p.sequence)
), critical AS (
  INSERT INTO critical_events (source, event_id, ordinal, account_id, type,
                               polarity, occurred_at, phase_id)
  SELECT f.source, f.event_id, c.ordinal, f.account_id, c.type, c.polarity,
         f.occurred_at, f.phase_id
  FROM unnest($13::int4[], $14::int4[], $15::text[], $16::int4[])
    AS c(idx, ordinal, type, polarity)
  JOIN fresh f ON f.idx = c.idx
), suggested AS (
  INSERT INTO suggestions (source, event_id, rank, account_id, practice_id,
                           organization, engagement, effect, score,
                           occurred_at, phase_id)
  SELECT f.source, f.event_id, s.rank, f.account_id, s.practice_id,
         s.organization, s.engagement, s.effect, s.score, f.occurred_at,
         f.phase_id
  FROM unnest($17::int4[], $18::int4[], $19::text[], $20::int4[],
              $21::int4[], $22::int4[], $23::float8[])
    AS s(idx, rank, practice_id, organization, engagement, effect, score)
  JOIN fresh f ON f.idx = s.idx
), jobs AS (
  INSERT INTO writeback_jobs (source, event_id, account_id, kind,
                              object_kind, object_id, tags, note_markdown,
                              note_marker, phase_id, phase_name, field, state,
                              not_before, created_at)
  SELECT f.source, f.event_id, f.account_id, j.kind, j.object_kind,
         j.object_id, j.tags, j.note_markdown, j.note_marker, j.phase_id,
         j.phase_name, j.field, 1, f.recorded_at, f.recorded_at
  FROM unnest($24::int4[], $25::int4[], $26::int4[], $27::text[],
              $28::text[], $29::text[], $30::text[], $31::text[],
              $32::text[], $33::text[])
    WITH ORDINALITY AS j(idx, kind, object_kind, object_id, tags,
                         note_markdown, note_marker, phase_id, phase_name,
                         field, ord)
  JOIN fresh f ON f.idx = j.idx
  ORDER BY j.ord
)
SELECT idx, NULL::bytea FROM fresh
UNION ALL
SELECT i.idx, e.assessment FROM input i
  JOIN events e ON e.source = i.source AND e.event_id = i.event_id
  WHERE NOT EXISTS (SELECT 1 FROM inserted n
                    WHERE n.source = i.source AND n.event_id = i.event_id)
)sql";

constexpr const char* kIngestStatementName = "cse_ingest_batch";

constexpr const char* kFindAssessment =
    "SELECT assessment FROM events WHERE source = $1 AND event_id = $2";

}  // namespace

absl::StatusOr<std::optional<std::string>> PostgresJourneyStore::RecordIngest(
    const IngestRecord& record) {
  PendingIngest pending{&record, std::optional<std::string>()};
  struct Wake {
    PostgresJourneyStore* store;
    PendingIngest* pending;
    bool operator()() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(store->queue_mu_) {
      return pending->done || store->CanFlush();
    }
  } wake{this, &pending};
  absl::MutexLock lock(&queue_mu_);
  queue_.push_back(&pending);
  // Combining instead of a writer thread: a caller that finds a free slot
  // sends the queue's head (its own event or not) and comes back for its
  // own; everyone else waits for theirs to be done.
  for (;;) {
    queue_mu_.Await(absl::Condition(&wake));
    if (pending.done) return std::move(pending.result);
    std::vector<PendingIngest*> batch = TakeBatch();
    ++flushing_;
    queue_mu_.Unlock();
    RunBatch(batch);
    queue_mu_.Lock();
    --flushing_;
    for (PendingIngest* p : batch) p->done = true;
  }
}

std::vector<PostgresJourneyStore::PendingIngest*>
PostgresJourneyStore::TakeBatch() {
  std::vector<PendingIngest*> batch;
  std::vector<PendingIngest*> later;
  absl::flat_hash_set<std::pair<absl::string_view, absl::string_view>> keys;
  size_t i = 0;
  for (; i < queue_.size() && batch.size() < kMaxBatch; ++i) {
    const IngestRecord& r = *queue_[i]->record;
    // One statement cannot insert a key and report it as a duplicate too.
    if (keys.emplace(r.source, r.event_id).second) {
      batch.push_back(queue_[i]);
    } else {
      later.push_back(queue_[i]);
    }
  }
  later.insert(later.end(), queue_.begin() + i, queue_.end());
  queue_ = std::move(later);
  return batch;
}

void PostgresJourneyStore::RunBatch(const std::vector<PendingIngest*>& batch) {
  if (IngestBatch(batch).ok()) return;
  if (batch.size() == 1) {
    // IngestBatch left its error in the result.
    return;
  }
  // Something in the batch failed (or the connection did): nothing of it
  // was committed. Give every event its own statement, so only a bad one
  // fails its caller.
  for (PendingIngest* p : batch) (void)IngestBatch({p});
}

absl::Status PostgresJourneyStore::IngestBatch(
    const std::vector<PendingIngest*>& batch) {
  Array source(kTextOid), event_id(kTextOid), account_id(kTextOid),
      phase_id(kTextOid), occurred_at(kTimestamptzOid), assessment(kByteaOid),
      recorded_at(kTimestamptzOid), sequence(kInt8Oid), phase_number(kInt4Oid),
      decided_by(kInt4Oid), explanation(kTextOid), body(kTextOid);
  Array ce_idx(kInt4Oid), ce_ordinal(kInt4Oid), ce_type(kTextOid),
      ce_polarity(kInt4Oid);
  Array sg_idx(kInt4Oid), sg_rank(kInt4Oid), sg_practice(kTextOid),
      sg_org(kInt4Oid), sg_eng(kInt4Oid), sg_effect(kInt4Oid),
      sg_score(kFloat8Oid);
  Array job_idx(kInt4Oid), job_kind(kInt4Oid), job_object_kind(kInt4Oid),
      job_object_id(kTextOid), job_tags(kTextOid), job_note(kTextOid),
      job_marker(kTextOid), job_phase(kTextOid), job_phase_name(kTextOid),
      job_field(kTextOid);
  for (size_t i = 0; i < batch.size(); ++i) {
    const IngestRecord& r = *batch[i]->record;
    const int32_t idx = static_cast<int32_t>(i + 1);
    source.Text(r.source);
    event_id.Text(r.event_id);
    account_id.Text(r.account_id);
    phase_id.Text(r.phase_id);
    occurred_at.Timestamptz(r.occurred_at);
    assessment.Text(r.assessment);
    recorded_at.Timestamptz(options_.clock());
    sequence.Int8(ClampSequence(r.sequence));
    phase_number.Int4(r.phase_number);
    decided_by.Int4(static_cast<int32_t>(r.phase_decided_by));
    explanation.Text(r.phase_explanation);
    // Data minimisation: without an explicit retention setting the body
    // never reaches the server.
    if (options_.retention.keep_bodies) {
      body.Text(r.body);
    } else {
      body.Null();
    }
    for (size_t k = 0; k < r.critical_events.size(); ++k) {
      ce_idx.Int4(idx);
      ce_ordinal.Int4(static_cast<int32_t>(k));
      ce_type.Text(r.critical_events[k].type);
      ce_polarity.Int4(static_cast<int32_t>(r.critical_events[k].polarity));
    }
    for (size_t k = 0; k < r.suggestions.size(); ++k) {
      const SuggestionRecord& sg = r.suggestions[k];
      sg_idx.Int4(idx);
      sg_rank.Int4(static_cast<int32_t>(k + 1));
      sg_practice.Text(sg.practice_id);
      sg_org.Int4(static_cast<int32_t>(sg.organization));
      sg_eng.Int4(static_cast<int32_t>(sg.engagement));
      sg_effect.Int4(static_cast<int32_t>(sg.effect));
      sg_score.Float8(sg.score);
    }
    for (const WritebackSpec& w : r.writebacks) {
      job_idx.Int4(idx);
      job_kind.Int4(static_cast<int32_t>(w.kind));
      job_object_kind.Int4(static_cast<int32_t>(w.object_kind));
      job_object_id.Text(w.object_id);
      job_tags.Text(absl::StrJoin(w.tags, "\n"));
      job_note.Text(w.note_markdown);
      job_marker.Text(w.note_marker);
      job_phase.Text(w.phase_id);
      job_phase_name.Text(w.phase_name);
      job_field.Text(w.field);
    }
  }
  Params params;
  params.Arr(kTextArrayOid, source)
      .Arr(kTextArrayOid, event_id)
      .Arr(kTextArrayOid, account_id)
      .Arr(kTextArrayOid, phase_id)
      .Arr(kTimestamptzArrayOid, occurred_at)
      .Arr(kByteaArrayOid, assessment)
      .Arr(kTimestamptzArrayOid, recorded_at)
      .Arr(kInt8ArrayOid, sequence)
      .Arr(kInt4ArrayOid, phase_number)
      .Arr(kInt4ArrayOid, decided_by)
      .Arr(kTextArrayOid, explanation)
      .Arr(kTextArrayOid, body)
      .Arr(kInt4ArrayOid, ce_idx)
      .Arr(kInt4ArrayOid, ce_ordinal)
      .Arr(kTextArrayOid, ce_type)
      .Arr(kInt4ArrayOid, ce_polarity)
      .Arr(kInt4ArrayOid, sg_idx)
      .Arr(kInt4ArrayOid, sg_rank)
      .Arr(kTextArrayOid, sg_practice)
      .Arr(kInt4ArrayOid, sg_org)
      .Arr(kInt4ArrayOid, sg_eng)
      .Arr(kInt4ArrayOid, sg_effect)
      .Arr(kFloat8ArrayOid, sg_score)
      .Arr(kInt4ArrayOid, job_idx)
      .Arr(kInt4ArrayOid, job_kind)
      .Arr(kInt4ArrayOid, job_object_kind)
      .Arr(kTextArrayOid, job_object_id)
      .Arr(kTextArrayOid, job_tags)
      .Arr(kTextArrayOid, job_note)
      .Arr(kTextArrayOid, job_marker)
      .Arr(kTextArrayOid, job_phase)
      .Arr(kTextArrayOid, job_phase_name)
      .Arr(kTextArrayOid, job_field);

  auto fail_all = [&batch](const absl::Status& s) {
    for (PendingIngest* p : batch) p->result = s;
    return s;
  };
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return fail_all(conn.status());
  // One statement outside a transaction block is one transaction: the
  // whole batch commits, durably, before the answer comes back.
  // The ingest statement is prepared once per connection: planning its
  // seven parts costs more than running them for a small batch.
  bool prepared;
  {
    absl::MutexLock lock(&mu_);
    prepared = ingest_prepared_.contains(conn->get());
  }
  if (!prepared) {
    Result made(PQprepare(conn->get(), kIngestStatementName, kIngestBatch,
                          params.size(), params.types()),
                &PQclear);
    const char* state = made != nullptr
                            ? PQresultErrorField(made.get(), PG_DIAG_SQLSTATE)
                            : nullptr;
    // 42P05: the session still has it (we forget it after any failure);
    // the text never changes, so that one will do.
    const bool exists = state != nullptr && absl::string_view(state) == "42P05";
    if (!exists &&
        (made == nullptr || PQresultStatus(made.get()) != PGRES_COMMAND_OK)) {
      return fail_all(QueryError(conn->get(), made.get(),
                                 "prepare record events", secrets_));
    }
    absl::MutexLock lock(&mu_);
    ingest_prepared_.insert(conn->get());
  }
  absl::StatusOr<Result> res = ExecPrepared(conn->get(), kIngestStatementName,
                                            params, "record events", secrets_);
  if (!res.ok()) {
    // Prepare again next time: the failure may be that the session lost
    // the statement (a pooler's DISCARD ALL), and preparing is cheap.
    absl::MutexLock lock(&mu_);
    ingest_prepared_.erase(conn->get());
    return fail_all(res.status());
  }
  ingest_statements_.fetch_add(1, std::memory_order_relaxed);

  std::vector<bool> answered(batch.size(), false);
  for (int row = 0; row < PQntuples(res->get()); ++row) {
    const Row r(res->get(), row);
    const int64_t idx = r.Int(0);
    if (idx < 1 || idx > static_cast<int64_t>(batch.size())) continue;
    answered[idx - 1] = true;
    batch[idx - 1]->result = r.IsNull(1)
                                 ? std::optional<std::string>()
                                 : std::optional<std::string>(r.Text(1));
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (answered[i]) continue;
    // Another transaction inserted the same key while this statement ran;
    // a new statement's snapshot sees its (now committed) row.
    const IngestRecord& r = *batch[i]->record;
    absl::StatusOr<Result> stored = Exec(
        conn->get(), kFindAssessment, Params().Text(r.source).Text(r.event_id),
        "read duplicate event", secrets_);
    if (!stored.ok()) {
      batch[i]->result = stored.status();
    } else if (PQntuples(stored->get()) != 1) {
      batch[i]->result = absl::InternalError(
          absl::StrCat("postgres: event (", r.source, ", ", r.event_id,
                       ") conflicted on insert but is not stored"));
    } else {
      batch[i]->result =
          std::optional<std::string>(Row(stored->get(), 0).Text(0));
    }
  }
  // The batch itself committed; a failed duplicate read is its caller's.
  return absl::OkStatus();
}

int64_t PostgresJourneyStore::IngestStatements() {
  return ingest_statements_.load(std::memory_order_relaxed);
}

absl::StatusOr<std::optional<std::string>> PostgresJourneyStore::FindAssessment(
    absl::string_view source, absl::string_view event_id) {
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> res =
      Exec(conn->get(), kFindAssessment, Params().Text(source).Text(event_id),
           "find event", secrets_);
  if (!res.ok()) return res.status();
  if (PQntuples(res->get()) == 0) return std::optional<std::string>();
  return std::optional<std::string>(Row(res->get(), 0).Text(0));
}

absl::StatusOr<std::string> PostgresJourneyStore::LastKnownPhase(
    absl::string_view account_id) {
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> res = Exec(
      conn->get(), "SELECT phase_id FROM account_phase WHERE account_id = $1",
      Params().Text(account_id), "find account phase", secrets_);
  if (!res.ok()) return res.status();
  if (PQntuples(res->get()) == 0) return std::string();
  return Row(res->get(), 0).Text(0);
}

absl::StatusOr<int> PostgresJourneyStore::SchemaVersion() {
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  return ReadSchemaVersion(conn->get(), secrets_);
}

// --- Journey queries ---------------------------------------------------------

namespace {

// Text is ordered COLLATE "C" (bytewise), as SQLite orders it, whatever
// the database's locale.
constexpr const char* kJourneyEvents =
    "SELECT source, event_id, occurred_at, sequence, phase_id, phase_number, "
    "phase_decided_by, phase_explanation, coalesce(body, '') FROM events "
    "WHERE account_id = $1 ORDER BY occurred_at, sequence, recorded_at, "
    "source COLLATE \"C\", event_id COLLATE \"C\"";
constexpr const char* kFindPhase =
    "SELECT phase_id FROM account_phase WHERE account_id = $1";
constexpr const char* kJourneyCriticalEvents =
    "SELECT ce.type, ce.polarity, ce.source, ce.event_id, ce.occurred_at, "
    "ce.phase_id, " CSE_OPEN_NEGATIVE_SQL
    " FROM critical_events ce WHERE ce.account_id = $1 ORDER BY "
    "ce.occurred_at DESC, ce.source COLLATE \"C\" DESC, "
    "ce.event_id COLLATE \"C\" DESC, ce.ordinal DESC LIMIT $4";
constexpr const char* kJourneyOpenCount =
    "SELECT count(*) FROM critical_events ce WHERE ce.account_id = $1 "
    "AND " CSE_OPEN_NEGATIVE_SQL;
constexpr const char* kJourneySuggestions =
    "SELECT source, event_id, occurred_at, phase_id, rank, practice_id, "
    "organization, engagement, effect, score FROM suggestions "
    "WHERE account_id = $1 ORDER BY occurred_at DESC, source COLLATE \"C\" "
    "DESC, event_id COLLATE \"C\" DESC, rank DESC LIMIT $2";
constexpr const char* kJourneyOutcomes =
    "SELECT " CSE_OUTCOME_COLUMNS
    " FROM outcomes WHERE account_id = $1 ORDER BY occurred_at DESC, "
    "recorded_at DESC, outcome_id COLLATE \"C\" DESC LIMIT $2";
constexpr const char* kAtRisk =
    "SELECT ce.account_id, count(*), min(ce.occurred_at), "
    "max(ce.occurred_at), string_agg(ce.type, E'\\n'), "
    "coalesce(max(p.phase_id), '') FROM critical_events ce "
    "LEFT JOIN account_phase p ON p.account_id = ce.account_id "
    "WHERE " CSE_OPEN_NEGATIVE_SQL
    " GROUP BY ce.account_id ORDER BY count(*) DESC, max(ce.occurred_at) "
    "DESC, ce.account_id COLLATE \"C\" LIMIT $4 OFFSET $5";
// One statement, so one snapshot: an ingest racing the erasure is erased
// whole or kept whole (as a later event), never half.
constexpr const char* kErase = R"sql(
WITH e AS (DELETE FROM events WHERE account_id = $1 RETURNING 1),
     o AS (DELETE FROM outcomes WHERE account_id = $1 RETURNING 1),
     j AS (DELETE FROM writeback_jobs WHERE account_id = $1 RETURNING 1),
     c AS (DELETE FROM critical_events WHERE account_id = $1),
     s AS (DELETE FROM suggestions WHERE account_id = $1),
     p AS (DELETE FROM account_phase WHERE account_id = $1)
SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM o),
       (SELECT count(*) FROM j)
)sql";
constexpr const char* kLockAccount =
    "SELECT pg_advisory_xact_lock($1, hashtext($2))";
constexpr const char* kLockAccountShared =
    "SELECT pg_advisory_xact_lock_shared($1, hashtext($2))";
constexpr const char* kCircumplexApplied =
    "SELECT phase_id, organization, engagement, practice_id, count(*) "
    "FROM outcomes WHERE ($1 = '' OR account_id = $1) AND occurred_at >= $2 "
    "AND occurred_at < $3 GROUP BY 1, 2, 3, 4 ORDER BY phase_id COLLATE \"C\", "
    "organization, "
    "engagement, "
    "practice_id COLLATE \"C\"";
constexpr const char* kCircumplexSuggested =
    "SELECT phase_id, organization, engagement, practice_id, count(*) "
    "FROM suggestions WHERE ($1 = '' OR account_id = $1) AND occurred_at >= "
    "$2 AND occurred_at < $3 GROUP BY 1, 2, 3, 4 ORDER BY phase_id COLLATE "
    "\"C\", organization, "
    "engagement, "
    "practice_id COLLATE \"C\"";

}  // namespace

absl::StatusOr<AccountJourney> PostgresJourneyStore::GetAccountJourney(
    const JourneyQuery& query) {
  const absl::Time as_of = query.as_of.value_or(options_.clock());
  const int limit = std::max(query.max_items, 0);
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  // One snapshot for every list, as SQLite's read transaction gives.
  Transaction tx(conn->get(), secrets_);
  if (absl::Status s =
          tx.Begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      !s.ok()) {
    return s;
  }
  auto run = [&](const char* sql, const Params& p, absl::string_view what) {
    return Exec(conn->get(), sql, p, what, secrets_);
  };

  AccountJourney j;
  j.account_id = query.account_id;
  std::vector<PhasePoint> points;
  {
    absl::StatusOr<Result> res = run(
        kJourneyEvents, Params().Text(query.account_id), "read journey events");
    if (!res.ok()) return res.status();
    for (int i = 0; i < PQntuples(res->get()); ++i) {
      const Row r(res->get(), i);
      JourneyEvent e{r.Text(0), r.Text(1), r.Time(2),
                     r.Int(3),  r.Text(4), r.Text(8)};
      points.push_back({e.phase_id, static_cast<int>(r.Int(5)),
                        static_cast<PhaseDecidedBy>(r.Int(6)), r.Text(7),
                        e.source, e.event_id, e.occurred_at});
      j.events.push_back(std::move(e));
    }
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
    absl::StatusOr<Result> res =
        run(kFindPhase, Params().Text(query.account_id), "find account phase");
    if (!res.ok()) return res.status();
    if (PQntuples(res->get()) == 1) {
      j.current_phase_id = Row(res->get(), 0).Text(0);
    }
  }
  {
    absl::StatusOr<Result> res = run(kJourneyCriticalEvents,
                                     Params()
                                         .Text(query.account_id)
                                         .Timestamptz(as_of)
                                         .Timestamptz(as_of - query.open_window)
                                         .Int8(limit),
                                     "read critical events");
    if (!res.ok()) return res.status();
    for (int i = 0; i < PQntuples(res->get()); ++i) {
      const Row r(res->get(), i);
      j.critical_events.push_back({r.Text(0), static_cast<Polarity>(r.Int(1)),
                                   r.Text(2), r.Text(3), r.Time(4), r.Text(5),
                                   r.Bool(6)});
    }
    std::reverse(j.critical_events.begin(), j.critical_events.end());
  }
  {
    absl::StatusOr<Result> res =
        run(kJourneyOpenCount,
            Params()
                .Text(query.account_id)
                .Timestamptz(as_of)
                .Timestamptz(as_of - query.open_window),
            "count open events");
    if (!res.ok()) return res.status();
    j.open_negative_event_count = static_cast<int>(Row(res->get(), 0).Int(0));
  }
  {
    absl::StatusOr<Result> res =
        run(kJourneySuggestions, Params().Text(query.account_id).Int8(limit),
            "read suggestions");
    if (!res.ok()) return res.status();
    for (int i = 0; i < PQntuples(res->get()); ++i) {
      const Row r(res->get(), i);
      j.suggestions.push_back({r.Text(0),
                               r.Text(1),
                               r.Time(2),
                               r.Text(3),
                               static_cast<int>(r.Int(4)),
                               {r.Text(5), static_cast<Organization>(r.Int(6)),
                                static_cast<Engagement>(r.Int(7)),
                                static_cast<Effect>(r.Int(8)), r.Float8(9)}});
    }
    std::reverse(j.suggestions.begin(), j.suggestions.end());
  }
  {
    absl::StatusOr<Result> res =
        run(kJourneyOutcomes, Params().Text(query.account_id).Int8(limit),
            "read outcomes");
    if (!res.ok()) return res.status();
    for (int i = 0; i < PQntuples(res->get()); ++i) {
      j.outcomes.push_back(OutcomeFromRow(Row(res->get(), i)));
    }
    std::reverse(j.outcomes.begin(), j.outcomes.end());
  }
  if (absl::Status s = tx.Commit(); !s.ok()) return s;
  return j;
}

absl::StatusOr<std::vector<AccountRisk>>
PostgresJourneyStore::ListAccountsAtRisk(const AtRiskQuery& query) {
  const absl::Time as_of = query.as_of.value_or(options_.clock());
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  // $1 is unused: the open-event predicate numbers its parameters from $2.
  absl::StatusOr<Result> res = Exec(conn->get(), kAtRisk,
                                    Params()
                                        .Text("")
                                        .Timestamptz(as_of)
                                        .Timestamptz(as_of - query.open_window)
                                        .Int8(std::max(query.limit, 0))
                                        .Int8(std::max(query.offset, 0)),
                                    "list accounts at risk", secrets_);
  if (!res.ok()) return res.status();
  std::vector<AccountRisk> out;
  for (int i = 0; i < PQntuples(res->get()); ++i) {
    const Row r(res->get(), i);
    AccountRisk risk;
    risk.account_id = r.Text(0);
    risk.open_negative_event_count = static_cast<int>(r.Int(1));
    risk.oldest_open_at = r.Time(2);
    risk.latest_open_at = r.Time(3);
    risk.open_event_types = ByFrequency(absl::StrSplit(r.Text(4), '\n'));
    risk.current_phase_id = r.Text(5);
    out.push_back(std::move(risk));
  }
  return out;
}

absl::StatusOr<ErasedCounts> PostgresJourneyStore::EraseAccount(
    absl::string_view account_id) {
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  Transaction tx(conn->get(), secrets_);
  if (absl::Status s = tx.Begin(); !s.ok()) return s;
  // Taken before the delete's snapshot, so an outcome recorded under the
  // shared lock is either visible to it or checks the events after them.
  absl::StatusOr<Result> locked =
      Exec(conn->get(), kLockAccount,
           Params().Int4(kAccountLockClass).Text(account_id), "lock account",
           secrets_);
  if (!locked.ok()) return locked.status();
  absl::StatusOr<Result> res =
      Exec(conn->get(), kErase, Params().Text(account_id), "erase account",
           secrets_);
  if (!res.ok()) return res.status();
  const Row r(res->get(), 0);
  ErasedCounts counts{static_cast<int>(r.Int(0)), static_cast<int>(r.Int(1)),
                      static_cast<int>(r.Int(2))};
  if (absl::Status s = tx.Commit(); !s.ok()) return s;
  return counts;
}

absl::StatusOr<std::vector<CircumplexCount>>
PostgresJourneyStore::CircumplexCounts(absl::string_view account_id,
                                       CircumplexBasis basis,
                                       const TimeWindow& window) {
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> res =
      Exec(conn->get(),
           basis == CircumplexBasis::kApplied ? kCircumplexApplied
                                              : kCircumplexSuggested,
           Params()
               .Text(account_id)
               .Timestamptz(window.since)
               .Timestamptz(window.until),
           "circumplex counts", secrets_);
  if (!res.ok()) return res.status();
  std::vector<CircumplexCount> out;
  for (int i = 0; i < PQntuples(res->get()); ++i) {
    const Row r(res->get(), i);
    out.push_back({r.Text(0), static_cast<Organization>(r.Int(1)),
                   static_cast<Engagement>(r.Int(2)), r.Text(3),
                   static_cast<int>(r.Int(4))});
  }
  return out;
}

// --- Writeback outbox --------------------------------------------------------

namespace {

// One statement: dead-letter the expired leases with no attempts left, then
// lease the due jobs, oldest due first. FOR UPDATE SKIP LOCKED makes
// concurrent lessees (of any replica) pass over the rows another is leasing
// right now instead of waiting for them or taking them too; a row that
// another committed a lease for in the meantime fails the re-checked WHERE
// and is dropped. The due list excludes what the first part dead-letters
// (the same snapshot would still show it leased). Each job's token is the
// call's random token and the job's position.
constexpr const char* kLease = R"sql(
WITH exhausted AS (
  UPDATE writeback_jobs
  SET state = 4, lease_token = NULL, lease_expires_at = NULL,
      dead_lettered_at = $1,
      dead_letter_reason = 'lease expired; ' || attempts ||
                           ' attempts exhausted'
  WHERE job_id IN (
    SELECT job_id FROM writeback_jobs
    WHERE state = 2 AND lease_expires_at <= $1 AND attempts >= $2
      AND ($3 = '' OR source = $3)
    FOR UPDATE SKIP LOCKED)
), due AS (
  SELECT job_id, not_before FROM writeback_jobs
  WHERE ((state = 1 AND not_before <= $1)
         OR (state = 2 AND lease_expires_at <= $1 AND attempts < $2))
    AND ($3 = '' OR source = $3)
  ORDER BY not_before, job_id
  LIMIT $4
  FOR UPDATE SKIP LOCKED
), numbered AS (
  SELECT job_id, row_number() OVER (ORDER BY not_before, job_id) AS n
  FROM due
), leased AS (
  UPDATE writeback_jobs w
  SET state = 2, lease_token = $5 || '-' || numbered.n, lessee_id = $6,
      lease_expires_at = $7, attempts = w.attempts + 1
  FROM numbered WHERE w.job_id = numbered.job_id
  RETURNING w.job_id, w.source, w.event_id, w.account_id, w.kind,
            w.object_kind, w.object_id, w.tags, w.note_markdown,
            w.note_marker, w.phase_id, w.phase_name, w.field, w.state,
            w.attempts, w.lease_token, w.lessee_id, w.lease_expires_at,
            w.not_before, w.created_at, w.last_crm_answer,
            w.dead_letter_reason, w.dead_lettered_at
)
SELECT * FROM leased ORDER BY not_before, job_id
)sql";
constexpr const char* kJobLease =
    "SELECT state, coalesce(lease_token, ''), attempts FROM writeback_jobs "
    "WHERE job_id = $1";
// Applies the transition only while the job is still leased under the
// token that was checked: a lease taken in between changes the token.
constexpr const char* kAckJob =
    "UPDATE writeback_jobs SET state = $2, last_crm_answer = $3, "
    "lease_token = NULL, lease_expires_at = NULL, "
    "not_before = CASE WHEN $2 = 1 THEN $4 ELSE not_before END, "
    "dead_letter_reason = CASE WHEN $2 = 4 THEN $5 ELSE dead_letter_reason "
    "END, dead_lettered_at = CASE WHEN $2 = 4 THEN $6 ELSE dead_lettered_at "
    "END WHERE job_id = $1 AND state = 2 AND lease_token = $7 "
    "RETURNING " CSE_JOB_COLUMNS;
constexpr const char* kDeadLetters =
    "SELECT job_id, source, event_id, account_id, kind, object_kind, "
    "object_id, tags, note_markdown, note_marker, phase_id, phase_name, "
    "field, state, attempts, NULL::text, lessee_id, lease_expires_at, "
    "not_before, created_at, last_crm_answer, dead_letter_reason, "
    "dead_lettered_at FROM writeback_jobs WHERE state = 4 AND ($1 = '' OR "
    "source = $1) AND ($2 = '' OR account_id = $2) AND ($4 = 0 OR "
    "(dead_lettered_at, job_id) < ($5, $6)) "
    "ORDER BY dead_lettered_at DESC, job_id DESC LIMIT $3";
constexpr const char* kRetryDeadLetter =
    "UPDATE writeback_jobs SET state = 1, attempts = 0, not_before = $2, "
    "dead_letter_reason = '', dead_lettered_at = NULL "
    "WHERE job_id = $1 AND state = 4 RETURNING " CSE_JOB_COLUMNS;
constexpr const char* kJobExists =
    "SELECT 1 FROM writeback_jobs WHERE job_id = $1";

absl::Status JobNotFound(int64_t job_id) {
  return absl::NotFoundError(
      absl::StrCat("writeback job ", job_id, " not found"));
}

}  // namespace

absl::StatusOr<std::vector<WritebackJob>> PostgresJourneyStore::LeaseWritebacks(
    const LeaseRequest& request) {
  if (absl::Status s = CheckLeaseRequest(request); !s.ok()) return s;
  const absl::Time now = options_.clock();
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> res =
      Exec(conn->get(), kLease,
           Params()
               .Timestamptz(now)
               .Int4(options_.outbox.max_attempts)
               .Text(request.target_system)
               .Int8(request.max_jobs)
               .Text(NewLeaseToken())
               .Text(request.lessee_id)
               .Timestamptz(now + request.lease_duration),
           "lease jobs", secrets_);
  if (!res.ok()) return res.status();
  std::vector<WritebackJob> leased;
  leased.reserve(PQntuples(res->get()));
  for (int i = 0; i < PQntuples(res->get()); ++i) {
    leased.push_back(WritebackJobFromRow(Row(res->get(), i)));
  }
  return leased;
}

absl::StatusOr<WritebackJob> PostgresJourneyStore::AckWriteback(
    const AckRequest& request) {
  const absl::Time now = options_.clock();
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> lease =
      Exec(conn->get(), kJobLease, Params().Int8(request.job_id), "read job",
           secrets_);
  if (!lease.ok()) return lease.status();
  if (PQntuples(lease->get()) == 0) return JobNotFound(request.job_id);
  const Row held(lease->get(), 0);
  if (static_cast<WritebackState>(held.Int(0)) != WritebackState::kLeased ||
      request.lease_token.empty() || held.Text(1) != request.lease_token) {
    return StaleLeaseError(request.job_id);
  }
  const AckTransition t =
      TransitionForAck(options_.outbox, static_cast<int>(held.Int(2)), request,
                       now, DrawJitter(options_));
  absl::StatusOr<Result> acked = Exec(conn->get(), kAckJob,
                                      Params()
                                          .Int8(request.job_id)
                                          .Int4(static_cast<int>(t.state))
                                          .Text(request.crm_answer)
                                          .Timestamptz(t.not_before)
                                          .Text(t.dead_letter_reason)
                                          .Timestamptz(now)
                                          .Text(request.lease_token),
                                      "ack job", secrets_);
  if (!acked.ok()) return acked.status();
  if (PQntuples(acked->get()) == 1)
    return WritebackJobFromRow(Row(acked->get(), 0));
  // Leased again (or dead-lettered by expiry) or erased since the read.
  absl::StatusOr<Result> exists =
      Exec(conn->get(), kJobExists, Params().Int8(request.job_id), "read job",
           secrets_);
  if (!exists.ok()) return exists.status();
  if (PQntuples(exists->get()) == 0) return JobNotFound(request.job_id);
  return StaleLeaseError(request.job_id);
}

absl::StatusOr<std::vector<WritebackJob>> PostgresJourneyStore::ListDeadLetters(
    const DeadLetterQuery& query) {
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> res =
      Exec(conn->get(), kDeadLetters,
           Params()
               .Text(query.target_system)
               .Text(query.account_id)
               .Int8(std::max(query.limit, 0))
               .Int4(query.after ? 1 : 0)
               .Timestamptz(absl::FromUnixMicros(
                   query.after ? query.after->dead_lettered_at_micros : 0))
               .Int8(query.after ? query.after->job_id : 0),
           "list dead letters", secrets_);
  if (!res.ok()) return res.status();
  std::vector<WritebackJob> out;
  for (int i = 0; i < PQntuples(res->get()); ++i) {
    out.push_back(WritebackJobFromRow(Row(res->get(), i)));
  }
  return out;
}

absl::StatusOr<WritebackJob> PostgresJourneyStore::RetryDeadLetter(
    int64_t job_id) {
  const absl::Time now = options_.clock();
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> res =
      Exec(conn->get(), kRetryDeadLetter,
           Params().Int8(job_id).Timestamptz(now), "retry job", secrets_);
  if (!res.ok()) return res.status();
  if (PQntuples(res->get()) == 1)
    return WritebackJobFromRow(Row(res->get(), 0));
  absl::StatusOr<Result> exists = Exec(
      conn->get(), kJobExists, Params().Int8(job_id), "read job", secrets_);
  if (!exists.ok()) return exists.status();
  if (PQntuples(exists->get()) == 0) return JobNotFound(job_id);
  return absl::FailedPreconditionError(
      absl::StrCat("writeback job ", job_id, " is not a dead letter"));
}

// --- Outcomes ----------------------------------------------------------------

namespace {

constexpr const char* kFindOutcome =
    "SELECT " CSE_OUTCOME_COLUMNS " FROM outcomes WHERE outcome_id = $1";
// FOR KEY SHARE: an erasure waits for this outcome (it also holds the
// account lock, so this is belt and braces for a direct DELETE).
constexpr const char* kOutcomeEvent =
    "SELECT account_id, phase_id FROM events WHERE source = $1 AND "
    "event_id = $2 FOR KEY SHARE";
constexpr const char* kOutcomeEventCriticalEvents =
    "SELECT type, polarity FROM critical_events WHERE source = $1 AND "
    "event_id = $2 ORDER BY ordinal";
// The account's latest event (its own order) that suggested a practice at
// or before a time.
constexpr const char* kLatestSuggestion =
    "SELECT s.source, s.event_id FROM suggestions s JOIN events e ON "
    "e.source = s.source AND e.event_id = s.event_id WHERE s.account_id = $1 "
    "AND s.practice_id = $2 AND s.occurred_at <= $3 "
    "ORDER BY s.occurred_at DESC, e.sequence DESC LIMIT 1";
constexpr const char* kOutcomeEventSuggestion =
    "SELECT organization, engagement FROM suggestions WHERE source = $1 AND "
    "event_id = $2 AND practice_id = $3 ORDER BY rank LIMIT 1";
// Of two replicas storing the same outcome_id, one inserts; the other
// reads the winner's row afterwards.
constexpr const char* kInsertOutcome =
    "INSERT INTO outcomes (" CSE_OUTCOME_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
    "ON CONFLICT (outcome_id) DO NOTHING RETURNING outcome_id";
constexpr const char* kOutcomeTallies =
    "SELECT phase_id, critical_event_type, practice_id, "
    "count(*) FILTER (WHERE reaction = 1), "
    "count(*) FILTER (WHERE reaction = 2), "
    "count(*) FILTER (WHERE reaction = 3), "
    "count(*) FILTER (WHERE reaction = 4) FROM outcomes GROUP BY 1, 2, 3 "
    "ORDER BY phase_id COLLATE \"C\", "
    "critical_event_type COLLATE \"C\", practice_id COLLATE \"C\"";

}  // namespace

absl::StatusOr<RecordedOutcome> PostgresJourneyStore::RecordOutcome(
    const OutcomeRecord& outcome) {
  if (absl::Status s = CheckOutcome(outcome); !s.ok()) return s;
  const absl::Time now = options_.clock();
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  auto run = [&](const char* sql, const Params& p, absl::string_view what) {
    return Exec(conn->get(), sql, p, what, secrets_);
  };
  auto find = [&](absl::string_view id)
      -> absl::StatusOr<std::optional<OutcomeRecord>> {
    absl::StatusOr<Result> res =
        run(kFindOutcome, Params().Text(id), "find outcome");
    if (!res.ok()) return res.status();
    if (PQntuples(res->get()) == 0) return std::optional<OutcomeRecord>();
    return std::optional<OutcomeRecord>(OutcomeFromRow(Row(res->get(), 0)));
  };
  Transaction tx(conn->get(), secrets_);
  if (absl::Status s = tx.Begin(); !s.ok()) return s;
  if (absl::StatusOr<Result> locked =
          run(kLockAccountShared,
              Params().Int4(kAccountLockClass).Text(outcome.account_id),
              "lock account");
      !locked.ok()) {
    return locked.status();
  }
  if (!outcome.outcome_id.empty()) {
    absl::StatusOr<std::optional<OutcomeRecord>> stored =
        find(outcome.outcome_id);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) return RecordedOutcome{**std::move(stored), true};
  }
  OutcomeRecord o = outcome;
  if (o.outcome_id.empty()) o.outcome_id = NewOutcomeId();
  o.recorded_at = now;
  if (o.occurred_at == absl::InfinitePast()) o.occurred_at = now;
  if (o.source.empty() && o.follow_latest_suggestion) {
    absl::StatusOr<Result> latest = run(kLatestSuggestion,
                                        Params()
                                            .Text(o.account_id)
                                            .Text(o.practice_id)
                                            .Timestamptz(o.occurred_at),
                                        "find latest suggestion");
    if (!latest.ok()) return latest.status();
    if (PQntuples(latest->get()) == 1) {
      const Row r(latest->get(), 0);
      o.source = r.Text(0);
      o.event_id = r.Text(1);
    }
  }
  std::optional<SuggestedMode> suggested;
  if (!o.source.empty()) {
    absl::StatusOr<Result> event =
        run(kOutcomeEvent, Params().Text(o.source).Text(o.event_id),
            "find outcome event");
    if (!event.ok()) return event.status();
    if (PQntuples(event->get()) == 0) {
      return absl::NotFoundError(absl::StrCat("event (", o.source, ", ",
                                              o.event_id, ") is not recorded"));
    }
    const Row e(event->get(), 0);
    if (e.Text(0) != o.account_id) {
      return absl::InvalidArgumentError(
          absl::StrCat("event_id: event (", o.source, ", ", o.event_id,
                       ") belongs to another account"));
    }
    if (o.phase_id.empty()) o.phase_id = e.Text(1);
    if (o.critical_event_type.empty()) {
      absl::StatusOr<Result> ces =
          run(kOutcomeEventCriticalEvents,
              Params().Text(o.source).Text(o.event_id), "read critical events");
      if (!ces.ok()) return ces.status();
      std::vector<CriticalEventRecord> events;
      for (int i = 0; i < PQntuples(ces->get()); ++i) {
        const Row r(ces->get(), i);
        events.push_back({r.Text(0), static_cast<Polarity>(r.Int(1))});
      }
      o.critical_event_type = DefaultCriticalEventType(events);
    }
    absl::StatusOr<Result> mode =
        run(kOutcomeEventSuggestion,
            Params().Text(o.source).Text(o.event_id).Text(o.practice_id),
            "read the followed suggestion");
    if (!mode.ok()) return mode.status();
    if (PQntuples(mode->get()) == 1) {
      const Row r(mode->get(), 0);
      suggested = SuggestedMode{static_cast<Organization>(r.Int(0)),
                                static_cast<Engagement>(r.Int(1))};
    }
  } else if (o.phase_id.empty()) {
    absl::StatusOr<Result> phase =
        run(kFindPhase, Params().Text(o.account_id), "find account phase");
    if (!phase.ok()) return phase.status();
    if (PQntuples(phase->get()) == 1) o.phase_id = Row(phase->get(), 0).Text(0);
  }
  if (absl::Status s = FillSuggestedMode(suggested, &o); !s.ok()) return s;
  absl::StatusOr<Result> inserted =
      run(kInsertOutcome,
          Params()
              .Text(o.outcome_id)
              .Text(o.account_id)
              .Text(o.source)
              .Text(o.event_id)
              .Text(o.practice_id)
              .Int4(static_cast<int>(o.organization))
              .Int4(static_cast<int>(o.engagement))
              .Int4(static_cast<int>(o.reaction))
              .Text(o.phase_id)
              .Text(o.critical_event_type)
              .Text(o.description)
              .Timestamptz(o.occurred_at)
              .Timestamptz(o.recorded_at)
              .Text(o.recorded_by),
          "insert outcome");
  if (!inserted.ok()) return inserted.status();
  if (PQntuples(inserted->get()) == 0) {
    // Another replica stored this outcome_id since the check above; this
    // new statement sees its committed row.
    absl::StatusOr<std::optional<OutcomeRecord>> stored = find(o.outcome_id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) {
      return absl::UnavailableError(absl::StrCat(
          "postgres: outcome ", o.outcome_id, " conflicted but is not stored"));
    }
    if (absl::Status s = tx.Commit(); !s.ok()) return s;
    return RecordedOutcome{**std::move(stored), true};
  }
  if (absl::Status s = tx.Commit(); !s.ok()) return s;
  return RecordedOutcome{std::move(o), false};
}

absl::StatusOr<std::vector<OutcomeTally>>
PostgresJourneyStore::OutcomeTallies() {
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> res =
      Exec(conn->get(), kOutcomeTallies, Params(), "outcome tallies", secrets_);
  if (!res.ok()) return res.status();
  std::vector<OutcomeTally> out;
  for (int i = 0; i < PQntuples(res->get()); ++i) {
    const Row r(res->get(), i);
    out.push_back({r.Text(0), r.Text(1), r.Text(2), static_cast<int>(r.Int(3)),
                   static_cast<int>(r.Int(4)), static_cast<int>(r.Int(5)),
                   static_cast<int>(r.Int(6))});
  }
  return out;
}

#undef CSE_JOB_COLUMNS
#undef CSE_OUTCOME_COLUMNS
#undef CSE_OPEN_NEGATIVE_SQL

}  // namespace cse::store
