// Tags: set union through the Tags API's safe update (writebacks.h).
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/zendesk/writeback_common.h"
#include "adapters/zendesk/writebacks.h"

namespace cse::adapters::zendesk {

WritebackOutcome WriteTags(const ZendeskApi& api, absl::string_view ticket_id,
                           const cse::v1::TagsWriteback& tags, Clock now) {
  // Zendesk stores tags in lower case; so are the sidecar's (docs/tags.md).
  std::vector<std::string> wanted;
  absl::flat_hash_set<std::string> seen;
  for (const std::string& tag : tags.tags()) {
    std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(tag));
    if (!lower.empty() && seen.insert(lower).second) {
      wanted.push_back(std::move(lower));
    }
  }
  if (wanted.empty()) return WritebackPermanent("tags job without tags");

  TicketRead read = ReadTicket(api, ticket_id, now());
  if (read.failure.has_value()) return *std::move(read.failure);
  absl::StatusOr<std::vector<std::string>> existing =
      OptionalWords(read.ticket, "tags", "/ticket");
  absl::StatusOr<std::string> updated_at =
      OptionalString(read.ticket, "updated_at", "/ticket");
  if (!existing.ok() || !updated_at.ok()) {
    return WritebackRetryable(absl::StrCat(
        "GET /api/v2/tickets/", ticket_id, ": unexpected answer: ",
        (!existing.ok() ? existing.status() : updated_at.status()).message()));
  }
  absl::flat_hash_set<std::string> present;
  for (const std::string& tag : *existing) {
    present.insert(absl::AsciiStrToLower(tag));
  }
  std::vector<std::string> missing;
  for (const std::string& tag : wanted) {
    if (!present.contains(tag)) missing.push_back(tag);
  }
  if (missing.empty()) {
    return WritebackDone(absl::StrCat("GET /api/v2/tickets/", ticket_id,
                                      ": all ", wanted.size(),
                                      " tags already on the ticket"));
  }

  Json body = Json::object();
  body["tags"] = missing;
  if (!updated_at->empty()) {
    // As in the Tags API's safe update example: "safe_update": "true".
    body["updated_stamp"] = *updated_at;
    body["safe_update"] = "true";
  }
  const std::string path = absl::StrCat("/api/v2/tickets/", ticket_id, "/tags");
  WritebackOutcome outcome = ClassifyZendeskAnswer(
      api.Put(path, body), absl::StrCat("PUT ", path), now());
  if (outcome.result == cse::v1::WRITEBACK_RESULT_DONE) {
    absl::StrAppend(&outcome.crm_answer, ": added ",
                    absl::StrJoin(missing, " "));
  }
  return outcome;
}

}  // namespace cse::adapters::zendesk
