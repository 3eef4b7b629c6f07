// cse-load: a gRPC load generator for the sidecar's IngestTicket.
//
// An async client (one CompletionQueue per client thread) drives N
// channels, each its own TCP connection, with M calls in flight per
// channel (closed loop) or at a fixed offered rate (open loop, latency
// measured from the scheduled send time so a stalled server cannot hide
// its queueing). Every request carries a unique event id, so the sidecar
// does a real ingest each time; bodies come from a few realistic ~1 KB
// tickets (tests/bench/sample_events.cc).
//
// Modes:
//   cse-load --target=127.0.0.1:PORT [--rate=QPS] ...
//       One run against a server that is already up.
//   cse-load --compare [--sidecar=PATH] [--empty-server=PATH] ...
//       Starts the real cse-sidecar and cse-empty-server on free loopback
//       ports, pinned to one core (the client on another), and in the same
//       run: alternates closed-loop runs A/B/A/B, sweeps the in-flight count
//       to find each server's peak, then offers 80% of the sidecar's peak
//       at a fixed rate to both. Prints a table and the ratios.
//
// Only loopback targets are accepted: this is a benchmark, not a tool to
// point at someone else's service. Every loop is bounded by time and count.
#include <fcntl.h>
#include <grpc/support/time.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/completion_queue.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "tests/bench/latency_histogram.h"
#include "tests/bench/sample_events.h"

#ifndef CSE_DEFAULT_SIDECAR_PATH
#define CSE_DEFAULT_SIDECAR_PATH ""
#endif

namespace cse::bench {
namespace {

using Clock = std::chrono::steady_clock;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             Clock::now().time_since_epoch())
      .count();
}

int64_t SecondsToNs(double s) { return static_cast<int64_t>(s * 1e9); }

// User + system CPU seconds of this process (all threads).
double SelfCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

// User + system CPU seconds of process `pid` (all threads) from
// /proc/PID/stat, clock-tick resolution; < 0 when it cannot be read.
double ProcessCpuSeconds(pid_t pid) {
  if (pid <= 0) return -1;
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(in, line)) return -1;
  // Fields after the ")" that closes the command name: state is field 3,
  // utime field 14, stime field 15.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::vector<absl::string_view> f =
      absl::StrSplit(absl::string_view(line).substr(close + 2), ' ');
  uint64_t utime = 0, stime = 0;
  if (f.size() < 13 || !absl::SimpleAtoi(f[11], &utime) ||
      !absl::SimpleAtoi(f[12], &stime)) {
    return -1;
  }
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

// ---------------------------------------------------------------------------
// Options

struct Options {
  std::string target;  // --target mode
  bool compare = false;
  int channels = 4;
  int inflight = 8;  // per channel, closed loop
  int client_threads = 1;
  double warmup_s = 2;
  double duration_s = 10;
  double rate = 0;  // total offered QPS; 0 = closed loop
  int max_outstanding = 4096;
  bool explain = false;
  // --compare
  int rounds = 3;
  std::vector<int> sweep = {1, 2, 4, 8, 16};
  double sweep_duration_s = 3;
  double sweep_warmup_s = 1;
  double paced_fraction = 0.8;
  std::string sidecar_path = CSE_DEFAULT_SIDECAR_PATH;
  std::string empty_server_path;
  std::vector<std::string> sidecar_args;
  int server_cpu = -1;  // -1: choose; -2: do not pin
  int client_cpu = -1;
  bool pin = true;
  std::string log_dir = "/tmp";
};

constexpr char kUsage[] = R"(usage:
  cse-load --target=127.0.0.1:PORT [options]   one run against a running server
  cse-load --compare [options]                 sidecar vs empty handler, same run

load options:
  --channels=N          connections (separate channels), 1..256 [4]
  --inflight=M          calls in flight per channel (closed loop), 1..1024 [8]
  --client-threads=T    client threads, one CompletionQueue each, 1..32 [1]
  --warmup=SECONDS      not measured, 0..60 [2]
  --duration=SECONDS    measured, 0.5..600 [10]
  --rate=QPS            open loop at this total rate (0 = closed loop) [0]
  --max-outstanding=K   open loop: cap on calls in flight, 1..100000 [4096]
  --explain             set options.explain in every request

