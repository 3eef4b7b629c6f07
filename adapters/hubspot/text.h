// Text conversions between HubSpot's HTML rich text and the sidecar's
// plain text and Markdown.
#ifndef CSE_ADAPTERS_HUBSPOT_TEXT_H_
#define CSE_ADAPTERS_HUBSPOT_TEXT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cse::adapters::hubspot {

// Plain text of a rich-text property (hs_meeting_body, a ticket's content
// from an email): tags dropped, <br> and block ends as newlines, the
// common entities decoded, runs of blank lines collapsed. Text without
// tags comes back unchanged but for entities.
std::string HtmlToText(absl::string_view html);

// HTML for a note body (hs_note_body is rich text) from the sidecar's
// Markdown: text escaped; blank-line separated paragraphs; "- " / "* "
// lists; "#" headings and **bold** as <strong>; other lines joined with
// <br>.
std::string MarkdownToHtml(absl::string_view markdown);

// The note body: the Markdown as HTML, then the marker in a paragraph of
// its own ("<p>cse-marker: [MARKER]</p>"). Visible text rather than an HTML
// comment, since HubSpot's rich-text sanitising is not documented and a
// stripped marker would post the note twice.
std::string NoteBodyWithMarker(absl::string_view markdown,
                               absl::string_view marker);

// True when `note_body` (as HubSpot returns it) carries `marker`, in the
// form NoteBodyWithMarker writes it (HTML-escaped).
bool NoteHasMarker(absl::string_view note_body, absl::string_view marker);

// "a;b; c" -> {"a", "b", "c"}: a multiple checkboxes value; blanks dropped.
std::vector<std::string> SplitMultiValue(absl::string_view value);

// ASCII lower case with '_' as ' ': "PRODUCT_ISSUE" -> "product issue".
std::string HumanizeEnum(absl::string_view value);

}  // namespace cse::adapters::hubspot

#endif  // CSE_ADAPTERS_HUBSPOT_TEXT_H_
