//! Alignment of one sibling list against another, then of the children of matched sections, level
//! by level (the lists of one level in parallel; the depth of the outline never becomes recursion
//! depth).

use std::collections::VecDeque;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;
use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::body::{BodySide, body_diff};
use super::score::{MATCH_VIEW, Tok, char_tok, token_similarity};
use super::topic::{Lexicon, TermVector, Words, cosine, shared_terms};
use super::{Correspondence, DiffOp, DiffPiece, SectionRef, Side, Status, Unit, round4};
use crate::outline::{Section, SectionKind};
use crate::segment::WordSegmenter;
use crate::segment::{is_clause_end, is_sentence_end};
use crate::text::view::MASK;
use crate::text::{Span, View};

/// Char n-gram length of body fingerprints (char granularity).
const CHAR_GRAM: usize = 4;
/// Word n-gram length of body fingerprints (word granularity).
const WORD_GRAM: usize = 2;
/// A pair must score at least this to be matched.
const MIN_SCORE: f64 = 0.3;
/// …and have at least this body similarity, unless the headings are at least [`MIN_HEADING`] alike.
const MIN_BODY: f64 = 0.12;
const MIN_HEADING: f64 = 0.6;
/// Second pass: pairs that are each other's best candidate need only this score…
const LOOSE_SCORE: f64 = 0.09;
/// …and this body similarity.
const LOOSE_BODY: f64 = 0.05;
/// Fingerprints at least this large weigh the body fully; smaller ones weigh the heading more.
const FULL_BODY: usize = 20;
/// Body weight of a pair score when both bodies are large.
const BODY_WEIGHT: f64 = 0.65;
/// `same` needs identical normalised headings and at least this body similarity.
const SAME_BODY: f64 = 0.9;
/// `reworded` needs at least this body similarity.
const REWORDED_BODY: f64 = 0.6;
/// A left-over section joins a split/merge group when at least this share of it lies in the group's
/// section on the other side…
const PART_CONTAINED: f64 = 0.5;
/// …and it adds at least this share of that section's fingerprint to what the partner covers.
const PART_GAIN: f64 = 0.1;
/// Left-over sections smaller than this (fingerprint size) never join a group.
const PART_MIN: usize = 10;
/// Fingerprint hashes found in more units than this (of one list) are ignored at that level.
const MAX_POSTING: usize = 256;
/// Up to this many pairs, every pair's headings are compared; beyond, only pairs sharing body text.
const ALL_PAIRS: usize = 250_000;
/// Up to this many pairs, the one-to-one matching is a global assignment (Hungarian, cubic in the
/// list length); beyond, best score first.
const ASSIGNMENT_PAIRS: usize = 40_000;
/// A pair is a topical candidate when the cosine of its content-word vectors is at least this…
const MIN_TOPIC: f64 = 0.2;
/// …and the part of the topical score that counts towards the pair score.
const TOPIC_WEIGHT: f64 = 1.0;
/// Pairs whose enclosing parts play different roles (review against tasks) have their topical
/// score multiplied by this.
const ROLE_MISMATCH: f64 = 0.5;
/// Weight of the headings' own cosine in the topical score.
const HEADING_TOPIC: f64 = 0.5;
/// Sections of different families have their topical score multiplied by this…
const FAMILY_MISMATCH: f64 = 0.8;
/// …or by this when each has sections of its own family on the other side (and a five-year point
/// against a one-year one when one-year points stand beside it).
const FAMILY_ALTERNATIVE: f64 = 0.5;
/// Below the top level, goals against tasks (or the government's conduct) where the other side has
/// sections of the same role: their topical score is multiplied by this.
const ROLE_ALTERNATIVE: f64 = 0.7;
/// Sections left over anywhere in the alignment pair across parts from this topical score, each the
/// other's best by [`MUTUAL_MARGIN`] ([`pair_left_overs`]).
const LEFT_TOPIC: f64 = 0.3;
/// Sections left unmatched that are each other's best topical partner are matched from this topical
/// score.
const MUTUAL_TOPIC: f64 = 0.1;
/// …each ahead of its second best by this factor (a section every other one resembles a little,
/// the stock content of two unrelated speeches, is nobody's counterpart).
const MUTUAL_MARGIN: f64 = 1.2;
/// A left-over section joins a group on topic alone when its best topical score is at least this…
const GROUP_TOPIC: f64 = 0.2;
/// …and at least this many times its second best.
const GROUP_MARGIN: f64 = 1.5;
/// A left-over section joins the group of a section one of whose children it matches with at least
/// this topical score (and [`GROUP_MARGIN`] times that of any other section's children).
const CHILD_TOPIC: f64 = 0.4;
/// A pair is carried by one child when that child is at least this many times closer to the other
/// section than any sibling ([`carried`]).
const CARRY_MARGIN: f64 = 2.0;
/// …among at least this many children (with two, one of them often holds most of the text).
const CARRY_CHILDREN: usize = 3;
/// Shared key terms listed as a pair's evidence.
const EVIDENCE_TERMS: usize = 5;

/// One document prepared for comparison.
pub(crate) struct Doc<'a> {
    side: Side<'a>,
    view: View,
    /// Word tokens of the body (word granularity): span and hashed normalised form.
    words: Option<Vec<(Span, Tok)>>,
    segmenter: Option<&'a WordSegmenter>,
    /// Content words of the body, for topical similarity (`None` when not computed).
    topic: Option<Words>,
    lex: &'a Lexicon<'a>,
    /// Segmenter for sentence diffs of matched bodies (`None`: no body diffs).
    body_diff: Option<&'a WordSegmenter>,
    /// Hash of the token n-gram starting at each token of the body (chars or words): hashed once,
    /// sliced by every section at every level.
    grams: Vec<u64>,
}

/// A section or paragraph with its fingerprints.
pub(crate) struct UnitData<'a> {
    r: SectionRef,
    section: Option<&'a Section>,
    has_heading: bool,
    heading_span: Span,
    htoks: Vec<Tok>,
    fp: Vec<u64>,
    /// Content-word vector (empty when topics are not computed).
    tv: TermVector,
    /// Content-word vector of the heading alone.
    hv: TermVector,
    /// What the section is (review, tasks…), read from its heading or its parent's.
    role: Role,
    /// Whether the heading itself says it speaks of five years (`五年来，…`, `——这五年，…`).
    five_year: bool,
}

/// Openings that make a heading speak of a five-year term rather than of one year.
const FIVE_YEARS: &[&str] = &[
    "五年来",
    "过去五年",
    "过去的五年",
    "这五年",
    "近五年",
    "五年间",
    "五年里",
];

/// Whether a heading speaks of five years only (`五年来，我们…`, not `过去五年及2022年工作回顾`).
fn speaks_of_five_years(heading: &str) -> bool {
    FIVE_YEARS.iter().any(|w| heading.contains(w))
        && !heading.contains("年工作")
        && !heading.contains("及")
        && !heading.contains("和")
}

/// The part a section plays in a work report, read from its heading (or its enclosing part's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Not known.
    Unknown,
    /// A review of past work (`工作回顾`, `过去五年`).
    Review,
    /// Guiding ideas and targets (`总体要求`, `主要预期目标`).
    Goals,
    /// Tasks for the coming period (`重点工作`, `政府工作任务`, `建议`).
    Tasks,
    /// The government's own conduct (`政府自身建设`).
    Government,
}

impl Role {
    fn of(heading: &str) -> Role {
        let has = |ws: &[&str]| ws.iter().any(|w| heading.contains(w));
        if has(&["自身建设", "政府建设"]) {
            Role::Government
        } else if has(&["回顾", "过去", "工作总结"]) {
            Role::Review
        } else if has(&[
            "总体要求",
            "指导思想",
            "预期目标",
            "政策取向",
            "总体思路",
            "目标任务",
        ]) {
            Role::Goals
        } else if has(&["任务", "重点工作", "建议", "工作安排", "工作部署"]) {
            Role::Tasks
        } else {
            Role::Unknown
        }
    }

    /// The role as one bit of a set.
    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// Whether two roles exclude each other: looking back against looking ahead. Goals, tasks and the
    /// government's own conduct all speak of the coming period, and one report's `目标任务和重点工作`
    /// holds what another splits into `总体要求` and `工作任务`.
    fn differs(self, other: Role) -> bool {
        self != Role::Unknown
            && other != Role::Unknown
            && (self == Role::Review) != (other == Role::Review)
    }
}

