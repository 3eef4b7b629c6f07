#include "adapters/hubspot/writeback.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/hubspot/text.h"

namespace cse::adapters::hubspot {
namespace {

using cse::v1::WRITEBACK_RESULT_DONE;
using cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE;
using cse::v1::WritebackJob;

bool IsDigits(absl::string_view id) {
  uint64_t unused = 0;
  return !id.empty() && absl::SimpleAtoi(id, &unused);
}

// "tickets" / "meetings" for the job's object, nullopt for other kinds.
std::optional<std::string> ObjectPath(const WritebackJob& job) {
  switch (job.object_kind()) {
    case cse::v1::CRM_OBJECT_KIND_TICKET:
      return std::string("tickets");
    case cse::v1::CRM_OBJECT_KIND_MEETING:
      return std::string("meetings");
    default:
      return std::nullopt;
  }
}

// A 2xx whose body is not what the API documents: retrying may help (a
// proxy's page), and the admin sees the answer.
WritebackOutcome Unexpected(absl::string_view context, absl::string_view why) {
  WritebackOutcome outcome;
  outcome.result = WRITEBACK_RESULT_FAILED_RETRYABLE;
  outcome.crm_answer = absl::StrCat(context, ": unexpected answer: ", why);
  return outcome;
}

}  // namespace

WritebackOutcome Writer::Perform(const WritebackJob& job) const {
  if (!ObjectPath(job)) {
    return WritebackPermanent(absl::StrCat(
        "object kind ", cse::v1::CrmObjectKind_Name(job.object_kind()),
        " is not written to HubSpot"));
  }
  if (!IsDigits(job.object_id())) {
    return WritebackPermanent(absl::StrCat("object id '", job.object_id(),
                                           "' is not a HubSpot record id"));
  }
  switch (job.action_case()) {
    case WritebackJob::kTags:
      return Tags(job);
    case WritebackJob::kNote:
      return Note(job);
    case WritebackJob::kPhaseField:
      return Phase(job);
    default:
      return WritebackPermanent("the job has no action");
  }
}

WritebackOutcome Writer::Tags(const WritebackJob& job) const {
  const HubSpotOptions& o = api_->options();
  const bool ticket = job.object_kind() == cse::v1::CRM_OBJECT_KIND_TICKET;
  const std::string& property =
      ticket ? o.ticket_tags_property : o.meeting_tags_property;
  if (property.empty()) {
    return WritebackPermanent(absl::StrCat(
        "no ",
        ticket ? "hubspot.tags_property" : "hubspot.meeting_tags_property",
        " is configured: tags cannot be written"));
  }
  const std::string path =
      absl::StrCat("/crm/v3/objects/", *ObjectPath(job), "/", job.object_id());
  const std::string get_context = absl::StrCat("GET ", path);
  absl::StatusOr<HttpResponse> current =
      api_->Call("GET", absl::StrCat(path, "?properties=", property));
  WritebackOutcome read =
      ClassifyHubSpotAnswer(current, get_context, api_->Now());
  if (read.result != WRITEBACK_RESULT_DONE) return read;
  absl::StatusOr<Json> object = ParseJson(current->body, "HubSpot answer");
  if (!object.ok()) return Unexpected(get_context, object.status().message());

  std::vector<std::string> tags =
      SplitMultiValue(PropertyValue(*object, property));
  const size_t before = tags.size();
  for (const std::string& tag : job.tags().tags()) {
    // ';' separates the values of a multiple checkboxes property.
    if (tag.empty() || absl::StrContains(tag, ';')) continue;
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) {
      tags.push_back(tag);
    }
  }
  if (tags.size() == before) {
    read.crm_answer += "; every tag already set, nothing written";
    return read;
  }
  Json patch = {{"properties", {{property, absl::StrJoin(tags, ";")}}}};
  return ClassifyHubSpotAnswer(api_->Call("PATCH", path, Dump(patch)),
                               absl::StrCat("PATCH ", path), api_->Now());
}

WritebackOutcome Writer::Phase(const WritebackJob& job) const {
  const HubSpotOptions& o = api_->options();
  const bool ticket = job.object_kind() == cse::v1::CRM_OBJECT_KIND_TICKET;
  std::string property = job.phase_field().field();
  if (property.empty()) {
    property = ticket ? o.ticket_phase_property : o.meeting_phase_property;
  }
  if (property.empty()) {
    return WritebackPermanent(absl::StrCat(
        "no ",
        ticket ? "hubspot.phase_property" : "hubspot.meeting_phase_property",
        " is configured and the job names no property"));
  }
  if (job.phase_field().phase_id().empty()) {
    return WritebackPermanent("the phase job has no phase_id");
  }
  const std::string path =
      absl::StrCat("/crm/v3/objects/", *ObjectPath(job), "/", job.object_id());
  Json patch = {{"properties", {{property, job.phase_field().phase_id()}}}};
  return ClassifyHubSpotAnswer(api_->Call("PATCH", path, Dump(patch)),
                               absl::StrCat("PATCH ", path), api_->Now());
}

