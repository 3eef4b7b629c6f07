#include "sidecar/server/journey_service.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sidecar/api/assess_request.h"
#include "sidecar/server/grpc_status.h"
#include "sidecar/server/logging.h"

namespace cse::server {
namespace {

// The snapshot this request runs on, start to finish.
absl::StatusOr<std::shared_ptr<const mapping::MappingSnapshot>> TakeSnapshot(
    const mapping::ActiveMapping& mapping) {
  std::shared_ptr<const mapping::MappingSnapshot> snapshot = mapping.Current();
  if (snapshot == nullptr || snapshot->compiled == nullptr) {
    return absl::UnavailableError("no active mapping");
  }
  return snapshot;
}

// The store is a dependency the caller cannot fix by changing the request:
// whatever it reports, the client sees a retryable UNAVAILABLE.
absl::Status StoreError(absl::string_view what, const absl::Status& status) {
  return absl::UnavailableError(
      absl::StrCat("journey store: ", what, ": ", status.message()));
}

absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

double MillisSince(absl::Time start) {
  return absl::ToDoubleMilliseconds(absl::Now() - start);
}

}  // namespace

JourneyServiceImpl::JourneyServiceImpl(mapping::ActiveMapping* mapping,
                                       store::JourneyStore* store,
                                       api::EventLimits limits)
    : mapping_(mapping),
      store_(store),
      limits_(limits),
      log_(GetLogger(kServerLogger)) {
  SetMessageAllocatorFor_IngestTicket(&ticket_allocator_);
  SetMessageAllocatorFor_IngestMeeting(&meeting_allocator_);
  SetMessageAllocatorFor_Assess(&assess_allocator_);
}

grpc::ServerUnaryReactor* JourneyServiceImpl::IngestTicket(
    grpc::CallbackServerContext* context,
    const cse::v1::IngestTicketRequest* request,
    cse::v1::IngestResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleIngestTicket(*request, response)));
  return reactor;
}

grpc::ServerUnaryReactor* JourneyServiceImpl::IngestMeeting(
    grpc::CallbackServerContext* context,
    const cse::v1::IngestMeetingRequest* request,
    cse::v1::IngestResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleIngestMeeting(*request, response)));
  return reactor;
}

grpc::ServerUnaryReactor* JourneyServiceImpl::Assess(
    grpc::CallbackServerContext* context, const cse::v1::AssessRequest* request,
    cse::v1::AssessResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleAssess(*request, response)));
  return reactor;
}

absl::Status JourneyServiceImpl::HandleIngestTicket(
    const cse::v1::IngestTicketRequest& request,
    cse::v1::IngestResponse* response) {
  if (absl::Status s = api::ValidateTicket(request.event(), "event",
                                           api::Strictness::kIngest, limits_);
      !s.ok()) {
    return s;
  }
  return Ingest(api::TicketView(request.event()), request.event().occurred_at(),
                request.options(), response);
}

absl::Status JourneyServiceImpl::HandleIngestMeeting(
    const cse::v1::IngestMeetingRequest& request,
    cse::v1::IngestResponse* response) {
  if (absl::Status s = api::ValidateMeeting(request.event(), "event",
                                            api::Strictness::kIngest, limits_);
      !s.ok()) {
    return s;
  }
  return Ingest(api::MeetingView(request.event()),
                request.event().occurred_at(), request.options(), response);
}

absl::Status JourneyServiceImpl::Ingest(
    const engine::EventView& event,
    const google::protobuf::Timestamp& occurred_at,
    const cse::v1::AssessOptions& options, cse::v1::IngestResponse* response) {
  const absl::Time start = absl::Now();
  if (absl::Status s = api::CheckAssessOptions(options); !s.ok()) return s;
  auto snapshot = TakeSnapshot(*mapping_);
  if (!snapshot.ok()) return snapshot.status();

  // A redelivery is answered from the store without assessing again: the
  // caller gets exactly what it got the first time, even if the mapping
  // changed since.
  auto stored = store_->FindAssessment(event.source, event.event_id);
  if (!stored.ok()) return StoreError("find", stored.status());
  auto answer_duplicate = [&](const std::string& serialized) -> absl::Status {
    response->Clear();
    if (!response->mutable_assessment()->ParseFromString(serialized)) {
      return absl::InternalError(
          absl::StrCat("journey store: stored assessment of ", event.source,
                       "/", event.event_id, " does not parse"));
    }
    response->set_duplicate(true);
    SPDLOG_LOGGER_DEBUG(log_, "ingest {}/{}: duplicate, {:.3f} ms",
                        event.source, event.event_id, MillisSince(start));
    return absl::OkStatus();
  };
  if (stored->has_value()) return answer_duplicate(**stored);

  // Straight into the response (on the call's arena): no intermediate
  // message to swap across arenas, which would be a deep copy.
  if (absl::Status s = api::AssessEvent(
          *(*snapshot)->compiled, api::CheckedEvent{event, "event"}, options,
          /*assume_last_phase_id=*/"",
          [this](absl::string_view account_id) {
            return LastKnownPhase(account_id);
          },
          response);
      !s.ok()) {
    return s;
  }

  store::IngestRecord record;
  record.source = std::string(event.source);
  record.event_id = std::string(event.event_id);
  record.account_id = std::string(event.account_id);
  record.phase_id = response->assessment().phase().id();
  record.occurred_at = occurred_at.seconds() != 0 || occurred_at.nanos() != 0
                           ? ToTime(occurred_at)
                           : start;  // no CRM time: the delivery time
  if (!response->assessment().SerializeToString(&record.assessment)) {
    return absl::InternalError("assessment does not serialise");
  }
  auto recorded = store_->RecordIngest(record);
  if (!recorded.ok()) return StoreError("record", recorded.status());
  // Another delivery of the same event won the race between our lookup and
  // our write: answer with what it stored, as for any duplicate.
  if (recorded->has_value()) return answer_duplicate(**recorded);

  SPDLOG_LOGGER_DEBUG(log_, "ingest {}/{}: phase \"{}\", version {}, {:.3f} ms",
                      event.source, event.event_id, record.phase_id,
                      (*snapshot)->info.version, MillisSince(start));
  return absl::OkStatus();
}

absl::StatusOr<std::string> JourneyServiceImpl::LastKnownPhase(
    absl::string_view account_id) {
  auto found = store_->LastKnownPhase(account_id);
  if (!found.ok()) return StoreError("last phase", found.status());
  return found;
}

absl::Status JourneyServiceImpl::HandleAssess(
    const cse::v1::AssessRequest& request, cse::v1::AssessResponse* response) {
  const absl::Time start = absl::Now();
  auto event = api::CheckAssessRequest(request, limits_);
  if (!event.ok()) return event.status();
  auto snapshot = TakeSnapshot(*mapping_);
  if (!snapshot.ok()) return snapshot.status();
  if (absl::Status s = api::AssessEvent(
          *(*snapshot)->compiled, *event, request.options(),
          request.assume_last_phase_id(),
          [this](absl::string_view account_id) {
            return LastKnownPhase(account_id);
          },
          response);
      !s.ok()) {
    return s;
  }
  SPDLOG_LOGGER_DEBUG(log_, "assess {}/{}: phase \"{}\", version {}, {:.3f} ms",
                      event->view.source, event->view.event_id,
                      response->assessment().phase().id(),
                      (*snapshot)->info.version, MillisSince(start));
  return absl::OkStatus();
}

}  // namespace cse::server
