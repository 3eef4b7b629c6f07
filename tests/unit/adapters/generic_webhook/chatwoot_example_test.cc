// The README's Chatwoot example, run: the YAML in
// adapters/generic_webhook/README.md must equal chatwoot.yaml, which must
// validate, map Chatwoot's documented webhook payloads and write back
// through Chatwoot's documented API paths (against a fake Chatwoot).
//
// Payload fixtures are the samples of Chatwoot's webhook documentation,
// verbatim:
// https://github.com/chatwoot/docs/blob/main/docs/product/others/webhook-events.md
// (message_created, conversation_status_changed, webwidget_triggered).
#include "absl/strings/match.h"
#include "adapters/common/curl_http_client.h"
#include "adapters/common/signatures.h"
#include "adapters/generic_webhook/factory.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/http/fake_http_server.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/generic_webhook/test_util.h"

namespace cse::adapters::generic_webhook {
namespace {

using ::cse::adapters::v1::AdapterConfig;
using ::cse::adapters::v1::CrmConfig;
using ::cse::testing::FakeHttpServer;
using ::cse::testing::IsOk;
using ::cse::testing::StatusIs;
using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using testing::ReadFile;
using testing::TestDataPath;
using ::testing::UnorderedElementsAre;

constexpr int64_t kNow = 1700000000;
absl::Time FixedNow() { return absl::FromUnixSeconds(kNow); }

constexpr char kWebhookSecret[] = "chatwoot-webhook-secret";
constexpr char kApiToken[] = "chatwoot-api-token";

// The YAML between the README's chatwoot.yaml markers.
std::string ReadmeExample() {
  const std::string readme = ReadFile(
      absl::StrCat(CSE_REPO_ROOT, "/adapters/generic_webhook/README.md"));
  const std::string begin = "<!-- BEGIN chatwoot.yaml -->\n```yaml\n";
  const std::string end = "```\n<!-- END chatwoot.yaml -->";
  const size_t from = readme.find(begin);
  const size_t to = readme.find(end);
  if (from == std::string::npos || to == std::string::npos || to < from) {
    return "(README markers not found)";
  }
  return readme.substr(from + begin.size(), to - from - begin.size());
}

class ChatwootExampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AdapterConfig config;
    config::ProtoYamlParse parsed =
        config::ParseYamlIntoMessage(ReadFile(TestDataPath("chatwoot.yaml")),
                                     "chatwoot.yaml", 1 << 20, &config);
    ASSERT_THAT(parsed.errors, IsEmpty())
        << config::FormatConfigErrors(parsed.errors);
    ASSERT_EQ(config.crms_size(), 1);
    crm_config_ = config.crms(0);

    chatwoot_.Handle("GET", R"(/api/v1/accounts/1/conversations/(\d+)/labels)",
                     [this](const FakeHttpServer::Request&) {
                       return testing::Answer(200, labels_);
                     });
    chatwoot_.Handle("POST", R"(/api/v1/accounts/1/conversations/(\d+)/labels)",
                     [](const FakeHttpServer::Request& r) {
                       return testing::Answer(200, r.body);
                     });
    chatwoot_.Handle("GET",
                     R"(/api/v1/accounts/1/conversations/(\d+)/messages)",
                     [this](const FakeHttpServer::Request&) {
                       return testing::Answer(200, messages_);
                     });
    chatwoot_.Handle("POST",
                     R"(/api/v1/accounts/1/conversations/(\d+)/messages)",
                     [](const FakeHttpServer::Request&) {
                       return testing::Answer(200, R"({"id": 900})");
                     });
    chatwoot_.Handle(
        "POST", R"(/api/v1/accounts/1/conversations/(\d+)/custom_attributes)",
        [](const FakeHttpServer::Request& r) {
          return testing::Answer(200, r.body);
        });
    ASSERT_TRUE(chatwoot_.Start().ok());
  }

