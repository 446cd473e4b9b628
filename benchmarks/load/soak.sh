#!/usr/bin/env bash
# A long returning-session load through teal, to show whether anything grows with the requests served:
# starts the two nginx backends and teal (one event loop), warms teal up, then runs the load generator
# (dev.teal.bench.load.LoadGenerator --mode returning: each connection a client with its own cookie jar)
# for DURATION and prints, per INTERVAL, teal's CPU µs per request, requests/s, p50/p99/p99.9, teal's heap
# after a full GC, bytes allocated per request and RSS, then the last interval against the first. The
# table also goes to benchmarks/load/results/soak-<date>.md.
#
#   benchmarks/load/soak.sh                       # 30 minutes
#   DURATION=5m benchmarks/load/soak.sh           # a short check
#
# Environment: DURATION (30m; e.g. 120s or 5m), INTERVAL (60s), CONNECTIONS (64), TEAL_WARMUP (20s),
# PORT_BASE (18080: blue +1, green +2, teal +12), TEAL_JAVA_OPTS, LOADGEN_JAVA_OPTS, BENCH_DIR.
#
# At each interval's end the script asks teal's JVM for a full collection (`jcmd PID GC.run`) and reads
# the old generation's use right after (`jstat -gc`'s OU): the live data, what would grow if something
# leaked. That pause falls into the next interval's latencies (a few ms with this heap) and its CPU into
# that interval's CPU.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION="${DURATION:-30m}"
INTERVAL="${INTERVAL:-60s}"
CONNECTIONS="${CONNECTIONS:-64}"
TEAL_WARMUP="${TEAL_WARMUP:-20s}"

# seconds 30m|90s|90: seconds.
seconds() {
  local d="$1"
  [[ "$d" =~ ^[1-9][0-9]*[sm]?$ ]] || die "duration '$d' (expected: e.g. 90s or 30m)"
  case "$d" in
    *m) echo $((${d%m} * 60)) ;;
    *s) echo "${d%s}" ;;
    *) echo "$d" ;;
  esac
}
duration_s="$(seconds "$DURATION")"
interval_s="$(seconds "$INTERVAL")"
((interval_s <= duration_s)) || die "INTERVAL ($INTERVAL) is longer than DURATION ($DURATION)"

trap stop_started EXIT
trap 'exit 130' INT TERM

ensure_tools nginx:nginx-light python3:python3 jcmd:openjdk-17-jdk-headless
ensure_teal_jar
ensure_bench_jar
make_work_dir
say "starting the backends and teal on ports from $PORT_BASE (logs in $work_dir) ..."
start_backends
start_teal "$teal_port" "127.0.0.1:$blue_port" "127.0.0.1:$green_port"
loadgen=(java ${LOADGEN_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC} -Dslf4j.internal.verbosity=ERROR
  -cp "$bench_jar" dev.teal.bench.load.LoadGenerator --target "127.0.0.1:$teal_port" --connections "$CONNECTIONS")

say "warming teal up for $TEAL_WARMUP ..."
"${loadgen[@]}" --warmup 0 --duration "$(seconds "$TEAL_WARMUP")" >"$work_dir/warmup.txt" ||
  die "the warm-up failed: $(cat "$work_dir/warmup.txt")"

field() {
  awk -v k="$1" '{ for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit } }' <<<"$2"
}

# Live heap after a full collection, in MiB: the old generation's use (jstat's OU) right after
# `jcmd GC.run`, which leaves every live object there (G1 and the parallel collector alike). Not the whole
# heap's use: the load goes on meanwhile and refills the young generation within a second.
heap_after_gc() {
  jcmd "$teal_pid" GC.run >/dev/null 2>&1 || true
  jstat -gc "$teal_pid" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "OU") c = i }
    NR == 2 && c { printf "%.1f", $c / 1024 }'
}

