//! Orchestration: everything a reader wants to know about two speeches, in one [`CompareReport`].
//!
//! Input: two [`PreparedDoc`]s and [`CompareParams`]. Output: a [`CompareReport`]: the outline
//! [`Alignment`] (from `diff`), every reused passage of the pair (from `reuse`, within the two bodies, so
//! the title block is never reported as copying) each placed on the alignment row where it falls, and both
//! documents' rhetorical-pattern figures (from `patterns`).
//!
//! How: this is the only module that calls more than one analysis stage. `diff`, `reuse` and `patterns`
//! do not know each other; here their results are joined by spans: a passage belongs to the deepest
//! alignment row whose A and B sections both hold its start, and its location on each side is the chain
//! of outline sections holding it there (so passages in unmatched sections are located too).
//!
//! ```
//! use tifa::compare::{compare, CompareParams};
//! use tifa::prepared::PreparedDoc;
//! use tifa::{Text, text::Encoding};
//! let a = &PreparedDoc::from_text(Text::from_string("a.txt",
//!     "一、加强党的建设。全面从严治党，落实管党治党主体责任，把党的政治建设摆在首位，持之以恒正风肃纪。\n二、推动经济发展。稳住经济大盘。\n",
//!     Encoding::Utf8))[0];
//! let b = &PreparedDoc::from_text(Text::from_string("b.txt",
//!     "一、推动经济发展。稳住经济大盘。\n二、加强党的建设。全面从严治党，落实管党治党主体责任，把党的政治建设摆在首位，持之以恒正风肃纪。\n",
//!     Encoding::Utf8))[0];
//! let report = compare(a, b, &CompareParams::default());
//! assert_eq!(report.passages.len(), 1);
//! // The passage sits on the row that pairs A's first part with B's second.
//! let row = report.passages[0].row.clone().unwrap();
//! let pair = &report.alignment.alignment[row[0]];
//! assert_eq!(pair.a.as_ref().unwrap().heading, "加强党的建设");
//! assert_eq!(pair.b.as_ref().unwrap().heading, "加强党的建设");
//! ```

use serde::Serialize;

use rayon::prelude::*;

use crate::diff::{self, Alignment, CompareOptions, Correspondence, Side, Unit};
use crate::outline::{Outline, Section};
use crate::patterns::{self, PatternSet};
use crate::prepared::PreparedDoc;
use crate::reuse::{self, Passage, PassageClass, ReuseParams};
use crate::text::{OverlapIndex, Span};

/// What to compute and how.
#[derive(Clone, Debug, Default)]
pub struct CompareParams {
    /// Outline alignment options.
    pub diff: CompareOptions,
    /// Reuse detection parameters.
    pub reuse: ReuseParams,
    /// The pattern set whose figures are reported for both documents (`None`: no pattern figures).
    pub patterns: Option<PatternSet>,
}

impl CompareParams {
    /// The defaults with the built-in pattern set.
    pub fn with_default_patterns() -> CompareParams {
        CompareParams {
            patterns: Some(PatternSet::default_set()),
            ..CompareParams::default()
        }
    }
}

/// Everything about two documents: alignment, reused passages, rhetoric.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareReport {
    /// The outline alignment (documents, scores, verdict, rows).
    #[serde(flatten)]
    pub alignment: Alignment,
    /// Counts of the reused passages.
    pub reuse: ReuseSummary,
    /// Every reused passage between the two bodies, in B order.
    pub passages: Vec<PlacedPassage>,
    /// Both documents' rhetorical-pattern figures, when a pattern set was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patterns: Option<PatternFigures>,
}

/// Counts of reused passages by class.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReuseSummary {
    /// Number of reused passages.
    pub passages: usize,
    /// How many are distinctive (evidence of copying).
    pub distinctive: usize,
    /// How many are boilerplate (stock formulas).
    pub boilerplate: usize,
}

/// A reused passage placed in the two outlines and on the alignment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlacedPassage {
    /// The passage as the reuse stage reports it (spans in both documents, kind, similarity, class).
    #[serde(flatten)]
    pub passage: Passage,
    /// The opening of the passage in B (at most 40 chars, white space removed).
    pub excerpt: String,
    /// Index path of the deepest alignment row whose A and B sections both hold the passage
    /// (`[2, 0]` = first child row of the third top-level row); `None` when no matched row holds it
    /// (text moved between sections that do not correspond).
    pub row: Option<Vec<usize>>,
    /// The chain of A's outline sections holding the passage (`一、… › （二）…`), or `preamble` /
    /// `closing`; empty for documents without headings.
    pub a_location: String,
    /// The chain of B's outline sections holding the passage.
    pub b_location: String,
}

/// The pattern stage's document scores of A and B side by side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PatternFigures {
    /// Scores of the A document.
    pub a: patterns::Scores,
    /// Scores of the B document.
    pub b: patterns::Scores,
}

