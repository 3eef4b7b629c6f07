// The Zendesk adapter's factory: validates `crms[i].zendesk` and builds a
// ZendeskAdapter from it (adapters/builtin_adapters.cc registers it).
#ifndef CSE_ADAPTERS_ZENDESK_FACTORY_H_
#define CSE_ADAPTERS_ZENDESK_FACTORY_H_

#include <memory>

#include "adapters/crm_adapter_factory.h"

namespace cse::adapters {

// kind() "zendesk".
std::unique_ptr<cse::adapters::CrmAdapterFactory> NewZendeskAdapterFactory();

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_ZENDESK_FACTORY_H_
