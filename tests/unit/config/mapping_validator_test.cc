// Semantic checks, through the YAML loader so that each test also pins the
// line the SourceMap gives the error; a few run on the proto alone.
#include "sidecar/config/mapping_validator.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/config/mapping_loader.h"
#include "tests/testing/status_matchers.h"

namespace cse::config {
namespace {

using ::cse::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;

// A valid mapping of 7 lines; tests append sections from line 8 on.
constexpr char kBase[] = R"(phase_model:
  phases:
    - id: onboarding
    - id: usage
practices:
  - id: P1
  - id: P2
)";

absl::StatusOr<LoadedMapping> LoadWithBase(const std::string& more) {
  return LoadMappingYaml(kBase + more, "test.yaml");
}

std::vector<ConfigError> ErrorsOf(const std::string& yaml) {
  std::vector<ConfigError> errors;
  EXPECT_FALSE(LoadMappingYaml(yaml, "test.yaml", &errors).ok());
  return errors;
}

TEST(MappingValidatorTest, TheBaseIsValid) {
  EXPECT_TRUE(LoadWithBase("").ok());
}

TEST(MappingValidatorTest, UnknownPhaseIdInAFieldRule) {
  EXPECT_THAT(
      LoadWithBase(R"(field_rules:
  - id: new_account
    phase: onbording
    when:
      fields: [{field: status, any_of: [new]}]
)"),
      StatusIs(kInvalid, HasSubstr("test.yaml:10:5: field_rules[0].phase: "
                                   "unknown phase id 'onbording'; expected one "
                                   "of: onboarding, usage")));
}

TEST(MappingValidatorTest, NegativeHintWeight) {
  EXPECT_THAT(LoadWithBase(R"(field_rules:
  - id: stage_hint
    phase: usage
    hint_weight: -2
    when:
      fields: [{field: deal_stage, any_of: [closedwon]}]
)"),
              StatusIs(kInvalid,
                       HasSubstr("test.yaml:11:5: field_rules[0].hint_weight: "
                                 "must be a finite number >= 0")));
}

TEST(MappingValidatorTest, UnknownPhaseIdInEveryReferringList) {
  const std::vector<ConfigError> errors = ErrorsOf(std::string(kBase) + R"(
critical_events:
  - id: breakdown
    polarity: negative
    patterns: [{id: down, pattern: down}]
    phases: [usage, nope]
playbooks:
  - {id: pb, practice: P1, phases: [nope]}
anti_patterns:
  - {id: ap, requires_events: [breakdown], phases: [nope]}
)");
  ASSERT_THAT(errors, SizeIs(3));
  EXPECT_EQ(errors[0].ToString(),
            "test.yaml:13:21: critical_events[0].phases[1]: unknown phase id "
            "'nope'; expected one of: onboarding, usage");
  EXPECT_EQ(errors[1].field_path, "playbooks[0].phases[0]");
  EXPECT_EQ(errors[1].location, "test.yaml:15:37");
  EXPECT_EQ(errors[2].field_path, "anti_patterns[0].phases[0]");
}

TEST(MappingValidatorTest, DuplicateFieldRuleId) {
  EXPECT_THAT(
      LoadWithBase(R"(field_rules:
  - id: by_status
    phase: onboarding
    when: {fields: [{field: status, any_of: [new]}]}
  - id: by_status
    phase: usage
    when: {min_reopen_count: 1}
)"),
      StatusIs(kInvalid, HasSubstr("test.yaml:12:5: field_rules[1].id: "
                                   "duplicate field rule id 'by_status'; first "
                                   "defined at field_rules[0]")));
}

TEST(MappingValidatorTest, DuplicatePatternIdAcrossSections) {
  const char* yaml = R"(phase_model:
  phases:
    - id: onboarding
      signals:
        - {id: outage, pattern: 'go live'}
practices:
  - id: P1
critical_events:
  - id: breakdown
    polarity: negative
    patterns:
      - id: outage
        pattern: 'down'
)";
  EXPECT_THAT(
      LoadMappingYaml(yaml, "test.yaml"),
      StatusIs(kInvalid,
               HasSubstr("test.yaml:12:9: "
                         "critical_events[0].patterns[0].id: "
                         "duplicate text pattern id 'outage'; first "
                         "defined at phase_model.phases[0].signals[0]")));
}

