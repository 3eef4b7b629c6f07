#!/usr/bin/env bash
# Installs the Debian 12 packages the build and tests need. Idempotent and
# fast when everything is there: apt is only called for missing packages.
# Usage: scripts/setup-deps.sh [extra-package...]
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git python3
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev
  libbenchmark-dev libre2-dev libyaml-cpp-dev nlohmann-json3-dev
  libsqlite3-dev libssl-dev libcli11-dev
  # The CRM adapters: webhook ingress (cpp-httplib) and REST calls (libcurl).
  libcpp-httplib-dev libcurl4-openssl-dev libxml2-dev
  # libpq for the PostgreSQL store; the server only for its tests.
  libpq-dev postgresql
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-deps: missing packages: ${missing[*]}" >&2
  echo "setup-deps: run as root (or install them with sudo apt-get install)" >&2
  exit 1
fi
echo "setup-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
