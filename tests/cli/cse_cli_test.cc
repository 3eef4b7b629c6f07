// Runs the built `cse` binary as a subprocess: exit codes, what it prints,
// and --server against the real sidecar server started in this process.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cse/v1/journey_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/cli/subprocess.h"
#include "tests/cli/tiny_mapping.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_sidecar.h"

#ifndef CSE_CLI_BINARY
#error "CSE_CLI_BINARY must name the cse binary"
#endif

namespace cse::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

ProcessResult Cse(std::vector<std::string> args,
                  const std::string& stdin_text = "") {
  args.insert(args.begin(), CSE_CLI_BINARY);
  return RunProcess(args, stdin_text);
}

class CseCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mapping_ = dir_.WriteFile("tiny.yaml", kTinyMappingYaml);
  }

  TempDir dir_;
  std::string mapping_;
};

TEST_F(CseCliTest, ValidateGoodFileSaysOk) {
  ProcessResult r = Cse({"validate", mapping_});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              AllOf(StartsWith(absl::StrCat(mapping_, ": OK (version tiny-1@")),
                    HasSubstr("2 phases, 1 detectors, 3 patterns)")));
}

TEST_F(CseCliTest, ValidateBrokenFileNamesFileLineAndField) {
  const std::string broken = dir_.WriteFile("broken.yaml", kBrokenMappingYaml);
  ProcessResult r = Cse({"validate", mapping_, broken});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat(mapping_, ": OK")));
  // The unknown key is on line 5, column 3.
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat(broken, ":5:3: phase_model")));
  EXPECT_THAT(r.out, HasSubstr("nmae"));
}

TEST_F(CseCliTest, ValidateMissingFileFails) {
  ProcessResult r = Cse({"validate", dir_.Path("nope.yaml")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, HasSubstr("nope.yaml"));
}

TEST_F(CseCliTest, AssessTextPrintsPhaseLine) {
  ProcessResult r = Cse({"assess", "--config", mapping_, "--text",
                         "The export is broken and the site is down"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Phase: Using (2, using) confidence"));
  EXPECT_THAT(r.out, HasSubstr("decided by text signals"));
  EXPECT_THAT(r.out, HasSubstr("sig_broken"));
  EXPECT_THAT(r.out, HasSubstr("Outage (outage), negative"));
  EXPECT_THAT(r.out, HasSubstr("1. Stabilise the situation (P2)  ad hoc · "
                               "reactive → restores CSE"));
  EXPECT_THAT(r.out, HasSubstr("Mapping version: tiny-1@"));
  EXPECT_THAT(r.out, Not(HasSubstr("\033[")));  // NO_COLOR, not a TTY
}

TEST_F(CseCliTest, AssessWithBuiltinDefaultMapping) {
  ProcessResult r =
      Cse({"assess", "--text",
           "Our export has been down since this morning, nobody can work."});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Phase: "));
  EXPECT_THAT(r.out, HasSubstr("Suggested practices"));
}

TEST_F(CseCliTest, AssessJsonParsesBackAsAssessResponse) {
  ProcessResult r = Cse({"assess", "--config", mapping_, "--json", "--text",
                         "Can you send a quote?"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  cse::v1::AssessResponse response;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(r.out, &response, options)
          .ok())
      << r.out;
  EXPECT_EQ(response.assessment().phase().id(), "buying");
  EXPECT_EQ(response.assessment().suggestions(0).practice_id(), "P1");
  EXPECT_THAT(r.out, HasSubstr("\"mappingVersion\""));  // lowerCamelCase
}

TEST_F(CseCliTest, AssessReadsWrappedBareAndStdinEvents) {
  const std::string wrapped =
      dir_.WriteFile("wrapped.json",
                     R"({"ticket": {"subject": "Contract", "type": "contract",
          "kind": "TICKET_EVENT_KIND_CREATED", "body": "it is broken"}})");
  ProcessResult r = Cse({"assess", "--config", mapping_, wrapped});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The field rule beats the text ("broken" points to using, score 2).
  EXPECT_THAT(r.out, HasSubstr("(1, buying) confidence 0.70, decided by "
                               "field rule"));

  const std::string bare = dir_.WriteFile(
      "bare.json", R"({"title": "Status", "notes": "the pump is broken"})");
  r = Cse({"assess", "--config", mapping_, "--kind", "meeting", bare});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("(2, using)"));

  r = Cse({"assess", "--config", mapping_, bare});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("--kind"));

  r = Cse({"assess", "--config", mapping_, "--kind", "meeting", "-"},
          R"({"notes": "we want a quote"})");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("(1, buying)"));
}

