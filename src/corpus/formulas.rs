//! Shared formulas: the maximal clause-aligned phrases that at least `min_docs` documents share.
//!
//! Input: the [`Ingested`] corpus (clause units of each distinct document) and [`FormulaParams`].
//! Output: [`Formula`]s: text (as written in its first occurrence), document frequency, occurrences with
//! spans, the pattern family of a pattern hit covering it, and its class ([`FormulaClass`]).
//!
//! How (rolling-hash n-grams over the canonical sequence, extended level by level, Apriori-style):
//! - a document is its canonical sequence (content chars; width, digits and synonyms folded; a mask one
//!   wildcard char that matches masks);
//! - level `min_len` hashes every `min_len`-gram with a polynomial rolling hash and counts document
//!   frequencies in eight shards of the hash space (memory holds one shard); level n+1 only looks at
//!   positions where the n-grams at `p` and `p+1` are both shared, and extends the hash by one char. The
//!   work is the number of shared n-gram positions summed over n (n ≤ `max_len`), never pairs of documents;
//! - an n-gram is *maximal* when no one-char extension to the left or right has the same document
//!   frequency (the same document set: every document holding the extension holds the n-gram), i.e. it is
//!   not contained in a longer phrase with the same documents;
//! - a maximal n-gram is a formula when it is *clause-aligned*: some occurrence starts or ends on a
//!   clause or quotation boundary (punctuation or a line break in the original), which drops fragments cut
//!   out of the middle of clauses everywhere.
//!
//! Class: **boilerplate** when the phrase is a built-in stock formula (`reuse/formulas.txt` covers half
//! of it) or its document frequency reaches [`BOILERPLATE_DF`] (10 documents); otherwise **lineage**.
//! Why a fixed 10 and not a share of the corpus: a lineage — a series' consecutive years, a province and
//! its cities in one year — spans a handful of documents whatever the size of the corpus it sits in (the
//! local reports have about ten years per locality in a row and a province a dozen cities), while a
//! phrase that ten unrelated documents use is the genre's stock. A threshold that grew with the corpus
//! (it was 2 %) made a phrase in 150 of 10,000 reports "lineage" and linked every pair of them.

// Keys are already hashes: Fx mixes them in one multiply where SipHash costs most of the mining time.
use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::Progress;
use super::ingest::Ingested;
use crate::SpeechFile;
use crate::patterns::PatternSet;
use crate::reuse::formula::formula_share;
use crate::reuse::seq::Seq;
use crate::text::{Encoding, Span, Text};

/// Tuning of the formula miner.
#[derive(Clone, Debug, PartialEq)]
pub struct FormulaParams {
    /// Minimum number of documents sharing a formula.
    pub min_docs: usize,
    /// Minimum length in content chars.
    pub min_len: usize,
    /// Maximum length in content chars: longer shared text is a passage, reported with the pairs.
    pub max_len: usize,
    /// Document frequency from which a formula is boilerplate (default [`BOILERPLATE_DF`]).
    pub boilerplate_df: Option<usize>,
}

impl Default for FormulaParams {
    fn default() -> Self {
        FormulaParams {
            min_docs: 2,
            min_len: 8,
            max_len: 64,
            boilerplate_df: None,
        }
    }
}

/// The default document frequency from which a formula or passage is boilerplate (see the module doc).
pub const BOILERPLATE_DF: usize = 10;

/// Whether a formula marks a lineage or is stock text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum FormulaClass {
    /// Shared by a few documents: a series, a province and its cities, a copy.
    Lineage,
    /// A stock formula of the genre.
    Boilerplate,
}

impl FormulaClass {
    /// `"lineage"` or `"boilerplate"`.
    pub fn as_str(self) -> &'static str {
        match self {
            FormulaClass::Lineage => "lineage",
            FormulaClass::Boilerplate => "boilerplate",
        }
    }
}

/// One occurrence of a formula.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    /// The document.
    pub doc: u32,
    /// Where it is in the document's file (original chars).
    pub span: Span,
}

/// A shared formula.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Formula {
    /// Formula id (0-based, in output order: boilerplate and lineage mixed, by df then length).
    pub id: u32,
    /// The phrase as written at its first occurrence.
    pub text: String,
    /// Number of distinct documents holding it.
    pub df: usize,
    /// Content chars.
    pub chars: usize,
    /// Lineage or boilerplate.
    pub class: FormulaClass,
    /// Pattern family of a pattern hit covering half of its text (matched on the formula alone), if any.
    pub family: Option<&'static str>,
    /// Every occurrence, in document order.
    pub occurrences: Vec<Occurrence>,
    /// Stable content hash of the phrase (xxh3-64 of its canonical chars).
    pub hash: u64,
    /// The miner's rolling key of the phrase ([`rolling_key`] of its canonical chars), for lookups.
    #[serde(skip)]
    pub key: u64,
}

/// Base of the polynomial rolling hash of n-grams (odd, so every char matters modulo 2^64).
pub const BASE: u64 = 0x100_0000_01b3;

