#include "adapters/builtin_adapters.h"

#include <memory>

namespace cse::adapters {

absl::Status RegisterBuiltinAdapters(AdapterRegistry& registry) {
  // One line per adapter, in the order of CrmConfig's oneof.
  return absl::OkStatus();
}

}  // namespace cse::adapters
