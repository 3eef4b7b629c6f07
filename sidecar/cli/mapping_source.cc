#include "sidecar/cli/mapping_source.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace cse::cli {

absl::StatusOr<ReadyMapping> LoadAndCompile(
    const MappingChoice& choice, std::vector<config::ConfigError>* errors) {
  absl::StatusOr<config::LoadedMapping> loaded =
      !choice.config_path.empty()
          ? config::LoadMappingFile(choice.config_path, errors)
          : config::LoadBuiltinMapping(
                choice.builtin_name.empty() ? "default" : choice.builtin_name);
  if (!loaded.ok()) return loaded.status();
  auto compiled =
      engine::CompiledMapping::Compile(loaded->config, loaded->version);
  if (!compiled.ok()) {
    return absl::Status(compiled.status().code(),
                        absl::StrCat("compile: ", compiled.status().message()));
  }
  ReadyMapping ready;
  ready.loaded = *std::move(loaded);
  ready.compiled = *std::move(compiled);
  return ready;
}

std::string FormatConfigError(const config::ConfigError& error,
                              absl::string_view fallback_file) {
  std::string out =
      error.location.empty() ? std::string(fallback_file) : error.location;
  if (!error.field_path.empty()) absl::StrAppend(&out, ": ", error.field_path);
  absl::StrAppend(&out, ": ", error.message);
  return out;
}

}  // namespace cse::cli
