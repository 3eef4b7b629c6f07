// PostgreSQL-only behaviour: schema versions, replicas sharing a database,
// connection errors. The behaviour every backend shares is tested in
// journey_store_test.cc.
#include "sidecar/store/postgres_journey_store.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/postgres_server.h"
#include "tests/testing/status_matchers.h"

namespace cse::store {
namespace {

using ::cse::testing::IsOk;
using ::cse::testing::IsOkAndHolds;
using ::cse::testing::PostgresQuery;
using ::cse::testing::PostgresServer;
using ::cse::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

constexpr absl::string_view kPassword = "s3cr3t-Pw";

IngestRecord Record(std::string event_id, std::string account,
                    std::string phase, int64_t at_seconds,
                    std::string assessment) {
  IngestRecord r;
  r.source = "hubspot";
  r.event_id = std::move(event_id);
  r.account_id = std::move(account);
  r.phase_id = std::move(phase);
  r.occurred_at = absl::FromUnixSeconds(at_seconds);
  r.assessment = std::move(assessment);
  return r;
}

// Each test gets a new database on the process's shared server.
class PostgresJourneyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<PostgresServer*> server = PostgresServer::Shared();
    ASSERT_THAT(server, IsOk());
    server_ = *server;
    absl::StatusOr<std::string> url = server_->CreateDatabase();
    ASSERT_THAT(url, IsOk());
    url_ = *url;
  }

  std::unique_ptr<PostgresJourneyStore> OpenStore(
      PostgresJourneyStore::Options options = {}) {
    auto store = PostgresJourneyStore::Open(url_, options);
    EXPECT_THAT(store, IsOk());
    return store.ok() ? *std::move(store) : nullptr;
  }

  std::string Query(absl::string_view sql) {
    absl::StatusOr<std::string> v = PostgresQuery(url_, sql);
    EXPECT_THAT(v, IsOk());
    return v.ok() ? *v : "";
  }

  PostgresServer* server_ = nullptr;
  std::string url_;
};

TEST_F(PostgresJourneyStoreTest, DataSurvivesReopening) {
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    ASSERT_THAT(store->RecordIngest(Record("e1", "acme", "choice", 1, "A")),
                IsOkAndHolds(Eq(std::nullopt)));
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->LastKnownPhase("acme"), IsOkAndHolds(Eq("choice")));
  EXPECT_THAT(store->FindAssessment("hubspot", "e1"),
              IsOkAndHolds(Optional(std::string("A"))));
  EXPECT_THAT(store->SchemaVersion(),
              IsOkAndHolds(Eq(PostgresJourneyStore::kSchemaVersion)));
  // Reopening applied no migration twice.
  EXPECT_EQ(Query("SELECT count(*) FROM schema_migrations"),
            absl::StrCat(PostgresJourneyStore::kSchemaVersion));
}

TEST_F(PostgresJourneyStoreTest, StoresAssessmentBytesAndEventTimeExactly) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  // A serialised protobuf is bytes, not text: NULs and high bytes included.
  const std::string bytes("\x00\x01\xff\x80 assessment \x00", 16);
  ASSERT_THAT(
      store->RecordIngest(Record("e1", "acme", "choice", 1700000000, bytes)),
      IsOk());
  EXPECT_THAT(store->FindAssessment("hubspot", "e1"),
              IsOkAndHolds(Optional(bytes)));
  EXPECT_EQ(Query("SELECT extract(epoch FROM occurred_at)::bigint FROM events"),
            "1700000000");
  // Before the Unix epoch and before PostgreSQL's own (2000-01-01).
  ASSERT_THAT(store->RecordIngest(Record("e0", "old", "trigger", -86400, "x")),
              IsOk());
  EXPECT_EQ(Query("SELECT extract(epoch FROM occurred_at)::bigint FROM events "
                  "WHERE event_id = 'e0'"),
            "-86400");
}

