//! Structural parallelism: do consecutive units share a syntactic shape and an anchor word?
//!
//! Input: the units of a paragraph (clauses or sentences) or of a document (the first sentence of each
//! paragraph) and a [`Structure`] rule from the pattern file. Output: hits whose members are whole units.
//!
//! How: two units are *parallel* when their lengths are similar and either they share a head of
//! `min_head` chars, or a word-aligned anchor of `min_anchor` chars at a similar relative position (an inner
//! word such as `是`…`的` runs, or a tail), or, in short units, the same char at the same position (`天更蓝、
//! 山更绿`), and their jieba POS tag sequences (first `shape_tokens` tokens) are within
//! `max_shape_distance` (edit distance / longer sequence). A run grows from a parallel pair while every
//! new member stays parallel to the previous one with the same anchor; up to `max_gap` non-member units
//! may stand between two members (members separated by other sentences). Each unit is tagged at most once
//! and only when a cheap test (shared head or shared char bigram) passes, so the pass is linear in the
//! number of units with a bounded cost per pair.

use std::collections::{BTreeMap, HashSet};

use super::matcher::{Cand, Units};
use super::rx::Rx;
use super::{Family, PatternHit, Unit};
use crate::text::Span;
use crate::text::view::is_punctuation;

/// A structural parallelism rule (`kind = "structure"`).
#[derive(Clone, Debug)]
pub struct Structure {
    /// `clause`, `sentence` or `paragraph` (the first sentence of each paragraph).
    pub unit: Unit,
    /// Separator chars (folded) that may join two members.
    pub separators: String,
    /// Fewest members.
    pub min_members: usize,
    /// Most members (longer runs are dropped).
    pub max_members: usize,
    /// Member length bounds in chars (inclusive).
    pub member_len: (usize, usize),
    /// A regex each member must match somewhere (e.g. no digits), or none.
    pub member: Option<Rx>,
    /// Longest / shortest member, at most.
    pub length_ratio: f64,
    /// A shared head of this many chars anchors a pair (0: heads are not enough).
    pub min_head: usize,
    /// Tag-shape distance allowed when a head is shared.
    pub head_shape_distance: f64,
    /// A shared word-aligned anchor of this many chars anchors a pair (0: inner anchors are off).
    pub min_anchor: usize,
    /// Tag-shape distance allowed with an inner or tail anchor.
    pub max_shape_distance: f64,
    /// Units up to this many chars may be anchored by one equal char at the same position (0: off).
    pub positional_len: usize,
    /// Equal-length units with at least 3 tokens whose shapes are this close are parallel without any
    /// shared word (negative: off).
    pub shape_only_distance: f64,
    /// Tokens compared for the shape.
    pub shape_tokens: usize,
    /// Non-member units allowed between two members.
    pub max_gap: usize,
    /// Heads and anchors equal to one of these do not count.
    pub exclude_anchor: Vec<String>,
}

/// How two members are tied.
#[derive(Clone, Debug, PartialEq)]
enum Tie {
    Head(usize),
    Anchor(String),
    Position(usize, char),
    Shape,
}

/// A unit's tokens (char ranges in the member text) and coarse POS tags.
struct Tagged {
    tokens: Vec<(usize, usize)>,
    tags: Vec<u8>,
}

fn tag(cand: &Cand) -> Tagged {
    let jieba = crate::segment::default_jieba();
    let mut tokens = Vec::new();
    let mut tags = Vec::new();
    for t in jieba.tag(&cand.text, true) {
        if t.word.trim().is_empty() {
            continue;
        }
        tokens.push((t.start, t.end));
        // Coarse tag: the first letter (`n`, `v`, `a`, `d`, `p`, `u`, …); punctuation is `x`.
        let c = if t.word.chars().all(is_punctuation) {
            b'x'
        } else {
            t.tag.bytes().next().unwrap_or(b'x')
        };
        tags.push(c);
    }
    Tagged { tokens, tags }
}

