//! Stable fingerprints: which 64-bit number stands for this run of chars, in this run and every later one?
//!
//! Fingerprints are compared across documents, persisted in the index and exported to Parquet for other
//! engines, so they must not depend on the process, the platform or the Rust version. Every fingerprint in
//! tifa comes from this module.
//!
//! Input: chars (usually of a canonical sequence, [`crate::text::Seq`]) or already-hashed tokens.
//! Output: `u64` hashes; [`to_i64`] gives the same bits as a signed integer for engines without unsigned
//! types (Spark, Parquet consumers).
//!
//! How: **XXH3-64 with seed 0** (`xxhash-rust`) over the chars written as UTF-32 little-endian bytes
//! (4 bytes per char, no separator). So `hash_chars(&['中','国'])` is `XXH3_64("\x2d\x4e\x00\x00\xfd\x56\x00\x00")`
//! in any XXH3 implementation. Token sequences (words, n-grams of hashes) are hashed as their `u64` values
//! written little-endian ([`hash_tokens`]). [`kgrams`] lists the mask-free char k-grams of a sequence;
//! [`Postings`] is the one inverted index type (hash → documents), with its own hasher-free map since the keys
//! are already hashes.
//!
//! ```
//! use tifa::fingerprint::{hash_chars, kgrams};
//! let a: Vec<char> = "全面从严治党".chars().collect();
//! // The same chars give the same hash wherever they stand.
//! let grams = kgrams(&a, 3);
//! assert_eq!(grams.len(), 4);
//! assert!(grams.iter().any(|&(h, pos)| pos == 1 && h == hash_chars(&a[1..4])));
//! assert_ne!(hash_chars(&a[0..3]), hash_chars(&a[1..4]));
//! ```

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use xxhash_rust::xxh3::{Xxh3Default, xxh3_64};

use crate::text::view::MASK;

/// The documented hash of a run of chars: XXH3-64 (seed 0) of the chars as UTF-32 LE bytes.
pub fn hash_chars(chars: &[char]) -> u64 {
    // Short runs (k-grams) hash from a stack buffer; longer ones stream.
    if chars.len() <= 16 {
        let mut buf = [0u8; 64];
        for (i, &c) in chars.iter().enumerate() {
            buf[i * 4..i * 4 + 4].copy_from_slice(&(c as u32).to_le_bytes());
        }
        return xxh3_64(&buf[..chars.len() * 4]);
    }
    let mut h = Xxh3Default::new();
    for &c in chars {
        h.update(&(c as u32).to_le_bytes());
    }
    h.digest()
}

/// The documented hash of a sequence of tokens that are themselves hashes: XXH3-64 of the values as
/// u64 little-endian bytes.
pub fn hash_tokens(tokens: impl IntoIterator<Item = u64>) -> u64 {
    // Short sequences (n-grams) hash from a stack buffer, as in `hash_chars`: the same value as the
    // streaming state, which costs several times more per n-gram; longer ones stream on.
    const BUF: usize = 32;
    let mut buf = [0u8; BUF * 8];
    let mut n = 0;
    let mut tokens = tokens.into_iter();
    for t in tokens.by_ref() {
        if n == BUF {
            let mut h = Xxh3Default::new();
            h.update(&buf);
            h.update(&t.to_le_bytes());
            for t in tokens {
                h.update(&t.to_le_bytes());
            }
            return h.digest();
        }
        buf[n * 8..n * 8 + 8].copy_from_slice(&t.to_le_bytes());
        n += 1;
    }
    xxh3_64(&buf[..n * 8])
}

/// The same 64 bits as a signed integer (for Spark, SQL and Parquet, which have no unsigned 64-bit type).
pub fn to_i64(h: u64) -> i64 {
    h as i64
}

/// Back from [`to_i64`].
pub fn from_i64(h: i64) -> u64 {
    h as u64
}

