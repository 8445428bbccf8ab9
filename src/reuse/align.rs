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

use rustc_hash::FxHashMap;

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
    /// The same region with A positions moved by `da` and B positions by `db` (a region found in a
    /// window, placed in the whole sequence).
    pub fn shifted(mut self, da: usize, db: usize) -> Region {
        self.a = (self.a.0 + da, self.a.1 + da);
        self.b = (self.b.0 + db, self.b.1 + db);
        for f in &mut self.fragments {
            f.a = (f.a.0 + da, f.a.1 + da);
            f.b = (f.b.0 + db, f.b.1 + db);
        }
        self
    }

    /// The region holding `fragments` (in B order): its sides are their hulls. `score` ranks regions
    /// in the aligner only; a part of a region keeps the whole's.
    pub fn of(fragments: Vec<Fragment>, score: i64) -> Region {
        let hull = |side: fn(&Fragment) -> (usize, usize)| {
            fragments
                .iter()
                .map(side)
                .fold((usize::MAX, 0), |(lo, hi), (s, e)| (lo.min(s), hi.max(e)))
        };
        Region {
            a: hull(|f| f.a),
            b: hull(|f| f.b),
            fragments,
            score,
        }
    }

    /// Whether the fragments come in a different order in A than in B.
    pub fn reordered(&self) -> bool {
        self.fragments.windows(2).any(|w| w[1].a.1 <= w[0].a.0)
    }
}

use crate::fingerprint::{mask_free_keys, rolling_kgrams};

/// Seeds `(b, a)` sorted by B position, then A position: every pair of equal mask-free k-grams, except
/// those of a k-gram that occurs more than `max_seed_occurrences` times in either side.
///
/// Short sides (corpus mode aligns many windows of a few hundred chars, where sorting was a third of
/// pair verification) go through a hash join, two to three times faster; long ones through a
/// sort-merge, whose memory stays at the two sorted arrays (a table over millions of k-grams would
/// add a multiple of them). Both give the same seeds.
fn seeds(a: &[char], b: &[char], params: &ReuseParams) -> Vec<(u32, u32)> {
    if a.len() + b.len() <= HASH_JOIN_MAX {
        seeds_by_hashing(a, b, params)
    } else {
        seeds_by_sorting(a, b, params)
    }
}

/// Total length of the two sides up to which [`seeds`] joins by hashing.
const HASH_JOIN_MAX: usize = 1 << 16;

/// [`seeds`] by a hash join: A's k-grams in a table (each key's occurrences chained in position
/// order), B's looked up in position order, so the seeds come out sorted without a sort.
fn seeds_by_hashing(a: &[char], b: &[char], params: &ReuseParams) -> Vec<(u32, u32)> {
    // Seeds live for this alignment only: rolling keys, not the persisted fingerprint hash.
    let ka = mask_free_keys(a, params.seed_len);
    let kb = mask_free_keys(b, params.seed_len);
    let cap = params.max_seed_occurrences.max(1) as u32;
    // Per key of A: (first occurrence, last occurrence, occurrences in A, occurrences in B), the
    // occurrences linked through `next` (indexes into `ka`).
    let mut table: FxHashMap<u64, (u32, u32, u32, u32)> = FxHashMap::default();
    table.reserve(ka.len());
    let mut next = vec![u32::MAX; ka.len()];
    for (i, &(key, _)) in ka.iter().enumerate() {
        let e = table.entry(key).or_insert((i as u32, i as u32, 0, 0));
        if e.2 > 0 {
            next[e.1 as usize] = i as u32;
            e.1 = i as u32;
        }
        e.2 += 1;
    }
    for (key, _) in &kb {
        if let Some(e) = table.get_mut(key) {
            e.3 += 1;
        }
    }
    let mut out = Vec::new();
    for &(key, pb) in &kb {
        let Some(&(first, _, in_a, in_b)) = table.get(&key) else {
            continue;
        };
        if in_a > cap || in_b > cap {
            continue;
        }
        let mut i = first;
        while i != u32::MAX {
            out.push((pb, ka[i as usize].1));
            i = next[i as usize];
        }
    }
    out
}