--compare options:
  --rounds=R            closed-loop rounds per server, alternating, 1..20 [3]
  --sweep=LIST          in-flight per channel for the peak sweep [1,2,4,8,16]
  --sweep-duration=S    measured seconds per sweep point, 0.5..60 [3]
  --paced-fraction=F    open-loop rate as a fraction of the sidecar's peak [0.8]
  --sidecar=PATH        cse-sidecar binary [built-in path]
  --empty-server=PATH   cse-empty-server binary [next to cse-load]
  --sidecar-arg=ARG     extra argument for cse-sidecar (repeatable),
                        e.g. --sidecar-arg=--config=mapping.yaml
  --server-cpu=N        pin both servers to CPU N [first allowed CPU]
  --client-cpu=N        pin this client to CPU N [second allowed CPU]
  --no-pin              do not pin anything
  --log-dir=DIR         server logs go to DIR/cse-load-<pid>-*.log [/tmp]
)";

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "cse-load: %s\n", message.c_str());
  std::exit(2);
}

template <typename T>
T ParseNumber(absl::string_view flag, absl::string_view value, T lo, T hi) {
  T v{};
  bool ok;
  if constexpr (std::is_floating_point_v<T>) {
    ok = absl::SimpleAtod(value, &v);
  } else {
    ok = absl::SimpleAtoi(value, &v);
  }
  if (!ok || !(v >= lo && v <= hi)) {
    Fail(absl::StrCat(flag, ": \"", value, "\" is not a number in [", lo, ", ",
                      hi, "]"));
  }
  return v;
}

// Accepts only loopback: "127.0.0.1:PORT" or "localhost:PORT".
std::string CheckTarget(absl::string_view target) {
  const size_t colon = target.rfind(':');
  if (colon == absl::string_view::npos) {
    Fail(absl::StrCat("--target: \"", target, "\": expected 127.0.0.1:PORT"));
  }
  absl::string_view host = target.substr(0, colon);
  const int port =
      ParseNumber<int>("--target port", target.substr(colon + 1), 1, 65535);
  if (host != "127.0.0.1" && host != "localhost") {
    Fail(absl::StrCat("--target: \"", target,
                      "\": only 127.0.0.1 (loopback) targets are allowed"));
  }
  return absl::StrCat("127.0.0.1:", port);
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  bool saw_target = false;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (!absl::StartsWith(arg, "--")) {
      Fail(absl::StrCat("unexpected argument \"", arg, "\" (see --help)"));
    }
    absl::string_view name = arg;
    absl::string_view value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    auto need = [&]() -> absl::string_view {
      if (has_value) return value;
      if (i + 1 >= argc) Fail(absl::StrCat(name, ": missing value"));
      return argv[++i];
    };
    auto no_value = [&] {
      if (has_value) Fail(absl::StrCat(name, " takes no value"));
    };
    if (name == "--target") {
      o.target = CheckTarget(need());
      saw_target = true;
    } else if (name == "--compare") {
      no_value();
      o.compare = true;
    } else if (name == "--channels") {
      o.channels = ParseNumber<int>(name, need(), 1, 256);
    } else if (name == "--inflight") {
      o.inflight = ParseNumber<int>(name, need(), 1, 1024);
    } else if (name == "--client-threads") {
      o.client_threads = ParseNumber<int>(name, need(), 1, 32);
    } else if (name == "--warmup") {
      o.warmup_s = ParseNumber<double>(name, need(), 0, 60);
    } else if (name == "--duration") {
      o.duration_s = ParseNumber<double>(name, need(), 0.5, 600);
    } else if (name == "--rate") {
      o.rate = ParseNumber<double>(name, need(), 0, 1e6);
    } else if (name == "--max-outstanding") {
      o.max_outstanding = ParseNumber<int>(name, need(), 1, 100000);
    } else if (name == "--explain") {
      no_value();
      o.explain = true;
    } else if (name == "--rounds") {
      o.rounds = ParseNumber<int>(name, need(), 1, 20);
    } else if (name == "--sweep") {
      o.sweep.clear();
      for (absl::string_view part : absl::StrSplit(need(), ',')) {
        o.sweep.push_back(ParseNumber<int>("--sweep element", part, 1, 1024));
      }
      if (o.sweep.size() > 12) Fail("--sweep: at most 12 points");
    } else if (name == "--sweep-duration") {
      o.sweep_duration_s = ParseNumber<double>(name, need(), 0.5, 60);
    } else if (name == "--paced-fraction") {
      o.paced_fraction = ParseNumber<double>(name, need(), 0.05, 1.5);
    } else if (name == "--sidecar") {
      o.sidecar_path = std::string(need());
    } else if (name == "--empty-server") {
      o.empty_server_path = std::string(need());
    } else if (name == "--sidecar-arg") {
      o.sidecar_args.emplace_back(need());
    } else if (name == "--server-cpu") {
      o.server_cpu = ParseNumber<int>(name, need(), 0, CPU_SETSIZE - 1);
    } else if (name == "--client-cpu") {
      o.client_cpu = ParseNumber<int>(name, need(), 0, CPU_SETSIZE - 1);
    } else if (name == "--no-pin") {
      no_value();
      o.pin = false;
    } else if (name == "--log-dir") {
      o.log_dir = std::string(need());
    } else {
      Fail(absl::StrCat("unknown flag \"", name, "\" (see --help)"));
    }
  }
  if (saw_target == o.compare) {
    Fail("give exactly one of --target=127.0.0.1:PORT or --compare");
  }
  if (o.compare && o.rate > 0) {
    Fail("--rate is for --target runs; --compare picks its own rate");
  }
  if (o.client_threads > o.channels) {
    Fail("--client-threads must not exceed --channels");
  }
  return o;
}

