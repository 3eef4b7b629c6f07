#include "adapters/generic_webhook/delivery_authenticator.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "adapters/common/secret_reader.h"
#include "adapters/common/signatures.h"
#include "adapters/generic_webhook/json_pointer.h"
#include "adapters/generic_webhook/value_conversion.h"
#include "nlohmann/json.hpp"

namespace cse::adapters::generic_webhook {
namespace {

using cse::adapters::v1::GenericWebhookConfig;

constexpr absl::string_view kHeaderPrefix = "header:";
constexpr uint32_t kDefaultMaxAgeSeconds = 300;
constexpr uint32_t kMaxMaxAgeSeconds = 86400;

// RFC 9110 section 5.6.2: a field name is a token.
bool IsToken(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
        absl::string_view("!#$%&'*+-.^_`|~").find(c) ==
            absl::string_view::npos) {
      return false;
    }
  }
  return true;
}

void CheckHeaderName(absl::string_view name, const std::string& path,
                     ConfigErrors* errors) {
  if (name.empty()) {
    errors->Add(path, "required");
  } else if (!IsToken(name)) {
    errors->Add(path,
                absl::StrCat("\"", name, "\" is not a valid header name"));
  }
}

void CheckSecret(const cse::adapters::v1::Secret& secret,
                 const std::string& path, ConfigErrors* errors) {
  if (!IsSecretSet(secret)) {
    errors->Add(path, "required: env or file");
  }
}

bool DecodeHex(absl::string_view text, std::string* bytes) {
  if (text.size() % 2 != 0) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  *bytes = absl::HexStringToBytes(text);
  return true;
}

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(why);
}

}  // namespace

