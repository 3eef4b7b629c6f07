#include "sidecar/config/builtin_mappings.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sidecar/config/builtin_mappings_data.h"

namespace cse::config {

std::string_view BuiltinMappingYaml(std::string_view name) {
  for (const internal::EmbeddedMapping& m : internal::EmbeddedMappings()) {
    if (m.name == name) return m.yaml;
  }
  return {};
}

std::vector<std::string> BuiltinMappingNames() {
  std::vector<std::string> names;
  for (const internal::EmbeddedMapping& m : internal::EmbeddedMappings()) {
    names.emplace_back(m.name);
  }
  return names;
}

absl::StatusOr<LoadedMapping> LoadBuiltinMapping(std::string_view name) {
  for (const internal::EmbeddedMapping& m : internal::EmbeddedMappings()) {
    if (m.name == name) {
      return LoadMappingYaml(m.yaml,
                             absl::StrCat("builtin:", std::string(name)));
    }
  }
  return absl::NotFoundError(absl::StrCat(
      "no builtin mapping '", std::string(name),
      "'; builtin mappings: ", absl::StrJoin(BuiltinMappingNames(), ", ")));
}

}  // namespace cse::config
