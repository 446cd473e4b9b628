#!/usr/bin/env bash
# Resource bounds: CLIENTS slow clients (each sends a request head one byte a second) held open on
# `teal run` with a 256 MiB heap while normal traffic flows beside them. Fails if a normal request fails,
# their p99 passes 1 s, or a held connection costs teal more than 32 KiB of heap; reports the heap
# before, with and after them in results/slow-clients-<date>.md.
#
#   benchmarks/load/slow-clients.sh
#   CLIENTS=15000 benchmarks/load/slow-clients.sh
#
# Environment: CLIENTS (10000).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=hardening.sh
source "$(dirname "${BASH_SOURCE[0]}")/hardening.sh"

CLIENTS="${CLIENTS:-10000}"
[[ "$CLIENTS" =~ ^[1-9][0-9]*$ ]] || die "CLIENTS: '$CLIENTS' (expected: a positive integer)"
# The test JVM holds one descriptor per client; teal runs in a JVM of its own.
needed=$((CLIENTS + 1024))
if (($(ulimit -n) < needed)); then
  ulimit -n "$needed" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
(($(ulimit -n) >= needed)) || die "ulimit -n is $(ulimit -n), at most $(ulimit -Hn) (expected: >= $needed)"

make_work_dir
out="$(result_file slow-clients)"
report="$repo_root/admin-api/target/resource-bounds.txt"
rm -f "$report"
run_tests "$work_dir/slow.log" -Dtest=none -Dit.test=ResourceBoundsIT -Dteal.slow-clients="$CLIENTS"
{
  echo "# $CLIENTS slow clients, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Load average $(load_average)."
  echo
  echo '```'
  cat "$report"
  echo '```'
  echo
  machine_summary
} >"$out"
cat "$out"
say "written to $out"
