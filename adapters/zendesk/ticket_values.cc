#include "adapters/zendesk/ticket_values.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "adapters/common/utf8_prefix.h"

namespace cse::adapters::zendesk {

std::string NormalizeLowerValue(absl::string_view value) {
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  if (lower == "-") return "";
  return lower;
}

std::string NormalizeStatus(absl::string_view status) {
  std::string lower = NormalizeLowerValue(status);
  if (lower == "on-hold" || lower == "on hold" || lower == "on_hold") {
    return "hold";
  }
  return lower;
}

std::string NormalizeChannel(absl::string_view via) {
  const std::string lower = NormalizeLowerValue(via);
  if (lower.empty()) return lower;
  if (lower == "mail" || lower == "email") return "email";
  if (absl::StrContains(lower, "api") || lower == "web_service") return "api";
  if (lower == "web" || lower == "web_form" || lower == "web form" ||
      lower == "web_widget" || lower == "web widget") {
    return "web";
  }
  if (absl::StrContains(lower, "chat") ||
      absl::StrContains(lower, "messaging")) {
    return "chat";
  }
  if (absl::StrContains(lower, "voice") || absl::StrContains(lower, "phone")) {
    return "phone";
  }
  return lower;
}

bool IsResolvedStatus(absl::string_view normalized_status) {
  return normalized_status == "solved" || normalized_status == "closed";
}

std::string TruncateUtf8(absl::string_view text, size_t max_bytes) {
  return std::string(Utf8Prefix(text, max_bytes));
}

}  // namespace cse::adapters::zendesk
