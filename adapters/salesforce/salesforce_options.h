// SalesforceAdapterOptions: the adapter's settings after the factory has
// validated the config (cse.adapters.v1.SalesforceConfig) and read its
// secret. Tests build it directly.
#ifndef CSE_ADAPTERS_SALESFORCE_SALESFORCE_OPTIONS_H_
#define CSE_ADAPTERS_SALESFORCE_SALESFORCE_OPTIONS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "cse/adapters/v1/salesforce.pb.h"
#include "cse/v1/events.pb.h"

namespace cse::adapters::salesforce {

struct SalesforceAdapterOptions {
  // CrmConfig.name: the events' source and the writeback target_system.
  std::string name;
  // Canonical 18-character organization ids (salesforce_id.h).
  std::vector<std::string> allowed_organization_ids;
  bool allow_insecure_http = false;

  // "https://acme.my.salesforce.com", no trailing slash.
  std::string instance_url;
  std::string api_version = "v59.0";
  std::string access_token;
  absl::Duration request_timeout = absl::Seconds(10);

  std::string case_phase_field;
  std::string event_phase_field;
  cse::adapters::v1::SalesforceConfig::PhaseValue phase_value =
      cse::adapters::v1::SalesforceConfig::PHASE_VALUE_ID;

  // Event Type, lower case -> meeting type.
  absl::flat_hash_map<std::string, cse::v1::MeetingType> meeting_types;
  // Lower case.
  std::vector<std::string> key_person_roles;
  std::string attended_ids_field;
  std::string deal_stage_field;
  // Multi-select picklists where agents set outcome tags
  // (adapters/common/outcome_tag.h).
  std::string case_outcome_field = "CSE_Outcome__c";
  std::string event_outcome_field = "CSE_Outcome__c";
};

}  // namespace cse::adapters::salesforce

#endif  // CSE_ADAPTERS_SALESFORCE_SALESFORCE_OPTIONS_H_
