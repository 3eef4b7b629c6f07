// SalesforceAdapter::ReceiveWebhook and AckFor: TLS and organization
// checks, Case and Event mapping, invitees from a fake REST API.
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "adapters/common/curl_http_client.h"
#include "adapters/salesforce/salesforce_adapter.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/http/fake_http_server.h"
#include "tests/testing/outcome_matchers.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/salesforce/test_fixtures.h"

namespace cse::adapters::salesforce {
namespace {

using ::cse::testing::FakeHttpServer;
using ::cse::testing::IsOk;
using ::cse::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;
using namespace ::cse::adapters::salesforce::testing;  // NOLINT

constexpr char kQueryPath[] = "/services/data/v59.0/query";

nlohmann::json Invitee(const std::string& event_id,
                       const std::string& relation_id,
                       const std::string& status, const std::string& name,
                       const std::string& title, const std::string& type,
                       bool is_invitee = true) {
  return {{"attributes", {{"type", "EventRelation"}}},
          {"EventId", event_id},
          {"RelationId", relation_id},
          {"Status", status},
          {"IsInvitee", is_invitee},
          {"Relation",
           {{"attributes", {{"type", "Name"}}},
            {"Name", name},
            {"Title", title},
            {"Email", type == "User" ? nlohmann::json("anna@provider.example")
                                     : nlohmann::json(nullptr)},
            {"Type", type}}}};
}

FakeHttpServer::Response QueryAnswer(const nlohmann::json& records) {
  FakeHttpServer::Response response;
  response.body = nlohmann::json{
      {"totalSize", records.size()},
      {"done", true},
      {"records",
       records}}.dump();
  response.headers["Sforce-Limit-Info"] = "api-usage=18/5000";
  return response;
}

class SalesforceReceiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crm_.Handle("GET", kQueryPath, [](const FakeHttpServer::Request& r) {
      return QueryAnswer(nlohmann::json::array(
          {Invitee(kEventId, kUserId, "Accepted", "Anna de Vries",
                   "Account Manager", "User"),
           Invitee(kEventId, kCfoId, "Declined", "Bram Jansen", "CFO",
                   "Contact"),
           Invitee(kEventId, kLeadId, "New", "Chris Smit", "IT manager",
                   "Lead"),
           Invitee(kEventId, kRoomId, "Accepted", "Room 4.12", "", "Calendar"),
           Invitee(kEventId, kContactId, "New", "Related Contact", "",
                   "Contact", /*is_invitee=*/false)}));
    });
    ASSERT_THAT(crm_.Start(), IsOk());
  }

  SalesforceAdapter MakeAdapter(SalesforceAdapterOptions options) {
    return SalesforceAdapter(std::move(options), &http_, &FixedNow);
  }
  SalesforceAdapter MakeAdapter() {
    return MakeAdapter(TestOptions(crm_.base_url()));
  }

  FakeHttpServer crm_;
  CurlHttpClient http_;
};

TEST_F(SalesforceReceiveTest, CaseBecomesATicketEvent) {
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events =
      adapter.ReceiveWebhook(Delivery(Envelope(kOrg18, {CaseNotification()})));
  ASSERT_THAT(events, IsOk());
  ASSERT_THAT(events->tickets, SizeIs(1));
  EXPECT_THAT(events->meetings, IsEmpty());
  EXPECT_THAT(events->ignored, IsEmpty());
  const cse::v1::TicketEvent& t = events->tickets[0];
  EXPECT_EQ(t.source(), "salesforce");
  EXPECT_EQ(t.event_id(), kNotificationId);
  EXPECT_EQ(t.ticket_id(), kCaseId);
  EXPECT_EQ(t.account().id(), kAccountId);
  EXPECT_EQ(t.kind(), cse::v1::TICKET_EVENT_KIND_UPDATED);
  EXPECT_EQ(t.subject(), "Export broken after update");
  EXPECT_THAT(t.body(), HasSubstr("month-end close is blocked"));
  EXPECT_EQ(t.status(), "Escalated");
  EXPECT_EQ(t.priority(), "High");
  EXPECT_EQ(t.type(), "Problem");
  EXPECT_EQ(t.channel(), "email");
  EXPECT_EQ(t.requester().id(), kContactId);
  EXPECT_EQ(t.occurred_at().seconds(), 1709633730);  // LastModifiedDate
  EXPECT_EQ(t.custom_fields().at("IsEscalated"), "true");
  EXPECT_EQ(t.custom_fields().at("CaseNumber"), "00001027");
  EXPECT_FALSE(t.custom_fields().contains("Description"));
  // No REST call for cases.
  EXPECT_THAT(crm_.Requests(), IsEmpty());
}

