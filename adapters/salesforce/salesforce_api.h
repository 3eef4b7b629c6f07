// SalesforceApi: the REST API calls the adapter makes, and how Salesforce's
// answers become writeback outcomes.
//
// Every call goes to {instance_url}/services/data/{api_version}/... with
// "Authorization: Bearer <access token>" (e.g. Create a Record,
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/dome_sobject_create.htm,
// and Update Records Using sObject Rows,
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_retrieve_patch.htm).
// Errors come back as a JSON array of {"message", "errorCode", "fields"}
// (Status Codes and Error Responses,
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm),
// and every answer carries "Sforce-Limit-Info: api-usage=18/5000", the
// organization's daily API usage (Limit Info Header,
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm),
// which crm_answer quotes.
//
// Answers, on top of the shared table (adapters/common/http_answer.h):
//   403 REQUEST_LIMIT_EXCEEDED   FAILED_RETRYABLE: the daily API limit (or
//                                the concurrent-request limit) is used up;
//                                retried after kRequestLimitRetryAfter
//   401 INVALID_SESSION_ID       FAILED_PERMANENT, saying the access token
//                                expired or was revoked: token refresh is
//                                out of scope, the admin replaces it
//   412                          FAILED_RETRYABLE: the record changed since
//                                it was read (If-Unmodified-Since)
//   503, 5xx, 429, timeout       FAILED_RETRYABLE (shared table)
//   other 4xx                    FAILED_PERMANENT (shared table)
#ifndef CSE_ADAPTERS_SALESFORCE_SALESFORCE_API_H_
#define CSE_ADAPTERS_SALESFORCE_SALESFORCE_API_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/common/http_client.h"
#include "adapters/crm_adapter.h"
#include "nlohmann/json.hpp"

namespace cse::adapters::salesforce {

using Json = nlohmann::json;
using Clock = absl::Time (*)();

// How long a job waits after REQUEST_LIMIT_EXCEEDED when Salesforce gives no
// Retry-After. Our choice, not Salesforce's: the daily limit is a rolling
// 24-hour window, so hammering it is pointless; the outbox's own backoff
// grows from here.
inline constexpr absl::Duration kRequestLimitRetryAfter = absl::Minutes(10);

// The errorCode values of a Salesforce error body ([{"errorCode": ...}]);
// empty when the body is not such an array.
std::vector<std::string> ErrorCodes(absl::string_view body);

// The outcome for one answer (see the table above). `context` names the
// call ("POST /sobjects/CaseComment").
WritebackOutcome ClassifySalesforceAnswer(
    const absl::StatusOr<HttpResponse>& answer, absl::string_view context,
    absl::Time now);

// 'value' as a SOQL string literal: quotes, backslashes and control
// characters escaped (Quoted String Escape Sequences,
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm).
std::string SoqlQuote(absl::string_view value);
// '%value%' for LIKE: as SoqlQuote, and '%' and '_' escaped too so they
// match themselves.
std::string SoqlContains(absl::string_view value);

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string UrlEncode(absl::string_view text);

// A Salesforce dateTime: SOAP "2024-03-05T10:15:00.000Z" or REST
// "2024-03-05T10:15:00.000+0000". nullopt when unparsable.
std::optional<absl::Time> ParseSalesforceTime(absl::string_view text);

// What one call came to.
struct ApiResult {
  // The HTTP status, 0 when no answer came.
  int status = 0;
  // The parsed body of a 2xx answer (null when empty, e.g. 204).
  Json json;
  // errorCode values of an error answer.
  std::vector<std::string> error_codes;
  // Set when the call failed: the classified outcome, crm_answer included.
  std::optional<WritebackOutcome> failure;
  // One line for a successful call: "POST /sobjects/CaseComment: HTTP 201
  // (sforce-limit-info api-usage=18/5000)".
  std::string summary;

  bool ok() const { return !failure.has_value(); }
  bool HasErrorCode(absl::string_view code) const;
};

class SalesforceApi {
 public:
  // `http` and `now` outlive the api.
  SalesforceApi(HttpClient* http, std::string instance_url,
                std::string api_version, std::string access_token,
                absl::Duration timeout, Clock now);

  // `path` is relative to /services/data/vXX.X ("/sobjects/Case/500...").
  ApiResult Get(absl::string_view path) const;
  ApiResult Post(absl::string_view path, const Json& body) const;
  // `extra_headers` e.g. If-Unmodified-Since.
  ApiResult Patch(absl::string_view path, const Json& body,
                  const HttpHeaders& extra_headers = HttpHeaders()) const;

  // GET /query?q=<soql>, following nextRecordsUrl for at most `max_pages`
  // pages (Execute a SOQL Query,
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm:
  // {"totalSize", "done", "nextRecordsUrl", "records": [...]}).
  // On success `json` is the array of every page's records. `what` names
  // the query in crm_answer ("query CaseComment").
  ApiResult Query(absl::string_view soql, absl::string_view what,
                  int max_pages = 10) const;

  Clock clock() const { return now_; }

 private:
  ApiResult Send(absl::string_view method, absl::string_view url,
                 absl::string_view context, const Json* body,
                 const HttpHeaders& extra_headers) const;

  HttpClient* http_;
  std::string instance_url_;
  // "/services/data/v59.0"
  std::string data_root_;
  std::string access_token_;
  absl::Duration timeout_;
  Clock now_;
};

}  // namespace cse::adapters::salesforce

#endif  // CSE_ADAPTERS_SALESFORCE_SALESFORCE_API_H_
