// AdminService against the real server: validate, apply (with optimistic
// concurrency) and list mapping versions.
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/config/mapping_loader.h"
#include "tests/integration/test_mappings.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_sidecar.h"

namespace cse::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Property;
using ::testing::SizeIs;
using ::testing::StartsWith;

// Line 13 holds an RE2 pattern that does not compile.
constexpr char kBrokenYaml[] = R"yaml(version: broken-1
phase_model:
  id: x
  name: X
  phases:
    - id: one
      name: One
critical_events:
  - id: ce
    name: CE
    polarity: POLARITY_NEGATIVE
    patterns:
      - {id: p.bad, pattern: "(unclosed"}
practices:
  - id: P1
    name: One
)yaml";

class AdminServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = TestSidecar::Start(TestMappingYaml("itest-1"));
    ASSERT_THAT(started, IsOk());
    sidecar_ = *std::move(started);
    initial_version_ = sidecar_->active().Current()->info.version;
  }

  std::string ActiveVersion() {
    cse::v1::GetActiveMappingResponse response;
    const grpc::Status s = sidecar_->admin().GetActiveMapping(
        ContextWithDeadline().get(), {}, &response);
    EXPECT_THAT(s, GrpcIsOk());
    return response.version().version();
  }

  std::unique_ptr<TestSidecar> sidecar_;
  std::string initial_version_;
};

TEST_F(AdminServiceTest, GetActiveMappingReturnsVersionAndConfig) {
  cse::v1::GetActiveMappingResponse response;
  ASSERT_THAT(sidecar_->admin().GetActiveMapping(ContextWithDeadline().get(),
                                                 {}, &response),
              GrpcIsOk());
  EXPECT_EQ(response.version().version(), initial_version_);
  EXPECT_THAT(response.version().version(), StartsWith("itest-1@"));
  EXPECT_EQ(response.version().label(), "itest-1");
  EXPECT_TRUE(response.version().active());
  EXPECT_EQ(response.config().phase_model().phases_size(), 3);
}

TEST_F(AdminServiceTest, ValidateReportsBrokenYamlWithLineNumbers) {
  cse::v1::ValidateMappingRequest request;
  request.set_yaml(kBrokenYaml);
  cse::v1::ValidateMappingResponse response;
  ASSERT_THAT(sidecar_->admin().ValidateMapping(ContextWithDeadline().get(),
                                                request, &response),
              GrpcIsOk());
  EXPECT_FALSE(response.valid());
  EXPECT_THAT(
      response.errors(),
      Contains(AllOf(
          Property(&cse::v1::ConfigError::location, StartsWith("request:13")),
          Property(&cse::v1::ConfigError::field_path,
                   "critical_events[0].patterns[0].pattern"))));
  EXPECT_EQ(ActiveVersion(), initial_version_);
}

TEST_F(AdminServiceTest, ValidateAcceptsAValidCandidateAndNamesItsVersion) {
  cse::v1::ValidateMappingRequest request;
  request.set_yaml(TestMappingYaml("itest-2"));
  cse::v1::ValidateMappingResponse response;
  ASSERT_THAT(sidecar_->admin().ValidateMapping(ContextWithDeadline().get(),
                                                request, &response),
              GrpcIsOk());
  EXPECT_TRUE(response.valid());
  EXPECT_THAT(response.errors(), IsEmpty());
  EXPECT_THAT(response.version(), StartsWith("itest-2@"));
  // Validation applies nothing.
  EXPECT_EQ(ActiveVersion(), initial_version_);
}

TEST_F(AdminServiceTest, ValidateTakesAConfigMessageToo) {
  cse::v1::ValidateMappingRequest request;
  *request.mutable_config() = sidecar_->active().Current()->config;
  request.mutable_config()->mutable_phase_model()->mutable_phases(0)->set_id(
      "");
  cse::v1::ValidateMappingResponse response;
  ASSERT_THAT(sidecar_->admin().ValidateMapping(ContextWithDeadline().get(),
                                                request, &response),
              GrpcIsOk());
  EXPECT_FALSE(response.valid());
  EXPECT_THAT(response.errors(),
              Contains(Property(&cse::v1::ConfigError::field_path,
                                StartsWith("phase_model.phases[0]"))));
}

