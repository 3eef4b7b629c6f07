#!/usr/bin/env bash
# Brings up a real Request Tracker 5 on loopback for the RT adapter's
# end-to-end tests: Debian 12's packages, SQLite, rt-server (Starlet) as
# www-data. Idempotent: on a fresh Debian 12 it installs everything (about
# 2.5 min); when RT is installed it runs the bootstrap and starts the
# server (a few seconds); when this run dir's server is already up with the
# same settings and bootstrap code, it only checks the login (about 1 s).
#
# Run as root. Env knobs:
#   RT_PORT      loopback port (default 8080)
#   RT_WORKERS   Starlet workers (default 2)
#   CSE_POKE_URL where the "CSE poke" scrip POSTs (default: empty = off)
#   CSE_POKE_TOKEN  sent as X-CSE-Poke-Token (default: empty = no header)
#   RT_PASSWORD  password of RT's root user (default "password")
#   RT_RUN_DIR   PID, state, env and log files (default /var/tmp/cse-rt)
#   RT_START_TIMEOUT  seconds to wait for REST2 (default 120)
#
# Output: progress on stderr; on success the last stdout line is
#   RT_BASE_URL=http://127.0.0.1:PORT RT_REST2_URL=... RT_USER=root RT_PASSWORD=... RT_PID=...
# and the same KEY=value pairs, one a line, are in $RT_RUN_DIR/rt.env.
# Exit status 3: the port is taken by something else. Stop: rt-down.sh.
set -euo pipefail

RT_PORT=${RT_PORT:-8080}
RT_WORKERS=${RT_WORKERS:-2}
CSE_POKE_URL=${CSE_POKE_URL:-}
CSE_POKE_TOKEN=${CSE_POKE_TOKEN:-}
RT_PASSWORD=${RT_PASSWORD:-password}
RT_RUN_DIR=${RT_RUN_DIR:-/var/tmp/cse-rt}
RT_START_TIMEOUT=${RT_START_TIMEOUT:-120}
export RT_PASSWORD

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(cd "$here/../../.." && pwd)
scrip_file=$source_dir/adapters/request_tracker/scrip/cse-poke-scrip.pl

packages=(request-tracker5 rt5-db-sqlite rt5-standalone dma)
rt_server=/usr/share/request-tracker5/libexec/rt-server
etc=/etc/request-tracker5
dropin=$etc/RT_SiteConfig.d/99-cse-test.pm
db_dir=/var/lib/dbconfig-common/sqlite3/request-tracker5
db=$db_dir/rtdb
pid_file=$RT_RUN_DIR/rt-server.pid
state_file=$RT_RUN_DIR/rt-server.state
server_log=$RT_RUN_DIR/rt-server.log
apt_log=$RT_RUN_DIR/apt-install.log
env_file=$RT_RUN_DIR/rt.env
base_url=http://127.0.0.1:$RT_PORT
t0=$(date +%s.%N)

log() { echo "[rt-up $(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
elapsed() { echo "$(date +%s.%N) $1" | awk '{printf "%.1fs", $1 - $2}'; }

[[ $(id -u) -eq 0 ]] || die "run as root (installs packages, starts rt-server as www-data)"
[[ $RT_PORT =~ ^[0-9]+$ ]] || die "RT_PORT must be a number: $RT_PORT"
[[ $RT_WORKERS =~ ^[0-9]+$ ]] || die "RT_WORKERS must be a number: $RT_WORKERS"
[[ $CSE_POKE_URL != *"'"* && $CSE_POKE_URL != *\\* ]] || die "CSE_POKE_URL must not hold ' or \\"
[[ $CSE_POKE_TOKEN != *"'"* && $CSE_POKE_TOKEN != *\\* ]] || die "CSE_POKE_TOKEN must not hold ' or \\"
[[ -r $scrip_file ]] || die "scrip code not found: $scrip_file"
mkdir -p "$RT_RUN_DIR"

# One rt-up at a time: apt, the shared site config and the shared DB. The
# lock fd is closed for rt-server (9>&-), so the server does not hold it.
lock=/run/lock/cse-rt-up.lock
[[ -d /run/lock ]] || lock=/tmp/cse-rt-up.lock
exec 9>"$lock"
flock -w 900 9 || die "another rt-up.sh held $lock for 15 min"

# --- is this run dir's server already up? ------------------------------
# "Ours" = the PID file names a live (not zombie) rt-server process.
running_pid() {
  [[ -s $pid_file ]] || return 1
  local pid state
  pid=$(<"$pid_file")
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/stat ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state != Z ]] || return 1
  grep -qa rt-server "/proc/$pid/cmdline" || return 1
  echo "$pid"
}
# What the running server was started with; a change means a restart (the
# site config is read once at start).
# It also names what the bootstrap installed (its code, the scrip code, the
# password): while those are unchanged, a running server skips it.
digest() { sha256sum | cut -c1-16; }
want_state="port=$RT_PORT workers=$RT_WORKERS poke=$CSE_POKE_URL"
want_state+=" token=$(printf %s "$CSE_POKE_TOKEN" | digest)"
want_state+=" password=$(printf %s "$RT_PASSWORD" | digest)"
want_state+=" bootstrap=$(cat "$here/rt-bootstrap.pl" "$scrip_file" | digest)"

