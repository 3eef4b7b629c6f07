#include "sidecar/server/sidecar_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace cse::server {
namespace {

// Splits "host:port" / "[v6]:port" at the last colon.
absl::Status SplitAddress(const std::string& address, std::string* host,
                          int* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(absl::string_view(address).substr(colon + 1), port) ||
      *port < 0 || *port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address \"", address, "\": expected HOST:PORT"));
  }
  *host = address.substr(0, colon);
  return absl::OkStatus();
}

}  // namespace

int SidecarServer::MaxReceiveMessageBytes(const api::EventLimits& limits) {
  const int64_t bytes = int64_t{limits.max_text_bytes} * 2 + 64 * 1024;
  return static_cast<int>(
      std::min<int64_t>(bytes, std::numeric_limits<int>::max()));
}

absl::StatusOr<std::unique_ptr<SidecarServer>> SidecarServer::Start(
    const SidecarServerOptions& options, mapping::ActiveMapping* mapping,
    store::JourneyMemory* store) {
  std::string host;
  int requested_port = 0;
  if (absl::Status s =
          SplitAddress(options.listen_address, &host, &requested_port);
      !s.ok()) {
    return s;
  }

  // Both are process-wide switches that must be set before the builder.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<SidecarServer> server(new SidecarServer);
  JourneyServiceOptions journey_options;
  journey_options.limits = options.limits;
  journey_options.retain_bodies = options.retain_bodies;
  journey_options.outcome_stats_refresh = options.outcome_stats_refresh;
  server->journey_ =
      std::make_unique<JourneyServiceImpl>(mapping, store, journey_options);
  server->writeback_ = std::make_unique<WritebackServiceImpl>(store);
  server->admin_ = std::make_unique<AdminServiceImpl>(mapping, store);

  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(options.listen_address,
                           grpc::InsecureServerCredentials(), &bound_port);
  // gRPC sets SO_REUSEPORT by default, which would let a second sidecar
  // "bind" a port that is already serving; fail loudly instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(MaxReceiveMessageBytes(options.limits));
  builder.RegisterService(server->journey_.get());
  builder.RegisterService(server->writeback_.get());
  builder.RegisterService(server->admin_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || bound_port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address));
  }
  server->port_ = bound_port;
  server->address_ = absl::StrCat(host, ":", bound_port);

  grpc::HealthCheckServiceInterface* health =
      server->server_->GetHealthCheckService();
  if (health != nullptr) {
    health->SetServingStatus(true);
    health->SetServingStatus(kJourneyServiceName, true);
    health->SetServingStatus(kWritebackServiceName, true);
    health->SetServingStatus(kAdminServiceName, true);
  }
  return server;
}

SidecarServer::~SidecarServer() {
  if (server_ == nullptr) return;
  Shutdown(absl::ZeroDuration());
  Wait();
}

void SidecarServer::Shutdown(absl::Duration grace) {
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  // NOT_SERVING first so that health watchers stop routing here.
  if (grpc::HealthCheckServiceInterface* health =
          server_->GetHealthCheckService()) {
    health->Shutdown();
  }
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
}

void SidecarServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace cse::server
