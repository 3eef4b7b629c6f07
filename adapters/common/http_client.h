// HttpClient: the one way adapters call a CRM's REST API.
//
// An interface so that adapters are tested against a fake CRM server over
// real HTTP (CurlHttpClient) and, where only the request shape matters,
// against a gMock (tests/mocks/mock_http_client.h).
#ifndef CSE_ADAPTERS_COMMON_HTTP_CLIENT_H_
#define CSE_ADAPTERS_COMMON_HTTP_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/common/http_headers.h"

namespace cse::adapters {

struct HttpRequest {
  std::string method = "GET";
  std::string url = {};
  HttpHeaders headers = {};
  std::string body = {};
  // Whole-exchange timeout (connect + send + receive).
  absl::Duration timeout = absl::Seconds(10);
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Performs `request`. Any HTTP status is a response, not an error. The
  // Status is an error only when no response came:
  //   DEADLINE_EXCEEDED: the timeout passed;
  //   UNAVAILABLE: connection refused or reset, DNS failure, TLS failure;
  //   RESOURCE_EXHAUSTED: the response body exceeded the client's limit;
  //   INVALID_ARGUMENT: the request itself is malformed (bad URL).
  // Thread-safe.
  virtual absl::StatusOr<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_COMMON_HTTP_CLIENT_H_
