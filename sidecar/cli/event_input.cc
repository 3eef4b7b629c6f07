#include "sidecar/cli/event_input.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"

namespace cse::cli {
namespace {

// nlohmann's messages start with "[json.exception.parse_error.101] ".
std::string StripJsonExceptionTag(absl::string_view what) {
  if (!what.empty() && what.front() == '[') {
    const size_t close = what.find("] ");
    if (close != absl::string_view::npos) what.remove_prefix(close + 2);
  }
  return std::string(what);
}

absl::StatusOr<cse::v1::AssessRequest> ParseRequestObject(
    const nlohmann::json& object, EventKindHint hint) {
  cse::v1::AssessRequest request;
  if (absl::Status s = JsonToEvent(object.dump(), "request", &request);
      !s.ok()) {
    return s;
  }
  const bool is_ticket =
      request.event_case() == cse::v1::AssessRequest::kTicket;
  if ((hint == EventKindHint::kTicket && !is_ticket) ||
      (hint == EventKindHint::kMeeting && is_ticket)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the JSON holds a ", is_ticket ? "ticket" : "meeting",
                     " but --kind says ", is_ticket ? "meeting" : "ticket"));
  }
  return request;
}

}  // namespace

absl::StatusOr<EventKindHint> ParseKindHint(absl::string_view kind) {
  if (kind == "ticket") return EventKindHint::kTicket;
  if (kind == "meeting") return EventKindHint::kMeeting;
  return absl::InvalidArgumentError(
      absl::StrCat("--kind: must be ticket or meeting, not \"", kind, "\""));
}

absl::Status JsonToEvent(absl::string_view json, absl::string_view what,
                         google::protobuf::Message* out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), out, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid ", what, " (", out->GetDescriptor()->full_name(),
                     "): ", status.message().ToString()));
  }
  return absl::OkStatus();
}

absl::StatusOr<cse::v1::AssessRequest> ParseEventJson(absl::string_view json,
                                                      EventKindHint hint) {
  // nlohmann throws on syntax errors; the exception stays in this function.
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json.begin(), json.end());
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid JSON: ", StripJsonExceptionTag(e.what())));
  }
  if (!doc.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid JSON: expected an object, got ", doc.type_name()));
  }
  if (doc.contains("ticket") || doc.contains("meeting")) {
    return ParseRequestObject(doc, hint);
  }
  if (doc.contains("event") && doc["event"].is_object()) {
    // A line of the evaluation dataset: {"id", "event": {...}, "expected"}.
    return ParseRequestObject(doc["event"], hint);
  }
  cse::v1::AssessRequest request;
  switch (hint) {
    case EventKindHint::kTicket:
      if (absl::Status s =
              JsonToEvent(json, "ticket event", request.mutable_ticket());
          !s.ok()) {
        return s;
      }
      return request;
    case EventKindHint::kMeeting:
      if (absl::Status s =
              JsonToEvent(json, "meeting event", request.mutable_meeting());
          !s.ok()) {
        return s;
      }
      return request;
    case EventKindHint::kAuto:
      break;
  }
  return absl::InvalidArgumentError(
      "a bare event needs --kind ticket|meeting (or wrap it as "
      "{\"ticket\": {...}} / {\"meeting\": {...}})");
}

cse::v1::AssessRequest TextEventRequest(absl::string_view text,
                                        EventKindHint hint) {
  cse::v1::AssessRequest request;
  if (hint == EventKindHint::kMeeting) {
    cse::v1::MeetingEvent* m = request.mutable_meeting();
    m->set_source("cli");
    m->set_notes(std::string(text));
  } else {
    cse::v1::TicketEvent* t = request.mutable_ticket();
    t->set_source("cli");
    t->set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
    t->set_body(std::string(text));
  }
  return request;
}

absl::StatusOr<cse::v1::AssessRequest> ReadEventFile(const std::string& path,
                                                     EventKindHint hint) {
  absl::StatusOr<std::string> content = ReadInput(path);
  if (!content.ok()) return content.status();
  absl::StatusOr<cse::v1::AssessRequest> request =
      ParseEventJson(*content, hint);
  if (!request.ok()) {
    const std::string name = path == "-" ? "<stdin>" : path;
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": ", request.status().message()));
  }
  return request;
}

absl::StatusOr<std::string> ReadInput(const std::string& path) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  }
  std::string content((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  return content;
}

}  // namespace cse::cli
