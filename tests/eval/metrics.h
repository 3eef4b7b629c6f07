// The evaluation figures: phase accuracy and confusion, critical-event
// precision/recall/F1, practice agreement, and which layer decided the
// phase. Accumulated per group (overall, each split, each kind).
//
// Definitions (one item = one event):
//   phase accuracy   correct phases / items
//   critical events  micro: tp, fp, fn summed over items, comparing the sets
//                    of detected and expected types; per type the same
//                    counts for that type, support = expected occurrences
//   top-1            items whose first suggestion is in the expected set /
//                    items with expected practices
//   overlap@3        mean over items with expected practices of
//                    |top-3 suggestions ∩ expected| / |expected|
#ifndef CSE_TESTS_EVAL_METRICS_H_
#define CSE_TESTS_EVAL_METRICS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cse/v1/assessment.pb.h"
#include "tests/eval/dataset.h"

namespace cse::eval {

// Phase id shown for an undecided phase.
inline constexpr char kNoPhase[] = "(none)";

struct Counts {
  int tp = 0;
  int fp = 0;
  int fn = 0;
  // nullopt when undefined (nothing predicted / nothing expected).
  std::optional<double> Precision() const;
  std::optional<double> Recall() const;
  std::optional<double> F1() const;
  int Support() const { return tp + fn; }
};

struct GroupFigures {
  int items = 0;
  int phase_correct = 0;
  // (expected, got) -> count.
  std::map<std::pair<std::string, std::string>, int> confusion;
  // "field_rule", "text_signal", "account_history", "undecided" -> count.
  std::map<std::string, int> decided_by;
  Counts events;
  std::map<std::string, Counts> event_types;
  int practice_items = 0;
  int top1_hits = 0;
  double overlap3_sum = 0;

  double PhaseAccuracy() const;
  std::optional<double> Top1() const;
  std::optional<double> OverlapAt3() const;
};

// The layer label of a phase decision (see GroupFigures::decided_by).
std::string DecidedByLabel(const cse::v1::PhaseAssessment& phase);

// Adds one assessed item to `figures`.
void Accumulate(const DatasetItem& item, const cse::v1::Assessment& got,
                GroupFigures* figures);

// The groups reported, in this order.
inline const std::vector<std::string>& GroupNames() {
  static const auto* names = new std::vector<std::string>{
      "overall", "tune", "holdout", "ticket", "meeting"};
  return *names;
}

// The figures of every group an item belongs to: overall, its split, its
// kind.
struct EvalFigures {
  std::map<std::string, GroupFigures> groups;
  void Add(const DatasetItem& item, const cse::v1::Assessment& got);
};

}  // namespace cse::eval

#endif  // CSE_TESTS_EVAL_METRICS_H_