/// [`seeds`] by sorting both sides' k-grams by key and merging the runs of equal keys.
fn seeds_by_sorting(a: &[char], b: &[char], params: &ReuseParams) -> Vec<(u32, u32)> {
    let ka = rolling_kgrams(a, params.seed_len);
    let kb = rolling_kgrams(b, params.seed_len);
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
            // Runs of one hash are short: a scan, not a binary search over the whole rest.
            let run = |k: &[(u64, u32)], from: usize, h: u64| {
                from + k[from..].iter().take_while(|x| x.0 == h).count()
            };
            let (ie, je) = (run(&ka, i, ha), run(&kb, j, hb));
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

/// Ungapped score a seed's diagonal must reach before the gapped extension runs: eight matching chars.
/// A passage is at least `min_len` (20) content chars at similarity ≥ 0.65, so it holds such a stretch
/// unless an insertion or deletion falls every few chars, and then a neighbouring seed's gapped
/// extension still crosses it. (Ten chars lost a reordered stock phrase of nine, `深入贯彻落实习近平`.)
const UNGAPPED_MIN: i32 = 8 * MATCH;

/// Chars of an ungapped stretch's ends that the gapped extension aligns again.
const RESTART_OVERLAP: usize = 16;

/// An ungapped X-drop walk along one diagonal.
struct Stretch {
    /// Best score reached.
    score: i32,
    /// Chars up to the best score.
    best_len: usize,
    /// Chars walked before the score fell `x_drop` below the best (or a text ended).
    walked: usize,
}

fn ungapped<'c>(
    a: impl Iterator<Item = &'c char>,
    b: impl Iterator<Item = &'c char>,
    x_drop: i32,
) -> Stretch {
    let mut run = 0i32;
    let mut st = Stretch {
        score: 0,
        best_len: 0,
        walked: 0,
    };
    for (&x, &y) in a.zip(b) {
        run += score(x, y);
        st.walked += 1;
        if run > st.score {
            st.score = run;
            st.best_len = st.walked;
        } else if run < st.score - x_drop {
            break;
        }
    }
    st
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
    // Per diagonal (a − b), the B end of the last ungapped stretch found too weak, so the seeds inside
    // it are not checked again.
    let mut weak: FxHashMap<i64, usize> = FxHashMap::default();
    for &(sb, sa) in &seeds {
        let (sa, sb) = (sa as usize, sb as usize);
        active.retain(|&f| fragments[f].0.b.1 > sb);
        if active.iter().any(|&f| {
            let fr = fragments[f].0;
            fr.a.0 <= sa && sa < fr.a.1 && fr.b.0 <= sb
        }) {
            continue;
        }
        let diagonal = sa as i64 - sb as i64;
        if weak.get(&diagonal).is_some_and(|&end| sb < end) {
            continue;
        }
        // Ungapped stretch first (BLAST's two stages): a seed inside a phrase a few chars long, the
        // bulk of the seeds between long texts, never becomes a passage, and the gapped extension
        // costs a band of cells per char where this costs one comparison. The gapped extension then
        // runs from the stretch's two ends only, to cross the edits beyond them.
        let fwd = ungapped(a[sa..].iter(), b[sb..].iter(), params.x_drop);
        let back = ungapped(a[..sa].iter().rev(), b[..sb].iter().rev(), params.x_drop);
        if fwd.score + back.score < UNGAPPED_MIN {
            weak.insert(diagonal, sb + fwd.walked);
            continue;
        }
        // The gapped extension restarts a little inside the stretch, so that a mask near its end can
        // still absorb the chars of a name (the ungapped walk matched it to one char only).
        let fl = fwd.best_len.saturating_sub(RESTART_OVERLAP);
        let bl = back.best_len.saturating_sub(RESTART_OVERLAP);
        let (ea, eb) = (sa + fl, sb + fl);
        let (ba, bb) = (sa - bl, sb - bl);
        let core: i32 = a[ba..ea]
            .iter()
            .zip(&b[bb..eb])
            .map(|(&x, &y)| score(x, y))
            .sum();
        let (fi, fj, fs) = extend(&a[ea..], &b[eb..], params.x_drop, &mut scratch);
        let (ri, rj, rs) = extend(&ar[n - ba..], &br[m - bb..], params.x_drop, &mut scratch);
        let fr = Fragment {
            a: (ba - ri, ea + fi),
            b: (bb - rj, eb + fj),
        };
        let total = core + fs + rs;
        if fr.a.1 <= sa || fr.b.1 <= sb {
            continue;
        }
        active.push(fragments.len());
        fragments.push((fr, total));
    }
    merge(fragments, params)
}

