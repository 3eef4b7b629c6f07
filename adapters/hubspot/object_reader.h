// ObjectReader: reads the ticket or meeting a webhook event names, with
// its company (the account), contacts and deal, through the CRM v3 API.
//
// Webhook events carry ids only, so every followed event costs reads:
//   ticket:  GET  /crm/v3/objects/tickets/{id}?properties=...
//                 &associations=companies,contacts
//   meeting: GET  /crm/v3/objects/meetings/{id}?properties=...
//                 &associations=companies,contacts,deals
//            GET  /crm/v4/objects/meetings/{id}/associations/contacts
//                 (only when an association label option is set)
//            GET  /crm/v3/objects/deals/{id}?properties=dealstage,dealname
//   both:    GET  /crm/v3/objects/companies/{id}?properties=name[,segment]
//            POST /crm/v3/objects/contacts/batch/read
// Sources: https://developers.hubspot.com/docs/api/crm/tickets,
// .../crm/meetings, .../crm/companies, .../crm/contacts, .../crm/deals
// ("properties" and "associations" query parameters of the read
// endpoints; batch read body {"properties": [...], "inputs": [{"id"}]}),
// https://developers.hubspot.com/docs/api/crm/associations (v4: list a
// record's associations with their labels, "associationTypes[].label").
// Ticket properties: subject, content, hs_pipeline, hs_pipeline_stage,
// hs_ticket_priority, hs_ticket_category, source_type; meeting
// properties: hs_meeting_title, hs_meeting_body, hs_internal_meeting_notes,
// hs_meeting_outcome, hs_meeting_start_time, hs_activity_type,
// hs_timestamp, hubspot_owner_id; contact: firstname, lastname, email,
// jobtitle; company: name; deal: dealstage, dealname. The outcome
// properties (HubSpotOptions::*_outcome_property) are read with the
// object; names the account lacks are ignored by HubSpot ("If any of the
// specified properties are not present on the requested object(s), they
// will be ignored", the read endpoints' "properties" parameter).
#ifndef CSE_ADAPTERS_HUBSPOT_OBJECT_READER_H_
#define CSE_ADAPTERS_HUBSPOT_OBJECT_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/hubspot/hubspot_api.h"
#include "cse/v1/events.pb.h"

namespace cse::adapters::hubspot {

// What reading an object came to: the event's object part (everything but
// source, event_id, kind, occurred_at and sequence), or why there is
// none (the object was deleted, it has no company).
template <typename Event>
struct ReadResult {
  std::optional<Event> event;
  std::string ignored_reason;
  // The values of the object's outcome property (a multiple checkboxes
  // value split at ';'), for OutcomesFromTags.
  std::vector<std::string> outcome_labels;
};

class ObjectReader {
 public:
  explicit ObjectReader(const HubSpotApi* api) : api_(api) {}

  // UNAVAILABLE when HubSpot cannot be read (HubSpot should redeliver).
  absl::StatusOr<ReadResult<cse::v1::TicketEvent>> ReadTicket(
      uint64_t ticket_id) const;
  absl::StatusOr<ReadResult<cse::v1::MeetingEvent>> ReadMeeting(
      uint64_t meeting_id) const;

 private:
  const HubSpotApi* api_;
};

}  // namespace cse::adapters::hubspot

#endif  // CSE_ADAPTERS_HUBSPOT_OBJECT_READER_H_
