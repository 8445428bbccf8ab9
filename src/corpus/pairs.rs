//! Similar pairs: which documents reuse text of which, found without comparing all pairs.
//!
//! Input: the [`Ingested`] corpus (winnowed fingerprints of each distinct document) and [`PairParams`].
//! Output: [`Postings`] (the inverted index fingerprint → documents, also used for document
//! frequencies and queries) and [`Pair`]s: two documents, their scores, the reused passages (each with its
//! corpus document frequency and class), and whether the two are near-duplicates.
//!
//! How:
//! - **candidates**: the inverted index lists, for each fingerprint, the documents holding it. Only
//!   *rare* fingerprints (document frequency ≤ `df_cap`, default the boilerplate threshold) vote: for each
//!   document, the documents sharing its rare fingerprints are counted in a dense array (per thread), and
//!   those sharing at least `min_shared` become candidates. The work is Σ df² over rare fingerprints, capped
//!   by `df_cap`, never the number of document pairs;
//! - **verification**: the shared rare fingerprints of a candidate are clustered along the diagonal (a
//!   hit joins a cluster whose last hit is within [`CLUSTER_GAP`] chars in both documents); each cluster
//!   of at least two hits, widened by [`MARGIN`] chars on both sides, is aligned with the reuse engine ([`crate::reuse::find_passages`]), so only the
//!   neighbourhood of shared text is aligned, not two whole reports;
//! - **classes**: a passage's document frequency is the number of documents holding at least half of its
//!   fingerprints (the two documents included); it is boilerplate when that reaches the boilerplate
//!   threshold or when stock formulas cover half of it, otherwise distinctive;
//! - a pair is reported when it has a distinctive passage; two documents each covered for at least
//!   `near_duplicate` of their content chars are near-duplicates.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::Progress;
use super::ingest::{Fingerprint, Ingested};
use crate::reuse::{self, Passage, PassageClass, ReuseParams};
use crate::text::{Span, Text};

/// Shared fingerprints further apart than this (chars) start a new cluster.
pub const CLUSTER_GAP: usize = 400;
/// Chars added on each side of a cluster before alignment.
pub const MARGIN: usize = 150;

/// Tuning of pair finding.
#[derive(Clone, Debug, PartialEq)]
pub struct PairParams {
    /// Minimum number of shared rare fingerprints for a candidate.
    pub min_shared: usize,
    /// Fingerprints in more documents than this do not vote (default: the boilerplate threshold).
    pub df_cap: Option<usize>,
    /// Document frequency from which a passage is boilerplate (default: the formulas' threshold).
    pub boilerplate_df: Option<usize>,
    /// Share of both documents covered from which a pair is a near-duplicate.
    pub near_duplicate: f64,
    /// The reuse engine's parameters.
    pub reuse: ReuseParams,
}

impl Default for PairParams {
    fn default() -> Self {
        PairParams {
            min_shared: 2,
            df_cap: None,
            boilerplate_df: None,
            near_duplicate: 0.9,
            reuse: ReuseParams::default(),
        }
    }
}

/// The inverted index: each distinct fingerprint hash and the documents holding it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Postings {
    /// Distinct fingerprint hashes, sorted.
    pub hashes: Vec<u64>,
    /// `docs[offsets[i]..offsets[i + 1]]` hold `hashes[i]` (sorted, distinct).
    pub offsets: Vec<u32>,
    /// Document ids.
    pub docs: Vec<u32>,
}

impl Postings {
    /// Builds the index over the distinct documents.
    pub fn build(corpus: &Ingested) -> Postings {
        let mut all: Vec<(u64, u32)> = corpus
            .distinct()
            .collect::<Vec<_>>()
            .par_iter()
            .flat_map_iter(|&d| {
                let mut h: Vec<u64> = corpus.features[d as usize]
                    .fingerprints
                    .iter()
                    .map(|f| f.hash)
                    .collect();
                h.sort_unstable();
                h.dedup();
                h.into_iter().map(move |h| (h, d))
            })
            .collect();
        all.par_sort_unstable();
        let mut p = Postings {
            hashes: Vec::new(),
            offsets: Vec::new(),
            docs: Vec::with_capacity(all.len()),
        };
        for (h, d) in all {
            if p.hashes.last() != Some(&h) {
                p.hashes.push(h);
                p.offsets.push(p.docs.len() as u32);
            }
            p.docs.push(d);
        }
        p.offsets.push(p.docs.len() as u32);
        p
    }

