#!/usr/bin/env bash
# teal next to HAProxy and NGINX, in one run on this machine, with the same load generator and the same job:
# two colors (blue, green), a 75/25 split, keep-alive both sides, one event-loop thread each. Measures the
# backend directly, HAProxy, NGINX and teal under each load MODE, round by round, the targets alternating
# within each round, and prints per mode the median of each figure, the ratios teal/HAProxy, teal/NGINX and
# teal/direct, and issue 11's targets; the tables also go to benchmarks/load/results/compare-<date>.md.
# Installs the peers (Debian packages) when missing.
#
# Modes (MODES, in this order by default: the cookie-less one last, because under it teal tracks a new session
# per request and would carry them into the modes measured after it):
#   returning  each of CONNECTIONS connections is a client with its own cookie jar, sending back what it was
#              set (closed loop; the Java generator dev.teal.bench.load.LoadGenerator)
#   pool       SESSIONS sessions whose cookies are obtained once at the start, one drawn at random per request
#   open       a fixed rate (RATE, or half of HAProxy's measured maximum), returning clients, latency measured
#              from each request's intended send time (no coordinated omission); reports the latency added
#              over the backend directly
#   wrk        stock `wrk --latency`: no cookies, so every request is a first visit
#
#   benchmarks/load/compare.sh
#   ROUNDS=3 DURATION=8s benchmarks/load/compare.sh
#   MODES="returning open" RATE=5000 PORT_BASE=25080 benchmarks/load/compare.sh
#
# Environment: MODES ("returning pool open wrk"), ROUNDS (3), DURATION (10s), CONNECTIONS (64), THREADS (1,
# wrk only), WARMUP (5s, before every measurement), TEAL_WARMUP (20s, once, so the JIT has compiled teal's hot
# paths before round 1), SESSIONS (10000, pool), RATE (open loop, requests/s; default half of HAProxy's median
# requests/s in returning mode, measured first when that mode is not in MODES), PORT_BASE (18080: blue
# +1, green +2, NGINX +10, HAProxy +11, teal +12), TEAL_JAVA_OPTS (JVM options for teal; JVM defaults when
# unset), LOADGEN_JAVA_OPTS (the generator's JVM), BENCH_DIR (the peer configurations).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODES="${MODES:-returning pool open wrk}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-1}"
WARMUP="${WARMUP:-5s}"
TEAL_WARMUP="${TEAL_WARMUP:-20s}"
SESSIONS="${SESSIONS:-10000}"
RATE="${RATE:-}"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS: '$ROUNDS' (expected: a positive integer)"
[[ -z "$RATE" || "$RATE" =~ ^[1-9][0-9]*$ ]] || die "RATE: '$RATE' (expected: requests per second, a positive integer)"
for m in $MODES; do
  [[ "$m" =~ ^(returning|pool|open|wrk)$ ]] || die "MODES: '$m' (expected: returning, pool, open or wrk)"
done
for d in "$DURATION" "$WARMUP" "$TEAL_WARMUP"; do
  [[ "$d" =~ ^[1-9][0-9]*[sm]?$ ]] || die "duration '$d' (expected: e.g. 10s or 1m)"
done

targets=(direct haproxy nginx teal)
declare -A port=([direct]=$blue_port [haproxy]=$haproxy_port [nginx]=$nginx_port [teal]=$teal_port)
declare -A label=([direct]="backend directly" [haproxy]="HAProxy" [nginx]="NGINX" [teal]="teal")
declare -A title=(
  [returning]="returning sessions (a cookie jar per connection, closed loop)"
  [pool]="$SESSIONS sessions drawn at random per request (closed loop)"
  [open]="open loop at a fixed rate, returning sessions, latency from the intended send time"
  [wrk]="cookie-less (stock wrk: every request a first visit)")

trap stop_started EXIT
trap 'exit 130' INT TERM

ensure_tools nginx:nginx-light haproxy:haproxy wrk:wrk python3:python3 jcmd:openjdk-17-jdk-headless
ensure_teal_jar
ensure_bench_jar
make_work_dir
raw="$work_dir/raw.tsv"
: >"$raw"

