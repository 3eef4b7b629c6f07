// `cse outcome`: records what the team did and how the customer reacted
// (JourneyService.RecordOutcome), for teams whose CRM has no adapter label
// for it, or to record a debrief after a meeting.
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "sidecar/cli/commands.h"

namespace cse::cli {
namespace {

absl::StatusOr<cse::v1::CustomerReaction> ParseReaction(const std::string& s) {
  if (s == "restored") return cse::v1::CUSTOMER_REACTION_RESTORED;
  if (s == "bolstered") return cse::v1::CUSTOMER_REACTION_BOLSTERED;
  if (s == "no-change") return cse::v1::CUSTOMER_REACTION_NO_CHANGE;
  if (s == "worsened") return cse::v1::CUSTOMER_REACTION_WORSENED;
  return absl::InvalidArgumentError(
      absl::StrCat("--reaction: \"", s,
                   "\" is not restored, bolstered, no-change or worsened"));
}

absl::StatusOr<cse::v1::ModeOfOrganization> ParseOrganization(
    const std::string& s) {
  if (s.empty()) return cse::v1::MODE_OF_ORGANIZATION_UNSPECIFIED;
  if (s == "ad-hoc") return cse::v1::MODE_OF_ORGANIZATION_AD_HOC;
  if (s == "regular") return cse::v1::MODE_OF_ORGANIZATION_REGULAR;
  return absl::InvalidArgumentError(
      absl::StrCat("--organization: \"", s, "\" is not ad-hoc or regular"));
}

absl::StatusOr<cse::v1::ModeOfEngagement> ParseEngagement(
    const std::string& s) {
  if (s.empty()) return cse::v1::MODE_OF_ENGAGEMENT_UNSPECIFIED;
  if (s == "reactive") return cse::v1::MODE_OF_ENGAGEMENT_REACTIVE;
  if (s == "proactive") return cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE;
  return absl::InvalidArgumentError(
      absl::StrCat("--engagement: \"", s, "\" is not reactive or proactive"));
}

absl::StatusOr<cse::v1::RecordOutcomeRequest> BuildRequest(
    const OutcomeFlags& flags) {
  absl::StatusOr<cse::v1::CustomerReaction> reaction =
      ParseReaction(flags.reaction);
  if (!reaction.ok()) return reaction.status();
  absl::StatusOr<cse::v1::ModeOfOrganization> organization =
      ParseOrganization(flags.organization);
  if (!organization.ok()) return organization.status();
  absl::StatusOr<cse::v1::ModeOfEngagement> engagement =
      ParseEngagement(flags.engagement);
  if (!engagement.ok()) return engagement.status();
  cse::v1::RecordOutcomeRequest request;
  request.set_outcome_id(flags.outcome_id);
  request.set_account_id(flags.account);
  request.set_source(flags.source);
  request.set_event_id(flags.event_id);
  request.set_practice_id(flags.practice);
  request.set_organization(*organization);
  request.set_engagement(*engagement);
  request.set_reaction(*reaction);
  request.set_phase_id(flags.phase);
  request.set_critical_event_type(flags.critical_event);
  request.set_description(flags.description);
  request.set_recorded_by(flags.recorded_by);
  request.set_follow_latest_suggestion(flags.follow_latest);
  if (!flags.occurred_at.empty()) {
    absl::Time at;
    std::string why;
    if (!absl::ParseTime(absl::RFC3339_full, flags.occurred_at, &at, &why)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--occurred-at: \"", flags.occurred_at,
                       "\" is not an RFC 3339 time (", why, ")"));
    }
    const int64_t nanos = absl::ToUnixNanos(at);
    request.mutable_occurred_at()->set_seconds(nanos / 1000000000);
    request.mutable_occurred_at()->set_nanos(
        static_cast<int32_t>(nanos % 1000000000));
  }
  return request;
}

absl::string_view ReactionWord(cse::v1::CustomerReaction r) {
  switch (r) {
    case cse::v1::CUSTOMER_REACTION_RESTORED:
      return "restored";
    case cse::v1::CUSTOMER_REACTION_BOLSTERED:
      return "bolstered";
    case cse::v1::CUSTOMER_REACTION_NO_CHANGE:
      return "no change";
    default:
      return "worsened";
  }
}

// What was stored, as the sidecar completed it (phase, critical event,
// mode and followed event may come from the suggestion it followed).
std::string RenderOutcome(const cse::v1::RecordOutcomeResponse& response) {
  const cse::v1::Outcome& o = response.outcome();
  std::string text = absl::StrCat(
      response.duplicate() ? "Already recorded" : "Recorded", " outcome ",
      o.outcome_id(), ": ", o.practice_id(), " ", ReactionWord(o.reaction()),
      " for ", o.account_id(), "\n  performed ",
      o.organization() == cse::v1::MODE_OF_ORGANIZATION_REGULAR ? "regular"
                                                                : "ad hoc",
      ", ",
      o.engagement() == cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE ? "proactive"
                                                              : "reactive",
      o.phase_id().empty() ? "" : absl::StrCat(" in phase ", o.phase_id()),
      o.critical_event_type().empty()
          ? ""
          : absl::StrCat(", answering ", o.critical_event_type()),
      "\n");
  if (!o.event_id().empty()) {
    absl::StrAppend(&text, "  follows the suggestion of event (", o.source(),
                    ", ", o.event_id(), ")\n");
  } else {
    absl::StrAppend(&text, "  applied on the team's own initiative\n");
  }
  return text;
}

}  // namespace

int RunOutcome(const OutcomeFlags& flags, std::ostream& out,
               std::ostream& err) {
  if (flags.server.empty()) {
    err << "error: outcome records into a running sidecar's journey store: "
           "give --server HOST:PORT\n";
    return kExitInvalid;
  }
  absl::StatusOr<cse::v1::RecordOutcomeRequest> request = BuildRequest(flags);
  if (!request.ok()) return Fail(err, request.status().message());

  auto stub = cse::v1::JourneyService::NewStub(
      grpc::CreateChannel(flags.server, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(kRpcDeadline));
  cse::v1::RecordOutcomeResponse response;
  const grpc::Status status =
      stub->RecordOutcome(&context, *request, &response);
  if (!status.ok()) {
    // gRPC and Abseil status codes are the same numbers.
    return FailStatus(
        err, absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          status.error_message()));
  }
  out << (flags.json ? RenderJson(response) : RenderOutcome(response));
  return kExitOk;
}

}  // namespace cse::cli
