//! Seeds, extension and merging: two canonical sequences → reused regions in sequence coordinates.
//!
//! 1. **Seeds**: every k-gram (default k = 5) without a mask, hashed; the two sorted hash lists are
//!    merge-joined. A k-gram that occurs more than `max_seed_occurrences` times in either sequence is
//!    skipped (a df cap, as passim's `maxDF` and Dolos's `-M`), so repeated formulas cannot explode the
//!    seed count.
//! 2. **Extension**: from each seed not already inside a fragment, a gapped X-drop extension (affine
//!    gaps, Gotoh-style, over chars) runs forward and backward. It stops when the score falls more than
//!    `x_drop` below the best seen and keeps the best-scoring end, so a fragment always ends on the last
//!    matching char and never swallows the surrounding sentence. A mask matches any char and may absorb a
//!    few more (a name or number of any length).
//! 3. **Merging**: fragments close in B (gap ≤ `merge_gap`) whose A side lies near the passage already
//!    built (within `merge_gap` plus the passage's length, so sentences reordered inside a passage merge)
//!    become one passage. Passages mostly covered in B by a stronger one are dropped.

use super::ReuseParams;
use crate::text::view::MASK;

const NEG: i32 = i32::MIN / 4;
const MATCH: i32 = 4;
const MISMATCH: i32 = -6;
/// Cost of the first char of a gap.
const GAP_OPEN: i32 = 12;
/// Cost of each further char of a gap.
const GAP_EXTEND: i32 = 3;
/// Cost of each extra char a mask absorbs beyond the one it matches.
const MASK_ABSORB: i32 = 2;
/// Minimum length (B chars) of a fragment that may join a passage out of order.
const REORDER_MIN: usize = 10;

/// One gapped local alignment, in sequence coordinates (`[start, end)` on each side).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fragment {
    pub a: (usize, usize),
    pub b: (usize, usize),
}

/// A reused region made of one or more fragments.
#[derive(Clone, Debug)]
pub(crate) struct Region {
    pub a: (usize, usize),
    pub b: (usize, usize),
    /// Fragments in B order.
    pub fragments: Vec<Fragment>,
    pub score: i64,
}

impl Region {
    /// Whether the fragments come in a different order in A than in B.
    pub fn reordered(&self) -> bool {
        self.fragments.windows(2).any(|w| w[1].a.1 <= w[0].a.0)
    }
}

pub(crate) use crate::fingerprint::kgrams;

/// Seeds `(b, a)` sorted by B position.
fn seeds(a: &[char], b: &[char], params: &ReuseParams) -> Vec<(u32, u32)> {
    let ka = kgrams(a, params.seed_len);
    let kb = kgrams(b, params.seed_len);
    let cap = params.max_seed_occurrences.max(1);
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < ka.len() && j < kb.len() {
        let (ha, hb) = (ka[i].0, kb[j].0);
        if ha < hb {
            i += 1;
        } else if hb < ha {
            j += 1;
        } else {
            let ie = i + ka[i..].partition_point(|x| x.0 == ha);
            let je = j + kb[j..].partition_point(|x| x.0 == hb);
            if ie - i <= cap && je - j <= cap {
                for x in &ka[i..ie] {
                    for y in &kb[j..je] {
                        out.push((y.1, x.1));
                    }
                }
            }
            i = ie;
            j = je;
        }
    }
    out.sort_unstable();
    out
}

/// Reusable buffers of the extension DP.
#[derive(Default)]
struct Scratch {
    hp: Vec<i32>,
    fp: Vec<i32>,
    hc: Vec<i32>,
    fc: Vec<i32>,
}

#[inline]
fn score(x: char, y: char) -> i32 {
    if x == y || x == MASK || y == MASK {
        MATCH
    } else {
        MISMATCH
    }
}