TEST_F(SalesforceReceiveTest, NewCaseIsCreated) {
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18,
               {NotificationXml(
                   kNotificationId, "Case",
                   {Field("Id", kCaseId), Field("AccountId", kAccountId),
                    Field("CreatedDate", "2024-03-05T09:00:00.000Z"),
                    Field("LastModifiedDate", "2024-03-05T09:00:00.000Z")})})));
  ASSERT_THAT(events, IsOk());
  ASSERT_THAT(events->tickets, SizeIs(1));
  EXPECT_EQ(events->tickets[0].kind(), cse::v1::TICKET_EVENT_KIND_CREATED);
}

TEST_F(SalesforceReceiveTest, BatchYieldsOneEventPerNotification) {
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18, {CaseNotification(kNotificationId, kCaseId),
                        EventNotification(kNotificationId2, kEventId),
                        CaseNotification(kNotificationId3, kCaseId2)})));
  ASSERT_THAT(events, IsOk());
  ASSERT_THAT(events->tickets, SizeIs(2));
  ASSERT_THAT(events->meetings, SizeIs(1));
  EXPECT_EQ(events->tickets[0].event_id(), kNotificationId);
  EXPECT_EQ(events->tickets[1].event_id(), kNotificationId3);
  EXPECT_EQ(events->tickets[1].ticket_id(), kCaseId2);
  EXPECT_EQ(events->meetings[0].event_id(), kNotificationId2);
  // One query for all the meetings of the message.
  EXPECT_THAT(crm_.RequestsTo("GET", kQueryPath), SizeIs(1));
}

TEST_F(SalesforceReceiveTest, RedeliveryYieldsTheSameEventIds) {
  SalesforceAdapter adapter = MakeAdapter();
  const std::string body = Envelope(kOrg18, {CaseNotification()});
  absl::StatusOr<CanonicalEvents> first =
      adapter.ReceiveWebhook(Delivery(body));
  WebhookDelivery again = Delivery(body);
  again.received_at = FixedNow() + absl::Hours(2);
  absl::StatusOr<CanonicalEvents> second = adapter.ReceiveWebhook(again);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  // (source, event_id) is the sidecar's idempotency key: the second copy
  // is dropped as a duplicate.
  EXPECT_EQ(first->tickets[0].event_id(), second->tickets[0].event_id());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      first->tickets[0], second->tickets[0]));
}

TEST_F(SalesforceReceiveTest, PlainHttpIsRefused) {
  SalesforceAdapter adapter = MakeAdapter();
  EXPECT_THAT(adapter.ReceiveWebhook(Delivery(
                  Envelope(kOrg18, {CaseNotification()}), /*over_tls=*/false)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("must arrive over HTTPS")));

  SalesforceAdapterOptions insecure = TestOptions(crm_.base_url());
  insecure.allow_insecure_http = true;
  SalesforceAdapter test_adapter = MakeAdapter(std::move(insecure));
  EXPECT_THAT(test_adapter.ReceiveWebhook(Delivery(
                  Envelope(kOrg18, {CaseNotification()}), /*over_tls=*/false)),
              IsOk());
}

