// HtmlToText: plain text from the HTML bodies some CRMs send (Zammad
// articles with content_type text/html, e-mail channels).
//
// Not an HTML parser: it removes tags, comments, <script> and <style>
// contents, turns <br> and the ends of block elements into line breaks,
// decodes character references (&amp; &lt; &#39; &#x27; ...), and collapses
// runs of blank lines. That is what the engine's text signals need.
#ifndef CSE_ADAPTERS_GENERIC_WEBHOOK_HTML_TEXT_H_
#define CSE_ADAPTERS_GENERIC_WEBHOOK_HTML_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cse::adapters::generic_webhook {

std::string HtmlToText(absl::string_view html);

}  // namespace cse::adapters::generic_webhook

#endif  // CSE_ADAPTERS_GENERIC_WEBHOOK_HTML_TEXT_H_
