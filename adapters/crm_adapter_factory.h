// CrmAdapterFactory: builds one kind of CrmAdapter from its typed config.
//
// Each adapter folder has one factory (adapters/<crm>/factory.{h,cc}); the
// registry (adapter_registry.h) maps the config's oneof member name
// ("zendesk", "request_tracker", ...) to it. Factories validate their
// config section and read its secrets, and never touch the network: the
// adapter's first call to the CRM happens when the runtime uses it, so
// `cse-adapter --validate-config` can run anywhere.
#ifndef CSE_ADAPTERS_CRM_ADAPTER_FACTORY_H_
#define CSE_ADAPTERS_CRM_ADAPTER_FACTORY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "adapters/common/http_client.h"
#include "adapters/common/secret_reader.h"
#include "adapters/crm_adapter.h"
#include "cse/adapters/v1/adapter_config.pb.h"
#include "sidecar/config/config_error.h"

namespace cse::adapters {

// What a factory may use besides its config. Pointers outlive the adapter.
struct AdapterContext {
  // For the CRM's REST API. Shared and thread-safe.
  HttpClient* http = nullptr;
  // Resolves Secret references (env var, file).
  const SecretReader* secrets = nullptr;
  // Now; tests inject a fixed clock to check signature timestamps.
  absl::Time (*now)() = &absl::Now;
};

class CrmAdapterFactory {
 public:
  virtual ~CrmAdapterFactory() = default;

  // The CrmConfig oneof member this factory builds, e.g. "zendesk".
  virtual absl::string_view kind() const = 0;

  // Checks the kind-specific section of `config` without side effects.
  // Each error's field_path starts with `path` (e.g. "crms[2].zendesk").
  virtual std::vector<config::ConfigError> Validate(
      const cse::adapters::v1::CrmConfig& config,
      absl::string_view path) const = 0;

  // Builds the adapter; `config` has passed Validate. Fails when a secret
  // cannot be read (INVALID_ARGUMENT naming the field, never the value).
  virtual absl::StatusOr<std::unique_ptr<CrmAdapter>> Create(
      const cse::adapters::v1::CrmConfig& config,
      const AdapterContext& context) const = 0;
};

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_CRM_ADAPTER_FACTORY_H_
