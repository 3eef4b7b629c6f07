#include "adapters/builtin_adapters.h"

#include <memory>

#include "adapters/generic_webhook/factory.h"
#include "adapters/hubspot/factory.h"
#include "adapters/request_tracker/factory.h"
#include "adapters/salesforce/factory.h"
#include "adapters/zendesk/factory.h"

namespace cse::adapters {

absl::Status RegisterBuiltinAdapters(AdapterRegistry& registry) {
  // Every adapter of this build, in the order of CrmConfig's oneof.
  for (auto* make :
       {&NewRequestTrackerAdapterFactory, &NewZendeskAdapterFactory,
        &NewHubSpotAdapterFactory, &NewSalesforceAdapterFactory,
        &NewGenericWebhookAdapterFactory}) {
    if (absl::Status added = registry.Register(make()); !added.ok()) {
      return added;
    }
  }
  return absl::OkStatus();
}

}  // namespace cse::adapters
