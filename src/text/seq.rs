//! The comparison sequence: the content chars of a span, canonicalised for reuse matching.
//!
//! Built on the normalised [`View`] with white space and punctuation dropped (so reflowed lines and changed
//! commas do not break a match), then: each run of ASCII digits becomes one `0` (a swapped number of any length still matches), a
//! few interchangeable words are mapped to one spelling (`加速`→`加快`, `举措`→`措施`), and stock fillers
//! (`进一步`, `切实`, …) are dropped, because offices insert and remove them freely. Redaction masks stay
//! one [`MASK`] char each and act as wildcards in the aligner. Every sequence char remembers its view
//! index, so spans map back to the original text exactly.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::text::view::MASK;
use crate::text::view::ViewOptions;
use crate::text::{Span, Text, View, ViewMap};

/// Same-length interchangeable words: `(variant, canonical)`. Mapping both to one spelling lets a
/// synonym swap match exactly; the reported similarity is still computed on the unmapped text.
const SYNONYMS: &[(&str, &str)] = &[
    ("加速", "加快"),
    ("举措", "措施"),
    ("推动", "推进"),
    ("提升", "提高"),
    ("增强", "加强"),
    ("健全", "完善"),
    ("确保", "保证"),
    ("扎实", "切实"),
    ("全力", "大力"),
    ("抓好", "狠抓"),
    ("推行", "实行"),
    ("重大", "重要"),
    ("优化", "改善"),
    ("务必", "必须"),
];

/// Fillers dropped from the sequence: adverbs that writers add or remove without changing the content.
const FILLERS: &[&str] = &[
    "进一步",
    "切实",
    "扎实",
    "不断",
    "持续",
    "积极",
    "认真",
    "大力",
    "全力",
    "着力",
    "努力",
];

struct Tables {
    ac: AhoCorasick,
    /// For each pattern: `Some(replacement)` for a synonym, `None` for a filler (dropped).
    replace: Vec<Option<Vec<char>>>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut pats: Vec<&str> = Vec::new();
        let mut replace = Vec::new();
        for f in FILLERS {
            pats.push(f);
            replace.push(None);
        }
        for (v, c) in SYNONYMS {
            if FILLERS.contains(v) {
                continue;
            }
            pats.push(v);
            replace.push(Some(c.chars().collect()));
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&pats)
            .expect("static synonym and filler patterns build");
        Tables { ac, replace }
    })
}

/// A canonical sequence of content chars over a span of a text.
#[derive(Clone, Debug, Default)]
pub struct Seq {
    /// The span of the text the sequence was built from.
    pub span: Span,
    /// The map back of the view (white space and punctuation dropped) the sequence was built from. Its
    /// chars are not kept (4 bytes per char): [`Seq::view_chars`] recomputes a range from the text.
    pub view: ViewMap,
    /// Canonical chars (digit runs folded to one `0`, synonyms mapped, fillers dropped).
    pub chars: Vec<char>,
    /// `(sequence index, shift)` where `view index − sequence index` changes (after a dropped filler or
    /// a folded digit run), sorted: sequence char `i` stands at view index `i + shift` of the last entry
    /// at or before `i`. A few entries per hundred chars instead of 4 bytes per char.
    shifts: Vec<(u32, u32)>,
    /// `(sequence index, one past the last view index)` of the sequence chars that stand for more than
    /// one view char (a digit run is one char), sorted; every other char stands for view char `at[i]` alone.
    long: Vec<(u32, u32)>,
}

/// View options used for reuse matching.
pub const REUSE_VIEW: ViewOptions = ViewOptions {
    drop_whitespace: true,
    drop_punctuation: true,
};

impl Seq {
    /// Builds the sequence of `span` of `text`.
    pub fn new(text: &Text, span: Span) -> Seq {
        let view = View::with_options(text, span, REUSE_VIEW);
        let vchars = view.chars();
        let t = tables();
        // Aho-Corasick works on bytes: keep a byte → view index map.
        let s: String = vchars.iter().collect();
        let mut byte_to_idx = Vec::with_capacity(s.len() + 1);
        for (i, c) in vchars.iter().enumerate() {
            byte_to_idx.extend(std::iter::repeat_n(i as u32, c.len_utf8()));
        }
        byte_to_idx.push(vchars.len() as u32);
        let mut chars = Vec::with_capacity(vchars.len());
        let mut at = Vec::with_capacity(vchars.len());
        let mut end: Vec<u32> = Vec::with_capacity(vchars.len());
        // A run of digits becomes one `0`: a number swapped for one of another length still matches.
        let push = |i: usize, chars: &mut Vec<char>, at: &mut Vec<u32>, end: &mut Vec<u32>| {
            let c = vchars[i];
            if c.is_ascii_digit() {
                if i > 0 && vchars[i - 1].is_ascii_digit() && end.last() == Some(&(i as u32)) {
                    *end.last_mut().expect("previous digit was pushed") = i as u32 + 1;
                    return;
                }
                chars.push('0');
            } else {
                chars.push(c);
            }
            at.push(i as u32);
            end.push(i as u32 + 1);
        };
        let mut next = 0usize;
        for m in t.ac.find_iter(&s) {
            let (ms, me) = (
                byte_to_idx[m.start()] as usize,
                byte_to_idx[m.end()] as usize,
            );
            for i in next..ms {
                push(i, &mut chars, &mut at, &mut end);
            }
            if let Some(rep) = &t.replace[m.pattern().as_usize()] {
                for (k, &c) in rep.iter().enumerate() {
                    chars.push(c);
                    at.push((ms + k) as u32);
                    end.push((ms + k) as u32 + 1);
                }
            }
            next = me;
        }
        for i in next..vchars.len() {
            push(i, &mut chars, &mut at, &mut end);
        }
        chars.shrink_to_fit();
        let mut long: Vec<(u32, u32)> = end
            .iter()
            .zip(&at)
            .enumerate()
            .filter(|(_, (e, a))| **e != **a + 1)
            .map(|(i, (e, _))| (i as u32, *e))
            .collect();
        let mut shifts: Vec<(u32, u32)> = Vec::new();
        for (i, &a) in at.iter().enumerate() {
            let shift = a - i as u32;
            if shifts.last().map_or(shift != 0, |l| l.1 != shift) {
                shifts.push((i as u32, shift));
            }
        }
        shifts.shrink_to_fit();
        long.shrink_to_fit();
        Seq {
            span,
            view: view.into_map(),
            chars,
            shifts,
            long,
        }
    }

