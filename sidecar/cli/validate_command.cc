#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sidecar/cli/commands.h"
#include "sidecar/cli/mapping_source.h"

namespace cse::cli {

int RunValidate(const std::vector<std::string>& files, std::ostream& out,
                std::ostream& err) {
  int exit_code = kExitOk;
  for (const std::string& file : files) {
    std::vector<config::ConfigError> errors;
    MappingChoice choice;
    choice.config_path = file;
    absl::StatusOr<ReadyMapping> ready = LoadAndCompile(choice, &errors);
    if (!ready.ok()) {
      exit_code = kExitInvalid;
      for (const config::ConfigError& e : errors) {
        out << FormatConfigError(e, file) << "\n";
      }
      // The status adds something only when no problem was listed (an
      // unreadable file, a pattern RE2 refuses at compile time).
      if (errors.empty())
        out << file << ": " << ready.status().message() << "\n";
      continue;
    }
    const auto& config = ready->loaded.config;
    out << file << ": OK (version " << ready->loaded.version << ", "
        << config.phase_model().phases_size() << " phases, "
        << config.critical_events_size() << " detectors, "
        << ready->compiled->patterns().size() << " patterns)\n";
  }
  return exit_code;
}

}  // namespace cse::cli
