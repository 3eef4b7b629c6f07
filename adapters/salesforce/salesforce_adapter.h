// SalesforceAdapter: Salesforce Outbound Messages in, REST API writebacks
// out (README.md).
//
// Inbound: an outbound message action (Workflow Rule or Flow) POSTs a SOAP
// 1.1 request (text/xml) to /webhooks/<name>. Outbound messages carry no
// signature, so a delivery is accepted only
//   - over TLS (delivery.over_tls), else FAILED_PRECONDITION, unless
//     allow_insecure_http (tests); and
//   - from an allowed organization (OrganizationId, compared in its
//     18-character form), else UNAUTHENTICATED.
// Salesforce's own advice (Considerations for Security,
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_security.htm):
// use TLS, check the organization id in every message, and accept requests
// only from Salesforce's IP ranges (done at the proxy, see README).
// Case notifications become TicketEvents, Event notifications
// MeetingEvents whose attendees are read from EventRelation over the REST
// API (a failure there is UNAVAILABLE: the ingress answers 503 and
// Salesforce redelivers). Outcome tags agents select in the records'
// outcome field (a multi-select picklist, sobject_mapping.h) become
// RecordOutcome requests; tags that do not parse become warnings, never a
// refused message. Once everything is durable, AckFor answers the
// SOAP notificationsResponse with <Ack>true</Ack>; until then Salesforce
// retries with growing intervals (up to two hours apart) for 24 hours,
// then drops the message (Understanding Notifications,
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_notifications.htm).
//
// Outbound: writebacks.h.
#ifndef CSE_ADAPTERS_SALESFORCE_SALESFORCE_ADAPTER_H_
#define CSE_ADAPTERS_SALESFORCE_SALESFORCE_ADAPTER_H_

#include <string>
#include <vector>

#include "adapters/common/http_client.h"
#include "adapters/crm_adapter.h"
#include "adapters/salesforce/salesforce_api.h"
#include "adapters/salesforce/salesforce_options.h"

namespace cse::adapters::salesforce {

class SalesforceAdapter : public CrmAdapter {
 public:
  // `http` outlives the adapter; `now` is the clock (tests fix it).
  SalesforceAdapter(SalesforceAdapterOptions options, HttpClient* http,
                    Clock now);

  absl::string_view name() const override { return options_.name; }
  // SOAP 1.1 is text/xml.
  std::vector<std::string> accepted_content_types() const override {
    return {"text/xml"};
  }
  absl::StatusOr<CanonicalEvents> ReceiveWebhook(
      const WebhookDelivery& delivery) override;
  // 200, text/xml, notificationsResponse with <Ack>true</Ack>.
  WebhookAck AckFor(const WebhookDelivery& delivery,
                    const CanonicalEvents& events) const override;
  WritebackOutcome PerformWriteback(const cse::v1::WritebackJob& job) override;

 private:
  absl::StatusOr<CanonicalEvents> Receive(const WebhookDelivery& delivery);
  WritebackOutcome Perform(const cse::v1::WritebackJob& job);
  bool IsAllowedOrganization(absl::string_view organization_id) const;

  SalesforceAdapterOptions options_;
  SalesforceApi api_;
};

}  // namespace cse::adapters::salesforce

#endif  // CSE_ADAPTERS_SALESFORCE_SALESFORCE_ADAPTER_H_
