#include "sidecar/engine/journey_engine.h"

#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/engine/test_mapping.h"

namespace cse::engine {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

class JourneyEngineTest : public ::testing::Test {
 protected:
  void SetUp() override { mapping_ = testing::TestMapping(); }

  Assessment Run(const EventView& e, AssessOptions options = {}) {
    auto a = Assess(*mapping_, e, options);
    EXPECT_TRUE(a.ok()) << a.status();
    return a.ok() ? *std::move(a) : Assessment{};
  }

  static EventView Ticket(absl::string_view subject, absl::string_view body) {
    EventView e;
    e.kind = EventKind::kTicket;
    e.text[static_cast<int>(TextField::kSubject)] = subject;
    e.text[static_cast<int>(TextField::kBody)] = body;
    return e;
  }

  std::vector<std::string> EventTypes(const Assessment& a) {
    std::vector<std::string> out;
    for (const auto& e : a.critical_events) out.push_back(e.type);
    return out;
  }

  std::shared_ptr<const CompiledMapping> mapping_;
};

// ---- Phase layer (b): text signals.

TEST_F(JourneyEngineTest, TextSignalsDecideThePhaseWithEvidence) {
  const std::string body = "Since the GO-LIVE we see an error on import.";
  Assessment a = Run(Ticket("Import", body));
  EXPECT_EQ(a.phase.id, "implementation");
  EXPECT_EQ(a.phase.number, 3u);
  EXPECT_EQ(a.phase.decided_by, ReasonKind::kTextSignal);
  ASSERT_THAT(a.phase.because, Not(IsEmpty()));
  // Strongest signal first; its evidence slices the original text.
  const Reason& r = a.phase.because.front();
  EXPECT_EQ(r.rule_id, "i.golive");
  ASSERT_TRUE(r.has_evidence);
  EXPECT_EQ(r.evidence.field, TextField::kBody);
  EXPECT_EQ(body.substr(r.evidence.start, r.evidence.end - r.evidence.start),
            "GO-LIVE");
  EXPECT_THAT(r.evidence.excerpt, HasSubstr("GO-LIVE"));
}

TEST_F(JourneyEngineTest, EvidenceOffsetsPointIntoTheOriginalAccentedText) {
  const std::string body = "Éé géén storing meer?";
  Assessment a = Run(Ticket("", body));
  ASSERT_EQ(a.phase.id, "implementation");
  const Reason& r = a.phase.because.front();
  EXPECT_EQ(body.substr(r.evidence.start, r.evidence.end - r.evidence.start),
            "storing");
}

TEST_F(JourneyEngineTest, FieldRestrictedSignalIgnoresOtherFields) {
  // i.error only counts in the body; in the subject it must not fire.
  Assessment a = Run(Ticket("error", "hello"));
  EXPECT_FALSE(a.phase.decided);
  a = Run(Ticket("hello", "error"));
  EXPECT_EQ(a.phase.id, "implementation");
}

TEST_F(JourneyEngineTest, HigherTotalWeightWinsAndConfidenceGrowsWithMargin) {
  // demo (1.5) + pricing (1) = 2.5 for orientation vs error (1).
  Assessment a = Run(Ticket("", "demo and pricing; one error"));
  EXPECT_EQ(a.phase.id, "orientation");
  Assessment clear = Run(Ticket("", "demo and pricing"));
  EXPECT_EQ(clear.phase.id, "orientation");
  EXPECT_GT(clear.phase.confidence, a.phase.confidence);
}

TEST_F(JourneyEngineTest, TextTieGoesToTheAccountsLastPhase) {
  // "struggling with" (2) vs "go-live" (2): a tie.
  EventView e = Ticket("", "struggling with the go-live");
  AssessOptions o;
  o.last_known_phase_id = "implementation";
  EXPECT_EQ(Run(e, o).phase.id, "implementation");
  o.last_known_phase_id = "trigger";
  EXPECT_EQ(Run(e, o).phase.id, "trigger");
  // No history: model order decides.
  EXPECT_EQ(Run(e).phase.id, "trigger");
}

// ---- Phase layer (a): field rules.

TEST_F(JourneyEngineTest, FieldRuleBeatsTextAndSaysSo) {
  EventView e = Ticket("", "can we get a demo and pricing?");
  e.custom_fields.emplace_back("dealstage", "ClosedWon");
  Assessment a = Run(e);
  EXPECT_EQ(a.phase.id, "implementation");
  EXPECT_EQ(a.phase.decided_by, ReasonKind::kFieldRule);
  EXPECT_EQ(a.phase.because.front().rule_id, "stage.closedwon");
  // The disagreeing text is reported and lowers confidence.
  EXPECT_THAT(a.phase.because,
              Contains(Field(&Reason::description, HasSubstr("Orientation"))));
  EventView agree = Ticket("", "go-live");
  agree.custom_fields.emplace_back("dealstage", "closedwon");
  EXPECT_GT(Run(agree).phase.confidence, a.phase.confidence);
}

TEST_F(JourneyEngineTest, HigherPriorityFieldRuleWins) {
  EventView e;
  e.kind = EventKind::kMeeting;
  e.meeting_type = "demo";
  e.custom_fields.emplace_back("dealstage", "closedwon");
  Assessment a = Run(e, {.top_n = 0, .explain = true});
  EXPECT_EQ(a.phase.id, "implementation");  // priority 30 beats 20
  EXPECT_THAT(a.phase.conflicts, IsEmpty());
  EXPECT_THAT(a.traces, Contains(AllOf(
                            Field(&RuleTrace::rule_id, "meeting.demo"),
                            Field(&RuleTrace::outcome, TraceOutcome::kNearMiss),
                            Field(&RuleTrace::detail, HasSubstr("lost to")))));
}

TEST_F(JourneyEngineTest,
       EqualPriorityConflictIsResolvedByFileOrderAndReported) {
  EventView e = Ticket("", "");
  e.type = "question";
  e.tags.push_back("onboarding");
  Assessment a = Run(e);
  EXPECT_EQ(a.phase.id, "trigger");  // type.question comes first
  ASSERT_THAT(a.phase.conflicts, SizeIs(1));
  EXPECT_THAT(a.phase.conflicts[0].rule_ids,
              ElementsAre("type.question", "tag.onboarding"));
  EXPECT_THAT(a.phase.conflicts[0].phase_ids,
              ElementsAre("trigger", "implementation"));
  EXPECT_THAT(a.phase.conflicts[0].resolution, HasSubstr("first"));
}

TEST_F(JourneyEngineTest, PartlyMatchingFieldRuleIsANearMissInExplain) {
  EventView e;
  e.kind = EventKind::kTicket;  // meeting.demo needs event=meeting
  e.meeting_type = "demo";
  Assessment a = Run(e, {.top_n = 0, .explain = true});
  EXPECT_THAT(a.traces,
              Contains(AllOf(Field(&RuleTrace::rule_id, "meeting.demo"),
                             Field(&RuleTrace::detail, HasSubstr("1 of 2")))));
}

TEST_F(JourneyEngineTest, HintRuleAddsWeightInsteadOfDeciding) {
  auto config = testing::TestConfig();
  // Turn the deal-stage rule into a hint worth 3.
  config.mutable_field_rules(0)->set_hint_weight(3);
  auto m = CompiledMapping::Compile(config, "v");
  ASSERT_TRUE(m.ok()) << m.status();

  // Strong text (demo 1.5 + pricing 1 = 2.5) loses to the hint (3)...
  EventView e = Ticket("", "can we get a demo and pricing?");
  e.custom_fields.emplace_back("dealstage", "closedwon");
  auto a = Assess(**m, e, {});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->phase.id, "implementation");
  EXPECT_THAT(a->phase.because,
              Contains(AllOf(Field(&Reason::rule_id, "stage.closedwon"),
                             Field(&Reason::description, HasSubstr("hint")))));
  // ...but stronger text outweighs it: pricing now weighs 2 (3.5 total).
  config.mutable_phase_model()
      ->mutable_phases(1)
      ->mutable_signals(1)
      ->set_weight(2);
  m = CompiledMapping::Compile(config, "v");
  ASSERT_TRUE(m.ok());
  a = Assess(**m, e, {});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->phase.id, "orientation");
  EXPECT_EQ(a->phase.decided_by, ReasonKind::kTextSignal);

  // With no text at all the hint alone decides, reported as a field rule.
  EventView bare = Ticket("", "");
  bare.custom_fields.emplace_back("dealstage", "closedwon");
  a = Assess(**m, bare, {});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->phase.id, "implementation");
  EXPECT_EQ(a->phase.decided_by, ReasonKind::kFieldRule);
}

