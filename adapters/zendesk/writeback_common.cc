#include "adapters/zendesk/writeback_common.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/common/http_answer.h"

namespace cse::adapters::zendesk {

using cse::v1::WRITEBACK_RESULT_DONE;
using cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE;

WritebackOutcome ClassifyZendeskAnswer(
    const absl::StatusOr<HttpResponse>& answer, absl::string_view context,
    absl::Time now) {
  WritebackOutcome outcome =
      ClassifyHttpAnswer(answer, context, now, kRequestIdHeader);
  if (!answer.ok()) return outcome;
  if (outcome.result == WRITEBACK_RESULT_FAILED_RETRYABLE &&
      outcome.retry_after == absl::ZeroDuration()) {
    if (std::optional<absl::Duration> reset =
            ParseRetryAfter(answer->headers.Get("ratelimit-reset"), now)) {
      outcome.retry_after = *reset;
    }
  }
  if (answer->status == 404) {
    absl::StrAppend(&outcome.crm_answer,
                    " (ticket not found: deleted, merged or not visible to "
                    "the API user)");
  }
  return outcome;
}

JsonAnswer ReadJsonAnswer(const absl::StatusOr<HttpResponse>& answer,
                          absl::string_view context, absl::Time now) {
  JsonAnswer read;
  WritebackOutcome outcome = ClassifyZendeskAnswer(answer, context, now);
  if (outcome.result != WRITEBACK_RESULT_DONE) {
    read.failure = std::move(outcome);
    return read;
  }
  read.summary = outcome.crm_answer;
  absl::StatusOr<Json> body = ParseJsonBody(answer->body);
  if (!body.ok() || !body->is_object()) {
    read.failure = WritebackRetryable(absl::StrCat(
        outcome.crm_answer, ": unexpected answer: ",
        body.ok() ? "not a JSON object" : body.status().message()));
    return read;
  }
  read.body = *std::move(body);
  return read;
}

TicketRead ReadTicket(const ZendeskApi& api, absl::string_view ticket_id,
                      absl::Time now) {
  TicketRead read;
  const std::string path = absl::StrCat("/api/v2/tickets/", ticket_id);
  JsonAnswer answer =
      ReadJsonAnswer(api.Get(path), absl::StrCat("GET ", path), now);
  if (answer.failure.has_value()) {
    read.failure = std::move(answer.failure);
    return read;
  }
  const Json* ticket = Member(answer.body, "ticket");
  if (ticket == nullptr || !ticket->is_object()) {
    read.failure = WritebackRetryable(
        absl::StrCat(answer.summary, ": unexpected answer: no \"ticket\""));
    return read;
  }
  read.ticket = *ticket;
  return read;
}

}  // namespace cse::adapters::zendesk
