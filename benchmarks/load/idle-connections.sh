#!/usr/bin/env bash
# teal's resident memory with 10,000 idle keep-alive client connections: starts the two nginx backends
# and teal (one event loop), opens the connections with idle_clients.py (one request each, then idle),
# and reports teal's RSS (/proc/PID/status) before and after, per connection, and the live heap after a GC.
# The table also goes to benchmarks/load/results/idle-connections-<date>.md.
#
#   benchmarks/load/idle-connections.sh
#   CONNECTIONS=20000 TEAL_JAVA_OPTS="-Xmx256m" benchmarks/load/idle-connections.sh
#
# Environment: CONNECTIONS (10000), TEAL_JAVA_OPTS (JVM options for teal), BENCH_DIR (peer configurations).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS="${CONNECTIONS:-10000}"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS: '$CONNECTIONS' (expected: a positive integer)"
port="$teal_port"

trap stop_started EXIT
trap 'exit 130' INT TERM

# Both the client and teal hold one descriptor per connection, plus their own.
needed=$((CONNECTIONS + 1024))
if (($(ulimit -n) < needed)); then
  ulimit -n "$needed" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
(($(ulimit -n) >= needed)) || die "ulimit -n is $(ulimit -n), at most $(ulimit -Hn) (expected: >= $needed for $CONNECTIONS connections)"

ensure_tools nginx:nginx-light python3:python3
ensure_teal_jar
make_work_dir
start_backends
# Nothing may close the connections while they are counted: the idle time-out and the connection limit
# are raised above what the measurement needs.
start_teal "$port" "127.0.0.1:$blue_port" "127.0.0.1:$green_port" \
  "limits.max-connections = $((CONNECTIONS + 100)), timeouts.keep-alive-idle = 30m"
client="$(dirname "${BASH_SOURCE[0]}")/idle_clients.py"

# hold_clients COUNT: opens COUNT idle connections held until release_clients; returns once they are open.
hold_clients() {
  local count="$1" deadline=$((SECONDS + 300))
  rm -f "$work_dir/hold"
  mkfifo "$work_dir/hold"
  # Read-write, so that opening it never blocks; a line on it lets the client go.
  exec 4<>"$work_dir/hold"
  start clients python3 "$client" 127.0.0.1 "$port" "$count" <"$work_dir/hold"
  clients_pid=$last_pid
  until grep -q "^open $count\$" "$work_dir/clients.log"; do
    kill -0 "$clients_pid" 2>/dev/null || die "the client failed: $(cat "$work_dir/clients.log")"
    ((SECONDS < deadline)) || die "$count connections not open after 300 s"
    sleep 0.2
  done
}

release_clients() {
  echo >&4
  wait "$clients_pid" || die "the client failed: $(cat "$work_dir/clients.log")"
  exec 4>&-
}

open_fds() {
  find "/proc/$teal_pid/fd" -mindepth 1 -maxdepth 1 | wc -l
}

heap_used_kib() {
  jcmd "$teal_pid" GC.heap_info 2>/dev/null | awk '/ heap +total/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v; exit } }'
}

# A first round of connections loads the classes and fills the allocator's caches, so that "before" is a
# teal that has served connections, not a freshly started one.
say "warming teal up with 200 connections ..."
hold_clients 200
release_clients
sleep 2
jcmd "$teal_pid" GC.run >/dev/null 2>&1 || true
load_before="$(load_average)"
rss_before="$(rss_kib "$teal_pid")"
heap_before="$(heap_used_kib)"
fds_before="$(open_fds)"

say "opening $CONNECTIONS idle keep-alive connections ..."
started_at=$SECONDS
hold_clients "$CONNECTIONS"
open_seconds=$((SECONDS - started_at))
# Let teal finish whatever the burst left it doing (pool trims, JIT) before reading its memory.
sleep 3
rss_after="$(rss_kib "$teal_pid")"
fds_after="$(open_fds)"
jcmd "$teal_pid" GC.run >/dev/null 2>&1 || true
heap_after="$(heap_used_kib)"
rss_after_gc="$(rss_kib "$teal_pid")"
release_clients
load_after="$(load_average)"
closed="$(awk '/^closed by the server meanwhile/ { print $NF }' "$work_dir/clients.log")"
((fds_after - fds_before >= CONNECTIONS)) ||
  die "teal holds $fds_after descriptors ($fds_before before), fewer than $CONNECTIONS more (log: $work_dir)"

per_conn() {
  awk -v a="$1" -v b="$2" -v n="$CONNECTIONS" 'BEGIN { printf "%.1f", (a - b) * 1024 / n / 1024 }'
}

mib() {
  awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'
}

report() {
  echo "# teal with $CONNECTIONS idle keep-alive connections — $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "Each connection served one request, then stayed open and idle (idle_clients.py). Opening them took"
  echo "${open_seconds} s; teal closed $closed of them meanwhile; it held $((fds_after - fds_before)) more descriptors."
  echo
  echo "| | before | with $CONNECTIONS connections | per connection |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| resident memory (RSS) | $(mib "$rss_before") MiB | $(mib "$rss_after") MiB | $(per_conn "$rss_after" "$rss_before") KiB |"
  echo "| RSS after a full GC | | $(mib "$rss_after_gc") MiB | $(per_conn "$rss_after_gc" "$rss_before") KiB |"
  if [[ -n "$heap_before" && -n "$heap_after" ]]; then
    echo "| live heap after a full GC | $(mib "$heap_before") MiB | $(mib "$heap_after") MiB | $(per_conn "$heap_after" "$heap_before") KiB |"
  fi
  echo
  echo "Load average (1, 5, 15 min): $load_before before, $load_after after."
  echo
  echo "Machine:"
  machine_summary
}

results="$repo_root/benchmarks/load/results"
mkdir -p "$results"
file="$results/idle-connections-$(date +%Y-%m-%d-%H%M).md"
report | tee "$file"
say "written to $file"
