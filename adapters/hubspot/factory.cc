#include "adapters/hubspot/factory.h"

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "adapters/common/meeting_settings.h"
#include "adapters/common/secret_reader.h"
#include "adapters/hubspot/hubspot_adapter.h"
#include "adapters/hubspot/hubspot_options.h"
#include "cse/adapters/v1/hubspot.pb.h"
#include "cse/v1/events.pb.h"

namespace cse::adapters {
namespace {

using cse::adapters::v1::CrmConfig;
using cse::adapters::v1::HubSpotConfig;
using cse::config::ConfigError;
using hubspot::HubSpotOptions;

constexpr uint32_t kMaxSignatureAgeSeconds = 3600;
constexpr uint32_t kMaxRequestTimeoutMs = 120000;

// HubSpot internal property names: letters, digits and '_' (the CRM
// properties API's "name" field).
bool IsPropertyName(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_') return false;
  }
  return true;
}

bool IsLoopbackHttp(absl::string_view url) {
  return absl::StartsWith(url, "http://127.0.0.1") ||
         absl::StartsWith(url, "http://localhost") ||
         absl::StartsWith(url, "http://[::1]");
}

class HubSpotAdapterFactory : public CrmAdapterFactory {
 public:
  absl::string_view kind() const override { return "hubspot"; }

  std::vector<ConfigError> Validate(const CrmConfig& config,
                                    absl::string_view path) const override {
    std::vector<ConfigError> errors;
    const std::string base = absl::StrCat(path, ".hubspot");
    auto error = [&](absl::string_view field, std::string message) {
      errors.push_back(
          ConfigError{"", absl::StrCat(base, ".", field), std::move(message)});
    };
    if (!config.has_hubspot()) {
      errors.push_back(ConfigError{"", base, "required"});
      return errors;
    }
    const HubSpotConfig& c = config.hubspot();
    if (!IsSecretSet(c.client_secret())) {
      error("client_secret", "required (env or file): it signs webhooks");
    }
    if (!IsSecretSet(c.access_token())) {
      error("access_token",
            "required (env or file): the private app's access token");
    }
    if (!c.api_base_url().empty()) {
      if (!absl::StartsWith(c.api_base_url(), "https://") &&
          !IsLoopbackHttp(c.api_base_url())) {
        error("api_base_url", "must be https (http only for a loopback host)");
      }
    }
    if (c.max_signature_age_seconds() > kMaxSignatureAgeSeconds) {
      error("max_signature_age_seconds",
            absl::StrCat("at most ", kMaxSignatureAgeSeconds));
    }
    if (c.request_timeout_ms() > kMaxRequestTimeoutMs) {
      error("request_timeout_ms",
            absl::StrCat("at most ", kMaxRequestTimeoutMs));
    }
    for (const auto& [field, value] :
         {std::pair<const char*, const std::string*>{"phase_property",
                                                     &c.phase_property()},
          {"tags_property", &c.tags_property()},
          {"meeting_phase_property", &c.meeting_phase_property()},
          {"meeting_tags_property", &c.meeting_tags_property()},
          {"company_segment_property", &c.company_segment_property()},
          {"outcome_property", &c.outcome_property()},
          {"meeting_outcome_property", &c.meeting_outcome_property()}}) {
      if (!value->empty() && !IsPropertyName(*value)) {
        error(field, absl::StrCat("'", *value,
                                  "' is not a HubSpot property name (letters, "
                                  "digits and '_')"));
      }
    }
    // The adapter ignores changes of its own writeback properties, and an
    // agent's outcome tags must not be mixed with the tags it writes.
    const HubSpotOptions defaults;
    const std::string& ticket_outcome = c.outcome_property().empty()
                                            ? defaults.ticket_outcome_property
                                            : c.outcome_property();
    const std::string& meeting_outcome = c.meeting_outcome_property().empty()
                                             ? defaults.meeting_outcome_property
                                             : c.meeting_outcome_property();
    for (const auto& [field, outcome, other_field, other] :
         {std::tuple<const char*, const std::string*, const char*,
                     const std::string*>{"outcome_property", &ticket_outcome,
                                         "tags_property", &c.tags_property()},
          {"outcome_property", &ticket_outcome, "phase_property",
           &c.phase_property()},
          {"meeting_outcome_property", &meeting_outcome,
           "meeting_tags_property", &c.meeting_tags_property()},
          {"meeting_outcome_property", &meeting_outcome,
           "meeting_phase_property", &c.meeting_phase_property()}}) {
      if (*outcome == *other) {
        error(field, absl::StrCat("'", *outcome, "' is also ", other_field,
                                  ": agents' outcome tags need a property of "
                                  "their own"));
      }
    }
    for (int i = 0; i < c.extra_ticket_properties_size(); ++i) {
      if (!IsPropertyName(c.extra_ticket_properties(i))) {
        error(absl::StrCat("extra_ticket_properties[", i, "]"),
              "not a HubSpot property name (letters, digits and '_')");
      }
    }
    for (int i = 0; i < c.extra_meeting_properties_size(); ++i) {
      if (!IsPropertyName(c.extra_meeting_properties(i))) {
        error(absl::StrCat("extra_meeting_properties[", i, "]"),
              "not a HubSpot property name (letters, digits and '_')");
      }
    }
    CheckMeetingSettings(c.meeting_types(), c.key_person_roles(), error);
    return errors;
  }