/// `(hash, position)` of every k-gram of `chars` that holds no redaction mask, sorted by hash then position.
/// A mask matches any name, so it cannot be part of an exact fingerprint.
pub fn kgrams(chars: &[char], k: usize) -> Vec<(u64, u32)> {
    let mut out = Vec::with_capacity(chars.len());
    if k == 0 || chars.len() < k {
        return out;
    }
    // Position of the last mask seen, so mask-free windows are found in one pass.
    let mut last_mask: Option<usize> = None;
    for i in 0..chars.len() {
        if chars[i] == MASK {
            last_mask = Some(i);
        }
        if i + 1 >= k {
            let s = i + 1 - k;
            if last_mask.is_none_or(|m| m < s) {
                out.push((hash_chars(&chars[s..=i]), s as u32));
            }
        }
    }
    out.sort_unstable();
    out
}

/// Base of the rolling keys (odd, so every char matters modulo 2^64).
pub const ROLLING_BASE: u64 = 0x100_0000_01b3;

/// Polynomial key of a char run, chainable one char at a time: `key(s + c) = key(s)·BASE + c + 1`
/// (wrapping). Cheap to roll over a sequence, so it keys in-memory lookups inside one run — an
/// alignment's seeds, a query's formula look-ups — and is never persisted or exported: that is what
/// [`hash_chars`] is for.
pub fn rolling_key(chars: &[char]) -> u64 {
    chars.iter().fold(0u64, |h, &c| {
        h.wrapping_mul(ROLLING_BASE).wrapping_add(c as u64 + 1)
    })
}

/// The [`rolling_key`] of every k-gram of `chars`, in position order, rolled in one pass (empty when
/// `chars` is shorter than `k`).
pub fn rolling_keys(chars: &[char], k: usize) -> Vec<u64> {
    if k == 0 || chars.len() < k {
        return Vec::new();
    }
    let top = (1..k).fold(1u64, |x, _| x.wrapping_mul(ROLLING_BASE));
    let mut keys = Vec::with_capacity(chars.len() + 1 - k);
    let mut h = rolling_key(&chars[..k]);
    keys.push(h);
    for i in k..chars.len() {
        h = h.wrapping_sub((chars[i - k] as u64 + 1).wrapping_mul(top));
        h = h
            .wrapping_mul(ROLLING_BASE)
            .wrapping_add(chars[i] as u64 + 1);
        keys.push(h);
    }
    keys
}

/// `(rolling key, position)` of every mask-free k-gram of `chars` (see [`rolling_key`]), in position
/// order.
pub fn mask_free_keys(chars: &[char], k: usize) -> Vec<(u64, u32)> {
    let mut out = Vec::with_capacity(chars.len());
    // Start of the next k-gram free of masks: one past the last mask seen.
    let mut free_from = 0;
    let mut masks = chars
        .iter()
        .enumerate()
        .filter(|&(_, &c)| c == MASK)
        .map(|(i, _)| i)
        .peekable();
    for (s, key) in rolling_keys(chars, k).into_iter().enumerate() {
        while let Some(&m) = masks.peek() {
            if m >= s + k {
                break;
            }
            free_from = m + 1;
            masks.next();
        }
        if s >= free_from {
            out.push((key, s as u32));
        }
    }
    out
}

/// [`mask_free_keys`] sorted by key then position.
pub fn rolling_kgrams(chars: &[char], k: usize) -> Vec<(u64, u32)> {
    let mut out = mask_free_keys(chars, k);
    out.sort_unstable();
    out
}

/// The distinct hashes of the mask-free k-grams of `chars`, sorted.
pub fn distinct_kgrams(chars: &[char], k: usize) -> Vec<u64> {
    let mut g: Vec<u64> = kgrams(chars, k).into_iter().map(|x| x.0).collect();
    g.dedup();
    g
}

/// A hasher for keys that are already uniformly distributed hashes: it passes the value through, so
/// maps keyed by fingerprints pay no second hashing.
#[derive(Clone, Copy, Debug, Default)]
pub struct PassThroughHasher(u64);

impl std::hash::Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only reached for keys that are not a single integer; fold them in deterministically.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = n as u64;
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = n as u64;
    }
}

/// A map keyed by fingerprints.
pub type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<PassThroughHasher>>;

