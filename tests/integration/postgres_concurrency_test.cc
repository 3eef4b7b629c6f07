// Two cse-sidecar processes on one PostgreSQL journey store, driven through
// the public gRPC API: thousands of events ingested through both (some of
// them delivered to both at once), then two lessees draining the writeback
// outbox concurrently through both sidecars. Every job must be delivered
// exactly once (no lease expires during the test, so a second delivery is a
// double delivery, not a retry) and none may be lost.
//
// The expectations come from the ingest answers: an event's jobs are the
// writebacks its assessment implies (tags when it has tags, a note when it
// has a note, the phase field when it has a phase), each named by its
// idempotency key "<source>:<event_id>:<kind>" (writeback.proto).
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "cse/v1/writeback_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/test_mappings.h"
#include "tests/testing/postgres_server.h"
#include "tests/testing/sidecar_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_sidecar.h"

namespace cse::testing {
namespace {

constexpr char kSource[] = "zendesk";
// Events with distinct ids, split across the two sidecars.
constexpr int kEvents = 1500;
// Events delivered to both sidecars at the same time.
constexpr int kDuplicatedEvents = 200;
constexpr int kIngestersPerSidecar = 2;
constexpr int kAccounts = 40;
constexpr int kLeaseBatch = 16;
// Far longer than the test: a job leased twice was double-delivered.
constexpr int kLeaseSeconds = 600;
constexpr absl::Duration kDrainLimit = absl::Seconds(60);

// Texts the test mapping reads differently (phase, critical event, or
// neither), so events imply different sets of writebacks.
constexpr const char* kBodies[] = {
    "The export is down since the go-live",
    "Can we plan the go-live for next week?",
    "Thanks, noted.",
};

cse::v1::IngestTicketRequest Ticket(const std::string& event_id, int n) {
  cse::v1::IngestTicketRequest request;
  cse::v1::TicketEvent* t = request.mutable_event();
  t->set_source(kSource);
  t->set_event_id(event_id);
  t->set_ticket_id(absl::StrCat("T-", n));
  t->set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
  t->mutable_account()->set_id(absl::StrCat("acct-", n % kAccounts));
  t->set_body(kBodies[n % std::size(kBodies)]);
  return request;
}

// The idempotency keys of the jobs an ingested event's assessment implies.
std::vector<std::string> ExpectedKeys(const cse::v1::Assessment& assessment) {
  const std::string prefix =
      absl::StrCat(assessment.source(), ":", assessment.event_id(), ":");
  std::vector<std::string> keys;
  if (!assessment.tags().empty()) keys.push_back(prefix + "tags");
  if (!assessment.note_markdown().empty()) keys.push_back(prefix + "note");
  if (!assessment.phase().id().empty()) keys.push_back(prefix + "phase_field");
  return keys;
}

struct IngestAnswer {
  int sidecar = 0;
  bool duplicate = false;
  std::string assessment;  // serialised
  cse::v1::Assessment parsed;
};

// Every ingest answer, by event id.
class IngestLog {
 public:
  void Add(const std::string& event_id, IngestAnswer answer) {
    absl::MutexLock lock(&mu_);
    answers_[event_id].push_back(std::move(answer));
  }
  std::map<std::string, std::vector<IngestAnswer>> Take() {
    absl::MutexLock lock(&mu_);
    return std::move(answers_);
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, std::vector<IngestAnswer>> answers_
      ABSL_GUARDED_BY(mu_);
};

// Ingests `requests` one by one through a channel of its own to `sidecar`.
void IngestAll(const SidecarProcess& sidecar, int sidecar_index,
               const std::vector<cse::v1::IngestTicketRequest>& requests,
               IngestLog& log) {
  auto journey = cse::v1::JourneyService::NewStub(sidecar.NewChannel());
  for (const cse::v1::IngestTicketRequest& request : requests) {
    cse::v1::IngestResponse response;
    const grpc::Status s =
        journey->IngestTicket(ContextWithDeadline().get(), request, &response);
    if (!s.ok()) {
      ADD_FAILURE() << "ingest " << request.event().event_id() << " on sidecar "
                    << sidecar_index << ": " << s.error_message();
      return;
    }
    log.Add(request.event().event_id(),
            {sidecar_index, response.duplicate(),
             response.assessment().SerializeAsString(), response.assessment()});
  }
}

// A job as a lessee received it.
struct Delivery {
  int lessee = 0;
  cse::v1::WritebackJob job;
};

// Jobs leased and not yet acknowledged, handed from a lessee's leasing
// thread to its acking thread (an adapter's poller and worker).
class JobQueue {
 public:
  void Push(std::vector<cse::v1::WritebackJob> jobs) {
    absl::MutexLock lock(&mu_);
    for (cse::v1::WritebackJob& job : jobs) jobs_.push_back(std::move(job));
  }
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }
  // The next job, or false once closed and empty.
  bool Pop(cse::v1::WritebackJob& job) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &JobQueue::Ready));
    if (jobs_.empty()) return false;
    job = std::move(jobs_.front());
    jobs_.pop_front();
    return true;
  }

 private:
  bool Ready() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return closed_ || !jobs_.empty();
  }

  absl::Mutex mu_;
  std::deque<cse::v1::WritebackJob> jobs_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