TEST_F(PostgresJourneyStoreTest,
       NewerSchemaIsAFailedPreconditionAndLeavesTheDatabaseAlone) {
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    ASSERT_THAT(store->RecordIngest(Record("e1", "acme", "choice", 1, "A")),
                IsOk());
  }
  // What a newer sidecar would have left behind.
  Query("INSERT INTO schema_migrations (version) VALUES (99)");

  EXPECT_THAT(
      PostgresJourneyStore::Open(url_),
      StatusIs(
          absl::StatusCode::kFailedPrecondition,
          AllOf(HasSubstr("schema version 99"),
                HasSubstr(absl::StrCat(
                    "knows up to ", PostgresJourneyStore::kSchemaVersion)))));
  EXPECT_EQ(Query("SELECT max(version) FROM schema_migrations"), "99");
  EXPECT_EQ(Query("SELECT count(*) FROM events"), "1");
}

TEST_F(PostgresJourneyStoreTest, ReplicasStartingTogetherMigrateOnce) {
  constexpr int kReplicas = 6;
  std::vector<std::thread> replicas;
  std::atomic<int> opened{0};
  for (int i = 0; i < kReplicas; ++i) {
    replicas.emplace_back([&] {
      auto store = PostgresJourneyStore::Open(url_, {.pool_size = 1});
      EXPECT_THAT(store, IsOk());
      if (store.ok()) ++opened;
    });
  }
  for (auto& r : replicas) r.join();
  EXPECT_EQ(opened.load(), kReplicas);
  EXPECT_EQ(Query("SELECT count(*) FROM schema_migrations"),
            absl::StrCat(PostgresJourneyStore::kSchemaVersion));
}

TEST_F(PostgresJourneyStoreTest,
       TwoReplicasRacingOnTheSameEventsRecordEachExactlyOnce) {
  // Two stores are two replicas: separate pools, one database.
  std::unique_ptr<PostgresJourneyStore> replicas[] = {OpenStore(), OpenStore()};
  ASSERT_NE(replicas[0], nullptr);
  ASSERT_NE(replicas[1], nullptr);
  constexpr int kEvents = 40;
  constexpr int kThreadsPerReplica = 3;
  std::atomic<int> recorded{0};
  std::mutex mu;
  // What each losing delivery was told was stored, per event.
  absl::flat_hash_map<std::string, std::vector<std::string>> answers;
  std::vector<std::thread> threads;
  for (int replica = 0; replica < 2; ++replica) {
    for (int t = 0; t < kThreadsPerReplica; ++t) {
      threads.emplace_back([&, replica, t] {
        for (int i = 0; i < kEvents; ++i) {
          const std::string id = absl::StrCat("e", i);
          auto r = replicas[replica]->RecordIngest(
              Record(id, "acme", "orientation", i,
                     absl::StrCat("replica ", replica, " thread ", t)));
          ASSERT_THAT(r, IsOk());
          if (!r->has_value()) {
            ++recorded;
          } else {
            std::lock_guard<std::mutex> lock(mu);
            answers[id].push_back(**r);
          }
        }
      });
    }
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(recorded.load(), kEvents);
  EXPECT_EQ(Query("SELECT count(*) FROM events"), absl::StrCat(kEvents));
  for (int i = 0; i < kEvents; ++i) {
    const std::string id = absl::StrCat("e", i);
    auto stored = replicas[i % 2]->FindAssessment("hubspot", id);
    ASSERT_THAT(stored, IsOk());
    ASSERT_TRUE(stored->has_value()) << id;
    ASSERT_EQ(answers[id].size(), 2 * kThreadsPerReplica - 1) << id;
    for (const std::string& answer : answers[id]) {
      EXPECT_EQ(answer, **stored) << id;
    }
  }
  EXPECT_THAT(replicas[1]->LastKnownPhase("acme"),
              IsOkAndHolds(Eq("orientation")));
}

TEST_F(PostgresJourneyStoreTest, ALostConnectionIsUnavailableThenReconnects) {
  auto store = OpenStore({.pool_size = 1});
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(store->RecordIngest(Record("e1", "acme", "choice", 1, "A")),
              IsOk());
  // What a server restart or failover does to the sidecar's connections.
  const std::string database = url_.substr(url_.rfind('/') + 1);
  ASSERT_THAT(
      PostgresQuery(server_->Url("postgres"),
                    absl::StrCat("SELECT pg_terminate_backend(pid, 5000) "
                                 "FROM pg_stat_activity WHERE datname = '",
                                 database, "'")),
      IsOk());
  EXPECT_THAT(store->FindAssessment("hubspot", "e1"),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("postgres")));
  EXPECT_THAT(store->FindAssessment("hubspot", "e1"),
              IsOkAndHolds(Optional(std::string("A"))));
  // The new session has none of the old one's prepared statements.
  EXPECT_THAT(store->RecordIngest(Record("e2", "acme", "impl", 2, "B")),
              IsOkAndHolds(Eq(std::nullopt)));
}

