//! What does one row of a report table say? The row view-models shared by the Markdown and HTML renderers.
//!
//! Input: the stage results ([`Alignment`] rows, reuse [`Passage`]s, pattern hits) and the files they came
//! from. Output: flat, serialisable rows — [`AlignmentRow`] (one per correspondence, nesting as `depth`),
//! [`PassageRow`], [`FormulaRow`], [`HitRow`] — whose fields are already the strings and numbers a reader
//! sees, so that a Markdown table and an HTML template print the same thing.
//!
//! How: each builder walks its result once; the Markdown cell functions ([`md_pieces`], [`md_side`]) sit
//! beside the rows so both formats read one definition of a cell. HTML templates print the same fields.

use serde::Serialize;

use super::md_escape;
use crate::SpeechFile;
use crate::diff::{Alignment, Correspondence, DiffOp, SectionRef, Unit};
use crate::patterns::PatternHit;
use crate::reuse::Passage;
use crate::text::Span;

/// A piece of text in a cell; `mark` is `"del"` (only in A), `"ins"` (only in B) or absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Piece {
    /// The text.
    pub text: String,
    /// How the piece is marked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<&'static str>,
}

impl Piece {
    fn plain(text: impl Into<String>) -> Piece {
        Piece {
            text: text.into(),
            mark: None,
        }
    }
}

/// One side of an alignment row.
#[derive(Clone, Debug, Serialize)]
pub struct SideCell {
    /// The marker as written (`一、`), or `¶N` for a paragraph.
    pub marker: String,
    /// The heading (or the paragraph's opening), changed parts marked.
    pub heading: Vec<Piece>,
    /// The opening of the body (sections only).
    pub excerpt: String,
    /// The section in chars of its text.
    pub span: Span,
    /// The id of the section's start in the pair report's full-text pane (`a-1234`, `b-88`).
    pub anchor: String,
}

/// One row of an outline alignment, flattened (`depth` = nesting level, 0 at the top).
#[derive(Clone, Debug, Serialize)]
pub struct AlignmentRow {
    /// Nesting level.
    pub depth: usize,
    /// `same`, `reworded`, … (see [`crate::diff::Status`]).
    pub status: &'static str,
    /// The A section, if any.
    pub a: Option<SideCell>,
    /// The B section, if any.
    pub b: Option<SideCell>,
    /// Heading similarity.
    pub heading_similarity: Option<f64>,
    /// Body similarity.
    pub body_similarity: Option<f64>,
    /// Sentence-level diff of the two bodies, when both sides exist and differ (empty otherwise).
    pub body_diff: Vec<SentenceChange>,
}

/// One sentence of a body diff: kept, only in A (`delete`), only in B (`insert`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SentenceChange {
    /// `equal`, `delete` or `insert`.
    pub op: DiffOp,
    /// The sentence.
    pub text: String,
}

fn side_cell(r: &SectionRef, c: &Correspondence, a_side: bool, unit: Unit, tag: &str) -> SideCell {
    let (marker, heading) = match unit {
        Unit::Paragraph => (
            format!("¶{}", r.path.first().map_or(1, |i| i + 1)),
            vec![Piece::plain(r.excerpt.clone())],
        ),
        Unit::Section if c.heading_diff.is_empty() => {
            (r.marker.clone(), vec![Piece::plain(r.heading.clone())])
        }
        Unit::Section => {
            let keep = if a_side {
                DiffOp::Delete
            } else {
                DiffOp::Insert
            };
            let pieces = c
                .heading_diff
                .iter()
                .filter(|p| p.op == DiffOp::Equal || p.op == keep)
                .map(|p| Piece {
                    text: p.text.clone(),
                    mark: match p.op {
                        DiffOp::Equal => None,
                        DiffOp::Delete => Some("del"),
                        DiffOp::Insert => Some("ins"),
                    },
                })
                .collect();
            (r.marker.clone(), pieces)
        }
    };
    SideCell {
        marker,
        heading,
        excerpt: if unit == Unit::Section {
            r.excerpt.clone()
        } else {
            String::new()
        },
        span: r.span,
        anchor: format!("{tag}-{}", r.span.start),
    }
}