TEST(MappingValidatorTest, DuplicatePatternIdInAnAntiPattern) {
  EXPECT_THAT(
      LoadWithBase(R"(critical_events:
  - id: breakdown
    polarity: negative
    patterns: [{id: p, pattern: down}]
anti_patterns:
  - id: blame
    patterns: [{id: p, pattern: 'your fault'}]
)"),
      StatusIs(kInvalid, HasSubstr("test.yaml:14:17: "
                                   "anti_patterns[0].patterns[0].id: duplicate "
                                   "text pattern id 'p'")));
}

TEST(MappingValidatorTest, InvalidRegexReportsRe2sMessage) {
  EXPECT_THAT(
      LoadWithBase(R"(critical_events:
  - id: breakdown
    polarity: negative
    patterns:
      - {id: down, pattern: 'down'}
      - id: crash
        pattern: '(crash|fail'
)"),
      StatusIs(kInvalid, HasSubstr("test.yaml:14:9: "
                                   "critical_events[0].patterns[1].pattern: "
                                   "invalid RE2 pattern: missing ): "
                                   "(crash|fail")));
}

TEST(MappingValidatorTest, BackreferenceIsAnInvalidRegex) {
  EXPECT_THAT(
      LoadWithBase(R"(field_rules:
  - id: r
    phase: usage
    when: {fields: [{field: type, pattern: '(a)\1'}]}
)"),
      StatusIs(kInvalid, HasSubstr("test.yaml:11:35: field_rules[0].when."
                                   "fields[0].pattern: invalid RE2 pattern: "
                                   "invalid escape sequence: \\1")));
}

TEST(MappingValidatorTest, EmptyPhaseModel) {
  const char* yaml = R"(version: v1
phase_model:
  id: demo
  phases: []
practices:
  - id: P1
)";
  EXPECT_THAT(
      LoadMappingYaml(yaml, "test.yaml"),
      StatusIs(kInvalid, HasSubstr("test.yaml:4:3: phase_model.phases: the "
                                   "phase model has no phases")));
}

TEST(MappingValidatorTest, MissingPhaseModelPointsAtTheFile) {
  std::vector<ConfigError> errors = ErrorsOf("practices:\n  - id: P1\n");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].ToString(),
            "test.yaml: phase_model: a phase model with at least one phase is "
            "required");
}

TEST(MappingValidatorTest, PhaseIdsMustBeLowerSnakeCase) {
  EXPECT_THAT(
      LoadMappingYaml("phase_model:\n  phases:\n    - id: Go-Live\n"
                      "practices: [{id: P1}]\n",
                      "test.yaml"),
      StatusIs(kInvalid, HasSubstr("test.yaml:3:7: phase_model.phases[0].id: "
                                   "the phase id 'Go-Live' must be lower "
                                   "snake case")));
}

TEST(MappingValidatorTest, DuplicatePhaseId) {
  EXPECT_THAT(
      LoadMappingYaml("phase_model:\n  phases:\n    - id: a\n    - id: a\n"
                      "practices: [{id: P1}]\n",
                      "test.yaml"),
      StatusIs(kInvalid, HasSubstr("test.yaml:4:7: phase_model.phases[1].id: "
                                   "duplicate phase id 'a'")));
}

TEST(MappingValidatorTest, UnknownPracticeIdInPriors) {
  const char* yaml = R"(phase_model:
  phases:
    - id: onboarding
    - id: usage
      practice_priors:
        P1: 0.5
        P11: 0.8
practices:
  - id: P1
)";
  EXPECT_THAT(
      LoadMappingYaml(yaml, "test.yaml"),
      StatusIs(kInvalid, HasSubstr("test.yaml:7:9: phase_model.phases[1]."
                                   "practice_priors.P11: unknown practice id "
                                   "'P11'; expected one of: P1")));
}

TEST(MappingValidatorTest, UnknownPracticeInAffinityAndPlaybook) {
  const std::vector<ConfigError> errors = ErrorsOf(std::string(kBase) + R"(
critical_events:
  - id: breakdown
    polarity: negative
    conditions: [{require_sla_breached: true}]
    practice_affinity: {P3: 1, P1: 2}
playbooks:
  - {id: pb, practice: P9}
)");
  ASSERT_THAT(errors, SizeIs(2));
  EXPECT_EQ(errors[0].ToString(),
            "test.yaml:13:25: critical_events[0].practice_affinity.P3: "
            "unknown practice id 'P3'; expected one of: P1, P2");
  EXPECT_EQ(errors[1].ToString(),
            "test.yaml:15:14: playbooks[0].practice: unknown practice id "
            "'P9'; expected one of: P1, P2");
}

