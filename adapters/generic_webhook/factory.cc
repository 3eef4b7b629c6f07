#include "adapters/generic_webhook/factory.h"

#include "adapters/generic_webhook/generic_webhook_adapter.h"

namespace cse::adapters {
namespace {

class GenericWebhookAdapterFactory : public CrmAdapterFactory {
 public:
  absl::string_view kind() const override { return "generic_webhook"; }

  std::vector<config::ConfigError> Validate(
      const cse::adapters::v1::CrmConfig& config,
      absl::string_view path) const override {
    if (!config.has_generic_webhook()) {
      return {
          {"", std::string(path), "the generic_webhook section is missing"}};
    }
    return generic_webhook::ValidateGenericWebhookConfig(
        config.generic_webhook(), path);
  }

  absl::StatusOr<std::unique_ptr<CrmAdapter>> Create(
      const cse::adapters::v1::CrmConfig& config,
      const AdapterContext& context) const override {
    if (!config.has_generic_webhook()) {
      return absl::InvalidArgumentError(
          "the generic_webhook section is missing");
    }
    return generic_webhook::CreateGenericWebhookAdapter(
        config.name(), config.generic_webhook(), context);
  }
};

}  // namespace

std::unique_ptr<CrmAdapterFactory> NewGenericWebhookAdapterFactory() {
  return std::make_unique<GenericWebhookAdapterFactory>();
}

}  // namespace cse::adapters
