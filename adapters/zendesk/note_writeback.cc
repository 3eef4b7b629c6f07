// Note: a private comment, posted once per marker (writebacks.h).
#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/common/note_marker.h"
#include "adapters/zendesk/writeback_common.h"
#include "adapters/zendesk/writebacks.h"

namespace cse::adapters::zendesk {
namespace {

// A ticket holds at most 5000 comments (Ticket Comments API); at 100 a
// page that is 50 pages. Past this many the marker search is given up
// rather than risk a second note.
constexpr int kMaxCommentPages = 60;

// The next page's URL: cursor pagination's links.next while meta.has_more
// ("Pagination",
// https://developer.zendesk.com/api-reference/introduction/pagination/), or
// offset pagination's next_page; "" when this was the last page.
std::string NextPage(const Json& page) {
  const Json* meta = Member(page, "meta");
  const Json* links = Member(page, "links");
  if (meta != nullptr && links != nullptr) {
    const Json* has_more = Member(*meta, "has_more");
    const Json* next = Member(*links, "next");
    if (has_more != nullptr && has_more->is_boolean() &&
        has_more->get<bool>() && next != nullptr && next->is_string()) {
      return next->get<std::string>();
    }
    return "";
  }
  const Json* next_page = Member(page, "next_page");
  if (next_page != nullptr && next_page->is_string()) {
    return next_page->get<std::string>();
  }
  return "";
}

bool CommentHasMarker(const Json& comment, absl::string_view marker) {
  for (const char* key : {"body", "plain_body", "html_body"}) {
    const Json* text = Member(comment, key);
    if (text != nullptr && text->is_string() &&
        ContainsMarker(text->get_ref<const std::string&>(), marker)) {
      return true;
    }
  }
  return false;
}

}  // namespace

WritebackOutcome WriteNote(const ZendeskApi& api, absl::string_view ticket_id,
                           absl::string_view markdown, absl::string_view marker,
                           Clock now) {
  if (marker.empty()) return WritebackPermanent("note job without a marker");
  // page[size]=100, brackets percent-encoded.
  std::string next = absl::StrCat("/api/v2/tickets/", ticket_id,
                                  "/comments?page%5Bsize%5D=100");
  for (int pages = 0; !next.empty(); ++pages) {
    if (pages == kMaxCommentPages) {
      return WritebackPermanent(absl::StrCat(
          "GET /api/v2/tickets/", ticket_id, "/comments: more than ",
          kMaxCommentPages, " pages; marker search given up"));
    }
    const std::string context = absl::StrCat("GET ", api.PathOf(next));
    JsonAnswer page = ReadJsonAnswer(api.Get(next), context, now());
    if (page.failure.has_value()) return *std::move(page.failure);
    const Json* comments = Member(page.body, "comments");
    if (comments == nullptr || !comments->is_array()) {
      return WritebackRetryable(
          absl::StrCat(page.summary, ": unexpected answer: no \"comments\""));
    }
    for (const Json& comment : *comments) {
      if (CommentHasMarker(comment, marker)) {
        return WritebackDone(absl::StrCat(page.summary,
                                          ": note already on the ticket (",
                                          MarkerLine(marker), ")"));
      }
    }
    next = NextPage(page.body);
    if (!next.empty() && !api.IsOwnUrl(next)) {
      return WritebackPermanent(absl::StrCat(
          page.summary, ": next page link is not on the configured base_url"));
    }
  }

  Json comment = Json::object();
  comment["body"] = NoteWithMarker(markdown, marker);
  comment["public"] = false;
  Json body = Json::object();
  body["ticket"]["comment"] = std::move(comment);
  const std::string path = absl::StrCat("/api/v2/tickets/", ticket_id);
  return ClassifyZendeskAnswer(api.Put(path, body),
                               absl::StrCat("PUT ", path, " (private note)"),
                               now());
}

}  // namespace cse::adapters::zendesk
