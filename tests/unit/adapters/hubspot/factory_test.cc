// NewHubSpotAdapterFactory: config validation with field paths, secrets.
#include "adapters/hubspot/factory.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cse/adapters/v1/adapter_config.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/config/proto_yaml.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/hubspot/hubspot_test_util.h"

namespace cse::adapters::hubspot {
namespace {

using ::cse::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::MapSecretReader;
using testing::TestConfig;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Paths(const std::vector<config::ConfigError>& errors) {
  std::vector<std::string> paths;
  for (const auto& e : errors) paths.push_back(e.field_path);
  return paths;
}

TEST(HubSpotFactory, KindIsTheConfigOneofMember) {
  EXPECT_EQ(NewHubSpotAdapterFactory()->kind(), "hubspot");
}

TEST(HubSpotFactory, AcceptsACompleteConfig) {
  auto config = TestConfig("https://api.hubapi.com");
  (*config.mutable_hubspot()->mutable_meeting_types())["QBR"] = "review";
  config.mutable_hubspot()->add_key_person_roles("director");
  EXPECT_THAT(NewHubSpotAdapterFactory()->Validate(config, "crms[1]"),
              IsEmpty());
}

TEST(HubSpotFactory, ValidationNamesEveryBadField) {
  cse::adapters::v1::CrmConfig config;
  config.set_name("hs");
  auto* hs = config.mutable_hubspot();
  hs->set_api_base_url("http://api.hubapi.com");
  hs->set_max_signature_age_seconds(7200);
  hs->set_request_timeout_ms(500000);
  hs->set_tags_property("cse tags");
  hs->add_extra_ticket_properties("ok_name");
  hs->add_extra_ticket_properties("bad-name");
  (*hs->mutable_meeting_types())["QBR"] = "QUARTERLY";
  hs->add_key_person_roles(" ");
  auto errors = NewHubSpotAdapterFactory()->Validate(config, "crms[2]");
  EXPECT_THAT(Paths(errors),
              UnorderedElementsAre("crms[2].hubspot.client_secret",
                                   "crms[2].hubspot.access_token",
                                   "crms[2].hubspot.api_base_url",
                                   "crms[2].hubspot.max_signature_age_seconds",
                                   "crms[2].hubspot.request_timeout_ms",
                                   "crms[2].hubspot.tags_property",
                                   "crms[2].hubspot.extra_ticket_properties[1]",
                                   "crms[2].hubspot.meeting_types.QBR",
                                   "crms[2].hubspot.key_person_roles[0]"));
}

TEST(HubSpotFactory, OutcomePropertiesMustBeNamesOfTheirOwn) {
  auto config = TestConfig("https://api.hubapi.com");
  auto* hs = config.mutable_hubspot();
  hs->set_outcome_property("cse-outcome");
  hs->set_meeting_outcome_property("cse_meeting_tags");
  auto errors = NewHubSpotAdapterFactory()->Validate(config, "crms[0]");
  ASSERT_THAT(Paths(errors),
              UnorderedElementsAre("crms[0].hubspot.outcome_property",
                                   "crms[0].hubspot.meeting_outcome_property"));
  for (const auto& e : errors) {
    if (e.field_path == "crms[0].hubspot.outcome_property") {
      EXPECT_THAT(e.message, HasSubstr("not a HubSpot property name"));
    } else {
      EXPECT_THAT(e.message, HasSubstr("is also meeting_tags_property"));
    }
  }
  // The default, cse_outcome, taken by the tags: named as the conflict.
  config = TestConfig("https://api.hubapi.com");
  config.mutable_hubspot()->set_tags_property("cse_outcome");
  errors = NewHubSpotAdapterFactory()->Validate(config, "crms[0]");
  ASSERT_THAT(Paths(errors),
              UnorderedElementsAre("crms[0].hubspot.outcome_property"));
  EXPECT_THAT(errors[0].message,
              HasSubstr("'cse_outcome' is also tags_property"));
}

TEST(HubSpotFactory, LoopbackHttpIsAllowedForTests) {
  auto config = TestConfig("http://127.0.0.1:8080");
  EXPECT_THAT(NewHubSpotAdapterFactory()->Validate(config, "crms[0]"),
              IsEmpty());
}

TEST(HubSpotFactory, CreateReadsBothSecretsAndNamesAMissingOne) {
  auto config = TestConfig("https://api.hubapi.com");
  CurlHttpClient http;
  MapSecretReader secrets;
  secrets.values["HS_CLIENT_SECRET"] = "s";
  AdapterContext context{&http, &secrets, &testing::TestNow};
  EXPECT_THAT(NewHubSpotAdapterFactory()->Create(config, context),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("hubspot.access_token")));
  secrets.values["HS_TOKEN"] = "t";
  auto adapter = NewHubSpotAdapterFactory()->Create(config, context);
  ASSERT_TRUE(adapter.ok()) << adapter.status();
  EXPECT_EQ((*adapter)->name(), "hubspot");
  EXPECT_THAT((*adapter)->accepted_content_types(),
              UnorderedElementsAre("application/json"));
}

// The README's example must stay a valid configuration. ctest runs the
// tests from the source tree (cse_cc_test's WORKING_DIRECTORY); run by
// hand, the README is found next to this file, whose path the compiler
// may have made relative to the build directory.
TEST(HubSpotFactory, TheReadmeExampleIsValid) {
  std::filesystem::path readme = "adapters/hubspot/README.md";
  if (!std::filesystem::exists(readme)) {
    readme = std::filesystem::path(__FILE__).parent_path() /
             "../../../../adapters/hubspot/README.md";
  }
  std::ifstream in(readme);
  ASSERT_TRUE(in) << readme;
  std::stringstream text;
  text << in.rdbuf();
  const std::string markdown = text.str();
  const size_t start = markdown.find("```yaml\n");
  ASSERT_NE(start, std::string::npos);
  const size_t end = markdown.find("```", start + 8);
  ASSERT_NE(end, std::string::npos);
  const std::string yaml = markdown.substr(start + 8, end - start - 8);

  cse::adapters::v1::AdapterConfig config;
  auto parsed =
      config::ParseYamlIntoMessage(yaml, "README.md", 1 << 20, &config);
  ASSERT_THAT(parsed.errors, IsEmpty()) << parsed.errors.front().ToString();
  ASSERT_EQ(config.crms_size(), 1);
  EXPECT_THAT(NewHubSpotAdapterFactory()->Validate(config.crms(0), "crms[0]"),
              IsEmpty());
  const auto& hs = config.crms(0).hubspot();
  EXPECT_EQ(hs.ticket_stage_statuses().at("4"), "closed");
  EXPECT_EQ(hs.meeting_types().at("Kick-off"), "kick_off");
  EXPECT_EQ(hs.portal_id(), 62515u);
}

}  // namespace
}  // namespace cse::adapters::hubspot
