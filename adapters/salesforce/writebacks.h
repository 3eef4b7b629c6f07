// The three writebacks against the REST API. Each is harmless to repeat.
//
//   note  Case:  a private CaseComment (IsPublished false) whose body ends
//                with the marker line, posted unless a comment of the case
//                already holds the marker:
//                  SELECT Id, CommentBody FROM CaseComment
//                  WHERE ParentId = '500...' AND CommentBody LIKE '%marker%'
//                (CommentBody is filterable: CaseComment,
//                https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_casecomment.htm)
//                  POST /sobjects/CaseComment {ParentId, CommentBody,
//                  IsPublished: false}
//                CommentBody holds at most 4,000 bytes: a longer note is cut
//                before the marker line.
//        Event:  appended to the event's Description (an Event has no
//                comments), unless the description already holds the marker:
//                  GET
//                  /sobjects/Event/00U...?fields=Description,LastModifiedDate
//                  PATCH /sobjects/Event/00U... {Description} with
//                  If-Unmodified-Since: the LastModifiedDate read, so an
//                  edit in between is not overwritten (412 -> retried)
//                (Conditional Request Headers,
//                https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/intro_rest_conditional_requests.htm).
//   tags   Topics assigned to the record (Topics must be enabled for Cases
//          and Events; they are when an org is created): the record's
//          current topics are read, each missing tag's Topic is found by
//          name or created, then assigned:
//            SELECT Topic.Name FROM TopicAssignment WHERE EntityId = '...'
//            SELECT Id, Name FROM Topic WHERE Name IN (...)
//            POST /sobjects/Topic {Name}
//            POST /sobjects/TopicAssignment {EntityId, TopicId}
//          A DUPLICATE_VALUE answer to the assignment (assigned meanwhile)
//          counts as done; topics are never removed
//          (TopicAssignment,
//          https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_topicassignment.htm;
//          Topic,
//          https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_topic.htm).
//   phase  PATCH /sobjects/Case/500... {<case_phase_field>: value} (or the
//          Event and event_phase_field): an overwrite.
#ifndef CSE_ADAPTERS_SALESFORCE_WRITEBACKS_H_
#define CSE_ADAPTERS_SALESFORCE_WRITEBACKS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "adapters/crm_adapter.h"
#include "adapters/salesforce/salesforce_api.h"
#include "adapters/salesforce/salesforce_options.h"
#include "cse/v1/writeback.pb.h"

namespace cse::adapters::salesforce {

enum class SObjectKind { kCase, kEvent };

// "Case" or "Event".
absl::string_view SObjectName(SObjectKind kind);

// CaseComment.CommentBody's limit, in bytes.
inline constexpr size_t kCaseCommentMaxBytes = 4000;

WritebackOutcome WriteNote(const SalesforceApi& api, SObjectKind kind,
                           absl::string_view record_id,
                           const cse::v1::NoteWriteback& note);

WritebackOutcome WriteTags(const SalesforceApi& api, SObjectKind kind,
                           absl::string_view record_id,
                           const cse::v1::TagsWriteback& tags);

WritebackOutcome WritePhase(const SalesforceApi& api, SObjectKind kind,
                            absl::string_view record_id,
                            const cse::v1::PhaseFieldWriteback& phase,
                            const SalesforceAdapterOptions& options);

// Outcome helpers.

}  // namespace cse::adapters::salesforce

#endif  // CSE_ADAPTERS_SALESFORCE_WRITEBACKS_H_
