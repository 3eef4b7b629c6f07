#include "adapters/hubspot/json_fields.h"

#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace cse::adapters::hubspot {

std::string JsonPointer(absl::string_view parent, absl::string_view key) {
  return absl::StrCat(parent, "/",
                      absl::StrReplaceAll(key, {{"~", "~0"}, {"/", "~1"}}));
}

absl::Status FieldError(absl::string_view pointer, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(pointer.empty() ? "/" : pointer, ": ", what));
}

std::optional<size_t> FirstInvalidUtf8(absl::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = bytes[i];
    size_t len = 0;
    uint32_t min = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (bytes[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not
    // UTF-8 (RFC 3629 section 3).
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::nullopt;
}

absl::StatusOr<Json> ParseJson(absl::string_view body, absl::string_view what) {
  if (std::optional<size_t> bad = FirstInvalidUtf8(body)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not valid UTF-8 (first invalid byte at offset ",
                     *bad, "); HubSpot sends UTF-8 JSON"));
  }
  // No exceptions: a parse error yields a discarded value; a second,
  // SAX pass (which never throws either) finds where it went wrong.
  Json value = Json::parse(body.begin(), body.end(), nullptr,
                           /*allow_exceptions=*/false);
  if (!value.is_discarded()) return value;
  struct Locator : nlohmann::json_sax<Json> {
    size_t at = 0;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception&) override {
      at = position;
      return false;
    }
  } locator;
  Json::sax_parse(body.begin(), body.end(), &locator,
                  nlohmann::detail::input_format_t::json, /*strict=*/true);
  return absl::InvalidArgumentError(absl::StrCat(
      what, " is not valid JSON (syntax error near byte ", locator.at, ")"));
}

std::string Dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

const Json* Member(const Json& object, absl::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string TypeName(const Json& value) { return value.type_name(); }

absl::StatusOr<std::optional<uint64_t>> OptionalUint(const Json& object,
                                                     absl::string_view key,
                                                     absl::string_view parent) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::optional<uint64_t>();
  if (value->is_number_unsigned()) {
    return std::optional<uint64_t>(value->get<uint64_t>());
  }
  if (value->is_number_integer() && value->get<int64_t>() >= 0) {
    return std::optional<uint64_t>(
        static_cast<uint64_t>(value->get<int64_t>()));
  }
  uint64_t parsed = 0;
  if (value->is_string() &&
      absl::SimpleAtoi(value->get_ref<const std::string&>(), &parsed)) {
    return std::optional<uint64_t>(parsed);
  }
  return FieldError(JsonPointer(parent, key),
                    absl::StrCat("expected a non-negative integer, got ",
                                 value->is_string() ? "a non-numeric string"
                                                    : TypeName(*value)));
}

absl::StatusOr<std::string> OptionalString(const Json& object,
                                           absl::string_view key,
                                           absl::string_view parent) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::string();
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number() || value->is_boolean()) return value->dump();
  return FieldError(JsonPointer(parent, key),
                    absl::StrCat("expected a string, got ", TypeName(*value)));
}

std::string PropertyValue(const Json& crm_object, absl::string_view name) {
  const Json* properties = Member(crm_object, "properties");
  if (properties == nullptr) return "";
  const Json* value = Member(*properties, name);
  if (value == nullptr) return "";
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number() || value->is_boolean()) return value->dump();
  return "";
}

}  // namespace cse::adapters::hubspot
