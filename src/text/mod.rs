//! Stage 1: bytes → [`Text`].
//!
//! Decodes a file (UTF-8 with or without BOM, GB18030/GBK, Big5, UTF-16 with BOM or detectably without;
//! strict by default, or lossy with [`ReadOptions`]), keeps the decoded text exactly as written (line
//! endings included, BOM excluded), remembers what the reader should be told ([`Text::notices`]: bytes
//! replaced in lossy mode, an ambiguous Big5/GB18030 choice) and offers the one
//! conversion point between byte offsets and char offsets. Every [`Span`] in tifa's public output is
//! `[start, end)` in chars (Unicode scalar values) of this decoded text.
//!
//! On top of the text sit:
//! - [`mask`]: redaction masks (`**市`, `***亿元`, `XX局`) that later stages treat as wildcards;
//! - [`noise`]: noise that is not body text (`##paidbegin##`, QR-code captions, site footers);
//! - [`view`]: a normalised view (full-width ASCII folded, quotes unified, masks collapsed, noise
//!   skipped) whose every char maps back to a span of the original;
//! - [`dice`]: the one char-bigram Dice coefficient (diff's sentence pairing, reuse's passage scores).
//!
//! ```
//! use tifa::text::Text;
//! let text = Text::from_bytes("demo.txt", "一、总体要求\r\n同志们：".as_bytes(), None).unwrap();
//! assert_eq!(text.encoding().name(), "UTF-8");
//! assert_eq!(text.len_chars(), 12);
//! let span = tifa::Span::new(0, 2);
//! assert_eq!(text.slice(span), "一、");
//! ```

pub mod decode;
pub mod dice;
pub mod mask;
pub mod noise;
pub mod overlap;
pub mod seq;
pub mod view;

use std::path::{Path, PathBuf};

pub use decode::{Encoding, ReadOptions, Replacements};
pub use mask::Mask;
pub use overlap::OverlapIndex;
pub use seq::Seq;
pub use view::{View, ViewMap, ViewOptions};

use crate::error::{Error, Result};

/// The value of one Chinese digit: `〇`/`零` 0, `一` to `九` 1 to 9; `None` for any other char.
pub fn chinese_digit(c: char) -> Option<u32> {
    match c {
        '〇' | '零' => Some(0),
        _ => "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32 + 1),
    }
}

/// The chars of `s`, for tests that build char sequences from literals.
#[cfg(test)]
pub(crate) fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// Files larger than this are refused (a speech is kilobytes; a compilation a few megabytes).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// White space, plus the invisible chars web copies leave around text (zero-width space and joiners,
/// word joiner, BOM).
pub fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'
        )
}

/// A half-open range `[start, end)` of char offsets into a decoded [`Text`].
///
/// Serialised as a two-element array `[start, end]`, so a JSON consumer can slice the text with
/// `text.chars()[start..end]` in any language that indexes by code point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First char of the range.
    pub start: usize,
    /// One past the last char of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (chars).
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    /// Number of chars covered.
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    /// Whether the span covers nothing.
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    /// Whether `pos` lies inside the span.
    pub const fn contains(&self, pos: usize) -> bool {
        self.start <= pos && pos < self.end
    }
    /// Whether the two spans share at least one char.
    pub const fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// The smallest span covering both.
    pub fn cover(&self, other: &Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl serde::Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        [self.start, self.end].serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let [start, end] = <[usize; 2]>::deserialize(d)?;
        Ok(Span { start, end })
    }
}

/// Chars between two entries of the sampled char → byte index.
const CHAR_BLOCK: usize = 32;

/// Length in bytes of the UTF-8 char whose first byte is `lead`.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// A decoded input file: the original text, where it came from and how it was decoded.
///
/// The text is kept byte-for-byte as decoded (BOM excluded). Char offsets are the currency of the public
/// API; [`Text::byte_of`] and [`Text::char_of`] are the only conversions between the two.
#[derive(Clone, Debug)]
pub struct Text {
    path: PathBuf,
    encoding: Encoding,
    string: String,
    /// Byte offset of every [`CHAR_BLOCK`]-th char (char 0, 32, 64, …): the char ↔ byte index in an
    /// eighth of a byte per char instead of four; the chars in between are stepped over.
    block_bytes: Vec<u32>,
    /// Length in chars.
    chars: usize,
    masks: Vec<Mask>,
    noise: Vec<Span>,
    /// Undecodable byte sequences replaced by U+FFFD (lossy mode only).
    replaced: Option<Replacements>,
    /// How the encoding was chosen when more than one decoded cleanly.
    decision: Option<String>,
    /// Char offset where each line starts (after each `\n`), for line numbers in O(log n).
    line_starts: Vec<u32>,
}

