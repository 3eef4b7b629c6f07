// The journey memory through the cse.v1 API: the IngestRecord an ingested
// event and its assessment make, request checks for the journey queries,
// outcomes and the circumplex report (INVALID_ARGUMENT naming the field),
// and store records as cse.v1 messages.
//
// Example:
//   auto query = JourneyQueryFromProto(request);
//   if (!query.ok()) return query.status();
//   auto journey = store->GetAccountJourney(*query);
//   if (!journey.ok()) return journey.status();
//   ToProto(*journey, response->mutable_journey());
#ifndef CSE_SIDECAR_API_JOURNEY_CONVERSION_H_
#define CSE_SIDECAR_API_JOURNEY_CONVERSION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cse/v1/account_journey.pb.h"
#include "cse/v1/assessment.pb.h"
#include "cse/v1/outcomes.pb.h"
#include "sidecar/api/paging.h"
#include "sidecar/store/account_journeys.h"
#include "sidecar/store/journey_store.h"
#include "sidecar/store/outcome_store.h"

namespace cse::api {

inline constexpr uint32_t kDefaultJourneyItems = 200;
inline constexpr uint32_t kMaxJourneyItems = 1000;
inline constexpr int kDefaultAtRiskPage = 50;
inline constexpr int kMaxAtRiskPage = 1000;
inline constexpr absl::Duration kMaxOpenWindow = absl::Hours(24 * 3650);
inline constexpr size_t kMaxOutcomeIdBytes = 256;
inline constexpr size_t kMaxOutcomeDescriptionBytes = 4096;

// What the ingest path knows of the event beyond its assessment.
struct IngestedEvent {
  // The event's own time (the CRM's, else the delivery time) and the CRM's
  // sequence (0: none).
  absl::Time occurred_at;
  uint64_t sequence = 0;
  // The ticket or meeting the writeback jobs write to.
  store::CrmObjectKind object_kind = store::CrmObjectKind::kUnspecified;
  absl::string_view object_id;
  // The message text; pass it only when bodies are retained (empty
  // otherwise), so that nothing else is copied around.
  absl::string_view body;
};

// Everything RecordIngest stores for one event: ids, phase with its
// position, layer and explanation, critical events, suggestions, writeback
// jobs (WritebacksFor) and the serialised assessment. Fails only if the
// assessment does not serialise.
absl::StatusOr<store::IngestRecord> IngestRecordFor(
    const cse::v1::Assessment& assessment, const IngestedEvent& event);

// The phase decision's reasons in one line, e.g. `field rule:
// custom_fields.dealstage = "closedwon" (stage.closedwon)`; empty without
// reasons.
std::string PhaseExplanation(const cse::v1::PhaseAssessment& phase);

absl::StatusOr<store::JourneyQuery> JourneyQueryFromProto(
    const cse::v1::GetAccountJourneyRequest& request);
void ToProto(const store::AccountJourney& in, cse::v1::AccountJourney* out);

// `page` is set to the page asked for; the query asks for one account more,
// to tell whether another page follows (see NextPageToken).
absl::StatusOr<store::AtRiskQuery> AtRiskQueryFromProto(
    const cse::v1::ListAccountsAtRiskRequest& request, Page* page);
void ToProto(const store::AccountRisk& in, cse::v1::AccountRisk* out);

absl::Status CheckEraseAccount(const cse::v1::EraseAccountRequest& request);

// The outcome to record; the phase's membership in the active model is the
// caller's check (it has the mapping).
absl::StatusOr<store::OutcomeRecord> OutcomeFromProto(
    const cse::v1::RecordOutcomeRequest& request);
void ToProto(const store::OutcomeRecord& in, cse::v1::Outcome* out);

// UNSPECIFIED means APPLIED; an unknown value is INVALID_ARGUMENT.
absl::StatusOr<store::CircumplexBasis> CircumplexBasisFromProto(
    cse::v1::CircumplexBasis basis);

// The request's [since, until); unset bounds are open. INVALID_ARGUMENT for
// a malformed timestamp or since >= until.
absl::StatusOr<store::TimeWindow> CircumplexWindowFromProto(
    const cse::v1::GetCircumplexReportRequest& request);

// The research's classes: 1 occasionally, 2 sometimes, 3 or more
// frequently.
cse::v1::Recurrence RecurrenceOf(int count);

// A phase's 1-based position in the active model, 0 when it has none.
using PhaseNumberLookup = absl::FunctionRef<int(absl::string_view)>;

// The report's cells by phase (model order; phases the model no longer has
// last, by id), then quadrant, then practice id; the restoring (reactive) and
// bolstering (proactive) totals and the restoring share.
void CircumplexReportToProto(const std::vector<store::CircumplexCount>& counts,
                             PhaseNumberLookup phase_number,
                             cse::v1::GetCircumplexReportResponse* out);

}  // namespace cse::api

#endif  // CSE_SIDECAR_API_JOURNEY_CONVERSION_H_
