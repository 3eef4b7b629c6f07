// Shared fixtures for the Salesforce adapter tests: outbound messages
// built in the shape of the outbound message WSDL
// (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_wsdl.htm:
// soapenv:Envelope > Body > notifications{OrganizationId, ActionId,
// SessionId, EnterpriseUrl, PartnerUrl, Notification{Id, sObject}}), with
// made-up ids whose 18-character suffixes are correct.
#ifndef CSE_TESTS_UNIT_ADAPTERS_SALESFORCE_TEST_FIXTURES_H_
#define CSE_TESTS_UNIT_ADAPTERS_SALESFORCE_TEST_FIXTURES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "adapters/crm_adapter.h"
#include "adapters/salesforce/salesforce_options.h"

namespace cse::adapters::salesforce::testing {

inline constexpr char kOrg15[] = "00D5g000004XyZa";
inline constexpr char kOrg18[] = "00D5g000004XyZaEAK";
inline constexpr char kCaseId[] = "5005g00000AbCdEAAV";
inline constexpr char kCaseId2[] = "5005g00000AbCdFAAV";
inline constexpr char kAccountId[] = "0015g00000XyZ12AAF";
inline constexpr char kContactId[] = "0035g00000Abc12AAB";
inline constexpr char kNotificationId[] = "04l5g00000AaBbCAAV";
inline constexpr char kNotificationId2[] = "04l5g00000AaBbDAAV";
inline constexpr char kNotificationId3[] = "04l5g00000AaBbEAAV";
inline constexpr char kEventId[] = "00U5g00000EvT01EAF";
inline constexpr char kEventId2[] = "00U5g00000EvT02EAF";
inline constexpr char kUserId[] = "0055g00000UsR01AAF";
inline constexpr char kCfoId[] = "0035g00000Cfo01AAB";
inline constexpr char kLeadId[] = "00Q5g00000Led01EAB";
inline constexpr char kRoomId[] = "0235g00000Roo01AAB";
inline constexpr char kWalkInId[] = "0035g00000Wlk01AAB";

// <sf:Name>value</sf:Name>
inline std::string Field(const std::string& name, const std::string& value) {
  return absl::StrCat("<sf:", name, ">", value, "</sf:", name, ">");
}
// <sf:Name xsi:nil="true"/>
inline std::string NilField(const std::string& name) {
  return absl::StrCat("<sf:", name, " xsi:nil=\"true\"/>");
}

inline std::string NotificationXml(const std::string& notification_id,
                                   const std::string& sobject_type,
                                   const std::vector<std::string>& fields) {
  return absl::StrCat(
      "   <Notification>\n"
      "    <Id>",
      notification_id,
      "</Id>\n"
      "    <sObject xsi:type=\"sf:",
      sobject_type,
      "\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">\n     ",
      absl::StrJoin(fields, "\n     "),
      "\n    </sObject>\n"
      "   </Notification>\n");
}

inline std::string Envelope(const std::string& organization_id,
                            const std::vector<std::string>& notifications) {
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<soapenv:Envelope "
      "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
      "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
      " <soapenv:Body>\n"
      "  <notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\">\n"
      "   <OrganizationId>",
      organization_id,
      "</OrganizationId>\n"
      "   <ActionId>04k5g000000AbCdAAK</ActionId>\n"
      "   <SessionId xsi:nil=\"true\"/>\n"
      "   <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/59.0/"
      "00D5g000004XyZa</EnterpriseUrl>\n"
      "   <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/59.0/"
      "00D5g000004XyZa</PartnerUrl>\n",
      absl::StrJoin(notifications, ""),
      "  </notifications>\n"
      " </soapenv:Body>\n"
      "</soapenv:Envelope>\n");
}

// A Case as an outbound message with the fields the README asks for.
inline std::string CaseNotification(
    const std::string& notification_id = kNotificationId,
    const std::string& case_id = kCaseId) {
  return NotificationXml(
      notification_id, "Case",
      {Field("Id", case_id), Field("AccountId", kAccountId),
       Field("CaseNumber", "00001027"), Field("ContactId", kContactId),
       Field("CreatedDate", "2024-03-05T09:00:00.000Z"),
       Field("Description",
             "The export to SAP fails since the update &amp; "
             "our month-end close is blocked."),
       Field("IsEscalated", "true"),
       Field("LastModifiedDate", "2024-03-05T10:15:30.000Z"),
       Field("Origin", "Email"), Field("Priority", "High"),
       Field("Status", "Escalated"),
       Field("Subject", "Export broken after update"),
       Field("Type", "Problem")});
}

inline std::string EventNotification(
    const std::string& notification_id = kNotificationId2,
    const std::string& event_id = kEventId,
    const std::vector<std::string>& extra = {}) {
  std::vector<std::string> fields = {
      Field("Id", event_id),
      Field("AccountId", kAccountId),
      Field("Subject", "Kick-off rollout phase 2"),
      Field("Description", "Agenda: scope, planning, contacts."),
      Field("StartDateTime", "2024-03-07T13:00:00.000Z"),
      Field("EndDateTime", "2024-03-07T14:00:00.000Z"),
      Field("Type", "Kick-off"),
      Field("WhatId", "0065g00000Opp01AAB"),
      Field("LastModifiedDate", "2024-03-07T15:00:00.000Z")};
  fields.insert(fields.end(), extra.begin(), extra.end());
  return NotificationXml(notification_id, "Event", fields);
}

inline absl::Time FixedNow() {
  return absl::FromUnixSeconds(1709633730);  // 2024-03-05T10:15:30Z
}

inline SalesforceAdapterOptions TestOptions(const std::string& instance_url) {
  SalesforceAdapterOptions options;
  options.name = "salesforce";
  options.allowed_organization_ids = {kOrg18};
  options.instance_url = instance_url;
  options.access_token = "00D5g!test-token";
  options.request_timeout = absl::Seconds(5);
  options.case_phase_field = "Journey_Phase__c";
  options.event_phase_field = "Meeting_Phase__c";
  options.meeting_types = {{"kick-off", cse::v1::MEETING_TYPE_KICK_OFF}};
  options.key_person_roles = {"cfo", "director"};
  return options;
}

inline WebhookDelivery Delivery(std::string body, bool over_tls = true) {
  WebhookDelivery delivery;
  delivery.method = "POST";
  delivery.path = "/webhooks/salesforce";
  delivery.headers.Set("Content-Type", "text/xml; charset=utf-8");
  delivery.headers.Set("SOAPAction", "\"\"");
  delivery.body = std::move(body);
  delivery.over_tls = over_tls;
  delivery.remote_addr = "10.0.0.7";
  delivery.received_at = FixedNow();
  return delivery;
}

}  // namespace cse::adapters::salesforce::testing

#endif  // CSE_TESTS_UNIT_ADAPTERS_SALESFORCE_TEST_FIXTURES_H_
