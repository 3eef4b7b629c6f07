// Engine benchmarks: what one assessment costs, and what its parts cost
// next to baselines measured in the same run.
//
// Every benchmark reports items/s (events), bytes/s (text bytes scanned:
// subject+body or title+notes) and "allocs/op", the heap allocations per
// event counted by the global operator new below. Baselines (memcpy of the
// same bytes, normalisation alone, the RE2::Set pass alone, protobuf parse)
// run in the same process so the figures can be quoted as ratios; the host
// speed varies too much between runs for absolute figures to compare.
//
// The mapping is the built-in default (sidecar/config/defaults/default.yaml)
// unless --mapping=FILE names another.
//
// Usage:
//   taskset -c 1 engine_bench --benchmark_repetitions=3
//       --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cse/v1/journey_service.pb.h"
#include "sidecar/api/assessment_conversion.h"
#include "sidecar/api/event_conversion.h"
#include "sidecar/config/builtin_mappings.h"
#include "sidecar/config/mapping_loader.h"
#include "sidecar/engine/compiled_mapping.h"
#include "sidecar/engine/journey_engine.h"
#include "sidecar/engine/text_normalizer.h"
#include "sidecar/engine/text_scan.h"
#include "tests/bench/sample_events.h"

// ---------------------------------------------------------------------------
// Allocation counting: every operator new in this binary bumps a per-thread
// counter (per-thread so the multi-threaded benchmark neither contends on
// it nor counts the other thread's allocations).

namespace {
thread_local uint64_t tls_allocs = 0;
thread_local uint64_t tls_alloc_bytes = 0;

void* CountedAlloc(std::size_t n) {
  ++tls_allocs;
  tls_alloc_bytes += n;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* CountedAlignedAlloc(std::size_t n, std::align_val_t al) {
  ++tls_allocs;
  tls_alloc_bytes += n;
  const auto a = static_cast<std::size_t>(al);
  void* p = std::aligned_alloc(a, (n + a - 1) / a * a);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
}  // namespace

void* operator new(std::size_t n) { return CountedAlloc(n); }
void* operator new[](std::size_t n) { return CountedAlloc(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return CountedAlloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return CountedAlloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t n, std::align_val_t al) {
  return CountedAlignedAlloc(n, al);
}
void* operator new[](std::size_t n, std::align_val_t al) {
  return CountedAlignedAlloc(n, al);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}

namespace cse::bench {
namespace {

using engine::EventView;
using engine::TextField;

// Counts allocations between construction and Report().
class AllocScope {
 public:
  AllocScope() : allocs_(tls_allocs), bytes_(tls_alloc_bytes) {}
  void Report(benchmark::State& state) const {
    const double n = static_cast<double>(state.iterations());
    if (n == 0) return;
    state.counters["allocs/op"] =
        benchmark::Counter(static_cast<double>(tls_allocs - allocs_) / n);
    state.counters["alloc_bytes/op"] =
        benchmark::Counter(static_cast<double>(tls_alloc_bytes - bytes_) / n);
  }

 private:
  uint64_t allocs_;
  uint64_t bytes_;
};

void Report(benchmark::State& state, size_t text_bytes,
            const AllocScope& allocs) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text_bytes));
  allocs.Report(state);
}

// The samples, their views and the mapping, built once.
struct Sample {
  std::string name;
  bool meeting = false;
  cse::v1::TicketEvent ticket;
  cse::v1::MeetingEvent meeting_event;
  std::string request_bytes;  // the serialised Ingest*Request
  EventView view;
  size_t text_bytes = 0;
};

struct Fixture {
  std::shared_ptr<const engine::CompiledMapping> mapping;
  std::vector<std::unique_ptr<Sample>> samples;  // en, nl, meeting
};

Fixture* g_fixture = nullptr;

const Sample& SampleAt(int i) { return *g_fixture->samples[i]; }
const engine::CompiledMapping& Mapping() { return *g_fixture->mapping; }

enum SampleId { kTicketEn = 0, kTicketNl = 1, kMeeting = 2 };

// --- baselines --------------------------------------------------------------

// Copying the event's text bytes: the floor for anything that reads them.
void BM_Memcpy(benchmark::State& state, int sample) {
  const Sample& s = SampleAt(sample);
  std::string buf;
  buf.reserve(s.text_bytes + 16);
  AllocScope allocs;
  for (auto _ : state) {
    buf.clear();
    for (const auto& t : s.view.text) buf.append(t.data(), t.size());
    benchmark::DoNotOptimize(buf.data());
    benchmark::ClobberMemory();
  }
  Report(state, s.text_bytes, allocs);
}

// Normalisation of the text fields into reused buffers (as ScanText does).
void BM_Normalize(benchmark::State& state, int sample) {
  const Sample& s = SampleAt(sample);
  std::string text;
  std::vector<uint32_t> origin;
  AllocScope allocs;
  for (auto _ : state) {
    text.clear();
    origin.clear();
    for (const auto& t : s.view.text) {
      if (t.empty()) continue;
      if (!text.empty()) {
        text.push_back('\n');
        origin.push_back(0);
      }
      benchmark::DoNotOptimize(engine::AppendNormalized(t, &text, &origin));
    }
    benchmark::DoNotOptimize(text.data());
  }
  Report(state, s.text_bytes, allocs);
}

// The single RE2::Set pass over already-normalised text.
void BM_SetScan(benchmark::State& state, int sample) {
  const Sample& s = SampleAt(sample);
  std::string text;
  std::vector<uint32_t> origin;
  for (const auto& t : s.view.text) {
    if (t.empty()) continue;
    if (!text.empty()) {
      text.push_back('\n');
      origin.push_back(0);
    }
    (void)engine::AppendNormalized(t, &text, &origin);
  }
  std::vector<int> matches;
  matches.reserve(Mapping().patterns().size());
  AllocScope allocs;
  for (auto _ : state) {
    matches.clear();
    benchmark::DoNotOptimize(Mapping().pattern_set().Match(text, &matches));
  }
  Report(state, s.text_bytes, allocs);
  state.counters["set_matches"] = static_cast<double>(matches.size());
}

// Normalise + RE2::Set + locating each matched pattern (the evidence).
void BM_ScanText(benchmark::State& state, int sample) {
  const Sample& s = SampleAt(sample);
  engine::ScannedText scan;
  AllocScope allocs;
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine::ScanText(Mapping(), s.view, &scan));
  }
  Report(state, s.text_bytes, allocs);
  state.counters["hits"] = static_cast<double>(scan.hits.size());
}

