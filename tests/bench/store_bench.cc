// Journey-store ingest benchmark: RecordIngest throughput and latency of the
// SQLite and PostgreSQL stores next to the in-memory store, in one run.
//
// For each thread count (--threads, default 1,4,16) every backend in turn
// gets a fresh store and T threads calling RecordIngest back to back (closed
// loop) for --duration seconds after a short warm-up. Each call records a
// realistic event: a 1-4 KB serialised assessment, 1-2 critical events, 3
// suggestions, 2-3 writeback jobs, a unique (source, event_id), one of
// --accounts accounts. Printed per backend and thread count: events/s,
// p50/p99/p99.9 latency of one RecordIngest, and events/s as a ratio to the
// in-memory store at the same thread count; for SQLite also how many
// ingests shared a commit (the group-commit batch size, warm-up included).
// The host's speed drifts between runs, so quote the ratios; the absolute
// figures are for this machine.
//
// Backends:
//   memory    InMemoryJourneyStore (default capacity: evicts beyond 100k).
//   sqlite    SqliteJourneyStore on a new file under $TMPDIR (WAL,
//             synchronous=NORMAL as the store sets it, group commit):
//             commits survive a crash of the process, not of the machine.
//   postgres  PostgresJourneyStore on a throwaway PostgreSQL server from the
//             test harness (tests/testing/postgres_server.h), which runs it
//             with fsync=off, synchronous_commit=off, full_page_writes=off:
//             NOT durable (a crash of the server can lose the last commits,
//             and one of the machine can corrupt the cluster).
//   pg-durable  the same on a second throwaway server started with
//             fsync=on, synchronous_commit=on, full_page_writes=on, the
//             PostgreSQL defaults: each commit is flushed to disk
//             (fdatasync of the WAL) before it returns.
//   pg-sync   (not by default) the fsync-off server with
//             synchronous_commit=on for the store's sessions: commits wait
//             for the WAL write but not for the disk; not durable either.
// The settings in force are printed (SHOW) above each PostgreSQL line, and
// at the start and the end the latency of an fdatasync of 8 KiB under
// $TMPDIR (the PostgreSQL servers' directories are under /tmp): the floor
// of a durable commit, which on this VM has moved between 0.1 and 4 ms from
// one hour to the next, so pg-durable figures only compare within a run.
//
// Usage:
//   store_bench [--duration=5] [--threads=1,4,16] [--accounts=300]
//       [--backends=memory,sqlite,postgres,pg-durable]
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sidecar/store/in_memory_journey_store.h"
#include "sidecar/store/journey_memory.h"
#include "sidecar/store/postgres_journey_store.h"
#include "sidecar/store/sqlite_journey_store.h"
#include "tests/bench/latency_histogram.h"
#include "tests/testing/postgres_server.h"

namespace cse::bench {
namespace {

using Clock = std::chrono::steady_clock;
using store::IngestRecord;
using store::JourneyMemory;

struct Flags {
  double duration_s = 5;
  double warmup_s = 0.5;
  std::vector<int> threads = {1, 4, 16};
  int accounts = 300;
  std::vector<std::string> backends = {"memory", "sqlite", "postgres",
                                       "pg-durable"};
};

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    bool ok = true;
    if (name == "--duration") {
      ok = absl::SimpleAtod(value, &flags.duration_s) && flags.duration_s > 0;
    } else if (name == "--warmup") {
      ok = absl::SimpleAtod(value, &flags.warmup_s) && flags.warmup_s >= 0;
    } else if (name == "--accounts") {
      ok = absl::SimpleAtoi(value, &flags.accounts) && flags.accounts > 0;
    } else if (name == "--threads") {
      flags.threads.clear();
      for (absl::string_view t : absl::StrSplit(value, ',')) {
        int n = 0;
        ok = ok && absl::SimpleAtoi(t, &n) && n > 0;
        flags.threads.push_back(n);
      }
    } else if (name == "--backends") {
      flags.backends = absl::StrSplit(value, ',', absl::SkipEmpty());
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "store_bench: bad flag %s (see the file header)\n",
                   arg.c_str());
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------
// Records.

// Serialised assessments are opaque bytes to the stores; what matters is
// their size. A fixed pool of 1-4 KB blobs (protobuf-like: mostly text with
// some binary) is shared by every thread.
std::vector<std::string> MakeAssessments() {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> size(1024, 4096);
  static constexpr std::string_view kText =
      "Customer reports the export to the ERP failing since go-live; urgent, "
      "key users blocked. Phase onboarding (field rule: stage=Implementation)"
      ". Evidence: \"export fails with timeout after 30s\". ";
  std::vector<std::string> out;
  for (int i = 0; i < 64; ++i) {
    std::string blob;
    const int n = size(rng);
    while (static_cast<int>(blob.size()) < n) {
      blob.push_back(static_cast<char>(rng() & 0xff));  // a tag/length byte
      blob.append(kText.substr(0, 16 + rng() % (kText.size() - 16)));
    }
    blob.resize(n);
    out.push_back(std::move(blob));
  }
  return out;
}

class RecordFactory {
 public:
  RecordFactory(std::string run_id, int accounts)
      : run_id_(std::move(run_id)),
        accounts_(accounts),
        assessments_(MakeAssessments()) {}

