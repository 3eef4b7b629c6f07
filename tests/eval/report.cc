#include "tests/eval/report.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "sidecar/cli/render.h"

namespace cse::eval {
namespace {

std::string Ratio(std::optional<double> r) {
  return r.has_value() ? absl::StrFormat("%.3f", *r) : std::string("n/a");
}

nlohmann::json JsonRatio(std::optional<double> r) {
  return r.has_value() ? nlohmann::json(*r) : nlohmann::json(nullptr);
}

// Model phases first, then any other label seen (unknown expected ids,
// "(none)").
std::vector<std::string> MatrixLabels(const GroupFigures& g,
                                      const ReportContext& ctx) {
  std::vector<std::string> labels = ctx.phase_ids;
  std::set<std::string> extra;
  for (const auto& [key, count] : g.confusion) {
    for (const std::string& label : {key.first, key.second}) {
      if (std::find(labels.begin(), labels.end(), label) == labels.end()) {
        extra.insert(label);
      }
    }
  }
  extra.erase(kNoPhase);
  labels.insert(labels.end(), extra.begin(), extra.end());
  labels.push_back(kNoPhase);
  return labels;
}

void AppendConfusion(const GroupFigures& g, const ReportContext& ctx,
                     std::string* out) {
  const std::vector<std::string> labels = MatrixLabels(g, ctx);
  size_t width = 8;
  for (const std::string& l : labels) width = std::max(width, l.size());
  absl::StrAppend(out,
                  "  confusion (rows: expected, columns: got, by number):\n");
  absl::StrAppend(out, "    ", std::string(width + 4, ' '));
  for (size_t c = 0; c < labels.size(); ++c) {
    absl::StrAppend(out, absl::StrFormat("%5s", labels[c] == kNoPhase
                                                    ? std::string("none")
                                                    : absl::StrCat(c + 1)));
  }
  absl::StrAppend(out, "\n");
  for (size_t r = 0; r < labels.size(); ++r) {
    const bool row_empty = std::none_of(
        g.confusion.begin(), g.confusion.end(),
        [&](const auto& kv) { return kv.first.first == labels[r]; });
    if (row_empty && labels[r] == kNoPhase) continue;  // never expected
    absl::StrAppend(
        out, absl::StrFormat(
                 "    %2s %-*s",
                 labels[r] == kNoPhase ? std::string("") : absl::StrCat(r + 1),
                 static_cast<int>(width + 1), labels[r]));
    for (const std::string& col : labels) {
      const auto it = g.confusion.find({labels[r], col});
      absl::StrAppend(out,
                      absl::StrFormat("%5s", it == g.confusion.end()
                                                 ? std::string(".")
                                                 : absl::StrCat(it->second)));
    }
    absl::StrAppend(out, "\n");
  }
}

const std::vector<std::pair<std::string, std::string>>& Layers() {
  static const auto* layers =
      new std::vector<std::pair<std::string, std::string>>{
          {"field_rule", "field rule"},
          {"text_signal", "text signals"},
          {"account_history", "account history"},
          {"undecided", "undecided"},
          {"other", "other"}};
  return *layers;
}

void AppendGroup(const std::string& name, const GroupFigures& g,
                 const ReportContext& ctx, std::string* out) {
  absl::StrAppend(out, "\n== ", name, " (", g.items, " item",
                  g.items == 1 ? "" : "s", ") ==\n");
  absl::StrAppend(
      out, absl::StrFormat("phase accuracy: %.3f (%d/%d)\n", g.PhaseAccuracy(),
                           g.phase_correct, g.items));
  std::vector<std::string> layers;
  for (const auto& [key, label] : Layers()) {
    const auto it = g.decided_by.find(key);
    const int n = it == g.decided_by.end() ? 0 : it->second;
    if (n == 0 && key == "other") continue;
    layers.push_back(absl::StrFormat(
        "%s %.3f (%d)", label, g.items == 0 ? 0.0 : double(n) / g.items, n));
  }
  absl::StrAppend(out, "phase decided by: ", absl::StrJoin(layers, ", "), "\n");
  absl::StrAppend(out, "critical events: micro precision ",
                  Ratio(g.events.Precision()), " recall ",
                  Ratio(g.events.Recall()), " F1 ", Ratio(g.events.F1()),
                  absl::StrFormat(" (tp %d, fp %d, fn %d)\n", g.events.tp,
                                  g.events.fp, g.events.fn));
  if (!g.event_types.empty()) {
    size_t width = 4;
    for (const auto& [type, c] : g.event_types) {
      width = std::max(width, type.size());
    }
    absl::StrAppend(out, absl::StrFormat("  %-*s  precision  recall  support\n",
                                         static_cast<int>(width), "type"));
    for (const auto& [type, c] : g.event_types) {
      absl::StrAppend(out, absl::StrFormat("  %-*s  %9s  %6s  %7d\n",
                                           static_cast<int>(width), type,
                                           Ratio(c.Precision()),
                                           Ratio(c.Recall()), c.Support()));
    }
  }
  absl::StrAppend(out, "practices: top-1 ", Ratio(g.Top1()),
                  absl::StrFormat(" (%d/%d)", g.top1_hits, g.practice_items),
                  ", overlap@3 ", Ratio(g.OverlapAt3()),
                  absl::StrFormat(" (%d item%s)\n", g.practice_items,
                                  g.practice_items == 1 ? "" : "s"));
  AppendConfusion(g, ctx, out);
}

nlohmann::json GroupJson(const GroupFigures& g, const ReportContext& ctx) {
  nlohmann::json j;
  j["items"] = g.items;
  nlohmann::json confusion = nlohmann::json::object();
  for (const auto& [key, count] : g.confusion) {
    confusion[key.first][key.second] = count;
  }
  j["phase"] = {{"accuracy", g.PhaseAccuracy()},
                {"correct", g.phase_correct},
                {"confusion", confusion}};
  nlohmann::json layers = nlohmann::json::object();
  for (const auto& [key, label] : Layers()) {
    const auto it = g.decided_by.find(key);
    const int n = it == g.decided_by.end() ? 0 : it->second;
    if (n == 0 && key == "other") continue;
    layers[key] = {{"count", n},
                   {"share", g.items == 0 ? 0.0 : double(n) / g.items}};
  }
  j["phase"]["decided_by"] = layers;
  nlohmann::json types = nlohmann::json::object();
  for (const auto& [type, c] : g.event_types) {
    types[type] = {{"precision", JsonRatio(c.Precision())},
                   {"recall", JsonRatio(c.Recall())},
                   {"support", c.Support()},
                   {"tp", c.tp},
                   {"fp", c.fp},
                   {"fn", c.fn}};
  }
  j["critical_events"] = {{"precision", JsonRatio(g.events.Precision())},
                          {"recall", JsonRatio(g.events.Recall())},
                          {"f1", JsonRatio(g.events.F1())},
                          {"tp", g.events.tp},
                          {"fp", g.events.fp},
                          {"fn", g.events.fn},
                          {"per_type", types}};
  j["practices"] = {{"items", g.practice_items},
                    {"top1", JsonRatio(g.Top1())},
                    {"top1_hits", g.top1_hits},
                    {"overlap_at_3", JsonRatio(g.OverlapAt3())}};
  return j;
}

}  // namespace

std::string RenderText(const EvalFigures& figures, const ReportContext& ctx) {
  std::string out;
  absl::StrAppend(&out, "cse-eval: mapping ", ctx.mapping_version, "; data ",
                  absl::StrJoin(ctx.files, ", "), "\n");
  absl::StrAppend(&out, "phases (confusion-matrix numbers): ");
  for (size_t i = 0; i < ctx.phase_ids.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ", ", i + 1, " ", ctx.phase_ids[i]);
  }
  absl::StrAppend(&out, "\n", kHoldoutReminder, "\n");
  for (const std::string& name : GroupNames()) {
    const auto it = figures.groups.find(name);
    if (it == figures.groups.end()) continue;
    AppendGroup(name, it->second, ctx, &out);
  }
  return out;
}