// ---------------------------------------------------------------------------
// One load run

struct RunSpec {
  std::string target;
  int channels = 4;
  int inflight = 8;  // per channel; closed loop
  int threads = 1;
  double rate = 0;  // open loop when > 0
  int max_outstanding = 4096;
  double warmup_s = 2;
  double duration_s = 10;
  bool explain = false;
  std::string id_prefix;  // unique per run
  // The server process, when known (--compare): its CPU time over the
  // measured window is reported per call.
  pid_t server_pid = -1;
};

struct RunResult {
  double seconds = 0;
  uint64_t ok = 0;
  uint64_t sent = 0;
  // Open loop: sends skipped because max_outstanding calls were in flight.
  uint64_t skipped = 0;
  std::map<int, uint64_t> errors;  // by grpc::StatusCode
  LatencyHistogram latency;
  // CPU seconds (user + system, all threads) over the measured window:
  // this client's, and the server's when its pid is known (else < 0). The
  // server's CPU per call is a throughput figure that holds up when other
  // work on the machine steals cycles; the client's tells whether the load
  // tool itself is the bottleneck (near 1 CPU second per second: it is).
  double client_cpu_s = 0;
  double server_cpu_s = -1;

  double qps() const { return seconds > 0 ? ok / seconds : 0; }
  double client_cpu_fraction() const {
    return seconds > 0 ? client_cpu_s / seconds : 0;
  }
  // Server CPU microseconds per successful call; < 0 when unknown.
  double server_us_per_call() const {
    return server_cpu_s >= 0 && ok > 0 ? 1e6 * server_cpu_s / ok : -1;
  }
  uint64_t error_count() const {
    uint64_t n = 0;
    for (const auto& [code, count] : errors) n += count;
    return n;
  }
};

struct Call {
  grpc::ClientContext context;
  cse::v1::IngestResponse response;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncResponseReader<cse::v1::IngestResponse>>
      reader;
  int64_t start_ns = 0;  // actual (closed loop) or scheduled (open loop)
  int channel = 0;
};

// How long outstanding calls may take to finish after the measured window
// before they are cancelled, and the per-call deadline.
constexpr int64_t kDrainNs = 5'000'000'000;
constexpr auto kCallDeadline = std::chrono::seconds(10);

class Worker {
 public:
  Worker(const RunSpec& spec, int index,
         std::vector<std::unique_ptr<cse::v1::JourneyService::Stub>*> stubs,
         std::vector<cse::v1::IngestTicketRequest> templates)
      : spec_(spec),
        index_(index),
        stubs_(std::move(stubs)),
        templates_(std::move(templates)) {}

