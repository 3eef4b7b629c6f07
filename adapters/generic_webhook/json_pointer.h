// JsonPointer: RFC 6901 JSON Pointers, parsed once and resolved without
// exceptions.
//
// nlohmann::json::json_pointer throws on a malformed pointer and on some
// lookups (an array index that is not a number); the adapter resolves
// pointers from an admin's configuration against untrusted payloads, so it
// parses them here, reports precise errors at load, and treats anything
// that does not resolve as absent.
//
// Example:
//   absl::StatusOr<JsonPointer> p = JsonPointer::Parse("/conversation/id");
//   const nlohmann::json* v = p->Resolve(body);  // nullptr when absent
#ifndef CSE_ADAPTERS_GENERIC_WEBHOOK_JSON_POINTER_H_
#define CSE_ADAPTERS_GENERIC_WEBHOOK_JSON_POINTER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace cse::adapters::generic_webhook {

class JsonPointer {
 public:
  // Parses `text`. INVALID_ARGUMENT with the reason, e.g.
  //   invalid JSON Pointer "subject" (must start with '/')
  // The empty pointer (the whole document) is refused: no canonical field
  // takes a whole payload.
  static absl::StatusOr<JsonPointer> Parse(absl::string_view text);

  // The value this pointer names in `document`, or nullptr when a member
  // is missing, an array index is not a valid index (or is "-"), or a
  // step goes through a scalar.
  const nlohmann::json* Resolve(const nlohmann::json& document) const;

  const std::string& text() const { return text_; }

 private:
  std::string text_;
  // Unescaped reference tokens (~1 -> '/', ~0 -> '~').
  std::vector<std::string> tokens_;
};

// The text of a scalar: a string as it is, a number or boolean as its
// JSON text ("10", "2.5", "true"). nullopt for null, objects and arrays.
std::optional<std::string> ScalarText(const nlohmann::json& value);

// "a string", "a number", "an object"... for error messages.
absl::string_view JsonTypeName(const nlohmann::json& value);

// `text` shortened to at most `max_bytes` (on a UTF-8 boundary) with "..."
// appended when cut, for quoting payload values in error messages.
std::string Abbreviate(absl::string_view text, size_t max_bytes = 60);

}  // namespace cse::adapters::generic_webhook

#endif  // CSE_ADAPTERS_GENERIC_WEBHOOK_JSON_POINTER_H_
