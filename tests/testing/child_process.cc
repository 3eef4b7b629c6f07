#include "tests/testing/child_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cse::testing {

Argv::Argv(std::vector<std::string> args) : args_(std::move(args)) {
  for (std::string& a : args_) ptrs_.push_back(a.data());
  ptrs_.push_back(nullptr);
}

std::string Argv::ToString() const { return absl::StrJoin(args_, " "); }

std::string FileTail(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > max_bytes ? s.substr(s.size() - max_bytes) : s;
}

absl::StatusOr<int> RunLogged(const Argv& argv, const std::string& log,
                              int log_mode) {
  const int out =
      open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, log_mode);
  if (out < 0) {
    return absl::InternalError(
        absl::StrCat("cannot open ", log, ": ", std::strerror(errno)));
  }
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    dup2(out, 1);
    dup2(out, 2);
    for (int fd = 3; fd < 1024; ++fd) close(fd);
    execv(argv.program().c_str(), argv.get());
    _exit(127);
  }
  close(out);
  if (pid < 0) {
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

pid_t StartWatchdog(int read_fd, const Argv& stop, const Argv& remove) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  setsid();
  const int null = open("/dev/null", O_RDWR);
  dup2(null, 0);
  dup2(null, 1);
  dup2(null, 2);
  for (int fd = 3; fd < 1024; ++fd) {
    if (fd != read_fd) close(fd);
  }
  char buf[64];
  for (;;) {
    const ssize_t n = read(read_fd, buf, sizeof(buf));
    if (n == 0 || (n < 0 && errno != EINTR)) break;
  }
  for (const Argv* argv : {&stop, &remove}) {
    const pid_t child = fork();
    if (child == 0) {
      execv(argv->program().c_str(), argv->get());
      _exit(127);
    }
    int status;
    while (child > 0 && waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
  }
  _exit(0);
}

}  // namespace cse::testing
