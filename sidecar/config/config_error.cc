#include "sidecar/config/config_error.h"

#include "absl/strings/str_cat.h"

namespace cse::config {

std::string ConfigError::ToString() const {
  std::string out;
  if (!location.empty()) absl::StrAppend(&out, location, ": ");
  if (!field_path.empty()) absl::StrAppend(&out, field_path, ": ");
  absl::StrAppend(&out, message);
  return out;
}

std::string FormatConfigErrors(absl::Span<const ConfigError> errors,
                               size_t max_listed) {
  std::string out;
  for (size_t i = 0; i < errors.size() && i < max_listed; ++i) {
    if (i > 0) out.push_back('\n');
    out += errors[i].ToString();
  }
  if (errors.size() > max_listed) {
    absl::StrAppend(&out, "\n... and ", errors.size() - max_listed, " more");
  }
  return out;
}

}  // namespace cse::config
