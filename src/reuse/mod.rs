//! Stage: phrase reuse — find the passages of B that reuse text of A, and tell copying from formulas.
//!
//! Input: two [`Text`]s (or a span of each, e.g. one aligned section pair) and [`ReuseParams`]; optionally a
//! background [`Corpus`]. Output: [`Passage`]s with char spans in both texts (`[start, end)` of the decoded
//! original), their kind, similarity, class and document frequency, and a [`ReuseReport`] with pair scores
//! and the passages located in both files (line, section path, text), distinctive ones in `passages` and
//! boilerplate apart in `boilerplate_passages`: the report `tifa reuse --format json` prints as is.
//!
//! How it works:
//! - both spans become canonical sequences ([`seq`]): normalised view without white space and punctuation,
//!   each run of digits one `0`, a few synonyms mapped to one spelling, stock fillers (`进一步`, `切实`) dropped, each
//!   redaction mask (`**市`, `XX局`) one wildcard char;
//! - mask-free 5-grams seed a gapped X-drop extension (affine gaps, masks match any name or number), and
//!   fragments near each other in both texts merge into one passage per reused region, sentences
//!   reordered inside it included (details in `align.rs`); a passage is cut where one side holds a
//!   sentence the other lacks (added, dropped or replaced), so its two sides cover corresponding text;
//! - passages shorter than `min_len` content chars (default 20) on either side are dropped: shorter shared
//!   strings are formulas;
//! - each passage is classified ([`PassageClass`]): `boilerplate` when at least half of it is covered by
//!   the built-in stock formulas (`formulas.txt`) or, with a corpus, when its document frequency there
//!   reaches `boilerplate_min_df` (default: 2 documents or 2 % of the corpus, whichever is more);
//!   otherwise `distinctive`.
//!
//! Pair scores ([`Scores`]) are shares of content chars (no white space or punctuation): `a_in_b` of A
//! covered by passages, `b_in_a` of B, and `distinctive` / `boilerplate`: the larger of the two documents'
//! shares covered by passages of that class.
//!
//! ```
//! use tifa::{Text, reuse};
//! use tifa::text::Encoding;
//! let a = Text::from_string("a.txt", "今年以来，我们坚持把农村公路建设作为民生实事，全年新建改建农村公路1200公里。", Encoding::Utf8);
//! let b = Text::from_string("b.txt", "会议指出，我们坚持把农村公路建设作为民生实事，全年新建改建农村公路800公里。其他工作另行部署。", Encoding::Utf8);
//! let report = reuse::compare_texts(&a, &b, None, &reuse::ReuseParams::default());
//! assert_eq!(report.passages.len(), 1);
//! let p = &report.passages[0];
//! assert_eq!(b.slice(p.b), "我们坚持把农村公路建设作为民生实事，全年新建改建农村公路800公里。");
//! assert_eq!(p.kind, reuse::PassageKind::Substituted);
//! ```

mod align;
pub mod corpus;
pub mod formula;
/// The canonical sequence now lives in [`crate::text::seq`]; this path is kept for callers.
pub use crate::text::seq;

use serde::Serialize;
use similar::{Algorithm, DiffTag, capture_diff_slices};

pub use corpus::Corpus;
use seq::Seq;

use crate::SpeechFile;
use crate::outline::{Outline, Section};
use crate::prepared::PreparedDoc;
use crate::report::truncate_to_width;
use crate::text::dice::char_bigram_dice;
use crate::text::view::MASK;
use crate::text::{OverlapIndex, Span, Text};

/// Tuning of the reuse detector. The defaults are the ones the tests measure.
#[derive(Clone, Debug, PartialEq)]
pub struct ReuseParams {
    /// Minimum passage length in content chars (no white space or punctuation) on both sides.
    pub min_len: usize,
    /// Seed length (chars of the canonical sequence).
    pub seed_len: usize,
    /// Seeds occurring more often than this in either text are skipped (repeated formulas).
    pub max_seed_occurrences: usize,
    /// Fragments this close (content chars) in B, and near in A, merge into one passage.
    pub merge_gap: usize,
    /// X-drop of the gapped extension (score units: match +4, mismatch −6, gap −12 then −3 per char).
    pub x_drop: i32,
    /// Document frequency from which a passage is boilerplate (default: [`Corpus::default_boilerplate_df`]).
    pub boilerplate_min_df: Option<usize>,
    /// Share of a passage covered by stock formulas from which it is boilerplate.
    pub formula_share: f64,
    /// Passages less similar than this are dropped (chance alignments of scattered common words).
    pub min_similarity: f64,
    /// Minimum similarity of passages shorter than twice `min_len`.
    pub short_min_similarity: f64,
}

