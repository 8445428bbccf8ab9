//! Shared formulas: the maximal clause-aligned phrases that at least `min_docs` documents share.
//!
//! Input: the [`Ingested`] corpus (canonical sequence and clause cuts of each distinct document) and
//! [`FormulaParams`].
//! Output: [`Formula`]s: text (as written in its first occurrence), document frequency, occurrences with
//! spans, the pattern family of a pattern hit covering it, and its class ([`FormulaClass`]).
//!
//! How (maximal repeats of a generalized suffix array):
//! - a document is its canonical sequence (content chars; width, digits and synonyms folded; a mask one
//!   wildcard char that matches masks); the sequences of the distinct documents are concatenated, each
//!   char a dense `u16` id and each document closed by a 0 separator, and libsais builds the generalized
//!   suffix array and its LCP array (linear time, 10 bytes per char);
//! - one bottom-up pass over the LCP intervals gives every phrase shared by at least `min_docs`
//!   documents with its document frequency (distinct documents counted as in Hui 1992). The work is
//!   linear in the corpus, whatever the length of the shared phrases, never pairs of documents;
//! - an n-gram (`min_len ≤ n ≤ max_len`) is *maximal* when no one-char extension to the left or right
//!   has the same document frequency (the same document set: every document holding the extension
//!   holds the n-gram), i.e. it is not contained in a longer phrase with the same documents — up to 5 %
//!   of them above 20 documents (`absorbing_df`), so a stock phrase is not listed again cut one char
//!   short because a few reports word it otherwise. A phrase that goes on past `max_len` in all its
//!   documents is part of a passage, not a formula;
//! - a maximal n-gram is a formula when it is *clause-aligned* in some occurrence (see
//!   `clause_aligned`: whole clauses, or a phrase inside one clause that starts or ends on its
//!   boundary — punctuation or a line break in the original), which drops fragments cut out of the
//!   middle of clauses everywhere.
//!
//! Family: the family of the first pattern hit covering half of the formula, the formula matched on its
//! own, each line a paragraph ([`PatternSet::hits_in_paragraphs`]): formulas are matched 512 at a time as
//! the paragraphs of one text, not as one prepared document each (preparing 1.46 million formula
//! documents cost 1.5 s of a 10,000-document run). Outline-run families (`enumeration`) need a document
//! and are not given to formulas.
//!
//! Class: **boilerplate** when the phrase is a built-in stock formula (`reuse/formulas.txt` covers half
//! of it), its document frequency reaches [`BOILERPLATE_DF`] (10 documents), or it is stock pieces in a
//! rare combination ([`COMPOSITE_SHARE`] of its chars in 8-char grams that many documents hold; the
//! grams' document frequencies come from the same pass over the LCP array); otherwise **lineage**.
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
use crate::fingerprint::rolling_key;
use crate::patterns::PatternSet;
use crate::reuse::formula::formula_share;
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
    /// Rolling key of the phrase's canonical chars ([`crate::fingerprint::rolling_key`]), for in-memory
    /// lookups.
    #[serde(skip)]
    pub key: u64,
}

/// Mines the shared formulas of the distinct documents.
pub fn mine(corpus: &Ingested, params: &FormulaParams, progress: &dyn Progress) -> Vec<Formula> {
    let min_docs = params.min_docs.max(2) as u32;
    let min_len = params.min_len.max(1) as u32;
    let max_len = (params.max_len as u32).max(min_len);
    let docs: Vec<u32> = corpus.distinct().collect();
    let threshold = params.boilerplate_df.unwrap_or(BOILERPLATE_DF);
    progress.start("formulas", 3);
    let text = Concat::new(docs.iter().map(|&d| {
        let f = &corpus.features[d as usize];
        (&f.seq.chars[..], &f.cuts[..])
    }));
    let Some((sa, lcp)) = text.suffix_array() else {
        progress.finish();
        return Vec::new();
    };
    progress.inc(1);
    let (intervals, common) = shared_intervals(
        &text,
        &sa,
        &lcp,
        min_docs,
        min_len,
        max_len,
        threshold as u32,
    );
    drop(lcp);
    progress.inc(1);
    // Each interval's occurrences: left-maximal by documents and clause-aligned, or dropped.
    let found: Vec<Mined> = intervals
        .par_iter()
        .filter_map(|&(lb, rb, n, df)| {
            let occ: Vec<(u32, u32)> = sa[lb as usize..=rb as usize]
                .iter()
                .map(|&pos| text.locate(pos as u32))
                .collect();
            if !left_maximal(&text, &occ, df) {
                return None;
            }
            if !occ
                .iter()
                .any(|&(slot, p)| clause_aligned(&text.cuts, text.starts[slot as usize] + p, n))
            {
                return None;
            }
            let feats = |slot: u32| &corpus.features[docs[slot as usize] as usize];
            let &(slot, p) = occ
                .iter()
                .min()
                .expect("an interval holds two suffixes or more");
            let key = rolling_key(&feats(slot).seq.chars[p as usize..(p + n) as usize]);
            // Whether the text written at the first occurrence spans a clause boundary.
            let pos = (text.starts[slot as usize] + p) as usize;
            let clauses = text.cuts.any_in(pos + 1, pos + n as usize);
            let composite = common_share(&common, pos, n as usize) >= COMPOSITE_SHARE;
            Some((key, n, occ, clauses, composite))
        })
        .collect();
    drop(sa);
    progress.inc(1);
    progress.finish();
    progress.start("formula texts", found.len() as u64);
    let formulas = materialize(corpus, &docs, found, threshold);
    progress.finish();
    formulas
}

