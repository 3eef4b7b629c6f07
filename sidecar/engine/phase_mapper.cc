#include "sidecar/engine/phase_mapper.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sidecar/engine/field_condition.h"

namespace cse::engine {
namespace {

// At most this many text signals are cited as reasons for a phase.
constexpr size_t kMaxSignalReasons = 3;
// Confidence of the history layer: a guess, not an observation.
constexpr double kHistoryConfidence = 0.35;

// Text-layer confidence from the winning score and the runner-up: grows
// with the evidence (s1) and with the margin over the runner-up.
double TextConfidence(double s1, double s2) {
  const double strength = s1 / (s1 + 2.0);
  const double margin = s1 > 0 ? (s1 - s2) / s1 : 0;
  return std::min(0.95, 0.3 + 0.65 * strength * (0.5 + 0.5 * margin));
}

Reason SignalReason(const CompiledMapping& m, const ScannedText& scan,
                    const EventView& event, const PatternHit& hit) {
  const CompiledPattern& p = m.patterns()[hit.pattern];
  Reason r;
  r.kind = ReasonKind::kTextSignal;
  r.rule_id = p.id;
  r.weight = p.weight;
  r.has_evidence = true;
  r.evidence = MakeEvidence(scan, event, hit);
  r.description = absl::StrCat(
      "text signal of ", m.phases()[p.owner_index].name, " in ",
      TextFieldName(hit.field), ": \"", MatchedText(scan, hit), "\"");
  return r;
}

void SetPhase(const CompiledMapping& m, int idx, PhaseDecision* d) {
  const CompiledPhase& p = m.phases()[idx];
  d->id = p.id;
  d->name = p.name;
  d->number = p.number;
  d->decided = true;
}

}  // namespace

PhaseDecision MapPhase(const CompiledMapping& m, const EventView& event,
                       const ScannedText& scan,
                       absl::string_view last_known_phase_id,
                       std::vector<RuleTrace>* traces) {
  PhaseDecision d;
  const int last_known = m.FindPhase(last_known_phase_id);

  // Evaluate every field rule once: deciding rules form layer (a), hint
  // rules add to the text layer's scores.
  // Scratch sized for typical mappings, so most assessments do not
  // allocate for it.
  const size_t rule_count = m.field_rules().size();
  absl::InlinedVector<ConditionResult, 64> rule_results(rule_count);
  for (size_t i = 0; i < rule_count; ++i) {
    rule_results[i] = EvaluateCondition(m.field_rules()[i].when, event);
  }

  // Layer (b) first: the text scores are needed to judge agreement.
  absl::InlinedVector<double, 16> scores(m.phases().size(), 0.0);
  absl::InlinedVector<int, 16> hints;  // fired hint rules
  for (size_t i = 0; i < rule_count; ++i) {
    const CompiledFieldRule& rule = m.field_rules()[i];
    if (rule.hint_weight <= 0 || !rule_results[i].Holds()) continue;
    scores[rule.phase] += rule.hint_weight;
    hints.push_back(static_cast<int>(i));
    if (traces != nullptr) {
      traces->push_back(
          {"field_rule",
           rule.id,
           TraceOutcome::kFired,
           absl::StrFormat("hint +%.2f for %s: %s", rule.hint_weight,
                           m.phases()[rule.phase].id, rule.when.display),
           false,
           {}});
    }
  }
  for (const PatternHit& hit : scan.hits) {
    const CompiledPattern& p = m.patterns()[hit.pattern];
    if (p.owner != PatternOwner::kPhaseSignal) continue;
    scores[p.owner_index] += p.weight;
    if (traces != nullptr) {
      RuleTrace t;
      t.rule_type = "phase_signal";
      t.rule_id = p.id;
      t.outcome = TraceOutcome::kFired;
      t.detail = absl::StrFormat("+%.2f for %s", p.weight,
                                 m.phases()[p.owner_index].id);
      t.has_evidence = true;
      t.evidence = MakeEvidence(scan, event, hit);
      traces->push_back(std::move(t));
    }
  }
  // Ties go to the account's last known phase, then to model order, so the
  // answer is deterministic.
  int text_best = -1;
  double s1 = 0;
  double s2 = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    const double s = scores[i];
    if (s <= 0) continue;
    const bool better = text_best < 0 || s > s1 ||
                        (s == s1 && static_cast<int>(i) == last_known);
    if (better) {
      if (text_best >= 0) s2 = std::max(s2, s1);
      s1 = s;
      text_best = static_cast<int>(i);
    } else {
      s2 = std::max(s2, s);
    }
  }

