// EventMapper: conditions, field sources, conversions, errors per delivery.
#include "adapters/generic_webhook/event_mapper.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/generic_webhook/test_util.h"

namespace cse::adapters::generic_webhook {
namespace {

using ::cse::adapters::v1::GenericWebhookConfig;
using ::cse::testing::StatusIs;
using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::Eq;
using testing::ErrorStrings;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using testing::ParseYaml;
using ::testing::UnorderedElementsAre;

EventMapper CompileOk(const std::string& yaml) {
  ConfigErrors errors;
  EventMapper mapper = EventMapper::Compile(
      ParseYaml<GenericWebhookConfig>(yaml), "gw", &errors);
  EXPECT_THAT(ErrorStrings(errors.errors()), IsEmpty());
  return mapper;
}

absl::StatusOr<CanonicalEvents> MapJson(const EventMapper& mapper,
                                        const std::string& body,
                                        const HttpHeaders& headers = {}) {
  return mapper.Map(nlohmann::json::parse(body), headers, "helpdesk");
}

constexpr char kTickets[] = R"(
event_mappings:
  - name: comment
    when:
      - {pointer: /type, equals_any: [comment.created, comment.updated]}
      - {pointer: /internal, equals: "false"}
    emit: ticket_event
    fields:
      event_id: {template: "{/type}:{/comment/id}"}
      ticket_id: {pointer: /ticket/id}
      account.id:
        pointer: /ticket/org/id
        fallbacks:
          - pointer: /ticket/org_name
          - template: "person-{/author/id}"
      account.name: {pointer: /ticket/org/name, default_value: ""}
      kind: {constant: commented}
      subject: {pointer: /ticket/title}
      body: {pointer: /comment/html, strip_html: true}
      status:
        pointer: /ticket/state
        value_map: {closed: solved}
      priority:
        pointer: /ticket/priority
        value_map: {"1": low, "2": normal, "3": high}
        unmapped_value: normal
      tags: {pointer: /ticket/tags, default_value: ""}
      requester.email: {pointer: /author/email, default_value: ""}
      custom_fields.region: {pointer: /ticket/region, default_value: emea}
      sla_breached: {pointer: /ticket/sla_breached, default_value: "false"}
      reopen_count: {pointer: /ticket/reopened, default_value: "0"}
      satisfaction.score: {pointer: /rating/score, default_value: "0"}
      occurred_at: {pointer: /comment/created_at, time_format: unix_millis}
      sequence: {pointer: /comment/id}
  - name: other_internal
    when: [{pointer: /internal, equals: "true"}]
    emit: ignore
)";

constexpr char kCommentBody[] = R"({
  "type": "comment.created", "internal": false,
  "ticket": {"id": 42, "title": "Printer on fire", "state": "closed",
             "priority": 3, "tags": ["hardware", "urgent"],
             "org": {"id": "org-7", "name": "Acme"}, "region": null,
             "sla_breached": "yes", "reopened": "2"},
  "comment": {"id": 9001, "created_at": 1627063369123,
              "html": "<p>It&#39;s <b>burning</b></p><p>Help &amp; fast</p>"},
  "author": {"id": 5, "email": "ann@acme.example"}
})";

TEST(EventMappingTest, MapsEveryFieldKind) {
  EventMapper mapper = CompileOk(kTickets);
  absl::StatusOr<CanonicalEvents> events = MapJson(mapper, kCommentBody);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->tickets.size(), 1u);
  EXPECT_THAT(events->ignored, IsEmpty());
  const cse::v1::TicketEvent& e = events->tickets[0];
  EXPECT_EQ(e.source(), "helpdesk");
  EXPECT_EQ(e.event_id(), "comment.created:9001");
  EXPECT_EQ(e.ticket_id(), "42");
  EXPECT_EQ(e.account().id(), "org-7");
  EXPECT_EQ(e.account().name(), "Acme");
  EXPECT_EQ(e.kind(), cse::v1::TICKET_EVENT_KIND_COMMENTED);
  EXPECT_EQ(e.subject(), "Printer on fire");
  EXPECT_EQ(e.body(), "It's burning\n\nHelp & fast");
  EXPECT_EQ(e.status(), "solved");
  EXPECT_EQ(e.priority(), "high");
  EXPECT_THAT(e.tags(), ElementsAre("hardware", "urgent"));
  EXPECT_EQ(e.requester().email(), "ann@acme.example");
  // A null value is missing: the default applies.
  EXPECT_THAT(e.custom_fields(), UnorderedElementsAre(Pair("region", "emea")));
  EXPECT_TRUE(e.sla_breached());
  EXPECT_EQ(e.reopen_count(), 2u);
  EXPECT_EQ(TimeUtil::ToString(e.occurred_at()), "2021-07-23T18:02:49.123Z");
  EXPECT_EQ(e.sequence(), 9001u);
}

