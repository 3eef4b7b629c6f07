#include "adapters/salesforce/event_relations.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/salesforce/salesforce_id.h"

namespace cse::adapters::salesforce {
namespace {

std::string StringAt(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// One invitee row of the query.
struct Invitee {
  std::string relation_id;  // canonical
  std::string status;
  std::string name;
  std::string title;
  std::string email;
  std::string type;
};

bool IsKeyPerson(absl::string_view title,
                 const std::vector<std::string>& roles) {
  const std::string lower = absl::AsciiStrToLower(title);
  for (const std::string& role : roles) {
    if (!role.empty() && absl::StrContains(lower, role)) return true;
  }
  return false;
}

cse::v1::Side SideOf(absl::string_view type) {
  if (type == "User") return cse::v1::SIDE_PROVIDER;
  if (type == "Contact" || type == "Lead") return cse::v1::SIDE_CUSTOMER;
  return cse::v1::SIDE_UNSPECIFIED;
}

void BuildAttendees(const std::vector<Invitee>& invitees,
                    const SalesforceAdapterOptions& options,
                    PendingMeeting& meeting) {
  absl::flat_hash_set<std::string> invited;
  for (const Invitee& invitee : invitees) {
    invited.insert(invitee.relation_id);
    cse::v1::Attendee* attendee = meeting.event.add_attendees();
    cse::v1::Person* person = attendee->mutable_person();
    person->set_id(invitee.relation_id);
    person->set_name(invitee.name);
    person->set_email(invitee.email);
    person->set_role(invitee.title);
    attendee->set_side(SideOf(invitee.type));
    attendee->set_planned(true);
    attendee->set_attended(
        meeting.attended_ids.has_value()
            ? meeting.attended_ids->contains(invitee.relation_id)
            : !absl::EqualsIgnoreCase(invitee.status, "Declined"));
    attendee->set_key_person(
        IsKeyPerson(invitee.title, options.key_person_roles));
  }
  if (!meeting.attended_ids.has_value()) return;
  // Present without an invitation: sorted for a stable order.
  std::vector<std::string> walk_ins;
  for (const std::string& id : *meeting.attended_ids) {
    if (!invited.contains(id)) walk_ins.push_back(id);
  }
  std::sort(walk_ins.begin(), walk_ins.end());
  for (const std::string& id : walk_ins) {
    cse::v1::Attendee* attendee = meeting.event.add_attendees();
    attendee->mutable_person()->set_id(id);
    attendee->set_planned(false);
    attendee->set_attended(true);
  }
}

}  // namespace

absl::Status AddAttendees(const SalesforceApi& api,
                          const SalesforceAdapterOptions& options,
                          std::vector<PendingMeeting>& meetings) {
  if (meetings.empty()) return absl::OkStatus();
  std::vector<std::string> quoted;
  absl::flat_hash_set<std::string> seen;
  for (const PendingMeeting& meeting : meetings) {
    if (seen.insert(meeting.event.meeting_id()).second) {
      quoted.push_back(SoqlQuote(meeting.event.meeting_id()));
    }
  }
  const std::string soql = absl::StrCat(
      "SELECT EventId, RelationId, Status, IsInvitee, Relation.Name, "
      "Relation.Title, Relation.Email, Relation.Type FROM EventRelation "
      "WHERE EventId IN (",
      absl::StrJoin(quoted, ", "), ")");
  ApiResult result = api.Query(soql, "EventRelation");
  if (!result.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "reading the meeting invitees from Salesforce failed, so the "
        "message is not acknowledged and Salesforce will redeliver it: ",
        result.failure->crm_answer));
  }

  absl::flat_hash_map<std::string, std::vector<Invitee>> by_event;
  for (const Json& row : result.json) {
    if (!row.is_object()) continue;
    auto invitee_flag = row.find("IsInvitee");
    if (invitee_flag != row.end() && invitee_flag->is_boolean() &&
        !invitee_flag->get<bool>()) {
      continue;  // A related record (Shared Activities), not an invitee.
    }
    absl::StatusOr<std::string> event_id =
        CanonicalId18(StringAt(row, "EventId"));
    absl::StatusOr<std::string> relation_id =
        CanonicalId18(StringAt(row, "RelationId"));
    if (!event_id.ok() || !relation_id.ok()) continue;
    Invitee invitee;
    invitee.relation_id = *relation_id;
    invitee.status = StringAt(row, "Status");
    auto relation = row.find("Relation");
    if (relation != row.end() && relation->is_object()) {
      invitee.name = StringAt(*relation, "Name");
      invitee.title = StringAt(*relation, "Title");
      invitee.email = StringAt(*relation, "Email");
      invitee.type = StringAt(*relation, "Type");
    }
    if (invitee.type == "Calendar") continue;  // A room or resource.
    by_event[*event_id].push_back(std::move(invitee));
  }
  for (PendingMeeting& meeting : meetings) {
    auto it = by_event.find(meeting.event.meeting_id());
    BuildAttendees(it == by_event.end() ? std::vector<Invitee>() : it->second,
                   options, meeting);
  }
  return absl::OkStatus();
}

}  // namespace cse::adapters::salesforce
