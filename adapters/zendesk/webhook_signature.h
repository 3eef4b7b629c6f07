// Zendesk webhook signatures: verifying that a delivery comes from Zendesk.
//
// Zendesk signs every webhook request with the webhook's signing secret:
//   X-Zendesk-Webhook-Signature = base64(HMAC-SHA256(secret,
//       X-Zendesk-Webhook-Signature-Timestamp + raw body))
// and sends the timestamp (ISO 8601, e.g. "2021-03-25T05:09:27Z") in
// X-Zendesk-Webhook-Signature-Timestamp. The secret is used as given (its
// text, not base64-decoded).
// Source: "Verifying webhook authenticity",
// https://developer.zendesk.com/documentation/webhooks/verifying/ and the
// headers in "Anatomy of a webhook request",
// https://developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/
#ifndef CSE_ADAPTERS_ZENDESK_WEBHOOK_SIGNATURE_H_
#define CSE_ADAPTERS_ZENDESK_WEBHOOK_SIGNATURE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "adapters/common/http_headers.h"

namespace cse::adapters::zendesk {

inline constexpr absl::string_view kSignatureHeader =
    "X-Zendesk-Webhook-Signature";
inline constexpr absl::string_view kSignatureTimestampHeader =
    "X-Zendesk-Webhook-Signature-Timestamp";

// base64(HMAC-SHA256(secret, timestamp + body)), as Zendesk computes it.
std::string ZendeskSignature(absl::string_view secret,
                             absl::string_view timestamp,
                             absl::string_view body);

// Checks the delivery's signature against each of `secrets` in constant
// time, then that its timestamp is within `max_age` of `now` (replay
// protection). Returns the signed timestamp. UNAUTHENTICATED when a header
// is missing, the timestamp is unreadable, no secret matches or the
// timestamp is too old (or too far in the future).
absl::StatusOr<absl::Time> VerifyZendeskSignature(
    const HttpHeaders& headers, absl::string_view body,
    absl::Span<const std::string> secrets, absl::Time now,
    absl::Duration max_age);

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_WEBHOOK_SIGNATURE_H_
