// ZendeskAdapter: Zendesk Support webhooks in, Support API writebacks out.
//
// Inbound, every delivery's X-Zendesk-Webhook-Signature is checked against
// the configured signing secret(s) before anything is parsed
// (webhook_signature.h); the body is an event-subscription envelope or
// the adapter's trigger template (webhook_parser.h). Outbound, tags, the
// note and the phase field go through the Support API v2 (writebacks.h).
// Immutable after construction, so one instance serves the ingress's and
// the writeback workers' threads at once.
//
// Example:
//   ZendeskAdapter adapter(options, &curl_client, &absl::Now);
//   absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(d);
//   WritebackOutcome outcome = adapter.PerformWriteback(job);
#ifndef CSE_ADAPTERS_ZENDESK_ZENDESK_ADAPTER_H_
#define CSE_ADAPTERS_ZENDESK_ZENDESK_ADAPTER_H_

#include <string>
#include <vector>

#include "adapters/common/http_client.h"
#include "adapters/crm_adapter.h"
#include "adapters/zendesk/writebacks.h"
#include "adapters/zendesk/zendesk_api.h"
#include "adapters/zendesk/zendesk_options.h"

namespace cse::adapters::zendesk {

class ZendeskAdapter : public CrmAdapter {
 public:
  // `http` outlives the adapter; `now` is the clock for signature
  // freshness and Retry-After dates.
  ZendeskAdapter(ZendeskAdapterOptions options, HttpClient* http, Clock now);

  absl::string_view name() const override { return options_.name; }
  std::vector<std::string> accepted_content_types() const override;
  absl::StatusOr<CanonicalEvents> ReceiveWebhook(
      const WebhookDelivery& delivery) override;
  WritebackOutcome PerformWriteback(const cse::v1::WritebackJob& job) override;

 private:
  absl::StatusOr<CanonicalEvents> Receive(const WebhookDelivery& delivery);
  WritebackOutcome Perform(const cse::v1::WritebackJob& job);

  const ZendeskAdapterOptions options_;
  const ZendeskApi api_;
  const PhaseFieldSettings phase_settings_;
  const Clock now_;
};

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_ZENDESK_ADAPTER_H_
