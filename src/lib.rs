//! tifa (提法, "formulation"): read, outline and compare Chinese official speeches and reports.
//!
//! tifa is a pipeline whose data flows one way; each stage is a module with its types documented at the top:
//!
//! | stage | module | input → output |
//! |---|---|---|
//! | decode, normalise | [`text`] | bytes → [`Text`] (original chars, encoding, masks, noise) and [`text::View`] |
//! | segment | [`segment`] | [`Text`] → [`segment::Segments`] (paragraphs, sentences, clauses; jieba words) |
//! | documents | [`document`] | segments → [`document::Document`]s (compilations split; title, speaker, date…) |
//! | outline | [`outline`] | a document → [`outline::Outline`], the heading tree |
//! | report | [`report`] | results → text, JSON, Markdown, HTML |
//!
//! [`SpeechFile`] runs the front of the pipeline in one call. Every span in the public API and in JSON
//! output is a [`Span`]: `[start, end)` in chars (Unicode scalar values) of the decoded text, so any
//! consumer can slice the text by code points.
//!
//! # Outlining a speech
//!
//! ```
//! use tifa::{SpeechFile, Text, text::Encoding, outline::SectionKind};
//!
//! let speech = "市住建局局长在年终总结表彰大会上的讲话\n\
//!               同志们：\n\
//!               今天召开大会，总结工作、表彰先进。\n\
//!               一、始终坚持问题导向。一是要着力解决“标准不高”的问题。内容。二是要着力解决“规矩不严”的问题。内容。\n\
//!               二、全力推动各项工作开展。内容。\n";
//! let file = SpeechFile::from_text(Text::from_string("speech.txt", speech, Encoding::Utf8));
//! let outline = &file.outlines[0];
//! assert_eq!(outline.document.title.as_deref(), Some("市住建局局长在年终总结表彰大会上的讲话"));
//! assert_eq!(outline.document.meta.salutation.as_deref(), Some("同志们"));
//!
//! let first = &outline.sections[0];
//! assert_eq!((first.marker.as_str(), first.kind), ("一、", SectionKind::Part));
//! assert_eq!(first.heading, "始终坚持问题导向");
//! assert_eq!(first.children[1].heading, "要着力解决“规矩不严”的问题");
//! // Spans are char offsets into the original text.
//! assert_eq!(file.text.slice(first.children[1].heading_span), "要着力解决“规矩不严”的问题");
//! ```
//!
//! # Reading files
//!
//! [`Text::read`] detects UTF-8 (with or without BOM), GB18030/GBK, Big5 and UTF-16, or takes a forced
//! [`text::Encoding`]; bad input (missing, directory, binary, undecodable, empty) is an [`Error`] whose
//! message names the file. Redaction masks (`**市`, `XX局`) and noise lines (`##paidbegin##`, QR-code
//! captions, site footers) are found once and respected by every later stage.
#![warn(missing_docs)]

pub mod compare;
pub mod corpus;
pub mod diff;
pub mod document;
pub mod error;
pub mod files;
pub mod fingerprint;
pub mod index;
pub mod outline;
pub mod output;
pub mod patterns;
pub mod prepared;
pub mod report;
pub mod reuse;
pub mod segment;
pub mod text;

pub use error::{Error, Result};
pub use text::{Span, Text};

use std::path::Path;

use serde::Serialize;

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

/// Where a file's outlines came from: path, encoding, length, masks and noise.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceInfo<'a> {
    /// The path as given (`-` for standard input).
    pub path: String,
    /// The detected (or forced) encoding.
    pub encoding: Encoding,
    /// Length of the decoded text in chars.
    pub chars: usize,
    /// Redaction masks (`**市`, `XX局`), as spans.
    pub masks: Vec<Span>,
    /// Noise that is not body text (`##paidbegin##`, QR-code captions, footers), as spans.
    pub noise: &'a [Span],
}

/// A file's outlines with their source: what `tifa outline --format json` prints for one file
/// (`docs/json.md`, `docs/schema/outline.schema.json`).
#[derive(Clone, Debug, Serialize)]
pub struct FileOutlines<'a> {
    /// Where the text came from.
    pub source: SourceInfo<'a>,
    /// One outline per document of the file.
    pub documents: &'a [Outline],
}

impl SpeechFile {
    /// The file's outlines with their source, for serialisation.
    pub fn outlines_with_source(&self) -> FileOutlines<'_> {
        FileOutlines {
            source: SourceInfo {
                path: self.text.path().display().to_string(),
                encoding: self.text.encoding(),
                chars: self.text.len_chars(),
                masks: self.text.masks().iter().map(|m| m.span).collect(),
                noise: self.text.noise(),
            },
            documents: &self.outlines,
        }
    }

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
