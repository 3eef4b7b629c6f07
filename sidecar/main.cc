// cse-sidecar: the customer-service-experience sidecar for CRMs.
//
// Parses flags, loads the mapping (the built-in default unless --config or
// --builtin says otherwise), serves JourneyService and AdminService over
// gRPC, reloads --config on SIGHUP and on change, and shuts down gracefully
// on SIGTERM/SIGINT.
//
// The journey store is an embedded SQLite file, cse-data/journey.db under
// the working directory by default (the directory is created for the
// default only, so a mistyped --store path fails instead of scattering
// databases); --store=postgres:CONNINFO (or a postgresql:// URL) shares one
// PostgreSQL journey memory between replicas; --store=memory keeps nothing
// across restarts (tests, benchmarks). A password in the store's URL is
// never printed or logged.
//
// Exit codes: 0 after a clean shutdown (or a valid --validate-config),
// 1 when the server or the journey store cannot start, 2 when the mapping
// is invalid.
#include <string.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "sidecar/config/builtin_mappings.h"
#include "sidecar/config/mapping_loader.h"
#include "sidecar/engine/compiled_mapping.h"
#include "sidecar/mapping/active_mapping.h"
#include "sidecar/server/logging.h"
#include "sidecar/server/mapping_reloader.h"
#include "sidecar/server/process_tuning.h"
#include "sidecar/server/sidecar_server.h"
#include "sidecar/server/signals.h"
#include "sidecar/server/store_spec.h"
#include "sidecar/store/store_options.h"

#ifndef CSE_VERSION
#define CSE_VERSION "unknown"
#endif

namespace {

constexpr int kExitServerFailed = 1;
constexpr int kExitInvalidConfig = 2;

// How long in-flight calls may run on after SIGTERM before they are
// cancelled; well inside Kubernetes' default 30 s grace period.
constexpr absl::Duration kShutdownGrace = absl::Seconds(5);

void PrintErrors(const std::vector<cse::config::ConfigError>& errors,
                 const absl::Status& status) {
  for (const cse::config::ConfigError& e : errors) {
    std::fprintf(stderr, "%s\n", e.ToString().c_str());
  }
  if (errors.empty()) {
    std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
  }
}

// --validate-config: the loader's checks plus the engine's compile, which
// is exactly what a start or reload with this file would run.
int ValidateConfig(const std::string& path) {
  std::vector<cse::config::ConfigError> errors;
  auto loaded = cse::config::LoadMappingFile(path, &errors);
  if (!loaded.ok()) {
    PrintErrors(errors, loaded.status());
    return kExitInvalidConfig;
  }
  auto compiled =
      cse::engine::CompiledMapping::Compile(loaded->config, loaded->version);
  if (!compiled.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(),
                 std::string(compiled.status().message()).c_str());
    return kExitInvalidConfig;
  }
  std::printf("%s: valid (version %s)\n", path.c_str(),
              loaded->version.c_str());
  return 0;
}

constexpr char kDefaultStoreDir[] = "cse-data";
constexpr char kDefaultStoreSpec[] = "sqlite:cse-data/journey.db";

// --store's check for CLI11: the parser's message, empty when fine. The
// message never repeats the value, which may hold a password.
std::string CheckStoreSpec(const std::string& spec) {
  auto parsed = cse::server::ParseStoreSpec(spec);
  return parsed.ok() ? "" : std::string(parsed.status().message());
}

