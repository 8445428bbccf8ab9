//! Which pairs of indexed documents are worth verifying? Those sharing rare fingerprints.
//!
//! Input: the `shingles(hash, doc_id)` postings of an index and [`CandidateParams`]. Output: [`Candidate`]
//! pairs `(a < b, shared, rarity)`, sorted by `(a, b)`; the few of them an add checks at once
//! ([`best_per_document`]).
//!
//! The rule, the same here and in `sql/candidates.sql` (a test checks DuckDB gives exactly these pairs):
//! a *bucket* is the set of documents holding one fingerprint; buckets of more than `max_bucket`
//! documents are boilerplate (`以习近平新时代中国特色社会主义思想为指导` is in every report) and ignored, as
//! are buckets of one; `shared` is the number of remaining buckets holding both documents, and a pair is
//! a candidate when `shared >= min_shared`; `rarity` sums each shared bucket's [`rarity`]. Work is linear
//! in the postings plus the pairs emitted, which the cap bounds by `max_bucket²/2` per fingerprint:
//! never all pairs.

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
    /// The same fingerprints weighted by rarity ([`rarity`]): what ranks a document's candidates.
    pub rarity: u64,
}

/// Weight of a shared fingerprint that `df` documents hold: [`RARITY_SCALE`] / (df − 1). A fingerprint
/// links each of its documents to df − 1 others, so its evidence of copying is spread over them: one
/// only two documents hold (a copied paragraph) counts as much as 49 that fifty hold (stock text).
pub fn rarity(df: usize) -> u64 {
    RARITY_SCALE / (df.max(2) - 1) as u64
}

/// Weight of a fingerprint held by exactly two documents (divisible by every df − 1 up to 10).
pub const RARITY_SCALE: u64 = 2520;

/// Shared fingerprints and their summed rarity, per pair.
type Counts = HashMap<(i64, i64), (u32, u64)>;

fn finish(counts: Counts, params: &CandidateParams) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = counts
        .into_iter()
        .filter(|&(_, (n, _))| n as usize >= params.min_shared.max(1))
        .map(|((a, b), (n, w))| Candidate {
            a,
            b,
            shared: n as usize,
            rarity: w,
        })
        .collect();
    out.sort_unstable();
    out
}

/// Adds every pair of one bucket (`docs` sorted ascending) to `counts`, when the bucket is within the
/// cap; `min_b` restricts to pairs whose larger id is at least that.
fn count_bucket(docs: &[i64], params: &CandidateParams, min_b: i64, counts: &mut Counts) {
    if docs.len() < 2 || docs.len() > params.max_bucket {
        return;
    }
    let w = rarity(docs.len());
    for (j, &b) in docs.iter().enumerate() {
        if b < min_b {
            continue;
        }
        for &a in &docs[..j] {
            let e = counts.entry((a, b)).or_default();
            e.0 += 1;
            e.1 += w;
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
    let mut counts = Counts::new();
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
    let mut counts = Counts::new();
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
            let w = rarity(bucket.len());
            for &other in &bucket {
                if other < doc {
                    let e = counts.entry((other, doc)).or_default();
                    e.0 += 1;
                    e.1 += w;
                }
            }
        }
    }
    Ok(finish(counts, params))
}

/// The least rarity-weighted evidence worth checking at add time: one fingerprint no third document
/// holds, or two that three documents hold, and so on. The rarities of a document's candidates sum to at
/// most [`RARITY_SCALE`] × its fingerprints (each fingerprint's weight is split over its partners), so
/// at most as many candidates as the document has fingerprints reach this, however large the index.
pub const MIN_RARITY: u64 = RARITY_SCALE;

/// The candidates worth checking now: for each new document (id at least `min_new`), its candidates
/// with a rarity of at least [`MIN_RARITY`], the `k` best of them by rarity, then by shared fingerprints
/// (ties to the smaller other id); a pair is kept when it is among the best of either of its new
/// documents. Ranking by rarity puts a short copied paragraph (a few fingerprints no other document
/// holds) before long stock text that dozens of reports share; pairs sharing only such stock text are
/// left to `tifa verify`.
pub fn best_per_document(cands: Vec<Candidate>, min_new: i64, k: usize) -> Vec<Candidate> {
    use std::cmp::Reverse;
    /// (new document, rarity descending, shared descending, other document, position in `cands`)
    type End = (i64, Reverse<u64>, Reverse<usize>, i64, usize);
    let mut ends: Vec<End> = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        if c.rarity < MIN_RARITY {
            continue;
        }
        let key = (Reverse(c.rarity), Reverse(c.shared));
        if c.a >= min_new {
            ends.push((c.a, key.0, key.1, c.b, i));
        }
        if c.b >= min_new {
            ends.push((c.b, key.0, key.1, c.a, i));
        }
    }
    ends.sort_unstable();
    let mut keep = vec![false; cands.len()];
    let mut rank = 0;
    let mut current = None;
    for &(doc, _, _, _, i) in &ends {
        if current != Some(doc) {
            current = Some(doc);
            rank = 0;
        }
        if rank < k {
            keep[i] = true;
        }
        rank += 1;
    }
    cands
        .into_iter()
        .zip(keep)
        .filter_map(|(c, k)| k.then_some(c))
        .collect()
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
                shared: 2,
                rarity: 2 * RARITY_SCALE
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

    #[test]
    fn best_per_document_keeps_each_new_documents_rarest() {
        let c = |a, b, shared, rarity| Candidate {
            a,
            b,
            shared,
            rarity,
        };
        // Documents 1 and 2 are old; 3 and 4 are new. (1, 3) shares more fingerprints than (2, 3) but
        // commoner ones.
        let s = RARITY_SCALE;
        let cands = vec![
            c(1, 3, 9, 4 * s),
            c(2, 3, 3, 9 * s),
            c(1, 4, 2, s),
            c(2, 4, 2, s),
            c(3, 4, 7, 7 * s),
        ];
        // k = 1: 3's best is (2, 3); 4's best is (3, 4).
        assert_eq!(
            best_per_document(cands.clone(), 3, 1),
            vec![cands[1].clone(), cands[4].clone()]
        );
        // k = 2: 3 keeps (2, 3) and (3, 4); 4 keeps (3, 4) and its tie (1, 4) before (2, 4).
        assert_eq!(
            best_per_document(cands.clone(), 3, 2),
            vec![cands[1].clone(), cands[2].clone(), cands[4].clone()]
        );
        assert_eq!(best_per_document(cands.clone(), 3, 10), cands);
        assert!(best_per_document(cands.clone(), 3, 0).is_empty());
        // Evidence below one exclusive fingerprint is not checked at add time.
        let weak = vec![c(1, 3, 40, s - 1)];
        assert!(best_per_document(weak, 3, 10).is_empty());
    }

    #[test]
    fn rarity_spreads_a_fingerprint_over_its_partners() {
        assert_eq!(rarity(2), RARITY_SCALE);
        assert_eq!(rarity(3), RARITY_SCALE / 2);
        assert_eq!(rarity(50), RARITY_SCALE / 49);
        assert_eq!(rarity(0), RARITY_SCALE);
    }
}
