// Ticket values in the sidecar's vocabulary, whichever way Zendesk wrote
// them: event subscriptions send upper case ("OPEN", "LOW", "TASK"),
// placeholders render display text ("Open", "On-hold", "-" for none).
#ifndef CSE_ADAPTERS_ZENDESK_TICKET_VALUES_H_
#define CSE_ADAPTERS_ZENDESK_TICKET_VALUES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cse::adapters::zendesk {

// Largest TicketEvent.body the adapter forwards (the sidecar's default
// --max-body-bytes, events.proto); longer comments are cut at a UTF-8
// character boundary.
inline constexpr size_t kMaxBodyBytes = 64 * 1024;

// "new", "open", "pending", "hold", "solved", "closed" (Tickets API status
// values,
// https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/);
// "On-hold" becomes "hold"; "" for none or "-".
std::string NormalizeStatus(absl::string_view status);

// Priority ("low", "normal", "high", "urgent") and type ("question",
// "incident", "problem", "task"): lower case, "" for none or "-".
std::string NormalizeLowerValue(absl::string_view value);

// The canonical channel for a via channel: "email" (mail, email),
// "web" (web, web_form, web_widget), "api" (api, web_service, "Web
// Service (API)"), "chat" (chat, messaging), "phone" (voice, phone);
// anything else lower-cased as given.
std::string NormalizeChannel(absl::string_view via);

// True for "solved" and "closed".
bool IsResolvedStatus(absl::string_view normalized_status);

// `text` cut to at most `max_bytes` at a UTF-8 character boundary.
std::string TruncateUtf8(absl::string_view text, size_t max_bytes);

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_TICKET_VALUES_H_
