#include "adapters/salesforce/salesforce_id.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace cse::adapters::salesforce {
namespace {

constexpr absl::string_view kSuffixAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

// The 5-bit case mask of one 5-character chunk: bit i = character i is an
// upper-case ASCII letter.
int ChunkMask(absl::string_view chunk) {
  int mask = 0;
  for (size_t i = 0; i < chunk.size(); ++i) {
    if (absl::ascii_isupper(static_cast<unsigned char>(chunk[i]))) {
      mask |= 1 << i;
    }
  }
  return mask;
}

std::string Suffix(absl::string_view id15) {
  std::string suffix;
  for (size_t start = 0; start < 15; start += 5) {
    suffix.push_back(kSuffixAlphabet[ChunkMask(id15.substr(start, 5))]);
  }
  return suffix;
}

}  // namespace

bool LooksLikeSalesforceId(absl::string_view id) {
  if (id.size() != 15 && id.size() != 18) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::StatusOr<std::string> CanonicalId18(absl::string_view id) {
  if (!LooksLikeSalesforceId(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", id.substr(0, 40),
                     "\" is not a Salesforce id (15 or 18 letters and "
                     "digits)"));
  }
  if (id.size() == 15) return absl::StrCat(id, Suffix(id));

  // Restore the case of the first 15 characters from the suffix.
  std::string id15(id.substr(0, 15));
  for (size_t chunk = 0; chunk < 3; ++chunk) {
    const char code =
        absl::ascii_toupper(static_cast<unsigned char>(id[15 + chunk]));
    const size_t mask = kSuffixAlphabet.find(code);
    if (mask == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", id, "\": character ", 16 + chunk,
                       " is not a valid case suffix (A-Z, 0-5)"));
    }
    for (size_t i = 0; i < 5; ++i) {
      char& c = id15[chunk * 5 + i];
      const bool upper = (mask >> i) & 1;
      if (absl::ascii_isalpha(static_cast<unsigned char>(c))) {
        c = upper ? absl::ascii_toupper(static_cast<unsigned char>(c))
                  : absl::ascii_tolower(static_cast<unsigned char>(c));
      } else if (upper) {
        return absl::InvalidArgumentError(absl::StrCat(
            "\"", id, "\": the case suffix does not match the id"));
      }
    }
  }
  return absl::StrCat(id15, Suffix(id15));
}

}  // namespace cse::adapters::salesforce
