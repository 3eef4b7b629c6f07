#include "tests/cli/tiny_xml.h"

#include <cstdint>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace cse::testing {
namespace {

bool IsXmlChar(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Every byte sequence is shortest-form UTF-8 of an XML Char.
absl::Status CheckCharacters(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    size_t need = 0;
    uint32_t cp = 0;
    uint32_t min = 0;
    if (b0 < 0x80) {
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      need = 1, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      need = 2, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      need = 3, cp = b0 & 0x07, min = 0x10000;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("invalid UTF-8 at ", i));
    }
    if (i + need >= s.size() && need > 0) {
      return absl::InvalidArgumentError(absl::StrCat("truncated UTF-8 at ", i));
    }
    for (size_t k = 1; k <= need; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) {
        return absl::InvalidArgumentError(absl::StrCat("invalid UTF-8 at ", i));
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || !IsXmlChar(cp)) {
      return absl::InvalidArgumentError(
          absl::StrCat("not an XML character (U+", absl::Hex(cp), ") at ", i));
    }
    i += need + 1;
  }
  return absl::OkStatus();
}

bool IsNameStart(char c) {
  return absl::ascii_isalpha(c) || c == '_' || c == ':' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsNameChar(char c) {
  return IsNameStart(c) || absl::ascii_isdigit(c) || c == '-' || c == '.';
}
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Parser {
 public:
  explicit Parser(absl::string_view s) : s_(s) {}

  absl::StatusOr<XmlDocument> Document() {
    if (absl::Status st = CheckCharacters(s_); !st.ok()) return st;
    if (absl::StartsWith(s_, "<?xml")) {
      if (absl::Status st = SkipUntil("?>"); !st.ok()) return st;
    }
    if (absl::Status st = Misc(); !st.ok()) return st;
    if (!Peek("<")) return Error("expected the root element");
    XmlDocument doc;
    doc.root = std::make_unique<XmlNode>();
    if (absl::Status st = Element(doc.root.get()); !st.ok()) return st;
    if (absl::Status st = Misc(); !st.ok()) return st;
    if (pos_ != s_.size()) return Error("content after the root element");
    return doc;
  }

 private:
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " at byte ", pos_, ": \"",
        s_.substr(pos_, std::min<size_t>(40, s_.size() - pos_)), "\""));
  }
  bool Peek(absl::string_view t) const {
    return absl::StartsWith(s_.substr(pos_), t);
  }
  void SkipSpace() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }
  absl::Status SkipUntil(absl::string_view end) {
    const size_t at = s_.find(end, pos_);
    if (at == absl::string_view::npos) {
      return Error(absl::StrCat("unterminated, expected ", end));
    }
    pos_ = at + end.size();
    return absl::OkStatus();
  }
  absl::Status Comment() {
    pos_ += 4;  // <!--
    const size_t at = s_.find("--", pos_);
    if (at == absl::string_view::npos || s_.substr(at, 3) != "-->") {
      return Error("bad comment");
    }
    pos_ = at + 3;
    return absl::OkStatus();
  }
  // Whitespace, comments and processing instructions between elements.
  absl::Status Misc() {
    for (;;) {
      SkipSpace();
      if (Peek("<!--")) {
        if (absl::Status st = Comment(); !st.ok()) return st;
      } else if (Peek("<?")) {
        if (absl::Status st = SkipUntil("?>"); !st.ok()) return st;
      } else if (Peek("<!")) {
        return Error("DTDs and CDATA are not expected");
      } else {
        return absl::OkStatus();
      }
    }
  }
  absl::StatusOr<std::string> Name() {
    const size_t start = pos_;
    if (pos_ >= s_.size() || !IsNameStart(s_[pos_])) {
      return Error("expected a name");
    }
    while (pos_ < s_.size() && IsNameChar(s_[pos_])) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }
  // At '&': a predefined entity or a character reference.
  absl::Status Reference(std::string* out) {
    const size_t semi = s_.find(';', pos_);
    if (semi == absl::string_view::npos || semi - pos_ > 12) {
      return Error("unterminated reference");
    }
    const absl::string_view ref = s_.substr(pos_ + 1, semi - pos_ - 1);
    if (ref == "amp") {
      out->push_back('&');
    } else if (ref == "lt") {
      out->push_back('<');
    } else if (ref == "gt") {
      out->push_back('>');
    } else if (ref == "quot") {
      out->push_back('"');
    } else if (ref == "apos") {
      out->push_back('\'');
    } else if (absl::StartsWith(ref, "#")) {
      uint32_t cp = 0;
      const bool ok = absl::StartsWith(ref, "#x")
                          ? absl::SimpleHexAtoi(ref.substr(2), &cp)
                          : absl::SimpleAtoi(ref.substr(1), &cp);
      if (!ok || !IsXmlChar(cp)) return Error("bad character reference");
      AppendUtf8(cp, out);
    } else {
      return Error(absl::StrCat("unknown entity &", ref, ";"));
    }
    pos_ = semi + 1;
    return absl::OkStatus();
  }
  absl::Status Element(XmlNode* node) {
    ++pos_;  // <
    absl::StatusOr<std::string> name = Name();
    if (!name.ok()) return name.status();
    node->name = *name;
    for (;;) {
      const size_t before = pos_;
      SkipSpace();
      if (Peek("/>")) {
        pos_ += 2;
        return absl::OkStatus();
      }
      if (Peek(">")) {
        ++pos_;
        break;
      }
      if (pos_ == before) return Error("expected space before an attribute");
      absl::StatusOr<std::string> attr = Name();
      if (!attr.ok()) return attr.status();
      SkipSpace();
      if (!Peek("=")) return Error("expected =");
      ++pos_;
      SkipSpace();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) {
        return Error("attribute value not quoted");
      }
      const char quote = s_[pos_++];
      std::string value;
      while (pos_ < s_.size() && s_[pos_] != quote) {
        if (s_[pos_] == '<') return Error("'<' in an attribute value");
        if (s_[pos_] == '&') {
          if (absl::Status st = Reference(&value); !st.ok()) return st;
        } else {
          value.push_back(s_[pos_++]);
        }
      }
      if (pos_ >= s_.size()) return Error("unterminated attribute value");
      ++pos_;
      if (!node->attributes.emplace(*attr, std::move(value)).second) {
        return Error(absl::StrCat("duplicate attribute ", *attr));
      }
    }
    // Content.
    for (;;) {
      if (pos_ >= s_.size()) {
        return Error(absl::StrCat("unclosed element <", node->name, ">"));
      }
      if (Peek("</")) {
        pos_ += 2;
        absl::StatusOr<std::string> end = Name();
        if (!end.ok()) return end.status();
        if (*end != node->name) {
          return Error(absl::StrCat("</", *end, "> closes <", node->name, ">"));
        }
        SkipSpace();
        if (!Peek(">")) return Error("expected >");
        ++pos_;
        return absl::OkStatus();
      }
      if (Peek("<!--")) {
        if (absl::Status st = Comment(); !st.ok()) return st;
      } else if (Peek("<?")) {
        if (absl::Status st = SkipUntil("?>"); !st.ok()) return st;
      } else if (Peek("<!")) {
        return Error("CDATA is not expected");
      } else if (Peek("<")) {
        auto child = std::make_unique<XmlNode>();
        child->parent = node;
        if (absl::Status st = Element(child.get()); !st.ok()) return st;
        node->children.push_back(std::move(child));
      } else if (Peek("]]>")) {
        return Error("']]>' in character data");
      } else if (s_[pos_] == '&') {
        if (absl::Status st = Reference(&node->text); !st.ok()) return st;
      } else {
        node->text.push_back(s_[pos_++]);
      }
    }
  }

  absl::string_view s_;
  size_t pos_ = 0;
};

