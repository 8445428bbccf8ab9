-- Candidate pairs from the fingerprints of a tifa index, in engine-neutral SQL (DuckDB, Spark SQL,
-- DataFusion, PostgreSQL, SQLite). The same rule as tifa's in-process path (src/index/candidates.rs):
--
--   a bucket is the set of documents holding one fingerprint; buckets of one document, and buckets of
--   more than params.max_bucket documents (boilerplate such as 以习近平新时代中国特色社会主义思想为指导,
--   which would pair everything with everything), are ignored; two documents are a candidate pair when
--   they share at least params.min_shared of the remaining buckets. `rarity` weighs each shared bucket
--   of n documents by floor(params.rarity_scale / (n - 1)): a fingerprint only the two documents hold
--   counts rarity_scale, one that fifty hold a 49th of it. `tifa index add` checks a pair at once when
--   its rarity reaches rarity_scale; a cluster job can apply the same filter before verifying.
--
-- Input tables, as written by `tifa index export --parquet DIR` (register each DIR/NAME.parquet as NAME):
--   shingles(doc_id BIGINT, hash BIGINT)   -- winnowed shingle fingerprints, xxh3-64 as signed 64-bit
--   params(max_bucket BIGINT, min_shared BIGINT, shingle_len BIGINT, window BIGINT, rarity_scale BIGINT)
-- Output: (a BIGINT, b BIGINT, shared BIGINT, rarity BIGINT) with a < b, ordered by a, b. Feed it to
--   tifa verify --pairs candidates.(csv|parquet) --db INDEX
-- which verifies each pair with the reuse engine (fan it out per partition on a cluster).
--
-- Cost: the self-join emits at most max_bucket * (max_bucket - 1) / 2 rows per fingerprint; on Spark it
-- is a shuffle join keyed on hash after the bucket filter, then an aggregation keyed on (a, b).
WITH p AS (
  SELECT max_bucket, min_shared, rarity_scale FROM params
),
buckets AS (
  SELECT s.hash, COUNT(*) AS n
  FROM shingles s
  GROUP BY s.hash
  HAVING COUNT(*) BETWEEN 2 AND (SELECT max_bucket FROM p)
),
rare AS (
  SELECT s.doc_id, s.hash,
         CAST(FLOOR((SELECT rarity_scale FROM p) / (k.n - 1.0)) AS BIGINT) AS weight
  FROM shingles s
  JOIN buckets k ON k.hash = s.hash
)
SELECT x.doc_id AS a, y.doc_id AS b, COUNT(*) AS shared, SUM(x.weight) AS rarity
FROM rare x
JOIN rare y ON y.hash = x.hash AND x.doc_id < y.doc_id
GROUP BY x.doc_id, y.doc_id
HAVING COUNT(*) >= (SELECT min_shared FROM p)
ORDER BY a, b
