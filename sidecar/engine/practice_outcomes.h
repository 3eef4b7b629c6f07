// What the team's recorded outcomes say about each practice: how often it
// worked, per phase x critical event type x practice. The ranking blends
// these counts into the documented priors (see practice_ranker.h).
//
// The engine does not read the store: the caller turns the store's tallies
// into this once (they change slowly) and passes it to every assessment.
// "Worked" means the customer's experience was restored or bolstered; the
// total also counts "no change" and "worsened".
//
// Example:
//   PracticeOutcomeStats stats;
//   for (const OutcomeTally& t : tallies) {
//     stats.Add(t.phase_id, t.critical_event_type, t.practice_id,
//               t.restored + t.bolstered,
//               t.restored + t.bolstered + t.no_change + t.worsened);
//   }
//   AssessOptions options;
//   options.outcome_stats = &stats;
#ifndef CSE_SIDECAR_ENGINE_PRACTICE_OUTCOMES_H_
#define CSE_SIDECAR_ENGINE_PRACTICE_OUTCOMES_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace cse::engine {

struct OutcomeCounts {
  uint32_t worked = 0;  // restored or bolstered
  uint32_t total = 0;   // every recorded reaction
};

// Outcome counts by (phase id, critical event type or "" for outcomes that
// answered no critical event, practice id). Ids are the mapping's; counts
// for ids the active mapping does not know are simply never looked up.
// Immutable once built, so many assessments may read it concurrently.
class PracticeOutcomeStats {
 public:
  // Adds counts to a cell (adding, not replacing, so several tallies for
  // one cell may be fed in). `worked` above `total` is taken as `total`
  // too: the ratio must stay a rate in 0..1.
  void Add(absl::string_view phase_id, absl::string_view event_type,
           absl::string_view practice_id, uint32_t worked, uint32_t total);

  // The cell's counts, or nullptr when it has none. Allocates nothing.
  const OutcomeCounts* Find(absl::string_view phase_id,
                            absl::string_view event_type,
                            absl::string_view practice_id) const;

  bool empty() const { return cells_.empty(); }
  size_t size() const { return cells_.size(); }

 private:
  struct Key {
    std::string phase;
    std::string event;
    std::string practice;
  };
  struct KeyView {
    absl::string_view phase;
    absl::string_view event;
    absl::string_view practice;
  };
  // Transparent hash and equality, so Find looks up by string_views
  // without building a key.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(const KeyView& k) const {
      return absl::HashOf(k.phase, k.event, k.practice);
    }
    size_t operator()(const Key& k) const {
      return (*this)(KeyView{k.phase, k.event, k.practice});
    }
  };
  struct KeyEq {
    using is_transparent = void;
    static KeyView View(const Key& k) { return {k.phase, k.event, k.practice}; }
    static KeyView View(const KeyView& k) { return k; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      const KeyView x = View(a);
      const KeyView y = View(b);
      return x.phase == y.phase && x.event == y.event &&
             x.practice == y.practice;
    }
  };

  absl::flat_hash_map<Key, OutcomeCounts, KeyHash, KeyEq> cells_;
};

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_PRACTICE_OUTCOMES_H_
