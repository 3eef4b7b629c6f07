// A small, strict XML 1.0 well-formedness checker with a DOM, enough to
// test the SVG the CLI writes without a libxml2 dependency: one root
// element; matching end tags; quoted, unique attributes; only the five
// predefined entities and character references; valid UTF-8 and XML
// characters only; comments and processing instructions outside content
// skipped. No DTDs (the renderer writes none), no CDATA sections.
//
// Example:
//   absl::StatusOr<XmlDocument> doc = ParseXml(svg);
//   ASSERT_TRUE(doc.ok()) << doc.status();
//   for (const XmlNode* c : doc->root->FindAll("circle")) ...
#ifndef CSE_TESTS_CLI_TINY_XML_H_
#define CSE_TESTS_CLI_TINY_XML_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cse::testing {

struct XmlNode {
  std::string name;
  std::map<std::string, std::string> attributes;  // values decoded
  std::vector<std::unique_ptr<XmlNode>> children;
  const XmlNode* parent = nullptr;
  std::string text;  // the decoded character data directly inside

  // The attribute's value, or "" when absent.
  std::string Attr(absl::string_view attribute) const;
  // Whether the class attribute lists `cls`.
  bool HasClass(absl::string_view cls) const;
  // This node's text and all its descendants', in document order.
  std::string AllText() const;
  // Descendants (not this node) named `element`, in document order.
  std::vector<const XmlNode*> FindAll(absl::string_view element) const;
  // The descendant with this id attribute, or nullptr.
  const XmlNode* FindById(absl::string_view id) const;
  // The first child element named `element`, or nullptr.
  const XmlNode* Child(absl::string_view element) const;
};

struct XmlDocument {
  std::unique_ptr<XmlNode> root;
};

absl::StatusOr<XmlDocument> ParseXml(absl::string_view document);

}  // namespace cse::testing

#endif  // CSE_TESTS_CLI_TINY_XML_H_
