// The events of one HubSpot webhook delivery.
//
// HubSpot posts a JSON array of up to 100 events; each names an object
// and what happened to it, never its data. Fields, from
// https://developers.hubspot.com/docs/api/webhooks ("Webhook payloads"):
// objectId, propertyName, propertyValue, changeSource, eventId ("not
// guaranteed to be unique"), subscriptionId, portalId, appId, occurredAt
// (milliseconds), subscriptionType, attemptNumber; generic subscriptions
// ("object.creation", "object.propertyChange") add objectTypeId
// (https://developers.hubspot.com/docs/apps/legacy-apps/public-apps/create-generic-webhook-subscriptions).
// Deliveries also carry sourceId, "userId:<id>" when a HubSpot user made
// the change (e.g. "changeSource": "CRM_UI", "sourceId": "userId:74322246"),
// which the field table does not list: it is read leniently and only for
// RecordOutcomeRequest.recorded_by.
// HubSpot delivers at least once and in no particular order, so events
// are keyed by stable fields and sorted by occurredAt.
#ifndef CSE_ADAPTERS_HUBSPOT_WEBHOOK_EVENTS_H_
#define CSE_ADAPTERS_HUBSPOT_WEBHOOK_EVENTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cse::adapters::hubspot {

// The CRM objects the adapter follows. Object type ids from
// https://developers.hubspot.com/docs/guides/api/crm/understanding-the-crm
// ("Object type IDs": tickets 0-5, meetings 0-47).
enum class FollowedObject { kNone, kTicket, kMeeting };
enum class ChangeKind { kCreation, kPropertyChange };

inline constexpr absl::string_view kTicketObjectTypeId = "0-5";
inline constexpr absl::string_view kMeetingObjectTypeId = "0-47";

struct WebhookEvent {
  // JSON Pointer of the event in the delivery, e.g. "/3".
  std::string pointer;
  std::string subscription_type;
  FollowedObject object = FollowedObject::kNone;
  ChangeKind change = ChangeKind::kCreation;
  uint64_t event_id = 0;
  uint64_t subscription_id = 0;
  uint64_t portal_id = 0;
  uint64_t object_id = 0;
  int64_t occurred_at_ms = 0;
  std::string object_type_id;
  std::string property_name;
  std::string property_value;
  std::string change_source;
  // The HubSpot user id from sourceId "userId:<id>"; empty when the change
  // was not a user's (an import, a workflow, an app) or it is not sent.
  std::string user_id;

  // The canonical event id: portal, subscription, event and object ids,
  // all stable across HubSpot's retries of one event, so a redelivery
  // gets the same id and the sidecar's exactly-once ingest drops it;
  // combined because HubSpot does not promise eventId alone is unique.
  std::string CanonicalId() const;
  // "ticket.propertyChange 512 (hs_pipeline_stage)" for `ignored` lines.
  std::string Describe() const;
};

// Parses a delivery body. Followed events must carry eventId, objectId
// and occurredAt; other events only subscriptionType (they are ignored
// whatever else they hold). INVALID_ARGUMENT names the field by JSON
// Pointer ("/2/objectId: ...") or the byte where UTF-8 or JSON breaks.
absl::StatusOr<std::vector<WebhookEvent>> ParseDelivery(absl::string_view body);

}  // namespace cse::adapters::hubspot

#endif  // CSE_ADAPTERS_HUBSPOT_WEBHOOK_EVENTS_H_
