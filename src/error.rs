//! The library's one error type.
//!
//! Every variant names the input it is about, so that its `Display` form is a complete one-line message
//! (`tifa: speech.txt: binary file (NUL byte at offset 12)`); the CLI prints it and exits with code 2.

use std::path::PathBuf;

/// Everything that can go wrong while reading input or pattern files.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A directory was given where a file is expected.
    #[error("{path}: is a directory, expected a text file")]
    IsDirectory {
        /// The directory.
        path: PathBuf,
    },
    /// The content looks binary (NUL bytes or control characters).
    #[error("{path}: binary file ({detail})")]
    Binary {
        /// The file.
        path: PathBuf,
        /// What gave it away.
        detail: String,
    },
    /// The bytes are not valid in any supported encoding (or in the one forced with `--encoding`).
    #[error("{path}: cannot decode: {detail}")]
    Undecodable {
        /// The file.
        path: PathBuf,
        /// Which encodings were tried and where decoding failed.
        detail: String,
    },
    /// The file holds no text (empty, or only white space and noise lines).
    #[error("{path}: empty file (no text to analyse)")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file is larger than tifa accepts.
    #[error("{path}: file too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// An encoding name given by the user is not supported.
    #[error("unknown encoding '{0}' (use utf-8, gb18030, gbk, utf-16le, utf-16be or big5)")]
    UnknownEncoding(String),
    /// A pattern file is malformed or a pattern in it is invalid.
    #[error("{path}:{line}:{column}: {message}")]
    Pattern {
        /// The pattern file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Any other invalid input, with the file it concerns.
    #[error("{path}: {message}")]
    Invalid {
        /// The file or argument.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
