// Running the helper programs of the test servers (pg_ctl, rt-up.sh...):
// argv prepared before fork(), a run with its output appended to a log,
// and a watchdog that tears a server down when the test process goes away.
// Shared by PostgresServer and RequestTrackerServer.
#ifndef CSE_TESTS_TESTING_CHILD_PROCESS_H_
#define CSE_TESTS_TESTING_CHILD_PROCESS_H_

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cse::testing {

// argv for execv, kept alive with its strings. Built before fork(): the
// child of a possibly multi-threaded process may only make async-signal-safe
// calls until it execs.
class Argv {
 public:
  explicit Argv(std::vector<std::string> args);
  char* const* get() const { return ptrs_.data(); }
  const std::string& program() const { return args_.front(); }
  std::string ToString() const;

 private:
  std::vector<std::string> args_;
  std::vector<char*> ptrs_;
};

// The last `max_bytes` of a log file, for error messages.
std::string FileTail(const std::string& path, size_t max_bytes = 2000);

// Runs argv with stdin from /dev/null, stdout and stderr appended to `log`
// (created with `log_mode`) and no other descriptors of the test open (a
// server it starts must not hold the test's sockets); waits for it.
// Returns its exit status, or -1 when it did not exit normally.
absl::StatusOr<int> RunLogged(const Argv& argv, const std::string& log,
                              int log_mode);

// Forks the process that owns a server's lifetime: it waits for EOF on
// `read_fd` (the test closed the pipe or died), then runs `stop` and
// `remove`. It leaves the test's session so a kill aimed at the test's
// process group does not take it along.
pid_t StartWatchdog(int read_fd, const Argv& stop, const Argv& remove);

}  // namespace cse::testing

#endif  // CSE_TESTS_TESTING_CHILD_PROCESS_H_
