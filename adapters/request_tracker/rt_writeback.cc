#include "adapters/request_tracker/rt_writeback.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/common/http_answer.h"
#include "adapters/request_tracker/rt_json.h"

namespace cse::adapters::request_tracker {
namespace {

// Pages of ticket history searched for a marker (100 transactions each).
constexpr int kMaxHistoryPages = 50;

bool Is2xx(const absl::StatusOr<HttpResponse>& r) {
  return r.ok() && r->status >= 200 && r->status < 300;
}

// The values of custom field `name` on a GET /ticket/:id answer.
std::vector<std::string> FieldValues(const nlohmann::json& ticket,
                                     const std::string& name) {
  std::vector<std::string> values;
  auto fields = ticket.find("CustomFields");
  if (fields == ticket.end() || !fields->is_array()) return values;
  for (const nlohmann::json& field : *fields) {
    if (Text(field, "name") != name) continue;
    auto list = field.find("values");
    if (list == field.end() || !list->is_array()) continue;
    for (const nlohmann::json& value : *list) {
      if (value.is_string()) values.push_back(value.get<std::string>());
    }
  }
  return values;
}

// RT's message list from a 200 answer ("Journey Phase Onboarding added").
std::string Messages(const HttpResponse& response) {
  nlohmann::json list = nlohmann::json::parse(response.body, nullptr, false);
  if (!list.is_array()) return "";
  std::vector<std::string> messages;
  for (const nlohmann::json& m : list) {
    if (m.is_string()) messages.push_back(m.get<std::string>());
  }
  return absl::StrJoin(messages, "; ");
}

}  // namespace

std::string NoteSubject(absl::string_view marker) {
  return absl::StrCat("CSE suggestions [", marker, "]");
}

RtWriteback::RtWriteback(RtSession* session, WritebackFields fields)
    : session_(session), fields_(std::move(fields)) {}

WritebackOutcome RtWriteback::Perform(const cse::v1::WritebackJob& job) {
  if (job.object_kind() != cse::v1::CRM_OBJECT_KIND_TICKET) {
    return WritebackPermanent(
        "Request Tracker has tickets only; job is for another "
        "kind of object");
  }
  switch (job.action_case()) {
    case cse::v1::WritebackJob::kNote:
      return Note(job);
    case cse::v1::WritebackJob::kTags:
      return Tags(job);
    case cse::v1::WritebackJob::kPhaseField:
      return Phase(job);
    case cse::v1::WritebackJob::ACTION_NOT_SET:
      break;
  }
  return WritebackPermanent("job has no action");
}

WritebackOutcome RtWriteback::Note(const cse::v1::WritebackJob& job) {
  const std::string& marker = job.note().marker();
  const std::string history_path = absl::StrCat(
      "/ticket/", job.object_id(), "/history?fields=Type,Data&per_page=100");
  // The marker is in the comment's Subject, which RT keeps in the
  // transaction's Data: one history listing finds it, no attachment reads.
  for (int page = 1; page <= kMaxHistoryPages; ++page) {
    absl::StatusOr<HttpResponse> answer =
        session_->Rest("GET", absl::StrCat(history_path, "&page=", page));
    if (!Is2xx(answer)) {
      return ClassifyHttpAnswer(answer, "GET history", absl::Now());
    }
    nlohmann::json history =
        nlohmann::json::parse(answer->body, nullptr, false);
    const nlohmann::json& items = Items(history);
    for (const nlohmann::json& item : items) {
      if (Text(item, "Type") == "Comment" &&
          absl::StrContains(Text(item, "Data"), marker)) {
        return WritebackDone(absl::StrCat(
            "note ", marker, " already on the ticket (transaction ",
            Text(item, "id"), ")"));
      }
    }
    const int pages = history.is_object() ? history.value("pages", 1) : 1;
    if (items.size() < 100 || page >= pages) break;
  }
  nlohmann::json body = {{"Subject", NoteSubject(marker)},
                         {"Content", job.note().markdown()},
                         {"ContentType", "text/plain"}};
  absl::StatusOr<HttpResponse> posted = session_->Rest(
      "POST", absl::StrCat("/ticket/", job.object_id(), "/comment"),
      body.dump());
  return ClassifyHttpAnswer(
      posted, absl::StrCat("POST /ticket/", job.object_id(), "/comment"),
      absl::Now());
}

WritebackOutcome RtWriteback::Tags(const cse::v1::WritebackJob& job) {
  const std::string path = absl::StrCat("/ticket/", job.object_id());
  absl::StatusOr<HttpResponse> current = session_->Rest("GET", path);
  if (!Is2xx(current)) {
    return ClassifyHttpAnswer(current, "GET " + path, absl::Now());
  }
  nlohmann::json ticket = nlohmann::json::parse(current->body, nullptr, false);
  std::vector<std::string> values = FieldValues(ticket, fields_.tags_field);
  bool missing = false;
  for (const std::string& tag : job.tags().tags()) {
    if (std::find(values.begin(), values.end(), tag) == values.end()) {
      values.push_back(tag);
      missing = true;
    }
  }
  if (!missing) return WritebackDone("tags already present");
  nlohmann::json body = {{"CustomFields", {{fields_.tags_field, values}}}};
  absl::StatusOr<HttpResponse> put = session_->Rest("PUT", path, body.dump());
  if (!Is2xx(put)) {
    return ClassifyHttpAnswer(put, "PUT " + path, absl::Now());
  }
  // Read back: REST2 reports refusals inside a 200.
  absl::StatusOr<HttpResponse> after = session_->Rest("GET", path);
  if (!Is2xx(after)) {
    return ClassifyHttpAnswer(after, "GET " + path, absl::Now());
  }
  std::vector<std::string> stored = FieldValues(
      nlohmann::json::parse(after->body, nullptr, false), fields_.tags_field);
  for (const std::string& tag : job.tags().tags()) {
    if (std::find(stored.begin(), stored.end(), tag) == stored.end()) {
      return WritebackPermanent(absl::StrCat(
          "PUT ", path, ": tag '", tag, "' did not stick in custom field '",
          fields_.tags_field, "': ", Messages(*put)));
    }
  }
  return WritebackDone(
      absl::StrCat("PUT ", path, ": HTTP ", put->status, " ", Messages(*put)));
}

WritebackOutcome RtWriteback::Phase(const cse::v1::WritebackJob& job) {
  const std::string path = absl::StrCat("/ticket/", job.object_id());
  const std::string field = job.phase_field().field().empty()
                                ? fields_.phase_field
                                : job.phase_field().field();
  const std::string value = job.phase_field().phase_name().empty()
                                ? job.phase_field().phase_id()
                                : job.phase_field().phase_name();
  nlohmann::json body = {{"CustomFields", {{field, value}}}};
  absl::StatusOr<HttpResponse> put = session_->Rest("PUT", path, body.dump());
  if (!Is2xx(put)) {
    return ClassifyHttpAnswer(put, "PUT " + path, absl::Now());
  }
  absl::StatusOr<HttpResponse> after = session_->Rest("GET", path);
  if (!Is2xx(after)) {
    return ClassifyHttpAnswer(after, "GET " + path, absl::Now());
  }
  std::vector<std::string> stored =
      FieldValues(nlohmann::json::parse(after->body, nullptr, false), field);
  if (stored.size() != 1 || stored[0] != value) {
    return WritebackPermanent(absl::StrCat("PUT ", path, ": custom field '",
                                           field, "' did not take '", value,
                                           "': ", Messages(*put)));
  }
  return WritebackDone(
      absl::StrCat("PUT ", path, ": HTTP ", put->status, " ", Messages(*put)));
}

}  // namespace cse::adapters::request_tracker
