#include "adapters/zendesk/zendesk_api.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace cse::adapters::zendesk {

std::string ZendeskAuthorization(absl::string_view email,
                                 absl::string_view api_token) {
  const std::string user = absl::EndsWith(email, "/token")
                               ? std::string(email)
                               : absl::StrCat(email, "/token");
  return absl::StrCat("Basic ",
                      absl::Base64Escape(absl::StrCat(user, ":", api_token)));
}

ZendeskApi::ZendeskApi(HttpClient* http, std::string base_url,
                       std::string authorization, absl::Duration timeout)
    : http_(http),
      base_url_(std::move(base_url)),
      authorization_(std::move(authorization)),
      timeout_(timeout) {}

HttpRequest ZendeskApi::Request(absl::string_view method,
                                absl::string_view url) const {
  HttpRequest request;
  request.method = std::string(method);
  request.url = absl::StartsWith(url, "/") ? absl::StrCat(base_url_, url)
                                           : std::string(url);
  request.headers.Set("Authorization", authorization_);
  request.headers.Set("Accept", "application/json");
  request.timeout = timeout_;
  return request;
}

absl::StatusOr<HttpResponse> ZendeskApi::Get(
    absl::string_view path_or_url) const {
  if (!absl::StartsWith(path_or_url, "/") && !IsOwnUrl(path_or_url)) {
    return absl::InvalidArgumentError(
        absl::StrCat("refusing to send credentials to ", path_or_url,
                     ": not on the configured base_url"));
  }
  return http_->Send(Request("GET", path_or_url));
}

absl::StatusOr<HttpResponse> ZendeskApi::Put(absl::string_view path,
                                             const Json& body) const {
  HttpRequest request = Request("PUT", path);
  request.headers.Set("Content-Type", "application/json");
  // Invalid UTF-8 (it cannot come from a proto string) is replaced rather
  // than thrown.
  request.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return http_->Send(request);
}

bool ZendeskApi::IsOwnUrl(absl::string_view url) const {
  return absl::StartsWith(url, base_url_) && url.size() > base_url_.size() &&
         url[base_url_.size()] == '/';
}

absl::string_view ZendeskApi::PathOf(absl::string_view url) const {
  if (IsOwnUrl(url)) url.remove_prefix(base_url_.size());
  return url;
}

}  // namespace cse::adapters::zendesk
