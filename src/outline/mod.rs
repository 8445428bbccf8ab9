//! Stage 4: a [`Document`] → its [`Outline`], the heading tree of the speech.
//!
//! Input: a document of a segmented text. Output: its [`Outline`] (preamble, sections, closing), every span
//! `[start, end)` in chars of the text. How: markers are found per paragraph, turned into events, and run in
//! text order through a stack that knows the nesting rules (see `build`); all passes are linear.
//!
//! Recognised headings ([`SectionKind`]):
//! - numbered levels of GB/T 9704-2012: `一、` (part) → `（一）` (subpart) → `1.`/`1．`/`1、` (numbered) →
//!   `（1）`/`(1)`/`⑴`/`①` (item), with the heading inline (heading sentence, then body in the same
//!   paragraph) or on its own line; in flattened web copies also mid-line, when the markers form a proper
//!   sequence, and where an ordinal one runs into its lead-in sentence (`…九个方面工作。（一）…`) while
//!   `（二）` opens the next paragraph, or into a lead-in ending in a colon (`…以下工作：（一）…`); a
//!   numbering that runs on across sections (`1．…4．` under `一、`, `5．…` under `二、`) continues;
//!   spaces inside a marker (`（一 ）`) are allowed;
//! - unnumbered part headings on their own line (`2008年工作回顾`, `2009年工作安排`, `名词解释`, `有关注释`, the title after an `附件一` line): the top
//!   level, holding the numbered parts that follow (kind [`SectionKind::Lead`], family
//!   [`Family::Heading`]); in a report without any `一、` they are its parts even over unnumbered
//!   content; a title block reprinted in the body (`政府工作报告` / occasion / speaker / `各位代表：`)
//!   is not one;
//! - ordinal enumerations after line start or punctuation: `一是/二是…`, `一要/二要…`, `第一，第二，`,
//!   `首先/其次/最后`; a sequence that starts inside an item of another sequence nests in it, one that
//!   changes family mid-way (`一要、二要、三是`, `首先、其次、第三`) continues;
//! - dash points (`——经济运行保持在合理区间。`);
//! - lead sentences: a short heading sentence opening a paragraph, recognised by being parallel with its
//!   siblings (similar length and shape, at least three of them; three opening consecutive paragraphs
//!   may differ in shape), not by length alone; an anaphoric
//!   series (three or more first sentences repeating a time frame or a narrative opener: `五年来，…`,
//!   `过去五年，是…的五年`, `我们X，Y`) is a list whatever the length of its members — on lines of their own
//!   too, which then are not part headings — and plain leads between its members nest in them.
//!
//! Where a section ends: at its next sibling or its parent's end, but also where the text returns to the
//! parent's level — a paragraph addressing the meeting (`各位代表！…`) or turning to the problems
//! (`我们也清醒地认识到…`) closes the sub-parts of the open part, and a `各位代表！` alone on its line
//! after the last numbered heading closes that part too (the speech turns to its closing topics); and
//! when every earlier member of a series ends with its own paragraph (or its last sub-section), the last
//! member does too, so the closing
//! paragraphs of a part, a five-year review after one-year sub-parts or an appendix are not swallowed by the
//! last `（九）`. A heading never runs into the next marker.
//!
//! Depth is bounded by the grammar: a new list never nests in an item of its own family, a numbered
//! sequence nests in one of its own kind at most once, and a `一、` under a lower level starts again at the
//! top (a new report in a concatenation). Walks over the tree are iterative.
//!
//! Not headings: ranks (`全省第一`), bracketed dates and asides (`（2022年8月13日）`, `（市、区）`),
//! `一方面/另一方面`, numbers inside sentences (`一、二季度`), table-of-contents entries.

mod build;
pub mod marker;

use serde::Serialize;

pub use marker::Family;

use crate::document::Document;
use crate::segment::Segments;
use crate::text::{Span, Text};

