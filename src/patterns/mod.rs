//! Rhetorical patterns: parallel structures and formulas found with a user-editable pattern file.
//!
//! Input: a [`SpeechFile`] (text, segments, outlines) and a [`PatternSet`]; output: per document, the
//! [`PatternHit`]s (family, pattern id, span, member spans, captured slots) and [`Scores`] for the document
//! and for every outline section ([`DocumentPatterns`]).
//!
//! # Families
//! [`Family`]: `parallelism` (排比), `antithesis` (对偶), `anadiplosis` (顶真), `frame` (ABAC/ABCB
//! frames), `numbered-slogan` (数字概括), `enumeration` (一是…二是…, from the outline),
//! `four-character-run` (四字格), `contrast` (不是…而是…).
//!
//! # Matching model
//! Every paragraph of a document is matched on its normalised [`View`](crate::text::View) (white space
//! dropped, punctuation kept and folded: `，` is `,`, `“”` are `"`). Pattern sources are folded the same
//! way, so they are written with ordinary Chinese punctuation. Spans are mapped back to the original text.
//!
//! **Units.** A *clause unit* is the text between clause separators (`，、；：。！？…`); a *sentence unit*
//! the text between sentence ends (`。；！？…`); a *heading unit* the heading of an outline section, taken
//! in runs of consecutive siblings of the same kind. A unit's **member text** is the unit without its
//! separator, without surrounding white space and punctuation, and cut at a quotation or bracket that
//! opens or closes outside the unit: in `开展“立目标、立标准、立规矩”大讨论` the members are `立目标`,
//! `立标准`, `立规矩`. This is the member-span convention of every hit: **a member is the clause text
//! without its separator** (for regex patterns: the named groups `m1`…`m9`).
//!
//! # The pattern file (TOML)
//! ```toml
//! version = 1
//!
//! [[pattern]]
//! id = "parallelism.clause-head"        # unique
//! family = "parallelism"                # one of the families above
//! description = "三个以上短分句共用开头：争一流、争第一、争唯一"
//! kind = "series"                       # "regex" | "series" | "outline"
//! unit = "clause"                       # series: clause | sentence | heading
//! separators = "、，"                   # series: what may join two members
//! min_members = 3                       # series/outline (default 3 / 2)
//! max_members = 12                      # series: longer runs are not reported at all
//! member_len = [2, 8]                   # series: member length bounds in chars
//! member = '^@han+$'                    # series: a regex each member must contain (the match is the member)
//! share = "head"                        # series: none | head | tail | frame | chain
//! min_shared = 1                        # series: shared chars (head/tail/frame) or chain link length
//! equal_length = false                  # series: members of exactly equal length
//! length_ratio = 1.5                    # series: longest member / shortest member at most this
//! trim = true                           # series: drop a list's lead-in (`做到真抓真管`), let the last
//!                                       #   member run on (default: true unless share = none)
//! shared_fraction = 0.0                 # series: shared chars / shortest member length at least this
//! exclude_shared = ["我们"]             # series: heads starting (tails ending) with these do not count
//! examples = ["抓攻坚、求突破，争一流、争第一、争唯一，全力做好下半年的各项工作。"]
//! counter_examples = ["全力争一流、争唯一，力争今年实现目标。"]
//! ```
//! - `kind = "regex"`: `regex` in the syntax of the `regex` crate plus macros `@han` (a Han char or a
//!   collapsed redaction mask), `@cnum` (Chinese numeral), `@digit`, `@num` (either), `@sep` (`、，；。`),
//!   `@punct`, `@nopunct`, and back-references `(?P=name)` to an earlier flat named group. Named groups
//!   `m1`…`m9` are the members; other named groups are the slots. `anchor = "clause"` or `"sentence"`
//!   makes the match start at a unit start and end at a unit end.
//! - `kind = "series"`: a structural rule over consecutive units: at least `min_members` members joined by
//!   `separators`, similar in length, sharing a head (common prefix of ≥ `min_shared` chars), a tail, a
//!   *frame* (equal chars at ≥ `min_shared` positions that are not all a common prefix, e.g. `真抓真管、
//!   敢抓敢管`) or forming a *chain* (each member starts with the end of the previous one; with member
//!   groups `head`/`tail`, those must be equal). Named groups of `member` become slots (values joined by `、`).
//! - `kind = "structure"`: structural parallelism ([`Structure`]): units of similar length tied by a shared
//!   head, a shared word at a similar position or (short units) one equal char at the same position, with
//!   close jieba POS-tag sequences, or by a shared skeleton (equal chars at the same relative positions,
//!   no tags needed); units are clauses, sentences or the first sentences of paragraphs.
//! - `kind = "word-shape"`: framed words by char shape (`ABAC` 全心全意, `AABB`, `ABACAD` 共商共建共享).
//! - `kind = "lexicon"`: known formulas from a file (`patterns/slogans.txt`), with their counts.
//! - `kind = "outline"`: runs of at least `min_members` sibling sections of `section_kind` (`enumeration`,
//!   `lead`, …); members are their headings (an inline item ends where the next marker starts).
//!
//! Every pattern carries `examples` (each must give a hit of that pattern) and `counter_examples` (none
//! may), checked by [`PatternSet::check`] and `tifa patterns --check FILE`.
//!
//! # Safety
//! Regexes run on the linear-time `regex` engine with a size limit; a back-reference is compiled as a copy
//! of its group and verified after the match, with a bounded number of retries (see [`rx::MAX_RETRIES`]).
//! An anchored regex sees a window of about 200 chars from each unit start, so matching is bounded per
//! clause. Series and structure rules are greedy linear scans (a unit is tagged with jieba at most once
//! per paragraph, shared by every structure rule, and only when a cheap shared-char test passes). A malformed file gives [`Error::Pattern`] with file, line and column.
//!
//! # Example
//! ```
//! use tifa::{SpeechFile, Text, text::Encoding, patterns::{Family, PatternSet}};
//! let file = SpeechFile::from_text(Text::from_string(
//!     "demo.txt",
//!     "我们要抓攻坚、求突破，争一流、争第一、争唯一，全力做好下半年的各项工作。",
//!     Encoding::Utf8,
//! ));
//! let docs = PatternSet::default_set().find(&file);
//! let hit = docs[0].hits.iter().find(|h| h.family == Family::Parallelism).unwrap();
//! assert_eq!(file.text.slice(hit.members[0]), "争一流");
//! assert_eq!(hit.slots["head"], "争");
//! ```