TEST(EventMappingTest, FallbacksAndUnmappedValues) {
  EventMapper mapper = CompileOk(kTickets);
  nlohmann::json body = nlohmann::json::parse(kCommentBody);
  body["ticket"].erase("org");
  body["ticket"]["org_name"] = "";  // an empty id counts as missing
  body["ticket"]["priority"] = 9;
  body["ticket"]["tags"] = "a, b ,,c";
  absl::StatusOr<CanonicalEvents> events = mapper.Map(body, {}, "helpdesk");
  ASSERT_TRUE(events.ok()) << events.status();
  const cse::v1::TicketEvent& e = events->tickets[0];
  EXPECT_EQ(e.account().id(), "person-5");
  EXPECT_EQ(e.account().name(), "");
  EXPECT_EQ(e.priority(), "normal");
  EXPECT_THAT(e.tags(), ElementsAre("a", "b", "c"));
}

TEST(EventMappingTest, MissingRequiredValueNamesMappingFieldAndPointers) {
  EventMapper mapper = CompileOk(kTickets);
  nlohmann::json body = nlohmann::json::parse(kCommentBody);
  body["ticket"].erase("title");
  EXPECT_THAT(mapper.Map(body, {}, "helpdesk"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       Eq("event mapping \"comment\": fields.subject: "
                          "/ticket/title is missing (absent or null) and no "
                          "default_value is configured")));
  body = nlohmann::json::parse(kCommentBody);
  body["ticket"].erase("org");
  body.erase("author");
  EXPECT_THAT(mapper.Map(body, {}, "helpdesk"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fields.account.id: /ticket/org/id, "
                                 "/ticket/org_name, template "
                                 "\"person-{/author/id}\" are missing")));
}

TEST(EventMappingTest, WrongTypesAreInvalidArgument) {
  EventMapper mapper = CompileOk(kTickets);
  nlohmann::json body = nlohmann::json::parse(kCommentBody);
  body["ticket"]["title"] = nlohmann::json::object();
  EXPECT_THAT(mapper.Map(body, {}, "helpdesk"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fields.subject: /ticket/title: expected a "
                                 "string, number or boolean, got an object")));
  body = nlohmann::json::parse(kCommentBody);
  body["comment"]["created_at"] = "yesterday";
  EXPECT_THAT(mapper.Map(body, {}, "helpdesk"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fields.occurred_at: /comment/created_at: "
                                 "expected Unix milliseconds (a number), got "
                                 "\"yesterday\"")));
  body = nlohmann::json::parse(kCommentBody);
  body["ticket"]["reopened"] = -1;
  EXPECT_THAT(mapper.Map(body, {}, "helpdesk"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fields.reopen_count: /ticket/reopened: "
                                 "expected a whole number")));
}

TEST(EventMappingTest, ConditionsChooseTheMappingOrIgnore) {
  EventMapper mapper = CompileOk(kTickets);
  nlohmann::json body = nlohmann::json::parse(kCommentBody);
  body["internal"] = true;
  absl::StatusOr<CanonicalEvents> events = mapper.Map(body, {}, "helpdesk");
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
  EXPECT_THAT(events->ignored,
              ElementsAre("ignored by event mapping \"other_internal\""));

  body = nlohmann::json::parse(kCommentBody);
  body["type"] = "ticket.merged";
  events = mapper.Map(body, {}, "helpdesk");
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
  EXPECT_THAT(events->ignored,
              ElementsAre("no event mapping matched (/type = "
                          "\"ticket.merged\", /internal = \"false\")"));
}

