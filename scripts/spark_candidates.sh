#!/usr/bin/env bash
# Runs sql/candidates.sql on Apache Spark in local mode over a tifa index exported as Parquet, checks
# that Spark gives exactly the candidate pairs of tifa's in-process path (`tifa index candidates`), and
# verifies one partition of Spark's pairs with `tifa verify --pairs PART.parquet`, as each task of a
# cluster job would. Figures: docs/scale-out.md.
#
# Usage: scripts/spark_candidates.sh INDEX.db [WORKDIR]
#
#   INDEX.db   an index made by `tifa index add` (e.g. the bench's target/index-bench/index-10000.db)
#   WORKDIR    where the export, the pairs and the logs go (default target/spark-run)
#
# Environment:
#   TIFA        a tifa built with `--features parquet` (default: built here into target/release)
#   VENV        Python venv for pyspark (default target/spark-venv; made and filled from PyPI if needed)
#   MASTER      Spark master (default local[2]: this machine's two cores)
#   PARTITIONS  shuffle partitions, and Parquet files of pairs (default 8)
#   VERIFY_PARTS  partitions of pairs verified with `tifa verify` (default 1; "all" for every one)
#
# Installs what it needs: Debian's Java (default-jre-headless) when no `java` is on PATH, and PyPI's
# pyspark in the venv. Not run by .ci/run: Java and pyspark are about 400 MB, and the DuckDB test
# (tests/index_sql.rs) already checks the same SQL against the in-process pairs on every CI run.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:?usage: scripts/spark_candidates.sh INDEX.db [WORKDIR]}
work=${2:-target/spark-run}
venv=${VENV:-target/spark-venv}
master=${MASTER:-local[2]}
partitions=${PARTITIONS:-8}
verify_parts=${VERIFY_PARTS:-1}
mkdir -p "$work"
log() { echo "spark_candidates: $*" >&2; }
secs() { python3 -c 'import sys,time; print(f"{time.time()-float(sys.argv[1]):.1f}")' "$1"; }

if ! command -v java >/dev/null; then
    log "installing default-jre-headless"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null
fi
if ! "$venv/bin/python" -c "import pyspark" 2>/dev/null; then
    log "making $venv with pyspark"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check pyspark
fi
if [ -z "${TIFA:-}" ]; then
    log "building tifa with the parquet feature"
    cargo build -q --release --features parquet --bin tifa
    TIFA=target/release/tifa
fi

log "java: $(java -version 2>&1 | head -1); pyspark $("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)'); $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$TIFA" index stats --db "$db" >&2

t=$(date +%s.%N)
rm -rf "$work/parquet"
"$TIFA" index export --parquet "$work/parquet" --db "$db" >&2
log "export: $(secs "$t") s, $(du -sh "$work/parquet" | cut -f1)"

t=$(date +%s.%N)
"$TIFA" index candidates --db "$db" -o "$work/inproc.csv"
log "in-process candidates (tifa index candidates): $(secs "$t") s, $(($(wc -l <"$work/inproc.csv") - 1)) pairs"

t=$(date +%s.%N)
rm -rf "$work/pairs-parquet"
"$venv/bin/python" scripts/candidates.py --engine spark --master "$master" --partitions "$partitions" \
    --parquet-out "$work/pairs-parquet" "$work/parquet" "$work/spark.csv" 2> >(grep -v WARN >&2)
log "spark (JVM start included): $(secs "$t") s, $(($(wc -l <"$work/spark.csv") - 1)) pairs"

if cmp -s "$work/inproc.csv" "$work/spark.csv"; then
    log "OK: Spark and tifa give the same candidate pairs"
else
    log "DIFFERENT: Spark and tifa candidate pairs differ (diff $work/inproc.csv $work/spark.csv)"
    exit 1
fi

parts=$(find "$work/pairs-parquet" -name 'part-*.parquet' | sort)
[ "$verify_parts" = all ] || parts=$(echo "$parts" | head -n "$verify_parts")
rm -rf "$work/verified"
mkdir -p "$work/verified"
for p in $parts; do
    t=$(date +%s.%N)
    out="$work/verified/$(basename "$p" .parquet).jsonl"
    "$TIFA" verify --pairs "$p" --db "$db" -o "$out" 2>"$out.log"
    log "tifa verify $(basename "$p"): $(secs "$t") s; $(tail -1 "$out.log")"
done