nlohmann::json RenderJson(const EvalFigures& figures,
                          const ReportContext& ctx) {
  nlohmann::json j;
  j["mapping_version"] = ctx.mapping_version;
  j["files"] = ctx.files;
  j["phases"] = ctx.phase_ids;
  j["note"] = kHoldoutReminder;
  nlohmann::json groups = nlohmann::json::object();
  for (const std::string& name : GroupNames()) {
    const auto it = figures.groups.find(name);
    if (it == figures.groups.end()) continue;
    groups[name] = GroupJson(it->second, ctx);
  }
  j["groups"] = groups;
  return j;
}

std::string RenderMiss(const DatasetItem& item,
                       const cse::v1::Assessment& got) {
  const std::string got_phase =
      got.phase().id().empty() ? std::string(kNoPhase) : got.phase().id();
  const std::set<std::string> expected(item.expected.critical_events.begin(),
                                       item.expected.critical_events.end());
  std::set<std::string> detected;
  for (const auto& e : got.critical_events()) detected.insert(e.type());
  const bool phase_ok = got_phase == item.expected.phase;
  if (phase_ok && expected == detected) return "";

  std::string out =
      absl::StrCat(item.id, " (", item.kind, item.style.empty() ? "" : ", ",
                   item.style, ") ", item.location, "\n");
  if (!phase_ok) {
    absl::StrAppend(
        &out, "  phase: expected ", item.expected.phase, ", got ", got_phase,
        absl::StrFormat(" (%s, confidence %.2f)\n", DecidedByLabel(got.phase()),
                        got.phase().confidence()));
    for (const cse::v1::Reason& r : got.phase().because()) {
      absl::StrAppend(
          &out, "    because ",
          r.rule_id().empty() ? "" : absl::StrCat(r.rule_id(), ": "),
          r.description());
      if (r.has_evidence()) {
        absl::StrAppend(&out, " ", cli::EvidenceLabel(r.evidence()));
      }
      absl::StrAppend(&out, "\n");
    }
  }
  if (expected != detected) {
    std::vector<std::string> missing;
    std::vector<std::string> extra;
    for (const auto& t : expected) {
      if (detected.count(t) == 0) missing.push_back(t);
    }
    for (const auto& t : detected) {
      if (expected.count(t) == 0) extra.push_back(t);
    }
    absl::StrAppend(&out, "  critical events: expected [",
                    absl::StrJoin(expected, ", "), "], got [",
                    absl::StrJoin(detected, ", "), "]\n");
    if (!missing.empty()) {
      absl::StrAppend(&out, "    missed: ", absl::StrJoin(missing, ", "), "\n");
    }
    for (const auto& e : got.critical_events()) {
      if (expected.count(e.type()) > 0) continue;
      absl::StrAppend(&out, "    extra: ", e.type());
      for (const auto& ev : e.evidence()) {
        absl::StrAppend(&out, " ", cli::EvidenceLabel(ev));
      }
      for (const auto& r : e.because()) {
        if (!r.has_evidence())
          absl::StrAppend(&out, " (", r.description(), ")");
      }
      absl::StrAppend(&out, "\n");
    }
  }
  return out;
}

}  // namespace cse::eval
