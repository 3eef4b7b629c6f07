// Loads and compiles the mapping the CLI tools assess with: a YAML file
// (--config) or a builtin mapping (--builtin, "default" when neither).
//
// Example:
//   std::vector<config::ConfigError> errors;
//   auto ready = LoadAndCompile({.config_path = "mapping.yaml"}, &errors);
//   if (!ready.ok()) for (auto& e : errors) std::cerr << FormatConfigError(e);
#ifndef CSE_SIDECAR_CLI_MAPPING_SOURCE_H_
#define CSE_SIDECAR_CLI_MAPPING_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sidecar/config/builtin_mappings.h"
#include "sidecar/config/mapping_loader.h"
#include "sidecar/engine/compiled_mapping.h"

namespace cse::cli {

struct MappingChoice {
  // A mapping YAML file; wins over builtin_name.
  std::string config_path;
  // A builtin mapping name; empty means "default".
  std::string builtin_name;
};

struct ReadyMapping {
  config::LoadedMapping loaded;
  std::shared_ptr<const engine::CompiledMapping> compiled;
};

// Loads, validates and compiles. On error, *errors (if given) gets every
// validation problem the loader found; the status says what failed.
absl::StatusOr<ReadyMapping> LoadAndCompile(
    const MappingChoice& choice, std::vector<config::ConfigError>* errors);

// `file:line:col: field.path: message`; `fallback_file` stands in when the
// error has no location.
std::string FormatConfigError(const config::ConfigError& error,
                              absl::string_view fallback_file);

}  // namespace cse::cli

#endif  // CSE_SIDECAR_CLI_MAPPING_SOURCE_H_
