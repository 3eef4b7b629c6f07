#include "adapters/common/meeting_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace cse::adapters {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(MeetingSettingsTest, MeetingTypeNamesInAnyCase) {
  EXPECT_EQ(ParseMeetingTypeName("KICK_OFF"), cse::v1::MEETING_TYPE_KICK_OFF);
  EXPECT_EQ(ParseMeetingTypeName("review"), cse::v1::MEETING_TYPE_REVIEW);
  EXPECT_EQ(ParseMeetingTypeName("UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(ParseMeetingTypeName("QUARTERLY"), std::nullopt);
  EXPECT_EQ(ParseMeetingTypeName(""), std::nullopt);
}

TEST(MeetingSettingsTest, EachProblemNamesItsField) {
  google::protobuf::Map<std::string, std::string> types;
  types["QBR"] = "review";
  types["Steering"] = "QUARTERLY";
  google::protobuf::RepeatedPtrField<std::string> roles;
  roles.Add("director");
  roles.Add("  ");
  std::vector<std::pair<std::string, std::string>> errors;
  CheckMeetingSettings(types, roles,
                       [&](absl::string_view field, std::string message) {
                         errors.emplace_back(field, std::move(message));
                       });
  EXPECT_THAT(errors,
              ElementsAre(Pair("meeting_types.Steering",
                               "\"QUARTERLY\" is not a meeting type "
                               "(DISCOVERY, DEMO, NEGOTIATION, KICK_OFF, "
                               "STATUS_UPDATE, REVIEW, TRAINING, HANDOVER, "
                               "OTHER)"),
                          Pair("key_person_roles[1]", "must not be empty")));
  errors.clear();
  roles.Mutable(1)->assign("sponsor");
  types.erase("Steering");
  CheckMeetingSettings(types, roles,
                       [&](absl::string_view field, std::string message) {
                         errors.emplace_back(field, std::move(message));
                       });
  EXPECT_THAT(errors, IsEmpty());
}

}  // namespace
}  // namespace cse::adapters