cse::v1::LeaseWritebacksRequest LeaseRequest(const std::string& lessee) {
  cse::v1::LeaseWritebacksRequest request;
  request.set_lessee_id(lessee);
  request.set_max_jobs(kLeaseBatch);
  request.mutable_lease_duration()->set_seconds(kLeaseSeconds);
  return request;
}

std::string LesseeId(int lessee) {
  return absl::StrCat("adapter@pod-", lessee);
}

// One adapter instance: a thread that leases, alternating between the two
// sidecars, until a lease comes back empty (every job is leased: none
// expires, and only DONE is acknowledged), and a thread that acknowledges
// each job DONE, alternating between the sidecars too, so most acks reach
// the replica that did not lease the job.
class Lessee {
 public:
  Lessee(int index, const std::vector<SidecarProcess*>& sidecars)
      : index_(index) {
    for (SidecarProcess* s : sidecars) {
      stubs_.push_back(cse::v1::WritebackService::NewStub(s->NewChannel()));
    }
  }

  void Start() {
    leaser_ = std::thread([this] { LeaseLoop(); });
    acker_ = std::thread([this] { AckLoop(); });
  }
  void Join() {
    leaser_.join();
    acker_.join();
  }

  const std::vector<Delivery>& deliveries() const { return deliveries_; }
  int acked() const { return acked_; }
  int failed_acks() const { return failed_acks_; }
  int lease_calls() const { return lease_calls_; }

 private:
  void LeaseLoop() {
    const absl::Time deadline = absl::Now() + kDrainLimit;
    // Lessee 0 starts on sidecar 0, lessee 1 on sidecar 1.
    for (size_t n = index_; absl::Now() < deadline; ++n) {
      cse::v1::LeaseWritebacksResponse response;
      const grpc::Status s = stubs_[n % stubs_.size()]->LeaseWritebacks(
          ContextWithDeadline().get(), LeaseRequest(LesseeId(index_)),
          &response);
      ++lease_calls_;
      if (!s.ok()) {
        ADD_FAILURE() << LesseeId(index_) << " lease on sidecar "
                      << n % stubs_.size() << ": " << s.error_message();
        break;
      }
      if (response.jobs().empty()) break;
      std::vector<cse::v1::WritebackJob> jobs(response.jobs().begin(),
                                              response.jobs().end());
      for (const cse::v1::WritebackJob& job : jobs) {
        deliveries_.push_back({index_, job});
      }
      queue_.Push(std::move(jobs));
    }
    queue_.Close();
  }