say "starting the backends, NGINX, HAProxy and teal on ports from $PORT_BASE (logs in $work_dir) ..."
start_backends
declare -A pid_of=([direct]=$last_pid)
require_free_ports "$nginx_port" "$haproxy_port"
nginx_conf="$(peer_config proxy-nginx.conf)"
haproxy_conf="$(peer_config proxy-haproxy.cfg)"
start nginx nginx -c "$nginx_conf" -g 'daemon off;'
pid_of[nginx]=$last_pid
wait_for_port "$nginx_port" "$last_pid" "the NGINX proxy"
# Without -D HAProxy stays in the foreground: its pid is $!.
start haproxy haproxy -f "$haproxy_conf"
pid_of[haproxy]=$last_pid
wait_for_port "$haproxy_port" "$last_pid" "HAProxy"
start_teal "$teal_port" "127.0.0.1:$blue_port" "127.0.0.1:$green_port"
pid_of[teal]=$teal_pid

url() {
  echo "http://127.0.0.1:${port[$1]}/"
}

# Every target answers 200 before anything is measured (a proxy answering errors fast would look fast), and
# every proxy sets a cookie on a first visit (else "returning" would return nothing).
for t in "${targets[@]}"; do
  headers="$(curl -s -D - -o /dev/null "$(url "$t")" 2>/dev/null || true)"
  code="$(awk 'NR == 1 { print $2 }' <<<"$headers")"
  [[ "$code" == 200 ]] || die "${label[$t]} answers '$code' on $(url "$t") (expected: 200; logs in $work_dir)"
  cookies="$(awk 'tolower($1) == "set-cookie:" { split($2, c, "="); printf "%s ", c[1] }' <<<"$headers")"
  [[ "$t" == direct || -n "$cookies" ]] || die "${label[$t]} sets no cookie on a first visit (expected: a sticky cookie)"
  say "${label[$t]} answers 200, sets cookies: ${cookies:-(none)}"
done

# seconds 8s|2m|8: the generator takes seconds.
seconds() {
  local d="$1"
  case "$d" in
    *m) echo $((${d%m} * 60)) ;;
    *s) echo "${d%s}" ;;
    *) echo "$d" ;;
  esac
}

loadgen_opts=(${LOADGEN_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC} -Dslf4j.internal.verbosity=ERROR)

say "warming teal up for $TEAL_WARMUP (returning sessions, so the warm-up leaves no cookie-less sessions behind) ..."
java "${loadgen_opts[@]}" -cp "$bench_jar" dev.teal.bench.load.LoadGenerator --target "127.0.0.1:$teal_port" \
  --connections "$CONNECTIONS" --warmup 0 --duration "$(seconds "$TEAL_WARMUP")" >"$work_dir/teal-warmup.txt" ||
  die "the warm-up failed: $(cat "$work_dir/teal-warmup.txt")"

# wrk prints p50–p99 with --latency; its Lua done() hook prints p99.9.
cat >"$work_dir/p999.lua" <<'EOF'
done = function(summary, latency, requests)
  io.write(string.format("p99.9 %dus\n", latency:percentile(99.9)))
end
EOF

# wrk's latency in ms, whatever unit it printed (us, ms, s).
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

ticks_per_second="$(getconf CLK_TCK)"
cpu_us() {
  awk -v t="$1" -v hz="$ticks_per_second" -v n="$2" 'BEGIN { printf "%.2f", (n > 0) ? t / hz * 1e6 / n : 0 }'
}

# record MODE TARGET ROUND RPS P50 P99 P999 ERRORS CPU ALLOC BEFORE AFTER: one line of $raw.
record() {
  local IFS=$'\t'
  echo "$*" >>"$raw"
}

# alloc_start TARGET / alloc_per_request TARGET REQUESTS: teal's bytes allocated per request over a
# measurement, from the JVM's per-thread counters (lib.sh's jvm_thread_allocations); "-" for the others.
alloc_start() {
  rm -f "$work_dir/alloc-before.txt"
  [[ "$1" == teal ]] && jvm_thread_allocations "${pid_of[teal]}" >"$work_dir/alloc-before.txt"
  return 0
}
alloc_per_request() {
  [[ "$1" == teal && -s "$work_dir/alloc-before.txt" ]] || { echo "-"; return 0; }
  jvm_thread_allocations "${pid_of[teal]}" >"$work_dir/alloc-after.txt"
  awk -v b="$(allocated_between "$work_dir/alloc-before.txt" "$work_dir/alloc-after.txt")" -v n="$2" \
    'BEGIN { printf "%.0f", (n > 0) ? b / n : 0 }'
}

