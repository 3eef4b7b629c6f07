// EventMapping.outcome_tags: the labels a delivery carries for its ticket
// or meeting become RecordOutcome requests; their configuration is checked
// at load with field paths (and file:line:col through the loader).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "adapters/generic_webhook/event_mapper.h"
#include "adapters/generic_webhook/factory.h"
#include "adapters/generic_webhook/generic_webhook_adapter.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "sidecar/config/mapping_validator.h"
#include "tests/testing/outcome_matchers.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/generic_webhook/test_util.h"

namespace cse::adapters::generic_webhook {
namespace {

using ::cse::adapters::v1::AdapterConfig;
using ::cse::adapters::v1::GenericWebhookConfig;
using ::cse::v1::RecordOutcomeRequest;
using ::google::protobuf::util::TimeUtil;
using ::testing::AllOf;
using ::testing::ElementsAre;
using testing::ErrorStrings;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ParseYaml;
using ::testing::SizeIs;

constexpr char kAuth[] = R"(
shared_token: {header: X-Token, token: {env: T}}
)";

// A helpdesk whose ticket payload carries its labels as an array, and one
// whose meetings carry them as a ';'-separated string (the way CRMs write
// multi-select picklist values).
constexpr char kMappings[] = R"(
event_mappings:
  - name: ticket
    when: [{pointer: /type, equals: ticket.updated}]
    emit: ticket_event
    fields:
      event_id: {template: "{/type}:{/ticket/id}:{/ticket/updated_at}"}
      ticket_id: {pointer: /ticket/id}
      account.id: {pointer: /ticket/org_id}
      kind: {constant: updated}
      tags: {pointer: /ticket/labels, default_value: ""}
      occurred_at: {pointer: /ticket/updated_at, time_format: rfc3339}
    outcome_tags:
      pointer: /ticket/labels
      recorded_by: {pointer: /actor/id}
  - name: meeting
    when: [{pointer: /type, equals: meeting.updated}]
    emit: meeting_event
    fields:
      event_id: {template: "{/type}:{/meeting/id}"}
      meeting_id: {pointer: /meeting/id}
      account.id: {pointer: /meeting/account}
    outcome_tags:
      pointer: /meeting/outcome
      separator: ";"
      recorded_by: {template: "{/meeting/owner/name} <{/meeting/owner/email}>"}
)";

constexpr char kTicketBody[] = R"({
  "type": "ticket.updated",
  "ticket": {"id": 42, "org_id": "org-7",
             "updated_at": "2025-03-04T10:20:30.250Z",
             "labels": ["vip", "cse-outcome-p8-restored"]},
  "actor": {"id": 3001, "name": "Sam Agent"}
})";

EventMapper CompileOk(const std::string& yaml) {
  ConfigErrors errors;
  EventMapper mapper = EventMapper::Compile(
      ParseYaml<GenericWebhookConfig>(yaml), "gw", &errors);
  EXPECT_THAT(ErrorStrings(errors.errors()), IsEmpty());
  return mapper;
}

CanonicalEvents MapOk(const std::string& yaml, const nlohmann::json& body) {
  absl::StatusOr<CanonicalEvents> events =
      CompileOk(yaml).Map(body, HttpHeaders(), "helpdesk");
  EXPECT_TRUE(events.ok()) << events.status();
  return events.ok() ? *std::move(events) : CanonicalEvents();
}

std::vector<std::string> Validate(const std::string& yaml) {
  return ErrorStrings(ValidateGenericWebhookConfig(
      ParseYaml<GenericWebhookConfig>(yaml), "crms[0].generic_webhook"));
}

// ---- Mapping -------------------------------------------------------------

TEST(OutcomeTagsTest, AnArrayLabelBecomesAnOutcome) {
  const CanonicalEvents events =
      MapOk(kMappings, nlohmann::json::parse(kTicketBody));
  ASSERT_THAT(events.tickets, SizeIs(1));
  EXPECT_THAT(events.warnings, IsEmpty());
  ASSERT_THAT(events.outcomes, SizeIs(1));
  const RecordOutcomeRequest& o = events.outcomes[0];
  EXPECT_THAT(o,
              cse::testing::IsTagOutcome(
                  {.outcome_id = "helpdesk:ticket/42:cse-outcome-p8-restored",
                   .account_id = "org-7",
                   .practice_id = "P8",
                   .reaction = cse::v1::CUSTOMER_REACTION_RESTORED,
                   .occurred_at_seconds = 1741083630,
                   .recorded_by = "3001"}));
  EXPECT_EQ(TimeUtil::ToString(o.occurred_at()), "2025-03-04T10:20:30.250Z");
}