mod file;
mod matcher;
pub mod rx;
mod score;
mod structure;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::SpeechFile;
use crate::error::{Error, Result};
use crate::outline::{Outline, SectionKind};
use crate::text::{Encoding, Span, Text};

pub use score::{Scores, SectionScores};
pub use structure::Structure;

/// The default pattern set shipped with tifa (`patterns/default.toml`).
pub const DEFAULT_PATTERNS: &str = include_str!("../../patterns/default.toml");
/// The default lexicon of known numbered slogans (`patterns/slogans.txt`).
pub const DEFAULT_SLOGANS: &str = include_str!("../../patterns/slogans.txt");

/// The rhetorical family of a pattern and its hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// 排比: three or more parallel members sharing a frame.
    Parallelism,
    /// 对偶/对照: two balanced members.
    Antithesis,
    /// 顶真: each member starts with the previous one's end.
    Anadiplosis,
    /// ABAC/ABCB and repeated frames: `真抓真管、敢抓敢管`.
    Frame,
    /// 数字概括: `两个确立`, `三学三立`.
    NumberedSlogan,
    /// Ordinal sequences `一是…二是…` (from the outline).
    Enumeration,
    /// 四字格: runs of four-character phrases.
    FourCharacterRun,
    /// `不是…而是…`, `既…又…`, `越是…越…`.
    Contrast,
}

impl Family {
    /// All families in display order.
    pub const ALL: [Family; 8] = [
        Family::Parallelism,
        Family::Antithesis,
        Family::Anadiplosis,
        Family::Frame,
        Family::NumberedSlogan,
        Family::Enumeration,
        Family::FourCharacterRun,
        Family::Contrast,
    ];

