// The generic webhook adapter's factory: builds a GenericWebhookAdapter
// from CrmConfig.generic_webhook. Registered in adapters/builtin_adapters.cc.
#ifndef CSE_ADAPTERS_GENERIC_WEBHOOK_FACTORY_H_
#define CSE_ADAPTERS_GENERIC_WEBHOOK_FACTORY_H_

#include <memory>

#include "adapters/crm_adapter_factory.h"

namespace cse::adapters {

std::unique_ptr<cse::adapters::CrmAdapterFactory>
NewGenericWebhookAdapterFactory();

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_GENERIC_WEBHOOK_FACTORY_H_
