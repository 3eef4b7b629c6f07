#include "adapters/runtime/adapter_config.h"

#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sidecar/config/mapping_validator.h"
#include "sidecar/config/proto_yaml.h"

namespace cse::adapters {
namespace {

using config::ConfigError;
using cse::adapters::v1::AdapterConfig;
using cse::adapters::v1::CrmConfig;

constexpr size_t kMaxConfigBytes = 1 << 20;
constexpr uint32_t kMaxBodyBytes = 64 << 20;

bool ValidName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-' ||
          c == '_')) {
      return false;
    }
  }
  return true;
}

// "host:port" with a port in 1..65535.
bool ValidListen(absl::string_view listen) {
  const size_t colon = listen.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) return false;
  int port = 0;
  return absl::SimpleAtoi(listen.substr(colon + 1), &port) && port > 0 &&
         port < 65536;
}

bool ValidHttpUrl(absl::string_view url) {
  return absl::StartsWith(url, "https://") || absl::StartsWith(url, "http://");
}

}  // namespace

std::string CrmKind(const CrmConfig& crm) {
  const google::protobuf::OneofDescriptor* oneof =
      CrmConfig::descriptor()->FindOneofByName("kind");
  const google::protobuf::FieldDescriptor* field =
      crm.GetReflection()->GetOneofFieldDescriptor(crm, oneof);
  return field == nullptr ? "" : field->name();
}

std::vector<ConfigError> ValidateAdapterConfig(
    const AdapterConfig& config, const AdapterRegistry& registry) {
  std::vector<ConfigError> errors;
  auto error = [&errors](std::string path, std::string message) {
    errors.push_back({"", std::move(path), std::move(message)});
  };
  const auto& ingress = config.ingress();
  if (!ingress.listen().empty() && !ValidListen(ingress.listen())) {
    error("ingress.listen",
          absl::StrCat("expected host:port, got '", ingress.listen(), "'"));
  }
  if (!ingress.public_base_url().empty()) {
    if (!ValidHttpUrl(ingress.public_base_url())) {
      error("ingress.public_base_url", "must start with https:// or http://");
    } else if (absl::EndsWith(ingress.public_base_url(), "/")) {
      error("ingress.public_base_url",
            "must not end with '/' (paths are appended to it)");
    }
  }
  if (ingress.max_body_bytes() > kMaxBodyBytes) {
    error("ingress.max_body_bytes",
          absl::StrCat("at most ", kMaxBodyBytes, " (64 MiB)"));
  }
  if (ingress.tls_cert_file().empty() != ingress.tls_key_file().empty()) {
    error(ingress.tls_cert_file().empty() ? "ingress.tls_cert_file"
                                          : "ingress.tls_key_file",
          "tls_cert_file and tls_key_file go together");
  }
  if (!config.sidecar().target().empty() &&
      !ValidListen(config.sidecar().target()) &&
      !absl::StartsWith(config.sidecar().target(), "unix:")) {
    error("sidecar.target",
          absl::StrCat("expected host:port or unix:path, got '",
                       config.sidecar().target(), "'"));
  }
  if (config.writeback().max_jobs() > 500) {
    error("writeback.max_jobs", "at most 500");
  }
  if (config.writeback().lease_seconds() > 3600) {
    error("writeback.lease_seconds", "at most 3600");
  }
  if (config.crms().empty()) {
    error("crms", "at least one CRM is required");
  }
  absl::flat_hash_set<std::string> names;
  for (int i = 0; i < config.crms_size(); ++i) {
    const CrmConfig& crm = config.crms(i);
    const std::string path = absl::StrCat("crms[", i, "]");
    if (!ValidName(crm.name())) {
      error(path + ".name",
            crm.name().empty()
                ? std::string("required")
                : absl::StrCat("'", crm.name(),
                               "': use lower-case letters, digits, '-' and "
                               "'_' (at most 64)"));
    } else if (!names.insert(crm.name()).second) {
      error(path + ".name", absl::StrCat("'", crm.name(), "' is used twice"));
    }
    const std::string kind = CrmKind(crm);
    if (kind.empty()) {
      error(path, absl::StrCat("one CRM section is required: ",
                               absl::StrJoin(registry.Kinds(), ", ")));
      continue;
    }
    const CrmAdapterFactory* factory = registry.Find(kind);
    if (factory == nullptr) {
      error(absl::StrCat(path, ".", kind),
            absl::StrCat("this build has no '", kind, "' adapter; it has: ",
                         absl::StrJoin(registry.Kinds(), ", ")));
      continue;
    }
    std::vector<ConfigError> own =
        factory->Validate(crm, absl::StrCat(path, ".", kind));
    errors.insert(errors.end(), own.begin(), own.end());
  }
  return errors;
}

absl::StatusOr<AdapterConfig> ParseAdapterConfig(
    absl::string_view yaml, absl::string_view filename,
    const AdapterRegistry& registry) {
  AdapterConfig config;
  config::ProtoYamlParse parsed =
      config::ParseYamlIntoMessage(yaml, filename, kMaxConfigBytes, &config);
  std::vector<ConfigError> errors = std::move(parsed.errors);
  if (errors.empty()) {
    errors = ValidateAdapterConfig(config, registry);
    config::LocateErrors(&errors, parsed.source_map, filename);
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(config::FormatConfigErrors(errors));
  }
  return config;
}

absl::StatusOr<AdapterConfig> LoadAdapterConfigFile(
    const std::string& path, const AdapterRegistry& registry) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  std::stringstream content;
  content << in.rdbuf();
  return ParseAdapterConfig(content.str(), path, registry);
}

}  // namespace cse::adapters
