// Load-time validation: every problem with its field path, precise enough
// to fix without reading the code.
#include "adapters/generic_webhook/factory.h"
#include "adapters/generic_webhook/generic_webhook_adapter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/generic_webhook/test_util.h"

namespace cse::adapters::generic_webhook {
namespace {

using ::cse::adapters::v1::CrmConfig;
using ::cse::adapters::v1::GenericWebhookConfig;
using ::cse::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using testing::ErrorStrings;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ParseYaml;

constexpr char kPath[] = "crms[3].generic_webhook";

// A small valid configuration; tests append or replace parts of it.
constexpr char kAuth[] = R"(
shared_token: {header: X-Token, token: {env: T}}
)";
constexpr char kTicketMapping[] = R"(
event_mappings:
  - name: created
    when: [{pointer: /event, equals: created}]
    emit: ticket_event
    fields:
      event_id: {pointer: /id}
      ticket_id: {pointer: /ticket/id}
      account.id: {pointer: /org/id}
      kind: {constant: created}
)";

std::vector<std::string> Validate(const std::string& yaml) {
  return ErrorStrings(ValidateGenericWebhookConfig(
      ParseYaml<GenericWebhookConfig>(yaml), kPath));
}

TEST(ConfigValidationTest, MinimalConfigIsValid) {
  EXPECT_THAT(Validate(std::string(kAuth) + kTicketMapping), IsEmpty());
}

TEST(ConfigValidationTest, BadPointerNamesFieldAndReason) {
  EXPECT_THAT(
      Validate(std::string(kAuth) + kTicketMapping +
               "      subject: {pointer: subject}\n"),
      ElementsAre("crms[3].generic_webhook.event_mappings[0].fields.subject."
                  "pointer: invalid JSON Pointer \"subject\" (must start "
                  "with '/')"));
}

TEST(ConfigValidationTest, UnknownFieldListsKnownOnes) {
  EXPECT_THAT(Validate(std::string(kAuth) + kTicketMapping +
                       "      subjct: {pointer: /s}\n"),
              ElementsAre(AllOf(
                  HasSubstr("event_mappings[0].fields.subjct: unknown field "
                            "\"subjct\"; known: event_id, ticket_id"),
                  HasSubstr("custom_fields.<key>"))));
}

TEST(ConfigValidationTest, RequiredFieldsMustBeMapped) {
  EXPECT_THAT(Validate(std::string(kAuth) + R"(
event_mappings:
  - name: m
    emit: meeting_event
    fields:
      event_id: {pointer: /id}
)"),
              ElementsAre(HasSubstr("event_mappings[0].fields: \"meeting_id\" "
                                    "is required"),
                          HasSubstr("event_mappings[0].fields: \"account.id\" "
                                    "is required")));
}

TEST(ConfigValidationTest, TemplatePlaceholdersMustBePointersOrHeaders) {
  EXPECT_THAT(
      Validate(std::string(kAuth) + kTicketMapping +
               "      subject: {template: \"{/a}-{id}\"}\n"),
      ElementsAre(HasSubstr(
          "fields.subject.template: unknown placeholder {id} (inbound "
          "templates take JSON Pointers such as {/id} and {header:NAME})")));
  EXPECT_THAT(Validate(std::string(kAuth) + kTicketMapping +
                       "      subject: {template: \"{/a~x}\"}\n"),
              ElementsAre(HasSubstr("fields.subject.template: placeholder "
                                    "{/a~x}: invalid JSON Pointer")));
  EXPECT_THAT(Validate(std::string(kAuth) + kTicketMapping +
                       "      subject: {template: \"{header:X-Id}\"}\n"),
              IsEmpty());
}

TEST(ConfigValidationTest, TypedLiteralsAreChecked) {
  EXPECT_THAT(
      Validate(std::string(kAuth) + R"(
event_mappings:
  - name: created
    emit: ticket_event
    fields:
      event_id: {pointer: /id}
      ticket_id: {pointer: /ticket/id}
      account.id: {pointer: /org/id, default_value: ""}
      kind:
        pointer: /type
        value_map: {new: created, note: comment}
      sla_breached: {pointer: /sla, default_value: perhaps}
      occurred_at: {pointer: /at}
)"),
      ElementsAre(
          HasSubstr("fields.account.id.default_value: account.id is an id; "
                    "an empty default would be refused as missing"),
          HasSubstr("fields.kind.value_map.note: not a valid value for kind: "
                    "\"comment\" is not one of: created, updated, "
                    "commented, status_changed, reopened, "
                    "satisfaction_rated"),
          HasSubstr("fields.occurred_at.time_format: required for a time"),
          HasSubstr("fields.sla_breached.default_value: not a valid value "
                    "for sla_breached: expected a boolean")));
}