/// Gapped X-drop extension of `a` against `b` from their first chars. Returns how many chars of each the
/// best-scoring alignment consumes, and its score.
fn extend(a: &[char], b: &[char], x_drop: i32, s: &mut Scratch) -> (usize, usize, i32) {
    let n = a.len();
    if s.hp.len() < n + 2 {
        for v in [&mut s.hp, &mut s.fp, &mut s.hc, &mut s.fc] {
            v.resize(n + 2, NEG);
        }
    }
    let (mut best, mut bi, mut bj) = (0i32, 0usize, 0usize);
    // Row 0: only gaps in B.
    s.hp[0] = 0;
    s.fp[0] = NEG;
    let (mut lo, mut hi) = (0usize, 0usize);
    let mut e = -GAP_OPEN;
    while hi < n && e >= -x_drop {
        hi += 1;
        s.hp[hi] = e;
        s.fp[hi] = NEG;
        e -= GAP_EXTEND;
    }
    for (j, &bc) in b.iter().enumerate() {
        let floor = best - x_drop;
        let mut e = NEG;
        let (mut new_lo, mut new_hi) = (usize::MAX, 0usize);
        let mut i = lo;
        while i <= n {
            if i > hi + 1 && e < floor {
                break;
            }
            let in_prev = i >= lo && i <= hi;
            let mut f = NEG;
            let mut h = NEG;
            if in_prev {
                f = (s.hp[i] - GAP_OPEN).max(s.fp[i] - GAP_EXTEND);
            }
            if i >= 1 {
                let ac = a[i - 1];
                if i > lo && i - 1 <= hi && s.hp[i - 1] > NEG {
                    h = s.hp[i - 1] + score(ac, bc);
                }
                // A mask in A absorbs this char of B.
                if ac == MASK && in_prev && s.hp[i] > NEG {
                    h = h.max(s.hp[i] - MASK_ABSORB);
                }
                // A mask in B absorbs this char of A.
                if bc == MASK && i > lo && s.hc[i - 1] > NEG {
                    h = h.max(s.hc[i - 1] - MASK_ABSORB);
                }
            }
            h = h.max(e).max(f);
            if h < floor {
                h = NEG;
            }
            s.hc[i] = h;
            s.fc[i] = if f < floor { NEG } else { f };
            if h > NEG {
                if new_lo == usize::MAX {
                    new_lo = i;
                }
                new_hi = i;
                if h > best {
                    best = h;
                    bi = i;
                    bj = j + 1;
                }
                e = (h - GAP_OPEN).max(e - GAP_EXTEND);
            } else {
                e -= GAP_EXTEND;
            }
            i += 1;
        }
        if new_lo == usize::MAX {
            break;
        }
        std::mem::swap(&mut s.hp, &mut s.hc);
        std::mem::swap(&mut s.fp, &mut s.fc);
        lo = new_lo;
        hi = new_hi;
    }
    (bi, bj, best)
}

/// Finds reused regions between two canonical sequences.
pub(crate) fn align(a: &[char], b: &[char], params: &ReuseParams) -> Vec<Region> {
    let seeds = seeds(a, b, params);
    if seeds.is_empty() {
        return Vec::new();
    }
    let ar: Vec<char> = a.iter().rev().copied().collect();
    let br: Vec<char> = b.iter().rev().copied().collect();
    let (n, m) = (a.len(), b.len());
    let mut scratch = Scratch::default();
    let mut fragments: Vec<(Fragment, i32)> = Vec::new();
    // Fragments whose B range may still contain later seeds.
    let mut active: Vec<usize> = Vec::new();
    for &(sb, sa) in &seeds {
        let (sa, sb) = (sa as usize, sb as usize);
        active.retain(|&f| fragments[f].0.b.1 > sb);
        if active.iter().any(|&f| {
            let fr = fragments[f].0;
            fr.a.0 <= sa && sa < fr.a.1 && fr.b.0 <= sb
        }) {
            continue;
        }
        let (fi, fj, fs) = extend(&a[sa..], &b[sb..], params.x_drop, &mut scratch);
        let (ri, rj, rs) = extend(&ar[n - sa..], &br[m - sb..], params.x_drop, &mut scratch);
        let fr = Fragment {
            a: (sa - ri, sa + fi),
            b: (sb - rj, sb + fj),
        };
        if fr.a.1 <= sa || fr.b.1 <= sb {
            continue;
        }
        active.push(fragments.len());
        fragments.push((fr, fs + rs));
    }
    merge(fragments, params)
}

/// Joins regions that touch in B and lie near each other in A: pieces of one reused passage that the
/// single pass split (a clause moved across a sentence, a fragment found before its neighbour).
fn join_overlapping(mut regions: Vec<Region>, gap: usize) -> Vec<Region> {
    regions.sort_by_key(|r| (r.b.0, r.a.0));
    let mut out: Vec<Region> = Vec::with_capacity(regions.len());
    for r in regions {
        let rb = r.b.1 - r.b.0;
        // The strongest neighbour, not the nearest: a stray phrase between two pieces of a passage
        // must not capture the second piece.
        let target = out
            .iter()
            .enumerate()
            .filter(|(_, last)| {
                let lb = last.b.1 - last.b.0;
                let near_b = r.b.0 <= last.b.1 + gap / 2;
                let near_a = span_distance(last.a, r.a) <= gap + lb.min(rb);
                near_b && near_a && aligned_b(last) >= REORDER_MIN && aligned_b(&r) >= REORDER_MIN
            })
            .max_by_key(|(_, last)| aligned_b(last))
            .map(|(k, _)| k);
        match target {
            Some(k) => {
                let last = &mut out[k];
                last.a = (last.a.0.min(r.a.0), last.a.1.max(r.a.1));
                last.b = (last.b.0.min(r.b.0), last.b.1.max(r.b.1));
                last.fragments.extend(r.fragments);
                last.score += r.score;
            }
            None => out.push(r),
        }
    }
    out
}

