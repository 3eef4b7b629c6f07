// ParseMappingYaml: reads mapping YAML into cse.config.v1.MappingConfig.
//
// The YAML keys are the proto field names, so the schema lives in
// mapping.proto alone (the generic parser is proto_yaml.h). Parsing is
// strict. Every problem becomes
// a ConfigError located at "file:line:col" with its field path:
//   - YAML syntax errors (at the position yaml-cpp reports);
//   - unknown keys, listing the keys the message accepts;
//   - a key given twice in one mapping;
//   - type errors ("expected a number", "expected a sequence", ...);
//   - unknown enum values. An enum takes its full value name
//     (`POLARITY_NEGATIVE`) or the lower-case suffix (`negative`).
// A key with no value (`name:` or `name: ~`) leaves the field unset.
// Maps (`map<string, double>`) are YAML mappings. Anchors and aliases work;
// merge keys (`<<`) are not supported by yaml-cpp 0.7 and read as an
// unknown key. Cross references and
// value ranges are the validator's job (mapping_validator.h), which locates
// its findings through the returned SourceMap.
//
// No exception escapes: yaml-cpp's are caught and reported as errors.
//
// Example:
//   MappingYamlParse parsed = ParseMappingYaml(text, "mapping.yaml");
//   if (!parsed.errors.empty()) { /* report, keep the old mapping */ }
#ifndef CSE_SIDECAR_CONFIG_MAPPING_YAML_H_
#define CSE_SIDECAR_CONFIG_MAPPING_YAML_H_

#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"
#include "cse/config/v1/mapping.pb.h"
#include "sidecar/config/config_error.h"
#include "sidecar/config/source_map.h"

namespace cse::config {

// Largest YAML text accepted, in bytes.
inline constexpr size_t kMaxMappingYamlBytes = 16 << 20;

struct MappingYamlParse {
  cse::config::v1::MappingConfig config;
  // Where each field path was written (1-based line and column).
  SourceMap source_map;
  // Empty when the text parsed; `config` is meaningful only then.
  std::vector<ConfigError> errors;
};

// Parses `yaml`; `filename` is used only in error locations.
MappingYamlParse ParseMappingYaml(absl::string_view yaml,
                                  absl::string_view filename);

}  // namespace cse::config

#endif  // CSE_SIDECAR_CONFIG_MAPPING_YAML_H_