    /// Heap bytes held: the view, the chars and the sparse maps (from capacities).
    pub fn heap_bytes(&self) -> usize {
        self.view.heap_bytes()
            + self.chars.capacity() * 4
            + self.shifts.capacity() * 8
            + self.long.capacity() * 8
    }

    /// Number of sequence chars.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether the sequence is empty.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// View range `[s, e)` covered by sequence range `[start, end)` (fillers inside are included).
    pub fn view_range(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end || start >= self.chars.len() {
            return (0, 0);
        }
        (
            self.at(start) as usize,
            self.end_of(end.min(self.chars.len()) - 1) as usize,
        )
    }

    /// One past the last view index sequence char `i` stands for.
    fn end_of(&self, i: usize) -> u32 {
        match self.long.binary_search_by_key(&(i as u32), |l| l.0) {
            Ok(k) => self.long[k].1,
            Err(_) => self.at(i) + 1,
        }
    }

    /// View index of sequence char `i`.
    pub fn at(&self, i: usize) -> u32 {
        let k = self.shifts.partition_point(|s| s.0 as usize <= i);
        i as u32 + if k == 0 { 0 } else { self.shifts[k - 1].1 }
    }

    /// Original char span covered by sequence range `[start, end)`.
    pub fn to_original(&self, start: usize, end: usize) -> Span {
        let (s, e) = self.view_range(start, end);
        self.view.to_original(Span::new(s, e))
    }

    /// The original span of every sequence char, in one pass: what [`Seq::to_original`] gives char by
    /// char, without its searches.
    pub fn original_spans(&self) -> Vec<Span> {
        let view = self.view.spans();
        let (mut k, mut l, mut shift) = (0usize, 0usize, 0u32);
        (0..self.chars.len())
            .map(|i| {
                while k < self.shifts.len() && self.shifts[k].0 as usize <= i {
                    shift = self.shifts[k].1;
                    k += 1;
                }
                let v = i + shift as usize;
                while l < self.long.len() && (self.long[l].0 as usize) < i {
                    l += 1;
                }
                let v_end = match self.long.get(l) {
                    Some(&(j, e)) if j as usize == i => e as usize,
                    _ => v + 1,
                };
                Span::new(view[v].start, view[v_end - 1].end)
            })
            .collect()
    }

    /// View chars `[start, end)` of the sequence's view, recomputed from `text` (the text the sequence was
    /// built from): the normalised chars before digit folding, synonyms and fillers.
    pub fn view_chars(&self, text: &Text, start: usize, end: usize) -> Vec<char> {
        self.view.chars_in(text, start, end)
    }

    /// Whether sequence char `i` is a redaction mask.
    pub fn is_mask(&self, i: usize) -> bool {
        self.chars[i] == MASK
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Encoding;

    #[test]
    fn folds_digits_synonyms_and_fillers() {
        let t = Text::from_string("t", "要进一步加速推进，2023年**市举措。", Encoding::Utf8);
        let s = Seq::new(&t, Span::new(0, t.len_chars()));
        let got: String = s.chars.iter().collect();
        assert_eq!(got, "要加快推进0年\u{E000}市措施");
        // `加快` maps back to `加速` in the original text, the `0` to the whole number.
        assert_eq!(s.to_original(1, 3), Span::new(4, 6));
        assert_eq!(s.to_original(5, 6), Span::new(9, 13));
        assert!(s.is_mask(7));
        // The view chars are not kept but recomputed from the text.
        let v = View::with_options(&t, s.span, REUSE_VIEW);
        assert_eq!(s.view_chars(&t, 0, v.len()), v.chars());
        assert_eq!(s.view_chars(&t, 4, 6), ['加', '速']);
    }

    #[test]
    fn original_spans_are_the_spans_char_by_char() {
        // Masks, fillers, folded digit runs, synonyms, width folding and punctuation between chars.
        let t = Text::from_string(
            "t",
            "各位代表：**市进一步加速推进１２３４项工程，XX局全面提升“两个确立”。",
            crate::text::Encoding::Utf8,
        );
        let seq = Seq::new(&t, Span::new(0, t.len_chars()));
        let spans = seq.original_spans();
        assert_eq!(spans.len(), seq.len());
        for (i, s) in spans.iter().enumerate() {
            assert_eq!(*s, seq.to_original(i, i + 1), "char {i}");
        }
    }
}
