//! Which pairs of indexed documents are worth verifying? Those sharing rare fingerprints.
//!
//! Input: the `shingles(hash, doc_id)` postings of an index and [`CandidateParams`]. Output: [`Candidate`]
//! pairs `(a < b, shared)`, sorted by `(a, b)`.
//!
//! The rule, the same here and in `sql/candidates.sql` (a test checks DuckDB gives exactly these pairs):
//! a *bucket* is the set of documents holding one fingerprint; buckets of more than `max_bucket`
//! documents are boilerplate (`以习近平新时代中国特色社会主义思想为指导` is in every report) and ignored, as
//! are buckets of one; `shared` is the number of remaining buckets holding both documents, and a pair is
//! a candidate when `shared >= min_shared`. Work is linear in the postings plus the pairs emitted, which
//! the cap bounds by `max_bucket²/2` per fingerprint: never all pairs.

use std::collections::HashMap;

use rusqlite::{Connection, params};
use serde::Serialize;

/// Candidate generation settings (also written to `params` by the export, for the SQL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CandidateParams {
    /// Fingerprints held by more documents than this are ignored.
    pub max_bucket: usize,
    /// Minimum number of shared (non-ignored) fingerprints.
    pub min_shared: usize,
}

impl Default for CandidateParams {
    fn default() -> Self {
        // With the default winnowing (one fingerprint per ~8.5 canonical chars, guaranteed within 23),
        // two shared fingerprints mean a shared run of roughly 30 canonical chars or more, just above
        // the reuse engine's 20-char minimum passage.
        CandidateParams {
            max_bucket: 50,
            min_shared: 2,
        }
    }
}

/// A pair of documents to verify.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Candidate {
    /// The smaller document id.
    pub a: i64,
    /// The larger document id.
    pub b: i64,
    /// Shared fingerprints (buckets of at most `max_bucket` documents holding both).
    pub shared: usize,
}

fn finish(counts: HashMap<(i64, i64), u32>, params: &CandidateParams) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = counts
        .into_iter()
        .filter(|&(_, n)| n as usize >= params.min_shared.max(1))
        .map(|((a, b), n)| Candidate {
            a,
            b,
            shared: n as usize,
        })
        .collect();
    out.sort_unstable();
    out
}

/// Adds every pair of one bucket (`docs` sorted ascending) to `counts`, when the bucket is within the
/// cap; `min_b` restricts to pairs whose larger id is at least that.
fn count_bucket(
    docs: &[i64],
    params: &CandidateParams,
    min_b: i64,
    counts: &mut HashMap<(i64, i64), u32>,
) {
    if docs.len() < 2 || docs.len() > params.max_bucket {
        return;
    }
    for (j, &b) in docs.iter().enumerate() {
        if b < min_b {
            continue;
        }
        for &a in &docs[..j] {
            *counts.entry((a, b)).or_default() += 1;
        }
    }
}

/// Scans the postings in `(hash, doc_id)` order; pairs with larger id below `min_b` are left out.
fn scan(
    conn: &Connection,
    params: &CandidateParams,
    min_b: i64,
) -> rusqlite::Result<Vec<Candidate>> {
    let mut stmt = conn.prepare("SELECT hash, doc_id FROM shingles ORDER BY hash, doc_id")?;
    let mut rows = stmt.query([])?;
    let mut counts: HashMap<(i64, i64), u32> = HashMap::new();
    let mut bucket: Vec<i64> = Vec::new();
    let mut current: Option<i64> = None;
    while let Some(r) = rows.next()? {
        let (h, d): (i64, i64) = (r.get(0)?, r.get(1)?);
        if current != Some(h) {
            count_bucket(&bucket, params, min_b, &mut counts);
            bucket.clear();
            current = Some(h);
        }
        bucket.push(d);
    }
    count_bucket(&bucket, params, min_b, &mut counts);
    Ok(finish(counts, params))
}

