// The embedded mapping texts, generated at build time into
// builtin_mappings_data.cc by embed_builtin_mappings.cmake. Internal to
// builtin_mappings.cc.
#ifndef CSE_SIDECAR_CONFIG_BUILTIN_MAPPINGS_DATA_H_
#define CSE_SIDECAR_CONFIG_BUILTIN_MAPPINGS_DATA_H_

#include <string_view>

#include "absl/types/span.h"

namespace cse::config::internal {

struct EmbeddedMapping {
  std::string_view name;
  std::string_view yaml;
};

// Every embedded mapping, in declaration order.
absl::Span<const EmbeddedMapping> EmbeddedMappings();

}  // namespace cse::config::internal

#endif  // CSE_SIDECAR_CONFIG_BUILTIN_MAPPINGS_DATA_H_
