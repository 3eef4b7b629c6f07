// HubSpotAdapter: HubSpot's webhooks in, CRM v3 writes out.
//
// A delivery is a JSON array of up to 100 events that name objects
// (tickets, meetings) and what changed. The adapter verifies the v3
// signature, then reads each followed object once per delivery
// (ObjectReader) and emits one canonical event per HubSpot event, sorted
// by occurredAt. Events of other objects, other portals, unknown
// subscription types and changes of the adapter's own writeback
// properties are acknowledged and listed in `ignored`. Outcome tags an
// agent checks in the outcome property (HubSpotOptions::
// ticket_outcome_property / meeting_outcome_property) become
// RecordOutcomeRequests: from the property's value read with each followed
// object, and from a property change of it, which yields outcomes only;
// tags that do not parse go to `warnings`. If HubSpot's API
// cannot be read the delivery fails with UNAVAILABLE: the ingress answers
// 5xx and HubSpot retries it (with the same event ids).
//
// Example:
//   HubSpotAdapter adapter(options, &http_client, &absl::Now);
//   absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(d);
#ifndef CSE_ADAPTERS_HUBSPOT_HUBSPOT_ADAPTER_H_
#define CSE_ADAPTERS_HUBSPOT_HUBSPOT_ADAPTER_H_

#include <string>
#include <vector>

#include "adapters/common/http_client.h"
#include "adapters/crm_adapter.h"
#include "adapters/hubspot/hubspot_api.h"
#include "adapters/hubspot/hubspot_options.h"
#include "adapters/hubspot/object_reader.h"
#include "adapters/hubspot/writeback.h"

namespace cse::adapters::hubspot {

class HubSpotAdapter : public CrmAdapter {
 public:
  // `http` outlives the adapter; `now` is the clock for signature ages
  // and note timestamps.
  HubSpotAdapter(HubSpotOptions options, HttpClient* http, absl::Time (*now)());

  absl::string_view name() const override { return options_.name; }
  std::vector<std::string> accepted_content_types() const override {
    return {"application/json"};
  }
  absl::StatusOr<CanonicalEvents> ReceiveWebhook(
      const WebhookDelivery& delivery) override;
  WritebackOutcome PerformWriteback(const cse::v1::WritebackJob& job) override;

 private:
  absl::StatusOr<CanonicalEvents> Receive(const WebhookDelivery& delivery);

  HubSpotOptions options_;
  absl::Time (*now_)();
  HubSpotApi api_;
  ObjectReader reader_;
  Writer writer_;
};

}  // namespace cse::adapters::hubspot

#endif  // CSE_ADAPTERS_HUBSPOT_HUBSPOT_ADAPTER_H_