  // Runs from `t0` until every call has finished.
  void Run(int64_t t0) {
    const int64_t warm_end = t0 + SecondsToNs(spec_.warmup_s);
    const int64_t end = warm_end + SecondsToNs(spec_.duration_s);
    const bool paced = spec_.rate > 0;
    const int64_t interval =
        paced ? static_cast<int64_t>(1e9 * spec_.threads / spec_.rate) : 0;
    // Stagger the threads' schedules within one interval.
    int64_t next_send = t0 + interval * index_ / std::max(1, spec_.threads);
    size_t next_channel = 0;

    if (!paced) {
      for (size_t ch = 0; ch < stubs_.size(); ++ch) {
        for (int j = 0; j < spec_.inflight; ++j) Issue(ch, NowNs());
      }
    }
    bool cancelled = false;
    // Bounded: stops issuing at `end`, cancels at end + kDrainNs, and a
    // cancelled call always completes.
    while (true) {
      int64_t now = NowNs();
      if (paced && now < end) {
        while (next_send <= now && next_send < end) {
          if (outstanding_.size() <
              static_cast<size_t>(spec_.max_outstanding)) {
            Issue(next_channel, next_send);
            next_channel = (next_channel + 1) % stubs_.size();
          } else if (next_send >= warm_end) {
            ++result_.skipped;
          }
          next_send += interval;
        }
      }
      if (now >= end && outstanding_.empty()) break;
      if (now >= end + kDrainNs && !cancelled) {
        for (Call* c : outstanding_) c->context.TryCancel();
        cancelled = true;
      }
      int64_t wait_until = now + 50'000'000;
      if (paced && now < end) wait_until = std::min(wait_until, next_send);
      void* tag = nullptr;
      bool ok = false;
      const gpr_timespec deadline = gpr_time_add(
          gpr_now(GPR_CLOCK_MONOTONIC),
          gpr_time_from_nanos(std::max<int64_t>(0, wait_until - now),
                              GPR_TIMESPAN));
      const auto status = cq_.AsyncNext(&tag, &ok, deadline);
      if (status == grpc::CompletionQueue::SHUTDOWN) break;
      if (status != grpc::CompletionQueue::GOT_EVENT) continue;
      auto* call = static_cast<Call*>(tag);
      now = NowNs();
      outstanding_.erase(call);
      if (now >= warm_end && now < end) {
        if (call->status.ok()) {
          ++result_.ok;
          result_.latency.Record(static_cast<uint64_t>(
              std::max<int64_t>(0, now - call->start_ns)));
        } else {
          ++result_.errors[call->status.error_code()];
        }
      }
      const int channel = call->channel;
      delete call;
      if (!paced && now < end) Issue(channel, now);
    }
    cq_.Shutdown();
    void* tag;
    bool ok;
    while (cq_.Next(&tag, &ok)) {
    }
  }

  const RunResult& result() const { return result_; }

 private:
  void Issue(size_t channel, int64_t start_ns) {
    cse::v1::IngestTicketRequest& req = templates_[seq_ % templates_.size()];
    // The idempotency key: unique per request so every call is a real
    // ingest, never a duplicate answered from the store.
    req.mutable_event()->set_event_id(
        absl::StrCat(spec_.id_prefix, index_, "-", seq_));
    ++seq_;
    auto* call = new Call;
    call->start_ns = start_ns;
    call->channel = static_cast<int>(channel);
    call->context.set_deadline(std::chrono::system_clock::now() +
                               kCallDeadline);
    call->reader =
        (*stubs_[channel])->PrepareAsyncIngestTicket(&call->context, req, &cq_);
    call->reader->StartCall();
    call->reader->Finish(&call->response, &call->status, call);
    outstanding_.insert(call);
    ++result_.sent;
  }

  const RunSpec& spec_;
  const int index_;
  std::vector<std::unique_ptr<cse::v1::JourneyService::Stub>*> stubs_;
  std::vector<cse::v1::IngestTicketRequest> templates_;
  grpc::CompletionQueue cq_;
  std::unordered_set<Call*> outstanding_;
  uint64_t seq_ = 0;
  RunResult result_;
};

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target, int id) {
  grpc::ChannelArguments args;
  // A distinct argument per channel plus a local subchannel pool: each
  // channel gets its own TCP connection instead of sharing one.
  args.SetInt("cse.load.channel_id", id);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

std::vector<cse::v1::IngestTicketRequest> RequestTemplates(bool explain) {
  std::vector<cse::v1::IngestTicketRequest> out;
  for (cse::v1::TicketEvent& t : LoadTickets()) {
    cse::v1::IngestTicketRequest req;
    *req.mutable_event() = std::move(t);
    if (explain) req.mutable_options()->set_explain(true);
    out.push_back(std::move(req));
  }
  return out;
}

RunResult RunLoad(const RunSpec& spec) {
  std::vector<std::unique_ptr<cse::v1::JourneyService::Stub>> stubs;
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < spec.channels; ++i) {
    channels.push_back(MakeChannel(spec.target, i));
    stubs.push_back(cse::v1::JourneyService::NewStub(channels.back()));
  }
  for (auto& ch : channels) {
    if (!ch->WaitForConnected(std::chrono::system_clock::now() +
                              std::chrono::seconds(5))) {
      Fail(absl::StrCat("cannot connect to ", spec.target));
    }
  }
  const auto templates = RequestTemplates(spec.explain);
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < spec.threads; ++t) {
    std::vector<std::unique_ptr<cse::v1::JourneyService::Stub>*> mine;
    for (int c = t; c < spec.channels; c += spec.threads) {
      mine.push_back(&stubs[c]);
    }
    workers.push_back(std::make_unique<Worker>(spec, t, mine, templates));
  }
  const int64_t t0 = NowNs();
  std::vector<std::thread> threads;
  for (auto& w : workers) {
    threads.emplace_back([&w, t0] { w->Run(t0); });
  }
  // CPU time over the measured window only, sampled from this thread
  // (which does nothing else) at its start and end.
  auto sleep_until = [](int64_t ns) {
    const int64_t now = NowNs();
    if (ns > now)
      std::this_thread::sleep_for(std::chrono::nanoseconds(ns - now));
  };
  const int64_t warm_end = t0 + SecondsToNs(spec.warmup_s);
  sleep_until(warm_end);
  const double client0 = SelfCpuSeconds();
  const double server0 = ProcessCpuSeconds(spec.server_pid);
  sleep_until(warm_end + SecondsToNs(spec.duration_s));
  const double client1 = SelfCpuSeconds();
  const double server1 = ProcessCpuSeconds(spec.server_pid);
  for (auto& t : threads) t.join();

  RunResult total;
  total.seconds = spec.duration_s;
  total.client_cpu_s = client1 - client0;
  if (server0 >= 0 && server1 >= 0) total.server_cpu_s = server1 - server0;
  for (const auto& w : workers) {
    const RunResult& r = w->result();
    total.ok += r.ok;
    total.sent += r.sent;
    total.skipped += r.skipped;
    for (const auto& [code, n] : r.errors) total.errors[code] += n;
    total.latency.Merge(r.latency);
  }
  return total;
}

