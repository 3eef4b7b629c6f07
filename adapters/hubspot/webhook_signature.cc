#include "adapters/hubspot/webhook_signature.h"

#include <openssl/evp.h>

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/signatures.h"

namespace cse::adapters::hubspot {
namespace {

// Header names as HubSpot documents them (validating-requests page);
// HttpHeaders looks names up case-insensitively.
constexpr absl::string_view kSignatureV3Header = "X-HubSpot-Signature-v3";
constexpr absl::string_view kTimestampHeader = "X-HubSpot-Request-Timestamp";
constexpr absl::string_view kSignatureHeader = "X-HubSpot-Signature";
constexpr absl::string_view kSignatureVersionHeader =
    "X-HubSpot-Signature-Version";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The characters of HubSpot's v3 decoding table.
bool DecodedInV3(char c) {
  switch (c) {
    case ':':
    case '/':
    case '?':
    case '@':
    case '!':
    case '$':
    case '\'':
    case '(':
    case ')':
    case '*':
    case ',':
    case ';':
      return true;
    default:
      return false;
  }
}

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return HexEncode(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace

std::string NormalizeV3Uri(absl::string_view url) {
  std::string out;
  out.reserve(url.size());
  for (size_t i = 0; i < url.size(); ++i) {
    if (url[i] == '%' && i + 2 < url.size()) {
      const int hi = HexValue(url[i + 1]);
      const int lo = HexValue(url[i + 2]);
      if (hi >= 0 && lo >= 0) {
        const char decoded = static_cast<char>(hi * 16 + lo);
        if (DecodedInV3(decoded)) {
          out.push_back(decoded);
          i += 2;
          continue;
        }
      }
    }
    out.push_back(url[i]);
  }
  return out;
}

std::string SignatureV3(absl::string_view client_secret,
                        absl::string_view method, absl::string_view url,
                        absl::string_view body, absl::string_view timestamp) {
  return absl::Base64Escape(
      HmacSha256(client_secret,
                 absl::StrCat(method, NormalizeV3Uri(url), body, timestamp)));
}

std::string SignatureV1(absl::string_view client_secret,
                        absl::string_view body) {
  return Sha256Hex(absl::StrCat(client_secret, body));
}

std::string SignatureV2(absl::string_view client_secret,
                        absl::string_view method, absl::string_view url,
                        absl::string_view body) {
  return Sha256Hex(absl::StrCat(client_secret, method, url, body));
}

absl::Status VerifyDelivery(const WebhookDelivery& delivery,
                            const SignatureCheckOptions& options,
                            absl::Time now) {
  if (!absl::StartsWith(delivery.public_url, "https://") &&
      !absl::StartsWith(delivery.public_url, "http://")) {
    return absl::FailedPreconditionError(
        "ingress.public_base_url must be set to the URL HubSpot calls: "
        "HubSpot's v3 signature covers the full URL");
  }
  const std::string* v3 = delivery.headers.Find(kSignatureV3Header);
  if (v3 != nullptr) {
    const std::string* timestamp = delivery.headers.Find(kTimestampHeader);
    if (timestamp == nullptr) {
      return absl::UnauthenticatedError(
          absl::StrCat(kSignatureV3Header, " without ", kTimestampHeader));
    }
    // Milliseconds since the epoch, as the SDKs read it
    // (MAX_ALLOWED_TIMESTAMP = 300000 ms in hubspot-api-php).
    int64_t millis = 0;
    if (!absl::SimpleAtoi(*timestamp, &millis)) {
      return absl::UnauthenticatedError(
          absl::StrCat(kTimestampHeader, " is not a number of milliseconds"));
    }
    if (absl::Status fresh =
            CheckFreshness(absl::FromUnixMillis(millis), now, options.max_age);
        !fresh.ok()) {
      return fresh;
    }
    const std::string expected =
        SignatureV3(options.client_secret, delivery.method, delivery.public_url,
                    delivery.body, *timestamp);
    if (!ConstantTimeEquals(expected, absl::StripAsciiWhitespace(*v3))) {
      return absl::UnauthenticatedError(absl::StrCat(
          kSignatureV3Header,
          " does not match (check the client secret and that "
          "ingress.public_base_url is exactly the scheme and host of the "
          "app's target URL)"));
    }
    return absl::OkStatus();
  }
  const std::string* legacy = delivery.headers.Find(kSignatureHeader);
  if (legacy == nullptr) {
    return absl::UnauthenticatedError(
        absl::StrCat("no ", kSignatureV3Header, " header"));
  }
  if (!options.accept_legacy) {
    return absl::UnauthenticatedError(
        absl::StrCat("only a legacy ", kSignatureHeader, " was sent and ",
                     kSignatureV3Header,
                     " is required (hubspot.accept_legacy_signatures is off)"));
  }
  const std::string version = absl::AsciiStrToLower(absl::StripAsciiWhitespace(
      delivery.headers.Get(kSignatureVersionHeader)));
  std::string expected;
  if (version == "v1") {
    expected = SignatureV1(options.client_secret, delivery.body);
  } else if (version == "v2") {
    expected = SignatureV2(options.client_secret, delivery.method,
                           delivery.public_url, delivery.body);
  } else {
    return absl::UnauthenticatedError(absl::StrCat(
        kSignatureVersionHeader, " '", version, "' is not v1 or v2"));
  }
  if (!ConstantTimeEquals(expected, absl::AsciiStrToLower(
                                        absl::StripAsciiWhitespace(*legacy)))) {
    return absl::UnauthenticatedError(
        absl::StrCat(kSignatureHeader, " (", version, ") does not match"));
  }
  return absl::OkStatus();
}

}  // namespace cse::adapters::hubspot
