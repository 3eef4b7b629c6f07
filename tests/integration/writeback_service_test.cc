// The writeback outbox through the real server, on every backend: an ingest
// creates the jobs, adapters lease and acknowledge them, retries honour
// Retry-After, exhausted jobs are dead-lettered, listed and retried through
// AdminService, a stale lease token is refused, and bad requests get
// INVALID_ARGUMENT naming the field.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/api/proto_time.h"
#include "tests/integration/backend_sidecar.h"

namespace cse::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

cse::v1::TicketEvent OutageTicket(const std::string& event_id,
                                  const std::string& account = "acme") {
  cse::v1::TicketEvent t;
  t.set_source("zendesk");
  t.set_event_id(event_id);
  t.set_ticket_id("T-1");
  t.mutable_account()->set_id(account);
  t.set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
  t.set_subject("Export");
  t.set_body("The export is down since the go-live.");
  api::ToProto(kTestEpoch - absl::Hours(1), t.mutable_occurred_at());
  return t;
}

google::protobuf::Duration Seconds(int64_t s) {
  google::protobuf::Duration d;
  d.set_seconds(s);
  return d;
}

class WritebackServiceTest : public BackendSidecarTest {
 protected:
  void SetUp() override { StartSidecar(); }

  cse::v1::Assessment Ingest(const cse::v1::TicketEvent& event) {
    cse::v1::IngestTicketRequest request;
    *request.mutable_event() = event;
    cse::v1::IngestResponse response;
    EXPECT_THAT(sidecar_->journey().IngestTicket(ContextWithDeadline().get(),
                                                 request, &response),
                GrpcIsOk());
    return response.assessment();
  }

  grpc::Status Lease(const cse::v1::LeaseWritebacksRequest& request,
                     cse::v1::LeaseWritebacksResponse* response) {
    return sidecar_->writeback().LeaseWritebacks(ContextWithDeadline().get(),
                                                 request, response);
  }
  std::vector<cse::v1::WritebackJob> Lease(const std::string& lessee,
                                           int64_t lease_seconds = 60) {
    cse::v1::LeaseWritebacksRequest request;
    request.set_lessee_id(lessee);
    *request.mutable_lease_duration() = Seconds(lease_seconds);
    cse::v1::LeaseWritebacksResponse response;
    EXPECT_THAT(Lease(request, &response), GrpcIsOk());
    return {response.jobs().begin(), response.jobs().end()};
  }

  grpc::Status Ack(const cse::v1::AckWritebackRequest& request,
                   cse::v1::AckWritebackResponse* response) {
    return sidecar_->writeback().AckWriteback(ContextWithDeadline().get(),
                                              request, response);
  }
  cse::v1::AckWritebackRequest AckOf(const cse::v1::WritebackJob& job,
                                     cse::v1::WritebackResult result,
                                     const std::string& answer) {
    cse::v1::AckWritebackRequest request;
    request.set_job_id(job.job_id());
    request.set_lease_token(job.lease_token());
    request.set_result(result);
    request.set_crm_answer(answer);
    return request;
  }
  cse::v1::WritebackJob AckOk(const cse::v1::AckWritebackRequest& request) {
    cse::v1::AckWritebackResponse response;
    EXPECT_THAT(Ack(request, &response), GrpcIsOk());
    return response.job();
  }

  std::vector<cse::v1::WritebackJob> DeadLetters(
      cse::v1::ListDeadLettersRequest request = {}) {
    cse::v1::ListDeadLettersResponse response;
    EXPECT_THAT(sidecar_->admin().ListDeadLetters(ContextWithDeadline().get(),
                                                  request, &response),
                GrpcIsOk());
    return {response.jobs().begin(), response.jobs().end()};
  }
  grpc::Status RetryDeadLetter(int64_t job_id,
                               cse::v1::RetryDeadLetterResponse* response) {
    cse::v1::RetryDeadLetterRequest request;
    request.set_job_id(job_id);
    return sidecar_->admin().RetryDeadLetter(ContextWithDeadline().get(),
                                             request, response);
  }
};