TEST(EventMappingTest, SameDeliveryGivesTheSameEventId) {
  EventMapper mapper = CompileOk(kTickets);
  absl::StatusOr<CanonicalEvents> first = MapJson(mapper, kCommentBody);
  absl::StatusOr<CanonicalEvents> second = MapJson(mapper, kCommentBody);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->tickets[0].event_id(), second->tickets[0].event_id());
}

TEST(EventMappingTest, HeaderConditionsPresenceAndTemplates) {
  EventMapper mapper = CompileOk(R"(
event_mappings:
  - name: by_trigger
    when:
      - {header: X-Zammad-Trigger, equals: cse}
      - {pointer: /ticket/id, present: true}
      - {pointer: /ticket/deleted, present: false}
    emit: ticket_event
    fields:
      event_id: {template: "{header:X-Zammad-Delivery}"}
      ticket_id: {pointer: /ticket/id}
      account.id: {pointer: /ticket/organization_id}
      kind: {constant: TICKET_EVENT_KIND_UPDATED}
)");
  HttpHeaders headers{{"X-Zammad-Trigger", "cse"},
                      {"X-Zammad-Delivery", "d-1"}};
  absl::StatusOr<CanonicalEvents> events = MapJson(
      mapper, R"({"ticket": {"id": 3, "organization_id": 2}})", headers);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->tickets.size(), 1u);
  EXPECT_EQ(events->tickets[0].event_id(), "d-1");
  EXPECT_EQ(events->tickets[0].kind(), cse::v1::TICKET_EVENT_KIND_UPDATED);

  events = MapJson(mapper,
                   R"({"ticket": {"id": 3, "organization_id": 2,
                                  "deleted": true}})",
                   headers);
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->tickets.empty());
  events = MapJson(mapper, R"({"ticket": {"id": 3, "organization_id": 2}})",
                   {{"X-Zammad-Trigger", "other"}});
  ASSERT_TRUE(events.ok());
  EXPECT_THAT(events->ignored,
              ElementsAre(HasSubstr("header X-Zammad-Trigger = \"other\"")));
}

TEST(EventMappingTest, EventIdLongerThan256BytesIsRefused) {
  EventMapper mapper = CompileOk(R"(
event_mappings:
  - name: t
    emit: ticket_event
    fields:
      event_id: {pointer: /id}
      ticket_id: {pointer: /id}
      account.id: {pointer: /id}
      kind: {constant: created}
)");
  nlohmann::json body = {{"id", std::string(257, 'x')}};
  EXPECT_THAT(mapper.Map(body, {}, "helpdesk"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fields.event_id: 257 bytes; at most 256")));
}

constexpr char kMeetings[] = R"(
event_mappings:
  - name: meeting
    emit: meeting_event
    fields:
      event_id: {template: "meeting:{/id}:{/updated}"}
      meeting_id: {pointer: /id}
      account.id: {pointer: /company/id}
      title: {pointer: /subject}
      notes: {pointer: /notes, default_value: ""}
      meeting_type:
        pointer: /category
        value_map: {QBR: review, Kickoff: kick_off}
        unmapped_value: other
      deal_stage: {pointer: /deal/stage, default_value: ""}
      occurred_at:
        pointer: /start
        time_format: layout
        time_layout: "%Y-%m-%d %H:%M:%S UTC"
    attendees:
      pointer: /participants
      fields:
        person.email: {pointer: /email}
        person.role: {pointer: /role, default_value: ""}
        side:
          pointer: /internal
          value_map: {"true": provider, "false": customer}
        planned: {constant: "true"}
        attended: {pointer: /joined, default_value: "false"}
        key_person: {pointer: /vip, default_value: "no"}
)";

TEST(EventMappingTest, MapsMeetingsWithAttendees) {
  EventMapper mapper = CompileOk(kMeetings);
  absl::StatusOr<CanonicalEvents> events = MapJson(mapper, R"({
    "id": "m-1", "updated": 5, "company": {"id": 77}, "subject": "QBR Q3",
    "category": "QBR", "start": "2024-03-01 10:00:00 UTC",
    "participants": [
      {"email": "cto@acme.example", "role": "IT manager", "internal": false,
       "joined": false, "vip": "yes"},
      {"email": "am@provider.example", "internal": true, "joined": true}
    ]})");
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->meetings.size(), 1u);
  const cse::v1::MeetingEvent& m = events->meetings[0];
  EXPECT_EQ(m.source(), "helpdesk");
  EXPECT_EQ(m.event_id(), "meeting:m-1:5");
  EXPECT_EQ(m.meeting_id(), "m-1");
  EXPECT_EQ(m.account().id(), "77");
  EXPECT_EQ(m.meeting_type(), cse::v1::MEETING_TYPE_REVIEW);
  EXPECT_EQ(TimeUtil::ToString(m.occurred_at()), "2024-03-01T10:00:00Z");
  ASSERT_EQ(m.attendees_size(), 2);
  EXPECT_EQ(m.attendees(0).person().email(), "cto@acme.example");
  EXPECT_EQ(m.attendees(0).person().role(), "IT manager");
  EXPECT_EQ(m.attendees(0).side(), cse::v1::SIDE_CUSTOMER);
  EXPECT_TRUE(m.attendees(0).planned());
  EXPECT_FALSE(m.attendees(0).attended());
  EXPECT_TRUE(m.attendees(0).key_person());
  EXPECT_EQ(m.attendees(1).side(), cse::v1::SIDE_PROVIDER);
  EXPECT_TRUE(m.attendees(1).attended());
  EXPECT_FALSE(m.attendees(1).key_person());
}

