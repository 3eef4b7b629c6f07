// ReceiveWebhook: authentication (signature, shared token), replay
// protection, and malformed bodies, through the adapter the factory builds.
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "adapters/generic_webhook/delivery_authenticator.h"
#include "adapters/generic_webhook/factory.h"
#include "adapters/generic_webhook/generic_webhook_adapter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/generic_webhook/test_util.h"

namespace cse::adapters::generic_webhook {
namespace {

using ::cse::adapters::v1::CrmConfig;
using ::cse::testing::IsOk;
using ::cse::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Signed at 1700000000; "now" is 100 s later.
constexpr int64_t kSignedAt = 1700000000;
absl::Time FixedNow() { return absl::FromUnixSeconds(kSignedAt + 100); }

constexpr char kBody[] = R"({"event":"ping","id":1})";
// Computed independently (Python's hmac module) over "1700000000." + kBody
// with the key "s3cret".
constexpr char kSha256Hex[] =
    "11f0c7d95823091c90e7663e4bb601b1cd8af926c07bd01e0436a9aa2f6bb4aa";
// HMAC-SHA1 over kBody alone, key "s3cret".
constexpr char kSha1Base64[] = "GPEmgG+0mknUeni2y8BSA/NzZPA=";
constexpr char kSha1Hex[] = "18f126806fb49a49d47a78b6cbc05203f37364f0";

constexpr char kMappings[] = R"(
  event_mappings:
    - name: ping
      when: [{pointer: /event, equals: ping}]
      emit: ticket_event
      fields:
        event_id: {template: "ping-{/id}"}
        ticket_id: {pointer: /id}
        account.id: {constant: acme}
        kind: {constant: updated}
)";

class ReceiveWebhookTest : public ::testing::Test {
 protected:
  std::unique_ptr<CrmAdapter> Build(const std::string& auth_yaml) {
    CrmConfig crm = testing::ParseYaml<CrmConfig>(absl::StrCat(
        "name: helpdesk\ngeneric_webhook:\n", auth_yaml, kMappings));
    EXPECT_THAT(testing::ErrorStrings(
                    NewGenericWebhookAdapterFactory()->Validate(crm, "crm")),
                ::testing::IsEmpty());
    secrets_.Set("SIGNING_SECRET", "s3cret");
    AdapterContext context;
    context.secrets = &secrets_;
    context.now = &FixedNow;
    absl::StatusOr<std::unique_ptr<CrmAdapter>> adapter =
        NewGenericWebhookAdapterFactory()->Create(crm, context);
    EXPECT_TRUE(adapter.ok()) << adapter.status();
    return adapter.ok() ? *std::move(adapter) : nullptr;
  }

  static WebhookDelivery Delivery(HttpHeaders headers,
                                  std::string body = kBody) {
    WebhookDelivery delivery;
    delivery.method = "POST";
    delivery.path = "/webhooks/helpdesk";
    delivery.headers = std::move(headers);
    delivery.body = std::move(body);
    return delivery;
  }

  testing::FakeSecretReader secrets_;
};

constexpr char kChatwootStyle[] = R"(
  signature:
    header: X-Signature
    secret: {env: SIGNING_SECRET}
    algorithm: sha256
    encoding: hex
    prefix: "sha256="
    signed_content: "{timestamp}.{body}"
    timestamp_header: X-Timestamp
    timestamp_format: unix_seconds
)";

TEST_F(ReceiveWebhookTest, ValidSignatureIsAccepted) {
  std::unique_ptr<CrmAdapter> adapter = Build(kChatwootStyle);
  absl::StatusOr<CanonicalEvents> events = adapter->ReceiveWebhook(
      Delivery({{"X-Signature", absl::StrCat("sha256=", kSha256Hex)},
                {"X-Timestamp", "1700000000"}}));
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->tickets.size(), 1u);
  EXPECT_EQ(events->tickets[0].event_id(), "ping-1");
  EXPECT_EQ(events->tickets[0].source(), "helpdesk");
  // Upper-case hex is the same digest.
  EXPECT_THAT(adapter->ReceiveWebhook(Delivery(
                  {{"X-Signature",
                    absl::StrCat("sha256=", absl::AsciiStrToUpper(kSha256Hex))},
                   {"X-Timestamp", "1700000000"}})),
              IsOk());
}

TEST_F(ReceiveWebhookTest, BadSignaturesAreUnauthenticated) {
  std::unique_ptr<CrmAdapter> adapter = Build(kChatwootStyle);
  std::string wrong = kSha256Hex;
  wrong[10] = wrong[10] == 'a' ? 'b' : 'a';
  EXPECT_THAT(adapter->ReceiveWebhook(
                  Delivery({{"X-Signature", absl::StrCat("sha256=", wrong)},
                            {"X-Timestamp", "1700000000"}})),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("signature in X-Signature does not match")));
  // The same signature over another body.
  EXPECT_THAT(adapter->ReceiveWebhook(Delivery(
                  {{"X-Signature", absl::StrCat("sha256=", kSha256Hex)},
                   {"X-Timestamp", "1700000000"}},
                  R"({"event":"ping","id":2})")),
              StatusIs(absl::StatusCode::kUnauthenticated));
  // A different timestamp is a different signed content.
  EXPECT_THAT(adapter->ReceiveWebhook(Delivery(
                  {{"X-Signature", absl::StrCat("sha256=", kSha256Hex)},
                   {"X-Timestamp", "1700000001"}})),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("does not match")));
  EXPECT_THAT(
      adapter->ReceiveWebhook(Delivery({{"X-Timestamp", "1700000000"}})),
      StatusIs(absl::StatusCode::kUnauthenticated,
               HasSubstr("missing signature header X-Signature")));
  EXPECT_THAT(
      adapter->ReceiveWebhook(Delivery(
          {{"X-Signature", kSha256Hex}, {"X-Timestamp", "1700000000"}})),
      StatusIs(absl::StatusCode::kUnauthenticated,
               HasSubstr("does not start with \"sha256=\"")));
  EXPECT_THAT(
      adapter->ReceiveWebhook(Delivery(
          {{"X-Signature", "sha256=xyz"}, {"X-Timestamp", "1700000000"}})),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("is not hex")));
  EXPECT_THAT(adapter->ReceiveWebhook(Delivery(
                  {{"X-Signature", absl::StrCat("sha256=", kSha256Hex)}})),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("missing timestamp header X-Timestamp")));
  EXPECT_THAT(adapter->ReceiveWebhook(Delivery(
                  {{"X-Signature", absl::StrCat("sha256=", kSha256Hex)},
                   {"X-Timestamp", "soon"}})),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("timestamp header X-Timestamp: expected "
                                 "Unix seconds")));
}

