// RtSession: REST2 calls to Request Tracker 5 on a logged-in session.
//
// REST2 accepts basic auth and auth tokens, but RT checks them with bcrypt
// on every request (0.25-0.7 s a call measured on RT 5.0.3), while a web
// session cookie costs 10-70 ms (../shared/vendor-notes/request-tracker5.md).
// So the session logs in once through the login form
// (POST /NoAuth/Login.html user=&pass=, which answers with an RT_SID_*
// cookie; REST2 accepts that cookie) and logs in again when REST2 says the
// session is gone (302 "Login required", or 401).
#ifndef CSE_ADAPTERS_REQUEST_TRACKER_RT_SESSION_H_
#define CSE_ADAPTERS_REQUEST_TRACKER_RT_SESSION_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "adapters/common/http_client.h"

namespace cse::adapters::request_tracker {

class RtSession {
 public:
  RtSession(HttpClient* http, std::string base_url, std::string user,
            std::string password, absl::Duration timeout);

  // Sends `method` `path` (relative to /REST/2.0, e.g. "/ticket/7") with a
  // JSON body (empty: none). Logs in first if needed and once more when
  // the session has expired. The response is returned whatever its status; the
  // Status is an error only when RT gave no answer or refused the login
  // (UNAUTHENTICATED).
  absl::StatusOr<HttpResponse> Rest(const std::string& method,
                                    const std::string& path,
                                    const std::string& json_body = "");

  const std::string& base_url() const { return base_url_; }

 private:
  absl::Status LogIn() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<HttpResponse> SendWithCookie(const std::string& method,
                                              const std::string& path,
                                              const std::string& json_body,
                                              const std::string& cookie);

  HttpClient* http_;
  const std::string base_url_;
  const std::string user_;
  const std::string password_;
  const absl::Duration timeout_;
  absl::Mutex mu_;
  std::string cookie_ ABSL_GUARDED_BY(mu_);
};

// Percent-encodes `text` for a URL query value (RFC 3986 unreserved kept).
std::string UrlEncode(absl::string_view text);

}  // namespace cse::adapters::request_tracker

#endif  // CSE_ADAPTERS_REQUEST_TRACKER_RT_SESSION_H_
