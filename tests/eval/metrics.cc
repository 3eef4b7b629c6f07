#include "tests/eval/metrics.h"

#include <algorithm>
#include <set>

namespace cse::eval {

std::optional<double> Counts::Precision() const {
  if (tp + fp == 0) return std::nullopt;
  return static_cast<double>(tp) / (tp + fp);
}

std::optional<double> Counts::Recall() const {
  if (tp + fn == 0) return std::nullopt;
  return static_cast<double>(tp) / (tp + fn);
}

std::optional<double> Counts::F1() const {
  // 2tp / (2tp + fp + fn): equal to the harmonic mean when both are
  // defined, and 0 rather than undefined when one of them is 0.
  if (tp + fp + fn == 0) return std::nullopt;
  return 2.0 * tp / (2.0 * tp + fp + fn);
}

double GroupFigures::PhaseAccuracy() const {
  return items == 0 ? 0 : static_cast<double>(phase_correct) / items;
}

std::optional<double> GroupFigures::Top1() const {
  if (practice_items == 0) return std::nullopt;
  return static_cast<double>(top1_hits) / practice_items;
}

std::optional<double> GroupFigures::OverlapAt3() const {
  if (practice_items == 0) return std::nullopt;
  return overlap3_sum / practice_items;
}

std::string DecidedByLabel(const cse::v1::PhaseAssessment& phase) {
  if (phase.id().empty()) return "undecided";
  switch (phase.decided_by()) {
    case cse::v1::REASON_KIND_FIELD_RULE:
      return "field_rule";
    case cse::v1::REASON_KIND_TEXT_SIGNAL:
      return "text_signal";
    case cse::v1::REASON_KIND_ACCOUNT_HISTORY:
      return "account_history";
    default:
      return "other";
  }
}

void Accumulate(const DatasetItem& item, const cse::v1::Assessment& got,
                GroupFigures* f) {
  ++f->items;
  const std::string got_phase =
      got.phase().id().empty() ? std::string(kNoPhase) : got.phase().id();
  if (got_phase == item.expected.phase) ++f->phase_correct;
  ++f->confusion[{item.expected.phase, got_phase}];
  ++f->decided_by[DecidedByLabel(got.phase())];

  // Sets: a type counts once per item however often it was detected.
  const std::set<std::string> expected(item.expected.critical_events.begin(),
                                       item.expected.critical_events.end());
  std::set<std::string> detected;
  for (const cse::v1::CriticalEvent& e : got.critical_events()) {
    detected.insert(e.type());
  }
  for (const std::string& type : detected) {
    const bool hit = expected.count(type) > 0;
    Counts& c = f->event_types[type];
    (hit ? c.tp : c.fp)++;
    (hit ? f->events.tp : f->events.fp)++;
  }
  for (const std::string& type : expected) {
    if (detected.count(type) > 0) continue;
    ++f->event_types[type].fn;
    ++f->events.fn;
  }

  if (!item.expected.practices.empty()) {
    const std::set<std::string> want(item.expected.practices.begin(),
                                     item.expected.practices.end());
    ++f->practice_items;
    if (got.suggestions_size() > 0 &&
        want.count(got.suggestions(0).practice_id()) > 0) {
      ++f->top1_hits;
    }
    std::set<std::string> top3;
    for (int i = 0; i < got.suggestions_size() && i < 3; ++i) {
      top3.insert(got.suggestions(i).practice_id());
    }
    int overlap = 0;
    for (const std::string& p : want) overlap += top3.count(p) > 0 ? 1 : 0;
    f->overlap3_sum += static_cast<double>(overlap) / want.size();
  }
}

void EvalFigures::Add(const DatasetItem& item, const cse::v1::Assessment& got) {
  Accumulate(item, got, &groups["overall"]);
  Accumulate(item, got, &groups[item.split]);
  Accumulate(item, got, &groups[item.kind]);
}

}  // namespace cse::eval
