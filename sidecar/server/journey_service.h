// The JourneyService gRPC service: ingest CRM events into the account's
// journey, or assess them as a dry run.
//
// Every call runs inline on the gRPC callback thread: the engine is
// CPU-only and takes microseconds, so handing work to another pool would cost
// more than it saves. A call takes one mapping snapshot and uses it
// throughout, so a hot reload never mixes two mappings within one answer.
//
// Example:
//   JourneyServiceImpl service(&active_mapping, &store, api::EventLimits{});
//   builder.RegisterService(&service);
#ifndef CSE_SIDECAR_SERVER_JOURNEY_SERVICE_H_
#define CSE_SIDECAR_SERVER_JOURNEY_SERVICE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "sidecar/api/event_conversion.h"
#include "sidecar/engine/event_view.h"
#include "sidecar/mapping/active_mapping.h"
#include "sidecar/server/arena_message_allocator.h"
#include "sidecar/store/journey_store.h"
#include "spdlog/logger.h"

namespace cse::server {

class JourneyServiceImpl final
    : public cse::v1::JourneyService::CallbackService {
 public:
  // `mapping` and `store` must outlive the service.
  JourneyServiceImpl(mapping::ActiveMapping* mapping,
                     store::JourneyStore* store, api::EventLimits limits);

  grpc::ServerUnaryReactor* IngestTicket(
      grpc::CallbackServerContext* context,
      const cse::v1::IngestTicketRequest* request,
      cse::v1::IngestResponse* response) override;
  grpc::ServerUnaryReactor* IngestMeeting(
      grpc::CallbackServerContext* context,
      const cse::v1::IngestMeetingRequest* request,
      cse::v1::IngestResponse* response) override;
  grpc::ServerUnaryReactor* Assess(grpc::CallbackServerContext* context,
                                   const cse::v1::AssessRequest* request,
                                   cse::v1::AssessResponse* response) override;

  // The handlers without the transport, for tests and other front ends.
  // Errors: INVALID_ARGUMENT naming the field, UNAVAILABLE when no mapping
  // is active or the store fails.
  absl::Status HandleIngestTicket(const cse::v1::IngestTicketRequest& request,
                                  cse::v1::IngestResponse* response);
  absl::Status HandleIngestMeeting(const cse::v1::IngestMeetingRequest& request,
                                   cse::v1::IngestResponse* response);
  absl::Status HandleAssess(const cse::v1::AssessRequest& request,
                            cse::v1::AssessResponse* response);

 private:
  // The shared ingest path once the event is validated.
  absl::Status Ingest(const engine::EventView& event,
                      const google::protobuf::Timestamp& occurred_at,
                      const cse::v1::AssessOptions& options,
                      cse::v1::IngestResponse* response);
  // The account's last known phase; store errors become UNAVAILABLE.
  absl::StatusOr<std::string> LastKnownPhase(absl::string_view account_id);

  mapping::ActiveMapping* const mapping_;
  store::JourneyStore* const store_;
  const api::EventLimits limits_;
  const std::shared_ptr<spdlog::logger> log_;
  // Each call's request and response on a pooled protobuf arena (see
  // arena_message_allocator.h); registered in the constructor.
  ArenaMessageAllocator<cse::v1::IngestTicketRequest, cse::v1::IngestResponse>
      ticket_allocator_;
  ArenaMessageAllocator<cse::v1::IngestMeetingRequest, cse::v1::IngestResponse>
      meeting_allocator_;
  ArenaMessageAllocator<cse::v1::AssessRequest, cse::v1::AssessResponse>
      assess_allocator_;
};

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_JOURNEY_SERVICE_H_
