// Webhook signature primitives: HMAC-SHA256, encodings, constant-time
// comparison, timestamp freshness.
//
// Vendors differ only in what they sign and how they encode the digest
// (Zendesk: base64 of HMAC(timestamp + body); HubSpot v3: base64 of
// HMAC(method + uri + body + timestamp); generic webhooks: configurable),
// so each adapter builds its signed content and calls these.
#ifndef CSE_ADAPTERS_COMMON_SIGNATURES_H_
#define CSE_ADAPTERS_COMMON_SIGNATURES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cse::adapters {

// The raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(absl::string_view key, absl::string_view data);

// Lower-case hex of `bytes`.
std::string HexEncode(absl::string_view bytes);

// Compares in time independent of where the inputs differ (OpenSSL's
// CRYPTO_memcmp); different lengths compare unequal.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

// Checks that a signed timestamp is within `max_age` of `now` (either
// side, to allow clock skew). UNAUTHENTICATED with the age otherwise: a
// replayed delivery is refused even with a valid signature.
absl::Status CheckFreshness(absl::Time signed_at, absl::Time now,
                            absl::Duration max_age);

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_COMMON_SIGNATURES_H_
