#include "adapters/salesforce/sobject_mapping.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/common/outcome_tag.h"
#include "adapters/common/status_macros.h"
#include "adapters/salesforce/salesforce_api.h"
#include "adapters/salesforce/salesforce_id.h"
#include "google/protobuf/timestamp.pb.h"

namespace cse::adapters::salesforce {
namespace {

// Longest custom field value forwarded; longer ones (long text areas) are
// left out rather than cut.
constexpr size_t kMaxCustomFieldBytes = 1024;
// Most custom fields forwarded per record.
constexpr size_t kMaxCustomFields = 200;

std::string FieldPath(const Notification& notification,
                      absl::string_view name) {
  return absl::StrCat(notification.path, "/sObject/", name);
}

// The field's value; "" when nil; nullopt when the message lacks it.
std::optional<std::string> Value(const Notification& notification,
                                 absl::string_view name) {
  const SObjectField* field = notification.Find(name);
  if (field == nullptr) return std::nullopt;
  if (field->nil) return std::string();
  return field->value;
}

std::string Text(const Notification& notification, absl::string_view name) {
  return Value(notification, name).value_or("");
}

std::string Trimmed(const Notification& notification, absl::string_view name) {
  return std::string(absl::StripAsciiWhitespace(Text(notification, name)));
}

// A field that must be in the message (the admin selects it).
absl::StatusOr<std::string> RequiredField(const Notification& notification,
                                          absl::string_view name,
                                          absl::string_view object) {
  std::optional<std::string> value = Value(notification, name);
  if (!value.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        FieldPath(notification, name), ": missing; add the ", object, " field ",
        name, " to the outbound message's fields"));
  }
  return std::string(absl::StripAsciiWhitespace(*value));
}

// A canonical 18-character id, or an error naming the field.
absl::StatusOr<std::string> IdField(const Notification& notification,
                                    absl::string_view name,
                                    absl::string_view value) {
  absl::StatusOr<std::string> id = CanonicalId18(value);
  if (!id.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        FieldPath(notification, name), ": ", id.status().message()));
  }
  return id;
}

// A dateTime field: nullopt when absent or empty, an error when unreadable.
// Date-only fields (ActivityDate, "2024-03-05") are read at midnight UTC.
absl::StatusOr<std::optional<absl::Time>> TimeField(
    const Notification& notification, absl::string_view name) {
  const std::string text = Trimmed(notification, name);
  if (text.empty()) return std::optional<absl::Time>();
  if (std::optional<absl::Time> time = ParseSalesforceTime(text)) return time;
  absl::Time date;
  std::string error;
  if (absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &date, &error)) {
    return std::optional<absl::Time>(date);
  }
  return absl::InvalidArgumentError(absl::StrCat(FieldPath(notification, name),
                                                 ": \"", text.substr(0, 40),
                                                 "\" is not a dateTime"));
}

