// Signal handling without signal handlers.
//
// main() blocks SIGHUP, SIGTERM and SIGINT before it creates any thread
// (threads inherit the mask, so no gRPC or spdlog thread ever runs a
// handler), then waits for them synchronously with sigwait() in a thread of
// its own. Reload and shutdown therefore run as ordinary code: they may lock,
// allocate and log, which an async signal handler must not.
//
// Example:
//   BlockControlSignals();          // first thing in main()
//   ... start threads and the server ...
//   int sig = WaitForShutdownSignal([&] { reloader.ReloadNow(); });
//   server->Shutdown(absl::Seconds(5));
#ifndef CSE_SIDECAR_SERVER_SIGNALS_H_
#define CSE_SIDECAR_SERVER_SIGNALS_H_

#include <functional>

#include "absl/status/status.h"

namespace cse::server {

// Blocks SIGHUP, SIGTERM and SIGINT in the calling thread and in every
// thread it creates afterwards.
absl::Status BlockControlSignals();

// Waits for the blocked signals: runs `on_reload` for each SIGHUP and
// returns the signal number on SIGTERM or SIGINT.
int WaitForShutdownSignal(const std::function<void()>& on_reload);

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_SIGNALS_H_
