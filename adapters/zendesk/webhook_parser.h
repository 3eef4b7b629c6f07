// A verified Zendesk webhook body -> canonical events.
//
// Two shapes arrive at /webhooks/<name>: event-subscription envelopes
// (event_subscription_parser.h) and the adapter's trigger template
// (trigger_payload_parser.h). Anything else is INVALID_ARGUMENT, so an
// admin who wires a trigger with another body sees why in the webhook's
// activity log.
#ifndef CSE_ADAPTERS_ZENDESK_WEBHOOK_PARSER_H_
#define CSE_ADAPTERS_ZENDESK_WEBHOOK_PARSER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "adapters/crm_adapter.h"
#include "adapters/zendesk/parse_context.h"

namespace cse::adapters::zendesk {

// INVALID_ARGUMENT "<JSON Pointer>: <what is wrong>" for invalid UTF-8,
// malformed JSON or a malformed field; unknown event types are `ignored`.
absl::StatusOr<CanonicalEvents> ParseZendeskWebhook(absl::string_view body,
                                                    const ParseContext& ctx);

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_WEBHOOK_PARSER_H_