impl<'a> Doc<'a> {
    pub(crate) fn new(
        side: Side<'a>,
        segmenter: Option<&'a WordSegmenter>,
        topic: Option<Words>,
        lex: &'a Lexicon<'a>,
        body_diff: Option<&'a WordSegmenter>,
    ) -> Doc<'a> {
        let body = side.outline.document.body;
        let view = View::with_options(side.text, body, MATCH_VIEW);
        let words = segmenter.map(|seg| {
            seg.words(side.text, body)
                .into_iter()
                .filter_map(|w| {
                    let (s, e) = (
                        view.index_at_or_after(w.start),
                        view.index_at_or_after(w.end),
                    );
                    let chars = &view.chars()[s..e.max(s)];
                    if chars.is_empty() {
                        return None; // punctuation or white space only
                    }
                    let tok = if chars.contains(&MASK) {
                        Tok::MASK
                    } else {
                        Tok(crate::fingerprint::hash_chars(chars) & !(1 << 63))
                    };
                    Some((w, tok))
                })
                .collect()
        });
        let mut doc = Doc {
            side,
            view,
            words,
            segmenter,
            topic,
            lex,
            body_diff,
            grams: Vec::new(),
        };
        let toks = doc.tokens(body);
        doc.grams = toks.windows(doc.gram()).map(hash_gram).collect();
        doc
    }

    /// The body in the [`MATCH_VIEW`] view.
    pub(crate) fn view(&self) -> &View {
        &self.view
    }

    /// Tokens per n-gram of the body fingerprint.
    fn gram(&self) -> usize {
        if self.words.is_some() {
            WORD_GRAM
        } else {
            CHAR_GRAM
        }
    }

    /// Index range of a span's tokens among the body's tokens.
    fn token_range(&self, span: Span) -> (usize, usize) {
        let (s, e) = match &self.words {
            None => (
                self.view.index_at_or_after(span.start),
                self.view.index_at_or_after(span.end),
            ),
            Some(words) => (
                words.partition_point(|(w, _)| w.start < span.start),
                words.partition_point(|(w, _)| w.start < span.end),
            ),
        };
        (s, e.max(s))
    }

    /// The (whole section, heading) content-word vectors of a span and its heading.
    fn term_vectors(&self, heading: Span, whole: Span) -> (TermVector, TermVector) {
        match &self.topic {
            Some(w) => w.vectors(self.lex, heading, whole),
            None => Default::default(),
        }
    }

    /// View chars of a span as tokens (a mask is one wildcard token).
    fn char_tokens(&self, span: Span) -> Vec<Tok> {
        let (s, e) = (
            self.view.index_at_or_after(span.start),
            self.view.index_at_or_after(span.end),
        );
        self.view.chars()[s..e.max(s)]
            .iter()
            .map(|&c| char_tok(c))
            .collect()
    }

    /// Tokens of a span: view chars, or words starting inside it.
    fn tokens(&self, span: Span) -> Vec<Tok> {
        match &self.words {
            None => self.char_tokens(span),
            Some(words) => {
                let s = words.partition_point(|(w, _)| w.start < span.start);
                let e = words.partition_point(|(w, _)| w.start < span.end);
                words[s..e.max(s)].iter().map(|(_, t)| *t).collect()
            }
        }
    }

    /// The body fingerprint of a span: sorted, deduplicated hashes of its token n-grams.
    fn fingerprint(&self, span: Span) -> Vec<u64> {
        let (s, e) = self.token_range(span);
        let n = self.gram();
        let mut fp: Vec<u64> = if e - s >= n {
            self.grams[s..=e - n].to_vec()
        } else if e > s {
            vec![hash_gram(&self.tokens(span))]
        } else {
            Vec::new()
        };
        fp.sort_unstable();
        fp.dedup();
        fp
    }

    fn excerpt(&self, span: Span) -> String {
        let mut out = String::new();
        let mut n = 0;
        let mut last_space = true;
        // The body starts right after the heading: skip the punctuation that closed it.
        let body = self.side.text.slice(span).trim_start_matches(|c: char| {
            c.is_whitespace() || is_sentence_end(c) || is_clause_end(c)
        });
        for c in body.chars() {
            if n >= 60 {
                out.push('…');
                break;
            }
            if c.is_whitespace() {
                if !last_space {
                    out.push(' ');
                    n += 1;
                }
                last_space = true;
                continue;
            }
            last_space = false;
            out.push(c);
            n += 1;
        }
        out.trim_end().to_string()
    }

    /// A section's unit; `vectors` are its (whole, heading) vectors when already computed.
    fn section_unit(
        &self,
        s: &'a Section,
        path: Vec<usize>,
        parent: Role,
        vectors: Option<(TermVector, TermVector)>,
    ) -> UnitData<'a> {
        let hs = Span::new(
            s.heading_span.start.clamp(s.span.start, s.span.end),
            s.heading_span.end.clamp(s.span.start, s.span.end),
        );
        let body = Span::new(hs.end.max(s.span.start), s.span.end);
        let (tv, hv) = vectors.unwrap_or_else(|| self.term_vectors(hs, s.span));
        UnitData {
            r: SectionRef {
                path,
                marker: s.marker.clone(),
                heading: s.heading.clone(),
                span: s.span,
                excerpt: self.excerpt(body),
            },
            section: Some(s),
            has_heading: true,
            heading_span: hs,
            // Headings are short: char level in both granularities, so masks match what they hide.
            htoks: self.char_tokens(hs),
            fp: self.fingerprint(body),
            tv,
            hv,
            // Inside a part that looks back (or ahead), a heading's own word does not turn it the
            // other way: `——脱贫攻坚任务胜利完成` in a review is no task.
            role: match Role::of(&s.heading) {
                r if r == Role::Unknown || r.differs(parent) => parent,
                r => r,
            },
            five_year: speaks_of_five_years(&s.heading),
        }
    }

    fn paragraph_unit(&self, span: Span, index: usize) -> UnitData<'a> {
        UnitData {
            r: SectionRef {
                path: vec![index],
                marker: String::new(),
                heading: String::new(),
                span,
                excerpt: self.excerpt(span),
            },
            section: None,
            has_heading: false,
            heading_span: Span::new(span.start, span.start),
            htoks: Vec::new(),
            fp: self.fingerprint(span),
            tv: self.term_vectors(Span::new(span.start, span.start), span).0,
            hv: TermVector::default(),
            role: Role::Unknown,
            five_year: false,
        }
    }

    /// Top-level units: the outline's sections, or the body's paragraphs.
    pub(crate) fn top_units(&self, unit: Unit) -> Vec<UnitData<'a>> {
        match unit {
            Unit::Section => self
                .side
                .outline
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| self.section_unit(s, vec![i], Role::Unknown, None))
                .collect(),
            Unit::Paragraph => self
                .paragraph_spans()
                .into_iter()
                .enumerate()
                .map(|(i, p)| self.paragraph_unit(p, i))
                .collect(),
        }
    }

    /// The body's paragraphs, clipped to the body: a flattened text's one long line starts before
    /// the body (with the salutation) and still belongs to it.
    pub(crate) fn paragraph_spans(&self) -> Vec<Span> {
        let body = self.side.outline.document.body;
        let all = &self.side.segments.paragraphs;
        let from = all.partition_point(|p| p.span.end <= body.start);
        all[from..]
            .iter()
            .take_while(|p| p.span.start < body.end)
            .map(|p| Span::new(p.span.start.max(body.start), p.span.end.min(body.end)))
            .filter(|p| p.start < p.end)
            .collect()
    }

    /// The children of a unit, to be built by the job that aligns them, with their vectors when
    /// [`Doc::child_vectors`] computed them already.
    fn child_specs(u: &UnitData<'a>, vectors: Vec<(TermVector, TermVector)>) -> Vec<UnitSpec<'a>> {
        let Some(s) = u.section else {
            return Vec::new();
        };
        let mut vectors = vectors.into_iter();
        s.children
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let mut path = u.r.path.clone();
                path.push(k);
                UnitSpec {
                    section: c,
                    path,
                    role: u.role,
                    vectors: vectors.next(),
                }
            })
            .collect()
    }

    /// Puts a section of an upper list among the units of a child list, before the first unit that
    /// starts after it; it is built afresh there (fingerprints are pruned per list).
    fn insert_spec(list: &mut Vec<UnitSpec<'a>>, u: &UnitData<'a>) {
        let Some(s) = u.section else { return };
        let at = list.partition_point(|x| x.section.span.start < u.r.span.start);
        list.insert(
            at,
            UnitSpec {
                section: s,
                path: u.r.path.clone(),
                role: u.role,
                vectors: Some((u.tv.clone(), u.hv.clone())),
            },
        );
    }

    /// The units of a child list.
    fn build(&self, specs: Vec<UnitSpec<'a>>) -> Vec<UnitData<'a>> {
        specs
            .into_iter()
            .map(|u| self.section_unit(u.section, u.path, u.role, u.vectors))
            .collect()
    }

    /// Content-word vectors (whole section, heading) of a unit's children.
    fn child_vectors(&self, u: &UnitData<'_>) -> Vec<(TermVector, TermVector)> {
        let Some(s) = u.section else {
            return Vec::new();
        };
        s.children
            .iter()
            .map(|c| {
                let hs = Span::new(
                    c.heading_span.start.clamp(c.span.start, c.span.end),
                    c.heading_span.end.clamp(c.span.start, c.span.end),
                );
                self.term_vectors(hs, c.span)
            })
            .collect()
    }

    /// The own text of a unit for its body diff: after the heading, children left out.
    fn body_side(&self, u: &UnitData<'_>) -> BodySide<'_> {
        BodySide {
            text: self.side.text,
            segments: self.side.segments,
            body: Span::new(u.heading_span.end.max(u.r.span.start), u.r.span.end),
            children: u
                .section
                .map(|s| s.children.iter().map(|c| c.span).collect())
                .unwrap_or_default(),
        }
    }

    /// Heading tokens for the inline diff: chars, or jieba words, of the original heading.
    fn diff_tokens(&self, u: &UnitData<'_>) -> Vec<String> {
        match self.segmenter {
            None => u.r.heading.chars().map(String::from).collect(),
            Some(seg) => seg
                .words(self.side.text, u.heading_span)
                .into_iter()
                .map(|w| self.side.text.slice(w).to_string())
                .collect(),
        }
    }
}

/// Best pair score each unit takes part in, for the outline similarity.
pub(crate) struct Credits {
    a: FxHashMap<Vec<usize>, f64>,
    b: FxHashMap<Vec<usize>, f64>,
    total: usize,
}

impl Credits {
    pub(crate) fn new(a: &Doc<'_>, b: &Doc<'_>, unit: Unit) -> Credits {
        let count = |d: &Doc<'_>| match unit {
            Unit::Section => d.side.outline.count(),
            Unit::Paragraph => d.paragraph_spans().len(),
        };
        Credits {
            a: FxHashMap::default(),
            b: FxHashMap::default(),
            total: count(a) + count(b),
        }
    }

    /// Credits the pair scores of one list, in their order.
    fn apply(&mut self, log: CreditLog) {
        for (a, b, score) in log {
            for (map, path) in [(&mut self.a, a), (&mut self.b, b)] {
                let e = map.entry(path).or_insert(0.0);
                *e = e.max(score);
            }
        }
    }

    pub(crate) fn outline_similarity(&self) -> f64 {
        if self.total == 0 {
            return 1.0;
        }
        let sum: f64 = self
            .a
            .values()
            .chain(self.b.values())
            .fold(0.0, |s, v| s + v);
        (sum / self.total as f64).min(1.0)
    }
}

