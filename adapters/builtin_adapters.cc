#include "adapters/builtin_adapters.h"

#include <memory>

#include "adapters/request_tracker/factory.h"

namespace cse::adapters {

absl::Status RegisterBuiltinAdapters(AdapterRegistry& registry) {
  // One line per adapter, in the order of CrmConfig's oneof.
  for (auto* make : {&NewRequestTrackerAdapterFactory}) {
    if (absl::Status added = registry.Register(make()); !added.ok()) {
      return added;
    }
  }
  return absl::OkStatus();
}

}  // namespace cse::adapters
