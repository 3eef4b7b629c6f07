// ConfigError: one problem found in a mapping configuration.
//
// The YAML parser and the validator both report problems as ConfigError
// values. Each names where the problem is (`location`, "file:line:col" when
// the source is known), which field (`field_path`, e.g.
// `critical_events[3].patterns[0].pattern`) and what is wrong.
//
// Example:
//   ConfigError e{"mapping.yaml:12:5", "field_rules[0].phase",
//                 "unknown phase id 'onbording'"};
//   e.ToString();  // "mapping.yaml:12:5: field_rules[0].phase: unknown ..."
#ifndef CSE_SIDECAR_CONFIG_CONFIG_ERROR_H_
#define CSE_SIDECAR_CONFIG_CONFIG_ERROR_H_

#include <cstddef>
#include <string>

#include "absl/types/span.h"

namespace cse::config {

struct ConfigError {
  // "file:line:col", "file" when no line is known, or empty when the
  // configuration did not come from a file (an admin RPC's proto).
  std::string location;
  // Dotted path of the offending field, with `[i]` for list items and
  // `.key` for map entries; empty for problems of the whole file.
  std::string field_path;
  std::string message;

  // "file:12:5: field.path: message"; the parts that are empty are left out.
  std::string ToString() const;
};

// How many errors FormatConfigErrors lists before summarising the rest.
inline constexpr size_t kMaxListedConfigErrors = 20;

// Lists `errors` one per line (ToString), at most `max_listed` of them,
// then "... and N more".
std::string FormatConfigErrors(absl::Span<const ConfigError> errors,
                               size_t max_listed = kMaxListedConfigErrors);

}  // namespace cse::config

#endif  // CSE_SIDECAR_CONFIG_CONFIG_ERROR_H_
