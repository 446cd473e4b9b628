#!/usr/bin/env bash
# Where teal's CPU goes under compare.sh's load: starts the two nginx backends and teal (one event loop),
# warms it up, then, while the load runs for DURATION seconds, profiles teal and reads each of its threads'
# CPU time from /proc, and prints where the time went: by thread (so work handed to another thread shows),
# by method and by teal's own frame, and the share spent waking or parking other threads.
#
#   benchmarks/load/profile.sh                         # returning sessions, async-profiler, 40 s
#   LOAD=wrk PROFILER=jfr DURATION=60 benchmarks/load/profile.sh
#
# Environment: LOAD (returning: the Java generator, each connection with its own cookie jar; wrk:
# cookie-less, every request a first visit), PROFILER (async: async-profiler 3.0 from Maven Central, every
# thread's CPU with native and JVM frames, sampling CPU time; jfr: JFR's execution samples every 1 ms, Java
# frames only), DURATION (seconds recorded, 40), CONNECTIONS (64), PORT_BASE, TEAL_JAVA_OPTS, BENCH_DIR.
# The recording stays in the run's folder (named at the end): the collapsed stacks for a flame graph, or the
# .jfr file for `jfr print` / `jfr summary` / JMC. The summary also goes to benchmarks/load/results/.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOAD="${LOAD:-returning}"
PROFILER="${PROFILER:-async}"
DURATION="${DURATION:-40}"
CONNECTIONS="${CONNECTIONS:-64}"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "DURATION: '$DURATION' (expected: a positive number of seconds)"
[[ "$LOAD" =~ ^(returning|wrk)$ ]] || die "LOAD: '$LOAD' (expected: returning or wrk)"
[[ "$PROFILER" =~ ^(async|jfr)$ ]] || die "PROFILER: '$PROFILER' (expected: async or jfr)"
async_profiler_version=3.0

trap stop_started EXIT
trap 'exit 130' INT TERM

ensure_tools nginx:nginx-light wrk:wrk python3:python3
for tool in jfr jcmd; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (it comes with the JDK)"
done
ensure_teal_jar
[[ "$LOAD" == returning ]] && ensure_bench_jar
make_work_dir

# async-profiler's library for linux-x64 comes inside its jar on Maven Central.
if [[ "$PROFILER" == async ]]; then
  profiler_jar="$HOME/.m2/repository/tools/profiler/async-profiler/$async_profiler_version/async-profiler-$async_profiler_version.jar"
  if [[ ! -f "$profiler_jar" ]]; then
    say "fetching tools.profiler:async-profiler:$async_profiler_version (mvn dependency:get) ..."
    mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$async_profiler_version" >&2 ||
      die "cannot fetch async-profiler $async_profiler_version"
  fi
  (cd "$work_dir" && unzip -q -o "$profiler_jar" linux-x64/libasyncProfiler.so) || die "no linux-x64 library in $profiler_jar"
  profiler_lib="$work_dir/linux-x64/libasyncProfiler.so"
fi

start_backends
start_teal "$teal_port" "127.0.0.1:$blue_port" "127.0.0.1:$green_port"
target="127.0.0.1:$teal_port"

# load SECONDS: the chosen load against teal for SECONDS.
load() {
  if [[ "$LOAD" == wrk ]]; then
    wrk -t1 -c"$CONNECTIONS" -d"${1}s" "http://$target/" | awk '/Requests\/sec/ { print "requests/s: " $2 }'
  else
    java -Xms256m -Xmx256m -XX:+UseParallelGC -Dslf4j.internal.verbosity=ERROR -cp "$bench_jar" \
      dev.teal.bench.load.LoadGenerator --target "$target" --mode returning --connections "$CONNECTIONS" \
      --warmup 0 --duration "$1" | awk '/^result/ { print }'
  fi
}

