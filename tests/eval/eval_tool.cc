#include "tests/eval/eval_tool.h"

#include <utility>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "sidecar/cli/local_assessor.h"
#include "sidecar/cli/mapping_source.h"
#include "tests/eval/dataset.h"
#include "tests/eval/metrics.h"
#include "tests/eval/report.h"

#ifndef CSE_EVAL_DATA_DIR
#define CSE_EVAL_DATA_DIR "tests/eval/data"
#endif

namespace cse::eval {

int RunEval(const EvalOptions& options, std::ostream& out, std::ostream& err) {
  std::vector<config::ConfigError> config_errors;
  absl::StatusOr<cli::ReadyMapping> mapping = cli::LoadAndCompile(
      {options.config_path, options.builtin_name}, &config_errors);
  if (!mapping.ok()) {
    for (const auto& e : config_errors) {
      err << cli::FormatConfigError(e, options.config_path) << "\n";
    }
    err << "error: mapping: " << mapping.status().message() << "\n";
    return 1;
  }

  std::vector<std::string> files = options.files;
  if (files.empty()) {
    files = {CSE_EVAL_DATA_DIR "/tickets.jsonl",
             CSE_EVAL_DATA_DIR "/meetings.jsonl"};
  }
  absl::StatusOr<std::vector<DatasetItem>> items = ReadDataset(files);
  if (!items.ok()) {
    err << "error: " << items.status().message() << "\n";
    return 1;
  }

  cli::LocalAssessor assessor(mapping->compiled);
  EvalFigures figures;
  std::string misses;
  for (DatasetItem& item : *items) {
    // Three suggestions at least, for overlap@3; no account history.
    item.request.mutable_options()->set_top_n(3);
    absl::StatusOr<cse::v1::AssessResponse> response =
        assessor.Assess(item.request);
    if (!response.ok()) {
      err << "error: " << item.location << ": " << item.id << ": "
          << absl::StatusCodeToString(response.status().code()) << ": "
          << response.status().message() << "\n";
      return 1;
    }
    figures.Add(item, response->assessment());
    if (options.misses && item.split == "tune") {
      absl::StrAppend(&misses, RenderMiss(item, response->assessment()));
    }
  }

  ReportContext ctx;
  ctx.mapping_version = mapping->compiled->version();
  for (const auto& phase : mapping->compiled->phases()) {
    ctx.phase_ids.push_back(phase.id);
  }
  ctx.files = files;
  if (options.json) {
    nlohmann::json j = RenderJson(figures, ctx);
    if (options.misses) j["tune_misses"] = misses;
    out << j.dump(2) << "\n";
    return 0;
  }
  out << RenderText(figures, ctx);
  if (options.misses) {
    out << "\nMisclassified items of the TUNE split (wrong phase or critical "
           "events):\n"
        << (misses.empty() ? std::string("  none\n") : misses) << "\n"
        << kHoldoutReminder << "\n";
  }
  return 0;
}

int EvalMain(int argc, const char* const* argv, std::ostream& out,
             std::ostream& err) {
  CLI::App app{
      "cse-eval: measure how well a mapping agrees with the labelled "
      "tickets and meetings (phase accuracy, critical-event P/R/F1, practice "
      "agreement), per split and kind. Tune on the tune split only.",
      "cse-eval"};
  EvalOptions options;
  app.add_option("files", options.files,
                 "JSONL dataset files (default: tests/eval/data/"
                 "tickets.jsonl and meetings.jsonl)");
  auto* config = app.add_option("--config", options.config_path,
                                "Evaluate this mapping YAML file");
  auto* builtin = app.add_option("--builtin", options.builtin_name,
                                 "Evaluate a builtin mapping (default: "
                                 "default)");
  config->excludes(builtin);
  app.add_flag("--json", options.json, "Print the figures as JSON");
  app.add_flag("--misses", options.misses,
               "List the tune split's misclassified items with the reasons");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? 0 : 2;
  }
  return RunEval(options, out, err);
}

}  // namespace cse::eval
