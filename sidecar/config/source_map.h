// SourceMap: where each field of a parsed configuration was written.
//
// The YAML parser records the 1-based line and column of every key, list
// item and map entry it reads, keyed by field path
// (`phase_model.phases[2].practice_priors.P4`). Problems found later, by the
// validator on the proto alone, are located through this map: the exact
// path when it was recorded, else its nearest recorded ancestor (a default
// value has no line of its own, but the message that holds it does).
//
// Example:
//   SourceMap map;
//   map.Record("field_rules[0]", {12, 5});
//   map.FindNearest("field_rules[0].when");  // {12, 5}
#ifndef CSE_SIDECAR_CONFIG_SOURCE_MAP_H_
#define CSE_SIDECAR_CONFIG_SOURCE_MAP_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace cse::config {

// A position in a source file, 1-based.
struct SourcePosition {
  int line = 0;
  int column = 0;
};

class SourceMap {
 public:
  // Remembers where `field_path` was written; the first record of a path
  // wins.
  void Record(std::string field_path, SourcePosition position);

  // The position of exactly `field_path`, if recorded.
  std::optional<SourcePosition> Find(absl::string_view field_path) const;

  // The position of `field_path` or of its nearest recorded ancestor.
  std::optional<SourcePosition> FindNearest(absl::string_view field_path) const;

  size_t size() const { return positions_.size(); }

 private:
  absl::flat_hash_map<std::string, SourcePosition> positions_;
};

// The enclosing field path: "a.b[2]" -> "a.b", "a.b" -> "a", "a" -> "".
absl::string_view ParentFieldPath(absl::string_view field_path);

}  // namespace cse::config

#endif  // CSE_SIDECAR_CONFIG_SOURCE_MAP_H_
