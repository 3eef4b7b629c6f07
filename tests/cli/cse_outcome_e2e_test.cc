// `cse outcome --server` end to end: the real sidecar server in-process
// (TestSidecar) on the builtin mapping, an event ingested through its API,
// and the `cse` binary run as a subprocess to record outcomes.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/config/builtin_mappings.h"
#include "tests/cli/subprocess.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_sidecar.h"

namespace cse::testing {
namespace {

using ::testing::HasSubstr;

ProcessResult Cse(std::vector<std::string> args) {
  args.insert(args.begin(), CSE_CLI_BINARY);
  return RunProcess(args);
}

class CseOutcomeE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string_view yaml = config::BuiltinMappingYaml("default");
    auto started =
        TestSidecar::Start(absl::string_view(yaml.data(), yaml.size()));
    ASSERT_THAT(started, IsOk());
    sidecar_ = *std::move(started);
    // An outage report on 1 January 2026: the sidecar suggests practices.
    cse::v1::IngestTicketRequest request;
    cse::v1::TicketEvent* e = request.mutable_event();
    e->set_source("zendesk");
    e->set_event_id("e1");
    e->set_ticket_id("42");
    e->mutable_account()->set_id("acme");
    e->set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
    e->set_subject("Portal down");
    e->set_body("Since go-live the portal is down and we are losing orders.");
    e->mutable_occurred_at()->set_seconds(1767225600);
    cse::v1::IngestResponse response;
    ASSERT_THAT(sidecar_->journey().IngestTicket(ContextWithDeadline().get(),
                                                 request, &response),
                GrpcIsOk());
    ASSERT_GT(response.assessment().suggestions_size(), 0);
    top_ = response.assessment().suggestions(0);
  }

  cse::v1::AccountJourney Journey() {
    cse::v1::GetAccountJourneyRequest request;
    request.set_account_id("acme");
    cse::v1::GetAccountJourneyResponse response;
    EXPECT_THAT(sidecar_->journey().GetAccountJourney(
                    ContextWithDeadline().get(), request, &response),
                GrpcIsOk());
    return response.journey();
  }

  std::unique_ptr<TestSidecar> sidecar_;
  cse::v1::PracticeSuggestion top_;
};

TEST_F(CseOutcomeE2eTest, FollowsTheLatestSuggestionAndTakesItsMode) {
  ProcessResult r =
      Cse({"outcome", "--server", sidecar_->address(), "--account", "acme",
           "--practice", top_.practice_id(), "--reaction", "restored",
           "--follow-latest", "--occurred-at", "2026-01-02T09:00:00Z", "--by",
           "jane", "--description", "patched the portal, called IT"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("Recorded outcome ")));
  EXPECT_THAT(r.out,
              HasSubstr("follows the suggestion of event (zendesk, e1)"));

  const cse::v1::AccountJourney journey = Journey();
  ASSERT_EQ(journey.outcomes_size(), 1);
  const cse::v1::Outcome& o = journey.outcomes(0);
  EXPECT_EQ(o.practice_id(), top_.practice_id());
  EXPECT_EQ(o.organization(), top_.organization());
  EXPECT_EQ(o.engagement(), top_.engagement());
  EXPECT_EQ(o.reaction(), cse::v1::CUSTOMER_REACTION_RESTORED);
  EXPECT_EQ(o.event_id(), "e1");
  EXPECT_EQ(o.recorded_by(), "jane");
  EXPECT_EQ(o.occurred_at().seconds(), 1767344400);
}

