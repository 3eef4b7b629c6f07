#include "sidecar/engine/anti_pattern_detector.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "sidecar/engine/field_condition.h"

namespace cse::engine {

std::vector<AntiPatternWarning> DetectAntiPatterns(
    const CompiledMapping& m, const EventView& event, const ScannedText& scan,
    int phase_index, const std::vector<DetectedEvent>& events,
    std::vector<RuleTrace>* traces) {
  std::vector<AntiPatternWarning> out;
  for (size_t i = 0; i < m.anti_patterns().size(); ++i) {
    const CompiledAntiPattern& ap = m.anti_patterns()[i];
    bool events_ok = true;
    for (int d : ap.requires_detectors) {
      const bool found = std::any_of(
          events.begin(), events.end(),
          [d](const DetectedEvent& e) { return e.definition_index == d; });
      if (!found) events_ok = false;
    }
    const bool phase_ok =
        ap.phases.empty() || std::find(ap.phases.begin(), ap.phases.end(),
                                       phase_index) != ap.phases.end();
    absl::InlinedVector<const PatternHit*, 8> hits;
    HitsOf(scan, ap.patterns, &hits);
    const CompiledCondition* held = nullptr;
    for (const auto& c : ap.conditions) {
      if (EvaluateCondition(c, event).Holds()) {
        held = &c;
        break;
      }
    }
    const bool needs_signal = !ap.patterns.empty() || !ap.conditions.empty();
    const bool signal_ok = !needs_signal || !hits.empty() || held != nullptr;
    const bool fires = events_ok && phase_ok && signal_ok;

    if (traces != nullptr &&
        (fires || (events_ok && !ap.requires_detectors.empty()) ||
         !hits.empty() || held != nullptr)) {
      RuleTrace t;
      t.rule_type = "anti_pattern";
      t.rule_id = ap.id;
      t.outcome = fires ? TraceOutcome::kFired : TraceOutcome::kNearMiss;
      t.detail = absl::StrCat(
          "required events ", events_ok ? "present" : "missing", "; phase ",
          phase_ok ? "matches" : "does not match", "; ",
          needs_signal ? (signal_ok ? "a pattern or condition held"
                                    : "no pattern or condition held")
                       : "no pattern needed");
      if (!hits.empty()) {
        t.has_evidence = true;
        t.evidence = MakeEvidence(scan, event, *hits.front());
      }
      traces->push_back(std::move(t));
    }
    if (!fires) continue;

    AntiPatternWarning w;
    w.id = ap.id;
    w.name = ap.name;
    w.advice = ap.advice;
    w.definition_index = static_cast<int>(i);
    for (int d : ap.requires_detectors) {
      w.because.push_back(
          {ReasonKind::kCondition,
           m.detectors()[d].id,
           absl::StrCat("critical event detected: ", m.detectors()[d].name),
           false,
           {},
           0});
    }
    if (!hits.empty()) {
      Evidence e = MakeEvidence(scan, event, *hits.front());
      w.because.push_back({ReasonKind::kTextSignal,
                           m.patterns()[hits.front()->pattern].id,
                           absl::StrCat("text: \"", e.excerpt, "\""), true, e,
                           m.patterns()[hits.front()->pattern].weight});
      w.evidence.push_back(std::move(e));
    } else if (held != nullptr) {
      w.because.push_back({ReasonKind::kCondition,
                           ap.id,
                           absl::StrCat("condition: ", held->display),
                           false,
                           {},
                           0});
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace cse::engine