TEST_F(JourneyEngineTest, NegativeHintWeightIsRejected) {
  auto config = testing::TestConfig();
  config.mutable_field_rules(0)->set_hint_weight(-1);
  auto m = CompiledMapping::Compile(config, "v");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(std::string(m.status().message()),
              HasSubstr("field_rules[0].hint_weight: must be >= 0"));
}

// ---- Phase layer (c): history.

TEST_F(JourneyEngineTest, NoSignalKeepsTheAccountsLastPhase) {
  AssessOptions o;
  o.last_known_phase_id = "orientation";
  Assessment a = Run(Ticket("Hello", "Just checking in."), o);
  EXPECT_EQ(a.phase.id, "orientation");
  EXPECT_EQ(a.phase.decided_by, ReasonKind::kAccountHistory);
  EXPECT_LT(a.phase.confidence, 0.5);
  EXPECT_TRUE(a.phase.previous_phase_id.empty());
}

TEST_F(JourneyEngineTest, StepBackIsReportedAsAMoveFromThePreviousPhase) {
  AssessOptions o;
  o.last_known_phase_id = "implementation";
  Assessment a = Run(Ticket("", "we are struggling with our process"), o);
  EXPECT_EQ(a.phase.id, "trigger");
  EXPECT_EQ(a.phase.previous_phase_id, "implementation");
  EXPECT_THAT(a.note_markdown, HasSubstr("Moved from Implementation"));
}

