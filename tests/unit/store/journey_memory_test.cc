// The journey memory every backend must provide beyond ingest: phase
// history, journey queries, at-risk list, erasure, retention, the writeback
// outbox and outcomes. Runs against each backend that implements
// JourneyMemory, on a fake clock with fixed jitter.
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/store/in_memory_journey_store.h"
#include "sidecar/store/postgres_journey_store.h"
#include "sidecar/store/sqlite_journey_store.h"
#include "tests/testing/postgres_server.h"
#include "tests/testing/status_matchers.h"

namespace cse::store {
namespace {

using ::cse::testing::IsOk;
using ::cse::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr int64_t kT0 = 1700000000;  // the fake clock's start, unix seconds

absl::Time At(int64_t seconds_after_t0) {
  return absl::FromUnixSeconds(kT0 + seconds_after_t0);
}

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "cse-memory-test-XXXXXX")
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

class FakeClock {
 public:
  absl::Time Now() {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  absl::Mutex mu_;
  absl::Time now_ = At(0);
};

struct Backend {
  std::string name;
  std::function<std::unique_ptr<JourneyMemory>(const TempDir&, StoreOptions)>
      open;
};

void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

IngestRecord Event(std::string event_id, std::string account, std::string phase,
                   int phase_number, int64_t at) {
  IngestRecord r;
  r.source = "zendesk";
  r.event_id = std::move(event_id);
  r.account_id = std::move(account);
  r.phase_id = std::move(phase);
  r.phase_number = phase_number;
  r.phase_decided_by = PhaseDecidedBy::kTextSignal;
  r.phase_explanation = absl::StrCat("lexicon ", r.phase_id);
  r.occurred_at = At(at);
  r.assessment = absl::StrCat("assessment of ", r.event_id);
  return r;
}

IngestRecord WithNegative(IngestRecord r, std::string type) {
  r.critical_events.push_back({std::move(type), Polarity::kNegative});
  return r;
}

IngestRecord WithJobs(IngestRecord r) {
  WritebackSpec tags;
  tags.kind = WritebackKind::kTags;
  tags.object_kind = CrmObjectKind::kTicket;
  tags.object_id = "T-1";
  tags.tags = {"cse-phase-implementation", "cse-restore"};
  WritebackSpec note;
  note.kind = WritebackKind::kNote;
  note.object_kind = CrmObjectKind::kTicket;
  note.object_id = "T-1";
  note.note_markdown = "**Stabilise the situation**";
  note.note_marker = absl::StrCat("cse:zendesk:", r.event_id);
  r.writebacks = {tags, note};
  return r;
}

OutcomeRecord Outcome(std::string account, std::string practice,
                      CustomerReaction reaction, int64_t at) {
  OutcomeRecord o;
  o.account_id = std::move(account);
  o.practice_id = std::move(practice);
  o.organization = Organization::kRegular;
  o.engagement = Engagement::kReactive;
  o.reaction = reaction;
  o.occurred_at = At(at);
  return o;
}

class JourneyMemoryStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { Open(StoreOptions()); }

  void Open(StoreOptions options) {
    options.clock = [c = &clock_] { return c->Now(); };
    options.jitter = [] { return 0.5; };
    options.outbox.max_attempts = 3;
    options.outbox.backoff_base = absl::Seconds(2);
    options.outbox.backoff_cap = absl::Seconds(60);
    store_ = nullptr;
    store_ = GetParam().open(dir_, options);
    ASSERT_NE(store_, nullptr) << GetParam().name << " store did not open";
  }

  void Ingest(const IngestRecord& r) {
    auto result = store_->RecordIngest(r);
    ASSERT_THAT(result, IsOk());
    ASSERT_EQ(*result, std::nullopt) << r.event_id << " was a duplicate";
  }

  std::vector<WritebackJob> Lease(int max = 10,
                                  absl::Duration d = absl::Seconds(30),
                                  std::string lessee = "adapter-1") {
    auto jobs = store_->LeaseWritebacks(
        {.lessee_id = std::move(lessee), .max_jobs = max, .lease_duration = d});
    EXPECT_THAT(jobs, IsOk());
    return jobs.ok() ? *jobs : std::vector<WritebackJob>();
  }

