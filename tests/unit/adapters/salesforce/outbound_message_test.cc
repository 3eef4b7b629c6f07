// The SOAP outbound message parser and the acknowledgement.
#include "adapters/salesforce/outbound_message.h"

#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "adapters/salesforce/xml_document.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/salesforce/test_fixtures.h"

namespace cse::adapters::salesforce {
namespace {

using ::cse::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace ::cse::adapters::salesforce::testing;  // NOLINT

TEST(OutboundMessageTest, ParsesTheDocumentedEnvelopeShape) {
  absl::StatusOr<OutboundMessage> message =
      ParseOutboundMessage(Envelope(kOrg18, {CaseNotification()}));
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ(message->organization_id, kOrg18);
  EXPECT_EQ(message->action_id, "04k5g000000AbCdAAK");
  ASSERT_EQ(message->notifications.size(), 1u);
  const Notification& n = message->notifications[0];
  EXPECT_EQ(n.id, kNotificationId);
  EXPECT_EQ(n.sobject_type, "Case");
  ASSERT_NE(n.Find("Status"), nullptr);
  EXPECT_EQ(n.Find("Status")->value, "Escalated");
  // Entities are decoded in values.
  EXPECT_THAT(n.Find("Description")->value, HasSubstr("update & our"));
  EXPECT_EQ(n.Find("Id")->value, kCaseId);
  EXPECT_EQ(n.Find("Missing"), nullptr);
  EXPECT_EQ(n.path,
            "/soapenv:Envelope/soapenv:Body/notifications/Notification");
}

TEST(OutboundMessageTest, ParsesABatchOfNotificationsInOrder) {
  absl::StatusOr<OutboundMessage> message = ParseOutboundMessage(
      Envelope(kOrg18, {CaseNotification(kNotificationId, kCaseId),
                        EventNotification(kNotificationId2, kEventId),
                        CaseNotification(kNotificationId3, kCaseId2)}));
  ASSERT_TRUE(message.ok()) << message.status();
  ASSERT_EQ(message->notifications.size(), 3u);
  EXPECT_EQ(message->notifications[0].id, kNotificationId);
  EXPECT_EQ(message->notifications[1].sobject_type, "Event");
  EXPECT_EQ(message->notifications[2].Find("Id")->value, kCaseId2);
  EXPECT_THAT(message->notifications[1].path,
              HasSubstr("/notifications/Notification[2]"));
}

TEST(OutboundMessageTest, TypeIsResolvedThroughItsNamespacePrefix) {
  // Same type, other prefix: still a Case.
  std::string xml = Envelope(kOrg18, {CaseNotification()});
  absl::StrReplaceAll(
      {{"xsi:type=\"sf:Case\" xmlns:sf=", "xsi:type=\"o:Case\" xmlns:o="},
       {"<sf:", "<o:"},
       {"</sf:", "</o:"}},
      &xml);
  absl::StatusOr<OutboundMessage> message = ParseOutboundMessage(xml);
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ(message->notifications[0].sobject_type, "Case");
  EXPECT_NE(message->notifications[0].Find("AccountId"), nullptr);
}

TEST(OutboundMessageTest, NilFieldsAreMarked) {
  absl::StatusOr<OutboundMessage> message = ParseOutboundMessage(Envelope(
      kOrg18,
      {NotificationXml(kNotificationId, "Case",
                       {Field("Id", kCaseId), NilField("AccountId")})}));
  ASSERT_TRUE(message.ok()) << message.status();
  const SObjectField* account = message->notifications[0].Find("AccountId");
  ASSERT_NE(account, nullptr);
  EXPECT_TRUE(account->nil);
}

TEST(OutboundMessageTest, MalformedXmlNamesTheElementPath) {
  std::string xml = Envelope(kOrg18, {CaseNotification()});
  // Break the Subject's end tag.
  absl::StrReplaceAll({{"</sf:Subject>", "</sf:Subjec>"}}, &xml);
  EXPECT_THAT(
      ParseOutboundMessage(xml),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("malformed XML at line"),
                     HasSubstr("/soapenv:Envelope/soapenv:Body/notifications/"
                               "Notification/sObject/sf:Subject"),
                     HasSubstr("mismatch"))));
}

TEST(OutboundMessageTest, MalformedXmlInABatchNamesTheNotification) {
  std::string second = CaseNotification(kNotificationId2, kCaseId2);
  absl::StrReplaceAll({{"</sf:Priority>", "</sf:Priorty>"}}, &second);
  const std::string xml =
      Envelope(kOrg18, {CaseNotification(kNotificationId, kCaseId), second,
                        CaseNotification(kNotificationId3, kCaseId)});
  EXPECT_THAT(ParseOutboundMessage(xml),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/soapenv:Envelope/soapenv:Body/notifications/"
                                 "Notification[2]/sObject/sf:Priority:")));
}