TEST_F(ReceiveWebhookTest, StaleOrFutureTimestampIsAReplay) {
  std::unique_ptr<CrmAdapter> adapter =
      Build(std::string(kChatwootStyle) + "    max_age_seconds: 60\n");
  // Correctly signed, but signed 100 s before "now".
  EXPECT_THAT(adapter->ReceiveWebhook(Delivery(
                  {{"X-Signature", absl::StrCat("sha256=", kSha256Hex)},
                   {"X-Timestamp", "1700000000"}})),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("replay protection")));
}

TEST_F(ReceiveWebhookTest, Sha1WithBase64OrHexOverTheBodyAlone) {
  std::unique_ptr<CrmAdapter> base64 = Build(R"(
  signature:
    header: X-Hub-Signature
    secret: {env: SIGNING_SECRET}
    algorithm: sha1
    encoding: base64
)");
  EXPECT_THAT(
      base64->ReceiveWebhook(Delivery({{"X-Hub-Signature", kSha1Base64}})),
      IsOk());
  EXPECT_THAT(
      base64->ReceiveWebhook(Delivery({{"X-Hub-Signature", "%%%"}})),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("is not base64")));
  // Zammad's x-hub-signature: "sha1=" + hex (GitHub's hub-signature form).
  std::unique_ptr<CrmAdapter> hex = Build(R"(
  signature:
    header: X-Hub-Signature
    secret: {env: SIGNING_SECRET}
    algorithm: sha1
    encoding: hex
    prefix: "sha1="
)");
  EXPECT_THAT(hex->ReceiveWebhook(Delivery(
                  {{"x-hub-signature", absl::StrCat("sha1=", kSha1Hex)}})),
              IsOk());
  EXPECT_EQ(absl::BytesToHexString(HmacSha1("s3cret", kBody)), kSha1Hex);
}

TEST_F(ReceiveWebhookTest, SharedToken) {
  std::unique_ptr<CrmAdapter> adapter = Build(R"(
  shared_token:
    header: Authorization
    token: {env: SIGNING_SECRET}
    prefix: "Bearer "
)");
  EXPECT_THAT(
      adapter->ReceiveWebhook(Delivery({{"Authorization", "Bearer s3cret"}})),
      IsOk());
  EXPECT_THAT(
      adapter->ReceiveWebhook(Delivery({{"Authorization", "Bearer s3creT"}})),
      StatusIs(absl::StatusCode::kUnauthenticated,
               HasSubstr("token in Authorization does not match")));
  EXPECT_THAT(adapter->ReceiveWebhook(Delivery({{"Authorization", "s3cret"}})),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("does not start with \"Bearer \"")));
  EXPECT_THAT(adapter->ReceiveWebhook(Delivery({})),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("missing token header Authorization")));
}

TEST_F(ReceiveWebhookTest, MalformedBodies) {
  std::unique_ptr<CrmAdapter> adapter =
      Build("  insecure_unauthenticated: true\n");
  EXPECT_THAT(adapter->ReceiveWebhook(Delivery({}, R"({"event": "ping", )")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("body: not valid JSON at byte")));
  EXPECT_THAT(
      adapter->ReceiveWebhook(Delivery({}, "{\"event\": \"p\xC3\x28\"}")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("body: not valid UTF-8 at byte 12")));
  // Overlong encoding of '/' and a UTF-16 surrogate are invalid too.
  EXPECT_EQ(FindInvalidUtf8("a\xC0\xAF"), 1u);
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98\x80 ok \xC3\xA9"), std::nullopt);
  // Nesting that would only exhaust the stack is refused before parsing.
  EXPECT_THAT(adapter->ReceiveWebhook(Delivery(
                  {}, absl::StrCat(R"({"a": ")", std::string(100, '['),
                                   R"(", "b": )", std::string(100000, '[')))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("body: nested deeper than 64 levels at "
                                 "byte 178")));
  // Valid JSON the mapping cannot map: the field and pointer are named.
  EXPECT_THAT(adapter->ReceiveWebhook(Delivery({}, R"({"event": "ping"})")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event mapping \"ping\": fields.event_id: "
                                 "template \"ping-{/id}\" is missing")));
  // Unknown events are acknowledged, not errors.
  absl::StatusOr<CanonicalEvents> events =
      adapter->ReceiveWebhook(Delivery({}, R"({"event": "pong"})"));
  ASSERT_THAT(events, IsOk());
  EXPECT_TRUE(events->empty());
  EXPECT_THAT(events->ignored,
              ElementsAre("no event mapping matched (/event = \"pong\")"));
}

}  // namespace
}  // namespace cse::adapters::generic_webhook
