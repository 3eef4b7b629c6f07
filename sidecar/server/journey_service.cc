#include "sidecar/server/journey_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sidecar/api/assess_request.h"
#include "sidecar/api/journey_conversion.h"
#include "sidecar/api/proto_time.h"
#include "sidecar/server/grpc_status.h"
#include "sidecar/server/logging.h"
#include "sidecar/server/store_status.h"

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

// The transport half of every unary handler: run it, finish with its
// status.
template <typename Handler>
grpc::ServerUnaryReactor* Respond(grpc::CallbackServerContext* context,
                                  Handler&& handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(handler()));
  return reactor;
}

double MillisSince(absl::Time start) {
  return absl::ToDoubleMilliseconds(absl::Now() - start);
}

}  // namespace

JourneyServiceImpl::JourneyServiceImpl(mapping::ActiveMapping* mapping,
                                       store::JourneyMemory* store,
                                       JourneyServiceOptions options)
    : mapping_(mapping),
      store_(store),
      limits_(options.limits),
      retain_bodies_(options.retain_bodies),
      log_(GetLogger(kServerLogger)),
      outcome_stats_(store, options.outcome_stats_refresh) {
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
  const cse::v1::TicketEvent& e = request.event();
  return Ingest(api::TicketView(e),
                EventFacts{e.occurred_at(), e.sequence(),
                           store::CrmObjectKind::kTicket, e.ticket_id(),
                           retain_bodies_ ? e.body() : absl::string_view()},
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
  const cse::v1::MeetingEvent& e = request.event();
  return Ingest(api::MeetingView(e),
                EventFacts{e.occurred_at(), e.sequence(),
                           store::CrmObjectKind::kMeeting, e.meeting_id(),
                           retain_bodies_ ? e.notes() : absl::string_view()},
                request.options(), response);
}

absl::Status JourneyServiceImpl::Ingest(const engine::EventView& event,
                                        const EventFacts& facts,
                                        const cse::v1::AssessOptions& options,
                                        cse::v1::IngestResponse* response) {
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
  const std::shared_ptr<const engine::PracticeOutcomeStats> stats =
      outcome_stats_.Current();
  if (absl::Status s = api::AssessEvent(
          *(*snapshot)->compiled, api::CheckedEvent{event, "event"}, options,
          /*assume_last_phase_id=*/"",
          [this](absl::string_view account_id) {
            return LastKnownPhase(account_id);
          },
          response, stats.get());
      !s.ok()) {
    return s;
  }

  // Event, assessment, critical events, suggestions and writeback jobs in
  // one record: the store commits them in one transaction.
  auto record = api::IngestRecordFor(
      response->assessment(),
      api::IngestedEvent{
          .occurred_at = api::IsSet(facts.occurred_at)
                             ? api::FromProto(facts.occurred_at)
                             : start,  // no CRM time: the delivery time
          .sequence = facts.sequence,
          .object_kind = facts.object_kind,
          .object_id = facts.object_id,
          .body = facts.body,
      });
  if (!record.ok()) return record.status();
  auto recorded = store_->RecordIngest(*record);
  if (!recorded.ok()) return StoreError("record", recorded.status());
  // Another delivery of the same event won the race between our lookup and
  // our write: answer with what it stored, as for any duplicate.
  if (recorded->has_value()) return answer_duplicate(**recorded);

  SPDLOG_LOGGER_DEBUG(log_,
                      "ingest {}/{}: phase \"{}\", {} jobs, version {}, "
                      "{:.3f} ms",
                      event.source, event.event_id, record->phase_id,
                      record->writebacks.size(), (*snapshot)->info.version,
                      MillisSince(start));
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
  const std::shared_ptr<const engine::PracticeOutcomeStats> stats =
      outcome_stats_.Current();
  if (absl::Status s = api::AssessEvent(
          *(*snapshot)->compiled, *event, request.options(),
          request.assume_last_phase_id(),
          [this](absl::string_view account_id) {
            return LastKnownPhase(account_id);
          },
          response, stats.get());
      !s.ok()) {
    return s;
  }
  SPDLOG_LOGGER_DEBUG(log_, "assess {}/{}: phase \"{}\", version {}, {:.3f} ms",
                      event->view.source, event->view.event_id,
                      response->assessment().phase().id(),
                      (*snapshot)->info.version, MillisSince(start));
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* JourneyServiceImpl::GetAccountJourney(
    grpc::CallbackServerContext* context,
    const cse::v1::GetAccountJourneyRequest* request,
    cse::v1::GetAccountJourneyResponse* response) {
  return Respond(context,
                 [&] { return HandleGetAccountJourney(*request, response); });
}

grpc::ServerUnaryReactor* JourneyServiceImpl::ListAccountsAtRisk(
    grpc::CallbackServerContext* context,
    const cse::v1::ListAccountsAtRiskRequest* request,
    cse::v1::ListAccountsAtRiskResponse* response) {
  return Respond(context,
                 [&] { return HandleListAccountsAtRisk(*request, response); });
}

grpc::ServerUnaryReactor* JourneyServiceImpl::EraseAccount(
    grpc::CallbackServerContext* context,
    const cse::v1::EraseAccountRequest* request,
    cse::v1::EraseAccountResponse* response) {
  return Respond(context,
                 [&] { return HandleEraseAccount(*request, response); });
}

grpc::ServerUnaryReactor* JourneyServiceImpl::RecordOutcome(
    grpc::CallbackServerContext* context,
    const cse::v1::RecordOutcomeRequest* request,
    cse::v1::RecordOutcomeResponse* response) {
  return Respond(context,
                 [&] { return HandleRecordOutcome(*request, response); });
}

grpc::ServerUnaryReactor* JourneyServiceImpl::GetCircumplexReport(
    grpc::CallbackServerContext* context,
    const cse::v1::GetCircumplexReportRequest* request,
    cse::v1::GetCircumplexReportResponse* response) {
  return Respond(context,
                 [&] { return HandleGetCircumplexReport(*request, response); });
}

absl::Status JourneyServiceImpl::HandleGetAccountJourney(
    const cse::v1::GetAccountJourneyRequest& request,
    cse::v1::GetAccountJourneyResponse* response) {
  auto query = api::JourneyQueryFromProto(request);
  if (!query.ok()) return query.status();
  auto journey = store_->GetAccountJourney(*query);
  if (!journey.ok()) return StoreError("journey", journey.status());
  api::ToProto(*journey, response->mutable_journey());
  return absl::OkStatus();
}

absl::Status JourneyServiceImpl::HandleListAccountsAtRisk(
    const cse::v1::ListAccountsAtRiskRequest& request,
    cse::v1::ListAccountsAtRiskResponse* response) {
  api::Page page;
  auto query = api::AtRiskQueryFromProto(request, &page);
  if (!query.ok()) return query.status();
  auto accounts = store_->ListAccountsAtRisk(*query);
  if (!accounts.ok()) return StoreError("accounts at risk", accounts.status());
  const size_t shown =
      std::min(accounts->size(), static_cast<size_t>(page.limit));
  for (size_t i = 0; i < shown; ++i) {
    api::ToProto((*accounts)[i], response->add_accounts());
  }
  response->set_next_page_token(api::NextPageToken(page, accounts->size()));
  return absl::OkStatus();
}

absl::Status JourneyServiceImpl::HandleEraseAccount(
    const cse::v1::EraseAccountRequest& request,
    cse::v1::EraseAccountResponse* response) {
  if (absl::Status s = api::CheckEraseAccount(request); !s.ok()) return s;
  auto erased = store_->EraseAccount(request.account_id());
  if (!erased.ok()) return StoreError("erase", erased.status());
  response->set_events_erased(static_cast<uint32_t>(erased->events));
  response->set_outcomes_erased(static_cast<uint32_t>(erased->outcomes));
  response->set_writeback_jobs_erased(
      static_cast<uint32_t>(erased->writeback_jobs));
  // The erased account's outcomes no longer count in the ranking either.
  if (erased->outcomes > 0) RefreshOutcomeStats();
  // Counts only: the point of the call is that the account is forgotten,
  // and that includes the log.
  log_->info("erased an account: {} events, {} outcomes, {} writeback jobs",
             erased->events, erased->outcomes, erased->writeback_jobs);
  return absl::OkStatus();
}

absl::Status JourneyServiceImpl::HandleRecordOutcome(
    const cse::v1::RecordOutcomeRequest& request,
    cse::v1::RecordOutcomeResponse* response) {
  auto outcome = api::OutcomeFromProto(request);
  if (!outcome.ok()) return outcome.status();
  if (!outcome->phase_id.empty()) {
    auto snapshot = TakeSnapshot(*mapping_);
    if (!snapshot.ok()) return snapshot.status();
    if ((*snapshot)->compiled->FindPhase(outcome->phase_id) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("phase_id: unknown phase \"", outcome->phase_id, "\""));
    }
  }
  auto recorded = store_->RecordOutcome(*outcome);
  if (!recorded.ok()) return StoreError("record outcome", recorded.status());
  api::ToProto(recorded->outcome, response->mutable_outcome());
  response->set_duplicate(recorded->duplicate);
  // From the next assessment on, the ranking counts it.
  if (!recorded->duplicate) RefreshOutcomeStats();
  return absl::OkStatus();
}

void JourneyServiceImpl::RefreshOutcomeStats() {
  if (absl::Status s = outcome_stats_.Refresh(); !s.ok()) {
    // The outcome is recorded; the periodic refresh will pick it up.
    log_->warn("outcome stats refresh: {}", s.ToString());
  }
}

absl::Status JourneyServiceImpl::HandleGetCircumplexReport(
    const cse::v1::GetCircumplexReportRequest& request,
    cse::v1::GetCircumplexReportResponse* response) {
  auto basis = api::CircumplexBasisFromProto(request.basis());
  if (!basis.ok()) return basis.status();
  auto window = api::CircumplexWindowFromProto(request);
  if (!window.ok()) return window.status();
  auto snapshot = TakeSnapshot(*mapping_);
  if (!snapshot.ok()) return snapshot.status();
  auto counts = store_->CircumplexCounts(request.account_id(), *basis, *window);
  if (!counts.ok()) return StoreError("circumplex", counts.status());
  response->set_account_id(request.account_id());
  if (request.has_since()) *response->mutable_since() = request.since();
  if (request.has_until()) *response->mutable_until() = request.until();
  response->set_basis(*basis == store::CircumplexBasis::kSuggested
                          ? cse::v1::CIRCUMPLEX_BASIS_SUGGESTED
                          : cse::v1::CIRCUMPLEX_BASIS_APPLIED);
  const engine::CompiledMapping& compiled = *(*snapshot)->compiled;
  api::CircumplexReportToProto(
      *counts,
      [&compiled](absl::string_view phase_id) {
        const int index = compiled.FindPhase(phase_id);
        return index < 0 ? 0
                         : static_cast<int>(compiled.phases()[index].number);
      },
      response);
  return absl::OkStatus();
}

}  // namespace cse::server
