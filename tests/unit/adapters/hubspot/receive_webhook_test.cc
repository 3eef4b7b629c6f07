// ReceiveWebhook end to end: signed deliveries in, canonical events out,
// with the CRM API played by a FakeHttpServer. Event payloads follow the
// fields of https://developers.hubspot.com/docs/api/webhooks ("Webhook
// payloads") and the generic format of
// https://developers.hubspot.com/docs/apps/legacy-apps/public-apps/create-generic-webhook-subscriptions;
// API answers follow the CRM v3 object read shape ({"id", "properties",
// "associations": {"companies": {"results": [{"id", "type"}]}}}).
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/crm_adapter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/http/fake_http_server.h"
#include "tests/testing/outcome_matchers.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/hubspot/hubspot_test_util.h"

namespace cse::adapters::hubspot {
namespace {

using ::cse::testing::FakeHttpServer;
using ::cse::testing::StatusIs;
using testing::AdapterHarness;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::SignedDelivery;
using ::testing::SizeIs;
using testing::TestConfig;
using Json = nlohmann::json;

constexpr char kTicket512[] = R"({
  "id": "512",
  "properties": {
    "subject": "Export keeps failing",
    "content": "<p>Since the update the nightly export fails.</p><p>We are struggling&nbsp;with this.</p>",
    "hs_pipeline": "0",
    "hs_pipeline_stage": "1",
    "hs_ticket_priority": "HIGH",
    "hs_ticket_category": "PRODUCT_ISSUE",
    "source_type": "EMAIL",
    "cse_tags": "vip;export",
    "hs_object_id": "512"
  },
  "createdAt": "2024-05-01T11:59:00.000Z",
  "updatedAt": "2024-05-01T11:59:30.000Z",
  "archived": false,
  "associations": {
    "companies": {"results": [{"id": "9001", "type": "ticket_to_company"}]},
    "contacts": {"results": [{"id": "51", "type": "ticket_to_contact"}]}
  }
})";

constexpr char kCompany9001[] = R"({
  "id": "9001",
  "properties": {"name": "Acme Logistics", "hs_object_id": "9001"},
  "archived": false
})";

// POST /crm/v3/objects/contacts/batch/read answers every contact asked for.
FakeHttpServer::Response ContactsBatch(const FakeHttpServer::Request& r) {
  static const Json kContacts = {{"51",
                                  {{"firstname", "Dana"},
                                   {"lastname", "Berg"},
                                   {"email", "dana@acme.example"},
                                   {"jobtitle", "IT Manager"}}},
                                 {"61",
                                  {{"firstname", "Ira"},
                                   {"lastname", "Vos"},
                                   {"email", "ira@acme.example"},
                                   {"jobtitle", "IT Director"}}},
                                 {"62",
                                  {{"firstname", "Kim"},
                                   {"lastname", "Lee"},
                                   {"email", "kim@acme.example"},
                                   {"jobtitle", "Project lead"}}},
                                 {"63",
                                  {{"firstname", "Sam"},
                                   {"lastname", "Oz"},
                                   {"email", "sam@acme.example"},
                                   {"jobtitle", ""}}}};
  Json body = Json::parse(r.body);
  Json results = Json::array();
  for (const Json& input : body["inputs"]) {
    const std::string id = input["id"];
    if (kContacts.contains(id)) {
      results.push_back({{"id", id}, {"properties", kContacts[id]}});
    }
  }
  return {200, Json{{"status", "COMPLETE"}, {"results", results}}.dump()};
}

Json Event(uint64_t event_id, const std::string& type, uint64_t object_id,
           int64_t occurred_at) {
  return {{"eventId", event_id},       {"subscriptionId", 2001},
          {"portalId", 62515},         {"appId", 54321},
          {"occurredAt", occurred_at}, {"subscriptionType", type},
          {"attemptNumber", 0},        {"objectId", object_id},
          {"changeSource", "CRM"}};
}

Json PropertyChange(uint64_t event_id, uint64_t object_id, int64_t at,
                    const std::string& property, const std::string& value) {
  Json e = Event(event_id, "ticket.propertyChange", object_id, at);
  e["propertyName"] = property;
  e["propertyValue"] = value;
  return e;
}

class ReceiveWebhookTest : public ::testing::Test {
 protected:
  // Ticket 512 as kTicket512, with `property` (a multiple checkboxes
  // property) holding `value`.
  void ServeTicketWith(const std::string& property, const std::string& value) {
    Json ticket = Json::parse(kTicket512);
    ticket["properties"][property] = value;
    crm_.Handle("GET", R"(/crm/v3/objects/tickets/512)",
                [ticket](const FakeHttpServer::Request&) {
                  return FakeHttpServer::Response{200, ticket.dump()};
                });
  }