/// All candidate pairs of the index.
pub fn all_candidates(
    conn: &Connection,
    params: &CandidateParams,
) -> rusqlite::Result<Vec<Candidate>> {
    scan(conn, params, i64::MIN)
}

/// Candidate pairs that involve at least one of `new` (documents just inserted, whose ids are larger than
/// every older document's), computed on the postings as they are now. A small batch looks its
/// fingerprints up one by one; a batch that holds a good part of the postings scans them once.
pub fn candidates_of(
    conn: &Connection,
    new: &[(i64, &[i64])],
    params: &CandidateParams,
) -> rusqlite::Result<Vec<Candidate>> {
    let Some(min_new) = new.iter().map(|d| d.0).min() else {
        return Ok(Vec::new());
    };
    let new_postings: usize = new.iter().map(|d| d.1.len()).sum();
    let total: i64 = conn.query_row("SELECT COUNT(*) FROM shingles", [], |r| r.get(0))?;
    if new_postings as i64 * 8 >= total {
        return scan(conn, params, min_new);
    }
    lookup(conn, new, params)
}

/// [`candidates_of`] by one posting lookup per fingerprint of the new documents.
fn lookup(
    conn: &Connection,
    new: &[(i64, &[i64])],
    params: &CandidateParams,
) -> rusqlite::Result<Vec<Candidate>> {
    let mut stmt = conn.prepare_cached("SELECT doc_id FROM shingles WHERE hash = ?1 LIMIT ?2")?;
    let mut counts: HashMap<(i64, i64), u32> = HashMap::new();
    let mut bucket: Vec<i64> = Vec::new();
    for &(doc, fps) in new {
        for &h in fps {
            bucket.clear();
            let mut rows = stmt.query(params![h, params.max_bucket as i64 + 1])?;
            while let Some(r) = rows.next()? {
                bucket.push(r.get(0)?);
            }
            if bucket.len() < 2 || bucket.len() > params.max_bucket {
                continue;
            }
            // A pair of two new documents is counted once, from its larger id.
            for &other in &bucket {
                if other < doc {
                    *counts.entry((other, doc)).or_default() += 1;
                }
            }
        }
    }
    Ok(finish(counts, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn_with(postings: &[(i64, i64)]) -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE shingles (hash INTEGER, doc_id INTEGER, PRIMARY KEY(hash, doc_id)) WITHOUT ROWID",
        )
        .unwrap();
        for (h, d) in postings {
            c.execute("INSERT INTO shingles VALUES (?1, ?2)", [h, d])
                .unwrap();
        }
        c
    }

    #[test]
    fn caps_buckets_and_counts_shared() {
        // Fingerprint 1 is in every document (boilerplate, over the cap of 3); 2 and 3 are shared by
        // documents 10 and 11 only; 4 by 11 and 12 once.
        let c = conn_with(&[
            (1, 10),
            (1, 11),
            (1, 12),
            (1, 13),
            (2, 10),
            (2, 11),
            (3, 10),
            (3, 11),
            (4, 11),
            (4, 12),
        ]);
        let p = CandidateParams {
            max_bucket: 3,
            min_shared: 2,
        };
        let all = all_candidates(&c, &p).unwrap();
        assert_eq!(
            all,
            vec![Candidate {
                a: 10,
                b: 11,
                shared: 2
            }]
        );
        let p1 = CandidateParams { min_shared: 1, ..p };
        assert_eq!(all_candidates(&c, &p1).unwrap().len(), 2);
        // The incremental path agrees with the scan for the pairs of the new documents.
        let new: Vec<(i64, &[i64])> = vec![(11, &[1, 2, 3, 4]), (12, &[1, 4])];
        let mut expected = all_candidates(&c, &p1).unwrap();
        expected.retain(|c| c.b >= 11);
        assert_eq!(lookup(&c, &new, &p1).unwrap(), expected);
        assert_eq!(candidates_of(&c, &new, &p1).unwrap(), expected);
    }
}
