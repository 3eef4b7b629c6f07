// Cutting text to a byte limit without splitting a UTF-8 character: the
// sidecar refuses invalid UTF-8, and CRMs garble a note whose last
// character is half there.
#ifndef CSE_ADAPTERS_COMMON_UTF8_PREFIX_H_
#define CSE_ADAPTERS_COMMON_UTF8_PREFIX_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace cse::adapters {

// The longest prefix of `text` of at most `max_bytes` bytes that does not
// end inside a UTF-8 sequence.
inline absl::string_view Utf8Prefix(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  // Back off continuation bytes (10xxxxxx) to the start of a character.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_COMMON_UTF8_PREFIX_H_