  void AckLoop() {
    cse::v1::WritebackJob job;
    for (size_t n = index_ + 1; queue_.Pop(job); ++n) {
      cse::v1::AckWritebackRequest request;
      request.set_job_id(job.job_id());
      request.set_lease_token(job.lease_token());
      request.set_result(cse::v1::WRITEBACK_RESULT_DONE);
      request.set_crm_answer(absl::StrCat("200 ", LesseeId(index_)));
      cse::v1::AckWritebackResponse response;
      const grpc::Status s = stubs_[n % stubs_.size()]->AckWriteback(
          ContextWithDeadline().get(), request, &response);
      if (!s.ok()) {
        // FAILED_PRECONDITION here: someone else holds this job's lease.
        if (++failed_acks_ > 5) continue;
        ADD_FAILURE() << LesseeId(index_) << " ack of job " << job.job_id()
                      << " (" << job.idempotency_key() << ") on sidecar "
                      << n % stubs_.size() << ": " << s.error_code() << " "
                      << s.error_message();
        continue;
      }
      EXPECT_EQ(response.job().state(), cse::v1::WRITEBACK_STATE_DONE)
          << job.idempotency_key();
      ++acked_;
    }
  }

  const int index_;
  std::vector<std::unique_ptr<cse::v1::WritebackService::Stub>> stubs_;
  JobQueue queue_;
  std::thread leaser_;
  std::thread acker_;
  // Written by one thread each, read after Join().
  std::vector<Delivery> deliveries_;
  int lease_calls_ = 0;
  int acked_ = 0;
  int failed_acks_ = 0;
};

int64_t QueryInt(const std::string& url, const std::string& sql) {
  absl::StatusOr<std::string> value = PostgresQuery(url, sql);
  EXPECT_THAT(value, IsOk()) << sql;
  int64_t n = -1;
  if (value.ok()) {
    EXPECT_TRUE(absl::SimpleAtoi(*value, &n)) << *value;
  }
  return n;
}

