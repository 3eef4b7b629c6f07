// SQLite-only behaviour of the journey memory: migrating version-1 and
// version-2 files, what reaches the file (retention), and group commit.
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

// Schema version 3 re-keyed critical events and suggestions by account; a
// version-2 file keeps every row and every query over them.
TEST(SqliteJourneyMemoryTest, MigratesAVersionTwoFileKeepingItsData) {
  TempDir dir;
  const std::string path = dir.File("v2.db");
  // Exactly what schema version 2 created (versions 1 and 2 in one go),
  // with an event of acme at 100 s: a negative critical event, a
  // suggestion and a pending writeback job.
  Exec(path, R"sql(
    CREATE TABLE events (
      source TEXT NOT NULL, event_id TEXT NOT NULL, account_id TEXT NOT NULL,
      phase_id TEXT NOT NULL, occurred_at INTEGER NOT NULL,
      assessment BLOB NOT NULL, recorded_at INTEGER NOT NULL,
      sequence INTEGER NOT NULL DEFAULT 0,
      phase_number INTEGER NOT NULL DEFAULT 0,
      phase_decided_by INTEGER NOT NULL DEFAULT 0,
      phase_explanation TEXT NOT NULL DEFAULT '', body TEXT,
      PRIMARY KEY (source, event_id)) WITHOUT ROWID;
    CREATE INDEX events_by_account ON events (account_id, occurred_at);
    CREATE TABLE account_phase (
      account_id TEXT PRIMARY KEY, phase_id TEXT NOT NULL,
      occurred_at INTEGER NOT NULL, sequence INTEGER NOT NULL DEFAULT 0)
      WITHOUT ROWID;
    CREATE TABLE critical_events (
      source TEXT NOT NULL, event_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
      account_id TEXT NOT NULL, type TEXT NOT NULL,
      polarity INTEGER NOT NULL, occurred_at INTEGER NOT NULL,
      phase_id TEXT NOT NULL,
      PRIMARY KEY (source, event_id, ordinal)) WITHOUT ROWID;
    CREATE INDEX critical_events_by_account
      ON critical_events (account_id, occurred_at);
    CREATE INDEX critical_events_by_polarity
      ON critical_events (polarity, occurred_at);
    CREATE TABLE suggestions (
      source TEXT NOT NULL, event_id TEXT NOT NULL, rank INTEGER NOT NULL,
      account_id TEXT NOT NULL, practice_id TEXT NOT NULL,
      organization INTEGER NOT NULL, engagement INTEGER NOT NULL,
      effect INTEGER NOT NULL, score REAL NOT NULL,
      occurred_at INTEGER NOT NULL, phase_id TEXT NOT NULL,
      PRIMARY KEY (source, event_id, rank)) WITHOUT ROWID;
    CREATE INDEX suggestions_by_account
      ON suggestions (account_id, occurred_at);
    CREATE TABLE outcomes (
      outcome_id TEXT PRIMARY KEY, account_id TEXT NOT NULL,
      source TEXT NOT NULL, event_id TEXT NOT NULL,
      practice_id TEXT NOT NULL, organization INTEGER NOT NULL,
      engagement INTEGER NOT NULL, reaction INTEGER NOT NULL,
      phase_id TEXT NOT NULL, critical_event_type TEXT NOT NULL,
      description TEXT NOT NULL, occurred_at INTEGER NOT NULL,
      recorded_at INTEGER NOT NULL, recorded_by TEXT NOT NULL)
      WITHOUT ROWID;
    CREATE INDEX outcomes_by_account ON outcomes (account_id, occurred_at);
    CREATE TABLE writeback_jobs (
      job_id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL,
      event_id TEXT NOT NULL, account_id TEXT NOT NULL,
      kind INTEGER NOT NULL, object_kind INTEGER NOT NULL,
      object_id TEXT NOT NULL, tags TEXT NOT NULL,
      note_markdown TEXT NOT NULL, note_marker TEXT NOT NULL,
      phase_id TEXT NOT NULL, phase_name TEXT NOT NULL,
      field TEXT NOT NULL, state INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0, lease_token TEXT,
      lessee_id TEXT NOT NULL DEFAULT '', lease_expires_at INTEGER,
      not_before INTEGER NOT NULL, created_at INTEGER NOT NULL,
      last_crm_answer TEXT NOT NULL DEFAULT '',
      dead_letter_reason TEXT NOT NULL DEFAULT '',
      dead_lettered_at INTEGER);
    CREATE INDEX writeback_jobs_due ON writeback_jobs (state, not_before);
    CREATE INDEX writeback_jobs_by_account ON writeback_jobs (account_id);
    INSERT INTO events VALUES ('rt', 'old', 'acme', 'impl', 100000000,
      'stored A', 1, 7, 4, 2, 'text signal', NULL);
    INSERT INTO account_phase VALUES ('acme', 'impl', 100000000, 7);
    INSERT INTO critical_events VALUES
      ('rt', 'old', 0, 'acme', 'breakdown', 1, 100000000, 'impl'),
      ('rt', 'old', 1, 'acme', 'champion_gained', 2, 100000000, 'impl');
    INSERT INTO suggestions VALUES ('rt', 'old', 1, 'acme', 'call_back',
      2, 2, 1, 0.9, 100000000, 'impl');
    INSERT INTO writeback_jobs (source, event_id, account_id, kind,
      object_kind, object_id, tags, note_markdown, note_marker, phase_id,
      phase_name, field, state, not_before, created_at)
      VALUES ('rt', 'old', 'acme', 1, 1, '42', 'cse-impl', '', '', '', '',
      '', 1, 0, 1);
    PRAGMA user_version = 2;
  )sql");

  auto store = SqliteJourneyStore::Open(path);
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT((*store)->SchemaVersion(),
              IsOkAndHolds(Eq(SqliteJourneyStore::kSchemaVersion)));
  const absl::Time as_of = absl::FromUnixSeconds(200);
  auto journey = (*store)->GetAccountJourney(
      {.account_id = "acme", .as_of = as_of, .open_window = absl::Hours(1)});
  ASSERT_THAT(journey, IsOk());
  EXPECT_EQ(journey->event_count, 1);
  ASSERT_THAT(journey->critical_events, SizeIs(2));
  EXPECT_EQ(journey->critical_events[0].type, "breakdown");
  EXPECT_TRUE(journey->critical_events[0].open);
  EXPECT_EQ(journey->critical_events[1].type, "champion_gained");
  EXPECT_EQ(journey->open_negative_event_count, 1);
  ASSERT_THAT(journey->suggestions, SizeIs(1));
  EXPECT_EQ(journey->suggestions[0].suggestion.practice_id, "call_back");
  EXPECT_EQ(journey->suggestions[0].occurred_at, absl::FromUnixSeconds(100));
  auto at_risk = (*store)->ListAccountsAtRisk(
      {.as_of = as_of, .open_window = absl::Hours(1)});
  ASSERT_THAT(at_risk, IsOk());
  ASSERT_THAT(*at_risk, SizeIs(1));
  EXPECT_EQ((*at_risk)[0].account_id, "acme");
  // An outcome naming the old event takes its negative critical event.
  OutcomeRecord outcome;
  outcome.account_id = "acme";
  outcome.source = "rt";
  outcome.event_id = "old";
  outcome.practice_id = "call_back";
  outcome.organization = Organization::kRegular;
  outcome.engagement = Engagement::kProactive;
  outcome.reaction = CustomerReaction::kRestored;
  auto recorded = (*store)->RecordOutcome(outcome);
  ASSERT_THAT(recorded, IsOk());
  EXPECT_EQ(recorded->outcome.critical_event_type, "breakdown");
  EXPECT_EQ(recorded->outcome.phase_id, "impl");
  auto leased = (*store)->LeaseWritebacks(
      {.lessee_id = "w", .max_jobs = 10, .lease_duration = absl::Minutes(1)});
  ASSERT_THAT(leased, IsOk());
  ASSERT_THAT(*leased, SizeIs(1));
  EXPECT_EQ((*leased)[0].spec.object_id, "42");
  // New events join the old ones.
  IngestRecord r = Event("new", "acme", 150);
  r.critical_events.push_back({"breakdown", Polarity::kNegative});
  r.suggestions.push_back({"call_back", Organization::kRegular,
                           Engagement::kProactive, Effect::kRestore, 0.8});
  ASSERT_THAT((*store)->RecordIngest(r), IsOk());
  journey = (*store)->GetAccountJourney({.account_id = "acme"});
  ASSERT_THAT(journey, IsOk());
  EXPECT_THAT(journey->critical_events, SizeIs(3));
  EXPECT_THAT(journey->suggestions, SizeIs(2));
  EXPECT_THAT((*store)->EraseAccount("acme"), IsOk());
  EXPECT_THAT((*store)->GetAccountJourney({.account_id = "acme"}),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(SqliteJourneyMemoryTest, NewerSchemaIsAClearError) {
  TempDir dir;
  const std::string path = dir.File("future.db");
  { ASSERT_THAT(SqliteJourneyStore::Open(path), IsOk()); }
  const int future = SqliteJourneyStore::kSchemaVersion + 1;
  Exec(path, absl::StrCat("PRAGMA user_version = ", future, ";").c_str());
  EXPECT_THAT(
      SqliteJourneyStore::Open(path),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr(absl::StrCat("schema version ", future,
                                      " but this sidecar knows up to ",
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
