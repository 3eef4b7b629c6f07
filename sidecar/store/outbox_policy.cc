#include "sidecar/store/outbox_policy.h"

#include <algorithm>
#include <cmath>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cse::store {

absl::Status CheckLeaseRequest(const LeaseRequest& request) {
  if (request.lessee_id.empty()) {
    return absl::InvalidArgumentError("lessee_id: required");
  }
  if (request.max_jobs < 1) {
    return absl::InvalidArgumentError("max_jobs: must be at least 1");
  }
  if (request.lease_duration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("lease_duration: must be positive");
  }
  return absl::OkStatus();
}

absl::Duration RetryDelay(const OutboxPolicy& policy, int attempts,
                          absl::Duration retry_after, double jitter) {
  // base * 2^(attempts-1), computed in doubles so a large attempt count
  // saturates at the cap instead of overflowing.
  const double exponent = std::max(0, attempts - 1);
  const double ceiling_s =
      std::min(absl::ToDoubleSeconds(policy.backoff_cap),
               absl::ToDoubleSeconds(policy.backoff_base) *
                   std::pow(2.0, std::min(exponent, 62.0)));
  const absl::Duration jittered =
      absl::Seconds(ceiling_s * std::clamp(jitter, 0.0, 1.0));
  const absl::Duration floor =
      std::clamp(retry_after, absl::ZeroDuration(), policy.max_retry_after);
  return std::max(jittered, floor);
}

AckTransition TransitionForAck(const OutboxPolicy& policy, int attempts,
                               const AckRequest& request, absl::Time now,
                               double jitter) {
  AckTransition t;
  switch (request.result) {
    case WritebackResult::kDone:
      t.state = WritebackState::kDone;
      return t;
    case WritebackResult::kFailedPermanent:
      t.state = WritebackState::kDeadLetter;
      t.dead_letter_reason = "permanent failure";
      return t;
    case WritebackResult::kFailedRetryable:
      break;
  }
  if (attempts >= policy.max_attempts) {
    t.state = WritebackState::kDeadLetter;
    t.dead_letter_reason = absl::StrCat(attempts, " attempts exhausted");
    return t;
  }
  t.state = WritebackState::kPending;
  t.not_before =
      now + RetryDelay(policy, attempts, request.retry_after, jitter);
  return t;
}

std::string LeaseExhaustedReason(int attempts) {
  return absl::StrCat("lease expired; ", attempts, " attempts exhausted");
}

std::string NewLeaseToken() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(gen),
                         absl::Uniform<uint64_t>(gen));
}

double DrawJitter(const StoreOptions& options) {
  if (options.jitter) return options.jitter();
  thread_local absl::BitGen gen;
  return absl::Uniform<double>(gen, 0.0, 1.0);
}

std::string IdempotencyKey(absl::string_view source, absl::string_view event_id,
                           WritebackKind kind) {
  absl::string_view name = kind == WritebackKind::kTags   ? "tags"
                           : kind == WritebackKind::kNote ? "note"
                                                          : "phase_field";
  return absl::StrCat(source, ":", event_id, ":", name);
}

absl::Status StaleLeaseError(int64_t job_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "writeback job ", job_id,
      " is not leased under this token (the lease expired and the job was "
      "leased again, or it was already acknowledged)"));
}

}  // namespace cse::store