TEST(PostgresConcurrencyTest,
     TwoSidecarsTwoLesseesDeliverEveryJobExactlyOnceAndLoseNone) {
  const absl::Time test_start = absl::Now();
  absl::StatusOr<PostgresServer*> server = PostgresServer::Shared();
  ASSERT_THAT(server, IsOk());
  absl::StatusOr<std::string> url = (*server)->CreateDatabase();
  ASSERT_THAT(url, IsOk());

  TempDir dir;
  const std::string config =
      dir.WriteFile("mapping.yaml", TestMappingYaml("pgconc-1"));
  const std::vector<std::string> args = {"--config", config,
                                         absl::StrCat("--store=", *url)};
  // Both start (and migrate the empty database) at the same time.
  std::vector<std::unique_ptr<SidecarProcess>> processes;
  for (const char* prefix : {"a-", "b-"}) {
    absl::StatusOr<std::unique_ptr<SidecarProcess>> process =
        SidecarProcess::Start(dir.path(), args, {.output_prefix = prefix});
    ASSERT_THAT(process, IsOk());
    processes.push_back(*std::move(process));
  }
  std::vector<SidecarProcess*> sidecars;
  for (auto& p : processes) {
    ASSERT_THAT(p->WaitUntilServing(), IsOk());
    sidecars.push_back(p.get());
  }
  const absl::Time started = absl::Now();

  // 1. Ingest: kEvents distinct events, each through one sidecar (two
  //    clients per sidecar), while two more clients deliver the same
  //    kDuplicatedEvents events, in the same order, one to each sidecar.
  std::vector<std::vector<cse::v1::IngestTicketRequest>> shares(
      sidecars.size() * kIngestersPerSidecar);
  for (int n = 0; n < kEvents; ++n) {
    shares[n % shares.size()].push_back(Ticket(absl::StrCat("ev-", n), n));
  }
  std::vector<cse::v1::IngestTicketRequest> duplicated;
  for (int n = 0; n < kDuplicatedEvents; ++n) {
    duplicated.push_back(Ticket(absl::StrCat("dup-", n), n));
  }
  IngestLog log;
  {
    std::vector<std::thread> clients;
    for (size_t c = 0; c < shares.size(); ++c) {
      const int s = static_cast<int>(c % sidecars.size());
      clients.emplace_back(
          [&, c, s] { IngestAll(*sidecars[s], s, shares[c], log); });
    }
    for (size_t s = 0; s < sidecars.size(); ++s) {
      clients.emplace_back([&, s] {
        IngestAll(*sidecars[s], static_cast<int>(s), duplicated, log);
      });
    }
    for (std::thread& t : clients) t.join();
  }
  ASSERT_FALSE(::testing::Test::HasFailure());
  const absl::Time ingested = absl::Now();

  // Each distinct event was recorded; each doubly delivered one was
  // recorded by exactly one sidecar, and the other answered with the stored
  // assessment.
  std::map<std::string, std::vector<IngestAnswer>> answers = log.Take();
  ASSERT_EQ(answers.size(), static_cast<size_t>(kEvents + kDuplicatedEvents));
  std::map<std::string, std::string> expected;  // key -> event id
  int recorded_by[2] = {0, 0};
  int duplicated_recorded_by[2] = {0, 0};
  for (const auto& [event_id, event_answers] : answers) {
    const bool doubly = absl::StartsWith(event_id, "dup-");
    const size_t deliveries = doubly ? 2 : 1;
    ASSERT_EQ(event_answers.size(), deliveries) << event_id;
    int fresh = 0;
    for (const IngestAnswer& a : event_answers) {
      if (!a.duplicate) {
        ++fresh;
        ++recorded_by[a.sidecar];
        if (doubly) ++duplicated_recorded_by[a.sidecar];
      }
      EXPECT_EQ(a.assessment, event_answers.front().assessment)
          << event_id << ": the sidecars answered differently";
    }
    EXPECT_EQ(fresh, 1) << event_id << " recorded " << fresh << " times";
    for (const std::string& key : ExpectedKeys(event_answers.front().parsed)) {
      EXPECT_TRUE(expected.emplace(key, event_id).second) << key;
    }
  }
  // A floor, not a count: the go-live texts imply two or three jobs each,
  // the quiet one none or one (the phase from the account's history, which
  // depends on the order of arrival).
  ASSERT_GE(expected.size(), answers.size());
  EXPECT_GT(recorded_by[0], 0);
  EXPECT_GT(recorded_by[1], 0);
  EXPECT_EQ(QueryInt(*url, "SELECT count(*) FROM events"),
            static_cast<int64_t>(answers.size()));
  EXPECT_EQ(QueryInt(*url, "SELECT count(*) FROM writeback_jobs"),
            static_cast<int64_t>(expected.size()));

  // 2. Drain: two lessees, each leasing and acknowledging through both
  //    sidecars, concurrently.
  std::vector<std::unique_ptr<Lessee>> lessees;
  for (int i = 0; i < 2; ++i) {
    lessees.push_back(std::make_unique<Lessee>(i, sidecars));
  }
  for (auto& l : lessees) l->Start();
  for (auto& l : lessees) l->Join();
  const absl::Time drained = absl::Now();

  // Exactly once: no job id and no idempotency key twice, every expected
  // key delivered, nothing else; each on its first attempt, to the lessee
  // that asked for it.
  std::map<int64_t, std::vector<const Delivery*>> by_job;
  std::map<std::string, std::vector<const Delivery*>> by_key;
  for (const auto& l : lessees) {
    for (const Delivery& d : l->deliveries()) {
      by_job[d.job.job_id()].push_back(&d);
      by_key[d.job.idempotency_key()].push_back(&d);
      EXPECT_EQ(d.job.lessee_id(), LesseeId(d.lessee));
      EXPECT_EQ(d.job.state(), cse::v1::WRITEBACK_STATE_LEASED);
      EXPECT_EQ(d.job.attempts(), 1u) << d.job.idempotency_key();
      EXPECT_EQ(d.job.target_system(), kSource);
    }
  }
  int double_deliveries = 0;
  for (const auto& [job_id, ds] : by_job) {
    if (ds.size() == 1) continue;
    ++double_deliveries;
    std::vector<std::string> who;
    for (const Delivery* d : ds) {
      who.push_back(absl::StrCat(LesseeId(d->lessee), " (token ",
                                 d->job.lease_token(), ")"));
    }
    if (double_deliveries > 10) continue;
    ADD_FAILURE() << "job " << job_id << " ("
                  << ds.front()->job.idempotency_key() << ") delivered "
                  << ds.size() << " times: " << absl::StrJoin(who, ", ");
  }
  EXPECT_EQ(double_deliveries, 0);
  int repeated_keys = 0;
  int unexpected_keys = 0;
  for (const auto& [key, ds] : by_key) {
    if (ds.size() != 1 && ++repeated_keys <= 10) {
      ADD_FAILURE() << key << " delivered " << ds.size() << " times";
    }
    if (!expected.count(key) && ++unexpected_keys <= 10) {
      ADD_FAILURE() << key << " delivered, never expected";
    }
  }
  EXPECT_EQ(repeated_keys, 0);
  EXPECT_EQ(unexpected_keys, 0);
  int lost = 0;
  for (const auto& [key, event_id] : expected) {
    if (by_key.count(key)) continue;
    if (++lost <= 10) ADD_FAILURE() << key << " never delivered";
  }
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(by_job.size(), expected.size());
  // Both lessees took part.
  for (const auto& l : lessees) {
    EXPECT_GT(l->deliveries().size(), 0u) << "lessee took no job";
    EXPECT_EQ(l->failed_acks(), 0);
    EXPECT_EQ(l->acked(), static_cast<int>(l->deliveries().size()));
  }

  // 3. Drained: nothing left to lease on either sidecar, every job DONE.
  for (size_t s = 0; s < sidecars.size(); ++s) {
    auto writeback =
        cse::v1::WritebackService::NewStub(sidecars[s]->NewChannel());
    cse::v1::LeaseWritebacksResponse response;
    ASSERT_THAT(
        writeback->LeaseWritebacks(ContextWithDeadline().get(),
                                   LeaseRequest("late-comer"), &response),
        GrpcIsOk());
    EXPECT_EQ(response.jobs_size(), 0) << "sidecar " << s;
  }
  EXPECT_EQ(QueryInt(*url,
                     "SELECT count(*) FROM writeback_jobs "
                     "WHERE state <> 3"),
            0);
  EXPECT_EQ(QueryInt(*url,
                     "SELECT count(*) FROM (SELECT 1 FROM "
                     "writeback_jobs GROUP BY source, event_id, kind "
                     "HAVING count(*) > 1) AS d"),
            0);

  const size_t taken[2] = {lessees[0]->deliveries().size(),
                           lessees[1]->deliveries().size()};
  const int lease_calls[2] = {lessees[0]->lease_calls(),
                              lessees[1]->lease_calls()};
  // Their channels closed first: a graceful stop waits for connected
  // clients to leave.
  lessees.clear();
  for (auto& p : processes) EXPECT_EQ(p->Stop(), 0) << p->Stderr();
  std::printf(
      "postgres concurrency: 2 sidecars; %d events + %d delivered to both "
      "(recorded by sidecar a/b: %d/%d, of those delivered to both: %d/%d) "
      "in %.2f s; %zu jobs drained by 2 lessees (%zu/%zu jobs, %d/%d lease "
      "calls) in %.2f s; %d double deliveries, %d lost; total %.2f s "
      "(startup %.2f s)\n",
      kEvents, kDuplicatedEvents, recorded_by[0], recorded_by[1],
      duplicated_recorded_by[0], duplicated_recorded_by[1],
      absl::ToDoubleSeconds(ingested - started), by_job.size(), taken[0],
      taken[1], lease_calls[0], lease_calls[1],
      absl::ToDoubleSeconds(drained - ingested), double_deliveries, lost,
      absl::ToDoubleSeconds(absl::Now() - test_start),
      absl::ToDoubleSeconds(started - test_start));
}

}  // namespace
}  // namespace cse::testing