TEST_F(JourneyEngineTest, UnknownLastPhaseIsIgnoredAndNothingDecides) {
  AssessOptions o;
  o.last_known_phase_id = "no_such_phase";
  Assessment a = Run(Ticket("", "hello"), o);
  EXPECT_FALSE(a.phase.decided);
  EXPECT_THAT(a.tags, Contains("cse-phase-unknown"));
}

// ---- Critical events.

TEST_F(JourneyEngineTest, DetectsEventsFromTextWithEvidence) {
  const std::string body = "Our portal is down since 9am.";
  Assessment a = Run(Ticket("", body));
  ASSERT_THAT(EventTypes(a), ElementsAre("breakdown"));
  const DetectedEvent& e = a.critical_events[0];
  EXPECT_EQ(e.polarity, Polarity::kNegative);
  ASSERT_THAT(e.evidence, SizeIs(1));
  EXPECT_EQ(
      body.substr(e.evidence[0].start, e.evidence[0].end - e.evidence[0].start),
      "is down");
}

TEST_F(JourneyEngineTest, DetectsEventsFromStructuredConditionsAlone) {
  EventView e = Ticket("", "see attached");
  e.priority = "URGENT";
  e.type = "incident";
  EXPECT_THAT(EventTypes(Run(e)), ElementsAre("breakdown"));
  e.priority = "normal";
  EXPECT_THAT(EventTypes(Run(e)), IsEmpty());
}

TEST_F(JourneyEngineTest, RequireBothIsANearMissWithOnlyOnePart) {
  EventView e = Ticket("", "I will escalate this.");
  Assessment a = Run(e, {.top_n = 0, .explain = true});
  EXPECT_THAT(EventTypes(a), IsEmpty());
  EXPECT_THAT(
      a.traces,
      Contains(AllOf(Field(&RuleTrace::rule_id, "escalation"),
                     Field(&RuleTrace::outcome, TraceOutcome::kNearMiss),
                     Field(&RuleTrace::detail, HasSubstr("needs both")))));
  e.sla_breached = true;
  EXPECT_THAT(EventTypes(Run(e)), ElementsAre("escalation"));
}

TEST_F(JourneyEngineTest, SatisfactionRatioAndAbsentKeyAttendeeConditions) {
  EventView t = Ticket("", "ok");
  t.satisfaction_ratio = 0.95;
  EXPECT_THAT(EventTypes(Run(t)), ElementsAre("praise"));
  t.satisfaction_ratio = 0.5;
  EXPECT_THAT(EventTypes(Run(t)), IsEmpty());

  EventView m;
  m.kind = EventKind::kMeeting;
  m.attendees.push_back({"Ann", "IT manager", true, true, false, true});
  EXPECT_THAT(EventTypes(Run(m)), ElementsAre("absent_key_person"));
  m.attendees[0].attended = true;
  EXPECT_THAT(EventTypes(Run(m)), IsEmpty());
}