void CollectText(const XmlNode& node, std::string* out) {
  absl::StrAppend(out, node.text);
  for (const auto& c : node.children) CollectText(*c, out);
}

void Collect(const XmlNode& node, absl::string_view element,
             std::vector<const XmlNode*>* out) {
  for (const auto& c : node.children) {
    if (c->name == element) out->push_back(c.get());
    Collect(*c, element, out);
  }
}

}  // namespace

std::string XmlNode::Attr(absl::string_view attribute) const {
  auto it = attributes.find(std::string(attribute));
  return it == attributes.end() ? "" : it->second;
}

bool XmlNode::HasClass(absl::string_view cls) const {
  for (absl::string_view c :
       absl::StrSplit(Attr("class"), ' ', absl::SkipEmpty())) {
    if (c == cls) return true;
  }
  return false;
}

std::string XmlNode::AllText() const {
  std::string out;
  CollectText(*this, &out);
  return out;
}

std::vector<const XmlNode*> XmlNode::FindAll(absl::string_view element) const {
  std::vector<const XmlNode*> out;
  Collect(*this, element, &out);
  return out;
}

const XmlNode* XmlNode::FindById(absl::string_view id) const {
  for (const auto& c : children) {
    if (c->Attr("id") == id) return c.get();
    if (const XmlNode* found = c->FindById(id)) return found;
  }
  return nullptr;
}

const XmlNode* XmlNode::Child(absl::string_view element) const {
  for (const auto& c : children) {
    if (c->name == element) return c.get();
  }
  return nullptr;
}

absl::StatusOr<XmlDocument> ParseXml(absl::string_view document) {
  return Parser(document).Document();
}

}  // namespace cse::testing
