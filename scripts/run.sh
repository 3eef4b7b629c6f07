#!/usr/bin/env bash
# The product's main job for a newcomer: builds the sidecar, starts it on the
# builtin default mapping with an embedded SQLite store, ingests a few
# real-looking CRM tickets and meeting notes (docs/examples/), prints each
# assessment with its reasons, and keeps serving until Ctrl-C.
#
# Env: CSE_LISTEN (default 127.0.0.1:50051), CSE_DATA (default ./cse-data:
#      journey.db and sidecar.log), CSE_BUILD_DIR (default build),
#      CSE_DEMO_EXIT=1 to stop after the examples.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
CSE_TARGETS="cse-sidecar cse" scripts/build.sh

build=${CSE_BUILD_DIR:-build}
sidecar_bin=$build/sidecar/cse-sidecar
cse=$build/sidecar/cli/cse
listen=${CSE_LISTEN:-127.0.0.1:50051}
data=${CSE_DATA:-./cse-data}
mkdir -p "$data"

log="$data/sidecar.log"
# The sidecar's log goes to a file so the assessments below stay readable.
"$sidecar_bin" --listen="$listen" --store="sqlite:$data/journey.db" \
  --log-level=info 2>"$log" &
sidecar=$!
trap 'kill "$sidecar" 2>/dev/null; wait "$sidecar" 2>/dev/null || true' EXIT

# Ready when our own process says it listens and answers a dry-run assess
# through the CLI's channel. The log line matters: if another sidecar holds
# the port, ours exits and the ping alone would reach the other one.
ready=0
for _ in $(seq 1 100); do
  if ! kill -0 "$sidecar" 2>/dev/null; then
    echo "run: the sidecar did not start; its log ($log):" >&2
    cat "$log" >&2
    exit 1
  fi
  if grep -q "listening on" "$log" &&
     "$cse" assess --server="$listen" --text "ping" >/dev/null 2>&1; then
    ready=1
    break
  fi
  sleep 0.2
done
if [[ $ready != 1 ]]; then
  echo "run: the sidecar is not serving on $listen after 20 s; its log ($log):" >&2
  cat "$log" >&2
  exit 1
fi

for example in docs/examples/outage-ticket.json docs/examples/presales-question.json \
               docs/examples/kickoff-meeting.json docs/examples/renewal-dutch.json \
               docs/examples/qbr-meeting.json; do
  echo
  echo "════ $(basename "$example") ════"
  "$cse" ingest --server="$listen" "$example"
done

# The learning loop: the team tells the sidecar what it did and how the
# customer reacted (in a CRM, with the label each note ends with); the
# circumplex report counts that work. --id keeps a re-run from counting it
# twice.
echo
echo "════ the team records what it did for acme's outage ════"
"$cse" outcome --server="$listen" --account acme --practice P10 \
  --reaction restored --follow-latest --by demo --id demo-acme-outage \
  --description "patched the export and called the IT manager"
echo
echo "════ circumplex report of the work recorded ════"
"$cse" circumplex --server="$listen"

echo
echo "The sidecar keeps serving on $listen (journey store: $data/journey.db,"
echo "log: $log). Ingesting the same examples again answers them as duplicates."
echo "Try: $cse assess --server=$listen --text \"The export is down again and nobody told us\""
if [[ "${CSE_DEMO_EXIT:-0}" == 1 ]]; then exit 0; fi
echo "Ctrl-C to stop."
wait "$sidecar"
