#include "sidecar/config/source_map.h"

#include <utility>

namespace cse::config {

void SourceMap::Record(std::string field_path, SourcePosition position) {
  positions_.emplace(std::move(field_path), position);
}

std::optional<SourcePosition> SourceMap::Find(
    absl::string_view field_path) const {
  auto it = positions_.find(field_path);
  if (it == positions_.end()) return std::nullopt;
  return it->second;
}

std::optional<SourcePosition> SourceMap::FindNearest(
    absl::string_view field_path) const {
  while (!field_path.empty()) {
    if (auto found = Find(field_path)) return found;
    field_path = ParentFieldPath(field_path);
  }
  return std::nullopt;
}

absl::string_view ParentFieldPath(absl::string_view field_path) {
  const size_t cut = field_path.find_last_of(".[");
  if (cut == absl::string_view::npos) return absl::string_view();
  return field_path.substr(0, cut);
}

}  // namespace cse::config
