// HttpCallTemplate: one configured HttpCall, compiled, rendered per job.
//
// Each part of the request has its own escaping, so a value can never
// change the request's structure:
//   - URL: placeholders are percent-encoded (RFC 3986 unreserved kept);
//     the scheme and host must be literal;
//   - headers: values inserted as they are; a CR or LF fails the job;
//   - body: BODY_FORMAT_JSON escapes values as JSON string content (write
//     "{note_markdown}" inside quotes) except *_json placeholders, which
//     insert a whole JSON value; FORM percent-encodes; TEXT inserts as is.
// The placeholders a call may use depend on its action (PlaceholderSet);
// every string placeholder NAME also exists as NAME_json (a quoted JSON
// string), and {secret.NAME} reads Writeback.secrets.
#ifndef CSE_ADAPTERS_GENERIC_WEBHOOK_HTTP_CALL_TEMPLATE_H_
#define CSE_ADAPTERS_GENERIC_WEBHOOK_HTTP_CALL_TEMPLATE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/common/http_client.h"
#include "adapters/generic_webhook/config_paths.h"
#include "adapters/generic_webhook/text_template.h"
#include "cse/adapters/v1/generic_webhook.pb.h"

namespace cse::adapters::generic_webhook {

// The placeholders available in one context, and the secret names.
struct PlaceholderSet {
  // String values: usable as {NAME} and {NAME_json}.
  absl::flat_hash_set<std::string> strings;
  // JSON values (arrays): usable only as {NAME}, NAME ending in "_json".
  absl::flat_hash_set<std::string> json_values;
  // Names of Writeback.secrets.
  absl::flat_hash_set<std::string> secrets;

  // "" when `name` is usable, the reason otherwise.
  std::string Check(absl::string_view name) const;
  // The known names, for error messages: "{object_id}, {marker}, ...".
  std::string Describe() const;
};

// The values of one job's placeholders, unescaped.
struct PlaceholderValues {
  absl::flat_hash_map<std::string, std::string> strings;
  // JSON text, e.g. tags_json -> ["a","b"].
  absl::flat_hash_map<std::string, std::string> json_values;
  const absl::flat_hash_map<std::string, std::string>* secrets = nullptr;
};

class HttpCallTemplate {
 public:
  // Compiles `call` found at `path`. `base_url` is Writeback.base_url
  // (relative URLs need it); `placeholders` are those of the call's
  // action. Problems go to `errors`; nullopt then.
  static std::optional<HttpCallTemplate> Compile(
      const cse::adapters::v1::HttpCall& call, const std::string& path,
      absl::string_view base_url, const PlaceholderSet& placeholders,
      ConfigErrors* errors);

  // Writeback.headers, compiled against `placeholders` (the placeholders
  // every call has).
  static std::vector<std::pair<std::string, TextTemplate>> CompileCommonHeaders(
      const google::protobuf::Map<std::string, std::string>& headers,
      const std::string& path, const PlaceholderSet& placeholders,
      ConfigErrors* errors);

  // The request for one job; `common_headers` (Writeback.headers, see
  // CompileCommonHeaders) come first, the call's own headers replace them
  // by name. INVALID_ARGUMENT when a value cannot be placed (CR/LF in a
  // header, a JSON body that does not parse).
  absl::StatusOr<HttpRequest> Render(
      const PlaceholderValues& values,
      const std::vector<std::pair<std::string, TextTemplate>>& common_headers,
      absl::Duration timeout) const;

  // Whether the body uses {name} (or {name_json}).
  bool BodyUses(absl::string_view name) const;
  bool UrlUses(absl::string_view name) const;

 private:
  std::string method_;
  std::string base_url_;  // prefix for relative URLs ("" when absolute)
  std::optional<TextTemplate> url_;
  std::vector<std::pair<std::string, TextTemplate>> headers_;
  std::optional<TextTemplate> body_;
  cse::adapters::v1::BodyFormat body_format_ =
      cse::adapters::v1::BODY_FORMAT_UNSPECIFIED;
};

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string PercentEncode(absl::string_view text);

// `text` as JSON string content (no surrounding quotes).
std::string JsonStringContent(absl::string_view text);

// "POST /api/v1/accounts/1/conversations/10/labels": method and path of a
// request, no scheme, host or query (which may hold a secret).
std::string DescribeRequest(const HttpRequest& request);

}  // namespace cse::adapters::generic_webhook

#endif  // CSE_ADAPTERS_GENERIC_WEBHOOK_HTTP_CALL_TEMPLATE_H_
