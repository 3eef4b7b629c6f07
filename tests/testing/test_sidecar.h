// The real sidecar server, started in-process for a test on 127.0.0.1 with
// a free port, plus real client stubs on a channel to it.
//
// Built with server::SidecarServer::Start(), exactly as main() builds it,
// over its own ActiveMapping and journey memory (in memory unless the test
// opens a SQLite or PostgreSQL one), which the test can inspect directly.
// The store runs on the sidecar's fake clock (starting at kTestEpoch, moved
// only by AdvanceClock) with fixed backoff jitter, so outbox timing is
// deterministic.
//
// Example:
//   auto sidecar = TestSidecar::Start(kMappingYaml);
//   ASSERT_THAT(sidecar, IsOk());
//   auto ctx = ContextWithDeadline();
//   grpc::Status s = (*sidecar)->journey().Assess(ctx.get(), req, &resp);
#ifndef CSE_TESTS_TESTING_TEST_SIDECAR_H_
#define CSE_TESTS_TESTING_TEST_SIDECAR_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cse/v1/admin_service.grpc.pb.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "cse/v1/writeback_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "sidecar/api/event_conversion.h"
#include "sidecar/mapping/active_mapping.h"
#include "sidecar/server/sidecar_server.h"
#include "sidecar/store/journey_memory.h"
#include "sidecar/store/store_options.h"

namespace cse::testing {

// The deadline every test RPC gets unless it says otherwise.
inline constexpr absl::Duration kRpcTimeout = absl::Seconds(10);

// A client context with a deadline `timeout` from now.
std::unique_ptr<grpc::ClientContext> ContextWithDeadline(
    absl::Duration timeout = kRpcTimeout);

// Loads `yaml` with the config loader (as file "test") and applies it.
// Returns the applied version.
absl::StatusOr<std::string> ApplyYaml(
    mapping::ActiveMapping& active, absl::string_view yaml,
    mapping::MappingOrigin origin = mapping::MappingOrigin::kAdminRpc);

// Where the fake clock starts: 2024-03-01T00:00:00Z.
inline const absl::Time kTestEpoch = absl::FromUnixSeconds(1709251200);

// A thread-safe settable clock.
class FakeClock {
 public:
  absl::Time Now() const {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_) = kTestEpoch;
};

// Opens the journey memory a TestSidecar serves from, with the options it
// is given (the fake clock and fixed jitter filled in).
using StoreFactory =
    std::function<absl::StatusOr<std::unique_ptr<store::JourneyMemory>>(
        store::StoreOptions)>;

struct TestSidecarOptions {
  api::EventLimits limits;
  // Empty: an InMemoryJourneyStore.
  StoreFactory open_store;
  // Retention and outbox policy; the clock and jitter are replaced.
  store::StoreOptions store_options;
  // Backoff jitter, fixed: every retry waits this fraction of its window.
  double jitter = 0.5;
  // SidecarServerOptions::retain_bodies.
  bool retain_bodies = false;
};

class TestSidecar {
 public:
  // Starts the server with `mapping_yaml` active (empty: no mapping).
  static absl::StatusOr<std::unique_ptr<TestSidecar>> Start(
      absl::string_view mapping_yaml, api::EventLimits limits = {});
  static absl::StatusOr<std::unique_ptr<TestSidecar>> Start(
      absl::string_view mapping_yaml, TestSidecarOptions options);

  ~TestSidecar();

  cse::v1::JourneyService::Stub& journey() { return *journey_; }
  cse::v1::AdminService::Stub& admin() { return *admin_; }
  cse::v1::WritebackService::Stub& writeback() { return *writeback_; }
  grpc::health::v1::Health::Stub& health() { return *health_; }
  const std::shared_ptr<grpc::Channel>& channel() { return channel_; }

  mapping::ActiveMapping& active() { return active_; }
  store::JourneyMemory& store() { return *store_; }
  // The store's clock.
  absl::Time Now() const { return clock_.Now(); }
  void AdvanceClock(absl::Duration d) { clock_.Advance(d); }
  server::SidecarServer& server() { return *server_; }
  // "127.0.0.1:<port>".
  const std::string& address() const { return server_->address(); }

 private:
  TestSidecar() = default;

  // Declared first: destroyed after the server that uses them.
  FakeClock clock_;
  mapping::ActiveMapping active_;
  std::unique_ptr<store::JourneyMemory> store_;
  std::unique_ptr<server::SidecarServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<cse::v1::JourneyService::Stub> journey_;
  std::unique_ptr<cse::v1::WritebackService::Stub> writeback_;
  std::unique_ptr<cse::v1::AdminService::Stub> admin_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

}  // namespace cse::testing

#endif  // CSE_TESTS_TESTING_TEST_SIDECAR_H_
