// HubSpotApi: calls to the CRM API (https://api.hubapi.com) with the
// private app's Bearer token, and what their answers mean.
//
// Authentication: "Authorization: Bearer <private app access token>"
// (https://developers.hubspot.com/docs/api/private-apps, "Make API calls
// with your app's access token").
//
// Rate limits
// (https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details): a
// private app may make a limited number of calls per rolling ten-second window
// and per day; answers carry X-HubSpot-RateLimit-Max, -Remaining and
// -Interval-Milliseconds (the window), and X-HubSpot-RateLimit-Daily /
// -Daily-Remaining; an exceeded limit is a 429 whose JSON body names the policy
// ("policyName": "TEN_SECONDLY_ROLLING" or "DAILY"). HubSpot does not document
// a Retry-After header; one is honoured if present.
//
// Every answer carries X-HubSpot-Correlation-Id (error bodies repeat it as
// "correlationId", https://developers.hubspot.com/docs/api/error-handling):
// it is quoted in crm_answer so HubSpot support can find the call.
#ifndef CSE_ADAPTERS_HUBSPOT_HUBSPOT_API_H_
#define CSE_ADAPTERS_HUBSPOT_HUBSPOT_API_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/common/http_client.h"
#include "adapters/crm_adapter.h"
#include "adapters/hubspot/hubspot_options.h"
#include "adapters/hubspot/json_fields.h"

namespace cse::adapters::hubspot {

inline constexpr absl::string_view kCorrelationIdHeader =
    "x-hubspot-correlation-id";

// The outcome of one writeback call's answer: the project's table
// (http_answer.h), plus, for a 429 without Retry-After, a retry_after from
// HubSpot's limits: one hour when the daily limit is spent, else the
// rolling window (X-HubSpot-RateLimit-Interval-Milliseconds, ten seconds
// when absent).
WritebackOutcome ClassifyHubSpotAnswer(
    const absl::StatusOr<HttpResponse>& answer, absl::string_view context,
    absl::Time now);

class HubSpotApi {
 public:
  // `http` and `options` outlive this object.
  HubSpotApi(HttpClient* http, const HubSpotOptions* options,
             absl::Time (*now)())
      : http_(http), options_(options), now_(now) {}

  // One call: `path` starts with '/' and may carry a query; a non-empty
  // `json_body` is sent as application/json.
  absl::StatusOr<HttpResponse> Call(absl::string_view method,
                                    absl::string_view path,
                                    absl::string_view json_body = "") const;

  // A read whose failure must make HubSpot redeliver the webhook: the
  // answer's JSON on 2xx; NOT_FOUND on 404 (the object is gone);
  // UNAVAILABLE for every other answer or for no answer, naming the call,
  // the status and the correlation id.
  absl::StatusOr<Json> Read(absl::string_view method, absl::string_view path,
                            absl::string_view json_body = "") const;

  absl::Time Now() const { return now_(); }
  const HubSpotOptions& options() const { return *options_; }

 private:
  HttpClient* http_;
  const HubSpotOptions* options_;
  absl::Time (*now_)();
};

}  // namespace cse::adapters::hubspot

#endif  // CSE_ADAPTERS_HUBSPOT_HUBSPOT_API_H_
