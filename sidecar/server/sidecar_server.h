// The sidecar's gRPC server: JourneyService, WritebackService and
// AdminService over one journey memory, the standard health service
// (grpc.health.v1) and server reflection, on one address.
//
// main() and the integration tests build the server the same way, through
// SidecarServer::Start(), so the tests exercise what ships.
//
// Example:
//   SidecarServerOptions options;
//   options.listen_address = "127.0.0.1:0";  // any free port
//   auto server = SidecarServer::Start(options, &active, &store);
//   if (!server.ok()) return server.status();
//   std::string target = (*server)->address();  // "127.0.0.1:41234"
#ifndef CSE_SIDECAR_SERVER_SIDECAR_SERVER_H_
#define CSE_SIDECAR_SERVER_SIDECAR_SERVER_H_

#include <grpcpp/server.h>

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sidecar/api/event_conversion.h"
#include "sidecar/mapping/active_mapping.h"
#include "sidecar/server/admin_service.h"
#include "sidecar/server/journey_service.h"
#include "sidecar/server/writeback_service.h"
#include "sidecar/store/journey_memory.h"

namespace cse::server {

struct SidecarServerOptions {
  // HOST:PORT; port 0 picks a free port (see SidecarServer::port()).
  std::string listen_address = "127.0.0.1:50051";
  // Request limits; the largest accepted gRPC message follows from them.
  api::EventLimits limits;
  // Hand event bodies to the store (JourneyServiceOptions::retain_bodies).
  bool retain_bodies = false;
  // JourneyServiceOptions::outcome_stats_refresh.
  absl::Duration outcome_stats_refresh = absl::Seconds(5);
};

class SidecarServer {
 public:
  // The health-check service names set SERVING besides the overall "".
  static constexpr const char* kJourneyServiceName = "cse.v1.JourneyService";
  static constexpr const char* kAdminServiceName = "cse.v1.AdminService";
  static constexpr const char* kWritebackServiceName =
      "cse.v1.WritebackService";

  // Builds and starts the server. `mapping` and `store` must outlive it.
  // Errors: INVALID_ARGUMENT for a malformed address, UNAVAILABLE when the
  // address cannot be bound (for instance, in use).
  static absl::StatusOr<std::unique_ptr<SidecarServer>> Start(
      const SidecarServerOptions& options, mapping::ActiveMapping* mapping,
      store::JourneyMemory* store);

  // Shuts down at once if Shutdown() was not called.
  ~SidecarServer();

  SidecarServer(const SidecarServer&) = delete;
  SidecarServer& operator=(const SidecarServer&) = delete;

  // The bound port and "host:port" with it.
  int port() const { return port_; }
  const std::string& address() const { return address_; }

  // The largest request message accepted: two texts at the limit plus room
  // for everything else. Bigger messages get RESOURCE_EXHAUSTED from gRPC.
  static int MaxReceiveMessageBytes(const api::EventLimits& limits);

  // Health goes NOT_SERVING, new calls are refused, in-flight calls get
  // `grace` to finish before they are cancelled. Idempotent.
  void Shutdown(absl::Duration grace);

  // Blocks until the server has shut down.
  void Wait();

  grpc::Server* grpc_server() { return server_.get(); }

 private:
  SidecarServer() = default;

  std::unique_ptr<JourneyServiceImpl> journey_;
  std::unique_ptr<WritebackServiceImpl> writeback_;
  std::unique_ptr<AdminServiceImpl> admin_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::string address_;
  bool shut_down_ = false;
};

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_SIDECAR_SERVER_H_
