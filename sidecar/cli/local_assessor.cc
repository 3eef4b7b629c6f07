#include "sidecar/cli/local_assessor.h"

#include <string>

#include "sidecar/api/assess_request.h"
#include "sidecar/api/event_conversion.h"

namespace cse::cli {

absl::StatusOr<cse::v1::AssessResponse> LocalAssessor::Assess(
    const cse::v1::AssessRequest& request) {
  // The same sequence JourneyServiceImpl::HandleAssess runs, so that
  // `cse assess` and `cse assess --server` give the same answers and the
  // same errors. The text limit is the mapping's: there is no server flag.
  api::EventLimits limits;
  limits.max_text_bytes = mapping_->max_text_bytes();
  absl::StatusOr<api::CheckedEvent> event =
      api::CheckAssessRequest(request, limits);
  if (!event.ok()) return event.status();
  cse::v1::AssessResponse response;
  // No journey memory in process: only assume_last_phase_id speaks.
  if (absl::Status s = api::AssessEvent(
          *mapping_, *event, request.options(), request.assume_last_phase_id(),
          [](absl::string_view) -> absl::StatusOr<std::string> {
            return std::string();
          },
          &response);
      !s.ok()) {
    return s;
  }
  return response;
}

}  // namespace cse::cli
