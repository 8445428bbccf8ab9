//! tifa: compare Chinese official speeches and reports.
#![warn(missing_docs)]

pub mod document;
pub mod error;
pub mod outline;
pub mod patterns;
pub mod report;
pub mod segment;
pub mod text;

pub use error::{Error, Result};
pub use text::{Span, Text};

use std::path::Path;

use outline::Outline;
use segment::Segments;
use text::Encoding;

/// A speech file read through the whole front of the pipeline: decoded text, segments and the outline of
/// each document in it.
///
/// ```
/// let file = tifa::SpeechFile::from_text(tifa::Text::from_string(
///     "demo.txt",
///     "同志们：\n一、提高站位。一是学理论。二是学政策。\n二、狠抓落实。",
///     tifa::text::Encoding::Utf8,
/// ));
/// let outline = &file.outlines[0];
/// assert_eq!(outline.sections.len(), 2);
/// assert_eq!(outline.sections[0].children[1].marker, "二是");
/// ```
#[derive(Clone, Debug)]
pub struct SpeechFile {
    /// The decoded text.
    pub text: Text,
    /// Paragraphs, sentences and clauses.
    pub segments: Segments,
    /// One outline per document in the file.
    pub outlines: Vec<Outline>,
}

impl SpeechFile {
    /// Reads, decodes and outlines a file (`-` for standard input).
    pub fn read(path: impl AsRef<Path>, encoding: Option<Encoding>) -> Result<SpeechFile> {
        Ok(SpeechFile::from_text(Text::read(path, encoding)?))
    }

    /// Outlines an already decoded text.
    pub fn from_text(text: Text) -> SpeechFile {
        let segments = Segments::new(&text);
        let documents = document::split_documents(&text, &segments);
        let outlines = outline::outline_documents(&text, &segments, documents);
        SpeechFile {
            text,
            segments,
            outlines,
        }
    }
}