    /// Index of a hash, if present.
    pub fn find(&self, hash: u64) -> Option<usize> {
        self.hashes.binary_search(&hash).ok()
    }

    /// Documents holding the hash at index `i`.
    pub fn docs_of(&self, i: usize) -> &[u32] {
        &self.docs[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// Document frequency of the hash at index `i`.
    pub fn df(&self, i: usize) -> usize {
        (self.offsets[i + 1] - self.offsets[i]) as usize
    }

    /// Number of documents holding at least half of the fingerprints of `fps` (hash indexes).
    pub fn phrase_df(&self, fps: &[usize]) -> usize {
        if fps.is_empty() {
            return 0;
        }
        let mut counts: HashMap<u32, u32> = HashMap::new();
        for &i in fps {
            for &d in self.docs_of(i) {
                *counts.entry(d).or_default() += 1;
            }
        }
        counts
            .values()
            .filter(|&&c| 2 * c as usize >= fps.len())
            .count()
    }
}

/// Scores of a pair, shares of content chars in `[0, 1]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct PairScores {
    /// Share of A covered by passages.
    pub a_in_b: f64,
    /// Share of B covered by passages.
    pub b_in_a: f64,
    /// The larger side's share covered by distinctive passages (the copy score).
    pub distinctive: f64,
    /// The larger side's share covered by boilerplate passages.
    pub boilerplate: f64,
    /// Content chars of B in distinctive passages.
    pub distinctive_chars: usize,
    /// Rare fingerprints the two share.
    pub shared_fingerprints: usize,
}

/// Two documents that share text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pair {
    /// The first document (lower id).
    pub a: u32,
    /// The second document.
    pub b: u32,
    /// Scores.
    pub scores: PairScores,
    /// Passages in B order (spans in each document's file).
    pub passages: Vec<Passage>,
    /// Whether the two are near-duplicates.
    pub near_duplicate: bool,
}

/// One side of a comparison: a document's text, span and fingerprints.
pub struct Side<'a> {
    /// The file's text.
    pub text: &'a Text,
    /// The document's span.
    pub span: Span,
    /// Content chars of the document.
    pub content_chars: usize,
    /// `(hash index, pos)`, sorted by hash index (`usize::MAX` index for hashes not in the index).
    pub by_hash: Vec<(usize, u32)>,
    /// Fingerprints in text order, with their hash index.
    pub by_pos: Vec<(u32, usize)>,
}

impl<'a> Side<'a> {
    /// The side of a corpus document or of a query document, looked up in `postings`.
    pub fn new(
        text: &'a Text,
        span: Span,
        content_chars: usize,
        fps: &[Fingerprint],
        postings: &Postings,
    ) -> Side<'a> {
        let by_pos: Vec<(u32, usize)> = fps
            .iter()
            .map(|f| (f.pos, postings.find(f.hash).unwrap_or(usize::MAX)))
            .collect();
        let mut by_hash: Vec<(usize, u32)> = by_pos.iter().map(|&(p, i)| (i, p)).collect();
        by_hash.sort_unstable();
        Side {
            text,
            span,
            content_chars,
            by_hash,
            by_pos,
        }
    }

    /// Hash indexes of the fingerprints inside `span`.
    fn fps_in(&self, span: Span) -> Vec<usize> {
        let s = self.by_pos.partition_point(|x| (x.0 as usize) < span.start);
        self.by_pos[s..]
            .iter()
            .take_while(|x| (x.0 as usize) < span.end)
            .map(|x| x.1)
            .filter(|&i| i != usize::MAX)
            .collect()
    }
}

