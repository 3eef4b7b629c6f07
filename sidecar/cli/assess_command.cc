#include <limits>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "sidecar/api/event_conversion.h"
#include "sidecar/cli/commands.h"
#include "sidecar/cli/event_input.h"
#include "sidecar/cli/local_assessor.h"
#include "sidecar/cli/mapping_source.h"
#include "sidecar/cli/remote_assessor.h"

namespace cse::cli {

int Fail(std::ostream& err, absl::string_view message) {
  err << "error: " << message << "\n";
  return kExitError;
}

int FailStatus(std::ostream& err, const absl::Status& status) {
  return Fail(err, absl::StrCat(absl::StatusCodeToString(status.code()), ": ",
                                status.message()));
}

namespace {

absl::StatusOr<cse::v1::AssessRequest> BuildRequest(const AssessFlags& flags) {
  EventKindHint hint = EventKindHint::kAuto;
  if (!flags.kind.empty()) {
    absl::StatusOr<EventKindHint> parsed = ParseKindHint(flags.kind);
    if (!parsed.ok()) return parsed.status();
    hint = *parsed;
  }
  if (flags.file.empty() == flags.text.empty()) {
    return absl::InvalidArgumentError(
        "give exactly one input: a JSON FILE ('-' for stdin) or --text");
  }
  if (!flags.text.empty()) {
    std::string text = flags.text;
    if (text == "-") {
      absl::StatusOr<std::string> read = ReadInput("-");
      if (!read.ok()) return read.status();
      text = *std::move(read);
    }
    return TextEventRequest(text, hint);
  }
  return ReadEventFile(flags.file, hint);
}

// Before a remote call: the same field checks the server runs (without the
// size limit, which is the server's to decide). Invalid UTF-8 would
// otherwise not even serialise into a request the server can parse.
absl::Status CheckBeforeSending(const cse::v1::AssessRequest& request) {
  api::EventLimits limits;
  limits.max_text_bytes = std::numeric_limits<uint32_t>::max();
  switch (request.event_case()) {
    case cse::v1::AssessRequest::kTicket:
      return api::ValidateTicket(request.ticket(), "ticket",
                                 api::Strictness::kAssess, limits);
    case cse::v1::AssessRequest::kMeeting:
      return api::ValidateMeeting(request.meeting(), "meeting",
                                  api::Strictness::kAssess, limits);
    default:
      return absl::InvalidArgumentError(
          "event: one of ticket or meeting is required");
  }
}

}  // namespace

int RunAssess(const AssessFlags& flags, bool explain, const TextStyle& style,
              std::ostream& out, std::ostream& err) {
  if (!flags.server.empty() &&
      (!flags.config_path.empty() || !flags.builtin_name.empty())) {
    return Fail(err,
                "--server assesses with the server's mapping; --config and "
                "--builtin apply only in-process");
  }
  absl::StatusOr<cse::v1::AssessRequest> request = BuildRequest(flags);
  if (!request.ok()) return Fail(err, request.status().message());
  // Flags override whatever options the file carried.
  if (flags.top_n != 0) request->mutable_options()->set_top_n(flags.top_n);
  if (explain) request->mutable_options()->set_explain(true);
  if (!flags.last_phase.empty()) {
    request->set_assume_last_phase_id(flags.last_phase);
  }

  std::unique_ptr<Assessor> assessor;
  if (!flags.server.empty()) {
    if (absl::Status s = CheckBeforeSending(*request); !s.ok()) {
      return FailStatus(err, s);
    }
    assessor = std::make_unique<RemoteAssessor>(flags.server, kRpcDeadline);
  } else {
    std::vector<config::ConfigError> errors;
    MappingChoice choice{flags.config_path, flags.builtin_name};
    absl::StatusOr<ReadyMapping> ready = LoadAndCompile(choice, &errors);
    if (!ready.ok()) {
      for (const config::ConfigError& e : errors) {
        err << FormatConfigError(e, flags.config_path) << "\n";
      }
      return Fail(err, absl::StrCat("mapping: ", ready.status().message()));
    }
    assessor = std::make_unique<LocalAssessor>(ready->compiled);
  }

  absl::StatusOr<cse::v1::AssessResponse> response = assessor->Assess(*request);
  if (!response.ok()) return FailStatus(err, response.status());
  if (flags.json) {
    out << RenderJson(*response);
  } else if (explain) {
    out << RenderExplanation(*response, style);
  } else {
    out << RenderAssessment(response->assessment(), style);
  }
  return kExitOk;
}

}  // namespace cse::cli