/// The rows of an alignment, depth first. With `files`, matched rows without children get the
/// sentence-level diff of their two bodies.
pub fn alignment_rows(
    al: &Alignment,
    files: Option<(&SpeechFile, &SpeechFile)>,
) -> Vec<AlignmentRow> {
    fn walk(
        rows: &[Correspondence],
        depth: usize,
        unit: Unit,
        files: Option<(&SpeechFile, &SpeechFile)>,
        out: &mut Vec<AlignmentRow>,
    ) {
        for c in rows {
            let body_diff = match (files, &c.a, &c.b) {
                (Some((fa, fb)), Some(a), Some(b))
                    if c.children.is_empty() && c.body_similarity.is_some_and(|s| s < 1.0) =>
                {
                    sentence_diff(fa, a.span, fb, b.span)
                }
                _ => Vec::new(),
            };
            out.push(AlignmentRow {
                depth,
                status: c.status.as_str(),
                a: c.a.as_ref().map(|r| side_cell(r, c, true, unit, "a")),
                b: c.b.as_ref().map(|r| side_cell(r, c, false, unit, "b")),
                heading_similarity: c.heading_similarity,
                body_similarity: c.body_similarity,
                body_diff,
            });
            walk(&c.children, depth + 1, unit, files, out);
        }
    }
    let mut out = Vec::new();
    walk(&al.alignment, 0, al.unit, files, &mut out);
    out
}

/// Sentences of `a_span` and `b_span` diffed as units (a sentence is equal when its text is).
fn sentence_diff(
    fa: &SpeechFile,
    a_span: Span,
    fb: &SpeechFile,
    b_span: Span,
) -> Vec<SentenceChange> {
    let sentences = |f: &SpeechFile, s: Span| -> Vec<String> {
        f.segments
            .sentences_in(s)
            .iter()
            .map(|x| f.text.slice(*x).trim().to_string())
            .filter(|t| !t.is_empty())
            .collect()
    };
    let (xa, xb) = (sentences(fa, a_span), sentences(fb, b_span));
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &xa, &xb);
    let mut out = Vec::new();
    for op in ops {
        for change in op.iter_changes(&xa, &xb) {
            let op = match change.tag() {
                similar::ChangeTag::Equal => DiffOp::Equal,
                similar::ChangeTag::Delete => DiffOp::Delete,
                similar::ChangeTag::Insert => DiffOp::Insert,
            };
            out.push(SentenceChange {
                op,
                text: change.value().clone(),
            });
        }
    }
    if out.iter().all(|c| c.op == DiffOp::Equal) {
        out.clear();
    }
    out
}

/// Markdown for a cell's pieces: `~~deleted~~`, `**inserted**`.
pub fn md_pieces(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p.mark {
            Some("del") => format!("~~{}~~", md_escape(&p.text)),
            Some(_) => format!("**{}**", md_escape(&p.text)),
            None => md_escape(&p.text),
        })
        .collect()
}

/// Markdown for one side of a row: indentation by depth, marker, heading.
pub fn md_side(cell: &Option<SideCell>, depth: usize) -> String {
    match cell {
        None => String::new(),
        Some(c) => format!(
            "{}{}{}",
            "　".repeat(depth),
            md_escape(&c.marker),
            md_pieces(&c.heading)
        ),
    }
}

/// One reused passage as a table row.
#[derive(Clone, Debug, Serialize)]
pub struct PassageRow {
    /// 1-based number, the `data-passage` of its highlights.
    pub n: usize,
    /// `verbatim`, `substituted`, `template`, `edited`, `reordered`.
    pub kind: &'static str,
    /// `distinctive` or `boilerplate`.
    pub class: &'static str,
    /// Similarity in [0, 1].
    pub similarity: f64,
    /// Background-corpus document frequency, if a corpus was used.
    pub df: Option<usize>,
    /// Content chars of the longer side.
    pub chars: usize,
    /// The passage in A.
    pub a: Span,
    /// The passage in B.
    pub b: Span,
    /// Line of its start in A (1-based), when the file is at hand.
    pub a_line: Option<usize>,
    /// Line of its start in B.
    pub b_line: Option<usize>,
    /// Section path in A (`一、… › （二）…`).
    pub a_section: String,
    /// Section path in B.
    pub b_section: String,
    /// The opening of the passage in B (at most 40 chars, white space dropped).
    pub excerpt: String,
}