TEST_F(PostgresJourneyStoreTest,
       UnreachableServerIsUnavailableWithoutThePassword) {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  const std::string url =
      absl::StrCat("postgresql://cse:", kPassword, "@127.0.0.1:1/journey");
  EXPECT_THAT(PostgresJourneyStore::Open(url),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr("cannot connect"), HasSubstr("port 1"),
                             Not(HasSubstr(std::string(kPassword))))));
}

TEST_F(PostgresJourneyStoreTest,
       UnknownDatabaseIsUnavailableWithoutThePassword) {
  const std::string url =
      absl::StrCat("postgresql://postgres:", kPassword,
                   "@127.0.0.1:", server_->port(), "/no_such_db");
  EXPECT_THAT(PostgresJourneyStore::Open(url),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr("no_such_db"),
                             Not(HasSubstr(std::string(kPassword))))));
}

TEST_F(PostgresJourneyStoreTest,
       MalformedUrlIsInvalidArgumentWithoutThePassword) {
  // libpq quotes the offending token, which here is the password.
  EXPECT_THAT(PostgresJourneyStore::Open(absl::StrCat(
                  "postgresql://cse:", kPassword, "%zz@127.0.0.1/j")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("invalid connection URL"),
                             Not(HasSubstr(std::string(kPassword))))));
  EXPECT_THAT(PostgresJourneyStore::Open(absl::StrCat(
                  "host=127.0.0.1 password=", kPassword, " colour=blue")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("colour"),
                             Not(HasSubstr(std::string(kPassword))))));
}

WritebackSpec TagsJob(absl::string_view object_id) {
  WritebackSpec w;
  w.kind = WritebackKind::kTags;
  w.object_kind = CrmObjectKind::kTicket;
  w.object_id = std::string(object_id);
  w.tags = {"cse-phase-implementation"};
  return w;
}

// The issue's acceptance test at the store level: two sidecars (two stores,
// two pools, one database), several lessees in each, thousands of jobs. With
// leases longer than the test, every job must be leased exactly once, every
// ack must hold, and none may be left.
TEST_F(PostgresJourneyStoreTest,
       TwoReplicasLeasingConcurrentlyDeliverEveryJobExactlyOnce) {
  std::unique_ptr<PostgresJourneyStore> replicas[] = {OpenStore(), OpenStore()};
  ASSERT_NE(replicas[0], nullptr);
  ASSERT_NE(replicas[1], nullptr);
  constexpr int kEvents = 1500;
  constexpr int kJobsPerEvent = 2;
  constexpr int kJobs = kEvents * kJobsPerEvent;
  {
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&, t] {
        for (int i = t; i < kEvents; i += 4) {
          IngestRecord r = Record(absl::StrCat("e", i), "acme", "impl", i, "A");
          r.writebacks = {TagsJob(absl::StrCat("T-", i)),
                          TagsJob(absl::StrCat("U-", i))};
          r.writebacks[1].kind = WritebackKind::kNote;
          ASSERT_THAT(replicas[t % 2]->RecordIngest(r),
                      IsOkAndHolds(Eq(std::nullopt)));
        }
      });
    }
    for (auto& w : writers) w.join();
  }
  ASSERT_EQ(Query("SELECT count(*) FROM writeback_jobs WHERE state = 1"),
            absl::StrCat(kJobs));

  std::mutex mu;
  absl::flat_hash_map<int64_t, int> leases_per_job;
  std::atomic<int> acks_failed{0};
  std::vector<std::thread> lessees;
  for (int replica = 0; replica < 2; ++replica) {
    for (int t = 0; t < 3; ++t) {
      lessees.emplace_back([&, replica, t] {
        const std::string lessee = absl::StrCat("adapter-", replica, "-", t);
        for (;;) {
          auto jobs = replicas[replica]->LeaseWritebacks(
              {.lessee_id = lessee,
               .max_jobs = 1 + (t * 3) % 8,
               .lease_duration = absl::Hours(1)});
          ASSERT_THAT(jobs, IsOk());
          // Nothing expires during the test: empty means all were leased.
          if (jobs->empty()) return;
          {
            std::lock_guard<std::mutex> lock(mu);
            for (const WritebackJob& j : *jobs) ++leases_per_job[j.id];
          }
          for (const WritebackJob& j : *jobs) {
            EXPECT_EQ(j.lessee_id, lessee);
            EXPECT_EQ(j.attempts, 1) << j.id;
            auto acked = replicas[1 - replica]->AckWriteback(
                {.job_id = j.id,
                 .lease_token = j.lease_token,
                 .result = WritebackResult::kDone});
            if (!acked.ok() || acked->state != WritebackState::kDone) {
              ++acks_failed;
            }
          }
        }
      });
    }
  }
  for (auto& l : lessees) l.join();
  EXPECT_EQ(acks_failed.load(), 0);
  EXPECT_EQ(leases_per_job.size(), static_cast<size_t>(kJobs));
  int leased_twice = 0;
  for (const auto& [id, n] : leases_per_job) leased_twice += n > 1;
  EXPECT_EQ(leased_twice, 0);
  EXPECT_EQ(Query("SELECT count(*) FROM writeback_jobs WHERE state = 3 "
                  "AND attempts = 1"),
            absl::StrCat(kJobs));
}

