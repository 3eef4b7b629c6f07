// Reading Zendesk's JSON without exceptions escaping and with a JSON
// Pointer (RFC 6901) in every error, e.g. "/detail/id: expected a string
// or an integer, got array".
#ifndef CSE_ADAPTERS_ZENDESK_JSON_FIELDS_H_
#define CSE_ADAPTERS_ZENDESK_JSON_FIELDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace cse::adapters::zendesk {

using Json = nlohmann::json;

// `parent` + "/" + `key`, with '~' and '/' in the key escaped.
std::string JsonPointer(absl::string_view parent, absl::string_view key);

// INVALID_ARGUMENT "<pointer>: <what>" ("/" for the root).
absl::Status FieldError(absl::string_view pointer, absl::string_view what);

// Parses a request or response body: INVALID_ARGUMENT naming the byte
// where the UTF-8 or the JSON goes wrong, never quoting the body.
absl::StatusOr<Json> ParseJsonBody(absl::string_view body);

// The byte offset of the first invalid UTF-8 sequence, nullopt when
// `text` is valid UTF-8.
std::optional<size_t> FirstInvalidUtf8(absl::string_view text);

// The member `key` of `object` (an object) at `pointer`, or nullptr when
// absent or null.
const Json* Member(const Json& object, absl::string_view key);

// Field readers. Absent or null members read as empty / nullopt; members
// of another type are errors naming JsonPointer(parent, key).

// A string; with `allow_number`, an integer is read as its decimal text.
absl::StatusOr<std::string> OptionalString(const Json& object,
                                           absl::string_view key,
                                           absl::string_view parent,
                                           bool allow_number = false);
// A Zendesk id: an integer or a string of digits, as decimal text.
absl::StatusOr<std::string> OptionalId(const Json& object,
                                       absl::string_view key,
                                       absl::string_view parent);
// A boolean, or the strings "true"/"false" (placeholders render as text).
absl::StatusOr<std::optional<bool>> OptionalBool(const Json& object,
                                                 absl::string_view key,
                                                 absl::string_view parent);
// An object, nullptr when absent or null.
absl::StatusOr<const Json*> OptionalObject(const Json& object,
                                           absl::string_view key,
                                           absl::string_view parent);
// An array of strings, or one string of space-separated words (the
// {{ticket.tags}} placeholder renders tags that way).
absl::StatusOr<std::vector<std::string>> OptionalWords(
    const Json& object, absl::string_view key, absl::string_view parent);

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_JSON_FIELDS_H_