/// B chars covered by the fragments of a region (the evidence, as opposed to its extent).
fn aligned_b(r: &Region) -> usize {
    let mut v: Vec<(usize, usize)> = r.fragments.iter().map(|f| f.b).collect();
    v.sort_unstable();
    let (mut total, mut end) = (0, 0);
    for (s, e) in v {
        let s = s.max(end);
        if e > s {
            total += e - s;
            end = e;
        }
    }
    total
}

fn span_distance(x: (usize, usize), y: (usize, usize)) -> usize {
    if x.1 <= y.0 {
        y.0 - x.1
    } else {
        x.0.saturating_sub(y.1)
    }
}

fn merge(mut fragments: Vec<(Fragment, i32)>, params: &ReuseParams) -> Vec<Region> {
    fragments.sort_by_key(|(f, _)| (f.b.0, f.a.0));
    let gap = params.merge_gap;
    let mut regions: Vec<Region> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (f, sc) in fragments {
        open.retain(|&r| regions[r].b.1 + gap >= f.b.0);
        let flen = f.b.1 - f.b.0;
        let target = open
            .iter()
            .copied()
            .filter_map(|r| {
                let reg = &regions[r];
                let d = span_distance(reg.a, f.a);
                // In order (A continues after the region): the gap rule alone. Out of order (sentences
                // reordered inside the passage): the fragment must be a real piece, not a stray seed, and
                // lie within the region's own length of it in A.
                let in_order = f.a.1 > reg.a.1 && f.a.0 + gap >= reg.a.1;
                let allowance = if in_order {
                    Some(gap)
                } else if flen >= REORDER_MIN {
                    Some(gap + (reg.b.1 - reg.b.0))
                } else {
                    None
                };
                allowance.is_some_and(|x| d <= x).then_some((d, r))
            })
            .min();
        match target {
            Some((_, r)) => {
                let reg = &mut regions[r];
                let inside = reg.b.1.min(f.b.1).saturating_sub(reg.b.0.max(f.b.0));
                // A fragment mostly inside the region in B is an echo (a phrase that also occurs
                // elsewhere in A) or the same alignment found again: it adds nothing.
                if inside * 2 >= flen {
                    continue;
                }
                // Likewise a fragment whose A side the region's fragments already cover: a phrase that B
                // repeats (a formula), not a moved sentence.
                let a_inside: usize = reg
                    .fragments
                    .iter()
                    .map(|g| g.a.1.min(f.a.1).saturating_sub(g.a.0.max(f.a.0)))
                    .sum();
                if a_inside * 2 >= f.a.1 - f.a.0 {
                    continue;
                }
                reg.fragments.push(f);
                reg.score += sc as i64;
                reg.a = (reg.a.0.min(f.a.0), reg.a.1.max(f.a.1));
                reg.b = (reg.b.0.min(f.b.0), reg.b.1.max(f.b.1));
            }
            None => {
                open.push(regions.len());
                regions.push(Region {
                    a: f.a,
                    b: f.b,
                    fragments: vec![f],
                    score: sc as i64,
                });
            }
        }
    }
    let mut regions = join_overlapping(regions, gap);
    let min = params.min_len.max(1);
    regions.retain(|r| r.a.1 - r.a.0 >= min && r.b.1 - r.b.0 >= min && aligned_b(r) >= min);
    // One passage per B region: a weaker passage mostly inside a stronger one in B is an echo of a
    // repeated phrase elsewhere in A.
    let mut order: Vec<usize> = (0..regions.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(regions[i].score));
    let mut kept: Vec<usize> = Vec::new();
    for i in order {
        let r = &regions[i];
        let len = r.b.1 - r.b.0;
        let covered: usize = kept
            .iter()
            .map(|&k| {
                let o = &regions[k];
                r.b.1.min(o.b.1).saturating_sub(r.b.0.max(o.b.0))
            })
            .sum();
        if covered * 2 < len {
            kept.push(i);
        }
    }
    kept.sort_unstable();
    let mut taken: Vec<Option<Region>> = regions.into_iter().map(Some).collect();
    kept.into_iter()
        .filter_map(|i| taken[i].take())
        .map(|mut r| {
            r.fragments.sort_by_key(|f| (f.b.0, f.a.0));
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn extension_stops_at_last_match() {
        let a = chars("加快建设现代化产业体系甲乙丙丁");
        let b = chars("加快建设现代化产业体系戊己庚辛");
        let mut s = Scratch::default();
        assert_eq!(extend(&a, &b, 60, &mut s), (11, 11, 44));
    }

    #[test]
    fn extension_bridges_edits_and_masks() {
        let a = chars("坚持以人民为中心的发展思想推动\u{E000}市经济社会高质量发展");
        let b = chars("坚持以人民为中心发展思想推动郑州市经济社会高质量发展");
        let mut s = Scratch::default();
        let (i, j, _) = extend(&a, &b, 60, &mut s);
        assert_eq!((i, j), (a.len(), b.len()));
    }
}
