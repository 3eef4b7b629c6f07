#include "adapters/hubspot/object_reader.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "adapters/common/status_macros.h"
#include "adapters/hubspot/text.h"
#include "google/protobuf/util/time_util.h"

namespace cse::adapters::hubspot {
namespace {

using cse::v1::Attendee;
using cse::v1::MeetingEvent;
using cse::v1::Person;
using cse::v1::TicketEvent;

struct Contact {
  std::string id;
  std::string name;
  std::string email;
  std::string job_title;
};

// The ids of a v3 read's "associations": {"<type>": {"results": [{"id",
// "type"}]}}, in order, each once (a record associated with two labels
// is listed twice).
std::vector<std::string> AssociatedIds(const Json& object,
                                       absl::string_view to_type) {
  std::vector<std::string> ids;
  const Json* associations = Member(object, "associations");
  if (associations == nullptr) return ids;
  const Json* of_type = Member(*associations, to_type);
  if (of_type == nullptr) return ids;
  const Json* results = Member(*of_type, "results");
  if (results == nullptr || !results->is_array()) return ids;
  absl::flat_hash_set<std::string> seen;
  for (const Json& r : *results) {
    absl::StatusOr<std::string> id = OptionalString(r, "id", "");
    if (id.ok() && !id->empty() && seen.insert(*id).second) {
      ids.push_back(*id);
    }
  }
  return ids;
}

std::string PropertiesQuery(std::vector<std::string> names) {
  std::vector<std::string> unique;
  for (std::string& n : names) {
    if (!n.empty() &&
        std::find(unique.begin(), unique.end(), n) == unique.end()) {
      unique.push_back(std::move(n));
    }
  }
  return absl::StrJoin(unique, ",");
}

// A datetime property: ISO 8601 ("2024-05-01T09:30:00.000Z", as the v3
// API returns it) or milliseconds since the epoch.
std::optional<absl::Time> ParseCrmTime(absl::string_view value) {
  value = absl::StripAsciiWhitespace(value);
  if (value.empty()) return std::nullopt;
  int64_t millis = 0;
  if (absl::SimpleAtoi(value, &millis)) return absl::FromUnixMillis(millis);
  absl::Time t;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, value, &t, &error)) return t;
  return std::nullopt;
}

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t nanos = absl::ToUnixNanos(t);
  *out = google::protobuf::util::TimeUtil::NanosecondsToTimestamp(nanos);
}

// Reading helpers shared by tickets and meetings.
class ReaderHelpers {
 public:
  explicit ReaderHelpers(const HubSpotApi* api) : api_(api) {}

  // Account from the first associated company. nullopt with a reason
  // when there is none or it is gone.
  absl::StatusOr<std::optional<cse::v1::Account>> ReadAccount(
      const std::vector<std::string>& company_ids) const {
    if (company_ids.empty()) return std::optional<cse::v1::Account>();
    const HubSpotOptions& o = api_->options();
    absl::StatusOr<Json> company = api_->Read(
        "GET",
        absl::StrCat("/crm/v3/objects/companies/", company_ids.front(),
                     "?properties=",
                     PropertiesQuery({"name", o.company_segment_property})));
    if (company.status().code() == absl::StatusCode::kNotFound) {
      return std::optional<cse::v1::Account>();
    }
    CSE_RETURN_IF_ERROR(company.status());
    cse::v1::Account account;
    account.set_id(company_ids.front());
    account.set_name(PropertyValue(*company, "name"));
    if (!o.company_segment_property.empty()) {
      account.set_segment(PropertyValue(*company, o.company_segment_property));
    }
    return std::optional<cse::v1::Account>(std::move(account));
  }

