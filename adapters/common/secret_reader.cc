#include "adapters/common/secret_reader.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace cse::adapters {

absl::StatusOr<std::string> EnvAndFileSecretReader::Read(
    const cse::adapters::v1::Secret& secret,
    absl::string_view field_path) const {
  switch (secret.source_case()) {
    case cse::adapters::v1::Secret::kEnv: {
      const char* value = std::getenv(secret.env().c_str());
      if (value == nullptr || *value == '\0') {
        return absl::InvalidArgumentError(
            absl::StrCat(field_path, ".env: environment variable ",
                         secret.env(), " is not set or empty"));
      }
      return std::string(value);
    }
    case cse::adapters::v1::Secret::kFile: {
      std::ifstream in(secret.file(), std::ios::binary);
      if (!in) {
        return absl::InvalidArgumentError(
            absl::StrCat(field_path, ".file: cannot read ", secret.file()));
      }
      std::stringstream content;
      content << in.rdbuf();
      std::string value = content.str();
      while (!value.empty() && (value.back() == '\n' || value.back() == '\r'))
        value.pop_back();
      if (value.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(field_path, ".file: ", secret.file(), " is empty"));
      }
      return value;
    }
    case cse::adapters::v1::Secret::SOURCE_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field_path, ": required (env or file)"));
}

}  // namespace cse::adapters
