// Crash recovery of the cse-sidecar binary on the SQLite store: kill -9
// while four clients ingest, then again while an adapter drains the outbox.
// Every ingest answered OK must survive, and every writeback job of those
// events must be performed: at least once, and exactly once per idempotency
// key once a re-delivery (a perform whose ack the crash lost) is
// de-duplicated by the key, as the CRM's marker does.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "cse/v1/writeback_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/test_mappings.h"
#include "tests/testing/sidecar_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_sidecar.h"

namespace cse::testing {
namespace {

// Restarts on the same directory keep every run's output.
absl::StatusOr<std::unique_ptr<SidecarProcess>> StartSidecar(
    const TempDir& dir, const std::vector<std::string>& args) {
  return SidecarProcess::Start(dir.path(), args, {.append_output = true});
}

cse::v1::IngestTicketRequest Ticket(const std::string& event_id) {
  cse::v1::IngestTicketRequest request;
  cse::v1::TicketEvent* t = request.mutable_event();
  t->set_source("zendesk");
  t->set_event_id(event_id);
  t->set_ticket_id(absl::StrCat("T-", event_id));
  t->set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
  t->mutable_account()->set_id("acme");
  t->set_body("The export is down since the go-live");
  return request;
}

constexpr char kLessee[] = "crm-test";

// The adapter's side: lease, perform against the "CRM" (a counter per
// idempotency key), ack DONE. Jobs performed but not yet acknowledged are
// kept to tell a re-delivery caused by a lost ack from a double perform.
struct TestCrm {
  std::map<std::string, int> performed;  // idempotency key -> performs
  std::set<std::string> acked;           // keys whose DONE ack returned OK
  std::set<std::string> ack_lost;        // performed, ack lost to the crash

  std::vector<cse::v1::WritebackJob> Lease(
      cse::v1::WritebackService::Stub& stub, int max_jobs = 100) {
    cse::v1::LeaseWritebacksRequest request;
    request.set_lessee_id(kLessee);
    request.set_max_jobs(max_jobs);
    request.mutable_lease_duration()->set_seconds(1);
    cse::v1::LeaseWritebacksResponse response;
    EXPECT_THAT(
        stub.LeaseWritebacks(ContextWithDeadline().get(), request, &response),
        GrpcIsOk());
    return {response.jobs().begin(), response.jobs().end()};
  }

  void Perform(const cse::v1::WritebackJob& job) {
    ++performed[job.idempotency_key()];
  }

  void Ack(cse::v1::WritebackService::Stub& stub,
           const cse::v1::WritebackJob& job) {
    cse::v1::AckWritebackRequest request;
    request.set_job_id(job.job_id());
    request.set_lease_token(job.lease_token());
    request.set_result(cse::v1::WRITEBACK_RESULT_DONE);
    request.set_crm_answer("200 test-crm");
    cse::v1::AckWritebackResponse response;
    ASSERT_THAT(
        stub.AckWriteback(ContextWithDeadline().get(), request, &response),
        GrpcIsOk())
        << job.idempotency_key();
    EXPECT_EQ(response.job().state(), cse::v1::WRITEBACK_STATE_DONE);
    acked.insert(job.idempotency_key());
  }

  // Leases, performs and acks until nothing was due for `quiet` (longer
  // than the 1 s lease, so expired leases have come back) or `max_jobs`
  // jobs were acknowledged. Returns the number acknowledged.
  int Drain(cse::v1::WritebackService::Stub& stub, absl::Duration quiet,
            int max_jobs = 1 << 30) {
    int done = 0;
    absl::Time last_work = absl::Now();
    const absl::Time deadline = absl::Now() + kSidecarProcessLimit;
    while (absl::Now() < deadline && done < max_jobs) {
      std::vector<cse::v1::WritebackJob> jobs =
          Lease(stub, std::min(100, max_jobs - done));
      if (::testing::Test::HasFatalFailure()) return done;
      if (jobs.empty()) {
        if (absl::Now() - last_work > quiet) break;
        absl::SleepFor(absl::Milliseconds(50));
        continue;
      }
      last_work = absl::Now();
      for (const cse::v1::WritebackJob& job : jobs) {
        EXPECT_EQ(job.lessee_id(), kLessee);
        Perform(job);
        Ack(stub, job);
        if (::testing::Test::HasFatalFailure()) return done;
        ++done;
      }
    }
    return done;
  }
};

TEST(CrashRecoveryTest, OkdIngestsSurviveKill9AndWritebacksAreEffectivelyOnce) {
  TempDir data;
  const std::string db = data.Path("j.db");
  const std::string config =
      data.WriteFile("mapping.yaml", TestMappingYaml("crash-1"));
  const std::vector<std::string> args = {"--config", config,
                                         absl::StrCat("--store=sqlite:", db)};

  // 1. Four clients ingest unique tickets as fast as they can; kill -9
  //    after 0.7 s.
  std::mutex mu;
  std::vector<std::string> okd;
  int failed = 0;
  {
    auto started = StartSidecar(data, args);
    ASSERT_THAT(started, IsOk());
    SidecarProcess& sidecar = **started;
    ASSERT_THAT(sidecar.WaitUntilServing(), IsOk());
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
      clients.emplace_back([&, c] {
        auto stub = cse::v1::JourneyService::NewStub(sidecar.NewChannel());
        for (int n = 0; !stop.load(); ++n) {
          const std::string id = absl::StrCat("c", c, "-", n);
          cse::v1::IngestResponse response;
          const grpc::Status s =
              stub->IngestTicket(ContextWithDeadline(absl::Seconds(5)).get(),
                                 Ticket(id), &response);
          std::lock_guard<std::mutex> lock(mu);
          if (s.ok()) {
            EXPECT_FALSE(response.duplicate()) << id;
            okd.push_back(id);
          } else {
            ++failed;  // the crash: this event may or may not be stored
            return;
          }
        }
      });
    }
    absl::SleepFor(absl::Milliseconds(700));
    sidecar.Kill();
    stop = true;
    for (std::thread& t : clients) t.join();
  }
  ASSERT_GT(okd.size(), 20u) << "too few ingests before the crash";

