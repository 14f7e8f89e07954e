#!/bin/sh
# run_fuzz.sh - runs loupe's libFuzzer harnesses one after the other, each
# for a number of seconds, and tallies them like the C tests.
# Usage: run_fuzz.sh -b BINDIR -o OUTDIR [-s SECONDS] [-r RESULTS] NAME...
# NAME is a harness: BINDIR/fuzz_NAME, seeds in csrc/fuzz/seeds/NAME, words
# in csrc/fuzz/dict/NAME.dict (ingest also gets parse.dict). It grows
# OUTDIR/corpus/NAME, keeps inputs that crash in OUTDIR/crashes/NAME/, logs
# to OUTDIR/logs/ and appends each run's executions to OUTDIR/execs.tsv. A
# harness passes when it ran its time without a crash, leak, timeout or
# out-of-memory. Prints "fuzz: N passed, N failed" and appends "fuzz N N"
# to RESULTS. FUZZ_ARGS adds libFuzzer options (e.g. FUZZ_ARGS=-seed=1).
set -u

bindir=""
out=""
secs=60
results=""
while getopts b:o:s:r: opt; do
  case "$opt" in
    b) bindir="$OPTARG" ;;
    o) out="$OPTARG" ;;
    s) secs="$OPTARG" ;;
    r) results="$OPTARG" ;;
    *) echo "usage: $0 -b BINDIR -o OUTDIR [-s SECONDS] [-r RESULTS]" \
         "NAME..." >&2
       exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ -z "$bindir" ] || [ -z "$out" ] || [ $# -eq 0 ]; then
  echo "usage: $0 -b BINDIR -o OUTDIR [-s SECONDS] [-r RESULTS] NAME..." >&2
  exit 2
fi
case "$secs" in
  ''|*[!0-9]*|0) echo "run_fuzz: SECONDS must be a whole number above 0," \
                      "not '$secs'" >&2; exit 2 ;;
esac
here=$(dirname "$0")

# Longest input per harness: a page or a few pages, a query, a pattern
# and its subject.
max_len() {
  case "$1" in
    parse) echo 8192 ;;
    ingest) echo 3072 ;;
    query) echo 1024 ;;
    regex) echo 1024 ;;
    *) echo 4096 ;;
  esac
}

pass=0
fail=0
for name in "$@"; do
  bin="$bindir/fuzz_$name"
  corpus="$out/corpus/$name"
  crashes="$out/crashes/$name"
  log="$out/logs/$name.log"
  mkdir -p "$corpus" "$crashes" "$out/logs"
  if [ ! -x "$bin" ]; then
    echo "fuzz $name: no harness $bin: 1 failed"
    fail=$((fail + 1))
    continue
  fi
  seeds="$here/seeds/$name"
  dict="$here/dict/$name.dict"
  if [ "$name" = ingest ]; then
    # pages: the parser's words as well
    cat "$here/dict/parse.dict" "$dict" >"$out/logs/$name.dict"
    dict="$out/logs/$name.dict"
  fi
  found() { ls "$crashes" | grep -cE '^(crash|leak|timeout|oom)-'; }
  before=$(found)
  echo "== fuzz $name: $secs s, inputs up to $(max_len "$name") bytes"
  # -timeout: one input may take 10 s (ASan, the slowest regexes within
  # their limits); -rss_limit_mb: memory for the whole process.
  # shellcheck disable=SC2086
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  "$bin" -max_total_time="$secs" -max_len="$(max_len "$name")" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes/" \
    $([ -f "$dict" ] && echo "-dict=$dict") ${FUZZ_ARGS:-} \
    "$corpus" $([ -d "$seeds" ] && echo "$seeds") >"$log" 2>&1
  rc=$?
  after=$(found)
  # the final stats, or the last status line ("#N" in fork mode, whose
  # parent reports its own 0 executions in its stats)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  status_execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
  execs=${execs:-0}
  if [ "${status_execs:-0}" -gt "$execs" ]; then execs=$status_execs; fi
  inputs=$(ls "$corpus" | wc -l)
  status=ok
  if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
    status=failed
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$execs" "$secs" "$status" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$out/execs.tsv"
  total=$(awk -F '\t' -v n="$name" '$1 == n { s += $2 } END { print s + 0 }' \
    "$out/execs.tsv")
  if [ "$status" = ok ]; then
    echo "fuzz $name: passed: $execs executions in $secs s" \
      "($((execs / secs))/s), corpus $inputs inputs," \
      "$total executions in all runs"
    pass=$((pass + 1))
  else
    echo "fuzz $name: FAILED (exit status $rc): $execs executions;" \
      "inputs kept in $crashes/:"
    ls -t "$crashes" | grep -E '^(crash|leak|timeout|oom)-' | head -n 5 |
      sed 's/^/  /'
    echo "--- the end of $log:"
    grep -vE '^(#[0-9]+|INFO:|MS:|stat::)' "$log" | tail -n 40
    echo "--- rerun one with: $bin FILE"
    fail=$((fail + 1))
  fi
done

echo "fuzz: $pass passed, $fail failed"
if [ -n "$results" ]; then
  echo "fuzz $pass $fail" >>"$results"
fi
[ "$fail" -eq 0 ]