  // Contacts by id, in the order given; ids HubSpot does not return (gone)
  // are left out.
  absl::StatusOr<std::vector<Contact>> ReadContacts(
      const std::vector<std::string>& ids) const {
    std::vector<Contact> contacts;
    if (ids.empty()) return contacts;
    absl::flat_hash_map<std::string, Contact> by_id;
    // The batch endpoints take at most 100 inputs.
    for (size_t start = 0; start < ids.size(); start += 100) {
      Json request = {
          {"properties", {"firstname", "lastname", "email", "jobtitle"}},
          {"inputs", Json::array()}};
      for (size_t i = start; i < std::min(ids.size(), start + 100); ++i) {
        request["inputs"].push_back({{"id", ids[i]}});
      }
      CSE_ASSIGN_OR_RETURN(
          Json answer, api_->Read("POST", "/crm/v3/objects/contacts/batch/read",
                                  Dump(request)));
      const Json* results = Member(answer, "results");
      if (results == nullptr || !results->is_array()) continue;
      for (const Json& r : *results) {
        Contact c;
        absl::StatusOr<std::string> id = OptionalString(r, "id", "");
        if (!id.ok() || id->empty()) continue;
        c.id = *id;
        c.name = std::string(absl::StripAsciiWhitespace(absl::StrCat(
            PropertyValue(r, "firstname"), " ", PropertyValue(r, "lastname"))));
        c.email = PropertyValue(r, "email");
        c.job_title = PropertyValue(r, "jobtitle");
        by_id[c.id] = c;
      }
    }
    for (const std::string& id : ids) {
      auto it = by_id.find(id);
      if (it != by_id.end()) contacts.push_back(it->second);
    }
    return contacts;
  }

  // Labels of each contact's association with the meeting (v4), keyed by
  // contact id; "" labels (unlabeled associations) are left out.
  absl::StatusOr<absl::flat_hash_map<std::string, std::vector<std::string>>>
  ReadContactLabels(const std::string& meeting_id) const {
    absl::flat_hash_map<std::string, std::vector<std::string>> labels;
    std::string after;
    // 500 per page is the v4 list's maximum; a meeting with more than 5000
    // invitees is not a meeting.
    for (int page = 0; page < 10; ++page) {
      std::string path = absl::StrCat("/crm/v4/objects/meetings/", meeting_id,
                                      "/associations/contacts?limit=500");
      if (!after.empty()) absl::StrAppend(&path, "&after=", after);
      CSE_ASSIGN_OR_RETURN(Json answer, api_->Read("GET", path));
      const Json* results = Member(answer, "results");
      if (results != nullptr && results->is_array()) {
        for (const Json& r : *results) {
          absl::StatusOr<std::string> to = OptionalString(r, "toObjectId", "");
          if (!to.ok() || to->empty()) continue;
          std::vector<std::string>& mine = labels[*to];
          const Json* types = Member(r, "associationTypes");
          if (types == nullptr || !types->is_array()) continue;
          for (const Json& t : *types) {
            absl::StatusOr<std::string> label = OptionalString(t, "label", "");
            if (label.ok() && !label->empty()) mine.push_back(*label);
          }
        }
      }
      const Json* paging = Member(answer, "paging");
      const Json* next = paging ? Member(*paging, "next") : nullptr;
      absl::StatusOr<std::string> cursor =
          next ? OptionalString(*next, "after", "") : std::string();
      if (!cursor.ok() || cursor->empty()) break;
      after = *cursor;
    }
    return labels;
  }

  const HubSpotApi* api() const { return api_; }

 private:
  const HubSpotApi* api_;
};

}  // namespace

