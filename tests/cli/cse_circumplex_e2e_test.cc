// `cse circumplex --server` end to end: the real sidecar server in-process
// (TestSidecar), outcomes recorded through its RecordOutcome RPC, and the
// `cse` binary run as a subprocess to render the report.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/subprocess.h"
#include "tests/cli/tiny_mapping.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_sidecar.h"

namespace cse::testing {
namespace {

using ::testing::HasSubstr;

ProcessResult Cse(std::vector<std::string> args) {
  args.insert(args.begin(), CSE_CLI_BINARY);
  return RunProcess(args);
}

class CseCircumplexE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mapping_ = dir_.WriteFile("tiny.yaml", kTinyMappingYaml);
    auto started = TestSidecar::Start(kTinyMappingYaml);
    ASSERT_THAT(started, IsOk());
    sidecar_ = *std::move(started);
  }

  void Record(const std::string& account, const std::string& practice,
              const std::string& phase,
              cse::v1::ModeOfOrganization organization,
              cse::v1::ModeOfEngagement engagement, int times) {
    cse::v1::RecordOutcomeRequest request;
    request.set_account_id(account);
    request.set_practice_id(practice);
    request.set_phase_id(phase);
    request.set_organization(organization);
    request.set_engagement(engagement);
    request.set_reaction(cse::v1::CUSTOMER_REACTION_RESTORED);
    for (int i = 0; i < times; ++i) {
      cse::v1::RecordOutcomeResponse response;
      ASSERT_THAT(sidecar_->journey().RecordOutcome(ContextWithDeadline().get(),
                                                    request, &response),
                  GrpcIsOk());
    }
  }

  TempDir dir_;
  std::string mapping_;
  std::unique_ptr<TestSidecar> sidecar_;
};

TEST_F(CseCircumplexE2eTest, RendersTheServersReportOfRecordedOutcomes) {
  Record("acme", "P2", "using", cse::v1::MODE_OF_ORGANIZATION_REGULAR,
         cse::v1::MODE_OF_ENGAGEMENT_REACTIVE, 3);
  Record("globex", "P1", "buying", cse::v1::MODE_OF_ORGANIZATION_AD_HOC,
         cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE, 1);

  ProcessResult table = Cse(
      {"circumplex", "--server", sidecar_->address(), "--config", mapping_});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("Stabilise the situation (P2)"));
  EXPECT_THAT(table.out, HasSubstr("Provide constructive advice (P1)"));
  EXPECT_THAT(table.out, HasSubstr("Restoring 3 (75%)"));
  EXPECT_THAT(table.out, HasSubstr("bolstering 1 (25%)"));

  ProcessResult json = Cse({"circumplex", "--server", sidecar_->address(),
                            "--account", "acme", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"accountId\": \"acme\""));
  EXPECT_THAT(json.out, HasSubstr("\"restoringCount\": 3"));
  EXPECT_THAT(json.out, HasSubstr("\"recurrence\": \"RECURRENCE_FREQUENTLY\""));
  EXPECT_THAT(json.out, HasSubstr("\"phaseId\": \"using\""));
}

TEST_F(CseCircumplexE2eTest, TheSuggestedBasisCountsIngestedSuggestions) {
  ProcessResult empty = Cse({"circumplex", "--server", sidecar_->address(),
                             "--config", mapping_, "--basis", "suggested"});
  ASSERT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_THAT(empty.out, HasSubstr("No practices recorded."));

  cse::v1::IngestTicketRequest request;
  cse::v1::TicketEvent* t = request.mutable_event();
  t->set_source("zendesk");
  t->set_event_id("e-1");
  t->set_ticket_id("T-1");
  t->mutable_account()->set_id("acme");
  t->set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
  t->set_body("The export is down, it is broken.");
  cse::v1::IngestResponse response;
  ASSERT_THAT(sidecar_->journey().IngestTicket(ContextWithDeadline().get(),
                                               request, &response),
              GrpcIsOk());

  ProcessResult r = Cse({"circumplex", "--server", sidecar_->address(),
                         "--config", mapping_, "--basis", "suggested"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("practices the sidecar suggested"));
  EXPECT_THAT(r.out, HasSubstr("Stabilise the situation (P2)"));
}

}  // namespace
}  // namespace cse::testing
