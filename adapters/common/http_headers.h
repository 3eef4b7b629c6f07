// HttpHeaders: header fields with case-insensitive names.
//
// HTTP field names are case-insensitive (RFC 9110 section 5.1); vendors
// document them in mixed case ("X-Zendesk-Webhook-Signature") and proxies
// lower-case them. Names are stored lower case; a repeated field keeps its
// values joined by ", " as RFC 9110 section 5.3 allows.
#ifndef CSE_ADAPTERS_COMMON_HTTP_HEADERS_H_
#define CSE_ADAPTERS_COMMON_HTTP_HEADERS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace cse::adapters {

class HttpHeaders {
 public:
  HttpHeaders() = default;
  HttpHeaders(
      std::initializer_list<std::pair<absl::string_view, absl::string_view>>
          fields) {
    for (const auto& [name, value] : fields) Add(name, value);
  }

  void Add(absl::string_view name, absl::string_view value) {
    auto [it, inserted] =
        fields_.try_emplace(absl::AsciiStrToLower(name), value);
    if (!inserted) absl::StrAppend(&it->second, ", ", value);
  }
  void Set(absl::string_view name, absl::string_view value) {
    fields_[absl::AsciiStrToLower(name)] = std::string(value);
  }
  // The value, or nullptr when the field is absent.
  const std::string* Find(absl::string_view name) const {
    auto it = fields_.find(absl::AsciiStrToLower(name));
    return it == fields_.end() ? nullptr : &it->second;
  }
  // The value, or "" when the field is absent.
  absl::string_view Get(absl::string_view name) const {
    const std::string* value = Find(name);
    return value == nullptr ? absl::string_view() : *value;
  }
  bool Has(absl::string_view name) const { return Find(name) != nullptr; }

  const absl::flat_hash_map<std::string, std::string>& fields() const {
    return fields_;
  }

 private:
  absl::flat_hash_map<std::string, std::string> fields_;
};

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_COMMON_HTTP_HEADERS_H_
