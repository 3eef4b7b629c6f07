// GenericWebhookAdapter: any CRM or helpdesk without a dedicated adapter.
//
// The admin describes the CRM in configuration (GenericWebhookConfig):
// how its deliveries are authenticated, how its JSON maps onto the
// canonical TicketEvent / MeetingEvent with JSON Pointers, and which HTTP
// calls write tags, the note and the phase back. This class wires the
// three parts together:
//   DeliveryAuthenticator  signature / shared token / none
//   EventMapper            JSON -> canonical events
//   WritebackPerformer     job -> templated HTTP calls
// See adapters/generic_webhook/README.md for a Chatwoot example.
//
// Example:
//   std::vector<config::ConfigError> errors =
//       ValidateGenericWebhookConfig(crm.generic_webhook(),
//                                    "crms[0].generic_webhook");
//   absl::StatusOr<std::unique_ptr<CrmAdapter>> adapter =
//       CreateGenericWebhookAdapter(crm.name(), crm.generic_webhook(),
//                                   context);
#ifndef CSE_ADAPTERS_GENERIC_WEBHOOK_GENERIC_WEBHOOK_ADAPTER_H_
#define CSE_ADAPTERS_GENERIC_WEBHOOK_GENERIC_WEBHOOK_ADAPTER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "adapters/crm_adapter.h"
#include "adapters/crm_adapter_factory.h"
#include "adapters/generic_webhook/delivery_authenticator.h"
#include "adapters/generic_webhook/event_mapper.h"
#include "adapters/generic_webhook/writeback_performer.h"
#include "cse/adapters/v1/generic_webhook.pb.h"
#include "sidecar/config/config_error.h"

namespace cse::adapters::generic_webhook {

// Every problem of `config`, with field paths under `path` (e.g.
// "crms[3].generic_webhook"). Reads no secret and touches no network.
std::vector<config::ConfigError> ValidateGenericWebhookConfig(
    const cse::adapters::v1::GenericWebhookConfig& config,
    absl::string_view path);

// Builds the adapter for CRM instance `name`. INVALID_ARGUMENT listing the
// problems when the config does not validate, or naming a secret that
// cannot be read.
absl::StatusOr<std::unique_ptr<CrmAdapter>> CreateGenericWebhookAdapter(
    absl::string_view name,
    const cse::adapters::v1::GenericWebhookConfig& config,
    const AdapterContext& context);

class GenericWebhookAdapter : public CrmAdapter {
 public:
  GenericWebhookAdapter(std::string name, DeliveryAuthenticator authenticator,
                        EventMapper mapper, WritebackPerformer writeback,
                        absl::Time (*now)());

  absl::string_view name() const override { return name_; }
  std::vector<std::string> accepted_content_types() const override {
    return {"application/json"};
  }
  // UNAUTHENTICATED for a failed check; INVALID_ARGUMENT for a body that
  // is not UTF-8 JSON or that a matching mapping cannot map (the message
  // names the mapping, field and pointer). Unmatched deliveries are
  // acknowledged with one `ignored` entry.
  absl::StatusOr<CanonicalEvents> ReceiveWebhook(
      const WebhookDelivery& delivery) override;
  WritebackOutcome PerformWriteback(const cse::v1::WritebackJob& job) override;

 private:
  std::string name_;
  DeliveryAuthenticator authenticator_;
  EventMapper mapper_;
  WritebackPerformer writeback_;
  absl::Time (*now_)();
};

// JSON nesting accepted in a delivery. CRM payloads nest a few levels; a
// body of thousands of nested arrays would only exhaust the stack of the
// recursive copies and destructors of nlohmann::json.
inline constexpr int kMaxJsonDepth = 64;

// The offset of the first '[' or '{' nested deeper than `max_depth` in
// `json` (strings skipped), or nullopt.
std::optional<size_t> FindExcessiveNesting(absl::string_view json,
                                           int max_depth);

// Where a body stops being valid UTF-8: the byte offset, or nullopt when
// it is valid. (RFC 3629; overlong forms and surrogates are invalid.)
std::optional<size_t> FindInvalidUtf8(absl::string_view text);

}  // namespace cse::adapters::generic_webhook

#endif  // CSE_ADAPTERS_GENERIC_WEBHOOK_GENERIC_WEBHOOK_ADAPTER_H_