/// The documents' canonical sequences as one text for the suffix array: each char a dense `u16` id
/// (from 1), each document followed by a 0 separator (libsais's generalized suffix array convention,
/// so no match runs across two documents).
struct Concat {
    ids: Vec<u16>,
    /// Where each document (slot) starts in `ids`, then the total length.
    starts: Vec<u32>,
    /// The documents' clause cuts, at their positions in `ids`.
    cuts: Bits,
}

impl Concat {
    /// From each document's sequence chars and clause cuts.
    fn new<'a>(docs: impl Iterator<Item = (&'a [char], &'a [u32])>) -> Concat {
        // Ids in order of first appearance; a char past the 65,535th distinct one becomes a separator
        // (no formula runs through it) rather than colliding with another char.
        let mut id_of: HashMap<char, u16> = HashMap::default();
        let mut ids = Vec::new();
        let mut starts = Vec::new();
        let mut cut_at = Vec::new();
        for (chars, cuts) in docs {
            starts.push(ids.len() as u32);
            cut_at.extend(cuts.iter().map(|&c| ids.len() as u32 + c));
            ids.extend(chars.iter().map(|&c| {
                let next = id_of.len() + 1;
                *id_of.entry(c).or_insert(if next <= u16::MAX as usize {
                    next as u16
                } else {
                    0
                })
            }));
            ids.push(0);
        }
        starts.push(ids.len() as u32);
        let mut cuts = Bits(vec![0; ids.len() / 64 + 1]);
        for c in cut_at {
            cuts.set(c as usize);
        }
        Concat { ids, starts, cuts }
    }

    /// The generalized suffix array and its LCP array (`lcp[i]`: the longest common prefix of the
    /// suffixes of ranks `i - 1` and `i`); `None` for an empty text or one past the `i32` range.
    fn suffix_array(&self) -> Option<(Vec<i32>, Vec<i32>)> {
        if self.ids.is_empty() || self.ids.len() >= i32::MAX as usize {
            return None;
        }
        let sa = libsais::SuffixArrayConstruction::for_text(&self.ids[..])
            .in_owned_buffer32()
            .multi_threaded(libsais::ThreadCount::openmp_default())
            .generalized_suffix_array()
            .run()
            .ok()?;
        let with_plcp = sa
            .plcp_construction()
            .multi_threaded(libsais::ThreadCount::openmp_default())
            .run()
            .ok()?;
        // The LCP in suffix order: the traversal reads it front to back, where the permuted one would
        // cost a cache miss per suffix.
        let with_lcp = with_plcp
            .lcp_construction()
            .multi_threaded(libsais::ThreadCount::openmp_default())
            .run()
            .ok()?;
        let (sa, lcp, _, _) = with_lcp.into_parts();
        Some((sa, lcp))
    }

    /// `(document slot, position in its sequence)` of a text position.
    fn locate(&self, pos: u32) -> (u32, u32) {
        let slot = self.starts.partition_point(|&s| s <= pos) - 1;
        (slot as u32, pos - self.starts[slot])
    }
}