TEST_F(JourneyEngineTest, PhaseRestrictedDetectorOnlyFiresInItsPhases) {
  EXPECT_THAT(EventTypes(Run(Ticket("", "after go-live we want to renew"))),
              Contains("renewal"));
  EXPECT_THAT(EventTypes(Run(Ticket("", "demo first, then renew"))),
              Not(Contains("renewal")));
}

// ---- Anti-patterns.

TEST_F(JourneyEngineTest, AntiPatternNeedsItsEventAndASignal) {
  Assessment a = Run(Ticket("", "The app is down and nobody told us."));
  ASSERT_THAT(a.anti_patterns, SizeIs(1));
  EXPECT_EQ(a.anti_patterns[0].id, "no_proactive_information");
  EXPECT_THAT(a.tags, Contains("cse-warning-no-proactive-information"));
  // Without the breakdown the same words are no warning.
  EXPECT_THAT(Run(Ticket("", "nobody told us about the party")).anti_patterns,
              IsEmpty());
}

TEST_F(JourneyEngineTest, AntiPatternFiresOnAConditionInsteadOfAPattern) {
  EventView e = Ticket("", "any news?");
  e.reopen_count = 2;
  Assessment a = Run(e);
  ASSERT_THAT(a.anti_patterns, SizeIs(1));
  EXPECT_EQ(a.anti_patterns[0].id, "unanswered_requests");
}

// ---- Practice ranking and the circumplex.

TEST_F(JourneyEngineTest, ScoreIsPriorTimesAffinityTimesRoutine) {
  Assessment a = Run(Ticket("", "since go-live the portal is down"),
                     {.top_n = 0, .explain = true});
  ASSERT_EQ(a.phase.id, "implementation");
  const PracticeSuggestion& top = a.suggestions.front();
  EXPECT_EQ(top.practice_id, "P10");
  // prior 0.6 x (1 + 3) x routine 1.5 (playbook for breakdown).
  EXPECT_DOUBLE_EQ(top.phase_prior, 0.6);
  EXPECT_DOUBLE_EQ(top.event_affinity, 4.0);
  EXPECT_DOUBLE_EQ(top.routine_factor, 1.5);
  EXPECT_DOUBLE_EQ(top.score, 0.6 * 4.0 * 1.5);
  EXPECT_EQ(top.organization, Organization::kRegular);
  EXPECT_EQ(top.engagement, Engagement::kReactive);
  EXPECT_EQ(top.effect, Effect::kRestore);
  EXPECT_EQ(top.playbook_name, "Major incident");
  EXPECT_THAT(top.addresses_events, ElementsAre("breakdown"));
  EXPECT_THAT(top.rationale, HasSubstr("breakdown"));
  EXPECT_THAT(top.rationale, HasSubstr("is down"));
  // Second: P4 = 0.5 x 3, ad hoc.
  EXPECT_EQ(a.suggestions[1].practice_id, "P4");
  EXPECT_EQ(a.suggestions[1].organization, Organization::kAdHoc);
  // The full ranking is sorted and complete.
  ASSERT_THAT(a.all_practices, SizeIs(10));
  for (size_t i = 1; i < a.all_practices.size(); ++i) {
    EXPECT_GE(a.all_practices[i - 1].score, a.all_practices[i].score);
  }
}

TEST_F(JourneyEngineTest, OpportunityMakesAPracticeProactiveAndBolstering) {
  EventView e = Ticket("", "great job on the go-live!");
  Assessment a = Run(e);
  ASSERT_THAT(EventTypes(a), ElementsAre("praise"));
  const PracticeSuggestion& top = a.suggestions.front();
  EXPECT_EQ(top.practice_id, "P6");  // 0.2 x 3
  EXPECT_EQ(top.engagement, Engagement::kProactive);
  EXPECT_EQ(top.effect, Effect::kBolster);
  EXPECT_THAT(a.tags, Contains("cse-bolster"));
}