/// Joins regions that touch in B and lie near each other in A: pieces of one reused passage that the
/// single pass split (a clause moved across a sentence, a fragment found before its neighbour).
fn join_overlapping(mut regions: Vec<Region>, gap: usize) -> Vec<Region> {
    regions.sort_by_key(|r| (r.b.0, r.a.0));
    let mut out: Vec<Region> = Vec::with_capacity(regions.len());
    // The B coverage (aligned_b) of each region of `out`, kept up to date on every join.
    let mut strength: Vec<Coverage> = Vec::with_capacity(regions.len());
    // Regions of `out` that the current one may still join. B starts only grow and a region's B end
    // only grows while it is open, so a region left behind never comes back: one pass, not O(R²).
    let mut open: Vec<usize> = Vec::new();
    for r in regions {
        open.retain(|&k| r.b.0 <= out[k].b.1 + gap / 2);
        let rb = r.b.1 - r.b.0;
        let own = Coverage::of(&r.fragments);
        // The strongest neighbour, not the nearest: a stray phrase between two pieces of a passage
        // must not capture the second piece.
        let target = open
            .iter()
            .copied()
            .filter(|&k| {
                let last = &out[k];
                let lb = last.b.1 - last.b.0;
                let near_a = span_distance(last.a, r.a) <= gap + lb.min(rb);
                near_a && strength[k].total >= REORDER_MIN && own.total >= REORDER_MIN
            })
            .max_by_key(|&k| strength[k].total);
        match target {
            Some(k) => {
                let last = &mut out[k];
                last.a = (last.a.0.min(r.a.0), last.a.1.max(r.a.1));
                last.b = (last.b.0.min(r.b.0), last.b.1.max(r.b.1));
                last.fragments.extend(r.fragments);
                last.score += r.score;
                strength[k].absorb(own);
            }
            None => {
                open.push(out.len());
                out.push(r);
                strength.push(own);
            }
        }
    }
    out
}

/// The A spans of one region's fragments, ordered by start: Σ |q ∩ k| visits only the spans that can
/// reach q (those starting at most the longest span's length before it).
#[derive(Default)]
struct FragmentsByA {
    spans: std::collections::BTreeMap<(usize, usize), usize>,
    longest: usize,
}

impl FragmentsByA {
    fn insert(&mut self, a: (usize, usize)) {
        let n = self.spans.len();
        self.spans.insert((a.0, n), a.1);
        self.longest = self.longest.max(a.1 - a.0);
    }
    fn overlap(&self, q: (usize, usize)) -> usize {
        self.spans
            .range((q.0.saturating_sub(self.longest), 0)..(q.1, 0))
            .map(|(&(s, _), &e)| q.1.min(e).saturating_sub(q.0.max(s)))
            .sum()
    }
}

/// Σ |q ∩ k| of a query span q over a growing set of spans k, in O(log n) per insert or query.
/// With F(x) = Σ_k |[0, x) ∩ k| = Σ_{k.start < x} (x − k.start) − Σ_{k.end < x} (x − k.end), counts and
/// sums of starts and of ends below x are kept in Fenwick trees over the (known in advance) coordinates.
struct OverlapSum {
    coords: Vec<usize>,
    starts: Fenwick,
    ends: Fenwick,
}

/// Fenwick tree of (count, sum) pairs.
struct Fenwick(Vec<(i64, i64)>);

