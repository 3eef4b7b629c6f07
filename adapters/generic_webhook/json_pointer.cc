#include "adapters/generic_webhook/json_pointer.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/utf8_prefix.h"

namespace cse::adapters::generic_webhook {
namespace {

// RFC 6901 section 4: array-index = %x30 / ( %x31-39 *(%x30-39) ).
bool ParseArrayIndex(absl::string_view token, size_t* index) {
  if (token.empty() || token.size() > 18) return false;
  if (token.size() > 1 && token[0] == '0') return false;
  for (char c : token) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  uint64_t value = 0;
  if (!absl::SimpleAtoi(token, &value)) return false;
  *index = static_cast<size_t>(value);
  return true;
}

}  // namespace

absl::StatusOr<JsonPointer> JsonPointer::Parse(absl::string_view text) {
  const auto invalid = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid JSON Pointer \"", Abbreviate(text), "\" (", why, ")"));
  };
  if (text.empty() || text[0] != '/') {
    return invalid("must start with '/'");
  }
  JsonPointer pointer;
  pointer.text_ = std::string(text);
  std::string token;
  for (size_t i = 1; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      pointer.tokens_.push_back(std::move(token));
      token.clear();
      continue;
    }
    if (text[i] != '~') {
      token.push_back(text[i]);
      continue;
    }
    // RFC 6901 section 3: '~' is only valid as ~0 ('~') or ~1 ('/').
    if (i + 1 < text.size() && (text[i + 1] == '0' || text[i + 1] == '1')) {
      token.push_back(text[i + 1] == '0' ? '~' : '/');
      ++i;
      continue;
    }
    return invalid(absl::StrCat("'~' at offset ", i,
                                " must be followed by 0 or 1: write ~0 for "
                                "'~' and ~1 for '/'"));
  }
  return pointer;
}

const nlohmann::json* JsonPointer::Resolve(
    const nlohmann::json& document) const {
  const nlohmann::json* current = &document;
  for (const std::string& token : tokens_) {
    if (current->is_object()) {
      auto it = current->find(token);
      if (it == current->end()) return nullptr;
      current = &*it;
    } else if (current->is_array()) {
      size_t index = 0;
      if (!ParseArrayIndex(token, &index) || index >= current->size()) {
        return nullptr;
      }
      current = &(*current)[index];
    } else {
      return nullptr;
    }
  }
  return current;
}

std::optional<std::string> ScalarText(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      return value.get_ref<const std::string&>();
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::number_integer:
      return absl::StrCat(value.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return absl::StrCat(value.get<uint64_t>());
    case nlohmann::json::value_t::number_float:
      // nlohmann prints the shortest text that reads back the same double.
      return value.dump();
    default:
      return std::nullopt;
  }
}

absl::string_view JsonTypeName(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "a binary value";
  }
}

std::string Abbreviate(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  return absl::StrCat(Utf8Prefix(text, max_bytes), "...");
}

}  // namespace cse::adapters::generic_webhook
