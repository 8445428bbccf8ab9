//! Prepared documents: everything the analysis stages need about one document, computed once.
//!
//! Input: a [`SpeechFile`] (decoded text, segments, one outline per document of the file).
//! Output: one [`PreparedDoc`] per document — a document of a compilation, not the file — holding a shared
//! handle on the file (text, segments, outlines) and, built lazily on first use, the canonical sequence of
//! its body ([`Seq`], what reuse and corpus mode compare) and its fingerprints (the distinct hashes of the
//! body's canonical 8-grams, [`crate::fingerprint`]).
//!
//! How: the file sits behind an [`Arc`], so the documents of one compilation share one text and one
//! segmentation; the lazy parts sit in [`OnceLock`]s, so a `PreparedDoc` can be shared read-only across
//! rayon threads and each part is still built at most once. `diff`, `reuse`, `patterns` and corpus mode
//! all take `&PreparedDoc`; none of them rebuilds a view or sequence that is here.
//!
//! Memory: [`PreparedDoc::heap_bytes`] counts the heap bytes of the text, segments, outline and the parts
//! built so far; `tests/prepared.rs` measures bytes per char on real reports.
//!
//! ```
//! use tifa::prepared::PreparedDoc;
//! use tifa::{Text, text::Encoding};
//! let docs = PreparedDoc::from_text(Text::from_string(
//!     "a.txt",
//!     "一、加强党的建设。全面从严治党，落实主体责任。\n二、推动经济发展。稳住经济大盘。\n",
//!     Encoding::Utf8,
//! ));
//! assert_eq!(docs.len(), 1);
//! let doc = &docs[0];
//! assert_eq!(doc.outline().sections.len(), 2);
//! // The canonical sequence drops punctuation and is built once, on first use.
//! assert!(doc.seq().chars.iter().all(|c| !"。，、".contains(*c)));
//! assert!(!doc.fingerprints().is_empty());
//! ```

use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::SpeechFile;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::outline::{Outline, Section};
use crate::segment::Segments;
use crate::text::{Encoding, Seq, Span, Text};

/// Length of the canonical char n-grams whose hashes are a document's [`PreparedDoc::fingerprints`]:
/// long enough that a shared 8-gram is a shared phrase, not a shared word.
pub const FINGERPRINT_GRAM: usize = 8;

/// One document of a file, prepared for every analysis stage. Cheap to clone (the file is shared).
#[derive(Clone, Debug)]
pub struct PreparedDoc {
    file: Arc<SpeechFile>,
    index: usize,
    seq: Arc<OnceLock<Seq>>,
    fingerprints: Arc<OnceLock<Vec<u64>>>,
}

impl PreparedDoc {
    /// Every document of a file.
    pub fn all(file: SpeechFile) -> Vec<PreparedDoc> {
        let file = Arc::new(file);
        (0..file.outlines.len())
            .map(|index| PreparedDoc::of(Arc::clone(&file), index))
            .collect()
    }

    /// Document `index` (0-based) of a shared file; an error names the file when it has fewer documents.
    pub fn nth(file: Arc<SpeechFile>, index: usize) -> Result<PreparedDoc> {
        if index >= file.outlines.len() {
            return Err(Error::Invalid {
                path: file.text.path().into(),
                message: format!(
                    "has {} document(s); document {} does not exist",
                    file.outlines.len(),
                    index + 1
                ),
            });
        }
        Ok(PreparedDoc::of(file, index))
    }

    fn of(file: Arc<SpeechFile>, index: usize) -> PreparedDoc {
        PreparedDoc {
            file,
            index,
            seq: Arc::default(),
            fingerprints: Arc::default(),
        }
    }

    /// Reads a file (`-` for standard input) and prepares each of its documents.
    pub fn read(path: impl AsRef<Path>, encoding: Option<Encoding>) -> Result<Vec<PreparedDoc>> {
        Ok(PreparedDoc::all(SpeechFile::read(path, encoding)?))
    }

    /// Prepares each document of an already decoded text.
    pub fn from_text(text: Text) -> Vec<PreparedDoc> {
        PreparedDoc::all(SpeechFile::from_text(text))
    }

    /// The file this document is part of (shared with the file's other documents).
    pub fn file(&self) -> &Arc<SpeechFile> {
        &self.file
    }

    /// The decoded text of the whole file; spans of this document index into it.
    pub fn text(&self) -> &Text {
        &self.file.text
    }

    /// Paragraphs, sentences and clauses of the whole file.
    pub fn segments(&self) -> &Segments {
        &self.file.segments
    }

    /// This document's outline.
    pub fn outline(&self) -> &Outline {
        &self.file.outlines[self.index]
    }

    /// The document: title, header fields, spans.
    pub fn document(&self) -> &Document {
        &self.outline().document
    }

    /// The body span (after the header lines: preamble, sections, closing).
    pub fn body(&self) -> Span {
        self.document().body
    }

    /// Index of this document in its file (0-based).
    pub fn index(&self) -> usize {
        self.index
    }

    /// Number of documents in the file.
    pub fn documents_in_file(&self) -> usize {
        self.file.outlines.len()
    }

    /// The file's path as given (`-` for standard input).
    pub fn path(&self) -> &Path {
        self.file.text.path()
    }

    /// The canonical sequence of the body (built on first use, then kept).
    pub fn seq(&self) -> &Seq {
        self.seq.get_or_init(|| Seq::new(self.text(), self.body()))
    }

    /// Sorted distinct hashes of the body's mask-free canonical [`FINGERPRINT_GRAM`]-grams.
    pub fn fingerprints(&self) -> &[u64] {
        self.fingerprints.get_or_init(|| {
            crate::fingerprint::distinct_kgrams(&self.seq().chars, FINGERPRINT_GRAM)
        })
    }

    /// A content hash of the body's canonical sequence: equal for documents whose content is the same
    /// up to white space, punctuation, digits and width.
    pub fn content_hash(&self) -> u64 {
        crate::fingerprint::hash_chars(&self.seq().chars)
    }

    /// Chars of the body.
    pub fn chars(&self) -> usize {
        self.body().len()
    }

    /// Heap bytes held for this document: its share of the file's text and segments (by chars), its
    /// outline, and the lazy parts built so far. An estimate from capacities, for the memory budget.
    pub fn heap_bytes(&self) -> usize {
        let text = self.text();
        let total = text.len_chars().max(1);
        let share = |bytes: usize| bytes * self.document().span.len().max(1) / total;
        let segments = self.segments();
        let seg = segments.paragraphs.capacity() * std::mem::size_of::<crate::segment::Paragraph>()
            + (segments.sentences.capacity() + segments.clauses.capacity())
                * std::mem::size_of::<Span>();
        let mut n = share(text.heap_bytes() + seg) + outline_bytes(self.outline());
        if let Some(s) = self.seq.get() {
            n += s.heap_bytes();
        }
        if let Some(f) = self.fingerprints.get() {
            n += f.capacity() * 8;
        }
        n
    }
}

fn outline_bytes(o: &Outline) -> usize {
    fn section(s: &Section) -> usize {
        std::mem::size_of::<Section>()
            + s.marker.capacity()
            + s.heading.capacity()
            + s.children.iter().map(section).sum::<usize>()
    }
    o.sections.iter().map(section).sum::<usize>()
        + o.document.title.as_ref().map_or(0, String::capacity)
}