TEST_F(SalesforceReceiveTest, OtherOrganizationIsUnauthenticated) {
  SalesforceAdapter adapter = MakeAdapter();
  EXPECT_THAT(adapter.ReceiveWebhook(Delivery(
                  Envelope("00D5g000004XyZAEA0", {CaseNotification()}))),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       AllOf(HasSubstr("00D5g000004XyZAEA0"),
                             HasSubstr("allowed_organization_ids"))));
  EXPECT_THAT(adapter.ReceiveWebhook(
                  Delivery(Envelope("not-an-id", {CaseNotification()}))),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(SalesforceReceiveTest, FifteenCharacterIdsMatchTheirEighteenForm) {
  SalesforceAdapter adapter = MakeAdapter();  // allows kOrg18
  // A message carrying the 15-character form.
  EXPECT_THAT(
      adapter.ReceiveWebhook(Delivery(Envelope(kOrg15, {CaseNotification()}))),
      IsOk());
  // The same id with its case lost (an upper-cased 18-character copy).
  EXPECT_THAT(adapter.ReceiveWebhook(Delivery(
                  Envelope("00D5G000004XYZAEAK", {CaseNotification()}))),
              IsOk());
  // A 15-character id differing only in case is another organization.
  EXPECT_THAT(adapter.ReceiveWebhook(
                  Delivery(Envelope("00D5g000004XyZA", {CaseNotification()}))),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(SalesforceReceiveTest, OrganizationIsCheckedBeforeTheRecords) {
  SalesforceAdapter adapter = MakeAdapter();
  // A Case without AccountId would be INVALID_ARGUMENT, but a stranger
  // learns nothing about the mapping.
  EXPECT_THAT(
      adapter.ReceiveWebhook(Delivery(Envelope(
          "00D5g000004XyZAEA0",
          {NotificationXml(kNotificationId, "Case", {Field("Id", kCaseId)})}))),
      StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(SalesforceReceiveTest, UnknownSObjectTypeIsIgnored) {
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18, {NotificationXml(kNotificationId, "Opportunity",
                                        {Field("Id", "0065g00000Opp01AAB"),
                                         Field("StageName", "Closed Won")}),
                        CaseNotification(kNotificationId2, kCaseId)})));
  ASSERT_THAT(events, IsOk());
  EXPECT_THAT(events->tickets, SizeIs(1));
  EXPECT_THAT(events->ignored,
              ElementsAre(AllOf(HasSubstr(kNotificationId),
                                HasSubstr("\"Opportunity\" is not followed"))));
}

TEST_F(SalesforceReceiveTest, CaseWithoutAccountIsIgnored) {
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events =
      adapter.ReceiveWebhook(Delivery(Envelope(
          kOrg18,
          {NotificationXml(kNotificationId, "Case",
                           {Field("Id", kCaseId), NilField("AccountId")})})));
  ASSERT_THAT(events, IsOk());
  EXPECT_THAT(events->tickets, IsEmpty());
  EXPECT_THAT(events->ignored, ElementsAre(HasSubstr("has no AccountId")));
}

TEST_F(SalesforceReceiveTest, MissingFieldsNameTheirPath) {
  SalesforceAdapter adapter = MakeAdapter();
  EXPECT_THAT(
      adapter.ReceiveWebhook(Delivery(Envelope(
          kOrg18,
          {NotificationXml(kNotificationId, "Case", {Field("Id", kCaseId)})}))),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("Notification/sObject/AccountId: missing"),
                     HasSubstr("add the Case field AccountId"))));
  EXPECT_THAT(
      adapter.ReceiveWebhook(Delivery(Envelope(
          kOrg18, {NotificationXml(kNotificationId, "Case",
                                   {Field("Id", "5005g-bad"),
                                    Field("AccountId", kAccountId)})}))),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("sObject/Id: \"5005g-bad\" is not a Salesforce id")));
  EXPECT_THAT(
      adapter.ReceiveWebhook(Delivery(Envelope(
          kOrg18, {NotificationXml(
                      kNotificationId, "Case",
                      {Field("Id", kCaseId), Field("AccountId", kAccountId),
                       Field("LastModifiedDate", "yesterday")})}))),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("sObject/LastModifiedDate: \"yesterday\" is not a "
                         "dateTime")));
}

TEST_F(SalesforceReceiveTest, MalformedXmlIsInvalidArgumentWithPath) {
  SalesforceAdapter adapter = MakeAdapter();
  std::string xml = Envelope(kOrg18, {CaseNotification()});
  absl::StrReplaceAll({{"</sf:Status>", "</sf:Statu>"}}, &xml);
  EXPECT_THAT(adapter.ReceiveWebhook(Delivery(xml)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("Notification/sObject/sf:Status")));
}