TEST(EventMappingTest, AttendeeErrorsNameTheElement) {
  EventMapper mapper = CompileOk(kMeetings);
  EXPECT_THAT(MapJson(mapper, R"({"id": "m", "updated": 1, "company": {"id": 1},
                          "subject": "s", "category": "x",
                          "start": "2024-03-01 10:00:00 UTC",
                          "participants": [{"email": "a@b", "internal": 1}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("attendees[0] (/participants/0): fields.side: "
                                 "/internal: \"1\" is not one of: customer, "
                                 "provider")));
  EXPECT_THAT(
      MapJson(mapper, R"({"id": "m", "updated": 1, "company": {"id": 1},
                          "subject": "s", "category": "x",
                          "start": "2024-03-01T10:00:00Z",
                          "participants": []})"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("fields.occurred_at: /start: \"2024-03-01T10:00:00Z\""
                         " is not a time in the configured layout")));
  EXPECT_THAT(
      MapJson(mapper, R"({"id": "m", "updated": 1, "company": {"id": 1},
                          "subject": "s", "category": "x",
                          "start": "2024-03-01 10:00:00 UTC",
                          "participants": {"email": "a@b"}})"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("attendees: /participants is an object, expected an "
                         "array")));
}

TEST(EventMappingTest, TimeFormats) {
  const auto map_time = [](const std::string& format,
                           const std::string& value) {
    EventMapper mapper = CompileOk(absl::StrCat(R"(
event_mappings:
  - name: t
    emit: ticket_event
    fields:
      event_id: {constant: e}
      ticket_id: {constant: t}
      account.id: {constant: a}
      kind: {constant: created}
      occurred_at: {pointer: /at, time_format: )",
                                                format, "}\n"));
    absl::StatusOr<CanonicalEvents> events = mapper.Map(
        nlohmann::json::parse(absl::StrCat(R"({"at": )", value, "}")), {}, "x");
    if (!events.ok()) return std::string(events.status().message());
    return TimeUtil::ToString(events->tickets[0].occurred_at());
  };
  EXPECT_EQ(map_time("rfc3339", R"("2021-07-23T18:02:48.000Z")"),
            "2021-07-23T18:02:48Z");
  EXPECT_EQ(map_time("rfc3339", R"("2021-07-23T20:02:48+02:00")"),
            "2021-07-23T18:02:48Z");
  EXPECT_EQ(map_time("unix_seconds", "1627063369"), "2021-07-23T18:02:49Z");
  EXPECT_EQ(map_time("unix_seconds", R"("1627063369.5")"),
            "2021-07-23T18:02:49.500Z");
  EXPECT_EQ(map_time("unix_millis", "1627063369000"), "2021-07-23T18:02:49Z");
  EXPECT_THAT(map_time("unix_seconds", "1e300"),
              HasSubstr("expected Unix seconds"));
  EXPECT_THAT(map_time("rfc3339", R"("2021-07-23")"),
              HasSubstr("is not an RFC 3339 time"));
}

}  // namespace
}  // namespace cse::adapters::generic_webhook