TEST(OutboundMessageTest, TruncatedBodyIsMalformed) {
  std::string xml = Envelope(kOrg18, {CaseNotification()});
  xml.resize(xml.size() / 2);
  EXPECT_THAT(
      ParseOutboundMessage(xml),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed XML")));
  EXPECT_THAT(
      ParseOutboundMessage(""),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed XML")));
}

TEST(OutboundMessageTest, ExternalEntityIsRefused) {
  // The classic XXE: an external entity reading a local file.
  const std::string envelope = Envelope(
      kOrg18,
      {NotificationXml(kNotificationId, "Case",
                       {Field("Id", kCaseId), Field("Subject", "&xxe;")})});
  const std::string xxe =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n" +
      envelope.substr(envelope.find("<soapenv:Envelope"));
  absl::StatusOr<OutboundMessage> message = ParseOutboundMessage(xxe);
  EXPECT_THAT(message, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("document type declaration")));
}

TEST(OutboundMessageTest, EntityExpansionBombIsRefused) {
  const std::string bomb =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
      "<soapenv:Envelope "
      "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
      "<soapenv:Body>&lol3;</soapenv:Body></soapenv:Envelope>";
  EXPECT_THAT(
      ParseOutboundMessage(bomb),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("<!DOCTYPE")));
}

TEST(OutboundMessageTest, UndeclaredEntityIsMalformedNotExpanded) {
  std::string xml = Envelope(kOrg18, {CaseNotification()});
  absl::StrReplaceAll({{"Export broken after update", "&secret;"}}, &xml);
  EXPECT_THAT(
      ParseOutboundMessage(xml),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("malformed XML"), HasSubstr("sf:Subject"))));
}

TEST(OutboundMessageTest, InvalidUtf8IsAClearError) {
  std::string xml = Envelope(kOrg18, {CaseNotification()});
  absl::StrReplaceAll({{"Export broken", "Export \xC3\x28 broken"}}, &xml);
  EXPECT_THAT(
      ParseOutboundMessage(xml),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("invalid UTF-8"), HasSubstr("sf:Subject"))));
}

TEST(OutboundMessageTest, OtherSoapMessagesAreNotOutboundMessages) {
  EXPECT_THAT(ParseOutboundMessage("<a><b/></a>"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/a: expected a SOAP 1.1 Envelope")));
  EXPECT_THAT(
      ParseOutboundMessage(
          "<soapenv:Envelope "
          "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
          "<soapenv:Body><other xmlns=\"urn:x\"/></soapenv:Body>"
          "</soapenv:Envelope>"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("/soapenv:Envelope/soapenv:Body/notifications: "
                         "missing")));
}

TEST(OutboundMessageTest, MissingPartsNameTheirPath) {
  std::string no_id = Envelope(kOrg18, {CaseNotification()});
  absl::StrReplaceAll({{"<Id>04l5g00000AaBbCAAV</Id>", ""}}, &no_id);
  EXPECT_THAT(ParseOutboundMessage(no_id),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/notifications/Notification/Id: missing")));

  std::string no_org = Envelope(kOrg18, {CaseNotification()});
  absl::StrReplaceAll(
      {{"<OrganizationId>00D5g000004XyZaEAK</OrganizationId>", ""}}, &no_org);
  EXPECT_THAT(ParseOutboundMessage(no_org),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("notifications/OrganizationId: missing")));

  EXPECT_THAT(ParseOutboundMessage(Envelope(kOrg18, {})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("notifications/Notification: missing")));
}

TEST(OutboundMessageTest, MoreThanAHundredNotificationsAreRefused) {
  std::vector<std::string> many(101, CaseNotification());
  EXPECT_THAT(
      ParseOutboundMessage(Envelope(kOrg18, many)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most 100")));
}

TEST(OutboundMessageTest, DeepNestingIsRefused) {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<x>";
  for (int i = 0; i < 40; ++i) deep += "</x>";
  EXPECT_THAT(ParseXmlDocument(deep),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("nested deeper than 32")));
}

TEST(OutboundMessageTest, AckBodyIsANotificationsResponseWithAckTrue) {
  absl::StatusOr<std::unique_ptr<XmlElement>> ack =
      ParseXmlDocument(NotificationsAckBody());
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ((*ack)->namespace_uri, kSoapEnvelopeNamespace);
  EXPECT_EQ((*ack)->local_name, "Envelope");
  const XmlElement* body = (*ack)->Child(kSoapEnvelopeNamespace, "Body");
  ASSERT_NE(body, nullptr);
  const XmlElement* response =
      body->Child(kOutboundNamespace, "notificationsResponse");
  ASSERT_NE(response, nullptr);
  const XmlElement* flag = response->Child(kOutboundNamespace, "Ack");
  ASSERT_NE(flag, nullptr);
  EXPECT_EQ(flag->text, "true");
}

}  // namespace
}  // namespace cse::adapters::salesforce
