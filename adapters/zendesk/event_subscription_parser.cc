#include "adapters/zendesk/event_subscription_parser.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "adapters/common/note_marker.h"
#include "adapters/common/status_macros.h"
#include "adapters/zendesk/ticket_values.h"
#include "adapters/zendesk/zendesk_time.h"

namespace cse::adapters::zendesk {
namespace {

using cse::v1::TicketEvent;
using cse::v1::TicketEventKind;

constexpr absl::string_view kTicketEventPrefix = "zen:event-type:ticket.";
// TicketEvent.event_id: "at most 256 bytes" (events.proto).
constexpr size_t kMaxEventIdBytes = 256;

enum class Handling { kIgnore, kCreated, kCommented, kStatus, kUpdated };

Handling HandlingFor(absl::string_view ticket_event) {
  if (ticket_event == "created") return Handling::kCreated;
  if (ticket_event == "comment_added") return Handling::kCommented;
  if (ticket_event == "status_changed") return Handling::kStatus;
  if (ticket_event == "priority_changed" || ticket_event == "subject_changed" ||
      ticket_event == "tags_changed" || ticket_event == "type_changed") {
    return Handling::kUpdated;
  }
  return Handling::kIgnore;
}

// "zen:ticket:5158" -> "5158".
std::string TicketIdFromSubject(absl::string_view subject) {
  constexpr absl::string_view kPrefix = "zen:ticket:";
  if (!absl::ConsumePrefix(&subject, kPrefix)) return "";
  uint64_t id = 0;
  return absl::SimpleAtoi(subject, &id) ? std::string(subject) : "";
}

// Fills the ticket's state from `detail` (the ticket after the event).
absl::Status FillFromDetail(const Json& detail, TicketEvent* event) {
  constexpr absl::string_view kDetail = "/detail";
  CSE_ASSIGN_OR_RETURN(std::string subject,
                       OptionalString(detail, "subject", kDetail));
  event->set_subject(std::move(subject));
  CSE_ASSIGN_OR_RETURN(std::string status,
                       OptionalString(detail, "status", kDetail));
  event->set_status(NormalizeStatus(status));
  CSE_ASSIGN_OR_RETURN(std::string priority,
                       OptionalString(detail, "priority", kDetail));
  event->set_priority(NormalizeLowerValue(priority));
  CSE_ASSIGN_OR_RETURN(std::string type,
                       OptionalString(detail, "type", kDetail));
  event->set_type(NormalizeLowerValue(type));
  CSE_ASSIGN_OR_RETURN(std::vector<std::string> tags,
                       OptionalWords(detail, "tags", kDetail));
  for (std::string& tag : tags) event->add_tags(std::move(tag));
  CSE_ASSIGN_OR_RETURN(const Json* via, OptionalObject(detail, "via", kDetail));
  if (via != nullptr) {
    CSE_ASSIGN_OR_RETURN(std::string channel,
                         OptionalString(*via, "channel", "/detail/via"));
    event->set_channel(NormalizeChannel(channel));
  }
  // Ids a field rule may key on (a form or group per journey phase).
  for (const char* key : {"form_id", "group_id", "brand_id"}) {
    CSE_ASSIGN_OR_RETURN(std::string id, OptionalId(detail, key, kDetail));
    if (!id.empty()) (*event->mutable_custom_fields())[key] = id;
  }

  CSE_ASSIGN_OR_RETURN(std::string requester_id,
                       OptionalId(detail, "requester_id", kDetail));
  if (!requester_id.empty()) event->mutable_requester()->set_id(requester_id);
  CSE_ASSIGN_OR_RETURN(std::string organization_id,
                       OptionalId(detail, "organization_id", kDetail));
  if (!organization_id.empty()) {
    event->mutable_account()->set_id(organization_id);
  } else if (!requester_id.empty()) {
    event->mutable_account()->set_id(AccountIdForRequester(requester_id));
  } else {
    return FieldError("/detail/organization_id",
                      "neither an organization nor a requester_id: the "
                      "event has no account");
  }
  return absl::OkStatus();
}

// ticket.comment_added: event.comment = {id, body, is_public, author: {id,
// name, is_staff}}. Returns false when the comment is this adapter's own
// note (a private comment with a marker line), which must not come back
// in as a customer event.
absl::StatusOr<bool> FillComment(const Json& event_object, TicketEvent* event) {
  CSE_ASSIGN_OR_RETURN(const Json* comment,
                       OptionalObject(event_object, "comment", "/event"));
  if (comment == nullptr) {
    return FieldError("/event/comment", "required for ticket.comment_added");
  }
  constexpr absl::string_view kComment = "/event/comment";
  CSE_ASSIGN_OR_RETURN(std::string body,
                       OptionalString(*comment, "body", kComment));
  CSE_ASSIGN_OR_RETURN(std::optional<bool> is_public,
                       OptionalBool(*comment, "is_public", kComment));
  if (is_public.has_value()) {
    (*event->mutable_custom_fields())[std::string(kCommentPublicField)] =
        *is_public ? "true" : "false";
    if (!*is_public && HasMarkerLine(body)) return false;
  }
  event->set_body(TruncateUtf8(body, kMaxBodyBytes));
  CSE_ASSIGN_OR_RETURN(const Json* author,
                       OptionalObject(*comment, "author", kComment));
  if (author != nullptr) {
    constexpr absl::string_view kAuthor = "/event/comment/author";
    CSE_ASSIGN_OR_RETURN(std::string id, OptionalId(*author, "id", kAuthor));
    CSE_ASSIGN_OR_RETURN(std::string name,
                         OptionalString(*author, "name", kAuthor));
    CSE_ASSIGN_OR_RETURN(std::optional<bool> is_staff,
                         OptionalBool(*author, "is_staff", kAuthor));
    // The commenter is who this event is about (TicketEvent.requester:
    // "who raised or commented").
    cse::v1::Person* person = event->mutable_requester();
    person->Clear();
    person->set_id(std::move(id));
    person->set_name(std::move(name));
    if (is_staff.has_value())
      person->set_role(*is_staff ? "agent" : "end-user");
  }
  return true;
}

}  // namespace

bool IsEventSubscription(const Json& root) {
  const Json* type = Member(root, "type");
  return type != nullptr && type->is_string() &&
         absl::StartsWith(type->get_ref<const std::string&>(),
                          kEventTypePrefix);
}

absl::Status ParseEventSubscription(const Json& root, const ParseContext& ctx,
                                    CanonicalEvents* out) {
  CSE_ASSIGN_OR_RETURN(std::string type, OptionalString(root, "type", ""));
  CSE_ASSIGN_OR_RETURN(std::string id, OptionalString(root, "id", ""));
  const std::string description = absl::StrCat(type, id.empty() ? "" : " ", id);
  absl::string_view ticket_event = type;
  if (!absl::ConsumePrefix(&ticket_event, kTicketEventPrefix)) {
    out->ignored.push_back(absl::StrCat(description, ": not a ticket event"));
    return absl::OkStatus();
  }
  const Handling handling = HandlingFor(ticket_event);
  if (handling == Handling::kIgnore) {
    out->ignored.push_back(
        absl::StrCat(description, ": ticket event type not followed"));
    return absl::OkStatus();
  }
  if (id.empty()) return FieldError("/id", "required: the event's id");
  if (id.size() > kMaxEventIdBytes) {
    return FieldError("/id",
                      absl::StrCat("longer than ", kMaxEventIdBytes, " bytes"));
  }
  CSE_ASSIGN_OR_RETURN(const Json* detail, OptionalObject(root, "detail", ""));
  if (detail == nullptr) return FieldError("/detail", "required");
  CSE_ASSIGN_OR_RETURN(const Json* event_object,
                       OptionalObject(root, "event", ""));
  static const Json kEmptyObject = Json::object();
  if (event_object == nullptr) event_object = &kEmptyObject;

  TicketEvent event;
  event.set_source(ctx.source);
  event.set_event_id(id);
  CSE_ASSIGN_OR_RETURN(std::string ticket_id,
                       OptionalId(*detail, "id", "/detail"));
  if (ticket_id.empty()) {
    CSE_ASSIGN_OR_RETURN(std::string subject,
                         OptionalString(root, "subject", ""));
    ticket_id = TicketIdFromSubject(subject);
  }
  if (ticket_id.empty()) {
    return FieldError("/detail/id", "required: the ticket's id");
  }
  event.set_ticket_id(ticket_id);
  CSE_RETURN_IF_ERROR(FillFromDetail(*detail, &event));

  // When it happened: the envelope's time, else the ticket's updated_at,
  // else when Zendesk signed the delivery.
  CSE_ASSIGN_OR_RETURN(std::string time, OptionalString(root, "time", ""));
  CSE_ASSIGN_OR_RETURN(std::string updated_at,
                       OptionalString(*detail, "updated_at", "/detail"));
  std::optional<absl::Time> occurred_at = ParseZendeskTime(time);
  if (!occurred_at.has_value() && !time.empty()) {
    return FieldError("/time", "not an ISO 8601 time");
  }
  if (!occurred_at.has_value()) occurred_at = ParseZendeskTime(updated_at);
  SetTimestamp(occurred_at.value_or(ctx.signed_at),
               event.mutable_occurred_at());

  switch (handling) {
    case Handling::kCreated: {
      event.set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
      CSE_ASSIGN_OR_RETURN(std::string body,
                           OptionalString(*detail, "description", "/detail"));
      event.set_body(TruncateUtf8(body, kMaxBodyBytes));
      break;
    }
    case Handling::kCommented: {
      event.set_kind(cse::v1::TICKET_EVENT_KIND_COMMENTED);
      CSE_ASSIGN_OR_RETURN(bool forward, FillComment(*event_object, &event));
      if (!forward) {
        out->ignored.push_back(absl::StrCat(
            description, ": the adapter's own note (marker line)"));
        return absl::OkStatus();
      }
      break;
    }
    case Handling::kStatus: {
      // event = {"previous": "SOLVED", "current": "OPEN"}.
      CSE_ASSIGN_OR_RETURN(std::string previous,
                           OptionalString(*event_object, "previous", "/event"));
      CSE_ASSIGN_OR_RETURN(std::string current,
                           OptionalString(*event_object, "current", "/event"));
      if (!current.empty()) event.set_status(NormalizeStatus(current));
      const bool reopened = IsResolvedStatus(NormalizeStatus(previous)) &&
                            !event.status().empty() &&
                            !IsResolvedStatus(event.status());
      event.set_kind(reopened ? cse::v1::TICKET_EVENT_KIND_REOPENED
                              : cse::v1::TICKET_EVENT_KIND_STATUS_CHANGED);
      break;
    }
    case Handling::kUpdated:
      event.set_kind(cse::v1::TICKET_EVENT_KIND_UPDATED);
      break;
    case Handling::kIgnore:
      break;
  }
  // Outcome tags among the ticket's current tags (detail.tags), recorded
  // by the user who made the update (detail.actor_id; both are detail
  // properties of ticket events on the "Ticket events" page cited above).
  // Any followed event carries them; ticket.tags_changed is the one sent
  // when an agent adds one.
  CSE_ASSIGN_OR_RETURN(
      std::string actor_id,
      OptionalString(*detail, "actor_id", "/detail", /*allow_number=*/true));
  AppendOutcomeTags(event, actor_id, out);
  out->tickets.push_back(std::move(event));
  return absl::OkStatus();
}

}  // namespace cse::adapters::zendesk
