#include "adapters/generic_webhook/canonical_fields.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "cse/v1/events.pb.h"
#include "google/protobuf/descriptor.h"

namespace cse::adapters::generic_webhook {
namespace {

using cse::v1::Attendee;
using cse::v1::MeetingEvent;
using cse::v1::TicketEvent;

constexpr absl::string_view kCustomFieldsPrefix = "custom_fields.";

void SetTimestamp(google::protobuf::Timestamp* out, absl::Time time) {
  const absl::Duration since_epoch = time - absl::UnixEpoch();
  const int64_t seconds = absl::ToInt64Seconds(since_epoch);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(since_epoch - absl::Seconds(seconds))));
}

// A field spec without its name: type, flags, setter on the concrete type.
template <typename M>
struct Spec {
  FieldType type;
  bool required;
  bool identity;
  void (*set)(M*, const TypedValue&);
};

template <typename M>
CanonicalField Make(absl::string_view name, const Spec<M>& spec) {
  CanonicalField field;
  field.name = std::string(name);
  field.type = spec.type;
  field.required = spec.required;
  field.identity = spec.identity;
  auto set = spec.set;
  field.set = [set](google::protobuf::Message* m, const TypedValue& v) {
    set(static_cast<M*>(m), v);
  };
  return field;
}

// The tables. Kept as functions returning static vectors of pairs so the
// order (used in error messages) is the proto's.
const std::vector<std::pair<std::string, Spec<TicketEvent>>>& TicketSpecs() {
  using S = Spec<TicketEvent>;
  static const auto* specs = new std::vector<std::pair<std::string, S>>{
      {"event_id",
       {FieldType::kString, true, true,
        [](TicketEvent* e, const TypedValue& v) { e->set_event_id(v.text); }}},
      {"ticket_id",
       {FieldType::kString, true, true,
        [](TicketEvent* e, const TypedValue& v) { e->set_ticket_id(v.text); }}},
      {"account.id",
       {FieldType::kString, true, true,
        [](TicketEvent* e, const TypedValue& v) {
          e->mutable_account()->set_id(v.text);
        }}},
      {"account.name",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->mutable_account()->set_name(v.text);
        }}},
      {"account.segment",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->mutable_account()->set_segment(v.text);
        }}},
      {"kind",
       {FieldType::kTicketKind, true, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->set_kind(static_cast<cse::v1::TicketEventKind>(v.enum_number));
        }}},
      {"subject",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) { e->set_subject(v.text); }}},
      {"body",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) { e->set_body(v.text); }}},
      {"channel",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) { e->set_channel(v.text); }}},
      {"status",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) { e->set_status(v.text); }}},
      {"priority",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) { e->set_priority(v.text); }}},
      {"type",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) { e->set_type(v.text); }}},
      {"tags",
       {FieldType::kStringList, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          for (const std::string& tag : v.list) e->add_tags(tag);
        }}},
      {"requester.id",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->mutable_requester()->set_id(v.text);
        }}},
      {"requester.name",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->mutable_requester()->set_name(v.text);
        }}},
      {"requester.email",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->mutable_requester()->set_email(v.text);
        }}},
      {"requester.role",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->mutable_requester()->set_role(v.text);
        }}},
      {"satisfaction.score",
       {FieldType::kDouble, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->mutable_satisfaction()->set_score(v.number);
        }}},
      {"satisfaction.scale_max",
       {FieldType::kDouble, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->mutable_satisfaction()->set_scale_max(v.number);
        }}},
      {"satisfaction.comment",
       {FieldType::kString, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->mutable_satisfaction()->set_comment(v.text);
        }}},
      {"reopen_count",
       {FieldType::kUint32, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->set_reopen_count(static_cast<uint32_t>(v.unsigned_number));
        }}},
      {"sla_breached",
       {FieldType::kBool, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->set_sla_breached(v.boolean);
        }}},
      {"occurred_at",
       {FieldType::kTime, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          SetTimestamp(e->mutable_occurred_at(), v.time);
        }}},
      {"sequence",
       {FieldType::kUint64, false, false,
        [](TicketEvent* e, const TypedValue& v) {
          e->set_sequence(v.unsigned_number);
        }}},
  };
  return *specs;
}