  void SetUp() override {
    crm_.Handle("GET", R"(/crm/v3/objects/tickets/512)",
                [](const FakeHttpServer::Request&) {
                  FakeHttpServer::Response r{200, kTicket512};
                  r.headers["X-HubSpot-Correlation-Id"] = "corr-512";
                  return r;
                });
    crm_.Handle("GET", R"(/crm/v3/objects/companies/9001)",
                [](const FakeHttpServer::Request&) {
                  return FakeHttpServer::Response{200, kCompany9001};
                });
    crm_.Handle("POST", R"(/crm/v3/objects/contacts/batch/read)",
                ContactsBatch);
    ASSERT_TRUE(crm_.Start().ok());
    config_ = TestConfig(crm_.base_url());
  }

  std::unique_ptr<CrmAdapter> Adapter() { return harness_.Build(config_); }

  FakeHttpServer crm_;
  AdapterHarness harness_;
  cse::adapters::v1::CrmConfig config_;
};

TEST_F(ReceiveWebhookTest, TicketCreationBecomesATicketEventWithItsAccount) {
  auto adapter = Adapter();
  Json body = Json::array({Event(100, "ticket.creation", 512, 1714564790000)});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(events->tickets, SizeIs(1));
  const cse::v1::TicketEvent& t = events->tickets[0];
  EXPECT_EQ(t.source(), "hubspot");
  EXPECT_EQ(t.event_id(), "62515:2001:100:512");
  EXPECT_EQ(t.ticket_id(), "512");
  EXPECT_EQ(t.kind(), cse::v1::TICKET_EVENT_KIND_CREATED);
  EXPECT_EQ(t.account().id(), "9001");
  EXPECT_EQ(t.account().name(), "Acme Logistics");
  EXPECT_EQ(t.subject(), "Export keeps failing");
  EXPECT_EQ(t.body(),
            "Since the update the nightly export fails.\nWe are struggling "
            "with this.");
  EXPECT_EQ(t.channel(), "email");
  EXPECT_EQ(t.status(), "1");
  EXPECT_EQ(t.priority(), "high");
  EXPECT_EQ(t.type(), "product issue");
  EXPECT_THAT(t.tags(), ElementsAre("vip", "export"));
  EXPECT_EQ(t.custom_fields().at("hs_pipeline_stage"), "1");
  EXPECT_EQ(t.requester().name(), "Dana Berg");
  EXPECT_EQ(t.requester().role(), "IT Manager");
  EXPECT_EQ(t.requester().email(), "dana@acme.example");
  EXPECT_EQ(t.occurred_at().seconds(), 1714564790);
  EXPECT_EQ(t.sequence(), 1714564790000u);

  // The reads HubSpot's docs describe, with the private app's token.
  auto ticket_reads = crm_.RequestsTo("GET", R"(/crm/v3/objects/tickets/512)");
  ASSERT_THAT(ticket_reads, SizeIs(1));
  EXPECT_EQ(ticket_reads[0].Header("authorization"),
            "Bearer pat-na1-test-token");
  EXPECT_EQ(ticket_reads[0].params.at("associations"), "companies,contacts");
  EXPECT_THAT(ticket_reads[0].params.at("properties"),
              HasSubstr("hs_pipeline_stage"));
  EXPECT_THAT(ticket_reads[0].params.at("properties"), HasSubstr("cse_tags"));
  auto batch =
      crm_.RequestsTo("POST", R"(/crm/v3/objects/contacts/batch/read)");
  ASSERT_THAT(batch, SizeIs(1));
  Json batch_body = Json::parse(batch[0].body);
  EXPECT_EQ(batch_body["inputs"], Json::parse(R"([{"id":"51"}])"));
  EXPECT_THAT(batch_body["properties"].dump(), HasSubstr("jobtitle"));
}

TEST_F(ReceiveWebhookTest, StageNamesComeFromTheConfiguration) {
  (*config_.mutable_hubspot()->mutable_ticket_stage_statuses())["1"] = "new";
  auto adapter = Adapter();
  Json body = Json::array(
      {PropertyChange(101, 512, 1714564790000, "hs_pipeline_stage", "1")});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(events->tickets, SizeIs(1));
  EXPECT_EQ(events->tickets[0].status(), "new");
  EXPECT_EQ(events->tickets[0].kind(),
            cse::v1::TICKET_EVENT_KIND_STATUS_CHANGED);
  EXPECT_EQ(events->tickets[0].custom_fields().at("hubspot_changed_property"),
            "hs_pipeline_stage");
}