  std::unique_ptr<CrmAdapter> Build() {
    CrmConfig crm = crm_config_;
    // The example's host, redirected to the fake Chatwoot.
    crm.mutable_generic_webhook()->mutable_writeback()->set_base_url(
        chatwoot_.base_url());
    secrets_.Set("CHATWOOT_WEBHOOK_SECRET", kWebhookSecret);
    secrets_.Set("CHATWOOT_API_TOKEN", kApiToken);
    AdapterContext context;
    context.http = &http_;
    context.secrets = &secrets_;
    context.now = &FixedNow;
    absl::StatusOr<std::unique_ptr<CrmAdapter>> adapter =
        NewGenericWebhookAdapterFactory()->Create(crm, context);
    EXPECT_TRUE(adapter.ok()) << adapter.status();
    return adapter.ok() ? *std::move(adapter) : nullptr;
  }

  // A delivery as Chatwoot sends it: X-Chatwoot-Timestamp and
  // X-Chatwoot-Signature: sha256=hex(HMAC-SHA256("{timestamp}.{body}")).
  static WebhookDelivery Signed(std::string body) {
    WebhookDelivery delivery;
    delivery.method = "POST";
    delivery.path = "/webhooks/chatwoot";
    const std::string timestamp = absl::StrCat(kNow);
    delivery.headers.Set("Content-Type", "application/json");
    delivery.headers.Set("X-Chatwoot-Timestamp", timestamp);
    delivery.headers.Set(
        "X-Chatwoot-Signature",
        absl::StrCat("sha256=",
                     HexEncode(HmacSha256(
                         kWebhookSecret, absl::StrCat(timestamp, ".", body)))));
    delivery.body = std::move(body);
    return delivery;
  }

  CrmConfig crm_config_;
  FakeHttpServer chatwoot_;
  CurlHttpClient http_;
  testing::FakeSecretReader secrets_;
  std::string labels_ = R"({"payload": ["billing"]})";
  std::string messages_ = R"({"meta": {}, "payload": []})";
};

TEST_F(ChatwootExampleTest, ReadmeShowsExactlyTheTestedConfig) {
  EXPECT_EQ(ReadmeExample(), ReadFile(TestDataPath("chatwoot.yaml")));
}

TEST_F(ChatwootExampleTest, ExampleValidates) {
  EXPECT_THAT(testing::ErrorStrings(NewGenericWebhookAdapterFactory()->Validate(
                  crm_config_, "crms[0].generic_webhook")),
              IsEmpty());
  EXPECT_EQ(crm_config_.name(), "chatwoot");
}

TEST_F(ChatwootExampleTest, MessageCreatedBecomesACommentEvent) {
  std::unique_ptr<CrmAdapter> adapter = Build();
  absl::StatusOr<CanonicalEvents> events = adapter->ReceiveWebhook(
      Signed(ReadFile(TestDataPath("chatwoot_message_created.json"))));
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->tickets.size(), 1u);
  const cse::v1::TicketEvent& e = events->tickets[0];
  EXPECT_EQ(e.source(), "chatwoot");
  EXPECT_EQ(e.event_id(), "message_created:118");
  EXPECT_EQ(e.ticket_id(), "10");
  // No cse_account_id custom attribute on the contact: the contact is its
  // own account.
  EXPECT_EQ(e.account().id(), "contact-14");
  EXPECT_EQ(e.kind(), cse::v1::TICKET_EVENT_KIND_COMMENTED);
  EXPECT_EQ(e.body(), "hi");
  EXPECT_EQ(e.channel(), "Channel::WebWidget");
  EXPECT_EQ(e.status(), "open");
  EXPECT_EQ(e.priority(), "");
  EXPECT_THAT(e.tags(), IsEmpty());
  EXPECT_EQ(e.requester().id(), "14");
  EXPECT_EQ(e.requester().name(), "little-haze-776");
  EXPECT_THAT(e.custom_fields(),
              UnorderedElementsAre(Pair("message_type", "incoming"),
                                   Pair("sender_type", "contact")));
  EXPECT_EQ(TimeUtil::ToString(e.occurred_at()), "2021-07-23T18:02:48Z");

  // Chatwoot retrying the same message gives the same event id, which the
  // sidecar's exactly-once ingest drops.
  absl::StatusOr<CanonicalEvents> again = adapter->ReceiveWebhook(
      Signed(ReadFile(TestDataPath("chatwoot_message_created.json"))));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->tickets[0].event_id(), e.event_id());
}

