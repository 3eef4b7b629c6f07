// Shared pieces of the Zendesk adapter tests: a fixed clock, signed
// deliveries, and fixtures built from Zendesk's documented payloads.
#ifndef CSE_TESTS_UNIT_ADAPTERS_ZENDESK_ZENDESK_TEST_UTIL_H_
#define CSE_TESTS_UNIT_ADAPTERS_ZENDESK_ZENDESK_TEST_UTIL_H_

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "adapters/crm_adapter.h"
#include "adapters/zendesk/webhook_signature.h"
#include "adapters/zendesk/zendesk_options.h"

namespace cse::adapters::zendesk::testing {

// The static secret Zendesk signs test requests with (the Node example in
// "Verifying webhook authenticity",
// https://developer.zendesk.com/documentation/webhooks/verifying/; it is
// base64 of "this_secret_is_for_testing_only").
inline constexpr char kZendeskTestSecret[] =
    "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";

// The tests' "now", two seconds after kSignedAt.
inline absl::Time FixedNow() {
  return absl::FromCivil(absl::CivilSecond(2025, 1, 8, 11, 2, 33),
                         absl::UTCTimeZone());
}
inline constexpr char kSignedAt[] = "2025-01-08T11:02:31Z";

// A POST to /webhooks/zendesk signed as Zendesk signs it.
inline WebhookDelivery SignedDelivery(std::string body,
                                      std::string timestamp = kSignedAt,
                                      std::string secret = kZendeskTestSecret) {
  WebhookDelivery delivery;
  delivery.method = "POST";
  delivery.path = "/webhooks/zendesk";
  delivery.headers.Set("Content-Type", "application/json");
  delivery.headers.Set(kSignatureHeader,
                       ZendeskSignature(secret, timestamp, body));
  delivery.headers.Set(kSignatureTimestampHeader, timestamp);
  delivery.headers.Set("X-Zendesk-Webhook-Id", "01F1KRFQ6BG29CNWFR60NK5FNY");
  delivery.body = std::move(body);
  delivery.received_at = FixedNow();
  return delivery;
}

inline ZendeskAdapterOptions TestOptions(std::string base_url = "") {
  ZendeskAdapterOptions options;
  options.name = "zendesk";
  options.base_url = std::move(base_url);
  options.signing_secrets = {kZendeskTestSecret};
  options.api_user = "agent@acme.example";
  options.api_token = "tok3n";
  options.phase_field_id = 360099;
  return options;
}

// The ticket.created example payload of Zendesk's "Ticket events" page
// (https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/),
// verbatim.
inline constexpr char kTicketCreatedEvent[] = R"json({
  "account_id": 22129848,
  "detail": {
    "actor_id": "8447388090494",
    "assignee_id": "8447388090494",
    "brand_id": "8447346621310",
    "created_at": "2025-01-08T10:12:07Z",
    "custom_status": "8447320465790",
    "description": "ticket_info_desc_2294a6e9ece2",
    "external_id": null,
    "form_id": "8646151517822",
    "group_id": "8447320466430",
    "id": "5158",
    "is_public": true,
    "organization_id": "8447346622462",
    "priority": "LOW",
    "requester_id": "8447388090494",
    "status": "OPEN",
    "subject": "ticketinfo_2294a6e9ece2",
    "submitter_id": "8447388090494",
    "tags": [
      "ticket-info-test-tag"
    ],
    "type": "TASK",
    "updated_at": "2025-01-08T10:12:07Z",
    "via": {
      "channel": "web_service"
    }
  },
  "event": {},
  "id": "cbe4028c-7239-495d-b020-f22348516046",
  "subject": "zen:ticket:5158",
  "time": "2025-01-08T10:12:07.672717030Z",
  "type": "zen:event-type:ticket.created",
  "zendesk_event_version": "2022-11-06"
})json";

