// cse-empty-server: the load tool's baseline. Serves cse.v1.JourneyService
// on the same callback API and with the same server options as the real
// sidecar (see sidecar/server/sidecar_server.cc), but IngestTicket answers
// an empty IngestResponse at once. Against the same messages, the
// difference between the two is the sidecar's own work.
//
// Usage: cse-empty-server --listen=127.0.0.1:PORT
// Stops on SIGTERM or SIGINT.
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "cse/v1/journey_service.grpc.pb.h"
#include "sidecar/api/event_conversion.h"
#include "sidecar/server/process_tuning.h"
#include "sidecar/server/sidecar_server.h"

namespace {

class EmptyJourneyService final
    : public cse::v1::JourneyService::CallbackService {
 public:
  grpc::ServerUnaryReactor* IngestTicket(
      grpc::CallbackServerContext* context,
      const cse::v1::IngestTicketRequest* /*request*/,
      cse::v1::IngestResponse* /*response*/) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  grpc::ServerUnaryReactor* IngestMeeting(
      grpc::CallbackServerContext* context,
      const cse::v1::IngestMeetingRequest* /*request*/,
      cse::v1::IngestResponse* /*response*/) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  grpc::ServerUnaryReactor* Assess(
      grpc::CallbackServerContext* context,
      const cse::v1::AssessRequest* /*request*/,
      cse::v1::AssessResponse* /*response*/) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

int Usage(const char* error) {
  if (error != nullptr) std::fprintf(stderr, "cse-empty-server: %s\n", error);
  std::fprintf(error != nullptr ? stderr : stdout,
               "usage: cse-empty-server --listen=HOST:PORT\n"
               "Serves cse.v1.JourneyService with handlers that return an "
               "empty response at once.\n");
  return error != nullptr ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") return Usage(nullptr);
    if (arg.rfind("--listen=", 0) == 0) {
      listen = arg.substr(std::strlen("--listen="));
    } else if (arg == "--listen" && i + 1 < argc) {
      listen = argv[++i];
    } else {
      return Usage(("unknown argument \"" + arg + "\"").c_str());
    }
  }
  if (listen.empty()) return Usage("--listen=HOST:PORT is required");

  // The sidecar's process settings (see main.cc), so the baseline is not
  // handicapped by, e.g., Abseil's deadlock detection.
  cse::server::TuneProcessForServing();

  // Block the stop signals in every thread (gRPC's included) and wait for
  // them below, so shutdown happens on the main thread.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  // The same process-wide switches and builder options as SidecarServer.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  EmptyJourneyService service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(
      cse::server::SidecarServer::MaxReceiveMessageBytes(
          cse::api::EventLimits{}));
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "cse-empty-server: cannot listen on %s\n",
                 listen.c_str());
    return 1;
  }
  if (auto* health = server->GetHealthCheckService()) {
    health->SetServingStatus(true);
  }
  std::fprintf(stderr, "cse-empty-server: listening on port %d\n", port);

  int sig = 0;
  sigwait(&stop, &sig);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  server->Wait();
  return 0;
}
