#include "sidecar/store/phase_history.h"

namespace cse::store {

std::vector<PhaseSpan> BuildPhaseHistory(
    const std::vector<PhasePoint>& points) {
  std::vector<PhaseSpan> spans;
  for (const PhasePoint& p : points) {
    if (p.phase_id.empty()) continue;
    const bool opens =
        spans.empty() || (p.phase_id != spans.back().phase_id &&
                          p.decided_by != PhaseDecidedBy::kAccountHistory);
    if (!opens) {
      ++spans.back().event_count;
      continue;
    }
    PhaseSpan span;
    span.phase_id = p.phase_id;
    span.phase_number = p.phase_number;
    span.entered_at = p.occurred_at;
    span.entered_by_source = p.source;
    span.entered_by_event_id = p.event_id;
    span.decided_by = p.decided_by;
    span.explanation = p.explanation;
    span.event_count = 1;
    if (!spans.empty()) {
      PhaseSpan& prev = spans.back();
      prev.left_at = p.occurred_at;
      span.previous_phase_id = prev.phase_id;
      // Numbers come from the event's own model; 0 (unknown) never counts.
      span.step_back = p.phase_number > 0 && prev.phase_number > 0 &&
                       p.phase_number < prev.phase_number;
    }
    spans.push_back(std::move(span));
  }
  return spans;
}

}  // namespace cse::store