// Exactly what schema version 1 created, with data in it.
constexpr const char* kVersionOneDatabase = R"sql(
  CREATE TABLE schema_migrations (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE events (
    source text NOT NULL, event_id text NOT NULL, account_id text NOT NULL,
    phase_id text NOT NULL, occurred_at timestamptz NOT NULL,
    assessment bytea NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));
  CREATE INDEX events_by_account ON events (account_id, occurred_at);
  CREATE TABLE account_phase (
    account_id text PRIMARY KEY, phase_id text NOT NULL,
    occurred_at timestamptz NOT NULL);
  INSERT INTO schema_migrations (version) VALUES (1);
  INSERT INTO events (source, event_id, account_id, phase_id, occurred_at,
                      assessment)
    VALUES ('hubspot', 'old', 'acme', 'choice', to_timestamp(100),
            'stored A'::bytea);
  INSERT INTO account_phase VALUES ('acme', 'choice', to_timestamp(100));
)sql";

TEST_F(PostgresJourneyStoreTest, MigratesAVersionOneDatabaseKeepingItsData) {
  Query(kVersionOneDatabase);
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->SchemaVersion(),
              IsOkAndHolds(Eq(PostgresJourneyStore::kSchemaVersion)));
  EXPECT_EQ(Query("SELECT string_agg(version::text, ',' ORDER BY version) "
                  "FROM schema_migrations"),
            "1,2");
  EXPECT_THAT(store->FindAssessment("hubspot", "old"),
              IsOkAndHolds(Optional(std::string("stored A"))));
  EXPECT_THAT(store->LastKnownPhase("acme"), IsOkAndHolds(Eq("choice")));
  // The old event is part of the journey, and new ones join it.
  IngestRecord r = Record("new", "acme", "impl", 200, "B");
  r.phase_number = 4;
  r.writebacks = {TagsJob("T-1")};
  ASSERT_THAT(store->RecordIngest(r), IsOkAndHolds(Eq(std::nullopt)));
  auto journey = store->GetAccountJourney({.account_id = "acme"});
  ASSERT_THAT(journey, IsOk());
  EXPECT_EQ(journey->event_count, 2);
  ASSERT_THAT(journey->phase_history, ::testing::SizeIs(2));
  EXPECT_EQ(journey->phase_history[0].phase_id, "choice");
  EXPECT_EQ(journey->phase_history[0].entered_by_event_id, "old");
  EXPECT_EQ(journey->phase_history[0].entered_at, absl::FromUnixSeconds(100));
  EXPECT_EQ(journey->current_phase_id, "impl");
  auto jobs = store->LeaseWritebacks({.lessee_id = "a"});
  ASSERT_THAT(jobs, IsOk());
  EXPECT_THAT(*jobs, ::testing::SizeIs(1));
}