ticks_per_second="$(getconf CLK_TCK)"
rows="$work_dir/rows.tsv"
: >"$rows"
out="$work_dir/loadgen.txt"
load_start="$(load_average)"
started_at="$(date -u '+%H:%M')"
heap0="$(heap_after_gc)"
jvm_thread_allocations "$teal_pid" >"$work_dir/alloc-before.txt"
say "soaking for $DURATION, a row every $INTERVAL (heap after GC before the start: $heap0 MiB) ..."
"${loadgen[@]}" --mode returning --warmup 0 --duration "$duration_s" --interval "$interval_s" >"$out" 2>&1 &
gen_pid=$!
started_pids+=("$gen_pid")
ticks="$(cpu_ticks "$teal_pid")"
seen=0
deadline=$((SECONDS + duration_s + 120))
while :; do
  lines="$(grep -c '^interval ' "$out" || true)"
  if ((lines > seen)); then
    seen=$((seen + 1))
    line="$(grep '^interval ' "$out" | sed -n "${seen}p")"
    now_ticks="$(cpu_ticks "$teal_pid")"
    requests="$(field requests "$line")"
    cpu="$(awk -v t=$((now_ticks - ticks)) -v hz="$ticks_per_second" -v n="$requests" 'BEGIN { printf "%.1f", (n > 0) ? t / hz * 1e6 / n : 0 }')"
    ticks="$now_ticks"
    jvm_thread_allocations "$teal_pid" >"$work_dir/alloc-after.txt"
    per_request="$(awk -v b="$(allocated_between "$work_dir/alloc-before.txt" "$work_dir/alloc-after.txt")" \
      -v n="$requests" 'BEGIN { printf "%.0f", (n > 0) ? b / n : 0 }')"
    heap="$(heap_after_gc)"
    # The next interval's allocation is counted from after the collection and the thread dumps.
    jvm_thread_allocations "$teal_pid" >"$work_dir/alloc-before.txt"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(field at "$line")" "$(field rps "$line")" "$cpu" \
      "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$(field p999_ms "$line")" "$heap" "$per_request" \
      "$(awk -v k="$(rss_kib "$teal_pid")" 'BEGIN { printf "%.1f", k / 1024 }')" "$(field errors "$line")" "$(load_average)" >>"$rows"
    say "$(tail -1 "$rows" | awk -F'\t' '{ printf "at %.0f s: %s req/s, %s µs CPU/request, p99 %s ms, heap after GC %s MiB, %s B/request, load %s", $1, $2, $3, $5, $7, $8, $11 }')"
    continue
  fi
  if ! kill -0 "$gen_pid" 2>/dev/null; then
    break
  fi
  ((SECONDS < deadline)) || die "the generator did not end in time ($out)"
  sleep 0.1
done
wait "$gen_pid" || die "the generator failed: $(cat "$out")"
forget_pid "$gen_pid"
result="$(grep '^result ' "$out")" || die "no result from the generator: $(cat "$out")"
load_end="$(load_average)"
((seen > 0)) || die "no interval line from the generator: $(cat "$out")"

# first_last COLUMN: "first → last (last/first)".
first_last() {
  awk -F'\t' -v c="$1" 'NR == 1 { f = $c } { l = $c } END { printf "%s → %s (%.2f×)", f, l, (f > 0) ? l / f : 0 }' "$rows"
}

report() {
  echo "# teal soak: returning sessions for $DURATION — $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "\`DURATION=$DURATION INTERVAL=$INTERVAL CONNECTIONS=$CONNECTIONS benchmarks/load/soak.sh\`: teal (one event loop)"
  echo "in front of the two nginx backends, \`LoadGenerator --mode returning --connections $CONNECTIONS\` (each"
  echo "connection a client with its own cookie jar, closed loop), after a warm-up of $TEAL_WARMUP. Run"
  echo "$started_at–$(date -u '+%H:%M') UTC, load average $load_start at the start, $load_end at the end."
  echo
  echo "| at (s) | requests/s | CPU µs/request | p50 ms | p99 ms | p99.9 ms | heap after GC MiB | allocated B/request | RSS MiB | errors | load average |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  awk -F'\t' '{ printf "| %.0f | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$rows"
  echo
  echo "First interval → last: CPU µs/request $(first_last 3); p99 $(first_last 5) ms; heap after GC"
  echo "$(first_last 7) MiB (before the load: $heap0 MiB); RSS $(first_last 9) MiB."
  echo
  echo "Whole run: $(sed 's/^result //' <<<"$result")."
  echo
  echo "CPU µs/request: teal's user + system CPU time over the interval (from /proc) divided by the responses"
  echo "in it. Heap after GC: the old generation's use (\`jstat -gc\`'s OU) right after \`jcmd GC.run\` at the"
  echo "interval's end: the live objects (a full collection moves them all there), without the young"
  echo "generation the ongoing load refills meanwhile."
  echo "Allocated B/request: growth of the JVM's per-thread allocation counters (\`jcmd Thread.print -e\`) over"
  echo "the interval per response; once a thread has allocated 100 GiB HotSpot prints its count in GiB, and"
  echo "the figure turns coarse."
  echo
  echo "Machine:"
  machine_summary
  echo "- teal: $(git -C "$repo_root" log -1 --format='%h %s' | cut -c1-100)"
}

results="$repo_root/benchmarks/load/results"
mkdir -p "$results"
file="$results/soak-$(date +%Y-%m-%d-%H%M).md"
report | tee "$file"
say "written to $file"
