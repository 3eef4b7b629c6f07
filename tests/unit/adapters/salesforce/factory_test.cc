// NewSalesforceAdapterFactory: config validation with field paths, and an
// adapter built from a config.
#include "adapters/salesforce/factory.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "adapters/common/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/config/proto_yaml.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/salesforce/test_fixtures.h"

namespace cse::adapters {
namespace {

using ::cse::adapters::v1::CrmConfig;
using ::cse::adapters::v1::SalesforceConfig;
using ::cse::testing::IsOk;
using ::cse::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace ::cse::adapters::salesforce::testing;  // NOLINT

// Secrets by env var name; a missing one is the reader's error.
class MapSecretReader : public SecretReader {
 public:
  absl::StatusOr<std::string> Read(
      const cse::adapters::v1::Secret& secret,
      absl::string_view field_path) const override {
    auto it = values.find(secret.env());
    if (it == values.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field_path, ": environment variable ", secret.env(), " is not set"));
    }
    return it->second;
  }
  absl::flat_hash_map<std::string, std::string> values;
};

CrmConfig ValidConfig() {
  CrmConfig config;
  config.set_name("sf-prod");
  SalesforceConfig* sf = config.mutable_salesforce();
  sf->add_allowed_organization_ids(kOrg15);
  sf->set_instance_url("https://acme.my.salesforce.com/");
  sf->mutable_access_token()->set_env("SF_TOKEN");
  sf->set_case_phase_field("Journey_Phase__c");
  sf->set_phase_value(SalesforceConfig::PHASE_VALUE_ID);
  (*sf->mutable_meeting_types())["QBR"] = "REVIEW";
  sf->add_key_person_roles("CFO");
  return config;
}

std::vector<std::string> Paths(const std::vector<config::ConfigError>& errors) {
  std::vector<std::string> paths;
  for (const config::ConfigError& error : errors) {
    paths.push_back(error.field_path);
  }
  return paths;
}

TEST(SalesforceFactoryTest, KindIsSalesforce) {
  EXPECT_EQ(NewSalesforceAdapterFactory()->kind(), "salesforce");
}

TEST(SalesforceFactoryTest, ValidConfigHasNoErrors) {
  EXPECT_THAT(NewSalesforceAdapterFactory()->Validate(ValidConfig(), "crms[0]"),
              IsEmpty());
}

TEST(SalesforceFactoryTest, ErrorsNameTheFieldPath) {
  CrmConfig config;
  config.set_name("sf");
  SalesforceConfig* sf = config.mutable_salesforce();
  sf->add_allowed_organization_ids("00D5g000004XyZaEA9");
  sf->set_instance_url("http://acme.my.salesforce.com/services");
  sf->set_api_version("59");
  sf->set_event_phase_field("Phase Field");
  sf->set_request_timeout_ms(600'000);
  (*sf->mutable_meeting_types())["Demo"] = "SHOWCASE";
  sf->add_key_person_roles(" ");
  std::vector<config::ConfigError> errors =
      NewSalesforceAdapterFactory()->Validate(config, "crms[2].salesforce");
  EXPECT_THAT(Paths(errors),
              AllOf(Contains("crms[2].salesforce.allowed_organization_ids[0]"),
                    Contains("crms[2].salesforce.instance_url"),
                    Contains("crms[2].salesforce.access_token"),
                    Contains("crms[2].salesforce.api_version"),
                    Contains("crms[2].salesforce.event_phase_field"),
                    Contains("crms[2].salesforce.phase_value"),
                    Contains("crms[2].salesforce.request_timeout_ms"),
                    Contains("crms[2].salesforce.meeting_types.Demo"),
                    Contains("crms[2].salesforce.key_person_roles[0]")));
  EXPECT_THAT(
      errors,
      Contains(AllOf(Field(&config::ConfigError::field_path,
                           "crms[2].salesforce.instance_url"),
                     Field(&config::ConfigError::message, HasSubstr("path")))));

  CrmConfig empty;
  empty.mutable_salesforce();
  EXPECT_THAT(Paths(NewSalesforceAdapterFactory()->Validate(empty, "crms[0]")),
              AllOf(Contains("crms[0].allowed_organization_ids"),
                    Contains("crms[0].instance_url")));
  CrmConfig plain_http = ValidConfig();
  plain_http.mutable_salesforce()->set_instance_url("http://example.com");
  EXPECT_THAT(
      NewSalesforceAdapterFactory()->Validate(plain_http, "crms[0]"),
      Contains(Field(&config::ConfigError::message, HasSubstr("https"))));
}

TEST(SalesforceFactoryTest, OutcomeFieldsMustBeApiNamesOfTheirOwn) {
  CrmConfig config = ValidConfig();
  SalesforceConfig* sf = config.mutable_salesforce();
  sf->set_case_outcome_field("CSE Outcome");
  sf->set_attended_ids_field("Attended_By__c");
  sf->set_event_outcome_field("attended_by__c");
  std::vector<config::ConfigError> errors =
      NewSalesforceAdapterFactory()->Validate(config, "crms[1].salesforce");
  ASSERT_THAT(Paths(errors), ::testing::UnorderedElementsAre(
                                 "crms[1].salesforce.case_outcome_field",
                                 "crms[1].salesforce.event_outcome_field"));
  EXPECT_THAT(errors,
              Contains(AllOf(Field(&config::ConfigError::field_path,
                                   "crms[1].salesforce.case_outcome_field"),
                             Field(&config::ConfigError::message,
                                   HasSubstr("must be a field API name")))));
  EXPECT_THAT(errors,
              Contains(AllOf(Field(&config::ConfigError::field_path,
                                   "crms[1].salesforce.event_outcome_field"),
                             Field(&config::ConfigError::message,
                                   HasSubstr("\"attended_by__c\" is also "
                                             "attended_ids_field")))));
  // The default, CSE_Outcome__c, taken by the phase: named as the conflict.
  config = ValidConfig();
  config.mutable_salesforce()->set_case_phase_field("CSE_Outcome__c");
  errors = NewSalesforceAdapterFactory()->Validate(config, "crms[0]");
  ASSERT_THAT(Paths(errors),
              ::testing::ElementsAre("crms[0].case_outcome_field"));
  EXPECT_THAT(errors[0].message,
              HasSubstr("\"CSE_Outcome__c\" is also case_phase_field"));
}

TEST(SalesforceFactoryTest, CreateReadsTheTokenAndNormalisesOrganizationIds) {
  CurlHttpClient http;
  MapSecretReader secrets;
  secrets.values["SF_TOKEN"] = "t0k";
  AdapterContext context{&http, &secrets, &FixedNow};
  CrmConfig config = ValidConfig();
  config.mutable_salesforce()->set_allow_insecure_http(true);
  absl::StatusOr<std::unique_ptr<CrmAdapter>> adapter =
      NewSalesforceAdapterFactory()->Create(config, context);
  ASSERT_THAT(adapter, IsOk());
  EXPECT_EQ((*adapter)->name(), "sf-prod");
  // Configured as 15 characters, sent as 18 by Salesforce.
  absl::StatusOr<CanonicalEvents> events = (*adapter)->ReceiveWebhook(
      Delivery(Envelope(kOrg18, {CaseNotification()})));
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->tickets.size(), 1u);
  EXPECT_EQ(events->tickets[0].source(), "sf-prod");
}