/// Shared fingerprint hashes of the pairs of a sibling list × sibling list, stored sparsely (only
/// pairs that share something), so long paragraph lists cost memory in proportion to their overlap.
struct Pairs {
    /// For each A unit: (B index, shared hashes), sorted by B index.
    by_a: Vec<Vec<(u32, u32)>>,
    /// For each B unit: (A index, shared hashes), sorted by A index.
    by_b: Vec<Vec<(u32, u32)>>,
}

impl Pairs {
    fn inter(&self, i: usize, j: usize) -> usize {
        let row = &self.by_a[i];
        match row.binary_search_by_key(&(j as u32), |e| e.0) {
            Ok(k) => row[k].1 as usize,
            Err(_) => 0,
        }
    }
}

/// Hash of a token n-gram.
fn hash_gram(w: &[Tok]) -> u64 {
    crate::fingerprint::hash_tokens(w.iter().map(|t| t.0))
}

fn dice(inter: usize, x: &UnitData<'_>, y: &UnitData<'_>) -> f64 {
    let total = x.fp.len() + y.fp.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * inter as f64 / total as f64
}

fn heading_sim(x: &UnitData<'_>, y: &UnitData<'_>) -> Option<f64> {
    (x.has_heading && y.has_heading).then(|| token_similarity(&x.htoks, &y.htoks))
}

/// Combined score: body and heading, the heading weighing more when bodies are small.
fn pair_score(h: Option<f64>, body: f64, x: &UnitData<'_>, y: &UnitData<'_>) -> f64 {
    let Some(h) = h else {
        return body;
    };
    let small = x.fp.len().min(y.fp.len());
    if x.fp.is_empty() && y.fp.is_empty() {
        return h;
    }
    let wb = BODY_WEIGHT * (small.min(FULL_BODY) as f64 / FULL_BODY as f64);
    wb * body + (1.0 - wb) * h
}

/// Status of a one-to-one, in-order pair.
fn classify(h: Option<f64>, body: f64) -> Status {
    match h {
        None if body >= SAME_BODY => Status::Same,
        None => Status::Rewritten,
        Some(h) if h >= 0.9999 && body >= SAME_BODY => Status::Same,
        Some(h) if h < 0.9999 && body >= REWORDED_BODY => Status::Reworded,
        Some(_) => Status::Rewritten,
    }
}

/// Topical score of a pair: the cosine of the content-word vectors of the whole sections plus
/// half that of the headings alone (the heading names the topic), lowered when the enclosing parts
/// play different roles or the sections are of different families (a dash point against a
/// numbered point).
fn topic_score(x: &UnitData<'_>, y: &UnitData<'_>, ctx: Context) -> f64 {
    let mut c = cosine(&x.tv, &y.tv) + HEADING_TOPIC * cosine(&x.hv, &y.hv);
    if x.role.differs(y.role) {
        c *= ROLE_MISMATCH;
    }
    let (fx, fy) = (family(x), family(y));
    if fx != fy {
        // Where each side also has sections of the other's family (a summary dash list and the numbered
        // review points on both sides), a pair across families is the exception.
        let alternatives = ctx.b.families & (1 << fx) != 0 && ctx.a.families & (1 << fy) != 0;
        c *= if alternatives {
            FAMILY_ALTERNATIVE
        } else {
            FAMILY_MISMATCH
        };
    } else if kind_bit(x) != kind_bit(y)
        && (ctx.b.kinds & kind_bit(x) != 0 || ctx.a.kinds & kind_bit(y) != 0)
    {
        // Numbered points of different kinds (`（四）` against `五是`) where one of them has a partner of
        // its own kind on the other side (the tasks `（一）…` beside the principles `一是…`).
        c *= ROLE_ALTERNATIVE;
    }
    // A five-year series next to one-year points (`五年来，…` leads, then `一是…`): its points answer
    // the other report's five-year points, not its one-year ones, when that side has one-year points.
    if x.five_year != y.five_year {
        let one_year_beside = if x.five_year {
            ctx.a.one_year
        } else {
            ctx.b.one_year
        };
        if one_year_beside {
            c *= FAMILY_ALTERNATIVE;
        }
    }
    // Below the top, where a group's children come from several parts: tasks answer tasks and goals
    // goals, when the other side has sections of the same role.
    if x.r.path.len() > 1
        && y.r.path.len() > 1
        && x.role != y.role
        && x.role != Role::Unknown
        && y.role != Role::Unknown
        && (ctx.b.roles & x.role.bit() != 0 || ctx.a.roles & y.role.bit() != 0)
    {
        c *= ROLE_ALTERNATIVE;
    }
    c.min(1.0)
}

/// What one sibling list holds: its families (bit `1 << family`), its roles ([`Role::bit`]), and
/// whether it has points that do not speak of five years.
#[derive(Clone, Copy, Default)]
struct ListShape {
    families: u8,
    kinds: u16,
    roles: u8,
    one_year: bool,
}

/// The shapes of the two sibling lists being aligned.
#[derive(Clone, Copy)]
struct Context {
    a: ListShape,
    b: ListShape,
}

impl Context {
    fn of(xs: &[UnitData<'_>], ys: &[UnitData<'_>]) -> Context {
        let shape = |us: &[UnitData<'_>]| {
            us.iter().fold(ListShape::default(), |s, u| ListShape {
                families: s.families | (1 << family(u)),
                kinds: s.kinds | kind_bit(u),
                roles: s.roles | u.role.bit(),
                one_year: s.one_year || !u.five_year,
            })
        };
        Context {
            a: shape(xs),
            b: shape(ys),
        }
    }
}

/// The section's kind as one bit of a set (paragraphs have their own bit).
fn kind_bit(u: &UnitData<'_>) -> u16 {
    match u.section.map(|s| s.kind) {
        None => 1,
        Some(k) => 2 << (k as u16),
    }
}

/// Whether the likeness of `u` (with children `kids`) to `other` is carried by one child: that child
/// alone is closer to `other` than the whole of `u`, and [`CARRY_MARGIN`] times closer than any
/// other child.
fn carried(kids: &[(TermVector, TermVector)], u: &UnitData<'_>, other: &UnitData<'_>) -> bool {
    if kids.len() < CARRY_CHILDREN {
        return false;
    }
    let (mut best, mut second) = (0.0f64, 0.0f64);
    for (tv, _) in kids {
        let c = cosine(tv, &other.tv);
        if c > best {
            second = best;
            best = c;
        } else {
            second = second.max(c);
        }
    }
    best > cosine(&u.tv, &other.tv) && best >= CARRY_MARGIN * second
}

/// The unit of the other side one of whose children is closest to `u` (by content-word cosine).
fn closest_parent(kids: &[Vec<(TermVector, TermVector)>], u: &UnitData<'_>) -> Option<usize> {
    let mut best = (0.0f64, None);
    for (k, list) in kids.iter().enumerate() {
        for (tv, _) in list {
            let c = cosine(tv, &u.tv);
            if c > best.0 {
                best = (c, Some(k));
            }
        }
    }
    best.1
}

/// The index of the clearly best score: at least `min` and [`GROUP_MARGIN`] times the second best.
fn clear_best(scores: impl Iterator<Item = (f64, usize)>, min: f64) -> Option<usize> {
    best_by(scores, min, GROUP_MARGIN)
}

/// The index of the best score when it is at least `min` and `margin` times the second best.
fn best_by(scores: impl Iterator<Item = (f64, usize)>, min: f64, margin: f64) -> Option<usize> {
    let mut best = (0.0, usize::MAX);
    let mut second = 0.0f64;
    for (t, k) in scores {
        if t > best.0 {
            second = second.max(best.0);
            best = (t, k);
        } else {
            second = second.max(t);
        }
    }
    (best.0 >= min && best.0 >= margin * second).then_some(best.1)
}