TEST_F(ReceiveWebhookTest, BatchWithDuplicateAndOutOfOrderEvents) {
  auto adapter = Adapter();
  // HubSpot: events may be duplicated and arrive in any order.
  Json body = Json::array(
      {PropertyChange(102, 512, 1714564795000, "subject", "Export fails"),
       Event(100, "ticket.creation", 512, 1714564790000),
       Event(100, "ticket.creation", 512, 1714564790000)});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(events->tickets, SizeIs(2));
  EXPECT_EQ(events->tickets[0].event_id(), "62515:2001:100:512");
  EXPECT_EQ(events->tickets[0].kind(), cse::v1::TICKET_EVENT_KIND_CREATED);
  EXPECT_EQ(events->tickets[1].event_id(), "62515:2001:102:512");
  EXPECT_EQ(events->tickets[1].kind(), cse::v1::TICKET_EVENT_KIND_UPDATED);
  EXPECT_LT(events->tickets[0].sequence(), events->tickets[1].sequence());
  ASSERT_THAT(events->ignored, SizeIs(1));
  EXPECT_THAT(events->ignored[0], HasSubstr("duplicate"));
  // One read of the ticket for the three events.
  EXPECT_THAT(crm_.RequestsTo("GET", R"(/crm/v3/objects/tickets/512)"),
              SizeIs(1));

  // A redelivery (HubSpot retries the whole batch) yields the same ids, so
  // the sidecar's exactly-once ingest drops them.
  auto again = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_THAT(again->tickets, SizeIs(2));
  EXPECT_EQ(again->tickets[0].event_id(), events->tickets[0].event_id());
  EXPECT_EQ(again->tickets[1].event_id(), events->tickets[1].event_id());
}

