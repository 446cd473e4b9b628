#!/usr/bin/env bash
# A 1 GiB download and a 1 GiB upload through teal, with teal's resident memory sampled every 100 ms while
# the bytes flow: reports throughput (teal and the backend directly) and teal's peak RSS. The backend is
# dev.teal.bench.load.StreamingBackend (benchmarks.jar) on 127.0.0.1:18083, for both colors; the client is
# curl (download to /dev/null; upload of a sparse file with Content-Length, and from a pipe, chunked).
# The table also goes to benchmarks/load/results/streaming-<date>.md.
#
#   benchmarks/load/streaming.sh
#   SIZE=$((4 << 30)) TEAL_JAVA_OPTS="-Xmx128m" benchmarks/load/streaming.sh
#
# Each transfer runs ROUNDS times (after a warm-up): throughput is the median, peak RSS the highest sample.
# Environment: SIZE (bytes, 1073741824), ROUNDS (3), TEAL_JAVA_OPTS (JVM options for teal).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SIZE="${SIZE:-1073741824}"
ROUNDS="${ROUNDS:-3}"
[[ "$SIZE" =~ ^[1-9][0-9]*$ ]] || die "SIZE: '$SIZE' (expected: a positive number of bytes)"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS: '$ROUNDS' (expected: a positive integer)"
backend_port="$streaming_port"

trap stop_started EXIT
trap 'exit 130' INT TERM

ensure_tools curl:curl
ensure_teal_jar
ensure_bench_jar
make_work_dir
require_free_ports "$backend_port"
start backend java -cp "$bench_jar" dev.teal.bench.load.StreamingBackend "$backend_port"
wait_for_port "$backend_port" "$last_pid" "the streaming backend"
# max-body-size = 0: no limit, or the upload would get 413 at 100 MiB.
start_teal "$teal_port" "127.0.0.1:$backend_port" "127.0.0.1:$backend_port" "limits.max-body-size = 0"
upload_file="$work_dir/upload.bin"
# Sparse: SIZE bytes of zeros that take no disk.
truncate -s "$SIZE" "$upload_file"
truncate -s $((256 << 20)) "$work_dir/warm.bin"

# Samples teal's RSS (KiB) into $work_dir/rss-NAME every 100 ms until stop_sampling.
start_sampling() {
  local name="$1"
  rss_file="$work_dir/rss-$name"
  : >"$rss_file"
  (while kill -0 "$teal_pid" 2>/dev/null; do
    rss_kib "$teal_pid" >>"$rss_file" 2>/dev/null || true
    sleep 0.1
  done) &
  sampler_pid=$!
  started_pids+=("$sampler_pid")
}

stop_sampling() {
  kill "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  sort -n "$rss_file" | tail -1
}

# transfer KIND PORT: prints "status bytes bytes-per-second" of one transfer; KIND is download, upload
# (Content-Length) or chunked (an upload of unknown length).
transfer() {
  local kind="$1" url="http://127.0.0.1:$2"
  case "$kind" in
    download) curl -sS -o /dev/null -w '%{http_code} %{size_download} %{speed_download}\n' "$url/download/$SIZE" ;;
    upload) curl -sS -o "$work_dir/answer" -T "$upload_file" -w '%{http_code} %{size_upload} %{speed_upload}\n' "$url/upload" ;;
    chunked)
      head -c "$SIZE" /dev/zero |
        curl -sS -o "$work_dir/answer" -T - -w '%{http_code} %{size_upload} %{speed_upload}\n' "$url/upload"
      ;;
  esac
}

# measure KIND PORT: one transfer, checked; prints "bytes-per-second".
measure() {
  local kind="$1" port="$2" code bytes speed
  read -r code bytes speed < <(transfer "$kind" "$port")
  [[ "$code" == 200 ]] || die "$kind through :$port answered $code (expected: 200)"
  ((bytes >= SIZE)) || die "$kind through :$port moved $bytes bytes (expected: $SIZE)"
  if [[ "$kind" != download ]]; then
    grep -q "^received $SIZE bytes" "$work_dir/answer" ||
      die "$kind through :$port: the backend says '$(cat "$work_dir/answer")' (expected: received $SIZE bytes)"
  fi
  echo "$speed"
}

# The JIT compiles both the backend's and teal's paths before anything is timed.
say "warming up (256 MiB each way, directly and through teal, twice) ..."
for _ in 1 2; do
  for kind in download upload chunked; do
    for port in "$backend_port" "$teal_port"; do
      SIZE=$((256 << 20)) upload_file="$work_dir/warm.bin" measure "$kind" "$port" >/dev/null
    done
  done
done

# median VALUE...: the middle value (the mean of the two middle ones for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

load_before="$(load_average)"
rss_before="$(rss_kib "$teal_pid")"
declare -A direct through peak
for kind in download upload chunked; do
  direct_runs=()
  teal_runs=()
  peak[$kind]=0
  for ((round = 1; round <= ROUNDS; round++)); do
    say "$kind of $SIZE bytes, directly and through teal (round $round of $ROUNDS) ..."
    direct_runs+=("$(measure "$kind" "$backend_port")")
    start_sampling "$kind"
    teal_runs+=("$(measure "$kind" "$teal_port")")
    sampled="$(stop_sampling)"
    ((sampled > peak[$kind])) && peak[$kind]=$sampled
  done
  direct[$kind]="$(median "${direct_runs[@]}")"
  through[$kind]="$(median "${teal_runs[@]}")"
done
rss_end="$(rss_kib "$teal_pid")"
load_after="$(load_average)"

mib() {
  awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'
}

mib_s() {
  awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'
}

report() {
  echo "# Streaming $SIZE bytes through teal — $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "curl to and from dev.teal.bench.load.StreamingBackend, directly and through teal (one event loop);"
  echo "median of $ROUNDS transfers each, peak RSS over all of them (sampled every 100 ms)."
  echo "teal's RSS was $(mib "$rss_before") MiB before the first transfer and $(mib "$rss_end") MiB after the last."
  echo
  echo "| transfer | directly | through teal | teal/direct | teal's peak RSS |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  local kind
  for kind in download upload chunked; do
    printf '| %s | %s MiB/s | %s MiB/s | %s | %s MiB |\n' "$kind" "$(mib_s "${direct[$kind]}")" \
      "$(mib_s "${through[$kind]}")" "$(awk -v a="${through[$kind]}" -v b="${direct[$kind]}" 'BEGIN { printf "%.2f", a / b }')" \
      "$(mib "${peak[$kind]}")"
  done
  echo
  echo "upload: a file with Content-Length; chunked: from a pipe, Transfer-Encoding: chunked."
  echo "Load average (1, 5, 15 min): $load_before before, $load_after after."
  echo
  echo "Machine:"
  machine_summary
}

results="$repo_root/benchmarks/load/results"
mkdir -p "$results"
file="$results/streaming-$(date +%Y-%m-%d-%H%M).md"
report | tee "$file"
say "written to $file"
