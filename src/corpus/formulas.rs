//! Shared formulas: the maximal clause-aligned phrases that at least `min_docs` documents share.
//!
//! Input: the [`Ingested`] corpus (clause units of each distinct document) and [`FormulaParams`].
//! Output: [`Formula`]s: text (as written in its first occurrence), document frequency, occurrences with
//! spans, the pattern family of a pattern hit covering it, and its class ([`FormulaClass`]).
//!
//! How (rolling-hash n-grams over units, extended level by level, Apriori-style):
//! - a document is a sequence of units (runs of canonical content chars between punctuation or line
//!   breaks, so a formula starts and ends on a clause or quotation boundary; width, digits and masks are
//!   folded by the canonical sequence);
//! - level 1 counts the document frequency of every unit; level n+1 only looks at positions where the
//!   n-grams at `p` and `p+1` are both shared, its hash extends the n-gram's hash by one unit. The work is
//!   the number of shared n-gram positions summed over n, never pairs of documents;
//! - an n-gram is *maximal* when no one-unit extension to the left or right has the same document
//!   frequency (the same document set: every document holding the extension holds the n-gram), i.e. it is
//!   not contained in a longer phrase with the same documents. Maximal n-grams of at least `min_len`
//!   content chars are formulas.
//!
//! Class: **boilerplate** when the phrase is a built-in stock formula (`reuse/formulas.txt` covers half
//! of it) or its document frequency reaches [`boilerplate_df`] (10 documents, or 2 % of the corpus if
//! more); otherwise **lineage**. Why 10 / 2 %: a lineage — a series' consecutive years, a province and its
//! cities in one year — spans a handful of documents (the local reports have at most about 20 years per
//! locality and a province a dozen cities), while phrases in 2 % of a corpus of unrelated series are the
//! genre's stock.

use std::collections::HashMap;

use serde::Serialize;

use super::Progress;
use super::ingest::Ingested;
use crate::reuse::formula::formula_share;
use crate::reuse::seq::Seq;
use crate::text::Span;

/// Tuning of the formula miner.
#[derive(Clone, Debug, PartialEq)]
pub struct FormulaParams {
    /// Minimum number of documents sharing a formula.
    pub min_docs: usize,
    /// Minimum length in content chars.
    pub min_len: usize,
    /// Document frequency from which a formula is boilerplate (default [`boilerplate_df`]).
    pub boilerplate_df: Option<usize>,
}

impl Default for FormulaParams {
    fn default() -> Self {
        FormulaParams {
            min_docs: 2,
            min_len: 8,
            boilerplate_df: None,
        }
    }
}

/// The default boilerplate threshold for a corpus of `docs` distinct documents: 10, or 2 % if more.
pub fn boilerplate_df(docs: usize) -> usize {
    ((docs as f64 * 0.02).ceil() as usize).max(10)
}

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
    /// Pattern family of a pattern hit covering half of it (first occurrence), if any.
    pub family: Option<&'static str>,
    /// Every occurrence, in document order.
    pub occurrences: Vec<Occurrence>,
    /// Content hash of the phrase (units' hashes chained), stable across runs.
    pub hash: u64,
}

fn extend(h: u64, unit: u64) -> u64 {
    super::hash_u64s(&[h, unit])
}

