//! The normalised view: text for matching, with a map back to the original.
//!
//! Matching stages (reuse, diff similarity, patterns) compare text that differs in irrelevant ways:
//! full-width and half-width forms (`２０２２`/`2022`, `（`/`(`), U+3000 indentation, curly and corner
//! quotes, compatibility characters (`①`→`1`). The view folds these with NFKC (per char, so the map stays
//! exact), collapses each redaction mask into one [`MASK`] char, skips noise, and can also drop white space
//! and punctuation. Every view char remembers the original span it came from, so a match found in the view
//! is reported in original offsets with [`View::to_original`].
//!
//! Heading markers are parsed on the original text, never on the view: NFKC turns `（一）` into `(一)`.
//!
//! ```
//! use tifa::text::{Encoding, Text, View, ViewOptions};
//! let t = Text::from_string("t", "“２０２２年”**市", Encoding::Utf8);
//! let v = View::with_options(&t, tifa::Span::new(0, t.len_chars()), ViewOptions::default());
//! assert_eq!(v.as_string(), "\"2022年\"\u{E000}市");
//! assert_eq!(v.to_original(tifa::Span::new(7, 8)), tifa::Span::new(7, 9)); // the mask `**`
//! ```

use unicode_normalization::UnicodeNormalization;

use super::{Span, Text};

/// The char a redaction mask collapses to in a view (a private-use code point, never in real text).
pub const MASK: char = '\u{E000}';

/// What a view drops besides noise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ViewOptions {
    /// Drop white space (line breaks, indentation), so reflowed text still matches.
    pub drop_whitespace: bool,
    /// Drop punctuation, so matching looks at words only.
    pub drop_punctuation: bool,
}

/// A normalised copy of (part of) a [`Text`], char by char mapped back to it.
#[derive(Clone, Debug, Default)]
pub struct View {
    chars: Vec<char>,
    /// Original char span of each view char (start, end).
    origin: Vec<(u32, u32)>,
}

impl View {
    /// Heap bytes held (from capacities).
    pub fn heap_bytes(&self) -> usize {
        self.chars.capacity() * 4 + self.origin.capacity() * 8
    }

    /// The view of `span` of `text` with default options (keeps white space and punctuation).
    pub fn new(text: &Text, span: Span) -> View {
        View::with_options(text, span, ViewOptions::default())
    }

    /// The view of `span` of `text`.
    pub fn with_options(text: &Text, span: Span, opts: ViewOptions) -> View {
        let mut view = View {
            chars: Vec::with_capacity(span.len()),
            origin: Vec::with_capacity(span.len()),
        };
        let masks = text.masks();
        let mut mi = masks.partition_point(|m| m.span.end <= span.start);
        let noise = text.noise();
        let mut ni = noise.partition_point(|n| n.end <= span.start);
        let s = text.slice(span);
        let mut chars = s.chars().enumerate().peekable();
        while let Some((k, c)) = chars.next() {
            let pos = span.start + k;
            while ni < noise.len() && noise[ni].end <= pos {
                ni += 1;
            }
            if ni < noise.len() && noise[ni].contains(pos) {
                continue;
            }
            while mi < masks.len() && masks[mi].span.end <= pos {
                mi += 1;
            }
            if mi < masks.len() && masks[mi].span.contains(pos) {
                let m = masks[mi].span;
                // Skip the rest of the mask run inside this span.
                while chars.peek().is_some_and(|&(k2, _)| span.start + k2 < m.end) {
                    chars.next();
                }
                view.push(MASK, pos as u32, m.end.min(span.end) as u32);
                continue;
            }
            let (a, b) = (pos as u32, pos as u32 + 1);
            match fold(c) {
                Folded::One(f) => view.push_opt(f, a, b, opts),
                Folded::Many(s) => {
                    for f in s.chars() {
                        view.push_opt(f, a, b, opts);
                    }
                }
            }
        }
        view
    }

    fn push(&mut self, c: char, a: u32, b: u32) {
        self.chars.push(c);
        self.origin.push((a, b));
    }

    fn push_opt(&mut self, c: char, a: u32, b: u32, opts: ViewOptions) {
        if opts.drop_whitespace && c.is_whitespace() {
            return;
        }
        if opts.drop_punctuation && is_punctuation(c) {
            return;
        }
        self.push(c, a, b);
    }

