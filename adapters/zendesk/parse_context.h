// What the webhook parsers share: the delivery's context and the pieces
// of a TicketEvent both payload shapes fill the same way.
#ifndef CSE_ADAPTERS_ZENDESK_PARSE_CONTEXT_H_
#define CSE_ADAPTERS_ZENDESK_PARSE_CONTEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/crm_adapter.h"
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

// Agents record what a practice did by tagging the ticket with an outcome
// tag, e.g. "cse-outcome-p8-restored" (adapters/common/outcome_tag.h):
// typed into the ticket's tags, added by a macro, or set through a
// drop-down / multi-select field whose option tag values are outcome tags
// (Zendesk adds the selected option's tag to the ticket's tags,
// "Understanding tags and ticket fields",
// https://support.zendesk.com/hc/en-us/articles/4408881943194). Both
// payload shapes carry the ticket's current tags, which `event` holds, so
// every forwarded event re-sends the tags still on the ticket; the outcome
// id (ticket and tag) makes that one outcome.
//
// Appends the outcomes `event`'s tags ask for to `out->outcomes`, with the
// event's account, "ticket/<id>" as the object and its occurred_at;
// `recorded_by` is the Zendesk user who made the update, when the payload
// says. Tags with the outcome prefix that do not parse go to
// `out->warnings`.
void AppendOutcomeTags(const cse::v1::TicketEvent& event,
                       absl::string_view recorded_by, CanonicalEvents* out);

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_PARSE_CONTEXT_H_
