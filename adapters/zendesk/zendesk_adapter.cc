#include "adapters/zendesk/zendesk_adapter.h"

#include <exception>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "adapters/zendesk/webhook_parser.h"
#include "adapters/zendesk/webhook_signature.h"
#include "adapters/zendesk/writeback_common.h"

namespace cse::adapters::zendesk {
namespace {

bool IsTicketId(absl::string_view id) {
  if (id.empty() || id.size() > 20) return false;
  for (char c : id) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

ZendeskAdapter::ZendeskAdapter(ZendeskAdapterOptions options, HttpClient* http,
                               Clock now)
    : options_(std::move(options)),
      api_(http, options_.base_url,
           ZendeskAuthorization(options_.api_user, options_.api_token),
           options_.request_timeout),
      phase_settings_{options_.phase_field_id, options_.phase_field_format,
                      options_.phase_option_prefix},
      now_(now) {}

std::vector<std::string> ZendeskAdapter::accepted_content_types() const {
  // Event subscriptions always send JSON; trigger webhooks must be created
  // with request format JSON (README.md).
  return {"application/json"};
}

absl::StatusOr<CanonicalEvents> ZendeskAdapter::ReceiveWebhook(
    const WebhookDelivery& delivery) {
  // No exception leaves the adapter (style: the module's edge).
  try {
    return Receive(delivery);
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("zendesk webhook: unexpected exception: ", e.what()));
  }
}

absl::StatusOr<CanonicalEvents> ZendeskAdapter::Receive(
    const WebhookDelivery& delivery) {
  absl::StatusOr<absl::Time> signed_at = VerifyZendeskSignature(
      delivery.headers, delivery.body, options_.signing_secrets, now_(),
      options_.max_signature_age);
  if (!signed_at.ok()) return signed_at.status();
  ParseContext context{options_.name, *signed_at, delivery.body};
  return ParseZendeskWebhook(delivery.body, context);
}

WritebackOutcome ZendeskAdapter::PerformWriteback(
    const cse::v1::WritebackJob& job) {
  try {
    return Perform(job);
  } catch (const std::exception& e) {
    return WritebackRetryable(
        absl::StrCat("zendesk writeback: unexpected exception: ", e.what()));
  }
}

WritebackOutcome ZendeskAdapter::Perform(const cse::v1::WritebackJob& job) {
  if (job.target_system() != options_.name) {
    return WritebackPermanent(absl::StrCat("job for \"", job.target_system(),
                                           "\" reached adapter \"",
                                           options_.name, "\""));
  }
  if (job.object_kind() != cse::v1::CRM_OBJECT_KIND_TICKET) {
    return WritebackPermanent("Zendesk writebacks go to tickets only");
  }
  if (!IsTicketId(job.object_id())) {
    return WritebackPermanent(
        absl::StrCat("\"", job.object_id(), "\" is not a Zendesk ticket id"));
  }
  switch (job.action_case()) {
    case cse::v1::WritebackJob::kTags:
      return WriteTags(api_, job.object_id(), job.tags(), now_);
    case cse::v1::WritebackJob::kNote: {
      // The sidecar always sets a marker; the idempotency key is as unique
      // and as stable, should one ever be missing.
      const std::string& marker = job.note().marker().empty()
                                      ? job.idempotency_key()
                                      : job.note().marker();
      return WriteNote(api_, job.object_id(), job.note().markdown(), marker,
                       now_);
    }
    case cse::v1::WritebackJob::kPhaseField:
      return WritePhase(api_, job.object_id(), job.phase_field(),
                        phase_settings_, now_);
    case cse::v1::WritebackJob::ACTION_NOT_SET:
      break;
  }
  return WritebackPermanent("job without an action");
}

}  // namespace cse::adapters::zendesk