// ticket.comment_added: the documented envelope and detail properties.
// The event object (comment id, body, is_public, author id / name /
// is_staff) is the shape of the page's "Comment created" section as
// independent consumers of it read it; that section's example itself
// could not be retrieved while writing this (README.md, "Limits").
inline constexpr char kCommentAddedEvent[] = R"json({
  "account_id": 22129848,
  "detail": {
    "actor_id": "8447388090494",
    "assignee_id": "8447388090111",
    "brand_id": "8447346621310",
    "created_at": "2025-01-08T10:12:07Z",
    "custom_status": "8447320465790",
    "description": "ticket_info_desc_2294a6e9ece2",
    "external_id": null,
    "form_id": "8646151517822",
    "group_id": "8447320466430",
    "id": "5158",
    "is_public": true,
    "organization_id": "8447346622462",
    "priority": "HIGH",
    "requester_id": "8447388090494",
    "status": "OPEN",
    "subject": "Nightly export fails after the upgrade",
    "submitter_id": "8447388090494",
    "tags": ["export", "enterprise"],
    "type": "INCIDENT",
    "updated_at": "2025-01-08T11:02:30Z",
    "via": {"channel": "mail"}
  },
  "event": {
    "comment": {
      "author": {
        "id": "8447388090494",
        "is_staff": false,
        "name": "Jane Requester"
      },
      "body": "The export failed again tonight. We are stuck with the month-end close.",
      "id": "8651234567890",
      "is_public": true
    }
  },
  "id": "0a6fd4b0-5ef8-4a4e-9d8e-3b7f6f3e2c11",
  "subject": "zen:ticket:5158",
  "time": "2025-01-08T11:02:30.118223051Z",
  "type": "zen:event-type:ticket.comment_added",
  "zendesk_event_version": "2022-11-06"
})json";

// ticket.status_changed: event = {"current", "previous"}, with the same
// caveat as kCommentAddedEvent.
inline constexpr char kStatusChangedEvent[] = R"json({
  "account_id": 22129848,
  "detail": {
    "id": "5158",
    "organization_id": "8447346622462",
    "priority": "HIGH",
    "requester_id": "8447388090494",
    "status": "OPEN",
    "subject": "Nightly export fails after the upgrade",
    "tags": ["export"],
    "type": "INCIDENT",
    "updated_at": "2025-01-08T11:02:30Z",
    "via": {"channel": "mail"}
  },
  "event": {"current": "OPEN", "previous": "SOLVED"},
  "id": "5d1f0b55-5c8e-4f59-9d27-0c8f2b7a7e01",
  "subject": "zen:ticket:5158",
  "time": "2025-01-08T11:02:30.5Z",
  "type": "zen:event-type:ticket.status_changed",
  "zendesk_event_version": "2022-11-06"
})json";

// The adapter's trigger template (README.md) as Zendesk renders it for a
// comment: placeholders give display text ("Open", "High", "Mail") and
// space-separated tags.
inline constexpr char kTriggerCommentAdded[] = R"json({
  "cse_template": "zendesk-trigger-v1",
  "event": "comment_added",
  "ticket": {
    "id": "35436",
    "subject": "Export fails after upgrade",
    "description": "Since the upgrade our nightly export fails.",
    "status": "Open",
    "priority": "High",
    "type": "Incident",
    "tags": "enterprise export",
    "via": "Mail",
    "updated_at": "2025-01-08T11:02Z",
    "organization": {"id": "10002", "name": "Acme Logistics"},
    "requester": {"id": "20978392", "name": "Jane Requester",
                  "email": "jane@acme.example", "role": "IT manager"},
    "latest_comment": {
      "body": "Still failing, this blocks our month-end close.",
      "is_public": "true"
    },
    "custom_fields": {"360012345678": "enterprise_plan"}
  },
  "current_user": {"id": "20978392", "name": "Jane Requester",
                   "email": "jane@acme.example"},
  "satisfaction": {"rating": "", "comment": ""}
})json";

}  // namespace cse::adapters::zendesk::testing

#endif  // CSE_TESTS_UNIT_ADAPTERS_ZENDESK_ZENDESK_TEST_UTIL_H_
