#include "sidecar/api/writeback_conversion.h"

#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "sidecar/api/proto_time.h"

namespace cse::api {
namespace {

constexpr absl::Duration kDefaultLease = absl::Seconds(60);
constexpr absl::Duration kMinLease = absl::Seconds(1);
constexpr absl::Duration kMaxLease = absl::Hours(1);

store::WritebackSpec Spec(store::WritebackKind kind,
                          store::CrmObjectKind object_kind,
                          absl::string_view object_id) {
  store::WritebackSpec spec;
  spec.kind = kind;
  spec.object_kind = object_kind;
  spec.object_id = std::string(object_id);
  return spec;
}

cse::v1::CrmObjectKind ToProto(store::CrmObjectKind kind) {
  switch (kind) {
    case store::CrmObjectKind::kTicket:
      return cse::v1::CRM_OBJECT_KIND_TICKET;
    case store::CrmObjectKind::kMeeting:
      return cse::v1::CRM_OBJECT_KIND_MEETING;
    case store::CrmObjectKind::kUnspecified:
      break;
  }
  return cse::v1::CRM_OBJECT_KIND_UNSPECIFIED;
}

}  // namespace

std::string NoteMarker(absl::string_view source, absl::string_view event_id) {
  return absl::StrCat("cse:", source, ":", event_id);
}

std::vector<store::WritebackSpec> WritebacksFor(
    const cse::v1::Assessment& assessment, store::CrmObjectKind object_kind,
    absl::string_view object_id) {
  std::vector<store::WritebackSpec> specs;
  specs.reserve(3);
  if (!assessment.tags().empty()) {
    store::WritebackSpec& tags = specs.emplace_back(
        Spec(store::WritebackKind::kTags, object_kind, object_id));
    tags.tags.assign(assessment.tags().begin(), assessment.tags().end());
  }
  if (!assessment.note_markdown().empty()) {
    store::WritebackSpec& note = specs.emplace_back(
        Spec(store::WritebackKind::kNote, object_kind, object_id));
    note.note_markdown = assessment.note_markdown();
    note.note_marker = NoteMarker(assessment.source(), assessment.event_id());
  }
  if (!assessment.phase().id().empty()) {
    store::WritebackSpec& phase = specs.emplace_back(
        Spec(store::WritebackKind::kPhaseField, object_kind, object_id));
    phase.phase_id = assessment.phase().id();
    phase.phase_name = assessment.phase().name();
  }
  return specs;
}

absl::StatusOr<store::LeaseRequest> LeaseRequestFromProto(
    const cse::v1::LeaseWritebacksRequest& request) {
  if (request.lessee_id().empty()) {
    return absl::InvalidArgumentError("lessee_id: required");
  }
  if (request.lessee_id().size() > kMaxLesseeIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("lessee_id: at most ", kMaxLesseeIdBytes, " bytes"));
  }
  if (request.max_jobs() > kMaxLeaseJobs) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_jobs: at most ", kMaxLeaseJobs));
  }
  absl::StatusOr<absl::Duration> lease =
      FromProto(request.lease_duration(), "lease_duration");
  if (!lease.ok()) return lease.status();
  if (*lease == absl::ZeroDuration()) *lease = kDefaultLease;
  if (*lease < kMinLease) {
    return absl::InvalidArgumentError(
        absl::StrCat("lease_duration: at least ", SecondsText(kMinLease)));
  }
  if (*lease > kMaxLease) {
    return absl::InvalidArgumentError(
        absl::StrCat("lease_duration: at most ", SecondsText(kMaxLease)));
  }
  store::LeaseRequest out;
  out.lessee_id = request.lessee_id();
  out.max_jobs = request.max_jobs() == 0 ? kDefaultLeaseJobs
                                         : static_cast<int>(request.max_jobs());
  out.lease_duration = *lease;
  out.target_system = request.target_system();
  return out;
}

