// OutcomeStatsCache: the outcome counts the ranking reads, built from the
// store's tallies at start, on Refresh() and by its background refresh.
#include "sidecar/server/outcome_stats_cache.h"

#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/store/in_memory_journey_store.h"
#include "tests/testing/status_matchers.h"

namespace cse::server {
namespace {

using ::cse::testing::IsOk;

store::OutcomeRecord Restored(const std::string& practice) {
  store::OutcomeRecord o;
  o.account_id = "acme";
  o.practice_id = practice;
  o.phase_id = "implementation";
  o.critical_event_type = "breakdown";
  o.organization = store::Organization::kRegular;
  o.engagement = store::Engagement::kReactive;
  o.reaction = store::CustomerReaction::kRestored;
  return o;
}

TEST(OutcomeStatsCacheTest, BuildsAtStartAndOnRefresh) {
  store::InMemoryJourneyStore store;
  ASSERT_THAT(store.RecordOutcome(Restored("P10")), IsOk());
  OutcomeStatsCache cache(&store, absl::ZeroDuration());
  auto first = cache.Current();
  const engine::OutcomeCounts* counts =
      first->Find("implementation", "breakdown", "P10");
  ASSERT_NE(counts, nullptr);
  EXPECT_EQ(counts->worked, 1u);
  EXPECT_EQ(counts->total, 1u);

  store::OutcomeRecord worse = Restored("P10");
  worse.reaction = store::CustomerReaction::kWorsened;
  ASSERT_THAT(store.RecordOutcome(worse), IsOk());
  // Nothing changes until a refresh; a snapshot held stays as it was.
  EXPECT_EQ(cache.Current(), first);
  ASSERT_THAT(cache.Refresh(), IsOk());
  counts = cache.Current()->Find("implementation", "breakdown", "P10");
  ASSERT_NE(counts, nullptr);
  EXPECT_EQ(counts->worked, 1u);
  EXPECT_EQ(counts->total, 2u);
  EXPECT_EQ(first->Find("implementation", "breakdown", "P10")->total, 1u);
}

TEST(OutcomeStatsCacheTest, RefreshesInTheBackground) {
  store::InMemoryJourneyStore store;
  OutcomeStatsCache cache(&store, absl::Milliseconds(10));
  EXPECT_TRUE(cache.Current()->empty());
  // As another replica would: straight into the shared store.
  ASSERT_THAT(store.RecordOutcome(Restored("P4")), IsOk());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (cache.Current()->empty() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_NE(cache.Current()->Find("implementation", "breakdown", "P4"),
            nullptr);
}

}  // namespace
}  // namespace cse::server
