// cse-adapter: serves CRM webhooks, forwards their events to the sidecar
// and performs the sidecar's writeback jobs against the CRMs.
//
//   cse-adapter --config adapter.yaml
//   cse-adapter --config adapter.yaml --validate-config   # no ports opened
#include <cstdio>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_join.h"
#include "adapters/adapter_registry.h"
#include "adapters/builtin_adapters.h"
#include "adapters/runtime/adapter_config.h"
#include "adapters/runtime/adapter_process.h"
#include "sidecar/server/logging.h"
#include "sidecar/server/signals.h"

int main(int argc, char** argv) {
  using namespace cse;  // NOLINT(build/namespaces): main only.
  // Before any thread exists (see signals.h).
  if (absl::Status blocked = server::BlockControlSignals(); !blocked.ok()) {
    std::fprintf(stderr, "cse-adapter: %s\n", blocked.ToString().c_str());
    return 1;
  }
  adapters::AdapterRegistry registry;
  if (absl::Status registered = adapters::RegisterBuiltinAdapters(registry);
      !registered.ok()) {
    std::fprintf(stderr, "cse-adapter: %s\n", registered.ToString().c_str());
    return 1;
  }

  CLI::App app{
      "cse-adapter: CRM webhooks in, writebacks out, via the "
      "cse-sidecar"};
  std::string config_path;
  bool validate_only = false;
  std::string log_format = "text";
  std::string log_level = "info";
  std::string listen;
  std::string sidecar;
  app.add_option("--config", config_path, "adapter YAML configuration")
      ->required();
  app.add_option("--listen", listen,
                 "host:port for the webhooks; overrides ingress.listen");
  app.add_option("--sidecar", sidecar,
                 "gRPC target of the sidecar; overrides sidecar.target");
  app.add_flag("--validate-config", validate_only,
               "check the configuration and exit without opening ports");
  app.add_option("--log-format", log_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--log-level", log_level,
                 "trace, debug, info, warn, error, off");
  app.footer("Adapters in this build: " +
             absl::StrJoin(registry.Kinds(), ", "));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  absl::StatusOr<server::LogFormat> format = server::ParseLogFormat(log_format);
  absl::StatusOr<spdlog::level::level_enum> level =
      server::ParseLogLevel(log_level);
  if (!format.ok() || !level.ok()) {
    std::fprintf(stderr, "cse-adapter: bad --log-format or --log-level\n");
    return 2;
  }
  server::InitLogging(*format, *level);

  absl::StatusOr<cse::adapters::v1::AdapterConfig> config =
      adapters::LoadAdapterConfigFile(config_path, registry);
  if (!config.ok()) {
    std::fprintf(stderr, "cse-adapter: %s\n",
                 std::string(config.status().message()).c_str());
    return 1;
  }
  if (!listen.empty()) config->mutable_ingress()->set_listen(listen);
  if (!sidecar.empty()) config->mutable_sidecar()->set_target(sidecar);
  adapters::EnvAndFileSecretReader secrets;
  absl::StatusOr<std::unique_ptr<adapters::AdapterProcess>> process =
      adapters::AdapterProcess::Create(*config, registry, secrets);
  if (!process.ok()) {
    std::fprintf(stderr, "cse-adapter: %s\n",
                 std::string(process.status().message()).c_str());
    return 1;
  }
  if (validate_only) {
    std::printf("%s: OK (%d CRM(s))\n", config_path.c_str(),
                config->crms_size());
    return 0;
  }
  if (absl::Status started = (*process)->Start(); !started.ok()) {
    std::fprintf(stderr, "cse-adapter: %s\n", started.ToString().c_str());
    return 1;
  }
  server::WaitForShutdownSignal([] {});
  (*process)->Stop();
  return 0;
}