TEST_F(SalesforceReceiveTest, EventBecomesAMeetingWithItsInvitees) {
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events =
      adapter.ReceiveWebhook(Delivery(Envelope(kOrg18, {EventNotification()})));
  ASSERT_THAT(events, IsOk());
  ASSERT_THAT(events->meetings, SizeIs(1));
  const cse::v1::MeetingEvent& m = events->meetings[0];
  EXPECT_EQ(m.source(), "salesforce");
  EXPECT_EQ(m.event_id(), kNotificationId2);
  EXPECT_EQ(m.meeting_id(), kEventId);
  EXPECT_EQ(m.account().id(), kAccountId);
  EXPECT_EQ(m.title(), "Kick-off rollout phase 2");
  EXPECT_EQ(m.notes(), "Agenda: scope, planning, contacts.");
  EXPECT_EQ(m.meeting_type(), cse::v1::MEETING_TYPE_KICK_OFF);
  EXPECT_EQ(m.occurred_at().seconds(), 1709816400);  // StartDateTime
  EXPECT_EQ(m.custom_fields().at("WhatId"), "0065g00000Opp01AAB");

  // The room and the related (not invited) contact are left out.
  ASSERT_THAT(m.attendees(), SizeIs(3));
  const cse::v1::Attendee& manager = m.attendees(0);
  EXPECT_EQ(manager.person().id(), kUserId);
  EXPECT_EQ(manager.person().name(), "Anna de Vries");
  EXPECT_EQ(manager.person().email(), "anna@provider.example");
  EXPECT_EQ(manager.person().role(), "Account Manager");
  EXPECT_EQ(manager.side(), cse::v1::SIDE_PROVIDER);
  EXPECT_TRUE(manager.planned());
  EXPECT_TRUE(manager.attended());
  EXPECT_FALSE(manager.key_person());
  // Declined: absent; a CFO: a key person -> "absent key person".
  const cse::v1::Attendee& cfo = m.attendees(1);
  EXPECT_EQ(cfo.person().id(), kCfoId);
  EXPECT_EQ(cfo.side(), cse::v1::SIDE_CUSTOMER);
  EXPECT_TRUE(cfo.planned());
  EXPECT_FALSE(cfo.attended());
  EXPECT_TRUE(cfo.key_person());
  // No answer yet: assumed present.
  const cse::v1::Attendee& lead = m.attendees(2);
  EXPECT_EQ(lead.side(), cse::v1::SIDE_CUSTOMER);
  EXPECT_TRUE(lead.attended());

  // The query the fake received.
  std::vector<FakeHttpServer::Request> queries =
      crm_.RequestsTo("GET", kQueryPath);
  ASSERT_THAT(queries, SizeIs(1));
  EXPECT_EQ(queries[0].Header("authorization"), "Bearer 00D5g!test-token");
  EXPECT_EQ(queries[0].params.at("q"),
            "SELECT EventId, RelationId, Status, IsInvitee, Relation.Name, "
            "Relation.Title, Relation.Email, Relation.Type FROM EventRelation "
            "WHERE EventId IN ('00U5g00000EvT01EAF')");
}

TEST_F(SalesforceReceiveTest, InviteesOfSeveralPagesAreAllRead) {
  crm_.Handle("GET", kQueryPath, [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response = QueryAnswer(nlohmann::json::array(
        {Invitee(kEventId, kUserId, "Accepted", "Anna de Vries",
                 "Account Manager", "User")}));
    nlohmann::json body = nlohmann::json::parse(response.body);
    body["done"] = false;
    body["nextRecordsUrl"] =
        "/services/data/v59.0/query/01gD0000002HU6KIAW-2000";
    response.body = body.dump();
    return response;
  });
  crm_.Handle(
      "GET", std::string(kQueryPath) + "/01gD0000002HU6KIAW-2000",
      [](const FakeHttpServer::Request&) {
        return QueryAnswer(nlohmann::json::array({Invitee(
            kEventId2, kCfoId, "Accepted", "Bram Jansen", "CFO", "Contact")}));
      });
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18, {EventNotification(kNotificationId, kEventId),
                        EventNotification(kNotificationId2, kEventId2)})));
  ASSERT_THAT(events, IsOk());
  ASSERT_THAT(events->meetings, SizeIs(2));
  ASSERT_THAT(events->meetings[0].attendees(), SizeIs(1));
  EXPECT_EQ(events->meetings[0].attendees(0).person().id(), kUserId);
  ASSERT_THAT(events->meetings[1].attendees(), SizeIs(1));
  EXPECT_EQ(events->meetings[1].attendees(0).person().id(), kCfoId);
  EXPECT_TRUE(events->meetings[1].attendees(0).key_person());
  std::vector<FakeHttpServer::Request> first =
      crm_.RequestsTo("GET", kQueryPath);
  ASSERT_THAT(first, SizeIs(1));
  EXPECT_THAT(first[0].params.at("q"),
              HasSubstr("WHERE EventId IN ('00U5g00000EvT01EAF', "
                        "'00U5g00000EvT02EAF')"));
}