// ---------------------------------------------------------------------------
// Output

std::string Us(uint64_t ns) { return absl::StrFormat("%.0f", ns / 1000.0); }

std::string ErrorSummary(const RunResult& r) {
  if (r.errors.empty()) return "0";
  std::vector<std::string> parts;
  for (const auto& [code, n] : r.errors) {
    parts.push_back(absl::StrCat(n, "x", code));
  }
  return absl::StrJoin(parts, ",");
}

void PrintHeader() {
  std::printf("%-4s %-8s %-6s %-10s %9s %8s %8s %8s %8s %8s %7s %7s  %s\n",
              "run", "server", "mode", "in-flight", "qps", "p50_us", "p90_us",
              "p99_us", "p999_us", "max_us", "srv_us", "cli_cpu",
              "errors(n x code)");
}

void PrintRow(const std::string& run, const std::string& server,
              const RunSpec& spec, const RunResult& r) {
  const std::string inflight =
      spec.rate > 0 ? absl::StrCat("<=", spec.max_outstanding)
                    : absl::StrCat(spec.channels, "x", spec.inflight, "=",
                                   spec.channels * spec.inflight);
  const std::string skipped =
      r.skipped > 0 ? absl::StrCat(" skipped=", r.skipped) : "";
  // srv_us: server CPU microseconds per call; cli_cpu: this client's CPU
  // use in CPUs (1.00 = one core saturated).
  const std::string srv_us =
      r.server_us_per_call() >= 0
          ? absl::StrFormat("%.1f", r.server_us_per_call())
          : std::string("-");
  std::printf(
      "%-4s %-8s %-6s %-10s %9.0f %8s %8s %8s %8s %8s %7s %7.2f  %s%s\n",
      run.c_str(), server.c_str(), spec.rate > 0 ? "paced" : "closed",
      inflight.c_str(), r.qps(), Us(r.latency.Percentile(50)).c_str(),
      Us(r.latency.Percentile(90)).c_str(),
      Us(r.latency.Percentile(99)).c_str(),
      Us(r.latency.Percentile(99.9)).c_str(), Us(r.latency.max()).c_str(),
      srv_us.c_str(), r.client_cpu_fraction(), ErrorSummary(r).c_str(),
      skipped.c_str());
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------
// Servers as subprocesses (--compare)

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) Fail("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    Fail("cannot find a free loopback port");
  }
  const int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

void PinToCpu(pid_t pid, int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(pid, sizeof(set), &set) != 0) {
    Fail(absl::StrCat("cannot pin to CPU ", cpu, ": ", std::strerror(errno)));
  }
}