impl Fenwick {
    fn add(&mut self, i: usize, value: i64) {
        let mut i = i + 1;
        while i < self.0.len() {
            self.0[i].0 += 1;
            self.0[i].1 += value;
            i += i & i.wrapping_neg();
        }
    }
    /// (count, sum) over indexes `< i`.
    fn below(&self, mut i: usize) -> (i64, i64) {
        let (mut n, mut sum) = (0, 0);
        while i > 0 {
            n += self.0[i].0;
            sum += self.0[i].1;
            i &= i - 1;
        }
        (n, sum)
    }
}

impl OverlapSum {
    fn new(mut coords: Vec<usize>) -> OverlapSum {
        coords.sort_unstable();
        coords.dedup();
        let n = coords.len() + 1;
        OverlapSum {
            coords,
            starts: Fenwick(vec![(0, 0); n]),
            ends: Fenwick(vec![(0, 0); n]),
        }
    }
    fn insert(&mut self, span: (usize, usize)) {
        let at = |x: usize| self.coords.partition_point(|&c| c < x);
        let (s, e) = (at(span.0), at(span.1));
        self.starts.add(s, span.0 as i64);
        self.ends.add(e, span.1 as i64);
    }
    fn below(&self, x: usize) -> i64 {
        let i = self.coords.partition_point(|&c| c < x);
        let (ns, ss) = self.starts.below(i);
        let (ne, se) = self.ends.below(i);
        (ns * x as i64 - ss) - (ne * x as i64 - se)
    }
    fn overlap(&self, q: (usize, usize)) -> usize {
        (self.below(q.1) - self.below(q.0)).max(0) as usize
    }
}

/// The B spans a region's fragments cover, as sorted disjoint spans, and their total length.
struct Coverage {
    spans: Vec<(usize, usize)>,
    total: usize,
}