TEST_F(PostgresJourneyStoreTest, ConcurrentIngestsShareStatements) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 8;
  constexpr int kEach = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        IngestRecord r =
            Record(absl::StrCat(t, "-", i), "acme", "impl", i, "A");
        r.critical_events = {{"outage", Polarity::kNegative}};
        ASSERT_THAT(store->RecordIngest(r), IsOkAndHolds(Eq(std::nullopt)));
      }
    });
  }
  for (auto& t : threads) t.join();
  auto journey = store->GetAccountJourney({.account_id = "acme"});
  ASSERT_THAT(journey, IsOk());
  EXPECT_EQ(journey->event_count, kThreads * kEach);
  EXPECT_EQ(Query("SELECT count(*) FROM critical_events"),
            absl::StrCat(kThreads * kEach));
  // Eight callers, two batches in flight at most: batches form.
  EXPECT_LT(store->IngestStatements(), kThreads * kEach);
}

TEST_F(PostgresJourneyStoreTest, AFailingEventFailsOnlyItsOwnCaller) {
  { ASSERT_NE(OpenStore(), nullptr); }
  // A record the database refuses, whichever batch it lands in.
  Query(R"sql(
    CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.event_id LIKE 'poison%' THEN RAISE EXCEPTION 'poisoned'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER poison BEFORE INSERT ON events
      FOR EACH ROW EXECUTE FUNCTION poison();
  )sql");
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        const bool poison = t == 0 && i % 3 == 0;
        IngestRecord r =
            Record(absl::StrCat(poison ? "poison-" : "ok-", t, "-", i), "acme",
                   "impl", i, "A");
        r.writebacks = {TagsJob("T-1")};
        auto result = store->RecordIngest(r);
        if (poison) {
          EXPECT_THAT(result, StatusIs(absl::StatusCode::kInternal,
                                       HasSubstr("poisoned")));
          ++failed;
        } else {
          EXPECT_THAT(result, IsOkAndHolds(Eq(std::nullopt)));
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 10);
  EXPECT_EQ(Query("SELECT count(*) FROM events"), absl::StrCat(6 * 30 - 10));
  // Nothing of a refused event was kept, nothing of an accepted one lost.
  EXPECT_EQ(Query("SELECT count(*) FROM writeback_jobs"),
            absl::StrCat(6 * 30 - 10));
}

TEST_F(PostgresJourneyStoreTest, TextThatIsNotUtf8IsInvalidArgument) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  // PostgreSQL's text holds no NUL byte (SQLite would store it).
  EXPECT_THAT(store->RecordIngest(
                  Record(std::string("e\0x", 3), "acme", "impl", 1, "A")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("0x00")));
  EXPECT_THAT(store->RecordIngest(Record("e2", "acme", "impl", 1, "A")),
              IsOkAndHolds(Eq(std::nullopt)));
}

// A durable server for benchmarks: settings override the harness's.
TEST(PostgresServerTest, SettingsOverrideTheHarnessDefaults) {
  auto server = PostgresServer::Start(
      {.settings = {"fsync=on", "synchronous_commit=on"}});
  ASSERT_THAT(server, IsOk());
  auto url = (*server)->CreateDatabase();
  ASSERT_THAT(url, IsOk());
  EXPECT_THAT(PostgresQuery(*url, "SHOW fsync"),
              IsOkAndHolds(Eq(std::string("on"))));
  EXPECT_THAT(PostgresQuery(*url, "SHOW synchronous_commit"),
              IsOkAndHolds(Eq(std::string("on"))));
  // Not asked for: the harness's default stays.
  EXPECT_THAT(PostgresQuery(*url, "SHOW full_page_writes"),
              IsOkAndHolds(Eq(std::string("off"))));
}

TEST(PostgresServerTest, ASettingThatIsNotOneWordIsInvalidArgument) {
  EXPECT_THAT(PostgresServer::Start({.settings = {"fsync=on; rm -rf /"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("without spaces or quotes")));
  EXPECT_THAT(PostgresServer::Start({.settings = {"fsync"}}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PostgresServerTest, MissingServerBinariesAreAClearError) {
  auto server = PostgresServer::Start({.bin_dir = "/nonexistent/pg/bin"});
  EXPECT_THAT(server, StatusIs(absl::StatusCode::kFailedPrecondition,
                               AllOf(HasSubstr("/nonexistent/pg/bin/initdb"),
                                     HasSubstr("postgresql package"))));
}

}  // namespace
}  // namespace cse::store
