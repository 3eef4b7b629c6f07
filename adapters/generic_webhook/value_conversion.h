// Converting a payload's JSON value to a canonical field's type.
//
// The one place that decides how CRM values read: numbers as ids
// (10 -> "10"), comma-separated or array tags, "yes"/"1"/true booleans,
// timestamps in RFC 3339, Unix seconds or milliseconds, or a strptime
// layout. Errors say what was expected and what came, without the field's
// location, which the caller prefixes.
#ifndef CSE_ADAPTERS_GENERIC_WEBHOOK_VALUE_CONVERSION_H_
#define CSE_ADAPTERS_GENERIC_WEBHOOK_VALUE_CONVERSION_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/generic_webhook/canonical_fields.h"
#include "cse/adapters/v1/generic_webhook.pb.h"
#include "google/protobuf/map.h"
#include "nlohmann/json.hpp"

namespace cse::adapters::generic_webhook {

struct ConversionOptions {
  FieldType type = FieldType::kString;
  // FieldMapping.value_map / unmapped_value; may be null.
  const google::protobuf::Map<std::string, std::string>* value_map = nullptr;
  const std::string* unmapped_value = nullptr;
  cse::adapters::v1::TimeFormat time_format =
      cse::adapters::v1::TIME_FORMAT_UNSPECIFIED;
  std::string time_layout;
  bool strip_html = false;
};

// Converts `value` (not null) to `options.type`. INVALID_ARGUMENT, e.g.
// "expected a string, number or boolean, got an object" or
// "\"soon\" is not an RFC 3339 time".
absl::StatusOr<TypedValue> ConvertValue(const nlohmann::json& value,
                                        const ConversionOptions& options);

// Reads a time written in `format` (`layout` with TIME_FORMAT_LAYOUT).
// Times outside years 1..9999 (google.protobuf.Timestamp's range) are
// refused.
absl::StatusOr<absl::Time> ParseTimeValue(const nlohmann::json& value,
                                          cse::adapters::v1::TimeFormat format,
                                          absl::string_view layout);

// "RFC 3339", "Unix seconds"... for messages.
absl::string_view TimeFormatName(cse::adapters::v1::TimeFormat format);

}  // namespace cse::adapters::generic_webhook

#endif  // CSE_ADAPTERS_GENERIC_WEBHOOK_VALUE_CONVERSION_H_
