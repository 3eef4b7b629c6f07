// ParseYamlIntoMessage: strict YAML into any protobuf message.
//
// The YAML keys are the message's proto field names, so a schema lives in
// its .proto file alone: the parser walks the descriptors. It backs the
// mapping configuration (mapping_yaml.h) and the adapter configuration.
// Every problem becomes a ConfigError at "file:line:col" with its field
// path:
//   - YAML syntax errors (at the position yaml-cpp reports);
//   - unknown keys, listing the keys the message accepts;
//   - a key given twice in one mapping, two members of one oneof;
//   - type errors ("expected a number", "expected a sequence", ...);
//   - unknown enum values. An enum takes its full value name
//     (`POLARITY_NEGATIVE`) or the lower-case suffix (`negative`);
//   - strings that are not valid UTF-8.
// A key with no value (`name:` or `name: ~`) leaves the field unset. Maps
// are YAML mappings. Anchors and aliases work, bounded by kMaxYamlValues;
// merge keys (`<<`) are not supported by yaml-cpp 0.7. Cross references
// and value ranges are each caller's validator's job, which locates its
// findings through the returned SourceMap.
//
// No exception escapes: yaml-cpp's are caught and reported as errors.
//
// Example:
//   cse::adapters::v1::AdapterConfig config;
//   ProtoYamlParse parsed =
//       ParseYamlIntoMessage(text, "adapter.yaml", 1 << 20, &config);
//   if (!parsed.errors.empty()) { /* report; config is cleared */ }
#ifndef CSE_SIDECAR_CONFIG_PROTO_YAML_H_
#define CSE_SIDECAR_CONFIG_PROTO_YAML_H_

#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "sidecar/config/config_error.h"
#include "sidecar/config/source_map.h"

namespace cse::config {

// Most YAML values one parse visits. Aliases can make a small file expand
// into a huge tree; this bounds the work.
inline constexpr int kMaxYamlValues = 1'000'000;

struct ProtoYamlParse {
  // Where each field path was written (1-based line and column).
  SourceMap source_map;
  // Empty when the text parsed; the message is meaningful only then (it is
  // cleared otherwise).
  std::vector<ConfigError> errors;
};

// Parses `yaml` into `*message` (merged into what it holds). Texts longer
// than `max_bytes` are refused unread. `filename` is used only in error
// locations.
ProtoYamlParse ParseYamlIntoMessage(absl::string_view yaml,
                                    absl::string_view filename,
                                    size_t max_bytes,
                                    google::protobuf::Message* message);

}  // namespace cse::config

#endif  // CSE_SIDECAR_CONFIG_PROTO_YAML_H_