std::string HmacSha1(absl::string_view key, absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
       &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

void DeliveryAuthenticator::Validate(const GenericWebhookConfig& config,
                                     absl::string_view path,
                                     ConfigErrors* errors) {
  switch (config.authentication_case()) {
    case GenericWebhookConfig::kSignature: {
      const cse::adapters::v1::HmacSignature& s = config.signature();
      const std::string base = Child(path, "signature");
      CheckHeaderName(s.header(), Child(base, "header"), errors);
      CheckSecret(s.secret(), Child(base, "secret"), errors);
      if (s.algorithm() == cse::adapters::v1::HMAC_ALGORITHM_UNSPECIFIED) {
        errors->Add(Child(base, "algorithm"), "required: sha256 or sha1");
      }
      if (s.encoding() == cse::adapters::v1::DIGEST_ENCODING_UNSPECIFIED) {
        errors->Add(Child(base, "encoding"), "required: hex or base64");
      }
      bool uses_timestamp = false;
      if (!s.signed_content().empty()) {
        absl::StatusOr<TextTemplate> content =
            TextTemplate::Parse(s.signed_content());
        if (!content.ok()) {
          errors->Add(Child(base, "signed_content"),
                      std::string(content.status().message()));
        } else {
          for (const std::string& name : content->Placeholders()) {
            if (name == "body" || name == "timestamp" || name == "method" ||
                name == "url") {
              uses_timestamp |= name == "timestamp";
              continue;
            }
            if (absl::StartsWith(name, kHeaderPrefix) &&
                IsToken(name.substr(kHeaderPrefix.size()))) {
              continue;
            }
            errors->Add(Child(base, "signed_content"),
                        absl::StrCat("unknown placeholder {", name,
                                     "}; known: {body}, {timestamp}, "
                                     "{method}, {url}, {header:NAME}"));
          }
          if (!content->Uses("body")) {
            errors->Add(Child(base, "signed_content"),
                        "must contain {body}: a signature that does not "
                        "cover the body does not protect it");
          }
        }
      }
      if (uses_timestamp && s.timestamp_header().empty()) {
        errors->Add(Child(base, "timestamp_header"),
                    "required when signed_content uses {timestamp}");
      }
      if (!s.timestamp_header().empty()) {
        CheckHeaderName(s.timestamp_header(), Child(base, "timestamp_header"),
                        errors);
        const auto format = s.timestamp_format();
        if (format == cse::adapters::v1::TIME_FORMAT_UNSPECIFIED ||
            format == cse::adapters::v1::TIME_FORMAT_LAYOUT) {
          errors->Add(Child(base, "timestamp_format"),
                      "required with timestamp_header: unix_seconds, "
                      "unix_millis or rfc3339");
        }
      } else if (s.timestamp_format() !=
                 cse::adapters::v1::TIME_FORMAT_UNSPECIFIED) {
        errors->Add(Child(base, "timestamp_format"),
                    "only used with timestamp_header");
      }
      if (s.max_age_seconds() > kMaxMaxAgeSeconds) {
        errors->Add(Child(base, "max_age_seconds"),
                    absl::StrCat("at most ", kMaxMaxAgeSeconds,
                                 " (a day); default ", kDefaultMaxAgeSeconds));
      } else if (s.max_age_seconds() != 0 && s.timestamp_header().empty()) {
        errors->Add(Child(base, "max_age_seconds"),
                    "only used with timestamp_header");
      }
      break;
    }
    case GenericWebhookConfig::kSharedToken: {
      const std::string base = Child(path, "shared_token");
      CheckHeaderName(config.shared_token().header(), Child(base, "header"),
                      errors);
      CheckSecret(config.shared_token().token(), Child(base, "token"), errors);
      break;
    }
    case GenericWebhookConfig::kInsecureUnauthenticated:
      if (!config.insecure_unauthenticated()) {
        errors->Add(Child(path, "insecure_unauthenticated"),
                    "must be true when given (or configure signature or "
                    "shared_token)");
      }
      break;
    case GenericWebhookConfig::AUTHENTICATION_NOT_SET:
      errors->Add(path,
                  "one of signature, shared_token or "
                  "insecure_unauthenticated is required");
      break;
  }
}

absl::StatusOr<DeliveryAuthenticator> DeliveryAuthenticator::Create(
    const GenericWebhookConfig& config, absl::string_view path,
    const SecretReader& secrets) {
  DeliveryAuthenticator auth;
  switch (config.authentication_case()) {
    case GenericWebhookConfig::kSignature: {
      const cse::adapters::v1::HmacSignature& s = config.signature();
      const std::string base = Child(path, "signature");
      absl::StatusOr<std::string> secret =
          secrets.Read(s.secret(), Child(base, "secret"));
      if (!secret.ok()) return secret.status();
      auth.mode_ = Mode::kSignature;
      auth.header_ = s.header();
      auth.secret_ = *std::move(secret);
      auth.prefix_ = s.prefix();
      auth.algorithm_ = s.algorithm();
      auth.encoding_ = s.encoding();
      absl::StatusOr<TextTemplate> content = TextTemplate::Parse(
          s.signed_content().empty() ? "{body}" : s.signed_content());
      if (!content.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            Child(base, "signed_content"), ": ", content.status().message()));
      }
      auth.signed_content_ = *std::move(content);
      auth.timestamp_header_ = s.timestamp_header();
      auth.timestamp_format_ = s.timestamp_format();
      auth.max_age_ =
          absl::Seconds(s.max_age_seconds() == 0 ? kDefaultMaxAgeSeconds
                                                 : s.max_age_seconds());
      return auth;
    }
    case GenericWebhookConfig::kSharedToken: {
      absl::StatusOr<std::string> token =
          secrets.Read(config.shared_token().token(),
                       Child(Child(path, "shared_token"), "token"));
      if (!token.ok()) return token.status();
      auth.mode_ = Mode::kSharedToken;
      auth.header_ = config.shared_token().header();
      auth.secret_ = *std::move(token);
      auth.prefix_ = config.shared_token().prefix();
      return auth;
    }
    case GenericWebhookConfig::kInsecureUnauthenticated:
      if (config.insecure_unauthenticated()) {
        auth.mode_ = Mode::kNone;
        return auth;
      }
      break;
    default:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": no valid authentication configured"));
}