// Parsing the serialised request: what gRPC does before the handler runs.
void BM_RequestParse(benchmark::State& state, int sample) {
  const Sample& s = SampleAt(sample);
  AllocScope allocs;
  for (auto _ : state) {
    if (s.meeting) {
      cse::v1::IngestMeetingRequest req;
      benchmark::DoNotOptimize(req.ParseFromString(s.request_bytes));
    } else {
      cse::v1::IngestTicketRequest req;
      benchmark::DoNotOptimize(req.ParseFromString(s.request_bytes));
    }
  }
  Report(state, s.text_bytes, allocs);
}

// --- the engine --------------------------------------------------------------

void BM_Assess(benchmark::State& state, int sample, bool explain) {
  const Sample& s = SampleAt(sample);
  engine::AssessOptions options;
  options.explain = explain;
  AllocScope allocs;
  for (auto _ : state) {
    absl::StatusOr<engine::Assessment> a =
        engine::Assess(Mapping(), s.view, options);
    if (!a.ok()) {
      state.SkipWithError(std::string(a.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(a->suggestions.data());
  }
  Report(state, s.text_bytes, allocs);
}

// Engine result -> cse.v1.Assessment (+ Explanation) -> bytes.
void BM_ToProto(benchmark::State& state, int sample, bool explain) {
  const Sample& s = SampleAt(sample);
  engine::AssessOptions options;
  options.explain = explain;
  const engine::Assessment a = *engine::Assess(Mapping(), s.view, options);
  std::string out;
  AllocScope allocs;
  for (auto _ : state) {
    cse::v1::IngestResponse response;
    api::ToProto(a, s.view, response.mutable_assessment());
    if (explain) api::ToProto(a, response.mutable_explanation());
    out.clear();
    benchmark::DoNotOptimize(response.SerializeToString(&out));
  }
  Report(state, s.text_bytes, allocs);
  state.counters["response_bytes"] = static_cast<double>(out.size());
}

// What the server's IngestTicket/IngestMeeting does apart from the store
// and the transport: parse the request, validate it, view it, assess, and
// build and serialise the response.
void BM_ServerPath(benchmark::State& state, int sample, bool explain) {
  const Sample& s = SampleAt(sample);
  const api::EventLimits limits;
  std::string out;
  AllocScope allocs;
  for (auto _ : state) {
    cse::v1::IngestTicketRequest treq;
    cse::v1::IngestMeetingRequest mreq;
    EventView view;
    absl::Status valid;
    if (s.meeting) {
      mreq.ParseFromString(s.request_bytes);
      valid = api::ValidateMeeting(mreq.event(), "event",
                                   api::Strictness::kIngest, limits);
      view = api::MeetingView(mreq.event());
    } else {
      treq.ParseFromString(s.request_bytes);
      valid = api::ValidateTicket(treq.event(), "event",
                                  api::Strictness::kIngest, limits);
      view = api::TicketView(treq.event());
    }
    engine::AssessOptions options;
    options.explain = explain;
    absl::StatusOr<engine::Assessment> a =
        engine::Assess(Mapping(), view, options);
    if (!valid.ok() || !a.ok()) {
      state.SkipWithError("invalid sample");
      break;
    }
    cse::v1::IngestResponse response;
    api::ToProto(*a, view, response.mutable_assessment());
    if (explain) api::ToProto(*a, response.mutable_explanation());
    out.clear();
    benchmark::DoNotOptimize(response.SerializeToString(&out));
  }
  Report(state, s.text_bytes, allocs);
}

// Registration: same order in the output as in a README table.
void RegisterAll() {
  struct Named {
    const char* name;
    int id;
  };
  const Named samples[] = {{"ticket1k_en", kTicketEn},
                           {"ticket1k_nl", kTicketNl},
                           {"meeting4k", kMeeting}};
  for (const Named& s : samples) {
    const int id = s.id;
    benchmark::RegisterBenchmark(
        absl::StrCat("Baseline_Memcpy/", s.name).c_str(),
        [id](benchmark::State& st) { BM_Memcpy(st, id); });
    benchmark::RegisterBenchmark(
        absl::StrCat("Baseline_Normalize/", s.name).c_str(),
        [id](benchmark::State& st) { BM_Normalize(st, id); });
    benchmark::RegisterBenchmark(
        absl::StrCat("Baseline_SetScan/", s.name).c_str(),
        [id](benchmark::State& st) { BM_SetScan(st, id); });
    benchmark::RegisterBenchmark(
        absl::StrCat("Baseline_RequestParse/", s.name).c_str(),
        [id](benchmark::State& st) { BM_RequestParse(st, id); });
    benchmark::RegisterBenchmark(
        absl::StrCat("ScanText/", s.name).c_str(),
        [id](benchmark::State& st) { BM_ScanText(st, id); });
    benchmark::RegisterBenchmark(
        absl::StrCat("Assess/", s.name).c_str(),
        [id](benchmark::State& st) { BM_Assess(st, id, false); });
    benchmark::RegisterBenchmark(
        absl::StrCat("AssessExplain/", s.name).c_str(),
        [id](benchmark::State& st) { BM_Assess(st, id, true); });
    benchmark::RegisterBenchmark(
        absl::StrCat("ToProto/", s.name).c_str(),
        [id](benchmark::State& st) { BM_ToProto(st, id, false); });
    benchmark::RegisterBenchmark(
        absl::StrCat("ServerPath/", s.name).c_str(),
        [id](benchmark::State& st) { BM_ServerPath(st, id, false); });
    benchmark::RegisterBenchmark(
        absl::StrCat("ServerPathExplain/", s.name).c_str(),
        [id](benchmark::State& st) { BM_ServerPath(st, id, true); });
  }
  // Two threads on two cores: does the engine scale (shared mapping,
  // per-thread scratch)? Meaningful only on an otherwise idle machine.
  benchmark::RegisterBenchmark(
      "Assess/ticket1k_en/threads",
      [](benchmark::State& st) { BM_Assess(st, kTicketEn, false); })
      ->Threads(2)
      ->UseRealTime();
}

std::unique_ptr<Sample> MakeTicketSample(std::string name,
                                         cse::v1::TicketEvent t) {
  auto s = std::make_unique<Sample>();
  s->name = std::move(name);
  s->ticket = std::move(t);
  cse::v1::IngestTicketRequest req;
  *req.mutable_event() = s->ticket;
  req.SerializeToString(&s->request_bytes);
  s->view = api::TicketView(s->ticket);
  s->text_bytes = s->ticket.subject().size() + s->ticket.body().size();
  return s;
}

std::unique_ptr<Sample> MakeMeetingSample(std::string name,
                                          cse::v1::MeetingEvent m) {
  auto s = std::make_unique<Sample>();
  s->name = std::move(name);
  s->meeting = true;
  s->meeting_event = std::move(m);
  cse::v1::IngestMeetingRequest req;
  *req.mutable_event() = s->meeting_event;
  req.SerializeToString(&s->request_bytes);
  s->view = api::MeetingView(s->meeting_event);
  s->text_bytes =
      s->meeting_event.title().size() + s->meeting_event.notes().size();
  return s;
}

// One line per sample in the benchmark context, so a reader can see the
// samples exercise real signals (a phase, critical events, suggestions).
std::string Describe(const Sample& s) {
  auto a = engine::Assess(Mapping(), s.view, {});
  if (!a.ok()) return std::string(a.status().message());
  std::vector<std::string> events;
  for (const auto& e : a->critical_events) events.push_back(e.type);
  std::vector<std::string> practices;
  for (const auto& p : a->suggestions) practices.push_back(p.practice_id);
  return absl::StrCat(
      s.text_bytes, " text bytes; phase ", a->phase.id, " (",
      a->phase.because.size(), " reasons, confidence ", a->phase.confidence,
      "); critical events [", absl::StrJoin(events, ","), "]; suggestions [",
      absl::StrJoin(practices, ","), "]; anti-patterns ",
      a->anti_patterns.size(), "; note ", a->note_markdown.size(), " bytes");
}

int Main(int argc, char** argv) {
  // Our own flag, taken out before Google Benchmark sees the rest.
  std::string mapping_file;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--mapping=", 10) == 0) {
      mapping_file = argv[i] + 10;
    } else {
      args.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;

  std::vector<config::ConfigError> errors;
  absl::StatusOr<config::LoadedMapping> loaded =
      mapping_file.empty() ? config::LoadBuiltinMapping("default")
                           : config::LoadMappingFile(mapping_file, &errors);
  if (!loaded.ok()) {
    std::fprintf(stderr, "engine_bench: cannot load the mapping: %s\n",
                 std::string(loaded.status().message()).c_str());
    for (const auto& e : errors) {
      std::fprintf(stderr, "  %s\n", e.ToString().c_str());
    }
    return 1;
  }
  auto compiled =
      engine::CompiledMapping::Compile(loaded->config, loaded->version);
  if (!compiled.ok()) {
    std::fprintf(stderr, "engine_bench: mapping does not compile: %s\n",
                 std::string(compiled.status().message()).c_str());
    return 1;
  }
  static Fixture fixture;
  fixture.mapping = *std::move(compiled);
  fixture.samples.push_back(MakeTicketSample("ticket1k_en", EnglishTicket1K()));
  fixture.samples.push_back(MakeTicketSample("ticket1k_nl", DutchTicket1K()));
  fixture.samples.push_back(MakeMeetingSample("meeting4k", MeetingNote4K()));
  g_fixture = &fixture;

  benchmark::AddCustomContext(
      "mapping",
      absl::StrCat(loaded->version, " (", fixture.mapping->patterns().size(),
                   " text patterns)"));
  for (const auto& s : fixture.samples) {
    benchmark::AddCustomContext(s->name, Describe(*s));
  }
  RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace
}  // namespace cse::bench

int main(int argc, char** argv) { return cse::bench::Main(argc, argv); }
