#include "sidecar/engine/text_normalizer.h"

#include <algorithm>
#include <array>
#include <string>

#include "absl/strings/str_cat.h"

namespace cse::engine {
namespace {

// Decodes one UTF-8 sequence at `s[i]`. Returns its length (1..4) and the
// code point, or 0 when the sequence is invalid (overlong, surrogate,
// truncated, > U+10FFFF).
int DecodeUtf8(absl::string_view s, size_t i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  int len;
  char32_t c;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    c = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    c = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    c = b0 & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *cp = c;
  return len;
}

// Folding of U+00C0..U+017F (Latin-1 Supplement letters and Latin
// Extended-A) to lower-case ASCII. Empty entries are kept as they are.
constexpr std::array<const char*, 0x180 - 0xC0> kLatinFold = {
    // U+00C0
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "ae",
    "c",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    // U+00D0
    "d",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "",
    "o",
    "u",
    "u",
    "u",
    "u",
    "y",
    "th",
    "ss",
    // U+00E0
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "ae",
    "c",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    // U+00F0
    "d",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "",
    "o",
    "u",
    "u",
    "u",
    "u",
    "y",
    "th",
    "y",
    // U+0100
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "d",
    "d",
    // U+0110
    "d",
    "d",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "g",
    "g",
    "g",
    "g",
    // U+0120
    "g",
    "g",
    "g",
    "g",
    "h",
    "h",
    "h",
    "h",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    // U+0130
    "i",
    "i",
    "ij",
    "ij",
    "j",
    "j",
    "k",
    "k",
    "k",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    // U+0140
    "l",
    "l",
    "l",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "o",
    "o",
    "o",
    "o",
    // U+0150
    "o",
    "o",
    "oe",
    "oe",
    "r",
    "r",
    "r",
    "r",
    "r",
    "r",
    "s",
    "s",
    "s",
    "s",
    "s",
    "s",
    // U+0160
    "s",
    "s",
    "t",
    "t",
    "t",
    "t",
    "t",
    "t",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    // U+0170
    "u",
    "u",
    "u",
    "u",
    "w",
    "w",
    "y",
    "y",
    "y",
    "z",
    "z",
    "z",
    "z",
    "z",
    "z",
    "s",
};

// The longest replacement in kLatinFold. Its inputs are two-byte UTF-8
// sequences, and every other folding keeps or shortens the byte length of
// the character (quotes, dashes and spaces become one byte, "…" three,
// Greek and Cyrillic capitals keep their two-byte lower case, fullwidth
// ASCII becomes one byte), so normalised text is never longer than its
// input: AppendNormalized relies on it.
constexpr size_t MaxLatinFoldBytes() {
  size_t longest = 0;
  for (const char* f : kLatinFold) {
    longest = std::max(longest, std::char_traits<char>::length(f));
  }
  return longest;
}
static_assert(MaxLatinFoldBytes() <= 2,
              "a Latin fold longer than its two-byte input breaks "
              "AppendNormalized's output sizing");

bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

bool IsUnicodeSpace(char32_t cp) {
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Encodes `cp` into `buf` (at least 4 bytes); returns the length.
int EncodeUtf8(char32_t cp, char* buf) {
  if (cp < 0x80) {
    buf[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    buf[0] = static_cast<char>(0xC0 | (cp >> 6));
    buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    buf[0] = static_cast<char>(0xE0 | (cp >> 12));
    buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  buf[0] = static_cast<char>(0xF0 | (cp >> 18));
  buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

// Maps one non-ASCII code point to its folded form. Returns the replacement
// text, or sets *keep_cp to the (possibly lower-cased) code point to emit.
// Empty return with *keep_cp == 0 means "drop".
absl::string_view FoldCodePoint(char32_t cp, char32_t* keep_cp,
                                bool* is_space) {
  *keep_cp = 0;
  *is_space = false;
  if (cp >= 0xC0 && cp < 0x180) {
    absl::string_view folded = kLatinFold[cp - 0xC0];
    if (folded.empty()) *keep_cp = cp;  // multiplication / division signs
    return folded;
  }
  if (cp >= 0x300 && cp <= 0x36F) return {};  // combining diacritics
  if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
      cp == 0xFEFF || cp == 0xAD) {
    return {};  // zero-width characters and soft hyphen
  }
  if (IsUnicodeSpace(cp)) {
    *is_space = true;
    return {};
  }
  switch (cp) {
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
      return "'";
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x2033:
    case 0xAB:
    case 0xBB:
      return "\"";
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
      return "-";
    case 0x2026:
      return "...";
    default:
      break;
  }
  if (cp >= 0xFF01 && cp <= 0xFF5E) {  // fullwidth ASCII
    char32_t a = cp - 0xFEE0;
    if (a >= 'A' && a <= 'Z') a += 'a' - 'A';
    *keep_cp = a;
    return {};
  }
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) {  // Greek capitals
    *keep_cp = cp + 0x20;
  } else if (cp >= 0x410 && cp <= 0x42F) {  // Cyrillic capitals
    *keep_cp = cp + 0x20;
  } else if (cp >= 0x400 && cp <= 0x40F) {
    *keep_cp = cp + 0x50;
  } else {
    *keep_cp = cp;
  }
  return {};
}

constexpr std::array<unsigned char, 256> MakeAsciiLower() {
  std::array<unsigned char, 256> t{};
  for (int i = 0; i < 256; ++i) {
    t[i] = static_cast<unsigned char>((i >= 'A' && i <= 'Z') ? i + 32 : i);
  }
  return t;
}
constexpr auto kAsciiLower = MakeAsciiLower();

}  // namespace

absl::Status ValidateUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    char32_t cp;
    int len = DecodeUtf8(text, i, &cp);
    if (len == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid UTF-8 at byte ", i));
    }
    i += len;
  }
  return absl::OkStatus();
}

absl::Status AppendNormalized(absl::string_view text, std::string* out,
                              std::vector<uint32_t>* origin,
                              uint32_t origin_base) {
  // The output is never longer than the input (see MaxLatinFoldBytes), so
  // both buffers are sized once and written through local pointers:
  // appending byte by byte cost about 40 instructions a byte, as every
  // push_back re-read the containers' size and capacity. (No lambdas or
  // helpers take the pointers' addresses, so they stay in registers.)
  const size_t out_start = out->size();
  const size_t origin_start = origin != nullptr ? origin->size() : 0;
  bool last_space = out_start > 0 && (*out)[out_start - 1] == ' ';
  size_t room = text.size();
  out->resize(out_start + room);
  if (origin != nullptr) origin->resize(origin_start + room);
  char* out_begin = out->data() + out_start;
  char* o = out_begin;
  uint32_t* og = origin != nullptr ? origin->data() + origin_start : nullptr;

  const char* const in = text.data();
  const size_t n = text.size();
  size_t i = 0;
  absl::Status status;
  while (i < n) {
    // ASCII fast path, a run at a time: the common case for English text.
    for (; i < n; ++i) {
      const auto c = static_cast<unsigned char>(in[i]);
      if (c >= 0x80) break;
      if (IsAsciiSpace(c)) {
        if (last_space) continue;
        *o++ = ' ';
        last_space = true;
      } else {
        *o++ = static_cast<char>(kAsciiLower[c]);
        last_space = false;
      }
      if (og != nullptr) *og++ = origin_base + static_cast<uint32_t>(i);
    }
    if (i >= n) break;
    char32_t cp;
    const int len = DecodeUtf8(text, i, &cp);
    if (len == 0) {
      status =
          absl::InvalidArgumentError(absl::StrCat("invalid UTF-8 at byte ", i));
      break;
    }
    char32_t keep;
    bool is_space;
    absl::string_view bytes = FoldCodePoint(cp, &keep, &is_space);
    char buf[4];
    if (is_space) {
      bytes = last_space ? absl::string_view() : absl::string_view(" ");
    } else if (bytes.empty() && keep != 0) {
      bytes = absl::string_view(buf, EncodeUtf8(keep, buf));
    }
    if (!bytes.empty()) {
      const auto written = static_cast<size_t>(o - out_begin);
      if (written + bytes.size() > room) {
        // Never taken with today's tables (see MaxLatinFoldBytes); keeps a
        // future longer folding from writing past the buffers.
        room += n + bytes.size();
        out->resize(out_start + room);
        out_begin = out->data() + out_start;
        o = out_begin + written;
        if (origin != nullptr) {
          origin->resize(origin_start + room);
          og = origin->data() + origin_start + written;
        }
      }
      for (char b : bytes) {
        *o++ = b;
        if (og != nullptr) *og++ = origin_base + static_cast<uint32_t>(i);
      }
      last_space = is_space;
    }
    i += len;
  }
  // Trim both buffers to what was written.
  const auto written = static_cast<size_t>(o - out_begin);
  out->resize(out_start + written);
  if (origin != nullptr) origin->resize(origin_start + written);
  return status;
}

std::string NormalizeValue(absl::string_view text) {
  std::string out;
  size_t i = 0;
  // Drop invalid bytes rather than fail: config literals and short field
  // values are compared, not reported.
  while (i < text.size()) {
    char32_t cp;
    int len = DecodeUtf8(text, i, &cp);
    if (len == 0) {
      ++i;
      continue;
    }
    (void)AppendNormalized(text.substr(i, len), &out, nullptr);
    i += len;
  }
  // Trim the single spaces normalisation may leave at the ends.
  size_t b = out.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  size_t e = out.find_last_not_of(' ');
  return out.substr(b, e - b + 1);
}

}  // namespace cse::engine
