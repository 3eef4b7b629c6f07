// The recorded outcomes as the engine's ranking reads them
// (engine::PracticeOutcomeStats), built from the store's tallies and cached:
// assessments never query the store for them.
//
// The stats are rebuilt by Refresh(), which the service calls after each
// newly recorded outcome (so this sidecar's own outcomes count from the next
// assessment on), and by a background thread every `refresh_interval` (so
// outcomes recorded through other replicas sharing a PostgreSQL store count
// too, a few seconds later). A failed rebuild keeps the previous stats and
// is logged.
//
// Example:
//   OutcomeStatsCache cache(&store, absl::Seconds(5));
//   std::shared_ptr<const engine::PracticeOutcomeStats> stats =
//       cache.Current();
//   engine_options.outcome_stats = stats.get();
#ifndef CSE_SIDECAR_SERVER_OUTCOME_STATS_CACHE_H_
#define CSE_SIDECAR_SERVER_OUTCOME_STATS_CACHE_H_

#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sidecar/engine/practice_outcomes.h"
#include "sidecar/store/outcome_store.h"
#include "spdlog/logger.h"

namespace cse::server {

class OutcomeStatsCache {
 public:
  // Builds the first stats at once (empty if the store fails) and, for a
  // positive `refresh_interval`, starts the refresh thread. `store` must
  // outlive the cache.
  OutcomeStatsCache(store::OutcomeStore* store,
                    absl::Duration refresh_interval);
  // Stops the refresh thread.
  ~OutcomeStatsCache();

  OutcomeStatsCache(const OutcomeStatsCache&) = delete;
  OutcomeStatsCache& operator=(const OutcomeStatsCache&) = delete;

  // The latest stats; never null. Hold the pointer for a whole assessment.
  std::shared_ptr<const engine::PracticeOutcomeStats> Current() const;

  // Rebuilds the stats from the store now. On error the previous stats
  // stay.
  absl::Status Refresh();

 private:
  void RefreshLoop();

  store::OutcomeStore* const store_;
  const absl::Duration refresh_interval_;
  const std::shared_ptr<spdlog::logger> log_;
  // Serialises rebuilds, so that a slow older one never replaces a newer.
  absl::Mutex refresh_mu_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const engine::PracticeOutcomeStats> stats_
      ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_OUTCOME_STATS_CACHE_H_