/// Tags that make an anchor a content word (function words alone do not anchor a pair).
fn is_content(tag: u8) -> bool {
    matches!(
        tag,
        b'n' | b'v' | b'a' | b'i' | b'l' | b'j' | b's' | b't' | b'f' | b'b' | b'z' | b'g'
    )
}

/// Edit distance between two tag sequences.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(x != y))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The tag-shape distance of two units: edit distance over their first `n` tags / the longer one.
pub(super) fn shape_distance(a: &[u8], b: &[u8], n: usize) -> f64 {
    let a = &a[..a.len().min(n)];
    let b = &b[..b.len().min(n)];
    let m = a.len().max(b.len());
    if m == 0 {
        return 1.0;
    }
    edit_distance(a, b) as f64 / m as f64
}

fn bigrams(chars: &[char]) -> HashSet<(char, char)> {
    chars
        .windows(2)
        .filter(|w| !is_punctuation(w[0]) && !is_punctuation(w[1]))
        .map(|w| (w[0], w[1]))
        .collect()
}

struct Pass<'a> {
    rule: &'a Structure,
    units: &'a Units,
    ok: Vec<bool>,
    tagged: Vec<Option<Tagged>>,
    grams: Vec<Option<HashSet<(char, char)>>>,
}

impl<'a> Pass<'a> {
    fn new(rule: &'a Structure, units: &'a Units) -> Pass<'a> {
        let ok = units
            .cands
            .iter()
            .map(|c| {
                let n = c.chars.len();
                n >= rule.member_len.0
                    && n <= rule.member_len.1
                    && rule
                        .member
                        .as_ref()
                        .is_none_or(|rx| rx.find_from(&c.text, 0).is_some())
            })
            .collect();
        let n = units.cands.len();
        Pass {
            rule,
            units,
            ok,
            tagged: (0..n).map(|_| None).collect(),
            grams: (0..n).map(|_| None).collect(),
        }
    }

    fn tags(&mut self, i: usize) -> &Tagged {
        let cand = &self.units.cands[i];
        self.tagged[i].get_or_insert_with(|| tag(cand))
    }

    fn shares_bigram(&mut self, i: usize, j: usize) -> bool {
        let (ci, cj) = (&self.units.cands[i], &self.units.cands[j]);
        self.grams[i].get_or_insert_with(|| bigrams(&ci.chars));
        self.grams[j].get_or_insert_with(|| bigrams(&cj.chars));
        let (Some(a), Some(b)) = (&self.grams[i], &self.grams[j]) else {
            return false;
        };
        a.iter().any(|g| b.contains(g))
    }

    /// A head or anchor that is only an excluded word (`我们`) does not tie two units.
    fn excluded(&self, s: &str) -> bool {
        self.rule.exclude_anchor.iter().any(|x| s == x)
    }

    /// How units `i` and `j` are tied, if they are parallel; `want` is the run's tie so far.
    fn tie(&mut self, i: usize, j: usize, want: Option<&Tie>) -> Option<(Tie, f64)> {
        let r = self.rule;
        if !self.ok[i] || !self.ok[j] {
            return None;
        }
        let a = &self.units.cands[i].chars;
        let b = &self.units.cands[j].chars;
        let (la, lb) = (a.len(), b.len());
        if la.max(lb) as f64 > r.length_ratio * la.min(lb) as f64 || a == b {
            return None;
        }
        let head = a
            .iter()
            .zip(b.iter())
            .take_while(|(x, y)| x == y && !is_punctuation(**x))
            .count();
        let short = r.positional_len > 0 && la.max(lb) <= r.positional_len;
        let may_head = r.min_head > 0 && head >= r.min_head;
        if !may_head && !short && r.shape_only_distance < 0.0 && !self.shares_bigram(i, j) {
            return None;
        }
        let (ta_tags, ta_tokens) = {
            let t = self.tags(i);
            (t.tags.clone(), t.tokens.clone())
        };
        let (tb_tags, tb_tokens) = {
            let t = self.tags(j);
            (t.tags.clone(), t.tokens.clone())
        };
        let dist = shape_distance(&ta_tags, &tb_tags, r.shape_tokens);
        // Shared head.
        if may_head && dist <= r.head_shape_distance {
            let h: String = a[..head].iter().collect();
            let same = match want {
                None => true,
                Some(Tie::Head(_)) => true,
                _ => false,
            };
            if same && !self.excluded(&h) {
                return Some((Tie::Head(head), dist));
            }
        }
        // A word-aligned anchor (a run of equal tokens) at a similar relative position.
        if r.min_anchor > 0 && dist <= r.max_shape_distance {
            let word = |t: &[(usize, usize)], c: &[char], k: usize| -> String {
                c[t[k].0..t[k].1].iter().collect()
            };
            let mut best: Option<(usize, String)> = None;
            for ka in 0..ta_tokens.len() {
                for kb in 0..tb_tokens.len() {
                    let mut n = 0;
                    let mut chars = 0;
                    let mut content = false;
                    while ka + n < ta_tokens.len()
                        && kb + n < tb_tokens.len()
                        && ta_tags[ka + n] != b'x'
                        && word(&ta_tokens, a, ka + n) == word(&tb_tokens, b, kb + n)
                    {
                        chars += ta_tokens[ka + n].1 - ta_tokens[ka + n].0;
                        content |= is_content(ta_tags[ka + n]);
                        n += 1;
                    }
                    if n == 0 || chars < r.min_anchor || !content || (ka == 0 && kb == 0) {
                        continue;
                    }
                    let ra = ta_tokens[ka].0 as f64 / la as f64;
                    let rb = tb_tokens[kb].0 as f64 / lb as f64;
                    if (ra - rb).abs() > 0.3 {
                        continue;
                    }
                    let s: String = a[ta_tokens[ka].0..ta_tokens[ka + n - 1].1].iter().collect();
                    if self.excluded(&s) {
                        continue;
                    }
                    if best.as_ref().is_none_or(|(c, _)| chars > *c) {
                        best = Some((chars, s));
                    }
                }
            }
            if let Some((_, s)) = best {
                match want {
                    None => return Some((Tie::Anchor(s), dist)),
                    Some(Tie::Anchor(w)) if b.iter().collect::<String>().contains(w.as_str()) => {
                        return Some((Tie::Anchor(w.clone()), dist));
                    }
                    _ => {}
                }
            }
        }
        // Short units: one equal char at the same inner position.
        if short && dist <= r.max_shape_distance {
            let pos = (1..la.min(lb)).find(|&k| a[k] == b[k] && !is_punctuation(a[k]));
            if let Some(k) = pos {
                let t = Tie::Position(k, a[k]);
                if want.is_none_or(|w| *w == t) {
                    return Some((t, dist));
                }
            }
        }
        if r.shape_only_distance >= 0.0
            && la == lb
            && ta_tags.len() >= 3
            && ta_tags.len() == tb_tags.len()
            && dist <= r.shape_only_distance
            && want.is_none_or(|w| *w == Tie::Shape)
        {
            return Some((Tie::Shape, dist));
        }
        None
    }

    fn joinable(&self, from: usize, to: usize) -> bool {
        (from..to).all(|k| match &self.units.gaps[k] {
            None => true,
            Some(g) => {
                !g.is_empty()
                    && g.chars()
                        .all(|c| self.rule.separators.contains(c) || c.is_whitespace())
            }
        })
    }

    /// The next member after `prev` tied like `want` (or any tie when `want` is none).
    fn next(&mut self, prev: usize, want: Option<&Tie>) -> Option<(usize, Tie, f64)> {
        let n = self.units.cands.len();
        for j in prev + 1..n.min(prev + 2 + self.rule.max_gap) {
            if !self.joinable(prev, j) {
                return None;
            }
            if let Some((t, d)) = self.tie(prev, j, want) {
                return Some((j, t, d));
            }
        }
        None
    }
}