impl Default for ReuseParams {
    fn default() -> Self {
        ReuseParams {
            min_len: 20,
            seed_len: 5,
            max_seed_occurrences: 8,
            merge_gap: 40,
            x_drop: 60,
            boilerplate_min_df: None,
            formula_share: 0.5,
            min_similarity: 0.65,
            short_min_similarity: 0.8,
        }
    }
}

/// How a passage was reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PassageKind {
    /// Identical content chars (punctuation and white space may differ).
    Verbatim,
    /// Only replacements: names, places, numbers or synonyms swapped, nothing inserted or deleted.
    Substituted,
    /// Redaction masks on one side stand for text on the other (a template filled in, or made).
    Template,
    /// Chars inserted or deleted (with or without replacements).
    Edited,
    /// Parts of the passage come in a different order in the two texts.
    Reordered,
}

impl PassageKind {
    /// The name used in output (`"verbatim"`, `"substituted"`, `"template"`, `"edited"`, `"reordered"`).
    pub fn as_str(self) -> &'static str {
        match self {
            PassageKind::Verbatim => "verbatim",
            PassageKind::Substituted => "substituted",
            PassageKind::Template => "template",
            PassageKind::Edited => "edited",
            PassageKind::Reordered => "reordered",
        }
    }
}

/// Whether a passage is evidence of copying.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PassageClass {
    /// Text the two documents share with few others: copying.
    Distinctive,
    /// Stock formulas any document of the genre may contain.
    Boilerplate,
}

impl PassageClass {
    /// The name used in output (`"distinctive"`, `"boilerplate"`).
    pub fn as_str(self) -> &'static str {
        match self {
            PassageClass::Distinctive => "distinctive",
            PassageClass::Boilerplate => "boilerplate",
        }
    }
}

/// One reused passage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Passage {
    /// Where it is in A (chars of the original text).
    pub a: Span,
    /// Where it is in B.
    pub b: Span,
    /// How it was reused.
    pub kind: PassageKind,
    /// `2·matched / (len_a + len_b)` over content chars, masks counting as matched, in `[0, 1]`.
    pub similarity: f64,
    /// Copying or formula.
    pub class: PassageClass,
    /// Number of background-corpus documents containing the passage (`None` without a corpus).
    pub df: Option<usize>,
    /// Share of the passage covered by built-in stock formulas.
    pub formula_share: f64,
    /// Content chars of the passage in A.
    pub a_chars: usize,
    /// Content chars of the passage in B.
    pub b_chars: usize,
}

/// Pair scores, shares of content chars in `[0, 1]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Share of A found in B.
    pub a_in_b: f64,
    /// Share of B found in A.
    pub b_in_a: f64,
    /// Larger of the two documents' shares covered by distinctive passages (the copy score).
    pub distinctive: f64,
    /// Larger of the two documents' shares covered by boilerplate passages.
    pub boilerplate: f64,
}

/// A compared document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocInfo {
    /// Its path as given.
    pub path: String,
    /// Its length in chars.
    pub chars: usize,
}

/// A reused passage located in both files: where it is (line, section path) and what it says.
///
/// Serialises as the [`Passage`] fields followed by the location fields (one flat object). Derefs to the
/// [`Passage`], so `p.a`, `p.kind`, … read through.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LocatedPassage {
    /// The passage as detected.
    #[serde(flatten)]
    pub passage: Passage,
    /// 1-based line of the passage's start in A.
    pub a_line: usize,
    /// 1-based line of the passage's start in B.
    pub b_line: usize,
    /// Section path of the passage's start in A ([`section_path`]).
    pub a_section: String,
    /// Section path of the passage's start in B.
    pub b_section: String,
    /// The passage's text in A.
    pub a_text: String,
    /// The passage's text in B.
    pub b_text: String,
}

impl std::ops::Deref for LocatedPassage {
    type Target = Passage;
    fn deref(&self) -> &Passage {
        &self.passage
    }
}

