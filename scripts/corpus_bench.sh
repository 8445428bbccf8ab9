#!/usr/bin/env bash
# Scale bench of `tifa corpus` against a datasketch MinHash-LSH baseline on generated corpora.
#
# usage: scripts/corpus_bench.sh [SIZES...]    (default: 1000 3000 10000)
# Needs ../shared/corpus/local-reports/txt (the real texts the generator recombines), python3-venv.
# Prints, per size: documents, MB, wall time, peak RSS, recall and reported-not-planted share for both.
# ROUND_DOCS=N (default 1000; 0 = one pool round until the pool runs out) starts a new enciphered pool
# round every N documents, so a larger corpus has the same density of shared text as a smaller one
# (see examples/corpus_gen.rs); the generated corpora go to $WORK/gen<size>-r<N>.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${SRC:-../shared/corpus/local-reports/txt}
WORK=${WORK:-/tmp/tifa-corpus-bench}
VENV=${VENV:-$WORK/venv}
ROUND_DOCS=${ROUND_DOCS:-1000}
mkdir -p "$WORK"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet datasketch
fi
cargo build --release --quiet
cargo build --release --quiet --example corpus_gen
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(1000 3000 10000)
peak() { grep "Maximum resident" "$1" | awk '{printf "%.0f MB", $6/1024}'; }
wall() { grep "Elapsed (wall" "$1" | awk '{print $8}'; }
printf "%-6s %-7s | %-9s %-8s %-7s %-9s | %-9s %-8s %-7s %-9s\n" docs MB "tifa time" peak recall notplant "mh time" peak recall notplant
for n in "${sizes[@]}"; do
  g="$WORK/gen$n-r$ROUND_DOCS"
  [ -f "$g/truth.jsonl" ] || target/release/examples/corpus_gen "$SRC" "$g" "$n" 20260601 "$ROUND_DOCS" 2>/dev/null
  mb=$(du -sm "$g/docs" | cut -f1)
  /usr/bin/time -v target/release/tifa corpus "$g/docs" -o "$g/tifa" >"$g/tifa.txt" 2>"$g/tifa.time"
  /usr/bin/time -v "$VENV/bin/python" scripts/minhash_baseline.py "$g/docs" "$g/minhash" 2>"$g/mh.time"
  et=$(python3 scripts/corpus_eval.py "$g" "$g/tifa"); em=$(python3 scripts/corpus_eval.py "$g" "$g/minhash")
  echo "$et" >"$g/tifa.eval"; echo "$em" >"$g/mh.eval"
  r() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d['recall'], d['not_planted_unexcused_share'])" "$1"; }
  read -r tr tn <<<"$(r "$et")"; read -r mr mn <<<"$(r "$em")"
  printf "%-6s %-7s | %-9s %-8s %-7s %-9s | %-9s %-8s %-7s %-9s\n" "$n" "$mb" "$(wall "$g/tifa.time")" "$(peak "$g/tifa.time")" "$tr" "$tn" "$(wall "$g/mh.time")" "$(peak "$g/mh.time")" "$mr" "$mn"
done
