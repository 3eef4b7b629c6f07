// The adapter's trigger body template -> TicketEvent.
//
// A webhook connected to triggers sends the body the trigger's action
// defines, rendered from Zendesk placeholders ("Zendesk placeholders
// reference", https://support.zendesk.com/hc/en-us/articles/4408886858138).
// README.md gives admins this template, one trigger per `event`:
//   {"cse_template": "zendesk-trigger-v1",
//    "event": "created" | "updated" | "comment_added" | "status_changed" |
//             "solved" | "reopened" | "satisfaction_rated",
//    "ticket": {"id": "{{ticket.id}}", "subject": "{{ticket.title}}",
//               "description": "{{ticket.description}}",
//               "status": "{{ticket.status}}",
//               "priority": "{{ticket.priority}}",
//               "type": "{{ticket.ticket_type}}",
//               "tags": "{{ticket.tags}}", "via": "{{ticket.via}}",
//               "updated_at": "{{ticket.updated_at_with_timestamp}}",
//               "organization": {"id": "{{ticket.organization.id}}",
//                                "name": "{{ticket.organization.name}}"},
//               "requester": {"id": "{{ticket.requester.id}}",
//                             "name": "{{ticket.requester.name}}",
//                             "email": "{{ticket.requester.email}}"},
//               "latest_comment": {"body": "{{ticket.latest_comment}}",
//                 "is_public": "{{ticket.latest_comment.is_public}}"},
//               "custom_fields": {"<key>": "{{ticket.ticket_field_<id>}}"}},
//    "current_user": {"id": "{{current_user.id}}", ...},
//    "satisfaction": {"rating": "{{satisfaction.current_rating}}",
//                     "comment": "{{satisfaction.current_comment}}"}}
// Every value is a JSON string, so an empty placeholder still renders
// valid JSON. Outcome tags (parse_context.h) are read from "tags" and
// recorded by current_user.id. A trigger delivery has no event id of its own:
// the event id is derived from the ticket id and a digest of the signed body,
// which is the same for every retry of one invocation.
#ifndef CSE_ADAPTERS_ZENDESK_TRIGGER_PAYLOAD_PARSER_H_
#define CSE_ADAPTERS_ZENDESK_TRIGGER_PAYLOAD_PARSER_H_

#include "absl/status/status.h"
#include "adapters/crm_adapter.h"
#include "adapters/zendesk/json_fields.h"
#include "adapters/zendesk/parse_context.h"

namespace cse::adapters::zendesk {

inline constexpr absl::string_view kTriggerTemplateVersion =
    "zendesk-trigger-v1";

// True when `root` is an object with a "cse_template" member.
bool IsTriggerPayload(const Json& root);

// Appends the delivery's ticket event (or an `ignored` line) to `out`.
// INVALID_ARGUMENT with the JSON Pointer of a malformed field.
absl::Status ParseTriggerPayload(const Json& root, const ParseContext& ctx,
                                 CanonicalEvents* out);

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_TRIGGER_PAYLOAD_PARSER_H_
