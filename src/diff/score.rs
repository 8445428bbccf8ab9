//! Similarity measures: heading tokens with mask wildcards, body fingerprints, whole-text coverage.

use rustc_hash::FxHashSet;

use crate::text::dice::{self, sorted_dice};
use crate::text::view::MASK;
use crate::text::view::ViewOptions;
use crate::text::{Span, Text, View};

/// Options of the views diff compares: white space and punctuation never make two texts different.
pub(crate) const MATCH_VIEW: ViewOptions = ViewOptions {
    drop_whitespace: true,
    drop_punctuation: true,
};

/// Length of the char runs that count as shared text in [`text_scores`].
pub const TEXT_RUN: usize = 8;

/// A heading token (a char or a word, hashed); [`Tok::MASK`] equals every token.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok(pub u64);

impl Tok {
    /// A redaction mask: matches anything.
    pub const MASK: Tok = Tok(u64::MAX);
}

impl PartialEq for Tok {
    fn eq(&self, other: &Tok) -> bool {
        self.0 == other.0 || self.0 == u64::MAX || other.0 == u64::MAX
    }
}

pub(crate) fn char_tok(c: char) -> Tok {
    if c == MASK { Tok::MASK } else { Tok(c as u64) }
}

/// Heading similarity in [0, 1]: the larger of 1 − Levenshtein distance / longer length (over tokens,
/// a mask matching any token) and the Dice coefficient of the token bigrams (which sees through
/// reordered clauses: `甲，乙` → `乙，甲`). Two empty headings are the same (1.0); one empty heading is
/// nothing alike (0.0).
// strsim's generic functions need a sized container, hence `&Vec`.
#[allow(clippy::ptr_arg)]
pub(crate) fn token_similarity(a: &Vec<Tok>, b: &Vec<Tok>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let d = strsim::generic_levenshtein(a, b);
    let lev = 1.0 - d as f64 / a.len().max(b.len()) as f64;
    lev.max(bigram_dice(a, b))
}

/// Dice coefficient of the token-bigram multisets (0 when either side has fewer than two tokens).
fn bigram_dice(a: &[Tok], b: &[Tok]) -> f64 {
    let bigrams = |t: &[Tok]| -> Vec<(u64, u64)> {
        let mut v: Vec<(u64, u64)> = t.windows(2).map(|w| (w[0].0, w[1].0)).collect();
        v.sort_unstable();
        v
    };
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    sorted_dice(&x, &y)
}

/// Heading similarity of two strings in [0, 1], char by char on their normalised forms (full-width
/// folded, white space and punctuation dropped); `*`, `＊` and `X` runs are not special here.
///
/// ```
/// assert_eq!(tifa::diff::heading_similarity("推进重点项目建设", "推进重点项目建设！"), 1.0);
/// assert!((tifa::diff::heading_similarity("加快推进在建项目", "加快推进新建项目") - 0.875).abs() < 1e-9);
/// ```
pub fn heading_similarity(a: &str, b: &str) -> f64 {
    let toks = |s: &str| -> Vec<Tok> {
        let t = Text::from_string("heading", s, crate::text::Encoding::Utf8);
        View::with_options(&t, Span::new(0, t.len_chars()), MATCH_VIEW)
            .chars()
            .iter()
            .map(|&c| char_tok(c))
            .collect()
    };
    token_similarity(&toks(a), &toks(b))
}

/// Dice coefficient of the char-bigram multisets of two strings, white space left out (the one
/// [`crate::text::dice::char_bigram_dice`], counted in chars); two strings too short for a bigram are
/// the same (1.0) when equal, else nothing alike.
///
/// ```
/// assert!((tifa::diff::char_bigram_dice("中国人民", "中国人") - 0.8).abs() < 1e-9);
/// ```
pub fn char_bigram_dice(a: &str, b: &str) -> f64 {
    let chars = |s: &str| -> Vec<char> { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let (x, y) = (chars(a), chars(b));
    if x.len() < 2 && y.len() < 2 {
        return if a.trim() == b.trim() { 1.0 } else { 0.0 };
    }
    dice::char_bigram_dice(&x, &y)
}

/// Shares of two texts in shared passages (see [`text_scores`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextScores {
    /// Share of A's chars covered by a run found in B.
    pub a: f64,
    /// Share of B's chars covered by a run found in A.
    pub b: f64,
    /// Both together: covered chars of A and B over all chars of A and B.
    pub text: f64,
}