/// Left-over units of one side (`left`, neither matched nor in a group yet) join the group of the
/// other side's unit that `target` names, when that unit is matched, `may_grow(unit, its partner)`
/// allows it and the left-over is of its partner's family and series ([`series_keys`]). `groups`:
/// other-side unit → the left-over units that joined it.
fn join_left_overs(
    (left, series): (&[UnitData<'_>], &[(u64, u32)]),
    left_match: &[Option<usize>],
    left_extra: &mut [bool],
    other_match: &[Option<usize>],
    target: impl Fn(usize) -> Option<usize>,
    may_grow: impl Fn(usize, usize) -> bool,
    groups: &mut FxHashMap<usize, Vec<usize>>,
) {
    for u in 0..left.len() {
        if left_match[u].is_some() || left_extra[u] {
            continue;
        }
        let Some(o) = target(u) else { continue };
        let Some(partner) = other_match[o] else {
            continue;
        };
        if !may_grow(o, partner)
            || family(&left[u]) != family(&left[partner])
            || !same_series(series[u], series[partner])
        {
            continue;
        }
        groups.entry(o).or_default().push(u);
        left_extra[u] = true;
    }
}

/// Families of sections that play alike: numbered points of any marker (`（一）`, `一是`, `1.`),
/// dash points, lead sentences; paragraphs.
fn family(u: &UnitData<'_>) -> u8 {
    kind_family(u.section.map(|s| s.kind))
}

/// [`family`] of a section kind (`None`: a paragraph).
fn kind_family(kind: Option<SectionKind>) -> u8 {
    match kind {
        None => 0,
        Some(SectionKind::Dash) => 1,
        Some(SectionKind::Lead) => 2,
        Some(_) => 3,
    }
}

/// The numbered run each unit belongs to among its siblings: numbering that starts again under one
/// parent (`（一）…（三）` of the year, then `（一）…（九）` of the five years) begins another series, a
/// list of its own that another series' sections do not merge into. Key: (parent path, kind, run);
/// sections without ordinal (dashes, leads) and paragraphs are all in run 0.
fn series_keys(us: &[UnitData<'_>]) -> Vec<(u64, u32)> {
    let mut last: FxHashMap<(u64, u16), (u32, u32)> = FxHashMap::default();
    us.iter()
        .map(|u| {
            let parent = crate::fingerprint::hash_tokens(
                u.r.path[..u.r.path.len().saturating_sub(1)]
                    .iter()
                    .map(|&k| k as u64),
            );
            let ordinal = u.section.map_or(0, |s| s.ordinal);
            if ordinal == 0 {
                return (parent, 0);
            }
            let e = last.entry((parent, kind_bit(u))).or_insert((0, 0));
            if ordinal <= e.0 {
                e.1 += 1;
            }
            e.0 = ordinal;
            (parent, (kind_bit(u) as u32) << 16 | e.1)
        })
        .collect()
}

/// Whether two units of one list may stand in one split or merge group: not two series of one parent.
fn same_series(x: (u64, u32), y: (u64, u32)) -> bool {
    x.0 != y.0 || x.1 >> 16 != y.1 >> 16 || x.1 == y.1
}

/// A section of a child list, before its fingerprints and vectors are computed: the section, its
/// path and the role of its enclosing part.
pub(crate) struct UnitSpec<'a> {
    section: &'a Section,
    path: Vec<usize>,
    role: Role,
    /// Its (whole, heading) vectors, when computed already.
    vectors: Option<(TermVector, TermVector)>,
}

/// A child list alignment still to do: where its rows go (list id and row index of the parent row
/// in the arena) and its units.
type Job<'a> = ((usize, usize), Vec<UnitSpec<'a>>, Vec<UnitSpec<'a>>);

/// Aligns two sibling lists and, below matched sections, their children, breadth first: the lists
/// of one depth are built and aligned in parallel (they are independent), then taken in order, so
/// the list ids and the order in which pair scores are credited do not depend on the threads. The
/// row lists are then put together bottom up.
pub(crate) fn align_units<'a>(
    da: &Doc<'a>,
    db: &Doc<'a>,
    xs: Vec<UnitData<'a>>,
    ys: Vec<UnitData<'a>>,
    credits: &mut Credits,
) -> Vec<Correspondence> {
    let mut lists: Vec<Vec<Correspondence>> = Vec::new();
    let mut parents: Vec<Option<(usize, usize)>> = Vec::new();
    let mut log = Vec::new();
    let (rows, below) = align_list(da, db, xs, ys, &mut log);
    credits.apply(log);
    lists.push(rows);
    parents.push(None);
    let mut wave: Vec<Job<'a>> = below
        .into_iter()
        .map(|(row, cx, cy)| ((0, row), cx, cy))
        .collect();
    while !wave.is_empty() {
        let done: Vec<_> = wave
            .into_par_iter()
            .map(|(parent, cx, cy)| {
                let mut log = Vec::new();
                let (rows, below) = align_list(da, db, da.build(cx), db.build(cy), &mut log);
                (parent, rows, below, log)
            })
            .collect();
        wave = Vec::new();
        for (parent, rows, below, log) in done {
            let id = lists.len();
            credits.apply(log);
            lists.push(rows);
            parents.push(Some(parent));
            wave.extend(below.into_iter().map(|(row, cx, cy)| ((id, row), cx, cy)));
        }
    }
    // A list's id is larger than its parent's, so walking ids downwards fills children first.
    for id in (1..lists.len()).rev() {
        let rows = std::mem::take(&mut lists[id]);
        if let Some((p, r)) = parents[id] {
            lists[p][r].children = rows;
        }
    }
    lists.into_iter().next().unwrap_or_default()
}

/// Child lists to align below the rows of one list: (row index, A children, B children).
type Below<'a> = Vec<(usize, Vec<UnitSpec<'a>>, Vec<UnitSpec<'a>>)>;

/// Pair scores of one list, in the order they were found, for [`Credits::apply`].
type CreditLog = Vec<(Vec<usize>, Vec<usize>, f64)>;

/// Aligns one sibling list against another; returns its rows and the child lists to align next.
fn align_list<'a>(
    da: &Doc<'a>,
    db: &Doc<'a>,
    xs: Vec<UnitData<'a>>,
    ys: Vec<UnitData<'a>>,
    credits: &mut CreditLog,
) -> (Vec<Correspondence>, Below<'a>) {
    let (n, m) = (xs.len(), ys.len());
    if n == 0 && m == 0 {
        return (Vec::new(), Vec::new());
    }
    // Hashes shared by more than MAX_POSTING units of either list are boilerplate at this level: they
    // are dropped from both sides' fingerprints (so identical units still score 1.0), which bounds the
    // work below by fingerprint size × MAX_POSTING.
    let mut xs = xs;
    let mut ys = ys;
    // Identity of each unit's content (heading tokens and full fingerprint), taken before common
    // hashes are dropped: long lists of repeated units keep nothing else to tell them apart.
    let identity = |u: &UnitData| {
        crate::fingerprint::hash_tokens(
            u.htoks
                .iter()
                .map(|t| t.0)
                .chain([u64::MAX - 1])
                .chain(u.fp.iter().copied()),
        )
    };
    let (ids_a, ids_b): (Vec<u64>, Vec<u64>) = if n * m > ASSIGNMENT_PAIRS {
        (
            xs.iter().map(identity).collect(),
            ys.iter().map(identity).collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    if n > MAX_POSTING || m > MAX_POSTING {
        let mut freq: FxHashMap<u64, (u32, u32)> = FxHashMap::default();
        for x in &xs {
            for &h in &x.fp {
                freq.entry(h).or_default().0 += 1;
            }
        }
        for y in &ys {
            for &h in &y.fp {
                freq.entry(h).or_default().1 += 1;
            }
        }
        let common = |h: &u64| {
            freq.get(h)
                .is_some_and(|&(a, b)| a as usize > MAX_POSTING || b as usize > MAX_POSTING)
        };
        for u in xs.iter_mut().chain(ys.iter_mut()) {
            u.fp.retain(|h| !common(h));
        }
    }
    let (xs, ys) = (&xs[..], &ys[..]);
    // Fingerprint intersections through an inverted index of B's fingerprints: linear in the
    // fingerprint sizes times the (short) posting lists, not in n × m × size. The posting lists lie
    // in one flat array (hash → its range), filled in two passes: no list of its own per hash, whose
    // allocations cost more than the lookups, and no chain through the array, whose jumps miss the
    // cache on long documents.
    let mut range: FxHashMap<u64, (u32, u32)> = FxHashMap::default();
    for y in ys {
        for &h in &y.fp {
            range.entry(h).or_default().1 += 1;
        }
    }
    let mut at = 0u32;
    for r in range.values_mut() {
        let count = r.1;
        *r = (at, at);
        at += count;
    }
    let mut postings = vec![0u32; at as usize];
    for (j, y) in ys.iter().enumerate() {
        for &h in &y.fp {
            if let Some(r) = range.get_mut(&h) {
                postings[r.1 as usize] = j as u32;
                r.1 += 1;
            }
        }
    }
    let mut pairs = Pairs {
        by_a: Vec::with_capacity(n),
        by_b: vec![Vec::new(); m],
    };
    // Shared hashes per B unit for the current A unit, and the B units touched.
    let mut counts = vec![0u32; m];
    let mut touched: Vec<u32> = Vec::new();
    for (i, x) in xs.iter().enumerate() {
        for h in &x.fp {
            let Some(&(from, to)) = range.get(h) else {
                continue;
            };
            for &j in &postings[from as usize..to as usize] {
                if counts[j as usize] == 0 {
                    touched.push(j);
                }
                counts[j as usize] += 1;
            }
        }
        touched.sort_unstable();
        let row: Vec<(u32, u32)> = touched
            .drain(..)
            .map(|j| (j, std::mem::take(&mut counts[j as usize])))
            .collect();
        for &(j, c) in &row {
            pairs.by_b[j as usize].push((i as u32, c));
        }
        pairs.by_a.push(row);
    }
    drop((range, postings));

    // Candidate pairs. Headings and topics alone can match sections that share no body text;
    // comparing every pair is affordable for outline-sized lists only.
    let mut candidates = Vec::new();
    let ctx = Context::of(xs, ys);
    // Topical scores of all pairs (outline-sized lists only), row-major.
    let mut topics: Vec<f64> = Vec::new();
    let mut loose = Vec::new();
    let all_pairs = n * m <= ALL_PAIRS;
    // A unit whose text lies mostly inside one unit of the other side belongs with that unit (a
    // split or merge, found below): it is not paired elsewhere on topic alone.
    let container = |row: &[(u32, u32)], size: usize| -> Option<usize> {
        let &(k, inter) = row.iter().max_by_key(|e| (e.1, std::cmp::Reverse(e.0)))?;
        (size >= PART_MIN && inter as f64 / size as f64 >= PART_CONTAINED).then_some(k as usize)
    };
    let container_a: Vec<Option<usize>> = (0..n)
        .map(|i| container(&pairs.by_a[i], xs[i].fp.len()))
        .collect();
    let container_b: Vec<Option<usize>> = (0..m)
        .map(|j| container(&pairs.by_b[j], ys[j].fp.len()))
        .collect();
    // Children's vectors per unit, where computed (kept for the child lists).
    let mut kids_a: Vec<Vec<(TermVector, TermVector)>> = vec![Vec::new(); n];
    let mut kids_b: Vec<Vec<(TermVector, TermVector)>> = vec![Vec::new(); m];
    if all_pairs {
        topics = xs
            .iter()
            .flat_map(|x| ys.iter().map(move |y| topic_score(x, y, ctx)))
            .collect();
        if da.topic.is_some() {
            kids_a = xs.iter().map(|u| da.child_vectors(u)).collect();
            kids_b = ys.iter().map(|u| db.child_vectors(u)).collect();
            // A pair whose likeness one child of either section carries is a point and the part it
            // grew into (or shrank from). Where the section resembles a child of another section
            // more, it is not that pair's counterpart: `（二）建设现代化产业体系` with its
            // `发展特色现代农业` against next year's `（五）乡村全面振兴`, which answers the point
            // `全面推进乡村振兴` of another part. Its topical score no longer pairs them; the section
            // left over is aligned among the children (below). A section whose closest child is in
            // the pair's other section may be a part become one of its points (a merge).
            // Each unit's closest parent scans every child of the other side: computed only for the
            // few pairs that reach that test (it was most of this function's time on long lists).
            let best_a: Vec<std::cell::OnceCell<Option<usize>>> = vec![Default::default(); n];
            let best_b: Vec<std::cell::OnceCell<Option<usize>>> = vec![Default::default(); m];
            let best_a = |i: usize| *best_a[i].get_or_init(|| closest_parent(&kids_b, &xs[i]));
            let best_b = |j: usize| *best_b[j].get_or_init(|| closest_parent(&kids_a, &ys[j]));
            let row_best: Vec<f64> = (0..n)
                .map(|i| (0..m).map(|j| topics[i * m + j]).fold(0.0, f64::max))
                .collect();
            let col_best: Vec<f64> = (0..m)
                .map(|j| (0..n).map(|i| topics[i * m + j]).fold(0.0, f64::max))
                .collect();
            for i in 0..n {
                for j in 0..m {
                    let t = topics[i * m + j];
                    // The section whose child carries the pair has a closer partner elsewhere.
                    if t >= MUTUAL_TOPIC
                        && ((t < row_best[i]
                            && carried(&kids_a[i], &xs[i], &ys[j])
                            && best_b(j) != Some(i))
                            || (t < col_best[j]
                                && carried(&kids_b[j], &ys[j], &xs[i])
                                && best_a(i) != Some(j)))
                    {
                        topics[i * m + j] = 0.0;
                    }
                }
            }
        }
    }
    for (i, x) in xs.iter().enumerate() {
        let js: Vec<usize> = if all_pairs {
            (0..m).collect()
        } else {
            pairs.by_a[i].iter().map(|e| e.0 as usize).collect()
        };
        for j in js {
            let y = &ys[j];
            let inter = pairs.inter(i, j);
            let h = heading_sim(x, y);
            let t = if all_pairs { topics[i * m + j] } else { 0.0 };
            if inter == 0 && h.is_none_or(|h| h < MIN_HEADING) && t < MIN_TOPIC {
                continue;
            }
            let body = dice(inter, x, y);
            let lexical = pair_score(h, body, x, y);
            let lexical_ok =
                lexical >= MIN_SCORE && (body >= MIN_BODY || h.is_some_and(|h| h >= MIN_HEADING));
            let score = lexical.max(TOPIC_WEIGHT * t);
            let held_elsewhere =
                container_a[i].is_some_and(|k| k != j) || container_b[j].is_some_and(|k| k != i);
            if lexical_ok || (t >= MIN_TOPIC && !held_elsewhere) {
                candidates.push((score, i, j));
            } else if lexical >= LOOSE_SCORE && body >= LOOSE_BODY {
                loose.push((lexical.max(t), i, j));
            }
        }
    }
    let mut match_a: Vec<Option<usize>> = vec![None; n];
    let mut match_b: Vec<Option<usize>> = vec![None; m];
    if n * m <= ASSIGNMENT_PAIRS {
        assign(&candidates, &mut match_a, &mut match_b);
    } else {
        pair_identical(&ids_a, &ids_b, &mut match_a, &mut match_b);
        greedy(&mut candidates, &mut match_a, &mut match_b);
    }
    // Second pass, for rewritten texts (this year's report against last year's): among the sections
    // still unmatched, pairs that are each other's best candidate clear a lower bar.
    // Repeated, since a match can make another pair mutually best.
    loop {
        loose.retain(|&(_, i, j)| match_a[i].is_none() && match_b[j].is_none());
        let mut best_a: Vec<Option<(f64, usize)>> = vec![None; n];
        let mut best_b: Vec<Option<(f64, usize)>> = vec![None; m];
        for &(score, i, j) in &loose {
            if best_a[i].is_none_or(|(s, _)| score > s) {
                best_a[i] = Some((score, j));
            }
            if best_b[j].is_none_or(|(s, _)| score > s) {
                best_b[j] = Some((score, i));
            }
        }
        let mut mutual: Vec<(f64, usize, usize)> = loose
            .iter()
            .copied()
            .filter(|&(_, i, j)| {
                best_a[i].is_some_and(|(_, bj)| bj == j) && best_b[j].is_some_and(|(_, bi)| bi == i)
            })
            .collect();
        if mutual.is_empty() {
            break;
        }
        greedy(&mut mutual, &mut match_a, &mut match_b);
    }

    // Rewritten texts again: sections still unmatched whose best topical partner, among all the
    // other side's sections (ahead of the second), is each other match from a lower topical score
    // (a reworded review point whose words mostly changed still shares its subject with its
    // counterpart more than with anything else).
    if !topics.is_empty() {
        for j in 0..m {
            if match_b[j].is_some() {
                continue;
            }
            let Some(i) = best_by(
                (0..n).map(|i| (topics[i * m + j], i)),
                MUTUAL_TOPIC,
                MUTUAL_MARGIN,
            ) else {
                continue;
            };
            if match_a[i].is_none()
                && best_by(
                    (0..m).map(|k| (topics[i * m + k], k)),
                    MUTUAL_TOPIC,
                    MUTUAL_MARGIN,
                ) == Some(j)
            {
                match_a[i] = Some(j);
                match_b[j] = Some(i);
            }
        }
    }
    // Which matches keep their order: the longest run of pairs increasing on both sides.
    let in_order = increasing_pairs(&match_a);
    let (series_a, series_b) = (series_keys(xs), series_keys(ys));

    // Split groups (A section → several B sections) and merge groups (several A sections → one B).
    let mut split: FxHashMap<usize, Vec<usize>> = FxHashMap::default(); // i → extra js
    let mut extra_b = vec![false; m];
    for j in 0..m {
        if match_b[j].is_some() || ys[j].fp.len() < PART_MIN {
            continue;
        }
        let best = pairs.by_b[j]
            .iter()
            .filter(|e| match_a[e.0 as usize].is_some())
            .map(|e| (e.1 as usize, e.0 as usize))
            .max();
        let Some((inter, i)) = best else { continue };
        let partner = match_a[i].unwrap_or_default();
        if inter as f64 / ys[j].fp.len() as f64 >= PART_CONTAINED
            && same_series(series_b[j], series_b[partner])
            && gains(&pairs, i, partner, j, xs[i].fp.len(), true)
        {
            split.entry(i).or_default().push(j);
            extra_b[j] = true;
        }
    }
    let mut merge: FxHashMap<usize, Vec<usize>> = FxHashMap::default(); // j → extra is
    let mut extra_a = vec![false; n];
    for i in 0..n {
        if match_a[i].is_some() || xs[i].fp.len() < PART_MIN {
            continue;
        }
        let best = pairs.by_a[i]
            .iter()
            .filter(|e| match_b[e.0 as usize].is_some_and(|p| !split.contains_key(&p)))
            .map(|e| (e.1 as usize, e.0 as usize))
            .max();
        let Some((inter, j)) = best else { continue };
        let partner = match_b[j].unwrap_or_default();
        if inter as f64 / xs[i].fp.len() as f64 >= PART_CONTAINED
            && same_series(series_a[i], series_a[partner])
            && gains(&pairs, partner, j, i, ys[j].fp.len(), false)
        {
            merge.entry(j).or_default().push(i);
            extra_a[i] = true;
        }
    }
    // Left-over sections aligned among the children of a matched section of the other side: A
    // units by B unit, B units by A unit.
    let mut descend_a: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    let mut descend_b: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    // Rewritten texts: a left-over section whose topic clearly is that of one matched section of the
    // other side (its best topical partner, well ahead of the second best) joins that section's
    // group, as when two review points of one year become one point the next.
    if !topics.is_empty() {
        let topic = |i: usize, j: usize| topics[i * m + j];
        // A matched pair whose bodies are the same text holds nothing else: a left-over section
        // joins a group only where the partner has room for it (a dropped section is not "merged"
        // into an unchanged neighbour it resembles).
        let whole = |i: usize, j: usize| dice(pairs.inter(i, j), &xs[i], &ys[j]) >= SAME_BODY;
        // A left-over section may be one point of a section of the other side grown into a section
        // of its own (`（九）…文化…` made of last year's `提升城市文化软实力` inside `（九）民生`; a part
        // `四、建设人民满意的服务型政府` become the point `（十二）…政府自身建设` of next year's tasks): its
        // topic is clearly that of one child of a matched section, so it is aligned among that
        // section's children, where it can pair with the point itself (across levels) and its own
        // points with the point's. Children's vectors only for a side whose other side has left-over
        // sections.
        let by_child =
            |u: &UnitData<'_>, kids: &[Vec<(TermVector, TermVector)>], other: &[UnitData<'_>]| {
                if u.tv.terms.is_empty() {
                    return None;
                }
                // Each partner's best child, for its family.
                let mut best_child = vec![usize::MAX; kids.len()];
                let scores: Vec<(f64, usize)> = kids
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| !u.role.differs(other[*k].role))
                    .map(|(k, list)| {
                        let (t, c) = list
                            .iter()
                            .enumerate()
                            .map(|(c, (tv, hv))| {
                                (cosine(&u.tv, tv) + HEADING_TOPIC * cosine(&u.hv, hv), c)
                            })
                            .fold((0.0f64, usize::MAX), |a, b| if b.0 > a.0 { b } else { a });
                        best_child[k] = c;
                        (t, k)
                    })
                    .collect();
                let k = clear_best(scores.into_iter(), CHILD_TOPIC)?;
                let child = other[k]
                    .section
                    .and_then(|s| s.children.get(best_child[k]))
                    .map(|c| c.kind);
                // A lead sentence with points of its own heads a part (a flattened report's
                // `加强政府自身建设` before its `坚持…` leads): it is like a numbered point.
                let like = u.section.is_some_and(|s| {
                    kind_family(child) == family(u)
                        || (s.kind == SectionKind::Lead
                            && !s.children.is_empty()
                            && kind_family(child) == kind_family(Some(SectionKind::Part)))
                });
                Some((k, like))
            };
        // Each left-over's clearly best partner by its children, and whether it is like that child
        // (once per unit: both passes below read it).
        let of_left_overs = |units: &[UnitData<'a>],
                             matched: &[Option<usize>],
                             extra: &[bool],
                             kids: &[Vec<(TermVector, TermVector)>],
                             other: &[UnitData<'a>]|
         -> Vec<Option<(usize, bool)>> {
            (0..units.len())
                .map(|i| {
                    let left = matched[i].is_none() && !extra[i];
                    left.then(|| by_child(&units[i], kids, other)).flatten()
                })
                .collect()
        };
        let child_b = of_left_overs(ys, &match_b, &extra_b, &kids_a, xs);
        let child_a = of_left_overs(xs, &match_a, &extra_a, &kids_b, ys);
        // A left-over section whose counterpart is one of the children of its best partner is
        // aligned among those children (below) rather than joining the partner's group.
        join_left_overs(
            (ys, &series_b),
            &match_b,
            &mut extra_b,
            &match_a,
            |j| {
                let t = clear_best((0..n).map(|i| (topic(i, j), i)), GROUP_TOPIC);
                t.filter(|&i| child_b[j] != Some((i, true)))
            },
            |i, partner| !merge.contains_key(&partner) && !whole(i, partner),
            &mut split,
        );
        join_left_overs(
            (xs, &series_a),
            &match_a,
            &mut extra_a,
            &match_b,
            |i| {
                let t = clear_best((0..m).map(|j| (topic(i, j), j)), GROUP_TOPIC);
                t.filter(|&j| child_a[i] != Some((j, true)))
            },
            |j, partner| !split.contains_key(&partner) && !whole(partner, j),
            &mut merge,
        );
        // A section like the child (a numbered part become a numbered point) is aligned among the
        // children; one of another kind (a lead sentence grown into a numbered point) joins the group.
        // Aligned among the children, a section joins no group: the other side's section may be
        // in a split or merge group already.
        for like in [true, false] {
            let target = |x: Option<(usize, bool)>| x.filter(|t| t.1 == like).map(|t| t.0);
            join_left_overs(
                (ys, &series_b),
                &match_b,
                &mut extra_b,
                &match_a,
                |j| target(child_b[j]),
                |i, partner| (like || !merge.contains_key(&partner)) && !whole(i, partner),
                if like { &mut descend_b } else { &mut split },
            );
            join_left_overs(
                (xs, &series_a),
                &match_a,
                &mut extra_a,
                &match_b,
                |i| target(child_a[i]),
                |j, partner| (like || !split.contains_key(&partner)) && !whole(partner, j),
                if like { &mut descend_a } else { &mut merge },
            );
        }
    }

    // Rows in reading order: A's order, and each B-only unit just before the first in-order pair
    // that follows it in B.
    let mut rows = Vec::new();
    let mut below: Below<'a> = Vec::new();
    let mut next_b = 0;
    let flush_b = |upto: usize, rows: &mut Vec<Correspondence>, next_b: &mut usize| {
        while *next_b < upto {
            let j = *next_b;
            if match_b[j].is_none() && !extra_b[j] {
                rows.push(only(Status::OnlyB, &ys[j]));
            }
            *next_b += 1;
        }
    };
    for i in 0..n {
        if extra_a[i] {
            continue; // shown with its merge group
        }
        let Some(j) = match_a[i] else {
            rows.push(only(Status::OnlyA, &xs[i]));
            continue;
        };
        if in_order[i] {
            flush_b(j, &mut rows, &mut next_b);
        }
        let group_a: Vec<usize> = std::iter::once(i)
            .chain(merge.get(&j).into_iter().flatten().copied())
            .collect();
        let group_b: Vec<usize> = std::iter::once(j)
            .chain(split.get(&i).into_iter().flatten().copied())
            .collect();
        let status = if group_b.len() > 1 {
            Some(Status::Split)
        } else if group_a.len() > 1 {
            Some(Status::Merged)
        } else if !in_order[i] {
            Some(Status::Moved)
        } else {
            None
        };
        let first = rows.len();
        for &gi in &group_a {
            for &gj in &group_b {
                rows.push(pair_row(
                    da, db, xs, ys, ctx, &pairs, gi, gj, status, credits,
                ));
            }
        }
        let mut cx: Vec<UnitSpec<'a>> = group_a
            .iter()
            .flat_map(|&gi| Doc::child_specs(&xs[gi], std::mem::take(&mut kids_a[gi])))
            .collect();
        let mut cy: Vec<UnitSpec<'a>> = group_b
            .iter()
            .flat_map(|&gj| Doc::child_specs(&ys[gj], std::mem::take(&mut kids_b[gj])))
            .collect();
        for &gj in &group_b {
            for &k in descend_a.get(&gj).into_iter().flatten() {
                Doc::insert_spec(&mut cx, &xs[k]);
            }
        }
        for &gi in &group_a {
            for &k in descend_b.get(&gi).into_iter().flatten() {
                Doc::insert_spec(&mut cy, &ys[k]);
            }
        }
        if !cx.is_empty() || !cy.is_empty() {
            below.push((first, cx, cy));
        }
    }
    flush_b(m, &mut rows, &mut next_b);
    (rows, below)
}

/// Sections still unmatched anywhere in the alignment whose topics are each other's best among all
/// such sections of the other side, by a margin, pair across parts: a point moved to another part
/// (`坚持教育优先发展` from the industry part one year, `建设教育强市` in the people's-livelihood part the
/// next) has no partner among its new siblings, so the lists aligned level by level never met it.
/// Only the top-most left-overs take part (the children of a pair so made are aligned below it), and
/// never a review against a plan.
pub(crate) fn pair_left_overs<'a>(
    da: &Doc<'a>,
    db: &Doc<'a>,
    rows: &mut Vec<Correspondence>,
    credits: &mut Credits,
) {
    if da.topic.is_none() || db.topic.is_none() {
        return;
    }
    // Top-most `only_a` / `only_b` rows: (row location, outline path).
    let mut left_a: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut left_b: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut stack: Vec<(Vec<usize>, &Correspondence)> =
        rows.iter().enumerate().map(|(k, r)| (vec![k], r)).collect();
    while let Some((loc, r)) = stack.pop() {
        match (r.status, &r.a, &r.b) {
            (Status::OnlyA, Some(x), _) => left_a.push((loc, x.path.clone())),
            (Status::OnlyB, _, Some(y)) => left_b.push((loc, y.path.clone())),
            _ => stack.extend(r.children.iter().enumerate().map(|(k, c)| {
                let mut l = loc.clone();
                l.push(k);
                (l, c)
            })),
        }
    }
    if left_a.is_empty() || left_b.is_empty() {
        return;
    }
    let units = |d: &Doc<'a>, left: &[(Vec<usize>, Vec<usize>)]| -> Vec<UnitData<'a>> {
        left.par_iter()
            .filter_map(|(_, path)| {
                let s = d.side.outline.get(path)?;
                Some(d.section_unit(s, path.clone(), enclosing_role(d, path), None))
            })
            .collect()
    };
    let (xs, ys) = rayon::join(|| units(da, &left_a), || units(db, &left_b));
    if xs.len() != left_a.len() || ys.len() != left_b.len() {
        return; // a path the outline does not hold: nothing is moved
    }
    let (n, m) = (xs.len(), ys.len());
    let ctx = Context::of(&xs, &ys);
    let topics: Vec<f64> = xs
        .iter()
        .flat_map(|x| {
            ys.iter().map(move |y| {
                if x.role.differs(y.role) {
                    0.0
                } else {
                    topic_score(x, y, ctx)
                }
            })
        })
        .collect();
    let mut log = Vec::new();
    let mut new_rows: Vec<(usize, Correspondence)> = Vec::new();
    let mut gone_b: Vec<usize> = Vec::new();
    for i in 0..n {
        let Some(j) = best_by(
            (0..m).map(|j| (topics[i * m + j], j)),
            LEFT_TOPIC,
            MUTUAL_MARGIN,
        ) else {
            continue;
        };
        if best_by(
            (0..n).map(|k| (topics[k * m + j], k)),
            LEFT_TOPIC,
            MUTUAL_MARGIN,
        ) != Some(i)
        {
            continue;
        }
        let inter = crate::text::dice::sorted_intersection(&xs[i].fp, &ys[j].fp) as u32;
        let pairs = Pairs {
            by_a: (0..n)
                .map(|k| {
                    if k == i {
                        vec![(j as u32, inter)]
                    } else {
                        Vec::new()
                    }
                })
                .collect(),
            by_b: Vec::new(),
        };
        let mut row = pair_row(
            da,
            db,
            &xs,
            &ys,
            ctx,
            &pairs,
            i,
            j,
            Some(Status::Moved),
            &mut log,
        );
        let (cx, cy) = (
            Doc::child_specs(&xs[i], Vec::new()),
            Doc::child_specs(&ys[j], Vec::new()),
        );
        row.children = match (xs[i].section, ys[j].section) {
            _ if !cx.is_empty() && !cy.is_empty() => {
                align_units(da, db, da.build(cx), db.build(cy), credits)
            }
            (Some(s), _) if !cx.is_empty() => only_children(Status::OnlyA, s, &xs[i].r.path),
            (_, Some(s)) if !cy.is_empty() => only_children(Status::OnlyB, s, &ys[j].r.path),
            _ => Vec::new(),
        };
        new_rows.push((i, row));
        gone_b.push(j);
    }
    credits.apply(log);
    for (i, row) in new_rows {
        if let Some(r) = row_at(rows, &left_a[i].0) {
            *r = row;
        }
    }
    // Later rows first, so that removing one does not move the others.
    let mut gone: Vec<&Vec<usize>> = gone_b.iter().map(|&j| &left_b[j].0).collect();
    gone.sort_unstable_by(|x, y| y.cmp(x));
    for loc in gone {
        let Some((&last, parent)) = loc.split_last() else {
            continue;
        };
        let list = if parent.is_empty() {
            Some(&mut *rows)
        } else {
            row_at(rows, parent).map(|r| &mut r.children)
        };
        if let Some(l) = list.filter(|l| last < l.len()) {
            l.remove(last);
        }
    }
}

/// The role of the part enclosing a section: the nearest ancestor whose heading names one.
fn enclosing_role(d: &Doc<'_>, path: &[usize]) -> Role {
    (1..path.len())
        .rev()
        .filter_map(|k| d.side.outline.get(&path[..k]))
        .map(|s| Role::of(&s.heading))
        .find(|r| *r != Role::Unknown)
        .unwrap_or(Role::Unknown)
}

/// The row at a location (indices from the top-level rows down through children).
fn row_at<'r>(rows: &'r mut [Correspondence], loc: &[usize]) -> Option<&'r mut Correspondence> {
    let (&first, rest) = loc.split_first()?;
    let mut cur = rows.get_mut(first)?;
    for &k in rest {
        cur = cur.children.get_mut(k)?;
    }
    Some(cur)
}

