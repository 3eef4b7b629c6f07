#include "adapters/salesforce/salesforce_api.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/http_answer.h"

namespace cse::adapters::salesforce {
namespace {

using cse::v1::WRITEBACK_RESULT_FAILED_PERMANENT;
using cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE;

constexpr absl::string_view kLimitInfoHeader = "sforce-limit-info";

std::string Dump(const Json& json) {
  // replace: an invalid UTF-8 string must not throw here.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void AppendLimitInfo(const HttpResponse& response, std::string* line) {
  if (const std::string* info = response.headers.Find(kLimitInfoHeader)) {
    absl::StrAppend(line, " (", kLimitInfoHeader, " ", *info, ")");
  }
}

std::string EscapeSoql(absl::string_view value, bool like) {
  std::string out;
  out.reserve(value.size() + 8);
  for (char c : value) {
    switch (c) {
      case '\'':
        out += "\\'";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '%':
      case '_':
        if (like) out.push_back('\\');
        out.push_back(c);
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> ErrorCodes(absl::string_view body) {
  std::vector<std::string> codes;
  Json json = Json::parse(body.begin(), body.end(), nullptr, false);
  if (json.is_discarded()) return codes;
  // Some endpoints answer a single object rather than an array.
  if (json.is_object()) json = Json::array({json});
  if (!json.is_array()) return codes;
  for (const Json& error : json) {
    if (!error.is_object()) continue;
    auto code = error.find("errorCode");
    if (code != error.end() && code->is_string()) {
      codes.push_back(code->get<std::string>());
    }
  }
  return codes;
}

WritebackOutcome ClassifySalesforceAnswer(
    const absl::StatusOr<HttpResponse>& answer, absl::string_view context,
    absl::Time now) {
  WritebackOutcome outcome = ClassifyHttpAnswer(answer, context, now);
  if (!answer.ok()) return outcome;
  const HttpResponse& response = *answer;
  AppendLimitInfo(response, &outcome.crm_answer);
  const std::vector<std::string> codes = ErrorCodes(response.body);
  auto has = [&codes](absl::string_view code) {
    for (const std::string& c : codes) {
      if (c == code) return true;
    }
    return false;
  };
  if (response.status == 403 && has("REQUEST_LIMIT_EXCEEDED")) {
    outcome.result = WRITEBACK_RESULT_FAILED_RETRYABLE;
    if (outcome.retry_after == absl::ZeroDuration()) {
      outcome.retry_after = kRequestLimitRetryAfter;
    }
    absl::StrAppend(&outcome.crm_answer,
                    "; API request limit exceeded, retrying later");
  } else if (response.status == 401) {
    outcome.result = WRITEBACK_RESULT_FAILED_PERMANENT;
    absl::StrAppend(&outcome.crm_answer,
                    "; the access token expired or was revoked: replace "
                    "salesforce.access_token (the adapter does not refresh "
                    "tokens) and retry the dead letters");
  } else if (response.status == 412) {
    outcome.result = WRITEBACK_RESULT_FAILED_RETRYABLE;
    absl::StrAppend(&outcome.crm_answer,
                    "; the record changed since it was read");
  }
  return outcome;
}

std::string SoqlQuote(absl::string_view value) {
  return absl::StrCat("'", EscapeSoql(value, /*like=*/false), "'");
}

std::string SoqlContains(absl::string_view value) {
  return absl::StrCat("'%", EscapeSoql(value, /*like=*/true), "%'");
}

std::string UrlEncode(absl::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(byte) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  return out;
}

std::optional<absl::Time> ParseSalesforceTime(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return std::nullopt;
  absl::Time time;
  std::string error;
  // "...Z" / "...+01:00" (SOAP xsd:dateTime), "...+0000" (REST JSON).
  for (const char* format : {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*S%z",
                             "%Y-%m-%dT%H:%M:%E*SZ"}) {
    if (absl::ParseTime(format, text, absl::UTCTimeZone(), &time, &error)) {
      return time;
    }
  }
  return std::nullopt;
}

bool ApiResult::HasErrorCode(absl::string_view code) const {
  for (const std::string& c : error_codes) {
    if (c == code) return true;
  }
  return false;
}

SalesforceApi::SalesforceApi(HttpClient* http, std::string instance_url,
                             std::string api_version, std::string access_token,
                             absl::Duration timeout, Clock now)
    : http_(http),
      instance_url_(std::move(instance_url)),
      data_root_(absl::StrCat("/services/data/", api_version)),
      access_token_(std::move(access_token)),
      timeout_(timeout),
      now_(now) {}

ApiResult SalesforceApi::Send(absl::string_view method, absl::string_view url,
                              absl::string_view context, const Json* body,
                              const HttpHeaders& extra_headers) const {
  HttpRequest request;
  request.method = std::string(method);
  request.url = std::string(url);
  request.timeout = timeout_;
  request.headers.Set("Authorization", absl::StrCat("Bearer ", access_token_));
  request.headers.Set("Accept", "application/json");
  for (const auto& [name, value] : extra_headers.fields()) {
    request.headers.Set(name, value);
  }
  if (body != nullptr) {
    request.headers.Set("Content-Type", "application/json");
    request.body = Dump(*body);
  }
  absl::StatusOr<HttpResponse> answer = http_->Send(request);

  ApiResult result;
  if (answer.ok()) {
    result.status = answer->status;
    if (answer->status < 200 || answer->status >= 300) {
      result.error_codes = ErrorCodes(answer->body);
    }
  }
  WritebackOutcome outcome = ClassifySalesforceAnswer(answer, context, now_());
  if (outcome.result != cse::v1::WRITEBACK_RESULT_DONE) {
    result.failure = std::move(outcome);
    return result;
  }
  result.summary = std::move(outcome.crm_answer);
  if (!absl::StripAsciiWhitespace(answer->body).empty()) {
    result.json = Json::parse(answer->body, nullptr, false);
    if (result.json.is_discarded()) {
      result.json = Json();
      WritebackOutcome unreadable;
      unreadable.result = WRITEBACK_RESULT_FAILED_PERMANENT;
      unreadable.crm_answer = absl::StrCat(context, ": HTTP ", answer->status,
                                           " with a body that is not JSON");
      result.failure = std::move(unreadable);
    }
  }
  return result;
}

ApiResult SalesforceApi::Get(absl::string_view path) const {
  return Send("GET", absl::StrCat(instance_url_, data_root_, path),
              absl::StrCat("GET ", path.substr(0, path.find('?'))), nullptr,
              HttpHeaders());
}

ApiResult SalesforceApi::Post(absl::string_view path, const Json& body) const {
  return Send("POST", absl::StrCat(instance_url_, data_root_, path),
              absl::StrCat("POST ", path), &body, HttpHeaders());
}

ApiResult SalesforceApi::Patch(absl::string_view path, const Json& body,
                               const HttpHeaders& extra_headers) const {
  return Send("PATCH", absl::StrCat(instance_url_, data_root_, path),
              absl::StrCat("PATCH ", path), &body, extra_headers);
}

ApiResult SalesforceApi::Query(absl::string_view soql, absl::string_view what,
                               int max_pages) const {
  const std::string context = absl::StrCat("GET /query (", what, ")");
  std::string url =
      absl::StrCat(instance_url_, data_root_, "/query?q=", UrlEncode(soql));
  Json records = Json::array();
  ApiResult page;
  for (int i = 0; i < max_pages; ++i) {
    page = Send("GET", url, context, nullptr, HttpHeaders());
    if (!page.ok()) return page;
    const Json& json = page.json;
    auto rows = json.is_object() ? json.find("records") : json.end();
    if (!json.is_object() || rows == json.end() || !rows->is_array()) {
      WritebackOutcome unexpected;
      unexpected.result = WRITEBACK_RESULT_FAILED_PERMANENT;
      unexpected.crm_answer =
          absl::StrCat(context, ": HTTP ", page.status, " without records");
      page.failure = std::move(unexpected);
      return page;
    }
    for (const Json& row : *rows) records.push_back(row);
    auto done = json.find("done");
    auto next = json.find("nextRecordsUrl");
    if ((done != json.end() && done->is_boolean() && done->get<bool>()) ||
        next == json.end() || !next->is_string() ||
        !absl::StartsWith(next->get<std::string>(), "/services/data/")) {
      page.json = std::move(records);
      return page;
    }
    // nextRecordsUrl is a path on the same instance.
    url = absl::StrCat(instance_url_, next->get<std::string>());
  }
  WritebackOutcome too_many;
  too_many.result = WRITEBACK_RESULT_FAILED_PERMANENT;
  too_many.crm_answer =
      absl::StrCat(context, ": more than ", max_pages, " pages of results");
  page.failure = std::move(too_many);
  return page;
}

}  // namespace cse::adapters::salesforce