/// Compares two prepared documents: alignment, every reused passage, pattern figures.
pub fn compare(a: &PreparedDoc, b: &PreparedDoc, params: &CompareParams) -> CompareReport {
    // The pattern figures do not depend on the alignment: both run at once.
    let ((alignment, found), patterns) = rayon::join(
        || {
            let alignment = diff::align(Side::from(a), Side::from(b), &params.diff);
            let found = passages_by_row(a, b, &alignment, &params.reuse);
            (alignment, found)
        },
        || {
            params.patterns.as_ref().map(|set| {
                let (sa, sb) = rayon::join(
                    || patterns::score_document(set, a.file(), a.outline()).scores,
                    || patterns::score_document(set, b.file(), b.outline()).scores,
                );
                PatternFigures { a: sa, b: sb }
            })
        },
    );
    let mut summary = ReuseSummary::default();
    let passages = found
        .into_iter()
        .map(|passage| {
            summary.passages += 1;
            match passage.class {
                PassageClass::Distinctive => summary.distinctive += 1,
                PassageClass::Boilerplate => summary.boilerplate += 1,
            }
            place(a, b, &alignment, passage)
        })
        .collect();
    CompareReport {
        alignment,
        reuse: summary,
        passages,
        patterns,
    }
}

/// Every reused passage of the pair, found row by row so that a passage covers corresponding text:
/// each matched top-level pair of sections is compared with itself, each preamble and closing with the
/// other body, then the two bodies (text moved between sections or in unmatched sections: everything
/// `tifa reuse` finds). Each char enters a bounded number of jobs, so the cost stays linear (comparing
/// every unmatched section with the whole other body was quadratic in the number of sections). A
/// passage of a later job overlapping one already found on either side is the same reuse seen twice (or
/// a phrase the speech repeats) and is dropped. Documents aligned paragraph by paragraph are compared
/// body to body.
fn passages_by_row(
    a: &PreparedDoc,
    b: &PreparedDoc,
    al: &Alignment,
    params: &ReuseParams,
) -> Vec<Passage> {
    if al.unit == Unit::Paragraph {
        return reuse::find_passages_between(a, b, params);
    }
    let mut jobs: Vec<(Span, Span)> = Vec::new();
    for row in &al.alignment {
        if let (Some(x), Some(y)) = (&row.a, &row.b) {
            jobs.push((x.span, y.span));
        }
    }
    let pair_jobs = jobs.len();
    // The preamble and closing are no row's, so they are looked up in the other body on their own
    // (a body-wide passage running from a preamble into the first part would be dropped below).
    let (body_a, body_b) = (a.body(), b.body());
    let (oa, ob) = (a.outline(), b.outline());
    for s in [oa.preamble, oa.closing].into_iter().flatten() {
        jobs.push((s, body_b));
    }
    for s in [ob.preamble, ob.closing].into_iter().flatten() {
        jobs.push((body_a, s));
    }
    jobs.push((body_a, body_b));
    let found: Vec<Vec<Passage>> = jobs
        .par_iter()
        .map(|&(sa, sb)| reuse::find_passages(a.text(), sa, b.text(), sb, params))
        .collect();
    let mut kept: Vec<Passage> = Vec::new();
    let (mut on_a, mut on_b) = (OverlapIndex::<usize>::new(), OverlapIndex::<usize>::new());
    for (job, ps) in found.into_iter().enumerate() {
        for p in ps {
            let seen = if job < pair_jobs {
                on_a.overlapping(p.a)
                    .any(|(_, &i)| kept[i].b.overlaps(&p.b))
            } else {
                on_a.overlapping(p.a).next().is_some() || on_b.overlapping(p.b).next().is_some()
            };
            if !seen {
                on_a.insert(p.a, kept.len());
                on_b.insert(p.b, kept.len());
                kept.push(p);
            }
        }
    }
    kept.sort_by_key(|p| (p.b.start, p.a.start));
    kept
}

fn place(a: &PreparedDoc, b: &PreparedDoc, al: &Alignment, passage: Passage) -> PlacedPassage {
    let excerpt: String = b
        .text()
        .slice(passage.b)
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(40)
        .collect();
    let mut row = Vec::new();
    let found = deepest_row(&al.alignment, passage.a, passage.b, &mut row);
    PlacedPassage {
        a_location: location(a.outline(), passage.a.start),
        b_location: location(b.outline(), passage.b.start),
        row: found.then_some(row),
        passage,
        excerpt,
    }
}

/// Extends `path` down to the deepest matched row holding both starts; whether any row holds them.
fn deepest_row(rows: &[Correspondence], pa: Span, pb: Span, path: &mut Vec<usize>) -> bool {
    let mut rows = rows;
    let mut found = false;
    // Iterative descent: the alignment's depth follows the outline's, which the input controls.
    'down: loop {
        for (i, row) in rows.iter().enumerate() {
            if let (Some(x), Some(y)) = (&row.a, &row.b)
                && x.span.contains(pa.start)
                && y.span.contains(pb.start)
            {
                path.push(i);
                found = true;
                rows = &row.children;
                continue 'down;
            }
        }
        return found;
    }
}

/// `一、加强党的建设 › （二）落实主体责任`-style chain of the sections holding char `at` (headings cut to 8 chars).
fn location(outline: &Outline, at: usize) -> String {
    if outline.preamble.is_some_and(|p| p.contains(at)) {
        return "preamble".into();
    }
    if outline.closing.is_some_and(|p| p.contains(at)) {
        return "closing".into();
    }
    let mut parts = Vec::new();
    let mut sections: &[Section] = &outline.sections;
    while let Some(s) = sections.iter().find(|s| s.span.contains(at)) {
        let head: String = s.heading.chars().take(8).collect();
        parts.push(format!("{}{}", s.marker, head));
        sections = &s.children;
    }
    parts.join(" › ")
}
