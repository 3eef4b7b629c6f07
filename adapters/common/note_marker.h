// The marker line that makes a note writeback idempotent, for CRMs whose
// notes are plain text (Zendesk comments, Salesforce CaseComment and Event
// descriptions).
//
// A note is written with a last line
//   cse-marker: <marker>
// Before writing, the adapter looks for the marker on the record; a job
// performed twice (a lost ack, an expired lease) finds its own note and
// writes nothing. A visible text line rather than an HTML comment because
// CRMs sanitise note HTML, while a text line comes back verbatim (Zendesk
// Ticket Comments API,
// https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/).
// Agents see the line at the end of the internal note.
#ifndef CSE_ADAPTERS_COMMON_NOTE_MARKER_H_
#define CSE_ADAPTERS_COMMON_NOTE_MARKER_H_

#include <cstddef>
#include <limits>
#include <string>

#include "absl/strings/string_view.h"

namespace cse::adapters {

inline constexpr absl::string_view kMarkerLinePrefix = "cse-marker: ";

// "cse-marker: <marker>".
std::string MarkerLine(absl::string_view marker);

// The note as written: the Markdown, a blank line, the marker line, in at
// most `max_bytes` bytes (a CRM field's limit). A longer Markdown is cut at
// a UTF-8 character boundary and ends with "..." so the marker line always
// survives.
std::string NoteWithMarker(
    absl::string_view markdown, absl::string_view marker,
    size_t max_bytes = std::numeric_limits<size_t>::max());

// True when `text` holds `marker` as a whole token: the characters around
// it are not marker characters (letters, digits, '-', '_', ':', '.', '/'),
// so "cse:zendesk:evt-1" is not found in "cse:zendesk:evt-12".
bool ContainsMarker(absl::string_view text, absl::string_view marker);

// True when `text` holds any marker line: a note an adapter wrote.
bool HasMarkerLine(absl::string_view text);

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_COMMON_NOTE_MARKER_H_