    /// The name used in pattern files and output (`numbered-slogan`).
    pub fn name(self) -> &'static str {
        match self {
            Family::Parallelism => "parallelism",
            Family::Antithesis => "antithesis",
            Family::Anadiplosis => "anadiplosis",
            Family::Frame => "frame",
            Family::NumberedSlogan => "numbered-slogan",
            Family::Enumeration => "enumeration",
            Family::FourCharacterRun => "four-character-run",
            Family::Contrast => "contrast",
        }
    }

    /// Parses a family name.
    pub fn from_name(s: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.name() == s.trim())
    }

    /// Whether hits of this family are parallel structures (counted in the parallel-structure density).
    pub fn is_parallel(self) -> bool {
        matches!(
            self,
            Family::Parallelism | Family::Antithesis | Family::Anadiplosis | Family::Frame
        )
    }

    /// Structural families compete for the same members; the lower rank wins an overlap.
    fn structural_rank(self) -> Option<u8> {
        match self {
            Family::Frame => Some(0),
            Family::Anadiplosis => Some(1),
            Family::Parallelism => Some(2),
            Family::Antithesis => Some(3),
            Family::FourCharacterRun => Some(4),
            _ => None,
        }
    }
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which units a rule works on (or a regex is anchored to).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Not anchored (regex only).
    None,
    /// Clauses.
    Clause,
    /// Sentences.
    Sentence,
    /// Headings of sibling outline sections.
    Heading,
    /// The first sentence of each paragraph (structure rules only).
    Paragraph,
}

/// What the members of a series must share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Share {
    /// Nothing beyond the member constraints.
    None,
    /// A common prefix.
    Head,
    /// A common suffix.
    Tail,
    /// Equal chars at the same positions, not only a prefix.
    Frame,
    /// Each member starts with the end of the previous one.
    Chain,
}

/// A structural rule over consecutive units.
#[derive(Clone, Debug)]
pub struct Series {
    /// The units the members are taken from.
    pub unit: Unit,
    /// Separator chars (folded) that may join two members.
    pub separators: String,
    /// Fewest members.
    pub min_members: usize,
    /// Most members (longer runs are dropped).
    pub max_members: usize,
    /// Member length bounds in chars (inclusive).
    pub member_len: (usize, usize),
    /// A regex each member must contain; its match becomes the member.
    pub member: Option<rx::Rx>,
    /// Whether `member` is anchored at both ends (`^…$`), so a member is always a whole unit.
    pub member_whole: bool,
    /// What the members share.
    pub share: Share,
    /// Shared chars (or link length) required.
    pub min_shared: usize,
    /// Whether members must have equal length.
    pub equal_length: bool,
    /// Longest / shortest member length, at most.
    pub length_ratio: f64,
    /// Whether a list's first and last unit may be trimmed to their neighbour's length (default: unless `share` is none).
    pub trim: bool,
    /// Shared chars (head, tail or frame) as a share of the shortest member, at least.
    pub shared_fraction: f64,
    /// Shared heads (tails) that do not count: a head starting (tail ending) with one of these.
    pub exclude_shared: Vec<String>,
    /// Ordinary words that are no member (a member starting with one is skipped: `越来越多`).
    pub stop: Vec<String>,
    /// Frames only: `Some(true)` keeps only runs whose varying chars chain (the last varying char of a
    /// member is the first varying char of the next: `以学促研、以研促查`, a 顶真 inside a frame),
    /// `Some(false)` drops them, `None` does not look.
    pub chained: Option<bool>,
    /// Frames only: whether a pair of four-char members sharing exactly their two middle chars is a
    /// frame (`false`: `大众创业、万众创新` is two compounds matched word by word, a couplet).
    pub inner_pairs: bool,
    /// Whether a tail-sharing list's last member may be cut from a longer unit at any word boundary
    /// (`养老、孝老、敬老|政策体系`), not only before `的`, `和`, `与`, `及`, `等` (default: false).
    pub free_run_on: bool,
    /// Whether all members of a run are joined by the same separator (`坚守底线、突出重点` does not
    /// continue `人人尽责、人人享有，…` across the comma; default: false).
    pub uniform_separators: bool,
}