/// Polynomial hash of a char run, as the miner chains it: `h(s + c) = h(s)·BASE + c`.
pub fn rolling_key(chars: &[char]) -> u64 {
    chars.iter().fold(0u64, |h, &c| {
        h.wrapping_mul(BASE).wrapping_add(c as u64 + 1)
    })
}

/// Mines the shared formulas of the distinct documents.
pub fn mine(corpus: &Ingested, params: &FormulaParams, progress: &dyn Progress) -> Vec<Formula> {
    let min_docs = params.min_docs.max(2) as u32;
    let k = params.min_len.max(1);
    let max_len = params.max_len.max(k);
    let docs: Vec<u32> = corpus.distinct().collect();
    let threshold = params.boilerplate_df.unwrap_or(BOILERPLATE_DF);
    let chars = |slot: u32| &corpus.features[docs[slot as usize] as usize].chars;
    progress.start("formulas", (max_len - k + 1) as u64);
    // Level k: every k-gram by rolling hash. Document frequencies are counted in shards of the hash
    // space (a sorted list per shard), so memory holds one shard's k-grams, not the corpus's.
    let top = (0..k - 1).fold(1u64, |x, _| x.wrapping_mul(BASE));
    let grams = |slot: u32, f: &mut dyn FnMut(u32, u64)| {
        let c = chars(slot);
        if c.len() < k {
            return;
        }
        let mut h = rolling_key(&c[..k]);
        f(0, h);
        for p in 1..=c.len() - k {
            h = h
                .wrapping_sub((c[p - 1] as u64 + 1).wrapping_mul(top))
                .wrapping_mul(BASE)
                .wrapping_add(c[p + k - 1] as u64 + 1);
            f(p as u32, h);
        }
    };
    let shard_of = |h: u64| (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 61) as usize;
    let mut df: HashMap<u64, u32> = HashMap::default();
    for shard in 0..8 {
        let mut list: Vec<(u64, u32)> = (0..docs.len() as u32)
            .into_par_iter()
            .flat_map_iter(|slot| {
                let mut out = Vec::new();
                grams(slot, &mut |_, h| {
                    if shard_of(h) == shard {
                        out.push((h, slot));
                    }
                });
                out.sort_unstable();
                out.dedup();
                out
            })
            .collect();
        list.par_sort_unstable();
        let mut i = 0;
        while i < list.len() {
            let j = i + list[i..].iter().take_while(|x| x.0 == list[i].0).count();
            if (j - i) as u32 >= min_docs {
                df.insert(list[i].0, (j - i) as u32);
            }
            i = j;
        }
    }
    let mut cur: Vec<(u32, u32, u64)> = (0..docs.len() as u32)
        .into_par_iter()
        .flat_map_iter(|slot| {
            let mut out = Vec::new();
            grams(slot, &mut |p, h| {
                if df.contains_key(&h) {
                    out.push((slot, p, h));
                }
            });
            out
        })
        .collect();
    cur.shrink_to_fit();
    let mut found: Vec<Mined> = Vec::new();
    let mut n = k as u32;
    while !cur.is_empty() {
        progress.inc(1);
        // Next level: n-grams at p and p+1 both shared; each remembers its two parents. At `max_len`
        // the next level is still counted, only to tell which n-grams go on into longer shared text:
        // those are part of a passage (reported with the pairs), not formulas.
        let mut next: Vec<(u32, u32, u64)> = Vec::new();
        let mut parents: Vec<(u64, u64)> = Vec::new();
        for w in cur.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a.0 == b.0 && b.1 == a.1 + 1 {
                let c = chars(a.0);
                if let Some(&ch) = c.get((a.1 + n) as usize) {
                    next.push((a.0, a.1, a.2.wrapping_mul(BASE).wrapping_add(ch as u64 + 1)));
                    parents.push((a.2, b.2));
                }
            }
        }
        let next_df = count_df(&next, min_docs);
        // Largest document frequency of a one-char extension of each n-gram.
        let mut ext: HashMap<u64, u32> = HashMap::default();
        let mut kept = Vec::with_capacity(next.len());
        for (x, (l, r)) in next.into_iter().zip(parents) {
            let c = next_df.get(&x.2).copied().unwrap_or(0);
            if c < min_docs {
                continue;
            }
            for parent in [l, r] {
                let e = ext.entry(parent).or_default();
                *e = (*e).max(c);
            }
            kept.push(x);
        }
        // Maximal n-grams: no extension with the same documents.
        let mut groups: HashMap<u64, Vec<(u32, u32)>> = HashMap::default();
        for x in &cur {
            if ext.get(&x.2).is_some_and(|&e| e >= df[&x.2]) {
                continue;
            }
            groups.entry(x.2).or_default().push((x.0, x.1));
        }
        for (h, occ) in groups {
            if occ.iter().any(|&(s, p)| {
                clause_aligned(&corpus.features[docs[s as usize] as usize].cuts, p, n)
            }) {
                found.push((h, n, occ));
            }
        }
        if n as usize >= max_len {
            break;
        }
        cur = kept;
        df = next_df;
        n += 1;
    }
    progress.finish();
    progress.start("formula texts", found.len() as u64);
    let formulas = materialize(corpus, &docs, found, threshold);
    progress.finish();
    formulas
}