# measure_wrk TARGET ROUND: one wrk run (after a warm-up run).
measure_wrk() {
  local t="$1" round="$2" out rps p50 p99 p999 non2xx sockerr before after ticks requests cpu alloc
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$(url "$t")" >/dev/null
  alloc_start "$t"
  before="$(load_average)"
  ticks="$(cpu_ticks "${pid_of[$t]}")"
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work_dir/p999.lua" "$(url "$t")")"
  ticks=$(($(cpu_ticks "${pid_of[$t]}") - ticks))
  after="$(load_average)"
  echo "$out" >"$work_dir/wrk-$t-$round.txt"
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
  p999="$(to_ms "$(awk '$1 == "p99.9" { print $2 }' <<<"$out")")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")"
  sockerr="$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")"
  requests="$(awk '/ requests in / { print $1 }' <<<"$out")"
  [[ -n "$rps" && -n "$p50" && -n "$p99" && -n "$requests" ]] || die "cannot read wrk's output for ${label[$t]}: $out"
  cpu="$(cpu_us "$ticks" "$requests")"
  alloc="$(alloc_per_request "$t" "$requests")"
  record wrk "$t" "$round" "$rps" "$p50" "$p99" "$p999" "$((${non2xx:-0} + ${sockerr:-0}))" "$cpu" "$alloc" "$before" "$after"
}

# field NAME LINE: the value of NAME=... in the generator's key=value line.
field() {
  awk -v k="$1" '{ for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit } }' <<<"$2"
}

# measure_java MODE TARGET ROUND [EXTRA ARGS]: one generator run. It warms up, prints "ready" and waits for
# the go file, so the target's CPU and allocation counters are read at the measurement's exact start; at
# its end the generator prints the result line and exits, and they are read again.
measure_java() {
  local mode="$1" t="$2" round="$3" go="$work_dir/go" out pid deadline before after ticks line requests cpu alloc
  shift 3
  out="$work_dir/loadgen-$mode-$t-$round.txt"
  rm -f "$go"
  java "${loadgen_opts[@]}" -cp "$bench_jar" dev.teal.bench.load.LoadGenerator --target "127.0.0.1:${port[$t]}" \
    --mode "$mode" --connections "$CONNECTIONS" --warmup "$(seconds "$WARMUP")" --duration "$(seconds "$DURATION")" \
    --go-file "$go" "$@" >"$out" 2>&1 &
  pid=$!
  started_pids+=("$pid")
  deadline=$((SECONDS + 300))
  until grep -qs '^ready' "$out"; do
    kill -0 "$pid" 2>/dev/null || die "the generator stopped before it was ready for ${label[$t]}: $(cat "$out")"
    ((SECONDS < deadline)) || die "the generator was not ready after 300 s for ${label[$t]} ($out)"
    sleep 0.05
  done
  alloc_start "$t"
  before="$(load_average)"
  ticks="$(cpu_ticks "${pid_of[$t]}")"
  touch "$go"
  wait "$pid" || die "the generator failed for ${label[$t]}: $(cat "$out")"
  ticks=$(($(cpu_ticks "${pid_of[$t]}") - ticks))
  after="$(load_average)"
  forget_pid "$pid"
  line="$(grep '^result ' "$out")" || die "no result line from the generator for ${label[$t]}: $(cat "$out")"
  requests="$(field requests "$line")"
  cpu="$(cpu_us "$ticks" "$requests")"
  alloc="$(alloc_per_request "$t" "$requests")"
  record "$mode" "$t" "$round" "$(field rps "$line")" "$(field p50_ms "$line")" "$(field p99_ms "$line")" \
    "$(field p999_ms "$line")" "$(($(field errors "$line") + $(field unfinished "$line")))" "$cpu" "$alloc" "$before" "$after"
}

# measure MODE TARGET ROUND
measure() {
  local mode="$1" t="$2" round="$3"
  case "$mode" in
    wrk) measure_wrk "$t" "$round" ;;
    returning) measure_java returning "$t" "$round" ;;
    pool) measure_java pool "$t" "$round" --sessions "$SESSIONS" ;;
    open) measure_java open "$t" "$round" --rate "$rate" ;;
  esac
  awk -F'\t' -v m="$mode" -v t="$t" -v r="$round" -v l="${label[$t]}" '$1 == m && $2 == t && $3 == r {
    printf "%s: %s round %s %s: %s req/s, p50 %s ms, p99 %s ms, p99.9 %s ms, %s µs CPU/request, %s B/request, %s errors (load %s → %s)\n",
      "compare.sh", m, r, l, $4, $5, $6, $7, $9, $10, $8, $11, $12 }' "$raw" >&2
}

