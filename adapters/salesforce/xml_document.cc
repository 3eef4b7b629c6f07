#include "adapters/salesforce/xml_document.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include <algorithm>
#include <climits>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace cse::adapters::salesforce {
namespace {

// libxml2 must be initialised once before threads use it
// (http://xmlsoft.org/threads.html).
void InitLibxml2Once() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

std::string ToString(const xmlChar* text) {
  return text == nullptr ? std::string()
                         : std::string(reinterpret_cast<const char*>(text));
}

std::string QualifiedName(const xmlNode* node) {
  if (node->ns != nullptr && node->ns->prefix != nullptr) {
    return absl::StrCat(ToString(node->ns->prefix), ":", ToString(node->name));
  }
  return ToString(node->name);
}

// The first error libxml2 reports, captured instead of printed.
struct ErrorSink {
  bool seen = false;
  std::string message;
  int line = 0;
  int column = 0;
  // The elements open in the parser when the error came, outermost first:
  // the reader parses ahead of what it has handed out, so this can be
  // deeper than the builder's own stack.
  std::vector<std::pair<const xmlNode*, std::string>> parser_path;
};

void CaptureError(void* user_data, xmlErrorPtr error) {
  auto* sink = static_cast<ErrorSink*>(user_data);
  // Warnings (e.g. a relative namespace URI) do not make a document
  // unreadable.
  if (sink->seen || error == nullptr || error->level < XML_ERR_ERROR) return;
  sink->seen = true;
  sink->message = std::string(absl::StripAsciiWhitespace(
      error->message == nullptr ? "unknown error" : error->message));
  sink->line = error->line;
  sink->column = error->int2;
  // The parser context's current node is the element being parsed. Only
  // parser errors are sure to carry a parser context in `ctxt`.
  const bool from_parser =
      error->domain == XML_FROM_PARSER || error->domain == XML_FROM_NAMESPACE;
  const auto* context =
      from_parser ? static_cast<const xmlParserCtxt*>(error->ctxt) : nullptr;
  for (const xmlNode* node = context == nullptr ? nullptr : context->node;
       node != nullptr && node->type == XML_ELEMENT_NODE; node = node->parent) {
    sink->parser_path.emplace_back(node, QualifiedName(node));
  }
  std::reverse(sink->parser_path.begin(), sink->parser_path.end());
}

struct ReaderDeleter {
  void operator()(xmlTextReaderPtr reader) const { xmlFreeTextReader(reader); }
};

// Builds the tree while the reader streams the document.
class TreeBuilder {
 public:
  TreeBuilder(xmlTextReaderPtr reader, const XmlLimits& limits)
      : reader_(reader), limits_(limits) {}

  absl::StatusOr<std::unique_ptr<XmlElement>> Run(ErrorSink& errors) {
    while (true) {
      const int step = xmlTextReaderRead(reader_);
      if (step == 0) break;
      if (step < 0 || errors.seen) return Malformed(errors);
      absl::Status status = OnNode();
      if (!status.ok()) return status;
    }
    if (errors.seen) return Malformed(errors);
    if (root_ == nullptr) {
      return absl::InvalidArgumentError("malformed XML: no root element");
    }
    root_->path = absl::StrCat("/", root_->qualified_name);
    FinalizeChildPaths(*root_);
    return std::move(root_);
  }

 private:
  absl::Status OnNode() {
    switch (xmlTextReaderNodeType(reader_)) {
      case XML_READER_TYPE_ELEMENT:
        return OpenElement();
      case XML_READER_TYPE_END_ELEMENT:
        if (!open_.empty()) open_.pop_back();
        return absl::OkStatus();
      case XML_READER_TYPE_TEXT:
      case XML_READER_TYPE_CDATA:
      case XML_READER_TYPE_WHITESPACE:
      case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        if (!open_.empty()) {
          open_.back().element->text +=
              ToString(xmlTextReaderConstValue(reader_));
        }
        return absl::OkStatus();
      case XML_READER_TYPE_DOCUMENT_TYPE:
      case XML_READER_TYPE_ENTITY:
      case XML_READER_TYPE_ENTITY_REFERENCE:
        // Never reached for a document without a DTD; refused all the same.
        return absl::InvalidArgumentError(absl::StrCat(
            "XML with a document type declaration or entities is not "
            "accepted (SOAP forbids DTDs), at ",
            OpenPath()));
      default:
        // Comments and processing instructions carry nothing we read.
        return absl::OkStatus();
    }
  }