TEST(ConfigValidationTest, ConditionsNeedExactlyOneTest) {
  EXPECT_THAT(Validate(std::string(kAuth) + R"(
event_mappings:
  - name: x
    when:
      - {pointer: /a, equals: "1", present: true}
      - {equals: "1"}
    emit: ignore
)"),
              ElementsAre(HasSubstr("event_mappings[0].when[0]: exactly one "
                                    "of equals, equals_any or present is "
                                    "required (2 given)"),
                          HasSubstr("event_mappings[0].when[1]: one of "
                                    "pointer or header is required")));
}

TEST(ConfigValidationTest, MappingNamesAndEmit) {
  EXPECT_THAT(
      Validate(std::string(kAuth) + R"(
event_mappings:
  - {name: a, emit: ignore}
  - {name: a, emit: ignore}
  - {name: b}
  - name: c
    emit: ignore
    fields: {subject: {pointer: /s}}
)"),
      ElementsAre(HasSubstr("event_mappings[1].name: \"a\" is "
                            "already the name of "
                            "crms[3].generic_webhook.event_mappings[0]"),
                  HasSubstr("event_mappings[2].emit: required: "
                            "ticket_event, meeting_event or ignore"),
                  HasSubstr("event_mappings[3].fields: not used with "
                            "emit: ignore")));
}

TEST(ConfigValidationTest, AuthenticationIsRequiredAndChecked) {
  EXPECT_THAT(Validate(kTicketMapping),
              ElementsAre("crms[3].generic_webhook: one of signature, "
                          "shared_token or insecure_unauthenticated is "
                          "required"));
  EXPECT_THAT(Validate(std::string("insecure_unauthenticated: false\n") +
                       kTicketMapping),
              ElementsAre(HasSubstr("insecure_unauthenticated: must be true")));
  EXPECT_THAT(
      Validate(std::string(R"(
signature:
  header: "X Sig"
  signed_content: "{timestamp}.{bdy}"
  max_age_seconds: 100000
)") + kTicketMapping),
      ElementsAre(HasSubstr("signature.header: \"X Sig\" is not a valid "
                            "header name"),
                  HasSubstr("signature.secret: required: env or file"),
                  HasSubstr("signature.algorithm: required: sha256 or sha1"),
                  HasSubstr("signature.encoding: required: hex or base64"),
                  HasSubstr("signature.signed_content: unknown placeholder "
                            "{bdy}"),
                  HasSubstr("signature.signed_content: must contain {body}"),
                  HasSubstr("signature.timestamp_header: required when "
                            "signed_content uses {timestamp}"),
                  HasSubstr("signature.max_age_seconds: at most 86400")));
}

// The writeback part of a config, with `call` as the note request.
std::string WithNote(const std::string& note) {
  return std::string(kAuth) + kTicketMapping + R"(
writeback:
  base_url: https://crm.example.com
  headers: {Authorization: "Bearer {secret.token}"}
  secrets: {token: {env: TOKEN}}
  note:
)" + note;
}