/// How a pattern matches.
#[derive(Clone, Debug)]
pub enum PatternKind {
    /// A regex over each paragraph's view.
    Regex {
        /// The compiled regex.
        rx: rx::Rx,
        /// Anchoring: [`Unit::None`], [`Unit::Clause`] or [`Unit::Sentence`].
        anchor: Unit,
        /// Member texts that are ordinary words, not figures (`越来越多`, `方方面面`).
        stop: Vec<String>,
    },
    /// A structural rule over units.
    Series(Series),
    /// Structural parallelism: shared shape (POS tags) and an anchor at any position (boxed: the
    /// largest rule).
    Structure(Box<Structure>),
    /// Known formulas from a lexicon file (`slogans.txt`).
    Lexicon(Lexicon),
    /// Words of a char shape: `ABAC` (`自立自强`), `AABB` (`踏踏实实`), `ABACAD` (`真学真懂真用`).
    WordShape {
        /// The shape: equal letters are equal chars, different letters different chars.
        shape: Vec<u8>,
        /// Ordinary words that have the shape but are no figure (a word starting with one is skipped).
        stop: Vec<String>,
        /// Whether the word must be one jieba token that is not a name (`true`: idioms such as `全心全意`,
        /// not `农业农村` or `一九四九`), or only start and end at token boundaries (`false`: chains).
        one_token: bool,
    },
    /// Runs of sibling outline sections of one kind.
    Outline {
        /// The section kind.
        kind: SectionKind,
        /// Fewest sections in a run.
        min_members: usize,
    },
}

/// A lexicon of known formulas: one per line, `formula<TAB>numbers` (`十四五\t14,5`; `-` or nothing for
/// a named formula without a count, such as `九二共识`); `#` starts a comment.
#[derive(Clone, Debug)]
pub struct Lexicon {
    /// The formulas, folded like the text.
    pub entries: Vec<(String, String)>,
    ac: aho_corasick::AhoCorasick,
}

impl Lexicon {
    /// Parses a lexicon; an error gives the 1-based line and what is wrong.
    pub fn parse(src: &str) -> std::result::Result<Lexicon, (usize, String)> {
        let mut entries: Vec<(String, String)> = Vec::new();
        for (k, line) in src.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let mut parts = line.split('\t').map(str::trim).filter(|p| !p.is_empty());
            let formula = rx::fold_pattern(parts.next().unwrap_or(""));
            let numbers = parts.next().unwrap_or("-");
            let numbers = if numbers == "-" { "" } else { numbers };
            if numbers
                .split(',')
                .any(|n| !n.trim().is_empty() && n.trim().parse::<u64>().is_err())
            {
                return Err((
                    k + 1,
                    format!("numbers must be like `14,5`, not `{numbers}`"),
                ));
            }
            if formula.chars().count() > 40 {
                return Err((k + 1, "formula longer than 40 chars".to_string()));
            }
            entries.push((formula.replace('\\', ""), numbers.replace(' ', "")));
        }
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(entries.iter().map(|(f, _)| f.as_str()))
            .map_err(|e| (0, e.to_string()))?;
        Ok(Lexicon { entries, ac })
    }

    /// Occurrences in `hay`: (byte start, byte end, entry index), leftmost-longest, not overlapping.
    pub fn find_iter<'h>(
        &'h self,
        hay: &'h str,
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'h {
        self.ac
            .find_iter(hay)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
    }
}

/// One compiled pattern.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// Unique id (`parallelism.clause-head`).
    pub id: String,
    /// Its family.
    pub family: Family,
    /// What it finds.
    pub description: String,
    /// How it matches.
    pub kind: PatternKind,
    /// Texts that must give a hit of this pattern.
    pub examples: Vec<String>,
    /// Texts that must not.
    pub counter_examples: Vec<String>,
    /// The pattern file it came from.
    pub source: PathBuf,
    /// 1-based line of its `id` in that file.
    pub line: usize,
}

