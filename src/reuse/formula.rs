//! Stock formulas: the built-in list of phrases every official speech shares.
//!
//! Without a background corpus this list is the only evidence that a shared passage is a formula rather
//! than copying: a passage whose content chars are mostly (by default ≥ 50 %) covered by these phrases is
//! classified boilerplate. The list lives in `formulas.txt` next to this file.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

use super::seq::Seq;
use crate::text::{Encoding, Span, Text};

const FORMULAS: &str = include_str!("formulas.txt");

fn automaton() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        // Canonicalise the phrases exactly as the texts are, so they match the sequences.
        let pats: Vec<String> = FORMULAS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                let t = Text::from_string("formula", l, Encoding::Utf8);
                Seq::new(&t, Span::new(0, t.len_chars()))
                    .chars
                    .into_iter()
                    .collect()
            })
            .filter(|s: &String| !s.is_empty())
            .collect();
        AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&pats)
            .expect("static formula list builds")
    })
}

/// Share of `chars` (a canonical sequence) covered by occurrences of stock formulas, in `[0, 1]`.
pub fn formula_share(chars: &[char]) -> f64 {
    if chars.is_empty() {
        return 0.0;
    }
    let s: String = chars.iter().collect();
    let mut byte_to_idx = Vec::with_capacity(s.len() + 1);
    for (i, c) in chars.iter().enumerate() {
        byte_to_idx.extend(std::iter::repeat_n(i, c.len_utf8()));
    }
    byte_to_idx.push(chars.len());
    let mut covered = vec![false; chars.len()];
    // Overlapping matches, so nested and overlapping formulas all count.
    for m in automaton().find_overlapping_iter(&s) {
        for c in &mut covered[byte_to_idx[m.start()]..byte_to_idx[m.end()]] {
            *c = true;
        }
    }
    covered.iter().filter(|&&c| c).count() as f64 / chars.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_cover_a_stock_sentence() {
        let t = Text::from_string(
            "t",
            "深入学习贯彻习近平新时代中国特色社会主义思想和党的二十大精神",
            Encoding::Utf8,
        );
        let s = Seq::new(&t, Span::new(0, t.len_chars()));
        assert!(formula_share(&s.chars) > 0.9);
        let t = Text::from_string("t", "全市新建改建农村公路一千二百公里", Encoding::Utf8);
        let s = Seq::new(&t, Span::new(0, t.len_chars()));
        assert_eq!(formula_share(&s.chars), 0.0);
    }
}
