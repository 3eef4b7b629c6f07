// A small, safe XML reader: libxml2's streaming reader turned into a tree
// of elements that know their namespace and their path in the document.
//
// Outbound messages are SOAP 1.1, and "A SOAP message MUST NOT contain a
// Document Type Declaration" (SOAP 1.1 section 3,
// https://www.w3.org/TR/2000/NOTE-SOAP-20000508/#_Toc478383492). So a
// document with a DTD is refused before libxml2 parses it, and libxml2
// runs without entity substitution, DTD loading or network access: no
// external entities (XXE), no entity expansion ("billion laughs").
// Depth and element count are bounded.
//
// Every error is INVALID_ARGUMENT and names where it is, e.g.
//   malformed XML at line 12, column 7, in
//   /soapenv:Envelope/soapenv:Body/notifications/Notification[2]/sObject:
//   Opening and ending tag mismatch: Subject line 11 and sObject
//
// Example:
//   absl::StatusOr<std::unique_ptr<XmlElement>> root = ParseXmlDocument(body);
//   const XmlElement* body = (*root)->Child(kSoapNs, "Body");
#ifndef CSE_ADAPTERS_SALESFORCE_XML_DOCUMENT_H_
#define CSE_ADAPTERS_SALESFORCE_XML_DOCUMENT_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cse::adapters::salesforce {

inline constexpr absl::string_view kXsiNamespace =
    "http://www.w3.org/2001/XMLSchema-instance";

struct XmlElement {
  std::string namespace_uri;
  std::string local_name;
  // As written, with its prefix ("sf:AccountId").
  std::string qualified_name;
  // "/soapenv:Envelope/soapenv:Body/notifications/Notification[2]": the
  // qualified names from the root, with a 1-based index where the parent
  // has several children of that name.
  std::string path;
  int line = 0;
  // The element's own character data (text and CDATA), entities such as
  // &amp; decoded; the text of child elements is not included.
  std::string text;
  // xsi:type, resolved against the namespaces in scope ("sf:Case" ->
  // {"urn:sobject.enterprise.soap.sforce.com", "Case"}); empty when absent.
  std::string xsi_type_namespace;
  std::string xsi_type_local;
  // xsi:nil="true" (or "1").
  bool xsi_nil = false;
  std::vector<std::unique_ptr<XmlElement>> children;

  // The first child with this namespace and local name; nullptr if none.
  const XmlElement* Child(absl::string_view namespace_uri,
                          absl::string_view local_name) const;
  // Every child with this namespace and local name, in document order.
  std::vector<const XmlElement*> Children(absl::string_view namespace_uri,
                                          absl::string_view local_name) const;
};

struct XmlLimits {
  // Deepest element nesting accepted (an outbound message is 6 deep).
  size_t max_depth = 32;
  // Most elements in one document (100 notifications of a few hundred
  // fields each fit).
  size_t max_elements = 100'000;
};

// Parses `xml` (any encoding its declaration names; UTF-8 by default) into
// its root element. INVALID_ARGUMENT, with the path of the open elements,
// when it is not well-formed, not valid in its encoding, has a DTD, or
// exceeds `limits`.
absl::StatusOr<std::unique_ptr<XmlElement>> ParseXmlDocument(
    absl::string_view xml, const XmlLimits& limits = XmlLimits());

}  // namespace cse::adapters::salesforce

#endif  // CSE_ADAPTERS_SALESFORCE_XML_DOCUMENT_H_
