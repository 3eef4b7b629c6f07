#include "adapters/hubspot/webhook_events.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/status_macros.h"
#include "adapters/hubspot/json_fields.h"

namespace cse::adapters::hubspot {
namespace {

// Legacy ticket subscriptions ("ticket.creation") and generic ones
// ("object.creation" with objectTypeId) both reach the adapter.
void Classify(WebhookEvent& e) {
  if (e.subscription_type == "ticket.creation") {
    e.object = FollowedObject::kTicket;
    e.change = ChangeKind::kCreation;
  } else if (e.subscription_type == "ticket.propertyChange") {
    e.object = FollowedObject::kTicket;
    e.change = ChangeKind::kPropertyChange;
  } else if (e.subscription_type == "object.creation" ||
             e.subscription_type == "object.propertyChange") {
    e.change = e.subscription_type == "object.creation"
                   ? ChangeKind::kCreation
                   : ChangeKind::kPropertyChange;
    if (e.object_type_id == kTicketObjectTypeId) {
      e.object = FollowedObject::kTicket;
    } else if (e.object_type_id == kMeetingObjectTypeId) {
      e.object = FollowedObject::kMeeting;
    }
  }
}

absl::StatusOr<uint64_t> RequiredUint(const Json& object, absl::string_view key,
                                      absl::string_view parent) {
  CSE_ASSIGN_OR_RETURN(std::optional<uint64_t> value,
                       OptionalUint(object, key, parent));
  if (!value) return FieldError(JsonPointer(parent, key), "required");
  return *value;
}

absl::StatusOr<WebhookEvent> ParseEvent(const Json& item,
                                        const std::string& pointer) {
  if (!item.is_object()) {
    return FieldError(pointer, absl::StrCat("expected an event object, got ",
                                            TypeName(item)));
  }
  WebhookEvent e;
  e.pointer = pointer;
  CSE_ASSIGN_OR_RETURN(e.subscription_type,
                       OptionalString(item, "subscriptionType", pointer));
  if (e.subscription_type.empty()) {
    return FieldError(JsonPointer(pointer, "subscriptionType"), "required");
  }
  CSE_ASSIGN_OR_RETURN(e.object_type_id,
                       OptionalString(item, "objectTypeId", pointer));
  Classify(e);
  if (e.object == FollowedObject::kNone) return e;

  CSE_ASSIGN_OR_RETURN(e.event_id, RequiredUint(item, "eventId", pointer));
  CSE_ASSIGN_OR_RETURN(e.object_id, RequiredUint(item, "objectId", pointer));
  CSE_ASSIGN_OR_RETURN(uint64_t occurred,
                       RequiredUint(item, "occurredAt", pointer));
  e.occurred_at_ms = static_cast<int64_t>(occurred);
  CSE_ASSIGN_OR_RETURN(std::optional<uint64_t> subscription,
                       OptionalUint(item, "subscriptionId", pointer));
  e.subscription_id = subscription.value_or(0);
  CSE_ASSIGN_OR_RETURN(std::optional<uint64_t> portal,
                       OptionalUint(item, "portalId", pointer));
  e.portal_id = portal.value_or(0);
  CSE_ASSIGN_OR_RETURN(e.property_name,
                       OptionalString(item, "propertyName", pointer));
  CSE_ASSIGN_OR_RETURN(e.property_value,
                       OptionalString(item, "propertyValue", pointer));
  CSE_ASSIGN_OR_RETURN(e.change_source,
                       OptionalString(item, "changeSource", pointer));
  // Undocumented, so never a reason to refuse a delivery.
  if (const Json* source = Member(item, "sourceId");
      source != nullptr && source->is_string()) {
    const std::string& text = source->get_ref<const std::string&>();
    constexpr absl::string_view kUserPrefix = "userId:";
    const absl::string_view id =
        absl::StartsWith(text, kUserPrefix)
            ? absl::string_view(text).substr(kUserPrefix.size())
            : absl::string_view();
    if (!id.empty() && id.size() <= 20 &&
        std::all_of(id.begin(), id.end(),
                    [](char c) { return absl::ascii_isdigit(c); })) {
      e.user_id = std::string(id);
    }
  }
  if (e.change == ChangeKind::kPropertyChange && e.property_name.empty()) {
    return FieldError(JsonPointer(pointer, "propertyName"),
                      "required for a propertyChange event");
  }
  return e;
}

}  // namespace

std::string WebhookEvent::CanonicalId() const {
  return absl::StrCat(portal_id, ":", subscription_id, ":", event_id, ":",
                      object_id);
}

std::string WebhookEvent::Describe() const {
  std::string text = absl::StrCat(subscription_type);
  if (!object_type_id.empty()) absl::StrAppend(&text, " ", object_type_id);
  if (object_id != 0) absl::StrAppend(&text, " ", object_id);
  if (!property_name.empty()) absl::StrAppend(&text, " (", property_name, ")");
  return text;
}

absl::StatusOr<std::vector<WebhookEvent>> ParseDelivery(
    absl::string_view body) {
  CSE_ASSIGN_OR_RETURN(Json root, ParseJson(body, "webhook body"));
  if (!root.is_array()) {
    return FieldError(
        "", absl::StrCat("expected an array of events, got ", TypeName(root)));
  }
  std::vector<WebhookEvent> events;
  events.reserve(root.size());
  for (size_t i = 0; i < root.size(); ++i) {
    CSE_ASSIGN_OR_RETURN(WebhookEvent e,
                         ParseEvent(root[i], absl::StrCat("/", i)));
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace cse::adapters::hubspot
