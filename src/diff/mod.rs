//! Stage 5a: two [`Outline`]s → an [`Alignment`]: which sections correspond, what moved, what was
//! reworded, what is new, what was dropped, and how much of the text is the same.
//!
//! Input: two [`Side`]s (a text, its segments and the outline of one of its documents) and
//! [`CompareOptions`]. Output: an [`Alignment`], plain serialisable data that `report::compare` renders.
//!
//! How it works, level by level from the top:
//! 1. Every section of a sibling list gets a **heading fingerprint** (its heading in the normalised view
//!    without white space and punctuation, as chars), a **body fingerprint** (the set of hashed char
//!    4-grams, or jieba word bigrams, of the section without its heading) and a **topical vector**
//!    (idf-weighted content words of jieba's search mode, heading words weighing more the more they
//!    name a subject rather than a stock verb; a word's idf capped by its spread over the sentences
//!    of the two documents, so that a locality's name weighs little; see [`topic`]),
//!    with the **role** its heading (or its part's) names: review, goals, tasks, the government's own
//!    conduct (inside a review, a point's own word never makes it a task, nor the other way).
//! 2. A pair is scored lexically, by heading similarity (char level in both granularities: the larger of
//!    normalised Levenshtein, a redaction mask matching any char, and char-bigram Dice) and body
//!    similarity (Dice coefficient of the two fingerprint sets), and topically, by the cosine of the
//!    vectors plus half that of the headings alone. The topical score is lowered where the sections
//!    cannot play the same part: review against plan, and — where the other side offers a partner of
//!    the section's own kind — a dash point against a numbered point, `（四）` against `五是`, a
//!    five-year point (`五年来，…`) against one-year points, goals against tasks below the top. A
//!    pair whose likeness one child of a section carries (that child alone is closer to the other
//!    section than the whole, and twice as close as any sibling) while the section has a closer
//!    partner and the other section resembles a child of another section more, gets no topical
//!    score: it is a point and the part grown out of it elsewhere, not two counterparts.
//! 3. Pairs clearing the lexical bar (0.3, with some body or heading likeness) or the topical one (0.2)
//!    are matched one to one by a global assignment (Hungarian, `pathfinding`) that maximises the sum of
//!    squared scores. Then, for rewritten texts, sections still unmatched that are each other's best
//!    candidate are matched from a lexical score of 0.09, and those that are each other's best topical
//!    partner among all the other side's sections (by a margin) from a topical score of 0.1. The longest run of pairs increasing on both
//!    sides tells which pairs keep their order and which are `moved`.
//! 4. A section left over whose body lies mostly inside a matched section of the other side, or whose
//!    topic clearly is that section's, joins it: the group is a `split` (one A section → several B
//!    sections) or `merged` (several A sections → one B section). One whose topic clearly is that of
//!    a child of a matched section (a point grown into a part, a part become a point) is aligned among
//!    that section's children instead, across levels. A group never takes sections of two numbered
//!    series of one parent (`（一）…（三）` of the year, then `（一）…（九）` of the five years).
//! 5. Matched pairs and groups recurse into their children. Each pair carries its confidence and the
//!    shared key terms as evidence.
//! 6. Sections still left over anywhere (the top-most `only_a`/`only_b` rows) that are each other's
//!    clear best topical partner among all such sections pair across parts, `moved` (a point that
//!    went to another part of next year's report); never a review against a plan.
//!
//! Documents without headings (on either side) are aligned paragraph by paragraph instead
//! ([`Unit::Paragraph`]).
//!
//! Whole-document scores: `outline` is the mean, over all sections (or paragraphs) of both sides, of the
//! best pair score each one takes part in (0 for unmatched ones); `text` is the share of both documents'
//! body chars (view without white space and punctuation) covered by an 8-char run that also occurs in the
//! other document ([`TextScores`]).
//!
//! ```
//! use tifa::{SpeechFile, Text, text::Encoding};
//! use tifa::diff::{align, CompareOptions, Side, Status};
//! let a = SpeechFile::from_text(Text::from_string("a.txt",
//!     "一、加强党的建设。全面从严治党，落实主体责任。\n二、推动经济发展。稳住经济大盘，扩大有效投资。\n",
//!     Encoding::Utf8));
//! let b = SpeechFile::from_text(Text::from_string("b.txt",
//!     "一、推动经济发展。稳住经济大盘，扩大有效投资。\n二、加强党的建设。全面从严治党，落实主体责任。\n",
//!     Encoding::Utf8));
//! let al = align(Side::of(&a, 0).unwrap(), Side::of(&b, 0).unwrap(), &CompareOptions::default());
//! assert_eq!(al.alignment.len(), 2);
//! assert!(al.alignment.iter().any(|c| c.status == Status::Moved));
//! // Only the 8-char runs across the part boundaries are lost.
//! assert!(al.scores.text > 0.9);
//! ```