TEST_F(JourneyEngineTest, WithoutEventsThePhaseDefaultEngagementApplies) {
  Assessment a = Run(Ticket("", "could we see a demo?"));
  ASSERT_EQ(a.phase.id, "orientation");
  EXPECT_EQ(a.suggestions.front().practice_id, "P2");
  EXPECT_EQ(a.suggestions.front().engagement, Engagement::kProactive);
  // One readable sentence naming the phase and the research prior.
  EXPECT_THAT(a.suggestions.front().rationale,
              StartsWith("Typical in orientation (research prior "));
  EXPECT_THAT(a.suggestions.front().rationale, HasSubstr("no critical event"));
}

TEST_F(JourneyEngineTest, TopNIsHonouredAndClamped) {
  EventView e = Ticket("", "demo");
  EXPECT_THAT(Run(e).suggestions, SizeIs(3));  // the mapping's default
  EXPECT_THAT(Run(e, {.top_n = 5}).suggestions, SizeIs(5));
  EXPECT_THAT(Run(e, {.top_n = 50}).suggestions, SizeIs(10));
}

// ---- Tags and note.

TEST_F(JourneyEngineTest, TagsFollowTheDocumentedVocabulary) {
  Assessment a = Run(Ticket("", "since go-live the portal is down"));
  EXPECT_THAT(a.tags, ElementsAre("cse-phase-3-implementation",
                                  "cse-event-breakdown", "cse-restore"));
  for (const auto& t : a.tags) {
    EXPECT_TRUE(RE2::FullMatch(t, "[a-z0-9-]+")) << t;
  }
}

TEST_F(JourneyEngineTest, NoteNamesPhaseEventsPracticesAndMappingVersion) {
  Assessment a = Run(Ticket("", "since go-live the portal is down"));
  EXPECT_THAT(a.note_markdown, HasSubstr("Implementation and usage"));
  EXPECT_THAT(a.note_markdown, HasSubstr("Breakdown"));
  EXPECT_THAT(a.note_markdown, HasSubstr("**Stabilise the situation** (P10)"));
  EXPECT_THAT(a.note_markdown, HasSubstr("regular, reactive, restores"));
  EXPECT_THAT(a.note_markdown, HasSubstr("https://wiki.example.com/incident"));
  EXPECT_THAT(a.note_markdown, HasSubstr("test-1@abc"));
}

// The label the adapters read back (adapters/common/outcome_tag.h), for the
// top practice and the reaction its effect aims at.
TEST_F(JourneyEngineTest, NoteTellsTheAgentHowToRecordTheOutcome) {
  Assessment a = Run(Ticket("", "since go-live the portal is down"));
  ASSERT_FALSE(a.suggestions.empty());
  EXPECT_EQ(a.suggestions.front().practice_id, "P10");
  EXPECT_THAT(a.note_markdown, HasSubstr("`cse-outcome-p10-restored`"));
}

TEST_F(JourneyEngineTest, NoteIsCutAtALineToFitTheLimit) {
  auto config = testing::TestConfig();
  config.mutable_suggestions()->set_max_note_bytes(200);
  auto m = CompiledMapping::Compile(config, "v");
  ASSERT_TRUE(m.ok());
  auto a = Assess(**m, Ticket("", "since go-live the portal is down"), {});
  ASSERT_TRUE(a.ok());
  EXPECT_LE(a->note_markdown.size(), 200u);
  EXPECT_THAT(a->note_markdown, HasSubstr("(shortened)"));
}

// ---- Bad input.

TEST_F(JourneyEngineTest, InvalidUtf8IsAnErrorNamingTheField) {
  auto a = Assess(*mapping_, Ticket("ok", "bad \xC3( byte"), {});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(a.status().message()),
              HasSubstr("body: invalid UTF-8 at byte 4"));
}

TEST_F(JourneyEngineTest, TextOverTheLimitIsAnErrorNamingTheField) {
  const std::string big(5000, 'a');
  auto a = Assess(*mapping_, Ticket(big, ""), {});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(a.status().message()),
              HasSubstr("subject: 5000 bytes exceeds the limit of 4096"));
}

// ---- Concurrency: one immutable mapping, many threads.

TEST_F(JourneyEngineTest, ConcurrentAssessmentsAgreeWithASerialOne) {
  const EventView e = Ticket("Outage", "since go-live the portal is down");
  const Assessment expected = Run(e);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        auto a = Assess(*mapping_, e, {});
        if (!a.ok() || a->tags != expected.tags ||
            a->note_markdown != expected.note_markdown) {
          ++mismatches;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace cse::engine