TEST_F(ChatwootExampleTest, AccountComesFromTheContactAttributeWhenSet) {
  std::unique_ptr<CrmAdapter> adapter = Build();
  nlohmann::json body = nlohmann::json::parse(
      ReadFile(TestDataPath("chatwoot_message_created.json")));
  body["conversation"]["meta"]["sender"]["custom_attributes"] = {
      {"cse_account_id", "acme"}, {"cse_account_name", "Acme Inc"}};
  body["conversation"]["labels"] = {"billing", "vip"};
  absl::StatusOr<CanonicalEvents> events =
      adapter->ReceiveWebhook(Signed(body.dump()));
  ASSERT_THAT(events, IsOk());
  EXPECT_EQ(events->tickets[0].account().id(), "acme");
  EXPECT_EQ(events->tickets[0].account().name(), "Acme Inc");
  EXPECT_THAT(events->tickets[0].tags(), ElementsAre("billing", "vip"));
}

TEST_F(ChatwootExampleTest, StatusChangeBecomesAStatusEvent) {
  std::unique_ptr<CrmAdapter> adapter = Build();
  absl::StatusOr<CanonicalEvents> events = adapter->ReceiveWebhook(Signed(
      ReadFile(TestDataPath("chatwoot_conversation_status_changed.json"))));
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->tickets.size(), 1u);
  const cse::v1::TicketEvent& e = events->tickets[0];
  EXPECT_EQ(e.event_id(), "conversation_status_changed:10:open:1627063369");
  EXPECT_EQ(e.ticket_id(), "10");
  EXPECT_EQ(e.account().id(), "contact-12");
  EXPECT_EQ(e.kind(), cse::v1::TICKET_EVENT_KIND_STATUS_CHANGED);
  EXPECT_EQ(e.status(), "open");
  EXPECT_EQ(e.body(), "Get notified by email");
  EXPECT_EQ(e.requester().email(), "jane@acme.inc");
  EXPECT_EQ(e.requester().name(), "jane");
  EXPECT_EQ(TimeUtil::ToString(e.occurred_at()), "2021-07-23T18:02:49Z");
}

// Agents record outcomes with conversation labels. Chatwoot's
// conversation payloads carry the conversation's labels (`labels:
// label_list` in Conversations::EventDataPresenter#push_data), and a label
// change sends conversation_updated: the conversation payload plus
// `changed_attributes`, a list of {attribute: {previous_value,
// current_value}} (WebhookListener#conversation_updated,
// BaseListener#extract_changed_attributes; label_list is among the
// attributes Conversation#notify_conversation_updation reports).
TEST_F(ChatwootExampleTest, AnOutcomeLabelBecomesAnOutcome) {
  std::unique_ptr<CrmAdapter> adapter = Build();
  nlohmann::json body = nlohmann::json::parse(
      ReadFile(TestDataPath("chatwoot_conversation_status_changed.json")));
  body["event"] = "conversation_updated";
  body["labels"] = {"billing", "cse-outcome-p8-restored"};
  body["changed_attributes"] = nlohmann::json::array(
      {{{"label_list",
         {{"previous_value", {"billing"}},
          {"current_value", {"billing", "cse-outcome-p8-restored"}}}}}});
  absl::StatusOr<CanonicalEvents> events =
      adapter->ReceiveWebhook(Signed(body.dump()));
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->tickets.size(), 1u);
  EXPECT_EQ(events->tickets[0].kind(), cse::v1::TICKET_EVENT_KIND_UPDATED);
  EXPECT_EQ(events->tickets[0].event_id(),
            "conversation_updated:10:open:1627063369");
  EXPECT_THAT(events->warnings, IsEmpty());
  ASSERT_EQ(events->outcomes.size(), 1u);
  const cse::v1::RecordOutcomeRequest& o = events->outcomes[0];
  EXPECT_EQ(o.outcome_id(), "chatwoot:ticket/10:cse-outcome-p8-restored");
  EXPECT_EQ(o.account_id(), "contact-12");
  EXPECT_EQ(o.practice_id(), "P8");
  EXPECT_EQ(o.reaction(), cse::v1::CUSTOMER_REACTION_RESTORED);
  EXPECT_TRUE(o.follow_latest_suggestion());
  // The conversation's last activity, as the event's occurred_at.
  EXPECT_EQ(TimeUtil::ToString(o.occurred_at()), "2021-07-23T18:02:49Z");
  // Chatwoot's webhook does not say who changed the labels.
  EXPECT_EQ(o.recorded_by(), "");

  // The label stays: the customer's next message re-sends it, as the same
  // outcome.
  nlohmann::json message = nlohmann::json::parse(
      ReadFile(TestDataPath("chatwoot_message_created.json")));
  message["conversation"]["meta"]["sender"]["custom_attributes"] = {
      {"cse_account_id", "acme"}};
  message["conversation"]["labels"] = {"cse-outcome-p8-restored",
                                       "cse-outcome-p2-great"};
  events = adapter->ReceiveWebhook(Signed(message.dump()));
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->tickets.size(), 1u);
  ASSERT_EQ(events->outcomes.size(), 1u);
  EXPECT_EQ(events->outcomes[0].outcome_id(),
            "chatwoot:ticket/10:cse-outcome-p8-restored");
  EXPECT_EQ(events->outcomes[0].account_id(), "acme");
  EXPECT_EQ(TimeUtil::ToString(events->outcomes[0].occurred_at()),
            "2021-07-23T18:02:48Z");
  // A label that is not an outcome tag an agent can fix.
  EXPECT_THAT(events->warnings, ElementsAre(HasSubstr("reaction \"great\"")));
}

