#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs CTest.
# Usage: scripts/test.sh [ctest args...]   e.g. scripts/test.sh -L unit
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh
ctest --test-dir "${CSE_BUILD_DIR:-build}" --output-on-failure \
  -j "${CSE_JOBS:-$(nproc)}" --timeout 600 "$@"