TEST_F(SalesforceReceiveTest, AttendedFieldDecidesAttendance) {
  SalesforceAdapterOptions options = TestOptions(crm_.base_url());
  options.attended_ids_field = "Attended_By__c";
  SalesforceAdapter adapter = MakeAdapter(std::move(options));
  // The manager by her 15-character id, and a walk-in who was not invited.
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18,
               {EventNotification(
                   kNotificationId2, kEventId,
                   {Field("Attended_By__c",
                          "0055g00000UsR01; 0035g00000Wlk01AAB, Bram?")})})));
  ASSERT_THAT(events, IsOk());
  const cse::v1::MeetingEvent& m = events->meetings[0];
  ASSERT_THAT(m.attendees(), SizeIs(4));
  EXPECT_TRUE(m.attendees(0).attended());   // manager, listed
  EXPECT_FALSE(m.attendees(1).attended());  // CFO, declined and not listed
  EXPECT_FALSE(m.attendees(2).attended());  // lead, not listed
  const cse::v1::Attendee& walk_in = m.attendees(3);
  EXPECT_EQ(walk_in.person().id(), kWalkInId);
  EXPECT_FALSE(walk_in.planned());
  EXPECT_TRUE(walk_in.attended());

  // An empty field: attendance not recorded yet, the answers decide.
  absl::StatusOr<CanonicalEvents> unrecorded = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18, {EventNotification(kNotificationId2, kEventId,
                                          {NilField("Attended_By__c")})})));
  ASSERT_THAT(unrecorded, IsOk());
  ASSERT_THAT(unrecorded->meetings[0].attendees(), SizeIs(3));
  EXPECT_TRUE(unrecorded->meetings[0].attendees(2).attended());
}

TEST_F(SalesforceReceiveTest, DealStageFieldFeedsTheStageRules) {
  SalesforceAdapterOptions options = TestOptions(crm_.base_url());
  options.deal_stage_field = "Opportunity_Stage__c";
  options.meeting_types.clear();
  SalesforceAdapter adapter = MakeAdapter(std::move(options));
  absl::StatusOr<CanonicalEvents> events =
      adapter.ReceiveWebhook(Delivery(Envelope(
          kOrg18, {EventNotification(
                      kNotificationId2, kEventId,
                      {Field("Opportunity_Stage__c", "Needs Analysis")})})));
  ASSERT_THAT(events, IsOk());
  const cse::v1::MeetingEvent& m = events->meetings[0];
  EXPECT_EQ(m.deal_stage(), "Needs Analysis");
  EXPECT_EQ(m.custom_fields().at("StageName"), "Needs Analysis");
  // A Type not in meeting_types.
  EXPECT_EQ(m.meeting_type(), cse::v1::MEETING_TYPE_OTHER);
}

TEST_F(SalesforceReceiveTest, InviteeQueryFailureIsUnavailable) {
  crm_.Handle("GET", kQueryPath, [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response;
    response.status = 503;
    response.body =
        R"([{"message":"down for maintenance","errorCode":"SERVER_UNAVAILABLE"}])";
    return response;
  });
  SalesforceAdapter adapter = MakeAdapter();
  EXPECT_THAT(adapter.ReceiveWebhook(Delivery(
                  Envelope(kOrg18, {CaseNotification(), EventNotification()}))),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr("Salesforce will redeliver"),
                             HasSubstr("HTTP 503"))));

  crm_.Handle("GET", kQueryPath, [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response;
    response.status = 401;
    response.body =
        R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])";
    return response;
  });
  EXPECT_THAT(
      adapter.ReceiveWebhook(Delivery(Envelope(kOrg18, {EventNotification()}))),
      StatusIs(absl::StatusCode::kUnavailable,
               HasSubstr("INVALID_SESSION_ID")));
}