/// Which A units are matched in order: the longest subsequence of matched A units whose partners
/// increase (patience sorting, O(n log n)); ties go to the earlier unit.
fn increasing_pairs(match_a: &[Option<usize>]) -> Vec<bool> {
    let seq: Vec<(usize, usize)> = match_a
        .iter()
        .enumerate()
        .filter_map(|(i, j)| j.map(|j| (i, j)))
        .collect();
    // tails[k] = index into seq of the smallest tail of an increasing run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for (k, &(_, j)) in seq.iter().enumerate() {
        let pos = tails.partition_point(|&t| seq[t].1 < j);
        if pos > 0 {
            prev[k] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut in_order = vec![false; match_a.len()];
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        in_order[seq[k].0] = true;
        cur = prev[k];
    }
    in_order
}

/// Matches candidate pairs one to one by a global assignment that maximises the sum of squared
/// scores (squaring keeps a strong pair from being traded for two middling ones); ties are broken
/// towards the diagonal, so repeated identical sections keep their order.
fn assign(
    candidates: &[(f64, usize, usize)],
    match_a: &mut [Option<usize>],
    match_b: &mut [Option<usize>],
) {
    let (n, m) = (match_a.len(), match_b.len());
    if candidates.is_empty() || n == 0 || m == 0 {
        return;
    }
    let transpose = n > m;
    let (rows, cols) = if transpose { (m, n) } else { (n, m) };
    let mut w = Matrix::new(rows, cols, 0i64);
    let mut ok = Matrix::new(rows, cols, false);
    for &(score, i, j) in candidates {
        let off = (i as f64 / n as f64 - j as f64 / m as f64).abs();
        let v = (score * score * 1e6) as i64 * 16 + (16.0 * (1.0 - off)) as i64 + 1;
        let (r, c) = if transpose { (j, i) } else { (i, j) };
        w[(r, c)] = v;
        ok[(r, c)] = true;
    }
    let (_, cols_of) = kuhn_munkres(&w);
    for (r, &c) in cols_of.iter().enumerate() {
        if !ok[(r, c)] {
            continue;
        }
        let (i, j) = if transpose { (c, r) } else { (r, c) };
        match_a[i] = Some(j);
        match_b[j] = Some(i);
    }
}

