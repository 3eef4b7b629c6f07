// The ranking learns from recorded outcomes: counts per phase x critical
// event x practice, smoothed toward the documented priors. Expectations
// follow from tests/unit/engine/test_mapping.h and the defaults of
// OutcomeLearning (prior_strength 10, neutral_success_rate 0.5,
// min_outcomes 5, max_factor 2).
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/engine/journey_engine.h"
#include "sidecar/engine/practice_outcomes.h"
#include "sidecar/engine/practice_ranker.h"
#include "tests/unit/engine/test_mapping.h"

namespace cse::engine {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// "since go-live the portal is down": implementation phase, a breakdown.
// Documented scores: P10 0.6 x (1 + 3) x 1.5 (playbook) = 3.6; P4
// 0.5 x (1 + 2) = 1.5; every other practice 0.2.
constexpr absl::string_view kBreakdown = "since go-live the portal is down";
// "go-live" alone: implementation, no critical event. P10 0.6, P4 0.5.
constexpr absl::string_view kNoEvent = "the go-live went fine";

class OutcomeLearningTest : public ::testing::Test {
 protected:
  void SetUp() override { mapping_ = testing::TestMapping(); }

  static EventView Ticket(absl::string_view body) {
    EventView e;
    e.kind = EventKind::kTicket;
    e.text[static_cast<int>(TextField::kBody)] = body;
    return e;
  }

  // Explain mode, so every practice is ranked and built.
  Assessment Run(absl::string_view body, const PracticeOutcomeStats* stats,
                 const CompiledMapping* mapping = nullptr) {
    AssessOptions o;
    o.explain = true;
    o.outcome_stats = stats;
    auto a = Assess(mapping != nullptr ? *mapping : *mapping_, Ticket(body), o);
    EXPECT_TRUE(a.ok()) << a.status();
    return a.ok() ? *std::move(a) : Assessment{};
  }

  static std::vector<std::string> Order(const Assessment& a) {
    std::vector<std::string> out;
    for (const auto& p : a.all_practices) out.push_back(p.practice_id);
    return out;
  }

  static const PracticeSuggestion& Get(const Assessment& a,
                                       absl::string_view id) {
    for (const auto& p : a.all_practices) {
      if (p.practice_id == id) return p;
    }
    ADD_FAILURE() << "no practice " << id;
    static const PracticeSuggestion kNone;
    return kNone;
  }

  std::shared_ptr<const CompiledMapping> Compile(
      const cse::config::v1::OutcomeLearning& learning) {
    auto config = testing::TestConfig();
    *config.mutable_suggestions()->mutable_outcome_learning() = learning;
    auto m = CompiledMapping::Compile(config, "v");
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? *m : nullptr;
  }

  std::shared_ptr<const CompiledMapping> mapping_;
};

// ---- The input type.

TEST(PracticeOutcomeStatsTest, AddSumsPerCellAndFindMissesOtherCells) {
  PracticeOutcomeStats stats;
  EXPECT_TRUE(stats.empty());
  stats.Add("implementation", "breakdown", "P10", 3, 4);
  stats.Add("implementation", "breakdown", "P10", 4, 5);
  stats.Add("implementation", "", "P10", 1, 1);
  EXPECT_EQ(stats.size(), 2u);
  const OutcomeCounts* c = stats.Find("implementation", "breakdown", "P10");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->worked, 7u);
  EXPECT_EQ(c->total, 9u);
  EXPECT_EQ(stats.Find("implementation", "", "P10")->total, 1u);
  EXPECT_EQ(stats.Find("implementation", "breakdown", "P4"), nullptr);
  EXPECT_EQ(stats.Find("trigger", "breakdown", "P10"), nullptr);
  // The key parts are not concatenated: ("ab", "") is not ("a", "b").
  stats.Add("ab", "", "P1", 1, 1);
  EXPECT_EQ(stats.Find("a", "b", "P1"), nullptr);
}

TEST(PracticeOutcomeStatsTest, WorkedAboveTotalIsTakenAsTheTotal) {
  PracticeOutcomeStats stats;
  stats.Add("p", "", "P1", 5, 3);
  EXPECT_EQ(stats.Find("p", "", "P1")->total, 5u);
  EXPECT_EQ(stats.Find("p", "", "P1")->worked, 5u);
}

// ---- The formula.

