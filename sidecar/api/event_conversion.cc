#include "sidecar/api/event_conversion.h"

#include <initializer_list>
#include <string>

#include "absl/strings/str_cat.h"
#include "sidecar/engine/text_normalizer.h"

namespace cse::api {
namespace {

using engine::TextField;

absl::Status FieldError(absl::string_view prefix, absl::string_view field,
                        absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(prefix, ".", field, ": ", message));
}

// Checks one string field: UTF-8 always, presence and size as asked.
absl::Status CheckString(absl::string_view prefix, absl::string_view field,
                         const std::string& value, bool required,
                         uint32_t max_bytes) {
  if (required && value.empty()) return FieldError(prefix, field, "required");
  if (value.size() > max_bytes) {
    return FieldError(prefix, field,
                      absl::StrCat(value.size(), " bytes exceeds the limit of ",
                                   max_bytes, " bytes"));
  }
  if (absl::Status s = engine::ValidateUtf8(value); !s.ok()) {
    return FieldError(prefix, field, s.message());
  }
  return absl::OkStatus();
}

// Short metadata fields (status, priority...) share one generous bound.
constexpr uint32_t kMaxMetaBytes = 4096;

absl::Status CheckAccount(absl::string_view prefix, const cse::v1::Account& a,
                          bool required, const EventLimits& limits) {
  if (absl::Status s = CheckString(prefix, "account.id", a.id(), required,
                                   limits.max_id_bytes);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckString(prefix, "account.name", a.name(), false, kMaxMetaBytes);
      !s.ok()) {
    return s;
  }
  return CheckString(prefix, "account.segment", a.segment(), false,
                     kMaxMetaBytes);
}

absl::Status CheckPerson(absl::string_view prefix, absl::string_view field,
                         const cse::v1::Person& p) {
  for (const auto& [name, value] :
       {std::pair<const char*, const std::string*>{"id", &p.id()},
        {"name", &p.name()},
        {"email", &p.email()},
        {"role", &p.role()}}) {
    if (absl::Status s = CheckString(prefix, absl::StrCat(field, ".", name),
                                     *value, false, kMaxMetaBytes);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckMap(
    absl::string_view prefix, absl::string_view field,
    const google::protobuf::Map<std::string, std::string>& m) {
  for (const auto& [k, v] : m) {
    if (absl::Status s = CheckString(prefix, absl::StrCat(field, ".", k), v,
                                     false, kMaxMetaBytes);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = engine::ValidateUtf8(k); !s.ok()) {
      return FieldError(prefix, field, absl::StrCat("key ", s.message()));
    }
  }
  return absl::OkStatus();
}

// One string field of an event, with its limits.
struct StringField {
  const char* name;
  const std::string* value;
  bool required;
  uint32_t max_bytes;
};

absl::Status CheckStrings(absl::string_view prefix,
                          std::initializer_list<StringField> fields) {
  for (const StringField& f : fields) {
    if (absl::Status s =
            CheckString(prefix, f.name, *f.value, f.required, f.max_bytes);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view TicketKindName(cse::v1::TicketEventKind kind) {
  switch (kind) {
    case cse::v1::TICKET_EVENT_KIND_CREATED:
      return "created";
    case cse::v1::TICKET_EVENT_KIND_UPDATED:
      return "updated";
    case cse::v1::TICKET_EVENT_KIND_COMMENTED:
      return "commented";
    case cse::v1::TICKET_EVENT_KIND_STATUS_CHANGED:
      return "status_changed";
    case cse::v1::TICKET_EVENT_KIND_REOPENED:
      return "reopened";
    case cse::v1::TICKET_EVENT_KIND_SATISFACTION_RATED:
      return "satisfaction_rated";
    default:
      return "";
  }
}

absl::string_view MeetingTypeName(cse::v1::MeetingType type) {
  switch (type) {
    case cse::v1::MEETING_TYPE_DISCOVERY:
      return "discovery";
    case cse::v1::MEETING_TYPE_DEMO:
      return "demo";
    case cse::v1::MEETING_TYPE_NEGOTIATION:
      return "negotiation";
    case cse::v1::MEETING_TYPE_KICK_OFF:
      return "kick_off";
    case cse::v1::MEETING_TYPE_STATUS_UPDATE:
      return "status_update";
    case cse::v1::MEETING_TYPE_REVIEW:
      return "review";
    case cse::v1::MEETING_TYPE_TRAINING:
      return "training";
    case cse::v1::MEETING_TYPE_HANDOVER:
      return "handover";
    case cse::v1::MEETING_TYPE_OTHER:
      return "other";
    default:
      return "";
  }
}

absl::Status ValidateTicket(const cse::v1::TicketEvent& e,
                            absl::string_view prefix, Strictness strictness,
                            const EventLimits& limits) {
  const bool ingest = strictness == Strictness::kIngest;
  if (absl::Status s = CheckStrings(
          prefix, {{"source", &e.source(), ingest, limits.max_id_bytes},
                   {"event_id", &e.event_id(), ingest, limits.max_id_bytes},
                   {"ticket_id", &e.ticket_id(), ingest, limits.max_id_bytes},
                   {"subject", &e.subject(), false, limits.max_text_bytes},
                   {"body", &e.body(), false, limits.max_text_bytes},
                   {"channel", &e.channel(), false, kMaxMetaBytes},
                   {"status", &e.status(), false, kMaxMetaBytes},
                   {"priority", &e.priority(), false, kMaxMetaBytes},
                   {"type", &e.type(), false, kMaxMetaBytes}});
      !s.ok()) {
    return s;
  }
  if (e.kind() == cse::v1::TICKET_EVENT_KIND_UNSPECIFIED && ingest) {
    return FieldError(prefix, "kind",
                      "required (TICKET_EVENT_KIND_UNSPECIFIED)");
  }
  if (TicketKindName(e.kind()).empty() &&
      e.kind() != cse::v1::TICKET_EVENT_KIND_UNSPECIFIED) {
    return FieldError(prefix, "kind", absl::StrCat("unknown value ", e.kind()));
  }
  if (absl::Status s = CheckAccount(prefix, e.account(), ingest, limits);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckPerson(prefix, "requester", e.requester());
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < e.tags_size(); ++i) {
    if (absl::Status s = CheckString(prefix, absl::StrCat("tags[", i, "]"),
                                     e.tags(i), false, kMaxMetaBytes);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = CheckMap(prefix, "custom_fields", e.custom_fields());
      !s.ok()) {
    return s;
  }
  if (e.has_satisfaction()) {
    if (e.satisfaction().scale_max() <= 0) {
      return FieldError(prefix, "satisfaction.scale_max", "must be > 0");
    }
    if (e.satisfaction().score() < 0 ||
        e.satisfaction().score() > e.satisfaction().scale_max()) {
      return FieldError(prefix, "satisfaction.score",
                        "must be between 0 and scale_max");
    }
    if (absl::Status s = CheckString(prefix, "satisfaction.comment",
                                     e.satisfaction().comment(), false,
                                     limits.max_text_bytes);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateMeeting(const cse::v1::MeetingEvent& e,
                             absl::string_view prefix, Strictness strictness,
                             const EventLimits& limits) {
  const bool ingest = strictness == Strictness::kIngest;
  if (absl::Status s = CheckStrings(
          prefix, {{"source", &e.source(), ingest, limits.max_id_bytes},
                   {"event_id", &e.event_id(), ingest, limits.max_id_bytes},
                   {"meeting_id", &e.meeting_id(), ingest, limits.max_id_bytes},
                   {"title", &e.title(), false, limits.max_text_bytes},
                   {"notes", &e.notes(), false, limits.max_text_bytes},
                   {"deal_stage", &e.deal_stage(), false, kMaxMetaBytes}});
      !s.ok()) {
    return s;
  }
  if (MeetingTypeName(e.meeting_type()).empty() &&
      e.meeting_type() != cse::v1::MEETING_TYPE_UNSPECIFIED) {
    return FieldError(prefix, "meeting_type",
                      absl::StrCat("unknown value ", e.meeting_type()));
  }
  if (absl::Status s = CheckAccount(prefix, e.account(), ingest, limits);
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < e.attendees_size(); ++i) {
    if (absl::Status s =
            CheckPerson(prefix, absl::StrCat("attendees[", i, "].person"),
                        e.attendees(i).person());
        !s.ok()) {
      return s;
    }
  }
  return CheckMap(prefix, "custom_fields", e.custom_fields());
}

engine::EventView TicketView(const cse::v1::TicketEvent& e) {
  engine::EventView v;
  v.kind = engine::EventKind::kTicket;
  v.source = e.source();
  v.event_id = e.event_id();
  v.account_id = e.account().id();
  v.account_name = e.account().name();
  v.account_segment = e.account().segment();
  v.ticket_kind = TicketKindName(e.kind());
  v.status = e.status();
  v.priority = e.priority();
  v.type = e.type();
  v.channel = e.channel();
  v.requester_role = e.requester().role();
  for (const auto& t : e.tags()) v.tags.push_back(t);
  for (const auto& [k, val] : e.custom_fields()) {
    v.custom_fields.emplace_back(k, val);
  }
  v.reopen_count = e.reopen_count();
  v.sla_breached = e.sla_breached();
  if (e.has_satisfaction() && e.satisfaction().scale_max() > 0) {
    v.satisfaction_ratio =
        e.satisfaction().score() / e.satisfaction().scale_max();
  }
  v.text[static_cast<int>(TextField::kSubject)] = e.subject();
  v.text[static_cast<int>(TextField::kBody)] = e.body();
  v.text[static_cast<int>(TextField::kSatisfactionComment)] =
      e.satisfaction().comment();
  return v;
}

engine::EventView MeetingView(const cse::v1::MeetingEvent& e) {
  engine::EventView v;
  v.kind = engine::EventKind::kMeeting;
  v.source = e.source();
  v.event_id = e.event_id();
  v.account_id = e.account().id();
  v.account_name = e.account().name();
  v.account_segment = e.account().segment();
  v.meeting_type = MeetingTypeName(e.meeting_type());
  v.deal_stage = e.deal_stage();
  for (const auto& [k, val] : e.custom_fields()) {
    v.custom_fields.emplace_back(k, val);
  }
  for (const auto& a : e.attendees()) {
    engine::AttendeeView av;
    av.name = a.person().name();
    av.role = a.person().role();
    av.customer_side = a.side() == cse::v1::SIDE_CUSTOMER;
    av.planned = a.planned();
    av.attended = a.attended();
    av.key_person = a.key_person();
    v.attendees.push_back(av);
  }
  v.text[static_cast<int>(TextField::kTitle)] = e.title();
  v.text[static_cast<int>(TextField::kNotes)] = e.notes();
  return v;
}

}  // namespace cse::api
