#include "sidecar/cli/remote_assessor.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>
#include <memory>

namespace cse::cli {

RemoteAssessor::RemoteAssessor(const std::string& target,
                               absl::Duration deadline)
    : stub_(cse::v1::JourneyService::NewStub(
          grpc::CreateChannel(target, grpc::InsecureChannelCredentials()))),
      deadline_(deadline) {}

namespace {

// gRPC and Abseil status codes are the same numbers.
absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

}  // namespace

std::unique_ptr<grpc::ClientContext> RemoteAssessor::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(deadline_));
  return context;
}

absl::StatusOr<cse::v1::AssessResponse> RemoteAssessor::Assess(
    const cse::v1::AssessRequest& request) {
  cse::v1::AssessResponse response;
  const grpc::Status status =
      stub_->Assess(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpc(status);
  return response;
}

absl::StatusOr<cse::v1::IngestResponse> RemoteAssessor::IngestTicket(
    const cse::v1::IngestTicketRequest& request) {
  cse::v1::IngestResponse response;
  const grpc::Status status =
      stub_->IngestTicket(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpc(status);
  return response;
}

absl::StatusOr<cse::v1::IngestResponse> RemoteAssessor::IngestMeeting(
    const cse::v1::IngestMeetingRequest& request) {
  cse::v1::IngestResponse response;
  const grpc::Status status =
      stub_->IngestMeeting(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpc(status);
  return response;
}

}  // namespace cse::cli
