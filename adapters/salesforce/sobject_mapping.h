// From one outbound-message Notification to the sidecar's canonical event.
//
//   sObject xsi:type="sf:Case"  -> TicketEvent
//     ticket_id = Id, account.id = AccountId, subject = Subject,
//     body = Description, status = Status, priority = Priority,
//     type = Type, channel = Origin in lower case ("Email" -> "email"),
//     requester = ContactId with SuppliedName / SuppliedEmail,
//     kind = CREATED when CreatedDate equals LastModifiedDate, else UPDATED
//     (an outbound message does not say what changed),
//     occurred_at = LastModifiedDate (else CreatedDate, else receipt),
//     custom_fields = every other field sent, by API name (IsEscalated,
//     CaseNumber, Journey_Phase__c ...).
//   sObject xsi:type="sf:Event" -> MeetingEvent (attendees added later from
//     EventRelation, event_relations.h)
//     meeting_id = Id, account.id = AccountId, title = Subject,
//     notes = Description, meeting_type from Type (meeting_types),
//     deal_stage from deal_stage_field (also sent as
//     custom_fields.StageName, the Opportunity field the default mapping's
//     salesforce.stagename.* rules match), occurred_at = StartDateTime (else
//     ActivityDateTime / ActivityDate, LastModifiedDate, receipt),
//     custom_fields = every other field sent.
//   Any other sObject type, an Event that is an invitee's copy (IsChild),
//   or a record without an account -> ignored (acknowledged, not
//   forwarded).
//   Outcome tags (adapters/common/outcome_tag.h) in the multi-select
//   picklist case_outcome_field / event_outcome_field -> RecordOutcome
//   requests, object key "case/<Id>" / "event/<Id>" (18 characters), at
//   the event's occurred_at, recorded_by = LastModifiedById when sent. The
//   API gives a multi-select picklist's selected values as one string
//   "delimited by semicolons", e.g. "first value; second value" (Field
//   Types, Multi-Select Picklist Field Type,
//   https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/field_types.htm);
//   in the outbound message it is an xsd:string element like any other.
//   The outcome field is not copied into custom_fields.
// Case fields: Case object reference,
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_case.htm;
// Event fields:
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_event.htm.
// The message carries only the fields the admin selected for the outbound
// message, so Id and AccountId must be among them (README).
#ifndef CSE_ADAPTERS_SALESFORCE_SOBJECT_MAPPING_H_
#define CSE_ADAPTERS_SALESFORCE_SOBJECT_MAPPING_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/salesforce/outbound_message.h"
#include "adapters/salesforce/salesforce_options.h"
#include "cse/v1/events.pb.h"
#include "cse/v1/outcomes.pb.h"

namespace cse::adapters::salesforce {

// A meeting waiting for its invitees.
struct PendingMeeting {
  cse::v1::MeetingEvent event;
  // Canonical 18-character ids of who attended, when the message carries
  // a filled attended_ids_field; nullopt when attendance is not recorded.
  std::optional<absl::flat_hash_set<std::string>> attended_ids;
};

// What one notification comes to: exactly one of the three is set.
struct MappedNotification {
  std::optional<cse::v1::TicketEvent> ticket;
  std::optional<PendingMeeting> meeting;
  // Why the notification is acknowledged but not forwarded.
  std::string ignored;
  // With a ticket or meeting: the outcome tags its outcome field carries,
  // and the ones that do not parse (CanonicalEvents::warnings).
  std::vector<cse::v1::RecordOutcomeRequest> outcomes;
  std::vector<std::string> warnings;
};

// Maps `notification`. INVALID_ARGUMENT naming the field's path when Id or
// AccountId is missing from a Case or Event, an id is malformed, or a date
// cannot be read.
absl::StatusOr<MappedNotification> MapNotification(
    const Notification& notification, const SalesforceAdapterOptions& options,
    absl::Time received_at);

}  // namespace cse::adapters::salesforce

#endif  // CSE_ADAPTERS_SALESFORCE_SOBJECT_MAPPING_H_
