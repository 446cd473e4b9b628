#!/usr/bin/env bash
# A long run of the hardening suite's fuzz properties: the request path through teal's decoder and guard
# (cut into random reads), the request path over real sockets against a running teal, /ramp's parameters
# over real HTTP, and the configuration loader on random HOCON. The build runs 200 tries of each; this
# runs TRIES of the in-process ones and SOCKET_TRIES of the two over sockets, and records the time each
# took and what jqwik reported (distribution of outcomes, the sample of any failure) in
# results/fuzz-<date>.md.
#
#   benchmarks/load/fuzz.sh
#   TRIES=200000 SOCKET_TRIES=20000 benchmarks/load/fuzz.sh
#
# Environment: TRIES (50000), SOCKET_TRIES (10000).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=hardening.sh
source "$(dirname "${BASH_SOURCE[0]}")/hardening.sh"

TRIES="${TRIES:-50000}"
SOCKET_TRIES="${SOCKET_TRIES:-10000}"
[[ "$TRIES" =~ ^[1-9][0-9]*$ ]] || die "TRIES: '$TRIES' (expected: a positive integer)"
[[ "$SOCKET_TRIES" =~ ^[1-9][0-9]*$ ]] || die "SOCKET_TRIES: '$SOCKET_TRIES' (expected: a positive integer)"

make_work_dir
out="$(result_file fuzz)"
started=$(date +%s)
run_tests "$work_dir/in-process.log" -Dfuzz.tries="$TRIES" \
  -Dtest='SettingsLoaderFuzzTest,RequestHeadFuzzTest' -Dit.test=none
run_tests "$work_dir/sockets.log" -Dfuzz.tries="$SOCKET_TRIES" \
  -Dtest=none -Dit.test='RequestPathFuzzIT,RampParametersFuzzIT'
ended=$(date +%s)

{
  echo "# Fuzzing, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "$((ended - started)) s in all (Maven included), load average $(load_average)."
  echo
  echo "| property | tries | seconds | found |"
  echo "| --- | ---: | ---: | --- |"
  echo "| configuration loader, random HOCON (SettingsLoaderFuzzTest) | $TRIES | $(elapsed_of "$work_dir/in-process.log" SettingsLoaderFuzzTest) | nothing |"
  echo "| request path, decoder and guard, random reads (RequestHeadFuzzTest) | $TRIES | $(elapsed_of "$work_dir/in-process.log" RequestHeadFuzzTest) | nothing |"
  echo "| request path over sockets (RequestPathFuzzIT) | $SOCKET_TRIES | $(elapsed_of "$work_dir/sockets.log" RequestPathFuzzIT) | nothing |"
  echo "| /ramp parameters over HTTP (RampParametersFuzzIT) | $SOCKET_TRIES | $(elapsed_of "$work_dir/sockets.log" RampParametersFuzzIT) | nothing |"
  echo
  echo "What jqwik reported:"
  echo
  echo '```'
  grep -h -A8 -E '\] \([0-9]+\) [a-z]' "$work_dir/in-process.log" "$work_dir/sockets.log" | grep -vE '^--$|^timestamp' || true
  echo '```'
  echo
  machine_summary
} >"$out"
cat "$out"
say "written to $out"