absl::StatusOr<ReadResult<TicketEvent>> ObjectReader::ReadTicket(
    uint64_t ticket_id) const {
  const HubSpotOptions& o = api_->options();
  ReaderHelpers helpers(api_);
  std::vector<std::string> properties = {"subject",
                                         "content",
                                         "hs_pipeline",
                                         "hs_pipeline_stage",
                                         "hs_ticket_priority",
                                         "hs_ticket_category",
                                         "source_type",
                                         o.ticket_tags_property,
                                         o.ticket_outcome_property};
  properties.insert(properties.end(), o.extra_ticket_properties.begin(),
                    o.extra_ticket_properties.end());
  absl::StatusOr<Json> ticket = api_->Read(
      "GET", absl::StrCat("/crm/v3/objects/tickets/", ticket_id,
                          "?properties=", PropertiesQuery(properties),
                          "&associations=companies,contacts"));
  ReadResult<TicketEvent> result;
  if (ticket.status().code() == absl::StatusCode::kNotFound) {
    result.ignored_reason = absl::StrCat("ticket ", ticket_id, " not found");
    return result;
  }
  CSE_RETURN_IF_ERROR(ticket.status());

  CSE_ASSIGN_OR_RETURN(
      std::optional<cse::v1::Account> account,
      helpers.ReadAccount(AssociatedIds(*ticket, "companies")));
  if (!account) {
    result.ignored_reason =
        absl::StrCat("ticket ", ticket_id,
                     " has no associated company (the journey's account)");
    return result;
  }
  TicketEvent e;
  e.set_ticket_id(absl::StrCat(ticket_id));
  *e.mutable_account() = std::move(*account);
  e.set_subject(PropertyValue(*ticket, "subject"));
  e.set_body(HtmlToText(PropertyValue(*ticket, "content")));
  e.set_channel(HumanizeEnum(PropertyValue(*ticket, "source_type")));
  const std::string stage = PropertyValue(*ticket, "hs_pipeline_stage");
  auto status = o.ticket_stage_statuses.find(stage);
  e.set_status(status != o.ticket_stage_statuses.end() ? status->second
                                                       : stage);
  e.set_priority(HumanizeEnum(PropertyValue(*ticket, "hs_ticket_priority")));
  e.set_type(HumanizeEnum(PropertyValue(*ticket, "hs_ticket_category")));
  if (!o.ticket_tags_property.empty()) {
    for (std::string& tag :
         SplitMultiValue(PropertyValue(*ticket, o.ticket_tags_property))) {
      e.add_tags(std::move(tag));
    }
  }
  auto& fields = *e.mutable_custom_fields();
  fields["hs_pipeline"] = PropertyValue(*ticket, "hs_pipeline");
  fields["hs_pipeline_stage"] = stage;
  for (const std::string& extra : o.extra_ticket_properties) {
    fields[extra] = PropertyValue(*ticket, extra);
  }
  const std::vector<std::string> contact_ids =
      AssociatedIds(*ticket, "contacts");
  if (!contact_ids.empty()) {
    // The first contact stands for the requester; HubSpot keeps no
    // separate requester on a ticket.
    CSE_ASSIGN_OR_RETURN(std::vector<Contact> contacts,
                         helpers.ReadContacts({contact_ids.front()}));
    if (!contacts.empty()) {
      Person* requester = e.mutable_requester();
      requester->set_id(contacts[0].id);
      requester->set_name(contacts[0].name);
      requester->set_email(contacts[0].email);
      requester->set_role(contacts[0].job_title);
    }
  }
  result.outcome_labels =
      SplitMultiValue(PropertyValue(*ticket, o.ticket_outcome_property));
  result.event = std::move(e);
  return result;
}

