// Loading and validating the adapter process's configuration.
//
// The YAML is parsed strictly into cse.adapters.v1.AdapterConfig
// (sidecar/config/proto_yaml.h), then checked: the shared sections here,
// each CRM section by its factory's Validate. Every error names
// `file:line:col: field.path: what is wrong`, e.g.
//   adapter.yaml:7:5: crms[1].name: 'zendesk' is used twice
#ifndef CSE_ADAPTERS_RUNTIME_ADAPTER_CONFIG_H_
#define CSE_ADAPTERS_RUNTIME_ADAPTER_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "adapters/adapter_registry.h"
#include "cse/adapters/v1/adapter_config.pb.h"
#include "sidecar/config/config_error.h"

namespace cse::adapters {

// The CrmConfig oneof member set ("zendesk", ...), or "" when none is.
std::string CrmKind(const cse::adapters::v1::CrmConfig& crm);

// Problems of `config` (locations left empty).
std::vector<config::ConfigError> ValidateAdapterConfig(
    const cse::adapters::v1::AdapterConfig& config,
    const AdapterRegistry& registry);

// Parses and validates YAML text; INVALID_ARGUMENT lists every problem.
absl::StatusOr<cse::adapters::v1::AdapterConfig> ParseAdapterConfig(
    absl::string_view yaml, absl::string_view filename,
    const AdapterRegistry& registry);

// Reads `path` and parses it.
absl::StatusOr<cse::adapters::v1::AdapterConfig> LoadAdapterConfigFile(
    const std::string& path, const AdapterRegistry& registry);

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_RUNTIME_ADAPTER_CONFIG_H_
