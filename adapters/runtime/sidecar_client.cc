#include "adapters/runtime/sidecar_client.h"

#include <grpcpp/client_context.h>

#include "absl/strings/str_cat.h"
#include "adapters/common/utf8_prefix.h"
#include "sidecar/server/grpc_status.h"
#include "sidecar/server/logging.h"

namespace cse::adapters {
namespace {

void SetDeadline(grpc::ClientContext* context, absl::Duration deadline) {
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
}

absl::Status Annotate(const grpc::Status& status, absl::string_view what) {
  absl::Status converted = server::FromGrpcStatus(status);
  if (converted.ok()) return converted;
  return absl::Status(converted.code(),
                      absl::StrCat(what, ": ", converted.message()));
}

}  // namespace

SidecarClient::SidecarClient(const std::shared_ptr<grpc::Channel>& channel,
                             absl::Duration deadline)
    : deadline_(deadline),
      journey_(cse::v1::JourneyService::NewStub(channel)),
      writeback_(cse::v1::WritebackService::NewStub(channel)) {}

absl::StatusOr<SidecarClient::IngestSummary> SidecarClient::Ingest(
    const CanonicalEvents& events) {
  IngestSummary summary;
  auto count = [&summary](const cse::v1::IngestResponse& response) {
    ++(response.duplicate() ? summary.duplicates : summary.recorded);
  };
  for (const cse::v1::TicketEvent& event : events.tickets) {
    grpc::ClientContext context;
    SetDeadline(&context, deadline_);
    cse::v1::IngestTicketRequest request;
    *request.mutable_event() = event;
    cse::v1::IngestResponse response;
    absl::Status status =
        Annotate(journey_->IngestTicket(&context, request, &response),
                 absl::StrCat("ticket event ", event.event_id()));
    if (!status.ok()) return status;
    count(response);
  }
  for (const cse::v1::MeetingEvent& event : events.meetings) {
    grpc::ClientContext context;
    SetDeadline(&context, deadline_);
    cse::v1::IngestMeetingRequest request;
    *request.mutable_event() = event;
    cse::v1::IngestResponse response;
    absl::Status status =
        Annotate(journey_->IngestMeeting(&context, request, &response),
                 absl::StrCat("meeting event ", event.event_id()));
    if (!status.ok()) return status;
    count(response);
  }
  for (const cse::v1::RecordOutcomeRequest& outcome : events.outcomes) {
    grpc::ClientContext context;
    SetDeadline(&context, deadline_);
    cse::v1::RecordOutcomeResponse response;
    absl::Status status =
        Annotate(journey_->RecordOutcome(&context, outcome, &response),
                 absl::StrCat("outcome ", outcome.outcome_id()));
    if (status.code() == absl::StatusCode::kInvalidArgument ||
        status.code() == absl::StatusCode::kNotFound ||
        status.code() == absl::StatusCode::kFailedPrecondition) {
      summary.rejected_outcomes.emplace_back(status.message());
      continue;
    }
    if (!status.ok()) return status;
    ++summary.outcomes;
  }
  return summary;
}

void SidecarClient::LogRejections(absl::string_view crm,
                                  const CanonicalEvents& events,
                                  const IngestSummary& summary) {
  auto logger = server::GetLogger("ingest");
  for (const std::string& warning : events.warnings) {
    logger->warn("{}: {}", crm, warning);
  }
  for (const std::string& rejected : summary.rejected_outcomes) {
    logger->warn("{}: sidecar refused {}", crm, rejected);
  }
}

absl::StatusOr<std::vector<cse::v1::WritebackJob>> SidecarClient::Lease(
    const std::string& lessee_id, uint32_t max_jobs,
    absl::Duration lease_duration, const std::string& target_system) {
  grpc::ClientContext context;
  SetDeadline(&context, deadline_);
  cse::v1::LeaseWritebacksRequest request;
  request.set_lessee_id(lessee_id);
  request.set_max_jobs(max_jobs);
  request.mutable_lease_duration()->set_seconds(
      absl::ToInt64Seconds(lease_duration));
  request.set_target_system(target_system);
  cse::v1::LeaseWritebacksResponse response;
  absl::Status status = Annotate(
      writeback_->LeaseWritebacks(&context, request, &response), "lease");
  if (!status.ok()) return status;
  return std::vector<cse::v1::WritebackJob>(response.jobs().begin(),
                                            response.jobs().end());
}

absl::StatusOr<cse::v1::WritebackJob> SidecarClient::Ack(
    const cse::v1::WritebackJob& job, const WritebackOutcome& outcome) {
  grpc::ClientContext context;
  SetDeadline(&context, deadline_);
  cse::v1::AckWritebackRequest request;
  request.set_job_id(job.job_id());
  request.set_lease_token(job.lease_token());
  request.set_result(outcome.result);
  if (outcome.retry_after > absl::ZeroDuration()) {
    request.mutable_retry_after()->set_seconds(absl::ToInt64Seconds(
        absl::Ceil(outcome.retry_after, absl::Seconds(1))));
  }
  // The API caps crm_answer at 2048 bytes.
  request.set_crm_answer(std::string(Utf8Prefix(outcome.crm_answer, 2048)));
  cse::v1::AckWritebackResponse response;
  absl::Status status =
      Annotate(writeback_->AckWriteback(&context, request, &response),
               absl::StrCat("ack of job ", job.job_id()));
  if (!status.ok()) return status;
  return response.job();
}

}  // namespace cse::adapters
