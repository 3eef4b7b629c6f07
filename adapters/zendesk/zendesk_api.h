// ZendeskApi: authenticated JSON calls to one account's Support API v2.
//
// Auth is basic with "{email}/token:{api_token}" ("API token" in
// https://developer.zendesk.com/api-reference/introduction/security-and-auth/).
// Paths are relative to the account URL ("/api/v2/tickets/7"); the only
// absolute URLs followed are pagination links on that same account, so
// the credentials never leave for another host.
#ifndef CSE_ADAPTERS_ZENDESK_ZENDESK_API_H_
#define CSE_ADAPTERS_ZENDESK_ZENDESK_API_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/common/http_client.h"
#include "adapters/zendesk/json_fields.h"

namespace cse::adapters::zendesk {

// Zendesk's request id response header, quoted in crm_answer
// ("X-Zendesk-Request-Id" in the 429 example of "Best practices for
// avoiding rate limiting",
// https://developer.zendesk.com/documentation/ticketing/using-the-zendesk-api/best-practices-for-avoiding-rate-limiting/).
inline constexpr absl::string_view kRequestIdHeader = "x-zendesk-request-id";

// "Basic base64(user:token)"; "/token" is appended to `email` unless it
// ends with it already.
std::string ZendeskAuthorization(absl::string_view email,
                                 absl::string_view api_token);

class ZendeskApi {
 public:
  // `http` outlives the object; `base_url` has no trailing '/'.
  ZendeskApi(HttpClient* http, std::string base_url, std::string authorization,
             absl::Duration timeout);

  // GET `path_or_url`: a path ("/api/v2/...") or an absolute URL that
  // IsOwnUrl accepts.
  absl::StatusOr<HttpResponse> Get(absl::string_view path_or_url) const;
  // PUT `path` with a JSON body.
  absl::StatusOr<HttpResponse> Put(absl::string_view path,
                                   const Json& body) const;

  // True for base_url + "/..." (pagination links).
  bool IsOwnUrl(absl::string_view url) const;
  // The path of an own URL (for crm_answer); `url` itself otherwise.
  absl::string_view PathOf(absl::string_view url) const;

 private:
  HttpRequest Request(absl::string_view method, absl::string_view url) const;

  HttpClient* http_;
  std::string base_url_;
  std::string authorization_;
  absl::Duration timeout_;
};

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_ZENDESK_API_H_