# --- packages -----------------------------------------------------------
installed() {
  local p
  for p in "${packages[@]}"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || return 1
  done
}

# A deleted file with a live ucf registration counts as "deleted by the
# user", and ucf will not recreate it (dbconfig then skips the DB set-up).
forget_stale_ucf() {
  [[ -r /var/lib/ucf/registry ]] || return 0
  local pkg file
  while read -r pkg file; do
    [[ $pkg == request-tracker5 && -n $file && ! -e $file ]] || continue
    log "forgetting stale ucf registration of $file"
    ucf --purge "$file" >>"$apt_log" 2>&1 || true
    ucfr --purge request-tracker5 "$file" >>"$apt_log" 2>&1 || true
  done < /var/lib/ucf/registry
}

preseed() {
  debconf-set-selections <<EOF
request-tracker5 request-tracker5/rtname string cse-test
request-tracker5 request-tracker5/organization string cse-test.localhost
request-tracker5 request-tracker5/correspondaddress string rt@localhost
request-tracker5 request-tracker5/commentaddress string rt-comment@localhost
request-tracker5 request-tracker5/webbaseurl string $base_url
request-tracker5 request-tracker5/webpath string
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/initial-root-password password $RT_PASSWORD
request-tracker5 request-tracker5/dbconfig-install boolean true
request-tracker5 request-tracker5/database-type select sqlite3
request-tracker5 request-tracker5/db/dbname string rtdb
request-tracker5 request-tracker5/db/basepath string $db_dir
dma dma/mailname string localhost
dma dma/relayhost string
EOF
}

if installed; then
  log "packages installed: ${packages[*]}"
else
  log "installing ${packages[*]} (no recommends; dma as MTA); apt log: $apt_log"
  : >"$apt_log"
  forget_stale_ucf
  command -v debconf-set-selections >/dev/null || die "debconf-set-selections missing"
  preseed
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-y -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef
            -o Dpkg::Options::=--force-confold)
  t_apt=$(date +%s.%N)
  apt-get "${apt_opts[@]}" update >>"$apt_log" 2>&1 ||
    die "apt-get update failed; tail of $apt_log:$(echo; tail -n 20 "$apt_log")"
  apt-get "${apt_opts[@]}" install --no-install-recommends "${packages[@]}" \
    >>"$apt_log" 2>&1 ||
    die "apt-get install failed; tail of $apt_log:$(echo; tail -n 30 "$apt_log")"
  installed || die "packages still missing after apt-get install; see $apt_log"
  log "installed in $(elapsed "$t_apt"): $(grep -E '^[0-9]+ upgraded' "$apt_log" | tail -n 1)"
fi
[[ -x $rt_server ]] || die "$rt_server missing (is rt5-standalone installed?)"