class ServerProcess {
 public:
  ServerProcess(std::string name, std::string path,
                std::vector<std::string> args, int cpu, std::string log_path)
      : name_(std::move(name)), log_path_(std::move(log_path)) {
    if (access(path.c_str(), X_OK) != 0) {
      Fail(absl::StrCat(name_, ": \"", path, "\" is not an executable"));
    }
    std::vector<std::string> argv_s = {path};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) Fail("fork() failed");
    if (pid_ == 0) {
      // Child: die with the load tool, pin, log to a file, exec.
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != parent) _exit(1);
      if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        sched_setaffinity(0, sizeof(set), &set);
      }
      const int fd =
          open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
      }
      std::vector<char*> argv;
      for (auto& a : argv_s) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    command_ = absl::StrJoin(argv_s, " ");
  }

  ~ServerProcess() { Stop(); }

  bool Exited() {
    if (pid_ <= 0) return true;
    int st;
    if (waitpid(pid_, &st, WNOHANG) == pid_) {
      pid_ = -1;
      return true;
    }
    return false;
  }

  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {  // up to 5 s
      if (Exited()) return;
      usleep(50'000);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  std::string LogTail() const {
    std::ifstream in(log_path_);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    if (s.size() > 2000) s = s.substr(s.size() - 2000);
    return s;
  }

  const std::string& name() const { return name_; }
  const std::string& command() const { return command_; }
  const std::string& log_path() const { return log_path_; }
  pid_t pid() const { return pid_; }

 private:
  std::string name_;
  std::string log_path_;
  std::string command_;
  pid_t pid_ = -1;
};

// Waits until one IngestTicket succeeds (up to 30 s).
void WaitReady(ServerProcess& server, const std::string& target) {
  auto channel = MakeChannel(target, -1);
  auto stub = cse::v1::JourneyService::NewStub(channel);
  cse::v1::IngestTicketRequest req = RequestTemplates(false).front();
  req.mutable_event()->set_event_id(absl::StrCat("probe-", getpid()));
  const int64_t give_up = NowNs() + SecondsToNs(30);
  grpc::Status last;
  for (int attempt = 0; NowNs() < give_up && attempt < 300; ++attempt) {
    if (server.Exited()) {
      Fail(absl::StrCat(server.name(), " exited during start-up (",
                        server.command(), "); its log:\n", server.LogTail()));
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::milliseconds(500));
    ctx.set_wait_for_ready(true);
    cse::v1::IngestResponse resp;
    last = stub->IngestTicket(&ctx, req, &resp);
    if (last.ok()) return;
    usleep(100'000);
  }
  Fail(absl::StrCat(server.name(), " at ", target, " did not answer (",
                    last.error_message(), "); log ", server.log_path(), ":\n",
                    server.LogTail()));
}

std::string SelfDir() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return ".";
  std::string p(buf, n);
  return p.substr(0, p.rfind('/'));
}

