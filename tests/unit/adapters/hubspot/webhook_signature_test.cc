// HubSpot request signatures against HubSpot's own published vectors, and
// the checks VerifyDelivery makes (freshness, URL, legacy versions).
#include "adapters/hubspot/webhook_signature.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/signatures.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/hubspot/hubspot_test_util.h"

namespace cse::adapters::hubspot {
namespace {

using ::cse::testing::IsOk;
using ::cse::testing::StatusIs;
using ::testing::HasSubstr;
using testing::kClientSecret;
using testing::kPublicUrl;
using testing::SignedDelivery;
using testing::TestNow;

// The body of HubSpot's v1 example (validating-requests page) and of the
// nodejs/php SDK tests: a documented webhook delivery.
constexpr char kDocumentedDelivery[] =
    R"([{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}])";

// HubSpot/hubspot-api-python tests/spec/utils/test_signature.py,
// test_get_signature__v3: POST, https://www.example.com/webhook_uri, body
// "{'example_field':'example_value'}", timestamp 15000000.
TEST(SignatureV3, MatchesThePythonSdkVector) {
  EXPECT_EQ(
      SignatureV3(kClientSecret, "POST", "https://www.example.com/webhook_uri",
                  "{'example_field':'example_value'}", "15000000"),
      "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=");
}

// https://developers.hubspot.com/docs/api/webhooks/validating-requests
// (v1 example, "The resulting hash would be: 232db2..."), also the vector
// of HubSpot/hubspot-api-nodejs test/unit/signature.spec.ts ("is valid
// v1") and HubSpot/hubspot-api-php tests/Unit/Utils/SignatureTest.php.
TEST(SignatureV1, MatchesTheDocumentedExample) {
  EXPECT_EQ(SignatureV1(kClientSecret, kDocumentedDelivery),
            "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de");
  // hubspot-api-python test_get_signature__v1.
  EXPECT_EQ(SignatureV1(kClientSecret, "{'example_field':'example_value'}"),
            "69fc6631a867edd4f9e9e627fc5c1148e3fbdd8b21837b6d2b8901c1fa57f750");
}

// The validating-requests page's v2 GET and POST examples (also in the
// nodejs and php SDK tests) and hubspot-api-python test_get_signature__v2.
TEST(SignatureV2, MatchesTheDocumentedExamples) {
  EXPECT_EQ(SignatureV2(kClientSecret, "GET",
                        "https://www.example.com/webhook_uri", ""),
            "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e");
  EXPECT_EQ(
      SignatureV2(kClientSecret, "POST", "https://www.example.com/webhook_uri",
                  R"({"example_field":"example_value"})"),
      "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900");
  EXPECT_EQ(
      SignatureV2(kClientSecret, "POST", "https://www.example.com/webhook_uri",
                  "{'example_field':'example_value'}"),
      "4fe4e3a7d3cf09db53be39d0a58130e2aaba074ec123a9e355b876a689a1c383");
}

TEST(NormalizeV3Uri, DecodesExactlyTheDocumentedCharacters) {
  // The table: %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B.
  EXPECT_EQ(NormalizeV3Uri("https://h/p%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B"),
            "https://h/p:/?@!$'()*,;");
  // Lower-case hex is the same escape (RFC 3986 section 2.1).
  EXPECT_EQ(NormalizeV3Uri("https://h/a%3ab%2cc"), "https://h/a:b,c");
  // Everything else stays encoded: space, '&', '=', '%', '#', UTF-8.
  EXPECT_EQ(NormalizeV3Uri("https://h/a%20b%26c%3Dd%25e%23f%C3%A9"),
            "https://h/a%20b%26c%3Dd%25e%23f%C3%A9");
  // Truncated or non-hex escapes are left alone.
  EXPECT_EQ(NormalizeV3Uri("https://h/a%2"), "https://h/a%2");
  EXPECT_EQ(NormalizeV3Uri("https://h/a%zz"), "https://h/a%zz");
}

SignatureCheckOptions Options() {
  SignatureCheckOptions o;
  o.client_secret = kClientSecret;
  return o;
}

TEST(VerifyDelivery, AcceptsAFreshV3Signature) {
  EXPECT_THAT(
      VerifyDelivery(SignedDelivery(kDocumentedDelivery), Options(), TestNow()),
      IsOk());
}

TEST(VerifyDelivery, SignsTheDecodedUrl) {
  // HubSpot called ...?app=cse%3Ahs; it signed ...?app=cse:hs.
  WebhookDelivery d = SignedDelivery(kDocumentedDelivery);
  d.public_url = "https://cse.example.com/webhooks/hubspot?app=cse%3Ahs";
  const std::string timestamp(d.headers.Get("X-HubSpot-Request-Timestamp"));
  d.headers.Set(
      "X-HubSpot-Signature-v3",
      absl::Base64Escape(HmacSha256(
          kClientSecret, absl::StrCat("POST",
                                      "https://cse.example.com/webhooks/"
                                      "hubspot?app=cse:hs",
                                      d.body, timestamp))));
  EXPECT_THAT(VerifyDelivery(d, Options(), TestNow()), IsOk());
}

TEST(VerifyDelivery, RefusesATamperedBodyOrAnotherSecret) {
  WebhookDelivery d = SignedDelivery(kDocumentedDelivery);
  d.body += " ";
  EXPECT_THAT(VerifyDelivery(d, Options(), TestNow()),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("does not match")));
  WebhookDelivery other = SignedDelivery(kDocumentedDelivery, absl::Seconds(1),
                                         kPublicUrl, "another-secret");
  EXPECT_THAT(VerifyDelivery(other, Options(), TestNow()),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(VerifyDelivery, RefusesAUrlMismatch) {
  // Signed for http://, received as https:// (a proxy rewrote the scheme,
  // or public_base_url is wrong).
  WebhookDelivery d = SignedDelivery(kDocumentedDelivery, absl::Seconds(1),
                                     "http://cse.example.com/webhooks/hubspot");
  d.public_url = kPublicUrl;
  EXPECT_THAT(VerifyDelivery(d, Options(), TestNow()),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("public_base_url")));
  WebhookDelivery path = SignedDelivery(kDocumentedDelivery);
  path.public_url = "https://cse.example.com/webhooks/hubspot2";
  EXPECT_THAT(VerifyDelivery(path, Options(), TestNow()),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(VerifyDelivery, RefusesStaleAndFutureTimestamps) {
  // HubSpot: "Reject the request if the timestamp is older than 5 minutes".
  EXPECT_THAT(
      VerifyDelivery(SignedDelivery(kDocumentedDelivery,
                                    absl::Minutes(5) + absl::Seconds(1)),
                     Options(), TestNow()),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("old")));
  EXPECT_THAT(
      VerifyDelivery(SignedDelivery(kDocumentedDelivery, -absl::Minutes(6)),
                     Options(), TestNow()),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("in the future")));
  EXPECT_THAT(
      VerifyDelivery(SignedDelivery(kDocumentedDelivery, absl::Minutes(4)),
                     Options(), TestNow()),
      IsOk());
}

TEST(VerifyDelivery, RefusesMissingOrMalformedHeaders) {
  WebhookDelivery none = SignedDelivery(kDocumentedDelivery);
  none.headers = HttpHeaders{{"Content-Type", "application/json"}};
  EXPECT_THAT(VerifyDelivery(none, Options(), TestNow()),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("X-HubSpot-Signature-v3")));
  WebhookDelivery no_time = SignedDelivery(kDocumentedDelivery);
  no_time.headers =
      HttpHeaders{{"X-HubSpot-Signature-v3",
                   no_time.headers.Get("X-HubSpot-Signature-v3")}};
  EXPECT_THAT(VerifyDelivery(no_time, Options(), TestNow()),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("X-HubSpot-Request-Timestamp")));
  WebhookDelivery bad_time = SignedDelivery(kDocumentedDelivery);
  bad_time.headers.Set("X-HubSpot-Request-Timestamp", "yesterday");
  EXPECT_THAT(
      VerifyDelivery(bad_time, Options(), TestNow()),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("milliseconds")));
}