/// A set of compiled patterns.
#[derive(Clone, Debug, Default)]
pub struct PatternSet {
    /// The patterns, in file order.
    pub patterns: Vec<Pattern>,
}

/// One occurrence of a pattern.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PatternHit {
    /// The family of the pattern.
    pub family: Family,
    /// The pattern id.
    pub pattern: String,
    /// The whole occurrence (original chars).
    pub span: Span,
    /// The member spans, in order (clause text without separators).
    pub members: Vec<Span>,
    /// Captured slots (`head`, `tail`, `frame`, `number`, …).
    pub slots: BTreeMap<String, String>,
    /// Why the rule fired (shared anchor, tag shapes), for `--explain`; empty when the slots say it all.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub why: String,
}

/// A failed self-check of a pattern.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckFailure {
    /// The pattern id.
    pub pattern: String,
    /// Line of the pattern in its file.
    pub line: usize,
    /// `"example"` (did not match) or `"counter_example"` (matched).
    pub kind: &'static str,
    /// The text.
    pub text: String,
}

/// Hits and scores of one document.
#[derive(Clone, Debug, Serialize)]
pub struct DocumentPatterns {
    /// The file the document is in.
    pub path: String,
    /// The document title, if any.
    pub title: Option<String>,
    /// The document span.
    pub span: Span,
    /// Hits in text order.
    pub hits: Vec<PatternHit>,
    /// Scores of the whole document.
    pub scores: Scores,
    /// Scores of every outline section (depth-first).
    pub sections: Vec<SectionScores>,
}

impl PatternSet {
    /// The default set embedded in the binary (parsed once per process; clones share compiled regexes).
    pub fn default_set() -> PatternSet {
        static DEFAULT: std::sync::LazyLock<PatternSet> = std::sync::LazyLock::new(|| {
            // The embedded file is checked by the test suite, so it always parses.
            PatternSet::from_toml("patterns/default.toml", DEFAULT_PATTERNS).unwrap_or_default()
        });
        DEFAULT.clone()
    }

    /// Parses a pattern file's content; `path` is used in error messages.
    pub fn from_toml(path: impl AsRef<Path>, src: &str) -> Result<PatternSet> {
        Ok(PatternSet {
            patterns: file::parse(path.as_ref(), src)?,
        })
    }

    /// Reads a pattern file (UTF-8 or any encoding [`Text::read`] detects).
    pub fn read(path: impl AsRef<Path>) -> Result<PatternSet> {
        let text = Text::read(path.as_ref(), None)?;
        PatternSet::from_toml(path, text.as_str())
    }

    /// Adds another set's patterns; an id already present is an error naming the second file.
    pub fn extend(&mut self, other: PatternSet) -> Result<()> {
        for p in other.patterns {
            if self.patterns.iter().any(|q| q.id == p.id) {
                return Err(Error::Pattern {
                    path: p.source.clone(),
                    line: p.line,
                    column: 1,
                    message: format!("duplicate pattern id `{}`", p.id),
                });
            }
            self.patterns.push(p);
        }
        Ok(())
    }

    /// The patterns that can match inside one clause: regexes, lexicon entries and word shapes. Series,
    /// structure and outline rules compare two or more units, so a text without punctuation or a line
    /// break holds none of their hits (corpus mode matches such formulas with this subset only).
    pub fn within_one_clause(&self) -> PatternSet {
        PatternSet {
            patterns: self
                .patterns
                .iter()
                .filter(|p| {
                    matches!(
                        p.kind,
                        PatternKind::Regex { .. }
                            | PatternKind::Lexicon(_)
                            | PatternKind::WordShape { .. }
                    )
                })
                .cloned()
                .collect(),
        }
    }

    /// Keeps only the patterns of the given families.
    pub fn retain_families(&mut self, families: &[Family]) {
        self.patterns.retain(|p| families.contains(&p.family));
    }