impl PassageRow {
    /// The row numbered `n` of passage `p`: its lines in A and B (when the files are at hand), its
    /// section paths in A and B, and its opening in B.
    fn new(
        n: usize,
        p: &Passage,
        lines: Option<(usize, usize)>,
        [a_section, b_section]: [String; 2],
        excerpt: String,
    ) -> Self {
        PassageRow {
            n,
            kind: p.kind.as_str(),
            class: p.class.as_str(),
            similarity: p.similarity,
            df: p.df,
            chars: p.a_chars.max(p.b_chars),
            a: p.a,
            b: p.b,
            a_line: lines.map(|(a, _)| a),
            b_line: lines.map(|(_, b)| b),
            a_section,
            b_section,
            excerpt,
        }
    }
}

/// The rows of a list of passages, numbered from 1 in the given order.
pub fn passage_rows(passages: &[Passage], a: &SpeechFile, b: &SpeechFile) -> Vec<PassageRow> {
    passages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            PassageRow::new(
                i + 1,
                p,
                Some((a.text.line_of(p.a.start), b.text.line_of(p.b.start))),
                [
                    super::reuse::section_path(a, p.a.start),
                    super::reuse::section_path(b, p.b.start),
                ],
                excerpt(b.text.slice(p.b), 40),
            )
        })
        .collect()
}

/// The rows of located passages (the reuse stage's report), numbered from 1 in the order given.
pub fn located_passage_rows(passages: &[&crate::reuse::LocatedPassage]) -> Vec<PassageRow> {
    passages
        .iter()
        .enumerate()
        .map(|(i, lp)| {
            PassageRow::new(
                i + 1,
                &lp.passage,
                Some((lp.a_line, lp.b_line)),
                [lp.a_section.clone(), lp.b_section.clone()],
                excerpt(&lp.b_text, 40),
            )
        })
        .collect()
}

/// The rows of the passages of a [`crate::compare::CompareReport`], numbered from 1 in their order (B
/// order), located by the sections that hold them.
pub fn placed_passage_rows(passages: &[crate::compare::PlacedPassage]) -> Vec<PassageRow> {
    passages
        .iter()
        .enumerate()
        .map(|(i, pp)| {
            PassageRow::new(
                i + 1,
                &pp.passage,
                None,
                [pp.a_location.clone(), pp.b_location.clone()],
                pp.excerpt.clone(),
            )
        })
        .collect()
}

/// The first `n` chars of `s` that are not white space.
pub fn excerpt(s: &str, n: usize) -> String {
    s.chars().filter(|c| !c.is_whitespace()).take(n).collect()
}

/// A formula (pattern hit text) found in both documents.
#[derive(Clone, Debug, Serialize)]
pub struct FormulaRow {
    /// The text, white space removed.
    pub text: String,
    /// The family of the pattern that found it.
    pub family: &'static str,
    /// The pattern's id.
    pub pattern: String,
    /// Occurrences in A.
    pub a_count: usize,
    /// Occurrences in B.
    pub b_count: usize,
}

/// One pattern hit as a table row.
#[derive(Clone, Debug, Serialize)]
pub struct HitRow {
    /// Line of the hit (1-based).
    pub line: usize,
    /// Its family.
    pub family: &'static str,
    /// The hit's text, members marked `"mem"`.
    pub text: Vec<Piece>,
    /// Filled slots as `name=value` pairs.
    pub slots: String,
    /// The pattern's id.
    pub pattern: String,
}

/// The rows of a document's hits.
pub fn hit_rows(file: &SpeechFile, hits: &[PatternHit]) -> Vec<HitRow> {
    hits.iter()
        .map(|h| {
            let marked = super::patterns::marked(&file.text, h, "\u{1}", "\u{2}");
            let mut text = Vec::new();
            for (i, part) in marked.split(['\u{1}', '\u{2}']).enumerate() {
                if !part.is_empty() {
                    text.push(Piece {
                        text: part.to_string(),
                        mark: (i % 2 == 1).then_some("mem"),
                    });
                }
            }
            HitRow {
                line: file.text.line_of(h.span.start),
                family: h.family.name(),
                text,
                slots: super::patterns::slots_text(h),
                pattern: h.pattern.clone(),
            }
        })
        .collect()
}
