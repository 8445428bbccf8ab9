#!/usr/bin/env python3
"""Run sql/candidates.sql over a `tifa index export --parquet DIR` with DuckDB or Apache Spark.

Usage:
  python3 scripts/candidates.py --engine duckdb DIR OUT.csv
  python3 scripts/candidates.py --engine spark  DIR OUT.csv [--master local[2]] [--partitions N]

DIR holds shingles.parquet and params.parquet (as exported by tifa; the CSV export, shingles.csv and
params.csv, is read when there is no Parquet). OUT.csv gets the candidate pairs
`a,b,shared` (a < b, ordered), ready for `tifa verify --pairs OUT.csv --db INDEX`. The script prints one
line of figures (engine, input rows, pairs, seconds for the query) on stderr.

On a cluster the same SQL runs unchanged: point the views at the exported Parquet on shared storage
(HDFS, S3) and write the result as partitioned Parquet instead of collecting it (see docs/scale-out.md).
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
    """The exported file of table t: Parquet, else CSV."""
    for ext in ("parquet", "csv"):
        path = os.path.join(src, f"{t}.{ext}")
        if os.path.exists(path):
            return path, ext
    return None, None


def write_pairs(out, rows):
    tmp = out + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["a", "b", "shared"])
        for a, b, shared in rows:
            w.writerow([a, b, shared])
    os.replace(tmp, out)


def run_duckdb(src, out):
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
    write_pairs(out, rows)
    return n, len(rows), secs


def run_spark(src, out, master, partitions):
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
    rows = [(r["a"], r["b"], r["shared"]) for r in spark.sql(read_sql()).collect()]
    secs = time.perf_counter() - t0
    spark.stop()
    write_pairs(out, rows)
    return n, len(rows), secs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=("duckdb", "spark"), required=True)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("src")
    ap.add_argument("out")
    a = ap.parse_args()
    for t in TABLES:
        if table_file(a.src, t)[0] is None:
            print(f"candidates.py: {a.src}: no {t}.parquet (run `tifa index export --parquet DIR`)", file=sys.stderr)
            return 2
    t0 = time.perf_counter()
    if a.engine == "duckdb":
        n, pairs, secs = run_duckdb(a.src, a.out)
    else:
        n, pairs, secs = run_spark(a.src, a.out, a.master, a.partitions)
    total = time.perf_counter() - t0
    print(
        f"engine={a.engine} shingles={n} pairs={pairs} query_s={secs:.2f} total_s={total:.2f}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