impl Text {
    /// Heap bytes held: the string, the char index, masks, noise and line starts (from capacities).
    pub fn heap_bytes(&self) -> usize {
        self.string.capacity()
            + self.block_bytes.capacity() * 4
            + self.masks.capacity() * std::mem::size_of::<Mask>()
            + self.noise.capacity() * std::mem::size_of::<Span>()
            + self.line_starts.capacity() * 4
    }

    /// Reads and decodes a file; `-` reads standard input. `encoding` forces an encoding instead of detecting one.
    pub fn read(path: impl AsRef<Path>, encoding: Option<Encoding>) -> Result<Text> {
        Text::read_with(path, &ReadOptions::strict(encoding))
    }

    /// Reads and decodes a file with the given options (`-` reads standard input).
    pub fn read_with(path: impl AsRef<Path>, opts: &ReadOptions) -> Result<Text> {
        let path = path.as_ref();
        if path == Path::new("-") {
            use std::io::Read;
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Io {
                    path: path.into(),
                    source,
                })?;
            if bytes.len() as u64 > MAX_FILE_BYTES {
                return Err(Error::TooLarge {
                    path: path.into(),
                    size: bytes.len() as u64,
                    limit: MAX_FILE_BYTES,
                });
            }
            return Text::from_bytes_with(path, &bytes, opts);
        }
        let meta = std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        if meta.is_dir() {
            return Err(Error::IsDirectory { path: path.into() });
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(Error::TooLarge {
                path: path.into(),
                size: meta.len(),
                limit: MAX_FILE_BYTES,
            });
        }
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        Text::from_bytes_with(path, &bytes, opts)
    }

    /// Decodes bytes already in memory; `path` is only used in messages and output.
    pub fn from_bytes(
        path: impl AsRef<Path>,
        bytes: &[u8],
        encoding: Option<Encoding>,
    ) -> Result<Text> {
        Text::from_bytes_with(path, bytes, &ReadOptions::strict(encoding))
    }

    /// Decodes bytes already in memory with the given options; `path` is only used in messages and output.
    pub fn from_bytes_with(
        path: impl AsRef<Path>,
        bytes: &[u8],
        opts: &ReadOptions,
    ) -> Result<Text> {
        let path = path.as_ref();
        let decoded = decode::decode(path, bytes, opts)?;
        let mut text = Text::from_string(path, decoded.text, decoded.encoding);
        text.replaced = decoded.replaced;
        text.decision = decoded.decision;
        if text.is_blank() {
            return Err(Error::Empty { path: path.into() });
        }
        Ok(text)
    }

    /// Wraps a string that is already decoded (tests, library users with text in memory).
    pub fn from_string(
        path: impl AsRef<Path>,
        string: impl Into<String>,
        encoding: Encoding,
    ) -> Text {
        let string = string.into();
        let mut block_bytes: Vec<u32> = Vec::with_capacity(string.len() / (2 * CHAR_BLOCK) + 1);
        let mut line_starts = vec![0u32];
        let mut chars = 0usize;
        for (i, (b, c)) in string.char_indices().enumerate() {
            if i % CHAR_BLOCK == 0 {
                block_bytes.push(b as u32);
            }
            if c == '\n' {
                line_starts.push(i as u32 + 1);
            }
            chars = i + 1;
        }
        let mut text = Text {
            path: path.as_ref().into(),
            encoding,
            string,
            block_bytes,
            chars,
            masks: Vec::new(),
            noise: Vec::new(),
            replaced: None,
            decision: None,
            line_starts,
        };
        text.masks = mask::find_masks(&text);
        text.noise = noise::find_noise(&text);
        text
    }

    /// Whether the text holds nothing but white space and noise.
    fn is_blank(&self) -> bool {
        let mut noise = self.noise.iter().peekable();
        for (i, c) in self.string.chars().enumerate() {
            while noise.peek().is_some_and(|n| n.end <= i) {
                noise.next();
            }
            if noise.peek().is_some_and(|n| n.contains(i)) {
                continue;
            }
            if !is_blank(c) {
                return false;
            }
        }
        true
    }

    /// Where the text came from (`-` for standard input).
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The encoding the bytes were decoded from.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }
    /// Undecodable byte sequences replaced by U+FFFD when the file was read in lossy mode.
    pub fn replaced(&self) -> Option<Replacements> {
        self.replaced
    }
    /// How the encoding was chosen when more than one decoded cleanly (Big5 against GB18030).
    pub fn decision(&self) -> Option<&str> {
        self.decision.as_deref()
    }
    /// What a reader of this text should be told on stderr: one line per notice, each naming the file.
    pub fn notices(&self) -> Vec<String> {
        let path = self.path.display();
        let replaced = self.replaced.map(|r| format!("{path}: {r}"));
        let decision = self.decision.as_ref().map(|d| format!("{path}: {d}"));
        replaced.into_iter().chain(decision).collect()
    }
    /// The whole decoded text.
    pub fn as_str(&self) -> &str {
        &self.string
    }
    /// Length in chars.
    pub fn len_chars(&self) -> usize {
        self.chars
    }
    /// Byte offset of char offset `c` (clamped to the end).
    pub fn byte_of(&self, c: usize) -> usize {
        if c >= self.chars {
            return self.string.len();
        }
        let bytes = self.string.as_bytes();
        let mut b = self.block_bytes[c / CHAR_BLOCK] as usize;
        for _ in 0..c % CHAR_BLOCK {
            b += utf8_len(bytes[b]);
        }
        b
    }
    /// Char offset of byte offset `b`; a byte inside a char maps to that char.
    pub fn char_of(&self, b: usize) -> usize {
        if b >= self.string.len() {
            return self.chars;
        }
        let block = self.block_bytes.partition_point(|&x| x as usize <= b) - 1;
        let bytes = self.string.as_bytes();
        let (mut c, mut at) = (block * CHAR_BLOCK, self.block_bytes[block] as usize);
        loop {
            let next = at + utf8_len(bytes[at]);
            if next > b {
                return c;
            }
            at = next;
            c += 1;
        }
    }
    /// Converts a byte range of [`Text::as_str`] to a char span.
    pub fn span_of_bytes(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.char_of(range.start), self.char_of(range.end))
    }
    /// The text of a char span.
    pub fn slice(&self, span: Span) -> &str {
        let end = span.end.min(self.len_chars());
        let start = span.start.min(end);
        &self.string[self.byte_of(start)..self.byte_of(end)]
    }
    /// The char at char offset `c`.
    pub fn char_at(&self, c: usize) -> Option<char> {
        if c >= self.len_chars() {
            return None;
        }
        self.string[self.byte_of(c)..].chars().next()
    }
    /// Redaction masks, in text order.
    pub fn masks(&self) -> &[Mask] {
        &self.masks
    }
    /// Noise spans (not body text), in text order.
    pub fn noise(&self) -> &[Span] {
        &self.noise
    }
    /// Whether char `c` lies in a noise span.
    pub fn is_noise(&self, c: usize) -> bool {
        let i = self.noise.partition_point(|n| n.end <= c);
        self.noise.get(i).is_some_and(|n| n.contains(c))
    }
    /// The 1-based line number of char offset `c` (counting `\n`).
    pub fn line_of(&self, c: usize) -> usize {
        self.line_starts.partition_point(|&s| s as usize <= c)
    }
    /// A normalised view of the whole text (see [`View`]).
    pub fn view(&self) -> View {
        View::new(self, Span::new(0, self.len_chars()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_and_offsets() {
        let t = Text::from_string("t", "一\r\n二三\n\n四", Encoding::Utf8);
        assert_eq!(t.len_chars(), 8);
        assert_eq!(
            [
                t.line_of(0),
                t.line_of(2),
                t.line_of(3),
                t.line_of(6),
                t.line_of(7)
            ],
            [1, 1, 2, 3, 4]
        );
        assert_eq!(t.char_of(t.byte_of(4)), 4);
        assert_eq!(t.char_of(4), 2, "a byte inside a char maps to that char");
        assert_eq!(t.slice(Span::new(3, 5)), "二三");
    }
}
