//! Ingest: files → documents with the features every later phase needs.
//!
//! Input: the files of a [`crate::files::Selection`] (or texts already in memory). Output: an
//! [`Ingested`] corpus: the decoded texts, one [`DocRecord`] per document (a compilation gives one per
//! speech; `index` is its place in the file), and per distinct document its [`DocFeatures`]: its
//! canonical sequence and clause cuts (for shared formulas and pair alignment), the winnowed shingle
//! fingerprints (for candidate pairs and document frequencies). The pattern set, if any, is kept for the formula phase, which names the family of each
//! mined formula from the formula's own text. Files that fail to read are kept as [`FileError`]s.
//!
//! How: files are read and outlined in parallel (rayon), each document's canonical sequence
//! ([`crate::reuse::seq::Seq`]: content chars, width-folded, digits folded, masks one wildcard char) is built
//! once and kept, with
//! - *cuts*: where the clause units start, a unit being a maximal run of sequence chars between two
//!   clause or quotation boundaries (any punctuation or line break in the original between two sequence
//!   chars); the sequence is mapped back to the original once per document for them and the
//!   fingerprints ([`Seq::original_spans`]);
//! - *fingerprints*: [`SHINGLE`]-char shingles of the sequence, winnowed with a window of [`WINDOW`]
//!   (Schleimer et al. 2003: the minimum hash of each window), so every shared run of at least
//!   `SHINGLE + WINDOW − 1` chars shares at least one fingerprint, at about `2 / (WINDOW + 1)` of the
//!   shingles' cost. Shingles holding a mask are never chosen (a mask matches anything).
//!
//! Documents whose whole sequence is identical to an earlier document's are exact duplicates: recorded
//! with `duplicate_of` and given no features, so they are counted once everywhere.

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::patterns::PatternSet;
use crate::reuse::seq::Seq;
use crate::segment::Segments;
use crate::text::view::MASK;
use crate::text::{Encoding, Span, Text};

use super::{Progress, hash_chars};

/// Shingle length (sequence chars) of the fingerprints.
pub const SHINGLE: usize = 8;
/// Winnowing window (shingles): every shared run of `SHINGLE + WINDOW - 1` = 15 content chars shares a
/// fingerprint.
pub const WINDOW: usize = 8;