  // Layer (a): deciding field rules.
  int winner = -1;
  for (size_t i = 0; i < rule_count; ++i) {
    const CompiledFieldRule& rule = m.field_rules()[i];
    const ConditionResult& r = rule_results[i];
    if (rule.hint_weight > 0) continue;
    if (r.Holds()) {
      if (winner < 0 || rule.priority > m.field_rules()[winner].priority) {
        winner = static_cast<int>(i);
      }
    } else if (traces != nullptr && r.Partial()) {
      traces->push_back(
          {"field_rule",
           rule.id,
           TraceOutcome::kNearMiss,
           absl::StrFormat("%d of %d parts held: %s", r.parts_matched,
                           r.parts_total, rule.when.display),
           false,
           {}});
    }
  }
  // Room for every reason below at once: the deciding rule or the hints,
  // a note on the text, and the cited signals.
  if (winner >= 0 || text_best >= 0 || last_known >= 0) {
    d.because.reserve(hints.size() + 2 + kMaxSignalReasons);
  }
  if (winner >= 0) {
    const CompiledFieldRule& best = m.field_rules()[winner];
    RuleConflict conflict;
    for (size_t i = 0; i < rule_count; ++i) {
      const CompiledFieldRule& rule = m.field_rules()[i];
      if (static_cast<int>(i) == winner || rule.hint_weight > 0) continue;
      if (!rule_results[i].Holds()) continue;
      if (traces != nullptr) {
        traces->push_back(
            {"field_rule",
             rule.id,
             TraceOutcome::kNearMiss,
             absl::StrFormat("held but lost to %s (priority %d vs %d)", best.id,
                             best.priority, rule.priority),
             false,
             {}});
      }
      if (rule.priority == best.priority && rule.phase != best.phase) {
        if (conflict.rule_ids.empty()) {
          conflict.rule_ids.push_back(best.id);
          conflict.phase_ids.push_back(m.phases()[best.phase].id);
        }
        conflict.rule_ids.push_back(rule.id);
        conflict.phase_ids.push_back(m.phases()[rule.phase].id);
      }
    }
    if (!conflict.rule_ids.empty()) {
      conflict.resolution =
          absl::StrCat("same priority ", best.priority, "; ", best.id,
                       " wins because it comes first in the mapping file");
      d.conflicts.push_back(std::move(conflict));
    }
    if (traces != nullptr) {
      traces->push_back(
          {"field_rule",
           best.id,
           TraceOutcome::kFired,
           absl::StrCat(best.when.display, " -> ", m.phases()[best.phase].id),
           false,
           {}});
    }
    SetPhase(m, best.phase, &d);
    d.decided_by = ReasonKind::kFieldRule;
    Reason r;
    r.kind = ReasonKind::kFieldRule;
    r.rule_id = best.id;
    r.weight = best.priority;
    r.description = absl::StrCat("field rule: ", best.when.display);
    d.because.push_back(std::move(r));
    if (text_best < 0 || text_best == best.phase) {
      d.confidence = text_best == best.phase ? 0.95 : 0.9;
    } else {
      d.confidence = s1 >= 2.0 ? 0.7 : 0.8;
      d.because.push_back(
          {ReasonKind::kTextSignal,
           "",
           absl::StrFormat("the text pointed to %s (score %.1f); the field "
                           "rule takes precedence",
                           m.phases()[text_best].name, s1),
           false,
           {},
           s1});
    }
  } else if (text_best >= 0) {
    SetPhase(m, text_best, &d);
    double hint_total = 0;
    for (int h : hints) {
      const CompiledFieldRule& rule = m.field_rules()[h];
      if (rule.phase != text_best) continue;
      hint_total += rule.hint_weight;
      d.because.push_back({ReasonKind::kFieldRule,
                           rule.id,
                           absl::StrCat("field rule hint: ", rule.when.display),
                           false,
                           {},
                           rule.hint_weight});
    }
    // Only hints spoke for this phase: say the field rule decided.
    d.decided_by =
        hint_total >= s1 ? ReasonKind::kFieldRule : ReasonKind::kTextSignal;
    d.confidence = TextConfidence(s1, s2);
  } else if (last_known >= 0) {
    SetPhase(m, last_known, &d);
    d.decided_by = ReasonKind::kAccountHistory;
    d.confidence = kHistoryConfidence;
    d.because.push_back({ReasonKind::kAccountHistory,
                         "",
                         "no field rule or text signal spoke; the account's "
                         "last known phase is kept",
                         false,
                         {},
                         0});
  }

  // Cite the strongest text signals of the decided phase.
  if (d.decided && d.decided_by != ReasonKind::kAccountHistory) {
    const int phase = m.FindPhase(d.id);
    absl::InlinedVector<const PatternHit*, 16> supporting;
    for (const PatternHit& hit : scan.hits) {
      const CompiledPattern& p = m.patterns()[hit.pattern];
      if (p.owner == PatternOwner::kPhaseSignal && p.owner_index == phase) {
        supporting.push_back(&hit);
      }
    }
    std::stable_sort(supporting.begin(), supporting.end(),
                     [&m](const PatternHit* a, const PatternHit* b) {
                       return m.patterns()[a->pattern].weight >
                              m.patterns()[b->pattern].weight;
                     });
    for (size_t i = 0; i < supporting.size() && i < kMaxSignalReasons; ++i) {
      d.because.push_back(SignalReason(m, scan, event, *supporting[i]));
    }
  }
  if (last_known >= 0 && d.decided && d.id != m.phases()[last_known].id) {
    d.previous_phase_id = m.phases()[last_known].id;
  }
  return d;
}

}  // namespace cse::engine
