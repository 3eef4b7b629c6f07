#include "adapters/request_tracker/request_tracker_adapter.h"

#include <nlohmann/json.hpp>

#include "adapters/common/signatures.h"

namespace cse::adapters::request_tracker {

RequestTrackerAdapter::RequestTrackerAdapter(HttpClient* http,
                                             AdapterOptions options)
    : options_(std::move(options)),
      session_(http, options_.base_url, options_.user, options_.password,
               options_.timeout),
      poller_(&session_, options_.poller),
      writeback_(&session_, options_.fields) {}

absl::StatusOr<CanonicalEvents> RequestTrackerAdapter::ReceiveWebhook(
    const WebhookDelivery& delivery) {
  if (!options_.poke_token.empty() &&
      !ConstantTimeEquals(delivery.headers.Get("x-cse-poke-token"),
                          options_.poke_token)) {
    return absl::UnauthenticatedError("X-CSE-Poke-Token: missing or wrong");
  }
  // The poke's body ({"ticket_id","transaction_id","event"}) is only a
  // hint: the poll reads the truth. It must still be JSON.
  if (!delivery.body.empty() &&
      nlohmann::json::parse(delivery.body, nullptr, false).is_discarded()) {
    return absl::InvalidArgumentError("body: not valid JSON");
  }
  CanonicalEvents events;
  events.poll_now = true;
  return events;
}

}  // namespace cse::adapters::request_tracker
