#!/usr/bin/env bash
# teal next to HAProxy and NGINX, in one run on this machine, with the same load generator and the same job:
# two colors (blue :18081, green :18082), a 75/25 split, keep-alive both sides, one event-loop thread each.
# Measures the backend directly, HAProxy (:18091), NGINX (:18090) and teal (:18092) with
# `wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency`, ROUNDS times, and prints the median of each figure
# and the ratios teal/HAProxy, teal/NGINX and teal/direct; the table also goes to
# benchmarks/load/results/compare-<date>.md. Installs the peers (Debian packages) when missing.
#
#   benchmarks/load/compare.sh
#   ROUNDS=5 DURATION=20s CONNECTIONS=128 TEAL_JAVA_OPTS="-Xms256m -Xmx256m" benchmarks/load/compare.sh
#
# Environment: ROUNDS (3), DURATION (10s), CONNECTIONS (64), THREADS (1), WARMUP (5s, before every
# measurement), TEAL_WARMUP (20s, once, so the JIT has compiled teal's hot paths before round 1),
# TEAL_JAVA_OPTS (JVM options for teal; JVM defaults when unset), BENCH_DIR (the peer configurations).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-1}"
WARMUP="${WARMUP:-5s}"
TEAL_WARMUP="${TEAL_WARMUP:-20s}"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS: '$ROUNDS' (expected: a positive integer)"

targets=(direct haproxy nginx teal)
declare -A port=([direct]=18081 [haproxy]=18091 [nginx]=18090 [teal]=18092)
declare -A label=([direct]="backend directly" [haproxy]="HAProxy" [nginx]="NGINX" [teal]="teal")

trap stop_started EXIT
trap 'exit 130' INT TERM

ensure_tools nginx:nginx-light haproxy:haproxy wrk:wrk python3:python3
ensure_teal_jar
bench="$(bench_dir)"
make_work_dir
raw="$work_dir/raw.tsv"

say "starting the backends, NGINX, HAProxy and teal (logs in $work_dir) ..."
start_backends
declare -A pid_of=([direct]=$last_pid)
require_free_ports 18090 18091
start nginx nginx -c "$bench/proxy-nginx.conf" -g 'daemon off;'
pid_of[nginx]=$last_pid
wait_for_port 18090 "$last_pid" "the NGINX proxy"
# Without -D HAProxy stays in the foreground: its pid is $!.
start haproxy haproxy -f "$bench/proxy-haproxy.cfg"
pid_of[haproxy]=$last_pid
wait_for_port 18091 "$last_pid" "HAProxy"
start_teal 18092 127.0.0.1:18081 127.0.0.1:18082
pid_of[teal]=$teal_pid

url() {
  echo "http://127.0.0.1:${port[$1]}/"
}

# Every target answers 200 before anything is measured: a proxy answering errors fast would look fast.
for t in "${targets[@]}"; do
  code="$(curl -s -o /dev/null -w '%{http_code}' "$(url "$t")" 2>/dev/null || true)"
  [[ "$code" == 200 ]] || die "${label[$t]} answers '$code' on $(url "$t") (expected: 200; logs in $work_dir)"
done

say "warming teal up for $TEAL_WARMUP ..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$TEAL_WARMUP" "$(url teal)" >/dev/null

# wrk's latency in ms, whatever unit it printed (us, ms, s).
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

ticks_per_second="$(getconf CLK_TCK)"

# measure TARGET ROUND: one wrk run, appended to $raw as target, round, rps, p50, p99, errors, CPU per request
# (µs of the target's own processes: for "direct" the backend, for the others the proxy), load before/after.
measure() {
  local t="$1" round="$2" out rps p50 p99 non2xx sockerr before after ticks requests cpu
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$(url "$t")" >/dev/null
  before="$(load_average)"
  ticks="$(cpu_ticks "${pid_of[$t]}")"
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$(url "$t")")"
  ticks=$(($(cpu_ticks "${pid_of[$t]}") - ticks))
  after="$(load_average)"
  echo "$out" >"$work_dir/wrk-$t-$round.txt"
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")"
  sockerr="$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")"
  requests="$(awk '/ requests in / { print $1 }' <<<"$out")"
  [[ -n "$rps" && -n "$p50" && -n "$p99" && -n "$requests" ]] || die "cannot read wrk's output for ${label[$t]}: $out"
  cpu="$(awk -v t="$ticks" -v hz="$ticks_per_second" -v n="$requests" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$round" "$rps" "$p50" "$p99" \
    "$((${non2xx:-0} + ${sockerr:-0}))" "$cpu" "$before" "$after" >>"$raw"
  say "round $round ${label[$t]}: $rps req/s, p50 $p50 ms, p99 $p99 ms, $cpu µs CPU/request (load $before → $after)"
}

