// The YAML side of loading: syntax, unknown keys, types, enums, duplicate
// keys and the source map. Each error test pins the code, the
// "file:line:col" and the field path.
#include "sidecar/config/mapping_yaml.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/config/mapping_loader.h"
#include "tests/testing/status_matchers.h"

namespace cse::config {
namespace {

using ::cse::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;

TEST(MappingYamlTest, UnknownKeyIsAnErrorListingTheValidKeys) {
  const char* yaml = R"(phase_model:
  phases:
    - id: onboarding
practices:
  - id: P1
critical_events:
  - id: breakdown
    polarity: negative
    patterns:
      - id: outage
        pattrn: 'down'
)";
  EXPECT_THAT(
      LoadMappingYaml(yaml, "test.yaml"),
      StatusIs(kInvalid, HasSubstr("test.yaml:11:9: "
                                   "critical_events[0].patterns[0].pattrn: "
                                   "unknown key 'pattrn'; expected one of: id, "
                                   "pattern, weight, fields, language")));
}

TEST(MappingYamlTest, UnknownTopLevelKeyIsAnError) {
  const char* yaml = R"(version: v1
phase_modle:
  phases: []
)";
  EXPECT_THAT(LoadMappingYaml(yaml, "test.yaml"),
              StatusIs(kInvalid, HasSubstr("test.yaml:2:1: phase_modle: "
                                           "unknown key 'phase_modle'")));
}

TEST(MappingYamlTest, BrokenYamlSyntaxReportsLineAndColumn) {
  const char* yaml = R"(version: x
phase_model:
  id: a
   name: b
)";
  EXPECT_THAT(
      LoadMappingYaml(yaml, "test.yaml"),
      StatusIs(kInvalid,
               HasSubstr("test.yaml:4:8: invalid YAML: illegal map value")));
}

TEST(MappingYamlTest, UnclosedFlowSequenceReportsItsLine) {
  const char* yaml = R"(version: x
phase_model:
  phases: [a, b
practices: []
)";
  EXPECT_THAT(LoadMappingYaml(yaml, "test.yaml"),
              StatusIs(kInvalid, HasSubstr("test.yaml:4:")));
}

TEST(MappingYamlTest, ScalarWhereASequenceBelongsIsATypeError) {
  const char* yaml = R"(phase_model:
  phases:
    - id: onboarding
practices: P1
)";
  EXPECT_THAT(LoadMappingYaml(yaml, "test.yaml"),
              StatusIs(kInvalid, HasSubstr("test.yaml:4:12: practices: "
                                           "expected a sequence, got 'P1'")));
}

TEST(MappingYamlTest, WordWhereANumberBelongsIsATypeError) {
  const char* yaml = R"(phase_model:
  phases:
    - id: onboarding
      signals:
        - id: sig
          pattern: onboard
          weight: heavy
practices:
  - id: P1
)";
  EXPECT_THAT(
      LoadMappingYaml(yaml, "test.yaml"),
      StatusIs(kInvalid,
               HasSubstr("test.yaml:7:19: phase_model.phases[0].signals[0]."
                         "weight: expected a number, got 'heavy'")));
}

TEST(MappingYamlTest, QuotedNumberIsATypeError) {
  const char* yaml = R"(suggestions:
  top_n: "3"
)";
  EXPECT_THAT(LoadMappingYaml(yaml, "test.yaml"),
              StatusIs(kInvalid, HasSubstr("test.yaml:2:10: suggestions.top_n: "
                                           "expected a non-negative integer, "
                                           "got the string '3'")));
}

TEST(MappingYamlTest, NegativeUnsignedAndOverflowAreOutOfRange) {
  std::vector<ConfigError> errors;
  const char* yaml = R"(suggestions:
  top_n: -1
  max_note_bytes: 99999999999
)";
  EXPECT_FALSE(LoadMappingYaml(yaml, "test.yaml", &errors).ok());
  ASSERT_THAT(errors, SizeIs(2));
  EXPECT_EQ(errors[0].ToString(),
            "test.yaml:2:10: suggestions.top_n: '-1' is out of range for "
            "uint32 (0 to 4294967295)");
  EXPECT_EQ(errors[1].field_path, "suggestions.max_note_bytes");
}

TEST(MappingYamlTest, MappingWhereAScalarBelongsIsATypeError) {
  const char* yaml = R"(version:
  label: x
)";
  EXPECT_THAT(LoadMappingYaml(yaml, "test.yaml"),
              StatusIs(kInvalid, HasSubstr("test.yaml:2:3: version: expected "
                                           "a string, got a mapping")));
}