std::vector<int> AllowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> out;
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return out;
  for (int i = 0; i < CPU_SETSIZE; ++i) {
    if (CPU_ISSET(i, &set)) out.push_back(i);
  }
  return out;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int Compare(const Options& o) {
  // Pinning: servers on one core, this client on another, so the two do
  // not compete for a core inside a run (document: README "Performance").
  int server_cpu = -1;
  int client_cpu = -1;
  const std::vector<int> cpus = AllowedCpus();
  if (o.pin && cpus.size() >= 2) {
    server_cpu = o.server_cpu >= 0 ? o.server_cpu : cpus[0];
    client_cpu = o.client_cpu >= 0 ? o.client_cpu : cpus[1];
    if (server_cpu == client_cpu) Fail("--server-cpu equals --client-cpu");
    PinToCpu(0, client_cpu);
  }

  const std::string dir = SelfDir();
  const std::string empty_path = o.empty_server_path.empty()
                                     ? dir + "/cse-empty-server"
                                     : o.empty_server_path;
  if (o.sidecar_path.empty()) {
    Fail("--sidecar=PATH is required (no cse-sidecar target was built)");
  }
  const int sidecar_port = FreeLoopbackPort();
  int empty_port = FreeLoopbackPort();
  for (int i = 0; i < 10 && empty_port == sidecar_port; ++i) {
    empty_port = FreeLoopbackPort();
  }
  const std::string sidecar_target = absl::StrCat("127.0.0.1:", sidecar_port);
  const std::string empty_target = absl::StrCat("127.0.0.1:", empty_port);
  const std::string log_base = absl::StrCat(o.log_dir, "/cse-load-", getpid());

  // The in-memory journey store unless --sidecar-arg says otherwise: this
  // compares the request path (checks, engine, conversion) with an empty
  // handler; the durable stores have their own benchmarks.
  std::vector<std::string> sidecar_args = {
      absl::StrCat("--listen=", sidecar_target)};
  if (std::none_of(o.sidecar_args.begin(), o.sidecar_args.end(),
                   [](const std::string& a) {
                     return absl::StartsWith(a, "--store");
                   })) {
    sidecar_args.emplace_back("--store=memory");
  }
  sidecar_args.insert(sidecar_args.end(), o.sidecar_args.begin(),
                      o.sidecar_args.end());
  ServerProcess sidecar("cse-sidecar", o.sidecar_path, sidecar_args, server_cpu,
                        log_base + "-sidecar.log");
  ServerProcess empty("cse-empty-server", empty_path,
                      {absl::StrCat("--listen=", empty_target)}, server_cpu,
                      log_base + "-empty.log");
  WaitReady(sidecar, sidecar_target);
  WaitReady(empty, empty_target);

  std::printf("# cse-load --compare\n");
  std::printf("# sidecar: %s (log %s)\n", sidecar.command().c_str(),
              sidecar.log_path().c_str());
  std::printf("# empty:   %s (log %s)\n", empty.command().c_str(),
              empty.log_path().c_str());
  if (server_cpu >= 0) {
    std::printf("# pinning: servers on CPU %d, client on CPU %d\n", server_cpu,
                client_cpu);
  } else {
    std::printf("# pinning: off (%zu CPUs allowed)\n", cpus.size());
  }
  std::printf(
      "# client: %d channels, %d thread(s); warm-up %.1f s, measured %.1f s "
      "per run; ~1 KB tickets, unique event ids\n\n",
      o.channels, o.client_threads, o.warmup_s, o.duration_s);

  struct Server {
    std::string name;
    std::string target;
    pid_t pid;
  };
  const Server servers[2] = {{"sidecar", sidecar_target, sidecar.pid()},
                             {"empty", empty_target, empty.pid()}};
  int run_no = 0;
  auto spec_for = [&](const Server& s) {
    RunSpec spec;
    spec.target = s.target;
    spec.server_pid = s.pid;
    spec.channels = o.channels;
    spec.inflight = o.inflight;
    spec.threads = o.client_threads;
    spec.warmup_s = o.warmup_s;
    spec.duration_s = o.duration_s;
    spec.max_outstanding = o.max_outstanding;
    spec.explain = o.explain;
    return spec;
  };
  auto run = [&](const Server& s, RunSpec spec) {
    spec.id_prefix = absl::StrCat("load-", getpid(), "-", ++run_no, "-");
    RunResult r = RunLoad(spec);
    PrintRow(std::to_string(run_no), s.name, spec, r);
    return r;
  };

  // 1. Closed loop, alternating A/B.
  std::printf("## closed loop, %d rounds alternating\n", o.rounds);
  PrintHeader();
  std::vector<double> qps[2];
  std::vector<double> cpu_per_call[2];  // server CPU us per call
  std::vector<double> client_cpus[2];
  LatencyHistogram pooled[2];
  uint64_t errors[2] = {0, 0};
  double peak[2] = {0, 0};
  int peak_inflight[2] = {o.inflight, o.inflight};
  for (int round = 0; round < o.rounds; ++round) {
    for (int k = 0; k < 2; ++k) {
      RunResult r = run(servers[k], spec_for(servers[k]));
      qps[k].push_back(r.qps());
      if (r.server_us_per_call() >= 0) {
        cpu_per_call[k].push_back(r.server_us_per_call());
      }
      client_cpus[k].push_back(r.client_cpu_fraction());
      pooled[k].Merge(r.latency);
      errors[k] += r.error_count();
      if (r.qps() > peak[k]) peak[k] = r.qps();
    }
  }

  // 2. Peak sweep over in-flight per channel, alternating.
  std::printf("\n## peak sweep (%.1f s per point)\n", o.sweep_duration_s);
  PrintHeader();
  for (int m : o.sweep) {
    for (int k = 0; k < 2; ++k) {
      RunSpec spec = spec_for(servers[k]);
      spec.inflight = m;
      spec.warmup_s = o.sweep_warmup_s;
      spec.duration_s = o.sweep_duration_s;
      RunResult r = run(servers[k], spec);
      errors[k] += r.error_count();
      if (r.qps() > peak[k]) {
        peak[k] = r.qps();
        peak_inflight[k] = m;
      }
    }
  }

  // 3. Open loop at a fraction of the sidecar's peak, same rate for both.
  const double rate = o.paced_fraction * peak[0];
  std::printf("\n## open loop at %.0f%% of the sidecar's peak (%.0f/s)\n",
              o.paced_fraction * 100, rate);
  PrintHeader();
  RunResult paced[2];
  for (int k = 0; k < 2; ++k) {
    RunSpec spec = spec_for(servers[k]);
    spec.rate = rate;
    paced[k] = run(servers[k], spec);
    errors[k] += paced[k].error_count();
  }

  const double med_s = Median(qps[0]);
  const double med_e = Median(qps[1]);
  std::printf("\n## summary\n");
  std::printf(
      "closed loop %dx%d: sidecar median %.0f qps, empty median %.0f qps, "
      "ratio sidecar/empty %.2f\n",
      o.channels, o.inflight, med_s, med_e, med_e > 0 ? med_s / med_e : 0);
  for (int k = 0; k < 2; ++k) {
    std::printf(
        "  %-7s pooled latency over %d runs: p50 %s us, p99 %s us, p999 %s "
        "us\n",
        servers[k].name.c_str(), o.rounds, Us(pooled[k].Percentile(50)).c_str(),
        Us(pooled[k].Percentile(99)).c_str(),
        Us(pooled[k].Percentile(99.9)).c_str());
  }
  // Server CPU per call: the same comparison with the machine's other load
  // factored out (both servers are pinned to one core, so when the core is
  // theirs alone, qps ~ 1e6 / us-per-call).
  const double cpu_s = Median(cpu_per_call[0]);
  const double cpu_e = Median(cpu_per_call[1]);
  std::printf(
      "server CPU per call (median): sidecar %.1f us, empty %.1f us, ratio "
      "empty/sidecar %.2f; client CPU (median) %.2f / %.2f CPUs\n",
      cpu_s, cpu_e, cpu_s > 0 ? cpu_e / cpu_s : 0, Median(client_cpus[0]),
      Median(client_cpus[1]));
  std::printf(
      "peak: sidecar %.0f qps (%dx%d in flight), empty %.0f qps (%dx%d); "
      "ratio %.2f\n",
      peak[0], o.channels, peak_inflight[0], peak[1], o.channels,
      peak_inflight[1], peak[1] > 0 ? peak[0] / peak[1] : 0);
  for (int k = 0; k < 2; ++k) {
    std::printf(
        "paced %.0f/s (%.0f%% of sidecar peak) %-7s: achieved %.0f qps, p50 "
        "%s us, p99 %s us, p999 %s us\n",
        rate, o.paced_fraction * 100, servers[k].name.c_str(), paced[k].qps(),
        Us(paced[k].latency.Percentile(50)).c_str(),
        Us(paced[k].latency.Percentile(99)).c_str(),
        Us(paced[k].latency.Percentile(99.9)).c_str());
  }
  std::printf("errors: sidecar %llu, empty %llu\n",
              static_cast<unsigned long long>(errors[0]),
              static_cast<unsigned long long>(errors[1]));
  std::printf(
      "RESULT sidecar_qps=%.0f empty_qps=%.0f ratio=%.3f sidecar_peak=%.0f "
      "empty_peak=%.0f paced_rate=%.0f paced_p99_us=%s sidecar_cpu_us=%.1f "
      "empty_cpu_us=%.1f cpu_ratio=%.3f errors=%llu\n",
      med_s, med_e, med_e > 0 ? med_s / med_e : 0, peak[0], peak[1], rate,
      Us(paced[0].latency.Percentile(99)).c_str(), cpu_s, cpu_e,
      cpu_s > 0 ? cpu_e / cpu_s : 0,
      static_cast<unsigned long long>(errors[0] + errors[1]));
  sidecar.Stop();
  empty.Stop();
  return errors[0] + errors[1] == 0 ? 0 : 1;
}