const std::vector<std::pair<std::string, Spec<MeetingEvent>>>& MeetingSpecs() {
  using S = Spec<MeetingEvent>;
  static const auto* specs = new std::vector<std::pair<std::string, S>>{
      {"event_id",
       {FieldType::kString, true, true,
        [](MeetingEvent* e, const TypedValue& v) { e->set_event_id(v.text); }}},
      {"meeting_id",
       {FieldType::kString, true, true,
        [](MeetingEvent* e, const TypedValue& v) {
          e->set_meeting_id(v.text);
        }}},
      {"account.id",
       {FieldType::kString, true, true,
        [](MeetingEvent* e, const TypedValue& v) {
          e->mutable_account()->set_id(v.text);
        }}},
      {"account.name",
       {FieldType::kString, false, false,
        [](MeetingEvent* e, const TypedValue& v) {
          e->mutable_account()->set_name(v.text);
        }}},
      {"account.segment",
       {FieldType::kString, false, false,
        [](MeetingEvent* e, const TypedValue& v) {
          e->mutable_account()->set_segment(v.text);
        }}},
      {"title",
       {FieldType::kString, false, false,
        [](MeetingEvent* e, const TypedValue& v) { e->set_title(v.text); }}},
      {"notes",
       {FieldType::kString, false, false,
        [](MeetingEvent* e, const TypedValue& v) { e->set_notes(v.text); }}},
      {"meeting_type",
       {FieldType::kMeetingType, false, false,
        [](MeetingEvent* e, const TypedValue& v) {
          e->set_meeting_type(static_cast<cse::v1::MeetingType>(v.enum_number));
        }}},
      {"deal_stage",
       {FieldType::kString, false, false,
        [](MeetingEvent* e, const TypedValue& v) {
          e->set_deal_stage(v.text);
        }}},
      {"occurred_at",
       {FieldType::kTime, false, false,
        [](MeetingEvent* e, const TypedValue& v) {
          SetTimestamp(e->mutable_occurred_at(), v.time);
        }}},
      {"sequence",
       {FieldType::kUint64, false, false,
        [](MeetingEvent* e, const TypedValue& v) {
          e->set_sequence(v.unsigned_number);
        }}},
  };
  return *specs;
}

const std::vector<std::pair<std::string, Spec<Attendee>>>& AttendeeSpecs() {
  using S = Spec<Attendee>;
  static const auto* specs = new std::vector<std::pair<std::string, S>>{
      {"person.id",
       {FieldType::kString, false, false,
        [](Attendee* a, const TypedValue& v) {
          a->mutable_person()->set_id(v.text);
        }}},
      {"person.name",
       {FieldType::kString, false, false,
        [](Attendee* a, const TypedValue& v) {
          a->mutable_person()->set_name(v.text);
        }}},
      {"person.email",
       {FieldType::kString, false, false,
        [](Attendee* a, const TypedValue& v) {
          a->mutable_person()->set_email(v.text);
        }}},
      {"person.role",
       {FieldType::kString, false, false,
        [](Attendee* a, const TypedValue& v) {
          a->mutable_person()->set_role(v.text);
        }}},
      {"side",
       {FieldType::kSide, false, false,
        [](Attendee* a, const TypedValue& v) {
          a->set_side(static_cast<cse::v1::Side>(v.enum_number));
        }}},
      {"planned",
       {FieldType::kBool, false, false,
        [](Attendee* a, const TypedValue& v) { a->set_planned(v.boolean); }}},
      {"attended",
       {FieldType::kBool, false, false,
        [](Attendee* a, const TypedValue& v) { a->set_attended(v.boolean); }}},
      {"key_person",
       {FieldType::kBool, false, false,
        [](Attendee* a, const TypedValue& v) {
          a->set_key_person(v.boolean);
        }}},
  };
  return *specs;
}

template <typename M>
std::optional<CanonicalField> FindIn(
    const std::vector<std::pair<std::string, Spec<M>>>& specs,
    absl::string_view name) {
  for (const auto& [spec_name, spec] : specs) {
    if (spec_name == name) return Make<M>(name, spec);
  }
  return std::nullopt;
}

