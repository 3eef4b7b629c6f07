// The cse_cli library without a process: input shapes, styling, labels.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/cli/event_input.h"
#include "sidecar/cli/render.h"

namespace cse::cli {
namespace {

using ::testing::HasSubstr;

TEST(ParseEventJsonTest, AcceptsEveryDocumentedShape) {
  auto wrapped =
      ParseEventJson(R"({"meeting": {"notes": "n"}})", EventKindHint::kAuto);
  ASSERT_TRUE(wrapped.ok()) << wrapped.status();
  EXPECT_EQ(wrapped->meeting().notes(), "n");

  auto line = ParseEventJson(
      R"({"id": "t1", "split": "tune", "event": {"ticket": {"body": "b"}},
          "expected": {"phase": "x"}})",
      EventKindHint::kAuto);
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->ticket().body(), "b");

  auto bare = ParseEventJson(R"({"body": "b", "ticket_id": "7"})",
                             EventKindHint::kTicket);
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_EQ(bare->ticket().ticket_id(), "7");  // proto names work too

  auto with_options = ParseEventJson(
      R"({"ticket": {}, "options": {"topN": 5}, "assumeLastPhaseId": "p"})",
      EventKindHint::kAuto);
  ASSERT_TRUE(with_options.ok()) << with_options.status();
  EXPECT_EQ(with_options->options().top_n(), 5u);
  EXPECT_EQ(with_options->assume_last_phase_id(), "p");
}

TEST(ParseEventJsonTest, ErrorsSayWhatIsWrong) {
  auto syntax = ParseEventJson("{\"ticket\": [}", EventKindHint::kAuto);
  EXPECT_EQ(syntax.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(syntax.status().message()),
              HasSubstr("invalid JSON: parse error at line 1, column 13"));

  auto kind_clash =
      ParseEventJson(R"({"ticket": {}})", EventKindHint::kMeeting);
  EXPECT_THAT(std::string(kind_clash.status().message()),
              HasSubstr("holds a ticket but --kind says meeting"));

  auto enum_value =
      ParseEventJson(R"({"ticket": {"kind": "OPENED"}})", EventKindHint::kAuto);
  EXPECT_THAT(std::string(enum_value.status().message()), HasSubstr("kind"));

  auto not_object = ParseEventJson("[1, 2]", EventKindHint::kAuto);
  EXPECT_THAT(std::string(not_object.status().message()),
              HasSubstr("expected an object, got array"));
}

TEST(TextEventRequestTest, TicketBodyOrMeetingNotes) {
  const auto ticket = TextEventRequest("hello", EventKindHint::kAuto);
  EXPECT_EQ(ticket.ticket().body(), "hello");
  EXPECT_EQ(ticket.ticket().kind(), cse::v1::TICKET_EVENT_KIND_CREATED);
  const auto meeting = TextEventRequest("hello", EventKindHint::kMeeting);
  EXPECT_EQ(meeting.meeting().notes(), "hello");
}

TEST(TextStyleTest, ColourOnlyWhenAsked) {
  EXPECT_EQ(TextStyle(false).Bold("x"), "x");
  EXPECT_EQ(TextStyle(true).Bold("x"), "\033[1mx\033[0m");
  EXPECT_EQ(TextStyle(true).Red(""), "");
}

TEST(LabelsTest, CircumplexAndEvidence) {
  cse::v1::PracticeSuggestion s;
  s.set_organization(cse::v1::MODE_OF_ORGANIZATION_REGULAR);
  s.set_engagement(cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE);
  s.set_effect(cse::v1::EFFECT_BOLSTER);
  EXPECT_EQ(CircumplexLabel(s), "regular · proactive → bolsters CSE");

  cse::v1::Evidence e;
  e.set_field("notes");
  e.set_start(3);
  e.set_end(9);
  e.set_excerpt("line one\n  line\ttwo ");
  EXPECT_EQ(EvidenceLabel(e), "notes[3..9] \"line one line two\"");
}

TEST(RenderAssessmentTest, UnknownPhaseAndEmptySections) {
  cse::v1::Assessment a;
  a.set_mapping_version("m@1");
  const std::string out = RenderAssessment(a, TextStyle(false));
  EXPECT_THAT(out, HasSubstr("Phase: unknown"));
  EXPECT_THAT(out, HasSubstr("Critical events\n  none\n"));
  EXPECT_THAT(out, HasSubstr("Mapping version: m@1\n"));
}

TEST(RenderExplanationTest, PhaseTotalsIncludeFieldRuleHints) {
  cse::v1::AssessResponse r;
  auto add = [&](const char* type, const char* id, const char* detail) {
    cse::v1::RuleTrace* t = r.mutable_explanation()->add_traces();
    t->set_rule_type(type);
    t->set_rule_id(id);
    t->set_outcome(cse::v1::RuleTrace::OUTCOME_FIRED);
    t->set_detail(detail);
  };
  add("phase_signal", "sig_a", "+2.00 for alpha");
  add("phase_signal", "sig_b", "+1.00 for beta");
  add("field_rule", "hint_b", "hint +1.50 for beta: type in [x]");
  add("field_rule", "rule_c", "type in [y] -> alpha");
  add("custom_kind", "odd", "something else");
  const std::string out = RenderExplanation(r, TextStyle(false));
  EXPECT_THAT(out, HasSubstr("beta: total 2.50 (2 signals)\n"
                             "    +1.00  sig_b\n"
                             "    +1.50  hint_b (field-rule hint)\n"
                             "  alpha: total 2.00 (1 signal)\n"));
  EXPECT_THAT(out, HasSubstr("fired      hint_b: hint +1.50 for beta"));
  EXPECT_THAT(out, HasSubstr("fired      rule_c: type in [y] -> alpha"));
  EXPECT_THAT(out, HasSubstr("Anti-patterns\n  none fired or nearly fired"));
  EXPECT_THAT(out, HasSubstr("custom_kind\n  fired      odd: something else"));
}

}  // namespace
}  // namespace cse::cli
