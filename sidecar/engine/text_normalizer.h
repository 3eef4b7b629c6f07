// Text normalisation for matching: one canonical form for patterns and text.
//
// Patterns in the mapping are written against normalised text, so admins
// never have to think about case, accents, curly quotes or line breaks:
//   - UTF-8 is validated (invalid input is an error with the byte offset);
//   - ASCII and Latin, Greek and Cyrillic letters are lower-cased;
//   - Latin letters with diacritics lose them ("geïnteresseerd" ->
//     "geinteresseerd", "Ærø" -> "aero"), decomposed combining marks are
//     dropped, fullwidth ASCII is folded;
//   - curly quotes and dashes become ASCII, zero-width characters vanish;
//   - every run of white space becomes one space.
// Each output byte remembers the offset of the input character it came from,
// so a match in normalised text maps back to a span of the original.
#ifndef CSE_SIDECAR_ENGINE_TEXT_NORMALIZER_H_
#define CSE_SIDECAR_ENGINE_TEXT_NORMALIZER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cse::engine {

// Returns OK when `text` is valid UTF-8; otherwise INVALID_ARGUMENT
// "invalid UTF-8 at byte N" (N is 0-based).
absl::Status ValidateUtf8(absl::string_view text);

// Appends the normalised form of `text` to `*out` and, for every byte
// appended, the offset in `text` of the character it came from plus
// `origin_base` to `*origin` (when not null). Returns INVALID_ARGUMENT on
// invalid UTF-8 (nothing is guaranteed about the output then).
absl::Status AppendNormalized(absl::string_view text, std::string* out,
                              std::vector<uint32_t>* origin,
                              uint32_t origin_base = 0);

// Convenience: the normalised form of a short value (field values, config
// literals). Invalid UTF-8 bytes are dropped.
std::string NormalizeValue(absl::string_view text);

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_TEXT_NORMALIZER_H_
