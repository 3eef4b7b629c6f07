// cse-eval: assesses every item of the labelled dataset in-process and
// reports how well the mapping agrees with the labels (see metrics.h).
//
// Example:
//   EvalOptions options;
//   options.files = {"tests/eval/data/tickets.jsonl"};
//   int code = RunEval(options, std::cout, std::cerr);
#ifndef CSE_TESTS_EVAL_EVAL_TOOL_H_
#define CSE_TESTS_EVAL_EVAL_TOOL_H_

#include <ostream>
#include <string>
#include <vector>

namespace cse::eval {

struct EvalOptions {
  std::vector<std::string> files;
  // Mapping: a YAML file, else a builtin (empty: "default").
  std::string config_path;
  std::string builtin_name;
  bool json = false;
  // List the tune split's misclassified items (never the holdout's).
  bool misses = false;
};

// 0 when the evaluation ran; 1 for a bad dataset line (file:line on `err`)
// or a mapping that does not load.
int RunEval(const EvalOptions& options, std::ostream& out, std::ostream& err);

// Parses argv (CLI11) and runs; usage errors are 2.
int EvalMain(int argc, const char* const* argv, std::ostream& out,
             std::ostream& err);

}  // namespace cse::eval

#endif  // CSE_TESTS_EVAL_EVAL_TOOL_H_
