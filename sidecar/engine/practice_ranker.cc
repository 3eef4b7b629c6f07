#include "sidecar/engine/practice_ranker.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cse::engine {
namespace {

// Longest quote of the customer's words in a rationale.
constexpr size_t kMaxQuote = 60;

// A learned factor this far from 1 is worth a clause in the rationale
// even when the practice keeps its place; smaller changes would add a
// clause to nearly every rationale without changing what the team does.
constexpr double kNoticeableLearnedChange = 0.1;

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
  double learned_factor = 1;
  OutcomeCounts outcomes;
  double score = 0;
  // The score without the learned factor.
  double documented_score = 0;
  // Position without the learned factor (0 = first); set only when some
  // learned factor differs from 1, else equal to the final position.
  size_t documented_rank = 0;
  // The event this practice answers most; it decides the engagement.
  const DetectedEvent* lead = nullptr;
  const CompiledPlaybook* playbook = nullptr;
};

// What the learned factor reads: the counts of one phase and event type,
// and the names a rationale quotes for them. Unset (`outcomes` null) when
// nothing is learned from.
struct LearningContext {
  const PracticeOutcomeStats* outcomes = nullptr;
  absl::string_view phase_id;
  absl::string_view event_type;  // "" for no critical event
  absl::string_view in_phase;    // " in implementation and usage"
  absl::string_view event_name;  // "breakdown"; "" for no critical event
};

Scored Score(const CompiledMapping& m, size_t p, int phase,
             const std::vector<DetectedEvent>& events,
             const LearningContext& learning) {
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
  s.documented_score = s.score;

  if (learning.outcomes != nullptr) {
    const OutcomeCounts* counts = learning.outcomes->Find(
        learning.phase_id, learning.event_type, m.practices()[p].id);
    if (counts != nullptr) {
      s.outcomes = *counts;
      s.learned_factor = LearnedFactor(m.outcome_learning(), *counts);
      // Multiplied only when it applies, so a ranking without outcomes is
      // bit for bit the documented one.
      if (s.learned_factor != 1.0) s.score *= s.learned_factor;
    }
  }
  return s;
}

// "; recorded outcomes moved it up: worked 7 of 9 times in implementation
// and usage for breakdown", or empty when the outcomes changed neither the
// practice's place nor, noticeably, its score. `moved` is the documented
// position minus the final one (> 0: moved up).
std::string LearnedClause(const Scored& s, long moved,
                          const LearningContext& learning) {
  if (s.learned_factor == 1.0) return {};
  absl::string_view change;
  if (moved > 0) {
    change = "moved it up";
  } else if (moved < 0) {
    change = "moved it down";
  } else if (std::abs(s.learned_factor - 1.0) >= kNoticeableLearnedChange) {
    change = s.learned_factor > 1.0 ? "raised its score" : "lowered its score";
  } else {
    return {};
  }
  return absl::StrCat(
      "; recorded outcomes ", change, ": worked ", s.outcomes.worked, " of ",
      s.outcomes.total, s.outcomes.total == 1 ? " time" : " times",
      learning.in_phase,
      learning.event_type.empty() ? " with no critical event" : " for ",
      learning.event_name);
}

PracticeSuggestion Build(const CompiledMapping& m, const Scored& scored,
                         long moved, const LearningContext& learning, int phase,
                         const std::vector<DetectedEvent>& events) {
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
  s.learned_factor = scored.learned_factor;
  s.outcomes_worked = scored.outcomes.worked;
  s.outcomes_total = scored.outcomes.total;
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
  // Empty (no allocation) unless recorded outcomes changed something.
  const std::string learned = LearnedClause(scored, moved, learning);
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
    s.rationale =
        absl::StrCat("Answers the ", lead_name, q.open, q.words, q.close, where,
                     ": ", how, routine, learned, ".");
  } else {
    s.rationale = absl::StrFormat(
        "Typical%s (research prior %.2f) with no critical event: %s%s%s.",
        where.empty() ? " of any phase" : where, s.phase_prior, how, routine,
        learned);
  }
  return s;
}

}  // namespace

double LearnedFactor(const OutcomeLearningParams& params,
                     const OutcomeCounts& counts) {
  if (counts.total < params.min_outcomes) return 1.0;
  // The success rate estimated with a Beta prior worth `prior_strength`
  // outcomes at the neutral rate (pseudo-counts): with few outcomes the
  // estimate stays near the neutral rate, so one lucky or unlucky case
  // cannot swing the ranking; it approaches the observed rate only as
  // outcomes accumulate. Divided by the neutral rate it is a factor around
  // 1, and the cap keeps even a long record from drowning the research's
  // priors and the event's affinities.
  const double k = params.prior_strength;
  const double p0 = params.neutral_success_rate;
  const double worked = std::min(counts.worked, counts.total);
  const double rate = (worked + k * p0) / (counts.total + k);
  return std::clamp(rate / p0, 1.0 / params.max_factor, params.max_factor);
}

const DetectedEvent* OutcomeEvent(const std::vector<DetectedEvent>& events) {
  for (const auto& e : events) {
    if (e.polarity == Polarity::kNegative) return &e;
  }
  return events.empty() ? nullptr : &events.front();
}

std::vector<PracticeSuggestion> RankPractices(
    const CompiledMapping& m, int phase,
    const std::vector<DetectedEvent>& events,
    const PracticeOutcomeStats* outcomes, size_t limit) {
  LearningContext learning;
  if (outcomes != nullptr && !outcomes->empty() && phase >= 0) {
    learning.outcomes = outcomes;
    learning.phase_id = m.phases()[phase].id;
    learning.in_phase = m.phases()[phase].in_lower_name;
    if (const DetectedEvent* e = OutcomeEvent(events); e != nullptr) {
      learning.event_type = e->type;
      learning.event_name = m.detectors()[e->definition_index].lower_name;
    }
  }

  absl::InlinedVector<Scored, 16> scored;
  scored.reserve(m.practices().size());
  bool learned = false;
  for (size_t p = 0; p < m.practices().size(); ++p) {
    scored.push_back(Score(m, p, phase, events, learning));
    learned |= scored.back().learned_factor != 1.0;
  }
  if (learned) {
    // Where each practice stood on the documented score alone, ties in
    // mapping order as the stable sort below keeps them, so a rationale can
    // say when the outcomes changed the order.
    for (size_t i = 0; i < scored.size(); ++i) {
      const double documented = scored[i].documented_score;
      for (size_t j = 0; j < scored.size(); ++j) {
        const double other = scored[j].documented_score;
        if (other > documented || (other == documented && j < i)) {
          ++scored[i].documented_rank;
        }
      }
    }
  }
  std::stable_sort(
      scored.begin(), scored.end(),
      [](const Scored& a, const Scored& b) { return a.score > b.score; });
  std::vector<PracticeSuggestion> out;
  out.reserve(std::min(limit, scored.size()));
  for (size_t k = 0; k < scored.size() && k < limit; ++k) {
    const long moved = learned ? static_cast<long>(scored[k].documented_rank) -
                                     static_cast<long>(k)
                               : 0;
    out.push_back(Build(m, scored[k], moved, learning, phase, events));
  }
  return out;
}

}  // namespace cse::engine
