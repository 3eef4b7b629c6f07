// The mappings shipped inside the binary.
//
// The YAML files in sidecar/config/defaults/ are embedded at build time
// (embed_builtin_mappings.cmake), so the sidecar runs with a sensible
// mapping before an admin supplies one and the CLI can print them as a
// starting point:
//   "default"      the research's phase model and the ten practices;
//   "four_stage"   a four-phase journey;
//   "three_stage"  a three-phase journey.
//
// Example:
//   absl::StatusOr<LoadedMapping> m = LoadBuiltinMapping("default");
//   std::cout << BuiltinMappingYaml("three_stage");
#ifndef CSE_SIDECAR_CONFIG_BUILTIN_MAPPINGS_H_
#define CSE_SIDECAR_CONFIG_BUILTIN_MAPPINGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "sidecar/config/mapping_loader.h"

namespace cse::config {

// The embedded YAML text of `name`; empty for an unknown name.
std::string_view BuiltinMappingYaml(std::string_view name);

// The names of the embedded mappings, in the order they were declared.
std::vector<std::string> BuiltinMappingNames();

// Parses and validates the embedded mapping `name`; errors are located at
// "builtin:<name>:line:col". NOT_FOUND for an unknown name.
absl::StatusOr<LoadedMapping> LoadBuiltinMapping(std::string_view name);

}  // namespace cse::config

#endif  // CSE_SIDECAR_CONFIG_BUILTIN_MAPPINGS_H_