TEST(OutcomeTagsTest, ADelimitedStringWithTheCrmsSpellings) {
  const CanonicalEvents events = MapOk(kMappings, nlohmann::json::parse(R"({
    "type": "meeting.updated",
    "meeting": {"id": "m-9", "account": "acme",
                "outcome": "CSE_Outcome_P2_Bolstered_Regular_Proactive; ;cse outcome p5 worsened",
                "owner": {"name": "Kim", "email": "kim@provider.example"}}
  })"));
  ASSERT_THAT(events.meetings, SizeIs(1));
  EXPECT_THAT(events.warnings, IsEmpty());
  ASSERT_THAT(events.outcomes, SizeIs(2));
  const RecordOutcomeRequest& first = events.outcomes[0];
  EXPECT_EQ(first.outcome_id(),
            "helpdesk:meeting/m-9:cse-outcome-p2-bolstered-regular-proactive");
  EXPECT_EQ(first.account_id(), "acme");
  EXPECT_EQ(first.practice_id(), "P2");
  EXPECT_EQ(first.reaction(), cse::v1::CUSTOMER_REACTION_BOLSTERED);
  EXPECT_EQ(first.organization(), cse::v1::MODE_OF_ORGANIZATION_REGULAR);
  EXPECT_EQ(first.engagement(), cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE);
  EXPECT_EQ(first.recorded_by(), "Kim <kim@provider.example>");
  // No occurred_at mapped: the sidecar takes the time it records it.
  EXPECT_FALSE(first.has_occurred_at());
  EXPECT_EQ(events.outcomes[1].outcome_id(),
            "helpdesk:meeting/m-9:cse-outcome-p5-worsened");
  EXPECT_EQ(events.outcomes[1].reaction(), cse::v1::CUSTOMER_REACTION_WORSENED);
}

TEST(OutcomeTagsTest, TheDefaultSeparatorIsAComma) {
  nlohmann::json body = nlohmann::json::parse(kTicketBody);
  body["ticket"]["labels"] = "vip, cse-outcome-p1-no-change ,billing";
  const CanonicalEvents events = MapOk(kMappings, body);
  ASSERT_THAT(events.outcomes, SizeIs(1));
  EXPECT_EQ(events.outcomes[0].outcome_id(),
            "helpdesk:ticket/42:cse-outcome-p1-no-change");
  EXPECT_EQ(events.outcomes[0].reaction(),
            cse::v1::CUSTOMER_REACTION_NO_CHANGE);
}

TEST(OutcomeTagsTest, ArraysOfObjectsWithItemPointer) {
  const std::string yaml = absl::StrCat(kMappings, R"(
  - name: tagged
    when: [{pointer: /type, equals: ticket.tagged}]
    emit: ticket_event
    fields:
      event_id: {template: "{/type}:{/id}"}
      ticket_id: {pointer: /id}
      account.id: {pointer: /org}
      kind: {constant: updated}
    outcome_tags: {pointer: /tags, item_pointer: /name}
)");
  const CanonicalEvents events = MapOk(yaml, nlohmann::json::parse(R"({
    "type": "ticket.tagged", "id": 7, "org": "o",
    "tags": [{"id": 1, "name": "cse-outcome-p3-restored"},
             {"id": 2, "name": null},
             {"id": 3, "title": "cse-outcome-p4-restored"},
             {"id": 4, "name": "urgent"}]
  })"));
  ASSERT_THAT(events.outcomes, SizeIs(1));
  EXPECT_EQ(events.outcomes[0].outcome_id(),
            "helpdesk:ticket/7:cse-outcome-p3-restored");
  // The element without a name is worth telling the admin about.
  EXPECT_THAT(events.warnings,
              ElementsAre("event mapping \"tagged\": outcome_tags: "
                          "/tags/2/name is absent; label skipped"));
}

