// DeliveryAuthenticator: is this delivery from the CRM?
//
// One of three configured checks (GenericWebhookConfig.authentication):
//   - an HMAC signature (SHA-256 or SHA-1, hex or base64, optional prefix
//     such as "sha256=") over a configurable signed content, e.g. Chatwoot's
//     "{timestamp}.{body}", with replay protection from a timestamp header;
//   - a shared token sent verbatim in a header;
//   - none, when the admin explicitly opted out.
// Comparisons are constant-time; failures are UNAUTHENTICATED and never
// quote the secret or the expected signature.
#ifndef CSE_ADAPTERS_GENERIC_WEBHOOK_DELIVERY_AUTHENTICATOR_H_
#define CSE_ADAPTERS_GENERIC_WEBHOOK_DELIVERY_AUTHENTICATOR_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/common/secret_reader.h"
#include "adapters/crm_adapter.h"
#include "adapters/generic_webhook/config_paths.h"
#include "adapters/generic_webhook/text_template.h"
#include "cse/adapters/v1/generic_webhook.pb.h"

namespace cse::adapters::generic_webhook {

class DeliveryAuthenticator {
 public:
  // Checks the authentication section; paths start with `path`.
  static void Validate(const cse::adapters::v1::GenericWebhookConfig& config,
                       absl::string_view path, ConfigErrors* errors);

  // Builds the check from a validated section, reading its secret.
  // INVALID_ARGUMENT naming the secret's field when it cannot be read.
  static absl::StatusOr<DeliveryAuthenticator> Create(
      const cse::adapters::v1::GenericWebhookConfig& config,
      absl::string_view path, const SecretReader& secrets);

  // OK when the delivery passes; UNAUTHENTICATED with the reason
  // otherwise (missing header, bad encoding, mismatch, stale timestamp).
  absl::Status Check(const WebhookDelivery& delivery, absl::Time now) const;

 private:
  enum class Mode { kSignature, kSharedToken, kNone };

  absl::Status CheckSignature(const WebhookDelivery& delivery,
                              absl::Time now) const;
  absl::Status CheckSharedToken(const WebhookDelivery& delivery) const;

  Mode mode_ = Mode::kNone;
  std::string header_;
  std::string secret_;
  std::string prefix_;
  cse::adapters::v1::HmacAlgorithm algorithm_ =
      cse::adapters::v1::HMAC_ALGORITHM_UNSPECIFIED;
  cse::adapters::v1::DigestEncoding encoding_ =
      cse::adapters::v1::DIGEST_ENCODING_UNSPECIFIED;
  std::optional<TextTemplate> signed_content_;
  std::string timestamp_header_;
  cse::adapters::v1::TimeFormat timestamp_format_ =
      cse::adapters::v1::TIME_FORMAT_UNSPECIFIED;
  absl::Duration max_age_ = absl::Minutes(5);
};

// The raw 20-byte HMAC-SHA1 of `data` under `key` (adapters/common has
// SHA-256 only; SHA-1 is here for the CRMs that only offer it).
std::string HmacSha1(absl::string_view key, absl::string_view data);

}  // namespace cse::adapters::generic_webhook

#endif  // CSE_ADAPTERS_GENERIC_WEBHOOK_DELIVERY_AUTHENTICATOR_H_
