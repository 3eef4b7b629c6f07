// Turns what a person hands the `cse` CLI (a JSON file, stdin or a bit of
// text) into a cse.v1.AssessRequest.
//
// Accepted JSON shapes, all in protobuf JSON (lowerCamelCase or the proto
// field names; unknown fields are rejected):
//   {"ticket": {...}} / {"meeting": {...}}   an AssessRequest (may also carry
//                                            "options", "assumeLastPhaseId")
//   {"id": ..., "event": {"ticket": {...}}}  a line of the evaluation dataset
//   {...}                                    a bare TicketEvent/MeetingEvent,
//                                            with the kind given by --kind
//
// Example:
//   absl::StatusOr<cse::v1::AssessRequest> r =
//       ParseEventJson(R"({"ticket":{"body":"Export is down"}})",
//                      EventKindHint::kAuto);
#ifndef CSE_SIDECAR_CLI_EVENT_INPUT_H_
#define CSE_SIDECAR_CLI_EVENT_INPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cse/v1/events.pb.h"
#include "cse/v1/journey_service.pb.h"

namespace cse::cli {

enum class EventKindHint { kAuto, kTicket, kMeeting };

// Parses "ticket" / "meeting"; anything else is INVALID_ARGUMENT.
absl::StatusOr<EventKindHint> ParseKindHint(absl::string_view kind);

// Parses JSON text (see above). Errors are INVALID_ARGUMENT and say what is
// wrong: the JSON syntax error with line and column, or the protobuf JSON
// error naming the field. A wrapper whose kind disagrees with `hint` is an
// error too.
absl::StatusOr<cse::v1::AssessRequest> ParseEventJson(absl::string_view json,
                                                      EventKindHint hint);

// Parses one protobuf-JSON event object into `out` (TicketEvent or
// MeetingEvent), rejecting unknown fields. `what` names it in errors.
absl::Status JsonToEvent(absl::string_view json, absl::string_view what,
                         google::protobuf::Message* out);

// A request for free text: the ticket body (kind "created", source "cli")
// or, for kMeeting, the meeting notes.
cse::v1::AssessRequest TextEventRequest(absl::string_view text,
                                        EventKindHint hint);

// Reads `path` ("-": standard input) and parses it with ParseEventJson();
// parse errors start with the file name ("<stdin>" for "-").
absl::StatusOr<cse::v1::AssessRequest> ReadEventFile(const std::string& path,
                                                     EventKindHint hint);

// Reads a whole file; "-" is standard input.
absl::StatusOr<std::string> ReadInput(const std::string& path);

}  // namespace cse::cli

#endif  // CSE_SIDECAR_CLI_EVENT_INPUT_H_
