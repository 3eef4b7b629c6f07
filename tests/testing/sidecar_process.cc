#include "tests/testing/sidecar_process.h"

#include <fcntl.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/free_port.h"
#include "tests/testing/test_sidecar.h"

extern char** environ;

namespace cse::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Tail(const std::string& s, size_t max_bytes = 4000) {
  return s.size() > max_bytes ? s.substr(s.size() - max_bytes) : s;
}

// The address a --listen among `args` names, or "" when there is none.
std::string ListenFlag(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (absl::StartsWith(args[i], "--listen=")) {
      return args[i].substr(std::strlen("--listen="));
    }
    if (args[i] == "--listen" && i + 1 < args.size()) return args[i + 1];
  }
  return "";
}

int WaitStatusToCode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::string SidecarProcess::DefaultBinary() { return CSE_SIDECAR_BINARY; }

absl::StatusOr<std::unique_ptr<SidecarProcess>> SidecarProcess::Start(
    const std::string& dir, std::vector<std::string> args, Options options) {
  std::unique_ptr<SidecarProcess> process(new SidecarProcess());
  process->address_ = ListenFlag(args);
  if (process->address_.empty()) {
    process->address_ = options.address.empty()
                            ? absl::StrCat("127.0.0.1:", FreePort())
                            : options.address;
    args.push_back(absl::StrCat("--listen=", process->address_));
  }
  process->stdout_path_ =
      absl::StrCat(dir, "/", options.output_prefix, "stdout.txt");
  process->stderr_path_ =
      absl::StrCat(dir, "/", options.output_prefix, "stderr.txt");

  // Everything the child needs is prepared before fork(): the child of a
  // multi-threaded process (gRPC's threads) may only make async-signal-safe
  // calls until it execs.
  args.insert(args.begin(),
              options.binary.empty() ? DefaultBinary() : options.binary);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int mode = O_WRONLY | O_CREAT | O_CLOEXEC |
                   (options.append_output ? O_APPEND : O_TRUNC);
  const int out = ::open(process->stdout_path_.c_str(), mode, 0644);
  const int err = ::open(process->stderr_path_.c_str(), mode, 0644);
  if (out < 0 || err < 0) {
    const int saved = errno;
    if (out >= 0) ::close(out);
    if (err >= 0) ::close(err);
    return absl::InternalError(absl::StrCat("cannot open the output files in ",
                                            dir, ": ", std::strerror(saved)));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Dies with the thread that started it (a test killed by a timeout);
    // if that already happened, the signal will never come.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    if (::chdir(dir.c_str()) != 0) ::_exit(126);
    ::execve(argv[0], argv.data(), environ);
    ::_exit(127);
  }
  const int fork_errno = errno;
  ::close(out);
  ::close(err);
  if (pid < 0) {
    return absl::InternalError(
        absl::StrCat("fork: ", std::strerror(fork_errno)));
  }
  process->pid_ = pid;
  return process;
}

absl::StatusOr<std::unique_ptr<SidecarProcess>> SidecarProcess::Start(
    const std::string& dir, std::vector<std::string> args) {
  return Start(dir, std::move(args), Options());
}

SidecarProcess::~SidecarProcess() { Kill(); }

absl::Status SidecarProcess::WaitUntilServing(absl::Duration limit) {
  // The process may not listen yet: retry the connection quickly instead of
  // gRPC's default 1 s initial backoff.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 20);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 20);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto health = grpc::health::v1::Health::NewStub(grpc::CreateCustomChannel(
      address_, grpc::InsecureChannelCredentials(), args));
  const absl::Time deadline = absl::Now() + limit;
  std::string last_error = "no answer";
  while (absl::Now() < deadline) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service("cse.v1.JourneyService");
    grpc::health::v1::HealthCheckResponse response;
    // wait_for_ready: block until the port accepts, bounded by the
    // deadline; short, so an exit is noticed soon.
    auto context = ContextWithDeadline(
        std::min(absl::Milliseconds(500), deadline - absl::Now()));
    context->set_wait_for_ready(true);
    const grpc::Status s = health->Check(context.get(), request, &response);
    if (s.ok() &&
        response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      // Our channel is closed on return: gRPC's shutdown also waits (up to
      // the grace period) for connected clients to go away after GOAWAY.
      return absl::OkStatus();
    }
    last_error = s.ok() ? absl::StrCat("health status ", response.status())
                        : s.error_message();
    if (std::optional<int> code = WaitForExit(absl::ZeroDuration())) {
      return absl::UnavailableError(
          absl::StrCat("cse-sidecar on ", address_, " exited with code ", *code,
                       " before serving; stderr:\n", Tail(Stderr())));
    }
  }
  return absl::DeadlineExceededError(
      absl::StrCat("cse-sidecar on ", address_, " not serving after ",
                   absl::FormatDuration(limit), " (", last_error,
                   "); stderr:\n", Tail(Stderr())));
}

std::shared_ptr<grpc::Channel> SidecarProcess::NewChannel() const {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(),
                                   args);
}

void SidecarProcess::Signal(int sig) {
  if (pid_ <= 0 || exit_code_.has_value()) {
    ADD_FAILURE() << "signal " << sig << " to a cse-sidecar that has exited";
    return;
  }
  EXPECT_EQ(::kill(pid_, sig), 0) << std::strerror(errno);
}

std::optional<int> SidecarProcess::WaitForExit(absl::Duration limit) {
  if (exit_code_.has_value() || pid_ <= 0) return exit_code_;
  const absl::Time deadline = absl::Now() + limit;
  while (true) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WaitStatusToCode(status);
      return exit_code_;
    }
    if (r < 0 && errno != EINTR) {
      ADD_FAILURE() << "waitpid(" << pid_ << "): " << std::strerror(errno);
      return std::nullopt;
    }
    if (absl::Now() >= deadline) return std::nullopt;
    absl::SleepFor(absl::Milliseconds(10));
  }
}

std::optional<int> SidecarProcess::Stop(absl::Duration limit) {
  if (exit_code_.has_value()) return exit_code_;
  Signal(SIGTERM);
  std::optional<int> code = WaitForExit(limit);
  if (!code.has_value()) Kill();
  return code;
}

void SidecarProcess::Kill() {
  if (pid_ <= 0 || exit_code_.has_value()) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_code_ = WaitStatusToCode(status);
}

std::string SidecarProcess::Stdout() const { return ReadFile(stdout_path_); }
std::string SidecarProcess::Stderr() const { return ReadFile(stderr_path_); }

}  // namespace cse::testing