/// Text similarity of two spans: each char of either side's normalised view (white space and
/// punctuation dropped, masks collapsed) counts as shared when it lies in a run of [`TEXT_RUN`] chars
/// that also occurs in the other side. Linear time (hash set of runs). Two empty spans score 1.0.
///
/// This is a deliberately simple stand-in for the reuse stage's passages (which will also tolerate
/// small edits inside a passage).
///
/// ```
/// use tifa::{Span, Text, text::Encoding};
/// let a = Text::from_string("a", "全面推进乡村振兴，加快建设农业强国。", Encoding::Utf8);
/// let b = Text::from_string("b", "全面推进乡村振兴。另起一行说点别的事情。", Encoding::Utf8);
/// let s = tifa::diff::text_scores(&a, Span::new(0, a.len_chars()), &b, Span::new(0, b.len_chars()));
/// assert_eq!(s.a, 0.5); // 全面推进乡村振兴: 8 of A's 16 chars (punctuation is not counted)
/// ```
pub fn text_scores(ta: &Text, sa: Span, tb: &Text, sb: Span) -> TextScores {
    view_scores(
        &View::with_options(ta, sa, MATCH_VIEW),
        &View::with_options(tb, sb, MATCH_VIEW),
    )
}

/// [`text_scores`] of two [`MATCH_VIEW`] views (those diff has built already).
pub(crate) fn view_scores(va: &View, vb: &View) -> TextScores {
    let (ca, cb) = (va.chars(), vb.chars());
    let (ka, kb) = (run_keys(ca), run_keys(cb));
    let covered_a = covered(&ka, ca.len(), &runs(&kb));
    let covered_b = covered(&kb, cb.len(), &runs(&ka));
    let share = |n: usize, total: usize| {
        if total == 0 {
            1.0
        } else {
            n as f64 / total as f64
        }
    };
    let total = ca.len() + cb.len();
    TextScores {
        a: share(covered_a, ca.len()),
        b: share(covered_b, cb.len()),
        text: if total == 0 {
            1.0
        } else {
            (covered_a + covered_b) as f64 / total as f64
        },
    }
}

/// Key of the [`TEXT_RUN`]-char run at each position (a whole side shorter than a run is one key).
/// In-memory keys only ([`crate::fingerprint::rolling_key`]).
fn run_keys(chars: &[char]) -> Vec<u64> {
    use crate::fingerprint::{rolling_key, rolling_keys};
    match chars.len() {
        0 => Vec::new(),
        n if n < TEXT_RUN => vec![rolling_key(chars)],
        _ => rolling_keys(chars, TEXT_RUN),
    }
}

fn runs(keys: &[u64]) -> FxHashSet<u64> {
    keys.iter().copied().collect()
}

/// Chars of a side covered by runs of the other: `keys` are the side's run keys, `len` its chars.
fn covered(keys: &[u64], len: usize, other: &FxHashSet<u64>) -> usize {
    if len < TEXT_RUN {
        return if keys.first().is_some_and(|k| other.contains(k)) {
            len
        } else {
            0
        };
    }
    let mut n = 0;
    // `until` = end of the last covering run, so overlapping runs count each char once.
    let mut until = 0;
    for (i, k) in keys.iter().enumerate() {
        if other.contains(k) {
            let from = i.max(until);
            n += i + TEXT_RUN - from;
            until = i + TEXT_RUN;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_matches_any_token() {
        let a: Vec<Tok> = "推进某项目".chars().map(char_tok).collect();
        let mut b = a.clone();
        b[2] = Tok::MASK;
        assert_eq!(token_similarity(&a, &b), 1.0);
        assert_eq!(token_similarity(&vec![], &vec![]), 1.0);
        assert_eq!(token_similarity(&a, &vec![]), 0.0);
    }

    #[test]
    fn dice_counts_chars_not_bytes() {
        assert!((char_bigram_dice("中国人民", "中国人") - 0.8).abs() < 1e-9);
        assert_eq!(char_bigram_dice("加强", "加强"), 1.0);
    }

    #[test]
    fn coverage_counts_overlapping_runs_once() {
        let a: Vec<char> = "一二三四五六七八九十".chars().collect();
        let ka = run_keys(&a);
        assert_eq!(covered(&ka, a.len(), &runs(&ka)), 10);
        let b: Vec<char> = "一二三四五六七八甲乙".chars().collect();
        assert_eq!(covered(&ka, a.len(), &runs(&run_keys(&b))), 8);
        // Rolled keys are the keys of the runs themselves.
        assert_eq!(ka[2], crate::fingerprint::rolling_key(&a[2..2 + TEXT_RUN]));
    }
}
