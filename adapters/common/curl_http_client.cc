#include "adapters/common/curl_http_client.h"

#include <curl/curl.h>

#include <array>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace cse::adapters {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  HttpResponse* response;
  size_t max_bytes;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (transfer->response->body.size() + bytes > transfer->max_bytes) {
    transfer->too_large = true;
    return 0;  // Aborts the transfer with CURLE_WRITE_ERROR.
  }
  transfer->response->body.append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  absl::string_view line(data, bytes);
  // A new status line starts a new header block (a 100 Continue came
  // first): keep only the final response's fields.
  if (absl::StartsWith(line, "HTTP/")) {
    transfer->response->headers = HttpHeaders();
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon != absl::string_view::npos) {
    transfer->response->headers.Add(
        absl::StripAsciiWhitespace(line.substr(0, colon)),
        absl::StripAsciiWhitespace(line.substr(colon + 1)));
  }
  return bytes;
}

// curl's share interface needs lock callbacks; one mutex per data kind.
struct ShareLocks {
  std::array<std::mutex, CURL_LOCK_DATA_LAST> mutexes;
};

void LockShare(CURL*, curl_lock_data data, curl_lock_access, void* user) {
  static_cast<ShareLocks*>(user)->mutexes[data].lock();
}
void UnlockShare(CURL*, curl_lock_data data, void* user) {
  static_cast<ShareLocks*>(user)->mutexes[data].unlock();
}

}  // namespace

struct CurlHttpClient::Share {
  ShareLocks locks;
  CURLSH* handle = nullptr;
};

CurlHttpClient::CurlHttpClient() : CurlHttpClient(Options()) {}

CurlHttpClient::CurlHttpClient(Options options)
    : options_(std::move(options)), share_(std::make_unique<Share>()) {
  GlobalInitOnce();
  share_->handle = curl_share_init();
  curl_share_setopt(share_->handle, CURLSHOPT_LOCKFUNC, &LockShare);
  curl_share_setopt(share_->handle, CURLSHOPT_UNLOCKFUNC, &UnlockShare);
  curl_share_setopt(share_->handle, CURLSHOPT_USERDATA, &share_->locks);
  curl_share_setopt(share_->handle, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share_->handle, CURLSHOPT_SHARE,
                    CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt(share_->handle, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
}

CurlHttpClient::~CurlHttpClient() { curl_share_cleanup(share_->handle); }

absl::StatusOr<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  HttpResponse response;
  Transfer transfer{&response, options_.max_response_bytes};

  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers.fields()) {
    headers =
        curl_slist_append(headers, absl::StrCat(name, ": ", value).c_str());
  }
  // curl adds "Expect: 100-continue" to large POSTs; CRM APIs do not need
  // the extra round trip.
  headers = curl_slist_append(headers, "Expect:");

  curl_easy_setopt(curl, CURLOPT_SHARE, share_->handle);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method != "GET" && request.method != "DELETE") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(
      curl, CURLOPT_TIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(request.timeout)));
  curl_easy_setopt(
      curl, CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // Thread-safe timeouts.
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);

  const CURLcode code = curl_easy_perform(curl);
  long status = 0;  // NOLINT(google-runtime-int): curl's API type.
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);

  const std::string where = absl::StrCat(request.method, " ", request.url);
  switch (code) {
    case CURLE_OK:
      response.status = static_cast<int>(status);
      return response;
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(absl::StrCat(
          where, ": no answer within ", absl::FormatDuration(request.timeout)));
    case CURLE_WRITE_ERROR:
      if (transfer.too_large) {
        return absl::ResourceExhaustedError(
            absl::StrCat(where, ": response body over ",
                         options_.max_response_bytes, " bytes"));
      }
      break;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": ", curl_easy_strerror(code)));
    default:
      break;
  }
  return absl::UnavailableError(
      absl::StrCat(where, ": ", curl_easy_strerror(code)));
}

}  // namespace cse::adapters
