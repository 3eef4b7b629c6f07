#include "sidecar/engine/practice_outcomes.h"

#include <algorithm>
#include <limits>

namespace cse::engine {
namespace {

// Counts saturate rather than wrap: a wrapped total would turn a
// well-proven practice into an unproven one.
uint32_t SaturatingAdd(uint32_t a, uint32_t b) {
  return b > std::numeric_limits<uint32_t>::max() - a
             ? std::numeric_limits<uint32_t>::max()
             : a + b;
}

}  // namespace

void PracticeOutcomeStats::Add(absl::string_view phase_id,
                               absl::string_view event_type,
                               absl::string_view practice_id, uint32_t worked,
                               uint32_t total) {
  total = std::max(total, worked);
  auto it = cells_.find(KeyView{phase_id, event_type, practice_id});
  if (it == cells_.end()) {
    it = cells_
             .emplace(Key{std::string(phase_id), std::string(event_type),
                          std::string(practice_id)},
                      OutcomeCounts{})
             .first;
  }
  it->second.worked = SaturatingAdd(it->second.worked, worked);
  it->second.total = SaturatingAdd(it->second.total, total);
}

const OutcomeCounts* PracticeOutcomeStats::Find(
    absl::string_view phase_id, absl::string_view event_type,
    absl::string_view practice_id) const {
  auto it = cells_.find(KeyView{phase_id, event_type, practice_id});
  return it == cells_.end() ? nullptr : &it->second;
}

}  // namespace cse::engine
