#include "adapters/generic_webhook/http_call_template.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"

namespace cse::adapters::generic_webhook {
namespace {

using cse::adapters::v1::BodyFormat;

constexpr absl::string_view kSecretPrefix = "secret.";
constexpr absl::string_view kJsonSuffix = "_json";

enum class Context { kUrl, kHeader, kJsonBody, kFormBody, kTextBody };

struct Value {
  std::string text;
  bool is_json = false;  // `text` is a complete JSON value
};

std::string QuotedJson(absl::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Value> LookUp(const PlaceholderValues& values,
                            absl::string_view name) {
  if (absl::StartsWith(name, kSecretPrefix)) {
    if (values.secrets == nullptr) return std::nullopt;
    auto it = values.secrets->find(name.substr(kSecretPrefix.size()));
    if (it == values.secrets->end()) return std::nullopt;
    return Value{it->second, false};
  }
  if (auto it = values.json_values.find(name); it != values.json_values.end()) {
    return Value{it->second, true};
  }
  if (auto it = values.strings.find(name); it != values.strings.end()) {
    return Value{it->second, false};
  }
  if (absl::EndsWith(name, kJsonSuffix)) {
    auto it =
        values.strings.find(name.substr(0, name.size() - kJsonSuffix.size()));
    if (it != values.strings.end()) return Value{QuotedJson(it->second), true};
  }
  return std::nullopt;
}

std::optional<std::string> Escaped(const PlaceholderValues& values,
                                   absl::string_view name, Context context) {
  std::optional<Value> value = LookUp(values, name);
  if (!value.has_value()) return std::nullopt;
  switch (context) {
    case Context::kUrl:
    case Context::kFormBody:
      return PercentEncode(value->text);
    case Context::kJsonBody:
      return value->is_json ? value->text : JsonStringContent(value->text);
    case Context::kHeader:
    case Context::kTextBody:
      return value->text;
  }
  return std::nullopt;
}

bool IsToken(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
        absl::string_view("!#$%&'*+-.^_`|~").find(c) ==
            absl::string_view::npos) {
      return false;
    }
  }
  return true;
}

std::optional<TextTemplate> CompileTemplate(const std::string& text,
                                            const std::string& path,
                                            const PlaceholderSet& placeholders,
                                            ConfigErrors* errors) {
  absl::StatusOr<TextTemplate> parsed = TextTemplate::Parse(text);
  if (!parsed.ok()) {
    errors->Add(path, std::string(parsed.status().message()));
    return std::nullopt;
  }
  bool ok = true;
  for (const std::string& name : parsed->Placeholders()) {
    std::string problem = placeholders.Check(name);
    if (!problem.empty()) {
      errors->Add(path, problem);
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return *std::move(parsed);
}

// Sample values for checking at load that a JSON body renders to JSON.
PlaceholderValues SampleValues(
    const PlaceholderSet& placeholders,
    absl::flat_hash_map<std::string, std::string>* secrets) {
  PlaceholderValues values;
  for (const std::string& name : placeholders.strings) {
    values.strings[name] = "sample \"value\"\n";
  }
  for (const std::string& name : placeholders.json_values) {
    values.json_values[name] = R"(["sample-a","sample-b"])";
  }
  for (const std::string& name : placeholders.secrets) {
    (*secrets)[name] = "secret";
  }
  values.secrets = secrets;
  return values;
}

absl::Status CheckJson(absl::string_view text) {
  try {
    const nlohmann::json parsed = nlohmann::json::parse(text);
    (void)parsed;
  } catch (const nlohmann::json::parse_error& e) {
    return absl::InvalidArgumentError(e.what());
  }
  return absl::OkStatus();
}

absl::string_view DefaultContentType(BodyFormat format) {
  switch (format) {
    case cse::adapters::v1::BODY_FORMAT_JSON:
      return "application/json";
    case cse::adapters::v1::BODY_FORMAT_FORM:
      return "application/x-www-form-urlencoded";
    default:
      return "text/plain; charset=utf-8";
  }
}

}  // namespace

std::string PlaceholderSet::Check(absl::string_view name) const {
  if (absl::StartsWith(name, kSecretPrefix)) {
    const absl::string_view secret = name.substr(kSecretPrefix.size());
    if (secrets.contains(secret)) return "";
    std::vector<std::string> names(secrets.begin(), secrets.end());
    std::sort(names.begin(), names.end());
    return absl::StrCat("unknown secret {", name,
                        "}; writeback.secrets defines: ",
                        names.empty() ? "none" : absl::StrJoin(names, ", "));
  }
  if (json_values.contains(name) || strings.contains(name)) return "";
  if (absl::EndsWith(name, kJsonSuffix) &&
      strings.contains(name.substr(0, name.size() - kJsonSuffix.size()))) {
    return "";
  }
  return absl::StrCat("unknown placeholder {", name,
                      "}; known here: ", Describe());
}

std::string PlaceholderSet::Describe() const {
  std::vector<std::string> names;
  for (const std::string& name : strings) names.push_back(name);
  for (const std::string& name : json_values) names.push_back(name);
  std::sort(names.begin(), names.end());
  std::string text =
      absl::StrJoin(names, ", ", [](std::string* out, const std::string& name) {
        absl::StrAppend(out, "{", name, "}");
      });
  absl::StrAppend(&text, " (string ones also as {NAME_json}), {secret.NAME}");
  return text;
}

std::string PercentEncode(absl::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::string JsonStringContent(absl::string_view text) {
  std::string quoted = QuotedJson(text);
  return quoted.substr(1, quoted.size() - 2);
}

std::string DescribeRequest(const HttpRequest& request) {
  absl::string_view url = request.url;
  const size_t scheme = url.find("://");
  if (scheme != absl::string_view::npos) {
    const size_t path = url.find('/', scheme + 3);
    url = path == absl::string_view::npos ? "/" : url.substr(path);
  }
  url = url.substr(0, url.find_first_of("?#"));
  return absl::StrCat(request.method, " ", url);
}

std::vector<std::pair<std::string, TextTemplate>>
HttpCallTemplate::CompileCommonHeaders(
    const google::protobuf::Map<std::string, std::string>& headers,
    const std::string& path, const PlaceholderSet& placeholders,
    ConfigErrors* errors) {
  std::vector<std::string> names;
  for (const auto& [name, unused] : headers) names.push_back(name);
  std::sort(names.begin(), names.end());
  std::vector<std::pair<std::string, TextTemplate>> compiled;
  for (const std::string& name : names) {
    const std::string header_path = Child(path, name);
    if (!IsToken(name)) {
      errors->Add(header_path,
                  absl::StrCat("\"", name, "\" is not a valid header name"));
      continue;
    }
    if (std::optional<TextTemplate> value = CompileTemplate(
            headers.at(name), header_path, placeholders, errors)) {
      compiled.emplace_back(name, *std::move(value));
    }
  }
  return compiled;
}

std::optional<HttpCallTemplate> HttpCallTemplate::Compile(
    const cse::adapters::v1::HttpCall& call, const std::string& path,
    absl::string_view base_url, const PlaceholderSet& placeholders,
    ConfigErrors* errors) {
  const size_t errors_before = errors->size();
  HttpCallTemplate out;
  out.method_ = absl::AsciiStrToUpper(call.method());
  static constexpr absl::string_view kMethods[] = {"GET", "POST", "PUT",
                                                   "PATCH", "DELETE"};
  if (call.method().empty()) {
    errors->Add(Child(path, "method"),
                "required: GET, POST, PUT, PATCH or DELETE");
  } else if (std::find(std::begin(kMethods), std::end(kMethods), out.method_) ==
             std::end(kMethods)) {
    errors->Add(Child(path, "method"),
                absl::StrCat("\"", call.method(),
                             "\" is not one of GET, POST, PUT, PATCH, DELETE"));
  }

  const std::string url_path = Child(path, "url");
  const std::string& url = call.url();
  if (url.empty()) {
    errors->Add(url_path, "required");
  } else if (absl::StartsWith(url, "/")) {
    if (base_url.empty()) {
      errors->Add(url_path,
                  "a path needs writeback.base_url (or give an absolute "
                  "https:// URL)");
    }
    out.base_url_ = std::string(absl::StripSuffix(base_url, "/"));
  } else if (absl::StartsWith(url, "https://") ||
             absl::StartsWith(url, "http://")) {
    const size_t host_start = url.find("://") + 3;
    const size_t host_end = url.find_first_of("/?#", host_start);
    const size_t first_brace = url.find('{');
    if (first_brace != std::string::npos &&
        (host_end == std::string::npos || first_brace < host_end)) {
      errors->Add(url_path,
                  "the scheme and host must be literal; placeholders may "
                  "only follow them");
    }
  } else {
    errors->Add(
        url_path,
        absl::StrCat("\"", url, "\" must start with https://, http:// or '/'"));
  }
  if (!url.empty())
    out.url_ = CompileTemplate(url, url_path, placeholders, errors);

  out.headers_ = CompileCommonHeaders(call.headers(), Child(path, "headers"),
                                      placeholders, errors);

  out.body_format_ = call.body_format();
  if (!call.body().empty()) {
    const std::string body_path = Child(path, "body");
    if (call.body_format() == cse::adapters::v1::BODY_FORMAT_UNSPECIFIED) {
      errors->Add(Child(path, "body_format"),
                  "required with a body: json, form or text");
    }
    out.body_ = CompileTemplate(call.body(), body_path, placeholders, errors);
    if (out.body_.has_value() &&
        call.body_format() == cse::adapters::v1::BODY_FORMAT_JSON) {
      absl::flat_hash_map<std::string, std::string> secrets;
      PlaceholderValues sample = SampleValues(placeholders, &secrets);
      std::optional<std::string> rendered =
          out.body_->Render([&](absl::string_view name) {
            return Escaped(sample, name, Context::kJsonBody);
          });
      if (rendered.has_value()) {
        absl::Status json = CheckJson(*rendered);
        if (!json.ok()) {
          errors->Add(body_path,
                      absl::StrCat("not valid JSON once its placeholders are "
                                   "filled (write string placeholders inside "
                                   "quotes, \"{note_markdown}\", and *_json "
                                   "ones bare): ",
                                   json.message()));
        }
      }
    }
  }
  if (errors->size() != errors_before) return std::nullopt;
  return out;
}

absl::StatusOr<HttpRequest> HttpCallTemplate::Render(
    const PlaceholderValues& values,
    const std::vector<std::pair<std::string, TextTemplate>>& common_headers,
    absl::Duration timeout) const {
  HttpRequest request;
  request.method = method_;
  request.timeout = timeout;
  std::string missing;
  const auto render = [&](const TextTemplate& t, Context context) {
    return t.Render([&](absl::string_view name) -> std::optional<std::string> {
      std::optional<std::string> v = Escaped(values, name, context);
      if (!v.has_value() && missing.empty()) missing = std::string(name);
      return v;
    });
  };
  const auto no_value = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("no value for {", missing, "}"));
  };

  std::optional<std::string> url = render(*url_, Context::kUrl);
  if (!url.has_value()) return no_value();
  request.url = absl::StrCat(base_url_, *url);

  for (const auto* list : {&common_headers, &headers_}) {
    for (const auto& [name, value_template] : *list) {
      std::optional<std::string> value =
          render(value_template, Context::kHeader);
      if (!value.has_value()) return no_value();
      if (value->find_first_of("\r\n") != std::string::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("header ", name, ": a value contains a line break"));
      }
      // Later lists (the call's own headers) replace earlier ones.
      request.headers.Set(name, *value);
    }
  }

  if (body_.has_value()) {
    const Context context =
        body_format_ == cse::adapters::v1::BODY_FORMAT_JSON ? Context::kJsonBody
        : body_format_ == cse::adapters::v1::BODY_FORMAT_FORM
            ? Context::kFormBody
            : Context::kTextBody;
    std::optional<std::string> body = render(*body_, context);
    if (!body.has_value()) return no_value();
    if (context == Context::kJsonBody) {
      absl::Status json = CheckJson(*body);
      if (!json.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("the rendered body is not JSON: ", json.message()));
      }
    }
    request.body = *std::move(body);
    if (!request.headers.Has("content-type")) {
      request.headers.Set("Content-Type", DefaultContentType(body_format_));
    }
  }
  return request;
}

bool HttpCallTemplate::BodyUses(absl::string_view name) const {
  return body_.has_value() &&
         (body_->Uses(name) || body_->Uses(absl::StrCat(name, kJsonSuffix)));
}

bool HttpCallTemplate::UrlUses(absl::string_view name) const {
  return url_.has_value() &&
         (url_->Uses(name) || url_->Uses(absl::StrCat(name, kJsonSuffix)));
}

}  // namespace cse::adapters::generic_webhook
