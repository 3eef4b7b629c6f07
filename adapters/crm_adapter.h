// CrmAdapter: what every CRM integration implements.
//
// An adapter does three things for one CRM instance, and nothing else:
//   1. verify and parse an inbound webhook delivery into canonical events
//      (cse.v1.TicketEvent / MeetingEvent / RecordOutcomeRequest);
//   2. perform one writeback job from the sidecar's outbox against the
//      CRM's API and say what the CRM answered;
//   3. optionally, poll the CRM for events (CRMs without reliable webhooks,
//      such as Request Tracker) through EventPoller.
// Everything around it (the HTTP server and its limits, the gRPC calls to
// the sidecar, leasing and acknowledging jobs, poll cursors) is shared code
// in adapters/runtime/, so an adapter is pure translation and is tested
// alone with hand-built deliveries and a fake CRM API.
//
// Adapters are built by a CrmAdapterFactory (crm_adapter_factory.h) and
// registered in one place, adapters/builtin_adapters.cc.
#ifndef CSE_ADAPTERS_CRM_ADAPTER_H_
#define CSE_ADAPTERS_CRM_ADAPTER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/common/http_headers.h"
#include "cse/v1/events.pb.h"
#include "cse/v1/outcomes.pb.h"
#include "cse/v1/writeback.pb.h"
#include "cse/v1/writeback_service.pb.h"

namespace cse::adapters {

// One HTTP request as the ingress received it, before any parsing. The
// body is the raw bytes: signatures are computed over them.
struct WebhookDelivery {
  std::string method;  // "POST"
  // The path as received, e.g. "/webhooks/zendesk", and the raw query
  // string without '?'.
  std::string path;
  std::string query;
  // The URL the CRM called: IngressConfig.public_base_url + path (+ '?' +
  // query). HubSpot's v3 signature covers it.
  std::string public_url;
  HttpHeaders headers;
  std::string body;
  // True when the request reached the adapter over TLS (served here, or
  // X-Forwarded-Proto: https from a trusted proxy).
  bool over_tls = false;
  std::string remote_addr;
  absl::Time received_at;
};

// What one delivery (or one poll) carries, in the sidecar's terms. The
// runtime ingests all of it and answers the CRM only when every item is
// durable in the sidecar.
struct CanonicalEvents {
  std::vector<cse::v1::TicketEvent> tickets;
  std::vector<cse::v1::MeetingEvent> meetings;
  // Outcomes the CRM signalled (a tag or field an agent set, a rating).
  std::vector<cse::v1::RecordOutcomeRequest> outcomes;
  // Items acknowledged but not forwarded (unknown event types, objects the
  // adapter does not follow), one short description each; logged at debug
  // so the CRM is not made to retry them forever.
  std::vector<std::string> ignored;
  // What the CRM's users got wrong and an admin should hear of (an outcome
  // tag that does not parse), one line each, no message bodies: logged at
  // warning; the delivery is still acknowledged.
  std::vector<std::string> warnings;
  // Set by push-to-poll adapters (Request Tracker's poke): the delivery
  // carries no data, it asks the runtime to poll now.
  bool poll_now = false;

  bool empty() const {
    return tickets.empty() && meetings.empty() && outcomes.empty();
  }
};

// The HTTP answer the CRM expects once a delivery is durable. Most CRMs
// want any 2xx; Salesforce wants a SOAP notificationsResponse with
// <Ack>true</Ack>.
struct WebhookAck {
  int status = 200;
  std::string content_type = "application/json";
  std::string body = "{}";
};

// What performing one writeback job came to; becomes AckWritebackRequest.
struct WritebackOutcome {
  cse::v1::WritebackResult result = cse::v1::WRITEBACK_RESULT_UNSPECIFIED;
  // With FAILED_RETRYABLE: the CRM's Retry-After or rate-limit reset, if
  // it gave one; zero otherwise (the outbox's backoff decides).
  absl::Duration retry_after = absl::ZeroDuration();
  // The CRM's answer in a line: HTTP status, the CRM's request id, error
  // text. Never a secret, never a message body.
  std::string crm_answer;
};

// The outcomes an adapter reports without a Retry-After.
inline WritebackOutcome WritebackDone(std::string crm_answer) {
  return {cse::v1::WRITEBACK_RESULT_DONE, absl::ZeroDuration(),
          std::move(crm_answer)};
}
inline WritebackOutcome WritebackPermanent(std::string crm_answer) {
  return {cse::v1::WRITEBACK_RESULT_FAILED_PERMANENT, absl::ZeroDuration(),
          std::move(crm_answer)};
}
inline WritebackOutcome WritebackRetryable(std::string crm_answer) {
  return {cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE, absl::ZeroDuration(),
          std::move(crm_answer)};
}

// For CRMs whose events are pulled (Request Tracker's REST2 transactions).
// The runtime keeps the cursor durable (state_dir) and advances it only
// after the sidecar has made the polled events durable, so a crash
// re-polls and the sidecar's exactly-once ingest drops the duplicates.
class EventPoller {
 public:
  virtual ~EventPoller() = default;

  struct Batch {
    CanonicalEvents events;
    // The cursor after this batch; equal to the one given when nothing
    // new was found.
    std::string next_cursor;
    // More is waiting: poll again at once.
    bool more = false;
  };

  // Fetches the events after `cursor` ("" = from the start the adapter's
  // configuration defines). UNAVAILABLE / DEADLINE_EXCEEDED when the CRM
  // cannot be reached (the runtime retries with backoff),
  // UNAUTHENTICATED / PERMISSION_DENIED when its credentials are refused.
  virtual absl::StatusOr<Batch> PollAfter(absl::string_view cursor) = 0;
};

class CrmAdapter {
 public:
  virtual ~CrmAdapter() = default;

  // The instance name (CrmConfig.name): the `source` of every event it
  // produces, the target_system of the jobs it performs, the webhook path
  // /webhooks/<name>.
  virtual absl::string_view name() const = 0;

  // Media types the webhook accepts (e.g. "application/json",
  // "text/xml"); the ingress answers 415 to others before calling
  // ReceiveWebhook.
  virtual std::vector<std::string> accepted_content_types() const = 0;

  // Verifies that `delivery` comes from the CRM, then parses it.
  // Errors, which the ingress maps to HTTP:
  //   UNAUTHENTICATED (401): missing or bad signature, stale timestamp
  //     (replay), organization not allowed; nothing is stored.
  //   FAILED_PRECONDITION (403): transport requirement not met (Salesforce
  //     over plain HTTP).
  //   INVALID_ARGUMENT (400): malformed payload; the message names the
  //     field (JSON Pointer or XML path) and what is wrong.
  // Unknown event types are not errors: they go to `ignored`.
  virtual absl::StatusOr<CanonicalEvents> ReceiveWebhook(
      const WebhookDelivery& delivery) = 0;

  // The answer to give the CRM once `events` are durable.
  virtual WebhookAck AckFor(const WebhookDelivery& delivery,
                            const CanonicalEvents& events) const {
    return WebhookAck{};
  }

  // Performs one leased job against the CRM's API. Must be harmless when
  // repeated (tags: set union; note: skip if the marker is already there;
  // phase: overwrite). Never fails as a C++ error: a CRM failure is an
  // outcome (FAILED_RETRYABLE / FAILED_PERMANENT) with the CRM's answer.
  virtual WritebackOutcome PerformWriteback(
      const cse::v1::WritebackJob& job) = 0;

  // The poller, for CRMs whose events are pulled; nullptr otherwise. Owned
  // by the adapter.
  virtual EventPoller* poller() { return nullptr; }
};

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_CRM_ADAPTER_H_
