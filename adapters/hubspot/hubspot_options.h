// HubSpotOptions: the adapter's configuration with defaults applied and
// secrets resolved (built by the factory from HubSpotConfig).
#ifndef CSE_ADAPTERS_HUBSPOT_HUBSPOT_OPTIONS_H_
#define CSE_ADAPTERS_HUBSPOT_HUBSPOT_OPTIONS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "cse/v1/events.pb.h"

namespace cse::adapters::hubspot {

struct HubSpotOptions {
  // CrmConfig.name: the event source and writeback target_system.
  std::string name;
  std::string client_secret;
  std::string access_token;
  // No trailing '/'.
  std::string api_base_url = "https://api.hubapi.com";
  absl::Duration max_signature_age = absl::Minutes(5);
  bool accept_legacy_signatures = false;
  absl::Duration request_timeout = absl::Seconds(10);
  // 0: any portal.
  uint64_t portal_id = 0;

  std::string ticket_phase_property;
  std::string ticket_tags_property;
  std::string meeting_phase_property;
  std::string meeting_tags_property;
  // Multiple checkboxes properties where agents set outcome tags
  // (adapters/common/outcome_tag.h).
  std::string ticket_outcome_property = "cse_outcome";
  std::string meeting_outcome_property = "cse_outcome";

  std::map<std::string, std::string> ticket_stage_statuses;
  std::map<std::string, cse::v1::MeetingType> meeting_types;
  std::vector<std::string> key_person_roles;
  std::string absent_association_label;
  std::string key_person_association_label;
  std::string company_segment_property;
  std::vector<std::string> extra_ticket_properties;
  std::vector<std::string> extra_meeting_properties;

  // HubSpot's default association type ids (see hubspot.proto).
  uint32_t note_to_ticket_association_type_id = 228;
  uint32_t note_to_company_association_type_id = 190;
  uint32_t note_to_deal_association_type_id = 214;
};

}  // namespace cse::adapters::hubspot

#endif  // CSE_ADAPTERS_HUBSPOT_HUBSPOT_OPTIONS_H_