TEST_P(WritebackServiceTest, AnIngestCreatesTagNoteAndPhaseJobs) {
  const cse::v1::Assessment assessment = Ingest(OutageTicket("e-1"));
  ASSERT_THAT(assessment.tags(), Not(IsEmpty()));
  ASSERT_THAT(assessment.note_markdown(), Not(IsEmpty()));

  std::vector<cse::v1::WritebackJob> jobs = Lease("zendesk@pod-1");
  ASSERT_THAT(jobs, SizeIs(3));
  std::vector<std::string> keys;
  for (const cse::v1::WritebackJob& job : jobs) {
    keys.push_back(job.idempotency_key());
    EXPECT_EQ(job.target_system(), "zendesk");
    EXPECT_EQ(job.event_id(), "e-1");
    EXPECT_EQ(job.account_id(), "acme");
    EXPECT_EQ(job.object_kind(), cse::v1::CRM_OBJECT_KIND_TICKET);
    EXPECT_EQ(job.object_id(), "T-1");
    EXPECT_EQ(job.state(), cse::v1::WRITEBACK_STATE_LEASED);
    EXPECT_EQ(job.attempts(), 1u);
    EXPECT_EQ(job.lessee_id(), "zendesk@pod-1");
    EXPECT_THAT(job.lease_token(), Not(IsEmpty()));
    EXPECT_EQ(api::FromProto(job.lease_expires_at()),
              sidecar_->Now() + absl::Seconds(60));
    switch (job.action_case()) {
      case cse::v1::WritebackJob::kTags:
        EXPECT_THAT(job.tags().tags(), ElementsAreArray(assessment.tags()));
        break;
      case cse::v1::WritebackJob::kNote:
        EXPECT_EQ(job.note().markdown(), assessment.note_markdown());
        EXPECT_EQ(job.note().marker(), "cse:zendesk:e-1");
        break;
      case cse::v1::WritebackJob::kPhaseField:
        EXPECT_EQ(job.phase_field().phase_id(), "implementation");
        EXPECT_EQ(job.phase_field().phase_name(), "Implementation and usage");
        EXPECT_EQ(job.phase_field().field(), "");
        break;
      default:
        ADD_FAILURE() << "a job without an action";
    }
  }
  EXPECT_THAT(keys, ::testing::UnorderedElementsAre("zendesk:e-1:tags",
                                                    "zendesk:e-1:note",
                                                    "zendesk:e-1:phase_field"));

  // Leased: nobody else gets them; a redelivery of the event adds none.
  EXPECT_THAT(Lease("zendesk@pod-2"), IsEmpty());
  Ingest(OutageTicket("e-1"));
  EXPECT_THAT(Lease("zendesk@pod-2"), IsEmpty());
}

TEST_P(WritebackServiceTest, AMeetingsJobsWriteToTheMeeting) {
  cse::v1::IngestMeetingRequest request;
  cse::v1::MeetingEvent* m = request.mutable_event();
  m->set_source("hubspot");
  m->set_event_id("m-1");
  m->set_meeting_id("M-7");
  m->mutable_account()->set_id("acme");
  m->set_title("Kick-off");
  m->set_meeting_type(cse::v1::MEETING_TYPE_KICK_OFF);
  cse::v1::IngestResponse response;
  ASSERT_THAT(sidecar_->journey().IngestMeeting(ContextWithDeadline().get(),
                                                request, &response),
              GrpcIsOk());
  std::vector<cse::v1::WritebackJob> jobs = Lease("hubspot@pod-1");
  ASSERT_THAT(jobs, Not(IsEmpty()));
  for (const cse::v1::WritebackJob& job : jobs) {
    EXPECT_EQ(job.target_system(), "hubspot");
    EXPECT_EQ(job.object_kind(), cse::v1::CRM_OBJECT_KIND_MEETING);
    EXPECT_EQ(job.object_id(), "M-7");
  }
}

