#include "sidecar/server/signals.h"

#include <pthread.h>
#include <signal.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace cse::server {
namespace {

sigset_t ControlSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

absl::Status BlockControlSignals() {
  const sigset_t set = ControlSignals();
  if (int err = pthread_sigmask(SIG_BLOCK, &set, nullptr); err != 0) {
    return absl::InternalError(
        absl::StrCat("pthread_sigmask: ", std::strerror(err)));
  }
  return absl::OkStatus();
}

int WaitForShutdownSignal(const std::function<void()>& on_reload) {
  const sigset_t set = ControlSignals();
  while (true) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;  // EINTR-like: wait again
    if (sig == SIGHUP) {
      if (on_reload) on_reload();
      continue;
    }
    return sig;
  }
}

}  // namespace cse::server
