#include "adapters/zendesk/json_fields.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace cse::adapters::zendesk {
namespace {

const char* TypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "integer";
    case Json::value_t::number_float:
      return "number";
    default:
      return "value";
  }
}

absl::Status WrongType(absl::string_view pointer, absl::string_view expected,
                       const Json& value) {
  return FieldError(
      pointer, absl::StrCat("expected ", expected, ", got ", TypeName(value)));
}

bool AllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string JsonPointer(absl::string_view parent, absl::string_view key) {
  std::string escaped = absl::StrReplaceAll(key, {{"~", "~0"}, {"/", "~1"}});
  return absl::StrCat(parent, "/", escaped);
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
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code = 0;
    uint32_t min = 0;
    if ((c & 0xE0) == 0xC0) {
      length = 2, code = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, code = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, code = c & 0x07, min = 0x10000;
    } else {
      return i;
    }
    if (i + length > n) return i;
    for (size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return i;
      code = (code << 6) | (bytes[i + k] & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are
    // not UTF-8 (RFC 3629 section 3).
    if (code < min || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      return i;
    }
    i += length;
  }
  return std::nullopt;
}

absl::StatusOr<Json> ParseJsonBody(absl::string_view body) {
  if (std::optional<size_t> bad = FirstInvalidUtf8(body)) {
    return FieldError(
        "/", absl::StrCat("body is not valid UTF-8 (byte ", *bad, ")"));
  }
  Json parsed = Json::parse(body.begin(), body.end(), /*cb=*/nullptr,
                            /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    // Parse again for the position only; the exception is caught here, at
    // the module's edge. Its text quotes the input, so it is not passed on.
    size_t byte = 0;
    try {
      const Json unused = Json::parse(body.begin(), body.end());
      (void)unused;
    } catch (const Json::parse_error& e) {
      byte = e.byte;
    }
    return FieldError(
        "/", absl::StrCat("malformed JSON (syntax error at byte ", byte, ")"));
  }
  return parsed;
}

const Json* Member(const Json& object, absl::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

absl::StatusOr<std::string> OptionalString(const Json& object,
                                           absl::string_view key,
                                           absl::string_view parent,
                                           bool allow_number) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::string();
  if (value->is_string()) return value->get_ref<const std::string&>();
  if (allow_number && value->is_number_unsigned()) {
    return absl::StrCat(value->get<uint64_t>());
  }
  if (allow_number && value->is_number_integer()) {
    return absl::StrCat(value->get<int64_t>());
  }
  return WrongType(JsonPointer(parent, key),
                   allow_number ? "a string or an integer" : "a string",
                   *value);
}

absl::StatusOr<std::string> OptionalId(const Json& object,
                                       absl::string_view key,
                                       absl::string_view parent) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::string();
  if (value->is_number_unsigned()) return absl::StrCat(value->get<uint64_t>());
  if (value->is_number_integer() && value->get<int64_t>() >= 0) {
    return absl::StrCat(value->get<int64_t>());
  }
  if (value->is_string()) {
    absl::string_view text =
        absl::StripAsciiWhitespace(value->get_ref<const std::string&>());
    if (text.empty()) return std::string();
    if (AllDigits(text)) return std::string(text);
    return FieldError(JsonPointer(parent, key),
                      "expected a Zendesk id (digits)");
  }
  return WrongType(JsonPointer(parent, key), "a string or an integer", *value);
}

absl::StatusOr<std::optional<bool>> OptionalBool(const Json& object,
                                                 absl::string_view key,
                                                 absl::string_view parent) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::optional<bool>();
  if (value->is_boolean()) return std::optional<bool>(value->get<bool>());
  if (value->is_string()) {
    const std::string text = absl::AsciiStrToLower(
        absl::StripAsciiWhitespace(value->get_ref<const std::string&>()));
    if (text.empty()) return std::optional<bool>();
    if (text == "true") return std::optional<bool>(true);
    if (text == "false") return std::optional<bool>(false);
  }
  return WrongType(JsonPointer(parent, key), "true or false", *value);
}

absl::StatusOr<const Json*> OptionalObject(const Json& object,
                                           absl::string_view key,
                                           absl::string_view parent) {
  const Json* value = Member(object, key);
  if (value == nullptr) return value;
  if (!value->is_object()) {
    return WrongType(JsonPointer(parent, key), "an object", *value);
  }
  return value;
}

absl::StatusOr<std::vector<std::string>> OptionalWords(
    const Json& object, absl::string_view key, absl::string_view parent) {
  std::vector<std::string> words;
  const Json* value = Member(object, key);
  if (value == nullptr) return words;
  const std::string pointer = JsonPointer(parent, key);
  if (value->is_string()) {
    for (absl::string_view word :
         absl::StrSplit(value->get_ref<const std::string&>(),
                        absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty())) {
      words.emplace_back(word);
    }
    return words;
  }
  if (!value->is_array()) {
    return WrongType(pointer, "an array of strings or a string", *value);
  }
  for (size_t i = 0; i < value->size(); ++i) {
    const Json& item = (*value)[i];
    if (!item.is_string()) {
      return WrongType(absl::StrCat(pointer, "/", i), "a string", item);
    }
    words.push_back(item.get<std::string>());
  }
  return words;
}

}  // namespace cse::adapters::zendesk
