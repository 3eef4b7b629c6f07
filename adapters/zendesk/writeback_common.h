// Pieces the three writebacks share: outcomes, answer classification with
// Zendesk's headers, reading a ticket.
#ifndef CSE_ADAPTERS_ZENDESK_WRITEBACK_COMMON_H_
#define CSE_ADAPTERS_ZENDESK_WRITEBACK_COMMON_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/common/http_client.h"
#include "adapters/crm_adapter.h"
#include "adapters/zendesk/json_fields.h"
#include "adapters/zendesk/zendesk_api.h"

namespace cse::adapters::zendesk {

// ClassifyHttpAnswer with X-Zendesk-Request-Id quoted; a retryable answer
// without Retry-After takes `ratelimit-reset` (seconds, sent by list
// endpoints, "Best practices for avoiding rate limiting"); a 404 says the
// ticket is gone.
WritebackOutcome ClassifyZendeskAnswer(
    const absl::StatusOr<HttpResponse>& answer, absl::string_view context,
    absl::Time now);

// A 2xx answer's JSON body, or the outcome to report: the classified
// failure for a non-2xx or no answer, FAILED_RETRYABLE for a 2xx whose
// body is not JSON (a proxy's page; retried, then dead-lettered).
struct JsonAnswer {
  std::optional<WritebackOutcome> failure;
  Json body;
  // The classified answer (for crm_answer on success).
  std::string summary;
};
JsonAnswer ReadJsonAnswer(const absl::StatusOr<HttpResponse>& answer,
                          absl::string_view context, absl::Time now);

// GET /api/v2/tickets/{id}; `ticket` is the answer's "ticket" object.
struct TicketRead {
  std::optional<WritebackOutcome> failure;
  Json ticket;
};
TicketRead ReadTicket(const ZendeskApi& api, absl::string_view ticket_id,
                      absl::Time now);

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_WRITEBACK_COMMON_H_