/// What kind of heading a section has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// `一、` — first GB/T 9704 level.
    Part,
    /// `（一）` — second level.
    Subpart,
    /// `1.` `1．` `1、` — third level.
    Numbered,
    /// `（1）` `(1)` `⑴` `①` — fourth level.
    Item,
    /// `一是` `一要` `第一，` `首先` — inline ordinal enumeration.
    Enumeration,
    /// `——` dash point.
    Dash,
    /// An unnumbered lead sentence opening a paragraph.
    Lead,
}

/// One section of an outline: a heading and the body it governs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Section {
    /// The marker as written (`"（一）"`, `"一是"`, `"——"`; `""` for lead sentences).
    pub marker: String,
    /// The kind of heading.
    pub kind: SectionKind,
    /// The marker's sequence family (`shi` for `一是`, `numbered` for GB/T markers, `heading` for an
    /// unnumbered part heading on its own line).
    pub family: Family,
    /// The marker's ordinal (1-based; [`marker::LAST`] for `最后`, 0 for dashes, leads and heading lines).
    pub ordinal: u32,
    /// Depth in the tree (1 for top-level sections).
    pub level: usize,
    /// The heading text without marker and trailing punctuation.
    pub heading: String,
    /// Where the heading text is (without the marker).
    pub heading_span: Span,
    /// The whole section: marker, heading and body up to the next sibling or the end of the parent.
    pub span: Span,
    /// Sub-sections.
    pub children: Vec<Section>,
}

impl Section {
    /// Visits this section and all descendants depth-first, in text order, with their index paths;
    /// iterative, so no input can overflow the stack.
    pub fn walk<'a>(&'a self, path: &mut Vec<usize>, f: &mut impl FnMut(&[usize], &'a Section)) {
        f(path, self);
        let depth = path.len();
        // (children, next index)
        let mut stack: Vec<(&'a [Section], usize)> = vec![(&self.children[..], 0)];
        while let Some((list, i)) = stack.last_mut() {
            let list: &'a [Section] = list;
            if *i < list.len() {
                let c = &list[*i];
                path.push(*i);
                *i += 1;
                f(path, c);
                stack.push((&c.children[..], 0));
            } else {
                stack.pop();
                if path.len() > depth {
                    path.pop();
                }
            }
        }
    }
}

/// The outline of one document.
#[derive(Clone, Debug, Serialize)]
pub struct Outline {
    /// The document (title, meta, spans).
    #[serde(flatten)]
    pub document: Document,
    /// Text between the header and the first top-level section, if any.
    pub preamble: Option<Span>,
    /// Closing paragraphs after the last section (`同志们，…`), if any.
    pub closing: Option<Span>,
    /// Top-level sections.
    pub sections: Vec<Section>,
}

impl Outline {
    /// Visits every section depth-first with its index path (`[0, 2]` = third child of the first section).
    pub fn walk<'a>(&'a self, mut f: impl FnMut(&[usize], &'a Section)) {
        let mut path = Vec::new();
        for (i, s) in self.sections.iter().enumerate() {
            path.push(i);
            s.walk(&mut path, &mut f);
            path.pop();
        }
    }

    /// The section at an index path, if any.
    pub fn get(&self, path: &[usize]) -> Option<&Section> {
        let (first, rest) = path.split_first()?;
        let mut s = self.sections.get(*first)?;
        for &i in rest {
            s = s.children.get(i)?;
        }
        Some(s)
    }

    /// Number of sections in the tree.
    pub fn count(&self) -> usize {
        let mut n = 0;
        self.walk(|_, _| n += 1);
        n
    }
}

/// Builds the outline of each document of a text.
pub fn outline_documents(
    text: &Text,
    segments: &Segments,
    documents: Vec<Document>,
) -> Vec<Outline> {
    documents
        .into_iter()
        .map(|document| {
            let built = build::build(text, segments, &document);
            Outline {
                document,
                preamble: built.preamble,
                closing: built.closing,
                sections: built.sections,
            }
        })
        .collect()
}