absl::Status DeliveryAuthenticator::Check(const WebhookDelivery& delivery,
                                          absl::Time now) const {
  switch (mode_) {
    case Mode::kSignature:
      return CheckSignature(delivery, now);
    case Mode::kSharedToken:
      return CheckSharedToken(delivery);
    case Mode::kNone:
      return absl::OkStatus();
  }
  return Unauthenticated("no authentication configured");
}

absl::Status DeliveryAuthenticator::CheckSignature(
    const WebhookDelivery& delivery, absl::Time now) const {
  const std::string* header = delivery.headers.Find(header_);
  if (header == nullptr) {
    return Unauthenticated(absl::StrCat("missing signature header ", header_));
  }
  absl::string_view value = absl::StripAsciiWhitespace(*header);
  if (!prefix_.empty() && !absl::ConsumePrefix(&value, prefix_)) {
    return Unauthenticated(absl::StrCat("signature header ", header_,
                                        " does not start with \"", prefix_,
                                        "\""));
  }
  std::string received;
  const bool decoded = encoding_ == cse::adapters::v1::DIGEST_ENCODING_HEX
                           ? DecodeHex(value, &received)
                           : absl::Base64Unescape(value, &received);
  if (!decoded) {
    return Unauthenticated(absl::StrCat(
        "signature header ", header_, " is not ",
        encoding_ == cse::adapters::v1::DIGEST_ENCODING_HEX ? "hex"
                                                            : "base64"));
  }

  std::optional<absl::Time> signed_at;
  const std::string* timestamp = nullptr;
  if (!timestamp_header_.empty()) {
    timestamp = delivery.headers.Find(timestamp_header_);
    if (timestamp == nullptr) {
      return Unauthenticated(
          absl::StrCat("missing timestamp header ", timestamp_header_));
    }
    absl::StatusOr<absl::Time> parsed =
        ParseTimeValue(nlohmann::json(*timestamp), timestamp_format_, "");
    if (!parsed.ok()) {
      return Unauthenticated(absl::StrCat("timestamp header ",
                                          timestamp_header_, ": ",
                                          parsed.status().message()));
    }
    signed_at = *parsed;
  }

  std::optional<std::string> content = signed_content_->Render(
      [&](absl::string_view name) -> std::optional<std::string> {
        if (name == "body") return delivery.body;
        if (name == "timestamp") {
          if (timestamp == nullptr) return std::nullopt;
          return *timestamp;
        }
        if (name == "method") return delivery.method;
        if (name == "url") return delivery.public_url;
        if (absl::StartsWith(name, kHeaderPrefix)) {
          const std::string* v =
              delivery.headers.Find(name.substr(kHeaderPrefix.size()));
          if (v == nullptr) return std::nullopt;
          return *v;
        }
        return std::nullopt;
      });
  if (!content.has_value()) {
    return Unauthenticated(
        "a header the signed content needs is missing from the delivery");
  }
  const std::string expected =
      algorithm_ == cse::adapters::v1::HMAC_ALGORITHM_SHA1
          ? HmacSha1(secret_, *content)
          : HmacSha256(secret_, *content);
  if (!ConstantTimeEquals(received, expected)) {
    return Unauthenticated(
        absl::StrCat("signature in ", header_, " does not match the body"));
  }
  if (signed_at.has_value()) {
    return CheckFreshness(*signed_at, now, max_age_);
  }
  return absl::OkStatus();
}

absl::Status DeliveryAuthenticator::CheckSharedToken(
    const WebhookDelivery& delivery) const {
  const std::string* header = delivery.headers.Find(header_);
  if (header == nullptr) {
    return Unauthenticated(absl::StrCat("missing token header ", header_));
  }
  absl::string_view value = *header;
  if (!prefix_.empty() && !absl::ConsumePrefix(&value, prefix_)) {
    return Unauthenticated(absl::StrCat(
        "token header ", header_, " does not start with \"", prefix_, "\""));
  }
  if (!ConstantTimeEquals(value, secret_)) {
    return Unauthenticated(
        absl::StrCat("token in ", header_, " does not match"));
  }
  return absl::OkStatus();
}

}  // namespace cse::adapters::generic_webhook
