# Shared by the load scripts (sourced, never run): finding the repository and the peer configs,
# installing the peers, starting processes that are stopped by pid on exit, starting teal, reading RSS.
# shellcheck shell=bash

repo_root="$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)"
teal_jar="$repo_root/admin-api/target/teal.jar"
bench_jar="$repo_root/benchmarks/target/benchmarks.jar"

# Loopback ports, all from one base so that two engineers (or two scripts) on one machine can run side by
# side with different bases. The defaults (PORT_BASE=18080) are the ports the shared peer configurations
# name: 18081 blue, 18082 green, 18083 the streaming backend, 18090 NGINX, 18091 HAProxy, 18092 teal.
PORT_BASE="${PORT_BASE:-18080}"
[[ "$PORT_BASE" =~ ^[1-9][0-9]{3,4}$ ]] && ((PORT_BASE + 20 <= 65535)) ||
  { echo "${0##*/}: PORT_BASE: '$PORT_BASE' (expected: a port number, 1000 to 65515)" >&2; exit 1; }
blue_port=$((PORT_BASE + 1))
green_port=$((PORT_BASE + 2))
streaming_port=$((PORT_BASE + 3))
nginx_port=$((PORT_BASE + 10))
haproxy_port=$((PORT_BASE + 11))
teal_port=$((PORT_BASE + 12))

# Pids of everything this script started; stop_started stops them, newest first.
started_pids=()
work_dir=""

die() {
  echo "${0##*/}: $*" >&2
  exit 1
}

say() {
  echo "${0##*/}: $*" >&2
}

# The shared peer configurations: $BENCH_DIR, or ../shared/bench next to the repository (for a git
# worktree elsewhere: next to the main checkout).
bench_dir() {
  local dir="${BENCH_DIR:-$repo_root/../shared/bench}" common
  if [[ -z "${BENCH_DIR:-}" && ! -f "$dir/backends-nginx.conf" ]]; then
    common="$(git -C "$repo_root" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
    [[ -n "$common" ]] && dir="$(dirname "$common")/../shared/bench"
  fi
  [[ -f "$dir/backends-nginx.conf" ]] ||
    die "no backends-nginx.conf in $dir (set BENCH_DIR to the folder holding the peer configurations)"
  (cd "$dir" && pwd)
}

