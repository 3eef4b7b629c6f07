// The mappings embedded from sidecar/config/defaults/*.yaml must load with
// no errors: a broken default would leave the sidecar without a mapping.
#include "sidecar/config/builtin_mappings.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace cse::config {
namespace {

using ::cse::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(BuiltinMappingsTest, AllThreeAreEmbedded) {
  EXPECT_THAT(BuiltinMappingNames(),
              ElementsAre("default", "four_stage", "three_stage"));
  for (const std::string& name : BuiltinMappingNames()) {
    EXPECT_FALSE(BuiltinMappingYaml(name).empty()) << name;
  }
}

TEST(BuiltinMappingsTest, EachLoadsWithNoErrors) {
  for (const char* name : {"default", "four_stage", "three_stage"}) {
    SCOPED_TRACE(name);
    absl::StatusOr<LoadedMapping> loaded = LoadBuiltinMapping(name);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_THAT(loaded->version, HasSubstr("@"));
    EXPECT_GT(loaded->config.phase_model().phases_size(), 0);
  }
}

TEST(BuiltinMappingsTest, UnknownNameIsEmptyAndNotFound) {
  EXPECT_TRUE(BuiltinMappingYaml("five_stage").empty());
  EXPECT_THAT(LoadBuiltinMapping("five_stage"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("five_stage")));
}

}  // namespace
}  // namespace cse::config