// The journey memory --store names.
absl::StatusOr<std::unique_ptr<cse::store::JourneyMemory>> OpenStore(
    const std::string& spec, cse::store::StoreOptions options) {
  auto parsed = cse::server::ParseStoreSpec(spec);
  if (!parsed.ok()) return parsed.status();
  if (spec == kDefaultStoreSpec && ::mkdir(kDefaultStoreDir, 0750) != 0 &&
      errno != EEXIST) {
    return absl::ErrnoToStatus(
        errno, absl::StrCat("cannot create ", kDefaultStoreDir));
  }
  return cse::server::OpenJourneyMemory(*parsed, std::move(options));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cse-sidecar: customer-service-experience sidecar for CRMs"};
  std::string listen = "127.0.0.1:50051";
  std::string config_path;
  std::string builtin = "default";
  std::string validate_path;
  uint32_t max_text_bytes = 65536;
  std::string store_spec = kDefaultStoreSpec;
  bool retain_bodies = false;
  std::string log_format = "text";
  std::string log_level = "info";

  app.add_option("--listen", listen,
                 "HOST:PORT to serve gRPC on (port 0: any free port)")
      ->capture_default_str();
  CLI::Option* config_opt = app.add_option(
      "--config", config_path,
      "YAML mapping file; reloaded on SIGHUP and when the file changes");
  const std::vector<std::string> builtin_names =
      cse::config::BuiltinMappingNames();
  CLI::Option* builtin_opt =
      app.add_option("--builtin", builtin,
                     "Built-in mapping to run when --config is not given")
          ->capture_default_str()
          ->check(CLI::IsMember(builtin_names));
  config_opt->excludes(builtin_opt);
  app.add_option("--validate-config", validate_path,
                 "Validate a mapping file and exit (0 valid, 2 invalid) "
                 "without opening ports");
  app.add_option("--max-text-bytes", max_text_bytes,
                 "Largest text field (subject, body, title, notes) accepted, "
                 "in bytes; the mapping's limits.max_text_bytes applies too")
      ->capture_default_str()
      ->check(CLI::Range(uint32_t{1}, uint32_t{64} << 20));
  app.add_option("--store", store_spec,
                 "Journey store: sqlite:PATH (an embedded SQLite file, "
                 "created if missing), postgres:CONNINFO or a "
                 "postgresql://USER@HOST/DB URL (shared by replicas), or "
                 "memory (lost on exit)")
      ->capture_default_str()
      ->check(CLI::Validator(CheckStoreSpec,
                             "memory|sqlite:PATH|postgres:CONNINFO", "store"));
  app.add_flag("--retain-bodies", retain_bodies,
               "Keep each event's message text in the journey store until "
               "its account is erased (default: keep only the evidence "
               "excerpts an assessment cites)");
  cse::store::OutboxPolicy outbox;
  int backoff_base_ms =
      static_cast<int>(absl::ToInt64Milliseconds(outbox.backoff_base));
  int backoff_cap_s =
      static_cast<int>(absl::ToInt64Seconds(outbox.backoff_cap));
  int max_retry_after_s =
      static_cast<int>(absl::ToInt64Seconds(outbox.max_retry_after));
  app.add_option("--writeback-max-attempts", outbox.max_attempts,
                 "Attempts of a writeback job before it is dead-lettered")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--writeback-backoff-base-ms", backoff_base_ms,
                 "First retry window of a failed writeback job, in ms; each "
                 "retry doubles it (full jitter)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3'600'000));
  app.add_option("--writeback-backoff-cap-s", backoff_cap_s,
                 "Largest retry window, in seconds")
      ->capture_default_str()
      ->check(CLI::Range(1, 86'400));
  app.add_option("--writeback-max-retry-after-s", max_retry_after_s,
                 "Longest Retry-After of a CRM that is honoured, in seconds")
      ->capture_default_str()
      ->check(CLI::Range(0, 7 * 86'400));
  app.add_option("--log-format", log_format, "text or json (one object a line)")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--log-level", log_level,
                 "trace, debug, info, warn, error, critical or off")
      ->capture_default_str()
      ->check(CLI::IsMember(
          {"trace", "debug", "info", "warn", "error", "critical", "off"}));
  app.set_version_flag("--version", "cse-sidecar " CSE_VERSION);
  CLI11_PARSE(app, argc, argv);

  if (!validate_path.empty()) return ValidateConfig(validate_path);

  // Before any thread exists: lock and allocator settings for serving.
  cse::server::TuneProcessForServing();

  // Before any thread exists (gRPC starts its own), so that every thread
  // inherits the mask and the signals reach only sigwait() below.
  if (absl::Status s = cse::server::BlockControlSignals(); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return kExitServerFailed;
  }
  cse::server::InitLogging(*cse::server::ParseLogFormat(log_format),
                           *cse::server::ParseLogLevel(log_level));
  auto log = cse::server::GetLogger(cse::server::kServerLogger);

  cse::mapping::ActiveMapping active;
  std::unique_ptr<cse::server::MappingReloader> reloader;
  if (!config_path.empty()) {
    reloader =
        std::make_unique<cse::server::MappingReloader>(&active, config_path);
    std::vector<cse::config::ConfigError> errors;
    if (absl::Status s = reloader->Load(&errors); !s.ok()) {
      PrintErrors(errors, s);
      return kExitInvalidConfig;
    }
  } else {
    auto loaded = cse::config::LoadBuiltinMapping(builtin);
    if (!loaded.ok()) {
      std::fprintf(stderr, "builtin mapping %s: %s\n", builtin.c_str(),
                   std::string(loaded.status().message()).c_str());
      return kExitInvalidConfig;
    }
    auto applied =
        active.Apply(std::move(loaded->config), loaded->version,
                     std::move(loaded->content_hash),
                     cse::mapping::MappingOrigin::kBuiltin, builtin, "");
    if (!applied.ok()) {
      std::fprintf(stderr, "builtin mapping %s: %s\n", builtin.c_str(),
                   std::string(applied.status().message()).c_str());
      return kExitInvalidConfig;
    }
  }

  // Declared before the server, so it outlives it.
  cse::store::StoreOptions store_options;
  store_options.retention.keep_bodies = retain_bodies;
  outbox.backoff_base = absl::Milliseconds(backoff_base_ms);
  outbox.backoff_cap = absl::Seconds(backoff_cap_s);
  outbox.max_retry_after = absl::Seconds(max_retry_after_s);
  store_options.outbox = outbox;
  const std::string store_name = cse::server::RedactedStoreSpec(store_spec);
  auto store = OpenStore(store_spec, std::move(store_options));
  if (!store.ok()) {
    // Fail fast: serving without the journey the operator asked for would
    // forget every ingest on the next restart.
    std::fprintf(stderr, "journey store --store=%s: %s\n", store_name.c_str(),
                 store.status().ToString().c_str());
    return kExitServerFailed;
  }
  const char* bodies = retain_bodies ? ", keeping event bodies" : "";
  if (absl::StartsWith(store_spec, "sqlite:")) {
    log->info("journey store: SQLite file {}{}",
              store_spec.substr(sizeof("sqlite:") - 1), bodies);
  } else if (store_spec != "memory") {
    log->info("journey store: PostgreSQL {}{}", store_name, bodies);
  } else {
    log->info(
        "journey store: in memory (lost on exit; --store=sqlite:PATH "
        "keeps it){}",
        bodies);
  }

  cse::server::SidecarServerOptions options;
  options.listen_address = listen;
  options.limits.max_text_bytes = max_text_bytes;
  options.retain_bodies = retain_bodies;
  auto server =
      cse::server::SidecarServer::Start(options, &active, store->get());
  if (!server.ok()) {
    log->critical("{}", server.status().ToString());
    return kExitServerFailed;
  }
  if (reloader != nullptr) reloader->Start();
  log->info("listening on {} (mapping version {})", (*server)->address(),
            active.Current()->info.version);

  const int sig = cse::server::WaitForShutdownSignal([&] {
    if (reloader != nullptr) {
      log->info("SIGHUP: reloading {}", reloader->path());
      reloader->ReloadNow().IgnoreError();  // the reloader logs the outcome
    } else {
      log->info("SIGHUP ignored: no --config file to reload");
    }
  });
  log->info("SIG{} received: shutting down", sigabbrev_np(sig));
  (*server)->Shutdown(kShutdownGrace);
  (*server)->Wait();
  if (reloader != nullptr) reloader->Stop();
  log->info("stopped");
  return 0;
}
