#include "adapters/hubspot/hubspot_api.h"

#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/http_answer.h"

namespace cse::adapters::hubspot {
namespace {

constexpr absl::string_view kRateMax = "x-hubspot-ratelimit-max";
constexpr absl::string_view kRateRemaining = "x-hubspot-ratelimit-remaining";
constexpr absl::string_view kRateInterval =
    "x-hubspot-ratelimit-interval-milliseconds";
constexpr absl::string_view kDailyRemaining =
    "x-hubspot-ratelimit-daily-remaining";

bool HeaderIsZero(const HttpResponse& response, absl::string_view name) {
  int64_t value = 0;
  return absl::SimpleAtoi(response.headers.Get(name), &value) && value <= 0;
}

bool DailyLimitSpent(const HttpResponse& response) {
  if (HeaderIsZero(response, kDailyRemaining)) return true;
  absl::StatusOr<Json> body = ParseJson(response.body, "HubSpot answer");
  if (!body.ok()) return false;
  const Json* policy = Member(*body, "policyName");
  return policy != nullptr && policy->is_string() &&
         policy->get<std::string>() == "DAILY";
}

}  // namespace

WritebackOutcome ClassifyHubSpotAnswer(
    const absl::StatusOr<HttpResponse>& answer, absl::string_view context,
    absl::Time now) {
  WritebackOutcome outcome =
      ClassifyHttpAnswer(answer, context, now, kCorrelationIdHeader);
  if (!answer.ok() || answer->status != 429) return outcome;
  const HttpResponse& response = *answer;
  if (response.headers.Has(kRateRemaining)) {
    absl::StrAppend(&outcome.crm_answer,
                    " [rate limit: ", response.headers.Get(kRateRemaining),
                    " of ", response.headers.Get(kRateMax), " left per ",
                    response.headers.Get(kRateInterval), " ms]");
  }
  if (outcome.retry_after > absl::ZeroDuration()) return outcome;
  if (DailyLimitSpent(response)) {
    // The daily limit resets at midnight in the account's time zone, which
    // the adapter does not know: try again in an hour.
    outcome.retry_after = absl::Hours(1);
    return outcome;
  }
  int64_t interval_ms = 0;
  if (absl::SimpleAtoi(response.headers.Get(kRateInterval), &interval_ms) &&
      interval_ms > 0 && interval_ms <= 3600 * 1000) {
    outcome.retry_after = absl::Milliseconds(interval_ms);
  } else {
    outcome.retry_after = absl::Seconds(10);
  }
  return outcome;
}

absl::StatusOr<HttpResponse> HubSpotApi::Call(
    absl::string_view method, absl::string_view path,
    absl::string_view json_body) const {
  HttpRequest request;
  request.method = std::string(method);
  request.url = absl::StrCat(options_->api_base_url, path);
  request.headers.Set("Authorization",
                      absl::StrCat("Bearer ", options_->access_token));
  request.headers.Set("Accept", "application/json");
  if (!json_body.empty()) {
    request.headers.Set("Content-Type", "application/json");
    request.body = std::string(json_body);
  }
  request.timeout = options_->request_timeout;
  return http_->Send(request);
}

absl::StatusOr<Json> HubSpotApi::Read(absl::string_view method,
                                      absl::string_view path,
                                      absl::string_view json_body) const {
  const std::string context = absl::StrCat(method, " ", path);
  absl::StatusOr<HttpResponse> answer = Call(method, path, json_body);
  if (!answer.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "HubSpot API ", context, ": no answer: ", answer.status().ToString()));
  }
  if (answer->status == 404) {
    return absl::NotFoundError(
        absl::StrCat("HubSpot API ", context, ": ",
                     SummarizeAnswer(*answer, kCorrelationIdHeader)));
  }
  if (answer->status < 200 || answer->status >= 300) {
    return absl::UnavailableError(
        absl::StrCat("HubSpot API ", context, ": ",
                     SummarizeAnswer(*answer, kCorrelationIdHeader)));
  }
  absl::StatusOr<Json> body = ParseJson(answer->body, "HubSpot answer");
  if (!body.ok()) {
    return absl::UnavailableError(
        absl::StrCat("HubSpot API ", context, ": ", body.status().message()));
  }
  return body;
}

}  // namespace cse::adapters::hubspot
