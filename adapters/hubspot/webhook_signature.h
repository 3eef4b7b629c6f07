// HubSpot request signatures: v3 (required), v1 and v2 (legacy, opt-in).
//
// Source: https://developers.hubspot.com/docs/api/webhooks/validating-requests
// (HubSpot, "Validating requests from HubSpot"; the same text is at
// https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests):
//   v3: X-HubSpot-Signature-v3 = base64(HMAC-SHA256(client secret,
//       method + URI + body + X-HubSpot-Request-Timestamp)); "Reject the
//       request if the timestamp is older than 5 minutes"; in the URI
//       "decode any of the URL-encoded characters listed in the table"
//       (%3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B), the URI being
//       the full URL called, protocol included.
//   v1 (X-HubSpot-Signature-Version: v1): hex(SHA-256(secret + body)).
//   v2 (X-HubSpot-Signature-Version: v2): hex(SHA-256(secret + method +
//       URI + body)), the URI exactly as called.
// The official SDKs compute the same strings: HubSpot/hubspot-api-python
// hubspot/utils/signature.py, HubSpot/hubspot-api-php
// lib/Utils/Signature.php; their tests' vectors are in
// tests/unit/adapters/hubspot/webhook_signature_test.cc.
#ifndef CSE_ADAPTERS_HUBSPOT_WEBHOOK_SIGNATURE_H_
#define CSE_ADAPTERS_HUBSPOT_WEBHOOK_SIGNATURE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/crm_adapter.h"

namespace cse::adapters::hubspot {

// The URI as HubSpot signs it in v3: `url` with the twelve percent-encoded
// characters of HubSpot's table decoded (hex digits of either case);
// every other escape stays as it is.
std::string NormalizeV3Uri(absl::string_view url);

// base64(HMAC-SHA256(secret, method + NormalizeV3Uri(url) + body +
// timestamp)).
std::string SignatureV3(absl::string_view client_secret,
                        absl::string_view method, absl::string_view url,
                        absl::string_view body, absl::string_view timestamp);

// hex(SHA-256(secret + body)).
std::string SignatureV1(absl::string_view client_secret,
                        absl::string_view body);

// hex(SHA-256(secret + method + url + body)).
std::string SignatureV2(absl::string_view client_secret,
                        absl::string_view method, absl::string_view url,
                        absl::string_view body);

struct SignatureCheckOptions {
  std::string client_secret;
  absl::Duration max_age = absl::Minutes(5);
  bool accept_legacy = false;
};

// Checks `delivery` came from HubSpot:
//   FAILED_PRECONDITION: delivery.public_url is not an absolute http(s)
//     URL (ingress.public_base_url unset), so no v3 signature can match;
//   UNAUTHENTICATED: no signature, a bad one, a malformed or stale
//     timestamp (replay), or only a legacy signature when those are not
//     accepted.
absl::Status VerifyDelivery(const WebhookDelivery& delivery,
                            const SignatureCheckOptions& options,
                            absl::Time now);

}  // namespace cse::adapters::hubspot

#endif  // CSE_ADAPTERS_HUBSPOT_WEBHOOK_SIGNATURE_H_