TEST(LearnedFactorTest, SmoothsTowardTheNeutralRateAndClamps) {
  const OutcomeLearningParams defaults;
  // (7 + 10 x 0.5) / (9 + 10) / 0.5
  EXPECT_DOUBLE_EQ(LearnedFactor(defaults, {7, 9}), (12.0 / 19.0) / 0.5);
  // At the neutral rate nothing changes.
  EXPECT_DOUBLE_EQ(LearnedFactor(defaults, {10, 20}), 1.0);
  // Below min_outcomes nothing changes, however one-sided.
  EXPECT_EQ(LearnedFactor(defaults, {4, 4}), 1.0);
  EXPECT_EQ(LearnedFactor(defaults, {0, 4}), 1.0);
  // A long record of failures is floored at 1 / max_factor...
  EXPECT_DOUBLE_EQ(LearnedFactor(defaults, {0, 1000}), 0.5);
  // ...and a lower neutral rate lets successes reach the cap.
  OutcomeLearningParams low = defaults;
  low.neutral_success_rate = 0.25;
  EXPECT_DOUBLE_EQ(LearnedFactor(low, {1000, 1000}), 2.0);
  // max_factor 1 turns learning off.
  OutcomeLearningParams off = defaults;
  off.max_factor = 1;
  EXPECT_EQ(LearnedFactor(off, {1000, 1000}), 1.0);
  EXPECT_EQ(LearnedFactor(off, {0, 1000}), 1.0);
}

TEST(OutcomeEventTest, FirstNegativeElseFirstElseNone) {
  DetectedEvent praise;
  praise.type = "praise";
  praise.polarity = Polarity::kOpportunity;
  DetectedEvent breakdown;
  breakdown.type = "breakdown";
  breakdown.polarity = Polarity::kNegative;
  std::vector<DetectedEvent> events = {praise, breakdown};
  EXPECT_EQ(OutcomeEvent(events)->type, "breakdown");
  events = {praise};
  EXPECT_EQ(OutcomeEvent(events)->type, "praise");
  EXPECT_EQ(OutcomeEvent({}), nullptr);
}

// ---- The ranking.

TEST_F(OutcomeLearningTest, NoStatsGiveTheDocumentedRankingUnchanged) {
  for (absl::string_view body : {kBreakdown, kNoEvent}) {
    SCOPED_TRACE(body);
    const Assessment base = Run(body, nullptr);
    ASSERT_FALSE(base.all_practices.empty());
    for (const auto& p : base.all_practices) {
      EXPECT_EQ(p.learned_factor, 1.0);
      EXPECT_EQ(p.outcomes_total, 0u);
      EXPECT_EQ(p.score, p.phase_prior * p.event_affinity * p.routine_factor);
    }

    PracticeOutcomeStats empty;
    // Counts for cells this assessment does not read: another phase,
    // another event, no event where there is one, an unknown practice.
    PracticeOutcomeStats elsewhere;
    elsewhere.Add("trigger", "breakdown", "P4", 50, 50);
    elsewhere.Add("implementation", "praise", "P4", 50, 50);
    elsewhere.Add("implementation", body == kBreakdown ? "" : "breakdown", "P4",
                  50, 50);
    elsewhere.Add("implementation", body == kBreakdown ? "breakdown" : "",
                  "P99", 0, 50);
    for (const PracticeOutcomeStats* stats : {&empty, &elsewhere}) {
      const Assessment a = Run(body, stats);
      ASSERT_EQ(a.all_practices.size(), base.all_practices.size());
      for (size_t i = 0; i < a.all_practices.size(); ++i) {
        const auto& x = a.all_practices[i];
        const auto& y = base.all_practices[i];
        EXPECT_EQ(x.practice_id, y.practice_id);
        EXPECT_EQ(x.score, y.score);  // bit for bit
        EXPECT_EQ(x.learned_factor, 1.0);
        EXPECT_EQ(x.rationale, y.rationale);
      }
      EXPECT_EQ(a.note_markdown, base.note_markdown);
      EXPECT_EQ(a.tags, base.tags);
    }
  }
}

TEST_F(OutcomeLearningTest, UnknownPhaseLearnsNothing) {
  // "is down" without a phase signal: the phase stays unknown.
  const absl::string_view body = "the portal is down";
  const Assessment base = Run(body, nullptr);
  ASSERT_FALSE(base.phase.decided);
  PracticeOutcomeStats stats;
  for (const char* phase : {"trigger", "orientation", "implementation"}) {
    stats.Add(phase, "breakdown", "P4", 100, 100);
    stats.Add(phase, "breakdown", "P10", 0, 100);
  }
  const Assessment a = Run(body, &stats);
  EXPECT_EQ(Order(a), Order(base));
  EXPECT_EQ(Get(a, "P4").score, Get(base, "P4").score);
  EXPECT_EQ(Get(a, "P4").learned_factor, 1.0);
}

