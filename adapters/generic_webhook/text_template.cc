#include "adapters/generic_webhook/text_template.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace cse::adapters::generic_webhook {

namespace {

// Characters that cannot be in a placeholder name: whitespace, braces,
// quotes and backslashes. So JSON's own braces ("{\"a\": 1}", "{ }", "{}")
// are never taken for placeholders.
bool IsNameChar(char c) {
  return !absl::ascii_isspace(static_cast<unsigned char>(c)) && c != '{' &&
         c != '}' && c != '"' && c != '\'' && c != '\\';
}

}  // namespace

absl::StatusOr<TextTemplate> TextTemplate::Parse(absl::string_view text) {
  TextTemplate result;
  result.source_ = std::string(text);
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '{' || i + 1 >= text.size() || !IsNameChar(text[i + 1])) {
      literal.push_back(text[i]);
      ++i;
      continue;
    }
    size_t end = i + 1;
    while (end < text.size() && IsNameChar(text[end])) ++end;
    if (end >= text.size() || text[end] != '}') {
      return absl::InvalidArgumentError(absl::StrCat(
          "'{' at offset ", i, " starts placeholder {",
          text.substr(i + 1, end - i - 1), " but is not closed by '}'"));
    }
    if (!literal.empty()) {
      result.parts_.push_back({false, std::move(literal)});
      literal.clear();
    }
    result.parts_.push_back(
        {true, std::string(text.substr(i + 1, end - i - 1))});
    i = end + 1;
  }
  if (!literal.empty()) result.parts_.push_back({false, std::move(literal)});
  return result;
}

std::vector<std::string> TextTemplate::Placeholders() const {
  std::vector<std::string> names;
  for (const Part& part : parts_) {
    if (part.placeholder) names.push_back(part.text);
  }
  return names;
}

bool TextTemplate::Uses(absl::string_view name) const {
  for (const Part& part : parts_) {
    if (part.placeholder && part.text == name) return true;
  }
  return false;
}

std::optional<std::string> TextTemplate::Render(const Resolver& resolve) const {
  std::string out;
  for (const Part& part : parts_) {
    if (!part.placeholder) {
      out += part.text;
      continue;
    }
    std::optional<std::string> value = resolve(part.text);
    if (!value.has_value()) return std::nullopt;
    out += *value;
  }
  return out;
}

}  // namespace cse::adapters::generic_webhook
