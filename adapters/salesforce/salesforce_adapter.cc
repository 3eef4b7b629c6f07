#include "adapters/salesforce/salesforce_adapter.h"

#include <exception>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/status_macros.h"
#include "adapters/salesforce/event_relations.h"
#include "adapters/salesforce/outbound_message.h"
#include "adapters/salesforce/salesforce_id.h"
#include "adapters/salesforce/sobject_mapping.h"
#include "adapters/salesforce/writebacks.h"

namespace cse::adapters::salesforce {

SalesforceAdapter::SalesforceAdapter(SalesforceAdapterOptions options,
                                     HttpClient* http, Clock now)
    : options_(std::move(options)),
      api_(http, options_.instance_url, options_.api_version,
           options_.access_token, options_.request_timeout, now) {}

bool SalesforceAdapter::IsAllowedOrganization(
    absl::string_view organization_id) const {
  absl::StatusOr<std::string> canonical = CanonicalId18(organization_id);
  if (!canonical.ok()) return false;
  for (const std::string& allowed : options_.allowed_organization_ids) {
    if (allowed == *canonical) return true;
  }
  return false;
}

absl::StatusOr<CanonicalEvents> SalesforceAdapter::ReceiveWebhook(
    const WebhookDelivery& delivery) {
  // No exception may leave the adapter (JSON, allocation).
  try {
    return Receive(delivery);
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("salesforce adapter: unexpected error: ", e.what()));
  }
}

absl::StatusOr<CanonicalEvents> SalesforceAdapter::Receive(
    const WebhookDelivery& delivery) {
  if (!delivery.over_tls && !options_.allow_insecure_http) {
    return absl::FailedPreconditionError(
        "Salesforce outbound messages must arrive over HTTPS: they are not "
        "signed and carry customer data; configure the outbound message "
        "with an https:// endpoint URL (TLS terminated by the adapter or a "
        "trusted proxy)");
  }
  OutboundMessage message;
  CSE_ASSIGN_OR_RETURN(message, ParseOutboundMessage(delivery.body));
  if (!IsAllowedOrganization(message.organization_id)) {
    return absl::UnauthenticatedError(
        absl::StrCat("organization \"", message.organization_id.substr(0, 40),
                     "\" is not in salesforce.allowed_organization_ids"));
  }

  CanonicalEvents events;
  std::vector<PendingMeeting> meetings;
  // A message can hold several notifications of one record, each with its
  // values at sending time: each outcome and warning once.
  absl::flat_hash_set<std::string> outcome_ids;
  absl::flat_hash_set<std::string> warned;
  for (const Notification& notification : message.notifications) {
    MappedNotification mapped;
    CSE_ASSIGN_OR_RETURN(
        mapped, MapNotification(notification, options_, delivery.received_at));
    for (cse::v1::RecordOutcomeRequest& outcome : mapped.outcomes) {
      if (outcome_ids.insert(outcome.outcome_id()).second) {
        events.outcomes.push_back(std::move(outcome));
      }
    }
    for (std::string& warning : mapped.warnings) {
      if (warned.insert(warning).second) {
        events.warnings.push_back(std::move(warning));
      }
    }
    if (mapped.ticket.has_value()) {
      events.tickets.push_back(*std::move(mapped.ticket));
    } else if (mapped.meeting.has_value()) {
      meetings.push_back(*std::move(mapped.meeting));
    } else {
      events.ignored.push_back(std::move(mapped.ignored));
    }
  }
  CSE_RETURN_IF_ERROR(AddAttendees(api_, options_, meetings));
  for (PendingMeeting& meeting : meetings) {
    events.meetings.push_back(std::move(meeting.event));
  }
  return events;
}

WebhookAck SalesforceAdapter::AckFor(const WebhookDelivery& delivery,
                                     const CanonicalEvents& events) const {
  WebhookAck ack;
  ack.status = 200;
  ack.content_type = "text/xml; charset=utf-8";
  ack.body = NotificationsAckBody();
  return ack;
}

WritebackOutcome SalesforceAdapter::PerformWriteback(
    const cse::v1::WritebackJob& job) {
  try {
    return Perform(job);
  } catch (const std::exception& e) {
    return WritebackPermanent(
        absl::StrCat("salesforce adapter: unexpected error: ", e.what()));
  }
}

WritebackOutcome SalesforceAdapter::Perform(const cse::v1::WritebackJob& job) {
  SObjectKind kind;
  switch (job.object_kind()) {
    case cse::v1::CRM_OBJECT_KIND_TICKET:
      kind = SObjectKind::kCase;
      break;
    case cse::v1::CRM_OBJECT_KIND_MEETING:
      kind = SObjectKind::kEvent;
      break;
    default:
      return WritebackPermanent(
          "job without an object kind (ticket or meeting)");
  }
  // The id goes into URLs and SOQL: only a well-formed one.
  absl::StatusOr<std::string> record_id = CanonicalId18(job.object_id());
  if (!record_id.ok()) {
    return WritebackPermanent(
        absl::StrCat("object_id: ", record_id.status().message()));
  }
  switch (job.action_case()) {
    case cse::v1::WritebackJob::kNote:
      return WriteNote(api_, kind, *record_id, job.note());
    case cse::v1::WritebackJob::kTags:
      return WriteTags(api_, kind, *record_id, job.tags());
    case cse::v1::WritebackJob::kPhaseField:
      return WritePhase(api_, kind, *record_id, job.phase_field(), options_);
    default:
      return WritebackPermanent(
          "job without an action (tags, note or phase_field)");
  }
}

}  // namespace cse::adapters::salesforce
