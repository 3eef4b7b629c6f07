#include "sidecar/engine/practice_ranker.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cse::engine {
namespace {

// Longest quote of the customer's words in a rationale.
constexpr size_t kMaxQuote = 60;

// The customer's words quoted in a rationale, as three pieces to
// concatenate (all empty without evidence), so the rationale is built in
// one allocation.
struct Quote {
  absl::string_view open;
  absl::string_view words;
  absl::string_view close;
};

Quote QuoteOf(const DetectedEvent& e) {
  if (e.evidence.empty()) return {};
  absl::string_view x = e.evidence.front().excerpt;
  if (x.size() <= kMaxQuote) return {" (\"", x, "\")"};
  size_t cut = kMaxQuote;
  while (cut > 0 && (static_cast<unsigned char>(x[cut]) & 0xC0) == 0x80) --cut;
  return {" (\"", x.substr(0, cut), "…\")"};
}

bool PlaybookApplies(const CompiledPlaybook& pb, int practice, int phase,
                     const std::vector<DetectedEvent>& events) {
  if (pb.practice != practice) return false;
  if (!pb.phases.empty() &&
      std::find(pb.phases.begin(), pb.phases.end(), phase) == pb.phases.end()) {
    return false;
  }
  if (pb.detectors.empty()) return true;
  for (const auto& e : events) {
    if (std::find(pb.detectors.begin(), pb.detectors.end(),
                  e.definition_index) != pb.detectors.end()) {
      return true;
    }
  }
  return false;
}

// What decides a practice's rank. Every practice is scored; only the ones
// returned get their strings (names, rationale, playbook), which is most
// of the cost of ranking.
struct Scored {
  size_t practice = 0;
  double phase_prior = 0;
  double event_affinity = 1;
  double routine_factor = 1;
  double score = 0;
  // The event this practice answers most; it decides the engagement.
  const DetectedEvent* lead = nullptr;
  const CompiledPlaybook* playbook = nullptr;
};

Scored Score(const CompiledMapping& m, size_t p, int phase,
             const std::vector<DetectedEvent>& events) {
  Scored s;
  s.practice = p;
  if (phase >= 0) {
    s.phase_prior = m.phases()[phase].priors[p];
  } else {
    double sum = 0;
    for (const auto& ph : m.phases()) sum += ph.priors[p];
    s.phase_prior = sum / static_cast<double>(m.phases().size());
  }

  double lead_affinity = 0;
  double affinity_sum = 0;
  for (const auto& e : events) {
    const double a = m.detectors()[e.definition_index].affinity[p];
    if (a <= 0) continue;
    affinity_sum += a;
    if (a > lead_affinity) {
      lead_affinity = a;
      s.lead = &e;
    }
  }
  s.event_affinity = 1.0 + affinity_sum;

  for (const auto& pb : m.playbooks()) {
    if (PlaybookApplies(pb, static_cast<int>(p), phase, events)) {
      s.playbook = &pb;
      break;
    }
  }
  s.routine_factor = s.playbook != nullptr ? m.routine_factor() : 1.0;
  s.score = s.phase_prior * s.event_affinity * s.routine_factor;
  return s;
}

PracticeSuggestion Build(const CompiledMapping& m, const Scored& scored,
                         int phase, const std::vector<DetectedEvent>& events) {
  const size_t p = scored.practice;
  const CompiledPractice& practice = m.practices()[p];
  const DetectedEvent* lead = scored.lead;
  const CompiledPlaybook* playbook = scored.playbook;
  PracticeSuggestion s;
  s.practice_id = practice.id;
  s.practice_name = practice.name;
  s.phase_prior = scored.phase_prior;
  s.event_affinity = scored.event_affinity;
  s.routine_factor = scored.routine_factor;
  s.score = scored.score;
  size_t addressed = 0;
  for (const auto& e : events) {
    if (m.detectors()[e.definition_index].affinity[p] > 0) ++addressed;
  }
  s.addresses_events.reserve(addressed);
  for (const auto& e : events) {
    if (m.detectors()[e.definition_index].affinity[p] > 0) {
      s.addresses_events.push_back(e.type);
    }
  }
  s.organization =
      playbook != nullptr ? Organization::kRegular : Organization::kAdHoc;
  if (playbook != nullptr) {
    s.playbook_name = playbook->name;
    s.playbook_url = playbook->url;
  }

  if (lead != nullptr) {
    s.engagement = lead->polarity == Polarity::kOpportunity
                       ? Engagement::kProactive
                       : Engagement::kReactive;
  } else if (phase >= 0) {
    s.engagement = m.phases()[phase].default_engagement;
  } else {
    s.engagement = Engagement::kReactive;
  }
  s.effect = s.engagement == Engagement::kProactive ? Effect::kBolster
                                                    : Effect::kRestore;

  // One sentence tied to this event. The parts that depend only on the
  // mapping were built at compile time.
  const absl::string_view where =
      phase >= 0 ? absl::string_view(m.phases()[phase].in_lower_name) : "";
  const absl::string_view how =
      s.engagement == Engagement::kReactive
          ? "respond promptly to restore the customer's experience"
          : "take the initiative to bolster the customer's experience";
  const absl::string_view routine = playbook != nullptr
                                        ? absl::string_view(playbook->routine)
                                        : "; no playbook yet, so it is ad hoc";
  if (lead != nullptr) {
    const CompiledDetector& det = m.detectors()[lead->definition_index];
    // An event built by the engine has its detector's name.
    std::string lowered;
    absl::string_view lead_name = det.lower_name;
    if (lead->name != det.name) {
      lowered = absl::AsciiStrToLower(lead->name);
      lead_name = lowered;
    }
    const Quote q = QuoteOf(*lead);
    s.rationale = absl::StrCat("Answers the ", lead_name, q.open, q.words,
                               q.close, where, ": ", how, routine, ".");
  } else {
    s.rationale = absl::StrFormat(
        "Typical%s (research prior %.2f) with no critical event: %s%s.",
        where.empty() ? " of any phase" : where, s.phase_prior, how, routine);
  }
  return s;
}

}  // namespace

std::vector<PracticeSuggestion> RankPractices(
    const CompiledMapping& m, int phase,
    const std::vector<DetectedEvent>& events, size_t limit) {
  absl::InlinedVector<Scored, 16> scored;
  scored.reserve(m.practices().size());
  for (size_t p = 0; p < m.practices().size(); ++p) {
    scored.push_back(Score(m, p, phase, events));
  }
  std::stable_sort(
      scored.begin(), scored.end(),
      [](const Scored& a, const Scored& b) { return a.score > b.score; });
  std::vector<PracticeSuggestion> out;
  out.reserve(std::min(limit, scored.size()));
  for (size_t k = 0; k < scored.size() && k < limit; ++k) {
    out.push_back(Build(m, scored[k], phase, events));
  }
  return out;
}

}  // namespace cse::engine
