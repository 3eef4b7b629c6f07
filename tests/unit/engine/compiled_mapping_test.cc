#include "sidecar/engine/compiled_mapping.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/engine/test_mapping.h"

namespace cse::engine {
namespace {

using ::testing::HasSubstr;

std::string CompileError(const cse::config::v1::MappingConfig& c) {
  auto m = CompiledMapping::Compile(c, "v");
  EXPECT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(m.status().message());
}

TEST(CompiledMappingTest, CompilesTheTestMapping) {
  auto m = testing::TestMapping();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->phases().size(), 3u);
  EXPECT_EQ(m->FindPhase("orientation"), 1);
  EXPECT_EQ(m->FindPhase("nope"), -1);
  EXPECT_EQ(m->routine_factor(), 1.5);
  EXPECT_EQ(m->max_text_bytes(), 4096u);
}

TEST(CompiledMappingTest, UnknownPhaseInAFieldRuleNamesThePath) {
  auto c = testing::TestConfig();
  c.mutable_field_rules(1)->set_phase("evaluation");
  EXPECT_THAT(
      CompileError(c),
      HasSubstr("field_rules[1].phase: unknown phase id \"evaluation\""));
}

TEST(CompiledMappingTest, InvalidRegexNamesThePathAndRe2sReason) {
  auto c = testing::TestConfig();
  c.mutable_critical_events(0)->mutable_patterns(1)->set_pattern("(unclosed");
  EXPECT_THAT(CompileError(c),
              HasSubstr("critical_events[0].patterns[1].pattern: invalid RE2 "
                        "pattern: missing )"));
}

TEST(CompiledMappingTest, BackreferencesAreRejectedBecauseRe2IsLinearTime) {
  auto c = testing::TestConfig();
  c.mutable_phase_model()->mutable_phases(0)->mutable_signals(0)->set_pattern(
      "(a)\\1");
  EXPECT_THAT(CompileError(c), HasSubstr("phase_model.phases[0].signals[0]"));
}

TEST(CompiledMappingTest, EmptyPhaseModelIsRejected) {
  auto c = testing::TestConfig();
  c.mutable_phase_model()->clear_phases();
  EXPECT_THAT(CompileError(c), HasSubstr("phase_model.phases"));
}

TEST(CompiledMappingTest, UnknownPracticeInPriorsAndAffinityIsRejected) {
  auto c = testing::TestConfig();
  (*c.mutable_critical_events(0)->mutable_practice_affinity())["P99"] = 1;
  EXPECT_THAT(CompileError(c),
              HasSubstr("critical_events[0].practice_affinity: unknown "
                        "practice id \"P99\""));
}

TEST(CompiledMappingTest, UnknownFieldPathIsRejected) {
  auto c = testing::TestConfig();
  c.mutable_field_rules(0)->mutable_when()->mutable_fields(0)->set_field(
      "dealstage");
  EXPECT_THAT(CompileError(c),
              HasSubstr("field_rules[0].when.fields[0].field: unknown field"));
}

TEST(CompiledMappingTest, UnknownEventInPlaybookIsRejected) {
  auto c = testing::TestConfig();
  c.mutable_playbooks(0)->set_critical_events(0, "meteor");
  EXPECT_THAT(CompileError(c), HasSubstr("playbooks[0].critical_events[0]"));
}

}  // namespace
}  // namespace cse::engine