# ensure_tools COMMAND:PACKAGE ...: installs Debian's package for each missing command (apt-get update once).
ensure_tools() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || [[ -x "/usr/sbin/${pair%%:*}" ]] || missing+=("${pair#*:}")
  done
  ((${#missing[@]} == 0)) && return 0
  ((EUID == 0)) || die "missing ${missing[*]}; installing them needs root: sudo apt-get install -y ${missing[*]}"
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them with"
  say "installing ${missing[*]} (apt-get) ..."
  apt-get update -qq >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
}

# Debian puts nginx and haproxy in /usr/sbin, which a non-login shell may not have on its PATH.
PATH="$PATH:/usr/sbin:/sbin"

ensure_teal_jar() {
  [[ -f "$teal_jar" ]] && return 0
  say "building $teal_jar (mvn -B -q -DskipTests package -pl admin-api -am) ..."
  (cd "$repo_root" && mvn -B -q -DskipTests package -pl admin-api -am) >&2 || die "building teal failed"
}

ensure_bench_jar() {
  # Rebuilt when a source is newer: the load scripts run the generator from it.
  [[ -f "$bench_jar" && -z "$(find "$repo_root/benchmarks/src/main" -newer "$bench_jar" -print -quit)" ]] && return 0
  say "building $bench_jar (mvn -B -q -DskipTests package -pl benchmarks -am) ..."
  (cd "$repo_root" && mvn -B -q -DskipTests package -pl benchmarks -am) >&2 || die "building the benchmarks failed"
}

make_work_dir() {
  work_dir="$(mktemp -d /tmp/teal-load.XXXXXX)"
  mkdir -p "$work_dir/peers"
}

# peer_config NAME: a copy of the shared configuration NAME in $work_dir, with this run's ports (from
# PORT_BASE) instead of the defaults it names, and its pid and error files in $work_dir/peers instead of
# /tmp/teal-bench (so runs with different bases do not overwrite each other's); prints the copy's path.
peer_config() {
  local name="$1" copy="$work_dir/$1" dir
  dir="$(bench_dir)" || exit 1
  sed -e "s/127\.0\.0\.1:18081\b/127.0.0.1:$blue_port/g" -e "s/127\.0\.0\.1:18082\b/127.0.0.1:$green_port/g" \
    -e "s/127\.0\.0\.1:18090\b/127.0.0.1:$nginx_port/g" -e "s/127\.0\.0\.1:18091\b/127.0.0.1:$haproxy_port/g" \
    -e "s#/tmp/teal-bench#$work_dir/peers#g" "$dir/$name" >"$copy"
  if ((PORT_BASE != 18080)) && grep -qE '127\.0\.0\.1:180[89][0-9]\b' "$copy"; then
    die "$name names a port this script does not move (the shared configuration changed?): $(grep -oE '127\.0\.0\.1:180[89][0-9]' "$copy" | head -1)"
  fi
  echo "$copy"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_free_ports() {
  local port
  for port in "$@"; do
    ! port_in_use "$port" || die "127.0.0.1:$port is already in use (another benchmark running?); stop it first"
  done
}

# A port nobody listens on now (the kernel picks it).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_port PORT PID WHAT: until PORT accepts connections; fails if PID dies or after 60 s.
wait_for_port() {
  local port="$1" pid="$2" what="$3" deadline=$((SECONDS + 60))
  until port_in_use "$port"; do
    kill -0 "$pid" 2>/dev/null || die "$what exited before listening on $port (log: $work_dir)"
    ((SECONDS < deadline)) || die "$what does not listen on $port after 60 s (log: $work_dir)"
    sleep 0.2
  done
}

# start NAME COMMAND...: runs COMMAND in the background with its output in $work_dir/NAME.log and
# remembers its pid in $last_pid and for stop_started. Its stdin is the caller's.
start() {
  local name="$1"
  shift
  # <&0: a background command's stdin would otherwise be /dev/null, not what the caller redirected.
  "$@" <&0 >"$work_dir/$name.log" 2>&1 &
  last_pid=$!
  started_pids+=("$last_pid")
}

# forget_pid PID: PID has been waited for; stop_started must not signal whatever gets its number next.
forget_pid() {
  local kept=() pid
  for pid in "${started_pids[@]}"; do
    [[ "$pid" == "$1" ]] || kept+=("$pid")
  done
  started_pids=("${kept[@]}")
}

stop_started() {
  local i pid deadline
  for ((i = ${#started_pids[@]} - 1; i >= 0; i--)); do
    pid="${started_pids[i]}"
    kill -TERM "$pid" 2>/dev/null || continue
    deadline=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  started_pids=()
}

# Both backends (blue :$blue_port, green :$green_port) in the foreground, so the pid is nginx's master.
start_backends() {
  local conf
  require_free_ports "$blue_port" "$green_port"
  conf="$(peer_config backends-nginx.conf)" || exit 1
  start backends nginx -c "$conf" -g 'daemon off;'
  wait_for_port "$blue_port" "$last_pid" "the backend nginx"
  wait_for_port "$green_port" "$last_pid" "the backend nginx"
}

# start_teal PORT BLUE GREEN [EXTRA_HOCON]: teal on 127.0.0.1:PORT in front of the given backends with one
# event loop, like the peers, and a fresh state directory; $teal_pid is its pid. JVM options: $TEAL_JAVA_OPTS.
start_teal() {
  local port="$1" blue="$2" green="$3" extra="${4:-}" conf="$work_dir/teal.conf" admin
  admin="$(free_port)"
  require_free_ports "$port"
  cat >"$conf" <<EOF
teal {
  listen = "127.0.0.1:$port"
  state-dir = "$work_dir/teal-state"
  colors {
    blue.backends = ["$blue"]
    green.backends = ["$green"]
  }
  split.green = 25
  access-log = false
  transport.event-loop-threads = 1
  admin.listen = "127.0.0.1:$admin"
  $extra
}
EOF
  ensure_teal_jar
  # The environment overrides the file for these; the generated file must win.
  # shellcheck disable=SC2086
  start teal env -u TEAL_LISTEN -u TEAL_STATE_DIR -u TEAL_ADMIN_LISTEN \
    java ${TEAL_JAVA_OPTS:-} -jar "$teal_jar" run -c "$conf"
  teal_pid=$last_pid
  wait_for_port "$port" "$teal_pid" "teal"
}

# Resident set size of PID in KiB (VmRSS from /proc).
rss_kib() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# CPU time (user + system, in clock ticks) of PID and its children, e.g. nginx's master and its worker.
cpu_ticks() {
  local pid="$1" child total
  total="$(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')"
  # Each task's children file is one line of space-separated pids.
  for child in $(tr '\n' ' ' < <(cat /proc/"$pid"/task/*/children 2>/dev/null)); do
    total=$((total + $(sed 's/.*) //' "/proc/$child/stat" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}

load_average() {
  cut -d' ' -f1-3 /proc/loadavg
}

machine_summary() {
  local cpu
  cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "- CPUs: $(nproc) × ${cpu:-unknown}"
  echo "- memory: $(free -h | awk '/^Mem:/ { print $2 " total, " $7 " available" }')"
  echo "- kernel: $(uname -r)"
  echo "- java: $(java -version 2>&1 | head -2 | tail -1)"
  echo "- teal JVM options: ${TEAL_JAVA_OPTS:-(JVM defaults)}"
}

# jvm_thread_allocations PID: one line per live Java thread of PID, "nid bytes": the bytes it has
# allocated on the heap so far, from the per-thread counters `jcmd PID Thread.print -e` prints
# ("allocated=118M"). HotSpot rounds each to its unit with at least 3 significant digits (B; K from
# 100 KiB; M from 100 MiB; G from 100 GiB), so a difference is exact to about 1 % of a busy thread's total.
jvm_thread_allocations() {
  jcmd "$1" Thread.print -e 2>/dev/null | awk '
    / allocated=[0-9]+[BKMG] / && / nid=0x[0-9a-f]+ / {
      match($0, / nid=0x[0-9a-f]+ /); nid = substr($0, RSTART + 5, RLENGTH - 6)
      match($0, / allocated=[0-9]+[BKMG] /); v = substr($0, RSTART + 11, RLENGTH - 12); n = v + 0
      u = substr(v, length(v))
      if (u == "K") n *= 1024; else if (u == "M") n *= 1048576; else if (u == "G") n *= 1073741824
      printf "%s %.0f\n", nid, n }'
}

# allocated_between BEFORE AFTER: bytes allocated between two jvm_thread_allocations readings (files): for a
# thread in both, the growth of its counter; for a thread started in between, all of it; a thread that ended
# in between (a pool's idle worker) takes what it allocated since BEFORE with it.
allocated_between() {
  awk 'NR == FNR { b[$1] = $2; next } { s += $2 - (($1 in b) ? b[$1] : 0) } END { printf "%.0f", s }' "$1" "$2"
}