// A quarter's review: `cse circumplex --since/--until` counts the outcomes
// of that window and says so.
TEST_F(CseOutcomeE2eTest, CircumplexOfAWindowCountsOnlyItsOutcomes) {
  for (const char* at : {"2026-01-02T09:00:00Z", "2026-04-02T09:00:00Z"}) {
    ProcessResult r =
        Cse({"outcome", "--server", sidecar_->address(), "--account", "acme",
             "--practice", top_.practice_id(), "--reaction", "restored",
             "--follow-latest", "--occurred-at", at});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  ProcessResult q1 =
      Cse({"circumplex", "--server", sidecar_->address(), "--since",
           "2026-01-01", "--until", "2026-04-01", "--json"});
  ASSERT_EQ(q1.exit_code, 0) << q1.err;
  EXPECT_THAT(q1.out, HasSubstr("\"count\": 1"));
  EXPECT_THAT(q1.out, HasSubstr("\"since\": \"2026-01-01T00:00:00Z\""));
  ProcessResult all =
      Cse({"circumplex", "--server", sidecar_->address(), "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_THAT(all.out, HasSubstr("\"count\": 2"));
  ProcessResult table = Cse({"circumplex", "--server", sidecar_->address(),
                             "--since", "2026-01-01", "--until", "2026-04-01"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("2026-01-01 to 2026-04-01"));
  ProcessResult bad = Cse({"circumplex", "--server", sidecar_->address(),
                           "--since", "last quarter"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("--since: \"last quarter\" is not a date"));
}

TEST_F(CseOutcomeE2eTest, TheSameIdIsRecordedOnce) {
  const std::vector<std::string> args = {"outcome",
                                         "--server",
                                         sidecar_->address(),
                                         "--account",
                                         "acme",
                                         "--practice",
                                         "P9",
                                         "--reaction",
                                         "bolstered",
                                         "--organization",
                                         "ad-hoc",
                                         "--engagement",
                                         "proactive",
                                         "--id",
                                         "debrief-2026-01-05"};
  ProcessResult first = Cse(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("applied on the team's own initiative"));
  ProcessResult again = Cse(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("Already recorded outcome "
                                   "debrief-2026-01-05"));
  EXPECT_EQ(Journey().outcomes_size(), 1);
}

TEST_F(CseOutcomeE2eTest, MistakesAreClearAndRecordNothing) {
  // No mode and nothing followed to take it from: the sidecar says so.
  ProcessResult no_mode =
      Cse({"outcome", "--server", sidecar_->address(), "--account", "acme",
           "--practice", "P2", "--reaction", "bolstered"});
  EXPECT_EQ(no_mode.exit_code, 1);
  EXPECT_THAT(no_mode.err,
              HasSubstr("INVALID_ARGUMENT: organization: required (no "
                        "followed suggestion of P2 to take it from)"));
  ProcessResult bad_reaction =
      Cse({"outcome", "--server", sidecar_->address(), "--account", "acme",
           "--practice", "P2", "--reaction", "happy"});
  EXPECT_EQ(bad_reaction.exit_code, 2);
  EXPECT_THAT(bad_reaction.err, HasSubstr("--reaction"));
  ProcessResult bad_time = Cse(
      {"outcome", "--server", sidecar_->address(), "--account", "acme",
       "--practice", "P2", "--reaction", "bolstered", "--organization",
       "regular", "--engagement", "proactive", "--occurred-at", "yesterday"});
  EXPECT_EQ(bad_time.exit_code, 1);
  EXPECT_THAT(bad_time.err,
              HasSubstr("--occurred-at: \"yesterday\" is not an RFC 3339"));
  ProcessResult half_event = Cse(
      {"outcome", "--server", sidecar_->address(), "--account", "acme",
       "--practice", "P2", "--reaction", "bolstered", "--source", "zendesk"});
  EXPECT_EQ(half_event.exit_code, 2);
  ProcessResult no_server = Cse({"outcome", "--account", "acme", "--practice",
                                 "P2", "--reaction", "bolstered"});
  EXPECT_EQ(no_server.exit_code, 2);
  EXPECT_THAT(no_server.err, HasSubstr("--server"));
  EXPECT_EQ(Journey().outcomes_size(), 0);
}

}  // namespace
}  // namespace cse::testing