  absl::StatusOr<std::unique_ptr<CrmAdapter>> Create(
      const CrmConfig& config, const AdapterContext& context) const override {
    if (context.http == nullptr || context.secrets == nullptr) {
      return absl::InvalidArgumentError(
          "hubspot: the adapter context lacks an HTTP client or secret reader");
    }
    const HubSpotConfig& c = config.hubspot();
    const std::string base = absl::StrCat("crms[", config.name(), "].hubspot");
    HubSpotOptions o;
    o.name = config.name();
    absl::StatusOr<std::string> secret = context.secrets->Read(
        c.client_secret(), absl::StrCat(base, ".client_secret"));
    if (!secret.ok()) return secret.status();
    o.client_secret = std::move(*secret);
    absl::StatusOr<std::string> token = context.secrets->Read(
        c.access_token(), absl::StrCat(base, ".access_token"));
    if (!token.ok()) return token.status();
    o.access_token = std::move(*token);
    if (!c.api_base_url().empty()) {
      o.api_base_url = std::string(absl::StripSuffix(c.api_base_url(), "/"));
    }
    if (c.max_signature_age_seconds() > 0) {
      o.max_signature_age = absl::Seconds(c.max_signature_age_seconds());
    }
    o.accept_legacy_signatures = c.accept_legacy_signatures();
    if (c.request_timeout_ms() > 0) {
      o.request_timeout = absl::Milliseconds(c.request_timeout_ms());
    }
    o.portal_id = c.portal_id();
    o.ticket_phase_property = c.phase_property();
    o.ticket_tags_property = c.tags_property();
    o.meeting_phase_property = c.meeting_phase_property();
    o.meeting_tags_property = c.meeting_tags_property();
    if (!c.outcome_property().empty()) {
      o.ticket_outcome_property = c.outcome_property();
    }
    if (!c.meeting_outcome_property().empty()) {
      o.meeting_outcome_property = c.meeting_outcome_property();
    }
    o.ticket_stage_statuses.insert(c.ticket_stage_statuses().begin(),
                                   c.ticket_stage_statuses().end());
    for (const auto& [value, type_name] : c.meeting_types()) {
      // Validated above.
      if (auto type = ParseMeetingTypeName(type_name)) {
        o.meeting_types[value] = *type;
      }
    }
    for (const std::string& role : c.key_person_roles()) {
      o.key_person_roles.emplace_back(absl::StripAsciiWhitespace(role));
    }
    o.absent_association_label = c.absent_association_label();
    o.key_person_association_label = c.key_person_association_label();
    o.company_segment_property = c.company_segment_property();
    o.extra_ticket_properties.assign(c.extra_ticket_properties().begin(),
                                     c.extra_ticket_properties().end());
    o.extra_meeting_properties.assign(c.extra_meeting_properties().begin(),
                                      c.extra_meeting_properties().end());
    if (c.note_to_ticket_association_type_id() != 0) {
      o.note_to_ticket_association_type_id =
          c.note_to_ticket_association_type_id();
    }
    if (c.note_to_company_association_type_id() != 0) {
      o.note_to_company_association_type_id =
          c.note_to_company_association_type_id();
    }
    if (c.note_to_deal_association_type_id() != 0) {
      o.note_to_deal_association_type_id = c.note_to_deal_association_type_id();
    }
    return std::unique_ptr<CrmAdapter>(
        std::make_unique<hubspot::HubSpotAdapter>(std::move(o), context.http,
                                                  context.now));
  }
};

}  // namespace

std::unique_ptr<CrmAdapterFactory> NewHubSpotAdapterFactory() {
  return std::make_unique<HubSpotAdapterFactory>();
}

}  // namespace cse::adapters