int Target(const Options& o) {
  RunSpec spec;
  spec.target = o.target;
  spec.channels = o.channels;
  spec.inflight = o.inflight;
  spec.threads = o.client_threads;
  spec.rate = o.rate;
  spec.max_outstanding = o.max_outstanding;
  spec.warmup_s = o.warmup_s;
  spec.duration_s = o.duration_s;
  spec.explain = o.explain;
  spec.id_prefix = absl::StrCat("load-", getpid(), "-");
  std::printf(
      "# cse-load --target=%s: %d channels, %d thread(s), warm-up "
      "%.1f s, measured %.1f s\n",
      o.target.c_str(), o.channels, o.client_threads, o.warmup_s, o.duration_s);
  PrintHeader();
  RunResult r = RunLoad(spec);
  PrintRow("1", "target", spec, r);
  std::printf("RESULT qps=%.0f p50_us=%s p99_us=%s p999_us=%s errors=%llu\n",
              r.qps(), Us(r.latency.Percentile(50)).c_str(),
              Us(r.latency.Percentile(99)).c_str(),
              Us(r.latency.Percentile(99.9)).c_str(),
              static_cast<unsigned long long>(r.error_count()));
  return r.error_count() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace cse::bench

int main(int argc, char** argv) {
  const cse::bench::Options options = cse::bench::ParseOptions(argc, argv);
  // A closed pipe must not kill us while children are running.
  signal(SIGPIPE, SIG_IGN);
  return options.compare ? cse::bench::Compare(options)
                         : cse::bench::Target(options);
}