  // The n-th event of thread `thread`; unique per (run, thread, n).
  IngestRecord Make(int thread, uint64_t n, std::mt19937_64& rng) const {
    using namespace store;  // NOLINT: the record enums
    static const char* const kPhases[] = {"onboarding", "adoption", "renewal",
                                          "expansion", "at_risk"};
    static const char* const kCritical[] = {"breakdown", "key_person_left",
                                            "champion_gained", "escalation"};
    IngestRecord r;
    r.source = (thread % 2 == 0) ? "zendesk" : "hubspot";
    r.event_id = absl::StrCat(run_id_, "-", thread, "-", n);
    r.account_id = absl::StrCat("acct-", rng() % accounts_);
    const int phase = static_cast<int>(rng() % 5);
    r.phase_id = kPhases[phase];
    r.phase_number = phase + 1;
    r.phase_decided_by = PhaseDecidedBy::kTextSignal;
    r.phase_explanation = "text signal: \"go-live\" in the subject";
    r.assessment = assessments_[rng() % assessments_.size()];
    // Mostly in order, some late by up to a minute.
    r.occurred_at =
        absl::FromUnixSeconds(1'750'000'000) +
        absl::Milliseconds(static_cast<int64_t>(n) * 10) -
        absl::Seconds(static_cast<int64_t>(rng() % 8 == 0 ? rng() % 60 : 0));
    r.sequence = n;
    const int criticals = 1 + static_cast<int>(rng() % 2);
    for (int i = 0; i < criticals; ++i) {
      r.critical_events.push_back(
          {kCritical[rng() % 4],
           i == 0 ? Polarity::kNegative : Polarity::kOpportunity});
    }
    for (int i = 0; i < 3; ++i) {
      r.suggestions.push_back({absl::StrCat("practice_", rng() % 24),
                               Organization::kRegular, Engagement::kProactive,
                               Effect::kRestore, 0.9 - 0.2 * i});
    }
    const std::string object_id = absl::StrCat(10'000'000 + n);
    WritebackSpec tags;
    tags.kind = WritebackKind::kTags;
    tags.object_kind = CrmObjectKind::kTicket;
    tags.object_id = object_id;
    tags.tags = {absl::StrCat("cse-phase-", r.phase_id), "cse-breakdown"};
    r.writebacks.push_back(std::move(tags));
    WritebackSpec note;
    note.kind = WritebackKind::kNote;
    note.object_kind = CrmObjectKind::kTicket;
    note.object_id = object_id;
    note.note_markdown = absl::StrCat(
        "**Customer success engine** — phase *", r.phase_id,
        "*; critical event: breakdown (negative).\n\nSuggested: restore "
        "contact within 24h; schedule a review with the key users; confirm "
        "the workaround in writing.\n");
    note.note_marker = absl::StrCat("cse:", r.event_id);
    r.writebacks.push_back(std::move(note));
    if (rng() % 2 == 0) {
      WritebackSpec field;
      field.kind = WritebackKind::kPhaseField;
      field.object_kind = CrmObjectKind::kTicket;
      field.object_id = object_id;
      field.phase_id = r.phase_id;
      field.phase_name = "Onboarding";
      r.writebacks.push_back(std::move(field));
    }
    return r;
  }

 private:
  const std::string run_id_;
  const int accounts_;
  const std::vector<std::string> assessments_;
};

// ---------------------------------------------------------------------------
// One measured run.

struct Result {
  uint64_t calls = 0;  // every RecordIngest, warm-up included
  uint64_t events = 0;
  uint64_t errors = 0;
  uint64_t duplicates = 0;
  double seconds = 0;
  LatencyHistogram latency;
  std::string first_error;
};

Result Drive(JourneyMemory& store, const RecordFactory& factory, int threads,
             const Flags& flags) {
  std::atomic<int> phase{0};  // 0 warm-up, 1 measuring, 2 stop
  std::vector<Result> per_thread(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937_64 rng(1000 + t);
      Result& out = per_thread[t];
      for (uint64_t n = 0;; ++n) {
        const int p = phase.load(std::memory_order_relaxed);
        if (p == 2) break;
        IngestRecord record = factory.Make(t, n, rng);
        const auto start = Clock::now();
        absl::StatusOr<std::optional<std::string>> got =
            store.RecordIngest(record);
        ++out.calls;
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            Clock::now() - start)
                            .count();
        if (p != 1) continue;
        if (!got.ok()) {
          if (out.errors++ == 0) out.first_error = got.status().ToString();
          continue;
        }
        if (got->has_value()) ++out.duplicates;
        ++out.events;
        out.latency.Record(static_cast<uint64_t>(ns));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(flags.warmup_s));
  const auto start = Clock::now();
  phase.store(1);
  std::this_thread::sleep_for(std::chrono::duration<double>(flags.duration_s));
  phase.store(2);
  // Calls in flight at the stop finish after it; they are counted, so the
  // clock stops when the last one returns.
  for (std::thread& w : workers) w.join();
  Result total;
  total.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (Result& r : per_thread) {
    total.calls += r.calls;
    total.events += r.events;
    total.errors += r.errors;
    total.duplicates += r.duplicates;
    total.latency.Merge(r.latency);
    if (total.first_error.empty()) total.first_error = r.first_error;
  }
  return total;
}

// ---------------------------------------------------------------------------
// Backends.

class Backends {
 public:
  explicit Backends(std::string tmp_dir) : tmp_dir_(std::move(tmp_dir)) {}