/// Matches candidate pairs one to one, best score first. Ties go to the pair closer to the diagonal,
/// so repeated identical sections keep their order.
/// Pairs units of identical content before scores are compared, the k-th occurrence in A with the
/// k-th in B: in long lists (where only the greedy pass runs) repeated units would otherwise score
/// nothing once their shared fingerprints are dropped as common.
fn pair_identical(
    ids_a: &[u64],
    ids_b: &[u64],
    match_a: &mut [Option<usize>],
    match_b: &mut [Option<usize>],
) {
    let mut in_b: FxHashMap<u64, std::collections::VecDeque<usize>> = FxHashMap::default();
    for (j, &id) in ids_b.iter().enumerate() {
        in_b.entry(id).or_default().push_back(j);
    }
    for (i, &id) in ids_a.iter().enumerate() {
        if let Some(j) = in_b.get_mut(&id).and_then(|q| q.pop_front()) {
            match_a[i] = Some(j);
            match_b[j] = Some(i);
        }
    }
}

fn greedy(
    candidates: &mut [(f64, usize, usize)],
    match_a: &mut [Option<usize>],
    match_b: &mut [Option<usize>],
) {
    candidates.sort_by(|p, q| {
        q.0.total_cmp(&p.0)
            .then_with(|| p.1.abs_diff(p.2).cmp(&q.1.abs_diff(q.2)))
            .then_with(|| p.1.cmp(&q.1))
    });
    for &(_, i, j) in candidates.iter() {
        if match_a[i].is_none() && match_b[j].is_none() {
            match_a[i] = Some(j);
            match_b[j] = Some(i);
        }
    }
}