    /// Finds the hits in every document of a file and scores them.
    pub fn find(&self, file: &SpeechFile) -> Vec<DocumentPatterns> {
        file.outlines
            .iter()
            .map(|o| score_document(self, file, o))
            .collect()
    }

    /// Hits and scores of one prepared document (what `compare` and corpus mode use).
    pub fn find_prepared(&self, doc: &crate::prepared::PreparedDoc) -> DocumentPatterns {
        score_document(self, doc.file(), doc.outline())
    }

    /// Hits of one document (text order, overlaps between structural families resolved).
    pub fn hits(&self, file: &SpeechFile, outline: &Outline) -> Vec<PatternHit> {
        matcher::find(self, file, outline)
    }

    /// Hits in each span of `text` taken as one paragraph of its own (what corpus mode uses to name
    /// the family of many short formulas without preparing a document for each). Only the patterns that
    /// work inside a paragraph run: regexes, clause and sentence series and structures, word shapes and
    /// lexicon entries; heading series, outline runs and paragraph-initial structures need a document.
    /// Overlaps are resolved within each span as in [`PatternSet::hits`].
    pub fn hits_in_paragraphs(&self, text: &Text, spans: &[Span]) -> Vec<Vec<PatternHit>> {
        matcher::find_in_paragraphs(self, text, spans)
    }

    /// Verifies every pattern against its examples and counter-examples.
    pub fn check(&self) -> Vec<CheckFailure> {
        let mut failures = Vec::new();
        for p in &self.patterns {
            let single = PatternSet {
                patterns: vec![p.clone()],
            };
            let hits_in = |s: &str| {
                let file = SpeechFile::from_text(Text::from_string("example", s, Encoding::Utf8));
                file.outlines
                    .iter()
                    .map(|o| matcher::find_unresolved(&single, &file, o).len())
                    .sum::<usize>()
            };
            for e in &p.examples {
                if hits_in(e) == 0 {
                    failures.push(CheckFailure {
                        pattern: p.id.clone(),
                        line: p.line,
                        kind: "example",
                        text: e.clone(),
                    });
                }
            }
            for e in &p.counter_examples {
                if hits_in(e) > 0 {
                    failures.push(CheckFailure {
                        pattern: p.id.clone(),
                        line: p.line,
                        kind: "counter_example",
                        text: e.clone(),
                    });
                }
            }
        }
        failures
    }
}

/// The line a hit is reported on: its physical line, counting each further paragraph that the segmenter
/// found on the same physical line as a line of its own, so hits in flattened texts (a whole speech on
/// one line, paragraphs split at `\u{3000}\u{3000}`) do not all report line 1.
pub fn hit_line(file: &SpeechFile, pos: usize) -> usize {
    let paras = &file.segments.paragraphs;
    let line = file.text.line_of(pos);
    let k = paras.partition_point(|p| p.span.start <= pos);
    let Some(p) = k.checked_sub(1).map(|k| paras[k]) else {
        return line;
    };
    if p.line != line {
        return line;
    }
    let before = paras[..k - 1]
        .iter()
        .rev()
        .take_while(|q| q.line == p.line)
        .count();
    line + before
}

/// How a pattern matches, in a few words (`--explain`).
pub fn kind_name(kind: &PatternKind) -> &'static str {
    match kind {
        PatternKind::Regex { .. } => "regex",
        PatternKind::Series(_) => "series",
        PatternKind::Structure(_) => "structure",
        PatternKind::Lexicon(_) => "lexicon",
        PatternKind::WordShape { .. } => "word-shape",
        PatternKind::Outline { .. } => "outline",
    }
}

/// Hits and scores of one document of a file: what `compare` shows for each speech.
pub fn score_document(set: &PatternSet, file: &SpeechFile, outline: &Outline) -> DocumentPatterns {
    let hits = matcher::find(set, file, outline);
    let (scores, sections) = score::score(file, outline, &hits);
    DocumentPatterns {
        path: file.text.path().display().to_string(),
        title: outline.document.title.clone(),
        span: outline.document.span,
        hits,
        scores,
        sections,
    }
}