TEST_F(ChatwootExampleTest, DocumentedSamplesCarryNoOutcome) {
  std::unique_ptr<CrmAdapter> adapter = Build();
  for (const char* sample : {"chatwoot_message_created.json",
                             "chatwoot_conversation_status_changed.json"}) {
    absl::StatusOr<CanonicalEvents> events =
        adapter->ReceiveWebhook(Signed(ReadFile(TestDataPath(sample))));
    ASSERT_THAT(events, IsOk()) << sample;
    EXPECT_EQ(events->tickets.size(), 1u) << sample;
    EXPECT_THAT(events->outcomes, IsEmpty()) << sample;
    EXPECT_THAT(events->warnings, IsEmpty()) << sample;
  }
}

TEST_F(ChatwootExampleTest, PrivateNotesAndOtherEventsAreIgnored) {
  std::unique_ptr<CrmAdapter> adapter = Build();
  nlohmann::json note = nlohmann::json::parse(
      ReadFile(TestDataPath("chatwoot_message_created.json")));
  note["private"] = true;
  absl::StatusOr<CanonicalEvents> events =
      adapter->ReceiveWebhook(Signed(note.dump()));
  ASSERT_THAT(events, IsOk());
  EXPECT_TRUE(events->empty());
  EXPECT_THAT(events->ignored,
              ElementsAre("ignored by event mapping \"private_note\""));

  events = adapter->ReceiveWebhook(
      Signed(ReadFile(TestDataPath("chatwoot_webwidget_triggered.json"))));
  ASSERT_THAT(events, IsOk());
  EXPECT_TRUE(events->empty());
  EXPECT_THAT(events->ignored,
              ElementsAre(HasSubstr("no event mapping matched (/event = "
                                    "\"webwidget_triggered\"")));
}

TEST_F(ChatwootExampleTest, UnsignedOrStaleDeliveriesAreRefused) {
  std::unique_ptr<CrmAdapter> adapter = Build();
  WebhookDelivery delivery =
      Signed(ReadFile(TestDataPath("chatwoot_message_created.json")));
  delivery.body += " ";
  EXPECT_THAT(adapter->ReceiveWebhook(delivery),
              StatusIs(absl::StatusCode::kUnauthenticated));
  delivery = Signed(ReadFile(TestDataPath("chatwoot_message_created.json")));
  // Re-signed with a timestamp 10 minutes old: a replay.
  const std::string old = absl::StrCat(kNow - 600);
  delivery.headers.Set("X-Chatwoot-Timestamp", old);
  delivery.headers.Set(
      "X-Chatwoot-Signature",
      absl::StrCat("sha256=", HexEncode(HmacSha256(
                                  kWebhookSecret,
                                  absl::StrCat(old, ".", delivery.body)))));
  EXPECT_THAT(
      adapter->ReceiveWebhook(delivery),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("replay")));
}