TEST_F(SalesforceReceiveTest, InviteeQueryTimeoutIsUnavailable) {
  crm_.Handle("GET", kQueryPath, [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response;
    response.delay = absl::Milliseconds(1500);
    return response;
  });
  SalesforceAdapterOptions options = TestOptions(crm_.base_url());
  options.request_timeout = absl::Milliseconds(200);
  SalesforceAdapter adapter = MakeAdapter(std::move(options));
  EXPECT_THAT(
      adapter.ReceiveWebhook(Delivery(Envelope(kOrg18, {EventNotification()}))),
      StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no answer")));
}

TEST_F(SalesforceReceiveTest, ChildEventIsIgnored) {
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18, {EventNotification(kNotificationId2, kEventId2,
                                          {Field("IsChild", "true")})})));
  ASSERT_THAT(events, IsOk());
  EXPECT_THAT(events->meetings, IsEmpty());
  EXPECT_THAT(events->ignored, ElementsAre(HasSubstr("IsChild")));
  EXPECT_THAT(crm_.Requests(), IsEmpty());
}

// Outcome tags (adapters/common/outcome_tag.h) in the multi-select
// picklist CSE_Outcome__c. Salesforce gives the selected values as one
// string "delimited by semicolons", e.g. "first value; second value"
// (Object Reference, Field Types, Multi-Select Picklist Field Type).
std::string CaseWithOutcome(const std::string& notification_id,
                            const std::vector<std::string>& extra) {
  std::vector<std::string> fields = {
      Field("Id", kCaseId),
      Field("AccountId", kAccountId),
      Field("CreatedDate", "2024-03-05T09:00:00.000Z"),
      Field("LastModifiedDate", "2024-03-05T10:15:30.000Z"),
      Field("LastModifiedById", kUserId),
      Field("Status", "Working")};
  fields.insert(fields.end(), extra.begin(), extra.end());
  return NotificationXml(notification_id, "Case", fields);
}

TEST_F(SalesforceReceiveTest, CaseOutcomeTagsBecomeOutcomes) {
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18,
               {CaseWithOutcome(kNotificationId,
                                {Field("CSE_Outcome__c",
                                       "cse-outcome-p8-restored;cse-outcome-p2-"
                                       "bolstered-regular-proactive")})})));
  ASSERT_THAT(events, IsOk());
  // The case is still a ticket event; the tags are not one of its fields.
  ASSERT_THAT(events->tickets, SizeIs(1));
  EXPECT_FALSE(events->tickets[0].custom_fields().contains("CSE_Outcome__c"));
  EXPECT_EQ(events->tickets[0].custom_fields().at("Status"), "Working");
  EXPECT_THAT(events->warnings, IsEmpty());
  ASSERT_THAT(events->outcomes, SizeIs(2));

  // At LastModifiedDate, the ticket event's time.
  EXPECT_THAT(
      events->outcomes[0],
      cse::testing::IsTagOutcome(
          {.outcome_id =
               "salesforce:case/5005g00000AbCdEAAV:cse-outcome-p8-restored",
           .account_id = "0015g00000XyZ12AAF",
           .practice_id = "P8",
           .reaction = cse::v1::CUSTOMER_REACTION_RESTORED,
           .occurred_at_seconds = 1709633730,
           .recorded_by = "0055g00000UsR01AAF"}));
  EXPECT_THAT(events->outcomes[1],
              cse::testing::IsTagOutcome(
                  {.outcome_id = "salesforce:case/5005g00000AbCdEAAV:"
                                 "cse-outcome-p2-bolstered-regular-proactive",
                   .account_id = "0015g00000XyZ12AAF",
                   .practice_id = "P2",
                   .reaction = cse::v1::CUSTOMER_REACTION_BOLSTERED,
                   .organization = cse::v1::MODE_OF_ORGANIZATION_REGULAR,
                   .engagement = cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE,
                   .occurred_at_seconds = 1709633730,
                   .recorded_by = "0055g00000UsR01AAF"}));
}

