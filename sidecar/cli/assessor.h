// Where the CLI gets an assessment from: the engine in this process, or a
// running sidecar over gRPC. Both answer the same cse.v1.AssessRequest with
// the same cse.v1.AssessResponse, so rendering does not care which.
#ifndef CSE_SIDECAR_CLI_ASSESSOR_H_
#define CSE_SIDECAR_CLI_ASSESSOR_H_

#include "absl/status/statusor.h"
#include "cse/v1/journey_service.pb.h"

namespace cse::cli {

class Assessor {
 public:
  virtual ~Assessor() = default;

  // Errors: INVALID_ARGUMENT naming the field ("ticket.body: invalid UTF-8
  // at byte 3"), or whatever the transport reports (UNAVAILABLE,
  // DEADLINE_EXCEEDED...).
  //
  // @param request the event, options and assumed last phase.
  // @return the assessment and, when options.explain is set, the explanation.
  virtual absl::StatusOr<cse::v1::AssessResponse> Assess(
      const cse::v1::AssessRequest& request) = 0;
};

}  // namespace cse::cli

#endif  // CSE_SIDECAR_CLI_ASSESSOR_H_
