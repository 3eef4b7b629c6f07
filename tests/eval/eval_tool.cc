#include "tests/eval/eval_tool.h"

#include <map>
#include <set>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sidecar/cli/local_assessor.h"
#include "sidecar/cli/mapping_source.h"
#include "tests/eval/dataset.h"
#include "tests/eval/metrics.h"
#include "tests/eval/report.h"

#ifndef CSE_EVAL_DATA_DIR
#define CSE_EVAL_DATA_DIR "tests/eval/data"
#endif

namespace cse::eval {
namespace {

// Labels the mapping does not know can never be matched: usually a typo in
// the dataset, or a dataset made for another phase model. Warn, don't fail,
// so a different mapping can still be measured.
void WarnUnknownIds(const engine::CompiledMapping& mapping,
                    const std::vector<DatasetItem>& items, std::ostream& err) {
  std::set<std::string> phases, events, practices;
  for (const auto& p : mapping.phases()) phases.insert(p.id);
  for (const auto& d : mapping.detectors()) events.insert(d.id);
  for (const auto& p : mapping.practices()) practices.insert(p.id);
  std::map<std::string, std::set<std::string>> unknown;
  for (const DatasetItem& item : items) {
    if (phases.count(item.expected.phase) == 0) {
      unknown["phase"].insert(item.expected.phase);
    }
    for (const std::string& e : item.expected.critical_events) {
      if (events.count(e) == 0) unknown["critical event"].insert(e);
    }
    for (const std::string& p : item.expected.practices) {
      if (practices.count(p) == 0) unknown["practice"].insert(p);
    }
  }
  for (const auto& [what, ids] : unknown) {
    err << "warning: expected " << what
        << " ids the mapping does not define: " << absl::StrJoin(ids, ", ")
        << "\n";
  }
}

}  // namespace

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

  WarnUnknownIds(*mapping->compiled, *items, err);

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