TEST(OutcomeTagsTest, AMalformedLabelIsAWarningAndTheDeliveryIsMapped) {
  nlohmann::json body = nlohmann::json::parse(kTicketBody);
  body["ticket"]["labels"] = {"cse-outcome-p8-delighted",
                              "cse-outcome-p9-restored"};
  const CanonicalEvents events = MapOk(kMappings, body);
  ASSERT_THAT(events.tickets, SizeIs(1));
  EXPECT_EQ(events.tickets[0].ticket_id(), "42");
  EXPECT_THAT(events.warnings,
              ElementsAre(AllOf(HasSubstr("ticket/42"),
                                HasSubstr("\"cse-outcome-p8-delighted\""),
                                HasSubstr("reaction \"delighted\""))));
  ASSERT_THAT(events.outcomes, SizeIs(1));
  EXPECT_EQ(events.outcomes[0].practice_id(), "P9");
}

TEST(OutcomeTagsTest, NoLabelsNoOutcome) {
  for (const nlohmann::json& labels :
       {nlohmann::json::array({"vip", "billing"}), nlohmann::json::array(),
        nlohmann::json(nullptr), nlohmann::json("")}) {
    nlohmann::json body = nlohmann::json::parse(kTicketBody);
    body["ticket"]["labels"] = labels;
    const CanonicalEvents events = MapOk(kMappings, body);
    EXPECT_THAT(events.tickets, SizeIs(1)) << labels;
    EXPECT_THAT(events.outcomes, IsEmpty()) << labels;
    EXPECT_THAT(events.warnings, IsEmpty()) << labels;
  }
  nlohmann::json body = nlohmann::json::parse(kTicketBody);
  body["ticket"].erase("labels");
  EXPECT_THAT(MapOk(kMappings, body).outcomes, IsEmpty());
}

TEST(OutcomeTagsTest, LabelsOfAnotherShapeAreAWarningNotALostEvent) {
  nlohmann::json body = nlohmann::json::parse(kTicketBody);
  body["ticket"].erase("labels");
  body["ticket"]["labels"] = {{"cse-outcome-p8-restored", true}};
  // `tags` maps the same pointer: give it a default so only outcome_tags
  // reads the object.
  const std::string yaml = absl::StrReplaceAll(
      kMappings, {{"tags: {pointer: /ticket/labels, default_value: \"\"}",
                   "tags: {pointer: /ticket/tags, default_value: \"\"}"}});
  const CanonicalEvents events = MapOk(yaml, body);
  EXPECT_THAT(events.tickets, SizeIs(1));
  EXPECT_THAT(events.outcomes, IsEmpty());
  EXPECT_THAT(events.warnings,
              ElementsAre("event mapping \"ticket\": outcome_tags: "
                          "/ticket/labels is an object, expected an array of "
                          "labels or a string of labels separated by \",\"; "
                          "no outcome recorded"));

  body["ticket"]["labels"] = {"cse-outcome-p8-restored", {{"x", 1}}, 7};
  const CanonicalEvents mixed = MapOk(yaml, body);
  ASSERT_THAT(mixed.outcomes, SizeIs(1));
  EXPECT_THAT(mixed.warnings,
              ElementsAre("event mapping \"ticket\": outcome_tags: "
                          "/ticket/labels/1 is an object, not a label; "
                          "skipped"));
}

TEST(OutcomeTagsTest, RecordedByIsLeftEmptyWhenTheDeliveryDoesNotSay) {
  nlohmann::json body = nlohmann::json::parse(kTicketBody);
  body.erase("actor");
  const CanonicalEvents events = MapOk(kMappings, body);
  ASSERT_THAT(events.outcomes, SizeIs(1));
  EXPECT_EQ(events.outcomes[0].recorded_by(), "");
}

TEST(OutcomeTagsTest, TheSameLabelOnALaterUpdateIsTheSameOutcome) {
  nlohmann::json later = nlohmann::json::parse(kTicketBody);
  later["ticket"]["updated_at"] = "2025-03-05T08:00:00Z";
  later["ticket"]["labels"] = {"cse_outcome_p8_restored"};
  const CanonicalEvents first =
      MapOk(kMappings, nlohmann::json::parse(kTicketBody));
  const CanonicalEvents second = MapOk(kMappings, later);
  ASSERT_THAT(first.outcomes, SizeIs(1));
  ASSERT_THAT(second.outcomes, SizeIs(1));
  EXPECT_NE(first.tickets[0].event_id(), second.tickets[0].event_id());
  EXPECT_EQ(second.outcomes[0].outcome_id(),
            "helpdesk:ticket/42:cse-outcome-p8-restored");
  EXPECT_EQ(first.outcomes[0].outcome_id(), second.outcomes[0].outcome_id());
}

