// AdapterRegistry: CRM kind name -> the factory that builds it.
//
// Filled in one place (builtin_adapters.cc). A second registration of a
// kind is refused, so two adapters can never silently claim one config
// section.
//
// Example:
//   AdapterRegistry registry;
//   RegisterBuiltinAdapters(registry);
//   const CrmAdapterFactory* f = registry.Find("zendesk");
#ifndef CSE_ADAPTERS_ADAPTER_REGISTRY_H_
#define CSE_ADAPTERS_ADAPTER_REGISTRY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "adapters/crm_adapter_factory.h"

namespace cse::adapters {

class AdapterRegistry {
 public:
  // ALREADY_EXISTS when the factory's kind is registered already.
  absl::Status Register(std::unique_ptr<CrmAdapterFactory> factory);
  // nullptr when no factory has that kind.
  const CrmAdapterFactory* Find(absl::string_view kind) const;
  // Registered kinds, sorted (for --help and error messages).
  std::vector<std::string> Kinds() const;

 private:
  absl::flat_hash_map<std::string, std::unique_ptr<CrmAdapterFactory>>
      factories_;
};

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_ADAPTER_REGISTRY_H_