TEST(MappingValidatorTest, NegativePriorIsAnError) {
  EXPECT_THAT(
      LoadMappingYaml("phase_model:\n  phases:\n    - id: a\n"
                      "      practice_priors: {P1: -0.5}\n"
                      "practices: [{id: P1}]\n",
                      "test.yaml"),
      StatusIs(kInvalid, HasSubstr("test.yaml:4:25: phase_model.phases[0]."
                                   "practice_priors.P1: a prior must be >= 0, "
                                   "got -0.5")));
}

TEST(MappingValidatorTest, UnknownCriticalEventInPlaybookAndAntiPattern) {
  const std::vector<ConfigError> errors = ErrorsOf(std::string(kBase) + R"(
playbooks:
  - {id: pb, practice: P1, critical_events: [breakdwon]}
anti_patterns:
  - {id: ap, requires_events: [breakdwon]}
)");
  ASSERT_THAT(errors, SizeIs(2));
  EXPECT_EQ(errors[0].ToString(),
            "test.yaml:10:46: playbooks[0].critical_events[0]: unknown "
            "critical event id 'breakdwon'; none are defined");
  EXPECT_EQ(errors[1].field_path, "anti_patterns[0].requires_events[0]");
}

TEST(MappingValidatorTest, PolarityUnspecifiedOnADetector) {
  EXPECT_THAT(LoadWithBase(R"(critical_events:
  - id: breakdown
    polarity: unspecified
    patterns: [{id: down, pattern: down}]
)"),
              StatusIs(kInvalid,
                       HasSubstr("test.yaml:10:5: critical_events[0].polarity: "
                                 "polarity is required")));
}

TEST(MappingValidatorTest, MissingPolarityPointsAtTheDetector) {
  EXPECT_THAT(LoadWithBase(R"(critical_events:
  - id: breakdown
    patterns: [{id: down, pattern: down}]
)"),
              StatusIs(kInvalid,
                       HasSubstr("test.yaml:9:5: critical_events[0].polarity: "
                                 "polarity is required")));
}

TEST(MappingValidatorTest, BadFieldPathInFieldMatch) {
  EXPECT_THAT(
      LoadWithBase(R"(field_rules:
  - id: r
    phase: usage
    when:
      fields:
        - field: requester.name
          any_of: [admin]
)"),
      StatusIs(kInvalid, HasSubstr("test.yaml:13:11: field_rules[0].when."
                                   "fields[0].field: unknown field "
                                   "'requester.name'; expected one of: source, "
                                   "event, kind")));
}

TEST(MappingValidatorTest, CustomFieldNeedsAKey) {
  const std::vector<ConfigError> errors = ErrorsOf(std::string(kBase) + R"(
field_rules:
  - id: r
    phase: usage
    when:
      fields:
        - {field: custom_fields.plan, any_of: [gold]}
        - {field: custom_fields., any_of: [gold]}
)");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].field_path, "field_rules[0].when.fields[1].field");
  EXPECT_EQ(errors[0].location, "test.yaml:15:12");
}

TEST(MappingValidatorTest, BothAnyOfAndPatternIsAnError) {
  EXPECT_THAT(
      LoadWithBase(R"(field_rules:
  - id: r
    phase: usage
    when:
      fields:
        - field: status
          any_of: [open]
          pattern: 'op.*'
)"),
      StatusIs(kInvalid, HasSubstr("test.yaml:13:11: field_rules[0].when."
                                   "fields[0]: set exactly one of any_of and "
                                   "pattern, not both")));
}

TEST(MappingValidatorTest, NeitherAnyOfNorPatternIsAnError) {
  EXPECT_THAT(LoadWithBase(R"(field_rules:
  - id: r
    phase: usage
    when: {fields: [{field: status}]}
)"),
              StatusIs(kInvalid, HasSubstr("field_rules[0].when.fields[0]: "
                                           "set exactly one of any_of and "
                                           "pattern")));
}

TEST(MappingValidatorTest, FieldRuleWithoutAConditionPart) {
  EXPECT_THAT(LoadWithBase(R"(field_rules:
  - id: r
    phase: usage
)"),
              StatusIs(kInvalid, HasSubstr("test.yaml:9:5: field_rules[0]."
                                           "when: a field rule needs at least "
                                           "one condition part")));
}