/// Mines the shared formulas of the distinct documents.
pub fn mine(corpus: &Ingested, params: &FormulaParams, progress: &dyn Progress) -> Vec<Formula> {
    let min_docs = params.min_docs.max(2) as u32;
    let docs: Vec<u32> = corpus.distinct().collect();
    let threshold = params
        .boilerplate_df
        .unwrap_or_else(|| boilerplate_df(docs.len()));
    // Prefix sums of unit lengths, for content chars of any n-gram.
    let prefix: Vec<Vec<u32>> = docs
        .iter()
        .map(|&d| {
            let mut p = vec![0u32];
            for u in &corpus.features[d as usize].units {
                p.push(p.last().copied().unwrap_or(0) + u.len);
            }
            p
        })
        .collect();
    // Active positions of the current level: (doc slot, unit position, n-gram hash), sorted.
    let mut cur: Vec<(u32, u32, u64)> = Vec::new();
    for (slot, &d) in docs.iter().enumerate() {
        for (p, u) in corpus.features[d as usize].units.iter().enumerate() {
            cur.push((slot as u32, p as u32, u.hash));
        }
    }
    progress.start("formulas", cur.len() as u64);
    let mut df = count_df(&cur);
    cur.retain(|x| df.get(&x.2).is_some_and(|&c| c >= min_docs));
    let mut found: Vec<(u64, u32, Vec<(u32, u32)>)> = Vec::new(); // (hash, n, occurrences (slot, p))
    let mut n: u32 = 1;
    while !cur.is_empty() {
        progress.inc(cur.len() as u64);
        // Next level: n-grams at p and p+1 both shared; each remembers its two parents.
        let mut next: Vec<(u32, u32, u64)> = Vec::new();
        let mut parents: Vec<(u64, u64)> = Vec::new();
        for w in cur.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a.0 == b.0 && b.1 == a.1 + 1 {
                let units = &corpus.features[docs[a.0 as usize] as usize].units;
                if let Some(u) = units.get((a.1 + n) as usize) {
                    next.push((a.0, a.1, extend(a.2, u.hash)));
                    parents.push((a.2, b.2));
                }
            }
        }
        let next_df = count_df(&next);
        // Largest document frequency of a one-unit extension of each n-gram.
        let mut ext: HashMap<u64, u32> = HashMap::new();
        let mut kept = Vec::with_capacity(next.len());
        for (x, (l, r)) in next.into_iter().zip(parents) {
            let c = next_df[&x.2];
            if c < min_docs {
                continue;
            }
            for parent in [l, r] {
                let e = ext.entry(parent).or_default();
                *e = (*e).max(c);
            }
            kept.push(x);
        }
        let next = kept;
        // Maximal n-grams long enough: collect their occurrences.
        let mut groups: HashMap<u64, Vec<(u32, u32)>> = HashMap::new();
        for x in &cur {
            let c = df[&x.2];
            if ext.get(&x.2).is_some_and(|&e| e >= c) {
                continue;
            }
            let pre = &prefix[x.0 as usize];
            let len = pre[(x.1 + n) as usize] - pre[x.1 as usize];
            if (len as usize) < params.min_len {
                continue;
            }
            groups.entry(x.2).or_default().push((x.0, x.1));
        }
        for (h, occ) in groups {
            found.push((h, n, occ));
        }
        cur = next;
        df = next_df;
        n += 1;
    }
    progress.finish();
    let mut formulas: Vec<Formula> = found
        .into_iter()
        .map(|(hash, n, occ)| {
            let occurrences: Vec<Occurrence> = occ
                .iter()
                .map(|&(slot, p)| {
                    let d = docs[slot as usize];
                    let units = &corpus.features[d as usize].units;
                    let span = units[p as usize].span.cover(&units[(p + n - 1) as usize].span);
                    Occurrence { doc: d, span }
                })
                .collect();
            let mut ds: Vec<u32> = occurrences.iter().map(|o| o.doc).collect();
            ds.dedup();
            let first = occurrences[0];
            let text = corpus.text(first.doc);
            let slot = occ[0].0 as usize;
            let chars = (prefix[slot][(occ[0].1 + n) as usize] - prefix[slot][occ[0].1 as usize]) as usize;
            let stock = formula_share(&Seq::new(text, first.span).chars) >= 0.5;
            let class = if stock || ds.len() >= threshold {
                FormulaClass::Boilerplate
            } else {
                FormulaClass::Lineage
            };
            let family = corpus.features[first.doc as usize]
                .families
                .iter()
                .find(|(s, _)| {
                    let o = s.end.min(first.span.end).saturating_sub(s.start.max(first.span.start));
                    2 * o >= first.span.len()
                })
                .map(|&(_, f)| f);
            Formula {
                id: 0,
                text: text.slice(first.span).to_string(),
                df: ds.len(),
                chars,
                class,
                family,
                occurrences,
                hash,
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

/// Document frequency of each hash in a list sorted by document slot.
fn count_df(list: &[(u32, u32, u64)]) -> HashMap<u64, u32> {
    let mut m: HashMap<u64, (u32, u32)> = HashMap::with_capacity(list.len() / 2);
    for &(slot, _, h) in list {
        let e = m.entry(h).or_insert((0, u32::MAX));
        if e.1 != slot {
            e.0 += 1;
            e.1 = slot;
        }
    }
    m.into_iter().map(|(h, (c, _))| (h, c)).collect()
}
