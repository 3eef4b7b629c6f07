// SecretReader: resolves a cse.adapters.v1.Secret (env var or file).
//
// Secrets are read once, when an adapter is built, and never logged: errors
// name the variable or file, not the value.
#ifndef CSE_ADAPTERS_COMMON_SECRET_READER_H_
#define CSE_ADAPTERS_COMMON_SECRET_READER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cse/adapters/v1/secret.pb.h"

namespace cse::adapters {

// True when the config names a source (env or file) for the secret.
inline bool IsSecretSet(const cse::adapters::v1::Secret& secret) {
  return secret.source_case() != cse::adapters::v1::Secret::SOURCE_NOT_SET;
}

class SecretReader {
 public:
  virtual ~SecretReader() = default;
  // The secret's value, trailing newline(s) of a file stripped.
  // INVALID_ARGUMENT "<field_path>: ..." when it is unset, the variable is
  // missing or empty, or the file cannot be read.
  virtual absl::StatusOr<std::string> Read(
      const cse::adapters::v1::Secret& secret,
      absl::string_view field_path) const = 0;
};

// Reads the process environment and the file system.
class EnvAndFileSecretReader : public SecretReader {
 public:
  absl::StatusOr<std::string> Read(const cse::adapters::v1::Secret& secret,
                                   absl::string_view field_path) const override;
};

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_COMMON_SECRET_READER_H_