  // A fresh, empty store of `backend`.
  absl::StatusOr<std::unique_ptr<JourneyMemory>> Open(
      const std::string& backend) {
    if (backend == "memory") {
      return std::unique_ptr<JourneyMemory>(
          std::make_unique<store::InMemoryJourneyStore>());
    }
    if (backend == "sqlite") {
      const std::string path =
          absl::StrCat(tmp_dir_, "/journey-", ++sqlite_count_, ".db");
      absl::StatusOr<std::unique_ptr<store::SqliteJourneyStore>> s =
          store::SqliteJourneyStore::Open(path);
      if (!s.ok()) return s.status();
      return std::unique_ptr<JourneyMemory>(std::move(*s));
    }
    if (backend == "postgres" || backend == "pg-sync" ||
        backend == "pg-durable") {
      const bool durable = backend == "pg-durable";
      std::unique_ptr<testing::PostgresServer>& server =
          durable ? durable_postgres_ : postgres_;
      if (server == nullptr) {
        testing::PostgresServer::Options options;
        if (durable) {
          options.settings = {"fsync=on", "synchronous_commit=on",
                              "full_page_writes=on"};
        }
        absl::StatusOr<std::unique_ptr<testing::PostgresServer>> started =
            testing::PostgresServer::Start(options);
        if (!started.ok()) return started.status();
        server = std::move(*started);
      }
      absl::StatusOr<std::string> url = server->CreateDatabase();
      if (!url.ok()) return url.status();
      std::string store_url = *url;
      if (backend == "pg-sync") {
        absl::StrAppend(&store_url, "?options=-csynchronous_commit%3Don");
      }
      absl::StatusOr<std::unique_ptr<store::PostgresJourneyStore>> s =
          store::PostgresJourneyStore::Open(store_url);
      if (!s.ok()) return s.status();
      // What the store's sessions run with: the point of each backend.
      std::string shown;
      for (const char* setting :
           {"fsync", "synchronous_commit", "full_page_writes"}) {
        absl::StatusOr<std::string> value =
            testing::PostgresQuery(store_url, absl::StrCat("SHOW ", setting));
        absl::StrAppend(&shown, " ", setting, "=",
                        value.ok() ? *value : std::string("?"));
      }
      std::printf("   (%s:%s)\n", backend.c_str(), shown.c_str());
      return std::unique_ptr<JourneyMemory>(std::move(*s));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("unknown backend: ", backend));
  }

