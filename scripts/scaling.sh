#!/usr/bin/env bash
# Scaling of each tifa stage with input size (issue 14).
#
# usage: TIFA=target/release/tifa scripts/scaling.sh [SIZES_MB...]     (default sizes: 1 4 16 64)
#
# Inputs are generated from the real texts in ../shared/corpus/local-reports/txt (SRC=...), outside the
# repo, in WORK (default /tmp/tifa-scaling):
#   A<n>.txt  n MB of whole reports, the even-numbered files of the sorted list, concatenated;
#   B<n>.txt  n MB of the odd-numbered files, with every 10th paragraph of A<n> inserted (shared paragraphs;
#             reports of the same place in successive years share text as well);
#             when n MB is more than half the corpus (64 MB of a 99 MB corpus) the list is gone through again,
#             so those inputs contain some reports twice;
#   D<n>/     whole report files (all files of the sorted list) until n MB.
# Each file is cut at a line end once it reaches n MB (n * 2^20 bytes).
# Timed with /usr/bin/time -v (wall time, peak RSS), stdout to /dev/null:
#   outline A, patterns A, reuse A B, compare A B, corpus D -o OUT.
# A run above LIMIT seconds (default 300) stops that stage's larger sizes; a run is killed after CAP
# seconds (default 900) and reported as "> CAP s".
# Prints a Markdown table: stage x size, seconds and peak MB, and the time ratio 64 MB / 16 MB (linear = 4).
set -uo pipefail
cd "$(dirname "$0")/.."
TIFA=${TIFA:-target/release/tifa}
SRC=${SRC:-../shared/corpus/local-reports/txt}
WORK=${WORK:-/tmp/tifa-scaling}
LIMIT=${LIMIT:-300}
CAP=${CAP:-900}
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(1 4 16 64)
[ -x "$TIFA" ] || { echo "no tifa binary at $TIFA (set TIFA=...)" >&2; exit 2; }
[ -d "$SRC" ] || { echo "no corpus at $SRC" >&2; exit 2; }
mkdir -p "$WORK"

python3 - "$SRC" "$WORK" "${sizes[@]}" <<'EOF'
import os, sys
src, work, sizes = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3:]]
files = sorted(f for f in os.listdir(src) if f.endswith(".txt"))
def read(f):
    with open(os.path.join(src, f), "rb") as h:
        return h.read().decode("utf-8", "replace").replace("\r\n", "\n")
def fill(names, limit, shared=None, every=9):
    # whole files of `names` (cycled) until `limit` bytes, cut at a line end; with `shared`, one of its
    # lines after every `every` non-empty lines of our own
    out, n, i, own, k = [], 0, 0, 0, 0
    while n < limit:
        for line in read(names[i % len(names)]).splitlines():
            out.append(line + "\n"); n += len(line.encode()) + 1
            if shared and line.strip():
                own += 1
                if own % every == 0 and k < len(shared):
                    out.append(shared[k]); n += len(shared[k].encode()); k += 1
            if n >= limit:
                break
        i += 1
        if n < limit:
            out.append("\n"); n += 1
    return out
for mb in sizes:
    limit = mb << 20
    a_path, b_path, d_path = (os.path.join(work, p) for p in (f"A{mb}.txt", f"B{mb}.txt", f"D{mb}"))
    if not os.path.exists(a_path):
        a = fill(files[0::2], limit)
        with open(a_path, "w", encoding="utf-8") as h:
            h.writelines(a)
        shared = [l for l in a if len(l.strip()) >= 20][::10]
        with open(b_path, "w", encoding="utf-8") as h:
            h.writelines(fill(files[1::2], limit, shared))
    if not os.path.isdir(d_path):
        os.makedirs(d_path)
        n = 0
        for f in files:
            if n >= limit:
                break
            data = open(os.path.join(src, f), "rb").read()
            open(os.path.join(d_path, f), "wb").write(data)
            n += len(data)
EOF

stages=(outline patterns reuse compare corpus)
declare -A secs rss note stopped
run() { # stage size
  local s=$1 n=$2 t="$WORK/$1.$2.time" rc
  case $s in
    outline|patterns) set -- "$s" "$WORK/A$n.txt" ;;
    reuse|compare) set -- "$s" "$WORK/A$n.txt" "$WORK/B$n.txt" ;;
    corpus) rm -rf "$WORK/out$n"; set -- corpus "$WORK/D$n" -o "$WORK/out$n" ;;
  esac
  /usr/bin/time -v timeout -s KILL "$CAP" "$TIFA" "$@" >/dev/null 2>"$t"; rc=$?
  if [ $rc -eq 137 ] || ! grep -q "Elapsed (wall" "$t"; then
    secs[$s.$n]=">$CAP"; rss[$s.$n]="?"; note[$s.$n]="killed after ${CAP} s"; stopped[$s]=1; return
  fi
  secs[$s.$n]=$(awk -F': ' '/Elapsed \(wall/ {n=split($2,p,":"); v=0; for(i=1;i<=n;i++) v=v*60+p[i]; printf "%.2f", v}' "$t")
  rss[$s.$n]=$(awk '/Maximum resident/ {printf "%.0f", $6/1024}' "$t")
  [ "$rc" -ne 0 ] && note[$s.$n]="exit $rc: $(grep -v '^\s' "$t" | grep -v 'Command being timed' | head -1)"
  awk -v x="${secs[$s.$n]}" -v l="$LIMIT" 'BEGIN{exit !(x>l)}' && stopped[$s]=1
}
for n in "${sizes[@]}"; do
  for s in "${stages[@]}"; do
    if [ -n "${stopped[$s]:-}" ]; then secs[$s.$n]="—"; rss[$s.$n]="—"; note[$s.$n]="not run (smaller size > ${LIMIT} s)"; continue; fi
    run "$s" "$n"
    echo "$s ${n}MB: ${secs[$s.$n]} s, ${rss[$s.$n]} MB ${note[$s.$n]:-}" >&2
  done
done

hdr="| stage |"; sep="|---|"
for n in "${sizes[@]}"; do hdr+=" ${n} MB s | ${n} MB RSS MB |"; sep+="---:|---:|"; done
echo "$hdr 64/16 time |"; echo "$sep---:|"
for s in "${stages[@]}"; do
  row="| $s |"
  for n in "${sizes[@]}"; do row+=" ${secs[$s.$n]} | ${rss[$s.$n]} |"; done
  r=$(awk -v a="${secs[$s.64]:-x}" -v b="${secs[$s.16]:-x}" 'BEGIN{if (a+0>0 && b+0>0 && a ~ /^[0-9.]+$/) printf "%.2f", a/b; else print "—"}')
  echo "$row $r |"
done
echo
inputs=""; for n in "${sizes[@]}"; do
  inputs+="${n} MB: A $(wc -c <"$WORK/A$n.txt") B, B $(wc -c <"$WORK/B$n.txt") B, D $(ls "$WORK/D$n" | wc -l) files; "
done
echo "Inputs: $inputs"
for s in "${stages[@]}"; do for n in "${sizes[@]}"; do
  [ -n "${note[$s.$n]:-}" ] && echo "- $s ${n} MB: ${note[$s.$n]}"
done; done
echo "tifa: $("$TIFA" --version 2>&1); $(nproc) cores; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
