// Builds the engine's EventView over cse.v1 event messages, and checks a
// request's fields first so bad input gets INVALID_ARGUMENT naming the field
// path (`event.event_id: required`, `event.body: invalid UTF-8 at byte 17`).
#ifndef CSE_SIDECAR_API_EVENT_CONVERSION_H_
#define CSE_SIDECAR_API_EVENT_CONVERSION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "cse/v1/events.pb.h"
#include "sidecar/engine/event_view.h"

namespace cse::api {

// What Ingest requires beyond Assess.
enum class Strictness {
  kAssess,  // dry run: ids optional
  kIngest,  // source, event_id, account.id, ticket/meeting id required
};

struct EventLimits {
  // Largest text field accepted, bytes.
  uint32_t max_text_bytes = 64 * 1024;
  // Largest idempotency key part, bytes.
  uint32_t max_id_bytes = 256;
};

// Validates the event. `prefix` is the field path of the event in the
// request ("event", "ticket"...). Every string field is checked for UTF-8
// (protobuf does not check proto3 strings on every path).
absl::Status ValidateTicket(const cse::v1::TicketEvent& e,
                            absl::string_view prefix, Strictness strictness,
                            const EventLimits& limits);
absl::Status ValidateMeeting(const cse::v1::MeetingEvent& e,
                             absl::string_view prefix, Strictness strictness,
                             const EventLimits& limits);

// Views over the message; the message must outlive the view.
engine::EventView TicketView(const cse::v1::TicketEvent& e);
engine::EventView MeetingView(const cse::v1::MeetingEvent& e);

// "created", "kick_off"... the lower-case enum suffix used by field rules.
absl::string_view TicketKindName(cse::v1::TicketEventKind kind);
absl::string_view MeetingTypeName(cse::v1::MeetingType type);

}  // namespace cse::api

#endif  // CSE_SIDECAR_API_EVENT_CONVERSION_H_
