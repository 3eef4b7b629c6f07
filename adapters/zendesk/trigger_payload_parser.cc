#include "adapters/zendesk/trigger_payload_parser.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/note_marker.h"
#include "adapters/common/signatures.h"
#include "adapters/common/status_macros.h"
#include "adapters/zendesk/ticket_values.h"
#include "adapters/zendesk/zendesk_time.h"

namespace cse::adapters::zendesk {
namespace {

using cse::v1::TicketEvent;

// A fixed key: the digest only has to be stable and collision-free, not
// secret.
constexpr absl::string_view kEventIdDigestKey = "cse-zendesk-trigger-event";

// The event id of a trigger delivery: retries of one invocation carry the
// same body and get the same id, so the sidecar drops them; two different
// updates differ in updated_at, status or comment.
std::string TriggerEventId(absl::string_view ticket_id,
                           absl::string_view raw_body) {
  const std::string digest =
      absl::BytesToHexString(HmacSha256(kEventIdDigestKey, raw_body));
  return absl::StrCat("zendesk-trigger-", ticket_id, "-", digest.substr(0, 32));
}

// {{satisfaction.current_rating}} renders the rating as text ("Good",
// "Bad"; other states such as "Offered" are not ratings). Good/bad maps
// to 1/0 on a scale of 1 (SatisfactionRating in events.proto).
std::optional<double> SatisfactionScore(absl::string_view rating) {
  const std::string lower =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(rating));
  if (absl::StartsWith(lower, "good")) return 1.0;
  if (absl::StartsWith(lower, "bad")) return 0.0;
  return std::nullopt;
}

absl::Status ReadPerson(const Json& parent, absl::string_view key,
                        absl::string_view pointer, cse::v1::Person* person,
                        bool* present) {
  *present = false;
  CSE_ASSIGN_OR_RETURN(const Json* object,
                       OptionalObject(parent, key, pointer));
  if (object == nullptr) return absl::OkStatus();
  const std::string at = JsonPointer(pointer, key);
  CSE_ASSIGN_OR_RETURN(std::string id, OptionalId(*object, "id", at));
  CSE_ASSIGN_OR_RETURN(std::string name, OptionalString(*object, "name", at));
  CSE_ASSIGN_OR_RETURN(std::string email, OptionalString(*object, "email", at));
  CSE_ASSIGN_OR_RETURN(std::string role, OptionalString(*object, "role", at));
  *present = !id.empty() || !name.empty() || !email.empty();
  person->set_id(std::move(id));
  person->set_name(std::move(name));
  person->set_email(std::move(email));
  person->set_role(std::move(role));
  return absl::OkStatus();
}

absl::Status ReadCustomFields(const Json& ticket, TicketEvent* event) {
  CSE_ASSIGN_OR_RETURN(const Json* fields,
                       OptionalObject(ticket, "custom_fields", "/ticket"));
  if (fields == nullptr) return absl::OkStatus();
  for (const auto& [key, value] : fields->items()) {
    const std::string pointer = JsonPointer("/ticket/custom_fields", key);
    std::string text;
    if (value.is_null()) continue;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_boolean()) {
      text = value.get<bool>() ? "true" : "false";
    } else if (value.is_number_unsigned()) {
      text = absl::StrCat(value.get<uint64_t>());
    } else if (value.is_number_integer()) {
      text = absl::StrCat(value.get<int64_t>());
    } else if (value.is_number_float()) {
      text = absl::StrCat(value.get<double>());
    } else {
      return FieldError(pointer, "expected a string, number or boolean");
    }
    if (!text.empty()) (*event->mutable_custom_fields())[key] = std::move(text);
  }
  return absl::OkStatus();
}

}  // namespace

bool IsTriggerPayload(const Json& root) {
  return Member(root, "cse_template") != nullptr;
}

