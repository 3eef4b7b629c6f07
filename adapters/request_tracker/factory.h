// The Request Tracker adapter's factory (kind "request_tracker").
#ifndef CSE_ADAPTERS_REQUEST_TRACKER_FACTORY_H_
#define CSE_ADAPTERS_REQUEST_TRACKER_FACTORY_H_

#include <memory>

#include "adapters/crm_adapter_factory.h"

namespace cse::adapters {

std::unique_ptr<CrmAdapterFactory> NewRequestTrackerAdapterFactory();

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_REQUEST_TRACKER_FACTORY_H_
