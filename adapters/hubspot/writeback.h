// Writer: performs one writeback job against the CRM v3 API.
//
//   tags:  GET   /crm/v3/objects/{tickets|meetings}/{id}?properties=P
//          PATCH /crm/v3/objects/{tickets|meetings}/{id}
//                {"properties": {P: "old;tags;plus;new"}}   (set union;
//                nothing is written when every tag is already there)
//   phase: PATCH /crm/v3/objects/{tickets|meetings}/{id}
//                {"properties": {P: "<phase id>"}}           (overwrite)
//   note:  GET   /crm/v4/objects/{tickets|companies}/{id}/associations/notes
//          POST  /crm/v3/objects/notes/batch/read  (hs_note_body)
//          GET   /crm/v4/objects/meetings/{id}/associations/deals
//                (meetings only; the first deal, as on ingest)
//          POST  /crm/v3/objects/notes  {"properties": {"hs_timestamp",
//                "hs_note_body"}, "associations": [{"to": {"id"}, "types":
//                [{"associationCategory": "HUBSPOT_DEFINED",
//                "associationTypeId": 228 or 190}]}, and for a meeting
//                with a deal {"to": {"id": deal}, ... 214}]}
//          Skipped when a note already attached to the object carries the
//          job's marker. A meeting's note goes on the meeting's company
//          (the job's account): HubSpot associates notes with records, not
//          with other activities. It is also associated with the meeting's
//          deal, if any (404 or no deal: the company alone), so it shows on
//          the deal's timeline; the marker is still looked for on the
//          company, which always holds the note.
// Sources: https://developers.hubspot.com/docs/api/crm/tickets and
// .../crm/meetings (update a record: PATCH with "properties"),
// https://developers.hubspot.com/docs/api/crm/notes (create a note:
// hs_timestamp and hs_note_body, associations with HUBSPOT_DEFINED type
// ids), https://developers.hubspot.com/docs/api/crm/associations (v4 list
// of a record's associations, default type ids: note to ticket 228, note
// to company 190; note to deal 214 in the same "Activity to object" table
// of HUBSPOT_DEFINED ids, also the value public integrations use for
// note-to-deal), https://developers.hubspot.com/docs/api/crm/properties
// (multiple checkboxes values are separated by ';').
#ifndef CSE_ADAPTERS_HUBSPOT_WRITEBACK_H_
#define CSE_ADAPTERS_HUBSPOT_WRITEBACK_H_

#include "adapters/crm_adapter.h"
#include "adapters/hubspot/hubspot_api.h"
#include "cse/v1/writeback.pb.h"

namespace cse::adapters::hubspot {

class Writer {
 public:
  explicit Writer(const HubSpotApi* api) : api_(api) {}

  // Never fails as a C++ error; see CrmAdapter::PerformWriteback.
  WritebackOutcome Perform(const cse::v1::WritebackJob& job) const;

 private:
  WritebackOutcome Tags(const cse::v1::WritebackJob& job) const;
  WritebackOutcome Phase(const cse::v1::WritebackJob& job) const;
  WritebackOutcome Note(const cse::v1::WritebackJob& job) const;

  const HubSpotApi* api_;
};

}  // namespace cse::adapters::hubspot

#endif  // CSE_ADAPTERS_HUBSPOT_WRITEBACK_H_
