//! Similar pairs: which documents reuse text of which, found without comparing all pairs.
//!
//! Input: the [`Ingested`] corpus (winnowed fingerprints of each distinct document) and [`PairParams`].
//! Output: [`Postings`] (the inverted index fingerprint → documents, also used for document
//! frequencies and queries) and [`Pair`]s: two documents, their scores, the reused passages (each with its
//! corpus document frequency and class), and whether the two are near-duplicates.
//!
//! How, one document A at a time (in parallel):
//! - **candidates**: the inverted index lists, for each fingerprint, the documents holding it. Only
//!   *rare* fingerprints (document frequency ≤ `df_cap`, default the boilerplate threshold) count: A's
//!   rare fingerprints list the later documents holding them, and each document B sharing at least
//!   `min_shared` of them is a candidate, with the list of shared fingerprints in hand. The work is
//!   Σ df over A's rare fingerprints, capped by `df_cap`, never the number of document pairs;
//! - **verification**: the shared fingerprints of a candidate are placed in both documents and
//!   clustered along the diagonal (a hit joins a cluster whose last hit is within [`CLUSTER_GAP`]
//!   sequence chars in both documents); each cluster of at least two hits, widened by [`MARGIN`] chars on
//!   both sides, is aligned with the reuse engine on the canonical sequences kept from ingest
//!   ([`crate::reuse::find_passages_in`]), so only the neighbourhood of shared text is aligned, not two
//!   whole reports, and no sequence is built twice; passages of different windows that cover the same
//!   text on either side keep the largest ([`crate::reuse::disjoint`]);
//! - **classes**: a passage's document frequency is the number of documents holding at least half of its
//!   fingerprints (the two documents included); it is boilerplate when that reaches the boilerplate
//!   threshold or when stock formulas cover half of it, otherwise distinctive;
//! - a pair is reported when it has a distinctive passage; two documents each covered for at least
//!   `near_duplicate` of their content chars are near-duplicates.

use rustc_hash::FxHashMap;
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use super::Progress;

use super::ingest::{Fingerprint, Ingested};
use crate::reuse::seq::Seq;
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
    /// `hashes[buckets[t]..buckets[t + 1]]` hold the hashes whose top [`BUCKET_BITS`] bits are `t`:
    /// the hashes are uniform, so a lookup searches a handful of entries instead of the whole array
    /// (one cache miss instead of twenty). Empty only for an empty index.
    #[serde(skip)]
    buckets: Vec<u32>,
}

/// Top bits of a hash that pick its bucket (a 4 MB table; about ten hashes a bucket at 10M hashes).
const BUCKET_BITS: u32 = 20;

fn bucket_of(hash: u64) -> usize {
    (hash >> (64 - BUCKET_BITS)) as usize
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
            buckets: Vec::new(),
        };
        for (h, d) in all {
            if p.hashes.last() != Some(&h) {
                p.hashes.push(h);
                p.offsets.push(p.docs.len() as u32);
            }
            p.docs.push(d);
        }
        p.offsets.push(p.docs.len() as u32);
        // Counts per bucket, then their running sum: where each bucket starts.
        let mut buckets = vec![0u32; (1 << BUCKET_BITS) + 1];
        for &h in &p.hashes {
            buckets[bucket_of(h) + 1] += 1;
        }
        for t in 1..buckets.len() {
            buckets[t] += buckets[t - 1];
        }
        p.buckets = buckets;
        p
    }

    /// Index of a hash, if present.
    pub fn find(&self, hash: u64) -> Option<usize> {
        let t = bucket_of(hash);
        let (lo, hi) = (
            *self.buckets.get(t)? as usize,
            *self.buckets.get(t + 1)? as usize,
        );
        self.hashes[lo..hi]
            .binary_search(&hash)
            .ok()
            .map(|i| lo + i)
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
        let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
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

/// One side of a comparison: a document's text, canonical sequence and fingerprints, each looked up in
/// the postings once.
pub struct Side<'a> {
    /// The file's text.
    pub text: &'a Text,
    /// The document's canonical sequence.
    pub seq: &'a Seq,
    /// Content chars of the document.
    pub content_chars: usize,
    /// Fingerprints in text order.
    pub fps: &'a [Fingerprint],
    /// `(posting index, fingerprint index)`, sorted (`u32::MAX` for hashes not in the postings).
    pub by_hash: Vec<(u32, u32)>,
    /// The posting index of each fingerprint, in text order (`u32::MAX`: not in the postings).
    pub posting: Vec<u32>,
}