/// Whether adding `extra` to the pair (`i` of A, `partner` of B) covers `i` (or, mirrored, `partner`)
/// notably better than the partner alone.
fn gains(pairs: &Pairs, i: usize, j: usize, extra: usize, size: usize, split: bool) -> bool {
    if size == 0 {
        return false;
    }
    let base = pairs.inter(i, j) as f64 / size as f64;
    let added = if split {
        pairs.inter(i, extra)
    } else {
        pairs.inter(extra, j)
    } as f64
        / size as f64;
    added >= PART_GAIN && base + added > base
}

fn only(status: Status, u: &UnitData<'_>) -> Correspondence {
    let children = match u.section {
        None => Vec::new(),
        Some(s) => only_children(status, s, &u.r.path),
    };
    only_row(status, u.r.clone(), children)
}

fn only_row(status: Status, r: SectionRef, children: Vec<Correspondence>) -> Correspondence {
    let is_a = status == Status::OnlyA;
    Correspondence {
        status,
        a: is_a.then(|| r.clone()),
        b: (!is_a).then_some(r),
        heading_similarity: None,
        body_similarity: None,
        topic_similarity: None,
        confidence: None,
        evidence: Vec::new(),
        heading_diff: Vec::new(),
        body_diff: None,
        children,
    }
}

