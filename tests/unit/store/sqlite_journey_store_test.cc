// SQLite-only behaviour of the journey memory: migrating a version-1 file,
// what reaches the file (retention), and group commit.
#include "sidecar/store/sqlite_journey_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace cse::store {
namespace {

using ::cse::testing::IsOk;
using ::cse::testing::IsOkAndHolds;
using ::cse::testing::StatusIs;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::SizeIs;

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "cse-sqlite-test-XXXXXX")
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

void Exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK)
      << (err != nullptr ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

IngestRecord Event(std::string event_id, std::string account, int64_t at) {
  IngestRecord r;
  r.source = "rt";
  r.event_id = std::move(event_id);
  r.account_id = std::move(account);
  r.phase_id = "impl";
  r.phase_number = 4;
  r.occurred_at = absl::FromUnixSeconds(at);
  r.assessment = absl::StrCat("assessment of ", r.event_id);
  return r;
}

TEST(SqliteJourneyMemoryTest, MigratesAVersionOneFileKeepingItsData) {
  TempDir dir;
  const std::string path = dir.File("v1.db");
  // Exactly what schema version 1 created, with a row in it.
  Exec(path, R"sql(
    CREATE TABLE events (
      source TEXT NOT NULL, event_id TEXT NOT NULL, account_id TEXT NOT NULL,
      phase_id TEXT NOT NULL, occurred_at INTEGER NOT NULL,
      assessment BLOB NOT NULL, recorded_at INTEGER NOT NULL,
      PRIMARY KEY (source, event_id)) WITHOUT ROWID;
    CREATE INDEX events_by_account ON events (account_id, occurred_at);
    CREATE TABLE account_phase (
      account_id TEXT PRIMARY KEY, phase_id TEXT NOT NULL,
      occurred_at INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO events VALUES ('rt', 'old', 'acme', 'choice', 100000000,
                               'stored A', 1);
    INSERT INTO account_phase VALUES ('acme', 'choice', 100000000);
    PRAGMA user_version = 1;
  )sql");

  auto store = SqliteJourneyStore::Open(path);
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT((*store)->SchemaVersion(),
              IsOkAndHolds(Eq(SqliteJourneyStore::kSchemaVersion)));
  EXPECT_THAT((*store)->FindAssessment("rt", "old"),
              IsOkAndHolds(Optional(std::string("stored A"))));
  EXPECT_THAT((*store)->LastKnownPhase("acme"),
              IsOkAndHolds(Eq(std::string("choice"))));
  // The old event is part of the journey, and new ones join it.
  ASSERT_THAT((*store)->RecordIngest(Event("new", "acme", 200)), IsOk());
  auto journey = (*store)->GetAccountJourney({.account_id = "acme"});
  ASSERT_THAT(journey, IsOk());
  EXPECT_EQ(journey->event_count, 2);
  ASSERT_THAT(journey->phase_history, SizeIs(2));
  EXPECT_EQ(journey->phase_history[0].phase_id, "choice");
  EXPECT_EQ(journey->phase_history[0].entered_by_event_id, "old");
  EXPECT_EQ(journey->current_phase_id, "impl");
}

TEST(SqliteJourneyMemoryTest, NewerSchemaIsAClearError) {
  TempDir dir;
  const std::string path = dir.File("future.db");
  { ASSERT_THAT(SqliteJourneyStore::Open(path), IsOk()); }
  Exec(path, "PRAGMA user_version = 3;");
  EXPECT_THAT(
      SqliteJourneyStore::Open(path),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr(absl::StrCat("schema version 3 but this sidecar "
                                      "knows up to ",
                                      SqliteJourneyStore::kSchemaVersion))));
}

// The body must not reach the file (nor its WAL) unless configured.
TEST(SqliteJourneyMemoryTest, DefaultRetentionWritesNoBodyToDisk) {
  for (const bool keep : {false, true}) {
    TempDir dir;
    const std::string path = dir.File("j.db");
    const std::string body = "MARKER-of-the-full-customer-message-7f3a";
    {
      StoreOptions options;
      options.retention.keep_bodies = keep;
      auto store = SqliteJourneyStore::Open(path, options);
      ASSERT_THAT(store, IsOk());
      IngestRecord r = Event("e1", "acme", 1);
      r.body = body;
      ASSERT_THAT((*store)->RecordIngest(r), IsOk());
      const std::string on_disk = ReadAll(path) + ReadAll(path + "-wal");
      EXPECT_EQ(absl::StrContains(on_disk, body), keep) << "keep=" << keep;
    }
  }
}

TEST(SqliteJourneyMemoryTest, ErasedTextDoesNotLingerInTheFile) {
  TempDir dir;
  const std::string path = dir.File("j.db");
  StoreOptions options;
  options.retention.keep_bodies = true;
  auto store = SqliteJourneyStore::Open(path, options);
  ASSERT_THAT(store, IsOk());
  IngestRecord r = Event("e1", "acme", 1);
  r.body = "ERASE-ME-body-4c1d";
  r.assessment = "ERASE-ME-assessment-88aa";
  ASSERT_THAT((*store)->RecordIngest(r), IsOk());
  ASSERT_THAT((*store)->EraseAccount("acme"), IsOk());
  const std::string on_disk = ReadAll(path) + ReadAll(path + "-wal");
  EXPECT_FALSE(absl::StrContains(on_disk, "ERASE-ME"));
}

TEST(SqliteJourneyMemoryTest, ConcurrentIngestsShareTransactions) {
  TempDir dir;
  auto store = SqliteJourneyStore::Open(dir.File("j.db"));
  ASSERT_THAT(store, IsOk());
  constexpr int kThreads = 8;
  constexpr int kEach = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        ASSERT_THAT(
            (*store)->RecordIngest(Event(absl::StrCat(t, "-", i), "acme", i)),
            IsOkAndHolds(Eq(std::nullopt)));
      }
    });
  }
  for (auto& t : threads) t.join();
  auto journey = (*store)->GetAccountJourney({.account_id = "acme"});
  ASSERT_THAT(journey, IsOk());
  EXPECT_EQ(journey->event_count, kThreads * kEach);
  // Eight writers waiting on one committer: batches form.
  EXPECT_LT((*store)->IngestTransactions(), kThreads * kEach);
}