impl<'a> Side<'a> {
    /// The side of a corpus document or of a query document, looked up in `postings`.
    pub fn new(
        text: &'a Text,
        seq: &'a Seq,
        content_chars: usize,
        fps: &'a [Fingerprint],
        postings: &Postings,
    ) -> Side<'a> {
        let posting: Vec<u32> = fps
            .iter()
            .map(|f| postings.find(f.hash).map_or(u32::MAX, |x| x as u32))
            .collect();
        let mut by_hash: Vec<(u32, u32)> = posting
            .iter()
            .enumerate()
            .map(|(i, &p)| (p, i as u32))
            .collect();
        by_hash.sort_unstable();
        Side {
            text,
            seq,
            content_chars,
            fps,
            by_hash,
            posting,
        }
    }

    /// The distinct posting indexes of the side's fingerprints, sorted.
    pub fn postings(&self) -> impl Iterator<Item = u32> + '_ {
        let mut last = u32::MAX;
        self.by_hash.iter().filter_map(move |&(i, _)| {
            let new = i != last && i != u32::MAX;
            last = i;
            new.then_some(i)
        })
    }

    /// Fingerprint indexes holding posting index `i`.
    fn holding(&self, i: u32) -> impl Iterator<Item = u32> + '_ {
        let from = self.by_hash.partition_point(|x| x.0 < i);
        self.by_hash[from..]
            .iter()
            .take_while(move |x| x.0 == i)
            .map(|x| x.1)
    }

    /// Posting indexes of the fingerprints inside the original `span`.
    fn postings_in(&self, span: Span) -> Vec<usize> {
        let s = self.fps.partition_point(|f| (f.pos as usize) < span.start);
        let e = s + self.fps[s..].partition_point(|f| (f.pos as usize) < span.end);
        self.posting[s..e]
            .iter()
            .filter(|&&p| p != u32::MAX)
            .map(|&p| p as usize)
            .collect()
    }
}

/// The rare fingerprints (posting indexes, document frequency ≤ `df_cap`) two sides share, sorted.
pub fn shared_rare(a: &Side, b: &Side, postings: &Postings, df_cap: usize) -> Vec<u32> {
    let (mut x, mut y) = (a.postings().peekable(), b.postings().peekable());
    let mut out = Vec::new();
    while let (Some(&i), Some(&j)) = (x.peek(), y.peek()) {
        match i.cmp(&j) {
            std::cmp::Ordering::Less => {
                x.next();
            }
            std::cmp::Ordering::Greater => {
                y.next();
            }
            std::cmp::Ordering::Equal => {
                if postings.df(i as usize) <= df_cap {
                    out.push(i);
                }
                x.next();
                y.next();
            }
        }
    }
    out
}