/// One document of the corpus.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocRecord {
    /// Document id (0-based, in file order then compilation order).
    pub id: u32,
    /// The file it is in.
    pub path: String,
    /// Its place in the file (0 for a single speech; the n-th speech of a compilation).
    pub index: usize,
    /// The title, if the header has one.
    pub title: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`: from the header, else from the file name.
    pub date: Option<String>,
    /// The speaker, if the header names one.
    pub speaker: Option<String>,
    /// Length of the document in chars.
    pub chars: usize,
    /// Content chars (sequence chars: no white space, punctuation or stock fillers).
    pub content_chars: usize,
    /// The document this one duplicates (exactly or nearly), if any: it is then counted once, as that one.
    pub duplicate_of: Option<u32>,
    /// `exact` or `near` when `duplicate_of` is set.
    pub duplicate: Option<&'static str>,
    /// Index of its file in [`Ingested::texts`].
    #[serde(skip)]
    pub file: u32,
    /// Its span in the file's text.
    pub span: Span,
}

/// A winnowed shingle fingerprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Fingerprint {
    /// Hash of the shingle's canonical chars.
    pub hash: u64,
    /// Original char offset of the shingle's first char.
    pub pos: u32,
    /// Index of the shingle's first char in the canonical sequence.
    pub at: u32,
}

/// The features of one distinct document.
#[derive(Clone, Debug, Default)]
pub struct DocFeatures {
    /// The canonical sequence (content chars, width, digits and synonyms folded, masks one char), kept
    /// for the formula miner and for aligning shared neighbourhoods without rebuilding it.
    pub seq: Seq,
    /// Sequence indexes where a clause unit starts, then the sequence length (clause and quotation
    /// boundaries: formulas are aligned to them).
    pub cuts: Vec<u32>,
    /// Winnowed fingerprints in text order.
    pub fingerprints: Vec<Fingerprint>,
}

/// A file that could not be read.
#[derive(Debug)]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub error: Error,
}

/// A corpus read and reduced to features.
#[derive(Debug, Default)]
pub struct Ingested {
    /// Decoded texts, one per file read.
    pub texts: Vec<Text>,
    /// Every document, duplicates included.
    pub docs: Vec<DocRecord>,
    /// Features per document (empty for duplicates).
    pub features: Vec<DocFeatures>,
    /// Files that failed.
    pub errors: Vec<FileError>,
    /// The pattern set that names the family of each mined formula (`None`: no families). Only the
    /// formulas are matched, not whole documents: the figures of interest are inside the formulas, and
    /// matching every document cost more than the rest of corpus mode together.
    pub patterns: Option<PatternSet>,
}

impl Ingested {
    /// The text a document is in.
    pub fn text(&self, doc: u32) -> &Text {
        &self.texts[self.docs[doc as usize].file as usize]
    }

    /// Ids of documents that are not duplicates.
    pub fn distinct(&self) -> impl Iterator<Item = u32> + '_ {
        self.docs
            .iter()
            .filter(|d| d.duplicate_of.is_none())
            .map(|d| d.id)
    }

    /// Number of documents that are not duplicates.
    pub fn distinct_count(&self) -> usize {
        self.docs
            .iter()
            .filter(|d| d.duplicate_of.is_none())
            .count()
    }
}

/// Reads files in parallel and reduces each document to its features.
pub fn ingest_files(
    paths: &[PathBuf],
    encoding: Option<Encoding>,
    patterns: Option<&PatternSet>,
    progress: &dyn Progress,
) -> Ingested {
    progress.start("reading", paths.len() as u64);
    let read: Vec<std::result::Result<Prepared, FileError>> = paths
        .par_iter()
        .map(|p| {
            let r = Text::read(p, encoding)
                .map(prepare)
                .map_err(|error| FileError {
                    path: p.clone(),
                    error,
                });
            progress.inc(1);
            r
        })
        .collect();
    progress.finish();
    assemble(read, patterns)
}

/// Reduces texts already in memory (tests, library users).
pub fn ingest_texts(texts: Vec<Text>, patterns: Option<&PatternSet>) -> Ingested {
    let read = texts.into_par_iter().map(|t| Ok(prepare(t))).collect();
    assemble(read, patterns)
}

/// One file's documents before ids are given.
struct Prepared {
    text: Text,
    docs: Vec<(DocRecord, DocFeatures, u64)>,
}

/// A file's documents and their features. Only the documents (split, title, header fields) are needed,
/// not their outlines: building outlines was a twentieth of a corpus run.
fn prepare(text: Text) -> Prepared {
    let segments = Segments::new(&text);
    let documents = crate::document::split_documents(&text, &segments);
    let path = text.path().display().to_string();
    let mut docs = Vec::with_capacity(documents.len());
    for (index, d) in documents.iter().enumerate() {
        let seq = Seq::new(&text, d.span);
        let whole = hash_chars(&seq.chars);
        let orig = seq.original_spans();
        let features = DocFeatures {
            cuts: cuts(&text, &orig),
            fingerprints: winnow(&seq, &orig),
            seq,
        };
        let date = d.iso_date(&path);
        let record = DocRecord {
            id: 0,
            path: path.clone(),
            index,
            title: d.title.clone(),
            date,
            speaker: d.meta.speaker.clone(),
            chars: d.span.len(),
            content_chars: features.seq.len(),
            duplicate_of: None,
            duplicate: None,
            file: 0,
            span: d.span,
        };
        docs.push((record, features, whole));
    }
    Prepared { text, docs }
}

fn assemble(
    read: Vec<std::result::Result<Prepared, FileError>>,
    patterns: Option<&PatternSet>,
) -> Ingested {
    let mut out = Ingested {
        patterns: patterns.cloned(),
        ..Ingested::default()
    };
    let mut seen: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    for r in read {
        match r {
            Err(e) => out.errors.push(e),
            Ok(p) => {
                let file = out.texts.len() as u32;
                out.texts.push(p.text);
                for (mut rec, feat, whole) in p.docs {
                    rec.id = out.docs.len() as u32;
                    rec.file = file;
                    // Empty documents (a title line only) have nothing to share: never duplicates.
                    match seen.get(&whole) {
                        Some(&first) if rec.content_chars > 0 => {
                            rec.duplicate_of = Some(first);
                            rec.duplicate = Some("exact");
                            out.features.push(DocFeatures::default());
                        }
                        _ => {
                            seen.insert(whole, rec.id);
                            out.features.push(feat);
                        }
                    }
                    out.docs.push(rec);
                }
            }
        }
    }
    out
}

/// Whether an original char between two sequence chars is a clause or quotation boundary: punctuation
/// or a line break (a filler word dropped from the sequence is no boundary).
fn is_boundary(c: char) -> bool {
    c == '\n' || (!c.is_alphanumeric() && !matches!(c, ' ' | '\u{3000}' | '\t' | '\r' | '*'))
}

/// Where the clause units of a sequence start, then its length: a unit is a maximal run of sequence chars
/// between two clause or quotation boundaries (`orig`: the original span of each sequence char).
pub fn cuts(text: &Text, orig: &[Span]) -> Vec<u32> {
    let mut out = vec![0];
    let (Some(first), Some(last)) = (orig.first(), orig.last()) else {
        return out;
    };
    // The boundary chars of the document, in one pass (not a slice of the text per gap).
    let from = first.start;
    let boundary: Vec<bool> = text
        .slice(Span::new(from, last.end))
        .chars()
        .map(is_boundary)
        .collect();
    for i in 1..orig.len() {
        let (e, s) = (orig[i - 1].end, orig[i].start);
        let gap = boundary.get(e.saturating_sub(from)..s.saturating_sub(from));
        if s > e && gap.is_some_and(|g| g.iter().any(|&b| b)) {
            out.push(i as u32);
        }
    }
    out.push(orig.len() as u32);
    out
}

/// Winnowed shingle fingerprints of a sequence (robust winnowing: the rightmost minimum of each window,
/// recorded once per change of position).
pub fn winnow(seq: &Seq, orig: &[Span]) -> Vec<Fingerprint> {
    let c = &seq.chars;
    if c.len() < SHINGLE {
        return Vec::new();
    }
    let grams: Vec<u64> = c
        .windows(SHINGLE)
        .map(|w| {
            if w.contains(&MASK) {
                u64::MAX
            } else {
                hash_chars(w)
            }
        })
        .collect();
    let mut out = Vec::with_capacity(grams.len() * 2 / (WINDOW + 1) + 1);
    let mut last = usize::MAX;
    let w = WINDOW.min(grams.len());
    for s in 0..=grams.len() - w {
        let mut best = s;
        for i in s..s + w {
            if grams[i] <= grams[best] {
                best = i;
            }
        }
        if best != last && grams[best] != u64::MAX {
            out.push(Fingerprint {
                hash: grams[best],
                pos: orig[best].start as u32,
                at: best as u32,
            });
            last = best;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_split_at_punctuation_not_at_fillers() {
        let t = Text::from_string(
            "t",
            "要进一步“争一流、争第一”，\n攻坚三季度",
            Encoding::Utf8,
        );
        let seq = Seq::new(&t, Span::new(0, t.len_chars()));
        let orig = seq.original_spans();
        let c = cuts(&t, &orig);
        let got: Vec<&str> = c
            .windows(2)
            .map(|w| {
                t.slice(Span::new(
                    orig[w[0] as usize].start,
                    orig[w[1] as usize - 1].end,
                ))
            })
            .collect();
        assert_eq!(got, ["要", "争一流", "争第一", "攻坚三季度"]);
        assert_eq!(c[1], 1, "the filler is not in the sequence");
    }

    #[test]
    fn winnowing_guarantees_a_shared_fingerprint() {
        let shared = "坚持以人民为中心的发展思想推进共同富裕";
        let a = Text::from_string(
            "a",
            format!("今年全市上下{shared}取得新成效"),
            Encoding::Utf8,
        );
        let b = Text::from_string("b", format!("我们必须{shared}再上新台阶了"), Encoding::Utf8);
        let (sa, sb) = (
            Seq::new(&a, Span::new(0, a.len_chars())),
            Seq::new(&b, Span::new(0, b.len_chars())),
        );
        let fa = winnow(&sa, &sa.original_spans());
        let fb = winnow(&sb, &sb.original_spans());
        let common: Vec<_> = fa
            .iter()
            .filter(|x| fb.iter().any(|y| y.hash == x.hash))
            .collect();
        assert!(!common.is_empty());
        for f in common {
            let start = f.pos as usize;
            assert!(
                a.slice(Span::new(start, start + SHINGLE))
                    .chars()
                    .all(|c| shared.contains(c))
            );
        }
    }
}
