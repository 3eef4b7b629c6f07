// Zendesk event subscriptions ("Webhook event types") -> TicketEvent.
//
// A webhook subscribed to Zendesk events POSTs one JSON envelope per
// event
// (https://developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/):
//   {"account_id": 22129848, "id": "<event uuid>", "time": "<RFC 3339>",
//    "type": "zen:event-type:ticket.created", "subject": "zen:ticket:5158",
//    "zendesk_event_version": "2022-11-06",
//    "detail": {<the ticket: id, subject, description, status, priority,
//               type, tags, organization_id, requester_id, via.channel...>},
//    "event": {<what changed: comment, previous/current...>}}
// Ticket event types and the detail properties:
// https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/
//
// Followed: ticket.created (CREATED, body = description),
// ticket.comment_added (COMMENTED, body = event.comment.body),
// ticket.status_changed (STATUS_CHANGED; REOPENED when it leaves solved
// or closed), ticket.priority_changed / subject_changed / tags_changed /
// type_changed (UPDATED). Every other type is acknowledged and listed in
// `ignored`: ticket events the engine has no use for (assignments,
// followers, attachments...), non-ticket events (users, organizations),
// and the types whose `event` object this adapter could not check against
// a documented example (custom_field_changed, csat_received), so that a
// guessed shape never becomes a wrong event.
//
// Outcome tags (parse_context.h) are read from detail.tags, the ticket's
// current tags, of every followed event, and recorded by detail.actor_id.
// The `event` object of ticket.tags_changed (the tags added and removed)
// is not read: the current tags are in detail either way.
#ifndef CSE_ADAPTERS_ZENDESK_EVENT_SUBSCRIPTION_PARSER_H_
#define CSE_ADAPTERS_ZENDESK_EVENT_SUBSCRIPTION_PARSER_H_

#include "absl/status/status.h"
#include "adapters/crm_adapter.h"
#include "adapters/zendesk/json_fields.h"
#include "adapters/zendesk/parse_context.h"

namespace cse::adapters::zendesk {

inline constexpr absl::string_view kEventTypePrefix = "zen:event-type:";

// True when `root` looks like an event-subscription envelope: an object
// whose "type" is a string starting with "zen:event-type:".
bool IsEventSubscription(const Json& root);

// Appends the envelope's ticket event (or an `ignored` line) to `out`.
// INVALID_ARGUMENT with the JSON Pointer of a malformed field.
absl::Status ParseEventSubscription(const Json& root, const ParseContext& ctx,
                                    CanonicalEvents* out);

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_EVENT_SUBSCRIPTION_PARSER_H_
