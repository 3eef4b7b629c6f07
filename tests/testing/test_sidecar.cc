#include "tests/testing/test_sidecar.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "sidecar/config/mapping_loader.h"
#include "sidecar/store/in_memory_journey_store.h"

namespace cse::testing {

std::unique_ptr<grpc::ClientContext> ContextWithDeadline(
    absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

absl::StatusOr<std::string> ApplyYaml(mapping::ActiveMapping& active,
                                      absl::string_view yaml,
                                      mapping::MappingOrigin origin) {
  std::vector<config::ConfigError> errors;
  auto loaded = config::LoadMappingYaml(
      std::string_view(yaml.data(), yaml.size()), "test", &errors);
  if (!loaded.ok()) {
    std::vector<std::string> lines;
    for (const auto& e : errors) lines.push_back(e.ToString());
    return absl::Status(loaded.status().code(),
                        absl::StrCat(loaded.status().message(), ": ",
                                     absl::StrJoin(lines, "; ")));
  }
  auto applied =
      active.Apply(std::move(loaded->config), loaded->version,
                   std::move(loaded->content_hash), origin, "test", "");
  if (!applied.ok()) return applied.status();
  return (*applied)->info.version;
}

absl::StatusOr<std::unique_ptr<TestSidecar>> TestSidecar::Start(
    absl::string_view mapping_yaml, api::EventLimits limits) {
  TestSidecarOptions options;
  options.limits = limits;
  return Start(mapping_yaml, std::move(options));
}

absl::StatusOr<std::unique_ptr<TestSidecar>> TestSidecar::Start(
    absl::string_view mapping_yaml, TestSidecarOptions test_options) {
  std::unique_ptr<TestSidecar> sidecar(new TestSidecar);
  if (!mapping_yaml.empty()) {
    auto version = ApplyYaml(sidecar->active_, mapping_yaml);
    if (!version.ok()) return version.status();
  }
  store::StoreOptions store_options = test_options.store_options;
  FakeClock* clock = &sidecar->clock_;
  store_options.clock = [clock] { return clock->Now(); };
  const double jitter = test_options.jitter;
  store_options.jitter = [jitter] { return jitter; };
  if (test_options.open_store) {
    auto opened = test_options.open_store(std::move(store_options));
    if (!opened.ok()) return opened.status();
    sidecar->store_ = *std::move(opened);
  } else {
    sidecar->store_ = std::make_unique<store::InMemoryJourneyStore>(
        100000, std::move(store_options));
  }
  server::SidecarServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.limits = test_options.limits;
  options.retain_bodies = test_options.retain_bodies;
  // Only RecordOutcome refreshes the ranking's outcome stats: no timer.
  options.outcome_stats_refresh = absl::ZeroDuration();
  auto server = server::SidecarServer::Start(options, &sidecar->active_,
                                             sidecar->store_.get());
  if (!server.ok()) return server.status();
  sidecar->server_ = *std::move(server);
  sidecar->channel_ = grpc::CreateChannel(sidecar->server_->address(),
                                          grpc::InsecureChannelCredentials());
  sidecar->journey_ = cse::v1::JourneyService::NewStub(sidecar->channel_);
  sidecar->writeback_ = cse::v1::WritebackService::NewStub(sidecar->channel_);
  sidecar->admin_ = cse::v1::AdminService::NewStub(sidecar->channel_);
  sidecar->health_ = grpc::health::v1::Health::NewStub(sidecar->channel_);
  return sidecar;
}

TestSidecar::~TestSidecar() {
  // Stubs and channel first, then the server (which cancels what is left).
  journey_.reset();
  writeback_.reset();
  admin_.reset();
  health_.reset();
  channel_.reset();
  if (server_ != nullptr) {
    server_->Shutdown(absl::Seconds(1));
    server_->Wait();
  }
}

}  // namespace cse::testing
