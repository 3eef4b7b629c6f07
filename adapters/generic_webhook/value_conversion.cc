#include "adapters/generic_webhook/value_conversion.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/generic_webhook/html_text.h"
#include "adapters/generic_webhook/json_pointer.h"

namespace cse::adapters::generic_webhook {
namespace {

using cse::adapters::v1::TimeFormat;

// google.protobuf.Timestamp's range: 0001-01-01T00:00:00Z ..
// 9999-12-31T23:59:59Z.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;

absl::Status NotScalar(const nlohmann::json& value) {
  return absl::InvalidArgumentError(absl::StrCat(
      "expected a string, number or boolean, got ", JsonTypeName(value)));
}

std::string Quote(absl::string_view text) {
  return absl::StrCat("\"", Abbreviate(text), "\"");
}

// The scalar's text after the value map.
absl::StatusOr<std::string> MappedText(const nlohmann::json& value,
                                       const ConversionOptions& options) {
  std::optional<std::string> text = ScalarText(value);
  if (!text.has_value()) return NotScalar(value);
  if (options.value_map != nullptr && !options.value_map->empty()) {
    auto it = options.value_map->find(*text);
    if (it != options.value_map->end()) return it->second;
    if (options.unmapped_value != nullptr) return *options.unmapped_value;
  }
  return *std::move(text);
}

absl::StatusOr<bool> ToBool(const nlohmann::json& value,
                            const ConversionOptions& options) {
  absl::StatusOr<std::string> text = MappedText(value, options);
  if (!text.ok()) return text.status();
  const std::string lower =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(*text));
  if (lower == "true" || lower == "1" || lower == "yes") return true;
  if (lower == "false" || lower == "0" || lower == "no" || lower.empty()) {
    return false;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "expected a boolean (true/false, 1/0, yes/no), got ", Quote(*text)));
}

absl::StatusOr<uint64_t> ToUnsigned(const nlohmann::json& value,
                                    const ConversionOptions& options,
                                    uint64_t max) {
  absl::StatusOr<std::string> text = MappedText(value, options);
  if (!text.ok()) return text.status();
  uint64_t number = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &number) ||
      number > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected a whole number from 0 to ", max, ", got ", Quote(*text)));
  }
  return number;
}

absl::StatusOr<double> ToDouble(const nlohmann::json& value,
                                const ConversionOptions& options) {
  absl::StatusOr<std::string> text = MappedText(value, options);
  if (!text.ok()) return text.status();
  double number = 0;
  if (!absl::SimpleAtod(absl::StripAsciiWhitespace(*text), &number) ||
      !std::isfinite(number)) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected a number, got ", Quote(*text)));
  }
  return number;
}

absl::StatusOr<std::vector<std::string>> ToList(
    const nlohmann::json& value, const ConversionOptions& options) {
  std::vector<std::string> items;
  const auto add = [&](absl::string_view item) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.emplace_back(item);
  };
  if (value.is_array()) {
    for (const nlohmann::json& element : value) {
      if (element.is_null()) continue;
      absl::StatusOr<std::string> text = MappedText(element, options);
      if (!text.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("list element: ", text.status().message()));
      }
      add(*text);
    }
    return items;
  }
  // A single value: "a, b, c" as CRMs that flatten tags send them.
  absl::StatusOr<std::string> text = MappedText(value, options);
  if (!text.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected an array or a comma-separated string, got ",
                     JsonTypeName(value)));
  }
  for (absl::string_view item : absl::StrSplit(*text, ',')) add(item);
  return items;
}

absl::StatusOr<absl::Time> FromEpochNumber(const nlohmann::json& value,
                                           TimeFormat format) {
  double number = 0;
  if (value.is_number()) {
    number = value.get<double>();
  } else if (value.is_string()) {
    if (!absl::SimpleAtod(
            absl::StripAsciiWhitespace(value.get_ref<const std::string&>()),
            &number)) {
      number = std::numeric_limits<double>::quiet_NaN();
    }
  } else {
    number = std::numeric_limits<double>::quiet_NaN();
  }
  const double seconds = format == cse::adapters::v1::TIME_FORMAT_UNIX_MILLIS
                             ? number / 1000
                             : number;
  if (!std::isfinite(seconds) || seconds < kMinTimestampSeconds ||
      seconds > kMaxTimestampSeconds) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected ", TimeFormatName(format), " (a number), got ",
        value.is_string() ? Quote(value.get_ref<const std::string&>())
                          : std::string(JsonTypeName(value))));
  }
  // Whole seconds exactly; the fraction to microseconds (what the CRMs
  // that send fractions carry).
  const double whole = std::floor(seconds);
  return absl::FromUnixSeconds(static_cast<int64_t>(whole)) +
         absl::Microseconds(std::llround((seconds - whole) * 1e6));
}

}  // namespace

