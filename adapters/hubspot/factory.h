// The HubSpot adapter's factory: validates CrmConfig.hubspot, reads its
// secrets and builds a HubSpotAdapter. Registered in
// adapters/builtin_adapters.cc under the kind "hubspot".
#ifndef CSE_ADAPTERS_HUBSPOT_FACTORY_H_
#define CSE_ADAPTERS_HUBSPOT_FACTORY_H_

#include <memory>

#include "adapters/crm_adapter_factory.h"

namespace cse::adapters {

std::unique_ptr<cse::adapters::CrmAdapterFactory> NewHubSpotAdapterFactory();

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_HUBSPOT_FACTORY_H_
