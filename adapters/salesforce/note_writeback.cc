// Note: a private CaseComment, or text appended to an Event's Description
// (writebacks.h).
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/common/note_marker.h"
#include "adapters/salesforce/writebacks.h"

namespace cse::adapters::salesforce {
namespace {

std::string StringField(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

WritebackOutcome WriteCaseComment(const SalesforceApi& api,
                                  absl::string_view case_id,
                                  const cse::v1::NoteWriteback& note) {
  ApiResult existing = api.Query(
      absl::StrCat("SELECT Id, CommentBody FROM CaseComment WHERE ParentId = ",
                   SoqlQuote(case_id), " AND CommentBody LIKE ",
                   SoqlContains(note.marker())),
      "CaseComment");
  if (!existing.ok()) return *existing.failure;
  // LIKE matches substrings ("evt-1" in "evt-12"): confirm the whole token.
  for (const Json& comment : existing.json) {
    if (ContainsMarker(StringField(comment, "CommentBody"), note.marker())) {
      return WritebackDone(
          absl::StrCat("CaseComment ", StringField(comment, "Id"), " on Case ",
                       case_id, " already holds ", note.marker()));
    }
  }

  Json body = Json::object();
  body["ParentId"] = std::string(case_id);
  body["CommentBody"] =
      NoteWithMarker(note.markdown(), note.marker(), kCaseCommentMaxBytes);
  body["IsPublished"] = false;
  ApiResult created = api.Post("/sobjects/CaseComment", body);
  if (!created.ok()) return *created.failure;
  return WritebackDone(absl::StrCat(created.summary, ": CaseComment ",
                                    StringField(created.json, "id"),
                                    " on Case ", case_id));
}

// If-Unmodified-Since takes whole seconds; LastModifiedDate has
// milliseconds. Rounding up keeps the precondition true for the version
// read (rounding down would fail it) at the cost of missing an edit made
// within the same second.
std::string HttpDateAtOrAfter(absl::Time time) {
  absl::Time whole = absl::FromUnixSeconds(absl::ToUnixSeconds(time));
  if (whole < time) whole += absl::Seconds(1);
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", whole,
                          absl::UTCTimeZone());
}

WritebackOutcome AppendToEventDescription(const SalesforceApi& api,
                                          absl::string_view event_id,
                                          const cse::v1::NoteWriteback& note) {
  const std::string path = absl::StrCat("/sobjects/Event/", event_id);
  ApiResult read =
      api.Get(absl::StrCat(path, "?fields=Description,LastModifiedDate"));
  if (!read.ok()) return *read.failure;
  const std::string description = StringField(read.json, "Description");
  if (ContainsMarker(description, note.marker())) {
    return WritebackDone(absl::StrCat(
        "Event ", event_id, " description already holds ", note.marker()));
  }
  const std::string text = NoteWithMarker(note.markdown(), note.marker(),
                                          std::numeric_limits<size_t>::max());
  Json body = Json::object();
  body["Description"] =
      description.empty() ? text : absl::StrCat(description, "\n\n", text);
  HttpHeaders conditions;
  if (std::optional<absl::Time> modified =
          ParseSalesforceTime(StringField(read.json, "LastModifiedDate"))) {
    conditions.Set("If-Unmodified-Since", HttpDateAtOrAfter(*modified));
  }
  ApiResult updated = api.Patch(path, body, conditions);
  if (!updated.ok()) return *updated.failure;
  return WritebackDone(absl::StrCat(
      updated.summary, ": note appended to Event ", event_id, " description"));
}

}  // namespace

WritebackOutcome WriteNote(const SalesforceApi& api, SObjectKind kind,
                           absl::string_view record_id,
                           const cse::v1::NoteWriteback& note) {
  if (note.marker().empty()) {
    return WritebackPermanent(
        "note job without a marker: cannot be made idempotent");
  }
  return kind == SObjectKind::kCase
             ? WriteCaseComment(api, record_id, note)
             : AppendToEventDescription(api, record_id, note);
}

}  // namespace cse::adapters::salesforce