TEST_F(SalesforceReceiveTest, SalesforceSpellingsOfOutcomeTags) {
  SalesforceAdapter adapter = MakeAdapter();
  // "; " between values as in Salesforce's own example, and a value whose
  // API name an admin wrote with underscores and capitals.
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18,
               {CaseWithOutcome(kNotificationId,
                                {Field("CSE_Outcome__c",
                                       "cse-outcome-p10-no-change; "
                                       "CSE_Outcome_P3_Worsened_Ad_Hoc")})})));
  ASSERT_THAT(events, IsOk());
  EXPECT_THAT(events->warnings, IsEmpty());
  ASSERT_THAT(events->outcomes, SizeIs(2));
  EXPECT_EQ(events->outcomes[0].outcome_id(),
            "salesforce:case/5005g00000AbCdEAAV:cse-outcome-p10-no-change");
  EXPECT_EQ(events->outcomes[0].practice_id(), "P10");
  EXPECT_EQ(events->outcomes[0].reaction(),
            cse::v1::CUSTOMER_REACTION_NO_CHANGE);
  EXPECT_EQ(
      events->outcomes[1].outcome_id(),
      "salesforce:case/5005g00000AbCdEAAV:cse-outcome-p3-worsened-ad-hoc");
  EXPECT_EQ(events->outcomes[1].practice_id(), "P3");
  EXPECT_EQ(events->outcomes[1].reaction(),
            cse::v1::CUSTOMER_REACTION_WORSENED);
  EXPECT_EQ(events->outcomes[1].organization(),
            cse::v1::MODE_OF_ORGANIZATION_AD_HOC);
}

TEST_F(SalesforceReceiveTest, AMalformedOutcomeTagIsAWarningNotAnError) {
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18, {CaseWithOutcome(kNotificationId,
                                        {Field("CSE_Outcome__c",
                                               "cse-outcome-p8-happy;Billing;"
                                               "cse-outcome-p4-restored")})})));
  ASSERT_THAT(events, IsOk());
  EXPECT_THAT(events->tickets, SizeIs(1));
  ASSERT_THAT(events->outcomes, SizeIs(1));
  EXPECT_EQ(events->outcomes[0].outcome_id(),
            "salesforce:case/5005g00000AbCdEAAV:cse-outcome-p4-restored");
  ASSERT_THAT(events->warnings, SizeIs(1));
  EXPECT_THAT(events->warnings[0], AllOf(HasSubstr("case/5005g00000AbCdEAAV"),
                                         HasSubstr("\"happy\"")));
}

TEST_F(SalesforceReceiveTest, NoOutcomeTagNoOutcome) {
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18,
               {// Field sent, nothing selected.
                CaseWithOutcome(kNotificationId, {NilField("CSE_Outcome__c")}),
                // Field not sent at all.
                CaseNotification(kNotificationId2, kCaseId2)})));
  ASSERT_THAT(events, IsOk());
  EXPECT_THAT(events->tickets, SizeIs(2));
  EXPECT_THAT(events->outcomes, IsEmpty());
  EXPECT_THAT(events->warnings, IsEmpty());
}

TEST_F(SalesforceReceiveTest, OneOutcomePerTagAndCaseInAMessage) {
  SalesforceAdapter adapter = MakeAdapter();
  // Two saves of the case, queued into one message: both notifications
  // carry the case as it is when sent.
  const std::string tags =
      Field("CSE_Outcome__c", "cse-outcome-p8-restored;cse-outcome-p8-oops");
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(
      Delivery(Envelope(kOrg18, {CaseWithOutcome(kNotificationId, {tags}),
                                 CaseWithOutcome(kNotificationId2, {tags})})));
  ASSERT_THAT(events, IsOk());
  EXPECT_THAT(events->tickets, SizeIs(2));
  ASSERT_THAT(events->outcomes, SizeIs(1));
  EXPECT_EQ(events->outcomes[0].outcome_id(),
            "salesforce:case/5005g00000AbCdEAAV:cse-outcome-p8-restored");
  EXPECT_THAT(events->warnings, SizeIs(1));
}

