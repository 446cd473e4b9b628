#!/usr/bin/env bash
# Where teal's event loop spends its time under compare.sh's load: starts the two nginx backends and teal
# (one event loop), warms it up, records JFR execution samples every millisecond while
# `wrk -t1 -c64` runs, and prints the hot spots (jfr_hotspots.py) by method and by teal's own frame.
# The recording stays in a temporary folder, named at the end, for `jfr print` / `jfr summary` / JMC.
#
#   benchmarks/load/profile.sh
#   DURATION=60 benchmarks/load/profile.sh
#
# Environment: DURATION (seconds recorded, 40), CONNECTIONS (64), TEAL_JAVA_OPTS, BENCH_DIR.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION="${DURATION:-40}"
CONNECTIONS="${CONNECTIONS:-64}"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "DURATION: '$DURATION' (expected: a positive number of seconds)"

trap stop_started EXIT
trap 'exit 130' INT TERM

ensure_tools nginx:nginx-light wrk:wrk python3:python3
for tool in jfr jcmd; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (it comes with the JDK)"
done
ensure_teal_jar
make_work_dir
start_backends
start_teal "$teal_port" "127.0.0.1:$blue_port" "127.0.0.1:$green_port"

# The JDK's "profile" settings sample Java code every 10 ms; every 1 ms gives ten times the samples.
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
sed 's/>10 ms</>1 ms</' "$java_home/lib/jfr/profile.jfc" >"$work_dir/profile-1ms.jfc"

say "warming teal up for 20 s ..."
wrk -t1 -c"$CONNECTIONS" -d20s "http://127.0.0.1:$teal_port/" >/dev/null
say "recording for $DURATION s under wrk -t1 -c$CONNECTIONS ..."
jcmd "$teal_pid" JFR.start name=hotspots settings="$work_dir/profile-1ms.jfc" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$teal_port/" | grep -E 'Requests/sec|requests in' >&2
jcmd "$teal_pid" JFR.stop name=hotspots filename="$work_dir/teal.jfr" >/dev/null
jfr print --stack-depth 64 --events jdk.ExecutionSample "$work_dir/teal.jfr" >"$work_dir/samples.txt"
python3 "$(dirname "${BASH_SOURCE[0]}")/jfr_hotspots.py" "$work_dir/samples.txt" dev.teal.
say "recording: $work_dir/teal.jfr"
