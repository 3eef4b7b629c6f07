#include "adapters/zendesk/webhook_parser.h"

#include "adapters/common/status_macros.h"
#include "adapters/zendesk/event_subscription_parser.h"
#include "adapters/zendesk/json_fields.h"
#include "adapters/zendesk/trigger_payload_parser.h"

namespace cse::adapters::zendesk {

absl::StatusOr<CanonicalEvents> ParseZendeskWebhook(absl::string_view body,
                                                    const ParseContext& ctx) {
  CSE_ASSIGN_OR_RETURN(Json root, ParseJsonBody(body));
  if (!root.is_object()) {
    return FieldError("/", "expected a JSON object");
  }
  CanonicalEvents events;
  if (IsEventSubscription(root)) {
    CSE_RETURN_IF_ERROR(ParseEventSubscription(root, ctx, &events));
  } else if (IsTriggerPayload(root)) {
    CSE_RETURN_IF_ERROR(ParseTriggerPayload(root, ctx, &events));
  } else {
    return FieldError(
        "/",
        "neither a Zendesk event (\"type\": \"zen:event-type:...\") nor "
        "the adapter's trigger template (\"cse_template\"); see "
        "adapters/zendesk/README.md");
  }
  return events;
}

}  // namespace cse::adapters::zendesk