TEST(MappingValidatorTest, TopNAboveTen) {
  EXPECT_THAT(
      LoadWithBase("suggestions:\n  top_n: 11\n"),
      StatusIs(kInvalid, HasSubstr("test.yaml:9:3: suggestions.top_n: "
                                   "top_n must be at most 10, got 11")));
}

TEST(MappingValidatorTest, OutcomeLearningOutOfRange) {
  std::vector<ConfigError> errors =
      ErrorsOf(std::string(kBase) + R"(suggestions:
  outcome_learning:
    prior_strength: -1
    neutral_success_rate: 1
    max_factor: 0.5
)");
  ASSERT_THAT(errors, SizeIs(3));
  EXPECT_EQ(errors[0].ToString(),
            "test.yaml:10:5: suggestions.outcome_learning.prior_strength: "
            "prior_strength must be > 0 and at most 10000 (0 or unset means "
            "the default), got -1");
  EXPECT_EQ(errors[1].ToString(),
            "test.yaml:11:5: "
            "suggestions.outcome_learning.neutral_success_rate: "
            "neutral_success_rate must be in (0, 1) (0 or unset means the "
            "default), got 1");
  EXPECT_EQ(errors[2].ToString(),
            "test.yaml:12:5: suggestions.outcome_learning.max_factor: "
            "max_factor must be in [1, 100] (0 or unset means the default), "
            "got 0.5");

  // The upper ends, and a negative rate.
  errors = ErrorsOf(std::string(kBase) + R"(suggestions:
  outcome_learning: {prior_strength: 10001, neutral_success_rate: -0.1,
                     max_factor: 101}
)");
  ASSERT_THAT(errors, SizeIs(3));
  EXPECT_EQ(errors[0].field_path,
            "suggestions.outcome_learning.prior_strength");
  EXPECT_EQ(errors[1].field_path,
            "suggestions.outcome_learning.neutral_success_rate");
  EXPECT_EQ(errors[2].field_path, "suggestions.outcome_learning.max_factor");
}

TEST(MappingValidatorTest, OutcomeLearningInRangeIsValid) {
  EXPECT_TRUE(LoadWithBase(R"(suggestions:
  outcome_learning:
    prior_strength: 10000
    neutral_success_rate: 0.99
    min_outcomes: 1
    max_factor: 1
)")
                  .ok());
  EXPECT_TRUE(LoadWithBase(R"(suggestions:
  outcome_learning: {prior_strength: 0.5, neutral_success_rate: 0.01,
                     max_factor: 100}
)")
                  .ok());
}

TEST(MappingValidatorTest, TagPrefixCharsetAndLength) {
  std::vector<ConfigError> errors =
      ErrorsOf(std::string(kBase) + "tagging:\n  prefix: CSE_x\n");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].location, "test.yaml:9:3");
  EXPECT_THAT(errors[0].message, HasSubstr("lower-case letters, digits"));

  errors = ErrorsOf(std::string(kBase) +
                    "tagging:\n  prefix: abcdefghij-abcdefghij\n");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].ToString(),
            "test.yaml:9:3: tagging.prefix: the tag prefix is 21 characters; "
            "at most 20");
}

TEST(MappingValidatorTest, RatiosOutsideZeroToOne) {
  const std::vector<ConfigError> errors = ErrorsOf(std::string(kBase) + R"(
critical_events:
  - id: unhappy
    polarity: negative
    conditions:
      - {max_satisfaction_ratio: 1.5}
      - {min_satisfaction_ratio: 0.8, max_satisfaction_ratio: 0.2}
)");
  ASSERT_THAT(errors, SizeIs(2));
  EXPECT_EQ(errors[0].ToString(),
            "test.yaml:13:10: critical_events[0].conditions[0]."
            "max_satisfaction_ratio: a ratio must be in 0..1, got 1.5");
  EXPECT_EQ(errors[1].field_path,
            "critical_events[0].conditions[1].min_satisfaction_ratio");
}

TEST(MappingValidatorTest, NegativeWeightIsAnErrorZeroIsTheDefault) {
  const std::vector<ConfigError> errors = ErrorsOf(std::string(kBase) + R"(
critical_events:
  - id: breakdown
    polarity: negative
    patterns:
      - {id: a, pattern: a, weight: 0}
      - {id: b, pattern: b, weight: -2}
)");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].ToString(),
            "test.yaml:14:29: critical_events[0].patterns[1].weight: weight "
            "must be > 0 (0 or unset means 1), got -2");
}