TEST_P(WritebackServiceTest, LeaseFiltersByTargetSystem) {
  Ingest(OutageTicket("e-1"));
  cse::v1::LeaseWritebacksRequest request;
  request.set_lessee_id("hubspot@pod-1");
  request.set_target_system("hubspot");
  cse::v1::LeaseWritebacksResponse response;
  ASSERT_THAT(Lease(request, &response), GrpcIsOk());
  EXPECT_THAT(response.jobs(), IsEmpty());

  request.set_target_system("zendesk");
  request.set_max_jobs(2);
  ASSERT_THAT(Lease(request, &response), GrpcIsOk());
  EXPECT_THAT(response.jobs(), SizeIs(2));
}

TEST_P(WritebackServiceTest, AckDoneFinishesTheJob) {
  Ingest(OutageTicket("e-1"));
  std::vector<cse::v1::WritebackJob> jobs = Lease("zendesk@pod-1");
  ASSERT_THAT(jobs, Not(IsEmpty()));
  for (const cse::v1::WritebackJob& job : jobs) {
    cse::v1::WritebackJob done =
        AckOk(AckOf(job, cse::v1::WRITEBACK_RESULT_DONE, "200 req-abc"));
    EXPECT_EQ(done.job_id(), job.job_id());
    EXPECT_EQ(done.state(), cse::v1::WRITEBACK_STATE_DONE);
    EXPECT_EQ(done.last_crm_answer(), "200 req-abc");
    EXPECT_EQ(done.lease_token(), "");
  }
  // Done jobs are never handed out again, not even after any lease expiry.
  sidecar_->AdvanceClock(absl::Hours(2));
  EXPECT_THAT(Lease("zendesk@pod-1"), IsEmpty());
  // A second ack of a finished job: the token is no longer a lease.
  cse::v1::AckWritebackResponse response;
  EXPECT_THAT(
      Ack(AckOf(jobs[0], cse::v1::WRITEBACK_RESULT_DONE, "200"), &response),
      GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                   HasSubstr("not leased under this token")));
}

TEST_P(WritebackServiceTest, RetryableFailureWaitsForRetryAfter) {
  Ingest(OutageTicket("e-1"));
  std::vector<cse::v1::WritebackJob> jobs = Lease("zendesk@pod-1");
  ASSERT_THAT(jobs, Not(IsEmpty()));
  const cse::v1::WritebackJob& job = jobs[0];
  cse::v1::AckWritebackRequest ack =
      AckOf(job, cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE, "429 slow down");
  *ack.mutable_retry_after() = Seconds(120);
  const cse::v1::WritebackJob pending = AckOk(ack);
  EXPECT_EQ(pending.state(), cse::v1::WRITEBACK_STATE_PENDING);
  EXPECT_EQ(pending.last_crm_answer(), "429 slow down");
  // Backoff with jitter 0.5 would wait 1 s; the CRM asked for 120 s.
  EXPECT_EQ(api::FromProto(pending.not_before()),
            sidecar_->Now() + absl::Seconds(120));

  // Finish the others so that only the retried job is in play.
  for (size_t i = 1; i < jobs.size(); ++i) {
    AckOk(AckOf(jobs[i], cse::v1::WRITEBACK_RESULT_DONE, "200"));
  }
  sidecar_->AdvanceClock(absl::Seconds(119));
  EXPECT_THAT(Lease("zendesk@pod-1"), IsEmpty());
  sidecar_->AdvanceClock(absl::Seconds(1));
  std::vector<cse::v1::WritebackJob> again = Lease("zendesk@pod-2");
  ASSERT_THAT(again, SizeIs(1));
  EXPECT_EQ(again[0].job_id(), job.job_id());
  EXPECT_EQ(again[0].attempts(), 2u);
  EXPECT_NE(again[0].lease_token(), job.lease_token());
}