# median MODE TARGET COLUMN (4 rps, 5 p50, 6 p99, 7 p99.9, 8 errors, 9 CPU, 10 allocation) over the rounds.
median() {
  awk -F'\t' -v m="$1" -v t="$2" -v c="$3" '$1 == m && $2 == t && $c != "-" { print $c }' "$raw" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

rate="$RATE"
load_start="$(load_average)"
started_at="$(date -u '+%H:%M')"
for mode in $MODES; do
  if [[ "$mode" == open && -z "$rate" ]]; then
    if [[ " $MODES " == *" returning "* && "$(median returning haproxy 4)" != "-" ]]; then
      max="$(median returning haproxy 4)"
    else
      say "measuring HAProxy's maximum (returning sessions) for the open loop's rate ..."
      measure returning haproxy 0
      max="$(median returning haproxy 4)"
    fi
    rate="$(awk -v m="$max" 'BEGIN { printf "%d", m / 2 }')"
    rate_source="half of HAProxy's measured maximum, $(printf '%.0f' "$max") requests/s with returning sessions"
    say "open loop at $rate requests/s ($rate_source)"
  fi
  for ((round = 1; round <= ROUNDS; round++)); do
    # Each round starts with a different target, so no target always runs right after the same one.
    for ((i = 0; i < ${#targets[@]}; i++)); do
      measure "$mode" "${targets[(i + round - 1) % ${#targets[@]}]}" "$round"
    done
  done
done
load_end="$(load_average)"
rate_source="${rate_source:-given (RATE)}"

# round_ratios MODE COLUMN PEER: teal/PEER of COLUMN in each round, then their median, e.g. "1.10 0.95 1.31
# (median 1.10)". Targets of one round run within a minute of each other, so on a machine whose load drifts,
# these are steadier than the ratio of two medians.
round_ratios() {
  awk -F'\t' -v m="$1" -v c="$2" -v peer="$3" '
    $1 == m && $3 > 0 && $2 == "teal" { t[$3] = $c } $1 == m && $3 > 0 && $2 == peer { p[$3] = $c }
    END { for (r = 1; r in t; r++) { v[r] = (p[r] > 0) ? t[r] / p[r] : 0; printf "%.2f ", v[r] } n = r - 1
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
      printf "(median %.2f)", (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }' "$raw"
}

# added MODE TARGET COLUMN: the median over the rounds of (TARGET's COLUMN - direct's COLUMN in that round).
added() {
  awk -F'\t' -v m="$1" -v tg="$2" -v c="$3" '
    $1 == m && $3 > 0 && $2 == tg { t[$3] = $c } $1 == m && $3 > 0 && $2 == "direct" { d[$3] = $c }
    END { n = 0; for (r in t) if (r in d) v[++n] = t[r] - d[r]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
      printf "%.2f", (n == 0) ? 0 : (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }' "$raw"
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.2f" : "n/a"), (b > 0 ? a / b : 0) }'
}

verdict() {
  awk -v v="$1" -v limit="$2" -v op="$3" 'BEGIN {
    ok = (op == ">=") ? v >= limit : v <= limit; printf "%s, %s (target %s %s)", ok ? "met" : "NOT met", v, op, limit }'
}

num() {
  [[ "$2" == "-" ]] && { echo "-"; return 0; }
  printf "%.${1}f" "$2"
}

report_mode() {
  local mode="$1" t
  echo "## ${title[$mode]}"
  echo
  case "$mode" in
    wrk) echo "\`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency\` (p99.9 from wrk's Lua \`done\` hook)." ;;
    open) echo "\`LoadGenerator --mode open --rate $rate --connections $CONNECTIONS --duration $(seconds "$DURATION")\`: $rate requests/s ($rate_source)." ;;
    pool) echo "\`LoadGenerator --mode pool --sessions $SESSIONS --connections $CONNECTIONS --duration $(seconds "$DURATION")\`." ;;
    returning) echo "\`LoadGenerator --mode returning --connections $CONNECTIONS --duration $(seconds "$DURATION")\`." ;;
  esac
  echo
  echo "| target | requests/s | p50 | p99 | p99.9 | CPU µs/request | allocated B/request | errors |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for t in "${targets[@]}"; do
    echo "| ${label[$t]} | $(num 0 "$(median "$mode" "$t" 4)") | $(num 2 "$(median "$mode" "$t" 5)") |" \
      "$(num 2 "$(median "$mode" "$t" 6)") | $(num 2 "$(median "$mode" "$t" 7)") | $(num 1 "$(median "$mode" "$t" 9)") |" \
      "$(num 0 "$(median "$mode" "$t" 10)") | $(median "$mode" "$t" 8) |"
  done
  echo
  if [[ "$mode" == open ]]; then
    echo "Latency added over the backend directly (ms; per round the target's figure minus direct's, median):"
    echo
    echo "| target | added p50 | added p99 | added p99.9 |"
    echo "| --- | ---: | ---: | ---: |"
    for t in haproxy nginx teal; do
      echo "| ${label[$t]} | $(added open "$t" 5) | $(added open "$t" 6) | $(added open "$t" 7) |"
    done
    echo
    echo "teal/HAProxy CPU per request round by round: $(round_ratios open 9 haproxy)."
    echo
    echo "Issue 11's target: teal's added p99.9 ≤ HAProxy's: $(verdict "$(added open teal 7)" "$(added open haproxy 7)" "<=")."
  else
    echo "| ratio | requests/s | p50 | p99 | p99.9 | CPU/request |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    for t in haproxy nginx direct; do
      echo "| teal/${label[$t]} | $(ratio "$(median "$mode" teal 4)" "$(median "$mode" "$t" 4)") |" \
        "$(ratio "$(median "$mode" teal 5)" "$(median "$mode" "$t" 5)") | $(ratio "$(median "$mode" teal 6)" "$(median "$mode" "$t" 6)") |" \
        "$(ratio "$(median "$mode" teal 7)" "$(median "$mode" "$t" 7)") | $(ratio "$(median "$mode" teal 9)" "$(median "$mode" "$t" 9)") |"
    done
    echo
    echo "teal/HAProxy round by round: requests/s $(round_ratios "$mode" 4 haproxy); p99 $(round_ratios "$mode" 6 haproxy);"
    echo "CPU/request $(round_ratios "$mode" 9 haproxy)."
    echo
    echo "Issue 11's targets against HAProxy (ratios of the medians):"
    echo "requests/s $(verdict "$(ratio "$(median "$mode" teal 4)" "$(median "$mode" haproxy 4)")" 1.0 ">=");"
    echo "p99 $(verdict "$(ratio "$(median "$mode" teal 6)" "$(median "$mode" haproxy 6)")" 1.0 "<=");"
    echo "CPU/request $(verdict "$(ratio "$(median "$mode" teal 9)" "$(median "$mode" haproxy 9)")" 1.2 "<=")."
  fi
  echo
}

report() {
  echo "# teal next to HAProxy and NGINX — $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "Modes: $MODES. $ROUNDS rounds of each, the four targets alternating in each round (each round starts with"
  echo "another); every measurement $DURATION after a warm-up of $WARMUP, teal warmed up $TEAL_WARMUP once before"
  echo "the first; $CONNECTIONS connections, one load-generator thread. Medians over the rounds; latencies in ms."
  echo "Run $started_at–$(date -u '+%H:%M') UTC, load average (1, 5, 15 min) $load_start at the start, $load_end at"
  echo "the end (every measurement's is below)."
  echo
  for mode in $MODES; do
    report_mode "$mode"
  done
  echo "CPU µs/request: user + system CPU time of the target's own processes (the backend nginx for the backend"
  echo "directly, the proxy alone for the others) during the measurement, divided by the responses; unlike"
  echo "requests/s it barely depends on how much of the machine the target got. Allocated B/request (teal only):"
  echo "the growth of the JVM's per-thread allocation counters (\`jcmd PID Thread.print -e\`, summed over its"
  echo "threads; HotSpot prints each with at least 3 significant digits) over the measurement, divided by the"
  echo "responses: every byte teal's threads allocated on the heap, whatever the thread (a pool worker that"
  echo "ended during the measurement takes its share with it). Errors: responses"
  echo "outside 200–399 plus requests lost with their connection or unanswered (wrk: non-2xx plus socket errors)."
  echo
  echo "Machine:"
  machine_summary
  echo "- peers: $(nginx -v 2>&1 | sed 's/.*: //'), $(haproxy -v | head -1 | cut -d' ' -f1-3), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "- load generator: dev.teal.bench.load.LoadGenerator (Netty, one thread, HdrHistogram), JVM ${loadgen_opts[*]}"
  echo "- teal: $(git -C "$repo_root" log -1 --format='%h %s' | cut -c1-100)"
  echo
  echo "<details><summary>Every measurement</summary>"
  echo
  echo "| mode | target | round | requests/s | p50 | p99 | p99.9 | errors | CPU µs/request | B/request | load before | load after |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }' "$raw"
  echo
  echo "</details>"
}

results="$repo_root/benchmarks/load/results"
mkdir -p "$results"
file="$results/compare-$(date +%Y-%m-%d-%H%M).md"
report | tee "$file"
cp "$raw" "${file%.md}.tsv"
say "written to $file (and the raw figures to ${file%.md}.tsv)"
