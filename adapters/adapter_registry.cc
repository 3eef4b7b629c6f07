#include "adapters/adapter_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace cse::adapters {

absl::Status AdapterRegistry::Register(
    std::unique_ptr<CrmAdapterFactory> factory) {
  std::string kind(factory->kind());
  auto [it, inserted] = factories_.try_emplace(kind, std::move(factory));
  if (!inserted) {
    return absl::AlreadyExistsError(
        absl::StrCat("adapter kind '", kind, "' is registered twice"));
  }
  return absl::OkStatus();
}

const CrmAdapterFactory* AdapterRegistry::Find(absl::string_view kind) const {
  auto it = factories_.find(kind);
  return it == factories_.end() ? nullptr : it->second.get();
}

std::vector<std::string> AdapterRegistry::Kinds() const {
  std::vector<std::string> kinds;
  kinds.reserve(factories_.size());
  for (const auto& [kind, factory] : factories_) kinds.push_back(kind);
  std::sort(kinds.begin(), kinds.end());
  return kinds;
}

}  // namespace cse::adapters
