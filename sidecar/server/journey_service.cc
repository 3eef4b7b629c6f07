#include "sidecar/server/journey_service.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sidecar/api/assessment_conversion.h"
#include "sidecar/engine/journey_engine.h"
#include "sidecar/server/grpc_status.h"
#include "sidecar/server/logging.h"

namespace cse::server {
namespace {

absl::Status CheckOptions(const cse::v1::AssessOptions& options) {
  if (options.top_n() > engine::kMaxTopN) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.top_n: at most ", engine::kMaxTopN));
  }
  return absl::OkStatus();
}

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

// The engine names a text field ("body: ..."); the API names it with the
// event's path in the request ("event.body: ...").
absl::Status WithPrefix(absl::string_view prefix, const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return status;
  return absl::InvalidArgumentError(
      absl::StrCat(prefix, ".", status.message()));
}

absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

engine::AssessOptions EngineOptions(const cse::v1::AssessOptions& options,
                                    absl::string_view last_phase) {
  engine::AssessOptions out;
  out.top_n = options.top_n();
  out.explain = options.explain();
  out.last_known_phase_id = last_phase;
  return out;
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
      log_(GetLogger(kServerLogger)) {}

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
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
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

  auto last_phase = store_->LastKnownPhase(event.account_id);
  if (!last_phase.ok()) return StoreError("last phase", last_phase.status());

  auto assessment = engine::Assess(*(*snapshot)->compiled, event,
                                   EngineOptions(options, *last_phase));
  if (!assessment.ok()) return WithPrefix("event", assessment.status());
  api::ToProto(*assessment, event, response->mutable_assessment());
  if (options.explain()) {
    api::ToProto(*assessment, response->mutable_explanation());
  }

  store::IngestRecord record;
  record.source = std::string(event.source);
  record.event_id = std::string(event.event_id);
  record.account_id = std::string(event.account_id);
  record.phase_id = assessment->phase.id;
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

absl::Status JourneyServiceImpl::HandleAssess(
    const cse::v1::AssessRequest& request, cse::v1::AssessResponse* response) {
  const absl::Time start = absl::Now();
  engine::EventView event;
  absl::string_view prefix;
  switch (request.event_case()) {
    case cse::v1::AssessRequest::kTicket:
      prefix = "ticket";
      if (absl::Status s = api::ValidateTicket(
              request.ticket(), prefix, api::Strictness::kAssess, limits_);
          !s.ok()) {
        return s;
      }
      event = api::TicketView(request.ticket());
      break;
    case cse::v1::AssessRequest::kMeeting:
      prefix = "meeting";
      if (absl::Status s = api::ValidateMeeting(
              request.meeting(), prefix, api::Strictness::kAssess, limits_);
          !s.ok()) {
        return s;
      }
      event = api::MeetingView(request.meeting());
      break;
    default:
      return absl::InvalidArgumentError(
          "event: one of ticket or meeting is required");
  }
  if (absl::Status s = CheckOptions(request.options()); !s.ok()) return s;
  auto snapshot = TakeSnapshot(*mapping_);
  if (!snapshot.ok()) return snapshot.status();

  std::string last_phase;
  if (!request.assume_last_phase_id().empty()) {
    if ((*snapshot)->compiled->FindPhase(request.assume_last_phase_id()) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("assume_last_phase_id: unknown phase \"",
                       request.assume_last_phase_id(), "\""));
    }
    last_phase = request.assume_last_phase_id();
  } else if (!event.account_id.empty()) {
    auto stored = store_->LastKnownPhase(event.account_id);
    if (!stored.ok()) return StoreError("last phase", stored.status());
    last_phase = *std::move(stored);
  }

  auto assessment =
      engine::Assess(*(*snapshot)->compiled, event,
                     EngineOptions(request.options(), last_phase));
  if (!assessment.ok()) return WithPrefix(prefix, assessment.status());
  api::ToProto(*assessment, event, response->mutable_assessment());
  if (request.options().explain()) {
    api::ToProto(*assessment, response->mutable_explanation());
  }
  SPDLOG_LOGGER_DEBUG(log_, "assess {}/{}: phase \"{}\", version {}, {:.3f} ms",
                      event.source, event.event_id, assessment->phase.id,
                      (*snapshot)->info.version, MillisSince(start));
  return absl::OkStatus();
}

}  // namespace cse::server
