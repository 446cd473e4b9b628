#!/usr/bin/env bash
# Load with faults, longer than the build runs it: session-keeping users through `teal run` while it ramps
# 0 → 100 → 0 in steps, reloads (POST /reload and SIGHUP), and loses and regains a backend of each color.
# Fails unless every request succeeded and no session changed color; reports requests, failures and
# latency (p50, p99, max) in results/faults-<date>.md.
#
#   benchmarks/load/faults.sh
#   DURATION=300 benchmarks/load/faults.sh
#
# Environment: DURATION (seconds, 90).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=hardening.sh
source "$(dirname "${BASH_SOURCE[0]}")/hardening.sh"

DURATION="${DURATION:-90}"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "DURATION: '$DURATION' (expected: a positive number of seconds)"

make_work_dir
out="$(result_file faults)"
report="$repo_root/admin-api/target/load-with-faults.txt"
rm -f "$report"
run_tests "$work_dir/faults.log" -Dtest=none -Dit.test=LoadWithFaultsIT -Dteal.faults.seconds="$DURATION"
{
  echo "# Load with faults, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "$DURATION s of constant load (6 users, a new session every 40 requests) through teal run, with 8 ramp"
  echo "steps 0 → 100 → 0, two POST /reload, two SIGHUP (one with a changed limit), and one backend of each"
  echo "color stopped and started again; load average $(load_average)."
  echo
  echo '```'
  cat "$report"
  echo '```'
  echo
  machine_summary
} >"$out"
cat "$out"
say "written to $out"