TEST(MappingValidatorTest, DetectorNeedsSomethingToDetectWith) {
  EXPECT_THAT(LoadWithBase("critical_events:\n  - id: quiet\n"
                           "    polarity: opportunity\n"),
              StatusIs(kInvalid, HasSubstr("test.yaml:9:5: critical_events[0]: "
                                           "a critical event needs at least "
                                           "one pattern or condition")));
}

TEST(MappingValidatorTest, AtLeastOnePractice) {
  EXPECT_THAT(
      LoadMappingYaml("phase_model:\n  phases: [{id: a}]\n", "test.yaml"),
      StatusIs(kInvalid, HasSubstr("test.yaml: practices: at least "
                                   "one practice is required")));
}

TEST(MappingValidatorTest, ProtoPathReportsFieldPathsWithoutLocations) {
  v1::MappingConfig config;
  config.mutable_phase_model()->add_phases()->set_id("a");
  config.add_practices()->set_id("P1");
  v1::FieldRule* rule = config.add_field_rules();
  rule->set_id("r");
  rule->set_phase("b");
  rule->mutable_when()->set_require_sla_breached(true);

  std::vector<ConfigError> errors;
  EXPECT_THAT(LoadMappingProto(config, &errors),
              StatusIs(kInvalid, HasSubstr("field_rules[0].phase: unknown "
                                           "phase id 'b'")));
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].location, "");
  EXPECT_EQ(errors[0].ToString(),
            "field_rules[0].phase: unknown phase id 'b'; expected one of: a");
}

TEST(MappingValidatorTest, ProtoPathRejectsOutOfRangeEnumNumbers) {
  v1::MappingConfig config;
  config.mutable_phase_model()->add_phases()->set_id("a");
  config.add_practices()->set_id("P1");
  v1::CriticalEventDefinition* event = config.add_critical_events();
  event->set_id("e");
  event->set_polarity(static_cast<v1::Polarity>(7));
  v1::TextPattern* pattern = event->add_patterns();
  pattern->set_id("p");
  pattern->set_pattern("x");
  pattern->add_fields(static_cast<v1::TextField>(42));

  const std::vector<ConfigError> errors = ValidateMapping(config);
  ASSERT_THAT(errors, SizeIs(2));
  EXPECT_EQ(errors[0].field_path, "critical_events[0].polarity");
  EXPECT_EQ(errors[1].field_path, "critical_events[0].patterns[0].fields[0]");
}

TEST(MappingValidatorTest, LocateErrorsFallsBackToTheNearestAncestor) {
  SourceMap map;
  map.Record("critical_events[2]", {30, 5});
  std::vector<ConfigError> errors = {
      {"", "critical_events[2].polarity", "m"},
      {"", "suggestions.top_n", "m"},
      {"kept:1:1", "critical_events[2]", "m"},
  };
  LocateErrors(&errors, map, "f.yaml");
  EXPECT_EQ(errors[0].location, "f.yaml:30:5");
  EXPECT_EQ(errors[1].location, "f.yaml");
  EXPECT_EQ(errors[2].location, "kept:1:1");
}

TEST(MappingValidatorTest, ValidMappingHasNoErrors) {
  const std::string yaml = std::string(kBase) + R"(
field_rules:
  - id: new_ticket
    phase: onboarding
    priority: 2
    when:
      fields:
        - {field: custom_fields.plan, any_of: [trial]}
        - {field: account.segment, pattern: '^smb'}
critical_events:
  - id: breakdown
    polarity: negative
    patterns: [{id: down, pattern: '\bdown\b', weight: 2, fields: [body]}]
    conditions: [{min_reopen_count: 2}]
    phases: [usage]
    practice_affinity: {P1: 3}
playbooks:
  - {id: pb, practice: P2, phases: [usage], critical_events: [breakdown]}
anti_patterns:
  - id: ignore
    requires_events: [breakdown]
tagging: {prefix: cse-x}
suggestions: {top_n: 10}
)";
  std::vector<ConfigError> errors;
  EXPECT_TRUE(LoadMappingYaml(yaml, "test.yaml", &errors).ok());
  EXPECT_THAT(errors, IsEmpty());
}

}  // namespace
}  // namespace cse::config
