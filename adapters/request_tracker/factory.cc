#include "adapters/request_tracker/factory.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "adapters/request_tracker/request_tracker_adapter.h"

namespace cse::adapters {
namespace {

using cse::adapters::v1::CrmConfig;

class RequestTrackerAdapterFactory : public CrmAdapterFactory {
 public:
  absl::string_view kind() const override { return "request_tracker"; }

  std::vector<config::ConfigError> Validate(
      const CrmConfig& config, absl::string_view path) const override {
    std::vector<config::ConfigError> errors;
    const auto& rt = config.request_tracker();
    auto error = [&](absl::string_view field, std::string message) {
      errors.push_back(
          {"", absl::StrCat(path, ".", field), std::move(message)});
    };
    if (rt.base_url().empty()) {
      error("base_url", "required (e.g. https://rt.example.com)");
    } else if (!absl::StartsWith(rt.base_url(), "https://") &&
               !absl::StartsWith(rt.base_url(), "http://")) {
      error("base_url", "must start with https:// or http://");
    }
    if (rt.user().empty()) error("user", "required");
    if (!rt.has_password()) error("password", "required (env or file)");
    if (rt.poll_interval_seconds() > 3600) {
      error("poll_interval_seconds", "at most 3600");
    }
    if (rt.request_timeout_seconds() > 300) {
      error("request_timeout_seconds", "at most 300");
    }
    // RT matches custom field names without regard to case.
    const std::string outcome_field =
        rt.outcome_field().empty()
            ? request_tracker::PollerOptions{}.outcome_field
            : rt.outcome_field();
    const std::string phase_field =
        rt.phase_field().empty()
            ? request_tracker::WritebackFields{}.phase_field
            : rt.phase_field();
    if (absl::StripAsciiWhitespace(outcome_field).empty()) {
      error("outcome_field", "must not be blank");
    } else if (absl::EqualsIgnoreCase(outcome_field, phase_field)) {
      error("outcome_field",
            absl::StrCat("must differ from phase_field (\"", phase_field,
                         "\"): the adapter overwrites that field"));
    } else if (absl::EqualsIgnoreCase(outcome_field, rt.account_field())) {
      error("outcome_field", absl::StrCat("must differ from account_field (\"",
                                          rt.account_field(), "\")"));
    }
    return errors;
  }

  absl::StatusOr<std::unique_ptr<CrmAdapter>> Create(
      const CrmConfig& config, const AdapterContext& context) const override {
    const auto& rt = config.request_tracker();
    const std::string path =
        absl::StrCat("crms[name=", config.name(), "].request_tracker");
    request_tracker::AdapterOptions options;
    options.name = config.name();
    options.base_url = std::string(absl::StripSuffix(rt.base_url(), "/"));
    options.user = rt.user();
    absl::StatusOr<std::string> password =
        context.secrets->Read(rt.password(), path + ".password");
    if (!password.ok()) return password.status();
    options.password = *password;
    if (rt.has_poke_token()) {
      absl::StatusOr<std::string> token =
          context.secrets->Read(rt.poke_token(), path + ".poke_token");
      if (!token.ok()) return token.status();
      options.poke_token = *token;
    }
    if (rt.request_timeout_seconds() > 0) {
      options.timeout = absl::Seconds(rt.request_timeout_seconds());
    }
    options.poller.source = config.name();
    options.poller.backfill = rt.backfill();
    options.poller.account_field = rt.account_field();
    options.poller.queues.assign(rt.queues().begin(), rt.queues().end());
    if (!rt.phase_field().empty()) {
      options.fields.phase_field = rt.phase_field();
    }
    if (!rt.tags_field().empty()) options.fields.tags_field = rt.tags_field();
    if (!rt.outcome_field().empty()) {
      options.poller.outcome_field = rt.outcome_field();
    }
    return std::make_unique<request_tracker::RequestTrackerAdapter>(
        context.http, std::move(options));
  }
};

}  // namespace

std::unique_ptr<CrmAdapterFactory> NewRequestTrackerAdapterFactory() {
  return std::make_unique<RequestTrackerAdapterFactory>();
}

}  // namespace cse::adapters