TEST_P(WritebackServiceTest, ExhaustedJobsAreDeadLetteredListedAndRetried) {
  TestSidecarOptions options;
  options.store_options.outbox.max_attempts = 3;
  StartSidecar(std::move(options));
  Ingest(OutageTicket("e-1"));
  std::vector<cse::v1::WritebackJob> jobs = Lease("zendesk@pod-1");
  ASSERT_THAT(jobs, SizeIs(3));
  // Keep one job failing; finish the others.
  const int64_t failing = jobs[0].job_id();
  for (size_t i = 1; i < jobs.size(); ++i) {
    AckOk(AckOf(jobs[i], cse::v1::WRITEBACK_RESULT_DONE, "200"));
  }
  cse::v1::WritebackJob job = jobs[0];
  for (int attempt = 1; attempt <= 3; ++attempt) {
    ASSERT_EQ(job.job_id(), failing);
    ASSERT_EQ(job.attempts(), static_cast<uint32_t>(attempt));
    const cse::v1::WritebackJob after =
        AckOk(AckOf(job, cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE,
                    absl::StrCat("503 attempt ", attempt)));
    if (attempt < 3) {
      EXPECT_EQ(after.state(), cse::v1::WRITEBACK_STATE_PENDING);
      EXPECT_THAT(DeadLetters(), IsEmpty());
      sidecar_->AdvanceClock(absl::Hours(1));
      std::vector<cse::v1::WritebackJob> next = Lease("zendesk@pod-1");
      ASSERT_THAT(next, SizeIs(1));
      job = next[0];
    } else {
      EXPECT_EQ(after.state(), cse::v1::WRITEBACK_STATE_DEAD_LETTER);
      EXPECT_EQ(after.dead_letter_reason(), "3 attempts exhausted");
    }
  }
  sidecar_->AdvanceClock(absl::Hours(1));
  EXPECT_THAT(Lease("zendesk@pod-1"), IsEmpty());

  std::vector<cse::v1::WritebackJob> dead = DeadLetters();
  ASSERT_THAT(dead, SizeIs(1));
  EXPECT_EQ(dead[0].job_id(), failing);
  EXPECT_EQ(dead[0].state(), cse::v1::WRITEBACK_STATE_DEAD_LETTER);
  EXPECT_EQ(dead[0].last_crm_answer(), "503 attempt 3");
  EXPECT_EQ(dead[0].dead_letter_reason(), "3 attempts exhausted");
  EXPECT_EQ(dead[0].lease_token(), "");
  EXPECT_TRUE(dead[0].has_dead_lettered_at());
  // Filters.
  cse::v1::ListDeadLettersRequest filtered;
  filtered.set_account_id("other");
  EXPECT_THAT(DeadLetters(filtered), IsEmpty());
  filtered.set_account_id("acme");
  filtered.set_target_system("zendesk");
  EXPECT_THAT(DeadLetters(filtered), SizeIs(1));

  cse::v1::RetryDeadLetterResponse retried;
  ASSERT_THAT(RetryDeadLetter(failing, &retried), GrpcIsOk());
  EXPECT_EQ(retried.job().state(), cse::v1::WRITEBACK_STATE_PENDING);
  EXPECT_EQ(retried.job().attempts(), 0u);
  EXPECT_THAT(DeadLetters(), IsEmpty());
  std::vector<cse::v1::WritebackJob> leased = Lease("zendesk@pod-3");
  ASSERT_THAT(leased, SizeIs(1));
  EXPECT_EQ(leased[0].job_id(), failing);
  EXPECT_EQ(leased[0].attempts(), 1u);

  // Not a dead letter now; an unknown job.
  EXPECT_THAT(RetryDeadLetter(failing, &retried),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(RetryDeadLetter(999999, &retried),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

TEST_P(WritebackServiceTest, PermanentFailureIsADeadLetterAtOnce) {
  Ingest(OutageTicket("e-1"));
  Ingest(OutageTicket("e-2"));
  std::vector<cse::v1::WritebackJob> jobs = Lease("zendesk@pod-1");
  ASSERT_THAT(jobs, SizeIs(6));
  for (const cse::v1::WritebackJob& job : jobs) {
    EXPECT_EQ(AckOk(AckOf(job, cse::v1::WRITEBACK_RESULT_FAILED_PERMANENT,
                          "404 ticket deleted"))
                  .dead_letter_reason(),
              "permanent failure");
  }
  // Paged, one at a time.
  cse::v1::ListDeadLettersRequest request;
  request.set_page_size(4);
  cse::v1::ListDeadLettersResponse page;
  ASSERT_THAT(sidecar_->admin().ListDeadLetters(ContextWithDeadline().get(),
                                                request, &page),
              GrpcIsOk());
  EXPECT_THAT(page.jobs(), SizeIs(4));
  ASSERT_THAT(page.next_page_token(), Not(IsEmpty()));
  request.set_page_token(page.next_page_token());
  ASSERT_THAT(sidecar_->admin().ListDeadLetters(ContextWithDeadline().get(),
                                                request, &page),
              GrpcIsOk());
  EXPECT_THAT(page.jobs(), SizeIs(2));
  EXPECT_EQ(page.next_page_token(), "");
}

// An admin works through the dead letters a page at a time, retrying each
// page before asking for the next: no job is skipped or listed twice (an
// offset would skip the jobs the retries moved up).
TEST_P(WritebackServiceTest, RetryingWhilePagingSkipsNoDeadLetter) {
  for (const char* id : {"e-1", "e-2", "e-3"}) Ingest(OutageTicket(id));
  std::vector<cse::v1::WritebackJob> jobs = Lease("zendesk@pod-1", 9);
  ASSERT_THAT(jobs, SizeIs(9));
  std::set<int64_t> dead;
  for (const cse::v1::WritebackJob& job : jobs) {
    AckOk(AckOf(job, cse::v1::WRITEBACK_RESULT_FAILED_PERMANENT, "404"));
    dead.insert(job.job_id());
  }
  std::vector<int64_t> seen;
  cse::v1::ListDeadLettersRequest request;
  request.set_page_size(4);
  for (int pages = 0; pages < 5; ++pages) {
    cse::v1::ListDeadLettersResponse page;
    ASSERT_THAT(sidecar_->admin().ListDeadLetters(ContextWithDeadline().get(),
                                                  request, &page),
                GrpcIsOk());
    for (const cse::v1::WritebackJob& job : page.jobs()) {
      seen.push_back(job.job_id());
      cse::v1::RetryDeadLetterResponse retried;
      EXPECT_THAT(RetryDeadLetter(job.job_id(), &retried), GrpcIsOk());
    }
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()), dead);
  EXPECT_THAT(seen, SizeIs(dead.size()));
}

TEST_P(WritebackServiceTest, AStaleLeaseTokenIsRefused) {
  Ingest(OutageTicket("e-1"));
  std::vector<cse::v1::WritebackJob> first = Lease("zendesk@pod-1", 5);
  ASSERT_THAT(first, SizeIs(3));
  // pod-1 hangs; its lease expires and pod-2 takes the jobs.
  sidecar_->AdvanceClock(absl::Seconds(6));
  std::vector<cse::v1::WritebackJob> second = Lease("zendesk@pod-2");
  ASSERT_THAT(second, SizeIs(3));

  cse::v1::AckWritebackResponse response;
  EXPECT_THAT(
      Ack(AckOf(first[0], cse::v1::WRITEBACK_RESULT_DONE, "200"), &response),
      GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                   HasSubstr("not leased under this token")));
  cse::v1::AckWritebackRequest forged =
      AckOf(second[0], cse::v1::WRITEBACK_RESULT_DONE, "200");
  forged.set_lease_token("not-a-token");
  EXPECT_THAT(Ack(forged, &response),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  // The current lessee's ack still works.
  EXPECT_EQ(
      AckOk(AckOf(second[0], cse::v1::WRITEBACK_RESULT_DONE, "200")).state(),
      cse::v1::WRITEBACK_STATE_DONE);

  cse::v1::AckWritebackRequest unknown = forged;
  unknown.set_job_id(999999);
  EXPECT_THAT(Ack(unknown, &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

TEST_P(WritebackServiceTest, InvalidLeaseRequestsNameTheField) {
  auto lease_error = [&](const cse::v1::LeaseWritebacksRequest& request) {
    cse::v1::LeaseWritebacksResponse response;
    return Lease(request, &response);
  };
  cse::v1::LeaseWritebacksRequest request;
  EXPECT_THAT(lease_error(request),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("lessee_id: required")));
  request.set_lessee_id(std::string(257, 'x'));
  EXPECT_THAT(lease_error(request),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("lessee_id: at most 256 bytes")));
  request.set_lessee_id("a");
  request.set_max_jobs(501);
  EXPECT_THAT(lease_error(request),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("max_jobs: at most 500")));
  request.set_max_jobs(0);
  request.mutable_lease_duration()->set_nanos(500000000);
  EXPECT_THAT(lease_error(request),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("lease_duration: at least 1s")));
  *request.mutable_lease_duration() = Seconds(3601);
  EXPECT_THAT(lease_error(request),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("lease_duration: at most 3600s")));
  *request.mutable_lease_duration() = Seconds(-5);
  EXPECT_THAT(lease_error(request),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("lease_duration: must not be negative")));
}

