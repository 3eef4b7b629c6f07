#include "sidecar/store/in_memory_journey_store.h"

namespace cse::store {

absl::StatusOr<std::optional<std::string>> InMemoryJourneyStore::RecordIngest(
    const IngestRecord& record) {
  absl::MutexLock lock(&mu_);
  Key key(record.source, record.event_id);
  auto [it, inserted] = assessments_.try_emplace(key, record.assessment);
  if (!inserted) return std::optional<std::string>(it->second);
  order_.push_back(std::move(key));
  while (order_.size() > max_events_) {
    assessments_.erase(order_.front());
    order_.pop_front();
  }
  if (!record.phase_id.empty() && !record.account_id.empty()) {
    // Out-of-order deliveries must not move the journey backwards in time.
    auto& ap = phases_[record.account_id];
    if (ap.phase_id.empty() || record.occurred_at >= ap.occurred_at) {
      ap.phase_id = record.phase_id;
      ap.occurred_at = record.occurred_at;
    }
  }
  return std::optional<std::string>();
}

absl::StatusOr<std::optional<std::string>> InMemoryJourneyStore::FindAssessment(
    absl::string_view source, absl::string_view event_id) {
  absl::MutexLock lock(&mu_);
  auto it = assessments_.find(Key(std::string(source), std::string(event_id)));
  if (it == assessments_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::StatusOr<std::string> InMemoryJourneyStore::LastKnownPhase(
    absl::string_view account_id) {
  absl::MutexLock lock(&mu_);
  auto it = phases_.find(std::string(account_id));
  return it == phases_.end() ? std::string() : it->second.phase_id;
}

}  // namespace cse::store