/// The result of comparing two texts: what `tifa reuse --format json` prints, field for field.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReuseReport {
    /// The first document.
    pub a: DocInfo,
    /// The second document.
    pub b: DocInfo,
    /// Pair scores.
    pub scores: Scores,
    /// Number of background-corpus documents used for `df` (`None` without a corpus).
    pub corpus_documents: Option<usize>,
    /// Distinctive passages (the evidence of copying), in B order.
    pub passages: Vec<LocatedPassage>,
    /// Boilerplate passages (shared stock formulas), in B order, kept apart so that `passages` lists only
    /// what is evidence.
    pub boilerplate_passages: Vec<LocatedPassage>,
}

impl ReuseReport {
    /// Every passage, distinctive and boilerplate, in B order.
    pub fn all_passages(&self) -> Vec<&LocatedPassage> {
        let mut all: Vec<&LocatedPassage> = self
            .passages
            .iter()
            .chain(&self.boilerplate_passages)
            .collect();
        all.sort_by_key(|p| (p.b.start, p.a.start));
        all
    }
}

/// The section path of char `pos` in a file's outlines: `一、… › （二）…` (headings cut to 24 columns),
/// `(preamble)` in a document's preamble, empty outside any section.
pub fn section_path(outlines: &[Outline], pos: usize) -> String {
    for o in outlines {
        if !o.document.span.contains(pos) {
            continue;
        }
        let mut parts = Vec::new();
        let mut level: &[Section] = &o.sections;
        while let Some(s) = level.iter().find(|s| s.span.contains(pos)) {
            let heading = truncate_to_width(&s.heading, 24);
            parts.push(if s.marker.is_empty() {
                heading
            } else {
                format!("{}{}", s.marker, heading)
            });
            level = &s.children;
        }
        if parts.is_empty() {
            let in_preamble = o.preamble.is_some_and(|p| p.contains(pos));
            return if in_preamble { "(preamble)" } else { "" }.to_string();
        }
        return parts.join(" › ");
    }
    String::new()
}

/// Passages of B (within `b_span`) that reuse text of A (within `a_span`), classified with the built-in
/// stock formulas only (see [`classify_with_corpus`] for a background corpus).
pub fn find_passages(
    a: &Text,
    a_span: Span,
    b: &Text,
    b_span: Span,
    params: &ReuseParams,
) -> Vec<Passage> {
    let sa = Seq::new(a, clamp(a_span, a));
    let sb = Seq::new(b, clamp(b_span, b));
    detect(a, &sa, b, &sb, params, None).0
}

/// Passages of document `b` that reuse text of document `a`, over their bodies (the header lines —
/// title, speaker, date — are not compared), using the canonical sequences the prepared documents keep.
pub fn find_passages_between(
    a: &PreparedDoc,
    b: &PreparedDoc,
    params: &ReuseParams,
) -> Vec<Passage> {
    detect(a.text(), a.seq(), b.text(), b.seq(), params, None).0
}

/// Passages between the sequence ranges `ra` of `sa` and `rb` of `sb` (canonical sequences of texts `a`
/// and `b`, built once and aligned window by window: corpus mode aligns only the neighbourhoods of the
/// fingerprints two documents share). Spans are in the texts, as everywhere.
pub fn find_passages_in(
    (a, sa, ra): (&Text, &Seq, std::ops::Range<usize>),
    (b, sb, rb): (&Text, &Seq, std::ops::Range<usize>),
    params: &ReuseParams,
) -> Vec<Passage> {
    let clip =
        |r: std::ops::Range<usize>, n: usize| r.start.min(n)..r.end.min(n).max(r.start.min(n));
    let (ra, rb) = (clip(ra, sa.len()), clip(rb, sb.len()));
    let regions = align::align(&sa.chars[ra.clone()], &sb.chars[rb.clone()], params)
        .into_iter()
        .map(|r| r.shifted(ra.start, rb.start))
        .collect();
    passages_of(a, sa, b, sb, regions, params, None).0
}

/// The passages of one pair found by several alignments (windows, jobs), made disjoint: the largest
/// first (content chars of both sides), and a passage sharing a char with one kept, on either side, is
/// dropped: it is the same reuse seen from another window or a phrase one document repeats, and two
/// passages covering the same text would count it twice and draw two edges for one copy. Sorted by
/// B, then A.
pub fn disjoint(mut passages: Vec<Passage>) -> Vec<Passage> {
    passages.sort_by(|x, y| {
        (y.a_chars + y.b_chars)
            .cmp(&(x.a_chars + x.b_chars))
            .then(y.similarity.total_cmp(&x.similarity))
            .then((x.b.start, x.a.start).cmp(&(y.b.start, y.a.start)))
    });
    let (mut on_a, mut on_b) = (OverlapIndex::new(), OverlapIndex::new());
    passages.retain(|p| {
        let free = on_a.overlapping(p.a).next().is_none() && on_b.overlapping(p.b).next().is_none();
        if free {
            on_a.insert(p.a, ());
            on_b.insert(p.b, ());
        }
        free
    });
    passages.sort_by_key(|p| (p.b.start, p.a.start));
    passages
}

