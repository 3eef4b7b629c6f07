// Shared pieces of the HubSpot adapter tests: a fixed clock, a secret
// reader holding test values, signed deliveries, and an adapter built by
// the real factory against a FakeHttpServer standing in for
// api.hubapi.com.
#ifndef CSE_TESTS_UNIT_ADAPTERS_HUBSPOT_HUBSPOT_TEST_UTIL_H_
#define CSE_TESTS_UNIT_ADAPTERS_HUBSPOT_HUBSPOT_TEST_UTIL_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/common/curl_http_client.h"
#include "adapters/crm_adapter.h"
#include "adapters/hubspot/factory.h"
#include "adapters/hubspot/webhook_signature.h"
#include "cse/adapters/v1/adapter_config.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/http/fake_http_server.h"

namespace cse::adapters::hubspot::testing {

// The client secret of HubSpot's documentation and SDK tests.
inline constexpr char kClientSecret[] = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
inline constexpr char kAccessToken[] = "pat-na1-test-token";
inline constexpr char kPublicUrl[] = "https://cse.example.com/webhooks/hubspot";

// 2024-05-01T12:00:00Z: the tests' "now".
inline absl::Time TestNow() { return absl::FromUnixSeconds(1714564800); }

// Resolves {env: NAME} to the value registered under NAME.
class MapSecretReader : public SecretReader {
 public:
  absl::flat_hash_map<std::string, std::string> values;
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
};

// A delivery of `body` signed (v3) the way HubSpot signs it, `age`
// before TestNow().
inline WebhookDelivery SignedDelivery(std::string body,
                                      absl::Duration age = absl::Seconds(2),
                                      std::string public_url = kPublicUrl,
                                      std::string secret = kClientSecret) {
  WebhookDelivery d;
  d.method = "POST";
  d.path = "/webhooks/hubspot";
  d.public_url = public_url;
  d.body = std::move(body);
  d.received_at = TestNow();
  const std::string timestamp =
      absl::StrCat(absl::ToUnixMillis(TestNow() - age));
  d.headers.Set("Content-Type", "application/json");
  d.headers.Set("X-HubSpot-Request-Timestamp", timestamp);
  d.headers.Set("X-HubSpot-Signature-v3",
                SignatureV3(secret, d.method, d.public_url, d.body, timestamp));
  return d;
}

// A CrmConfig for the adapter against `api_base_url`.
inline cse::adapters::v1::CrmConfig TestConfig(
    const std::string& api_base_url) {
  cse::adapters::v1::CrmConfig config;
  config.set_name("hubspot");
  auto* hs = config.mutable_hubspot();
  hs->mutable_client_secret()->set_env("HS_CLIENT_SECRET");
  hs->mutable_access_token()->set_env("HS_TOKEN");
  hs->set_api_base_url(api_base_url);
  hs->set_tags_property("cse_tags");
  hs->set_phase_property("cse_phase");
  hs->set_meeting_tags_property("cse_meeting_tags");
  hs->set_meeting_phase_property("cse_meeting_phase");
  hs->set_request_timeout_ms(2000);
  return config;
}

// The adapter, built by the real factory (Validate, then Create).
class AdapterHarness {
 public:
  AdapterHarness() {
    secrets_.values["HS_CLIENT_SECRET"] = kClientSecret;
    secrets_.values["HS_TOKEN"] = kAccessToken;
  }

  std::unique_ptr<CrmAdapter> Build(
      const cse::adapters::v1::CrmConfig& config) {
    auto factory = NewHubSpotAdapterFactory();
    auto errors = factory->Validate(config, "crms[0]");
    EXPECT_TRUE(errors.empty()) << errors.front().ToString();
    AdapterContext context;
    context.http = &http_;
    context.secrets = &secrets_;
    context.now = &TestNow;
    auto adapter = factory->Create(config, context);
    EXPECT_TRUE(adapter.ok()) << adapter.status();
    return adapter.ok() ? std::move(*adapter) : nullptr;
  }

 private:
  CurlHttpClient http_;
  MapSecretReader secrets_;
};

}  // namespace cse::adapters::hubspot::testing

#endif  // CSE_TESTS_UNIT_ADAPTERS_HUBSPOT_HUBSPOT_TEST_UTIL_H_
