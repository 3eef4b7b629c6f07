// The built cse-sidecar binary as a child process of the test, for the
// tests that need the real executable: flags, exit codes, signals, kill -9,
// several replicas sharing one store.
//
// Start() forks and execs the binary with the given flags plus
// --listen=127.0.0.1:<a free port> (unless Options::address names one), in
// a working directory of the test's choosing (the default SQLite store,
// cse-data/, is relative to it), with stdout and stderr going to files in
// that directory. The child is SIGKILLed when the thread that started it
// exits (PR_SET_PDEATHSIG), so a test killed by ctest's timeout leaves no
// sidecar behind: start it from the test's own thread. The destructor
// SIGKILLs a process that is still running and reaps it.
//
// Example:
//   TempDir dir;
//   auto sidecar = SidecarProcess::Start(dir.path(), {"--store=memory"});
//   ASSERT_THAT(sidecar, IsOk());
//   ASSERT_THAT((*sidecar)->WaitUntilServing(), IsOk());
//   auto journey = cse::v1::JourneyService::NewStub((*sidecar)->NewChannel());
//   ...
//   EXPECT_EQ((*sidecar)->Stop(), 0) << (*sidecar)->Stderr();
#ifndef CSE_TESTS_TESTING_SIDECAR_PROCESS_H_
#define CSE_TESTS_TESTING_SIDECAR_PROCESS_H_

#include <grpcpp/channel.h>
#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cse::testing {

// How long a sidecar gets to start serving, or to exit when asked to.
inline constexpr absl::Duration kSidecarProcessLimit = absl::Seconds(30);

class SidecarProcess {
 public:
  struct Options {
    // The binary; empty means DefaultBinary().
    std::string binary;
    // HOST:PORT for --listen; empty means 127.0.0.1 and a free port. When
    // the flags given to Start() have a --listen of their own, no other is
    // added and address() is the one they name.
    std::string address;
    // Output goes to <dir>/<output_prefix>stdout.txt and ...stderr.txt:
    // two sidecars in one directory need different prefixes.
    std::string output_prefix;
    // Append to the output files instead of truncating them, so a restart
    // in the same directory keeps the earlier run's output.
    bool append_output = false;
  };

  // The cse-sidecar built with the tests (CSE_SIDECAR_BINARY).
  static std::string DefaultBinary();

  // Starts the binary with `args` in the working directory `dir`. Fails
  // (INTERNAL) when the output files cannot be opened or fork() fails; a
  // binary that cannot be executed exits with code 127.
  static absl::StatusOr<std::unique_ptr<SidecarProcess>> Start(
      const std::string& dir, std::vector<std::string> args, Options options);
  static absl::StatusOr<std::unique_ptr<SidecarProcess>> Start(
      const std::string& dir, std::vector<std::string> args);

  // SIGKILLs the process if it is still running.
  ~SidecarProcess();
  SidecarProcess(const SidecarProcess&) = delete;
  SidecarProcess& operator=(const SidecarProcess&) = delete;

  // Where it listens ("127.0.0.1:PORT").
  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

  // Waits until its health service reports cse.v1.JourneyService SERVING.
  // UNAVAILABLE with the exit code and the tail of stderr when the process
  // exits first; DEADLINE_EXCEEDED when `limit` passes.
  absl::Status WaitUntilServing(absl::Duration limit = kSidecarProcessLimit);

  // A new channel to address() with a connection of its own
  // (GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL), so concurrent clients in one test
  // do not share one HTTP/2 connection.
  std::shared_ptr<grpc::Channel> NewChannel() const;

  // Sends `sig`; fails the test (ADD_FAILURE) if the process is gone.
  void Signal(int sig);

  // The exit code once it has exited (128 + signal when a signal ended
  // it), or nullopt if it is still running after `limit`.
  std::optional<int> WaitForExit(absl::Duration limit = kSidecarProcessLimit);
  bool Exited() { return WaitForExit(absl::ZeroDuration()).has_value(); }

  // SIGTERM, then waits for the exit: the graceful shutdown. Returns the
  // exit code, or nullopt if it did not exit within `limit` (it is then
  // SIGKILLed).
  std::optional<int> Stop(absl::Duration limit = kSidecarProcessLimit);

  // SIGKILL and reap: a crash. Does nothing once the process has exited.
  void Kill();

  // What it has written so far.
  std::string Stdout() const;
  std::string Stderr() const;

 private:
  SidecarProcess() = default;

  std::string address_;
  std::string stdout_path_;
  std::string stderr_path_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

}  // namespace cse::testing

#endif  // CSE_TESTS_TESTING_SIDECAR_PROCESS_H_