TEST(VerifyDelivery, NeedsThePublicUrl) {
  WebhookDelivery d = SignedDelivery(kDocumentedDelivery);
  d.public_url = "/webhooks/hubspot";
  EXPECT_THAT(VerifyDelivery(d, Options(), TestNow()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("public_base_url")));
}

WebhookDelivery LegacyDelivery(absl::string_view version) {
  WebhookDelivery d;
  d.method = "POST";
  d.public_url = kPublicUrl;
  d.body = kDocumentedDelivery;
  d.headers.Set("X-HubSpot-Signature-Version", version);
  d.headers.Set("X-HubSpot-Signature",
                version == "v1"
                    ? SignatureV1(kClientSecret, d.body)
                    : SignatureV2(kClientSecret, "POST", kPublicUrl, d.body));
  return d;
}

TEST(VerifyDelivery, LegacySignaturesOnlyWhenAccepted) {
  EXPECT_THAT(VerifyDelivery(LegacyDelivery("v1"), Options(), TestNow()),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("accept_legacy_signatures")));
  SignatureCheckOptions legacy = Options();
  legacy.accept_legacy = true;
  EXPECT_THAT(VerifyDelivery(LegacyDelivery("v1"), legacy, TestNow()), IsOk());
  EXPECT_THAT(VerifyDelivery(LegacyDelivery("v2"), legacy, TestNow()), IsOk());
  WebhookDelivery tampered = LegacyDelivery("v2");
  tampered.body = "[]";
  EXPECT_THAT(VerifyDelivery(tampered, legacy, TestNow()),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("does not match")));
  WebhookDelivery unknown = LegacyDelivery("v1");
  unknown.headers.Set("X-HubSpot-Signature-Version", "v9");
  EXPECT_THAT(VerifyDelivery(unknown, legacy, TestNow()),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("v9")));
}

}  // namespace
}  // namespace cse::adapters::hubspot
