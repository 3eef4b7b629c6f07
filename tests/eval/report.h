// Prints the evaluation figures for people (text) or tools (JSON).
#ifndef CSE_TESTS_EVAL_REPORT_H_
#define CSE_TESTS_EVAL_REPORT_H_

#include <string>
#include <vector>

#include "cse/v1/assessment.pb.h"
#include "nlohmann/json.hpp"
#include "tests/eval/dataset.h"
#include "tests/eval/metrics.h"

namespace cse::eval {

inline constexpr char kHoldoutReminder[] =
    "Reminder: tune the mapping on the tune split only; the holdout split "
    "must not be used for tuning (it measures how well the tuning "
    "generalises).";

struct ReportContext {
  std::string mapping_version;
  // Phase ids in model order; rows and columns of the confusion matrices.
  std::vector<std::string> phase_ids;
  std::vector<std::string> files;
};

// The figures as text: one block per group (overall, tune, holdout,
// ticket, meeting), ratios with three decimals and their counts.
std::string RenderText(const EvalFigures& figures, const ReportContext& ctx);

// The same figures as JSON (undefined ratios are null).
nlohmann::json RenderJson(const EvalFigures& figures, const ReportContext& ctx);

// One misclassified item: expected vs got phase and events, and the
// reasons the engine gave. Empty when the item was right.
std::string RenderMiss(const DatasetItem& item, const cse::v1::Assessment& got);

}  // namespace cse::eval

#endif  // CSE_TESTS_EVAL_REPORT_H_