TEST(SalesforceFactoryTest, CreateFailsOnAMissingSecretOrBadConfig) {
  CurlHttpClient http;
  MapSecretReader secrets;
  AdapterContext context{&http, &secrets, &FixedNow};
  EXPECT_THAT(NewSalesforceAdapterFactory()->Create(ValidConfig(), context),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("crms[name=sf-prod].salesforce."
                                       "access_token"),
                             HasSubstr("SF_TOKEN"))));
  CrmConfig bad = ValidConfig();
  bad.mutable_salesforce()->clear_allowed_organization_ids();
  secrets.values["SF_TOKEN"] = "t0k";
  EXPECT_THAT(NewSalesforceAdapterFactory()->Create(bad, context),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("allowed_organization_ids")));
}

// The README's example config parses strictly and validates. Tests run
// from the source tree (cse_cc_test's WORKING_DIRECTORY).
TEST(SalesforceFactoryTest, ReadmeExampleIsAValidConfig) {
  std::ifstream file("adapters/salesforce/README.md");
  ASSERT_TRUE(file.is_open());
  std::stringstream text;
  text << file.rdbuf();
  const std::string readme = text.str();
  const size_t marker = readme.find("<!-- adapter.yaml example -->");
  ASSERT_NE(marker, std::string::npos);
  const size_t start = readme.find("```yaml\n", marker);
  ASSERT_NE(start, std::string::npos);
  const size_t end = readme.find("```", start + 8);
  ASSERT_NE(end, std::string::npos);
  const std::string yaml = readme.substr(start + 8, end - start - 8);

  cse::adapters::v1::AdapterConfig config;
  config::ProtoYamlParse parsed =
      config::ParseYamlIntoMessage(yaml, "README.md", 1 << 20, &config);
  ASSERT_THAT(parsed.errors, IsEmpty())
      << config::FormatConfigErrors(parsed.errors);
  ASSERT_EQ(config.crms_size(), 1);
  EXPECT_THAT(
      NewSalesforceAdapterFactory()->Validate(config.crms(0), "crms[0]"),
      IsEmpty());
  EXPECT_EQ(config.crms(0).salesforce().meeting_types().at("Kick-off"),
            "KICK_OFF");
  EXPECT_EQ(config.crms(0).salesforce().key_person_roles(2), "project lead");
}

}  // namespace
}  // namespace cse::adapters
