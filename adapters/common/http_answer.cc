#include "adapters/common/http_answer.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace cse::adapters {
namespace {

using cse::v1::WRITEBACK_RESULT_DONE;
using cse::v1::WRITEBACK_RESULT_FAILED_PERMANENT;
using cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE;

bool IsRetryableStatus(int status) {
  return status == 408 || status == 409 || status == 425 || status == 429 ||
         status >= 500;
}

// One line of the body's start, for error answers only: CRMs put the
// reason there ({"error":"RecordInvalid",...}).
std::string BodyExcerpt(absl::string_view body, size_t max_bytes) {
  std::string line(body.substr(0, max_bytes));
  absl::StrReplaceAll({{"\r", " "}, {"\n", " "}}, &line);
  if (body.size() > max_bytes) line += "...";
  return line;
}

}  // namespace

std::optional<absl::Duration> ParseRetryAfter(absl::string_view value,
                                              absl::Time now) {
  value = absl::StripAsciiWhitespace(value);
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  if (absl::SimpleAtoi(value, &seconds)) {
    if (seconds < 0) return std::nullopt;
    return absl::Seconds(seconds);
  }
  // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT" (RFC 9110 5.6.7).
  absl::Time at;
  std::string error;
  if (absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", value, absl::UTCTimeZone(),
                      &at, &error)) {
    return at > now ? at - now : absl::ZeroDuration();
  }
  return std::nullopt;
}

absl::StatusCode HttpStatusToCode(int status) {
  if (status >= 200 && status < 300) return absl::StatusCode::kOk;
  switch (status) {
    case 400:
    case 422:
      return absl::StatusCode::kInvalidArgument;
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kNotFound;
    case 409:
      return absl::StatusCode::kAborted;
    default:
      break;
  }
  if (status == 408 || status == 429 || status >= 500) {
    return absl::StatusCode::kUnavailable;
  }
  return absl::StatusCode::kUnknown;
}

std::string SummarizeAnswer(const HttpResponse& response,
                            absl::string_view request_id_header,
                            size_t max_body_bytes) {
  std::string summary = absl::StrCat("HTTP ", response.status);
  if (const std::string* id = response.headers.Find(request_id_header)) {
    absl::StrAppend(&summary, " (", request_id_header, " ", *id, ")");
  }
  if (const std::string* retry = response.headers.Find("retry-after")) {
    absl::StrAppend(&summary, " retry-after ", *retry);
  }
  if (response.status >= 400 && !response.body.empty()) {
    absl::StrAppend(&summary, ": ", BodyExcerpt(response.body, max_body_bytes));
  }
  return summary;
}

WritebackOutcome ClassifyHttpAnswer(const absl::StatusOr<HttpResponse>& answer,
                                    absl::string_view context, absl::Time now,
                                    absl::string_view request_id_header) {
  WritebackOutcome outcome;
  if (!answer.ok()) {
    const absl::StatusCode code = answer.status().code();
    outcome.result = (code == absl::StatusCode::kDeadlineExceeded ||
                      code == absl::StatusCode::kUnavailable)
                         ? WRITEBACK_RESULT_FAILED_RETRYABLE
                         : WRITEBACK_RESULT_FAILED_PERMANENT;
    outcome.crm_answer =
        absl::StrCat(context, ": no answer: ", answer.status().ToString());
    return outcome;
  }
  const HttpResponse& response = *answer;
  outcome.crm_answer =
      absl::StrCat(context, ": ", SummarizeAnswer(response, request_id_header));
  if (response.status >= 200 && response.status < 300) {
    outcome.result = WRITEBACK_RESULT_DONE;
  } else if (IsRetryableStatus(response.status)) {
    outcome.result = WRITEBACK_RESULT_FAILED_RETRYABLE;
    if (std::optional<absl::Duration> delay =
            ParseRetryAfter(response.headers.Get("retry-after"), now)) {
      outcome.retry_after = *delay;
    }
  } else {
    outcome.result = WRITEBACK_RESULT_FAILED_PERMANENT;
  }
  return outcome;
}

}  // namespace cse::adapters