pub mod body;
mod level;
mod score;
pub mod topic;

use serde::Serialize;

use crate::SpeechFile;
use crate::error::{Error, Result};
use crate::outline::Outline;
use crate::prepared::PreparedDoc;
use crate::segment::{Segments, WordSegmenter};
use crate::text::{Span, Text};

pub use body::{BodyDiff, ChangeOp, SentenceChange};
pub use score::{TEXT_RUN, TextScores, char_bigram_dice, heading_similarity, text_scores};

/// Unit of comparison for headings and bodies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// Characters (normalised view): body fingerprints are char 4-grams.
    #[default]
    Char,
    /// jieba words: body fingerprints are word bigrams, heading diffs are word by word.
    Word,
}

/// Options of [`align`].
#[derive(Clone, Copy, Debug, Default)]
pub struct CompareOptions {
    /// Unit of comparison.
    pub granularity: Granularity,
    /// Compute the sentence-level diff of every matched pair's own text ([`Correspondence::body_diff`]).
    pub body_diff: bool,
}

/// Documents longer than this (body chars, either side) are compared without topical similarity:
/// segmenting them would cost more than it tells (they are concatenations, not one report).
pub const TOPIC_MAX_CHARS: usize = 2_000_000;

/// One side of a comparison: a document of a text, with the text's segments and the document's outline.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    /// The decoded text.
    pub text: &'a Text,
    /// Its segmentation.
    pub segments: &'a Segments,
    /// The outline of the document to compare.
    pub outline: &'a Outline,
    /// Index of that document in its file (0-based), reported in the result.
    pub document: usize,
}

impl<'a> Side<'a> {
    /// Document `document` (0-based) of a file; an error names the file when it has fewer documents.
    pub fn of(file: &'a SpeechFile, document: usize) -> Result<Side<'a>> {
        let outline = file.outlines.get(document).ok_or_else(|| Error::Invalid {
            path: file.text.path().into(),
            message: format!(
                "has {} document(s); document {} does not exist",
                file.outlines.len(),
                document + 1
            ),
        })?;
        Ok(Side {
            text: &file.text,
            segments: &file.segments,
            outline,
            document,
        })
    }
}

impl<'a> From<&'a PreparedDoc> for Side<'a> {
    fn from(doc: &'a PreparedDoc) -> Side<'a> {
        Side {
            text: doc.text(),
            segments: doc.segments(),
            outline: doc.outline(),
            document: doc.index(),
        }
    }
}

/// What a row of the alignment says about the sections in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Same heading, body (nearly) the same.
    Same,
    /// Heading changed, body largely the same.
    Reworded,
    /// Heading kept (or changed too), body substantially changed.
    Rewritten,
    /// A matched pair whose position is out of order relative to the other matches.
    Moved,
    /// One A section corresponds to several B sections (one row per B section).
    Split,
    /// Several A sections correspond to one B section (one row per A section).
    Merged,
    /// Only in A (dropped in B).
    OnlyA,
    /// Only in B (new in B).
    OnlyB,
}

