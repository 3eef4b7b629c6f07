#include "sidecar/cli/remote_assessor.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>

namespace cse::cli {

RemoteAssessor::RemoteAssessor(const std::string& target,
                               absl::Duration deadline)
    : stub_(cse::v1::JourneyService::NewStub(
          grpc::CreateChannel(target, grpc::InsecureChannelCredentials()))),
      deadline_(deadline) {}

absl::StatusOr<cse::v1::AssessResponse> RemoteAssessor::Assess(
    const cse::v1::AssessRequest& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(deadline_));
  cse::v1::AssessResponse response;
  const grpc::Status status = stub_->Assess(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return response;
}

}  // namespace cse::cli