TEST_F(ReceiveWebhookTest, UnknownSubscriptionTypesAreIgnoredNotErrors) {
  auto adapter = Adapter();
  // HubSpot's documented example delivery (validating-requests page).
  const std::string documented =
      R"([{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}])";
  auto events = adapter->ReceiveWebhook(SignedDelivery(documented));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_TRUE(events->empty());
  ASSERT_THAT(events->ignored, SizeIs(1));
  EXPECT_THAT(events->ignored[0], HasSubstr("contact.creation"));
  // Generic events of other objects (0-3 deals) and future types too.
  Json generic = Json::array(
      {Event(7, "object.creation", 301, 1714564790000),
       Json{{"subscriptionType", "conversation.newMessage"}, {"eventId", 8}}});
  generic[0]["objectTypeId"] = "0-3";
  events = adapter->ReceiveWebhook(SignedDelivery(generic.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_TRUE(events->empty());
  EXPECT_THAT(events->ignored, SizeIs(2));
  EXPECT_TRUE(crm_.Requests().empty());
}

TEST_F(ReceiveWebhookTest, GenericTicketEventsAreFollowed) {
  auto adapter = Adapter();
  Json e = Event(300, "object.creation", 512, 1714564790000);
  e["objectTypeId"] = "0-5";
  auto events =
      adapter->ReceiveWebhook(SignedDelivery(Json::array({e}).dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(events->tickets, SizeIs(1));
  EXPECT_EQ(events->tickets[0].kind(), cse::v1::TICKET_EVENT_KIND_CREATED);
}

TEST_F(ReceiveWebhookTest, OwnWritebackPropertiesAndOtherPortalsAreIgnored) {
  config_.mutable_hubspot()->set_portal_id(62515);
  auto adapter = Adapter();
  Json other_portal = Event(11, "ticket.creation", 512, 1714564790000);
  other_portal["portalId"] = 999;
  Json body = Json::array(
      {PropertyChange(10, 512, 1714564790000, "cse_tags", "vip;export"),
       PropertyChange(12, 512, 1714564790000, "cse_phase", "trigger"),
       other_portal});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_TRUE(events->empty());
  ASSERT_THAT(events->ignored, SizeIs(3));
  EXPECT_THAT(events->ignored[0], HasSubstr("own writeback"));
  EXPECT_THAT(events->ignored[2], HasSubstr("portal 999"));
  EXPECT_TRUE(crm_.Requests().empty());
}

TEST_F(ReceiveWebhookTest, DeletedTicketsAndTicketsWithoutCompanyAreIgnored) {
  crm_.Handle("GET", R"(/crm/v3/objects/tickets/404)",
              [](const FakeHttpServer::Request&) {
                return FakeHttpServer::Response{
                    404, R"({"status":"error","message":"Object not found."})"};
              });
  crm_.Handle("GET", R"(/crm/v3/objects/tickets/600)",
              [](const FakeHttpServer::Request&) {
                return FakeHttpServer::Response{
                    200, R"({"id":"600","properties":{"subject":"x"}})"};
              });
  auto adapter = Adapter();
  Json body = Json::array({Event(1, "ticket.creation", 404, 1714564790000),
                           Event(2, "ticket.creation", 600, 1714564790001)});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_TRUE(events->empty());
  ASSERT_THAT(events->ignored, SizeIs(2));
  EXPECT_THAT(events->ignored[0], HasSubstr("not found"));
  EXPECT_THAT(events->ignored[1], HasSubstr("no associated company"));
}

TEST_F(ReceiveWebhookTest, ApiFailuresAreUnavailableSoHubSpotRetries) {
  for (int status : {429, 503, 401}) {
    crm_.Handle("GET", R"(/crm/v3/objects/tickets/512)",
                [status](const FakeHttpServer::Request&) {
                  FakeHttpServer::Response r{
                      status, R"({"status":"error","message":"nope"})"};
                  r.headers["X-HubSpot-Correlation-Id"] = "corr-fail";
                  return r;
                });
    auto adapter = Adapter();
    Json body =
        Json::array({Event(100, "ticket.creation", 512, 1714564790000)});
    EXPECT_THAT(adapter->ReceiveWebhook(SignedDelivery(body.dump())),
                StatusIs(absl::StatusCode::kUnavailable,
                         AllOf(HasSubstr(absl::StrCat("HTTP ", status)),
                               HasSubstr("corr-fail"))))
        << status;
  }
}

TEST_F(ReceiveWebhookTest, ApiTimeoutIsUnavailable) {
  crm_.Handle("GET", R"(/crm/v3/objects/tickets/512)",
              [](const FakeHttpServer::Request&) {
                FakeHttpServer::Response r{200, kTicket512};
                r.delay = absl::Milliseconds(1500);
                return r;
              });
  config_.mutable_hubspot()->set_request_timeout_ms(200);
  auto adapter = Adapter();
  Json body = Json::array({Event(100, "ticket.creation", 512, 1714564790000)});
  EXPECT_THAT(adapter->ReceiveWebhook(SignedDelivery(body.dump())),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no answer")));
}

TEST_F(ReceiveWebhookTest, SignatureProblemsAreUnauthenticated) {
  auto adapter = Adapter();
  const std::string body =
      Json::array({Event(100, "ticket.creation", 512, 1714564790000)}).dump();
  WebhookDelivery forged = SignedDelivery(body);
  forged.headers.Set("X-HubSpot-Signature-v3", "AAAA");
  EXPECT_THAT(adapter->ReceiveWebhook(forged),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(adapter->ReceiveWebhook(SignedDelivery(body, absl::Minutes(10))),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("old")));
  EXPECT_TRUE(crm_.Requests().empty());
}

TEST_F(ReceiveWebhookTest, MalformedPayloadsNameTheField) {
  auto adapter = Adapter();
  Json bad_id = Json::array({Event(100, "ticket.creation", 512, 1)});
  bad_id[0]["objectId"] = "five-twelve";
  EXPECT_THAT(
      adapter->ReceiveWebhook(SignedDelivery(bad_id.dump())),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("/0/objectId")));
  Json missing = Json::array({Event(100, "ticket.creation", 512, 1)});
  missing[0].erase("eventId");
  EXPECT_THAT(adapter->ReceiveWebhook(SignedDelivery(missing.dump())),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/0/eventId: required")));
  Json no_property = Json::array({Event(100, "ticket.propertyChange", 512, 1)});
  EXPECT_THAT(adapter->ReceiveWebhook(SignedDelivery(no_property.dump())),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/0/propertyName")));
  EXPECT_THAT(adapter->ReceiveWebhook(SignedDelivery(R"({"eventId":1})")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expected an array")));
  EXPECT_THAT(adapter->ReceiveWebhook(SignedDelivery(R"([{"eventId":)")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not valid JSON")));
  EXPECT_THAT(adapter->ReceiveWebhook(SignedDelivery(
                  "[{\"subscriptionType\":\"ticket.creation\xff\"}]")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not valid UTF-8")));
  EXPECT_TRUE(crm_.Requests().empty());
}

// Outcome tags (adapters/common/outcome_tag.h) in the multiple checkboxes
// property cse_outcome: HubSpot stores and sends the checked options'
// internal values joined by ';'
// (https://developers.hubspot.com/docs/faq/how-do-i-set-multiple-values-for-checkbox-properties).
// Property change events as HubSpot delivers them, with "sourceId":
// "userId:<id>" when a user made the change.
Json OutcomeChange(uint64_t event_id, int64_t at, const std::string& value) {
  Json e = PropertyChange(event_id, 512, at, "cse_outcome", value);
  e["changeSource"] = "CRM_UI";
  e["sourceId"] = "userId:74322246";
  return e;
}

TEST_F(ReceiveWebhookTest, OutcomePropertyChangeBecomesOutcomesOnly) {
  auto adapter = Adapter();
  Json body = Json::array({OutcomeChange(
      140, 1714564790000,
      "cse-outcome-p8-restored;cse-outcome-p2-bolstered-regular-proactive")});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  // The agent recorded outcomes; the ticket did not change for the sidecar.
  EXPECT_THAT(events->tickets, SizeIs(0));
  EXPECT_THAT(events->warnings, SizeIs(0));
  ASSERT_THAT(events->outcomes, SizeIs(2));

  EXPECT_THAT(events->outcomes[0],
              cse::testing::IsTagOutcome(
                  {.outcome_id = "hubspot:ticket/512:cse-outcome-p8-restored",
                   .account_id = "9001",
                   .practice_id = "P8",
                   .reaction = cse::v1::CUSTOMER_REACTION_RESTORED,
                   .occurred_at_seconds = 1714564790,
                   .recorded_by = "74322246"}));
  EXPECT_EQ(events->outcomes[0].occurred_at().nanos(), 0);
  EXPECT_THAT(
      events->outcomes[1],
      cse::testing::IsTagOutcome(
          {.outcome_id =
               "hubspot:ticket/512:cse-outcome-p2-bolstered-regular-proactive",
           .account_id = "9001",
           .practice_id = "P2",
           .reaction = cse::v1::CUSTOMER_REACTION_BOLSTERED,
           .organization = cse::v1::MODE_OF_ORGANIZATION_REGULAR,
           .engagement = cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE,
           .occurred_at_seconds = 1714564790,
           .recorded_by = "74322246"}));
  // The ticket is still read: its company is the outcome's account.
  EXPECT_THAT(crm_.RequestsTo("GET", R"(/crm/v3/objects/tickets/512)"),
              SizeIs(1));
}

TEST_F(ReceiveWebhookTest, OutcomeTagsReadWithTheTicketAreOneOutcomePerTag) {
  ServeTicketWith("cse_outcome", "cse-outcome-p8-restored");
  auto adapter = Adapter();
  Json body = Json::array(
      {Event(100, "ticket.creation", 512, 1714564790000),
       PropertyChange(102, 512, 1714564795000, "subject", "Export fails")});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(events->tickets, SizeIs(2));
  // Two events of the ticket, one outcome, at the first event's time; a
  // read does not say who checked the box.
  ASSERT_THAT(events->outcomes, SizeIs(1));
  const cse::v1::RecordOutcomeRequest& o = events->outcomes[0];
  EXPECT_EQ(o.outcome_id(), "hubspot:ticket/512:cse-outcome-p8-restored");
  EXPECT_EQ(o.account_id(), "9001");
  EXPECT_EQ(o.practice_id(), "P8");
  EXPECT_EQ(o.reaction(), cse::v1::CUSTOMER_REACTION_RESTORED);
  EXPECT_EQ(o.occurred_at().seconds(), 1714564790);
  EXPECT_EQ(o.recorded_by(), "");
  EXPECT_TRUE(o.follow_latest_suggestion());
  auto reads = crm_.RequestsTo("GET", R"(/crm/v3/objects/tickets/512)");
  ASSERT_THAT(reads, SizeIs(1));
  EXPECT_THAT(reads[0].params.at("properties"), HasSubstr("cse_outcome"));
}

TEST_F(ReceiveWebhookTest, AnOutcomeChangeWinsOverTheSameTagRead) {
  ServeTicketWith("cse_outcome", "cse-outcome-p8-restored");
  auto adapter = Adapter();
  // The ticket was created, then the agent checked the tag; the read (done
  // now) sees the tag for both events.
  Json body =
      Json::array({OutcomeChange(141, 1714564796000, "cse-outcome-p8-restored"),
                   Event(100, "ticket.creation", 512, 1714564790000)});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(events->tickets, SizeIs(1));
  EXPECT_EQ(events->tickets[0].kind(), cse::v1::TICKET_EVENT_KIND_CREATED);
  ASSERT_THAT(events->outcomes, SizeIs(1));
  EXPECT_EQ(events->outcomes[0].outcome_id(),
            "hubspot:ticket/512:cse-outcome-p8-restored");
  EXPECT_EQ(events->outcomes[0].occurred_at().seconds(), 1714564796);
  EXPECT_EQ(events->outcomes[0].recorded_by(), "74322246");
}

TEST_F(ReceiveWebhookTest, AMalformedOutcomeTagIsAWarningNotAnError) {
  auto adapter = Adapter();
  Json body = Json::array(
      {OutcomeChange(142, 1714564790000,
                     "cse-outcome-p8-happy;vip;cse-outcome-p3-worsened"),
       PropertyChange(102, 512, 1714564795000, "subject", "Export fails")});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(events->tickets, SizeIs(1));
  ASSERT_THAT(events->outcomes, SizeIs(1));
  EXPECT_EQ(events->outcomes[0].outcome_id(),
            "hubspot:ticket/512:cse-outcome-p3-worsened");
  EXPECT_EQ(events->outcomes[0].reaction(),
            cse::v1::CUSTOMER_REACTION_WORSENED);
  ASSERT_THAT(events->warnings, SizeIs(1));
  EXPECT_THAT(events->warnings[0],
              AllOf(HasSubstr("ticket/512"), HasSubstr("\"happy\"")));
}

TEST_F(ReceiveWebhookTest, HubSpotSpellingsOfOutcomeTags) {
  auto adapter = Adapter();
  // Internal values an admin may type for the options (underscores, upper
  // case), and blanks around the separator.
  Json body = Json::array({OutcomeChange(
      143, 1714564790000,
      "CSE_OUTCOME_P10_NO_CHANGE ; cse-outcome-p4-worsened-ad-hoc;;")});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(events->warnings, SizeIs(0));
  ASSERT_THAT(events->outcomes, SizeIs(2));
  EXPECT_EQ(events->outcomes[0].outcome_id(),
            "hubspot:ticket/512:cse-outcome-p10-no-change");
  EXPECT_EQ(events->outcomes[0].practice_id(), "P10");
  EXPECT_EQ(events->outcomes[0].reaction(),
            cse::v1::CUSTOMER_REACTION_NO_CHANGE);
  EXPECT_EQ(events->outcomes[1].outcome_id(),
            "hubspot:ticket/512:cse-outcome-p4-worsened-ad-hoc");
  EXPECT_EQ(events->outcomes[1].organization(),
            cse::v1::MODE_OF_ORGANIZATION_AD_HOC);
  EXPECT_EQ(events->outcomes[1].engagement(),
            cse::v1::MODE_OF_ENGAGEMENT_UNSPECIFIED);
}

TEST_F(ReceiveWebhookTest, NoOutcomeTagNoOutcome) {
  ServeTicketWith("cse_outcome", "");
  auto adapter = Adapter();
  Json body = Json::array({Event(100, "ticket.creation", 512, 1714564790000),
                           // The agent unchecked every option.
                           OutcomeChange(144, 1714564796000, "")});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(events->tickets, SizeIs(1));
  EXPECT_THAT(events->outcomes, SizeIs(0));
  EXPECT_THAT(events->warnings, SizeIs(0));
}

TEST_F(ReceiveWebhookTest, NoCompanyNoOutcome) {
  crm_.Handle(
      "GET", R"(/crm/v3/objects/tickets/512)",
      [](const FakeHttpServer::Request&) {
        return FakeHttpServer::Response{
            200,
            R"({"id":"512","properties":{"cse_outcome":"cse-outcome-p8-restored"}})"};
      });
  auto adapter = Adapter();
  Json body = Json::array(
      {OutcomeChange(145, 1714564790000, "cse-outcome-p8-restored")});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(events->outcomes, SizeIs(0));
  ASSERT_THAT(events->ignored, SizeIs(1));
  EXPECT_THAT(events->ignored[0], HasSubstr("no associated company"));
}

TEST_F(ReceiveWebhookTest, TheOutcomePropertyIsConfigurable) {
  config_.mutable_hubspot()->set_outcome_property("agent_outcome");
  ServeTicketWith("agent_outcome", "cse-outcome-p6-bolstered");
  auto adapter = Adapter();
  Json configured = PropertyChange(146, 512, 1714564796000, "agent_outcome",
                                   "cse-outcome-p6-bolstered");
  Json body =
      Json::array({// Now an ordinary property: a ticket event.
                   OutcomeChange(147, 1714564790000, "cse-outcome-p8-restored"),
                   configured});
  auto events = adapter->ReceiveWebhook(SignedDelivery(body.dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(events->tickets, SizeIs(1));
  EXPECT_EQ(events->tickets[0].custom_fields().at("hubspot_changed_property"),
            "cse_outcome");
  ASSERT_THAT(events->outcomes, SizeIs(1));
  EXPECT_EQ(events->outcomes[0].outcome_id(),
            "hubspot:ticket/512:cse-outcome-p6-bolstered");
  EXPECT_EQ(events->outcomes[0].occurred_at().seconds(), 1714564796);
  auto reads = crm_.RequestsTo("GET", R"(/crm/v3/objects/tickets/512)");
  ASSERT_THAT(reads, SizeIs(1));
  EXPECT_THAT(reads[0].params.at("properties"), HasSubstr("agent_outcome"));
}

// Meetings: generic subscriptions for objectTypeId 0-47.
class MeetingWebhookTest : public ReceiveWebhookTest {
 protected:
  void ServeMeeting(const std::string& outcome,
                    const std::string& outcome_tags = "") {
    Json meeting = {
        {"id", "777"},
        {"properties",
         {{"hs_meeting_title", "Kick-off with Acme"},
          {"hs_meeting_body", "<p>Agreed the rollout plan.</p>"},
          {"hs_internal_meeting_notes", "Ira did not show up."},
          {"hs_meeting_outcome", outcome},
          {"hs_meeting_start_time", "2024-05-02T09:00:00.000Z"},
          {"hs_activity_type", "Kick-off"},
          {"hubspot_owner_id", "4242"}}},
        {"associations",
         {{"companies",
           {{"results",
             {{{"id", "9001"}, {"type", "meeting_event_to_company"}}}}}},
          {"contacts",
           {{"results",
             {{{"id", "61"}, {"type", "meeting_event_to_contact"}},
              {{"id", "62"}, {"type", "meeting_event_to_contact"}},
              {{"id", "63"}, {"type", "meeting_event_to_contact"}}}}}},
          {"deals",
           {{"results",
             {{{"id", "301"}, {"type", "meeting_event_to_deal"}}}}}}}}};
    if (!outcome_tags.empty()) {
      meeting["properties"]["cse_outcome"] = outcome_tags;
    }
    crm_.Handle("GET", R"(/crm/v3/objects/meetings/777)",
                [meeting](const FakeHttpServer::Request&) {
                  return FakeHttpServer::Response{200, meeting.dump()};
                });
    // v4 association list with labels (the admin's "Did not attend" and
    // "Key person" labels).
    crm_.Handle("GET", R"(/crm/v4/objects/meetings/777/associations/contacts)",
                [](const FakeHttpServer::Request&) {
                  return FakeHttpServer::Response{200, R"({"results":[
            {"toObjectId":61,"associationTypes":[
              {"category":"HUBSPOT_DEFINED","typeId":200,"label":null},
              {"category":"USER_DEFINED","typeId":31,"label":"Did not attend"}]},
            {"toObjectId":62,"associationTypes":[
              {"category":"HUBSPOT_DEFINED","typeId":200,"label":null}]},
            {"toObjectId":63,"associationTypes":[
              {"category":"USER_DEFINED","typeId":32,"label":"Key person"}]}]})"};
                });
    crm_.Handle(
        "GET", R"(/crm/v3/objects/deals/301)",
        [](const FakeHttpServer::Request&) {
          return FakeHttpServer::Response{
              200,
              R"({"id":"301","properties":{"dealstage":"contractsent","dealname":"Acme rollout"}})"};
        });
  }

  std::string MeetingDelivery(uint64_t event_id = 500) {
    Json e = Event(event_id, "object.creation", 777, 1714564799000);
    e["objectTypeId"] = "0-47";
    return Json::array({e}).dump();
  }

  void ConfigureAttendance() {
    auto* hs = config_.mutable_hubspot();
    hs->add_key_person_roles("director");
    hs->set_absent_association_label("Did not attend");
    hs->set_key_person_association_label("Key person");
    (*hs->mutable_meeting_types())["Kick-off"] = "KICK_OFF";
  }

  const cse::v1::Attendee* Find(const cse::v1::MeetingEvent& m,
                                const std::string& id) {
    for (const auto& a : m.attendees()) {
      if (a.person().id() == id) return &a;
    }
    return nullptr;
  }
};

TEST_F(MeetingWebhookTest, AttendeesPlannedVersusAttended) {
  ServeMeeting("COMPLETED");
  ConfigureAttendance();
  auto adapter = Adapter();
  auto events = adapter->ReceiveWebhook(SignedDelivery(MeetingDelivery()));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(events->meetings, SizeIs(1));
  const cse::v1::MeetingEvent& m = events->meetings[0];
  EXPECT_EQ(m.event_id(), "62515:2001:500:777");
  EXPECT_EQ(m.meeting_id(), "777");
  EXPECT_EQ(m.account().id(), "9001");
  EXPECT_EQ(m.title(), "Kick-off with Acme");
  EXPECT_EQ(m.notes(), "Agreed the rollout plan.\n\nIra did not show up.");
  EXPECT_EQ(m.meeting_type(), cse::v1::MEETING_TYPE_KICK_OFF);
  EXPECT_EQ(m.deal_stage(), "contractsent");
  EXPECT_EQ(m.custom_fields().at("hs_meeting_outcome"), "COMPLETED");
  EXPECT_EQ(m.occurred_at().seconds(), 1714640400);  // the start time
  EXPECT_EQ(m.sequence(), 1714564799000u);
  ASSERT_THAT(m.attendees(), SizeIs(4));

  // The IT Director was invited, labelled absent, and is a key person by
  // role: the sidecar's "absent key person".
  const cse::v1::Attendee* ira = Find(m, "61");
  ASSERT_NE(ira, nullptr);
  EXPECT_EQ(ira->person().name(), "Ira Vos");
  EXPECT_EQ(ira->person().role(), "IT Director");
  EXPECT_EQ(ira->side(), cse::v1::SIDE_CUSTOMER);
  EXPECT_TRUE(ira->planned());
  EXPECT_FALSE(ira->attended());
  EXPECT_TRUE(ira->key_person());
  const cse::v1::Attendee* kim = Find(m, "62");
  ASSERT_NE(kim, nullptr);
  EXPECT_TRUE(kim->planned());
  EXPECT_TRUE(kim->attended());
  EXPECT_FALSE(kim->key_person());
  const cse::v1::Attendee* sam = Find(m, "63");
  ASSERT_NE(sam, nullptr);
  EXPECT_TRUE(sam->attended());
  EXPECT_TRUE(sam->key_person());  // by association label
  const cse::v1::Attendee* owner = Find(m, "owner:4242");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->side(), cse::v1::SIDE_PROVIDER);
  EXPECT_TRUE(owner->attended());

  auto reads = crm_.RequestsTo("GET", R"(/crm/v3/objects/meetings/777)");
  ASSERT_THAT(reads, SizeIs(1));
  EXPECT_EQ(reads[0].params.at("associations"), "companies,contacts,deals");
  EXPECT_THAT(reads[0].params.at("properties"),
              HasSubstr("hs_meeting_outcome"));
  auto labels = crm_.RequestsTo(
      "GET", R"(/crm/v4/objects/meetings/777/associations/contacts)");
  ASSERT_THAT(labels, SizeIs(1));
  EXPECT_EQ(labels[0].params.at("limit"), "500");
}

TEST_F(MeetingWebhookTest, NoShowMarksEveryoneAbsent) {
  ServeMeeting("NO_SHOW");
  ConfigureAttendance();
  auto adapter = Adapter();
  auto events = adapter->ReceiveWebhook(SignedDelivery(MeetingDelivery()));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(events->meetings, SizeIs(1));
  for (const auto& a : events->meetings[0].attendees()) {
    EXPECT_TRUE(a.planned()) << a.person().id();
    EXPECT_FALSE(a.attended()) << a.person().id();
  }
}

TEST_F(MeetingWebhookTest, AnUpcomingMeetingIsNoAbsence) {
  ServeMeeting("SCHEDULED");
  config_.mutable_hubspot()->add_key_person_roles("director");
  auto adapter = Adapter();
  auto events = adapter->ReceiveWebhook(SignedDelivery(MeetingDelivery()));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(events->meetings, SizeIs(1));
  const cse::v1::Attendee* ira = Find(events->meetings[0], "61");
  ASSERT_NE(ira, nullptr);
  EXPECT_TRUE(ira->key_person());
  EXPECT_TRUE(ira->attended());
  // No label option: the v4 label list is not read.
  EXPECT_TRUE(
      crm_.RequestsTo("GET",
                      R"(/crm/v4/objects/meetings/777/associations/contacts)")
          .empty());
  // An unmapped type is OTHER.
  EXPECT_EQ(events->meetings[0].meeting_type(), cse::v1::MEETING_TYPE_OTHER);
}

TEST_F(MeetingWebhookTest, OutcomeTagsOnAMeetingTakeTheMeetingsTime) {
  ServeMeeting("COMPLETED", "cse-outcome-p5-bolstered");
  auto adapter = Adapter();
  auto events = adapter->ReceiveWebhook(SignedDelivery(MeetingDelivery()));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(events->meetings, SizeIs(1));
  ASSERT_THAT(events->outcomes, SizeIs(1));
  const cse::v1::RecordOutcomeRequest& o = events->outcomes[0];
  EXPECT_EQ(o.outcome_id(), "hubspot:meeting/777:cse-outcome-p5-bolstered");
  EXPECT_EQ(o.account_id(), "9001");
  EXPECT_EQ(o.practice_id(), "P5");
  EXPECT_EQ(o.reaction(), cse::v1::CUSTOMER_REACTION_BOLSTERED);
  // The meeting's start time, which is also the MeetingEvent's: the
  // suggestion made for this meeting can be followed.
  EXPECT_EQ(o.occurred_at().seconds(), 1714640400);
  EXPECT_TRUE(o.follow_latest_suggestion());
  auto reads = crm_.RequestsTo("GET", R"(/crm/v3/objects/meetings/777)");
  ASSERT_THAT(reads, SizeIs(1));
  EXPECT_THAT(reads[0].params.at("properties"), HasSubstr("cse_outcome"));
}

TEST_F(MeetingWebhookTest, AMeetingOutcomeChangeIsOutcomesOnly) {
  ServeMeeting("COMPLETED");
  auto adapter = Adapter();
  Json e = Event(501, "object.propertyChange", 777, 1714650000000);
  e["objectTypeId"] = "0-47";
  e["propertyName"] = "cse_outcome";
  e["propertyValue"] = "cse-outcome-p9-no-change-regular-reactive";
  e["changeSource"] = "CRM_UI";
  e["sourceId"] = "userId:5551234";
  auto events =
      adapter->ReceiveWebhook(SignedDelivery(Json::array({e}).dump()));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(events->meetings, SizeIs(0));
  ASSERT_THAT(events->outcomes, SizeIs(1));
  const cse::v1::RecordOutcomeRequest& o = events->outcomes[0];
  EXPECT_EQ(o.outcome_id(),
            "hubspot:meeting/777:cse-outcome-p9-no-change-regular-reactive");
  EXPECT_EQ(o.account_id(), "9001");
  EXPECT_EQ(o.practice_id(), "P9");
  EXPECT_EQ(o.reaction(), cse::v1::CUSTOMER_REACTION_NO_CHANGE);
  EXPECT_EQ(o.organization(), cse::v1::MODE_OF_ORGANIZATION_REGULAR);
  EXPECT_EQ(o.engagement(), cse::v1::MODE_OF_ENGAGEMENT_REACTIVE);
  EXPECT_EQ(o.occurred_at().seconds(), 1714640400);
  EXPECT_EQ(o.recorded_by(), "5551234");
}

}  // namespace
}  // namespace cse::adapters::hubspot