load_start="$(load_average)"
for ((round = 1; round <= ROUNDS; round++)); do
  # Each round starts with a different target, so no target always runs right after the same one.
  for ((i = 0; i < ${#targets[@]}; i++)); do
    measure "${targets[(i + round - 1) % ${#targets[@]}]}" "$round"
  done
done
load_end="$(load_average)"

# median TARGET COLUMN (3 rps, 4 p50, 5 p99, 6 errors, 7 CPU per request) over the rounds.
median() {
  awk -F'\t' -v t="$1" -v c="$2" '$1 == t { print $c }' "$raw" | sort -g |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -A rps p50 p99 errors cpu
for t in "${targets[@]}"; do
  cpu[$t]="$(median "$t" 7)"
  rps[$t]="$(median "$t" 3)"
  p50[$t]="$(median "$t" 4)"
  p99[$t]="$(median "$t" 5)"
  errors[$t]="$(median "$t" 6)"
done

# round_ratios COLUMN PEER: teal/PEER of COLUMN in each round, then the median of those, e.g. "1.10 0.95 1.31
# (median 1.10)". Targets of one round run within a minute of each other, so on a machine whose load
# drifts, these are steadier than the ratio of two medians.
round_ratios() {
  awk -F'\t' -v c="$1" -v peer="$2" '
    $1 == "teal" { t[$2] = $c } $1 == peer { p[$2] = $c }
    END { for (r = 1; r in t; r++) { v[r] = (p[r] > 0) ? t[r] / p[r] : 0; printf "%.2f ", v[r] } n = r - 1
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
      printf "(median %.2f)", (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }' "$raw"
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.2f" : "n/a"), (b > 0 ? a / b : 0) }'
}

verdict() {
  awk -v v="$1" -v limit="$2" -v op="$3" 'BEGIN {
    ok = (op == ">=") ? v >= limit : v <= limit; printf "%s, %s (target %s %s)", ok ? "met" : "NOT met", v, op, limit }'
}

report() {
  echo "# teal next to HAProxy and NGINX — $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "\`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency\`, $ROUNDS rounds (each target warmed up $WARMUP"
  echo "before each measurement, teal $TEAL_WARMUP once more), medians over the rounds. Latencies in ms."
  echo
  echo "| target | requests/s | p50 | p99 | CPU µs/request | errors |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for t in "${targets[@]}"; do
    printf '| %s | %.0f | %.2f | %.2f | %.1f | %s |\n' "${label[$t]}" "${rps[$t]}" "${p50[$t]}" "${p99[$t]}" \
      "${cpu[$t]}" "${errors[$t]}"
  done
  echo
  echo "| ratio | requests/s | p50 | p99 | CPU/request |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  for t in haproxy nginx direct; do
    echo "| teal/${label[$t]} | $(ratio "${rps[teal]}" "${rps[$t]}") | $(ratio "${p50[teal]}" "${p50[$t]}") |" \
      "$(ratio "${p99[teal]}" "${p99[$t]}") | $(ratio "${cpu[teal]}" "${cpu[$t]}") |"
  done
  echo
  echo "Issue 2's targets, against HAProxy in this run:"
  echo "- throughput ≥ 0.8× HAProxy: $(verdict "$(ratio "${rps[teal]}" "${rps[haproxy]}")" 0.8 ">=")"
  echo "- p99 ≤ 1.5× HAProxy: $(verdict "$(ratio "${p99[teal]}" "${p99[haproxy]}")" 1.5 "<=")"
  echo
  echo "teal/HAProxy round by round: requests/s $(round_ratios 3 haproxy); p99 $(round_ratios 5 haproxy);"
  echo "CPU/request $(round_ratios 7 haproxy)."
  echo
  echo "CPU µs/request: user + system CPU time of the target's own processes (the backend nginx for the backend"
  echo "directly, the proxy alone for the others) during the run, divided by the requests wrk completed; unlike"
  echo "requests/s it barely depends on how much of the machine the target got. Errors are wrk's non-2xx"
  echo "answers plus socket errors. Load average (1, 5, 15 min): $load_start at the"
  echo "start, $load_end at the end."
  echo
  echo "Machine:"
  machine_summary
  echo "- peers: $(nginx -v 2>&1 | sed 's/.*: //'), $(haproxy -v | head -1 | cut -d' ' -f1-3), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo
  echo "<details><summary>Every measurement</summary>"
  echo
  echo "| target | round | requests/s | p50 | p99 | errors | CPU µs/request | load before | load after |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
  sort -t$'\t' -k2,2n "$raw" |
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }'
  echo
  echo "</details>"
}

results="$repo_root/benchmarks/load/results"
mkdir -p "$results"
file="$results/compare-$(date +%Y-%m-%d-%H%M).md"
report | tee "$file"
say "written to $file"