/// Re-classifies passages found between `a` and `b` with a background corpus: sets `df` and `class`.
pub fn classify_with_corpus(
    passages: &mut [Passage],
    a: &Text,
    b: &Text,
    corpus: &Corpus,
    params: &ReuseParams,
) {
    let exclude = [corpus::fingerprint(a), corpus::fingerprint(b)];
    for p in passages {
        let (ca, cb) = (Seq::new(a, p.a).chars, Seq::new(b, p.b).chars);
        classify_one(p, &ca, &cb, Some((corpus, &exclude)), params);
    }
}

/// Compares two whole files: passages located in their outlines, classes and pair scores.
pub fn compare_files(
    a: &SpeechFile,
    b: &SpeechFile,
    corpus: Option<&Corpus>,
    params: &ReuseParams,
) -> ReuseReport {
    compare_outlined(&a.text, &a.outlines, &b.text, &b.outlines, corpus, params)
}

/// Compares two whole texts: passages, classes and pair scores. Without outlines, every section path
/// is empty (use [`compare_files`] for located passages).
pub fn compare_texts(
    a: &Text,
    b: &Text,
    corpus: Option<&Corpus>,
    params: &ReuseParams,
) -> ReuseReport {
    compare_outlined(a, &[], b, &[], corpus, params)
}

fn compare_outlined(
    a: &Text,
    a_outlines: &[Outline],
    b: &Text,
    b_outlines: &[Outline],
    corpus: Option<&Corpus>,
    params: &ReuseParams,
) -> ReuseReport {
    let exclude;
    let ctx = match corpus {
        Some(c) => {
            exclude = [corpus::fingerprint(a), corpus::fingerprint(b)];
            Some((c, &exclude[..]))
        }
        None => None,
    };
    let sa = Seq::new(a, Span::new(0, a.len_chars()));
    let sb = Seq::new(b, Span::new(0, b.len_chars()));
    let (passages, ranges) = detect(a, &sa, b, &sb, params, ctx);
    let share = |len: usize, spans: &mut Vec<(usize, usize)>| -> f64 {
        if len == 0 {
            return 0.0;
        }
        spans.sort_unstable();
        let (mut total, mut end) = (0usize, 0usize);
        for &(s, e) in spans.iter() {
            let s = s.max(end);
            if e > s {
                total += e - s;
                end = e;
            }
        }
        total as f64 / len as f64
    };
    let pick = |class: Option<PassageClass>, side_a: bool| -> Vec<(usize, usize)> {
        passages
            .iter()
            .zip(&ranges)
            .filter(|(p, _)| class.is_none_or(|c| p.class == c))
            .map(|(_, r)| if side_a { r.0 } else { r.1 })
            .collect()
    };
    let (la, lb) = (sa.len(), sb.len());
    let scores = Scores {
        a_in_b: share(la, &mut pick(None, true)),
        b_in_a: share(lb, &mut pick(None, false)),
        distinctive: share(la, &mut pick(Some(PassageClass::Distinctive), true))
            .max(share(lb, &mut pick(Some(PassageClass::Distinctive), false))),
        boilerplate: share(la, &mut pick(Some(PassageClass::Boilerplate), true))
            .max(share(lb, &mut pick(Some(PassageClass::Boilerplate), false))),
    };
    let locate = |passage: Passage| LocatedPassage {
        a_line: a.line_of(passage.a.start),
        b_line: b.line_of(passage.b.start),
        a_section: section_path(a_outlines, passage.a.start),
        b_section: section_path(b_outlines, passage.b.start),
        a_text: a.slice(passage.a).to_string(),
        b_text: b.slice(passage.b).to_string(),
        passage,
    };
    let (distinctive, boilerplate): (Vec<Passage>, Vec<Passage>) = passages
        .into_iter()
        .partition(|p| p.class == PassageClass::Distinctive);
    ReuseReport {
        a: DocInfo {
            path: a.path().display().to_string(),
            chars: a.len_chars(),
        },
        b: DocInfo {
            path: b.path().display().to_string(),
            chars: b.len_chars(),
        },
        scores,
        corpus_documents: corpus.map(Corpus::documents),
        passages: distinctive.into_iter().map(locate).collect(),
        boilerplate_passages: boilerplate.into_iter().map(locate).collect(),
    }
}