absl::Status ParseTriggerPayload(const Json& root, const ParseContext& ctx,
                                 CanonicalEvents* out) {
  CSE_ASSIGN_OR_RETURN(std::string version,
                       OptionalString(root, "cse_template", ""));
  if (version != kTriggerTemplateVersion) {
    return FieldError("/cse_template",
                      absl::StrCat("unsupported template \"", version,
                                   "\"; expected \"", kTriggerTemplateVersion,
                                   "\" (adapters/zendesk/README.md)"));
  }
  CSE_ASSIGN_OR_RETURN(std::string event_name,
                       OptionalString(root, "event", ""));
  CSE_ASSIGN_OR_RETURN(const Json* ticket, OptionalObject(root, "ticket", ""));
  if (ticket == nullptr) return FieldError("/ticket", "required");
  constexpr absl::string_view kTicket = "/ticket";
  CSE_ASSIGN_OR_RETURN(std::string ticket_id,
                       OptionalId(*ticket, "id", kTicket));
  if (ticket_id.empty()) {
    return FieldError("/ticket/id", "required: the ticket's id");
  }

  TicketEvent event;
  event.set_source(ctx.source);
  event.set_event_id(TriggerEventId(ticket_id, ctx.raw_body));
  event.set_ticket_id(ticket_id);

  const std::string description =
      absl::StrCat("trigger event \"", event_name, "\" on ticket ", ticket_id);
  if (event_name == "created") {
    event.set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
  } else if (event_name == "updated") {
    event.set_kind(cse::v1::TICKET_EVENT_KIND_UPDATED);
  } else if (event_name == "comment_added") {
    event.set_kind(cse::v1::TICKET_EVENT_KIND_COMMENTED);
  } else if (event_name == "status_changed" || event_name == "solved") {
    event.set_kind(cse::v1::TICKET_EVENT_KIND_STATUS_CHANGED);
  } else if (event_name == "reopened") {
    event.set_kind(cse::v1::TICKET_EVENT_KIND_REOPENED);
  } else if (event_name == "satisfaction_rated") {
    event.set_kind(cse::v1::TICKET_EVENT_KIND_SATISFACTION_RATED);
  } else {
    out->ignored.push_back(absl::StrCat(description, ": unknown event"));
    return absl::OkStatus();
  }

  CSE_ASSIGN_OR_RETURN(std::string subject,
                       OptionalString(*ticket, "subject", kTicket));
  event.set_subject(std::move(subject));
  CSE_ASSIGN_OR_RETURN(std::string status,
                       OptionalString(*ticket, "status", kTicket));
  event.set_status(NormalizeStatus(status));
  CSE_ASSIGN_OR_RETURN(std::string priority,
                       OptionalString(*ticket, "priority", kTicket));
  event.set_priority(NormalizeLowerValue(priority));
  CSE_ASSIGN_OR_RETURN(std::string type,
                       OptionalString(*ticket, "type", kTicket));
  event.set_type(NormalizeLowerValue(type));
  CSE_ASSIGN_OR_RETURN(std::vector<std::string> tags,
                       OptionalWords(*ticket, "tags", kTicket));
  for (std::string& tag : tags) event.add_tags(std::move(tag));
  CSE_ASSIGN_OR_RETURN(std::string via,
                       OptionalString(*ticket, "via", kTicket));
  event.set_channel(NormalizeChannel(via));
  CSE_RETURN_IF_ERROR(ReadCustomFields(*ticket, &event));

  // The account: the organization, else the requester.
  cse::v1::Person requester;
  bool has_requester = false;
  CSE_RETURN_IF_ERROR(
      ReadPerson(*ticket, "requester", kTicket, &requester, &has_requester));
  CSE_ASSIGN_OR_RETURN(const Json* organization,
                       OptionalObject(*ticket, "organization", kTicket));
  if (organization != nullptr) {
    constexpr absl::string_view kOrganization = "/ticket/organization";
    CSE_ASSIGN_OR_RETURN(std::string id,
                         OptionalId(*organization, "id", kOrganization));
    CSE_ASSIGN_OR_RETURN(std::string name,
                         OptionalString(*organization, "name", kOrganization));
    if (!id.empty()) {
      event.mutable_account()->set_id(std::move(id));
      event.mutable_account()->set_name(std::move(name));
    }
  }
  if (event.account().id().empty()) {
    if (requester.id().empty()) {
      return FieldError("/ticket/organization/id",
                        "neither an organization id nor a requester id: the "
                        "event has no account");
    }
    event.mutable_account()->set_id(AccountIdForRequester(requester.id()));
    event.mutable_account()->set_name(requester.name());
  }
  if (has_requester) *event.mutable_requester() = requester;

  // occurred_at: the ticket's updated_at renders to the minute
  // ("2013-12-12T05:35Z"); the signature timestamp is to the second and,
  // as triggers fire on the update, normally within that minute.
  CSE_ASSIGN_OR_RETURN(std::string updated_at,
                       OptionalString(*ticket, "updated_at", kTicket));
  absl::Time occurred_at = ctx.signed_at;
  if (std::optional<absl::Time> updated = ParseZendeskTime(updated_at)) {
    const bool same_minute = ctx.signed_at >= *updated &&
                             ctx.signed_at < *updated + absl::Minutes(1);
    if (!same_minute) occurred_at = *updated;
  }
  SetTimestamp(occurred_at, event.mutable_occurred_at());

  switch (event.kind()) {
    case cse::v1::TICKET_EVENT_KIND_CREATED: {
      CSE_ASSIGN_OR_RETURN(std::string body,
                           OptionalString(*ticket, "description", kTicket));
      event.set_body(TruncateUtf8(body, kMaxBodyBytes));
      break;
    }
    case cse::v1::TICKET_EVENT_KIND_COMMENTED: {
      CSE_ASSIGN_OR_RETURN(const Json* comment,
                           OptionalObject(*ticket, "latest_comment", kTicket));
      if (comment == nullptr) {
        return FieldError("/ticket/latest_comment",
                          "required for event \"comment_added\"");
      }
      constexpr absl::string_view kComment = "/ticket/latest_comment";
      CSE_ASSIGN_OR_RETURN(std::string body,
                           OptionalString(*comment, "body", kComment));
      CSE_ASSIGN_OR_RETURN(std::optional<bool> is_public,
                           OptionalBool(*comment, "is_public", kComment));
      if (is_public.has_value()) {
        (*event.mutable_custom_fields())[std::string(kCommentPublicField)] =
            *is_public ? "true" : "false";
        if (!*is_public && HasMarkerLine(body)) {
          out->ignored.push_back(absl::StrCat(
              description, ": the adapter's own note (marker line)"));
          return absl::OkStatus();
        }
      }
      event.set_body(TruncateUtf8(body, kMaxBodyBytes));
      // The commenter, when the template sends current_user.
      cse::v1::Person actor;
      bool has_actor = false;
      CSE_RETURN_IF_ERROR(
          ReadPerson(root, "current_user", "", &actor, &has_actor));
      if (has_actor) *event.mutable_requester() = actor;
      break;
    }
    case cse::v1::TICKET_EVENT_KIND_SATISFACTION_RATED: {
      CSE_ASSIGN_OR_RETURN(const Json* satisfaction,
                           OptionalObject(root, "satisfaction", ""));
      if (satisfaction == nullptr) {
        return FieldError("/satisfaction",
                          "required for event \"satisfaction_rated\"");
      }
      CSE_ASSIGN_OR_RETURN(
          std::string rating,
          OptionalString(*satisfaction, "rating", "/satisfaction"));
      std::optional<double> score = SatisfactionScore(rating);
      if (!score.has_value()) {
        out->ignored.push_back(absl::StrCat(description, ": satisfaction \"",
                                            rating, "\" is not a rating"));
        return absl::OkStatus();
      }
      CSE_ASSIGN_OR_RETURN(
          std::string comment,
          OptionalString(*satisfaction, "comment", "/satisfaction"));
      event.mutable_satisfaction()->set_score(*score);
      event.mutable_satisfaction()->set_scale_max(1);
      event.mutable_satisfaction()->set_comment(
          TruncateUtf8(comment, kMaxBodyBytes));
      break;
    }
    default:
      break;
  }
  // Outcome tags among the ticket's tags ({{ticket.tags}}), recorded by
  // {{current_user.id}}: "the user currently updating the ticket"
  // (placeholders reference above, "User data").
  CSE_ASSIGN_OR_RETURN(const Json* current_user,
                       OptionalObject(root, "current_user", ""));
  std::string updated_by;
  if (current_user != nullptr) {
    CSE_ASSIGN_OR_RETURN(updated_by,
                         OptionalString(*current_user, "id", "/current_user",
                                        /*allow_number=*/true));
  }
  AppendOutcomeTags(event, updated_by, out);
  out->tickets.push_back(std::move(event));
  return absl::OkStatus();
}

}  // namespace cse::adapters::zendesk