/// Whether the `n` sequence chars at `p` are clause-aligned, given the document's clause `cuts`: whole
/// clauses (a cut at both ends: `争一流、争第一、争唯一`), or a phrase inside one clause that starts or ends
/// on its boundary. One end is enough inside a clause, or formulas always embedded in one would be lost
/// (`促进房地产市场平稳健康发展`, `坚持以习近平新时代中国特色社会主义思想为指导`); across a cut both are needed,
/// or every shared clause would come back with a few chars of whatever follows it (`营造一流营商环境。深`).
fn clause_aligned(cuts: &[u32], p: u32, n: u32) -> bool {
    let (starts, ends) = (
        cuts.binary_search(&p).is_ok(),
        cuts.binary_search(&(p + n)).is_ok(),
    );
    let inner = cuts.partition_point(|&c| c <= p) < cuts.partition_point(|&c| c < p + n);
    (starts && ends) || (!inner && (starts || ends))
}

/// A mined n-gram: (key, n, occurrences as (slot, position)).
type Mined = (u64, u32, Vec<(u32, u32)>);

/// Occurrence spans, texts, classes and families of the mined n-grams; sorted and numbered.
fn materialize(
    corpus: &Ingested,
    docs: &[u32],
    found: Vec<Mined>,
    threshold: usize,
) -> Vec<Formula> {
    // Spans need each document's sequence again: rebuilt once per document holding a formula.
    let mut wanted: Vec<Vec<(usize, u32, u32)>> = vec![Vec::new(); docs.len()];
    for (fi, (_, n, occ)) in found.iter().enumerate() {
        for &(slot, p) in occ {
            wanted[slot as usize].push((fi, p, *n));
        }
    }
    let spans: Vec<Vec<(usize, Span)>> = wanted
        .into_par_iter()
        .enumerate()
        .map(|(slot, want)| {
            if want.is_empty() {
                return Vec::new();
            }
            let d = docs[slot];
            let seq = Seq::new(corpus.text(d), corpus.docs[d as usize].span);
            want.into_iter()
                .map(|(fi, p, n)| (fi, seq.to_original(p as usize, (p + n) as usize)))
                .collect()
        })
        .collect();
    let mut occs: Vec<Vec<Occurrence>> = vec![Vec::new(); found.len()];
    for (slot, list) in spans.into_iter().enumerate() {
        for (fi, span) in list {
            occs[fi].push(Occurrence {
                doc: docs[slot],
                span,
            });
        }
    }
    let mut formulas: Vec<Formula> = found
        .into_par_iter()
        .zip(occs)
        .map(|((key, n, _), mut occurrences)| {
            occurrences.sort_by_key(|o| (o.doc, o.span.start));
            let mut ds: Vec<u32> = occurrences.iter().map(|o| o.doc).collect();
            ds.dedup();
            let first = occurrences[0];
            let text = corpus.text(first.doc);
            let seq = Seq::new(text, first.span);
            let stock = formula_share(&seq.chars) >= 0.5;
            let class = if stock || ds.len() >= threshold {
                FormulaClass::Boilerplate
            } else {
                FormulaClass::Lineage
            };
            let written = text.slice(first.span);
            let family = corpus
                .patterns
                .as_ref()
                .and_then(|set| family_of(set, written));
            Formula {
                id: 0,
                text: written.to_string(),
                df: ds.len(),
                chars: n as usize,
                class,
                family,
                occurrences,
                hash: super::hash_chars(&seq.chars),
                key,
            }
        })
        .collect();
    formulas.sort_by(|a, b| {
        b.df.cmp(&a.df)
            .then(b.chars.cmp(&a.chars))
            .then_with(|| a.text.cmp(&b.text))
            .then(a.hash.cmp(&b.hash))
    });
    for (i, f) in formulas.iter_mut().enumerate() {
        f.id = i as u32;
    }
    formulas
}

/// The family of the figure covering at least half of a formula's text, when a pattern matches there.
fn family_of(set: &PatternSet, formula: &str) -> Option<&'static str> {
    let file = SpeechFile::from_text(Text::from_string("formula", formula, Encoding::Utf8));
    let outline = file.outlines.first()?;
    let len = file.text.len_chars();
    set.hits(&file, outline)
        .into_iter()
        .find(|h| 2 * h.span.len() >= len)
        .map(|h| h.family.name())
}

/// Document frequency of each hash in a list sorted by document slot, for those in `min_docs` or more.
fn count_df(list: &[(u32, u32, u64)], min_docs: u32) -> HashMap<u64, u32> {
    let mut m: HashMap<u64, (u32, u32)> =
        HashMap::with_capacity_and_hasher(list.len() / 2, Default::default());
    for &(slot, _, h) in list {
        let e = m.entry(h).or_insert((0, u32::MAX));
        if e.1 != slot {
            e.0 += 1;
            e.1 = slot;
        }
    }
    m.into_iter()
        .filter(|&(_, (c, _))| c >= min_docs)
        .map(|(h, (c, _))| (h, c))
        .collect()
}
