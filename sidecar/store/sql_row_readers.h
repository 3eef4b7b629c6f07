// Reads store records from a row of either SQL backend.
//
// Both backends select a record's columns in the same order, so one reader
// per record serves both; `Row` is the backend's accessor with Int(i),
// Text(i) and Time(i).
#ifndef CSE_SIDECAR_STORE_SQL_ROW_READERS_H_
#define CSE_SIDECAR_STORE_SQL_ROW_READERS_H_

#include <string>

#include "absl/strings/str_split.h"
#include "sidecar/store/outbox_policy.h"
#include "sidecar/store/outcome_store.h"
#include "sidecar/store/writeback_outbox.h"

namespace cse::store {

// Columns: job_id, source, event_id, account_id, kind, object_kind,
// object_id, tags, note_markdown, note_marker, phase_id, phase_name, field,
// state, attempts, lease_token, lessee_id, lease_expires_at, not_before,
// created_at, last_crm_answer, dead_letter_reason, dead_lettered_at.
template <typename Row>
WritebackJob WritebackJobFromRow(const Row& r) {
  WritebackJob j;
  j.id = r.Int(0);
  j.target_system = r.Text(1);
  j.event_id = r.Text(2);
  j.account_id = r.Text(3);
  j.spec.kind = static_cast<WritebackKind>(r.Int(4));
  j.spec.object_kind = static_cast<CrmObjectKind>(r.Int(5));
  j.spec.object_id = r.Text(6);
  // Tags are stored newline-separated: a tag never contains a newline.
  const std::string tags = r.Text(7);
  if (!tags.empty()) j.spec.tags = absl::StrSplit(tags, '\n');
  j.spec.note_markdown = r.Text(8);
  j.spec.note_marker = r.Text(9);
  j.spec.phase_id = r.Text(10);
  j.spec.phase_name = r.Text(11);
  j.spec.field = r.Text(12);
  j.idempotency_key = IdempotencyKey(j.target_system, j.event_id, j.spec.kind);
  j.state = static_cast<WritebackState>(r.Int(13));
  j.attempts = static_cast<int>(r.Int(14));
  j.lease_token = r.Text(15);
  j.lessee_id = r.Text(16);
  j.lease_expires_at = r.Time(17);
  j.not_before = r.Time(18);
  j.created_at = r.Time(19);
  j.last_crm_answer = r.Text(20);
  j.dead_letter_reason = r.Text(21);
  j.dead_lettered_at = r.Time(22);
  return j;
}

// Columns: outcome_id, account_id, source, event_id, practice_id,
// organization, engagement, reaction, phase_id, critical_event_type,
// description, occurred_at, recorded_at, recorded_by.
template <typename Row>
OutcomeRecord OutcomeFromRow(const Row& r) {
  OutcomeRecord o;
  o.outcome_id = r.Text(0);
  o.account_id = r.Text(1);
  o.source = r.Text(2);
  o.event_id = r.Text(3);
  o.practice_id = r.Text(4);
  o.organization = static_cast<Organization>(r.Int(5));
  o.engagement = static_cast<Engagement>(r.Int(6));
  o.reaction = static_cast<CustomerReaction>(r.Int(7));
  o.phase_id = r.Text(8);
  o.critical_event_type = r.Text(9);
  o.description = r.Text(10);
  o.occurred_at = r.Time(11);
  o.recorded_at = r.Time(12);
  o.recorded_by = r.Text(13);
  return o;
}

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_SQL_ROW_READERS_H_