template <typename M>
CanonicalField CustomField(absl::string_view name) {
  Spec<M> spec{FieldType::kString, false, false, nullptr};
  CanonicalField field = Make<M>(name, spec);
  const std::string key(name.substr(kCustomFieldsPrefix.size()));
  field.set = [key](google::protobuf::Message* m, const TypedValue& v) {
    (*static_cast<M*>(m)->mutable_custom_fields())[key] = v.text;
  };
  return field;
}

template <typename M>
std::vector<std::string> Names(
    const std::vector<std::pair<std::string, Spec<M>>>& specs,
    bool required_only) {
  std::vector<std::string> names;
  for (const auto& [name, spec] : specs) {
    if (!required_only || spec.required) names.push_back(name);
  }
  return names;
}

struct EnumInfo {
  const google::protobuf::EnumDescriptor* descriptor;
  absl::string_view prefix;
};

std::optional<EnumInfo> EnumFor(FieldType type) {
  switch (type) {
    case FieldType::kTicketKind:
      return EnumInfo{cse::v1::TicketEventKind_descriptor(),
                      "TICKET_EVENT_KIND_"};
    case FieldType::kMeetingType:
      return EnumInfo{cse::v1::MeetingType_descriptor(), "MEETING_TYPE_"};
    case FieldType::kSide:
      return EnumInfo{cse::v1::Side_descriptor(), "SIDE_"};
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<CanonicalField> FindCanonicalField(Target target,
                                                 absl::string_view name) {
  const bool custom = absl::StartsWith(name, kCustomFieldsPrefix) &&
                      name.size() > kCustomFieldsPrefix.size();
  switch (target) {
    case Target::kTicket:
      if (custom) return CustomField<TicketEvent>(name);
      return FindIn(TicketSpecs(), name);
    case Target::kMeeting:
      if (custom) return CustomField<MeetingEvent>(name);
      return FindIn(MeetingSpecs(), name);
    case Target::kAttendee:
      return FindIn(AttendeeSpecs(), name);
  }
  return std::nullopt;
}

std::vector<std::string> RequiredFieldNames(Target target) {
  switch (target) {
    case Target::kTicket:
      return Names(TicketSpecs(), true);
    case Target::kMeeting:
      return Names(MeetingSpecs(), true);
    case Target::kAttendee:
      return Names(AttendeeSpecs(), true);
  }
  return {};
}

std::string KnownFieldNames(Target target) {
  std::vector<std::string> names;
  switch (target) {
    case Target::kTicket:
      names = Names(TicketSpecs(), false);
      names.push_back("custom_fields.<key>");
      break;
    case Target::kMeeting:
      names = Names(MeetingSpecs(), false);
      names.push_back("custom_fields.<key>");
      break;
    case Target::kAttendee:
      names = Names(AttendeeSpecs(), false);
      break;
  }
  return absl::StrJoin(names, ", ");
}

absl::StatusOr<int> ParseEnumValue(FieldType type, absl::string_view text) {
  std::optional<EnumInfo> info = EnumFor(type);
  if (!info.has_value()) {
    return absl::InternalError("not an enum field");
  }
  std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  absl::StrReplaceAll({{"-", "_"}, {" ", "_"}}, &upper);
  const google::protobuf::EnumValueDescriptor* value =
      info->descriptor->FindValueByName(absl::StrCat(info->prefix, upper));
  if (value == nullptr && absl::StartsWith(upper, info->prefix)) {
    value = info->descriptor->FindValueByName(upper);
  }
  if (value != nullptr && value->number() != 0) return value->number();
  std::vector<std::string> accepted;
  for (int i = 0; i < info->descriptor->value_count(); ++i) {
    const auto* v = info->descriptor->value(i);
    if (v->number() == 0) continue;
    accepted.push_back(
        absl::AsciiStrToLower(v->name().substr(info->prefix.size())));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", text, "\" is not one of: ", absl::StrJoin(accepted, ", ")));
}

}  // namespace cse::adapters::generic_webhook
