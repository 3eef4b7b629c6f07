#include "adapters/hubspot/text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace cse::adapters::hubspot {
namespace {

std::string EscapeHtml(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// **bold** -> <strong>bold</strong> on already escaped text.
std::string InlineMarkdown(absl::string_view line) {
  std::string escaped = EscapeHtml(line);
  std::string out;
  bool open = false;
  for (size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] == '*' && i + 1 < escaped.size() && escaped[i + 1] == '*') {
      out += open ? "</strong>" : "<strong>";
      open = !open;
      ++i;
      continue;
    }
    out.push_back(escaped[i]);
  }
  if (open) out += "</strong>";
  return out;
}

bool IsListItem(absl::string_view line, absl::string_view* item) {
  absl::string_view stripped = absl::StripLeadingAsciiWhitespace(line);
  if (absl::ConsumePrefix(&stripped, "- ") ||
      absl::ConsumePrefix(&stripped, "* ")) {
    *item = stripped;
    return true;
  }
  return false;
}

}  // namespace

std::string HtmlToText(absl::string_view html) {
  std::string out;
  out.reserve(html.size());
  size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      const size_t end = html.find('>', i);
      if (end == absl::string_view::npos) {
        absl::StrAppend(&out, html.substr(i));
        break;
      }
      std::string tag = absl::AsciiStrToLower(html.substr(i + 1, end - i - 1));
      absl::string_view name = tag;
      absl::ConsumePrefix(&name, "/");
      name = name.substr(0, name.find_first_of(" /\t\n"));
      if (name == "br" || name == "p" || name == "div" || name == "li" ||
          name == "tr" || absl::StartsWith(name, "h")) {
        if (!out.empty() && out.back() != '\n') out.push_back('\n');
      }
      i = end + 1;
      continue;
    }
    if (c == '&') {
      static constexpr std::pair<absl::string_view, absl::string_view>
          kEntities[] = {{"&amp;", "&"},   {"&lt;", "<"},  {"&gt;", ">"},
                         {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"},
                         {"&nbsp;", " "}};
      bool matched = false;
      for (const auto& [entity, text] : kEntities) {
        if (absl::StartsWith(html.substr(i), entity)) {
          absl::StrAppend(&out, text);
          i += entity.size();
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    out.push_back(c);
    ++i;
  }
  // Trim trailing spaces of lines and collapse blank-line runs.
  std::vector<std::string> lines;
  int blank_run = 0;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.empty()) {
      if (++blank_run > 1 || lines.empty()) continue;
    } else {
      blank_run = 0;
    }
    lines.emplace_back(line);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return absl::StrJoin(lines, "\n");
}

std::string MarkdownToHtml(absl::string_view markdown) {
  std::string html;
  std::vector<std::string> paragraph;
  bool in_list = false;
  auto flush_paragraph = [&] {
    if (!paragraph.empty()) {
      absl::StrAppend(&html, "<p>", absl::StrJoin(paragraph, "<br>"), "</p>");
      paragraph.clear();
    }
  };
  auto close_list = [&] {
    if (in_list) {
      html += "</ul>";
      in_list = false;
    }
  };
  for (absl::string_view raw : absl::StrSplit(markdown, '\n')) {
    absl::string_view line = absl::StripTrailingAsciiWhitespace(raw);
    absl::string_view item;
    if (absl::StripAsciiWhitespace(line).empty()) {
      flush_paragraph();
      close_list();
    } else if (IsListItem(line, &item)) {
      flush_paragraph();
      if (!in_list) {
        html += "<ul>";
        in_list = true;
      }
      absl::StrAppend(&html, "<li>", InlineMarkdown(item), "</li>");
    } else if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "#")) {
      flush_paragraph();
      close_list();
      absl::string_view heading = absl::StripLeadingAsciiWhitespace(line);
      while (absl::ConsumePrefix(&heading, "#")) {
      }
      absl::StrAppend(&html, "<p><strong>",
                      InlineMarkdown(absl::StripAsciiWhitespace(heading)),
                      "</strong></p>");
    } else {
      close_list();
      paragraph.push_back(InlineMarkdown(line));
    }
  }
  flush_paragraph();
  close_list();
  return html;
}

std::string NoteBodyWithMarker(absl::string_view markdown,
                               absl::string_view marker) {
  return absl::StrCat(MarkdownToHtml(markdown), "<p>cse-marker: [",
                      EscapeHtml(marker), "]</p>");
}

bool NoteHasMarker(absl::string_view note_body, absl::string_view marker) {
  // The brackets end the marker: "evt-1" must not match "evt-12".
  return absl::StrContains(
      note_body, absl::StrCat("cse-marker: [", EscapeHtml(marker), "]"));
}

std::vector<std::string> SplitMultiValue(absl::string_view value) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(value, ';')) {
    part = absl::StripAsciiWhitespace(part);
    if (!part.empty()) out.emplace_back(part);
  }
  return out;
}

std::string HumanizeEnum(absl::string_view value) {
  std::string out = absl::AsciiStrToLower(value);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out;
}

}  // namespace cse::adapters::hubspot
