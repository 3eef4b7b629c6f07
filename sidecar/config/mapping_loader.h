// Loading the admin's mapping configuration: the public entry points.
//
// A mapping arrives as YAML (a file, or the text of an admin RPC) or as a
// MappingConfig proto (the admin RPC's structured form). Either way it is
// parsed strictly (mapping_yaml.h) and validated (mapping_validator.h); any
// problem fails the load with INVALID_ARGUMENT and nothing is returned, so
// a broken mapping can never replace a working one. The message lists the
// problems one per line ("file:12:5: field.path: message"), at most
// kMaxListedConfigErrors, then "... and N more"; pass `errors` to get them
// all as values.
//
// A loaded mapping carries a version, "<label>@<hash12>": the admin's
// `version` label ("unlabelled" when empty) and the first 12 hex digits of
// ContentHash. Equivalent files (key order, white space, comments, enum
// spelling) give the same hash.
//
// Example:
//   std::vector<ConfigError> errors;
//   absl::StatusOr<LoadedMapping> loaded =
//       LoadMappingFile("/etc/cse/mapping.yaml", &errors);
//   if (!loaded.ok()) { for (const auto& e : errors) Log(e.ToString()); }
//   else Apply(loaded->config, loaded->version);
#ifndef CSE_SIDECAR_CONFIG_MAPPING_LOADER_H_
#define CSE_SIDECAR_CONFIG_MAPPING_LOADER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "cse/config/v1/mapping.pb.h"
#include "sidecar/config/config_error.h"

namespace cse::config {

struct LoadedMapping {
  cse::config::v1::MappingConfig config;
  // "<label>@<hash12>", e.g. "acme-2026-11-24.1@3f2a9c0d41be".
  std::string version;
  // ContentHash(config): 64 lower-case hex digits.
  std::string content_hash;
};

// Parses and validates mapping YAML. `filename` names the source in error
// locations ("mapping.yaml:7:5").
absl::StatusOr<LoadedMapping> LoadMappingYaml(
    std::string_view yaml, std::string_view filename,
    std::vector<ConfigError>* errors = nullptr);

// Reads `path` and loads it as LoadMappingYaml does. A file that cannot be
// read gives NOT_FOUND, PERMISSION_DENIED (or the code of its errno) and no
// ConfigErrors.
absl::StatusOr<LoadedMapping> LoadMappingFile(
    const std::string& path, std::vector<ConfigError>* errors = nullptr);

// Validates a mapping given as a proto (the admin RPC path). Errors have
// field paths but no locations.
absl::StatusOr<LoadedMapping> LoadMappingProto(
    const cse::config::v1::MappingConfig& config,
    std::vector<ConfigError>* errors = nullptr);

// Hex SHA-256 of the deterministic serialisation of `config`.
std::string ContentHash(const cse::config::v1::MappingConfig& config);

}  // namespace cse::config

#endif  // CSE_SIDECAR_CONFIG_MAPPING_LOADER_H_