  absl::Status OpenElement() {
    if (++elements_ > limits_.max_elements) {
      return absl::InvalidArgumentError(
          absl::StrCat("XML has more than ", limits_.max_elements,
                       " elements, at ", OpenPath()));
    }
    if (open_.size() >= limits_.max_depth) {
      return absl::InvalidArgumentError(
          absl::StrCat("XML is nested deeper than ", limits_.max_depth,
                       " elements, at ", OpenPath()));
    }
    auto element = std::make_unique<XmlElement>();
    element->namespace_uri = ToString(xmlTextReaderConstNamespaceUri(reader_));
    element->local_name = ToString(xmlTextReaderConstLocalName(reader_));
    element->qualified_name = ToString(xmlTextReaderConstName(reader_));
    element->line = xmlTextReaderGetParserLineNumber(reader_);
    const bool empty = xmlTextReaderIsEmptyElement(reader_) == 1;
    ReadAttributes(*element);

    XmlElement* raw = element.get();
    int index = 1;
    if (open_.empty()) {
      if (root_ != nullptr) {
        return absl::InvalidArgumentError("malformed XML: two root elements");
      }
      root_ = std::move(element);
    } else {
      OpenFrame& parent = open_.back();
      index = ++parent.name_counts[raw->qualified_name];
      parent.element->children.push_back(std::move(element));
    }
    if (!empty) {
      open_.push_back(
          OpenFrame{raw, xmlTextReaderCurrentNode(reader_), index, {}});
    }
    return absl::OkStatus();
  }

  void ReadAttributes(XmlElement& element) {
    std::string raw_type;
    while (xmlTextReaderMoveToNextAttribute(reader_) == 1) {
      const std::string ns = ToString(xmlTextReaderConstNamespaceUri(reader_));
      // Namespace declarations (xmlns:...) and other attributes are not read.
      if (ns != kXsiNamespace) continue;
      const std::string name = ToString(xmlTextReaderConstLocalName(reader_));
      const std::string value = ToString(xmlTextReaderConstValue(reader_));
      if (name == "type") raw_type = value;
      if (name == "nil") {
        element.xsi_nil = absl::StripAsciiWhitespace(value) == "true" ||
                          absl::StripAsciiWhitespace(value) == "1";
      }
    }
    xmlTextReaderMoveToElement(reader_);
    if (raw_type.empty()) return;
    // xsi:type is a QName: resolve its prefix in the element's scope.
    absl::string_view type = absl::StripAsciiWhitespace(raw_type);
    std::string prefix;
    const size_t colon = type.find(':');
    if (colon != absl::string_view::npos) {
      prefix = std::string(type.substr(0, colon));
      type.remove_prefix(colon + 1);
    }
    xmlChar* ns = xmlTextReaderLookupNamespace(
        reader_, prefix.empty()
                     ? nullptr
                     : reinterpret_cast<const xmlChar*>(prefix.c_str()));
    element.xsi_type_namespace = ToString(ns);
    xmlFree(ns);
    element.xsi_type_local = std::string(type);
  }

  // The path of the elements open now (for errors while streaming).
  std::string OpenPath() const {
    if (open_.empty()) return "/";
    std::string path;
    for (const OpenFrame& frame : open_) {
      absl::StrAppend(&path, "/", frame.element->qualified_name);
      if (frame.index > 1) absl::StrAppend(&path, "[", frame.index, "]");
    }
    return path;
  }

  absl::Status Malformed(const ErrorSink& errors) const {
    std::string what =
        errors.seen ? errors.message : std::string("unreadable document");
    if (absl::StrContains(what, "not proper UTF-8")) {
      what = absl::StrCat("invalid UTF-8 (", what, ")");
    }
    std::string where;
    if (errors.seen && errors.line > 0) {
      where = absl::StrCat(" at line ", errors.line, ", column ", errors.column,
                           ",");
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "malformed XML", where, " in ", ErrorPath(errors), ": ", what));
  }

