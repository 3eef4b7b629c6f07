// What the webhook parsers share: the delivery's context and the pieces
// of a TicketEvent both payload shapes fill the same way.
#ifndef CSE_ADAPTERS_ZENDESK_PARSE_CONTEXT_H_
#define CSE_ADAPTERS_ZENDESK_PARSE_CONTEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cse/v1/events.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace cse::adapters::zendesk {

struct ParseContext {
  // The events' source (CrmConfig.name).
  std::string source;
  // X-Zendesk-Webhook-Signature-Timestamp: when Zendesk sent the delivery;
  // occurred_at when the payload carries no time of its own.
  absl::Time signed_at;
  // The raw body, for ids derived from it.
  absl::string_view raw_body;
};

// Custom field keys the adapter sets itself (TicketEvent.custom_fields).
// "true"/"false": whether the event's comment is public.
inline constexpr absl::string_view kCommentPublicField = "comment.is_public";

// The account of a ticket without an organization: its requester, so that
// the journey is still remembered per customer.
std::string AccountIdForRequester(absl::string_view requester_id);

void SetTimestamp(absl::Time at, google::protobuf::Timestamp* out);

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_PARSE_CONTEXT_H_
