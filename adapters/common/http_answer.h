// How a CRM's HTTP answer becomes a writeback outcome, in one table.
//
//   2xx                          DONE
//   408, 425, 429, 5xx           FAILED_RETRYABLE, retry_after from
//                                Retry-After (seconds or HTTP-date, RFC
//                                9110 section 10.2.3) or a vendor's
//                                rate-limit reset header
//   409                          FAILED_RETRYABLE (a concurrent edit)
//   other 4xx (400, 401, 403,    FAILED_PERMANENT: retrying the same
//   404, 422 ...)                request cannot succeed; admins see it in
//                                the dead letters and can retry after a fix
//   no answer: timeout,          FAILED_RETRYABLE
//   connection refused
//   other transport errors       FAILED_PERMANENT (a malformed URL)
// A 401 is permanent for the job but is also what an expired credential
// looks like: the crm_answer says so, and adapters that can refresh a
// session (Request Tracker's cookie) do so before answering.
#ifndef CSE_ADAPTERS_COMMON_HTTP_ANSWER_H_
#define CSE_ADAPTERS_COMMON_HTTP_ANSWER_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/common/http_client.h"
#include "adapters/crm_adapter.h"

namespace cse::adapters {

// Parses a Retry-After value: delay-seconds or an IMF-fixdate relative to
// `now`. nullopt when absent or unparsable; a date in the past is zero.
std::optional<absl::Duration> ParseRetryAfter(absl::string_view value,
                                              absl::Time now);

// The outcome for `answer` (see the table above). `request_id_header`
// names the CRM's request-id header ("x-request-id", "x-zendesk-request-id"
// ...) quoted in crm_answer; `context` prefixes it ("POST /tickets/7/tags").
WritebackOutcome ClassifyHttpAnswer(
    const absl::StatusOr<HttpResponse>& answer, absl::string_view context,
    absl::Time now, absl::string_view request_id_header = "x-request-id");

// The absl code for an HTTP status, for adapters that call a CRM outside
// writeback (polling): 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404
// NOT_FOUND, 400/422 INVALID_ARGUMENT, 409 ABORTED, 408/429/5xx
// UNAVAILABLE, other non-2xx UNKNOWN, 2xx OK.
absl::StatusCode HttpStatusToCode(int status);

// A short, log-safe summary of a response: "HTTP 429 (x-request-id abc)
// retry-after 30". Never includes the body beyond `max_body_bytes`
// characters of a one-line error text.
std::string SummarizeAnswer(const HttpResponse& response,
                            absl::string_view request_id_header,
                            size_t max_body_bytes = 200);

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_COMMON_HTTP_ANSWER_H_
