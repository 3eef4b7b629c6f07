#include "sidecar/cli/render.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"

namespace cse::cli {
namespace {

// Newlines and runs of spaces in excerpts would break the layout.
std::string OneLine(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

absl::string_view ReasonKindLabel(cse::v1::ReasonKind kind) {
  switch (kind) {
    case cse::v1::REASON_KIND_FIELD_RULE:
      return "field rule";
    case cse::v1::REASON_KIND_TEXT_SIGNAL:
      return "text signals";
    case cse::v1::REASON_KIND_ACCOUNT_HISTORY:
      return "account history";
    case cse::v1::REASON_KIND_CONDITION:
      return "condition";
    default:
      return "unknown";
  }
}

absl::string_view ReasonKindTag(cse::v1::ReasonKind kind) {
  switch (kind) {
    case cse::v1::REASON_KIND_FIELD_RULE:
      return "field";
    case cse::v1::REASON_KIND_TEXT_SIGNAL:
      return "text";
    case cse::v1::REASON_KIND_ACCOUNT_HISTORY:
      return "history";
    case cse::v1::REASON_KIND_CONDITION:
      return "condition";
    default:
      return "?";
  }
}

std::string PolarityLabel(cse::v1::Polarity p, const TextStyle& style) {
  switch (p) {
    case cse::v1::POLARITY_NEGATIVE:
      return style.Red("negative, calls for restoring");
    case cse::v1::POLARITY_OPPORTUNITY:
      return style.Green("opportunity, calls for bolstering");
    default:
      return "polarity unspecified";
  }
}

// One reason as an indented line, plus its evidence on the next line.
void AppendReason(const cse::v1::Reason& r, absl::string_view indent,
                  const TextStyle& style, std::string* out) {
  absl::StrAppend(out, indent, "- [", ReasonKindTag(r.kind()), "] ");
  if (!r.rule_id().empty()) absl::StrAppend(out, style.Bold(r.rule_id()), ": ");
  absl::StrAppend(out, r.description());
  if (r.kind() == cse::v1::REASON_KIND_FIELD_RULE) {
    // A field rule's weight is its priority among field rules.
    absl::StrAppend(out, absl::StrFormat(" (priority %g)", r.weight()));
  } else if (r.weight() != 0) {
    absl::StrAppend(out, absl::StrFormat(" (weight %.2f)", r.weight()));
  }
  absl::StrAppend(out, "\n");
  if (r.has_evidence()) {
    absl::StrAppend(out, indent, "  ", style.Dim(EvidenceLabel(r.evidence())),
                    "\n");
  }
}

void AppendSection(absl::string_view title, const TextStyle& style,
                   std::string* out) {
  absl::StrAppend(out, "\n", style.Bold(title), "\n");
}

absl::string_view OutcomeLabel(cse::v1::RuleTrace::Outcome o) {
  switch (o) {
    case cse::v1::RuleTrace::OUTCOME_FIRED:
      return "fired    ";
    case cse::v1::RuleTrace::OUTCOME_NEAR_MISS:
      return "near miss";
    default:
      return "?        ";
  }
}

void AppendTrace(const cse::v1::RuleTrace& t, const TextStyle& style,
                 std::string* out) {
  const std::string outcome(OutcomeLabel(t.outcome()));
  absl::StrAppend(out, "  ",
                  t.outcome() == cse::v1::RuleTrace::OUTCOME_FIRED
                      ? style.Green(outcome)
                      : style.Yellow(outcome),
                  "  ", style.Bold(t.rule_id()));
  if (!t.detail().empty()) absl::StrAppend(out, ": ", t.detail());
  absl::StrAppend(out, "\n");
  if (t.has_evidence()) {
    absl::StrAppend(out, "             ",
                    style.Dim(EvidenceLabel(t.evidence())), "\n");
  }
}

// A phase-signal trace says "+0.50 for implementation_usage"; a field rule
// that only hints at a phase says "hint +1.00 for choice_purchase: <rule>".
// Both add to the phase's text-layer score.
bool ParseSignalDetail(absl::string_view detail, double* weight,
                       std::string* phase) {
  const bool hint = absl::ConsumePrefix(&detail, "hint ");
  if (!absl::ConsumePrefix(&detail, "+")) return false;
  std::vector<absl::string_view> parts =
      absl::StrSplit(detail, absl::MaxSplits(" for ", 1));
  if (parts.size() != 2 || parts[1].empty()) return false;
  if (!absl::SimpleAtod(parts[0], weight)) return false;
  absl::string_view id = parts[1];
  if (hint) {
    const size_t colon = id.find(':');
    if (colon == absl::string_view::npos) return false;
    id = id.substr(0, colon);
  }
  if (id.empty() || id.find(' ') != absl::string_view::npos) return false;
  *phase = std::string(id);
  return true;
}

void AppendPhaseSignals(const std::vector<const cse::v1::RuleTrace*>& traces,
                        const TextStyle& style, std::string* out) {
  struct PhaseSignals {
    double total = 0;
    std::vector<std::pair<double, const cse::v1::RuleTrace*>> signals;
  };
  std::map<std::string, PhaseSignals> by_phase;
  std::vector<const cse::v1::RuleTrace*> unparsed;
  for (const cse::v1::RuleTrace* t : traces) {
    double weight = 0;
    std::string phase;
    if (!ParseSignalDetail(t->detail(), &weight, &phase)) {
      unparsed.push_back(t);
      continue;
    }
    PhaseSignals& p = by_phase[phase];
    p.total += weight;
    p.signals.emplace_back(weight, t);
  }
  std::vector<std::pair<std::string, PhaseSignals>> sorted(by_phase.begin(),
                                                           by_phase.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) {
                     return a.second.total > b.second.total;
                   });
  for (const auto& [phase, p] : sorted) {
    absl::StrAppend(
        out, "  ", style.Bold(phase),
        absl::StrFormat(": total %.2f (%d signal%s)\n", p.total,
                        p.signals.size(), p.signals.size() == 1 ? "" : "s"));
    for (const auto& [weight, t] : p.signals) {
      absl::StrAppend(
          out, absl::StrFormat("    +%.2f  ", weight), t->rule_id(),
          t->rule_type() == "field_rule" ? " (field-rule hint)" : "");
      if (t->has_evidence()) {
        absl::StrAppend(out, "  ", style.Dim(EvidenceLabel(t->evidence())));
      }
      absl::StrAppend(out, "\n");
    }
  }
  for (const cse::v1::RuleTrace* t : unparsed) AppendTrace(*t, style, out);
}

}  // namespace

std::string TextStyle::Wrap(absl::string_view code, absl::string_view s) const {
  if (!color_ || s.empty()) return std::string(s);
  return absl::StrCat("\033[", code, "m", s, "\033[0m");
}

bool ShouldColorStdout() {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return isatty(STDOUT_FILENO) == 1;
}

std::string CircumplexLabel(const cse::v1::PracticeSuggestion& s) {
  const absl::string_view organization =
      s.organization() == cse::v1::MODE_OF_ORGANIZATION_REGULAR ? "regular"
                                                                : "ad hoc";
  const absl::string_view engagement =
      s.engagement() == cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE ? "proactive"
                                                              : "reactive";
  const absl::string_view effect =
      s.effect() == cse::v1::EFFECT_BOLSTER ? "bolsters" : "restores";
  return absl::StrCat(organization, " · ", engagement, " → ", effect, " CSE");
}

std::string EvidenceLabel(const cse::v1::Evidence& e) {
  return absl::StrCat(e.field(), "[", e.start(), "..", e.end(), "] \"",
                      OneLine(e.excerpt()), "\"");
}

std::string RenderPhaseLine(const cse::v1::PhaseAssessment& phase,
                            const TextStyle& style) {
  if (phase.id().empty()) {
    return absl::StrCat(style.Bold("Phase:"),
                        " unknown (no field rule or text signal spoke and "
                        "the account has no history)\n");
  }
  std::string line = absl::StrCat(
      style.Bold("Phase:"), " ", style.Cyan(phase.name()), " (", phase.number(),
      ", ", phase.id(), ")",
      absl::StrFormat(" confidence %.2f, decided by %s\n", phase.confidence(),
                      ReasonKindLabel(phase.decided_by())));
  if (!phase.previous_phase_id().empty()) {
    absl::StrAppend(&line, "  moved from: ", phase.previous_phase_id(), "\n");
  }
  return line;
}

std::string RenderAssessment(const cse::v1::Assessment& a,
                             const TextStyle& style) {
  std::string out;
  if (!a.event_id().empty() || !a.account_id().empty()) {
    absl::StrAppend(&out,
                    style.Dim(absl::StrCat(
                        "Event ", a.source(), "/", a.event_id(),
                        a.account_id().empty()
                            ? ""
                            : absl::StrCat(", account ", a.account_id()))),
                    "\n");
  }
  const cse::v1::PhaseAssessment& phase = a.phase();
  absl::StrAppend(&out, RenderPhaseLine(phase, style));
  if (phase.because_size() > 0) {
    absl::StrAppend(&out, "  why:\n");
    for (const cse::v1::Reason& r : phase.because()) {
      AppendReason(r, "    ", style, &out);
    }
  }
  for (const cse::v1::RuleConflict& c : phase.conflicts()) {
    absl::StrAppend(&out, "  ", style.Yellow("conflict:"), " rules ",
                    absl::StrJoin(c.rule_ids(), ", "), " name phases ",
                    absl::StrJoin(c.phase_ids(), ", "), "; ", c.resolution(),
                    "\n");
  }

  AppendSection("Critical events", style, &out);
  if (a.critical_events_size() == 0) absl::StrAppend(&out, "  none\n");
  for (const cse::v1::CriticalEvent& e : a.critical_events()) {
    absl::StrAppend(&out, "  - ", style.Bold(e.name()), " (", e.type(), "), ",
                    PolarityLabel(e.polarity(), style), "\n");
    for (const cse::v1::Evidence& ev : e.evidence()) {
      absl::StrAppend(&out, "      evidence: ", style.Dim(EvidenceLabel(ev)),
                      "\n");
    }
    for (const cse::v1::Reason& r : e.because()) {
      if (r.has_evidence()) continue;  // already shown as evidence
      AppendReason(r, "      ", style, &out);
    }
  }

  AppendSection("Suggested practices", style, &out);
  if (a.suggestions_size() == 0) absl::StrAppend(&out, "  none\n");
  int n = 0;
  for (const cse::v1::PracticeSuggestion& s : a.suggestions()) {
    absl::StrAppend(&out, "  ", ++n, ". ", style.Bold(s.practice_name()), " (",
                    s.practice_id(), ")  ", CircumplexLabel(s),
                    absl::StrFormat("  score %.3f\n", s.score()));
    if (!s.rationale().empty()) {
      absl::StrAppend(&out, "     ", s.rationale(), "\n");
    }
    if (!s.playbook_name().empty() || !s.playbook_url().empty()) {
      absl::StrAppend(&out, "     playbook: ", s.playbook_name(),
                      s.playbook_url().empty()
                          ? ""
                          : absl::StrCat(" <", s.playbook_url(), ">"),
                      "\n");
    }
    if (s.addresses_events_size() > 0) {
      absl::StrAppend(&out, "     answers: ",
                      absl::StrJoin(s.addresses_events(), ", "), "\n");
    }
  }

  if (a.anti_patterns_size() > 0) {
    AppendSection("Warnings: patterns known to destroy CSE", style, &out);
    for (const cse::v1::AntiPatternWarning& w : a.anti_patterns()) {
      absl::StrAppend(&out, "  ", style.Yellow("!"), " ", style.Bold(w.name()),
                      " (", w.id(), ")\n");
      if (!w.advice().empty()) {
        absl::StrAppend(&out, "    instead: ", w.advice(), "\n");
      }
      for (const cse::v1::Evidence& ev : w.evidence()) {
        absl::StrAppend(&out, "    evidence: ", style.Dim(EvidenceLabel(ev)),
                        "\n");
      }
      for (const cse::v1::Reason& r : w.because()) {
        if (r.has_evidence()) continue;
        AppendReason(r, "    ", style, &out);
      }
    }
  }

  AppendSection("Tags", style, &out);
  absl::StrAppend(
      &out, "  ",
      a.tags_size() == 0 ? std::string("none") : absl::StrJoin(a.tags(), " "),
      "\n");

  if (!a.note_markdown().empty()) {
    AppendSection("Note", style, &out);
    absl::string_view note = a.note_markdown();
    while (absl::ConsumeSuffix(&note, "\n")) {
    }
    for (absl::string_view line : absl::StrSplit(note, '\n')) {
      absl::StrAppend(&out, line.empty() ? "  |" : "  | ", line, "\n");
    }
  }
  absl::StrAppend(
      &out, "\n",
      style.Dim(absl::StrCat("Mapping version: ", a.mapping_version())), "\n");
  return out;
}

std::string RenderIngest(const cse::v1::IngestResponse& response,
                         const TextStyle& style) {
  const cse::v1::Assessment& a = response.assessment();
  const std::string key = absl::StrCat(a.source(), "/", a.event_id());
  // A duplicate is not an error (ingest is idempotent), but whoever reads
  // this must not think the event was assessed again with today's mapping.
  std::string out =
      response.duplicate()
          ? absl::StrCat(style.Yellow(absl::StrCat(
                             "Duplicate: ", key,
                             " was already ingested; this is the stored "
                             "assessment, nothing was recorded")),
                         "\n")
          : absl::StrCat(style.Green(absl::StrCat("Recorded ", key,
                                                  " in the journey of account ",
                                                  a.account_id())),
                         "\n");
  absl::StrAppend(&out, RenderAssessment(a, style));
  return out;
}

std::string RenderExplanation(const cse::v1::AssessResponse& response,
                              const TextStyle& style) {
  std::string out;
  const cse::v1::Assessment& a = response.assessment();
  const cse::v1::Explanation& x = response.explanation();
  absl::StrAppend(&out, RenderPhaseLine(a.phase(), style));

  // Group traces by rule type, known types in the order the engine decides.
  const std::vector<std::pair<std::string, std::string>> kGroups = {
      {"field_rule", "Field rules"},
      {"phase_signal", "Phase signals (weights per phase, totals decide)"},
      {"critical_event", "Critical events"},
      {"anti_pattern", "Anti-patterns"},
  };
  std::map<std::string, std::vector<const cse::v1::RuleTrace*>> by_type;
  std::vector<std::string> other_types;
  for (const cse::v1::RuleTrace& t : x.traces()) {
    auto& list = by_type[t.rule_type()];
    if (list.empty() &&
        std::none_of(kGroups.begin(), kGroups.end(),
                     [&](const auto& g) { return g.first == t.rule_type(); })) {
      other_types.push_back(t.rule_type());
    }
    list.push_back(&t);
  }
  for (const auto& [type, title] : kGroups) {
    AppendSection(title, style, &out);
    std::vector<const cse::v1::RuleTrace*> traces;
    if (const auto it = by_type.find(type); it != by_type.end()) {
      traces = it->second;
    }
    if (type == "phase_signal") {
      // Field rules that only hint at a phase add to the same totals.
      if (const auto it = by_type.find("field_rule"); it != by_type.end()) {
        for (const cse::v1::RuleTrace* t : it->second) {
          if (absl::StartsWith(t->detail(), "hint +")) traces.push_back(t);
        }
      }
    }
    if (traces.empty()) {
      absl::StrAppend(&out, "  none fired or nearly fired\n");
    } else if (type == "phase_signal") {
      AppendPhaseSignals(traces, style, &out);
    } else {
      for (const cse::v1::RuleTrace* t : traces) AppendTrace(*t, style, &out);
    }
  }
  for (const std::string& type : other_types) {
    AppendSection(type.empty() ? std::string("(no rule type)") : type, style,
                  &out);
    for (const cse::v1::RuleTrace* t : by_type[type]) {
      AppendTrace(*t, style, &out);
    }
  }

  AppendSection(
      "Practice ranking (score = phase prior × event affinity × "
      "routine factor)",
      style, &out);
  if (x.all_practices_size() == 0) absl::StrAppend(&out, "  none\n");
  int n = 0;
  for (const cse::v1::PracticeSuggestion& s : x.all_practices()) {
    const cse::v1::ScoreBreakdown& b = s.breakdown();
    absl::StrAppend(
        &out,
        absl::StrFormat("  %2d. %-5s %-40s %6.3f = %.2f × %.2f × %.2f  ", ++n,
                        s.practice_id(), s.practice_name(), s.score(),
                        b.phase_prior(), b.event_affinity(),
                        b.routine_factor()),
        CircumplexLabel(s), "\n");
    if (s.addresses_events_size() > 0) {
      absl::StrAppend(&out, "         answers: ",
                      absl::StrJoin(s.addresses_events(), ", "), "\n");
    }
  }
  absl::StrAppend(
      &out, "\n",
      style.Dim(absl::StrCat("Mapping version: ", a.mapping_version())), "\n");
  return out;
}

std::string RenderJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = false;
  std::string json;
  const auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::StrCat("{\"error\": \"", status.message().ToString(), "\"}\n");
  }
  if (json.empty() || json.back() != '\n') json.push_back('\n');
  return json;
}

}  // namespace cse::cli