/// The LCP intervals of the suffix array that can be formulas: `(first rank, last rank, length,
/// document frequency)` for phrases of `min_len..=max_len` chars in at least `min_docs` documents that
/// are right-maximal by documents (no one-char extension to the right keeps [`absorbing_df`] of them).
///
/// One bottom-up pass over the LCP intervals (Abouelhoda et al. 2004) with a stack of open intervals;
/// the distinct documents of an interval are its size minus the suffixes whose previous suffix of the
/// same document (in suffix order) lies in it too, each such pair counted once at the deepest interval
/// holding both (Hui 1992) and summed up the tree as intervals close. Linear in the text, plus a binary
/// search of the stack per suffix.
fn shared_intervals(
    text: &Concat,
    sa: &[i32],
    lcp: &[i32],
    min_docs: u32,
    min_len: u32,
    max_len: u32,
    common_df: u32,
) -> (Vec<(u32, u32, u32, u32)>, Bits) {
    struct Open {
        lcp: u32,
        lb: u32,
        /// Suffixes whose previous same-document suffix is in this interval (its subtree's, once closed).
        dups: u32,
        /// Largest document frequency of a one-char right extension (a child interval; a single
        /// suffix counts 1).
        max_child: u32,
    }
    let n = sa.len();
    let mut out = Vec::new();
    let mut stack = vec![Open {
        lcp: 0,
        lb: 0,
        dups: 0,
        max_child: 1,
    }];
    let mut last = vec![u32::MAX; text.starts.len()];
    let slot_of = |rank: usize| text.locate(sa[rank] as u32).0 as usize;
    // The runs of suffixes sharing their first COMMON_GRAM chars (one run per distinct gram), their
    // distinct documents counted with a per-document mark of the last run seen.
    let mut common = Bits(vec![0; text.ids.len() / 64 + 1]);
    let mut run_seen = vec![u32::MAX; text.starts.len()];
    let (mut run_start, mut run_id, mut run_df) = (0usize, 0u32, 0u32);
    if n > 0 {
        last[slot_of(0)] = 0;
        run_seen[slot_of(0)] = 0;
        run_df = 1;
    }
    for i in 1..=n {
        // Past the last suffix, an LCP of 0 closes every open interval.
        let l = lcp.get(i).map_or(0, |&x| x.max(0) as u32);
        if l < COMMON_GRAM as u32 {
            if run_df >= common_df {
                for &pos in &sa[run_start..i] {
                    common.set(pos as usize);
                }
            }
            (run_start, run_id, run_df) = (i, run_id + 1, 0);
        }

        let mut lb = (i - 1) as u32;
        let mut closed: Option<(u32, u32)> = None;
        while stack.last().is_some_and(|top| l < top.lcp) {
            let node = stack.pop().expect("checked above");
            let size = i as u32 - node.lb;
            let df = size - node.dups;
            if (min_len..=max_len).contains(&node.lcp)
                && df >= min_docs
                && node.max_child < absorbing_df(df)
            {
                out.push((node.lb, i as u32 - 1, node.lcp, df));
            }
            lb = node.lb;
            match stack.last_mut() {
                Some(top) if l <= top.lcp => {
                    top.dups += node.dups;
                    top.max_child = top.max_child.max(df);
                    closed = None;
                }
                _ => closed = Some((node.dups, df)),
            }
        }
        if i == n {
            break;
        }
        if stack.last().is_none_or(|top| l > top.lcp) {
            let (dups, max_child) = closed.unwrap_or((0, 1));
            stack.push(Open {
                lcp: l,
                lb,
                dups,
                max_child,
            });
        }
        let slot = slot_of(i);
        if run_seen[slot] != run_id {
            run_seen[slot] = run_id;
            run_df += 1;
        }
        let j = last[slot];
        if j != u32::MAX {
            // The deepest open interval holding rank j (and rank i, as every open interval does).
            let at = stack.partition_point(|o| o.lb <= j) - 1;
            stack[at].dups += 1;
        }
        last[slot] = i as u32;
    }
    (out, common)
}

/// Whether no one-char extension to the left stands for the phrase (is in [`absorbing_df`] of the `df`
/// documents it is in), given its occurrences `(slot, position)`.
fn left_maximal(text: &Concat, occ: &[(u32, u32)], df: u32) -> bool {
    let mut left: Vec<(u16, u32)> = occ
        .iter()
        .filter(|&&(_, p)| p > 0)
        .map(|&(slot, p)| {
            (
                text.ids[(text.starts[slot as usize] + p - 1) as usize],
                slot,
            )
        })
        .filter(|&(c, _)| c != 0)
        .collect();
    if left.len() < absorbing_df(df) as usize {
        return true;
    }
    left.sort_unstable();
    left.dedup();
    let mut i = 0;
    while i < left.len() {
        let j = i + left[i..].iter().take_while(|x| x.0 == left[i].0).count();
        if (j - i) as u32 >= absorbing_df(df) {
            return false;
        }
        i = j;
    }
    true
}

