#include "sidecar/api/assess_request.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "sidecar/api/assessment_conversion.h"
#include "sidecar/engine/journey_engine.h"

namespace cse::api {

absl::Status CheckAssessOptions(const cse::v1::AssessOptions& options) {
  if (options.top_n() > engine::kMaxTopN) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.top_n: at most ", engine::kMaxTopN));
  }
  return absl::OkStatus();
}

absl::StatusOr<CheckedEvent> CheckAssessRequest(
    const cse::v1::AssessRequest& request, const EventLimits& limits) {
  CheckedEvent checked;
  switch (request.event_case()) {
    case cse::v1::AssessRequest::kTicket:
      checked.path = "ticket";
      if (absl::Status s = ValidateTicket(request.ticket(), checked.path,
                                          Strictness::kAssess, limits);
          !s.ok()) {
        return s;
      }
      checked.view = TicketView(request.ticket());
      break;
    case cse::v1::AssessRequest::kMeeting:
      checked.path = "meeting";
      if (absl::Status s = ValidateMeeting(request.meeting(), checked.path,
                                           Strictness::kAssess, limits);
          !s.ok()) {
        return s;
      }
      checked.view = MeetingView(request.meeting());
      break;
    default:
      return absl::InvalidArgumentError(
          "event: one of ticket or meeting is required");
  }
  if (absl::Status s = CheckAssessOptions(request.options()); !s.ok()) {
    return s;
  }
  return checked;
}

namespace {

// The last known phase, the engine call and its error paths; the callers
// convert the result into their response message.
absl::StatusOr<engine::Assessment> RunEngine(
    const engine::CompiledMapping& mapping, const CheckedEvent& event,
    const cse::v1::AssessOptions& options,
    absl::string_view assume_last_phase_id, LastPhaseLookup last_phase,
    const engine::PracticeOutcomeStats* outcome_stats) {
  std::string last_phase_id;
  if (!assume_last_phase_id.empty()) {
    if (mapping.FindPhase(assume_last_phase_id) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("assume_last_phase_id: unknown phase \"",
                       assume_last_phase_id, "\""));
    }
    last_phase_id = std::string(assume_last_phase_id);
  } else if (!event.view.account_id.empty()) {
    absl::StatusOr<std::string> found = last_phase(event.view.account_id);
    if (!found.ok()) return found.status();
    last_phase_id = *std::move(found);
  }

  engine::AssessOptions engine_options;
  engine_options.top_n = options.top_n();
  engine_options.explain = options.explain();
  engine_options.last_known_phase_id = last_phase_id;
  engine_options.outcome_stats = outcome_stats;
  absl::StatusOr<engine::Assessment> result =
      engine::Assess(mapping, event.view, engine_options);
  if (!result.ok()) {
    // The engine names the text field ("body: ..."); the API names it with
    // the event's path in the request ("ticket.body: ...").
    if (result.status().code() != absl::StatusCode::kInvalidArgument) {
      return result.status();
    }
    return absl::InvalidArgumentError(
        absl::StrCat(event.path, ".", result.status().message()));
  }
  return result;
}

}  // namespace

absl::Status AssessEvent(const engine::CompiledMapping& mapping,
                         const CheckedEvent& event,
                         const cse::v1::AssessOptions& options,
                         absl::string_view assume_last_phase_id,
                         LastPhaseLookup last_phase,
                         cse::v1::AssessResponse* response,
                         const engine::PracticeOutcomeStats* outcome_stats) {
  absl::StatusOr<engine::Assessment> result = RunEngine(
      mapping, event, options, assume_last_phase_id, last_phase, outcome_stats);
  if (!result.ok()) return result.status();
  ToProto(*result, event.view, response->mutable_assessment());
  if (options.explain()) ToProto(*result, response->mutable_explanation());
  return absl::OkStatus();
}

absl::Status AssessEvent(const engine::CompiledMapping& mapping,
                         const CheckedEvent& event,
                         const cse::v1::AssessOptions& options,
                         absl::string_view assume_last_phase_id,
                         LastPhaseLookup last_phase,
                         cse::v1::IngestResponse* response,
                         const engine::PracticeOutcomeStats* outcome_stats) {
  absl::StatusOr<engine::Assessment> result = RunEngine(
      mapping, event, options, assume_last_phase_id, last_phase, outcome_stats);
  if (!result.ok()) return result.status();
  ToProto(*result, event.view, response->mutable_assessment());
  if (options.explain()) ToProto(*result, response->mutable_explanation());
  return absl::OkStatus();
}

}  // namespace cse::api
