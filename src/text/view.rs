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
    map: ViewMap,
}

/// The map back of a [`View`] without its chars: what a view costs to keep when its chars are needed
/// only now and then. [`ViewMap::chars_in`] recomputes the chars of a view range from the text.
#[derive(Clone, Debug, Default)]
pub struct ViewMap {
    /// Number of view chars.
    len: usize,
    /// The options the view was built with.
    opts: ViewOptions,
    /// `(view index, shift)` where `original start − view index` changes (after dropped white space,
    /// punctuation or noise, a collapsed mask, an expansion), sorted: view char `i` starts at original
    /// char `i + shift` of the last entry at or before `i`.
    shifts: Vec<(u32, i32)>,
    /// `(view index, original end)` of the view chars that do not cover exactly one original char (a
    /// collapsed mask, an NFKC expansion), sorted by view index. Most chars cover one, so the map back
    /// costs 4 bytes per char instead of 8.
    wide: Vec<(u32, u32)>,
}

/// Walks `span` of `text` the way a view does and hands each view char to `emit` with the original
/// span `[a, b)` it came from (options are applied by the caller).
fn walk(text: &Text, span: Span, mut emit: impl FnMut(char, u32, u32)) {
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
            emit(MASK, pos as u32, m.end.min(span.end) as u32);
            continue;
        }
        let (a, b) = (pos as u32, pos as u32 + 1);
        match fold(c) {
            Folded::One(f) => emit(f, a, b),
            Folded::Many(s) => {
                for f in s.chars() {
                    emit(f, a, b);
                }
            }
        }
    }
}

/// Whether a view with options `opts` keeps char `c` (masks are always kept).
fn keeps(c: char, opts: ViewOptions) -> bool {
    c == MASK
        || !(opts.drop_whitespace && c.is_whitespace()
            || opts.drop_punctuation && is_punctuation(c))
}

impl View {
    /// Heap bytes held (from capacities).
    pub fn heap_bytes(&self) -> usize {
        self.chars.capacity() * 4 + self.map.heap_bytes()
    }

    /// The view of `span` of `text` with default options (keeps white space and punctuation).
    pub fn new(text: &Text, span: Span) -> View {
        View::with_options(text, span, ViewOptions::default())
    }

    /// The view of `span` of `text`.
    pub fn with_options(text: &Text, span: Span, opts: ViewOptions) -> View {
        let mut chars = Vec::with_capacity(span.len());
        let mut map = ViewMap {
            len: 0,
            opts,
            shifts: Vec::new(),
            wide: Vec::new(),
        };
        walk(text, span, |c, a, b| {
            if keeps(c, opts) {
                map.push(a, b);
                chars.push(c);
            }
        });
        chars.shrink_to_fit();
        map.shifts.shrink_to_fit();
        map.wide.shrink_to_fit();
        View { chars, map }
    }

    /// The map back to the original, without the chars (see [`ViewMap`]).
    pub fn into_map(self) -> ViewMap {
        self.map
    }

    /// The map back to the original.
    pub fn map(&self) -> &ViewMap {
        &self.map
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
        self.map.origin(i)
    }
    /// Maps a view span `[start, end)` to the original span it covers.
    pub fn to_original(&self, span: Span) -> Span {
        self.map.to_original(span)
    }
    /// The first view index whose original position is at or after `orig` (for mapping spans into the view).
    pub fn index_at_or_after(&self, orig: usize) -> usize {
        self.map.index_at_or_after(orig)
    }
}

impl ViewMap {
    /// Heap bytes held (from capacities).
    pub fn heap_bytes(&self) -> usize {
        self.shifts.capacity() * 8 + self.wide.capacity() * 8
    }

    fn push(&mut self, a: u32, b: u32) {
        let i = self.len as u32;
        if b != a + 1 {
            self.wide.push((i, b));
        }
        let shift = a as i64 - i as i64;
        let current = self.shifts.last().map_or(0, |s| s.1 as i64);
        if shift != current {
            self.shifts.push((i, shift as i32));
        }
        self.len += 1;
    }

    /// The original span of every view char, in one pass (where mapping char by char would search the
    /// shift tables each time).
    pub fn spans(&self) -> Vec<Span> {
        let mut out = Vec::with_capacity(self.len);
        let (mut k, mut w, mut shift) = (0usize, 0usize, 0i64);
        for i in 0..self.len {
            while k < self.shifts.len() && self.shifts[k].0 as usize <= i {
                shift = self.shifts[k].1 as i64;
                k += 1;
            }
            let start = (i as i64 + shift) as usize;
            while w < self.wide.len() && (self.wide[w].0 as usize) < i {
                w += 1;
            }
            let end = match self.wide.get(w) {
                Some(&(j, e)) if j as usize == i => e as usize,
                _ => start + 1,
            };
            out.push(Span::new(start, end));
        }
        out
    }