type SeqRange = (usize, usize);

#[allow(clippy::type_complexity)]
fn detect(
    a: &Text,
    sa: &Seq,
    b: &Text,
    sb: &Seq,
    params: &ReuseParams,
    corpus: Option<(&Corpus, &[u64])>,
) -> (Vec<Passage>, Vec<(SeqRange, SeqRange)>) {
    let regions = align::align(&sa.chars, &sb.chars, params);
    passages_of(a, sa, b, sb, regions, params, corpus)
}

/// The accepted regions as classified passages, with their sequence ranges.
#[allow(clippy::type_complexity)]
fn passages_of(
    a: &Text,
    sa: &Seq,
    b: &Text,
    sb: &Seq,
    regions: Vec<align::Region>,
    params: &ReuseParams,
    corpus: Option<(&Corpus, &[u64])>,
) -> (Vec<Passage>, Vec<(SeqRange, SeqRange)>) {
    let (a_span, b_span) = (sa.span, sb.span);
    let regions: Vec<align::Region> = regions
        .into_iter()
        .flat_map(|r| split_at_lacked_sentences(r, (a, sa), (b, sb)))
        .collect();
    let mut passages = Vec::with_capacity(regions.len());
    let mut ranges = Vec::with_capacity(regions.len());
    for r in &regions {
        let Some((r, (va, vb), kind, similarity)) = accept((a, sa), (b, sb), r, params) else {
            continue;
        };
        let (pa, pb) = with_sentence_end(
            a,
            a_span,
            sa.view.to_original(Span::new(va.0, va.1)),
            b,
            b_span,
            sb.view.to_original(Span::new(vb.0, vb.1)),
        );
        let mut p = Passage {
            a: pa,
            b: pb,
            kind,
            similarity,
            class: PassageClass::Distinctive,
            df: None,
            formula_share: 0.0,
            a_chars: r.a.1 - r.a.0,
            b_chars: r.b.1 - r.b.0,
        };
        // The passage's canonical chars are slices of the sequences already built.
        classify_one(
            &mut p,
            &sa.chars[r.a.0..r.a.1],
            &sb.chars[r.b.0..r.b.1],
            corpus,
            params,
        );
        passages.push(p);
        ranges.push((r.a, r.b));
    }
    (passages, ranges)
}

/// Content chars from which the text between two fragments, on one side only, is a sentence that the
/// other side lacks (when it holds a sentence end).
const LACKED_SENTENCE: usize = 10;
/// Content chars beyond which the text between two fragments is not one lacked sentence.
const LONGEST_SENTENCE: usize = 200;
/// Fragments on each side of a cut, in B order, that may hold a sentence moved inside the passage.
const NEAR_FRAGMENTS: usize = 8;
/// Content chars around the other side's gap where a clause swapped inside the passage may stand.
const MOVED_CLAUSE_REACH: usize = 40;

