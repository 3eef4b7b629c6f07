#include "sidecar/store/in_memory_journey_store.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "sidecar/store/outbox_policy.h"
#include "sidecar/store/record_rules.h"

namespace cse::store {
namespace {

template <typename T>
std::vector<T> LastN(std::vector<T> v, int n) {
  if (n >= 0 && static_cast<int>(v.size()) > n) {
    v.erase(v.begin(), v.end() - n);
  }
  return v;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> InMemoryJourneyStore::RecordIngest(
    const IngestRecord& record) {
  absl::MutexLock lock(&mu_);
  Key key(record.source, record.event_id);
  auto [it, inserted] = events_.try_emplace(key);
  if (!inserted)
    return std::optional<std::string>(it->second.record.assessment);
  StoredEvent& stored = it->second;
  stored.record = record;
  if (!options_.retention.keep_bodies) stored.record.body.clear();
  stored.sequence = ClampSequence(record.sequence);
  stored.arrival = next_arrival_++;
  by_account_[record.account_id].insert(key);
  order_.push_back(key);

  if (!record.phase_id.empty() && !record.account_id.empty()) {
    // Out-of-order deliveries must not move the journey backwards in time.
    auto& ap = phases_[record.account_id];
    if (ap.phase_id.empty() || std::tie(record.occurred_at, stored.sequence) >=
                                   std::tie(ap.occurred_at, ap.sequence)) {
      ap.phase_id = record.phase_id;
      ap.occurred_at = record.occurred_at;
      ap.sequence = stored.sequence;
    }
  }
  const absl::Time now = options_.clock();
  for (const WritebackSpec& spec : record.writebacks) {
    WritebackJob job;
    job.id = next_job_id_++;
    job.target_system = record.source;
    job.event_id = record.event_id;
    job.account_id = record.account_id;
    job.spec = spec;
    job.idempotency_key =
        IdempotencyKey(record.source, record.event_id, spec.kind);
    job.state = WritebackState::kPending;
    job.not_before = now;
    job.created_at = now;
    jobs_.emplace(job.id, std::move(job));
  }
  while (order_.size() > max_events_) {
    Forget(order_.front());
    order_.pop_front();
  }
  return std::optional<std::string>();
}

void InMemoryJourneyStore::Forget(const Key& key) {
  auto it = events_.find(key);
  if (it == events_.end()) return;  // erased with its account already
  auto acc = by_account_.find(it->second.record.account_id);
  if (acc != by_account_.end()) {
    acc->second.erase(key);
    if (acc->second.empty()) by_account_.erase(acc);
  }
  events_.erase(it);
}

absl::StatusOr<std::optional<std::string>> InMemoryJourneyStore::FindAssessment(
    absl::string_view source, absl::string_view event_id) {
  absl::MutexLock lock(&mu_);
  auto it = events_.find(Key(std::string(source), std::string(event_id)));
  if (it == events_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second.record.assessment);
}

absl::StatusOr<std::string> InMemoryJourneyStore::LastKnownPhase(
    absl::string_view account_id) {
  absl::MutexLock lock(&mu_);
  auto it = phases_.find(std::string(account_id));
  return it == phases_.end() ? std::string() : it->second.phase_id;
}

std::vector<const InMemoryJourneyStore::StoredEvent*>
InMemoryJourneyStore::EventsOf(absl::string_view account_id) {
  std::vector<const StoredEvent*> out;
  auto acc = by_account_.find(std::string(account_id));
  if (acc == by_account_.end()) return out;
  for (const Key& key : acc->second) out.push_back(&events_.at(key));
  std::sort(out.begin(), out.end(),
            [](const StoredEvent* a, const StoredEvent* b) {
              return std::tie(a->record.occurred_at, a->sequence, a->arrival) <
                     std::tie(b->record.occurred_at, b->sequence, b->arrival);
            });
  return out;
}

bool InMemoryJourneyStore::IsOpen(const StoredEvent& e,
                                  const CriticalEventRecord& ce,
                                  absl::Time as_of, absl::Duration window) {
  const absl::Time at = e.record.occurred_at;
  if (ce.polarity != Polarity::kNegative || at > as_of || at < as_of - window) {
    return false;
  }
  for (const auto& [id, o] : outcomes_) {
    if (o.account_id != e.record.account_id) continue;
    if (o.reaction != CustomerReaction::kRestored &&
        o.reaction != CustomerReaction::kBolstered) {
      continue;
    }
    if (o.occurred_at < at || o.occurred_at > as_of) continue;
    if (o.critical_event_type == ce.type ||
        (o.source == e.record.source && o.event_id == e.record.event_id)) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<AccountJourney> InMemoryJourneyStore::GetAccountJourney(
    const JourneyQuery& query) {
  absl::MutexLock lock(&mu_);
  const std::vector<const StoredEvent*> events = EventsOf(query.account_id);
  if (events.empty()) {
    return absl::NotFoundError(
        absl::StrCat("account \"", query.account_id, "\" has no events"));
  }
  const absl::Time as_of = query.as_of.value_or(options_.clock());
  AccountJourney j;
  j.account_id = query.account_id;
  if (auto it = phases_.find(query.account_id); it != phases_.end()) {
    j.current_phase_id = it->second.phase_id;
  }
  j.event_count = static_cast<int>(events.size());
  std::vector<PhasePoint> points;
  for (const StoredEvent* e : events) {
    const IngestRecord& r = e->record;
    points.push_back({r.phase_id, r.phase_number, r.phase_decided_by,
                      r.phase_explanation, r.source, r.event_id,
                      r.occurred_at});
    j.events.push_back(
        {r.source, r.event_id, r.occurred_at, e->sequence, r.phase_id, r.body});
    for (const CriticalEventRecord& ce : r.critical_events) {
      const bool open = IsOpen(*e, ce, as_of, query.open_window);
      j.open_negative_event_count += open;
      j.critical_events.push_back({ce.type, ce.polarity, r.source, r.event_id,
                                   r.occurred_at, r.phase_id, open});
    }
    for (size_t i = 0; i < r.suggestions.size(); ++i) {
      j.suggestions.push_back({r.source, r.event_id, r.occurred_at, r.phase_id,
                               static_cast<int>(i + 1), r.suggestions[i]});
    }
  }
  j.phase_history = BuildPhaseHistory(points);
  for (const std::string& id : outcome_order_) {
    const OutcomeRecord& o = outcomes_.at(id);
    if (o.account_id == query.account_id) j.outcomes.push_back(o);
  }
  std::stable_sort(j.outcomes.begin(), j.outcomes.end(),
                   [](const OutcomeRecord& a, const OutcomeRecord& b) {
                     return a.occurred_at < b.occurred_at;
                   });
  j.events = LastN(std::move(j.events), query.max_items);
  j.critical_events = LastN(std::move(j.critical_events), query.max_items);
  j.suggestions = LastN(std::move(j.suggestions), query.max_items);
  j.outcomes = LastN(std::move(j.outcomes), query.max_items);
  return j;
}

absl::StatusOr<std::vector<AccountRisk>>
InMemoryJourneyStore::ListAccountsAtRisk(const AtRiskQuery& query) {
  absl::MutexLock lock(&mu_);
  const absl::Time as_of = query.as_of.value_or(options_.clock());
  std::vector<AccountRisk> risks;
  for (const auto& [account, keys] : by_account_) {
    AccountRisk risk;
    std::vector<std::string> types;
    for (const Key& key : keys) {
      const StoredEvent& e = events_.at(key);
      for (const CriticalEventRecord& ce : e.record.critical_events) {
        if (!IsOpen(e, ce, as_of, query.open_window)) continue;
        const absl::Time at = e.record.occurred_at;
        if (types.empty() || at < risk.oldest_open_at) risk.oldest_open_at = at;
        if (types.empty() || at > risk.latest_open_at) risk.latest_open_at = at;
        types.push_back(ce.type);
      }
    }
    if (types.empty()) continue;
    risk.account_id = account;
    if (auto it = phases_.find(account); it != phases_.end()) {
      risk.current_phase_id = it->second.phase_id;
    }
    risk.open_negative_event_count = static_cast<int>(types.size());
    risk.open_event_types = ByFrequency(types);
    risks.push_back(std::move(risk));
  }
  std::sort(risks.begin(), risks.end(),
            [](const AccountRisk& a, const AccountRisk& b) {
              return std::make_tuple(-a.open_negative_event_count,
                                     -absl::ToUnixMicros(a.latest_open_at),
                                     a.account_id) <
                     std::make_tuple(-b.open_negative_event_count,
                                     -absl::ToUnixMicros(b.latest_open_at),
                                     b.account_id);
            });
  const size_t from = std::min<size_t>(std::max(query.offset, 0), risks.size());
  const size_t to =
      std::min<size_t>(from + std::max(query.limit, 0), risks.size());
  return std::vector<AccountRisk>(risks.begin() + from, risks.begin() + to);
}

absl::StatusOr<ErasedCounts> InMemoryJourneyStore::EraseAccount(
    absl::string_view account_id) {
  absl::MutexLock lock(&mu_);
  const std::string account(account_id);
  ErasedCounts erased;
  if (auto acc = by_account_.find(account); acc != by_account_.end()) {
    erased.events = static_cast<int>(acc->second.size());
    for (const Key& key : acc->second) events_.erase(key);
    by_account_.erase(acc);
    // Drop the keys from the eviction order too: a redelivery after the
    // erasure is a new event and must not be evicted early by a stale key.
    std::erase_if(order_,
                  [this](const Key& k) { return !events_.contains(k); });
  }
  phases_.erase(account);
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    if (it->second.account_id == account) {
      it = jobs_.erase(it);
      ++erased.writeback_jobs;
    } else {
      ++it;
    }
  }
  std::vector<std::string> kept;
  for (std::string& id : outcome_order_) {
    if (outcomes_.at(id).account_id == account) {
      outcomes_.erase(id);
      ++erased.outcomes;
    } else {
      kept.push_back(std::move(id));
    }
  }
  outcome_order_ = std::move(kept);
  return erased;
}

absl::StatusOr<std::vector<CircumplexCount>>
InMemoryJourneyStore::CircumplexCounts(absl::string_view account_id,
                                       CircumplexBasis basis,
                                       const TimeWindow& window) {
  absl::MutexLock lock(&mu_);
  std::map<std::tuple<std::string, int, int, std::string>, int> counts;
  auto add = [&](const std::string& phase, Organization org, Engagement eng,
                 const std::string& practice) {
    ++counts[{phase, static_cast<int>(org), static_cast<int>(eng), practice}];
  };
  if (basis == CircumplexBasis::kApplied) {
    for (const auto& [id, o] : outcomes_) {
      if ((account_id.empty() || o.account_id == account_id) &&
          window.Contains(o.occurred_at)) {
        add(o.phase_id, o.organization, o.engagement, o.practice_id);
      }
    }
  } else {
    for (const auto& [key, e] : events_) {
      if (!account_id.empty() && e.record.account_id != account_id) continue;
      if (!window.Contains(e.record.occurred_at)) continue;
      for (const SuggestionRecord& s : e.record.suggestions) {
        add(e.record.phase_id, s.organization, s.engagement, s.practice_id);
      }
    }
  }
  std::vector<CircumplexCount> out;
  for (const auto& [k, n] : counts) {
    out.push_back({std::get<0>(k), static_cast<Organization>(std::get<1>(k)),
                   static_cast<Engagement>(std::get<2>(k)), std::get<3>(k), n});
  }
  return out;
}

absl::StatusOr<std::vector<WritebackJob>> InMemoryJourneyStore::LeaseWritebacks(
    const LeaseRequest& request) {
  if (absl::Status s = CheckLeaseRequest(request); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  const absl::Time now = options_.clock();
  std::vector<WritebackJob*> due;
  for (auto& [id, job] : jobs_) {
    if (!request.target_system.empty() &&
        job.target_system != request.target_system) {
      continue;
    }
    const bool expired =
        job.state == WritebackState::kLeased && job.lease_expires_at <= now;
    if (expired && job.attempts >= options_.outbox.max_attempts) {
      job.state = WritebackState::kDeadLetter;
      job.dead_letter_reason = LeaseExhaustedReason(job.attempts);
      job.dead_lettered_at = now;
      job.lease_token.clear();
      continue;
    }
    if (expired ||
        (job.state == WritebackState::kPending && job.not_before <= now)) {
      due.push_back(&job);
    }
  }
  std::stable_sort(due.begin(), due.end(),
                   [](const WritebackJob* a, const WritebackJob* b) {
                     return a->not_before < b->not_before;
                   });
  if (static_cast<int>(due.size()) > request.max_jobs) {
    due.resize(request.max_jobs);
  }
  std::vector<WritebackJob> leased;
  for (WritebackJob* job : due) {
    job->state = WritebackState::kLeased;
    job->lease_token = NewLeaseToken();
    job->lessee_id = request.lessee_id;
    job->lease_expires_at = now + request.lease_duration;
    ++job->attempts;
    leased.push_back(*job);
  }
  return leased;
}

absl::StatusOr<WritebackJob> InMemoryJourneyStore::AckWriteback(
    const AckRequest& request) {
  absl::MutexLock lock(&mu_);
  auto it = jobs_.find(request.job_id);
  if (it == jobs_.end()) {
    return absl::NotFoundError(
        absl::StrCat("writeback job ", request.job_id, " not found"));
  }
  WritebackJob& job = it->second;
  if (job.state != WritebackState::kLeased || request.lease_token.empty() ||
      job.lease_token != request.lease_token) {
    return StaleLeaseError(request.job_id);
  }
  const absl::Time now = options_.clock();
  const AckTransition t = TransitionForAck(options_.outbox, job.attempts,
                                           request, now, DrawJitter(options_));
  job.state = t.state;
  job.last_crm_answer = request.crm_answer;
  job.lease_token.clear();
  job.lease_expires_at = absl::InfinitePast();
  if (t.state == WritebackState::kPending) job.not_before = t.not_before;
  if (t.state == WritebackState::kDeadLetter) {
    job.dead_letter_reason = t.dead_letter_reason;
    job.dead_lettered_at = now;
  }
  return job;
}

absl::StatusOr<std::vector<WritebackJob>> InMemoryJourneyStore::ListDeadLetters(
    const DeadLetterQuery& query) {
  absl::MutexLock lock(&mu_);
  std::vector<WritebackJob> dead;
  for (const auto& [id, job] : jobs_) {
    if (job.state != WritebackState::kDeadLetter) continue;
    if (!query.target_system.empty() &&
        job.target_system != query.target_system) {
      continue;
    }
    if (!query.account_id.empty() && job.account_id != query.account_id) {
      continue;
    }
    // The order below, at the stores' microsecond precision.
    if (query.after.has_value() &&
        std::make_pair(absl::ToUnixMicros(job.dead_lettered_at), id) >=
            std::make_pair(query.after->dead_lettered_at_micros,
                           query.after->job_id)) {
      continue;
    }
    dead.push_back(job);
  }
  std::sort(dead.begin(), dead.end(),
            [](const WritebackJob& a, const WritebackJob& b) {
              return a.dead_lettered_at != b.dead_lettered_at
                         ? a.dead_lettered_at > b.dead_lettered_at
                         : a.id > b.id;
            });
  const size_t to = std::min<size_t>(std::max(query.limit, 0), dead.size());
  return std::vector<WritebackJob>(dead.begin(), dead.begin() + to);
}

absl::StatusOr<WritebackJob> InMemoryJourneyStore::RetryDeadLetter(
    int64_t job_id) {
  absl::MutexLock lock(&mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) {
    return absl::NotFoundError(
        absl::StrCat("writeback job ", job_id, " not found"));
  }
  WritebackJob& job = it->second;
  if (job.state != WritebackState::kDeadLetter) {
    return absl::FailedPreconditionError(
        absl::StrCat("writeback job ", job_id, " is not a dead letter"));
  }
  job.state = WritebackState::kPending;
  job.attempts = 0;
  job.not_before = options_.clock();
  job.dead_letter_reason.clear();
  job.dead_lettered_at = absl::InfinitePast();
  return job;
}

absl::StatusOr<RecordedOutcome> InMemoryJourneyStore::RecordOutcome(
    const OutcomeRecord& outcome) {
  if (absl::Status s = CheckOutcome(outcome); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  if (!outcome.outcome_id.empty()) {
    if (auto it = outcomes_.find(outcome.outcome_id); it != outcomes_.end()) {
      return RecordedOutcome{it->second, true};
    }
  }
  OutcomeRecord o = outcome;
  if (o.outcome_id.empty()) o.outcome_id = NewOutcomeId();
  const absl::Time now = options_.clock();
  o.recorded_at = now;
  if (o.occurred_at == absl::InfinitePast()) o.occurred_at = now;
  if (o.source.empty() && o.follow_latest_suggestion) {
    // EventsOf is in the events' own order: the last match is the latest.
    for (const StoredEvent* e : EventsOf(o.account_id)) {
      if (e->record.occurred_at > o.occurred_at) break;
      if (FindSuggestedMode(e->record.suggestions, o.practice_id)) {
        o.source = e->record.source;
        o.event_id = e->record.event_id;
      }
    }
  }
  std::optional<SuggestedMode> suggested;
  if (!o.source.empty()) {
    auto it = events_.find(Key(o.source, o.event_id));
    if (it == events_.end()) {
      return absl::NotFoundError(absl::StrCat("event (", o.source, ", ",
                                              o.event_id, ") is not recorded"));
    }
    const IngestRecord& r = it->second.record;
    if (r.account_id != o.account_id) {
      return absl::InvalidArgumentError(
          absl::StrCat("event_id: event (", o.source, ", ", o.event_id,
                       ") belongs to another account"));
    }
    if (o.phase_id.empty()) o.phase_id = r.phase_id;
    if (o.critical_event_type.empty()) {
      o.critical_event_type = DefaultCriticalEventType(r.critical_events);
    }
    suggested = FindSuggestedMode(r.suggestions, o.practice_id);
  } else if (o.phase_id.empty()) {
    if (auto it = phases_.find(o.account_id); it != phases_.end()) {
      o.phase_id = it->second.phase_id;
    }
  }
  if (absl::Status s = FillSuggestedMode(suggested, &o); !s.ok()) return s;
  outcomes_.emplace(o.outcome_id, o);
  outcome_order_.push_back(o.outcome_id);
  return RecordedOutcome{std::move(o), false};
}

absl::StatusOr<std::vector<OutcomeTally>>
InMemoryJourneyStore::OutcomeTallies() {
  absl::MutexLock lock(&mu_);
  std::map<std::tuple<std::string, std::string, std::string>, OutcomeTally>
      tallies;
  for (const auto& [id, o] : outcomes_) {
    OutcomeTally& t =
        tallies[{o.phase_id, o.critical_event_type, o.practice_id}];
    t.phase_id = o.phase_id;
    t.critical_event_type = o.critical_event_type;
    t.practice_id = o.practice_id;
    switch (o.reaction) {
      case CustomerReaction::kRestored:
        ++t.restored;
        break;
      case CustomerReaction::kBolstered:
        ++t.bolstered;
        break;
      case CustomerReaction::kNoChange:
        ++t.no_change;
        break;
      case CustomerReaction::kWorsened:
        ++t.worsened;
        break;
      case CustomerReaction::kUnspecified:
        break;
    }
  }
  std::vector<OutcomeTally> out;
  for (auto& [k, t] : tallies) out.push_back(std::move(t));
  return out;
}

}  // namespace cse::store
