#include "adapters/common/note_marker.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/utf8_prefix.h"

namespace cse::adapters {
namespace {

bool IsMarkerChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_' || c == ':' || c == '.' || c == '/';
}

}  // namespace

std::string MarkerLine(absl::string_view marker) {
  return absl::StrCat(kMarkerLinePrefix, marker);
}

std::string NoteWithMarker(absl::string_view markdown, absl::string_view marker,
                           size_t max_bytes) {
  const std::string marker_line = MarkerLine(marker);
  absl::string_view text = absl::StripTrailingAsciiWhitespace(markdown);
  if (text.empty()) return marker_line;
  constexpr absl::string_view kSeparator = "\n\n";
  if (text.size() + kSeparator.size() + marker_line.size() <= max_bytes) {
    return absl::StrCat(text, kSeparator, marker_line);
  }
  constexpr absl::string_view kEllipsis = "...";
  const size_t overhead =
      kEllipsis.size() + kSeparator.size() + marker_line.size();
  if (overhead >= max_bytes) return marker_line;
  return absl::StrCat(Utf8Prefix(text, max_bytes - overhead), kEllipsis,
                      kSeparator, marker_line);
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

}  // namespace cse::adapters