  // 2. Restart on the same file: every OK'd event is stored (a duplicate,
  //    with its assessment).
  absl::StatusOr<std::unique_ptr<SidecarProcess>> sidecar =
      StartSidecar(data, args);
  ASSERT_THAT(sidecar, IsOk());
  ASSERT_THAT((*sidecar)->WaitUntilServing(), IsOk());
  std::map<std::string, std::set<std::string>> expected_keys;  // per event
  {
    auto journey = cse::v1::JourneyService::NewStub((*sidecar)->NewChannel());
    for (const std::string& id : okd) {
      cse::v1::IngestResponse response;
      ASSERT_THAT(journey->IngestTicket(ContextWithDeadline().get(), Ticket(id),
                                        &response),
                  GrpcIsOk());
      EXPECT_TRUE(response.duplicate()) << id << " OK'd but not stored";
      ASSERT_TRUE(response.has_assessment()) << id;
      // The jobs its assessment implies (writeback_service_test's keys).
      std::set<std::string>& keys = expected_keys[id];
      keys.insert(absl::StrCat("zendesk:", id, ":phase_field"));
      if (!response.assessment().note_markdown().empty()) {
        keys.insert(absl::StrCat("zendesk:", id, ":note"));
      }
      if (!response.assessment().tags().empty()) {
        keys.insert(absl::StrCat("zendesk:", id, ":tags"));
      }
    }
  }

  // 3. Drain like an adapter; part way through, lease a batch, perform
  //    half of it and kill -9 the sidecar before acking any of it.
  TestCrm crm;
  {
    auto writeback =
        cse::v1::WritebackService::NewStub((*sidecar)->NewChannel());
    crm.Drain(*writeback, absl::Seconds(2),
              /*max_jobs=*/static_cast<int>(okd.size()));
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    std::vector<cse::v1::WritebackJob> batch = crm.Lease(*writeback, 20);
    ASSERT_GE(batch.size(), 2u) << "nothing left to crash in the middle of";
    for (size_t i = 0; i < batch.size() / 2; ++i) {
      crm.Perform(batch[i]);
      crm.ack_lost.insert(batch[i].idempotency_key());
    }
  }
  (*sidecar)->Kill();
  sidecar = StartSidecar(data, args);
  ASSERT_THAT(sidecar, IsOk());
  ASSERT_THAT((*sidecar)->WaitUntilServing(), IsOk());
  {
    auto writeback =
        cse::v1::WritebackService::NewStub((*sidecar)->NewChannel());
    // Quiet for 2 s: the batch leased before the crash expires after 1 s.
    crm.Drain(*writeback, absl::Seconds(2));
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
  }
  (*sidecar)->Kill();

  // 4. Every OK'd event's jobs were performed; by key, each exactly once
  //    except the re-deliveries of performs whose ack was lost.
  int total_performs = 0;
  int redeliveries = 0;
  size_t expected_jobs = 0;
  for (const auto& [id, keys] : expected_keys) {
    for (const std::string& key : keys) {
      ++expected_jobs;
      EXPECT_TRUE(crm.performed.count(key)) << key << " never performed";
      EXPECT_TRUE(crm.acked.count(key)) << key << " never acknowledged";
    }
  }
  for (const auto& [key, count] : crm.performed) {
    total_performs += count;
    if (count > 1) {
      redeliveries += count - 1;
      EXPECT_TRUE(crm.ack_lost.count(key))
          << key << " performed " << count << " times without a lost ack";
      EXPECT_EQ(count, 2) << key;
    }
  }
  // The lost acks are all delivered again: the lease expired, not the job.
  for (const std::string& key : crm.ack_lost) {
    EXPECT_EQ(crm.performed[key], 2) << key;
  }
  EXPECT_EQ(redeliveries, static_cast<int>(crm.ack_lost.size()));
  EXPECT_EQ(crm.acked.size(), crm.performed.size());
  std::printf(
      "crash recovery: %zu ingests OK'd, %d failed at the crash, all %zu "
      "stored; %zu jobs expected for them, %zu distinct keys performed "
      "(%d performs), %zu acks lost to the crash, %d re-deliveries\n",
      okd.size(), failed, expected_keys.size(), expected_jobs,
      crm.performed.size(), total_performs, crm.ack_lost.size(), redeliveries);
}

}  // namespace
}  // namespace cse::testing
