//! Redaction masks: placeholders that stand for a name or number someone removed.
//!
//! Published speeches are often anonymised (`**市`, `***亿元`, `完成*个`) and templates leave blanks
//! (`XX局`, `××县`, `○○同志`, `某某单位`). A mask is not text: later stages treat it as a wildcard that
//! matches any name or number (reuse), any heading text (diff), and never a pattern member on its own.

use serde::Serialize;

use super::{Span, Text};

/// One redaction mask in the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Mask {
    /// Where the mask is, in chars of the original text.
    pub span: Span,
}

/// Whether `c` can form a mask on its own (a run of one is already a mask).
fn is_star(c: char) -> bool {
    matches!(c, '*' | '＊' | '※')
}

/// Chars that form a mask only in runs of two or more (`XX`, `××`, `○○`, `某某`).
fn is_pair_mask(c: char) -> bool {
    matches!(c, 'X' | 'Ｘ' | '×' | '○' | '某' | 'x' | 'ｘ')
}

/// Finds every mask in the text, in order.
pub fn find_masks(text: &Text) -> Vec<Mask> {
    let chars: Vec<char> = text.as_str().chars().collect();
    let mut masks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_star(c) || is_pair_mask(c) {
            let mut j = i + 1;
            while j < chars.len() && (chars[j] == c || (is_star(c) && is_star(chars[j]))) {
                j += 1;
            }
            let run = j - i;
            let latin = |k: usize| chars.get(k).is_some_and(|ch| ch.is_ascii_alphabetic());
            let ok = if is_star(c) {
                true
            } else if matches!(c, 'X' | 'x') {
                // `XX局` is a mask, `XXL` or `Xi` is not; lowercase only when doubled inside Han text.
                run >= 2 && !latin(j) && (i == 0 || !latin(i - 1))
            } else {
                run >= 2
            };
            if ok {
                masks.push(Mask {
                    span: Span::new(i, j),
                });
            }
            i = j;
        } else {
            i += 1;
        }
    }
    masks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Encoding;

    fn spans(s: &str) -> Vec<(usize, usize)> {
        let t = Text::from_string("t", s, Encoding::Utf8);
        t.masks()
            .iter()
            .map(|m| (m.span.start, m.span.end))
            .collect()
    }

    #[test]
    fn finds_masks() {
        assert_eq!(spans("**市完成*个"), vec![(0, 2), (5, 6)]);
        assert_eq!(spans("XX局和××县"), vec![(0, 2), (4, 6)]);
        assert_eq!(spans("XXL号和X光"), vec![]);
        assert_eq!(spans("某个单位"), vec![]);
        assert_eq!(spans("某某单位"), vec![(0, 2)]);
    }
}