TEST_F(AdminServiceTest, ValidateWithoutCandidateIsInvalidArgument) {
  cse::v1::ValidateMappingResponse response;
  EXPECT_THAT(sidecar_->admin().ValidateMapping(ContextWithDeadline().get(), {},
                                                &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("candidate: one of yaml or config is required")));
}

TEST_F(AdminServiceTest, ApplyInvalidIsRejectedAndKeepsTheActiveVersion) {
  cse::v1::ApplyMappingRequest request;
  request.set_yaml(kBrokenYaml);
  cse::v1::ApplyMappingResponse response;
  EXPECT_THAT(
      sidecar_->admin().ApplyMapping(ContextWithDeadline().get(), request,
                                     &response),
      GrpcStatusIs(
          grpc::StatusCode::INVALID_ARGUMENT,
          AllOf(StartsWith("mapping is invalid: "), HasSubstr("request:13"),
                HasSubstr("critical_events[0].patterns[0].pattern"))));
  EXPECT_EQ(ActiveVersion(), initial_version_);
}

TEST_F(AdminServiceTest, ApplyValidMakesItActiveAndListed) {
  cse::v1::ApplyMappingRequest request;
  request.set_yaml(TestMappingYaml("itest-2"));
  cse::v1::ApplyMappingResponse response;
  ASSERT_THAT(sidecar_->admin().ApplyMapping(ContextWithDeadline().get(),
                                             request, &response),
              GrpcIsOk());
  const std::string applied = response.version().version();
  EXPECT_THAT(applied, StartsWith("itest-2@"));
  EXPECT_EQ(response.version().origin(), cse::v1::MAPPING_ORIGIN_ADMIN_RPC);
  EXPECT_TRUE(response.version().active());
  EXPECT_EQ(ActiveVersion(), applied);

  // Requests now run on it.
  cse::v1::AssessRequest assess;
  assess.mutable_ticket()->set_body("go-live");
  cse::v1::AssessResponse assessed;
  ASSERT_THAT(sidecar_->journey().Assess(ContextWithDeadline().get(), assess,
                                         &assessed),
              GrpcIsOk());
  EXPECT_EQ(assessed.assessment().mapping_version(), applied);

  cse::v1::ListMappingVersionsResponse list;
  ASSERT_THAT(sidecar_->admin().ListMappingVersions(ContextWithDeadline().get(),
                                                    {}, &list),
              GrpcIsOk());
  ASSERT_THAT(list.versions(), SizeIs(2));
  EXPECT_EQ(list.versions(0).version(), applied);  // newest first
  EXPECT_TRUE(list.versions(0).active());
  EXPECT_GT(list.versions(0).applied_at().seconds(), 0);
  EXPECT_EQ(list.versions(1).version(), initial_version_);
  EXPECT_FALSE(list.versions(1).active());
}

TEST_F(AdminServiceTest, ApplyWithAStaleExpectedVersionIsAborted) {
  cse::v1::ApplyMappingRequest request;
  request.set_yaml(TestMappingYaml("itest-2"));
  request.set_expected_active_version("itest-0@000000000000");
  cse::v1::ApplyMappingResponse response;
  EXPECT_THAT(
      sidecar_->admin().ApplyMapping(ContextWithDeadline().get(), request,
                                     &response),
      GrpcStatusIs(grpc::StatusCode::ABORTED, HasSubstr(initial_version_)));
  EXPECT_EQ(ActiveVersion(), initial_version_);

  // With the right one it goes through.
  request.set_expected_active_version(initial_version_);
  EXPECT_THAT(sidecar_->admin().ApplyMapping(ContextWithDeadline().get(),
                                             request, &response),
              GrpcIsOk());
  EXPECT_THAT(ActiveVersion(), StartsWith("itest-2@"));
}

}  // namespace
}  // namespace cse::testing