impl Status {
    /// The status as written in JSON (`"only_a"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Same => "same",
            Status::Reworded => "reworded",
            Status::Rewritten => "rewritten",
            Status::Moved => "moved",
            Status::Split => "split",
            Status::Merged => "merged",
            Status::OnlyA => "only_a",
            Status::OnlyB => "only_b",
        }
    }
}

/// What was aligned: outline sections, or paragraphs of documents without headings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Sections of the outline tree; `path` indexes [`Outline::get`].
    Section,
    /// Paragraphs of the document body; `path` is `[i]`, the paragraph's index in the body.
    Paragraph,
}

/// One section (or paragraph) in a row of the alignment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SectionRef {
    /// Index path in the document's outline tree (`[0, 2]` = third child of the first section), or `[i]`
    /// for paragraph `i` of the body when aligning paragraphs.
    pub path: Vec<usize>,
    /// The marker as written (`"一、"`, `"（二）"`, `"一是"`; `""` for lead sentences and paragraphs).
    pub marker: String,
    /// The heading text (`""` for paragraphs).
    pub heading: String,
    /// The whole section (or paragraph), in chars of the original text.
    pub span: Span,
    /// The opening of the body after the heading (at most 60 chars), for display.
    pub excerpt: String,
}

/// A piece of an inline diff of two headings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiffPiece {
    /// `"equal"`, `"delete"` (only in A) or `"insert"` (only in B).
    pub op: DiffOp,
    /// The text of the piece.
    pub text: String,
}

/// Kind of a [`DiffPiece`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffOp {
    /// In both headings.
    Equal,
    /// Only in A's heading.
    Delete,
    /// Only in B's heading.
    Insert,
}

/// One row of the alignment: an A section, a B section, or a pair, with how they relate.
///
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Correspondence {
    /// How the two sides relate.
    pub status: Status,
    /// The A section, `None` for `only_b`.
    pub a: Option<SectionRef>,
    /// The B section, `None` for `only_a`.
    pub b: Option<SectionRef>,
    /// Heading similarity in [0, 1] (`None` when a side is missing or the units have no headings).
    pub heading_similarity: Option<f64>,
    /// Body similarity in [0, 1] (`None` when a side is missing). For `split`/`merged` rows it is the
    /// share of the smaller section's fingerprint found in the larger one.
    pub body_similarity: Option<f64>,
    /// Topical similarity in [0, 1]: cosine of the two sections' idf-weighted content words, halved
    /// when their enclosing parts play different roles (`None` when a side is missing or has no
    /// content words).
    pub topic_similarity: Option<f64>,
    /// How sure the pairing is, in [0, 1]: the larger of the lexical score (heading and body text)
    /// and the topical one (`None` when a side is missing).
    pub confidence: Option<f64>,
    /// The shared key terms that weigh most in the topical similarity, best first (empty when a side
    /// is missing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Inline diff of the headings when they differ (empty otherwise).
    pub heading_diff: Vec<DiffPiece>,
    /// Sentence-level diff of the pair's own text (children left out), when asked for with
    /// [`CompareOptions::body_diff`] and something changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_diff: Option<BodyDiff>,
    /// Alignment of the children of the sections in this row (on the first row of a split/merge group,
    /// over the children of all its sections).
    pub children: Vec<Correspondence>,
}

impl Correspondence {
    /// Visits this row and all rows below it, depth first (with an explicit stack: no recursion).
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Correspondence)) {
        let mut stack = vec![self];
        while let Some(c) = stack.pop() {
            f(c);
            stack.extend(c.children.iter().rev());
        }
    }
}

/// Which document a side of the alignment is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentInfo {
    /// The file (`-` for standard input).
    pub path: String,
    /// The document's title, if it has one.
    pub title: Option<String>,
    /// Index of the document in its file (1-based, as in `--doc-a`).
    pub document: usize,
    /// Number of sections in the outline tree.
    pub sections: usize,
    /// Chars of the document body.
    pub chars: usize,
}

