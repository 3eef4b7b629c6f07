// The writeback outbox through the cse.v1 API: the jobs an assessment
// yields, request checks for WritebackService and the admin's dead-letter
// RPCs (INVALID_ARGUMENT naming the field), and store jobs as
// cse.v1.WritebackJob.
//
// Example:
//   auto lease = LeaseRequestFromProto(request);
//   if (!lease.ok()) return lease.status();
//   auto jobs = outbox->LeaseWritebacks(*lease);
//   for (const store::WritebackJob& job : *jobs) {
//     ToProto(job, JobSecret::kWithLeaseToken, response->add_jobs());
//   }
#ifndef CSE_SIDECAR_API_WRITEBACK_CONVERSION_H_
#define CSE_SIDECAR_API_WRITEBACK_CONVERSION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cse/v1/admin_service.pb.h"
#include "cse/v1/assessment.pb.h"
#include "cse/v1/writeback.pb.h"
#include "cse/v1/writeback_service.pb.h"
#include "sidecar/api/paging.h"
#include "sidecar/store/writeback_outbox.h"

namespace cse::api {

// The request limits writeback_service.proto documents.
inline constexpr size_t kMaxLesseeIdBytes = 256;
inline constexpr uint32_t kDefaultLeaseJobs = 10;
inline constexpr uint32_t kMaxLeaseJobs = 500;
inline constexpr size_t kMaxCrmAnswerBytes = 2048;
inline constexpr int kDefaultDeadLetterPage = 100;
inline constexpr int kMaxDeadLetterPage = 1000;

// The jobs a recorded assessment yields for the event's CRM: its tags (when
// it has any), its recommendation note (when it has one; marker
// "cse:<source>:<event_id>") and its phase for the phase field (when the
// phase is known). `object_id` is the ticket or meeting id.
std::vector<store::WritebackSpec> WritebacksFor(
    const cse::v1::Assessment& assessment, store::CrmObjectKind object_kind,
    absl::string_view object_id);

// The note marker of an event's recommendation note.
std::string NoteMarker(absl::string_view source, absl::string_view event_id);

// Checked and with the documented defaults applied (10 jobs, 60 s).
absl::StatusOr<store::LeaseRequest> LeaseRequestFromProto(
    const cse::v1::LeaseWritebacksRequest& request);
absl::StatusOr<store::AckRequest> AckRequestFromProto(
    const cse::v1::AckWritebackRequest& request);
// `page` is set to the page asked for; the query asks for one job more, to
// tell whether another page follows. The page token is a cursor (see
// DeadLetterPageToken): an admin retrying jobs while paging through the
// list neither skips nor sees again a job on the next page.
absl::StatusOr<store::DeadLetterQuery> DeadLetterQueryFromProto(
    const cse::v1::ListDeadLettersRequest& request, Page* page);
// The token of the page after the one whose last job is `last`.
std::string DeadLetterPageToken(const store::WritebackJob& last);
absl::Status CheckRetryDeadLetter(
    const cse::v1::RetryDeadLetterRequest& request);

// Whether the job's lease token goes out: only to the lessee, in the
// LeaseWritebacks answer.
enum class JobSecret { kWithoutLeaseToken, kWithLeaseToken };

void ToProto(const store::WritebackJob& job, JobSecret secret,
             cse::v1::WritebackJob* out);

}  // namespace cse::api

#endif  // CSE_SIDECAR_API_WRITEBACK_CONVERSION_H_
