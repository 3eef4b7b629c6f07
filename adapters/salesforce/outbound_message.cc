#include "adapters/salesforce/outbound_message.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/status_macros.h"
#include "adapters/salesforce/salesforce_id.h"
#include "adapters/salesforce/xml_document.h"

namespace cse::adapters::salesforce {
namespace {

// The WSDL allows at most 100 Notification elements per message.
constexpr size_t kMaxNotifications = 100;

std::string Trimmed(const XmlElement& element) {
  return std::string(absl::StripAsciiWhitespace(element.text));
}

absl::Status Missing(const XmlElement& parent, absl::string_view child) {
  return absl::InvalidArgumentError(
      absl::StrCat(parent.path, "/", child, ": missing"));
}

absl::StatusOr<Notification> ReadNotification(const XmlElement& element) {
  Notification notification;
  notification.path = element.path;
  const XmlElement* id = element.Child(kOutboundNamespace, "Id");
  if (id == nullptr) return Missing(element, "Id");
  notification.id = Trimmed(*id);
  if (!LooksLikeSalesforceId(notification.id)) {
    return absl::InvalidArgumentError(
        absl::StrCat(id->path, ": \"", notification.id.substr(0, 40),
                     "\" is not a notification id (18 letters and digits)"));
  }
  const XmlElement* sobject = element.Child(kOutboundNamespace, "sObject");
  if (sobject == nullptr) return Missing(element, "sObject");
  if (sobject->xsi_type_namespace == kSObjectNamespace) {
    notification.sobject_type = sobject->xsi_type_local;
  }
  for (const auto& field : sobject->children) {
    if (field->namespace_uri != kSObjectNamespace) continue;
    // fieldsToNull belongs to the base sObject type, not to the record.
    if (field->local_name == "fieldsToNull") continue;
    if (!field->children.empty()) continue;
    notification.fields.push_back(SObjectField{field->local_name, field->text,
                                               field->xsi_nil, field->path});
  }
  return notification;
}

}  // namespace

const SObjectField* Notification::Find(absl::string_view name) const {
  for (const SObjectField& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

absl::StatusOr<OutboundMessage> ParseOutboundMessage(absl::string_view body) {
  std::unique_ptr<XmlElement> root;
  CSE_ASSIGN_OR_RETURN(root, ParseXmlDocument(body));
  if (root->namespace_uri != kSoapEnvelopeNamespace ||
      root->local_name != "Envelope") {
    return absl::InvalidArgumentError(
        absl::StrCat(root->path, ": expected a SOAP 1.1 Envelope (namespace ",
                     kSoapEnvelopeNamespace, ")"));
  }
  const XmlElement* soap_body = root->Child(kSoapEnvelopeNamespace, "Body");
  if (soap_body == nullptr) return Missing(*root, "soapenv:Body");
  const XmlElement* notifications =
      soap_body->Child(kOutboundNamespace, "notifications");
  if (notifications == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        soap_body->path, "/notifications: missing (namespace ",
        kOutboundNamespace, "): not a Salesforce outbound message"));
  }

  OutboundMessage message;
  const XmlElement* org =
      notifications->Child(kOutboundNamespace, "OrganizationId");
  if (org == nullptr) return Missing(*notifications, "OrganizationId");
  message.organization_id = Trimmed(*org);
  if (message.organization_id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(org->path, ": empty"));
  }
  if (const XmlElement* action =
          notifications->Child(kOutboundNamespace, "ActionId")) {
    message.action_id = Trimmed(*action);
  }

  std::vector<const XmlElement*> items =
      notifications->Children(kOutboundNamespace, "Notification");
  if (items.empty()) return Missing(*notifications, "Notification");
  if (items.size() > kMaxNotifications) {
    return absl::InvalidArgumentError(absl::StrCat(
        notifications->path, ": ", items.size(),
        " Notification elements; the WSDL allows at most ", kMaxNotifications));
  }
  for (const XmlElement* item : items) {
    Notification notification;
    CSE_ASSIGN_OR_RETURN(notification, ReadNotification(*item));
    message.notifications.push_back(std::move(notification));
  }
  return message;
}

std::string NotificationsAckBody() {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<soapenv:Envelope "
         "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
         " <soapenv:Body>\n"
         "  <notificationsResponse "
         "xmlns=\"http://soap.sforce.com/2005/09/outbound\">\n"
         "   <Ack>true</Ack>\n"
         "  </notificationsResponse>\n"
         " </soapenv:Body>\n"
         "</soapenv:Envelope>\n";
}

}  // namespace cse::adapters::salesforce