TEST_F(OutcomeLearningTest, FewerThanMinOutcomesChangeNothingButAreReported) {
  PracticeOutcomeStats stats;
  stats.Add("implementation", "breakdown", "P4", 4, 4);
  stats.Add("implementation", "breakdown", "P10", 0, 4);
  const Assessment base = Run(kBreakdown, nullptr);
  const Assessment a = Run(kBreakdown, &stats);
  EXPECT_EQ(Order(a), Order(base));
  const PracticeSuggestion& p4 = Get(a, "P4");
  EXPECT_EQ(p4.score, Get(base, "P4").score);
  EXPECT_EQ(p4.learned_factor, 1.0);
  // Explain still shows the counts that were not enough.
  EXPECT_EQ(p4.outcomes_worked, 4u);
  EXPECT_EQ(p4.outcomes_total, 4u);
  EXPECT_THAT(p4.rationale, Not(HasSubstr("recorded outcomes")));
}

TEST_F(OutcomeLearningTest, AFewOutcomesMoveScoresButDoNotFlipTheOrder) {
  // Let every outcome count, so only the smoothing holds the order.
  cse::config::v1::OutcomeLearning learning;
  learning.set_min_outcomes(1);
  auto m = Compile(learning);
  ASSERT_NE(m, nullptr);
  PracticeOutcomeStats stats;
  stats.Add("implementation", "breakdown", "P4", 4, 4);
  stats.Add("implementation", "breakdown", "P10", 0, 4);
  const Assessment a = Run(kBreakdown, &stats, m.get());
  // Raw rates (1 and 0) would give P4 1.5 x 2 = 3 over P10 3.6 x 0.5 =
  // 1.8. Smoothed: P4 x (4 + 5) / 14 / 0.5 = 1.93, P10 x 5/14/0.5 = 2.57.
  ASSERT_GE(a.all_practices.size(), 2u);
  EXPECT_EQ(a.all_practices[0].practice_id, "P10");
  EXPECT_EQ(a.all_practices[1].practice_id, "P4");
  const PracticeSuggestion& p4 = Get(a, "P4");
  EXPECT_DOUBLE_EQ(p4.learned_factor, (9.0 / 14.0) / 0.5);
  EXPECT_DOUBLE_EQ(p4.score, 1.5 * p4.learned_factor);
  EXPECT_THAT(p4.rationale,
              HasSubstr("; recorded outcomes raised its score: worked 4 of 4 "
                        "times in implementation and usage for breakdown."));
  EXPECT_THAT(Get(a, "P10").rationale,
              HasSubstr("; recorded outcomes lowered its score: worked 0 of 4 "
                        "times"));
}

TEST_F(OutcomeLearningTest, ManyConsistentOutcomesFlipTheOrderAndSaySo) {
  PracticeOutcomeStats stats;
  stats.Add("implementation", "breakdown", "P4", 27, 30);
  stats.Add("implementation", "breakdown", "P10", 6, 30);
  const Assessment a = Run(kBreakdown, &stats);
  // P4: 1.5 x (27 + 5) / 40 / 0.5 = 1.5 x 1.6 = 2.4;
  // P10: 3.6 x (6 + 5) / 40 / 0.5 = 3.6 x 0.55 = 1.98.
  ASSERT_GE(a.suggestions.size(), 2u);
  const PracticeSuggestion& top = a.suggestions[0];
  EXPECT_EQ(top.practice_id, "P4");
  EXPECT_EQ(a.suggestions[1].practice_id, "P10");
  EXPECT_DOUBLE_EQ(top.learned_factor, 1.6);
  EXPECT_DOUBLE_EQ(top.score, top.phase_prior * top.event_affinity *
                                  top.routine_factor * top.learned_factor);
  EXPECT_EQ(top.outcomes_worked, 27u);
  EXPECT_EQ(top.outcomes_total, 30u);
  EXPECT_THAT(top.rationale,
              HasSubstr("; recorded outcomes moved it up: worked 27 of 30 "
                        "times in implementation and usage for breakdown."));
  EXPECT_THAT(a.suggestions[1].rationale,
              HasSubstr("; recorded outcomes moved it down: worked 6 of 30 "
                        "times in implementation and usage for breakdown."));
  // The note shows the learned ranking too.
  EXPECT_LT(a.note_markdown.find("(P4)"), a.note_markdown.find("(P10)"));
  // Practices the outcomes did not touch keep their rationale.
  const Assessment base = Run(kBreakdown, nullptr);
  EXPECT_EQ(Get(a, "P1").rationale, Get(base, "P1").rationale);
}