  // Where the parser was: the open elements it has handed out (with their
  // indexes), then the ones it had parsed ahead; a parsed-ahead element's
  // index assumes it is the next sibling of its name.
  std::string ErrorPath(const ErrorSink& errors) const {
    if (errors.parser_path.empty()) return OpenPath();
    std::string path;
    size_t matched = 0;
    while (matched < errors.parser_path.size() && matched < open_.size() &&
           errors.parser_path[matched].first == open_[matched].node) {
      const OpenFrame& frame = open_[matched];
      absl::StrAppend(&path, "/", frame.element->qualified_name);
      if (frame.index > 1) absl::StrAppend(&path, "[", frame.index, "]");
      ++matched;
    }
    for (size_t i = matched; i < errors.parser_path.size(); ++i) {
      const std::string& name = errors.parser_path[i].second;
      absl::StrAppend(&path, "/", name);
      if (i == matched && matched > 0) {
        auto seen = open_[matched - 1].name_counts.find(name);
        const int index =
            (seen == open_[matched - 1].name_counts.end() ? 0 : seen->second) +
            1;
        if (index > 1) absl::StrAppend(&path, "[", index, "]");
      }
    }
    return path.empty() ? "/" : path;
  }

  // Final paths, once every sibling is known: an index wherever the parent
  // has several children of the same name ("Notification[1]" in a batch,
  // "Notification" alone). `element.path` is already set. Recursion is
  // bounded by max_depth.
  static void FinalizeChildPaths(XmlElement& element) {
    absl::flat_hash_map<std::string, int> totals;
    for (const auto& child : element.children) ++totals[child->qualified_name];
    absl::flat_hash_map<std::string, int> seen;
    for (auto& child : element.children) {
      const int index = ++seen[child->qualified_name];
      child->path = absl::StrCat(element.path, "/", child->qualified_name);
      if (totals[child->qualified_name] > 1) {
        absl::StrAppend(&child->path, "[", index, "]");
      }
      FinalizeChildPaths(*child);
    }
  }

  struct OpenFrame {
    XmlElement* element;
    // The reader's node, alive while the element is open.
    const xmlNode* node;
    int index;
    absl::flat_hash_map<std::string, int> name_counts;
  };

  xmlTextReaderPtr reader_;
  const XmlLimits& limits_;
  std::unique_ptr<XmlElement> root_;
  std::vector<OpenFrame> open_;
  size_t elements_ = 0;
};

}  // namespace

const XmlElement* XmlElement::Child(absl::string_view ns,
                                    absl::string_view local) const {
  for (const auto& child : children) {
    if (child->namespace_uri == ns && child->local_name == local) {
      return child.get();
    }
  }
  return nullptr;
}

std::vector<const XmlElement*> XmlElement::Children(
    absl::string_view ns, absl::string_view local) const {
  std::vector<const XmlElement*> found;
  for (const auto& child : children) {
    if (child->namespace_uri == ns && child->local_name == local) {
      found.push_back(child.get());
    }
  }
  return found;
}

absl::StatusOr<std::unique_ptr<XmlElement>> ParseXmlDocument(
    absl::string_view xml, const XmlLimits& limits) {
  // Refused before parsing: SOAP forbids DTDs, and a DTD is where external
  // entities and entity bombs are declared.
  if (absl::StrContains(xml, "<!DOCTYPE") ||
      absl::StrContains(xml, "<!ENTITY")) {
    return absl::InvalidArgumentError(
        "XML with a document type declaration (<!DOCTYPE) or entity "
        "declarations is not accepted: SOAP messages must not contain a DTD");
  }
  if (xml.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError("XML document too large");
  }
  InitLibxml2Once();
  // No XML_PARSE_NOENT (entity substitution), XML_PARSE_DTDLOAD,
  // XML_PARSE_DTDATTR, XML_PARSE_DTDVALID, XML_PARSE_XINCLUDE or
  // XML_PARSE_HUGE; no network; errors captured, not printed.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR |
                      XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
  std::unique_ptr<xmlTextReader, ReaderDeleter> reader(xmlReaderForMemory(
      xml.data(), static_cast<int>(xml.size()), "outbound-message.xml",
      /*encoding=*/nullptr, options));
  if (reader == nullptr) {
    return absl::InvalidArgumentError("malformed XML: cannot start parsing");
  }
  ErrorSink errors;
  xmlTextReaderSetStructuredErrorHandler(reader.get(), &CaptureError, &errors);
  TreeBuilder builder(reader.get(), limits);
  return builder.Run(errors);
}

}  // namespace cse::adapters::salesforce
