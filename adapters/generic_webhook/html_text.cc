#include "adapters/generic_webhook/html_text.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace cse::adapters::generic_webhook {
namespace {

// Appends `code_point` as UTF-8; invalid code points become U+FFFD.
void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point == 0 || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    code_point = 0xFFFD;
  }
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// Decodes the reference starting at html[i] == '&'. Returns the number of
// bytes consumed, 0 when it is not a reference we know (kept literally).
size_t DecodeReference(absl::string_view html, size_t i, std::string* out) {
  const size_t semi = html.find(';', i);
  if (semi == absl::string_view::npos || semi - i > 10) return 0;
  absl::string_view name = html.substr(i + 1, semi - i - 1);
  const size_t consumed = semi - i + 1;
  if (absl::ConsumePrefix(&name, "#")) {
    uint32_t code_point = 0;
    bool ok = false;
    if (absl::ConsumePrefix(&name, "x") || absl::ConsumePrefix(&name, "X")) {
      ok = absl::SimpleHexAtoi(name, &code_point);
    } else {
      ok = absl::SimpleAtoi(name, &code_point);
    }
    if (!ok) return 0;
    AppendUtf8(code_point, out);
    return consumed;
  }
  static constexpr struct {
    absl::string_view name;
    absl::string_view text;
  } kNamed[] = {{"amp", "&"},    {"lt", "<"},    {"gt", ">"},    {"quot", "\""},
                {"apos", "'"},   {"nbsp", " "},  {"ndash", "–"}, {"mdash", "—"},
                {"hellip", "…"}, {"euro", "€"},  {"copy", "©"},  {"rsquo", "’"},
                {"lsquo", "‘"},  {"rdquo", "”"}, {"ldquo", "“"}};
  for (const auto& entry : kNamed) {
    if (name == entry.name) {
      out->append(entry.text.data(), entry.text.size());
      return consumed;
    }
  }
  return 0;
}

bool IsLineBreakTag(absl::string_view tag) {
  static constexpr absl::string_view kBlocks[] = {
      "br", "p",  "div", "li",         "tr",  "h1",    "h2", "h3",
      "h4", "h5", "h6",  "blockquote", "pre", "table", "ul", "ol"};
  for (absl::string_view block : kBlocks) {
    if (absl::EqualsIgnoreCase(tag, block)) return true;
  }
  return false;
}

}  // namespace

std::string HtmlToText(absl::string_view html) {
  std::string text;
  text.reserve(html.size());
  size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '&') {
      const size_t used = DecodeReference(html, i, &text);
      if (used > 0) {
        i += used;
        continue;
      }
      text.push_back(c);
      ++i;
      continue;
    }
    if (c != '<') {
      text.push_back(c);
      ++i;
      continue;
    }
    if (absl::StartsWith(html.substr(i), "<!--")) {
      const size_t end = html.find("-->", i + 4);
      i = end == absl::string_view::npos ? html.size() : end + 3;
      continue;
    }
    const size_t end = html.find('>', i + 1);
    if (end == absl::string_view::npos) {
      // A lone '<' (text such as "a < b"): keep it.
      text.push_back(c);
      ++i;
      continue;
    }
    absl::string_view inside = html.substr(i + 1, end - i - 1);
    absl::ConsumePrefix(&inside, "/");
    const size_t name_end = inside.find_first_of(" \t\r\n/");
    const absl::string_view tag = inside.substr(0, name_end);
    i = end + 1;
    if (absl::EqualsIgnoreCase(tag, "script") ||
        absl::EqualsIgnoreCase(tag, "style")) {
      // Skip to the matching close tag: their content is not text.
      const std::string close = absl::StrCat("</", absl::AsciiStrToLower(tag));
      const std::string lower = absl::AsciiStrToLower(html.substr(i));
      const size_t at = lower.find(close);
      if (at == std::string::npos) break;
      const size_t close_end = html.find('>', i + at);
      i = close_end == absl::string_view::npos ? html.size() : close_end + 1;
      continue;
    }
    if (IsLineBreakTag(tag)) text.push_back('\n');
  }
  // Trim each line's trailing spaces and keep at most one blank line.
  std::string result;
  int blank_run = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.empty()) {
      if (++blank_run > 1 || result.empty()) continue;
    } else {
      blank_run = 0;
    }
    result.append(line.data(), line.size());
    result.push_back('\n');
  }
  return std::string(absl::StripTrailingAsciiWhitespace(result));
}

}  // namespace cse::adapters::generic_webhook
