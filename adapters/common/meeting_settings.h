// The meeting settings CRMs with meetings share (HubSpot, Salesforce):
// a map from the CRM's own meeting-type values to cse.v1.MeetingType, and
// the attendee roles that count as key persons ("key person absent").
#ifndef CSE_ADAPTERS_COMMON_MEETING_SETTINGS_H_
#define CSE_ADAPTERS_COMMON_MEETING_SETTINGS_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "cse/v1/events.pb.h"
#include "google/protobuf/map.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace cse::adapters {

// "DEMO" or "demo" -> MEETING_TYPE_DEMO; UNSPECIFIED and unknown names are
// not meeting types.
std::optional<cse::v1::MeetingType> ParseMeetingTypeName(
    absl::string_view name);

// Reports, through `error(field, message)` with the field relative to the
// CRM's config, each meeting type that names no MeetingType
// ("meeting_types.<crm value>") and each blank key-person role
// ("key_person_roles[<i>]").
void CheckMeetingSettings(
    const google::protobuf::Map<std::string, std::string>& meeting_types,
    const google::protobuf::RepeatedPtrField<std::string>& key_person_roles,
    const std::function<void(absl::string_view field, std::string message)>&
        error);

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_COMMON_MEETING_SETTINGS_H_
