// The JourneyService gRPC service: ingest CRM events into the account's
// journey, or assess them as a dry run; the journey queries, erasure,
// outcomes and the circumplex report over the journey memory.
//
// This is the one place where the engine and the store meet: an ingest
// assesses the event (ranking with the cached outcome stats) and hands the
// store one IngestRecord (event, assessment, critical events, suggestions,
// writeback jobs) to commit in one transaction before answering. The other
// RPCs check the request, call the store and convert (sidecar/api/).
//
// Every call runs inline on the gRPC callback thread: the engine is
// CPU-only and takes microseconds, so handing work to another pool would cost
// more than it saves. A call takes one mapping snapshot and uses it
// throughout, so a hot reload never mixes two mappings within one answer.
//
// Example:
//   JourneyServiceImpl service(&active_mapping, &store, {});
//   builder.RegisterService(&service);
#ifndef CSE_SIDECAR_SERVER_JOURNEY_SERVICE_H_
#define CSE_SIDECAR_SERVER_JOURNEY_SERVICE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "sidecar/api/event_conversion.h"
#include "sidecar/engine/event_view.h"
#include "sidecar/mapping/active_mapping.h"
#include "sidecar/server/arena_message_allocator.h"
#include "sidecar/server/outcome_stats_cache.h"
#include "sidecar/store/journey_memory.h"
#include "spdlog/logger.h"

namespace cse::server {

struct JourneyServiceOptions {
  // Request limits.
  api::EventLimits limits;
  // Hand event bodies to the store (which keeps them only when its
  // RetentionPolicy::keep_bodies says so too). Off: only the evidence
  // excerpts the assessment cites are recorded.
  bool retain_bodies = false;
  // How often the outcome stats the ranking uses are rebuilt from the store
  // besides after each RecordOutcome (outcomes recorded by other replicas);
  // zero: only after RecordOutcome.
  absl::Duration outcome_stats_refresh = absl::Seconds(5);
};

class JourneyServiceImpl final
    : public cse::v1::JourneyService::CallbackService {
 public:
  // `mapping` and `store` must outlive the service.
  JourneyServiceImpl(mapping::ActiveMapping* mapping,
                     store::JourneyMemory* store,
                     JourneyServiceOptions options);

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
  grpc::ServerUnaryReactor* GetAccountJourney(
      grpc::CallbackServerContext* context,
      const cse::v1::GetAccountJourneyRequest* request,
      cse::v1::GetAccountJourneyResponse* response) override;
  grpc::ServerUnaryReactor* ListAccountsAtRisk(
      grpc::CallbackServerContext* context,
      const cse::v1::ListAccountsAtRiskRequest* request,
      cse::v1::ListAccountsAtRiskResponse* response) override;
  grpc::ServerUnaryReactor* EraseAccount(
      grpc::CallbackServerContext* context,
      const cse::v1::EraseAccountRequest* request,
      cse::v1::EraseAccountResponse* response) override;
  grpc::ServerUnaryReactor* RecordOutcome(
      grpc::CallbackServerContext* context,
      const cse::v1::RecordOutcomeRequest* request,
      cse::v1::RecordOutcomeResponse* response) override;
  grpc::ServerUnaryReactor* GetCircumplexReport(
      grpc::CallbackServerContext* context,
      const cse::v1::GetCircumplexReportRequest* request,
      cse::v1::GetCircumplexReportResponse* response) override;

  // The handlers without the transport, for tests and other front ends.
  // Errors: INVALID_ARGUMENT naming the field, NOT_FOUND as
  // journey_service.proto says, UNAVAILABLE when no mapping is active or
  // the store fails.
  absl::Status HandleIngestTicket(const cse::v1::IngestTicketRequest& request,
                                  cse::v1::IngestResponse* response);
  absl::Status HandleIngestMeeting(const cse::v1::IngestMeetingRequest& request,
                                   cse::v1::IngestResponse* response);
  absl::Status HandleAssess(const cse::v1::AssessRequest& request,
                            cse::v1::AssessResponse* response);
  absl::Status HandleGetAccountJourney(
      const cse::v1::GetAccountJourneyRequest& request,
      cse::v1::GetAccountJourneyResponse* response);
  absl::Status HandleListAccountsAtRisk(
      const cse::v1::ListAccountsAtRiskRequest& request,
      cse::v1::ListAccountsAtRiskResponse* response);
  absl::Status HandleEraseAccount(const cse::v1::EraseAccountRequest& request,
                                  cse::v1::EraseAccountResponse* response);
  absl::Status HandleRecordOutcome(const cse::v1::RecordOutcomeRequest& request,
                                   cse::v1::RecordOutcomeResponse* response);
  absl::Status HandleGetCircumplexReport(
      const cse::v1::GetCircumplexReportRequest& request,
      cse::v1::GetCircumplexReportResponse* response);

 private:
  // What the ingest path needs of the event besides its engine view.
  struct EventFacts {
    const google::protobuf::Timestamp& occurred_at;
    uint64_t sequence;
    store::CrmObjectKind object_kind;
    absl::string_view object_id;
    absl::string_view body;
  };
  // The shared ingest path once the event is validated.
  absl::Status Ingest(const engine::EventView& event, const EventFacts& facts,
                      const cse::v1::AssessOptions& options,
                      cse::v1::IngestResponse* response);
  // Rebuilds the outcome stats now, logging a failure.
  void RefreshOutcomeStats();
  // The account's last known phase; store errors become UNAVAILABLE.
  absl::StatusOr<std::string> LastKnownPhase(absl::string_view account_id);

  mapping::ActiveMapping* const mapping_;
  store::JourneyMemory* const store_;
  const api::EventLimits limits_;
  const bool retain_bodies_;
  const std::shared_ptr<spdlog::logger> log_;
  OutcomeStatsCache outcome_stats_;
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
