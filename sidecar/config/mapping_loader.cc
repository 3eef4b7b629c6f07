#include "sidecar/config/mapping_loader.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "sidecar/config/mapping_validator.h"
#include "sidecar/config/mapping_yaml.h"

namespace cse::config {
namespace {

namespace cfg = ::cse::config::v1;

// Hex digits of the content hash shown in the version string.
constexpr size_t kVersionHashDigits = 12;
// Version label used when the file gives none.
constexpr absl::string_view kDefaultLabel = "unlabelled";

absl::string_view AsAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// The end of every load: fail with all errors, or stamp the version.
absl::StatusOr<LoadedMapping> Finish(cfg::MappingConfig config,
                                     std::vector<ConfigError> found,
                                     std::vector<ConfigError>* errors) {
  if (!found.empty()) {
    absl::Status status = absl::InvalidArgumentError(FormatConfigErrors(found));
    if (errors != nullptr) *errors = std::move(found);
    return status;
  }
  LoadedMapping loaded;
  loaded.content_hash = ContentHash(config);
  loaded.version =
      absl::StrCat(config.version().empty() ? kDefaultLabel : config.version(),
                   "@", loaded.content_hash.substr(0, kVersionHashDigits));
  loaded.config = std::move(config);
  return loaded;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (file == nullptr) {
    const int error = errno;
    return absl::ErrnoToStatus(error,
                               absl::StrCat("cannot open mapping file ", path));
  }
  std::string text;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) {
    text.append(buffer, n);
    // Stop early: the parser rejects it anyway, and the file may be huge.
    if (text.size() > kMaxMappingYamlBytes) break;
  }
  if (std::ferror(file.get())) {
    const int error = errno;
    return absl::ErrnoToStatus(error,
                               absl::StrCat("cannot read mapping file ", path));
  }
  return text;
}

}  // namespace

absl::StatusOr<LoadedMapping> LoadMappingYaml(
    std::string_view yaml, std::string_view filename,
    std::vector<ConfigError>* errors) {
  if (errors != nullptr) errors->clear();
  MappingYamlParse parsed = ParseMappingYaml(AsAbsl(yaml), AsAbsl(filename));
  // Validate only what parsed cleanly: a misspelt key would otherwise also
  // show up as the missing section it was meant to be.
  if (!parsed.errors.empty()) {
    return Finish(std::move(parsed.config), std::move(parsed.errors), errors);
  }
  std::vector<ConfigError> found = ValidateMapping(parsed.config);
  LocateErrors(&found, parsed.source_map, AsAbsl(filename));
  return Finish(std::move(parsed.config), std::move(found), errors);
}

absl::StatusOr<LoadedMapping> LoadMappingFile(
    const std::string& path, std::vector<ConfigError>* errors) {
  if (errors != nullptr) errors->clear();
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return LoadMappingYaml(*text, path, errors);
}

absl::StatusOr<LoadedMapping> LoadMappingProto(
    const cfg::MappingConfig& config, std::vector<ConfigError>* errors) {
  if (errors != nullptr) errors->clear();
  return Finish(config, ValidateMapping(config), errors);
}

std::string ContentHash(const cfg::MappingConfig& config) {
  // Deterministic serialisation orders map entries, so equal configs give
  // equal bytes whatever order the YAML listed them in.
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    config.SerializeToCodedStream(&out);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(),
             nullptr);
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest), static_cast<size_t>(length)));
}

}  // namespace cse::config
