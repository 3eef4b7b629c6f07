#include "sidecar/store/postgres_journey_store.h"

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <limits>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

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
};
static_assert(std::size(kMigrations) == PostgresJourneyStore::kSchemaVersion);

// Serialises migrations of one database across replicas that start
// together. Any constant works as long as nothing else in the database uses
// it: these are the bytes of "cse-jour".
constexpr const char* kMigrationLockSql =
    "SELECT pg_advisory_xact_lock(7166182677810214258)";

// Type OIDs from catalog/pg_type.h (stable across PostgreSQL releases; the
// server headers are not part of libpq-dev).
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kByteaOid = 17;
constexpr Oid kTimestamptzOid = 1184;

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

// Query parameters, all sent in binary: text and bytea need no escaping or
// NUL terminator that way, and timestamps no formatting.
class Params {
 public:
  Params& Text(absl::string_view v) { return Add(kTextOid, v); }
  Params& Bytea(absl::string_view v) { return Add(kByteaOid, v); }
  Params& Int4(int32_t v) {
    return Add(kInt4Oid, Own(BigEndian(static_cast<uint32_t>(v), 4)));
  }
  Params& Timestamptz(absl::Time t) {
    int64_t micros;
    if (t == absl::InfinitePast()) {
      micros = std::numeric_limits<int64_t>::min();
    } else if (t == absl::InfiniteFuture()) {
      micros = std::numeric_limits<int64_t>::max();
    } else {
      micros = absl::ToUnixMicros(t) - kPgEpochUnixMicros;
    }
    return Add(kTimestamptzOid,
               Own(BigEndian(static_cast<uint64_t>(micros), 8)));
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
  // to rebuild after a reconnect, and it works behind a transaction-pooling
  // PgBouncer. Results come back in binary.
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

absl::StatusOr<std::unique_ptr<PostgresJourneyStore>>
PostgresJourneyStore::Open(absl::string_view url, Options options) {
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
  return std::unique_ptr<PostgresJourneyStore>(
      new PostgresJourneyStore(std::move(connections), std::move(secrets)));
}

PostgresJourneyStore::PostgresJourneyStore(std::vector<PGconn*> connections,
                                           std::vector<std::string> secrets)
    : secrets_(std::move(secrets)), all_(std::move(connections)), idle_(all_) {}

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

absl::StatusOr<std::optional<std::string>> PostgresJourneyStore::RecordIngest(
    const IngestRecord& r) {
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  // One statement, so one round trip and one implicit transaction: the
  // event and the account's phase change together or not at all. Of two
  // replicas inserting the same key, the second waits for the first to
  // commit and then does nothing. Out-of-order deliveries must not move
  // the journey back in time.
  absl::StatusOr<Result> inserted = Exec(conn->get(),
                                         R"sql(
      WITH inserted AS (
        INSERT INTO events
          (source, event_id, account_id, phase_id, occurred_at, assessment)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (source, event_id) DO NOTHING
        RETURNING account_id, phase_id, occurred_at
      ), phase AS (
        INSERT INTO account_phase AS p (account_id, phase_id, occurred_at)
        SELECT account_id, phase_id, occurred_at FROM inserted
        WHERE account_id <> '' AND phase_id <> ''
        ON CONFLICT (account_id) DO UPDATE
          SET phase_id = excluded.phase_id, occurred_at = excluded.occurred_at
          WHERE excluded.occurred_at >= p.occurred_at
      )
      SELECT 1 FROM inserted
      )sql",
                                         Params()
                                             .Text(r.source)
                                             .Text(r.event_id)
                                             .Text(r.account_id)
                                             .Text(r.phase_id)
                                             .Timestamptz(r.occurred_at)
                                             .Bytea(r.assessment),
                                         "record event", secrets_);
  if (!inserted.ok()) return inserted.status();
  if (PQntuples(inserted->get()) == 1) return std::optional<std::string>();

  // A duplicate delivery. This is a new statement, so its snapshot sees
  // the row of whichever replica won, committed by now.
  absl::StatusOr<Result> stored =
      Exec(conn->get(),
           "SELECT assessment FROM events WHERE source = $1 AND event_id = $2",
           Params().Text(r.source).Text(r.event_id), "read duplicate event",
           secrets_);
  if (!stored.ok()) return stored.status();
  if (PQntuples(stored->get()) != 1) {
    return absl::InternalError(
        absl::StrCat("postgres: event (", r.source, ", ", r.event_id,
                     ") conflicted on insert but is not stored"));
  }
  return std::optional<std::string>(std::string(
      PQgetvalue(stored->get(), 0, 0), PQgetlength(stored->get(), 0, 0)));
}

absl::StatusOr<std::optional<std::string>> PostgresJourneyStore::FindAssessment(
    absl::string_view source, absl::string_view event_id) {
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> res =
      Exec(conn->get(),
           "SELECT assessment FROM events WHERE source = $1 AND event_id = $2",
           Params().Text(source).Text(event_id), "find event", secrets_);
  if (!res.ok()) return res.status();
  if (PQntuples(res->get()) == 0) return std::optional<std::string>();
  return std::optional<std::string>(
      std::string(PQgetvalue(res->get(), 0, 0), PQgetlength(res->get(), 0, 0)));
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
  return std::string(PQgetvalue(res->get(), 0, 0),
                     PQgetlength(res->get(), 0, 0));
}

absl::StatusOr<int> PostgresJourneyStore::SchemaVersion() {
  absl::StatusOr<Lease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  return ReadSchemaVersion(conn->get(), secrets_);
}

}  // namespace cse::store
