// The canonical fields a generic webhook mapping can fill, by dotted name.
//
// The names follow cse.v1.TicketEvent / MeetingEvent / Attendee
// (proto/cse/v1/events.proto) so that admins can read the mapping against
// the event schema: "account.id", "requester.email", "custom_fields.<key>".
// Each entry knows its value type, whether a mapping must provide it, and
// how to set it on the message.
#ifndef CSE_ADAPTERS_GENERIC_WEBHOOK_CANONICAL_FIELDS_H_
#define CSE_ADAPTERS_GENERIC_WEBHOOK_CANONICAL_FIELDS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"

namespace cse::adapters::generic_webhook {

// Which message a field belongs to.
enum class Target { kTicket, kMeeting, kAttendee };

enum class FieldType {
  kString,
  kStringList,
  kBool,
  kUint32,
  kUint64,
  kDouble,
  kTime,
  kTicketKind,   // cse.v1.TicketEventKind
  kMeetingType,  // cse.v1.MeetingType
  kSide,         // cse.v1.Side
};

// A value converted to its field's type; only the member for the type is
// meaningful.
struct TypedValue {
  std::string text;
  std::vector<std::string> list;
  bool boolean = false;
  uint64_t unsigned_number = 0;
  double number = 0;
  absl::Time time;
  int enum_number = 0;
};

struct CanonicalField {
  std::string name;
  FieldType type = FieldType::kString;
  // A mapping of this target must map it.
  bool required = false;
  // An id: an empty string counts as missing, like null.
  bool identity = false;
  // Sets the value on a message of the field's target.
  std::function<void(google::protobuf::Message*, const TypedValue&)> set;
};

// The field called `name` of `target`, or nullopt when there is none.
// "custom_fields.<key>" is any non-empty key.
std::optional<CanonicalField> FindCanonicalField(Target target,
                                                 absl::string_view name);

// The names a mapping of `target` must give.
std::vector<std::string> RequiredFieldNames(Target target);

// All field names of `target`, comma-separated, for error messages.
std::string KnownFieldNames(Target target);

// Parses an enum value given as its lower-case suffix ("commented",
// "kick_off", "customer") or full name ("TICKET_EVENT_KIND_COMMENTED"),
// case-insensitively. UNSPECIFIED is refused. INVALID_ARGUMENT listing the
// accepted values otherwise.
absl::StatusOr<int> ParseEnumValue(FieldType type, absl::string_view text);

}  // namespace cse::adapters::generic_webhook

#endif  // CSE_ADAPTERS_GENERIC_WEBHOOK_CANONICAL_FIELDS_H_
