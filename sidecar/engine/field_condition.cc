#include "sidecar/engine/field_condition.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "sidecar/engine/text_normalizer.h"

namespace cse::engine {
namespace {

bool IsPlainAscii(absl::string_view v) {
  for (char c : v) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// True when `v` holds two spaces in a row, a tab or a line break: the
// cases where normalisation changes an ASCII value beyond its case. One
// pass; this runs for every field match that fails, so it is hot.
bool HasWhitespaceRun(absl::string_view v) {
  char prev = 0;
  for (char c : v) {
    if (c == '\t' || c == '\n' || c == '\r' || (c == ' ' && prev == ' ')) {
      return true;
    }
    prev = c;
  }
  return false;
}

// Compares a raw event value with the match's normalised literals. The
// ASCII path avoids allocating: most CRM field values are ASCII.
bool ValueMatches(const CompiledFieldMatch& m, absl::string_view raw) {
  if (m.pattern != nullptr) {
    return RE2::PartialMatch(NormalizeValue(raw), *m.pattern);
  }
  if (IsPlainAscii(raw)) {
    absl::string_view v = absl::StripAsciiWhitespace(raw);
    for (const auto& want : m.any_of) {
      if (absl::EqualsIgnoreCase(v, want)) return true;
    }
    // Fall through: a value with inner white-space runs still matches
    // after normalisation.
    if (!HasWhitespaceRun(v)) return false;
  }
  const std::string v = NormalizeValue(raw);
  for (const auto& want : m.any_of) {
    if (v == want) return true;
  }
  return false;
}

}  // namespace

bool MatchesField(const CompiledFieldMatch& m, const EventView& e) {
  switch (m.path) {
    case FieldPath::kSource:
      return ValueMatches(m, e.source);
    case FieldPath::kEvent:
      return ValueMatches(m,
                          e.kind == EventKind::kTicket ? "ticket" : "meeting");
    case FieldPath::kKind:
      return ValueMatches(m, e.ticket_kind);
    case FieldPath::kStatus:
      return ValueMatches(m, e.status);
    case FieldPath::kPriority:
      return ValueMatches(m, e.priority);
    case FieldPath::kType:
      return ValueMatches(m, e.type);
    case FieldPath::kChannel:
      return ValueMatches(m, e.channel);
    case FieldPath::kTags:
      for (absl::string_view tag : e.tags) {
        if (ValueMatches(m, tag)) return true;
      }
      return false;
    case FieldPath::kCustomField:
      for (const auto& [key, value] : e.custom_fields) {
        if (key == m.custom_key) return ValueMatches(m, value);
      }
      return false;
    case FieldPath::kRequesterRole:
      return ValueMatches(m, e.requester_role);
    case FieldPath::kMeetingType:
      return ValueMatches(m, e.meeting_type);
    case FieldPath::kDealStage:
      return ValueMatches(m, e.deal_stage);
    case FieldPath::kAccountSegment:
      return ValueMatches(m, e.account_segment);
  }
  return false;
}

ConditionResult EvaluateCondition(const CompiledCondition& c,
                                  const EventView& e) {
  ConditionResult r;
  auto part = [&r](bool ok) {
    ++r.parts_total;
    if (ok) ++r.parts_matched;
  };
  for (const auto& f : c.fields) part(MatchesField(f, e));
  if (c.min_reopen_count > 0) part(e.reopen_count >= c.min_reopen_count);
  if (c.require_sla_breached) part(e.sla_breached);
  if (c.max_satisfaction_ratio > 0) {
    part(e.satisfaction_ratio.has_value() &&
         *e.satisfaction_ratio <= c.max_satisfaction_ratio);
  }
  if (c.min_satisfaction_ratio > 0) {
    part(e.satisfaction_ratio.has_value() &&
         *e.satisfaction_ratio >= c.min_satisfaction_ratio);
  }
  if (c.require_key_attendee_absent) {
    bool absent = false;
    for (const auto& a : e.attendees) {
      if (a.key_person && a.planned && !a.attended) absent = true;
    }
    part(absent);
  }
  if (!c.priorities.empty()) {
    bool any = false;
    for (const auto& p : c.priorities) {
      if (absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(e.priority), p)) {
        any = true;
      }
    }
    part(any);
  }
  return r;
}

}  // namespace cse::engine
