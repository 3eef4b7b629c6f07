// A fixed-size log-linear latency histogram (the HdrHistogram idea).
//
// Values are nanoseconds. Every power of two is split into 128 linear
// sub-buckets, so a recorded value is known to within 1/128 (< 0.8%) at
// any magnitude, with constant memory and O(1) recording. Each client
// thread records into its own histogram; Merge() combines them.
//
// Example:
//   LatencyHistogram h;
//   h.Record(1234567);                    // 1.23 ms
//   uint64_t p99 = h.Percentile(99.0);    // ns, highest equivalent value
#ifndef CSE_TESTS_BENCH_LATENCY_HISTOGRAM_H_
#define CSE_TESTS_BENCH_LATENCY_HISTOGRAM_H_

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

namespace cse::bench {

class LatencyHistogram {
 public:
  // Sub-buckets per power of two: 2^kSubBits.
  static constexpr int kSubBits = 7;
  static constexpr uint64_t kSubCount = uint64_t{1} << kSubBits;
  // Largest magnitude tracked: 2^kMaxExp ns (about 36 minutes); larger
  // values are clamped into the last bucket.
  static constexpr int kMaxExp = 41;
  static constexpr size_t kBucketCount =
      kSubCount + (kMaxExp - kSubBits) * kSubCount;

  LatencyHistogram() : counts_(kBucketCount, 0) {}

  void Record(uint64_t ns) {
    ++counts_[IndexOf(ns)];
    ++total_;
    max_ = std::max(max_, ns);
    min_ = std::min(min_, ns);
    sum_ += static_cast<double>(ns);
  }

  void Merge(const LatencyHistogram& other) {
    for (size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
    max_ = std::max(max_, other.max_);
    min_ = std::min(min_, other.min_);
    sum_ += other.sum_;
  }

  uint64_t count() const { return total_; }
  uint64_t max() const { return total_ == 0 ? 0 : max_; }
  uint64_t min() const { return total_ == 0 ? 0 : min_; }
  double mean() const { return total_ == 0 ? 0 : sum_ / total_; }

  // The value at percentile `p` (0..100]: the highest value that falls in
  // the same bucket as the sample of that rank, capped at max(). 0 when
  // empty.
  uint64_t Percentile(double p) const {
    if (total_ == 0) return 0;
    const double clamped = std::clamp(p, 0.0, 100.0);
    uint64_t rank = static_cast<uint64_t>(
        std::ceil(clamped / 100.0 * static_cast<double>(total_)));
    rank = std::clamp<uint64_t>(rank, 1, total_);
    uint64_t seen = 0;
    for (size_t i = 0; i < kBucketCount; ++i) {
      seen += counts_[i];
      if (seen >= rank) {
        // The last bucket also holds every clamped (larger) value.
        if (i == kBucketCount - 1) return max_;
        return std::min(HighestInBucket(i), max_);
      }
    }
    return max_;
  }

  // Bucket arithmetic, public for the tests.
  static size_t IndexOf(uint64_t ns) {
    if (ns < kSubCount) return static_cast<size_t>(ns);
    int e = std::bit_width(ns) - 1;  // ns in [2^e, 2^(e+1))
    if (e >= kMaxExp) return kBucketCount - 1;
    const uint64_t sub = (ns >> (e - kSubBits)) - kSubCount;
    return static_cast<size_t>(kSubCount + (e - kSubBits) * kSubCount + sub);
  }
  static uint64_t LowestInBucket(size_t index) {
    if (index < kSubCount) return index;
    const size_t rel = index - kSubCount;
    const int e = static_cast<int>(rel / kSubCount) + kSubBits;
    const uint64_t sub = rel % kSubCount;
    return (kSubCount + sub) << (e - kSubBits);
  }
  static uint64_t HighestInBucket(size_t index) {
    if (index < kSubCount) return index;
    const int e = static_cast<int>((index - kSubCount) / kSubCount) + kSubBits;
    return LowestInBucket(index) + (uint64_t{1} << (e - kSubBits)) - 1;
  }

 private:
  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
  uint64_t max_ = 0;
  uint64_t min_ = UINT64_MAX;
  double sum_ = 0;
};

}  // namespace cse::bench

#endif  // CSE_TESTS_BENCH_LATENCY_HISTOGRAM_H_