TEST(SqliteJourneyMemoryTest, AFailingEventFailsOnlyItsOwnCaller) {
  TempDir dir;
  const std::string path = dir.File("j.db");
  { ASSERT_THAT(SqliteJourneyStore::Open(path), IsOk()); }
  // A record the database refuses, whichever batch it lands in.
  Exec(path,
       "CREATE TRIGGER poison BEFORE INSERT ON events WHEN "
       "NEW.event_id LIKE 'poison%' BEGIN SELECT RAISE(ABORT, 'poisoned'); "
       "END;");
  auto store = SqliteJourneyStore::Open(path);
  ASSERT_THAT(store, IsOk());
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        const bool poison = t == 0 && i % 3 == 0;
        auto r = (*store)->RecordIngest(Event(
            absl::StrCat(poison ? "poison-" : "ok-", t, "-", i), "acme", i));
        if (poison) {
          EXPECT_THAT(
              r, StatusIs(absl::StatusCode::kInternal, HasSubstr("poisoned")));
          ++failed;
        } else {
          EXPECT_THAT(r, IsOkAndHolds(Eq(std::nullopt)));
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 10);
  auto journey = (*store)->GetAccountJourney({.account_id = "acme"});
  ASSERT_THAT(journey, IsOk());
  EXPECT_EQ(journey->event_count, 6 * 30 - 10);
}

TEST(SqliteJourneyMemoryTest, PrivateInMemoryDatabaseWorks) {
  auto store = SqliteJourneyStore::Open(":memory:");
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT((*store)->RecordIngest(Event("e1", "acme", 1)), IsOk());
  EXPECT_THAT((*store)->LastKnownPhase("acme"),
              IsOkAndHolds(Eq(std::string("impl"))));
}

}  // namespace
}  // namespace cse::store
