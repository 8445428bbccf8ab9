#!/usr/bin/env bash
# Runs each cargo-fuzz target for SECONDS (default 600) one after the other and prints, per target, the
# executions, executions per second, coverage and corpus size at the end, and any crash, timeout or OOM.
#
# usage: scripts/fuzz.sh [SECONDS] [TARGET...]     (targets: pipeline pattern_file pair ingest)
# Needs cargo-fuzz (`cargo install cargo-fuzz`); builds with RUSTC_BOOTSTRAP=1 on a stable toolchain.
# The seeds in fuzz/corpus/TARGET (kept in the repo, small) are read; new interesting inputs go to
# fuzz/corpus-run/TARGET (ignored by git, reused by the next run); crashes to fuzz/artifacts/.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${1:-600}; shift || true
targets=("$@"); [ ${#targets[@]} -eq 0 ] && targets=(pipeline pattern_file pair ingest)
for t in "${targets[@]}"; do
  log="/tmp/tifa-fuzz-$t.log"
  mkdir -p "corpus-run/$t"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" "corpus-run/$t" "corpus/$t" -- -max_total_time="$secs" -max_len=20000 -timeout=30 \
    -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  corp=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1)
  bad=$(grep -E 'ERROR: libFuzzer|SUMMARY:|panicked' "$log" | head -3)
  printf '%s: %s s, %s executions (%s/s), %s, %s, exit %s %s\n' "$t" "$secs" "${execs:-?}" \
    "$(( ${execs:-0} / secs ))" "${cov:-cov ?}" "${corp:-corp ?}" "$rc" "${bad:+— $bad}"
done
