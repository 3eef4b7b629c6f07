// The outbox's decisions that do not depend on the backend: validating a
// lease request, and what an ack does to a job (done, retry after backoff,
// dead letter). Each backend reads the job, asks here, and writes the
// answer, so all three behave the same.
#ifndef CSE_SIDECAR_STORE_OUTBOX_POLICY_H_
#define CSE_SIDECAR_STORE_OUTBOX_POLICY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "sidecar/store/store_options.h"
#include "sidecar/store/writeback_outbox.h"

namespace cse::store {

// INVALID_ARGUMENT naming the field for a lease request no backend should
// run.
absl::Status CheckLeaseRequest(const LeaseRequest& request);

// How long the retry after `attempts` attempts waits: full jitter over the
// capped exponential (`jitter` in [0, 1)), at least the capped Retry-After.
absl::Duration RetryDelay(const OutboxPolicy& policy, int attempts,
                          absl::Duration retry_after, double jitter);

// The job's fields an ack changes.
struct AckTransition {
  WritebackState state = WritebackState::kDone;
  absl::Time not_before = absl::InfinitePast();  // kPending
  std::string dead_letter_reason;                // kDeadLetter
};

// What `request` does to a job that was leased `attempts` times.
AckTransition TransitionForAck(const OutboxPolicy& policy, int attempts,
                               const AckRequest& request, absl::Time now,
                               double jitter);

// The reason recorded when expired leases used up a job's attempts.
std::string LeaseExhaustedReason(int attempts);

// A new lease token: 128 random bits, hex.
std::string NewLeaseToken();

// A uniform [0, 1) draw from `options.jitter`, or a thread-local generator.
double DrawJitter(const StoreOptions& options);

// "<source>:<event_id>:<kind>".
std::string IdempotencyKey(absl::string_view source, absl::string_view event_id,
                           WritebackKind kind);

// Precondition errors shared by every backend's Ack.
absl::Status StaleLeaseError(int64_t job_id);

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_OUTBOX_POLICY_H_
