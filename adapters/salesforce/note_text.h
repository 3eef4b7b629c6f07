// The text of a note writeback and the marker that makes it idempotent.
//
// A note is written as plain text whose last line is
//   cse-marker: <marker>
// Before writing, the adapter looks for the marker on the record (the
// case's comments, the event's description); a job performed twice (a
// lost ack, an expired lease) finds its own note and writes nothing.
// CaseComment.CommentBody and Event.Description are plain text fields, so
// the Markdown is written as it is.
#ifndef CSE_ADAPTERS_SALESFORCE_NOTE_TEXT_H_
#define CSE_ADAPTERS_SALESFORCE_NOTE_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace cse::adapters::salesforce {

inline constexpr absl::string_view kMarkerLinePrefix = "cse-marker: ";

// The note as written: the Markdown, a blank line, the marker line, in at
// most `max_bytes` bytes. A longer Markdown is cut at a UTF-8 character
// boundary and ends with "..." so the marker line always survives.
std::string NoteWithMarker(absl::string_view markdown, absl::string_view marker,
                           size_t max_bytes);

// True when `text` holds `marker` as a whole token: the characters around
// it are not marker characters (letters, digits, '-', '_', ':', '.', '/'),
// so "cse:salesforce:evt-1" is not found in "cse:salesforce:evt-12".
bool ContainsMarker(absl::string_view text, absl::string_view marker);

}  // namespace cse::adapters::salesforce

#endif  // CSE_ADAPTERS_SALESFORCE_NOTE_TEXT_H_