/// Candidate pairs `(a, b, shared rare fingerprints)` with `a < b`.
pub fn candidates(
    corpus: &Ingested,
    postings: &Postings,
    min_shared: usize,
    df_cap: usize,
    progress: &dyn Progress,
) -> Vec<(u32, u32, u32)> {
    let n = corpus.docs.len();
    let docs: Vec<u32> = corpus.distinct().collect();
    progress.start("candidates", docs.len() as u64);
    let mut out: Vec<(u32, u32, u32)> = docs
        .par_iter()
        .map_init(
            || (vec![0u32; n], Vec::<u32>::new()),
            |(counts, touched), &a| {
                let mut idx: Vec<usize> = corpus.features[a as usize]
                    .fingerprints
                    .iter()
                    .filter_map(|f| postings.find(f.hash))
                    .collect();
                idx.sort_unstable();
                idx.dedup();
                for i in idx {
                    let ds = postings.docs_of(i);
                    if ds.len() < 2 || ds.len() > df_cap {
                        continue;
                    }
                    let from = ds.partition_point(|&d| d <= a);
                    for &b in &ds[from..] {
                        if counts[b as usize] == 0 {
                            touched.push(b);
                        }
                        counts[b as usize] += 1;
                    }
                }
                let mut found = Vec::new();
                for &b in touched.iter() {
                    let c = counts[b as usize];
                    if c as usize >= min_shared {
                        found.push((a, b, c));
                    }
                    counts[b as usize] = 0;
                }
                touched.clear();
                progress.inc(1);
                found
            },
        )
        .flatten()
        .collect();
    progress.finish();
    out.par_sort_unstable();
    out
}

/// Aligns the neighbourhoods of the rare fingerprints two sides share; `None` when nothing is reused.
pub fn verify(
    a: &Side,
    b: &Side,
    postings: &Postings,
    df_cap: usize,
    boilerplate_df: usize,
    params: &ReuseParams,
) -> Option<(PairScores, Vec<Passage>)> {
    // Shared rare fingerprints, as (pos in B, pos in A); a hash repeated in a document pairs at most
    // four of its occurrences.
    let mut shared: Vec<(u32, u32)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut count = 0usize;
    while i < a.by_hash.len() && j < b.by_hash.len() {
        let (ha, hb) = (a.by_hash[i].0, b.by_hash[j].0);
        if ha < hb {
            i += 1;
        } else if hb < ha {
            j += 1;
        } else {
            let i1 = i + a.by_hash[i..].iter().take_while(|x| x.0 == ha).count();
            let j1 = j + b.by_hash[j..].iter().take_while(|x| x.0 == hb).count();
            if ha != usize::MAX && postings.df(ha) <= df_cap {
                count += 1;
                for x in &a.by_hash[i..i1.min(i + 4)] {
                    for y in &b.by_hash[j..j1.min(j + 4)] {
                        shared.push((y.1, x.1));
                    }
                }
            }
            i = i1;
            j = j1;
        }
    }
    if shared.is_empty() {
        return None;
    }
    shared.sort_unstable();
    // Clusters along the diagonal: a hit joins an open cluster whose last hit is near in both documents
    // (copied text keeps its order, so its hits advance together), else opens one. A cluster of one hit
    // (one 15-char run in common) is a formula, not a passage.
    let mut clusters: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for &(pb, pa) in &shared {
        open.retain(|&c| {
            let last = *clusters[c].last().expect("clusters are never empty");
            (pb - last.0) as usize <= CLUSTER_GAP
        });
        let near = open.iter().copied().find(|&c| {
            let last = *clusters[c].last().expect("clusters are never empty");
            (pa as i64 - last.1 as i64).unsigned_abs() as usize <= CLUSTER_GAP
        });
        match near {
            Some(c) => clusters[c].push((pb, pa)),
            None => {
                clusters.push(vec![(pb, pa)]);
                open.push(clusters.len() - 1);
            }
        }
    }
    let clip = |s: Span, lo: usize, hi: usize| {
        Span::new(
            lo.saturating_sub(MARGIN).max(s.start),
            (hi + super::ingest::SHINGLE * 2 + MARGIN).min(s.end),
        )
    };
    let mut windows: Vec<(Span, Span)> = clusters
        .iter()
        .filter(|c| c.len() >= 2)
        .map(|c| {
            let (b0, b1) = (c[0].0 as usize, c[c.len() - 1].0 as usize);
            let (a0, a1) = c.iter().fold((usize::MAX, 0), |(lo, hi), x| {
                (lo.min(x.1 as usize), hi.max(x.1 as usize))
            });
            (clip(a.span, a0, a1), clip(b.span, b0, b1))
        })
        .collect();
    windows.sort_by_key(|w| (w.1.start, w.0.start));
    // Overlapping windows (one region copied with a gap in its hits) are aligned once.
    let mut merged: Vec<(Span, Span)> = Vec::new();
    for w in windows {
        match merged.last_mut() {
            Some(m) if w.1.start < m.1.end && w.0.start < m.0.end && m.0.start < w.0.end => {
                *m = (m.0.cover(&w.0), m.1.cover(&w.1));
            }
            _ => merged.push(w),
        }
    }
    let windows = merged;
    let mut passages: Vec<Passage> = Vec::new();
    for (wa, wb) in windows {
        for mut p in reuse::find_passages(a.text, wa, b.text, wb, params) {
            let fps = a.fps_in(p.a);
            let df = postings.phrase_df(&fps).max(2);
            p.df = Some(df);
            if df >= boilerplate_df {
                p.class = PassageClass::Boilerplate;
            }
            passages.push(p);
        }
    }
    if passages.is_empty() {
        return None;
    }
    passages.sort_by_key(|p| (p.b.start, p.a.start));
    let covered = |side_a: bool, class: Option<PassageClass>| -> usize {
        let mut spans: Vec<(usize, usize, usize)> = passages
            .iter()
            .filter(|p| class.is_none_or(|c| p.class == c))
            .map(|p| {
                if side_a {
                    (p.a.start, p.a.end, p.a_chars)
                } else {
                    (p.b.start, p.b.end, p.b_chars)
                }
            })
            .collect();
        spans.sort_unstable();
        let (mut total, mut end) = (0usize, 0usize);
        for (s, e, c) in spans {
            if e <= end {
                continue;
            }
            // A partly overlapping passage counts for its share beyond the covered end.
            total += if s >= end {
                c
            } else {
                c * (e - end) / (e - s).max(1)
            };
            end = e;
        }
        total
    };
    let share = |chars: usize, len: usize| {
        if len == 0 {
            0.0
        } else {
            ((chars as f64 / len as f64).min(1.0) * 1000.0).round() / 1000.0
        }
    };
    let (la, lb) = (a.content_chars, b.content_chars);
    let dist_b = covered(false, Some(PassageClass::Distinctive));
    let scores = PairScores {
        a_in_b: share(covered(true, None), la),
        b_in_a: share(covered(false, None), lb),
        distinctive: share(covered(true, Some(PassageClass::Distinctive)), la)
            .max(share(dist_b, lb)),
        boilerplate: share(covered(true, Some(PassageClass::Boilerplate)), la)
            .max(share(covered(false, Some(PassageClass::Boilerplate)), lb)),
        distinctive_chars: dist_b,
        shared_fingerprints: count,
    };
    Some((scores, passages))
}

