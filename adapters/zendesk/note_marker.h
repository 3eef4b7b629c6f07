// The marker line that makes a note writeback idempotent.
//
// A note is posted as a private comment whose last line is
//   cse-marker: <marker>
// Before posting, the adapter lists the ticket's comments and looks for
// the marker; a job performed twice (a lost ack, an expired lease) finds
// its own note and posts nothing. A plain text line is used rather than an
// HTML comment because Zendesk sanitises comment HTML, while a text line
// comes back verbatim in the comment's `body` and `plain_body` (Ticket
// Comments API,
// https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/).
// Agents see the line at the end of the internal note.
#ifndef CSE_ADAPTERS_ZENDESK_NOTE_MARKER_H_
#define CSE_ADAPTERS_ZENDESK_NOTE_MARKER_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cse::adapters::zendesk {

inline constexpr absl::string_view kMarkerLinePrefix = "cse-marker: ";

// "cse-marker: <marker>".
std::string MarkerLine(absl::string_view marker);

// The note as posted: the Markdown, a blank line, the marker line.
std::string NoteBodyWithMarker(absl::string_view markdown,
                               absl::string_view marker);

// True when `text` holds `marker` as a whole token: the characters around
// it are not marker characters (letters, digits, '-', '_', ':', '.', '/'),
// so "cse:zendesk:evt-1" is not found in "cse:zendesk:evt-12".
bool ContainsMarker(absl::string_view text, absl::string_view marker);

// True when `text` holds any marker line: a note this adapter wrote.
bool HasMarkerLine(absl::string_view text);

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_NOTE_MARKER_H_