void SetTimestamp(absl::Time time, google::protobuf::Timestamp* out) {
  const int64_t nanos = absl::ToUnixNanos(time);
  out->set_seconds(nanos / 1'000'000'000);
  out->set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
  if (out->nanos() < 0) {
    out->set_seconds(out->seconds() - 1);
    out->set_nanos(out->nanos() + 1'000'000'000);
  }
}

// The first of `names` present with a value.
absl::StatusOr<std::optional<absl::Time>> FirstTime(
    const Notification& notification,
    std::initializer_list<absl::string_view> names) {
  for (absl::string_view name : names) {
    std::optional<absl::Time> time;
    CSE_ASSIGN_OR_RETURN(time, TimeField(notification, name));
    if (time.has_value()) return time;
  }
  return std::optional<absl::Time>();
}

template <typename Map>
void CopyCustomFields(const Notification& notification,
                      std::initializer_list<absl::string_view> skip, Map* out) {
  for (const SObjectField& field : notification.fields) {
    if (out->size() >= kMaxCustomFields) return;
    if (field.nil || field.value.size() > kMaxCustomFieldBytes) continue;
    bool skipped = false;
    for (absl::string_view name : skip) skipped = skipped || field.name == name;
    if (!skipped) (*out)[field.name] = field.value;
  }
}

// Account id: required in the message; an empty one means the record has
// no account, which the sidecar cannot file: nullopt.
absl::StatusOr<std::optional<std::string>> AccountId(
    const Notification& notification, absl::string_view object) {
  std::string account;
  CSE_ASSIGN_OR_RETURN(account,
                       RequiredField(notification, "AccountId", object));
  if (account.empty()) return std::optional<std::string>();
  CSE_ASSIGN_OR_RETURN(account, IdField(notification, "AccountId", account));
  return std::optional<std::string>(account);
}

// The outcome requests of the tags in `field` ("a;b", blanks around the
// values dropped), for the record `object_key` at `occurred_at`, by
// LastModifiedById when the message carries a well-formed one.
void AddOutcomes(const Notification& notification,
                 const SalesforceAdapterOptions& options,
                 absl::string_view field, const std::string& account_id,
                 std::string object_key, absl::Time occurred_at,
                 MappedNotification* mapped) {
  std::vector<std::string> labels;
  for (absl::string_view value :
       absl::StrSplit(Text(notification, field), ';')) {
    value = absl::StripAsciiWhitespace(value);
    if (!value.empty()) labels.emplace_back(value);
  }
  if (labels.empty()) return;
  OutcomeTagSource where;
  where.account_id = account_id;
  where.source = options.name;
  where.object_key = std::move(object_key);
  where.occurred_at = occurred_at;
  // Who saved the record last: the agent who set the tags, when this
  // notification is for that save. Only for attribution, so a malformed
  // id is left out rather than refused.
  if (absl::StatusOr<std::string> user =
          CanonicalId18(Trimmed(notification, "LastModifiedById"));
      user.ok()) {
    where.recorded_by = *std::move(user);
  }
  mapped->outcomes = OutcomesFromTags(where, labels, &mapped->warnings);
}

absl::StatusOr<MappedNotification> MapCase(
    const Notification& notification, const SalesforceAdapterOptions& options,
    absl::Time received_at) {
  MappedNotification mapped;
  std::string id;
  CSE_ASSIGN_OR_RETURN(id, RequiredField(notification, "Id", "Case"));
  CSE_ASSIGN_OR_RETURN(id, IdField(notification, "Id", id));
  std::optional<std::string> account;
  CSE_ASSIGN_OR_RETURN(account, AccountId(notification, "Case"));
  if (!account.has_value()) {
    mapped.ignored = absl::StrCat("notification ", notification.id, ": Case ",
                                  id, " has no AccountId");
    return mapped;
  }

  cse::v1::TicketEvent ticket;
  ticket.set_source(options.name);
  ticket.set_event_id(notification.id);
  ticket.set_ticket_id(id);
  ticket.mutable_account()->set_id(*account);
  ticket.set_subject(Text(notification, "Subject"));
  ticket.set_body(Text(notification, "Description"));
  ticket.set_status(Trimmed(notification, "Status"));
  ticket.set_priority(Trimmed(notification, "Priority"));
  ticket.set_type(Trimmed(notification, "Type"));
  ticket.set_channel(absl::AsciiStrToLower(Trimmed(notification, "Origin")));

  const std::string contact = Trimmed(notification, "ContactId");
  if (!contact.empty()) {
    std::string contact_id;
    CSE_ASSIGN_OR_RETURN(contact_id,
                         IdField(notification, "ContactId", contact));
    ticket.mutable_requester()->set_id(contact_id);
  }
  const std::string supplied_name = Trimmed(notification, "SuppliedName");
  const std::string supplied_email = Trimmed(notification, "SuppliedEmail");
  if (!supplied_name.empty()) {
    ticket.mutable_requester()->set_name(supplied_name);
  }
  if (!supplied_email.empty()) {
    ticket.mutable_requester()->set_email(supplied_email);
  }

  std::optional<absl::Time> created;
  std::optional<absl::Time> modified;
  CSE_ASSIGN_OR_RETURN(created, TimeField(notification, "CreatedDate"));
  CSE_ASSIGN_OR_RETURN(modified, TimeField(notification, "LastModifiedDate"));
  ticket.set_kind(created.has_value() && modified.has_value() &&
                          *created == *modified
                      ? cse::v1::TICKET_EVENT_KIND_CREATED
                      : cse::v1::TICKET_EVENT_KIND_UPDATED);
  const absl::Time occurred_at =
      modified.value_or(created.value_or(received_at));
  SetTimestamp(occurred_at, ticket.mutable_occurred_at());
  CopyCustomFields(notification,
                   {"Subject", "Description", options.case_outcome_field},
                   ticket.mutable_custom_fields());
  AddOutcomes(notification, options, options.case_outcome_field, *account,
              absl::StrCat("case/", id), occurred_at, &mapped);
  mapped.ticket = std::move(ticket);
  return mapped;
}

absl::StatusOr<MappedNotification> MapEvent(
    const Notification& notification, const SalesforceAdapterOptions& options,
    absl::Time received_at) {
  MappedNotification mapped;
  std::string id;
  CSE_ASSIGN_OR_RETURN(id, RequiredField(notification, "Id", "Event"));
  CSE_ASSIGN_OR_RETURN(id, IdField(notification, "Id", id));
  // IsChild: the copy of a group event on an invitee's calendar; the
  // parent event carries the meeting.
  if (absl::EqualsIgnoreCase(Trimmed(notification, "IsChild"), "true")) {
    mapped.ignored = absl::StrCat("notification ", notification.id, ": Event ",
                                  id, " is an invitee's copy (IsChild)");
    return mapped;
  }
  std::optional<std::string> account;
  CSE_ASSIGN_OR_RETURN(account, AccountId(notification, "Event"));
  if (!account.has_value()) {
    mapped.ignored = absl::StrCat("notification ", notification.id, ": Event ",
                                  id, " has no AccountId");
    return mapped;
  }

  PendingMeeting pending;
  cse::v1::MeetingEvent& meeting = pending.event;
  meeting.set_source(options.name);
  meeting.set_event_id(notification.id);
  meeting.set_meeting_id(id);
  meeting.mutable_account()->set_id(*account);
  meeting.set_title(Text(notification, "Subject"));
  meeting.set_notes(Text(notification, "Description"));

  const std::string type = Trimmed(notification, "Type");
  if (!type.empty()) {
    auto it = options.meeting_types.find(absl::AsciiStrToLower(type));
    meeting.set_meeting_type(it == options.meeting_types.end()
                                 ? cse::v1::MEETING_TYPE_OTHER
                                 : it->second);
  }
  if (!options.deal_stage_field.empty()) {
    meeting.set_deal_stage(Trimmed(notification, options.deal_stage_field));
  }
  std::optional<absl::Time> when;
  CSE_ASSIGN_OR_RETURN(
      when, FirstTime(notification, {"StartDateTime", "ActivityDateTime",
                                     "ActivityDate", "LastModifiedDate"}));
  SetTimestamp(when.value_or(received_at), meeting.mutable_occurred_at());
  CopyCustomFields(notification,
                   {"Subject", "Description", options.event_outcome_field},
                   meeting.mutable_custom_fields());
  // At the meeting's time, which is the MeetingEvent's: the suggestion
  // made for this meeting is the one the outcome follows.
  AddOutcomes(notification, options, options.event_outcome_field, *account,
              absl::StrCat("event/", id), when.value_or(received_at), &mapped);
  // The opportunity's stage under the Opportunity field's own name, which
  // the default mapping's salesforce.stagename.* rules match
  // (custom_fields.StageName).
  if (!meeting.deal_stage().empty()) {
    (*meeting.mutable_custom_fields())["StageName"] = meeting.deal_stage();
  }

  if (!options.attended_ids_field.empty()) {
    const std::string attended =
        Trimmed(notification, options.attended_ids_field);
    if (!attended.empty()) {
      absl::flat_hash_set<std::string> ids;
      for (absl::string_view token : absl::StrSplit(
               attended, absl::ByAnyChar(",; \t\r\n"), absl::SkipEmpty())) {
        // Not an id (a name typed by hand): not matchable, left out.
        if (absl::StatusOr<std::string> canonical = CanonicalId18(token);
            canonical.ok()) {
          ids.insert(*std::move(canonical));
        }
      }
      pending.attended_ids = std::move(ids);
    }
  }
  mapped.meeting = std::move(pending);
  return mapped;
}

}  // namespace

absl::StatusOr<MappedNotification> MapNotification(
    const Notification& notification, const SalesforceAdapterOptions& options,
    absl::Time received_at) {
  if (notification.sobject_type == "Case") {
    return MapCase(notification, options, received_at);
  }
  if (notification.sobject_type == "Event") {
    return MapEvent(notification, options, received_at);
  }
  MappedNotification mapped;
  mapped.ignored = absl::StrCat(
      "notification ", notification.id, ": sObject type \"",
      notification.sobject_type.empty() ? "(none)" : notification.sobject_type,
      "\" is not followed");
  return mapped;
}

}  // namespace cse::adapters::salesforce
