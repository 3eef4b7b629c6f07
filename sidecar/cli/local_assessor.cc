#include "sidecar/cli/local_assessor.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "sidecar/api/assessment_conversion.h"
#include "sidecar/api/event_conversion.h"
#include "sidecar/engine/journey_engine.h"

namespace cse::cli {

absl::StatusOr<cse::v1::AssessResponse> LocalAssessor::Assess(
    const cse::v1::AssessRequest& request) {
  // Mirrors JourneyServiceImpl::HandleAssess so that `cse assess` and
  // `cse assess --server` give the same answers and the same errors.
  api::EventLimits limits;
  limits.max_text_bytes = mapping_->max_text_bytes();
  engine::EventView event;
  absl::string_view prefix;
  switch (request.event_case()) {
    case cse::v1::AssessRequest::kTicket:
      prefix = "ticket";
      if (absl::Status s = api::ValidateTicket(
              request.ticket(), prefix, api::Strictness::kAssess, limits);
          !s.ok()) {
        return s;
      }
      event = api::TicketView(request.ticket());
      break;
    case cse::v1::AssessRequest::kMeeting:
      prefix = "meeting";
      if (absl::Status s = api::ValidateMeeting(
              request.meeting(), prefix, api::Strictness::kAssess, limits);
          !s.ok()) {
        return s;
      }
      event = api::MeetingView(request.meeting());
      break;
    default:
      return absl::InvalidArgumentError(
          "event: one of ticket or meeting is required");
  }
  if (request.options().top_n() > engine::kMaxTopN) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.top_n: at most ", engine::kMaxTopN));
  }
  if (!request.assume_last_phase_id().empty() &&
      mapping_->FindPhase(request.assume_last_phase_id()) < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("assume_last_phase_id: unknown phase \"",
                     request.assume_last_phase_id(), "\""));
  }

  engine::AssessOptions options;
  options.top_n = request.options().top_n();
  options.explain = request.options().explain();
  options.last_known_phase_id = request.assume_last_phase_id();
  absl::StatusOr<engine::Assessment> assessment =
      engine::Assess(*mapping_, event, options);
  if (!assessment.ok()) {
    // The engine names the text field ("body: ..."); add the event's path.
    if (assessment.status().code() != absl::StatusCode::kInvalidArgument) {
      return assessment.status();
    }
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, ".", assessment.status().message()));
  }
  cse::v1::AssessResponse response;
  api::ToProto(*assessment, event, response.mutable_assessment());
  if (options.explain) {
    api::ToProto(*assessment, response.mutable_explanation());
  }
  return response;
}

}  // namespace cse::cli
