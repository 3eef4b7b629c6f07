// Settings every journey-memory backend takes: body retention, the
// outbox's retry policy, and the clock and jitter (injectable so tests run
// on a fake clock with fixed jitter).
#ifndef CSE_SIDECAR_STORE_STORE_OPTIONS_H_
#define CSE_SIDECAR_STORE_STORE_OPTIONS_H_

#include <functional>

#include "absl/time/time.h"

namespace cse::store {

// What happens to an event's message text.
struct RetentionPolicy {
  // false (the default, data minimisation): the body is never stored; the
  // assessment's evidence excerpts (~120 bytes each) are all that remains
  // of the text. true: the body is kept with the event until the account
  // is erased.
  bool keep_bodies = false;
};

// Retries of failed writeback jobs.
struct OutboxPolicy {
  // Attempts (leases) before a job is dead-lettered.
  int max_attempts = 8;
  // Full-jitter exponential backoff: the n-th retry waits a uniformly random
  // time in [0, min(cap, base * 2^(n-1))), and at least the CRM's
  // Retry-After (itself capped at max_retry_after).
  absl::Duration backoff_base = absl::Seconds(2);
  absl::Duration backoff_cap = absl::Minutes(15);
  absl::Duration max_retry_after = absl::Hours(24);
};

struct StoreOptions {
  RetentionPolicy retention;
  OutboxPolicy outbox;
  // Now. Every time the store writes or compares (leases, backoff,
  // recorded_at, "open" windows) comes from here.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  // A uniform random number in [0, 1) for backoff jitter; must be
  // thread-safe. Empty: a thread-local generator.
  std::function<double()> jitter;
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_STORE_OPTIONS_H_
