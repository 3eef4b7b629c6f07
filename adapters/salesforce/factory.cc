#include "adapters/salesforce/factory.h"

#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "adapters/common/meeting_settings.h"
#include "adapters/common/secret_reader.h"
#include "adapters/salesforce/salesforce_adapter.h"
#include "adapters/salesforce/salesforce_id.h"
#include "adapters/salesforce/salesforce_options.h"

namespace cse::adapters {
namespace {

using cse::adapters::v1::CrmConfig;
using cse::adapters::v1::SalesforceConfig;
using cse::config::ConfigError;

constexpr uint32_t kDefaultRequestTimeoutMs = 10'000;
constexpr uint32_t kMaxRequestTimeoutMs = 120'000;
constexpr absl::string_view kDefaultApiVersion = "v59.0";

bool IsLoopbackHost(absl::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

// "" when `url` is an acceptable instance URL, else what is wrong.
std::string InstanceUrlProblem(absl::string_view url) {
  if (url.empty()) {
    return "required, e.g. \"https://acme.my.salesforce.com\"";
  }
  absl::string_view rest = url;
  const bool https = absl::ConsumePrefix(&rest, "https://");
  const bool http = !https && absl::ConsumePrefix(&rest, "http://");
  if (!https && !http) return "must start with https://";
  absl::ConsumeSuffix(&rest, "/");
  if (rest.empty()) return "has no host";
  if (absl::StrContains(rest, "/") || absl::StrContains(rest, "?") ||
      absl::StrContains(rest, "#") || absl::StrContains(rest, "@")) {
    return "must be the My Domain URL without a path, e.g. "
           "\"https://acme.my.salesforce.com\"";
  }
  absl::string_view host = rest;
  if (absl::StartsWith(host, "[")) {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (http && !IsLoopbackHost(host)) {
    return "must use https (http is accepted for a loopback host only)";
  }
  return "";
}

// "vNN.N".
bool IsApiVersion(absl::string_view version) {
  if (!absl::ConsumePrefix(&version, "v")) return false;
  const size_t dot = version.find('.');
  if (dot == absl::string_view::npos || dot == 0 || dot + 1 >= version.size()) {
    return false;
  }
  uint32_t major = 0;
  uint32_t minor = 0;
  return absl::SimpleAtoi(version.substr(0, dot), &major) &&
         absl::SimpleAtoi(version.substr(dot + 1), &minor) &&
         absl::ascii_isdigit(static_cast<unsigned char>(version[0]));
}

// A field API name: a letter, then letters, digits and underscores.
bool IsApiName(absl::string_view name) {
  if (name.empty() ||
      !absl::ascii_isalpha(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

class SalesforceAdapterFactory : public CrmAdapterFactory {
 public:
  absl::string_view kind() const override { return "salesforce"; }

  std::vector<ConfigError> Validate(const CrmConfig& config,
                                    absl::string_view path) const override {
    std::vector<ConfigError> errors;
    auto error = [&](absl::string_view field, std::string message) {
      errors.push_back(
          ConfigError{"", absl::StrCat(path, ".", field), std::move(message)});
    };
    if (!config.has_salesforce()) {
      errors.push_back(ConfigError{"", std::string(path), "required"});
      return errors;
    }
    const SalesforceConfig& sf = config.salesforce();
    if (sf.allowed_organization_ids().empty()) {
      error("allowed_organization_ids",
            "required: the organization id(s) whose outbound messages are "
            "accepted (Setup > Company Information), 15 or 18 characters");
    }
    for (int i = 0; i < sf.allowed_organization_ids_size(); ++i) {
      absl::StatusOr<std::string> id = salesforce::CanonicalId18(
          absl::StripAsciiWhitespace(sf.allowed_organization_ids(i)));
      if (!id.ok()) {
        error(absl::StrCat("allowed_organization_ids[", i, "]"),
              std::string(id.status().message()));
      }
    }
    if (std::string problem = InstanceUrlProblem(sf.instance_url());
        !problem.empty()) {
      error("instance_url", std::move(problem));
    }
    if (!IsSecretSet(sf.access_token())) {
      error("access_token",
            "required: an OAuth access token for the REST API, as "
            "{env: NAME} or {file: PATH}");
    }
    if (!sf.api_version().empty() && !IsApiVersion(sf.api_version())) {
      error("api_version", "must look like \"v59.0\"");
    }
    for (const auto& [field, value] :
         {std::pair<absl::string_view, const std::string*>{
              "case_phase_field", &sf.case_phase_field()},
          {"event_phase_field", &sf.event_phase_field()},
          {"attended_ids_field", &sf.attended_ids_field()},
          {"deal_stage_field", &sf.deal_stage_field()},
          {"case_outcome_field", &sf.case_outcome_field()},
          {"event_outcome_field", &sf.event_outcome_field()}}) {
      if (!value->empty() && !IsApiName(*value)) {
        error(field, "must be a field API name, e.g. \"Journey_Phase__c\"");
      }
    }
    // An agent's outcome tags need a field of their own: the adapter
    // writes the phase field, and reads the others as something else.
    const salesforce::SalesforceAdapterOptions defaults;
    const std::string& case_outcome = sf.case_outcome_field().empty()
                                          ? defaults.case_outcome_field
                                          : sf.case_outcome_field();
    const std::string& event_outcome = sf.event_outcome_field().empty()
                                           ? defaults.event_outcome_field
                                           : sf.event_outcome_field();
    for (const auto& [field, outcome, other_field, other] :
         {std::tuple<absl::string_view, const std::string*, absl::string_view,
                     const std::string*>{"case_outcome_field", &case_outcome,
                                         "case_phase_field",
                                         &sf.case_phase_field()},
          {"event_outcome_field", &event_outcome, "event_phase_field",
           &sf.event_phase_field()},
          {"event_outcome_field", &event_outcome, "attended_ids_field",
           &sf.attended_ids_field()},
          {"event_outcome_field", &event_outcome, "deal_stage_field",
           &sf.deal_stage_field()}}) {
      // Salesforce API names do not depend on case.
      if (absl::EqualsIgnoreCase(*outcome, *other)) {
        error(field, absl::StrCat("\"", *outcome, "\" is also ", other_field,
                                  ": agents' outcome tags need a field of "
                                  "their own"));
      }
    }
    if ((!sf.case_phase_field().empty() || !sf.event_phase_field().empty()) &&
        sf.phase_value() == SalesforceConfig::PHASE_VALUE_UNSPECIFIED) {
      error("phase_value",
            "required with a phase field: PHASE_VALUE_ID or PHASE_VALUE_NAME");
    }
    if (sf.request_timeout_ms() > kMaxRequestTimeoutMs) {
      error("request_timeout_ms",
            absl::StrCat("at most ", kMaxRequestTimeoutMs));
    }
    CheckMeetingSettings(sf.meeting_types(), sf.key_person_roles(), error);
    return errors;
  }

  absl::StatusOr<std::unique_ptr<CrmAdapter>> Create(
      const CrmConfig& config, const AdapterContext& context) const override {
    if (context.http == nullptr || context.secrets == nullptr) {
      return absl::InvalidArgumentError(
          "salesforce adapter needs an HTTP client and a secret reader");
    }
    const std::string path =
        absl::StrCat("crms[name=", config.name(), "].salesforce");
    if (std::vector<ConfigError> errors = Validate(config, path);
        !errors.empty()) {
      return absl::InvalidArgumentError(config::FormatConfigErrors(errors));
    }
    const SalesforceConfig& sf = config.salesforce();
    salesforce::SalesforceAdapterOptions options;
    options.name = config.name();
    for (const std::string& id : sf.allowed_organization_ids()) {
      // Validated above.
      options.allowed_organization_ids.push_back(
          *salesforce::CanonicalId18(absl::StripAsciiWhitespace(id)));
    }
    options.allow_insecure_http = sf.allow_insecure_http();
    options.instance_url =
        std::string(absl::StripSuffix(sf.instance_url(), "/"));
    options.api_version = sf.api_version().empty()
                              ? std::string(kDefaultApiVersion)
                              : sf.api_version();
    absl::StatusOr<std::string> token = context.secrets->Read(
        sf.access_token(), absl::StrCat(path, ".access_token"));
    if (!token.ok()) return token.status();
    options.access_token = *std::move(token);
    options.request_timeout = absl::Milliseconds(
        sf.request_timeout_ms() > 0 ? sf.request_timeout_ms()
                                    : kDefaultRequestTimeoutMs);
    options.case_phase_field = sf.case_phase_field();
    options.event_phase_field = sf.event_phase_field();
    if (sf.phase_value() != SalesforceConfig::PHASE_VALUE_UNSPECIFIED) {
      options.phase_value = sf.phase_value();
    }
    for (const auto& [type, meeting_type] : sf.meeting_types()) {
      options.meeting_types[absl::AsciiStrToLower(absl::StripAsciiWhitespace(
          type))] = *ParseMeetingTypeName(meeting_type);
    }
    for (const std::string& role : sf.key_person_roles()) {
      options.key_person_roles.push_back(
          absl::AsciiStrToLower(absl::StripAsciiWhitespace(role)));
    }
    options.attended_ids_field = sf.attended_ids_field();
    options.deal_stage_field = sf.deal_stage_field();
    if (!sf.case_outcome_field().empty()) {
      options.case_outcome_field = sf.case_outcome_field();
    }
    if (!sf.event_outcome_field().empty()) {
      options.event_outcome_field = sf.event_outcome_field();
    }
    return std::unique_ptr<CrmAdapter>(
        std::make_unique<salesforce::SalesforceAdapter>(
            std::move(options), context.http, context.now));
  }
};

}  // namespace

std::unique_ptr<CrmAdapterFactory> NewSalesforceAdapterFactory() {
  return std::make_unique<SalesforceAdapterFactory>();
}

}  // namespace cse::adapters