absl::StatusOr<ReadResult<MeetingEvent>> ObjectReader::ReadMeeting(
    uint64_t meeting_id) const {
  const HubSpotOptions& o = api_->options();
  ReaderHelpers helpers(api_);
  std::vector<std::string> properties = {"hs_meeting_title",
                                         "hs_meeting_body",
                                         "hs_internal_meeting_notes",
                                         "hs_meeting_outcome",
                                         "hs_meeting_start_time",
                                         "hs_activity_type",
                                         "hs_timestamp",
                                         "hubspot_owner_id",
                                         o.meeting_outcome_property};
  properties.insert(properties.end(), o.extra_meeting_properties.begin(),
                    o.extra_meeting_properties.end());
  const std::string id = absl::StrCat(meeting_id);
  absl::StatusOr<Json> meeting = api_->Read(
      "GET", absl::StrCat("/crm/v3/objects/meetings/", id,
                          "?properties=", PropertiesQuery(properties),
                          "&associations=companies,contacts,deals"));
  ReadResult<MeetingEvent> result;
  if (meeting.status().code() == absl::StatusCode::kNotFound) {
    result.ignored_reason = absl::StrCat("meeting ", id, " not found");
    return result;
  }
  CSE_RETURN_IF_ERROR(meeting.status());

  CSE_ASSIGN_OR_RETURN(
      std::optional<cse::v1::Account> account,
      helpers.ReadAccount(AssociatedIds(*meeting, "companies")));
  if (!account) {
    result.ignored_reason = absl::StrCat(
        "meeting ", id, " has no associated company (the journey's account)");
    return result;
  }
  MeetingEvent e;
  e.set_meeting_id(id);
  *e.mutable_account() = std::move(*account);
  e.set_title(PropertyValue(*meeting, "hs_meeting_title"));
  std::vector<std::string> notes;
  for (const char* property :
       {"hs_meeting_body", "hs_internal_meeting_notes"}) {
    std::string text = HtmlToText(PropertyValue(*meeting, property));
    if (!text.empty()) notes.push_back(std::move(text));
  }
  e.set_notes(absl::StrJoin(notes, "\n\n"));

  const std::string activity_type = PropertyValue(*meeting, "hs_activity_type");
  if (!activity_type.empty()) {
    auto type = o.meeting_types.find(activity_type);
    e.set_meeting_type(type != o.meeting_types.end()
                           ? type->second
                           : cse::v1::MEETING_TYPE_OTHER);
  }
  const std::string outcome =
      absl::AsciiStrToUpper(PropertyValue(*meeting, "hs_meeting_outcome"));
  auto& fields = *e.mutable_custom_fields();
  fields["hs_meeting_outcome"] = outcome;
  fields["hs_activity_type"] = activity_type;
  for (const std::string& extra : o.extra_meeting_properties) {
    fields[extra] = PropertyValue(*meeting, extra);
  }
  for (const char* property : {"hs_meeting_start_time", "hs_timestamp"}) {
    if (std::optional<absl::Time> at =
            ParseCrmTime(PropertyValue(*meeting, property))) {
      SetTimestamp(*at, e.mutable_occurred_at());
      break;
    }
  }

  // Attendees. HubSpot records who was invited (the meeting's associated
  // contacts) and the meeting's outcome (hs_meeting_outcome: SCHEDULED,
  // COMPLETED, RESCHEDULED, NO_SHOW, CANCELED), not who came; per-person
  // absence comes from an association label the admin defines.
  absl::flat_hash_map<std::string, std::vector<std::string>> labels;
  if (!o.absent_association_label.empty() ||
      !o.key_person_association_label.empty()) {
    CSE_ASSIGN_OR_RETURN(labels, helpers.ReadContactLabels(id));
  }
  auto has_label = [&](const std::string& contact_id,
                       const std::string& wanted) {
    if (wanted.empty()) return false;
    auto it = labels.find(contact_id);
    if (it == labels.end()) return false;
    for (const std::string& l : it->second) {
      if (absl::EqualsIgnoreCase(l, wanted)) return true;
    }
    return false;
  };
  const bool no_show = outcome == "NO_SHOW";
  CSE_ASSIGN_OR_RETURN(
      std::vector<Contact> contacts,
      helpers.ReadContacts(AssociatedIds(*meeting, "contacts")));
  for (const Contact& c : contacts) {
    Attendee* a = e.add_attendees();
    a->mutable_person()->set_id(c.id);
    a->mutable_person()->set_name(c.name);
    a->mutable_person()->set_email(c.email);
    a->mutable_person()->set_role(c.job_title);
    a->set_side(cse::v1::SIDE_CUSTOMER);
    a->set_planned(true);
    // Only NO_SHOW and the absent label mean absence: an upcoming (or
    // cancelled) meeting must not read as "key person absent".
    a->set_attended(!no_show && !has_label(c.id, o.absent_association_label));
    bool key = has_label(c.id, o.key_person_association_label);
    const std::string title = absl::AsciiStrToLower(c.job_title);
    for (const std::string& role : o.key_person_roles) {
      if (!role.empty() &&
          absl::StrContains(title, absl::AsciiStrToLower(role))) {
        key = true;
      }
    }
    a->set_key_person(key);
  }
  const std::string owner = PropertyValue(*meeting, "hubspot_owner_id");
  if (!owner.empty()) {
    Attendee* a = e.add_attendees();
    a->mutable_person()->set_id(absl::StrCat("owner:", owner));
    a->mutable_person()->set_role("meeting owner");
    a->set_side(cse::v1::SIDE_PROVIDER);
    a->set_planned(true);
    a->set_attended(!no_show);
  }

  const std::vector<std::string> deal_ids = AssociatedIds(*meeting, "deals");
  if (!deal_ids.empty()) {
    absl::StatusOr<Json> deal = api_->Read(
        "GET", absl::StrCat("/crm/v3/objects/deals/", deal_ids.front(),
                            "?properties=dealstage,dealname"));
    if (deal.ok()) {
      e.set_deal_stage(PropertyValue(*deal, "dealstage"));
      fields["deal_id"] = deal_ids.front();
      fields["dealname"] = PropertyValue(*deal, "dealname");
    } else if (deal.status().code() != absl::StatusCode::kNotFound) {
      return deal.status();
    }
  }
  result.outcome_labels =
      SplitMultiValue(PropertyValue(*meeting, o.meeting_outcome_property));
  result.event = std::move(e);
  return result;
}

}  // namespace cse::adapters::hubspot
