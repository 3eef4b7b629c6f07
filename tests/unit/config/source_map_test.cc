#include "sidecar/config/source_map.h"

#include "gtest/gtest.h"

namespace cse::config {
namespace {

TEST(SourceMapTest, ParentFieldPath) {
  EXPECT_EQ(ParentFieldPath("a.b[2].c"), "a.b[2]");
  EXPECT_EQ(ParentFieldPath("a.b[2]"), "a.b");
  EXPECT_EQ(ParentFieldPath("a.b"), "a");
  EXPECT_EQ(ParentFieldPath("a"), "");
  EXPECT_EQ(ParentFieldPath(""), "");
}

TEST(SourceMapTest, FindNearestWalksUpToARecordedAncestor) {
  SourceMap map;
  map.Record("phase_model", {2, 1});
  map.Record("phase_model.phases[1]", {8, 7});
  EXPECT_EQ(map.FindNearest("phase_model.phases[1].practice_priors.P4")->line,
            8);
  EXPECT_EQ(map.FindNearest("phase_model.id")->line, 2);
  EXPECT_FALSE(map.FindNearest("practices[0]").has_value());
  EXPECT_FALSE(map.Find("phase_model.id").has_value());
}

TEST(SourceMapTest, FirstRecordWins) {
  SourceMap map;
  map.Record("a", {1, 1});
  map.Record("a", {9, 9});
  EXPECT_EQ(map.Find("a")->line, 1);
  EXPECT_EQ(map.size(), 1u);
}

}  // namespace
}  // namespace cse::config
