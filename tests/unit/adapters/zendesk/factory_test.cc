// NewZendeskAdapterFactory: config validation with field paths, secrets,
// a working adapter, and the README's configuration example.
#include "adapters/zendesk/factory.h"

#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/curl_http_client.h"
#include "adapters/common/secret_reader.h"
#include "cse/adapters/v1/adapter_config.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/config/proto_yaml.h"
#include "tests/testing/config_error_matchers.h"
#include "tests/testing/http/fake_http_server.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/zendesk/zendesk_test_util.h"

namespace cse::config {
// Readable failures.
void PrintTo(const ConfigError& error, std::ostream* os) {
  *os << error.ToString();
}
}  // namespace cse::config

namespace cse::adapters {
namespace {

using ::cse::adapters::v1::CrmConfig;
using ::cse::adapters::v1::ZendeskConfig;
using ::cse::adapters::zendesk::testing::FixedNow;
using ::cse::adapters::zendesk::testing::kTicketCreatedEvent;
using ::cse::adapters::zendesk::testing::kZendeskTestSecret;
using ::cse::adapters::zendesk::testing::SignedDelivery;
using ::cse::config::ConfigError;
using ::cse::testing::ErrorAt;
using ::cse::testing::FakeHttpServer;
using ::cse::testing::IsOk;
using ::cse::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

CrmConfig ValidConfig() {
  CrmConfig config;
  config.set_name("zendesk");
  ZendeskConfig* zendesk = config.mutable_zendesk();
  zendesk->set_base_url("https://acme.zendesk.com");
  zendesk->mutable_signing_secret()->set_env("CSE_ZD_TEST_SIGNING_SECRET");
  zendesk->set_api_user("agent@acme.example");
  zendesk->mutable_api_token()->set_env("CSE_ZD_TEST_API_TOKEN");
  return config;
}

TEST(ZendeskFactoryTest, Kind) {
  EXPECT_EQ(NewZendeskAdapterFactory()->kind(), "zendesk");
}

TEST(ZendeskFactoryTest, ValidConfigHasNoErrors) {
  EXPECT_THAT(
      NewZendeskAdapterFactory()->Validate(ValidConfig(), "crms[0].zendesk"),
      IsEmpty());
}

TEST(ZendeskFactoryTest, EmptySectionNamesEveryRequiredField) {
  CrmConfig config;
  config.set_name("zendesk");
  config.mutable_zendesk();
  EXPECT_THAT(NewZendeskAdapterFactory()->Validate(config, "crms[2].zendesk"),
              UnorderedElementsAre(
                  ErrorAt("crms[2].zendesk.base_url", "required"),
                  ErrorAt("crms[2].zendesk.signing_secret", "required"),
                  ErrorAt("crms[2].zendesk.api_user", "required"),
                  ErrorAt("crms[2].zendesk.api_token", "required")));
}

TEST(ZendeskFactoryTest, BaseUrlMustBeAnHttpsAccountUrl) {
  auto errors_for = [](const std::string& url) {
    CrmConfig config = ValidConfig();
    config.mutable_zendesk()->set_base_url(url);
    return NewZendeskAdapterFactory()->Validate(config, "crms[0].zendesk");
  };
  EXPECT_THAT(errors_for("http://acme.zendesk.com"),
              ElementsAre(ErrorAt("crms[0].zendesk.base_url", "https")));
  EXPECT_THAT(errors_for("acme.zendesk.com"),
              ElementsAre(ErrorAt("crms[0].zendesk.base_url",
                                  "must start with https://")));
  EXPECT_THAT(
      errors_for("https://acme.zendesk.com/api/v2"),
      ElementsAre(ErrorAt("crms[0].zendesk.base_url", "without a path")));
  EXPECT_THAT(errors_for("https://acme.zendesk.com/"), IsEmpty());
  EXPECT_THAT(errors_for("http://127.0.0.1:8080"), IsEmpty());
}

TEST(ZendeskFactoryTest, RangesAndFormats) {
  CrmConfig config = ValidConfig();
  ZendeskConfig* zendesk = config.mutable_zendesk();
  zendesk->set_phase_field_id(360012345678);
  zendesk->set_max_signature_age_seconds(7200);
  zendesk->set_request_timeout_ms(600'000);
  zendesk->set_phase_option_prefix("CSE Phase ");
  zendesk->set_api_user("not-an-email");
  zendesk->add_additional_signing_secrets();
  EXPECT_THAT(
      NewZendeskAdapterFactory()->Validate(config, "crms[1].zendesk"),
      UnorderedElementsAre(
          ErrorAt("crms[1].zendesk.phase_field_format",
                  "required with phase_field_id"),
          ErrorAt("crms[1].zendesk.max_signature_age_seconds", "at most 3600"),
          ErrorAt("crms[1].zendesk.request_timeout_ms", "at most 120000"),
          ErrorAt("crms[1].zendesk.phase_option_prefix", "lower case"),
          ErrorAt("crms[1].zendesk.api_user", "email address"),
          ErrorAt("crms[1].zendesk.additional_signing_secrets[0]",
                  "env or file")));
  zendesk->set_phase_field_id(-4);
  EXPECT_THAT(
      NewZendeskAdapterFactory()->Validate(config, "crms[1].zendesk"),
      Contains(ErrorAt("crms[1].zendesk.phase_field_id", "ticket field id")));
}

TEST(ZendeskFactoryTest, CreateNamesAMissingSecretNotItsValue) {
  unsetenv("CSE_ZD_TEST_API_TOKEN");
  setenv("CSE_ZD_TEST_SIGNING_SECRET", kZendeskTestSecret, 1);
  EnvAndFileSecretReader secrets;
  CurlHttpClient http;
  AdapterContext context{&http, &secrets, &FixedNow};
  EXPECT_THAT(
      NewZendeskAdapterFactory()->Create(ValidConfig(), context),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("crms[name=zendesk].zendesk.api_token.env"),
                     Not(HasSubstr(kZendeskTestSecret)))));
}

TEST(ZendeskFactoryTest, CreateRefusesAnInvalidConfig) {
  CrmConfig config = ValidConfig();
  config.mutable_zendesk()->clear_base_url();
  EnvAndFileSecretReader secrets;
  CurlHttpClient http;
  EXPECT_THAT(NewZendeskAdapterFactory()->Create(
                  config, AdapterContext{&http, &secrets, &FixedNow}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("zendesk.base_url: required")));
}

TEST(ZendeskFactoryTest, CreatedAdapterVerifiesParsesAndWritesBack) {
  FakeHttpServer crm;
  crm.Handle("GET", "/api/v2/tickets/5158", [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response;
    response.body =
        R"({"ticket":{"id":5158,"tags":[],"updated_at":"2025-01-08T11:02:31Z"}})";
    return response;
  });
  crm.Handle("PUT", "/api/v2/tickets/5158/tags",
             [](const FakeHttpServer::Request&) {
               FakeHttpServer::Response response;
               response.body = R"({"tags":["cse-restore"]})";
               return response;
             });
  ASSERT_TRUE(crm.Start().ok());

  setenv("CSE_ZD_TEST_SIGNING_SECRET", "event-webhook-secret", 1);
  setenv("CSE_ZD_TEST_TRIGGER_SECRET", kZendeskTestSecret, 1);
  setenv("CSE_ZD_TEST_API_TOKEN", "tok3n-from-env", 1);
  CrmConfig config = ValidConfig();
  config.set_name("zendesk-eu");
  config.mutable_zendesk()->set_base_url(crm.base_url());
  config.mutable_zendesk()->add_additional_signing_secrets()->set_env(
      "CSE_ZD_TEST_TRIGGER_SECRET");
  ASSERT_THAT(NewZendeskAdapterFactory()->Validate(config, "crms[0].zendesk"),
              IsEmpty());
  EnvAndFileSecretReader secrets;
  CurlHttpClient http;
  absl::StatusOr<std::unique_ptr<CrmAdapter>> adapter =
      NewZendeskAdapterFactory()->Create(
          config, AdapterContext{&http, &secrets, &FixedNow});
  ASSERT_THAT(adapter, IsOk());
  EXPECT_EQ((*adapter)->name(), "zendesk-eu");
  EXPECT_THAT((*adapter)->accepted_content_types(),
              ElementsAre("application/json"));

  // Signed with the additional secret; the source is the instance name.
  absl::StatusOr<CanonicalEvents> events =
      (*adapter)->ReceiveWebhook(SignedDelivery(kTicketCreatedEvent));
  ASSERT_THAT(events, IsOk());
  ASSERT_THAT(events->tickets, SizeIs(1));
  EXPECT_EQ(events->tickets[0].source(), "zendesk-eu");

  cse::v1::WritebackJob job;
  job.set_target_system("zendesk-eu");
  job.set_object_kind(cse::v1::CRM_OBJECT_KIND_TICKET);
  job.set_object_id("5158");
  job.mutable_tags()->add_tags("cse-restore");
  const WritebackOutcome outcome = (*adapter)->PerformWriteback(job);
  EXPECT_EQ(outcome.result, cse::v1::WRITEBACK_RESULT_DONE)
      << outcome.crm_answer;
  const auto puts = crm.RequestsTo("PUT", "/api/v2/tickets/5158/tags");
  ASSERT_THAT(puts, SizeIs(1));
  EXPECT_EQ(puts[0].Header("authorization"),
            absl::StrCat(
                "Basic ",
                absl::Base64Escape("agent@acme.example/token:tok3n-from-env")));
}

// The configuration example in adapters/zendesk/README.md parses with the
// adapter process's strict YAML parser and validates.
TEST(ZendeskFactoryTest, ReadmeExampleIsValid) {
  std::ifstream in("adapters/zendesk/README.md");
  ASSERT_TRUE(in) << "run from the source root";
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const std::string marker = "<!-- adapter.yaml example -->";
  size_t start = readme.find(marker);
  ASSERT_NE(start, std::string::npos);
  start = readme.find("```yaml\n", start);
  ASSERT_NE(start, std::string::npos);
  start += 8;
  const size_t end = readme.find("```", start);
  ASSERT_NE(end, std::string::npos);
  const std::string yaml = readme.substr(start, end - start);

  cse::adapters::v1::AdapterConfig config;
  cse::config::ProtoYamlParse parsed =
      cse::config::ParseYamlIntoMessage(yaml, "README.md", 1 << 20, &config);
  ASSERT_THAT(parsed.errors, IsEmpty())
      << cse::config::FormatConfigErrors(parsed.errors);
  ASSERT_THAT(config.crms(), SizeIs(1));
  ASSERT_TRUE(config.crms(0).has_zendesk());
  EXPECT_THAT(
      NewZendeskAdapterFactory()->Validate(config.crms(0), "crms[0].zendesk"),
      IsEmpty());
}

}  // namespace
}  // namespace cse::adapters