/// Rows for the descendants of a section found on one side only, level by level (no recursion).
fn only_children(status: Status, s: &Section, path: &[usize]) -> Vec<Correspondence> {
    let mut lists: Vec<Vec<Correspondence>> = Vec::new();
    let mut parents: Vec<Option<(usize, usize)>> = Vec::new();
    // (parent row as (list, index), section, its path)
    type Pending<'s> = (Option<(usize, usize)>, &'s Section, Vec<usize>);
    let mut queue: VecDeque<Pending> = VecDeque::from([(None, s, path.to_vec())]);
    while let Some((parent, s, path)) = queue.pop_front() {
        let id = lists.len();
        let mut rows = Vec::with_capacity(s.children.len());
        for (k, c) in s.children.iter().enumerate() {
            let mut p = path.clone();
            p.push(k);
            if !c.children.is_empty() {
                queue.push_back((Some((id, k)), c, p.clone()));
            }
            let r = SectionRef {
                path: p,
                marker: c.marker.clone(),
                heading: c.heading.clone(),
                span: c.span,
                excerpt: String::new(),
            };
            rows.push(only_row(status, r, Vec::new()));
        }
        lists.push(rows);
        parents.push(parent);
    }
    for id in (1..lists.len()).rev() {
        let rows = std::mem::take(&mut lists[id]);
        if let Some((p, r)) = parents[id] {
            lists[p][r].children = rows;
        }
    }
    lists.into_iter().next().unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn pair_row(
    da: &Doc<'_>,
    db: &Doc<'_>,
    xs: &[UnitData<'_>],
    ys: &[UnitData<'_>],
    ctx: Context,
    pairs: &Pairs,
    i: usize,
    j: usize,
    status: Option<Status>,
    credits: &mut CreditLog,
) -> Correspondence {
    let (x, y) = (&xs[i], &ys[j]);
    let inter = pairs.inter(i, j);
    let h = heading_sim(x, y);
    let body = match status {
        Some(Status::Split) | Some(Status::Merged) => {
            let small = x.fp.len().min(y.fp.len());
            if small == 0 {
                0.0
            } else {
                inter as f64 / small as f64
            }
        }
        _ => dice(inter, x, y),
    };
    let has_topic = !x.tv.terms.is_empty() && !y.tv.terms.is_empty();
    let topic = has_topic.then(|| topic_score(x, y, ctx));
    let score = pair_score(h, body, x, y).max(TOPIC_WEIGHT * topic.unwrap_or(0.0));
    credits.push((x.r.path.clone(), y.r.path.clone(), score));
    let heading_diff = if x.has_heading && y.has_heading && x.r.heading != y.r.heading {
        heading_diff(&da.diff_tokens(x), &db.diff_tokens(y))
    } else {
        Vec::new()
    };
    let evidence = if has_topic {
        shared_terms(da.lex, &x.tv, &y.tv, EVIDENCE_TERMS)
    } else {
        Vec::new()
    };
    let body_diff = da
        .body_diff
        .map(|seg| body_diff(&da.body_side(x), &db.body_side(y), seg))
        .filter(|d| !d.is_empty());
    Correspondence {
        status: status.unwrap_or_else(|| classify(h, body)),
        a: Some(x.r.clone()),
        b: Some(y.r.clone()),
        heading_similarity: h.map(round4),
        body_similarity: Some(round4(body)),
        topic_similarity: topic.map(round4),
        confidence: Some(round4(score.min(1.0))),
        evidence,
        heading_diff,
        body_diff,
        children: Vec::new(),
    }
}

/// Inline diff of two token lists, adjacent tokens of one kind joined.
pub(crate) fn heading_diff(a: &[String], b: &[String]) -> Vec<DiffPiece> {
    let mut out: Vec<DiffPiece> = Vec::new();
    let mut push = |op: DiffOp, toks: &[String]| {
        if toks.is_empty() {
            return;
        }
        let text: String = toks.concat();
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(&text),
            _ => out.push(DiffPiece { op, text }),
        }
    };
    for d in capture_diff_slices(Algorithm::Myers, a, b) {
        let (tag, old, new) = d.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(DiffOp::Equal, &a[old]),
            DiffTag::Delete => push(DiffOp::Delete, &a[old]),
            DiffTag::Insert => push(DiffOp::Insert, &b[new]),
            DiffTag::Replace => {
                push(DiffOp::Delete, &a[old]);
                push(DiffOp::Insert, &b[new]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SpeechFile;
    use crate::diff::{CompareOptions, Granularity, align};
    use crate::text::{Encoding, Text};

    fn file(s: &str) -> SpeechFile {
        SpeechFile::from_text(Text::from_string("t.txt", s, Encoding::Utf8))
    }

    const A: &str = "同志们：\n一、加强党的建设。全面从严治党，落实主体责任，持续深化作风建设，坚决反对形式主义官僚主义。\n二、推动经济发展。稳住经济大盘，扩大有效投资，加快重点项目建设，促进消费持续恢复。\n三、保障改善民生。办好民生实事，稳定和扩大就业，完善社会保障体系，提升公共服务水平。\n";

    fn align_texts(a: &str, b: &str) -> crate::diff::Alignment {
        let (fa, fb) = (file(a), file(b));
        align(
            Side::of(&fa, 0).unwrap(),
            Side::of(&fb, 0).unwrap(),
            &CompareOptions::default(),
        )
    }

    #[test]
    fn a_point_moved_to_another_part_pairs_with_itself() {
        let a = "各位代表：\n一、推动产业发展\n（一）发展特色现代农业。稳定粮食播种面积，建设高标准农田，发展设施农业和特色种养，壮大农产品加工企业，培育农业品牌。\n（二）推进新型工业化。壮大先进制造业集群，推动传统产业技术改造，培育战略性新兴产业，建设一批智能工厂。\n二、增进民生福祉\n（三）稳定和扩大就业。落实就业优先政策，促进高校毕业生就业，加强职业技能培训，建设就业驿站。\n（四）办好人民满意教育。新建改扩建中小学校，推进义务教育优质均衡，发展职业教育和高等教育。\n";
        let b = "各位代表：\n一、推动产业发展\n（一）推进新型工业化。壮大先进制造业集群，推动传统产业技术改造，培育战略性新兴产业，建设一批数字车间。\n二、增进民生福祉\n（二）稳定和扩大就业。落实就业优先政策，促进高校毕业生就业，加强职业技能培训，建设零工市场。\n（三）办好人民满意教育。新建改扩建中小学校，推进义务教育优质均衡，发展职业教育和高等教育。\n（四）发展现代农业。稳住粮食播种面积，建成高标准农田，发展设施农业和特色种养，培育农业龙头企业和农业品牌。\n";
        let al = align_texts(a, b);
        let mut moved = None;
        al.walk(|c| {
            if let (Some(x), Some(y)) = (&c.a, &c.b)
                && x.heading.contains("农业")
            {
                moved = Some((c.status, y.heading.clone()));
            }
        });
        assert_eq!(
            moved,
            Some((Status::Moved, "发展现代农业".to_string())),
            "{:#?}",
            al.alignment
        );
        assert_eq!(al.counts.only_a + al.counts.only_b, 0);
    }

    #[test]
    fn classify_follows_the_documented_thresholds() {
        assert_eq!(classify(Some(1.0), 0.95), Status::Same);
        assert_eq!(classify(Some(1.0), 0.7), Status::Rewritten);
        assert_eq!(classify(Some(0.5), 0.7), Status::Reworded);
        assert_eq!(classify(Some(0.5), 0.3), Status::Rewritten);
        assert_eq!(classify(None, 0.95), Status::Same);
        assert_eq!(classify(None, 0.5), Status::Rewritten);
    }

    #[test]
    fn heading_diff_joins_runs() {
        let t = |s: &str| s.chars().map(String::from).collect::<Vec<_>>();
        let d = heading_diff(&t("推动经济发展"), &t("推动经济高质量发展"));
        let ops: Vec<(DiffOp, &str)> = d.iter().map(|p| (p.op, p.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                (DiffOp::Equal, "推动经济"),
                (DiffOp::Insert, "高质量"),
                (DiffOp::Equal, "发展")
            ]
        );
    }

    #[test]
    fn dropped_and_new_sections_keep_their_places() {
        let b = A.replace(
            "三、保障改善民生。办好民生实事，稳定和扩大就业，完善社会保障体系，提升公共服务水平。\n",
            "三、加强生态保护。打好污染防治攻坚战，推进山水林田湖草沙一体化保护。\n",
        );
        let (fa, fb) = (file(A), file(&b));
        let al = align(
            Side::of(&fa, 0).unwrap(),
            Side::of(&fb, 0).unwrap(),
            &CompareOptions::default(),
        );
        let st: Vec<Status> = al.alignment.iter().map(|c| c.status).collect();
        assert_eq!(
            st,
            [Status::Same, Status::Same, Status::OnlyA, Status::OnlyB]
        );
        assert_eq!(al.counts.only_a, 1);
        assert!(
            al.verdict.contains("1 only in A, 1 only in B"),
            "{}",
            al.verdict
        );
    }

    #[test]
    fn masks_match_any_char_in_headings() {
        let b = A.replace("一、加强党的建设", "一、加强**的建设");
        let (fa, fb) = (file(A), file(&b));
        for granularity in [Granularity::Char, Granularity::Word] {
            let al = align(
                Side::of(&fa, 0).unwrap(),
                Side::of(&fb, 0).unwrap(),
                &CompareOptions {
                    granularity,
                    ..CompareOptions::default()
                },
            );
            let first = &al.alignment[0];
            assert!(first.heading_similarity.unwrap() >= 0.85, "{first:?}");
            assert_eq!(first.b.as_ref().unwrap().path, vec![0]);
        }
    }

    #[test]
    fn empty_sides_give_empty_alignments() {
        let fa = file("同志们：\n今天开会。");
        let al = align(
            Side::of(&fa, 0).unwrap(),
            Side::of(&fa, 0).unwrap(),
            &CompareOptions::default(),
        );
        assert_eq!(al.unit, Unit::Paragraph);
        assert!(al.alignment.iter().all(|c| c.status == Status::Same));
        assert_eq!(al.scores.text, 1.0);
        assert!(Side::of(&fa, 1).is_err());
    }

    #[test]
    fn long_paragraph_lists_drop_boilerplate_but_stay_exact() {
        // 300 paragraphs sharing one phrase (more than MAX_POSTING units), each with its own number.
        let mut a = String::new();
        for k in 0..300 {
            a.push_str(&format!(
                "要坚持稳中求进工作总基调，第{k}号任务按期完成，确保第{k}项指标达标。\n"
            ));
        }
        let b = a.replace("第7号任务按期完成", "第7号任务延期完成");
        let (fa, fb) = (file(&a), file(&b));
        assert!(fa.outlines[0].sections.is_empty());
        let al = align(
            Side::of(&fa, 0).unwrap(),
            Side::of(&fb, 0).unwrap(),
            &CompareOptions::default(),
        );
        assert_eq!(al.unit, Unit::Paragraph);
        assert_eq!(al.alignment.len(), 300);
        for (k, c) in al.alignment.iter().enumerate() {
            assert_eq!(c.b.as_ref().unwrap().path, vec![k]);
            let want = if k == 7 {
                Status::Rewritten
            } else {
                Status::Same
            };
            assert_eq!(c.status, want, "{k}: {:?}", c.body_similarity);
        }
    }
}
