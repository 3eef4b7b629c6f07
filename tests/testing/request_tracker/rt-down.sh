#!/usr/bin/env bash
# Stops the rt-server that rt-up.sh started in $RT_RUN_DIR (default
# /var/tmp/cse-rt): only the process group its PID file names, after
# checking that the PID is still an rt-server leading its own group (rt-up
# starts it with setsid). TERM, up to 10 s, then KILL. Never kills by name
# and never sends SIGINT (rt-server's INT handler chowns
# /var/lib/request-tracker5). Idempotent: no PID file, nothing to do.
set -euo pipefail

RT_RUN_DIR=${RT_RUN_DIR:-/var/tmp/cse-rt}
pid_file=$RT_RUN_DIR/rt-server.pid
state_file=$RT_RUN_DIR/rt-server.state

log() { echo "[rt-down $(date +%T)] $*" >&2; }

# "state pgid" of a process, from /proc/PID/stat (the fields after the
# command name, which may itself hold spaces and parentheses).
proc_state() {
  local line rest st pg
  { read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
  rest=${line##*) }
  read -r st _ pg _ <<<"$rest"
  echo "$st $pg"
}

# True while a process of group $1 exists that is not a zombie.
group_alive() {
  local f line rest st pg
  for f in /proc/[0-9]*/stat; do
    { read -r line <"$f"; } 2>/dev/null || continue
    rest=${line##*) }
    read -r st _ pg _ <<<"$rest"
    [[ $pg == "$1" && $st != Z ]] && return 0
  done
  return 1
}

if [[ ! -s $pid_file ]]; then
  log "no $pid_file: nothing to stop"
  rm -f "$state_file"
  exit 0
fi
pid=$(<"$pid_file")
if ! [[ $pid =~ ^[0-9]+$ ]] || ((pid <= 1)); then
  log "ignoring $pid_file: '$pid' is not a usable PID"
  rm -f "$pid_file" "$state_file"
  exit 0
fi
if ! group_alive "$pid"; then
  log "rt-server group $pid is already gone"
  rm -f "$pid_file" "$state_file"
  exit 0
fi
# The group leader must still be our rt-server; if it is gone while members
# live on (a worker), the group id is still ours: setsid made it unique.
if info=$(proc_state "$pid") && [[ ${info%% *} != Z ]]; then
  if ! grep -qa rt-server "/proc/$pid/cmdline" || [[ ${info#* } != "$pid" ]]; then
    log "PID $pid is not an rt-server leading its own group any more: not touching it"
    rm -f "$pid_file" "$state_file"
    exit 1
  fi
fi

log "stopping rt-server process group $pid (TERM)"
kill -TERM -- "-$pid" 2>/dev/null || true
for _ in $(seq 100); do
  group_alive "$pid" || break
  sleep 0.1
done
if group_alive "$pid"; then
  log "still alive after 10 s: KILL"
  kill -KILL -- "-$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    group_alive "$pid" || break
    sleep 0.1
  done
fi
rm -f "$pid_file" "$state_file"
if group_alive "$pid"; then
  log "ERROR: process group $pid survived KILL"
  exit 1
fi
log "stopped"
