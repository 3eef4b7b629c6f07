// A meeting's attendees, from its EventRelation records.
//
// An outbound message carries the Event's own fields only; who was invited
// lives in EventRelation (RelationId -> Contact, Lead or User; Status New,
// Accepted or Declined; IsInvitee), which the adapter reads with one SOQL
// query over the REST API for all meetings of a message:
//   SELECT EventId, RelationId, Status, IsInvitee, Relation.Name,
//          Relation.Title, Relation.Email, Relation.Type
//   FROM EventRelation WHERE EventId IN ('00U...', ...)
// (EventRelation,
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventrelation.htm;
// Relation is polymorphic and reads through the Name object, whose fields
// include Name, Title, Email and Type,
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_name.htm).
//
// Each invitee (IsInvitee not false; a Calendar resource such as a room is
// left out) becomes an Attendee:
//   side      User -> PROVIDER; Contact, Lead -> CUSTOMER;
//   planned   true (invited in advance);
//   attended  Salesforce has no "attended" flag. With attended_ids_field
//             filled in: whether the invitee's id is listed. Otherwise from
//             the invitation answer: Declined -> false, anything else ->
//             true (optimistic, so an unanswered invitation does not raise
//             "absent key person");
//   key_person the title contains one of key_person_roles.
// Ids in attended_ids_field of people who were not invited are added as
// unplanned attendees.
#ifndef CSE_ADAPTERS_SALESFORCE_EVENT_RELATIONS_H_
#define CSE_ADAPTERS_SALESFORCE_EVENT_RELATIONS_H_

#include <vector>

#include "absl/status/status.h"
#include "adapters/salesforce/salesforce_api.h"
#include "adapters/salesforce/salesforce_options.h"
#include "adapters/salesforce/sobject_mapping.h"

namespace cse::adapters::salesforce {

// Adds the attendees of every meeting in `meetings`. UNAVAILABLE, with
// Salesforce's answer, when the query fails for any reason: the ingress
// then answers 503, nothing is stored, and Salesforce redelivers the
// message later (up to 24 hours).
absl::Status AddAttendees(const SalesforceApi& api,
                          const SalesforceAdapterOptions& options,
                          std::vector<PendingMeeting>& meetings);

}  // namespace cse::adapters::salesforce

#endif  // CSE_ADAPTERS_SALESFORCE_EVENT_RELATIONS_H_
