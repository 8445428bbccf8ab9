//! Query: which documents of an analysed corpus a new speech draws from.
//!
//! Input: an [`Analysis`] and the query file's decoded [`Text`]. Output: [`QueryMatch`]es, one per corpus
//! document the query reuses, each with its passages and its date's [`Relation`] to the query's, plus the
//! corpus formulas the query holds. Documents that can be sources come first (dated before the query, or
//! with no date to tell), then the later ones, which share its text but cannot be where it came from (the
//! next year's report of the same place); within each group the larger distinctive reuse ranks first.
//!
//! How: the query is reduced like a corpus document (sequence, winnowed fingerprints); its rare fingerprints
//! (document frequency in the corpus ≤ the boilerplate threshold) vote for corpus documents through the
//! postings, and every document with at least `min_shared` votes is verified with the reuse engine exactly
//! like a corpus pair ([`super::pairs::verify`]). Formulas are found by keying the query's n-grams as
//! each formula is keyed ([`crate::fingerprint::rolling_key`]) and looking the keys up.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::Analysis;
use super::ingest::{Ingested, ingest_texts};
use super::pairs::{PairScores, Side, shared_rare, side, verify};
use crate::document::Relation;
use crate::fingerprint::ROLLING_BASE;
use crate::reuse::{Passage, ReuseParams};
use crate::text::{Span, Text};

/// A corpus document the query draws from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueryMatch {
    /// The corpus document.
    pub doc: u32,
    /// Its date against the query's.
    pub relation: Relation,
    /// Scores with the corpus document as A and the query as B.
    pub scores: PairScores,
    /// Passages (A: corpus document, B: query).
    pub passages: Vec<Passage>,
}

/// A corpus formula found in the query.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueryFormula {
    /// Formula id.
    pub formula: u32,
    /// Where it is in the query.
    pub span: Span,
}

/// The answer to a query.
#[derive(Debug)]
pub struct QueryResult {
    /// The query, reduced.
    pub query: Ingested,
    /// Matches, best first.
    pub matches: Vec<QueryMatch>,
    /// Formulas of the corpus in the query, in text order.
    pub formulas: Vec<QueryFormula>,
}

/// Ranks the corpus documents the query draws from.
pub fn query(
    analysis: &Analysis,
    text: Text,
    min_shared: usize,
    params: &ReuseParams,
) -> QueryResult {
    let q = ingest_texts(vec![text], None);
    let cap = analysis.boilerplate_df;
    let postings = &analysis.postings;
    let mut matches: Vec<QueryMatch> = Vec::new();
    let mut formulas = Vec::new();
    let keys: HashMap<u64, u32> = analysis.formulas.iter().map(|f| (f.key, f.id)).collect();
    let longest = analysis.formulas.iter().map(|f| f.chars).max().unwrap_or(0);
    for d in 0..q.docs.len() {
        let rec = &q.docs[d];
        let feat = &q.features[d];
        let qs = Side::new(
            &q.texts[0],
            &feat.seq,
            rec.content_chars,
            &feat.fingerprints,
            postings,
        );
        let mut votes: HashMap<u32, usize> = HashMap::new();
        for i in qs.postings() {
            if postings.df(i as usize) <= cap {
                for &c in postings.docs_of(i as usize) {
                    *votes.entry(c).or_default() += 1;
                }
            }
        }
        let cands: Vec<u32> = votes
            .into_iter()
            .filter(|&(_, v)| v >= min_shared)
            .map(|(c, _)| c)
            .collect();
        let found: Vec<QueryMatch> = cands
            .par_iter()
            .filter_map(|&c| {
                let cs = side(&analysis.corpus, postings, c);
                let shared = shared_rare(&cs, &qs, postings, cap);
                let (scores, passages) = verify(&cs, &qs, &shared, postings, cap, params)?;
                let date = analysis.corpus.docs[c as usize].date.as_deref();
                Some(QueryMatch {
                    doc: c,
                    relation: Relation::of(date, rec.date.as_deref()),
                    scores,
                    passages,
                })
            })
            .collect();
        matches.extend(found);
        // Formulas: the query's n-grams keyed as the miner keys them.
        let (c, seq) = (&feat.seq.chars, &feat.seq);
        for p in 0..c.len() {
            let mut h = 0u64;
            for n in 1..=longest.min(c.len() - p) {
                h = h
                    .wrapping_mul(ROLLING_BASE)
                    .wrapping_add(c[p + n - 1] as u64 + 1);
                if let Some(&f) = keys.get(&h)
                    && analysis.formulas[f as usize].chars == n
                {
                    formulas.push(QueryFormula {
                        formula: f,
                        span: seq.to_original(p, p + n),
                    });
                }
            }
        }
    }
    matches.sort_by(|x, y| {
        (x.relation == Relation::Later)
            .cmp(&(y.relation == Relation::Later))
            .then(y.scores.distinctive_chars.cmp(&x.scores.distinctive_chars))
            .then(y.scores.b_in_a.total_cmp(&x.scores.b_in_a))
            .then(x.doc.cmp(&y.doc))
    });
    formulas.sort_by_key(|f| (f.span.start, f.span.end, f.formula));
    QueryResult {
        query: q,
        matches,
        formulas,
    }
}
