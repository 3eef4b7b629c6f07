#include "sidecar/server/outcome_stats_cache.h"

#include <utility>
#include <vector>

#include "sidecar/server/logging.h"

namespace cse::server {

OutcomeStatsCache::OutcomeStatsCache(store::OutcomeStore* store,
                                     absl::Duration refresh_interval)
    : store_(store),
      refresh_interval_(refresh_interval),
      log_(GetLogger(kServerLogger)),
      stats_(std::make_shared<const engine::PracticeOutcomeStats>()) {
  if (absl::Status s = Refresh(); !s.ok()) {
    log_->warn(
        "outcome stats: {}; ranking without outcomes until a refresh "
        "succeeds",
        s.ToString());
  }
  if (refresh_interval_ > absl::ZeroDuration()) {
    thread_ = std::thread([this] { RefreshLoop(); });
  }
}

OutcomeStatsCache::~OutcomeStatsCache() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const engine::PracticeOutcomeStats> OutcomeStatsCache::Current()
    const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

absl::Status OutcomeStatsCache::Refresh() {
  absl::MutexLock refresh_lock(&refresh_mu_);
  absl::StatusOr<std::vector<store::OutcomeTally>> tallies =
      store_->OutcomeTallies();
  if (!tallies.ok()) return tallies.status();
  auto stats = std::make_shared<engine::PracticeOutcomeStats>();
  for (const store::OutcomeTally& t : *tallies) {
    const int worked = t.restored + t.bolstered;
    stats->Add(t.phase_id, t.critical_event_type, t.practice_id,
               static_cast<uint32_t>(worked),
               static_cast<uint32_t>(worked + t.no_change + t.worsened));
  }
  absl::MutexLock lock(&mu_);
  stats_ = std::move(stats);
  return absl::OkStatus();
}

void OutcomeStatsCache::RefreshLoop() {
  bool failing = false;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), refresh_interval_);
      if (stopping_) return;
    }
    absl::Status s = Refresh();
    // Once per failure streak, not every few seconds.
    if (!s.ok() && !failing) {
      log_->warn("outcome stats refresh: {}; keeping the previous stats",
                 s.ToString());
    } else if (s.ok() && failing) {
      log_->info("outcome stats refresh: recovered");
    }
    failing = !s.ok();
  }
}

}  // namespace cse::server
