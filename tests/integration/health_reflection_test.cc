// The standard gRPC health service and server reflection, as Kubernetes
// probes and tools such as grpcurl use them.
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/test_mappings.h"
#include "tests/testing/reflection_client.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_sidecar.h"

namespace cse::testing {
namespace {

using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::Contains;
using ::testing::IsSupersetOf;

class HealthReflectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = TestSidecar::Start(TestMappingYaml());
    ASSERT_THAT(started, IsOk());
    sidecar_ = *std::move(started);
  }

  grpc::Status Check(const std::string& service,
                     HealthCheckResponse* response) {
    HealthCheckRequest request;
    request.set_service(service);
    return sidecar_->health().Check(ContextWithDeadline().get(), request,
                                    response);
  }

  std::unique_ptr<TestSidecar> sidecar_;
};

TEST_F(HealthReflectionTest, ServerAndJourneyServiceAreServing) {
  for (const std::string service : {"", "cse.v1.JourneyService"}) {
    HealthCheckResponse response;
    ASSERT_THAT(Check(service, &response), GrpcIsOk()) << service;
    EXPECT_EQ(response.status(), HealthCheckResponse::SERVING) << service;
  }
}

TEST_F(HealthReflectionTest, UnknownServiceIsNotFound) {
  HealthCheckResponse response;
  EXPECT_THAT(Check("cse.v1.NoSuchService", &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

TEST_F(HealthReflectionTest, ShutdownTurnsHealthNotServing) {
  // The health service answers NOT_SERVING once shutdown begins; after the
  // server stops, the call fails outright. Either way it is no longer
  // SERVING.
  sidecar_->server().Shutdown(absl::Seconds(1));
  sidecar_->server().Wait();
  HealthCheckResponse response;
  const grpc::Status s = Check("cse.v1.JourneyService", &response);
  EXPECT_TRUE(!s.ok() || response.status() != HealthCheckResponse::SERVING);
}

TEST_F(HealthReflectionTest, ReflectionListsTheServices) {
  auto services = ListServices(sidecar_->channel(), kRpcTimeout);
  ASSERT_THAT(services, IsOk());
  EXPECT_THAT(*services,
              IsSupersetOf({"cse.v1.JourneyService", "cse.v1.AdminService",
                            "grpc.health.v1.Health"}));
}

}  // namespace
}  // namespace cse::testing