# --- permissions and site config ------------------------------------------
# ucf leaves RT_SiteConfig.pm root:root 0600; rt-server runs as www-data.
for f in "$etc"/RT_SiteConfig.pm "$etc"/RT_SiteConfig.d/*.pm; do
  [[ -e $f ]] || continue
  chgrp www-data "$f"
  chmod 0640 "$f"
done
# SQLite writes its journal next to the DB.
mkdir -p "$db_dir"
chown root:www-data "$db_dir"
chmod 0770 "$db_dir"

new_dropin=$(mktemp)
cat >"$new_dropin" <<EOF
# Written by tests/testing/request_tracker/rt-up.sh: a loopback RT for the
# CSE adapter tests. Rewritten by every rt-up.sh run; do not edit.
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $RT_PORT);
Set(\$WebPath, '');
Set(\$WebBaseURL, '$base_url');
Set(\$MailCommand, 'mbox');
Set(\$DatabaseType, 'SQLite');
Set(\$DatabaseName, '$db');
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'info');
# Where the "CSE poke" scrip POSTs (empty: it does nothing).
Set(\$CseWebhookURL, '$CSE_POKE_URL');
Set(\$CseWebhookToken, '$CSE_POKE_TOKEN');
1;
EOF
if cmp -s "$new_dropin" "$dropin"; then
  rm -f "$new_dropin"
else
  install -o root -g www-data -m 0640 "$new_dropin" "$dropin"
  rm -f "$new_dropin"
  log "wrote $dropin"
fi

# --- database -----------------------------------------------------------
users_in_db() {
  perl -MDBI -e '
    my $dbh = DBI->connect("dbi:SQLite:dbname=$ARGV[0]", "", "",
                           { RaiseError => 1, PrintError => 0 });
    print $dbh->selectrow_array("SELECT COUNT(*) FROM Users"), "\n";' "$db" 2>/dev/null
}
if ! [[ -s $db ]] || ! users_in_db >/dev/null; then
  log "database $db not initialised (dbconfig-common skipped?): rt-setup-database-5 --action init"
  pw_file=$(mktemp)
  printf '%s' "$RT_PASSWORD" >"$pw_file"
  rt-setup-database-5 --action init --skip-create --root-password-file "$pw_file" \
    >>"$RT_RUN_DIR/rt-setup-database.log" 2>&1 ||
    { rm -f "$pw_file"; die "rt-setup-database-5 failed; see $RT_RUN_DIR/rt-setup-database.log"; }
  rm -f "$pw_file"
  users_in_db >/dev/null || die "database $db still has no Users table"
fi
chown www-data:www-data "$db"
chmod 0660 "$db"

# --- custom fields, scrip, root password (RT's Perl API) ---------------------
run_bootstrap() {
  local t_boot
  t_boot=$(date +%s.%N)
  perl "$here/rt-bootstrap.pl" --scrip-file "$scrip_file" >&2 ||
    die "rt-bootstrap.pl failed"
  log "bootstrap done in $(elapsed "$t_boot")"
  # Anything the bootstrap (root) created next to the DB must stay writable.
  chown www-data:www-data "$db"
}

# --- rt-server ----------------------------------------------------------
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$RT_PORT") 2>/dev/null; }

# Logs in as a browser does (POST /NoAuth/Login.html -> session cookie) and
# asks REST2 for /rt with that cookie. Prints the version; fails otherwise.
rest2_login() {
  perl -MHTTP::Tiny -e '
    my ($base, $user, $pass) = @ARGV;
    my $http = HTTP::Tiny->new(timeout => 10, max_redirect => 0);
    my $r = $http->post_form("$base/NoAuth/Login.html", { user => $user, pass => $pass });
    my $set = $r->{headers}{"set-cookie"} // "";
    my @c = map { /^\s*(RT_SID_[^=;]+=[^;]+)/ ? $1 : () } ref $set ? @$set : ($set);
    exit 2 unless @c;
    $r = $http->get("$base/REST/2.0/rt", { headers => { Cookie => $c[-1] } });
    exit 3 unless $r->{status} == 200 && $r->{content} =~ /"Version"\s*:\s*"([^"]+)"/;
    print "$1\n";' "$base_url" root "$RT_PASSWORD"
}

if pid=$(running_pid); then
  if [[ -r $state_file && $(<"$state_file") == "$want_state" ]] && version=$(rest2_login); then
    log "rt-server already running (pid/pgid $pid) with these settings, REST2 login ok"
    started=0
  else
    log "rt-server (pid $pid) runs with other settings or does not answer: restarting it"
    RT_RUN_DIR=$RT_RUN_DIR "$here/rt-down.sh" >&2
    pid=""
  fi
else
  pid=""
fi

if [[ -z $pid ]]; then
  rm -f "$pid_file" "$state_file"
  if port_busy; then
    log "ERROR: 127.0.0.1:$RT_PORT is already in use by another process"
    exit 3
  fi
  run_bootstrap
  log "starting rt-server (Starlet, $RT_WORKERS workers) on 127.0.0.1:$RT_PORT as www-data; log: $server_log"
  : >>"$server_log"
  t_start=$(date +%s.%N)
  # Its own session and process group (PID = PGID), so rt-down.sh can stop
  # exactly this tree. Never run it as root: its SIGINT handler chowns -R.
  setsid setpriv --reuid=www-data --regid=www-data --init-groups -- \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/var/www LANG=C.UTF-8 \
    "$rt_server" --server Starlet --host 127.0.0.1 --port "$RT_PORT" \
    --max-workers "$RT_WORKERS" </dev/null >>"$server_log" 2>&1 9>&- &
  pid=$!
  echo "$pid" >"$pid_file"
  echo "$want_state" >"$state_file"
  deadline=$(($(date +%s) + RT_START_TIMEOUT))
  until version=$(rest2_login); do
    if ! kill -0 "$pid" 2>/dev/null || [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == Z ]]; then
      rm -f "$pid_file" "$state_file"
      if grep -q -i "address already in use" "$server_log"; then
        log "ERROR: rt-server could not bind 127.0.0.1:$RT_PORT (address in use)"
        exit 3
      fi
      die "rt-server exited; tail of $server_log:$(echo; tail -n 30 "$server_log")"
    fi
    if (($(date +%s) > deadline)); then
      RT_RUN_DIR=$RT_RUN_DIR "$here/rt-down.sh" >&2 || true
      die "REST2 login did not succeed within ${RT_START_TIMEOUT}s; tail of $server_log:$(echo; tail -n 30 "$server_log")"
    fi
    sleep 0.3
  done
  log "rt-server up after $(elapsed "$t_start") (pid/pgid $pid), RT $version"
  started=1
fi

rm -f "$env_file"
(umask 077; cat >"$env_file") <<EOF
RT_BASE_URL=$base_url
RT_REST2_URL=$base_url/REST/2.0
RT_USER=root
RT_PASSWORD=$RT_PASSWORD
RT_PID=$pid
RT_LOG=$server_log
RT_VERSION=$version
EOF
log "ready in $(elapsed "$t0") (started=$started); stop with: RT_RUN_DIR=$RT_RUN_DIR $here/rt-down.sh"
echo "RT_BASE_URL=$base_url RT_REST2_URL=$base_url/REST/2.0 RT_USER=root RT_PASSWORD=$RT_PASSWORD RT_PID=$pid"
