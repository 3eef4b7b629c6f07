#include "adapters/common/meeting_settings.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace cse::adapters {

std::optional<cse::v1::MeetingType> ParseMeetingTypeName(
    absl::string_view name) {
  cse::v1::MeetingType type;
  if (!cse::v1::MeetingType_Parse(
          absl::StrCat("MEETING_TYPE_", absl::AsciiStrToUpper(name)), &type) ||
      type == cse::v1::MEETING_TYPE_UNSPECIFIED) {
    return std::nullopt;
  }
  return type;
}

void CheckMeetingSettings(
    const google::protobuf::Map<std::string, std::string>& meeting_types,
    const google::protobuf::RepeatedPtrField<std::string>& key_person_roles,
    const std::function<void(absl::string_view field, std::string message)>&
        error) {
  for (const auto& [crm_value, type_name] : meeting_types) {
    if (!ParseMeetingTypeName(type_name).has_value()) {
      error(absl::StrCat("meeting_types.", crm_value),
            absl::StrCat("\"", type_name,
                         "\" is not a meeting type (DISCOVERY, DEMO, "
                         "NEGOTIATION, KICK_OFF, STATUS_UPDATE, REVIEW, "
                         "TRAINING, HANDOVER, OTHER)"));
    }
  }
  for (int i = 0; i < key_person_roles.size(); ++i) {
    if (absl::StripAsciiWhitespace(key_person_roles[i]).empty()) {
      error(absl::StrCat("key_person_roles[", i, "]"), "must not be empty");
    }
  }
}

}  // namespace cse::adapters