/// Aligns the neighbourhoods of the fingerprints two sides share (`shared`: posting indexes); `None`
/// when nothing is reused.
pub fn verify(
    a: &Side,
    b: &Side,
    shared: &[u32],
    postings: &Postings,
    boilerplate_df: usize,
    params: &ReuseParams,
) -> Option<(PairScores, Vec<Passage>)> {
    // Hits as (sequence index in B, in A); a hash repeated in a document pairs at most four of its
    // occurrences.
    let mut hits: Vec<(u32, u32)> = Vec::new();
    for &i in shared {
        for x in a.holding(i).take(4) {
            for y in b.holding(i).take(4) {
                hits.push((b.fps[y as usize].at, a.fps[x as usize].at));
            }
        }
    }
    if hits.is_empty() {
        return None;
    }
    hits.sort_unstable();
    // Clusters along the diagonal: a hit joins an open cluster whose last hit is near in both documents
    // (copied text keeps its order, so its hits advance together), else opens one. A cluster of one hit
    // (one 15-char run in common) is a formula, not a passage.
    let mut clusters: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for &(pb, pa) in &hits {
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
    let window =
        |lo: usize, hi: usize| lo.saturating_sub(MARGIN)..hi + super::ingest::SHINGLE * 2 + MARGIN;
    let mut windows: Vec<(Range<usize>, Range<usize>)> = clusters
        .iter()
        .filter(|c| c.len() >= 2)
        .map(|c| {
            let (b0, b1) = (c[0].0 as usize, c[c.len() - 1].0 as usize);
            let (a0, a1) = c.iter().fold((usize::MAX, 0), |(lo, hi), x| {
                (lo.min(x.1 as usize), hi.max(x.1 as usize))
            });
            (window(a0, a1), window(b0, b1))
        })
        .collect();
    windows.sort_by_key(|w| (w.1.start, w.0.start));
    // Overlapping windows (one region copied with a gap in its hits) are aligned once.
    let mut merged: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for w in windows {
        match merged.last_mut() {
            Some(m) if w.1.start < m.1.end && w.0.start < m.0.end && m.0.start < w.0.end => {
                m.0 = m.0.start.min(w.0.start)..m.0.end.max(w.0.end);
                m.1 = m.1.start.min(w.1.start)..m.1.end.max(w.1.end);
            }
            _ => merged.push(w),
        }
    }
    let mut passages: Vec<Passage> = Vec::new();
    for (wa, wb) in merged {
        for mut p in reuse::find_passages_in((a.text, a.seq, wa), (b.text, b.seq, wb), params) {
            let df = postings.phrase_df(&a.postings_in(p.a)).max(2);
            p.df = Some(df);
            if df >= boilerplate_df {
                p.class = PassageClass::Boilerplate;
            }
            passages.push(p);
        }
    }
    // Windows overlapping on one side only were aligned apart, so their passages may cover the same
    // text twice.
    let passages = reuse::disjoint(passages);
    if passages.is_empty() {
        return None;
    }
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
        shared_fingerprints: shared.len(),
    };
    Some((scores, passages))
}

/// The side of corpus document `d`.
pub fn side<'a>(corpus: &'a Ingested, postings: &Postings, d: u32) -> Side<'a> {
    let rec = &corpus.docs[d as usize];
    let feat = &corpus.features[d as usize];
    Side::new(
        corpus.text(d),
        &feat.seq,
        rec.content_chars,
        &feat.fingerprints,
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
    let docs: Vec<u32> = corpus.distinct().collect();
    progress.start("pairs", docs.len() as u64);
    // Each document's side once (a document is in many candidates).
    let mut sides: Vec<Option<Side>> = (0..corpus.docs.len()).map(|_| None).collect();
    let built: Vec<(u32, Side)> = docs
        .par_iter()
        .map(|&d| (d, side(corpus, postings, d)))
        .collect();
    for (d, s) in built {
        sides[d as usize] = Some(s);
    }
    let pairs: Vec<Pair> = docs
        .par_iter()
        .flat_map_iter(|&a| {
            let sa = sides[a as usize]
                .as_ref()
                .expect("a side per distinct document");
            // (B, shared posting index) for every later document holding one of A's rare fingerprints.
            let mut hits: Vec<(u32, u32)> = Vec::new();
            for i in sa.postings() {
                let ds = postings.docs_of(i as usize);
                if ds.len() < 2 || ds.len() > df_cap {
                    continue;
                }
                let from = ds.partition_point(|&d| d <= a);
                hits.extend(ds[from..].iter().map(|&b| (b, i)));
            }
            hits.sort_unstable();
            let mut found = Vec::new();
            for group in hits.chunk_by(|x, y| x.0 == y.0) {
                if group.len() < params.min_shared {
                    continue;
                }
                let b = group[0].0;
                let Some(sb) = sides[b as usize].as_ref() else {
                    continue;
                };
                let shared: Vec<u32> = group.iter().map(|x| x.1).collect();
                let Some((scores, passages)) =
                    verify(sa, sb, &shared, postings, boilerplate_df, &params.reuse)
                else {
                    continue;
                };
                let near = scores.a_in_b >= params.near_duplicate
                    && scores.b_in_a >= params.near_duplicate;
                if near || scores.distinctive_chars > 0 {
                    found.push(Pair {
                        a,
                        b,
                        scores,
                        passages,
                        near_duplicate: near,
                    });
                }
            }
            progress.inc(1);
            found
        })
        .collect();
    progress.finish();
    pairs
}