/// Whole-document scores, each in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Scores {
    /// Outline similarity: mean over all units of both sides of the best pair score each takes part in.
    pub outline: f64,
    /// Text similarity: share of both documents' chars in passages found in the other document.
    pub text: f64,
    /// Share of A's chars in passages found in B.
    pub text_a: f64,
    /// Share of B's chars in passages found in A.
    pub text_b: f64,
}

/// Counts of statuses over all rows (nested rows included).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// `same` rows.
    pub same: usize,
    /// `reworded` rows.
    pub reworded: usize,
    /// `rewritten` rows.
    pub rewritten: usize,
    /// `moved` rows.
    pub moved: usize,
    /// `split` rows.
    pub split: usize,
    /// `merged` rows.
    pub merged: usize,
    /// `only_a` rows.
    pub only_a: usize,
    /// `only_b` rows.
    pub only_b: usize,
}

/// The result of comparing two documents.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alignment {
    /// The A document.
    pub a: DocumentInfo,
    /// The B document.
    pub b: DocumentInfo,
    /// Whole-document scores.
    pub scores: Scores,
    /// One line a person can read (`"Largely the same text …"`).
    pub verdict: String,
    /// What was aligned (sections or paragraphs).
    pub unit: Unit,
    /// The unit of comparison used.
    pub granularity: Granularity,
    /// Status counts over all rows.
    pub counts: StatusCounts,
    /// Top-level rows, in reading order (A's order; B-only rows where they stand in B).
    pub alignment: Vec<Correspondence>,
}

impl Alignment {
    /// Visits every row depth first.
    pub fn walk<'a>(&'a self, mut f: impl FnMut(&'a Correspondence)) {
        for c in &self.alignment {
            c.walk(&mut f);
        }
    }
}

/// Aligns two documents (see the module documentation for the method).
pub fn align(a: Side<'_>, b: Side<'_>, opts: &CompareOptions) -> Alignment {
    let words = match opts.granularity {
        Granularity::Char => None,
        Granularity::Word => Some(WordSegmenter::new()),
    };
    let topics = a
        .outline
        .document
        .body
        .len()
        .max(b.outline.document.body.len())
        <= TOPIC_MAX_CHARS;
    let segmenter = WordSegmenter::new();
    // The two documents are cut and their words interned side by side (the word cut is a quarter of
    // a comparison), then put in one id space.
    let (lex, wa, wb) = if topics {
        let (ca, cb) = rayon::join(
            || topic::DocWords::cut(&segmenter, a.text, a.outline.document.body).weighed(),
            || topic::DocWords::cut(&segmenter, b.text, b.outline.document.body),
        );
        let (mut lex, wa, wb) = topic::Lexicon::join(ca, Some(cb));
        lex.cap_by_spread(&[
            (&wa, a.segments.sentences_in(a.outline.document.body)),
            (&wb, b.segments.sentences_in(b.outline.document.body)),
        ]);
        (lex, Some(wa), Some(wb))
    } else {
        (topic::Lexicon::default(), None, None)
    };
    let diff_seg = opts.body_diff.then_some(&segmenter);
    let (da, db) = rayon::join(
        || level::Doc::new(a, words.as_ref(), wa, &lex, diff_seg),
        || level::Doc::new(b, words.as_ref(), wb, &lex, diff_seg),
    );
    let unit = if a.outline.sections.is_empty() || b.outline.sections.is_empty() {
        Unit::Paragraph
    } else {
        Unit::Section
    };
    let mut credits = level::Credits::new(&da, &db, unit);
    let (xs, ys) = rayon::join(|| da.top_units(unit), || db.top_units(unit));
    let (mut rows, ts) = rayon::join(
        || level::align_units(&da, &db, xs, ys, &mut credits),
        || score::view_scores(da.view(), db.view()),
    );
    if unit == Unit::Section {
        level::pair_left_overs(&da, &db, &mut rows, &mut credits);
    }
    let mut counts = StatusCounts::default();
    for r in &rows {
        r.walk(&mut |c: &Correspondence| {
            let n = match c.status {
                Status::Same => &mut counts.same,
                Status::Reworded => &mut counts.reworded,
                Status::Rewritten => &mut counts.rewritten,
                Status::Moved => &mut counts.moved,
                Status::Split => &mut counts.split,
                Status::Merged => &mut counts.merged,
                Status::OnlyA => &mut counts.only_a,
                Status::OnlyB => &mut counts.only_b,
            };
            *n += 1;
        });
    }
    let scores = Scores {
        outline: round4(credits.outline_similarity()),
        text: round4(ts.text),
        text_a: round4(ts.a),
        text_b: round4(ts.b),
    };
    let info = |s: &Side<'_>| DocumentInfo {
        path: s.text.path().display().to_string(),
        title: s.outline.document.title.clone(),
        document: s.document + 1,
        sections: s.outline.count(),
        chars: s.outline.document.body.len(),
    };
    let (ia, ib) = (info(&a), info(&b));
    let verdict = verdict(&scores, &counts, unit, &rows);
    Alignment {
        a: ia,
        b: ib,
        scores,
        verdict,
        unit,
        granularity: opts.granularity,
        counts,
        alignment: rows,
    }
}