/// The one inverted index type: fingerprint → the ids (documents, sections, paragraphs) holding it, each id
/// at most once, in insertion order.
#[derive(Clone, Debug, Default)]
pub struct Postings {
    map: HashKeyed<Vec<u32>>,
    ids: u32,
}

impl Postings {
    /// An empty index.
    pub fn new() -> Postings {
        Postings::default()
    }

    /// Adds one id holding every hash of `hashes` (duplicates in `hashes` are ignored). Ids are added in
    /// increasing order, so each posting list stays sorted.
    pub fn add(&mut self, id: u32, hashes: &[u64]) {
        for &h in hashes {
            let list = self.map.entry(h).or_default();
            if list.last() != Some(&id) {
                list.push(id);
            }
        }
        self.ids = self.ids.max(id + 1);
    }

    /// The ids holding `hash`, sorted.
    pub fn get(&self, hash: u64) -> &[u32] {
        self.map.get(&hash).map_or(&[], Vec::as_slice)
    }

    /// How many ids hold `hash` (its document frequency).
    pub fn df(&self, hash: u64) -> usize {
        self.get(hash).len()
    }

    /// Number of ids added (one more than the largest id).
    pub fn ids(&self) -> usize {
        self.ids as usize
    }

    /// Number of distinct hashes.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every `(hash, ids)` entry, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &[u32])> {
        self.map.iter().map(|(&h, v)| (h, v.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_xxh3_of_utf32_le_bytes() {
        // Computed independently: XXH3-64 of these 8 bytes.
        let bytes = [0x2d, 0x4e, 0, 0, 0xfd, 0x56, 0, 0];
        assert_eq!(hash_chars(&['中', '国']), xxh3_64(&bytes));
        // The streaming path (long runs) agrees with the one-shot path.
        let long: Vec<char> = "中国特色社会主义进入新时代，我国社会主要矛盾已经转化"
            .chars()
            .collect();
        let mut buf = Vec::new();
        for c in &long {
            buf.extend_from_slice(&(*c as u32).to_le_bytes());
        }
        assert_eq!(hash_chars(&long), xxh3_64(&buf));
        assert_eq!(from_i64(to_i64(u64::MAX - 5)), u64::MAX - 5);
        assert!(to_i64(u64::MAX) < 0);
    }

    #[test]
    fn token_hashes_are_xxh3_of_their_le_bytes_at_every_length() {
        // Both paths (stack buffer up to 32 tokens, streaming beyond) give the documented value.
        let tokens: Vec<u64> = (0..80u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        for n in 0..=tokens.len() {
            let bytes: Vec<u8> = tokens[..n].iter().flat_map(|t| t.to_le_bytes()).collect();
            assert_eq!(
                hash_tokens(tokens[..n].iter().copied()),
                xxh3_64(&bytes),
                "{n}"
            );
        }
    }

    #[test]
    fn kgrams_skip_masks() {
        let s: Vec<char> = format!("甲乙{MASK}丙丁戊").chars().collect();
        let g = kgrams(&s, 2);
        let positions: Vec<u32> = {
            let mut p: Vec<u32> = g.iter().map(|x| x.1).collect();
            p.sort();
            p
        };
        assert_eq!(positions, vec![0, 3, 4]);
    }

    #[test]
    fn rolled_keys_are_the_keys_of_their_runs_and_skip_masks() {
        let s: Vec<char> = format!("甲乙{MASK}丙丁戊己").chars().collect();
        let keys = rolling_keys(&s, 2);
        assert_eq!(keys.len(), s.len() - 1);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(*k, rolling_key(&s[i..i + 2]));
        }
        let mut positions: Vec<u32> = rolling_kgrams(&s, 2).iter().map(|x| x.1).collect();
        positions.sort();
        assert_eq!(positions, vec![0, 3, 4, 5]);
        assert!(rolling_keys(&s, 9).is_empty());
    }

    #[test]
    fn postings_keep_each_id_once() {
        let mut p = Postings::new();
        p.add(0, &[7, 7, 9]);
        p.add(1, &[7]);
        assert_eq!(p.get(7), &[0, 1]);
        assert_eq!(p.df(9), 1);
        assert_eq!(p.df(8), 0);
        assert_eq!(p.ids(), 2);
    }
}
