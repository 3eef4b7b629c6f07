#include "sidecar/engine/recommendation_note.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cse::engine {
namespace {

absl::string_view OrganizationWord(Organization o) {
  return o == Organization::kRegular ? "regular" : "ad hoc";
}
absl::string_view EngagementWord(Engagement e) {
  return e == Engagement::kProactive ? "proactive" : "reactive";
}
absl::string_view EffectWord(Effect e) {
  return e == Effect::kBolster ? "bolsters" : "restores";
}

// Cuts at the last line break that fits, so the note never ends mid-line.
void FitTo(size_t max_bytes, std::string* note) {
  if (note->size() <= max_bytes) return;
  constexpr absl::string_view kCut = "\n_(shortened)_\n";
  size_t limit = max_bytes > kCut.size() ? max_bytes - kCut.size() : 0;
  size_t nl = note->rfind('\n', limit);
  note->resize(nl == std::string::npos ? 0 : nl);
  note->append(kCut.data(), kCut.size());
}

}  // namespace

std::string RenderRecommendationNote(const CompiledMapping& m,
                                     const Assessment& a) {
  std::string out;
  // A note is usually a little over the limit before FitTo: one
  // allocation for the common case instead of a second to grow.
  out.reserve(std::max<size_t>(1024, m.max_note_bytes() + 512));
  if (a.phase.decided) {
    absl::StrAppendFormat(&out,
                          "**Journey phase:** %s (phase %d of %d, confidence "
                          "%.2f)\n",
                          a.phase.name, a.phase.number, m.phases().size(),
                          a.phase.confidence);
  } else {
    absl::StrAppend(&out, "**Journey phase:** unknown (no rule or signal)\n");
  }
  if (!a.phase.previous_phase_id.empty()) {
    const int prev = m.FindPhase(a.phase.previous_phase_id);
    absl::StrAppend(
        &out, "Moved from ",
        prev >= 0 ? m.phases()[prev].name : a.phase.previous_phase_id, ".\n");
  }
  if (!a.critical_events.empty()) {
    absl::StrAppend(&out, "**Critical events:**");
    bool first = true;
    for (const auto& e : a.critical_events) {
      absl::StrAppend(
          &out, first ? " " : "; ", e.name, " (",
          e.polarity == Polarity::kNegative ? "restore" : "opportunity", ")");
      if (!e.evidence.empty()) {
        absl::StrAppend(&out, " \"", e.evidence.front().excerpt, "\"");
      }
      first = false;
    }
    absl::StrAppend(&out, "\n");
  }
  if (!a.suggestions.empty()) {
    absl::StrAppend(&out, "\n**Suggested practices**\n");
    int n = 1;
    for (const auto& s : a.suggestions) {
      absl::StrAppend(&out, n++, ". **", s.practice_name, "** (", s.practice_id,
                      ") - ", OrganizationWord(s.organization), ", ",
                      EngagementWord(s.engagement), ", ", EffectWord(s.effect),
                      " CSE. ", s.rationale);
      if (!s.playbook_url.empty()) {
        absl::StrAppend(&out, " [", s.playbook_name, "](", s.playbook_url, ")");
      }
      absl::StrAppend(&out, "\n");
    }
  }
  for (const auto& w : a.anti_patterns) {
    absl::StrAppend(&out, "\n**Watch out - ", w.name, ":** ", w.advice, "\n");
  }
  if (!a.suggestions.empty()) {
    // The dyadic loop: the ranking learns only from outcomes the team
    // records, and the adapters read them from this label
    // (adapters/common/outcome_tag.h).
    const auto& top = a.suggestions.front();
    const std::string practice = absl::AsciiStrToLower(top.practice_id);
    absl::StrAppend(
        &out, "\n_Record how it went with the label `cse-outcome-", practice,
        "-", top.effect == Effect::kBolster ? "bolstered" : "restored",
        "` (or -restored, -bolstered, -no-change, -worsened; for another "
        "practice, its id instead of ",
        practice, "): the suggestions learn from it._\n");
  }
  absl::StrAppend(&out, "\n_cse mapping ", a.mapping_version, "_\n");
  FitTo(m.max_note_bytes(), &out);
  return out;
}

}  // namespace cse::engine
