// Assesses through a running sidecar: cse.v1.JourneyService/Assess (and,
// for `cse ingest`, IngestTicket/IngestMeeting) over an insecure gRPC
// channel, with a deadline per call.
//
// Example:
//   RemoteAssessor assessor("127.0.0.1:50051", absl::Seconds(5));
//   absl::StatusOr<cse::v1::AssessResponse> r = assessor.Assess(request);
#ifndef CSE_SIDECAR_CLI_REMOTE_ASSESSOR_H_
#define CSE_SIDECAR_CLI_REMOTE_ASSESSOR_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "sidecar/cli/assessor.h"

namespace cse::cli {

class RemoteAssessor : public Assessor {
 public:
  RemoteAssessor(const std::string& target, absl::Duration deadline);

  // gRPC errors keep their code and message (the codes are the same numbers
  // in gRPC and Abseil).
  absl::StatusOr<cse::v1::AssessResponse> Assess(
      const cse::v1::AssessRequest& request) override;

  // Records the event in the sidecar's journey store. The same error
  // mapping as Assess(); a redelivery is a success with duplicate = true.
  absl::StatusOr<cse::v1::IngestResponse> IngestTicket(
      const cse::v1::IngestTicketRequest& request);
  absl::StatusOr<cse::v1::IngestResponse> IngestMeeting(
      const cse::v1::IngestMeetingRequest& request);

 private:
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  std::unique_ptr<cse::v1::JourneyService::Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace cse::cli

#endif  // CSE_SIDECAR_CLI_REMOTE_ASSESSOR_H_
