#include "tests/testing/request_tracker_server.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/testing/child_process.h"
#include "tests/testing/free_port.h"

#ifndef CSE_SOURCE_DIR
#error \
    "CSE_SOURCE_DIR must name the source tree (set by tests/testing/CMakeLists.txt)"
#endif

namespace cse::testing {
namespace {

// rt-up.sh's exit status when the port is taken by another process.
constexpr int kPortInUseExit = 3;

// KEY=value lines, as rt-up.sh writes rt.env.
std::map<std::string, std::string> ReadEnvFile(const std::string& path) {
  std::map<std::string, std::string> env;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    if (!kv.first.empty()) env[kv.first] = kv.second;
  }
  return env;
}

}  // namespace

std::string RequestTrackerServer::DefaultScriptsDir() {
  const char* env = std::getenv("CSE_RT_SCRIPTS_DIR");
  if (env != nullptr && *env != '\0') return env;
  return absl::StrCat(CSE_SOURCE_DIR, "/tests/testing/request_tracker");
}

absl::StatusOr<std::unique_ptr<RequestTrackerServer>>
RequestTrackerServer::Start(Options options) {
  const absl::Time started = absl::Now();
  const std::string up = options.scripts_dir + "/rt-up.sh";
  const std::string down = options.scripts_dir + "/rt-down.sh";
  for (const std::string& script : {up, down}) {
    if (access(script.c_str(), R_OK) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(script,
                       " not found; set CSE_RT_SCRIPTS_DIR to the "
                       "directory holding rt-up.sh and rt-down.sh"));
    }
  }
  if (geteuid() != 0) {
    return absl::FailedPreconditionError(
        "the test Request Tracker needs root: rt-up.sh installs Debian's "
        "request-tracker5 packages on first use and starts rt-server as "
        "www-data");
  }

  std::string dir = "/tmp/cse-rt-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", std::strerror(errno)));
  }
  std::unique_ptr<RequestTrackerServer> server(new RequestTrackerServer());
  server->run_dir_ = dir;
  const std::string run_dir_env = "RT_RUN_DIR=" + dir;

  // From here on the watchdog owns cleanup, even if start-up fails.
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::InternalError("pipe2 failed");
  }
  const Argv stop({"/usr/bin/env", run_dir_env, "/bin/bash", down});
  const Argv remove({"/bin/rm", "-rf", dir});
  server->watchdog_pid_ = StartWatchdog(pipe_fds[0], stop, remove);
  close(pipe_fds[0]);
  server->watchdog_fd_ = pipe_fds[1];
  if (server->watchdog_pid_ < 0) {
    return absl::InternalError("cannot fork the Request Tracker's watchdog");
  }

  const std::string log = dir + "/rt-up.log";
  int exit_code = -1;
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int port = options.port != 0 ? options.port : FreePort();
    absl::StatusOr<int> code = RunLogged(
        Argv({"/usr/bin/env", run_dir_env, absl::StrCat("RT_PORT=", port),
              absl::StrCat("RT_WORKERS=", options.workers),
              "CSE_POKE_URL=" + options.poke_url,
              "CSE_POKE_TOKEN=" + options.poke_token, "/bin/bash", up}),
        log, 0600);
    if (!code.ok()) return code.status();
    exit_code = *code;
    if (exit_code == 0) {
      server->port_ = port;
      break;
    }
    // Somebody took the port between FreePort() and the bind: try another.
    if (exit_code != kPortInUseExit || options.port != 0) break;
  }
  if (exit_code != 0) {
    return absl::InternalError(
        absl::StrCat(up, " failed (exit status ", exit_code,
                     "); the end of its output:\n", FileTail(log, 4000)));
  }

  std::map<std::string, std::string> env = ReadEnvFile(dir + "/rt.env");
  server->base_url_ = env["RT_BASE_URL"];
  server->rest2_url_ = env["RT_REST2_URL"];
  server->user_ = env["RT_USER"];
  server->password_ = env["RT_PASSWORD"];
  if (server->base_url_.empty() || server->rest2_url_.empty() ||
      server->user_.empty()) {
    return absl::InternalError(
        absl::StrCat(up, " succeeded but ", dir,
                     "/rt.env lacks RT_BASE_URL, RT_REST2_URL "
                     "or RT_USER; the end of its output:\n",
                     FileTail(log, 4000)));
  }
  server->start_time_ = absl::Now() - started;
  return server;
}

RequestTrackerServer::~RequestTrackerServer() {
  if (watchdog_fd_ >= 0) close(watchdog_fd_);
  if (watchdog_pid_ > 0) {
    int status;
    while (waitpid(watchdog_pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

std::string RequestTrackerServer::ServerLogTail(size_t max_bytes) const {
  return FileTail(run_dir_ + "/rt-server.log", max_bytes);
}

}  // namespace cse::testing
