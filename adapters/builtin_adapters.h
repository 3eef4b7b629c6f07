// RegisterBuiltinAdapters: the one list of the CRM adapters this build
// ships. Adding an adapter means one line in builtin_adapters.cc.
#ifndef CSE_ADAPTERS_BUILTIN_ADAPTERS_H_
#define CSE_ADAPTERS_BUILTIN_ADAPTERS_H_

#include "absl/status/status.h"
#include "adapters/adapter_registry.h"

namespace cse::adapters {

absl::Status RegisterBuiltinAdapters(AdapterRegistry& registry);

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_BUILTIN_ADAPTERS_H_
