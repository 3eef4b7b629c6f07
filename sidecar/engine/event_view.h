// The engine's view of one CRM event: ticket or meeting, flattened.
//
// The engine never sees API or transport types. Callers (the gRPC service,
// the CLI, the evaluation tool) build an EventView over their own storage;
// every string_view must outlive the Assess() call.
#ifndef CSE_SIDECAR_ENGINE_EVENT_VIEW_H_
#define CSE_SIDECAR_ENGINE_EVENT_VIEW_H_

#include <cstdint>
#include <optional>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"

namespace cse::engine {

enum class EventKind { kTicket, kMeeting };

// The text fields a pattern can match; order is the scan order.
enum class TextField : uint8_t {
  kSubject = 0,
  kBody = 1,
  kTitle = 2,
  kNotes = 3,
  kSatisfactionComment = 4,
};
inline constexpr int kTextFieldCount = 5;

// Field name as used in evidence ("subject", "body", ...).
absl::string_view TextFieldName(TextField field);

struct AttendeeView {
  absl::string_view name;
  absl::string_view role;
  bool customer_side = false;
  bool planned = false;
  bool attended = false;
  bool key_person = false;
};

struct EventView {
  EventKind kind = EventKind::kTicket;
  absl::string_view source;
  absl::string_view event_id;
  absl::string_view account_id;
  absl::string_view account_name;
  absl::string_view account_segment;

  // Tickets: "created", "updated", "commented", "status_changed",
  // "reopened", "satisfaction_rated". Empty for meetings.
  absl::string_view ticket_kind;
  absl::string_view status;
  absl::string_view priority;
  absl::string_view type;
  absl::string_view channel;
  absl::string_view requester_role;
  absl::InlinedVector<absl::string_view, 8> tags;
  absl::InlinedVector<std::pair<absl::string_view, absl::string_view>, 8>
      custom_fields;
  uint32_t reopen_count = 0;
  bool sla_breached = false;
  // score / scale_max in 0..1 when the event carries a rating.
  std::optional<double> satisfaction_ratio;

  // Meetings: "discovery", "demo", "negotiation", "kick_off",
  // "status_update", "review", "training", "handover", "other", or empty.
  absl::string_view meeting_type;
  absl::string_view deal_stage;
  absl::InlinedVector<AttendeeView, 8> attendees;

  // Text, indexed by TextField.
  absl::string_view text[kTextFieldCount];

  absl::string_view Text(TextField f) const {
    return text[static_cast<int>(f)];
  }
};

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_EVENT_VIEW_H_
