// CurlHttpClient: HttpClient over libcurl.
//
// One easy handle per call, sharing a connection cache (CURLSH) so calls
// to one CRM reuse their TLS connections; thread-safe. Redirects are not
// followed (a CRM API that redirects a write is a configuration error
// worth seeing). Response bodies above max_response_bytes fail with
// RESOURCE_EXHAUSTED instead of growing without bound.
#ifndef CSE_ADAPTERS_COMMON_CURL_HTTP_CLIENT_H_
#define CSE_ADAPTERS_COMMON_CURL_HTTP_CLIENT_H_

#include <cstddef>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "adapters/common/http_client.h"

namespace cse::adapters {

class CurlHttpClient : public HttpClient {
 public:
  struct Options {
    size_t max_response_bytes = 8 << 20;
    absl::Duration connect_timeout = absl::Seconds(5);
    // Sent as User-Agent; vendors ask integrations to identify themselves.
    std::string user_agent = "cse-adapter/0.1";
  };

  CurlHttpClient();
  explicit CurlHttpClient(Options options);
  ~CurlHttpClient() override;

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

 private:
  struct Share;
  Options options_;
  std::unique_ptr<Share> share_;
};

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_COMMON_CURL_HTTP_CLIENT_H_