TEST_F(ChatwootExampleTest, WritesLabelsNoteAndPhaseThroughChatwootsApi) {
  std::unique_ptr<CrmAdapter> adapter = Build();
  cse::v1::WritebackJob job;
  job.set_job_id(1);
  job.set_target_system("chatwoot");
  job.set_event_id("message_created:118");
  job.set_account_id("contact-14");
  job.set_object_kind(cse::v1::CRM_OBJECT_KIND_TICKET);
  job.set_object_id("10");

  cse::v1::WritebackJob tags = job;
  tags.mutable_tags()->add_tags("cse-phase-trigger");
  WritebackOutcome outcome = adapter->PerformWriteback(tags);
  EXPECT_EQ(outcome.result, cse::v1::WRITEBACK_RESULT_DONE)
      << outcome.crm_answer;
  std::vector<FakeHttpServer::Request> label_posts = chatwoot_.RequestsTo(
      "POST", "/api/v1/accounts/1/conversations/10/labels");
  ASSERT_EQ(label_posts.size(), 1u);
  EXPECT_EQ(
      nlohmann::json::parse(label_posts[0].body),
      nlohmann::json::parse(R"({"labels": ["billing", "cse-phase-trigger"]})"));
  EXPECT_EQ(label_posts[0].Header("api_access_token"), kApiToken);

  cse::v1::WritebackJob note = job;
  note.mutable_note()->set_markdown("**Suggested:** analyse the problem");
  note.mutable_note()->set_marker("cse:chatwoot:message_created:118");
  outcome = adapter->PerformWriteback(note);
  EXPECT_EQ(outcome.result, cse::v1::WRITEBACK_RESULT_DONE)
      << outcome.crm_answer;
  std::vector<FakeHttpServer::Request> note_posts = chatwoot_.RequestsTo(
      "POST", "/api/v1/accounts/1/conversations/10/messages");
  ASSERT_EQ(note_posts.size(), 1u);
  const nlohmann::json posted = nlohmann::json::parse(note_posts[0].body);
  EXPECT_EQ(posted["content"],
            "**Suggested:** analyse the problem\n\n"
            "`cse:chatwoot:message_created:118`");
  EXPECT_EQ(posted["message_type"], "outgoing");
  EXPECT_EQ(posted["private"], true);

  // The note is now in the conversation: a repeated job does not post it.
  messages_ = absl::StrCat(R"({"payload": [{"content": )",
                           posted["content"].dump(), "}]}");
  outcome = adapter->PerformWriteback(note);
  EXPECT_EQ(outcome.result, cse::v1::WRITEBACK_RESULT_DONE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("already present"));
  EXPECT_EQ(
      chatwoot_
          .RequestsTo("POST", "/api/v1/accounts/1/conversations/10/messages")
          .size(),
      1u);

  cse::v1::WritebackJob phase = job;
  phase.mutable_phase_field()->set_phase_id("trigger_problem_analysis");
  phase.mutable_phase_field()->set_phase_name("Trigger & problem analysis");
  outcome = adapter->PerformWriteback(phase);
  EXPECT_EQ(outcome.result, cse::v1::WRITEBACK_RESULT_DONE)
      << outcome.crm_answer;
  std::vector<FakeHttpServer::Request> attribute_posts = chatwoot_.RequestsTo(
      "POST", "/api/v1/accounts/1/conversations/10/custom_attributes");
  ASSERT_EQ(attribute_posts.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(attribute_posts[0].body),
            nlohmann::json::parse(R"({"custom_attributes":
                {"cse_journey_phase": "Trigger & problem analysis"},
                "merge": true})"));
}

}  // namespace
}  // namespace cse::adapters::generic_webhook
