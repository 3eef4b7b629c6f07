// Reading HubSpot's JSON without exceptions escaping, with a JSON Pointer
// (RFC 6901) in every error, e.g. "/2/objectId: expected an integer, got
// string".
#ifndef CSE_ADAPTERS_HUBSPOT_JSON_FIELDS_H_
#define CSE_ADAPTERS_HUBSPOT_JSON_FIELDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace cse::adapters::hubspot {

using Json = nlohmann::json;

// `parent` + "/" + `key`, with '~' and '/' in the key escaped.
std::string JsonPointer(absl::string_view parent, absl::string_view key);

// INVALID_ARGUMENT "<pointer>: <what>" ("/" for the root).
absl::Status FieldError(absl::string_view pointer, absl::string_view what);

// The byte offset of the first invalid UTF-8 sequence, nullopt when
// `text` is valid UTF-8.
std::optional<size_t> FirstInvalidUtf8(absl::string_view text);

// Parses a body: INVALID_ARGUMENT naming the byte where the UTF-8 or the
// JSON goes wrong, never quoting the body. `what` names the body in the
// message ("webhook body", "HubSpot answer").
absl::StatusOr<Json> ParseJson(absl::string_view body, absl::string_view what);

// Serialises `value`; invalid UTF-8 in its strings becomes U+FFFD rather
// than an exception (job text comes from the sidecar, unchecked here).
std::string Dump(const Json& value);

// The member `key` of `object`, or nullptr when `object` is not an object
// or the member is absent or null.
const Json* Member(const Json& object, absl::string_view key);

// A JSON type name for messages ("string", "array" ...).
std::string TypeName(const Json& value);

// An id or count: a non-negative integer, or a string of digits (HubSpot
// sends ids as numbers in webhooks and as strings in the CRM API).
// nullopt when absent or null.
absl::StatusOr<std::optional<uint64_t>> OptionalUint(const Json& object,
                                                     absl::string_view key,
                                                     absl::string_view parent);

// A string, or a number rendered as decimal text; "" when absent or null.
absl::StatusOr<std::string> OptionalString(const Json& object,
                                           absl::string_view key,
                                           absl::string_view parent);

// A string property of a CRM object's "properties" map, "" when absent or
// null. Never fails: the CRM API's answers are read leniently, since a
// type the adapter did not expect is no reason to drop an event.
std::string PropertyValue(const Json& crm_object, absl::string_view name);

}  // namespace cse::adapters::hubspot

#endif  // CSE_ADAPTERS_HUBSPOT_JSON_FIELDS_H_
