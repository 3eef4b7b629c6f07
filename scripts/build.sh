#!/usr/bin/env bash
# Configures and builds into ./build (or $CSE_BUILD_DIR). Used by run.sh and
# test.sh so both build the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${CSE_BUILD_DIR:-build}
build_type=${CSE_BUILD_TYPE:-RelWithDebInfo}
if [[ ! -f "$build_dir/build.ninja" ]]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
    "${@}" >/dev/null
fi
# Two cores here: more jobs only thrash memory on the big gRPC headers.
ninja -C "$build_dir" -j "${CSE_JOBS:-$(nproc)}" ${CSE_TARGETS:-}