TEST(OutcomeTagsTest, ARejectedEventRecordsNoOutcome) {
  nlohmann::json body = nlohmann::json::parse(kTicketBody);
  body["ticket"].erase("org_id");
  absl::StatusOr<CanonicalEvents> events =
      CompileOk(kMappings).Map(body, HttpHeaders(), "helpdesk");
  EXPECT_THAT(events,
              ::cse::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("fields.account.id")));
}

// ---- Load-time validation -------------------------------------------------

TEST(OutcomeTagsTest, ConfigurationErrorsNameTheField) {
  EXPECT_THAT(
      Validate(std::string(kAuth) + R"(
event_mappings:
  - name: t
    emit: ticket_event
    fields:
      event_id: {pointer: /id}
      ticket_id: {pointer: /t}
      account.id: {pointer: /a}
      kind: {constant: updated}
    outcome_tags:
      pointer: labels
      item_pointer: "/a~2"
      separator: "--------->"
      recorded_by: {template: "{who}"}
  - name: m
    emit: meeting_event
    fields:
      event_id: {pointer: /id}
      meeting_id: {pointer: /m}
      account.id: {pointer: /a}
    outcome_tags: {separator: ";", recorded_by: {}}
  - name: skip
    emit: ignore
    outcome_tags: {pointer: /labels}
)"),
      ElementsAre(
          "crms[0].generic_webhook.event_mappings[0].outcome_tags.pointer: "
          "invalid JSON Pointer \"labels\" (must start with '/')",
          AllOf(HasSubstr("event_mappings[0].outcome_tags.item_pointer: "
                          "invalid JSON Pointer \"/a~2\"")),
          "crms[0].generic_webhook.event_mappings[0].outcome_tags.separator: "
          "at most 8 bytes, got 10",
          HasSubstr("event_mappings[0].outcome_tags.recorded_by.template: "
                    "unknown placeholder {who}"),
          "crms[0].generic_webhook.event_mappings[1].outcome_tags.pointer: "
          "required: the JSON Pointer to the labels of the ticket or "
          "meeting, e.g. /labels",
          "crms[0].generic_webhook.event_mappings[1].outcome_tags."
          "recorded_by: one of pointer or template is required",
          "crms[0].generic_webhook.event_mappings[2].outcome_tags: not used "
          "with emit: ignore; outcome tags are recorded for the ticket or "
          "meeting an event names"));
}

TEST(OutcomeTagsTest, ValidConfigurationHasNoErrors) {
  EXPECT_THAT(Validate(std::string(kAuth) + kMappings), IsEmpty());
}

TEST(OutcomeTagsTest, LoadErrorsCarryFileLineAndColumn) {
  // As cse-adapter --validate-config reports them: the adapter file parsed
  // with its source map, the factory's errors located in it.
  const std::string yaml = R"(crms:
  - name: helpdesk
    generic_webhook:
      shared_token: {header: X-Token, token: {env: T}}
      event_mappings:
        - name: t
          emit: ticket_event
          fields:
            event_id: {pointer: /id}
            ticket_id: {pointer: /t}
            account.id: {pointer: /a}
            kind: {constant: updated}
          outcome_tags:
            pointer: labels
)";
  AdapterConfig config;
  config::ProtoYamlParse parsed =
      config::ParseYamlIntoMessage(yaml, "adapter.yaml", 1 << 20, &config);
  ASSERT_THAT(parsed.errors, IsEmpty());
  std::vector<config::ConfigError> errors =
      NewGenericWebhookAdapterFactory()->Validate(config.crms(0),
                                                  "crms[0].generic_webhook");
  config::LocateErrors(&errors, parsed.source_map, "adapter.yaml");
  // Line 14, column 13: where the `pointer:` key is written.
  EXPECT_THAT(ErrorStrings(errors),
              ElementsAre("adapter.yaml:14:13: crms[0].generic_webhook."
                          "event_mappings[0].outcome_tags.pointer: invalid "
                          "JSON Pointer \"labels\" (must start with '/')"));
}

}  // namespace
}  // namespace cse::adapters::generic_webhook
