#include "adapters/zendesk/zendesk_time.h"

#include <string>

#include "absl/strings/ascii.h"

namespace cse::adapters::zendesk {

std::optional<absl::Time> ParseZendeskTime(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return std::nullopt;
  // %Ez accepts "Z" as well as "+hh:mm".
  for (const char* format : {absl::RFC3339_full, "%Y-%m-%d%ET%H:%M%Ez"}) {
    absl::Time at;
    std::string error;
    if (absl::ParseTime(format, text, &at, &error)) return at;
  }
  return std::nullopt;
}

}  // namespace cse::adapters::zendesk
