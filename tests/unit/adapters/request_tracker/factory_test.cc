// NewRequestTrackerAdapterFactory: the outcome field's config checks, and
// the README's configuration example.
#include "adapters/request_tracker/factory.h"

#include <fstream>
#include <sstream>
#include <string>

#include "cse/adapters/v1/adapter_config.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/config/proto_yaml.h"
#include "tests/testing/config_error_matchers.h"

namespace cse::config {
// Readable failures.
void PrintTo(const ConfigError& error, std::ostream* os) {
  *os << error.ToString();
}
}  // namespace cse::config

namespace cse::adapters {
namespace {

using ::cse::adapters::v1::CrmConfig;
using ::cse::config::ConfigError;
using ::cse::testing::ErrorAt;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

CrmConfig ValidConfig() {
  CrmConfig config;
  config.set_name("rt");
  auto* rt = config.mutable_request_tracker();
  rt->set_base_url("https://rt.example.com");
  rt->set_user("cse-adapter");
  rt->mutable_password()->set_env("RT_PASSWORD");
  return config;
}

std::vector<ConfigError> Validate(const CrmConfig& config) {
  return NewRequestTrackerAdapterFactory()->Validate(config,
                                                     "crms[0].request_tracker");
}

TEST(RequestTrackerFactoryTest, TheDefaultOutcomeFieldIsValid) {
  EXPECT_THAT(Validate(ValidConfig()), IsEmpty());
  CrmConfig config = ValidConfig();
  config.mutable_request_tracker()->set_outcome_field("CSE Tags");
  EXPECT_THAT(Validate(config), IsEmpty());
}

TEST(RequestTrackerFactoryTest, TheOutcomeFieldIsNotTheFieldTheAdapterWrites) {
  CrmConfig config = ValidConfig();
  config.mutable_request_tracker()->set_outcome_field("journey phase");
  EXPECT_THAT(Validate(config),
              ElementsAre(ErrorAt("crms[0].request_tracker.outcome_field",
                                  "must differ from phase_field (\"Journey "
                                  "Phase\"): the adapter overwrites that "
                                  "field")));
  config.mutable_request_tracker()->set_phase_field("Stage");
  config.mutable_request_tracker()->set_outcome_field("Stage");
  EXPECT_THAT(Validate(config),
              ElementsAre(ErrorAt("crms[0].request_tracker.outcome_field",
                                  "phase_field (\"Stage\")")));
  // The default outcome field against a phase field of that name.
  config.mutable_request_tracker()->set_phase_field("CSE Outcome");
  config.mutable_request_tracker()->clear_outcome_field();
  EXPECT_THAT(Validate(config), SizeIs(1));
}

TEST(RequestTrackerFactoryTest, TheOutcomeFieldIsNotTheAccountFieldOrBlank) {
  CrmConfig config = ValidConfig();
  config.mutable_request_tracker()->set_account_field("Customer");
  config.mutable_request_tracker()->set_outcome_field("Customer");
  EXPECT_THAT(Validate(config),
              ElementsAre(ErrorAt("crms[0].request_tracker.outcome_field",
                                  "must differ from account_field "
                                  "(\"Customer\")")));
  config.mutable_request_tracker()->set_outcome_field("  ");
  EXPECT_THAT(Validate(config),
              ElementsAre(ErrorAt("crms[0].request_tracker.outcome_field",
                                  "must not be blank")));
}

// The configuration example in adapters/request_tracker/README.md parses
// with the adapter process's strict YAML parser and validates.
TEST(RequestTrackerFactoryTest, ReadmeExampleIsValid) {
  std::ifstream in("adapters/request_tracker/README.md");
  ASSERT_TRUE(in) << "run from the source root";
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  size_t start = readme.find("## Configure the adapter");
  ASSERT_NE(start, std::string::npos);
  start = readme.find("```yaml\n", start);
  ASSERT_NE(start, std::string::npos);
  start += 8;
  const size_t end = readme.find("```", start);
  ASSERT_NE(end, std::string::npos);
  const std::string yaml = readme.substr(start, end - start);
  ASSERT_THAT(yaml, HasSubstr("outcome_field"));

  cse::adapters::v1::AdapterConfig config;
  cse::config::ProtoYamlParse parsed =
      cse::config::ParseYamlIntoMessage(yaml, "README.md", 1 << 20, &config);
  ASSERT_THAT(parsed.errors, IsEmpty())
      << cse::config::FormatConfigErrors(parsed.errors);
  ASSERT_THAT(config.crms(), SizeIs(1));
  ASSERT_TRUE(config.crms(0).has_request_tracker());
  EXPECT_THAT(Validate(config.crms(0)), IsEmpty());
}

}  // namespace
}  // namespace cse::adapters