TEST_F(SalesforceReceiveTest, CaseWithoutAccountRecordsNoOutcome) {
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events =
      adapter.ReceiveWebhook(Delivery(Envelope(
          kOrg18, {NotificationXml(
                      kNotificationId, "Case",
                      {Field("Id", kCaseId), NilField("AccountId"),
                       Field("CSE_Outcome__c", "cse-outcome-p8-restored")})})));
  ASSERT_THAT(events, IsOk());
  EXPECT_THAT(events->outcomes, IsEmpty());
  EXPECT_THAT(events->ignored, SizeIs(1));
}

TEST_F(SalesforceReceiveTest, EventOutcomeTagsTakeTheMeetingsTime) {
  SalesforceAdapter adapter = MakeAdapter();
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18, {EventNotification(
                           kNotificationId2, kEventId,
                           {Field("CSE_Outcome__c", "cse-outcome-p5-bolstered"),
                            Field("LastModifiedById", kUserId)})})));
  ASSERT_THAT(events, IsOk());
  ASSERT_THAT(events->meetings, SizeIs(1));
  EXPECT_FALSE(events->meetings[0].custom_fields().contains("CSE_Outcome__c"));
  ASSERT_THAT(events->outcomes, SizeIs(1));
  const cse::v1::RecordOutcomeRequest& o = events->outcomes[0];
  EXPECT_EQ(o.outcome_id(),
            "salesforce:event/00U5g00000EvT01EAF:cse-outcome-p5-bolstered");
  EXPECT_EQ(o.account_id(), "0015g00000XyZ12AAF");
  EXPECT_EQ(o.practice_id(), "P5");
  EXPECT_EQ(o.reaction(), cse::v1::CUSTOMER_REACTION_BOLSTERED);
  // StartDateTime 2024-03-07T13:00:00Z, the MeetingEvent's time.
  EXPECT_EQ(o.occurred_at().seconds(), 1709816400);
  EXPECT_EQ(o.recorded_by(), "0055g00000UsR01AAF");
  EXPECT_TRUE(o.follow_latest_suggestion());
}

TEST_F(SalesforceReceiveTest, TheOutcomeFieldIsConfigurable) {
  SalesforceAdapterOptions options = TestOptions(crm_.base_url());
  options.case_outcome_field = "Agent_Outcome__c";
  SalesforceAdapter adapter = MakeAdapter(std::move(options));
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(Delivery(
      Envelope(kOrg18,
               {CaseWithOutcome(
                   kNotificationId,
                   {Field("CSE_Outcome__c", "cse-outcome-p8-restored"),
                    Field("Agent_Outcome__c", "cse-outcome-p6-worsened")})})));
  ASSERT_THAT(events, IsOk());
  ASSERT_THAT(events->tickets, SizeIs(1));
  // The other field is now an ordinary custom field.
  EXPECT_EQ(events->tickets[0].custom_fields().at("CSE_Outcome__c"),
            "cse-outcome-p8-restored");
  ASSERT_THAT(events->outcomes, SizeIs(1));
  EXPECT_EQ(events->outcomes[0].outcome_id(),
            "salesforce:case/5005g00000AbCdEAAV:cse-outcome-p6-worsened");
}

TEST_F(SalesforceReceiveTest, AckIsTheSoapNotificationsResponse) {
  SalesforceAdapter adapter = MakeAdapter();
  WebhookDelivery delivery = Delivery(Envelope(kOrg18, {CaseNotification()}));
  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(delivery);
  ASSERT_THAT(events, IsOk());
  WebhookAck ack = adapter.AckFor(delivery, *events);
  EXPECT_EQ(ack.status, 200);
  EXPECT_EQ(ack.content_type, "text/xml; charset=utf-8");
  EXPECT_THAT(ack.body,
              AllOf(HasSubstr("<notificationsResponse "
                              "xmlns=\"http://soap.sforce.com/2005/09/"
                              "outbound\">"),
                    HasSubstr("<Ack>true</Ack>")));
  EXPECT_THAT(adapter.accepted_content_types(), ElementsAre("text/xml"));
  EXPECT_EQ(adapter.name(), "salesforce");
}

}  // namespace
}  // namespace cse::adapters::salesforce