 private:
  const std::string tmp_dir_;
  int sqlite_count_ = 0;
  std::unique_ptr<testing::PostgresServer> postgres_;  // fsync off
  std::unique_ptr<testing::PostgresServer> durable_postgres_;
};

std::string Ms(uint64_t ns) { return absl::StrFormat("%.3f", ns / 1e6); }

// How long the disk under `dir` takes to make 8 KiB durable (fdatasync
// after overwriting it), p50 and p99 of 100: what a durable commit waits
// for at least. On this VM it has ranged from 0.1 to 4 ms between runs.
std::string FdatasyncLatency(const std::string& dir) {
  const std::string path = absl::StrCat(dir, "/fdatasync-probe");
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return "unknown (cannot create a file)";
  const std::string block(8192, 'x');
  LatencyHistogram h;
  for (int i = 0; i < 100; ++i) {
    if (pwrite(fd, block.data(), block.size(), (i % 16) * 8192) < 0) break;
    const auto start = Clock::now();
    if (fdatasync(fd) != 0) break;
    h.Record(static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() -
                                                             start)
            .count()));
  }
  close(fd);
  unlink(path.c_str());
  return absl::StrCat("p50 ", Ms(h.Percentile(50)), " ms, p99 ",
                      Ms(h.Percentile(99)), " ms");
}

int Main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) return 2;

  const char* tmp_env = std::getenv("TMPDIR");
  std::string tmpl =
      absl::StrCat(tmp_env != nullptr && *tmp_env != '\0' ? tmp_env : "/tmp",
                   "/store_bench.XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::perror("store_bench: mkdtemp");
    return 1;
  }
  const std::string tmp_dir = tmpl;

  const std::string run_id =
      absl::StrCat("ev", absl::ToUnixMillis(absl::Now()));
  RecordFactory factory(run_id, flags.accounts);
  Backends backends(tmp_dir);

  std::printf(
      "store_bench: %.1fs per run (+%.1fs warm-up), %d accounts, closed loop; "
      "sqlite in %s (WAL, synchronous=NORMAL)\n",
      flags.duration_s, flags.warmup_s, flags.accounts, tmp_dir.c_str());
  std::printf("disk: fdatasync of 8 KiB under %s: %s\n", tmp_dir.c_str(),
              FdatasyncLatency(tmp_dir).c_str());
  std::printf("%-10s %4s %10s %9s %9s %9s %9s %7s %s\n", "backend", "thr",
              "events/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "x mem",
              "errors");

  int failures = 0;
  for (int threads : flags.threads) {
    std::optional<double> memory_rate;
    for (const std::string& backend : flags.backends) {
      absl::StatusOr<std::unique_ptr<JourneyMemory>> store =
          backends.Open(backend);
      if (!store.ok()) {
        std::printf("%-10s %4d  cannot open: %s\n", backend.c_str(), threads,
                    store.status().ToString().c_str());
        ++failures;
        continue;
      }
      Result r = Drive(**store, factory, threads, flags);
      // Group commit at work: how many ingests shared a transaction.
      if (auto* sqlite =
              dynamic_cast<store::SqliteJourneyStore*>(store->get())) {
        const int64_t commits = sqlite->IngestTransactions();
        std::printf("   (sqlite: %.1f ingests per commit)\n",
                    commits > 0 ? static_cast<double>(r.calls) / commits : 0);
      }
      // The destructor waits for queued commits and closes; not measured.
      store->reset();
      const double rate = r.events / r.seconds;
      if (backend == "memory") memory_rate = rate;
      const std::string ratio =
          memory_rate.has_value() && *memory_rate > 0
              ? absl::StrFormat("%.3f", rate / *memory_rate)
              : "-";
      std::printf(
          "%-10s %4d %10.0f %9s %9s %9s %9s %7s %llu%s%s\n", backend.c_str(),
          threads, rate, Ms(r.latency.Percentile(50)).c_str(),
          Ms(r.latency.Percentile(99)).c_str(),
          Ms(r.latency.Percentile(99.9)).c_str(), Ms(r.latency.max()).c_str(),
          ratio.c_str(), static_cast<unsigned long long>(r.errors),
          r.errors > 0 ? " first: " : "", r.first_error.c_str());
      if (r.duplicates > 0) {
        std::printf("   warning: %llu duplicates (event ids not unique?)\n",
                    static_cast<unsigned long long>(r.duplicates));
      }
      if (r.errors > 0) ++failures;
      std::fflush(stdout);
    }
  }
  std::printf("disk: fdatasync of 8 KiB at the end: %s\n",
              FdatasyncLatency(tmp_dir).c_str());
  std::error_code ec;
  std::filesystem::remove_all(tmp_dir, ec);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace cse::bench

int main(int argc, char** argv) { return cse::bench::Main(argc, argv); }