/// A region cut where one side holds a sentence the other lacks: in a region whose fragments are in
/// order on both sides, between two neighbouring fragments, [`LACKED_SENTENCE`] to [`LONGEST_SENTENCE`]
/// content chars on one side that no nearby fragment covers, holding a sentence end, most of whose char
/// bigrams the other side does not hold near its own gap (a sentence added, dropped or replaced, not a
/// clause swapped). The fragments were joined because they are near, but a passage spanning such a
/// sentence would pair it with nothing (`2025年是“十四五”规划收官之年…` in next year's report between two
/// sentences both years share). Every check looks at a bounded neighbourhood of the cut.
fn split_at_lacked_sentences(
    r: align::Region,
    (ta, sa): Side,
    (tb, sb): Side,
) -> Vec<align::Region> {
    let frags = &r.fragments;
    // A reordered region is left whole: its parts would each span the text between the places its
    // fragments jump to, and the passage already says its parts moved.
    if frags.len() < 2 || r.reordered() {
        return vec![r];
    }
    let ends_sentence = |t: &Text, s: &Seq, g: (usize, usize)| {
        // Everything between the two fragments' chars, punctuation included.
        let from = s.to_original(g.0 - 1, g.0).end;
        let to = s.to_original(g.1, g.1 + 1).start;
        from < to
            && t.slice(Span::new(from, to))
                .chars()
                .any(|c| matches!(c, '。' | '！' | '？' | '!' | '?' | '\n'))
    };
    // Chars of the gap `g` that none of the fragments `near` the cut covers on that side: a sentence
    // moved inside the passage is a fragment a few places away in B order, not lacked.
    let uncovered = |g: (usize, usize),
                     near: &[align::Fragment],
                     side: fn(&align::Fragment) -> (usize, usize)| {
        let covered: usize = near
            .iter()
            .map(|f| side(f).1.min(g.1).saturating_sub(side(f).0.max(g.0)))
            .sum();
        (g.1 - g.0).saturating_sub(covered)
    };
    // Whether most char bigrams of the gap `g` of `s` are missing from the other side `o` around its
    // own gap `h` (widened by twice the gap and the merge distance): clauses swapped inside the
    // passage, too short to be fragments, are there.
    let absent = |s: &Seq, g: (usize, usize), o: &Seq, h: (usize, usize)| {
        let w = 2 * (g.1 - g.0) + MOVED_CLAUSE_REACH;
        // `char_bigrams` sorts, so membership is a binary search.
        let there = crate::text::dice::char_bigrams(
            &o.chars[h.0.saturating_sub(w)..(h.1 + w).min(o.chars.len())],
        );
        let gap = crate::text::dice::char_bigrams(&s.chars[g.0..g.1]);
        let found = gap
            .iter()
            .filter(|b| there.binary_search(b).is_ok())
            .count();
        2 * found < gap.len()
    };
    let cut = |i: usize| {
        let (f, g) = (&frags[i - 1], &frags[i]);
        if !(f.a.1 <= g.a.0 && f.b.1 <= g.b.0 && f.a.1 > 0 && f.b.1 > 0) {
            return false;
        }
        if g.a.0 >= sa.len() || g.b.0 >= sb.len() {
            return false;
        }
        let near = &frags[i.saturating_sub(NEAR_FRAGMENTS)..(i + NEAR_FRAGMENTS).min(frags.len())];
        let (x, y) = ((f.a.1, g.a.0), (f.b.1, g.b.0));
        // A longer gap is a jump to text elsewhere (a passage of repeated text), not one sentence.
        if x.1 - x.0 > LONGEST_SENTENCE || y.1 - y.0 > LONGEST_SENTENCE {
            return false;
        }
        (x.1 - x.0 >= LACKED_SENTENCE
            && ends_sentence(ta, sa, x)
            && uncovered(x, near, |f| f.a) >= LACKED_SENTENCE
            && absent(sa, x, sb, y))
            || (y.1 - y.0 >= LACKED_SENTENCE
                && ends_sentence(tb, sb, y)
                && uncovered(y, near, |f| f.b) >= LACKED_SENTENCE
                && absent(sb, y, sa, x))
    };
    let cuts: Vec<usize> = (1..frags.len()).filter(|&i| cut(i)).collect();
    if cuts.is_empty() {
        return vec![r];
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for i in cuts.into_iter().chain([frags.len()]) {
        out.push(align::Region::of(frags[from..i].to_vec(), r.score));
        from = i;
    }
    out
}

type ViewRanges = ((usize, usize), (usize, usize));

/// Checks a region against the similarity floor.
fn accept(
    a: Side,
    b: Side,
    r: &align::Region,
    params: &ReuseParams,
) -> Option<(align::Region, ViewRanges, PassageKind, f64)> {
    let check = |r: &align::Region| {
        let (va, vb) = exact_edges(a, b, r);
        let (kind, similarity) = describe(a, b, r, va, vb);
        // Short passages must be close copies: a loosely similar sentence of 20–40 chars is what two
        // documents of the genre share naturally (`2013年是…的开局之年` / `2023年是…的开局之年`).
        let short = (r.b.1 - r.b.0).min(r.a.1 - r.a.0) < 2 * params.min_len;
        let floor = if short {
            params.min_similarity.max(params.short_min_similarity)
        } else {
            params.min_similarity
        };
        (similarity >= floor).then_some(((va, vb), kind, similarity))
    };
    if let Some((v, k, s)) = check(r) {
        return Some((r.clone(), v, k, s));
    }
    None
}

fn clamp(span: Span, text: &Text) -> Span {
    let n = text.len_chars();
    Span::new(span.start.min(n), span.end.min(n).max(span.start.min(n)))
}

/// Includes a sentence-final mark right after the passage when both texts have one there: the copied
/// sentence ends with it, and PAN-style boundaries count it.
fn with_sentence_end(
    a: &Text,
    a_span: Span,
    pa: Span,
    b: &Text,
    b_span: Span,
    pb: Span,
) -> (Span, Span) {
    let end_mark = |t: &Text, lim: Span, p: Span| {
        p.end < lim.end
            && t.char_at(p.end)
                .is_some_and(|c| matches!(c, '。' | '；' | '！' | '？' | ';' | '!' | '?'))
    };
    if end_mark(a, a_span, pa) && end_mark(b, b_span, pb) {
        (
            Span::new(pa.start, pa.end + 1),
            Span::new(pb.start, pb.end + 1),
        )
    } else {
        (pa, pb)
    }
}

fn classify_one(
    p: &mut Passage,
    ca: &[char],
    cb: &[char],
    corpus: Option<(&Corpus, &[u64])>,
    params: &ReuseParams,
) {
    p.formula_share = formula::formula_share(ca).max(formula::formula_share(cb));
    let mut boiler = p.formula_share >= params.formula_share;
    if let Some((corpus, exclude)) = corpus {
        let df = corpus
            .document_frequency(ca, exclude)
            .max(corpus.document_frequency(cb, exclude));
        p.df = Some(df);
        let min_df = params
            .boilerplate_min_df
            .unwrap_or_else(|| corpus.default_boilerplate_df());
        boiler |= df >= min_df;
    }
    p.class = if boiler {
        PassageClass::Boilerplate
    } else {
        PassageClass::Distinctive
    };
}

/// One side of a comparison: the text and the canonical sequence built from it (whose view chars are
/// recomputed from the text where a passage needs them).
type Side<'a> = (&'a Text, &'a Seq);

/// View ranges of a fragment, widened over identical view chars at both edges: a filler the sequence
/// dropped (`扎实推进` in both texts) belongs to the passage when both texts have it there.
fn widen((ta, sa): Side, (tb, sb): Side, f: &align::Fragment) -> ((usize, usize), (usize, usize)) {
    let (mut a0, mut a1) = sa.view_range(f.a.0, f.a.1);
    let (mut b0, mut b1) = sb.view_range(f.b.0, f.b.1);
    let same = |x: &char, y: &char| x == y && *x != MASK;
    // The view chars beyond the edges are recomputed in growing windows: most edges stop at once.
    let mut step = 8;
    loop {
        let n = step.min(a0).min(b0);
        if n == 0 {
            break;
        }
        let (xa, xb) = (sa.view_chars(ta, a0 - n, a0), sb.view_chars(tb, b0 - n, b0));
        let k = xa
            .iter()
            .rev()
            .zip(xb.iter().rev())
            .take_while(|(x, y)| same(x, y))
            .count();
        a0 -= k;
        b0 -= k;
        if k < n {
            break;
        }
        step *= 2;
    }
    let mut step = 8;
    loop {
        let n = step
            .min(sa.view.len().saturating_sub(a1))
            .min(sb.view.len().saturating_sub(b1));
        if n == 0 {
            break;
        }
        let (xa, xb) = (sa.view_chars(ta, a1, a1 + n), sb.view_chars(tb, b1, b1 + n));
        let k = xa.iter().zip(&xb).take_while(|(x, y)| same(x, y)).count();
        a1 += k;
        b1 += k;
        if k < n {
            break;
        }
        step *= 2;
    }
    ((a0, a1), (b0, b1))
}

/// View ranges of a region: the cover of its widened fragments.
fn exact_edges(sa: Side, sb: Side, r: &align::Region) -> ((usize, usize), (usize, usize)) {
    let mut a = (usize::MAX, 0);
    let mut b = (usize::MAX, 0);
    for f in &r.fragments {
        let (fa, fb) = widen(sa, sb, f);
        a = (a.0.min(fa.0), a.1.max(fa.1));
        b = (b.0.min(fb.0), b.1.max(fb.1));
    }
    if a.0 > a.1 {
        return (sa.1.view_range(r.a.0, r.a.1), sb.1.view_range(r.b.0, r.b.1));
    }
    (a, b)
}

/// Kind and similarity of a region, from a char diff of the (unmapped) view chars over the view ranges
/// `(a0, a1)` and `(b0, b1)`.
fn describe(
    sa: Side,
    sb: Side,
    r: &align::Region,
    (a0, a1): (usize, usize),
    (b0, b1): (usize, usize),
) -> (PassageKind, f64) {
    // The view chars of the ranges only, recomputed: `va[i - a0]` is view char `i` of side a.
    let (va, vb) = (sa.1.view_chars(sa.0, a0, a1), sb.1.view_chars(sb.0, b0, b1));
    let reordered = r.reordered();
    let pieces: Vec<((usize, usize), (usize, usize))> = if reordered {
        r.fragments.iter().map(|f| widen(sa, sb, f)).collect()
    } else {
        vec![((a0, a1), (b0, b1))]
    };
    // Fragment pieces may start before the widened edges only by construction; clamp them.
    let pieces: Vec<((usize, usize), (usize, usize))> = pieces
        .into_iter()
        .map(|((x0, x1), (y0, y1))| ((x0.max(a0), x1.min(a1)), (y0.max(b0), y1.min(b1))))
        .filter(|((x0, x1), (y0, y1))| x0 < x1 && y0 < y1)
        .collect();
    let (mut mask, mut replace, mut indel) = (false, false, false);
    // Matched chars are marked per side, so fragments that overlap (a phrase used twice) count once.
    let mut hit_a = vec![false; a1 - a0];
    let mut hit_b = vec![false; b1 - b0];
    for ((x0, x1), (y0, y1)) in pieces {
        let (x, y) = (&va[x0 - a0..x1 - a0], &vb[y0 - b0..y1 - b0]);
        let mut mark = |ro: std::ops::Range<usize>, rn: std::ops::Range<usize>| {
            for i in ro {
                if let Some(h) = hit_a.get_mut(x0 + i - a0) {
                    *h = true;
                }
            }
            for j in rn {
                if let Some(h) = hit_b.get_mut(y0 + j - b0) {
                    *h = true;
                }
            }
        };
        for op in capture_diff_slices(Algorithm::Myers, x, y) {
            let (tag, ro, rn) = op.as_tag_tuple();
            let (o, n) = (&x[ro.clone()], &y[rn.clone()]);
            if tag == DiffTag::Equal {
                mark(ro, rn);
                continue;
            }
            let all_mask = |s: &[char]| !s.is_empty() && s.iter().all(|&c| c == MASK);
            if all_mask(o) || all_mask(n) {
                mask = true;
                mark(ro, rn);
                continue;
            }
            if o.contains(&MASK) || n.contains(&MASK) {
                mask = true;
            }
            match tag {
                DiffTag::Replace => replace = true,
                _ => indel = true,
            }
        }
    }
    let matched = hit_a.iter().filter(|&&h| h).count() + hit_b.iter().filter(|&&h| h).count();
    let total = (a1 - a0) + (b1 - b0);
    let aligned = if total == 0 {
        0.0
    } else {
        (matched as f64 / total as f64).min(1.0)
    };
    // Bigram overlap does not care about order, so clause swaps and reordered sentences keep their
    // similarity; the diff measure credits masks. Take the better of the two.
    let similarity = aligned.max(char_bigram_dice(&va, &vb));
    let kind = if reordered {
        PassageKind::Reordered
    } else if mask {
        PassageKind::Template
    } else if indel {
        PassageKind::Edited
    } else if replace {
        PassageKind::Substituted
    } else {
        PassageKind::Verbatim
    };
    (kind, (similarity * 1000.0).round() / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passage(a: (usize, usize), b: (usize, usize)) -> Passage {
        Passage {
            a: Span::new(a.0, a.1),
            b: Span::new(b.0, b.1),
            kind: PassageKind::Verbatim,
            similarity: 1.0,
            class: PassageClass::Distinctive,
            df: None,
            formula_share: 0.0,
            a_chars: a.1 - a.0,
            b_chars: b.1 - b.0,
        }
    }

    /// The shape seen in corpus mode on 浙江 2024 vs 2025: one sentence of B found against two places of
    /// A by two windows (the larger is kept), and a passage touching another on B only.
    #[test]
    fn disjoint_keeps_the_larger_of_overlapping_passages() {
        let kept = disjoint(vec![
            passage((5255, 5308), (6115, 6179)),
            passage((1841, 1897), (6104, 6179)),
            passage((2044, 2070), (7079, 7102)),
            passage((5958, 5983), (7098, 7123)),
            passage((100, 140), (200, 240)),
        ]);
        let spans: Vec<(usize, usize)> = kept.iter().map(|p| (p.b.start, p.b.end)).collect();
        assert_eq!(spans, vec![(200, 240), (6104, 6179), (7098, 7123)]);
    }
}