/// Rounds a score to 4 decimals so that JSON output is stable and readable.
pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The one-line verdict: how much text is shared, then what happened to the top-level units.
fn verdict(scores: &Scores, counts: &StatusCounts, unit: Unit, rows: &[Correspondence]) -> String {
    let t = scores.text;
    let head = if t >= 0.98 && counts.same == rows_total(counts) {
        "Identical text"
    } else if t >= 0.9 {
        "Nearly the same text"
    } else if t >= 0.6 {
        "Largely the same text, edited"
    } else if t >= 0.3 {
        "Substantial shared text"
    } else if t >= 0.1 {
        "Related texts with some shared wording"
    } else {
        "Different texts"
    };
    let what = match unit {
        Unit::Section => "top-level sections",
        Unit::Paragraph => "paragraphs",
    };
    // Distinct A units, so a split (one A unit on several rows) counts once.
    let mut units_a: Vec<(&[usize], bool)> = rows
        .iter()
        .filter_map(|r| r.a.as_ref().map(|x| (x.path.as_slice(), r.b.is_some())))
        .collect();
    units_a.sort();
    units_a.dedup_by(|x, y| {
        // Keep one entry per path, matched if any of its rows is.
        if x.0 == y.0 {
            y.1 |= x.1;
            true
        } else {
            false
        }
    });
    let top_a = units_a.len();
    let matched = units_a.iter().filter(|u| u.1).count();
    let mut parts = Vec::new();
    for (n, label) in [
        (counts.moved, "moved"),
        (counts.reworded, "reworded"),
        (counts.rewritten, "rewritten"),
        (counts.split, "in splits"),
        (counts.merged, "in merges"),
        (counts.only_a, "only in A"),
        (counts.only_b, "only in B"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {label}"));
        }
    }
    let detail = if parts.is_empty() {
        String::new()
    } else {
        format!("; overall {}", parts.join(", "))
    };
    let structure = match unit {
        Unit::Section => "outline",
        Unit::Paragraph => "paragraphs",
    };
    let counterpart = if top_a == 0 {
        format!("A has no {what}")
    } else {
        format!("{matched} of {top_a} {what} of A have a counterpart in B")
    };
    format!(
        "{head} (text {:.0}%, {structure} {:.0}%): {counterpart}{detail}.",
        t * 100.0,
        scores.outline * 100.0
    )
}

fn rows_total(c: &StatusCounts) -> usize {
    c.same + c.reworded + c.rewritten + c.moved + c.split + c.merged + c.only_a + c.only_b
}
