#!/usr/bin/env bash
# Crash safety, longer than the build runs it: `kill -9` of `teal run` at random moments of a ramp with
# phases, KILLS times; after each start the split and rollout must be the last acknowledged ones (or those
# of the ramp in flight), and no finished phase may have run again. SEED repeats a run exactly.
#
#   benchmarks/load/crash.sh
#   KILLS=50 SEED=12345 benchmarks/load/crash.sh
#
# Environment: KILLS (25), SEED (random).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=hardening.sh
source "$(dirname "${BASH_SOURCE[0]}")/hardening.sh"

KILLS="${KILLS:-25}"
[[ "$KILLS" =~ ^[1-9][0-9]*$ ]] || die "KILLS: '$KILLS' (expected: a positive integer)"
seed_option=()
if [[ -n "${SEED:-}" ]]; then
  [[ "$SEED" =~ ^-?[0-9]+$ ]] || die "SEED: '$SEED' (expected: an integer)"
  seed_option=(-Dteal.crash.seed="$SEED")
fi

make_work_dir
out="$(result_file crash)"
run_tests "$work_dir/crash.log" -Dtest=none \
  -Dit.test='CrashSafetyIT#d9_comesBackInAnAcknowledgedStateAfterKillsAtRandomMomentsOfARamp' \
  -Dteal.crash.kills="$KILLS" "${seed_option[@]}"
{
  echo "# Crash safety, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "$KILLS kill -9 of teal run at random moments of ramps with two command phases (expand before-new,"
  echo "backfill after 50); after every start the state was an acknowledged one or the one in flight, and no"
  echo "finished phase ran again. $(elapsed_of "$work_dir/crash.log" CrashSafetyIT) s, load average $(load_average)."
  echo
  echo '```'
  grep -h 'crash safety:' "$work_dir/crash.log"
  echo '```'
  echo
  machine_summary
} >"$out"
cat "$out"
say "written to $out"
