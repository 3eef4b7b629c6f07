#include "adapters/request_tracker/rt_session.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace cse::adapters::request_tracker {
namespace {

// The RT_SID_<name>.<port>=<id> pair from the login answer's Set-Cookie
// fields (joined by ", " when there are several).
std::string SessionCookie(absl::string_view set_cookie) {
  for (absl::string_view part :
       absl::StrSplit(set_cookie, absl::ByAnyChar(",;"))) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::StartsWith(part, "RT_SID_")) return std::string(part);
  }
  return "";
}

// REST2 refuses a session that expired (or an RT that restarted) with 302
// to the login page and "Login required", not with 401; a wrong cookie
// after a password change gets 401.
bool SessionExpired(const HttpResponse& response) {
  return response.status == 401 ||
         (response.status == 302 &&
          absl::StrContains(response.body, "Login required"));
}

}  // namespace

std::string UrlEncode(absl::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

RtSession::RtSession(HttpClient* http, std::string base_url, std::string user,
                     std::string password, absl::Duration timeout)
    : http_(http),
      base_url_(std::move(base_url)),
      user_(std::move(user)),
      password_(std::move(password)),
      timeout_(timeout) {}

absl::Status RtSession::LogIn() {
  HttpRequest request;
  request.method = "POST";
  request.url = absl::StrCat(base_url_, "/NoAuth/Login.html");
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  // With `next`, RT answers a good password with a 302 to it and a bad
  // one with the form again (200); without it both get 200 and a cookie
  // (an anonymous session on failure), measured on RT 5.0.3.
  request.body = absl::StrCat("user=", UrlEncode(user_),
                              "&pass=", UrlEncode(password_), "&next=/");
  request.timeout = timeout_;
  absl::StatusOr<HttpResponse> response = http_->Send(request);
  if (!response.ok()) return response.status();
  // A successful login redirects (302) with a fresh session cookie; a
  // failed one shows the login form again (200).
  std::string cookie = SessionCookie(response->headers.Get("set-cookie"));
  if (response->status != 302 || cookie.empty()) {
    return absl::UnauthenticatedError(
        absl::StrCat("Request Tracker refused the login of user ", user_,
                     " (HTTP ", response->status, ")"));
  }
  cookie_ = std::move(cookie);
  return absl::OkStatus();
}

absl::StatusOr<HttpResponse> RtSession::SendWithCookie(
    const std::string& method, const std::string& path,
    const std::string& json_body, const std::string& cookie) {
  HttpRequest request;
  request.method = method;
  request.url = absl::StrCat(base_url_, "/REST/2.0", path);
  request.headers.Set("Cookie", cookie);
  request.headers.Set("Accept", "application/json");
  if (!json_body.empty()) {
    request.headers.Set("Content-Type", "application/json");
    request.body = json_body;
  }
  request.timeout = timeout_;
  return http_->Send(request);
}

absl::StatusOr<HttpResponse> RtSession::Rest(const std::string& method,
                                             const std::string& path,
                                             const std::string& json_body) {
  std::string cookie;
  {
    absl::MutexLock lock(&mu_);
    if (cookie_.empty()) {
      if (absl::Status in = LogIn(); !in.ok()) return in;
    }
    cookie = cookie_;
  }
  absl::StatusOr<HttpResponse> response =
      SendWithCookie(method, path, json_body, cookie);
  if (!response.ok() || !SessionExpired(*response)) return response;
  {
    absl::MutexLock lock(&mu_);
    // Another thread may have logged in again meanwhile.
    if (cookie_ == cookie) {
      if (absl::Status in = LogIn(); !in.ok()) return in;
    }
    cookie = cookie_;
  }
  return SendWithCookie(method, path, json_body, cookie);
}

}  // namespace cse::adapters::request_tracker
