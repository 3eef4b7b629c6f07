// The writeback outbox: jobs that write an assessment back into the CRM
// (tags, a note, the phase field), created with the event in one
// transaction (IngestRecord::writebacks) and handed to adapters by lease.
//
// Delivery is at least once: a lease that expires before its ack makes the
// job leasable again, so jobs are written to be harmless when repeated. A
// job is leased to at most one lessee at a time, also across sidecar
// replicas sharing a PostgreSQL store.
//
// Example:
//   auto jobs = outbox.LeaseWritebacks({.lessee_id = "zendesk@pod-1",
//                                       .max_jobs = 10,
//                                       .lease_duration = absl::Seconds(60)});
//   for (const WritebackJob& job : *jobs) {
//     ... perform it ...
//     outbox.AckWriteback({.job_id = job.id, .lease_token = job.lease_token,
//                          .result = WritebackResult::kDone,
//                          .crm_answer = "200 req-abc"});
//   }
#ifndef CSE_SIDECAR_STORE_WRITEBACK_OUTBOX_H_
#define CSE_SIDECAR_STORE_WRITEBACK_OUTBOX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cse::store {

// What a job writes. Values equal the WritebackJob.action field numbers of
// cse.v1 (writeback.proto) minus 6, and are persisted.
enum class WritebackKind { kTags = 1, kNote = 2, kPhaseField = 3 };

// cse.v1.CrmObjectKind.
enum class CrmObjectKind { kUnspecified = 0, kTicket = 1, kMeeting = 2 };

// cse.v1.WritebackState.
enum class WritebackState {
  kUnspecified = 0,
  kPending = 1,
  kLeased = 2,
  kDone = 3,
  kDeadLetter = 4,
};

// What to write, as the assessment produced it.
struct WritebackSpec {
  WritebackKind kind = WritebackKind::kTags;
  CrmObjectKind object_kind = CrmObjectKind::kUnspecified;
  // The ticket or meeting id in the event's CRM.
  std::string object_id;
  // kTags: the tags to add (set union).
  std::vector<std::string> tags;
  // kNote: the Markdown and the marker that makes a repeat harmless.
  std::string note_markdown;
  std::string note_marker;
  // kPhaseField: the phase, its display name, and the CRM field (empty:
  // the adapter's default).
  std::string phase_id;
  std::string phase_name;
  std::string field;
};

// A job in the outbox.
struct WritebackJob {
  int64_t id = 0;
  // The event's source: the CRM to write to.
  std::string target_system;
  std::string event_id;
  std::string account_id;
  WritebackSpec spec;
  // "<source>:<event_id>:<kind>", stable across attempts.
  std::string idempotency_key;
  WritebackState state = WritebackState::kPending;
  // Leases so far (each lease is an attempt, including ones that expired).
  int attempts = 0;
  // Set while leased (the token only in LeaseWritebacks' answer).
  std::string lease_token;
  std::string lessee_id;
  absl::Time lease_expires_at = absl::InfinitePast();
  // Earliest next attempt, for pending jobs.
  absl::Time not_before = absl::InfinitePast();
  absl::Time created_at = absl::InfinitePast();
  std::string last_crm_answer;
  std::string dead_letter_reason;
  absl::Time dead_lettered_at = absl::InfinitePast();
};

struct LeaseRequest {
  // Who leases (stored with the lease). Required.
  std::string lessee_id;
  // At most this many jobs (>= 1).
  int max_jobs = 10;
  // > 0.
  absl::Duration lease_duration = absl::Seconds(60);
  // Only jobs for this CRM; empty for all.
  std::string target_system;
};

// cse.v1.WritebackResult.
enum class WritebackResult {
  kDone = 1,
  kFailedRetryable = 2,
  kFailedPermanent = 3,
};

struct AckRequest {
  int64_t job_id = 0;
  std::string lease_token;
  WritebackResult result = WritebackResult::kDone;
  // kFailedRetryable: the CRM's Retry-After, a lower bound for the next
  // attempt (capped by OutboxPolicy::max_retry_after). Zero: none.
  absl::Duration retry_after = absl::ZeroDuration();
  // The CRM's answer in a line, stored with the job.
  std::string crm_answer;
};

// Where a page of dead letters ends: the last job listed. The next page
// starts after it in the list's order, so jobs retried (or dead-lettered)
// between two calls neither shift nor repeat the pages that follow.
struct DeadLetterCursor {
  int64_t dead_lettered_at_micros = 0;  // unix microseconds
  int64_t job_id = 0;
};

struct DeadLetterQuery {
  // Filters; empty matches all.
  std::string target_system;
  std::string account_id;
  int limit = 100;
  // The first page when unset.
  std::optional<DeadLetterCursor> after;
};

class WritebackOutbox {
 public:
  virtual ~WritebackOutbox() = default;

  // Leases up to `max_jobs` due jobs (pending with not_before <= now, or
  // leased with an expired lease), oldest due first, each with its own new
  // lease token. An expired lease whose job has used all its attempts sends
  // the job to the dead letters instead. INVALID_ARGUMENT for a bad request.
  virtual absl::StatusOr<std::vector<WritebackJob>> LeaseWritebacks(
      const LeaseRequest& request) = 0;

  // Records the result of a leased job and returns the job as it is now:
  // done; pending again after backoff (retryable, attempts left); or dead
  // letter (permanent, or attempts exhausted). NOT_FOUND for an unknown job;
  // FAILED_PRECONDITION when the job is not leased under this token (an ack
  // after the job was leased again holds a stale token; an ack after the
  // lease expired but before anyone else leased it is still accepted).
  virtual absl::StatusOr<WritebackJob> AckWriteback(
      const AckRequest& request) = 0;

  // Dead letters, most recently dead-lettered first, without lease tokens.
  virtual absl::StatusOr<std::vector<WritebackJob>> ListDeadLetters(
      const DeadLetterQuery& query) = 0;

  // Makes a dead letter pending again, due now, with its attempts reset.
  // NOT_FOUND for an unknown job, FAILED_PRECONDITION for one that is not a
  // dead letter.
  virtual absl::StatusOr<WritebackJob> RetryDeadLetter(int64_t job_id) = 0;
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_WRITEBACK_OUTBOX_H_