# Each thread's CPU ticks: "tid ticks name".
thread_ticks() {
  local task
  for task in /proc/"$teal_pid"/task/*; do
    [[ -r "$task/stat" ]] || continue
    echo "${task##*/} $(sed 's/.*) //' "$task/stat" | awk '{ print $12 + $13 }') $(tr ' ' '_' <"$task/comm")"
  done 2>/dev/null
}

say "warming teal up for 20 s ($LOAD load) ..."
load 20 >/dev/null
thread_ticks >"$work_dir/ticks-before.txt"
say "profiling ($PROFILER) for $DURATION s under $LOAD load, $CONNECTIONS connections ..."
if [[ "$PROFILER" == async ]]; then
  # CPU time where perf events are allowed, else the process timer (same view, no kernel frames).
  event=cpu
  if ! jcmd "$teal_pid" JVMTI.agent_load "$profiler_lib" "start,event=cpu,interval=1ms" >"$work_dir/agent.txt" 2>&1 ||
    grep -qi 'error\|fail' "$work_dir/agent.txt"; then
    event=itimer
    jcmd "$teal_pid" JVMTI.agent_load "$profiler_lib" "start,event=itimer,interval=1ms" >"$work_dir/agent.txt" 2>&1 ||
      die "async-profiler would not start: $(cat "$work_dir/agent.txt")"
  fi
  load_line="$(load "$DURATION")"
  jcmd "$teal_pid" JVMTI.agent_load "$profiler_lib" "stop,threads,file=$work_dir/teal.collapsed,collapsed" >/dev/null ||
    die "async-profiler would not stop"
else
  # The JDK's "profile" settings sample Java code every 10 ms; every 1 ms gives ten times the samples.
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  sed 's/>10 ms</>1 ms</' "$java_home/lib/jfr/profile.jfc" >"$work_dir/profile-1ms.jfc"
  jcmd "$teal_pid" JFR.start name=hotspots settings="$work_dir/profile-1ms.jfc" >/dev/null
  load_line="$(load "$DURATION")"
  jcmd "$teal_pid" JFR.stop name=hotspots filename="$work_dir/teal.jfr" >/dev/null
fi
thread_ticks >"$work_dir/ticks-after.txt"

summary() {
  echo "# Where teal's CPU goes — $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "\`LOAD=$LOAD PROFILER=$PROFILER DURATION=$DURATION CONNECTIONS=$CONNECTIONS benchmarks/load/profile.sh\`;"
  echo "load: $load_line; load average $(load_average)."
  echo "teal: $(git -C "$repo_root" log -1 --format='%h %s' | cut -c1-100)"
  echo
  echo "CPU per thread over the recording (/proc/PID/task, user + system; pool threads by pool):"
  echo
  awk 'NR == FNR { b[$1] = $2; next } { d = $2 - (($1 in b) ? b[$1] : 0); name = $3
      if (name ~ /[Pp]ool/ || name ~ /^(GC|G1|C[12])/) sub(/[-#]?[0-9]+$/, "-N", name); t[name] += d; s += d }
    END { for (n in t) if (t[n] > 0) printf "  %5.1f%%  %s\n", 100 * t[n] / s, n }' \
    "$work_dir/ticks-before.txt" "$work_dir/ticks-after.txt" | sort -rn
  echo
  if [[ "$PROFILER" == async ]]; then
    echo "async-profiler ($event, 1 ms):"
    echo
    python3 "$(dirname "${BASH_SOURCE[0]}")/async_hotspots.py" "$work_dir/teal.collapsed" dev.teal.
  else
    jfr print --stack-depth 64 --events jdk.ExecutionSample "$work_dir/teal.jfr" >"$work_dir/samples.txt"
    python3 "$(dirname "${BASH_SOURCE[0]}")/jfr_hotspots.py" "$work_dir/samples.txt" dev.teal.
  fi
}

results="$repo_root/benchmarks/load/results"
mkdir -p "$results"
file="$results/profile-$(date +%Y-%m-%d-%H%M).txt"
summary | tee "$file"
say "written to $file; the recording: $work_dir/teal.$([[ "$PROFILER" == async ]] && echo collapsed || echo jfr)"