TEST(MappingYamlTest, BadEnumValueListsTheChoices) {
  const char* yaml = R"(phase_model:
  phases:
    - id: onboarding
practices:
  - id: P1
critical_events:
  - id: breakdown
    polarity: negativ
    patterns:
      - {id: outage, pattern: down}
)";
  EXPECT_THAT(LoadMappingYaml(yaml, "test.yaml"),
              StatusIs(kInvalid,
                       HasSubstr("test.yaml:8:15: critical_events[0].polarity: "
                                 "unknown value 'negativ' for Polarity; "
                                 "expected one of: negative, opportunity")));
}

TEST(MappingYamlTest, BadEnumInARepeatedFieldNamesTheItem) {
  const char* yaml = R"(phase_model:
  phases:
    - id: onboarding
      signals:
        - id: sig
          pattern: onboard
          fields: [subject, bodyy]
)";
  EXPECT_THAT(
      LoadMappingYaml(yaml, "test.yaml"),
      StatusIs(kInvalid, HasSubstr("test.yaml:7:29: phase_model.phases[0]."
                                   "signals[0].fields[1]: unknown value "
                                   "'bodyy' for TextField")));
}

TEST(MappingYamlTest, DuplicateYamlKeyIsAnError) {
  const char* yaml = R"(phase_model:
  id: demo
  phases:
    - id: onboarding
  id: again
practices:
  - id: P1
)";
  EXPECT_THAT(LoadMappingYaml(yaml, "test.yaml"),
              StatusIs(kInvalid, HasSubstr("test.yaml:5:3: phase_model.id: "
                                           "duplicate key 'id'; first given "
                                           "at line 2")));
}

TEST(MappingYamlTest, DuplicateMapKeyIsAnError) {
  const char* yaml = R"(phase_model:
  phases:
    - id: onboarding
      practice_priors:
        P1: 0.5
        P1: 0.7
practices:
  - id: P1
)";
  EXPECT_THAT(
      LoadMappingYaml(yaml, "test.yaml"),
      StatusIs(kInvalid, HasSubstr("test.yaml:6:9: phase_model.phases[0]."
                                   "practice_priors.P1: duplicate key 'P1'")));
}

TEST(MappingYamlTest, MoreThanOneDocumentIsAnError) {
  const char* yaml = "version: a\n---\nversion: b\n";
  EXPECT_THAT(LoadMappingYaml(yaml, "test.yaml"),
              StatusIs(kInvalid, HasSubstr("test.yaml:3:1: expected one YAML "
                                           "document, found 2")));
}

TEST(MappingYamlTest, TopLevelSequenceIsAnError) {
  EXPECT_THAT(LoadMappingYaml("- a\n- b\n", "test.yaml"),
              StatusIs(kInvalid, HasSubstr("test.yaml:1:1: expected a "
                                           "mapping, got a sequence")));
}

TEST(MappingYamlTest, ReportsEveryProblemNotJustTheFirst) {
  std::vector<ConfigError> errors;
  const char* yaml = R"(versio: a
descripton: b
tagging:
  prefx: c
)";
  EXPECT_FALSE(LoadMappingYaml(yaml, "t.yaml", &errors).ok());
  ASSERT_THAT(errors, SizeIs(3));
  EXPECT_EQ(errors[0].location, "t.yaml:1:1");
  EXPECT_EQ(errors[1].location, "t.yaml:2:1");
  EXPECT_EQ(errors[2].location, "t.yaml:4:3");
  EXPECT_EQ(errors[2].field_path, "tagging.prefx");
}

TEST(MappingYamlTest, DeepNestingIsAnErrorNotACrash) {
  const std::string yaml =
      "version: " + std::string(5000, '[') + std::string(5000, ']');
  EXPECT_THAT(LoadMappingYaml(yaml, "test.yaml"),
              StatusIs(kInvalid, HasSubstr("test.yaml")));
}

TEST(MappingYamlTest, AliasExpansionIsBounded) {
  // 1000 references to one event holding 1000 patterns: a 30 KB file that
  // expands to millions of values.
  std::string yaml =
      "critical_events:\n  - &e {id: e, polarity: negative, patterns: [";
  for (int i = 0; i < 1000; ++i) yaml += "{id: p, pattern: x},";
  yaml += "]}\n";
  for (int i = 0; i < 1000; ++i) yaml += "  - *e\n";
  EXPECT_THAT(LoadMappingYaml(yaml, "test.yaml"),
              StatusIs(kInvalid, HasSubstr("expands to more than 1000000 "
                                           "values")));
}

TEST(MappingYamlTest, TooLargeInputIsRejectedUnread) {
  const std::string yaml(kMaxMappingYamlBytes + 1, '#');
  EXPECT_THAT(LoadMappingYaml(yaml, "big.yaml"),
              StatusIs(kInvalid, HasSubstr("big.yaml: the mapping is 16777217 "
                                           "bytes; at most 16777216")));
}

