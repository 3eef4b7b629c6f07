#include "adapters/zendesk/note_marker.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace cse::adapters::zendesk {
namespace {

bool IsMarkerChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_' || c == ':' || c == '.' || c == '/';
}

}  // namespace

std::string MarkerLine(absl::string_view marker) {
  return absl::StrCat(kMarkerLinePrefix, marker);
}

std::string NoteBodyWithMarker(absl::string_view markdown,
                               absl::string_view marker) {
  absl::string_view trimmed = absl::StripTrailingAsciiWhitespace(markdown);
  if (trimmed.empty()) return MarkerLine(marker);
  return absl::StrCat(trimmed, "\n\n", MarkerLine(marker));
}

bool ContainsMarker(absl::string_view text, absl::string_view marker) {
  if (marker.empty()) return false;
  for (size_t at = text.find(marker); at != absl::string_view::npos;
       at = text.find(marker, at + 1)) {
    const size_t end = at + marker.size();
    const bool clean_start = at == 0 || !IsMarkerChar(text[at - 1]);
    const bool clean_end = end == text.size() || !IsMarkerChar(text[end]);
    if (clean_start && clean_end) return true;
  }
  return false;
}

bool HasMarkerLine(absl::string_view text) {
  return text.find(kMarkerLinePrefix) != absl::string_view::npos;
}

}  // namespace cse::adapters::zendesk
