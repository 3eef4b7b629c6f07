// One assessment through the cse.v1 API: the request checks, the engine
// call and the conversion back to cse.v1 messages, written once.
//
// JourneyService (Assess and Ingest) and the CLI's in-process assessor both
// go through here, so `cse assess` and `cse assess --server` give the same
// answers and the same errors. Nothing here knows about a journey store:
// the caller says where the account's last known phase comes from.
//
// Example:
//   auto checked = CheckAssessRequest(request, limits);
//   if (!checked.ok()) return checked.status();
//   cse::v1::AssessResponse response;
//   absl::Status s = AssessEvent(
//       mapping, *checked, request.options(), request.assume_last_phase_id(),
//       [](absl::string_view) -> absl::StatusOr<std::string> { return ""; },
//       &response);
#ifndef CSE_SIDECAR_API_ASSESS_REQUEST_H_
#define CSE_SIDECAR_API_ASSESS_REQUEST_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cse/v1/journey_service.pb.h"
#include "sidecar/api/event_conversion.h"
#include "sidecar/engine/compiled_mapping.h"
#include "sidecar/engine/event_view.h"
#include "sidecar/engine/practice_outcomes.h"

namespace cse::api {

// A checked event: the engine's view of it (pointing into the request
// message, which must outlive it) and its field path in the request
// ("ticket", "meeting", "event"), which prefixes engine errors.
struct CheckedEvent {
  engine::EventView view;
  absl::string_view path;
};

// INVALID_ARGUMENT when options.top_n is over engine::kMaxTopN.
absl::Status CheckAssessOptions(const cse::v1::AssessOptions& options);

// Checks an AssessRequest's event (exactly one of ticket or meeting,
// Strictness::kAssess, `limits`) and its options. assume_last_phase_id is
// checked by AssessEvent(), which has the mapping.
absl::StatusOr<CheckedEvent> CheckAssessRequest(
    const cse::v1::AssessRequest& request, const EventLimits& limits);

// Where the account's last known phase comes from when the request assumes
// none; called only for a non-empty account id. Its errors are returned
// as they are, so the caller decides their code.
using LastPhaseLookup =
    absl::FunctionRef<absl::StatusOr<std::string>(absl::string_view)>;

// Assesses a checked event against `mapping` and fills the response's
// assessment and, only when options.explain is set, its explanation (an
// unset explanation stays absent in the JSON and wire form).
//
// The last known phase is `assume_last_phase_id` when non-empty
// (INVALID_ARGUMENT if `mapping` has no such phase), else
// `last_phase(account_id)`. The engine's errors on a text field get the
// event's path: "ticket.body: invalid UTF-8 at byte 3". `outcome_stats`,
// when given, lets the ranking learn from recorded outcomes (see
// engine/practice_outcomes.h); it must outlive the call.
absl::Status AssessEvent(
    const engine::CompiledMapping& mapping, const CheckedEvent& event,
    const cse::v1::AssessOptions& options,
    absl::string_view assume_last_phase_id, LastPhaseLookup last_phase,
    cse::v1::AssessResponse* response,
    const engine::PracticeOutcomeStats* outcome_stats = nullptr);

// The same, filling an ingest's response (its assessment and, with
// options.explain, its explanation) in place; on error it is untouched.
absl::Status AssessEvent(
    const engine::CompiledMapping& mapping, const CheckedEvent& event,
    const cse::v1::AssessOptions& options,
    absl::string_view assume_last_phase_id, LastPhaseLookup last_phase,
    cse::v1::IngestResponse* response,
    const engine::PracticeOutcomeStats* outcome_stats = nullptr);

}  // namespace cse::api

#endif  // CSE_SIDECAR_API_ASSESS_REQUEST_H_
