// Smoke test of the built-in default mapping through the real server: the
// mapping the sidecar runs with no arguments must load, compile and answer.
// Its detailed behaviour is the config module's and the evaluation set's
// business; here only that it serves.
#include <memory>
#include <string>
#include <string_view>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/config/builtin_mappings.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_sidecar.h"

namespace cse::testing {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;

TEST(BuiltinMappingTest, TheDefaultMappingServesAssessments) {
  ASSERT_THAT(config::BuiltinMappingNames(), Contains("default"));
  const std::string_view yaml = config::BuiltinMappingYaml("default");
  auto loaded = config::LoadBuiltinMapping("default");
  ASSERT_THAT(loaded, IsOk());

  auto started =
      TestSidecar::Start(absl::string_view(yaml.data(), yaml.size()));
  ASSERT_THAT(started, IsOk());
  std::unique_ptr<TestSidecar> sidecar = *std::move(started);

  cse::v1::IngestTicketRequest request;
  cse::v1::TicketEvent& t = *request.mutable_event();
  t.set_source("zendesk");
  t.set_event_id("smoke-1");
  t.set_ticket_id("T-1");
  t.mutable_account()->set_id("acme");
  t.set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
  t.set_priority("urgent");
  t.set_subject("Production is down");
  t.set_body("Since this morning's go-live the export is down for everyone.");
  cse::v1::IngestResponse response;
  ASSERT_THAT(sidecar->journey().IngestTicket(ContextWithDeadline().get(),
                                              request, &response),
              GrpcIsOk());
  const cse::v1::Assessment& a = response.assessment();
  EXPECT_EQ(a.mapping_version(), loaded->version);
  EXPECT_NE(a.phase().id(), "");
  EXPECT_THAT(a.suggestions(), Not(IsEmpty()));
  EXPECT_NE(a.note_markdown(), "");
}

}  // namespace
}  // namespace cse::testing
