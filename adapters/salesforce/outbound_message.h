// The Outbound Message: the SOAP request Salesforce POSTs to the endpoint
// of an outbound message action, and the acknowledgement it expects back.
//
// Shape (outbound message WSDL,
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_wsdl.htm):
//   <soapenv:Envelope
//   xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
//    <soapenv:Body>
//     <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
//      <OrganizationId>00D...</OrganizationId>   ent:ID, 18 characters
//      <ActionId>04k...</ActionId>               the outbound message action
//      <SessionId>...</SessionId>                nillable; never read here
//      <EnterpriseUrl>...</EnterpriseUrl>
//      <PartnerUrl>...</PartnerUrl>
//      <Notification>                             1..100 of them
//       <Id>04l...</Id>                           the notification id
//       <sObject xsi:type="sf:Case"
//       xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
//        <sf:Id>500...</sf:Id> <sf:Subject>...</sf:Subject> ...
//       </sObject>
//      </Notification>
//     </notifications>
//    </soapenv:Body>
//   </soapenv:Envelope>
// The sObject carries the fields the admin picked for the outbound message,
// in the sObject namespace (elementFormDefault="qualified").
// "Because a message may be delivered more than once, your listener client
// should check the notification IDs delivered in the notification before
// processing" (Understanding Notifications,
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_notifications.htm):
// the notification id is the canonical event id.
#ifndef CSE_ADAPTERS_SALESFORCE_OUTBOUND_MESSAGE_H_
#define CSE_ADAPTERS_SALESFORCE_OUTBOUND_MESSAGE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cse::adapters::salesforce {

inline constexpr absl::string_view kSoapEnvelopeNamespace =
    "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr absl::string_view kOutboundNamespace =
    "http://soap.sforce.com/2005/09/outbound";
inline constexpr absl::string_view kSObjectNamespace =
    "urn:sobject.enterprise.soap.sforce.com";

// One field of the sObject: <sf:Status>Working</sf:Status>.
struct SObjectField {
  // The field's API name ("Status", "Journey_Phase__c").
  std::string name;
  std::string value;
  // xsi:nil="true": the field is empty in Salesforce.
  bool nil = false;
  // Where it is, for errors.
  std::string path;
};

struct Notification {
  // <Notification><Id>: the notification id (not the record id).
  std::string id;
  // The sObject's xsi:type local name ("Case", "Event"); empty when the
  // type is absent or not in the sObject namespace.
  std::string sobject_type;
  // The sObject's fields in document order; fields with child elements
  // (compound values) are left out.
  std::vector<SObjectField> fields;
  // "/soapenv:Envelope/soapenv:Body/notifications/Notification[2]".
  std::string path;

  // The field named `name`, or nullptr when the message does not carry it.
  const SObjectField* Find(absl::string_view name) const;
};

struct OutboundMessage {
  // As sent (18 characters per the WSDL; not normalised here).
  std::string organization_id;
  std::string action_id;
  std::vector<Notification> notifications;
};

// Parses the SOAP request. INVALID_ARGUMENT naming the element path when
// the XML is malformed or unsafe (xml_document.h), the envelope is not an
// outbound message, OrganizationId is missing, or a Notification lacks
// its Id or sObject. The sObject's own fields are checked later, by the
// mapping, once the organization is known to be allowed.
absl::StatusOr<OutboundMessage> ParseOutboundMessage(absl::string_view body);

// The SOAP answer that tells Salesforce the message was received, so it
// stops retrying (notificationsResponse in the WSDL above):
//   <soapenv:Envelope ...><soapenv:Body>
//    <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">
//     <Ack>true</Ack>
//    </notificationsResponse>
//   </soapenv:Body></soapenv:Envelope>
std::string NotificationsAckBody();

}  // namespace cse::adapters::salesforce

#endif  // CSE_ADAPTERS_SALESFORCE_OUTBOUND_MESSAGE_H_
