#!/usr/bin/env bash
# The launcher's JVM defaults against the alternatives, side by side in one run: for each option set,
# teal serves a burst of COUNT slow readers (each asks for a 4 MiB response and reads nothing for HOLD
# seconds, so teal buffers toward them up to its write-buffer limit), then they leave. Reports resident
# memory idle, during the burst and AFTER seconds after it, and the GC pauses (median, max, count) from
# the unified GC log. Ports 19080-19082 (PORT_BASE to move them).
#
#   benchmarks/load/jvm-defaults.sh
#   COUNT=2000 HOLD=15 AFTER=60 benchmarks/load/jvm-defaults.sh
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COUNT="${COUNT:-1000}"
HOLD="${HOLD:-10}"
AFTER="${AFTER:-45}"
PORT_BASE="${PORT_BASE:-19080}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
launcher_defaults="$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' "$repo_root/deploy/bin/teal")"
[[ -n "$launcher_defaults" ]] || die "no DEFAULT_JAVA_OPTS in deploy/bin/teal"

declare -a names=("JVM ergonomics, -Xmx512m" "launcher defaults" "SerialGC, -Xmx512m, free ratios")
declare -a options=(
  "-Xmx512m"
  "$launcher_defaults"
  "-XX:+UseSerialGC -Xms64m -Xmx512m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+ExitOnOutOfMemoryError"
)

make_work_dir
trap stop_started EXIT
ensure_teal_jar
port=$PORT_BASE
backend_port=$((PORT_BASE + 1))
require_free_ports "$port" "$backend_port"
mkdir -p "$work_dir/www"
head -c $((4 * 1024 * 1024)) /dev/zero >"$work_dir/www/big"
start backend python3 -m http.server "$backend_port" --bind 127.0.0.1 --directory "$work_dir/www"
wait_for_port "$backend_port" "$last_pid" "the backend"

pauses() { # median and max pause in ms, and the count, from a -Xlog:gc log
  grep -oE 'Pause[^)]*\)? [0-9.]+M->[0-9.]+M\([0-9.]+M\) [0-9.]+ms' "$1" | grep -oE '[0-9.]+ms$' | tr -d 'ms' |
    sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "- - 0"; exit } printf "%.1f %.1f %d\n", a[int((NR + 1) / 2)], a[NR], NR }'
}

results_dir="$here/results"
mkdir -p "$results_dir"
out="$results_dir/jvm-defaults-$(date -u +%Y-%m-%d-%H%M).md"
{
  echo "# JVM options under a burst of $COUNT slow readers, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Load average before: $(load_average)."
  echo
  echo "| options | RSS idle | RSS in the burst | RSS ${AFTER}s after | GC pauses median / max (count) |"
  echo "| --- | --- | --- | --- | --- |"
} >"$out"
for i in "${!names[@]}"; do
  log="$work_dir/gc-$i.log"
  TEAL_JAVA_OPTS="${options[$i]} -Xlog:gc:file=$log" start_teal "$port" "127.0.0.1:$backend_port" "127.0.0.1:$backend_port"
  curl -fsS -o /dev/null "http://127.0.0.1:$port/big" || die "teal does not serve /big"
  idle=$(($(rss_kib "$teal_pid") / 1024))
  python3 "$here/slow_readers.py" 127.0.0.1 "$port" /big "$COUNT" "$HOLD" >"$work_dir/burst-$i.log" &
  burst=$!
  peak=0
  while kill -0 "$burst" 2>/dev/null; do
    rss=$(($(rss_kib "$teal_pid") / 1024))
    ((rss > peak)) && peak=$rss
    sleep 0.5
  done
  wait "$burst" || die "the burst failed (log: $work_dir/burst-$i.log)"
  sleep "$AFTER"
  after=$(($(rss_kib "$teal_pid") / 1024))
  read -r median max count < <(pauses "$log")
  echo "| \`${options[$i]}\` (${names[$i]}) | $idle MiB | $peak MiB | $after MiB | $median / $max ms ($count) |" >>"$out"
  say "${names[$i]}: idle $idle MiB, burst $peak MiB, after $after MiB, pauses $median / $max ms ($count)"
  kill -TERM "$teal_pid"
  wait "$teal_pid" 2>/dev/null || true
done
{
  echo
  echo "Load average after: $(load_average)."
  echo
  machine_summary
} >>"$out"
cat "$out"
say "written to $out"
