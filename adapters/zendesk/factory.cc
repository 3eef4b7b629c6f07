#include "adapters/zendesk/factory.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "adapters/common/secret_reader.h"
#include "adapters/zendesk/zendesk_adapter.h"
#include "adapters/zendesk/zendesk_options.h"

namespace cse::adapters {
namespace {

using cse::adapters::v1::CrmConfig;
using cse::adapters::v1::ZendeskConfig;
using cse::config::ConfigError;

constexpr uint32_t kDefaultMaxSignatureAgeSeconds = 300;
constexpr uint32_t kMaxSignatureAgeLimitSeconds = 3600;
constexpr uint32_t kDefaultRequestTimeoutMs = 10'000;
constexpr uint32_t kMaxRequestTimeoutMs = 120'000;
constexpr size_t kMaxPhaseOptionPrefixBytes = 40;

bool IsLoopbackHost(absl::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

// "" when `url` is an acceptable account URL, else what is wrong.
std::string BaseUrlProblem(absl::string_view url) {
  if (url.empty()) return "required, e.g. \"https://acme.zendesk.com\"";
  absl::string_view rest = url;
  const bool https = absl::ConsumePrefix(&rest, "https://");
  const bool http = !https && absl::ConsumePrefix(&rest, "http://");
  if (!https && !http) return "must start with https://";
  absl::ConsumeSuffix(&rest, "/");
  if (rest.empty()) return "has no host";
  if (absl::StrContains(rest, "/") || absl::StrContains(rest, "?") ||
      absl::StrContains(rest, "#")) {
    return "must be the account URL without a path, e.g. "
           "\"https://acme.zendesk.com\"";
  }
  absl::string_view host = rest;
  if (!absl::StartsWith(host, "["))
    host = host.substr(0, host.find(':'));
  else
    host = host.substr(0, host.find(']') + 1);
  if (http && !IsLoopbackHost(host)) {
    return "must use https (http is accepted for a loopback host only)";
  }
  return "";
}

bool IsTagSafe(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

class ZendeskAdapterFactory : public CrmAdapterFactory {
 public:
  absl::string_view kind() const override { return "zendesk"; }

  std::vector<ConfigError> Validate(const CrmConfig& config,
                                    absl::string_view path) const override {
    std::vector<ConfigError> errors;
    auto error = [&](absl::string_view field, std::string message) {
      errors.push_back(
          ConfigError{"", absl::StrCat(path, ".", field), std::move(message)});
    };
    if (!config.has_zendesk()) {
      errors.push_back(ConfigError{"", std::string(path), "required"});
      return errors;
    }
    const ZendeskConfig& zendesk = config.zendesk();
    if (std::string problem = BaseUrlProblem(zendesk.base_url());
        !problem.empty()) {
      error("base_url", std::move(problem));
    }
    if (!IsSecretSet(zendesk.signing_secret())) {
      error("signing_secret",
            "required: the webhook's signing secret, as {env: NAME} or "
            "{file: PATH}");
    }
    for (int i = 0; i < zendesk.additional_signing_secrets_size(); ++i) {
      if (!IsSecretSet(zendesk.additional_signing_secrets(i))) {
        error(absl::StrCat("additional_signing_secrets[", i, "]"),
              "set env or file");
      }
    }
    if (absl::StripAsciiWhitespace(zendesk.api_user()).empty()) {
      error("api_user", "required: the email address of the API agent");
    } else if (!absl::StrContains(zendesk.api_user(), "@")) {
      error("api_user", "must be the agent's email address");
    }
    if (!IsSecretSet(zendesk.api_token())) {
      error("api_token",
            "required: an API token, as {env: NAME} or "
            "{file: PATH}");
    }
    if (zendesk.phase_field_id() < 0) {
      error("phase_field_id", "must be a ticket field id (or 0 for none)");
    } else if (zendesk.phase_field_id() > 0 &&
               zendesk.phase_field_format() ==
                   ZendeskConfig::PHASE_FIELD_FORMAT_UNSPECIFIED) {
      error("phase_field_format",
            "required with phase_field_id: PHASE_FIELD_FORMAT_DROPDOWN or "
            "PHASE_FIELD_FORMAT_TEXT");
    }
    if (zendesk.max_signature_age_seconds() > kMaxSignatureAgeLimitSeconds) {
      error("max_signature_age_seconds",
            absl::StrCat("at most ", kMaxSignatureAgeLimitSeconds));
    }
    if (zendesk.request_timeout_ms() > kMaxRequestTimeoutMs) {
      error("request_timeout_ms",
            absl::StrCat("at most ", kMaxRequestTimeoutMs));
    }
    if (zendesk.phase_option_prefix().size() > kMaxPhaseOptionPrefixBytes ||
        !IsTagSafe(zendesk.phase_option_prefix())) {
      error("phase_option_prefix",
            absl::StrCat("lower case letters, digits, '_' and '-', at most ",
                         kMaxPhaseOptionPrefixBytes, " bytes"));
    }
    return errors;
  }

  absl::StatusOr<std::unique_ptr<CrmAdapter>> Create(
      const CrmConfig& config, const AdapterContext& context) const override {
    if (context.http == nullptr || context.secrets == nullptr) {
      return absl::InvalidArgumentError(
          "zendesk adapter needs an HTTP client and a secret reader");
    }
    const std::string path =
        absl::StrCat("crms[name=", config.name(), "].zendesk");
    if (std::vector<ConfigError> errors = Validate(config, path);
        !errors.empty()) {
      return absl::InvalidArgumentError(config::FormatConfigErrors(errors));
    }
    const ZendeskConfig& zendesk = config.zendesk();
    zendesk::ZendeskAdapterOptions options;
    options.name = config.name();
    options.base_url = std::string(absl::StripSuffix(zendesk.base_url(), "/"));

    absl::StatusOr<std::string> secret = context.secrets->Read(
        zendesk.signing_secret(), absl::StrCat(path, ".signing_secret"));
    if (!secret.ok()) return secret.status();
    options.signing_secrets.push_back(*std::move(secret));
    for (int i = 0; i < zendesk.additional_signing_secrets_size(); ++i) {
      absl::StatusOr<std::string> extra = context.secrets->Read(
          zendesk.additional_signing_secrets(i),
          absl::StrCat(path, ".additional_signing_secrets[", i, "]"));
      if (!extra.ok()) return extra.status();
      options.signing_secrets.push_back(*std::move(extra));
    }
    absl::StatusOr<std::string> token = context.secrets->Read(
        zendesk.api_token(), absl::StrCat(path, ".api_token"));
    if (!token.ok()) return token.status();
    options.api_token = *std::move(token);
    options.api_user =
        std::string(absl::StripAsciiWhitespace(zendesk.api_user()));

    options.phase_field_id = zendesk.phase_field_id();
    if (zendesk.phase_field_format() !=
        ZendeskConfig::PHASE_FIELD_FORMAT_UNSPECIFIED) {
      options.phase_field_format = zendesk.phase_field_format();
    }
    if (!zendesk.phase_option_prefix().empty()) {
      options.phase_option_prefix = zendesk.phase_option_prefix();
    }
    options.max_signature_age =
        absl::Seconds(zendesk.max_signature_age_seconds() > 0
                          ? zendesk.max_signature_age_seconds()
                          : kDefaultMaxSignatureAgeSeconds);
    options.request_timeout = absl::Milliseconds(
        zendesk.request_timeout_ms() > 0 ? zendesk.request_timeout_ms()
                                         : kDefaultRequestTimeoutMs);
    return std::unique_ptr<CrmAdapter>(
        std::make_unique<zendesk::ZendeskAdapter>(std::move(options),
                                                  context.http, context.now));
  }
};

}  // namespace

std::unique_ptr<CrmAdapterFactory> NewZendeskAdapterFactory() {
  return std::make_unique<ZendeskAdapterFactory>();
}

}  // namespace cse::adapters