fn tags_text(t: &Tagged) -> String {
    t.tags.iter().map(|&c| c as char).collect()
}

/// Runs a structure rule over units, pushing hits.
pub(super) fn structure_hits(
    id: &str,
    family: Family,
    rule: &Structure,
    units: &Units,
    out: &mut Vec<PatternHit>,
) {
    let n = units.cands.len();
    let mut pass = Pass::new(rule, units);
    let mut i = 0;
    while i + 1 < n {
        let Some((j, tie, d0)) = pass.next(i, None) else {
            i += 1;
            continue;
        };
        let mut members = vec![i, j];
        let mut worst = d0;
        let (mut lo, mut hi) = {
            let (a, b) = (units.cands[i].chars.len(), units.cands[j].chars.len());
            (a.min(b), a.max(b))
        };
        let mut run_tie = tie.clone();
        while let Some((k, t, d)) = pass.next(members[members.len() - 1], Some(&run_tie)) {
            let len = units.cands[k].chars.len();
            let (l2, h2) = (lo.min(len), hi.max(len));
            if h2 as f64 > rule.length_ratio * l2 as f64 {
                break;
            }
            // A shared head narrows to what all members share.
            if let (Tie::Head(_), Tie::Head(h)) = (&run_tie, &t) {
                let first = &units.cands[members[0]].chars;
                let next = &units.cands[k].chars;
                let common = first
                    .iter()
                    .zip(next.iter())
                    .take_while(|(x, y)| x == y)
                    .count();
                if common < rule.min_head {
                    break;
                }
                run_tie = Tie::Head(common.min(*h));
            }
            lo = l2;
            hi = h2;
            worst = worst.max(d);
            members.push(k);
        }
        let count = members.len();
        if count < rule.min_members || count > rule.max_members {
            i += 1;
            continue;
        }
        let spans: Vec<Span> = members
            .iter()
            .map(|&m| super::matcher::cover(&units.cands[m].origins))
            .collect();
        let mut slots = BTreeMap::new();
        let first = &units.cands[members[0]].chars;
        let why = match &run_tie {
            Tie::Head(h) => {
                let s: String = first[..*h].iter().collect();
                slots.insert("head".to_string(), s.clone());
                format!("shared head `{s}`")
            }
            Tie::Anchor(s) => {
                slots.insert("anchor".to_string(), s.clone());
                format!("shared word `{s}` at a similar position")
            }
            Tie::Position(k, c) => {
                slots.insert("anchor".to_string(), c.to_string());
                format!("shared char `{c}` at position {}", k + 1)
            }
            Tie::Shape => "same tag shape, equal length".to_string(),
        };
        let shapes: Vec<String> = members.iter().map(|&m| tags_text(pass.tags(m))).collect();
        out.push(PatternHit {
            family,
            pattern: id.to_string(),
            span: Span::new(spans[0].start, spans[count - 1].end),
            members: spans,
            slots,
            why: format!(
                "{why}; tag shapes {} (largest distance {worst:.2})",
                shapes.join(" / ")
            ),
        });
        i = members[count - 1] + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_edit_distance() {
        assert_eq!(edit_distance(b"nvn", b"nvn"), 0);
        assert_eq!(edit_distance(b"nvn", b"nv"), 1);
        assert!((shape_distance(b"nvnu", b"nvna", 10) - 0.25).abs() < 1e-9);
    }
}
#[cfg(test)]
mod probe {
    #[test]
    #[ignore]
    fn print_tags() {
        let j = crate::segment::default_jieba();
        for s in std::env::var("PROBE").unwrap_or_default().split('|') {
            let t: Vec<String> = j.tag(s, true).iter().map(|t| format!("{}/{}", t.word, t.tag)).collect();
            println!("{}", t.join(" "));
        }
    }
}
