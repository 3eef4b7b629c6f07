// TextTemplate: literal text with {placeholders}.
//
// One syntax for every template of the generic webhook configuration:
// inbound field templates ("{/event}:{/id}"), the signed content of a
// signature ("{timestamp}.{body}") and the writeback calls
// ("/conversations/{object_id}/messages"). A placeholder is '{', a name
// without whitespace, quotes, backslashes or braces, and '}'; every other
// brace is literal, so JSON bodies need no escaping ('{"labels": {tags_json}}'
// has one placeholder). A '{' directly followed by a name that is not closed
// by '}' is an error (a typo would otherwise go out literally). There is no
// escape for a literal "{word}". The placeholder names a template may use
// depend on where it is,
// so callers check them (Placeholders()) and give the values when
// rendering, already escaped for their context (URL, JSON, header).
//
// Example:
//   absl::StatusOr<TextTemplate> t = TextTemplate::Parse("{a}-{b} {}");
//   std::optional<std::string> s = t->Render(
//       [](absl::string_view name) -> std::optional<std::string> {
//         return std::string(name);
//       });  // "a-b {}"
#ifndef CSE_ADAPTERS_GENERIC_WEBHOOK_TEXT_TEMPLATE_H_
#define CSE_ADAPTERS_GENERIC_WEBHOOK_TEXT_TEMPLATE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cse::adapters::generic_webhook {

class TextTemplate {
 public:
  // Returns a placeholder's value, or nullopt when it has none (which
  // makes the whole rendering nullopt).
  using Resolver =
      std::function<std::optional<std::string>(absl::string_view name)>;

  // Parses `text`. INVALID_ARGUMENT naming the offset of a placeholder
  // that is not closed.
  static absl::StatusOr<TextTemplate> Parse(absl::string_view text);

  // The placeholder names in order of appearance (repeats included).
  std::vector<std::string> Placeholders() const;
  bool Uses(absl::string_view name) const;

  // The text with each placeholder replaced by resolve(name); nullopt as
  // soon as one resolves to nullopt.
  std::optional<std::string> Render(const Resolver& resolve) const;

  const std::string& source() const { return source_; }

 private:
  struct Part {
    bool placeholder = false;
    std::string text;  // literal text, or the placeholder's name
  };
  std::string source_;
  std::vector<Part> parts_;
};

}  // namespace cse::adapters::generic_webhook

#endif  // CSE_ADAPTERS_GENERIC_WEBHOOK_TEXT_TEMPLATE_H_
