#include "sidecar/engine/critical_event_detector.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "sidecar/engine/field_condition.h"

namespace cse::engine {
namespace {

// Evidence spans cited per event.
constexpr size_t kMaxEvidence = 2;

bool PhaseAllowed(const std::vector<int>& phases, int phase_index) {
  return phases.empty() || phase_index < 0 ||
         std::find(phases.begin(), phases.end(), phase_index) != phases.end();
}

}  // namespace

std::vector<DetectedEvent> DetectCriticalEvents(
    const CompiledMapping& m, const EventView& event, const ScannedText& scan,
    int phase_index, std::vector<RuleTrace>* traces) {
  std::vector<DetectedEvent> out;
  for (size_t i = 0; i < m.detectors().size(); ++i) {
    const CompiledDetector& det = m.detectors()[i];
    absl::InlinedVector<const PatternHit*, 8> hits;
    HitsOf(scan, det.patterns, &hits);
    std::stable_sort(hits.begin(), hits.end(),
                     [&m](const PatternHit* a, const PatternHit* b) {
                       return m.patterns()[a->pattern].weight >
                              m.patterns()[b->pattern].weight;
                     });
    const CompiledCondition* held = nullptr;
    const CompiledCondition* partial = nullptr;
    for (const auto& c : det.conditions) {
      const ConditionResult r = EvaluateCondition(c, event);
      if (r.Holds()) {
        held = &c;
        break;
      }
      if (r.Partial() && partial == nullptr) partial = &c;
    }
    const bool text = !hits.empty();
    const bool cond = held != nullptr;
    const bool fires =
        det.require_text_and_condition ? (text && cond) : (text || cond);
    const bool phase_ok = PhaseAllowed(det.phases, phase_index);

    if (traces != nullptr && (text || cond || partial != nullptr)) {
      RuleTrace t;
      t.rule_type = "critical_event";
      t.rule_id = det.id;
      t.outcome =
          fires && phase_ok ? TraceOutcome::kFired : TraceOutcome::kNearMiss;
      if (text) {
        t.has_evidence = true;
        t.evidence = MakeEvidence(scan, event, *hits.front());
        absl::StrAppend(&t.detail, "text pattern ",
                        m.patterns()[hits.front()->pattern].id, " matched");
      }
      if (cond) {
        absl::StrAppend(&t.detail, t.detail.empty() ? "" : "; ",
                        "condition held: ", held->display);
      } else if (partial != nullptr) {
        absl::StrAppend(&t.detail, t.detail.empty() ? "" : "; ",
                        "condition partly held: ", partial->display);
      }
      if (!fires && det.require_text_and_condition) {
        absl::StrAppend(&t.detail, "; needs both text and a condition");
      } else if (fires && !phase_ok) {
        absl::StrAppend(&t.detail, "; not detected in this phase");
      }
      if (!fires && !cond && partial != nullptr && !text) {
        t.outcome = TraceOutcome::kNearMiss;
      }
      traces->push_back(std::move(t));
    }
    if (!fires || !phase_ok) continue;

    DetectedEvent ev;
    ev.type = det.id;
    ev.name = det.name;
    ev.polarity = det.polarity;
    ev.definition_index = static_cast<int>(i);
    const size_t cited = std::min(hits.size(), kMaxEvidence);
    ev.evidence.reserve(cited);
    ev.because.reserve(cited + (cond ? 1 : 0));
    for (size_t k = 0; k < hits.size() && k < kMaxEvidence; ++k) {
      Evidence e = MakeEvidence(scan, event, *hits[k]);
      Reason r;
      r.kind = ReasonKind::kTextSignal;
      r.rule_id = m.patterns()[hits[k]->pattern].id;
      r.weight = m.patterns()[hits[k]->pattern].weight;
      r.description = absl::StrCat("text in ", TextFieldName(hits[k]->field),
                                   ": \"", MatchedText(scan, *hits[k]), "\"");
      r.has_evidence = true;
      r.evidence = e;
      ev.evidence.push_back(std::move(e));
      ev.because.push_back(std::move(r));
    }
    if (cond) {
      Reason r;
      r.kind = ReasonKind::kCondition;
      r.rule_id = det.id;
      r.description = absl::StrCat("condition: ", held->display);
      ev.because.push_back(std::move(r));
    }
    out.push_back(std::move(ev));
  }
  return out;
}

}  // namespace cse::engine