WritebackOutcome Writer::Note(const WritebackJob& job) const {
  const HubSpotOptions& o = api_->options();
  const bool ticket = job.object_kind() == cse::v1::CRM_OBJECT_KIND_TICKET;
  const std::string target_type = ticket ? "tickets" : "companies";
  const std::string& target_id = ticket ? job.object_id() : job.account_id();
  if (!IsDigits(target_id)) {
    return WritebackPermanent(absl::StrCat(
        "a meeting's note goes on its company, and the job's account id '",
        target_id, "' is not a HubSpot company id"));
  }
  const uint32_t association_type = ticket
                                        ? o.note_to_ticket_association_type_id
                                        : o.note_to_company_association_type_id;
  // The marker makes the job idempotent; the idempotency key stands in for
  // a job that has none.
  const std::string marker =
      job.note().marker().empty() ? job.idempotency_key() : job.note().marker();

  // 1. The notes already attached to the target.
  std::vector<std::string> note_ids;
  std::string after;
  WritebackOutcome last;
  for (int page = 0; page < 20; ++page) {
    std::string path = absl::StrCat("/crm/v4/objects/", target_type, "/",
                                    target_id, "/associations/notes?limit=500");
    if (!after.empty()) absl::StrAppend(&path, "&after=", after);
    const std::string context = absl::StrCat("GET ", path);
    absl::StatusOr<HttpResponse> answer = api_->Call("GET", path);
    last = ClassifyHubSpotAnswer(answer, context, api_->Now());
    if (last.result != WRITEBACK_RESULT_DONE) return last;
    absl::StatusOr<Json> list = ParseJson(answer->body, "HubSpot answer");
    if (!list.ok()) return Unexpected(context, list.status().message());
    const Json* results = Member(*list, "results");
    if (results != nullptr && results->is_array()) {
      for (const Json& r : *results) {
        absl::StatusOr<std::string> id = OptionalString(r, "toObjectId", "");
        if (id.ok() && !id->empty()) note_ids.push_back(*id);
      }
    }
    const Json* paging = Member(*list, "paging");
    const Json* next = paging ? Member(*paging, "next") : nullptr;
    absl::StatusOr<std::string> cursor =
        next ? OptionalString(*next, "after", "") : std::string();
    if (!cursor.ok() || cursor->empty()) break;
    after = *cursor;
  }

  // 2. Their bodies, 100 per batch read, looking for the marker.
  for (size_t start = 0; start < note_ids.size(); start += 100) {
    Json request = {{"properties", {"hs_note_body"}},
                    {"inputs", Json::array()}};
    for (size_t i = start; i < std::min(note_ids.size(), start + 100); ++i) {
      request["inputs"].push_back({{"id", note_ids[i]}});
    }
    const std::string context = "POST /crm/v3/objects/notes/batch/read";
    absl::StatusOr<HttpResponse> answer =
        api_->Call("POST", "/crm/v3/objects/notes/batch/read", Dump(request));
    WritebackOutcome read = ClassifyHubSpotAnswer(answer, context, api_->Now());
    if (read.result != WRITEBACK_RESULT_DONE) return read;
    absl::StatusOr<Json> notes = ParseJson(answer->body, "HubSpot answer");
    if (!notes.ok()) return Unexpected(context, notes.status().message());
    const Json* results = Member(*notes, "results");
    if (results == nullptr || !results->is_array()) continue;
    for (const Json& note : *results) {
      if (NoteHasMarker(PropertyValue(note, "hs_note_body"), marker)) {
        absl::StatusOr<std::string> id = OptionalString(note, "id", "");
        read.crm_answer = absl::StrCat(
            read.crm_answer, "; note ", id.ok() ? *id : "?",
            " already carries marker ", marker, ", nothing written");
        return read;
      }
    }
  }

  // 3. A meeting's deal, which gets the note too (the first one, as on
  // ingest). 404 or no deal: the company alone.
  std::string deal_id;
  if (!ticket) {
    const std::string path = absl::StrCat(
        "/crm/v4/objects/meetings/", job.object_id(), "/associations/deals");
    const std::string context = absl::StrCat("GET ", path);
    absl::StatusOr<HttpResponse> answer = api_->Call("GET", path);
    if (!answer.ok() || answer->status != 404) {
      WritebackOutcome read =
          ClassifyHubSpotAnswer(answer, context, api_->Now());
      if (read.result != WRITEBACK_RESULT_DONE) return read;
      absl::StatusOr<Json> list = ParseJson(answer->body, "HubSpot answer");
      if (!list.ok()) return Unexpected(context, list.status().message());
      const Json* results = Member(*list, "results");
      if (results != nullptr && results->is_array()) {
        for (const Json& r : *results) {
          absl::StatusOr<std::string> id = OptionalString(r, "toObjectId", "");
          if (id.ok() && IsDigits(*id)) {
            deal_id = *id;
            break;
          }
        }
      }
    }
  }

  // 4. The note, attached to the target (and the deal) in the same call.
  auto association = [](const std::string& to, uint32_t type) {
    return Json{
        {"to", {{"id", to}}},
        {"types", Json::array({{{"associationCategory", "HUBSPOT_DEFINED"},
                                {"associationTypeId", type}}})}};
  };
  Json associations = Json::array({association(target_id, association_type)});
  if (!deal_id.empty()) {
    associations.push_back(
        association(deal_id, o.note_to_deal_association_type_id));
  }
  Json create = {
      {"properties",
       {{"hs_timestamp", absl::StrCat(absl::ToUnixMillis(api_->Now()))},
        {"hs_note_body", NoteBodyWithMarker(job.note().markdown(), marker)}}},
      {"associations", std::move(associations)}};
  return ClassifyHubSpotAnswer(
      api_->Call("POST", "/crm/v3/objects/notes", Dump(create)),
      absl::StrCat(
          "POST /crm/v3/objects/notes (on ", target_type, " ", target_id,
          deal_id.empty() ? "" : absl::StrCat(" and deals ", deal_id), ")"),
      api_->Now());
}

}  // namespace cse::adapters::hubspot
