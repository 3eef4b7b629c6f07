// Phase: overwrite the journey-phase field of the Case or Event
// (writebacks.h).
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "adapters/salesforce/writebacks.h"

namespace cse::adapters::salesforce {
namespace {

// A field API name: a letter, then letters, digits and underscores
// ("Journey_Phase__c", "ns__Phase__c").
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

}  // namespace

WritebackOutcome WritePhase(const SalesforceApi& api, SObjectKind kind,
                            absl::string_view record_id,
                            const cse::v1::PhaseFieldWriteback& phase,
                            const SalesforceAdapterOptions& options) {
  std::string field = phase.field();
  if (field.empty()) {
    field = kind == SObjectKind::kCase ? options.case_phase_field
                                       : options.event_phase_field;
  }
  if (field.empty()) {
    return WritebackPermanent(absl::StrCat(
        "no phase field for ", SObjectName(kind), ": set salesforce.",
        kind == SObjectKind::kCase ? "case_phase_field" : "event_phase_field",
        " in the adapter config"));
  }
  if (!IsApiName(field)) {
    return WritebackPermanent(absl::StrCat(
        "phase field \"", field, "\" is not a Salesforce field API name"));
  }
  const std::string value =
      options.phase_value ==
                  cse::adapters::v1::SalesforceConfig::PHASE_VALUE_NAME &&
              !phase.phase_name().empty()
          ? phase.phase_name()
          : phase.phase_id();
  if (value.empty()) return WritebackPermanent("phase job without a phase");

  Json body = Json::object();
  body[field] = value;
  const std::string path =
      absl::StrCat("/sobjects/", SObjectName(kind), "/", record_id);
  ApiResult updated = api.Patch(path, body);
  if (!updated.ok()) return *updated.failure;
  return WritebackDone(
      absl::StrCat(updated.summary, ": ", field, " = \"", value, "\""));
}

}  // namespace cse::adapters::salesforce
