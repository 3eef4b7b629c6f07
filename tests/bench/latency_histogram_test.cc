#include "tests/bench/latency_histogram.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace cse::bench {
namespace {

TEST(LatencyHistogramTest, BucketsCoverEveryValueWithBoundedError) {
  // Each value falls in a bucket whose bounds contain it, indices grow
  // with the value, and the bucket width stays within 1/128 of the value.
  size_t last = 0;
  for (uint64_t v = 0; v < (uint64_t{1} << 36); v = v * 9 / 8 + 1) {
    const size_t i = LatencyHistogram::IndexOf(v);
    ASSERT_LT(i, LatencyHistogram::kBucketCount);
    EXPECT_GE(i, last);
    last = i;
    EXPECT_LE(LatencyHistogram::LowestInBucket(i), v);
    EXPECT_GE(LatencyHistogram::HighestInBucket(i), v);
    const uint64_t width = LatencyHistogram::HighestInBucket(i) -
                           LatencyHistogram::LowestInBucket(i) + 1;
    EXPECT_LE(width, v / 128 + 1) << v;
  }
}

TEST(LatencyHistogramTest, AdjacentBucketsTouch) {
  for (size_t i = 0; i + 1 < LatencyHistogram::kBucketCount; ++i) {
    ASSERT_EQ(LatencyHistogram::HighestInBucket(i) + 1,
              LatencyHistogram::LowestInBucket(i + 1))
        << i;
  }
}

TEST(LatencyHistogramTest, PercentilesOfAUniformSample) {
  LatencyHistogram h;
  for (uint64_t us = 1; us <= 1000; ++us) h.Record(us * 1000);
  EXPECT_EQ(h.count(), 1000u);
  EXPECT_NEAR(static_cast<double>(h.Percentile(50)), 500e3, 500e3 / 100);
  EXPECT_NEAR(static_cast<double>(h.Percentile(99)), 990e3, 990e3 / 100);
  EXPECT_EQ(h.Percentile(100), 1000000u);  // capped at the maximum
  EXPECT_EQ(h.min(), 1000u);
  EXPECT_NEAR(h.mean(), 500.5e3, 1);
}

TEST(LatencyHistogramTest, MergeAddsCounts) {
  LatencyHistogram a;
  LatencyHistogram b;
  a.Record(100);
  b.Record(5'000'000);
  a.Merge(b);
  EXPECT_EQ(a.count(), 2u);
  EXPECT_EQ(a.max(), 5'000'000u);
  EXPECT_EQ(a.Percentile(50), 100u);
}

TEST(LatencyHistogramTest, EmptyAndHugeValues) {
  LatencyHistogram h;
  EXPECT_EQ(h.Percentile(99), 0u);
  h.Record(UINT64_MAX);
  EXPECT_EQ(LatencyHistogram::IndexOf(UINT64_MAX),
            LatencyHistogram::kBucketCount - 1);
  EXPECT_EQ(h.Percentile(50), h.max());
}

}  // namespace
}  // namespace cse::bench
