# Shared by the hardening scripts (sourced, never run): they run the hardening suite's own tests, longer or
# harder than the build does, through Maven, and keep what they report in results/.
# shellcheck shell=bash

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

results_dir="$repo_root/benchmarks/load/results"

# run_tests LOG ARGS...: runs the config, proxy and admin-api modules' tests selected by ARGS
# (-Dtest=..., -Dit.test=..., system properties), offline, into LOG; fails with its tail when they fail.
run_tests() {
  local log="$1"
  shift
  say "mvn verify $* (log: $log) ..."
  if ! (cd "$repo_root" && mvn -B -o -pl config,proxy,admin-api verify \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false "$@") >"$log" 2>&1; then
    grep -E 'Tests run:|FAIL|Shrunk|Original Sample|arg[0-9]:|Expecting|expected' "$log" | head -40 >&2 || true
    die "tests failed; the whole log is in $log"
  fi
}

# elapsed_of LOG CLASS: the seconds the test class took, as Maven reported them.
elapsed_of() {
  grep -E "Time elapsed: .* -- in .*\\.$2\$" "$1" | sed -E 's/.*Time elapsed: ([0-9.,]+) s.*/\1/' | tail -1
}

result_file() {
  echo "$results_dir/$1-$(date -u +%Y-%m-%d-%H%M).md"
}