TEST_P(WritebackServiceTest, InvalidAcksNameTheField) {
  auto ack_error = [&](const cse::v1::AckWritebackRequest& request) {
    cse::v1::AckWritebackResponse response;
    return Ack(request, &response);
  };
  cse::v1::AckWritebackRequest request;
  EXPECT_THAT(
      ack_error(request),
      GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, Eq("job_id: required")));
  request.set_job_id(1);
  EXPECT_THAT(ack_error(request),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("lease_token: required")));
  request.set_lease_token("t");
  EXPECT_THAT(
      ack_error(request),
      GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, Eq("result: required")));
  request.set_result(static_cast<cse::v1::WritebackResult>(9));
  EXPECT_THAT(ack_error(request),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("result: unknown value 9")));
  request.set_result(cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE);
  *request.mutable_retry_after() = Seconds(-1);
  EXPECT_THAT(ack_error(request),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("retry_after: must not be negative")));
  request.clear_retry_after();
  request.set_crm_answer(std::string(2049, 'x'));
  EXPECT_THAT(ack_error(request),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("crm_answer: at most 2048 bytes")));
}

TEST_P(WritebackServiceTest, InvalidAdminRequestsNameTheField) {
  cse::v1::ListDeadLettersRequest list;
  list.set_page_size(1001);
  cse::v1::ListDeadLettersResponse listed;
  EXPECT_THAT(sidecar_->admin().ListDeadLetters(ContextWithDeadline().get(),
                                                list, &listed),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("page_size: at most 1000")));
  list.set_page_size(0);
  list.set_page_token("garbage");
  EXPECT_THAT(sidecar_->admin().ListDeadLetters(ContextWithDeadline().get(),
                                                list, &listed),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("page_token: ")));
  cse::v1::RetryDeadLetterResponse retried;
  EXPECT_THAT(
      RetryDeadLetter(0, &retried),
      GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, Eq("job_id: required")));
}

TEST_P(WritebackServiceTest, TheServiceReportsServing) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(server::SidecarServer::kWritebackServiceName);
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_THAT(
      sidecar_->health().Check(ContextWithDeadline().get(), request, &response),
      GrpcIsOk());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

INSTANTIATE_TEST_SUITE_P(Backends, WritebackServiceTest, AllBackends(),
                         BackendName);

}  // namespace
}  // namespace cse::testing
