// Small helpers for building configuration field paths and errors, so
// every message of the generic webhook validator reads the same way:
//   crms[3].generic_webhook.event_mappings[0].fields.subject: invalid JSON
//   Pointer "subject" (must start with '/')
#ifndef CSE_ADAPTERS_GENERIC_WEBHOOK_CONFIG_PATHS_H_
#define CSE_ADAPTERS_GENERIC_WEBHOOK_CONFIG_PATHS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "sidecar/config/config_error.h"

namespace cse::adapters::generic_webhook {

inline std::string Child(absl::string_view path, absl::string_view name) {
  if (path.empty()) return std::string(name);
  return absl::StrCat(path, ".", name);
}

inline std::string Item(absl::string_view path, size_t index) {
  return absl::StrCat(path, "[", index, "]");
}

// Collects problems found while compiling a configuration section.
class ConfigErrors {
 public:
  void Add(absl::string_view field_path, std::string message) {
    errors_.push_back({"", std::string(field_path), std::move(message)});
  }
  bool empty() const { return errors_.empty(); }
  size_t size() const { return errors_.size(); }
  const std::vector<config::ConfigError>& errors() const { return errors_; }
  std::vector<config::ConfigError> Take() { return std::move(errors_); }

 private:
  std::vector<config::ConfigError> errors_;
};

}  // namespace cse::adapters::generic_webhook

#endif  // CSE_ADAPTERS_GENERIC_WEBHOOK_CONFIG_PATHS_H_