absl::StatusOr<store::AckRequest> AckRequestFromProto(
    const cse::v1::AckWritebackRequest& request) {
  if (request.job_id() <= 0) {
    return absl::InvalidArgumentError("job_id: required");
  }
  if (request.lease_token().empty()) {
    return absl::InvalidArgumentError("lease_token: required");
  }
  store::AckRequest out;
  switch (request.result()) {
    case cse::v1::WRITEBACK_RESULT_DONE:
      out.result = store::WritebackResult::kDone;
      break;
    case cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE:
      out.result = store::WritebackResult::kFailedRetryable;
      break;
    case cse::v1::WRITEBACK_RESULT_FAILED_PERMANENT:
      out.result = store::WritebackResult::kFailedPermanent;
      break;
    case cse::v1::WRITEBACK_RESULT_UNSPECIFIED:
      return absl::InvalidArgumentError("result: required");
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("result: unknown value ", request.result()));
  }
  absl::StatusOr<absl::Duration> retry_after =
      FromProto(request.retry_after(), "retry_after");
  if (!retry_after.ok()) return retry_after.status();
  if (request.crm_answer().size() > kMaxCrmAnswerBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("crm_answer: at most ", kMaxCrmAnswerBytes, " bytes"));
  }
  out.job_id = request.job_id();
  out.lease_token = request.lease_token();
  out.retry_after = *retry_after;
  out.crm_answer = request.crm_answer();
  return out;
}

absl::StatusOr<store::DeadLetterQuery> DeadLetterQueryFromProto(
    const cse::v1::ListDeadLettersRequest& request, Page* page) {
  // The token is a cursor, not an offset: see DeadLetterPageToken.
  absl::StatusOr<Page> parsed = ParsePage(
      request.page_size(), "", kDefaultDeadLetterPage, kMaxDeadLetterPage);
  if (!parsed.ok()) return parsed.status();
  *page = *parsed;
  store::DeadLetterQuery query;
  query.target_system = request.target_system();
  query.account_id = request.account_id();
  query.limit = page->limit + 1;
  if (!request.page_token().empty()) {
    std::vector<absl::string_view> parts =
        absl::StrSplit(request.page_token(), '.');
    store::DeadLetterCursor cursor;
    if (parts.size() != 2 ||
        !absl::SimpleAtoi(parts[0], &cursor.dead_lettered_at_micros) ||
        !absl::SimpleAtoi(parts[1], &cursor.job_id) || cursor.job_id <= 0) {
      return absl::InvalidArgumentError(
          "page_token: not a token from a previous response");
    }
    query.after = cursor;
  }
  return query;
}

std::string DeadLetterPageToken(const store::WritebackJob& last) {
  return absl::StrCat(absl::ToUnixMicros(last.dead_lettered_at), ".", last.id);
}

absl::Status CheckRetryDeadLetter(
    const cse::v1::RetryDeadLetterRequest& request) {
  if (request.job_id() <= 0) {
    return absl::InvalidArgumentError("job_id: required");
  }
  return absl::OkStatus();
}

void ToProto(const store::WritebackJob& job, JobSecret secret,
             cse::v1::WritebackJob* out) {
  out->Clear();
  out->set_job_id(job.id);
  out->set_target_system(job.target_system);
  out->set_event_id(job.event_id);
  out->set_account_id(job.account_id);
  out->set_object_kind(ToProto(job.spec.object_kind));
  out->set_object_id(job.spec.object_id);
  switch (job.spec.kind) {
    case store::WritebackKind::kTags:
      for (const std::string& tag : job.spec.tags) {
        out->mutable_tags()->add_tags(tag);
      }
      break;
    case store::WritebackKind::kNote:
      out->mutable_note()->set_markdown(job.spec.note_markdown);
      out->mutable_note()->set_marker(job.spec.note_marker);
      break;
    case store::WritebackKind::kPhaseField:
      out->mutable_phase_field()->set_phase_id(job.spec.phase_id);
      out->mutable_phase_field()->set_phase_name(job.spec.phase_name);
      out->mutable_phase_field()->set_field(job.spec.field);
      break;
  }
  out->set_idempotency_key(job.idempotency_key);
  out->set_state(static_cast<cse::v1::WritebackState>(job.state));
  out->set_attempts(static_cast<uint32_t>(job.attempts));
  if (secret == JobSecret::kWithLeaseToken) {
    out->set_lease_token(job.lease_token);
  }
  out->set_lessee_id(job.lessee_id);
  SetTime(job.lease_expires_at,
          [&] { return out->mutable_lease_expires_at(); });
  SetTime(job.not_before, [&] { return out->mutable_not_before(); });
  SetTime(job.created_at, [&] { return out->mutable_created_at(); });
  out->set_last_crm_answer(job.last_crm_answer);
  out->set_dead_letter_reason(job.dead_letter_reason);
  SetTime(job.dead_lettered_at,
          [&] { return out->mutable_dead_lettered_at(); });
}

}  // namespace cse::api
