// ZendeskAdapterOptions: a Zendesk adapter's configuration with its secrets
// read and its defaults applied (factory.cc builds it from ZendeskConfig).
#ifndef CSE_ADAPTERS_ZENDESK_ZENDESK_OPTIONS_H_
#define CSE_ADAPTERS_ZENDESK_ZENDESK_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "cse/adapters/v1/zendesk.pb.h"

namespace cse::adapters::zendesk {

inline constexpr absl::string_view kDefaultPhaseOptionPrefix = "cse_phase_";

struct ZendeskAdapterOptions {
  // CrmConfig.name: the events' source and the jobs' target_system.
  std::string name;
  // "https://acme.zendesk.com", without a trailing '/'.
  std::string base_url;
  // Every accepted signing secret; at least one.
  std::vector<std::string> signing_secrets;
  // "agent@acme.com/token" and the API token (basic auth).
  std::string api_user;
  std::string api_token;
  // The default phase field; 0: none.
  int64_t phase_field_id = 0;
  cse::adapters::v1::ZendeskConfig::PhaseFieldFormat phase_field_format =
      cse::adapters::v1::ZendeskConfig::PHASE_FIELD_FORMAT_DROPDOWN;
  std::string phase_option_prefix = std::string(kDefaultPhaseOptionPrefix);
  absl::Duration max_signature_age = absl::Seconds(300);
  absl::Duration request_timeout = absl::Seconds(10);
};

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_ZENDESK_OPTIONS_H_