TEST(MappingYamlTest, GarbageNeverThrows) {
  for (const char* garbage :
       {"{", "]", ": :", "\t", "a: *nowhere", "!!binary x: y", "? [a]\n: b",
        "%YAML 9.9\n---\na: b", "\xff\xfe", "phase_model: !!map [a]",
        "version: \"\\xff\""}) {
    SCOPED_TRACE(garbage);
    absl::StatusOr<LoadedMapping> loaded = LoadMappingYaml(garbage, "g.yaml");
    EXPECT_EQ(loaded.status().code(), kInvalid);
  }
}

TEST(MappingYamlTest, NullValuesLeaveFieldsUnset) {
  MappingYamlParse parsed = ParseMappingYaml(R"(version:
description: ~
tagging:
)",
                                             "test.yaml");
  EXPECT_THAT(parsed.errors, SizeIs(0));
  EXPECT_EQ(parsed.config.version(), "");
  EXPECT_FALSE(parsed.config.has_tagging());
}

TEST(MappingYamlTest, EnumsAcceptShortAndFullNames) {
  MappingYamlParse parsed = ParseMappingYaml(R"(critical_events:
  - id: a
    polarity: negative
  - id: b
    polarity: POLARITY_OPPORTUNITY
  - id: c
    polarity: unspecified
    patterns:
      - id: p
        fields: [subject, TEXT_FIELD_BODY, satisfaction_comment]
)",
                                             "test.yaml");
  ASSERT_THAT(parsed.errors, SizeIs(0));
  EXPECT_EQ(parsed.config.critical_events(0).polarity(), v1::POLARITY_NEGATIVE);
  EXPECT_EQ(parsed.config.critical_events(1).polarity(),
            v1::POLARITY_OPPORTUNITY);
  EXPECT_EQ(parsed.config.critical_events(2).polarity(),
            v1::POLARITY_UNSPECIFIED);
  EXPECT_THAT(parsed.config.critical_events(2).patterns(0).fields(),
              ElementsAre(v1::TEXT_FIELD_SUBJECT, v1::TEXT_FIELD_BODY,
                          v1::TEXT_FIELD_SATISFACTION_COMMENT));
}

TEST(MappingYamlTest, ScalarsConvertToTheirFieldTypes) {
  MappingYamlParse parsed = ParseMappingYaml(R"(version: 1.10
tagging: {prefix: acme, tag_practices: true}
suggestions: {top_n: 5, default_prior: .25, routine_factor: 1e0}
field_rules:
  - id: r
    priority: -3
    when: {min_reopen_count: 2, max_satisfaction_ratio: 0.4}
phase_model:
  phases:
    - id: a
      practice_priors: {P1: 2, P10: 0.5}
)",
                                             "test.yaml");
  ASSERT_THAT(parsed.errors, SizeIs(0));
  const v1::MappingConfig& c = parsed.config;
  EXPECT_EQ(c.version(), "1.10");  // the text as written, not a float
  EXPECT_TRUE(c.tagging().tag_practices());
  EXPECT_EQ(c.suggestions().top_n(), 5u);
  EXPECT_EQ(c.suggestions().default_prior(), 0.25);
  EXPECT_EQ(c.field_rules(0).priority(), -3);
  EXPECT_EQ(c.field_rules(0).when().min_reopen_count(), 2u);
  EXPECT_EQ(c.phase_model().phases(0).practice_priors().at("P1"), 2.0);
  EXPECT_EQ(c.phase_model().phases(0).practice_priors().at("P10"), 0.5);
}

TEST(MappingYamlTest, YesIsNotABoolean) {
  EXPECT_THAT(LoadMappingYaml("tagging:\n  tag_practices: yes\n", "t.yaml"),
              StatusIs(kInvalid, HasSubstr("t.yaml:2:18: tagging.tag_practices:"
                                           " expected true or false, got "
                                           "'yes'")));
}

TEST(MappingYamlTest, SourceMapRecordsKeysItemsAndMapEntries) {
  MappingYamlParse parsed = ParseMappingYaml(R"(phase_model:
  phases:
    - id: a
      practice_priors:
        P4: 1
critical_events:
  - id: x
    patterns:
      - id: p
        pattern: q
)",
                                             "test.yaml");
  ASSERT_THAT(parsed.errors, SizeIs(0));
  auto at = [&](const char* path) {
    auto p = parsed.source_map.Find(path);
    return p ? absl::StrCat(p->line, ":", p->column) : std::string("none");
  };
  EXPECT_EQ(at("phase_model"), "1:1");
  EXPECT_EQ(at("phase_model.phases"), "2:3");
  EXPECT_EQ(at("phase_model.phases[0]"), "3:7");
  EXPECT_EQ(at("phase_model.phases[0].practice_priors.P4"), "5:9");
  EXPECT_EQ(at("critical_events[0].patterns[0].pattern"), "10:9");
  EXPECT_EQ(at("critical_events[0].polarity"), "none");
}

}  // namespace
}  // namespace cse::config
