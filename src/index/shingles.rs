//! Which fingerprints of a document does the index keep? A winnowed sample of its shingles.
//!
//! Input: a [`Text`] (one document). Output: the sorted, distinct fingerprints of the document as signed
//! 64-bit integers (the form they take in SQLite, Parquet and Spark, which has no unsigned type).
//!
//! How: the document becomes the reuse engine's canonical sequence ([`Seq`]: content chars, digit runs
//! folded, synonyms mapped, fillers dropped), cut at redaction masks; each run is shingled into
//! `shingle_len`-char grams hashed with the stable hash ([`shingle_hash`]), and winnowing (Schleimer,
//! Wilkerson, Aiken 2003, the MOSS method) keeps the minimum hash of every window of `window` consecutive
//! grams. Winnowing guarantees that two documents sharing a mask-free run of at least
//! `window + shingle_len − 1` canonical chars share at least one fingerprint, while keeping only about
//! `2 / (window + 1)` of the grams (one in 8.5 with the defaults), so the postings stay a tenth of the
//! corpus size.

use crate::Text;
use crate::fingerprint::{hash_chars, to_i64};
use crate::text::Seq;
use crate::text::Span;
use crate::text::view::MASK;

/// How fingerprints are taken; stored in the index when it is created and read back from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShingleParams {
    /// Chars per shingle (of the canonical sequence).
    pub shingle_len: usize,
    /// Winnowing window, in shingles.
    pub window: usize,
}

impl Default for ShingleParams {
    fn default() -> Self {
        ShingleParams {
            shingle_len: 8,
            window: 16,
        }
    }
}

impl ShingleParams {
    /// Length of the shortest shared run (canonical chars) that is sure to share a fingerprint.
    pub fn guarantee(&self) -> usize {
        self.window + self.shingle_len - 1
    }
}

/// The stable hash of one shingle ([`crate::fingerprint::hash_chars`]: XXH3-64 of the chars as UTF-32 LE),
/// as a signed 64-bit integer.
pub fn shingle_hash(chars: &[char]) -> i64 {
    to_i64(hash_chars(chars))
}

/// The canonical sequence of a whole text (what fingerprints and content hashes are taken over).
pub fn canonical(text: &Text) -> Vec<char> {
    Seq::new(text, Span::new(0, text.len_chars())).chars
}

/// The winnowed fingerprints of a canonical sequence: sorted, distinct.
pub fn fingerprints(chars: &[char], params: ShingleParams) -> Vec<i64> {
    let k = params.shingle_len.max(1);
    let w = params.window.max(1);
    let mut out = Vec::new();
    for run in chars.split(|&c| c == MASK) {
        if run.len() < k {
            continue;
        }
        let hashes: Vec<i64> = run.windows(k).map(shingle_hash).collect();
        winnow(&hashes, w, &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Appends the minimum of every window of `w` hashes (the rightmost on ties, each position once); a
/// run shorter than a window contributes its minimum. A monotonic deque keeps this linear.
fn winnow(hashes: &[i64], w: usize, out: &mut Vec<i64>) {
    use std::collections::VecDeque;
    if hashes.is_empty() {
        return;
    }
    let mut deque: VecDeque<usize> = VecDeque::new();
    let mut last: Option<usize> = None;
    for (i, &h) in hashes.iter().enumerate() {
        while deque.back().is_some_and(|&j| hashes[j] >= h) {
            deque.pop_back();
        }
        deque.push_back(i);
        if deque.front().is_some_and(|&j| j + w <= i) {
            deque.pop_front();
        }
        if i + 1 >= w || i + 1 == hashes.len() {
            let m = *deque.front().expect("the deque holds the current index");
            if last != Some(m) {
                out.push(hashes[m]);
                last = Some(m);
            }
        }
    }
}

/// A content hash of a document: xxh3-64 of its canonical sequence (reflowed, re-punctuated copies of a
/// document hash alike).
pub fn content_hash(chars: &[char]) -> i64 {
    shingle_hash(chars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Encoding;

    fn fp(s: &str) -> Vec<i64> {
        let t = Text::from_string("t", s, Encoding::Utf8);
        fingerprints(&canonical(&t), ShingleParams::default())
    }

    #[test]
    fn shared_run_longer_than_the_guarantee_shares_a_fingerprint() {
        let shared =
            "坚持把农村公路建设作为民生实事来抓，全年新建改建农村公路，打通群众出行最后一公里";
        let a = fp(&format!(
            "今年以来全市上下团结一心。{shared}。其他工作另行部署安排。"
        ));
        let b = fp(&format!(
            "会议强调要落实责任。{shared}。确保按期完成各项目标任务。"
        ));
        let common = a.iter().filter(|h| b.binary_search(h).is_ok()).count();
        assert!(common >= 1, "a {} b {} common {common}", a.len(), b.len());
        // Unrelated text shares nothing.
        let c = fp("深化医药卫生体制改革，推进健康中国建设，提高基本公共卫生服务均等化水平。");
        assert!(a.iter().all(|h| c.binary_search(h).is_err()));
    }

    #[test]
    fn density_is_about_two_in_window_plus_one() {
        let text: String = (0..400)
            .map(|i| char::from_u32(0x4e00 + (i * 7919 % 20000) as u32).unwrap())
            .collect();
        let t = Text::from_string("t", text, Encoding::Utf8);
        let chars = canonical(&t);
        let n = fingerprints(&chars, ShingleParams::default()).len();
        let grams = chars.len() - 7;
        let density = n as f64 / grams as f64;
        assert!((0.07..0.2).contains(&density), "density {density}");
    }
}