TEST_F(OutcomeLearningTest, WorsenedOutcomesPushAPracticeDown) {
  PracticeOutcomeStats stats;
  // Twelve outcomes that all worsened (or did nothing): none worked.
  stats.Add("implementation", "", "P10", 0, 12);
  const Assessment base = Run(kNoEvent, nullptr);
  ASSERT_EQ(base.all_practices[0].practice_id, "P10");
  const Assessment a = Run(kNoEvent, &stats);
  // 5 / 22 / 0.5 = 0.45, floored at 1 / max_factor: 0.6 x 0.5 = 0.3 < P4's
  // 0.5.
  EXPECT_EQ(a.all_practices[0].practice_id, "P4");
  EXPECT_EQ(a.all_practices[1].practice_id, "P10");
  const PracticeSuggestion& p10 = Get(a, "P10");
  EXPECT_DOUBLE_EQ(p10.learned_factor, 0.5);
  EXPECT_DOUBLE_EQ(p10.score, 0.3);
  EXPECT_THAT(p10.rationale,
              HasSubstr("; recorded outcomes moved it down: worked 0 of 12 "
                        "times in implementation and usage with no critical "
                        "event."));
  // P4 rose only because P10 fell: its own score is unchanged and its
  // rationale claims nothing.
  EXPECT_EQ(Get(a, "P4").score, Get(base, "P4").score);
  EXPECT_THAT(Get(a, "P4").rationale, Not(HasSubstr("recorded outcomes")));
}

TEST_F(OutcomeLearningTest, CountsAreReadForTheDetectedOpportunity) {
  // Praise only (an opportunity): the counts filed under "praise" apply.
  const absl::string_view body = "great job on the go-live!";
  PracticeOutcomeStats stats;
  stats.Add("implementation", "praise", "P6", 6, 20);
  const Assessment base = Run(body, nullptr);
  const Assessment a = Run(body, &stats);
  const PracticeSuggestion& p6 = Get(a, "P6");
  EXPECT_DOUBLE_EQ(p6.learned_factor, (11.0 / 30.0) / 0.5);
  EXPECT_LT(p6.score, Get(base, "P6").score);
  EXPECT_THAT(p6.rationale, HasSubstr("for praise."));
}

TEST_F(OutcomeLearningTest, NeutralRateAndPriorStrengthAreConfigurable) {
  PracticeOutcomeStats stats;
  stats.Add("implementation", "breakdown", "P10", 7, 9);
  // 7 of 9 is above the default neutral rate 0.5: the score rises.
  EXPECT_GT(Get(Run(kBreakdown, &stats), "P10").learned_factor, 1.0);
  // Against a neutral rate of 0.9 the same record lowers it.
  cse::config::v1::OutcomeLearning learning;
  learning.set_neutral_success_rate(0.9);
  auto strict = Compile(learning);
  ASSERT_NE(strict, nullptr);
  EXPECT_DOUBLE_EQ(
      Get(Run(kBreakdown, &stats, strict.get()), "P10").learned_factor,
      ((7 + 9.0) / 19.0) / 0.9);
  // A stronger prior moves it less.
  learning.Clear();
  learning.set_prior_strength(100);
  auto cautious = Compile(learning);
  ASSERT_NE(cautious, nullptr);
  EXPECT_DOUBLE_EQ(
      Get(Run(kBreakdown, &stats, cautious.get()), "P10").learned_factor,
      ((7 + 50.0) / 109.0) / 0.5);
}

TEST(OutcomeLearningCompileTest, ValuesThatBreakTheFormulaAreRefused) {
  auto config = testing::TestConfig();
  auto* learning = config.mutable_suggestions()->mutable_outcome_learning();
  learning->set_neutral_success_rate(1);
  auto m = CompiledMapping::Compile(config, "v");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(std::string(m.status().message()),
              HasSubstr("suggestions.outcome_learning.neutral_success_rate"));
  learning->Clear();
  learning->set_max_factor(0.5);
  m = CompiledMapping::Compile(config, "v");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(std::string(m.status().message()),
              HasSubstr("suggestions.outcome_learning.max_factor"));
  learning->Clear();
  learning->set_prior_strength(-1);
  EXPECT_FALSE(CompiledMapping::Compile(config, "v").ok());
}

}  // namespace
}  // namespace cse::engine
