//! How alike are two runs of chars, bigram by bigram? The one Dice coefficient of tifa.
//!
//! Input: two char sequences (or two sorted multisets of anything ordered).
//! Output: the Dice coefficient `2·|x ∩ y| / (|x| + |y|)` in [0, 1].
//! How: the char bigrams of each side (a bigram touching a redaction mask [`MASK`] left out, since a
//! mask stands for unknown text), sorted, then counted in common by one merge pass. Counted in chars,
//! not bytes (unlike `strsim::sorensen_dice`, which divides by bytes and is wrong on CJK).
//!
//! ```
//! use tifa::text::dice::char_bigram_dice;
//! let (a, b): (Vec<char>, Vec<char>) = ("中国人民".chars().collect(), "中国人".chars().collect());
//! assert!((char_bigram_dice(&a, &b) - 0.8).abs() < 1e-9);
//! ```

use super::view::MASK;

/// Dice coefficient of two sorted multisets: `2·|x ∩ y| / (|x| + |y|)`, by one merge pass; 0 when both
/// are empty.
pub fn sorted_dice<T: Ord>(x: &[T], y: &[T]) -> f64 {
    if x.is_empty() && y.is_empty() {
        return 0.0;
    }
    2.0 * sorted_intersection(x, y) as f64 / (x.len() + y.len()) as f64
}

/// Size of the intersection of two sorted multisets, by one merge pass.
pub fn sorted_intersection<T: Ord>(x: &[T], y: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The char bigrams of `chars`, sorted, leaving out every bigram with a mask.
pub fn char_bigrams(chars: &[char]) -> Vec<(char, char)> {
    let mut g: Vec<(char, char)> = chars
        .windows(2)
        .filter(|w| w[0] != MASK && w[1] != MASK)
        .map(|w| (w[0], w[1]))
        .collect();
    g.sort_unstable();
    g
}

/// Dice coefficient of the char-bigram multisets of two char sequences (see the module doc); 0 when
/// either side has no bigram.
pub fn char_bigram_dice(x: &[char], y: &[char]) -> f64 {
    let (gx, gy) = (char_bigrams(x), char_bigrams(y));
    if gx.is_empty() || gy.is_empty() {
        return 0.0;
    }
    sorted_dice(&gx, &gy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::chars as cs;

    #[test]
    fn masks_and_empty_sides_share_nothing() {
        assert_eq!(char_bigram_dice(&cs("加强"), &cs("加强")), 1.0);
        assert_eq!(char_bigram_dice(&cs("加"), &cs("加")), 0.0);
        let masked = [MASK, '市', '委'];
        assert!((char_bigram_dice(&masked, &cs("某市委")) - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(sorted_dice::<u8>(&[], &[]), 0.0);
    }
}