    /// Original start of view char `i`.
    fn start_of(&self, i: usize) -> u32 {
        let k = self.shifts.partition_point(|s| s.0 as usize <= i);
        let shift = if k == 0 {
            0
        } else {
            self.shifts[k - 1].1 as i64
        };
        (i as i64 + shift) as u32
    }

    /// Original end of view char `i`.
    fn end_of(&self, i: usize) -> u32 {
        match self.wide.binary_search_by_key(&(i as u32), |w| w.0) {
            Ok(k) => self.wide[k].1,
            Err(_) => self.start_of(i) + 1,
        }
    }

    /// Number of view chars.
    pub fn len(&self) -> usize {
        self.len
    }
    /// Whether the view is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Original span of view char `i`.
    pub fn origin(&self, i: usize) -> Span {
        Span::new(self.start_of(i) as usize, self.end_of(i) as usize)
    }
    /// Maps a view span `[start, end)` to the original span it covers.
    pub fn to_original(&self, span: Span) -> Span {
        if span.is_empty() || span.start >= self.len() {
            let at = if span.start < self.len() {
                self.start_of(span.start) as usize
            } else if self.is_empty() {
                0
            } else {
                self.end_of(self.len() - 1) as usize
            };
            return Span::new(at, at);
        }
        let end = span.end.min(self.len());
        Span::new(
            self.start_of(span.start) as usize,
            self.end_of(end - 1) as usize,
        )
    }
    /// The first view index whose original position is at or after `orig` (for mapping spans into the view).
    pub fn index_at_or_after(&self, orig: usize) -> usize {
        // Original ends never decrease along the view, so binary search over them.
        let (mut lo, mut hi) = (0usize, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if (self.end_of(mid) as usize) <= orig {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The view chars `[start, end)` (clamped to the view), recomputed from `text`, which must be the
    /// text the view was built from: the same chars [`View::chars`] held.
    pub fn chars_in(&self, text: &Text, start: usize, end: usize) -> Vec<char> {
        let end = end.min(self.len);
        let mut out = Vec::with_capacity(end.saturating_sub(start));
        if start >= end {
            return out;
        }
        // Walk from the original char view char `start` comes from; the view chars of that original
        // char before `start` (an NFKC expansion) are skipped.
        let from = self.start_of(start) as usize;
        let mut skip = start - self.index_at_or_after(from);
        let span = Span::new(from, self.end_of(end - 1) as usize);
        let (opts, n) = (self.opts, end - start);
        walk(text, span, |c, _, _| {
            if out.len() < n && keeps(c, opts) {
                if skip > 0 {
                    skip -= 1;
                } else {
                    out.push(c);
                }
            }
        });
        out
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

/// Folds one char like the view does, as a string (NFKC forms may expand to several chars).
pub fn fold_char(c: char) -> String {
    match fold(c) {
        Folded::One(f) => f.to_string(),
        Folded::Many(s) => s,
    }
}

/// Quotes and brackets as they stand in the view (after folding: `“”` are `"`, `（）` are `()`).
pub fn is_view_bracket(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '(' | ')' | '[' | ']' | '《' | '》' | '〈' | '〉' | '【' | '】' | '〔' | '〕'
    )
}

/// Punctuation in the sense of the view's `drop_punctuation` (Chinese and ASCII).
pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || is_view_bracket(c)
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
                | '—'
                | '…'
                | '·'
                | '「'
                | '」'
                | '『'
                | '』'
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
    fn map_recomputes_every_range_of_chars() {
        let t = Text::from_string(
            "t",
            "⑴ＡＢ　C，“加强”##paidbegin##建设**市\r\n㈱﹐ｘ××县①。",
            Encoding::Utf8,
        );
        for opts in [
            ViewOptions::default(),
            ViewOptions {
                drop_whitespace: true,
                drop_punctuation: true,
            },
        ] {
            for start in 0..4 {
                let span = Span::new(start, t.len_chars() - start);
                let v = View::with_options(&t, span, opts);
                let map = v.map();
                for s in 0..=v.len() {
                    for e in s..=v.len() + 1 {
                        assert_eq!(
                            map.chars_in(&t, s, e),
                            v.chars()[s..e.min(v.len())],
                            "{opts:?} {span:?} {s}..{e}"
                        );
                    }
                }
            }
        }
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
