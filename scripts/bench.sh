#!/usr/bin/env bash
# Builds a Release tree in build-bench and runs the benchmarks:
#   1. engine_bench (Google Benchmark): the engine and its baselines, pinned
#      to one core, 3 repetitions, aggregates only;
#   2. cse-load --compare: the real sidecar against an empty handler in the
#      same run (alternating), a peak sweep and an open-loop run at 80% of
#      the sidecar's peak;
#   3. store_bench: RecordIngest throughput and p50/p99/p99.9 of the SQLite
#      and PostgreSQL journey stores against the in-memory store, at 1, 4
#      and 16 calling threads; PostgreSQL on the tests' throwaway server
#      twice, with fsync off and durable (fsync and synchronous_commit
#      on), with the disk's fdatasync latency: see
#      tests/bench/store_bench.cc.
# Not part of the tests; run it by hand on an otherwise idle machine (the
# load average is printed first: figures taken under load are noise).
# Takes about 6-7 minutes once built.
#
# Environment:
#   CSE_BENCH_DIR       build directory [build-bench]
#   CSE_JOBS            build jobs [nproc]
#   CSE_BENCH_DURATION  measured seconds per closed-loop / paced run [10]
#   CSE_BENCH_ROUNDS    alternating rounds per server [3]
#   CSE_BENCH_FILTER    engine benchmark filter regex [all]
#   CSE_BENCH_SKIP      parts to skip, comma-separated: engine, load, store
# Extra arguments go to cse-load (e.g. --channels=8 --client-threads=2).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${CSE_BENCH_DIR:-build-bench}
duration=${CSE_BENCH_DURATION:-10}
rounds=${CSE_BENCH_ROUNDS:-3}
filter=${CSE_BENCH_FILTER:-.}
skip=${CSE_BENCH_SKIP:-}
skipped() { [[ ",$skip," == *",$1,"* ]]; }

if [[ ! -f "$build_dir/build.ninja" ]]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCSE_BUILD_TESTS=ON -DCSE_BUILD_BENCHMARKS=ON >/dev/null
fi
ninja -C "$build_dir" -j "${CSE_JOBS:-$(nproc)}" engine_bench cse-load \
  cse-empty-server cse-sidecar store_bench

bench_dir="$build_dir/tests/bench"
cpus=$(nproc)
echo "== machine: $(nproc) CPUs, $(uname -r); $(uptime)"
echo "== $(git log -1 --format='commit %h %s' 2>/dev/null || echo 'no git')"

if ! skipped engine; then
  # One core, as the goal is stated per core; the last CPU, away from
  # where interrupts usually land.
  pin=()
  if command -v taskset >/dev/null && ((cpus >= 2)); then
    pin=(taskset -c "$((cpus - 1))")
  fi
  echo
  echo "== engine: ${pin[*]} $bench_dir/engine_bench" \
    "--benchmark_repetitions=3 --benchmark_report_aggregates_only=true"
  "${pin[@]}" "$bench_dir/engine_bench" \
    --benchmark_filter="$filter" \
    --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true \
    --benchmark_counters_tabular=true
fi

if ! skipped load; then
  echo
  echo "== load: $bench_dir/cse-load --compare --duration=$duration" \
    "--rounds=$rounds $*"
  echo "== $(uptime)"
  "$bench_dir/cse-load" --compare --duration="$duration" \
    --rounds="$rounds" "$@"
  echo "== $(uptime)"
fi

if ! skipped store; then
  echo
  echo "== store: $bench_dir/store_bench --duration=$duration"
  echo "== $(uptime)"
  "$bench_dir/store_bench" --duration="$duration"
  echo "== $(uptime)"
fi
