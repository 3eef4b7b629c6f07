#include "adapters/common/signatures.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace cse::adapters {

std::string HmacSha256(absl::string_view key, absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
       &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string HexEncode(absl::string_view bytes) {
  return absl::BytesToHexString(bytes);
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  // The length of a signature is public (it is fixed per scheme); only the
  // content comparison must not leak where it differs.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

absl::Status CheckFreshness(absl::Time signed_at, absl::Time now,
                            absl::Duration max_age) {
  const absl::Duration age = now - signed_at;
  if (absl::AbsDuration(age) <= max_age) return absl::OkStatus();
  return absl::UnauthenticatedError(absl::StrCat(
      "signature timestamp is ", absl::FormatDuration(age),
      age > absl::ZeroDuration() ? " old" : " in the future", "; at most ",
      absl::FormatDuration(max_age), " accepted (replay protection)"));
}

}  // namespace cse::adapters
