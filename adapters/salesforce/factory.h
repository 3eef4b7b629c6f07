// The Salesforce adapter's factory: validates `crms[i].salesforce` and
// builds a SalesforceAdapter from it (adapters/builtin_adapters.cc
// registers it).
#ifndef CSE_ADAPTERS_SALESFORCE_FACTORY_H_
#define CSE_ADAPTERS_SALESFORCE_FACTORY_H_

#include <memory>

#include "adapters/crm_adapter_factory.h"

namespace cse::adapters {

// kind() "salesforce".
std::unique_ptr<cse::adapters::CrmAdapterFactory> NewSalesforceAdapterFactory();

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_SALESFORCE_FACTORY_H_
