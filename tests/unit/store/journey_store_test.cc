// The same behaviour is required of every JourneyStore backend.
// PostgreSQL-only behaviour: postgres_journey_store_test.cc.
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/store/in_memory_journey_store.h"
#include "sidecar/store/postgres_journey_store.h"
#include "sidecar/store/sqlite_journey_store.h"
#include "tests/testing/postgres_server.h"

namespace cse::store {
namespace {

using ::testing::Optional;

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "cse-store-test-XXXXXX")
            .string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(absl::string_view name) const {
    return absl::StrCat(path_, "/", name);
  }

 private:
  std::string path_;
};

struct Backend {
  std::string name;
  std::function<std::unique_ptr<JourneyStore>(const TempDir&)> open;
};

// gtest (and so CTest's test names) would otherwise print the parameter's
// bytes, pointers included, which change from build to build.
void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

IngestRecord Record(std::string event_id, std::string account,
                    std::string phase, int64_t at_seconds,
                    std::string assessment = "") {
  IngestRecord r;
  r.source = "zendesk";
  r.event_id = std::move(event_id);
  r.account_id = std::move(account);
  r.phase_id = std::move(phase);
  r.occurred_at = absl::FromUnixSeconds(at_seconds);
  r.assessment = assessment.empty() ? absl::StrCat("assessment of ", r.event_id)
                                    : std::move(assessment);
  return r;
}

class JourneyStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_);
    ASSERT_NE(store_, nullptr) << GetParam().name << " store did not open";
  }
  TempDir dir_;
  std::unique_ptr<JourneyStore> store_;
};

TEST_P(JourneyStoreTest, RecordsAnEventAndFindsItsAssessment) {
  auto first = store_->RecordIngest(Record("e1", "acme", "orientation", 100));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, std::nullopt);
  auto found = store_->FindAssessment("zendesk", "e1");
  ASSERT_TRUE(found.ok());
  EXPECT_THAT(*found, Optional(std::string("assessment of e1")));
  auto missing = store_->FindAssessment("hubspot", "e1");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, std::nullopt);
}

TEST_P(JourneyStoreTest,
       DuplicateDeliveryReturnsTheStoredAssessmentAndChangesNothing) {
  ASSERT_TRUE(
      store_->RecordIngest(Record("e1", "acme", "orientation", 100, "A")).ok());
  // Same key, different content and a later time: nothing may change.
  auto dup = store_->RecordIngest(Record("e1", "acme", "evaluation", 200, "B"));
  ASSERT_TRUE(dup.ok());
  EXPECT_THAT(*dup, Optional(std::string("A")));
  EXPECT_THAT(*store_->FindAssessment("zendesk", "e1"),
              Optional(std::string("A")));
  EXPECT_EQ(*store_->LastKnownPhase("acme"), "orientation");
}

TEST_P(JourneyStoreTest, LastPhaseFollowsTheEventsOwnTimeNotArrivalOrder) {
  ASSERT_TRUE(
      store_->RecordIngest(Record("e2", "acme", "implementation", 200)).ok());
  // Delivered later but happened earlier: must not move the journey back.
  ASSERT_TRUE(
      store_->RecordIngest(Record("e1", "acme", "orientation", 100)).ok());
  EXPECT_EQ(*store_->LastKnownPhase("acme"), "implementation");
  ASSERT_TRUE(
      store_->RecordIngest(Record("e3", "acme", "evaluation", 300)).ok());
  EXPECT_EQ(*store_->LastKnownPhase("acme"), "evaluation");
  EXPECT_EQ(*store_->LastKnownPhase("globex"), "");
}

TEST_P(JourneyStoreTest, EventsWithoutAPhaseDoNotEraseTheKnownPhase) {
  ASSERT_TRUE(
      store_->RecordIngest(Record("e1", "acme", "orientation", 100)).ok());
  ASSERT_TRUE(store_->RecordIngest(Record("e2", "acme", "", 200)).ok());
  EXPECT_EQ(*store_->LastKnownPhase("acme"), "orientation");
}

TEST_P(JourneyStoreTest, ConcurrentDuplicateDeliveriesRecordExactlyOnce) {
  std::atomic<int> recorded{0};
  std::atomic<int> duplicates{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto r = store_->RecordIngest(Record(absl::StrCat("e", i), "acme",
                                             "orientation", i,
                                             absl::StrCat("from thread ", t)));
        ASSERT_TRUE(r.ok()) << r.status();
        (r->has_value() ? duplicates : recorded)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(recorded.load(), 50);
  EXPECT_EQ(duplicates.load(), 150);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, JourneyStoreTest,
    ::testing::Values(
        Backend{"InMemory",
                [](const TempDir&) -> std::unique_ptr<JourneyStore> {
                  return std::make_unique<InMemoryJourneyStore>();
                }},
        Backend{"Sqlite",
                [](const TempDir& dir) -> std::unique_ptr<JourneyStore> {
                  auto s = SqliteJourneyStore::Open(dir.File("journey.db"));
                  EXPECT_TRUE(s.ok()) << s.status();
                  return s.ok() ? *std::move(s) : nullptr;
                }},
        // A new database per test on this process's throwaway server. A
        // server that cannot start fails the test; it is never skipped.
        Backend{"Postgres",
                [](const TempDir&) -> std::unique_ptr<JourneyStore> {
                  auto server = cse::testing::PostgresServer::Shared();
                  EXPECT_TRUE(server.ok()) << server.status();
                  if (!server.ok()) return nullptr;
                  auto url = (*server)->CreateDatabase();
                  EXPECT_TRUE(url.ok()) << url.status();
                  if (!url.ok()) return nullptr;
                  auto s = PostgresJourneyStore::Open(*url);
                  EXPECT_TRUE(s.ok()) << s.status();
                  return s.ok() ? *std::move(s) : nullptr;
                }}),
    [](const auto& info) { return info.param.name; });

TEST(InMemoryJourneyStoreTest, ForgetsTheOldestEventsBeyondItsCapacity) {
  InMemoryJourneyStore store(2);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        store.RecordIngest(Record(absl::StrCat("e", i), "a", "p", i)).ok());
  }
  EXPECT_EQ(*store.FindAssessment("zendesk", "e0"), std::nullopt);
  EXPECT_NE(*store.FindAssessment("zendesk", "e2"), std::nullopt);
}

TEST(SqliteJourneyStoreTest, DataSurvivesReopening) {
  TempDir dir;
  {
    auto s = SqliteJourneyStore::Open(dir.File("j.db"));
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->RecordIngest(Record("e1", "acme", "choice", 1)).ok());
  }
  auto s = SqliteJourneyStore::Open(dir.File("j.db"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*(*s)->LastKnownPhase("acme"), "choice");
  EXPECT_EQ(*(*s)->SchemaVersion(), SqliteJourneyStore::kSchemaVersion);
}

TEST(SqliteJourneyStoreTest, NewerSchemaIsAClearErrorAndLeavesTheFileAlone) {
  TempDir dir;
  const std::string path = dir.File("future.db");
  {
    auto s = SqliteJourneyStore::Open(path);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->RecordIngest(Record("e1", "acme", "choice", 1)).ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "PRAGMA user_version=99;", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);

  auto s = SqliteJourneyStore::Open(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.status().message()),
              ::testing::HasSubstr("schema version 99"));

  // Still version 99 and the data is still there.
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM events;", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 1);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(SqliteJourneyStoreTest, UnopenablePathIsUnavailable) {
  auto s = SqliteJourneyStore::Open("/nonexistent-dir/x/journey.db");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cse::store