TEST(ConfigValidationTest, WritebackNoteIsValid) {
  EXPECT_THAT(Validate(WithNote(R"(
    marker_check: {method: GET, url: "/tickets/{object_id}/notes"}
    request:
      method: POST
      url: "/tickets/{object_id}/notes"
      body_format: json
      body: '{"text": "{note_markdown}\n{marker}", "tags": {marker_json}}'
)")),
              IsEmpty());
}

TEST(ConfigValidationTest, UnknownWritebackPlaceholderListsKnownOnes) {
  EXPECT_THAT(
      Validate(WithNote(R"(
    marker_check: {method: GET, url: "/tickets/{object_id}/notes"}
    request:
      method: POST
      url: "/tickets/{ticket_id}/notes"
      body_format: json
      body: '{"text": "{note_markdown} {marker}"}'
)")),
      ElementsAre(
          "crms[3].generic_webhook.writeback.note.request.url: unknown "
          "placeholder {ticket_id}; known here: {account_id}, {event_id}, "
          "{idempotency_key}, {job_id}, {marker}, {note_markdown}, "
          "{object_id}, {object_kind}, {target_system} (string ones also as "
          "{NAME_json}), {secret.NAME}"));
}

TEST(ConfigValidationTest, PlaceholdersDependOnTheAction) {
  // {phase_name} belongs to phase_field jobs, not to notes.
  EXPECT_THAT(Validate(WithNote(R"(
    marker_check: {method: GET, url: "/t/{object_id}/notes?q={marker}"}
    request:
      method: POST
      url: "/t/{object_id}/notes"
      body_format: text
      body: "{phase_name} {marker} {secret.nope}"
)")),
              ElementsAre(HasSubstr("note.request.body: unknown placeholder "
                                    "{phase_name}"),
                          HasSubstr("note.request.body: unknown secret "
                                    "{secret.nope}; writeback.secrets "
                                    "defines: token")));
}

TEST(ConfigValidationTest, JsonBodyMustStayJson) {
  EXPECT_THAT(Validate(WithNote(R"(
    marker_check: {method: GET, url: "/t/{object_id}/notes"}
    request:
      method: POST
      url: "/t/{object_id}/notes"
      body_format: json
      body: '{"text": {note_markdown}, "m": "{marker}"}'
)")),
              ElementsAre(HasSubstr("note.request.body: not valid JSON once "
                                    "its placeholders are filled")));
}

TEST(ConfigValidationTest, NoteNeedsAWayToStayIdempotent) {
  EXPECT_THAT(Validate(WithNote(R"(
    request:
      method: POST
      url: "/t/{object_id}/notes"
      body_format: json
      body: '{"text": "{note_markdown}"}'
)")),
              ElementsAre(HasSubstr("note.marker_check: required (or send "
                                    "{idempotency_key} in a header")));
  EXPECT_THAT(Validate(WithNote(R"(
    marker_check: {method: GET, url: "/t/{object_id}/notes"}
    request:
      method: POST
      url: "/t/{object_id}/notes"
      body_format: json
      body: '{"text": "{note_markdown}"}'
)")),
              ElementsAre(HasSubstr("note.request.body: must contain "
                                    "{marker}")));
  EXPECT_THAT(Validate(WithNote(R"(
    request:
      method: POST
      url: "/t/{object_id}/notes"
      headers: {Idempotency-Key: "{idempotency_key}"}
      body_format: json
      body: '{"text": "{note_markdown}"}'
)")),
              IsEmpty());
}

TEST(ConfigValidationTest, UrlsAndMethods) {
  EXPECT_THAT(
      Validate(std::string(kAuth) + kTicketMapping + R"(
writeback:
  phase_field:
    request:
      method: FETCH
      url: "https://{phase_field}.example.com/x"
  tags:
    request: {method: POST, url: "/tags", body: "{tags_csv}"}
  note:
    request: {method: POST, url: "ftp://x/{object_id}", headers: {Idempotency-Key: "{idempotency_key}"}}
)"),
      ElementsAre(
          HasSubstr("writeback.tags.request.url: a path needs "
                    "writeback.base_url"),
          HasSubstr("writeback.tags.request.body_format: required with a "
                    "body"),
          HasSubstr("writeback.note.request.url: \"ftp://x/{object_id}\" "
                    "must start with https://, http:// or '/'"),
          HasSubstr("writeback.phase_field.request.method: \"FETCH\" is not "
                    "one of GET, POST, PUT, PATCH, DELETE"),
          HasSubstr("writeback.phase_field.request.url: the scheme and host "
                    "must be literal")));
}

TEST(ConfigValidationTest, AllTagsNeedsExistingTags) {
  EXPECT_THAT(Validate(std::string(kAuth) + kTicketMapping + R"(
writeback:
  tags:
    request:
      method: POST
      url: "https://crm.example.com/t/{object_id}/labels"
      body_format: json
      body: '{"labels": {all_tags_json}}'
)"),
              ElementsAre(HasSubstr("writeback.tags.existing_tags: required "
                                    "when the request uses "
                                    "{all_tags_json}")));
}

TEST(ConfigValidationTest, FactoryValidatesAndRefusesToCreateInvalidConfigs) {
  std::unique_ptr<CrmAdapterFactory> factory =
      NewGenericWebhookAdapterFactory();
  EXPECT_EQ(factory->kind(), "generic_webhook");
  CrmConfig crm = ParseYaml<CrmConfig>(R"(
name: helpdesk
generic_webhook:
  event_mappings: [{name: x, emit: ignore}]
)");
  EXPECT_THAT(ErrorStrings(factory->Validate(crm, kPath)),
              ElementsAre(HasSubstr("crms[3].generic_webhook: one of "
                                    "signature, shared_token or "
                                    "insecure_unauthenticated is required")));
  testing::FakeSecretReader secrets;
  AdapterContext context;
  context.secrets = &secrets;
  EXPECT_THAT(factory->Create(crm, context),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("one of signature, shared_token")));
}

TEST(ConfigValidationTest, CreateNamesAnUnreadableSecret) {
  std::unique_ptr<CrmAdapterFactory> factory =
      NewGenericWebhookAdapterFactory();
  CrmConfig crm = ParseYaml<CrmConfig>(R"(
name: helpdesk
generic_webhook:
  shared_token: {header: X-Token, token: {env: HELPDESK_TOKEN}}
  event_mappings: [{name: x, emit: ignore}]
)");
  testing::FakeSecretReader secrets;
  AdapterContext context;
  context.secrets = &secrets;
  EXPECT_THAT(factory->Create(crm, context),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("shared_token.token.env: environment "
                                 "variable HELPDESK_TOKEN is not set")));
  secrets.Set("HELPDESK_TOKEN", "t");
  absl::StatusOr<std::unique_ptr<CrmAdapter>> adapter =
      factory->Create(crm, context);
  ASSERT_TRUE(adapter.ok()) << adapter.status();
  EXPECT_EQ((*adapter)->name(), "helpdesk");
  EXPECT_THAT((*adapter)->accepted_content_types(),
              ElementsAre("application/json"));
}

}  // namespace
}  // namespace cse::adapters::generic_webhook