/// From how many of a phrase's `df` documents a one-char extension stands for the phrase: all of them
/// below 20 documents, 95 % (rounded down) above. A stock phrase in 1,821 reports whose one-word-longer
/// form is in 1,817 is that form cut short (`民人均可支配收入` of `居民人均可支配收入`), not a formula of its
/// own; among a handful of documents every difference counts.
fn absorbing_df(df: u32) -> u32 {
    df - df / 20
}

/// A set of positions, one bit each.
struct Bits(Vec<u64>);

impl Bits {
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn has(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    /// Whether any position of `[from, to)` is in the set.
    fn any_in(&self, from: usize, to: usize) -> bool {
        let mut i = from;
        while i < to {
            let (w, b) = (i / 64, i % 64);
            let take = (64 - b).min(to - i);
            let mask = if take == 64 {
                u64::MAX
            } else {
                ((1u64 << take) - 1) << b
            };
            if self.0.get(w).is_some_and(|x| x & mask != 0) {
                return true;
            }
            i += take;
        }
        false
    }
}

/// Fewest chars of a clause a formula may take at an end without taking the whole clause, when it spans
/// clauses: `争一流、争第一、争唯一` out of `奋力争一流、争第一、争唯一` is a formula, `营造一流营商环境。深` a clause
/// with a char of the next (one or two chars are a word cut short, most words having two).
const PART_OF_CLAUSE_MIN: usize = 3;

/// Whether the `n` sequence chars at `p` are clause-aligned, given the clause `cuts`: a phrase inside one
/// clause that starts or ends on its boundary, or a run across clauses whose ends are clause boundaries
/// or at least [`PART_OF_CLAUSE_MIN`] chars into their clause. One end is enough inside a clause, or
/// formulas always embedded in one would be lost (`促进房地产市场平稳健康发展`,
/// `坚持以习近平新时代中国特色社会主义思想为指导`); across a cut both ends count, or every shared clause would
/// come back with a few chars of whatever follows it (`营造一流营商环境。深`).
fn clause_aligned(cuts: &Bits, p: u32, n: u32) -> bool {
    let (p, n) = (p as usize, n as usize);
    let (starts, ends) = (cuts.has(p), cuts.has(p + n));
    if !cuts.any_in(p + 1, p + n) {
        return starts || ends;
    }
    let k = PART_OF_CLAUSE_MIN.min(n);
    (starts || !cuts.any_in(p + 1, p + k)) && (ends || !cuts.any_in(p + n - k + 1, p + n))
}

/// A mined n-gram: (key, n, occurrences as (slot, position), whether its first occurrence spans
/// clauses, whether it is stock text pieced together ([`COMPOSITE_SHARE`])).
type Mined = (u64, u32, Vec<(u32, u32)>, bool, bool);

/// Length of the grams whose document frequency tells stock pieces: the shortest formula.
const COMMON_GRAM: usize = 8;

/// Share of a formula's chars in grams that the boilerplate threshold's number of documents hold, from
/// which the formula is stock text pieced together rather than a lineage mark, however few documents
/// hold the whole of it: `坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大和十九届二中、三中全会精神`
/// is in nine reports of nine unrelated cities in 2020, every 8 chars of it in hundreds.
const COMPOSITE_SHARE: f64 = 0.8;

/// The share of the `n` chars at `pos` covered by grams that start at a position of `common`.
fn common_share(common: &Bits, pos: usize, n: usize) -> f64 {
    if n < COMMON_GRAM {
        return 0.0;
    }
    let (mut covered, mut until) = (0usize, pos);
    for j in pos..=pos + n - COMMON_GRAM {
        if common.has(j) {
            let end = j + COMMON_GRAM;
            covered += end - until.max(j);
            until = end;
        }
    }
    covered as f64 / n as f64
}

/// Occurrence spans, texts, classes and families of the mined n-grams; sorted and numbered.
fn materialize(
    corpus: &Ingested,
    docs: &[u32],
    found: Vec<Mined>,
    threshold: usize,
) -> Vec<Formula> {
    let seq = |slot: u32| &corpus.features[docs[slot as usize] as usize].seq;
    // Spans document by document, in text order (one document's maps stay in cache), then back to
    // their formulas.
    let mut wanted: Vec<Vec<(u32, u32, u32)>> = vec![Vec::new(); docs.len()];
    for (fi, (_, n, occ, _, _)) in found.iter().enumerate() {
        for &(slot, p) in occ {
            wanted[slot as usize].push((p, *n, fi as u32));
        }
    }
    let spans: Vec<Vec<(u32, Span)>> = wanted
        .into_par_iter()
        .enumerate()
        .map(|(slot, mut want)| {
            want.sort_unstable();
            let s = seq(slot as u32);
            want.into_iter()
                .map(|(p, n, fi)| (fi, s.to_original(p as usize, (p + n) as usize)))
                .collect()
        })
        .collect();
    let mut occs: Vec<Vec<Occurrence>> = found
        .iter()
        .map(|f| Vec::with_capacity(f.2.len()))
        .collect();
    for (slot, list) in spans.into_iter().enumerate() {
        for (fi, span) in list {
            occs[fi as usize].push(Occurrence {
                doc: docs[slot],
                span,
            });
        }
    }
    // A formula within one clause can only hold a regex, lexicon or word-shape hit: the rest of the set
    // is not run on it.
    let patterns = corpus.patterns.clone();
    let single = patterns.as_ref().map(PatternSet::within_one_clause);
    let mut formulas: Vec<(Formula, bool)> = found
        .into_par_iter()
        .zip(occs)
        .map(|((key, n, occ, clauses, composite), occurrences)| {
            // Already in document order, then text order.
            let mut ds: Vec<u32> = occurrences.iter().map(|o| o.doc).collect();
            ds.dedup();
            // Slots follow document order and spans sequence order: the first occurrence is the least.
            let &(slot, p) = occ.iter().min().expect("a formula has occurrences");
            let chars = &seq(slot).chars[p as usize..(p + n) as usize];
            let stock = formula_share(chars) >= 0.5;
            let class = if stock || composite || ds.len() >= threshold {
                FormulaClass::Boilerplate
            } else {
                FormulaClass::Lineage
            };
            let first = occurrences[0];
            let written = corpus.text(first.doc).slice(first.span);
            let formula = Formula {
                id: 0,
                text: written.to_string(),
                df: ds.len(),
                chars: n as usize,
                class,
                family: None,
                occurrences,
                hash: super::hash_chars(chars),
                key,
            };
            (formula, clauses)
        })
        .collect();
    if let (Some(all), Some(single)) = (&patterns, &single) {
        formulas
            .par_chunks_mut(FAMILY_BATCH)
            .for_each(|batch| name_families(all, single, batch));
    }
    let mut formulas: Vec<Formula> = formulas.into_iter().map(|(f, _)| f).collect();
    // A total order (no two formulas share text and hash): an unstable sort needs no buffer.
    formulas.par_sort_unstable_by(|a, b| {
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

/// Formulas whose families are matched together, as the paragraphs of one text.
const FAMILY_BATCH: usize = 512;

/// Names the family of each formula: that of the first pattern hit covering at least half of its text,
/// matched on the formula alone, each of its lines a paragraph. Formulas within one clause (`false`
/// beside them) can only hold a hit of the patterns that work inside a clause (`single`).
fn name_families(all: &PatternSet, single: &PatternSet, batch: &mut [(Formula, bool)]) {
    for (set, spans_clauses) in [(all, true), (single, false)] {
        // One text for the batch, each formula's lines its paragraphs.
        let mut text = String::new();
        let mut lines: Vec<Span> = Vec::new();
        let mut owner: Vec<usize> = Vec::new();
        let mut at = 0;
        for (k, (f, clauses)) in batch.iter().enumerate() {
            if *clauses != spans_clauses {
                continue;
            }
            for line in f.text.split('\n') {
                let n = line.chars().count();
                if n > 0 {
                    lines.push(Span::new(at, at + n));
                    owner.push(k);
                }
                text.push_str(line);
                text.push('\n');
                at += n + 1;
            }
        }
        if lines.is_empty() {
            continue;
        }
        let text = Text::from_string("formulas", text, Encoding::Utf8);
        for (hits, &k) in set.hits_in_paragraphs(&text, &lines).iter().zip(&owner) {
            let f = &mut batch[k].0;
            if f.family.is_some() {
                continue;
            }
            let len = f.text.chars().count();
            f.family = hits
                .iter()
                .find(|h| 2 * h.span.len() >= len)
                .map(|h| h.family.name());
        }
    }
}
