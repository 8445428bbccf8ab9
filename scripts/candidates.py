#!/usr/bin/env python3
"""Run sql/candidates.sql over a `tifa index export --parquet DIR` with DuckDB or Apache Spark.

Usage:
  python3 scripts/candidates.py --engine duckdb DIR OUT.csv [--parquet-out PDIR]
  python3 scripts/candidates.py --engine spark  DIR OUT.csv [--master local[2]] [--partitions N] [--parquet-out PDIR]

DIR holds shingles.parquet and params.parquet (as exported by tifa; the CSV export, shingles.csv and
params.csv, is read when there is no Parquet). OUT.csv gets the candidate pairs
`a,b,shared,rarity` (a < b, ordered), ready for `tifa verify --pairs OUT.csv --db INDEX`; OUT `-` skips
it (on a cluster the pairs are not collected to the driver). With --parquet-out the
pairs are also written as Parquet files in PDIR, one per partition (Spark: --partitions files split by
hash of `a`; DuckDB: one file), each ready for its own `tifa verify --pairs PART.parquet`. The script
prints one line of figures (engine, input rows, pairs, seconds for the query) on stderr.

On a cluster the same SQL runs unchanged: DIR may be a URI on shared storage (hdfs://, s3a://), and the
result is written as partitioned Parquet instead of collected (see docs/scale-out.md):
  spark-submit scripts/candidates.py --engine spark --master yarn --partitions 2000 \
      --parquet-out hdfs:///tifa/pairs hdfs:///tifa/export -
"""

import argparse
import csv
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SQL = os.path.join(HERE, "..", "sql", "candidates.sql")
TABLES = ("shingles", "params")


def read_sql():
    with open(SQL, encoding="utf-8") as f:
        return f.read().strip().rstrip(";")


def table_file(src, t):
    """The exported file of table t: Parquet, else CSV. A URI (hdfs://, s3a://) is taken to hold Parquet."""
    if "://" in src:
        return f"{src.rstrip('/')}/{t}.parquet", "parquet"
    for ext in ("parquet", "csv"):
        path = os.path.join(src, f"{t}.{ext}")
        if os.path.exists(path):
            return path, ext
    return None, None


def write_pairs(out, rows):
    tmp = out + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["a", "b", "shared", "rarity"])
        w.writerows(rows)
    os.replace(tmp, out)


def run_duckdb(src, out, parquet_out):
    import duckdb

    con = duckdb.connect()
    for t in TABLES:
        path, ext = table_file(src, t)
        reader = "read_parquet" if ext == "parquet" else "read_csv_auto"
        con.execute(f"CREATE VIEW {t} AS SELECT * FROM {reader}('{path}')")
    n = con.execute("SELECT COUNT(*) FROM shingles").fetchone()[0]
    t0 = time.perf_counter()
    rows = con.execute(read_sql()).fetchall()
    secs = time.perf_counter() - t0
    if out != "-":
        write_pairs(out, rows)
    if parquet_out:
        os.makedirs(parquet_out, exist_ok=True)
        target = os.path.join(parquet_out, "part-00000.parquet").replace("'", "''")
        con.execute(f"COPY ({read_sql()}) TO '{target}' (FORMAT PARQUET)")
    return n, len(rows), secs


def run_spark(src, out, master, partitions, parquet_out):
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(master)
        .appName("tifa-candidates")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    for t in TABLES:
        path, ext = table_file(src, t)
        if ext == "parquet":
            df = spark.read.parquet(path)
        else:
            df = spark.read.csv(path, header=True, inferSchema=True)
        df.createOrReplaceTempView(t)
    n = spark.sql("SELECT COUNT(*) FROM shingles").collect()[0][0]
    t0 = time.perf_counter()
    pairs = spark.sql(read_sql())
    if parquet_out:
        # What a cluster job does: the pairs stay distributed, one file per partition, and each file
        # is verified by its own `tifa verify` (see docs/scale-out.md).
        pairs = pairs.cache()
        pairs.repartition(partitions, "a").sortWithinPartitions("a", "b").write.mode(
            "overwrite"
        ).parquet(parquet_out)
    if out == "-":
        count = pairs.count()
    else:
        rows = [(r["a"], r["b"], r["shared"], r["rarity"]) for r in pairs.collect()]
        count = len(rows)
    secs = time.perf_counter() - t0
    spark.stop()
    if out != "-":
        write_pairs(out, rows)
    return n, count, secs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=("duckdb", "spark"), required=True)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--parquet-out", metavar="PDIR", help="also write the pairs as Parquet files in PDIR")
    ap.add_argument("src")
    ap.add_argument("out")
    a = ap.parse_args()
    if a.out == "-" and not a.parquet_out:
        print("candidates.py: OUT is - and no --parquet-out: the pairs would go nowhere", file=sys.stderr)
        return 2
    for t in TABLES:
        if table_file(a.src, t)[0] is None:
            print(f"candidates.py: {a.src}: no {t}.parquet (run `tifa index export --parquet DIR`)", file=sys.stderr)
            return 2
    t0 = time.perf_counter()
    if a.engine == "duckdb":
        n, pairs, secs = run_duckdb(a.src, a.out, a.parquet_out)
    else:
        n, pairs, secs = run_spark(a.src, a.out, a.master, a.partitions, a.parquet_out)
    total = time.perf_counter() - t0
    print(
        f"engine={a.engine} shingles={n} pairs={pairs} query_s={secs:.2f} total_s={total:.2f}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