  absl::StatusOr<WritebackJob> Ack(const WritebackJob& job,
                                   WritebackResult result,
                                   absl::Duration retry_after = {}) {
    return store_->AckWriteback({.job_id = job.id,
                                 .lease_token = job.lease_token,
                                 .result = result,
                                 .retry_after = retry_after,
                                 .crm_answer = "answer"});
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<JourneyMemory> store_;
};

TEST_P(JourneyMemoryStoreTest, DuplicateDeliveryCreatesNoNewJobsOrEvents) {
  Ingest(WithJobs(WithNegative(Event("e1", "acme", "impl", 4, 10), "outage")));
  IngestRecord again =
      WithJobs(WithNegative(Event("e1", "acme", "eval", 5, 20), "complaint"));
  again.assessment = "other";
  auto dup = store_->RecordIngest(again);
  ASSERT_THAT(dup, IsOk());
  EXPECT_EQ(*dup, std::optional<std::string>("assessment of e1"));

  auto journey = store_->GetAccountJourney({.account_id = "acme"});
  ASSERT_THAT(journey, IsOk());
  EXPECT_EQ(journey->event_count, 1);
  ASSERT_THAT(journey->critical_events, SizeIs(1));
  EXPECT_EQ(journey->critical_events[0].type, "outage");
  EXPECT_EQ(journey->current_phase_id, "impl");
  EXPECT_THAT(Lease(), SizeIs(2));
}

TEST_P(JourneyMemoryStoreTest, PhaseHistoryFollowsEventTimeWithStepBacks) {
  // Delivered out of order: 300, 100, 200.
  Ingest(Event("e3", "acme", "orientation", 2, 300));
  Ingest(Event("e1", "acme", "trigger", 1, 100));
  Ingest(Event("e2", "acme", "choice", 3, 200));
  // A late event whose phase came only from history (the latest phase)
  // falls into the span of its time and opens none.
  IngestRecord late = Event("e25", "acme", "orientation", 2, 250);
  late.phase_decided_by = PhaseDecidedBy::kAccountHistory;
  Ingest(late);
  EXPECT_THAT(store_->LastKnownPhase("acme"),
              ::cse::testing::IsOkAndHolds(std::string("orientation")));

  auto journey = store_->GetAccountJourney({.account_id = "acme"});
  ASSERT_THAT(journey, IsOk());
  EXPECT_EQ(journey->current_phase_id, "orientation");
  const auto& h = journey->phase_history;
  ASSERT_THAT(h, SizeIs(3));
  EXPECT_EQ(h[0].phase_id, "trigger");
  EXPECT_EQ(h[0].entered_at, At(100));
  EXPECT_EQ(h[0].left_at, At(200));
  EXPECT_FALSE(h[0].step_back);
  EXPECT_EQ(h[1].phase_id, "choice");
  EXPECT_EQ(h[1].previous_phase_id, "trigger");
  EXPECT_EQ(h[1].event_count, 2);  // e2 and the late e25
  EXPECT_FALSE(h[1].step_back);
  EXPECT_EQ(h[2].phase_id, "orientation");
  EXPECT_TRUE(h[2].step_back);  // B2B journeys iterate
  EXPECT_EQ(h[2].entered_by_event_id, "e3");
  EXPECT_EQ(h[2].decided_by, PhaseDecidedBy::kTextSignal);
  EXPECT_EQ(h[2].explanation, "lexicon orientation");
  EXPECT_EQ(h[2].left_at, absl::InfiniteFuture());
}

TEST_P(JourneyMemoryStoreTest,
       SequenceBreaksTiesBetweenEventsOfTheSameInstant) {
  IngestRecord second = Event("b", "acme", "choice", 3, 100);
  second.sequence = 2;
  IngestRecord first = Event("a", "acme", "orientation", 2, 100);
  first.sequence = 1;
  Ingest(second);
  Ingest(first);
  EXPECT_THAT(store_->LastKnownPhase("acme"),
              ::cse::testing::IsOkAndHolds(std::string("choice")));
  auto journey = store_->GetAccountJourney({.account_id = "acme"});
  ASSERT_THAT(journey, IsOk());
  ASSERT_THAT(journey->phase_history, SizeIs(2));
  EXPECT_EQ(journey->phase_history[1].phase_id, "choice");
}

TEST_P(JourneyMemoryStoreTest,
       JourneyListsWhatWasRecordedNewestWithinTheLimit) {
  clock_.Advance(absl::Seconds(1000));  // after the events: they are open
  IngestRecord e1 = WithNegative(Event("e1", "acme", "impl", 4, 100), "outage");
  e1.suggestions = {{"P10", Organization::kRegular, Engagement::kReactive,
                     Effect::kRestore, 2.5},
                    {"P8", Organization::kAdHoc, Engagement::kProactive,
                     Effect::kBolster, 1.5}};
  Ingest(e1);
  Ingest(WithNegative(Event("e2", "acme", "impl", 4, 200), "complaint"));
  Ingest(Event("e3", "acme", "impl", 4, 300));
  Ingest(Event("x1", "globex", "trigger", 1, 100));

  auto journey = store_->GetAccountJourney({.account_id = "acme"});
  ASSERT_THAT(journey, IsOk());
  EXPECT_EQ(journey->event_count, 3);
  ASSERT_THAT(journey->events, SizeIs(3));
  EXPECT_EQ(journey->events[0].event_id, "e1");
  EXPECT_EQ(journey->events[0].occurred_at, At(100));
  ASSERT_THAT(journey->suggestions, SizeIs(2));
  EXPECT_EQ(journey->suggestions[0].rank, 1);
  EXPECT_EQ(journey->suggestions[0].suggestion.practice_id, "P10");
  EXPECT_EQ(journey->suggestions[1].suggestion.engagement,
            Engagement::kProactive);
  EXPECT_DOUBLE_EQ(journey->suggestions[1].suggestion.score, 1.5);
  EXPECT_EQ(journey->open_negative_event_count, 2);
  ASSERT_THAT(journey->critical_events, SizeIs(2));
  EXPECT_TRUE(journey->critical_events[0].open);

  auto limited =
      store_->GetAccountJourney({.account_id = "acme", .max_items = 1});
  ASSERT_THAT(limited, IsOk());
  EXPECT_EQ(limited->event_count, 3);
  ASSERT_THAT(limited->events, SizeIs(1));
  EXPECT_EQ(limited->events[0].event_id, "e3");
  ASSERT_THAT(limited->critical_events, SizeIs(1));
  EXPECT_EQ(limited->critical_events[0].type, "complaint");
  EXPECT_EQ(limited->open_negative_event_count, 2);
  EXPECT_THAT(limited->phase_history, SizeIs(1));

  EXPECT_THAT(store_->GetAccountJourney({.account_id = "nobody"}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nobody")));
}

TEST_P(JourneyMemoryStoreTest, AtRiskListsOpenNegativeEventsMostAtRiskFirst) {
  clock_.Advance(absl::Hours(24 * 60));  // now = day 60
  const int64_t day = 24 * 3600;
  // a: two open negatives.
  Ingest(WithNegative(Event("a1", "a", "impl", 4, 50 * day), "outage"));
  Ingest(WithNegative(Event("a2", "a", "impl", 4, 51 * day), "outage"));
  // b: one open negative, newer than c's.
  Ingest(WithNegative(Event("b1", "b", "impl", 4, 55 * day), "complaint"));
  // c: one open negative, and one answered by a restoring outcome.
  Ingest(WithNegative(Event("c1", "c", "impl", 4, 52 * day), "escalation"));
  Ingest(WithNegative(Event("c2", "c", "impl", 4, 53 * day), "outage"));
  ASSERT_THAT(store_->RecordOutcome(
                  Outcome("c", "P10", CustomerReaction::kRestored, 54 * day)),
              IsOk());  // no event named: defaults to no critical event type
  OutcomeRecord fixed =
      Outcome("c", "P10", CustomerReaction::kRestored, 54 * day);
  fixed.source = "zendesk";
  fixed.event_id = "c2";
  ASSERT_THAT(store_->RecordOutcome(fixed), IsOk());
  // d: only an opportunity; e: a negative older than the 30-day window;
  // f: answered by type; g: an outcome that did not help.
  IngestRecord d = Event("d1", "d", "eval", 5, 56 * day);
  d.critical_events.push_back({"renewal", Polarity::kOpportunity});
  Ingest(d);
  Ingest(WithNegative(Event("e1", "e", "impl", 4, 20 * day), "outage"));
  Ingest(WithNegative(Event("f1", "f", "impl", 4, 50 * day), "outage"));
  OutcomeRecord by_type =
      Outcome("f", "P4", CustomerReaction::kBolstered, 51 * day);
  by_type.critical_event_type = "outage";
  ASSERT_THAT(store_->RecordOutcome(by_type), IsOk());
  Ingest(WithNegative(Event("g1", "g", "impl", 4, 40 * day), "outage"));
  OutcomeRecord worse =
      Outcome("g", "P4", CustomerReaction::kWorsened, 41 * day);
  worse.critical_event_type = "outage";
  ASSERT_THAT(store_->RecordOutcome(worse), IsOk());

  auto risks = store_->ListAccountsAtRisk({});
  ASSERT_THAT(risks, IsOk());
  std::vector<std::string> order;
  for (const AccountRisk& r : *risks) order.push_back(r.account_id);
  EXPECT_THAT(order, ElementsAre("a", "b", "c", "g"));
  EXPECT_EQ((*risks)[0].open_negative_event_count, 2);
  EXPECT_THAT((*risks)[0].open_event_types, ElementsAre("outage"));
  EXPECT_EQ((*risks)[0].oldest_open_at, At(50 * day));
  EXPECT_EQ((*risks)[0].latest_open_at, At(51 * day));
  EXPECT_EQ((*risks)[0].current_phase_id, "impl");
  EXPECT_THAT((*risks)[2].open_event_types, ElementsAre("escalation"));

  auto page = store_->ListAccountsAtRisk({.limit = 2, .offset = 1});
  ASSERT_THAT(page, IsOk());
  ASSERT_THAT(*page, SizeIs(2));
  EXPECT_EQ((*page)[0].account_id, "b");
  // A wider window reopens e's old outage.
  auto wide = store_->ListAccountsAtRisk({.open_window = absl::Hours(24 * 90)});
  ASSERT_THAT(wide, IsOk());
  EXPECT_THAT(*wide, SizeIs(5));
  // Evaluated before b's event happened, b is not at risk yet.
  auto earlier = store_->ListAccountsAtRisk({.as_of = At(54 * day)});
  ASSERT_THAT(earlier, IsOk());
  for (const AccountRisk& r : *earlier) EXPECT_NE(r.account_id, "b");
}

TEST_P(JourneyMemoryStoreTest, EraseAccountRemovesEverythingOfThatAccountOnly) {
  Ingest(WithJobs(WithNegative(Event("e1", "acme", "impl", 4, 10), "outage")));
  Ingest(WithJobs(Event("x1", "globex", "trigger", 1, 10)));
  ASSERT_THAT(store_->RecordOutcome(
                  Outcome("acme", "P10", CustomerReaction::kRestored, 20)),
              IsOk());
  // One of acme's jobs is leased right now.
  std::vector<WritebackJob> leased = Lease(1);
  ASSERT_THAT(leased, SizeIs(1));
  ASSERT_EQ(leased[0].account_id, "acme");

  auto erased = store_->EraseAccount("acme");
  ASSERT_THAT(erased, IsOk());
  EXPECT_EQ(erased->events, 1);
  EXPECT_EQ(erased->outcomes, 1);
  EXPECT_EQ(erased->writeback_jobs, 2);

  EXPECT_THAT(store_->GetAccountJourney({.account_id = "acme"}),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->FindAssessment("zendesk", "e1"),
              ::cse::testing::IsOkAndHolds(std::nullopt));
  EXPECT_THAT(store_->LastKnownPhase("acme"),
              ::cse::testing::IsOkAndHolds(std::string()));
  EXPECT_THAT(Ack(leased[0], WritebackResult::kDone),
              StatusIs(absl::StatusCode::kNotFound));
  for (const WritebackJob& job : Lease()) EXPECT_EQ(job.account_id, "globex");
  auto risks = store_->ListAccountsAtRisk({});
  ASSERT_THAT(risks, IsOk());
  EXPECT_THAT(*risks, IsEmpty());
  auto applied = store_->CircumplexCounts("", CircumplexBasis::kApplied, {});
  ASSERT_THAT(applied, IsOk());
  EXPECT_THAT(*applied, IsEmpty());
  EXPECT_THAT(store_->GetAccountJourney({.account_id = "globex"}), IsOk());
  // Erasing again (or an unknown account) succeeds with nothing to do.
  auto again = store_->EraseAccount("acme");
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->events, 0);
}

TEST_P(JourneyMemoryStoreTest, BodiesAreDroppedByDefaultAndKeptWhenConfigured) {
  IngestRecord r = Event("e1", "acme", "impl", 4, 10);
  r.body = "the whole message text";
  Ingest(r);
  auto journey = store_->GetAccountJourney({.account_id = "acme"});
  ASSERT_THAT(journey, IsOk());
  EXPECT_EQ(journey->events[0].body, "");

  StoreOptions keep;
  keep.retention.keep_bodies = true;
  Open(keep);
  IngestRecord r2 = Event("e2", "kept", "impl", 4, 10);
  r2.body = "kept text";
  Ingest(r2);
  auto kept = store_->GetAccountJourney({.account_id = "kept"});
  ASSERT_THAT(kept, IsOk());
  EXPECT_EQ(kept->events[0].body, "kept text");
}

TEST_P(JourneyMemoryStoreTest, LeasedJobsAreDoneAfterAnAckAndNeverLeasedAgain) {
  Ingest(WithJobs(Event("e1", "acme", "impl", 4, 10)));
  std::vector<WritebackJob> jobs = Lease();
  ASSERT_THAT(jobs, SizeIs(2));
  for (const WritebackJob& job : jobs) {
    EXPECT_EQ(job.state, WritebackState::kLeased);
    EXPECT_EQ(job.attempts, 1);
    EXPECT_EQ(job.target_system, "zendesk");
    EXPECT_EQ(job.lessee_id, "adapter-1");
    EXPECT_EQ(job.lease_expires_at, At(30));
    EXPECT_FALSE(job.lease_token.empty());
  }
  EXPECT_NE(jobs[0].lease_token, jobs[1].lease_token);
  const WritebackJob& tags =
      jobs[0].spec.kind == WritebackKind::kTags ? jobs[0] : jobs[1];
  EXPECT_THAT(tags.spec.tags,
              ElementsAre("cse-phase-implementation", "cse-restore"));
  EXPECT_EQ(tags.spec.object_id, "T-1");
  EXPECT_EQ(tags.idempotency_key, "zendesk:e1:tags");
  const WritebackJob& note =
      jobs[0].spec.kind == WritebackKind::kNote ? jobs[0] : jobs[1];
  EXPECT_EQ(note.spec.note_marker, "cse:zendesk:e1");

  EXPECT_THAT(Lease(), IsEmpty());  // still leased
  for (const WritebackJob& job : jobs) {
    auto acked = Ack(job, WritebackResult::kDone);
    ASSERT_THAT(acked, IsOk());
    EXPECT_EQ(acked->state, WritebackState::kDone);
    EXPECT_EQ(acked->last_crm_answer, "answer");
  }
  clock_.Advance(absl::Hours(1));
  EXPECT_THAT(Lease(), IsEmpty());
  // A second ack of a done job holds a stale lease.
  EXPECT_THAT(Ack(jobs[0], WritebackResult::kDone),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_P(JourneyMemoryStoreTest,
       ExpiredLeaseIsLeasableAgainAndTheOldTokenIsStale) {
  Ingest(WithJobs(Event("e1", "acme", "impl", 4, 10)));
  std::vector<WritebackJob> first = Lease(1, absl::Seconds(10), "crashed");
  ASSERT_THAT(first, SizeIs(1));
  clock_.Advance(absl::Seconds(9));
  std::vector<WritebackJob> other = Lease(10, absl::Seconds(10), "other");
  ASSERT_THAT(other, SizeIs(1));  // only the job never leased
  EXPECT_NE(other[0].id, first[0].id);
  clock_.Advance(absl::Seconds(2));  // first's lease expired
  std::vector<WritebackJob> again = Lease(10, absl::Seconds(10), "second");
  ASSERT_THAT(again, SizeIs(1));
  EXPECT_EQ(again[0].id, first[0].id);
  EXPECT_EQ(again[0].attempts, 2);
  EXPECT_EQ(again[0].lessee_id, "second");
  EXPECT_NE(again[0].lease_token, first[0].lease_token);
  EXPECT_THAT(Ack(first[0], WritebackResult::kDone),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("not leased under this token")));
  EXPECT_THAT(Ack(again[0], WritebackResult::kDone), IsOk());
}

TEST_P(JourneyMemoryStoreTest, AckNeedsTheLeaseTokenAndAKnownJob) {
  Ingest(WithJobs(Event("e1", "acme", "impl", 4, 10)));
  std::vector<WritebackJob> jobs = Lease(1);
  ASSERT_THAT(jobs, SizeIs(1));
  WritebackJob forged = jobs[0];
  forged.lease_token = "not-the-token";
  EXPECT_THAT(Ack(forged, WritebackResult::kDone),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  forged.lease_token = "";
  EXPECT_THAT(Ack(forged, WritebackResult::kDone),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  forged.id = 987654;
  forged.lease_token = jobs[0].lease_token;
  EXPECT_THAT(Ack(forged, WritebackResult::kDone),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("987654")));
  // An ack after the lease expired, before anyone else took the job, is
  // still the lessee's to give.
  clock_.Advance(absl::Minutes(5));
  EXPECT_THAT(Ack(jobs[0], WritebackResult::kDone), IsOk());
  EXPECT_THAT(
      store_->LeaseWritebacks({.lessee_id = ""}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("lessee_id")));
}

TEST_P(JourneyMemoryStoreTest, RetryableFailureBacksOffHonouringRetryAfter) {
  Ingest(WithJobs(Event("e1", "acme", "impl", 4, 10)));
  std::vector<WritebackJob> jobs = Lease(1);
  ASSERT_THAT(jobs, SizeIs(1));
  // Attempt 1, base 2 s, jitter 0.5: 1 s.
  auto failed = Ack(jobs[0], WritebackResult::kFailedRetryable);
  ASSERT_THAT(failed, IsOk());
  EXPECT_EQ(failed->state, WritebackState::kPending);
  EXPECT_EQ(failed->not_before, At(1));
  EXPECT_EQ(failed->attempts, 1);

  // The other job, held for the rest of the test; then this one is due
  // again after a second.
  ASSERT_THAT(Lease(10, absl::Hours(1)), SizeIs(1));
  clock_.Advance(absl::Seconds(1));
  jobs = Lease(10);
  ASSERT_THAT(jobs, SizeIs(1));
  EXPECT_EQ(jobs[0].id, failed->id);
  EXPECT_EQ(jobs[0].attempts, 2);
  // The CRM said Retry-After 30 s: longer than the backoff (2 s), so wins.
  auto throttled =
      Ack(jobs[0], WritebackResult::kFailedRetryable, absl::Seconds(30));
  ASSERT_THAT(throttled, IsOk());
  EXPECT_EQ(throttled->not_before, At(1 + 30));
  clock_.Advance(absl::Seconds(29));
  EXPECT_THAT(Lease(10), IsEmpty());
  clock_.Advance(absl::Seconds(1));
  EXPECT_THAT(Lease(10), SizeIs(1));
}

TEST_P(JourneyMemoryStoreTest, ExhaustedAttemptsDeadLetterAndAdminsCanRetry) {
  Ingest(WithJobs(Event("e1", "acme", "impl", 4, 10)));
  std::vector<WritebackJob> jobs = Lease(1);
  const int64_t id = jobs[0].id;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    ASSERT_THAT(jobs, SizeIs(1)) << attempt;
    ASSERT_EQ(jobs[0].id, id);
    auto failed = Ack(jobs[0], WritebackResult::kFailedRetryable);
    ASSERT_THAT(failed, IsOk());
    if (attempt < 3) {
      EXPECT_EQ(failed->state, WritebackState::kPending);
    } else {
      EXPECT_EQ(failed->state, WritebackState::kDeadLetter);
      EXPECT_EQ(failed->dead_letter_reason, "3 attempts exhausted");
    }
    clock_.Advance(absl::Minutes(10));
    jobs = store_
               ->LeaseWritebacks({.lessee_id = "a",
                                  .max_jobs = 1,
                                  .lease_duration = absl::Seconds(30),
                                  .target_system = ""})
               .value();
    if (!jobs.empty() && jobs[0].id != id) {
      ASSERT_THAT(Ack(jobs[0], WritebackResult::kDone), IsOk());
      jobs = Lease(1);
    }
  }
  EXPECT_THAT(jobs, IsEmpty());

  auto dead = store_->ListDeadLetters({});
  ASSERT_THAT(dead, IsOk());
  ASSERT_THAT(*dead, SizeIs(1));
  EXPECT_EQ((*dead)[0].id, id);
  EXPECT_EQ((*dead)[0].state, WritebackState::kDeadLetter);
  EXPECT_EQ((*dead)[0].last_crm_answer, "answer");
  EXPECT_EQ((*dead)[0].lease_token, "");
  EXPECT_THAT(*store_->ListDeadLetters({.target_system = "hubspot"}),
              IsEmpty());
  EXPECT_THAT(*store_->ListDeadLetters({.account_id = "acme"}), SizeIs(1));

  auto retried = store_->RetryDeadLetter(id);
  ASSERT_THAT(retried, IsOk());
  EXPECT_EQ(retried->state, WritebackState::kPending);
  EXPECT_EQ(retried->attempts, 0);
  EXPECT_THAT(*store_->ListDeadLetters({}), IsEmpty());
  jobs = Lease(1);
  ASSERT_THAT(jobs, SizeIs(1));
  EXPECT_EQ(jobs[0].id, id);
  EXPECT_THAT(store_->RetryDeadLetter(id),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("not a dead letter")));
  EXPECT_THAT(store_->RetryDeadLetter(424242),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(JourneyMemoryStoreTest, PermanentFailureDeadLettersAtOnce) {
  Ingest(WithJobs(Event("e1", "acme", "impl", 4, 10)));
  std::vector<WritebackJob> jobs = Lease(1);
  ASSERT_THAT(jobs, SizeIs(1));
  auto dead = Ack(jobs[0], WritebackResult::kFailedPermanent);
  ASSERT_THAT(dead, IsOk());
  EXPECT_EQ(dead->state, WritebackState::kDeadLetter);
  EXPECT_EQ(dead->dead_letter_reason, "permanent failure");
  EXPECT_EQ(dead->dead_lettered_at, At(0));
}

TEST_P(JourneyMemoryStoreTest, LeasesThatKeepExpiringUseUpTheAttempts) {
  Ingest(WithJobs(Event("e1", "acme", "impl", 4, 10)));
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(Lease(10, absl::Seconds(5)), SizeIs(i == 0 ? 2 : 2)) << i;
    clock_.Advance(absl::Seconds(6));
  }
  EXPECT_THAT(Lease(10), IsEmpty());
  auto dead = store_->ListDeadLetters({});
  ASSERT_THAT(dead, IsOk());
  ASSERT_THAT(*dead, SizeIs(2));
  EXPECT_THAT((*dead)[0].dead_letter_reason, HasSubstr("lease expired"));
}

TEST_P(JourneyMemoryStoreTest, LeaseFiltersByTargetSystemAndHonoursMaxJobs) {
  Ingest(WithJobs(Event("e1", "acme", "impl", 4, 10)));
  IngestRecord hub = WithJobs(Event("h1", "acme", "impl", 4, 10));
  hub.source = "hubspot";
  Ingest(hub);
  auto jobs = store_->LeaseWritebacks({.lessee_id = "hub",
                                       .max_jobs = 10,
                                       .lease_duration = absl::Seconds(5),
                                       .target_system = "hubspot"});
  ASSERT_THAT(jobs, IsOk());
  ASSERT_THAT(*jobs, SizeIs(2));
  for (const WritebackJob& j : *jobs) EXPECT_EQ(j.target_system, "hubspot");
  EXPECT_THAT(Lease(1), SizeIs(1));
  EXPECT_THAT(Lease(5), SizeIs(1));
}

TEST_P(JourneyMemoryStoreTest, ConcurrentLesseesNeverGetTheSameJob) {
  for (int i = 0; i < 40; ++i) {
    Ingest(WithJobs(Event(absl::StrCat("e", i), "acme", "impl", 4, i)));
  }
  absl::Mutex mu;
  std::vector<int64_t> seen;
  std::vector<std::thread> lessees;
  for (int t = 0; t < 4; ++t) {
    lessees.emplace_back([&, t] {
      for (;;) {
        auto jobs =
            store_->LeaseWritebacks({.lessee_id = absl::StrCat("adapter-", t),
                                     .max_jobs = 3,
                                     .lease_duration = absl::Seconds(60)});
        ASSERT_THAT(jobs, IsOk());
        if (jobs->empty()) return;
        absl::MutexLock lock(&mu);
        for (const WritebackJob& j : *jobs) seen.push_back(j.id);
      }
    });
  }
  for (auto& t : lessees) t.join();
  EXPECT_THAT(seen, SizeIs(80));
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), 80u);
}

TEST_P(JourneyMemoryStoreTest, OutcomesDefaultFromTheirEventAndAreCounted) {
  IngestRecord e = Event("e1", "acme", "impl", 4, 10);
  e.critical_events = {{"praise", Polarity::kOpportunity},
                       {"outage", Polarity::kNegative}};
  Ingest(e);
  OutcomeRecord o = Outcome("acme", "P10", CustomerReaction::kRestored, 20);
  o.source = "zendesk";
  o.event_id = "e1";
  o.outcome_id = "crm-activity-1";
  o.description = "patched the export, called the IT manager";
  o.recorded_by = "jane";
  auto recorded = store_->RecordOutcome(o);
  ASSERT_THAT(recorded, IsOk());
  EXPECT_FALSE(recorded->duplicate);
  EXPECT_EQ(recorded->outcome.phase_id, "impl");
  EXPECT_EQ(recorded->outcome.critical_event_type, "outage");
  EXPECT_EQ(recorded->outcome.recorded_at, At(0));

  OutcomeRecord again = o;
  again.reaction = CustomerReaction::kWorsened;
  auto dup = store_->RecordOutcome(again);
  ASSERT_THAT(dup, IsOk());
  EXPECT_TRUE(dup->duplicate);
  EXPECT_EQ(dup->outcome.reaction, CustomerReaction::kRestored);
  EXPECT_EQ(dup->outcome.description, o.description);

  // On the team's own initiative: the account's current phase.
  ASSERT_THAT(store_->RecordOutcome(
                  Outcome("acme", "P10", CustomerReaction::kNoChange, 30)),
              IsOk());
  OutcomeRecord typed = Outcome("acme", "P10", CustomerReaction::kRestored, 40);
  typed.critical_event_type = "outage";
  ASSERT_THAT(store_->RecordOutcome(typed), IsOk());
  auto tallies = store_->OutcomeTallies();
  ASSERT_THAT(tallies, IsOk());
  ASSERT_THAT(*tallies, SizeIs(2));
  EXPECT_EQ((*tallies)[0].phase_id, "impl");
  EXPECT_EQ((*tallies)[0].critical_event_type, "");
  EXPECT_EQ((*tallies)[0].no_change, 1);
  EXPECT_EQ((*tallies)[1].critical_event_type, "outage");
  EXPECT_EQ((*tallies)[1].practice_id, "P10");
  EXPECT_EQ((*tallies)[1].restored, 2);
  EXPECT_EQ((*tallies)[1].worsened, 0);

  auto journey = store_->GetAccountJourney({.account_id = "acme"});
  ASSERT_THAT(journey, IsOk());
  ASSERT_THAT(journey->outcomes, SizeIs(3));
  EXPECT_EQ(journey->outcomes[0].outcome_id, "crm-activity-1");
  EXPECT_EQ(journey->outcomes[0].recorded_by, "jane");
  EXPECT_FALSE(journey->outcomes[1].outcome_id.empty());
}

TEST_P(JourneyMemoryStoreTest, OutcomesAreCheckedBeforeTheyAreStored) {
  Ingest(Event("e1", "acme", "impl", 4, 10));
  OutcomeRecord o = Outcome("globex", "P1", CustomerReaction::kRestored, 20);
  o.source = "zendesk";
  o.event_id = "e1";
  EXPECT_THAT(store_->RecordOutcome(o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("another account")));
  o.event_id = "missing";
  EXPECT_THAT(store_->RecordOutcome(o),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing")));
  OutcomeRecord no_reaction =
      Outcome("acme", "P1", CustomerReaction::kUnspecified, 20);
  EXPECT_THAT(
      store_->RecordOutcome(no_reaction),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reaction")));
  OutcomeRecord half = Outcome("acme", "P1", CustomerReaction::kRestored, 20);
  half.source = "zendesk";
  EXPECT_THAT(
      store_->RecordOutcome(half),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event_id")));
  auto tallies = store_->OutcomeTallies();
  ASSERT_THAT(tallies, IsOk());
  EXPECT_THAT(*tallies, IsEmpty());
}

IngestRecord WithSuggestion(IngestRecord r, std::string practice,
                            Organization organization, Engagement engagement) {
  SuggestionRecord s;
  s.practice_id = std::move(practice);
  s.organization = organization;
  s.engagement = engagement;
  s.effect = engagement == Engagement::kProactive ? Effect::kBolster
                                                  : Effect::kRestore;
  s.score = 1.0 / static_cast<double>(r.suggestions.size() + 1);
  r.suggestions.push_back(std::move(s));
  return r;
}

// An agent's outcome tag names a practice, not an event: the outcome follows
// the account's latest suggestion of it, and takes its mode from there.
TEST_P(JourneyMemoryStoreTest,
       AnOutcomeCanFollowTheLatestSuggestionOfItsPractice) {
  Ingest(
      WithSuggestion(WithNegative(Event("e1", "acme", "impl", 4, 10), "outage"),
                     "P10", Organization::kAdHoc, Engagement::kReactive));
  Ingest(WithSuggestion(
      WithSuggestion(
          WithNegative(Event("e2", "acme", "eval", 5, 20), "complaint"), "P9",
          Organization::kAdHoc, Engagement::kReactive),
      "P10", Organization::kRegular, Engagement::kReactive));
  // Later than the outcome below, and another account: neither is followed.
  Ingest(WithSuggestion(Event("e3", "acme", "impl", 4, 40), "P10",
                        Organization::kAdHoc, Engagement::kProactive));
  Ingest(WithSuggestion(Event("g1", "globex", "impl", 4, 25), "P10",
                        Organization::kAdHoc, Engagement::kProactive));

  OutcomeRecord o = Outcome("acme", "P10", CustomerReaction::kRestored, 30);
  o.organization = Organization::kUnspecified;
  o.engagement = Engagement::kUnspecified;
  o.follow_latest_suggestion = true;
  auto recorded = store_->RecordOutcome(o);
  ASSERT_THAT(recorded, IsOk());
  EXPECT_EQ(recorded->outcome.source, "zendesk");
  EXPECT_EQ(recorded->outcome.event_id, "e2");
  EXPECT_EQ(recorded->outcome.phase_id, "eval");
  EXPECT_EQ(recorded->outcome.critical_event_type, "complaint");
  EXPECT_EQ(recorded->outcome.organization, Organization::kRegular);
  EXPECT_EQ(recorded->outcome.engagement, Engagement::kReactive);

  // What the tag says about the mode wins over the suggestion.
  OutcomeRecord proactive = o;
  proactive.occurred_at = At(15);
  proactive.engagement = Engagement::kProactive;
  auto earlier = store_->RecordOutcome(proactive);
  ASSERT_THAT(earlier, IsOk());
  EXPECT_EQ(earlier->outcome.event_id, "e1");
  EXPECT_EQ(earlier->outcome.organization, Organization::kAdHoc);
  EXPECT_EQ(earlier->outcome.engagement, Engagement::kProactive);

  // An explicit event gives the mode too.
  OutcomeRecord explicit_event =
      Outcome("acme", "P9", CustomerReaction::kBolstered, 30);
  explicit_event.organization = Organization::kUnspecified;
  explicit_event.engagement = Engagement::kUnspecified;
  explicit_event.source = "zendesk";
  explicit_event.event_id = "e2";
  auto followed = store_->RecordOutcome(explicit_event);
  ASSERT_THAT(followed, IsOk());
  EXPECT_EQ(followed->outcome.organization, Organization::kAdHoc);

  auto tallies = store_->OutcomeTallies();
  ASSERT_THAT(tallies, IsOk());
  EXPECT_THAT(*tallies, SizeIs(3));
}

TEST_P(JourneyMemoryStoreTest,
       AnOutcomeWithoutAModeNeedsASuggestionToTakeItFrom) {
  Ingest(WithSuggestion(Event("e1", "acme", "impl", 4, 10), "P10",
                        Organization::kAdHoc, Engagement::kReactive));
  // Never suggested to the account: applied on the team's own initiative,
  // so the mode must be said.
  OutcomeRecord o = Outcome("acme", "P2", CustomerReaction::kBolstered, 20);
  o.organization = Organization::kUnspecified;
  o.follow_latest_suggestion = true;
  EXPECT_THAT(store_->RecordOutcome(o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("organization: required"),
                             HasSubstr("no followed suggestion of P2"))));
  // The followed event did not suggest it.
  o.source = "zendesk";
  o.event_id = "e1";
  o.follow_latest_suggestion = false;
  EXPECT_THAT(store_->RecordOutcome(o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("(zendesk, e1) did not suggest P2")));
  // Suggested only after the outcome: not followed.
  OutcomeRecord before = Outcome("acme", "P10", CustomerReaction::kRestored, 5);
  before.engagement = Engagement::kUnspecified;
  before.follow_latest_suggestion = true;
  EXPECT_THAT(store_->RecordOutcome(before),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("engagement: required")));
  // Said in full, it is recorded on its own, in the account's phase.
  OutcomeRecord own = Outcome("acme", "P2", CustomerReaction::kBolstered, 20);
  own.follow_latest_suggestion = true;
  auto recorded = store_->RecordOutcome(own);
  ASSERT_THAT(recorded, IsOk());
  EXPECT_EQ(recorded->outcome.event_id, "");
  EXPECT_EQ(recorded->outcome.phase_id, "impl");
  auto tallies = store_->OutcomeTallies();
  ASSERT_THAT(tallies, IsOk());
  EXPECT_THAT(*tallies, SizeIs(1));
}

TEST_P(JourneyMemoryStoreTest, CircumplexCountsAppliedAndSuggestedPractices) {
  IngestRecord e = Event("e1", "acme", "impl", 4, 10);
  e.suggestions = {{"P10", Organization::kRegular, Engagement::kReactive,
                    Effect::kRestore, 2},
                   {"P2", Organization::kAdHoc, Engagement::kProactive,
                    Effect::kBolster, 1}};
  Ingest(e);
  IngestRecord g = Event("g1", "globex", "impl", 4, 10);
  g.suggestions = {{"P10", Organization::kRegular, Engagement::kReactive,
                    Effect::kRestore, 2}};
  Ingest(g);
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(store_->RecordOutcome(
                    Outcome("acme", "P10", CustomerReaction::kRestored, 20)),
                IsOk());
  }
  OutcomeRecord proactive =
      Outcome("globex", "P2", CustomerReaction::kBolstered, 20);
  proactive.organization = Organization::kAdHoc;
  proactive.engagement = Engagement::kProactive;
  ASSERT_THAT(store_->RecordOutcome(proactive), IsOk());

  auto applied =
      store_->CircumplexCounts("acme", CircumplexBasis::kApplied, {});
  ASSERT_THAT(applied, IsOk());
  ASSERT_THAT(*applied, SizeIs(1));
  EXPECT_EQ((*applied)[0].phase_id, "impl");
  EXPECT_EQ((*applied)[0].organization, Organization::kRegular);
  EXPECT_EQ((*applied)[0].engagement, Engagement::kReactive);
  EXPECT_EQ((*applied)[0].practice_id, "P10");
  EXPECT_EQ((*applied)[0].count, 3);

  auto portfolio = store_->CircumplexCounts("", CircumplexBasis::kApplied, {});
  ASSERT_THAT(portfolio, IsOk());
  ASSERT_THAT(*portfolio, SizeIs(2));
  EXPECT_EQ((*portfolio)[0].organization, Organization::kAdHoc);
  EXPECT_EQ((*portfolio)[0].count, 1);

  auto suggested =
      store_->CircumplexCounts("", CircumplexBasis::kSuggested, {});
  ASSERT_THAT(suggested, IsOk());
  ASSERT_THAT(*suggested, SizeIs(2));
  EXPECT_EQ((*suggested)[1].practice_id, "P10");
  EXPECT_EQ((*suggested)[1].count, 2);

  // A window counts the work in [since, until) only.
  IngestRecord later = Event("e2", "acme", "impl", 4, 50);
  later.suggestions = {{"P8", Organization::kRegular, Engagement::kProactive,
                        Effect::kBolster, 1}};
  Ingest(later);
  OutcomeRecord last = Outcome("acme", "P8", CustomerReaction::kBolstered, 60);
  last.engagement = Engagement::kProactive;
  ASSERT_THAT(store_->RecordOutcome(last), IsOk());
  const TimeWindow after_20{.since = At(21)};
  auto recent =
      store_->CircumplexCounts("", CircumplexBasis::kApplied, after_20);
  ASSERT_THAT(recent, IsOk());
  ASSERT_THAT(*recent, SizeIs(1));
  EXPECT_EQ((*recent)[0].practice_id, "P8");
  const TimeWindow up_to_20{.until = At(20)};
  auto none =
      store_->CircumplexCounts("acme", CircumplexBasis::kApplied, up_to_20);
  ASSERT_THAT(none, IsOk());
  EXPECT_THAT(*none, IsEmpty());
  const TimeWindow exactly_20{.since = At(20), .until = At(21)};
  auto at_20 =
      store_->CircumplexCounts("", CircumplexBasis::kApplied, exactly_20);
  ASSERT_THAT(at_20, IsOk());
  EXPECT_THAT(*at_20, SizeIs(2));
  auto suggested_late = store_->CircumplexCounts(
      "acme", CircumplexBasis::kSuggested, TimeWindow{.since = At(11)});
  ASSERT_THAT(suggested_late, IsOk());
  ASSERT_THAT(*suggested_late, SizeIs(1));
  EXPECT_EQ((*suggested_late)[0].practice_id, "P8");
}

std::unique_ptr<JourneyMemory> OpenSqlite(const TempDir& dir,
                                          StoreOptions options) {
  auto s = SqliteJourneyStore::Open(dir.File("journey.db"), std::move(options));
  EXPECT_THAT(s, IsOk());
  return s.ok() ? *std::move(s) : nullptr;
}

// A new database per test on this process's throwaway server. A server
// that cannot start fails the test; it is never skipped. Reopening within a
// test (a new retention setting) keeps the test's database, as reopening
// keeps SQLite's file.
std::unique_ptr<JourneyMemory> OpenPostgres(const TempDir& dir,
                                            StoreOptions options) {
  const std::string url_file = dir.File("postgres-url");
  std::string url;
  if (std::ifstream in(url_file); in) std::getline(in, url);
  if (url.empty()) {
    auto server = cse::testing::PostgresServer::Shared();
    EXPECT_THAT(server, IsOk());
    if (!server.ok()) return nullptr;
    auto created = (*server)->CreateDatabase();
    EXPECT_THAT(created, IsOk());
    if (!created.ok()) return nullptr;
    url = *created;
    std::ofstream(url_file) << url;
  }
  auto s = PostgresJourneyStore::Open(url, std::move(options),
                                      PostgresJourneyStore::Options());
  EXPECT_THAT(s, IsOk());
  return s.ok() ? *std::move(s) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(
    Backends, JourneyMemoryStoreTest,
    ::testing::Values(Backend{"InMemory",
                              [](const TempDir&, StoreOptions options)
                                  -> std::unique_ptr<JourneyMemory> {
                                return std::make_unique<InMemoryJourneyStore>(
                                    100000, std::move(options));
                              }},
                      Backend{"Sqlite", &OpenSqlite},
                      Backend{"Postgres", &OpenPostgres}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace cse::store