    /// The normalised chars.
    pub fn chars(&self) -> &[char] {
        &self.chars
    }
    /// The normalised text as a string.
    pub fn as_string(&self) -> String {
        self.chars.iter().collect()
    }
    /// Number of view chars.
    pub fn len(&self) -> usize {
        self.chars.len()
    }
    /// Whether the view is empty.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }
    /// Whether view char `i` is a collapsed redaction mask.
    pub fn is_mask(&self, i: usize) -> bool {
        self.chars.get(i) == Some(&MASK)
    }
    /// Original span of view char `i`.
    pub fn origin(&self, i: usize) -> Span {
        let (a, b) = self.origin[i];
        Span::new(a as usize, b as usize)
    }
    /// Maps a view span `[start, end)` to the original span it covers.
    pub fn to_original(&self, span: Span) -> Span {
        if span.is_empty() || span.start >= self.len() {
            let at = self
                .origin
                .get(span.start)
                .map(|o| o.0 as usize)
                .unwrap_or_else(|| self.origin.last().map(|o| o.1 as usize).unwrap_or(0));
            return Span::new(at, at);
        }
        let end = span.end.min(self.len());
        Span::new(
            self.origin[span.start].0 as usize,
            self.origin[end - 1].1 as usize,
        )
    }
    /// The first view index whose original position is at or after `orig` (for mapping spans into the view).
    pub fn index_at_or_after(&self, orig: usize) -> usize {
        self.origin.partition_point(|o| (o.1 as usize) <= orig)
    }
}

enum Folded {
    One(char),
    Many(String),
}

/// Folds one char: full-width ASCII, U+3000, quotes, and NFKC compatibility forms.
fn fold(c: char) -> Folded {
    match c {
        '\u{3000}' => Folded::One(' '),
        '“' | '”' | '„' | '‟' | '〝' | '〞' | '「' | '」' | '『' | '』' | '＂' => {
            Folded::One('"')
        }
        '‘' | '’' | '‚' | '‛' | '＇' => Folded::One('\''),
        // Han, ASCII and common CJK punctuation are already normal: skip NFKC on the hot path.
        c if c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c) => Folded::One(c),
        '、' | '。' | '〇' | '《' | '》' | '〈' | '〉' | '【' | '】' | '—' | '…' | '·' => {
            Folded::One(c)
        }
        '\u{FF01}'..='\u{FF5E}' => Folded::One(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)),
        _ => {
            let mut it = std::iter::once(c).nfkc();
            match (it.next(), it.next()) {
                (Some(a), None) => Folded::One(a),
                (None, _) => Folded::One(c),
                _ => Folded::Many(std::iter::once(c).nfkc().collect()),
            }
        }
    }
}

/// Punctuation in the sense of the view's `drop_punctuation` (Chinese and ASCII).
pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '，' | '。'
                | '、'
                | '；'
                | '：'
                | '？'
                | '！'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '（'
                | '）'
                | '《'
                | '》'
                | '〈'
                | '〉'
                | '【'
                | '】'
                | '—'
                | '…'
                | '·'
                | '「'
                | '」'
                | '『'
                | '』'
                | '〔'
                | '〕'
        )
        || ('\u{FF01}'..='\u{FF0F}').contains(&c)
        || ('\u{FF1A}'..='\u{FF20}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Encoding;

    #[test]
    fn maps_back_through_expansions() {
        let t = Text::from_string("t", "⑴ＡＢ　C", Encoding::Utf8);
        let v = t.view();
        assert_eq!(v.as_string(), "(1)AB C");
        assert_eq!(v.to_original(Span::new(0, 3)), Span::new(0, 1));
        assert_eq!(v.to_original(Span::new(3, 5)), Span::new(1, 3));
    }

    #[test]
    fn drops_whitespace_and_noise() {
        let t = Text::from_string("t", "##paidbegin##加强\r\n建设", Encoding::Utf8);
        let v = View::with_options(
            &t,
            Span::new(0, t.len_chars()),
            ViewOptions {
                drop_whitespace: true,
                drop_punctuation: false,
            },
        );
        assert_eq!(v.as_string(), "加强建设");
        assert_eq!(v.to_original(Span::new(2, 4)), Span::new(17, 19));
    }
}
