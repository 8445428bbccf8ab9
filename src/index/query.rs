//! What does a new speech draw from? Ranked indexed documents with the passages it shares with each,
//! answered from the index alone (the corpus files are not read).
//!
//! Input: an open [`Index`], the new text, [`QueryOptions`]. Output: [`QueryHit`]s, best first.
//!
//! How: the text's winnowed fingerprints are looked up in the postings (one indexed lookup each;
//! fingerprints held by more than `max_bucket` documents are boilerplate and skipped); the documents
//! sharing at least `min_shared` fingerprints are ranked by those fingerprints weighted by rarity
//! ([`super::candidates::rarity`], as at add time), then by their count; the best `verify` of them are
//! decompressed from the index and verified with the reuse engine in parallel; the verified ones are
//! ranked by the share of the new text they cover (`scores.b_in_a`), then by shared fingerprints, with
//! the documents dated after the new text last ([`Relation::Later`]: they share its text but cannot be
//! its sources). Dates follow the document stage's rule ([`crate::document::Document::iso_date`]).

use std::collections::HashMap;

use rayon::prelude::*;
use rusqlite::params;
use serde::Serialize;

use super::candidates::rarity;
use super::{CandidateParams, DocumentRecord, Index, load_texts, shingles, verify_texts};
use crate::document::{Relation, split_documents};
use crate::error::Result;
use crate::reuse::{Passage, ReuseParams, Scores};
use crate::segment::Segments;
use crate::text::{Span, Text};

/// Options of [`Index::query`].
#[derive(Clone, Debug)]
pub struct QueryOptions {
    /// Documents returned at most.
    pub top: usize,
    /// Candidates verified at most (the best by shared fingerprints).
    pub verify: usize,
    /// Bucket cap and minimum shared fingerprints.
    pub candidates: CandidateParams,
    /// Reuse engine tuning.
    pub reuse: ReuseParams,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            top: 10,
            verify: 30,
            candidates: CandidateParams::default(),
            reuse: ReuseParams::default(),
        }
    }
}

/// One passage of a hit, with its text on both sides.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HitPassage {
    /// The passage (`a`: span in the indexed file's text; `b`: span in the query text).
    #[serde(flatten)]
    pub passage: Passage,
    /// The indexed document's side.
    pub a_text: String,
    /// The query's side.
    pub b_text: String,
}

/// One indexed document the query draws from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueryHit {
    /// The document.
    pub document: DocumentRecord,
    /// Its date against the query's.
    pub relation: Relation,
    /// Fingerprints shared with the query (buckets within the cap).
    pub shared: usize,
    /// Reuse scores (A = the indexed document, B = the query).
    pub scores: Scores,
    /// Reused passages, in query order.
    pub passages: Vec<HitPassage>,
}

impl Index {
    /// The indexed documents `text` draws from, best first.
    pub fn query(&self, text: &Text, options: &QueryOptions) -> Result<Vec<QueryHit>> {
        let fps = shingles::fingerprints(&shingles::canonical(text), self.shingle);
        let cap = options.candidates.max_bucket;
        let mut counts: HashMap<i64, (usize, u64)> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT doc_id FROM shingles WHERE hash = ?1 LIMIT ?2")
                .map_err(self.sql())?;
            let mut bucket = Vec::new();
            for h in &fps {
                bucket.clear();
                let mut rows = stmt.query(params![h, cap as i64 + 1]).map_err(self.sql())?;
                while let Some(r) = rows.next().map_err(self.sql())? {
                    bucket.push(r.get::<_, i64>(0).map_err(self.sql())?);
                }
                if bucket.len() <= cap {
                    // The query is one more holder of the fingerprint.
                    let w = rarity(bucket.len() + 1);
                    for &d in &bucket {
                        let e = counts.entry(d).or_default();
                        e.0 += 1;
                        e.1 += w;
                    }
                }
            }
        }
        let mut ranked: Vec<(i64, (usize, u64))> = counts
            .into_iter()
            .filter(|&(_, (n, _))| n >= options.candidates.min_shared.max(1))
            .collect();
        ranked.sort_unstable_by(|x, y| (y.1.1, y.1.0, x.0).cmp(&(x.1.1, x.1.0, y.0)));
        ranked.truncate(options.verify.max(options.top));
        let ids: Vec<i64> = ranked.iter().map(|r| r.0).collect();
        let docs = load_texts(&self.conn, &ids).map_err(self.sql())?;
        let query_date = iso_date(text);
        let shared: HashMap<i64, usize> = ranked.into_iter().map(|(d, (n, _))| (d, n)).collect();
        let mut hits: Vec<QueryHit> = docs
            .into_par_iter()
            .filter_map(|(id, (rec, doc_text))| {
                let r = verify_texts(&doc_text, text, &options.reuse);
                if r.passages.is_empty() {
                    return None;
                }
                let offset = rec.span.start;
                let passages = r
                    .passages
                    .into_iter()
                    .map(|mut p| {
                        let a_text = doc_text.slice(p.a).to_string();
                        let b_text = text.slice(p.b).to_string();
                        p.a = Span::new(p.a.start + offset, p.a.end + offset);
                        HitPassage {
                            passage: p,
                            a_text,
                            b_text,
                        }
                    })
                    .collect();
                let date = iso_date(&doc_text);
                Some(QueryHit {
                    relation: Relation::of(date.as_deref(), query_date.as_deref()),
                    shared: shared.get(&id).copied().unwrap_or(0),
                    document: rec,
                    scores: r.scores,
                    passages,
                })
            })
            .collect();
        hits.sort_by(|x, y| {
            (x.relation == Relation::Later)
                .cmp(&(y.relation == Relation::Later))
                .then(y.scores.b_in_a.total_cmp(&x.scores.b_in_a))
                .then(y.shared.cmp(&x.shared))
                .then(x.document.id.cmp(&y.document.id))
        });
        hits.truncate(options.top);
        Ok(hits)
    }
}

/// The date of the first document of a text (header, subtitle, else its file name).
fn iso_date(text: &Text) -> Option<String> {
    let path = text.path().display().to_string();
    split_documents(text, &Segments::new(text))
        .first()
        .and_then(|d| d.iso_date(&path))
}
