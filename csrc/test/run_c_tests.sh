#!/bin/sh
# run_c_tests.sh - runs loupe's C test programs and tallies their results.
# Usage: run_c_tests.sh [-w WRAPPER] [-r RESULTS] PROGRAM...
# Each program ends with "<name>: N passed, N failed"; a program that crashes,
# prints no such line or exits non-zero with 0 failed counts one more failure.
# Prints "c-tests: N passed, N failed" and appends "c-tests N N" to RESULTS.
set -u

wrap=""
results=""
while getopts w:r: opt; do
  case "$opt" in
    w) wrap="$OPTARG" ;;
    r) results="$OPTARG" ;;
    *) echo "usage: $0 [-w WRAPPER] [-r RESULTS] PROGRAM..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

# Seconds one program may run (valgrind is slow); 0 disables the limit.
limit=${LOUPE_TEST_TIMEOUT:-900}
timer=""
if [ "$limit" != 0 ] && command -v timeout >/dev/null 2>&1; then
  timer="timeout $limit"
fi

log=$(mktemp "${TMPDIR:-/tmp}/loupe-ctest.XXXXXX") || exit 2
trap 'rm -f "$log" "$log.rc"' EXIT

total_pass=0
total_fail=0
for prog in "$@"; do
  name=$(basename "$prog")
  echo "== $name${wrap:+ (under ${wrap%% *})}"
  # Run with output shown and kept; the status file carries the exit code
  # out of the pipeline (POSIX sh has no pipefail).
  { $timer $wrap "$prog" 2>&1; echo "$?" >"$log.rc"; } | tee "$log"
  rc=$(cat "$log.rc" 2>/dev/null || echo 1)
  rm -f "$log.rc"
  line=$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed$' "$log" |
         tail -n 1)
  if [ -z "$line" ]; then
    echo "$name: exit status $rc and no 'N passed, N failed' line: 1 failed"
    pass=0
    fail=1
  else
    counts=${line#*: }
    pass=${counts%% passed*}
    fail=${counts#*passed, }
    fail=${fail%% failed}
    if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
      echo "$name: exit status $rc after reporting no failure: 1 failed"
      fail=1
    fi
  fi
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
done

if [ $# -eq 0 ]; then
  echo "c-tests: no csrc/test/test_*.c programs found"
fi
echo "c-tests: $total_pass passed, $total_fail failed"
if [ -n "$results" ]; then
  echo "c-tests $total_pass $total_fail" >>"$results"
fi
[ "$total_fail" -eq 0 ]
