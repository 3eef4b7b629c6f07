#include <limits>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sidecar/api/event_conversion.h"
#include "sidecar/cli/commands.h"
#include "sidecar/cli/event_input.h"
#include "sidecar/cli/remote_assessor.h"

namespace cse::cli {
namespace {

// Before the call: the server's ingest checks (ids required), without the
// size limit, which is the server's to decide. Invalid UTF-8 would
// otherwise not even serialise into a request the server can parse.
api::EventLimits UnboundedText() {
  api::EventLimits limits;
  limits.max_text_bytes = std::numeric_limits<uint32_t>::max();
  return limits;
}

}  // namespace

int RunIngest(const IngestFlags& flags, const TextStyle& style,
              std::ostream& out, std::ostream& err) {
  if (flags.server.empty()) {
    // Usage, not input: there is no in-process journey store to record
    // into, and a silent dry run would look like a successful ingest.
    err << "error: ingest records the event in a running sidecar's journey "
           "store: give --server HOST:PORT (for a dry run without a "
           "sidecar, use `cse assess`)\n";
    return kExitInvalid;
  }
  EventKindHint hint = EventKindHint::kAuto;
  if (!flags.kind.empty()) {
    absl::StatusOr<EventKindHint> parsed = ParseKindHint(flags.kind);
    if (!parsed.ok()) return Fail(err, parsed.status().message());
    hint = *parsed;
  }
  absl::StatusOr<cse::v1::AssessRequest> input =
      ReadEventFile(flags.file, hint);
  if (!input.ok()) return Fail(err, input.status().message());
  if (!input->assume_last_phase_id().empty()) {
    // Ingest takes the account's history from the store; dropping the
    // field quietly would answer something else than the file asks.
    return Fail(err,
                "assumeLastPhaseId: ingest uses the account's history in the "
                "journey store; remove it, or use `cse assess --last-phase`");
  }
  cse::v1::AssessOptions options = input->options();
  if (flags.top_n != 0) options.set_top_n(flags.top_n);

  RemoteAssessor client(flags.server, kRpcDeadline);
  absl::StatusOr<cse::v1::IngestResponse> response;
  switch (input->event_case()) {
    case cse::v1::AssessRequest::kTicket: {
      cse::v1::IngestTicketRequest request;
      request.mutable_event()->Swap(input->mutable_ticket());
      *request.mutable_options() = options;
      if (absl::Status s =
              api::ValidateTicket(request.event(), "event",
                                  api::Strictness::kIngest, UnboundedText());
          !s.ok()) {
        return FailStatus(err, s);
      }
      response = client.IngestTicket(request);
      break;
    }
    case cse::v1::AssessRequest::kMeeting: {
      cse::v1::IngestMeetingRequest request;
      request.mutable_event()->Swap(input->mutable_meeting());
      *request.mutable_options() = options;
      if (absl::Status s =
              api::ValidateMeeting(request.event(), "event",
                                   api::Strictness::kIngest, UnboundedText());
          !s.ok()) {
        return FailStatus(err, s);
      }
      response = client.IngestMeeting(request);
      break;
    }
    default:
      return Fail(err, "the JSON holds no ticket or meeting event");
  }
  if (!response.ok()) return FailStatus(err, response.status());
  out << (flags.json ? RenderJson(*response) : RenderIngest(*response, style));
  return kExitOk;
}

}  // namespace cse::cli
