// The three writeback jobs against the Support API v2.
//
// Each reads before it writes, so that a job performed twice changes
// nothing the second time and a ticket that already holds the value is
// not updated at all (an update fires the account's triggers and webhooks
// again):
//   tags   GET /api/v2/tickets/{id}, then PUT /api/v2/tickets/{id}/tags with
//          the missing tags only, as a safe update (Tags API "Add Tags";
//          updated_stamp + safe_update make Zendesk answer 409 instead of
//          losing tags to a concurrent update, and 409 is retried)
//          https://developer.zendesk.com/api-reference/ticketing/ticket-management/tags/#add-tags
//   note   GET /api/v2/tickets/{id}/comments (cursor pagination) looking for
//          the note's marker, then PUT /api/v2/tickets/{id} with
//          {"ticket": {"comment": {"body": ..., "public": false}}}
//          https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/#list-comments
//          https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket
//   phase  GET /api/v2/tickets/{id}, then PUT /api/v2/tickets/{id} with
//          {"ticket": {"custom_fields": [{"id": <field>, "value": ...}]}}
//          (a drop-down field takes its option's tag value, Ticket Fields
//          API custom_field_options[].value)
//          https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_fields/
// Answers are classified by ClassifyHttpAnswer (http_answer.h): 429 and
// 5xx are retried after Retry-After, 404 (ticket deleted) and other 4xx
// are permanent.
#ifndef CSE_ADAPTERS_ZENDESK_WRITEBACKS_H_
#define CSE_ADAPTERS_ZENDESK_WRITEBACKS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/crm_adapter.h"
#include "adapters/zendesk/zendesk_api.h"
#include "cse/adapters/v1/zendesk.pb.h"
#include "cse/v1/writeback.pb.h"

namespace cse::adapters::zendesk {

using Clock = absl::Time (*)();

struct PhaseFieldSettings {
  // Used when the job names no field; 0: none configured.
  int64_t default_field_id = 0;
  cse::adapters::v1::ZendeskConfig::PhaseFieldFormat format =
      cse::adapters::v1::ZendeskConfig::PHASE_FIELD_FORMAT_DROPDOWN;
  std::string option_prefix;
};

WritebackOutcome WriteTags(const ZendeskApi& api, absl::string_view ticket_id,
                           const cse::v1::TagsWriteback& tags, Clock now);

// `marker` must not be empty.
WritebackOutcome WriteNote(const ZendeskApi& api, absl::string_view ticket_id,
                           absl::string_view markdown, absl::string_view marker,
                           Clock now);

WritebackOutcome WritePhase(const ZendeskApi& api, absl::string_view ticket_id,
                            const cse::v1::PhaseFieldWriteback& phase,
                            const PhaseFieldSettings& settings, Clock now);

// The drop-down option tag for a phase: `prefix` + the phase id in lower
// case, every character outside [a-z0-9_] replaced by '_'
// ("implementation-usage" -> "cse_phase_implementation_usage").
std::string PhaseOptionTag(absl::string_view prefix,
                           absl::string_view phase_id);

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_WRITEBACKS_H_