impl Coverage {
    fn of(fragments: &[Fragment]) -> Coverage {
        let mut v: Vec<(usize, usize)> = fragments.iter().map(|f| f.b).collect();
        v.sort_unstable();
        let mut c = Coverage {
            spans: Vec::with_capacity(v.len()),
            total: 0,
        };
        c.extend(v);
        c
    }
    /// Appends spans sorted by start, all starting at or after the start of the last span kept.
    fn extend(&mut self, sorted: impl IntoIterator<Item = (usize, usize)>) {
        for (s, e) in sorted {
            match self.spans.last_mut() {
                Some(last) if s <= last.1 && e > last.1 => {
                    self.total += e - last.1;
                    last.1 = e;
                }
                Some(last) if s <= last.1 => {}
                _ if e > s => {
                    self.total += e - s;
                    self.spans.push((s, e));
                }
                _ => {}
            }
        }
    }
    /// Adds another region's coverage. Joins come in B order, so only the spans of `self` that end
    /// after `other` begins are redone, not the whole list.
    fn absorb(&mut self, other: Coverage) {
        let from = other.spans.first().map_or(usize::MAX, |s| s.0);
        let cut = self.spans.partition_point(|s| s.1 < from);
        let tail: Vec<(usize, usize)> = self.spans.drain(cut..).collect();
        self.total -= tail.iter().map(|(s, e)| e - s).sum::<usize>();
        let mut merged = Vec::with_capacity(tail.len() + other.spans.len());
        let (mut x, mut y) = (
            tail.into_iter().peekable(),
            other.spans.into_iter().peekable(),
        );
        loop {
            let next = match (x.peek(), y.peek()) {
                (Some(a), Some(b)) if a <= b => x.next(),
                (Some(_), Some(_)) => y.next(),
                (Some(_), None) => x.next(),
                (None, _) => y.next(),
            };
            let Some(span) = next else { break };
            merged.push(span);
        }
        self.extend(merged);
    }
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
    // The A sides of each region's fragments, for the echo test without a scan of all of them.
    let mut by_a: Vec<FragmentsByA> = Vec::new();
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
                let a_inside = by_a[r].overlap(f.a);
                if a_inside * 2 >= f.a.1 - f.a.0 {
                    continue;
                }
                by_a[r].insert(f.a);
                reg.fragments.push(f);
                reg.score += sc as i64;
                reg.a = (reg.a.0.min(f.a.0), reg.a.1.max(f.a.1));
                reg.b = (reg.b.0.min(f.b.0), reg.b.1.max(f.b.1));
            }
            None => {
                open.push(regions.len());
                let mut frags = FragmentsByA::default();
                frags.insert(f.a);
                by_a.push(frags);
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
    let mut kept_b = OverlapSum::new(regions.iter().flat_map(|r| [r.b.0, r.b.1]).collect());
    for i in order {
        let r = &regions[i];
        let len = r.b.1 - r.b.0;
        if kept_b.overlap(r.b) * 2 < len {
            kept.push(i);
            kept_b.insert(r.b);
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
    use crate::text::chars;

    #[test]
    fn hash_join_seeds_equal_sorted_seeds() {
        let params = ReuseParams {
            seed_len: 3,
            max_seed_occurrences: 2,
            ..ReuseParams::default()
        };
        let cases = [
            (
                "坚持稳中求进工作总基调坚持稳中求进",
                "全面坚持稳中求进工作总基调，稳中求进",
            ),
            ("抓项目抓项目抓项目抓招商", "抓项目抓招商抓项目"),
            (
                "建设项目**个总投资**亿元",
                "建设项目12个总投资**亿元建设项目",
            ),
            ("", "抓项目"),
            ("一二", "一二三"),
        ];
        // And strings over a small alphabet, full of repeated k-grams (xorshift, fixed seed).
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut random = |n: usize| -> String {
            (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    ['抓', '项', '目', '招', '商', '*'][(x % 6) as usize]
                })
                .collect()
        };
        let random_cases: Vec<(String, String)> = (0..200)
            .map(|i| (random(i % 70), random((i * 7) % 90)))
            .collect();
        let cases = cases
            .iter()
            .map(|&(a, b)| (a.to_string(), b.to_string()))
            .chain(random_cases);
        for (a, b) in cases {
            // `*` stands for a redaction mask.
            let masked = |s: &str| -> Vec<char> {
                chars(s)
                    .into_iter()
                    .map(|c| if c == '*' { MASK } else { c })
                    .collect()
            };
            let (a, b) = (masked(&a), masked(&b));
            assert_eq!(
                seeds_by_hashing(&a, &b, &params),
                seeds_by_sorting(&a, &b, &params),
                "{a:?} {b:?}"
            );
        }
    }

    #[test]
    fn coverage_absorbs_like_a_fresh_union() {
        let frag = |s, e| Fragment {
            a: (0, 0),
            b: (s, e),
        };
        let first = [frag(0, 10), frag(5, 20), frag(30, 40), frag(50, 55)];
        let second = [frag(18, 32), frag(60, 70), frag(54, 58)];
        let mut c = Coverage::of(&first);
        c.absorb(Coverage::of(&second));
        let all: Vec<Fragment> = first.iter().chain(&second).copied().collect();
        let region = Region {
            a: (0, 0),
            b: (0, 70),
            fragments: all.clone(),
            score: 0,
        };
        assert_eq!(c.total, aligned_b(&region));
        assert_eq!(c.spans, Coverage::of(&all).spans);
        assert_eq!(c.spans, [(0, 40), (50, 58), (60, 70)]);
    }

    #[test]
    fn overlap_sum_matches_direct_sums() {
        let spans = [(0, 10), (5, 15), (20, 30), (8, 9), (0, 40), (29, 31)];
        let queries = [(0, 5), (3, 12), (9, 21), (30, 40), (40, 50), (7, 8)];
        let mut set = OverlapSum::new(spans.iter().flat_map(|s| [s.0, s.1]).collect());
        for (n, &s) in spans.iter().enumerate() {
            set.insert(s);
            for q in queries {
                let direct: usize = spans[..=n]
                    .iter()
                    .map(|k| q.1.min(k.1).saturating_sub(q.0.max(k.0)))
                    .sum();
                assert_eq!(set.overlap(q), direct, "{q:?} after {n}");
            }
        }
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