/// The side of corpus document `d`.
pub fn side<'a>(corpus: &'a Ingested, postings: &Postings, d: u32) -> Side<'a> {
    let rec = &corpus.docs[d as usize];
    Side::new(
        corpus.text(d),
        rec.span,
        rec.content_chars,
        &corpus.features[d as usize].fingerprints,
        postings,
    )
}

/// Finds and verifies the similar pairs of the corpus. Pairs whose passages are all boilerplate are not
/// returned.
pub fn find_pairs(
    corpus: &Ingested,
    postings: &Postings,
    params: &PairParams,
    boilerplate_df: usize,
    progress: &dyn Progress,
) -> Vec<Pair> {
    let df_cap = params.df_cap.unwrap_or(boilerplate_df);
    let cands = candidates(corpus, postings, params.min_shared, df_cap, progress);
    progress.start("verifying pairs", cands.len() as u64);
    // Each document's side once (a document is in many candidates), only for those in a candidate.
    let mut wanted = vec![false; corpus.docs.len()];
    for &(a, b, _) in &cands {
        wanted[a as usize] = true;
        wanted[b as usize] = true;
    }
    let sides: Vec<Option<Side>> = wanted
        .par_iter()
        .enumerate()
        .map(|(d, &w)| w.then(|| side(corpus, postings, d as u32)))
        .collect();
    let pairs: Vec<Pair> = cands
        .par_iter()
        .filter_map(|&(a, b, _)| {
            let (sa, sb) = (sides[a as usize].as_ref()?, sides[b as usize].as_ref()?);
            let r = verify(sa, sb, postings, df_cap, boilerplate_df, &params.reuse);
            progress.inc(1);
            let (scores, passages) = r?;
            let near =
                scores.a_in_b >= params.near_duplicate && scores.b_in_a >= params.near_duplicate;
            (near || scores.distinctive_chars > 0).then_some(Pair {
                a,
                b,
                scores,
                passages,
                near_duplicate: near,
            })
        })
        .collect();
    progress.finish();
    pairs
}