absl::string_view TimeFormatName(TimeFormat format) {
  switch (format) {
    case cse::adapters::v1::TIME_FORMAT_RFC3339:
      return "an RFC 3339 time";
    case cse::adapters::v1::TIME_FORMAT_UNIX_SECONDS:
      return "Unix seconds";
    case cse::adapters::v1::TIME_FORMAT_UNIX_MILLIS:
      return "Unix milliseconds";
    case cse::adapters::v1::TIME_FORMAT_LAYOUT:
      return "a time in the configured layout";
    default:
      return "a time";
  }
}

absl::StatusOr<absl::Time> ParseTimeValue(const nlohmann::json& value,
                                          TimeFormat format,
                                          absl::string_view layout) {
  switch (format) {
    case cse::adapters::v1::TIME_FORMAT_UNIX_SECONDS:
    case cse::adapters::v1::TIME_FORMAT_UNIX_MILLIS:
      return FromEpochNumber(value, format);
    case cse::adapters::v1::TIME_FORMAT_RFC3339:
    case cse::adapters::v1::TIME_FORMAT_LAYOUT: {
      if (!value.is_string()) {
        return absl::InvalidArgumentError(
            absl::StrCat("expected ", TimeFormatName(format),
                         " (a string), got ", JsonTypeName(value)));
      }
      const std::string& text = value.get_ref<const std::string&>();
      absl::Time time;
      std::string error;
      const bool ok =
          format == cse::adapters::v1::TIME_FORMAT_RFC3339
              ? absl::ParseTime(absl::RFC3339_full,
                                absl::StripAsciiWhitespace(text), &time, &error)
              : absl::ParseTime(layout, absl::StripAsciiWhitespace(text),
                                absl::UTCTimeZone(), &time, &error);
      if (!ok) {
        return absl::InvalidArgumentError(
            absl::StrCat(Quote(text), " is not ", TimeFormatName(format),
                         format == cse::adapters::v1::TIME_FORMAT_LAYOUT
                             ? absl::StrCat(" \"", layout, "\"")
                             : "",
                         " (", error, ")"));
      }
      const int64_t seconds = absl::ToUnixSeconds(time);
      if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) {
        return absl::InvalidArgumentError(
            absl::StrCat(Quote(text), " is outside years 1 to 9999"));
      }
      return time;
    }
    default:
      return absl::InvalidArgumentError("no time_format configured");
  }
}

absl::StatusOr<TypedValue> ConvertValue(const nlohmann::json& value,
                                        const ConversionOptions& options) {
  TypedValue out;
  switch (options.type) {
    case FieldType::kString: {
      absl::StatusOr<std::string> text = MappedText(value, options);
      if (!text.ok()) return text.status();
      out.text = options.strip_html ? HtmlToText(*text) : *std::move(text);
      return out;
    }
    case FieldType::kStringList: {
      absl::StatusOr<std::vector<std::string>> list = ToList(value, options);
      if (!list.ok()) return list.status();
      out.list = *std::move(list);
      return out;
    }
    case FieldType::kBool: {
      absl::StatusOr<bool> b = ToBool(value, options);
      if (!b.ok()) return b.status();
      out.boolean = *b;
      return out;
    }
    case FieldType::kUint32:
    case FieldType::kUint64: {
      absl::StatusOr<uint64_t> n =
          ToUnsigned(value, options,
                     options.type == FieldType::kUint32
                         ? std::numeric_limits<uint32_t>::max()
                         : std::numeric_limits<uint64_t>::max());
      if (!n.ok()) return n.status();
      out.unsigned_number = *n;
      return out;
    }
    case FieldType::kDouble: {
      absl::StatusOr<double> d = ToDouble(value, options);
      if (!d.ok()) return d.status();
      out.number = *d;
      return out;
    }
    case FieldType::kTime: {
      nlohmann::json mapped = value;
      if (options.value_map != nullptr && !options.value_map->empty()) {
        absl::StatusOr<std::string> text = MappedText(value, options);
        if (!text.ok()) return text.status();
        mapped = *text;
      }
      absl::StatusOr<absl::Time> time =
          ParseTimeValue(mapped, options.time_format, options.time_layout);
      if (!time.ok()) return time.status();
      out.time = *time;
      return out;
    }
    case FieldType::kTicketKind:
    case FieldType::kMeetingType:
    case FieldType::kSide: {
      absl::StatusOr<std::string> text = MappedText(value, options);
      if (!text.ok()) return text.status();
      absl::StatusOr<int> number = ParseEnumValue(options.type, *text);
      if (!number.ok()) return number.status();
      out.enum_number = *number;
      return out;
    }
  }
  return absl::InternalError("unknown field type");
}

}  // namespace cse::adapters::generic_webhook