TEST_F(CseCliTest, BadJsonFileExitsOneWithParseError) {
  const std::string bad =
      dir_.WriteFile("bad.json", "{\"ticket\": {\"body\": \"x\",}\n");
  ProcessResult r = Cse({"assess", "--config", mapping_, bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err,
              AllOf(HasSubstr(absl::StrCat("error: ", bad, ": invalid JSON: ")),
                    HasSubstr("line 1, column")));
  EXPECT_EQ(r.out, "");
}

TEST_F(CseCliTest, UnknownJsonFieldIsRejectedByName) {
  const std::string bad =
      dir_.WriteFile("unknown.json", R"({"ticket": {"bodyy": "x"}})");
  ProcessResult r = Cse({"assess", "--config", mapping_, bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("bodyy"));
}

TEST_F(CseCliTest, InvalidUtf8TextNamesTheField) {
  ProcessResult r =
      Cse({"assess", "--config", mapping_, "--text", "broken \xff\xfe here"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: INVALID_ARGUMENT: ticket.body: "));
  EXPECT_THAT(r.err, HasSubstr("UTF-8"));
}

TEST_F(CseCliTest, UnknownLastPhaseIsInvalidArgument) {
  ProcessResult r = Cse({"assess", "--config", mapping_, "--last-phase",
                         "nowhere", "--text", "hello"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("assume_last_phase_id: unknown phase"));
}

TEST_F(CseCliTest, LastPhaseDecidesWhenNothingElseSpeaks) {
  ProcessResult r = Cse({"assess", "--config", mapping_, "--last-phase",
                         "using", "--text", "hello there"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("decided by account history"));
}

TEST_F(CseCliTest, ExplainGroupsTracesAndShowsTheRanking) {
  ProcessResult r = Cse({"explain", "--config", mapping_, "--text",
                         "a quote, but it is broken and down"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Field rules\n  none fired or nearly fired"));
  EXPECT_THAT(r.out, HasSubstr("Phase signals"));
  // A tie between the phases goes to model order: buying.
  EXPECT_THAT(r.out, HasSubstr("buying: total 2.00 (1 signal)\n"
                               "    +2.00  sig_quote  body[2..7]"));
  EXPECT_THAT(r.out, HasSubstr("using: total 2.00 (1 signal)"));
  EXPECT_THAT(r.out, HasSubstr("Phase: Buying (1, buying)"));
  EXPECT_THAT(r.out, HasSubstr("fired      outage: text pattern ce_down"));
  EXPECT_THAT(r.out, HasSubstr("Practice ranking"));
  // P2 in buying with the outage: 0.5 × (1 + 2) × 1, ahead of P1.
  EXPECT_THAT(r.out, HasSubstr("1. P2    Stabilise the situation"));
  EXPECT_THAT(r.out, HasSubstr("1.500 = 0.50 × 3.00 × 1.00"));
  EXPECT_THAT(r.out, HasSubstr("1.000 = 1.00 × 1.00 × 1.00"));
}

TEST_F(CseCliTest, ExplainShowsNearMissFieldRules) {
  // A field rule that lost to a higher one is reported as a near miss; here
  // the only rule holds, so it fires.
  const std::string event = dir_.WriteFile(
      "contract.json", R"({"ticket": {"type": "contract", "body": "hi"}})");
  ProcessResult r = Cse({"explain", "--config", mapping_, event});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("fired      rule_contract: "));
  EXPECT_THAT(r.out, HasSubstr("-> buying"));
}

TEST_F(CseCliTest, TopLimitsTheSuggestions) {
  ProcessResult r = Cse(
      {"assess", "--config", mapping_, "--top", "1", "--text", "it is broken"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1. Stabilise the situation (P2)"));
  EXPECT_THAT(r.out, Not(HasSubstr("2. ")));

  r = Cse({"assess", "--config", mapping_, "--top", "11", "--text", "x"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: INVALID_ARGUMENT: options.top_n: at "
                               "most 10"));
}

TEST_F(CseCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Cse({}).exit_code, 2);
  EXPECT_EQ(Cse({"assess", "--kind", "email", "--text", "x"}).exit_code, 2);
  EXPECT_EQ(Cse({"--help"}).exit_code, 0);
  // Neither input, or both.
  EXPECT_EQ(Cse({"assess", "--config", mapping_}).exit_code, 1);
}

TEST_F(CseCliTest, ServerModeAgreesWithInProcess) {
  auto sidecar = TestSidecar::Start(kTinyMappingYaml);
  ASSERT_TRUE(sidecar.ok()) << sidecar.status();
  const std::string server = (*sidecar)->address();

  ProcessResult remote =
      Cse({"assess", "--server", server, "--json", "--text", "it is broken"});
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  ProcessResult local =
      Cse({"assess", "--config", mapping_, "--json", "--text", "it is broken"});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  EXPECT_EQ(remote.out, local.out);

  ProcessResult explain =
      Cse({"explain", "--server", server, "--text", "it is broken"});
  ASSERT_EQ(explain.exit_code, 0) << explain.err;
  EXPECT_THAT(explain.out, HasSubstr("using: total 2.00"));
}

TEST_F(CseCliTest, ServerErrorsPrintCodeAndMessage) {
  auto sidecar = TestSidecar::Start(kTinyMappingYaml);
  ASSERT_TRUE(sidecar.ok()) << sidecar.status();
  ProcessResult r = Cse({"assess", "--server", (*sidecar)->address(),
                         "--last-phase", "nowhere", "--text", "hello"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: INVALID_ARGUMENT: "
                               "assume_last_phase_id: unknown phase"));

  // Invalid UTF-8 is caught before sending, with the server's message.
  r = Cse({"assess", "--server", (*sidecar)->address(), "--text", "x\xff"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: INVALID_ARGUMENT: ticket.body: "));
}

TEST_F(CseCliTest, ServerUnreachableIsUnavailable) {
  // Port 1 on loopback: nothing listens there (and we may not bind it).
  ProcessResult r =
      Cse({"assess", "--server", "127.0.0.1:1", "--text", "hello"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: UNAVAILABLE: "));
}

TEST_F(CseCliTest, ServerAndConfigTogetherAreRefused) {
  ProcessResult r = Cse({"assess", "--server", "127.0.0.1:1", "--config",
                         mapping_, "--text", "hello"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("--server"));
}

// Ingestable events (ids and account set) for the tiny mapping.
constexpr char kIngestTicketJson[] = R"({"ticket": {
  "source": "zendesk", "eventId": "t-1", "ticketId": "4711",
  "kind": "TICKET_EVENT_KIND_CREATED", "account": {"id": "acme"},
  "body": "The export is broken and the site is down"}})";
// A bare MeetingEvent, as `cse ingest --kind meeting` reads it.
constexpr char kIngestMeetingJson[] = R"({
  "source": "hubspot", "eventId": "m-1", "meetingId": "88120",
  "account": {"id": "globex"}, "title": "Renewal",
  "notes": "They want a quote for next year"})";

TEST_F(CseCliTest, IngestRecordsTicketAndMeetingInTheSidecarsStore) {
  auto sidecar = TestSidecar::Start(kTinyMappingYaml);
  ASSERT_TRUE(sidecar.ok()) << sidecar.status();
  const std::string server = (*sidecar)->address();

  const std::string ticket = dir_.WriteFile("ticket.json", kIngestTicketJson);
  // A dry run first, while the account has no history yet.
  ProcessResult assessed = Cse({"assess", "--server", server, ticket});
  ASSERT_EQ(assessed.exit_code, 0) << assessed.err;
  ProcessResult r = Cse({"ingest", "--server", server, ticket});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // A status line, then the assessment exactly as `cse assess` renders it.
  EXPECT_EQ(r.out, absl::StrCat("Recorded zendesk/t-1 in the journey of "
                                "account acme\n",
                                assessed.out));
  EXPECT_THAT(r.out, HasSubstr("Phase: Using (2, using) confidence"));
  EXPECT_THAT(r.out, HasSubstr("1. Stabilise the situation (P2)"));
  auto stored = (*sidecar)->store().FindAssessment("zendesk", "t-1");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE(stored->has_value());

  const std::string meeting =
      dir_.WriteFile("meeting.json", kIngestMeetingJson);
  r = Cse({"ingest", "--server", server, "--kind", "meeting", meeting});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("Recorded hubspot/m-1 in the journey of "
                                "account globex\n"));
  EXPECT_THAT(r.out, HasSubstr("(1, buying)"));
  stored = (*sidecar)->store().FindAssessment("hubspot", "m-1");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE(stored->has_value());
}

TEST_F(CseCliTest, IngestTwiceSaysDuplicateWithTheSameAssessment) {
  auto sidecar = TestSidecar::Start(kTinyMappingYaml);
  ASSERT_TRUE(sidecar.ok()) << sidecar.status();
  const std::string server = (*sidecar)->address();
  const std::string ticket = dir_.WriteFile("ticket.json", kIngestTicketJson);

  ProcessResult first = Cse({"ingest", "--server", server, ticket});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ProcessResult second = Cse({"ingest", "--server", server, ticket});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out,
              StartsWith("Duplicate: zendesk/t-1 was already ingested"));
  // Everything after the status line is the same assessment.
  const auto rest = [](const std::string& out) {
    return out.substr(out.find('\n') + 1);
  };
  EXPECT_EQ(rest(second.out), rest(first.out));

  // --json: the IngestResponse, duplicate = true, read from stdin.
  ProcessResult json =
      Cse({"ingest", "--server", server, "--json", "-"}, kIngestTicketJson);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  cse::v1::IngestResponse response;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(json.out, &response, options)
          .ok())
      << json.out;
  EXPECT_TRUE(response.duplicate());
  EXPECT_EQ(response.assessment().event_id(), "t-1");
  EXPECT_EQ(response.assessment().phase().id(), "using");
}

TEST_F(CseCliTest, IngestWithoutServerIsAUsageError) {
  const std::string ticket = dir_.WriteFile("ticket.json", kIngestTicketJson);
  ProcessResult r = Cse({"ingest", ticket});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--server HOST:PORT"));
  EXPECT_EQ(r.out, "");
}

TEST_F(CseCliTest, IngestNeedsTheIdsAndNoAssumedPhase) {
  auto sidecar = TestSidecar::Start(kTinyMappingYaml);
  ASSERT_TRUE(sidecar.ok()) << sidecar.status();
  const std::string server = (*sidecar)->address();

  const std::string no_id = dir_.WriteFile(
      "no-id.json", R"({"ticket": {"source": "zendesk", "body": "broken"}})");
  ProcessResult r = Cse({"ingest", "--server", server, no_id});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: INVALID_ARGUMENT: event.event_id: "));

  const std::string assumed = dir_.WriteFile(
      "assumed.json",
      R"({"ticket": {"source": "zendesk", "eventId": "t-9", "ticketId": "1",
          "kind": "TICKET_EVENT_KIND_CREATED", "account": {"id": "acme"}},
          "assumeLastPhaseId": "using"})");
  r = Cse({"ingest", "--server", server, assumed});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("assumeLastPhaseId"));
  auto stored = (*sidecar)->store().FindAssessment("zendesk", "t-9");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_FALSE(stored->has_value());
}

}  // namespace
}  // namespace cse::testing
