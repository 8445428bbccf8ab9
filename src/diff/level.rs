//! Alignment of one sibling list against another, recursing into the children of matched sections.

use std::collections::HashMap;

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::score::{MATCH_VIEW, Tok, char_tok, token_similarity};
use super::{Correspondence, DiffOp, DiffPiece, SectionRef, Side, Status, Unit, round4};
use crate::outline::Section;
use crate::segment::WordSegmenter;
use crate::segment::{is_clause_end, is_sentence_end};
use crate::text::view::MASK;
use crate::text::{Span, View};

/// Char n-gram length of body fingerprints (char granularity).
const CHAR_GRAM: usize = 4;
/// Word n-gram length of body fingerprints (word granularity).
const WORD_GRAM: usize = 2;
/// A pair must score at least this to be matched.
const MIN_SCORE: f64 = 0.3;
/// …and have at least this body similarity, unless the headings are at least [`MIN_HEADING`] alike.
const MIN_BODY: f64 = 0.12;
const MIN_HEADING: f64 = 0.6;
/// Second pass: pairs that are each other's best candidate need only this score…
const LOOSE_SCORE: f64 = 0.09;
/// …and this body similarity.
const LOOSE_BODY: f64 = 0.05;
/// Fingerprints at least this large weigh the body fully; smaller ones weigh the heading more.
const FULL_BODY: usize = 20;
/// Body weight of a pair score when both bodies are large.
const BODY_WEIGHT: f64 = 0.65;
/// `same` needs identical normalised headings and at least this body similarity.
const SAME_BODY: f64 = 0.9;
/// `reworded` needs at least this body similarity.
const REWORDED_BODY: f64 = 0.6;
/// A left-over section joins a split/merge group when at least this share of it lies in the group's
/// section on the other side…
const PART_CONTAINED: f64 = 0.5;
/// …and it adds at least this share of that section's fingerprint to what the partner covers.
const PART_GAIN: f64 = 0.1;
/// Left-over sections smaller than this (fingerprint size) never join a group.
const PART_MIN: usize = 10;
/// Fingerprint hashes found in more units than this (of one list) are ignored at that level.
const MAX_POSTING: usize = 256;
/// Up to this many pairs, every pair's headings are compared; beyond, only pairs sharing body text.
const ALL_PAIRS: usize = 250_000;

/// One document prepared for comparison.
pub(crate) struct Doc<'a> {
    side: Side<'a>,
    view: View,
    /// Word tokens of the body (word granularity): span and hashed normalised form.
    words: Option<Vec<(Span, Tok)>>,
    segmenter: Option<&'a WordSegmenter>,
}

/// A section or paragraph with its fingerprints.
pub(crate) struct UnitData<'a> {
    r: SectionRef,
    section: Option<&'a Section>,
    has_heading: bool,
    heading_span: Span,
    htoks: Vec<Tok>,
    fp: Vec<u64>,
}

impl<'a> Doc<'a> {
    pub(crate) fn new(side: Side<'a>, segmenter: Option<&'a WordSegmenter>) -> Doc<'a> {
        let body = side.outline.document.body;
        let view = View::with_options(side.text, body, MATCH_VIEW);
        let words = segmenter.map(|seg| {
            seg.words(side.text, body)
                .into_iter()
                .filter_map(|w| {
                    let (s, e) = (
                        view.index_at_or_after(w.start),
                        view.index_at_or_after(w.end),
                    );
                    let chars = &view.chars()[s..e.max(s)];
                    if chars.is_empty() {
                        return None; // punctuation or white space only
                    }
                    let tok = if chars.contains(&MASK) {
                        Tok::MASK
                    } else {
                        Tok(crate::fingerprint::hash_chars(chars) & !(1 << 63))
                    };
                    Some((w, tok))
                })
                .collect()
        });
        Doc {
            side,
            view,
            words,
            segmenter,
        }
    }

    /// View chars of a span as tokens (a mask is one wildcard token).
    fn char_tokens(&self, span: Span) -> Vec<Tok> {
        let (s, e) = (
            self.view.index_at_or_after(span.start),
            self.view.index_at_or_after(span.end),
        );
        self.view.chars()[s..e.max(s)]
            .iter()
            .map(|&c| char_tok(c))
            .collect()
    }

    /// Tokens of a span: view chars, or words starting inside it.
    fn tokens(&self, span: Span) -> Vec<Tok> {
        match &self.words {
            None => self.char_tokens(span),
            Some(words) => {
                let s = words.partition_point(|(w, _)| w.start < span.start);
                let e = words.partition_point(|(w, _)| w.start < span.end);
                words[s..e.max(s)].iter().map(|(_, t)| *t).collect()
            }
        }
    }

    /// The body fingerprint of a span: sorted, deduplicated hashes of its token n-grams.
    fn fingerprint(&self, span: Span) -> Vec<u64> {
        let toks = self.tokens(span);
        let n = if self.words.is_some() {
            WORD_GRAM
        } else {
            CHAR_GRAM
        };
        let hash = |w: &[Tok]| crate::fingerprint::hash_tokens(w.iter().map(|t| t.0));
        let mut fp: Vec<u64> = if toks.len() < n {
            if toks.is_empty() {
                Vec::new()
            } else {
                vec![hash(&toks)]
            }
        } else {
            toks.windows(n).map(hash).collect()
        };
        fp.sort_unstable();
        fp.dedup();
        fp
    }

    fn excerpt(&self, span: Span) -> String {
        let mut out = String::new();
        let mut n = 0;
        let mut last_space = true;
        // The body starts right after the heading: skip the punctuation that closed it.
        let body = self.side.text.slice(span).trim_start_matches(|c: char| {
            c.is_whitespace() || is_sentence_end(c) || is_clause_end(c)
        });
        for c in body.chars() {
            if n >= 60 {
                out.push('…');
                break;
            }
            if c.is_whitespace() {
                if !last_space {
                    out.push(' ');
                    n += 1;
                }
                last_space = true;
                continue;
            }
            last_space = false;
            out.push(c);
            n += 1;
        }
        out.trim_end().to_string()
    }

    fn section_unit(&self, s: &'a Section, path: Vec<usize>) -> UnitData<'a> {
        let hs = Span::new(
            s.heading_span.start.clamp(s.span.start, s.span.end),
            s.heading_span.end.clamp(s.span.start, s.span.end),
        );
        let body = Span::new(hs.end.max(s.span.start), s.span.end);
        UnitData {
            r: SectionRef {
                path,
                marker: s.marker.clone(),
                heading: s.heading.clone(),
                span: s.span,
                excerpt: self.excerpt(body),
            },
            section: Some(s),
            has_heading: true,
            heading_span: hs,
            // Headings are short: char level in both granularities, so masks match what they hide.
            htoks: self.char_tokens(hs),
            fp: self.fingerprint(body),
        }
    }

    fn paragraph_unit(&self, span: Span, index: usize) -> UnitData<'a> {
        UnitData {
            r: SectionRef {
                path: vec![index],
                marker: String::new(),
                heading: String::new(),
                span,
                excerpt: self.excerpt(span),
            },
            section: None,
            has_heading: false,
            heading_span: Span::new(span.start, span.start),
            htoks: Vec::new(),
            fp: self.fingerprint(span),
        }
    }

    /// Top-level units: the outline's sections, or the body's paragraphs.
    pub(crate) fn top_units(&self, unit: Unit) -> Vec<UnitData<'a>> {
        match unit {
            Unit::Section => self
                .side
                .outline
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| self.section_unit(s, vec![i]))
                .collect(),
            Unit::Paragraph => self
                .side
                .segments
                .paragraphs_in(self.side.outline.document.body)
                .iter()
                .enumerate()
                .map(|(i, p)| self.paragraph_unit(p.span, i))
                .collect(),
        }
    }

    fn child_units(&self, u: &UnitData<'a>) -> Vec<UnitData<'a>> {
        let Some(s) = u.section else {
            return Vec::new();
        };
        s.children
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let mut p = u.r.path.clone();
                p.push(k);
                self.section_unit(c, p)
            })
            .collect()
    }

    /// Heading tokens for the inline diff: chars, or jieba words, of the original heading.
    fn diff_tokens(&self, u: &UnitData<'_>) -> Vec<String> {
        match self.segmenter {
            None => u.r.heading.chars().map(String::from).collect(),
            Some(seg) => seg
                .words(self.side.text, u.heading_span)
                .into_iter()
                .map(|w| self.side.text.slice(w).to_string())
                .collect(),
        }
    }
}

/// Best pair score each unit takes part in, for the outline similarity.
pub(crate) struct Credits {
    a: HashMap<Vec<usize>, f64>,
    b: HashMap<Vec<usize>, f64>,
    total: usize,
}

impl Credits {
    pub(crate) fn new(a: &Doc<'_>, b: &Doc<'_>, unit: Unit) -> Credits {
        let count = |d: &Doc<'_>| match unit {
            Unit::Section => d.side.outline.count(),
            Unit::Paragraph => d
                .side
                .segments
                .paragraphs_in(d.side.outline.document.body)
                .len(),
        };
        Credits {
            a: HashMap::new(),
            b: HashMap::new(),
            total: count(a) + count(b),
        }
    }

    fn add(&mut self, a: &[usize], b: &[usize], score: f64) {
        for (map, path) in [(&mut self.a, a), (&mut self.b, b)] {
            let e = map.entry(path.to_vec()).or_insert(0.0);
            *e = e.max(score);
        }
    }

    pub(crate) fn outline_similarity(&self) -> f64 {
        if self.total == 0 {
            return 1.0;
        }
        let sum: f64 = self
            .a
            .values()
            .chain(self.b.values())
            .fold(0.0, |s, v| s + v);
        (sum / self.total as f64).min(1.0)
    }
}

/// Shared fingerprint hashes of the pairs of a sibling list × sibling list, stored sparsely (only
/// pairs that share something), so long paragraph lists cost memory in proportion to their overlap.
struct Pairs {
    /// For each A unit: (B index, shared hashes), sorted by B index.
    by_a: Vec<Vec<(u32, u32)>>,
    /// For each B unit: (A index, shared hashes), sorted by A index.
    by_b: Vec<Vec<(u32, u32)>>,
}

impl Pairs {
    fn inter(&self, i: usize, j: usize) -> usize {
        let row = &self.by_a[i];
        match row.binary_search_by_key(&(j as u32), |e| e.0) {
            Ok(k) => row[k].1 as usize,
            Err(_) => 0,
        }
    }
}

fn dice(inter: usize, x: &UnitData<'_>, y: &UnitData<'_>) -> f64 {
    let total = x.fp.len() + y.fp.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * inter as f64 / total as f64
}

fn heading_sim(x: &UnitData<'_>, y: &UnitData<'_>) -> Option<f64> {
    (x.has_heading && y.has_heading).then(|| token_similarity(&x.htoks, &y.htoks))
}

/// Combined score: body and heading, the heading weighing more when bodies are small.
fn pair_score(h: Option<f64>, body: f64, x: &UnitData<'_>, y: &UnitData<'_>) -> f64 {
    let Some(h) = h else {
        return body;
    };
    let small = x.fp.len().min(y.fp.len());
    if x.fp.is_empty() && y.fp.is_empty() {
        return h;
    }
    let wb = BODY_WEIGHT * (small.min(FULL_BODY) as f64 / FULL_BODY as f64);
    wb * body + (1.0 - wb) * h
}

/// Status of a one-to-one, in-order pair.
fn classify(h: Option<f64>, body: f64) -> Status {
    match h {
        None if body >= SAME_BODY => Status::Same,
        None => Status::Rewritten,
        Some(h) if h >= 0.9999 && body >= SAME_BODY => Status::Same,
        Some(h) if h < 0.9999 && body >= REWORDED_BODY => Status::Reworded,
        Some(_) => Status::Rewritten,
    }
}

/// Aligns two sibling lists and, below matched sections, their children.
pub(crate) fn align_units<'a>(
    da: &Doc<'a>,
    db: &Doc<'a>,
    xs: Vec<UnitData<'a>>,
    ys: Vec<UnitData<'a>>,
    credits: &mut Credits,
) -> Vec<Correspondence> {
    let (n, m) = (xs.len(), ys.len());
    if n == 0 && m == 0 {
        return Vec::new();
    }
    // Hashes shared by more than MAX_POSTING units of either list are boilerplate at this level: they
    // are dropped from both sides' fingerprints (so identical units still score 1.0), which bounds the
    // work below by fingerprint size × MAX_POSTING.
    let mut xs = xs;
    let mut ys = ys;
    if n > MAX_POSTING || m > MAX_POSTING {
        let mut freq: HashMap<u64, (u32, u32)> = HashMap::new();
        for x in &xs {
            for &h in &x.fp {
                freq.entry(h).or_default().0 += 1;
            }
        }
        for y in &ys {
            for &h in &y.fp {
                freq.entry(h).or_default().1 += 1;
            }
        }
        let common = |h: &u64| {
            freq.get(h)
                .is_some_and(|&(a, b)| a as usize > MAX_POSTING || b as usize > MAX_POSTING)
        };
        for u in xs.iter_mut().chain(ys.iter_mut()) {
            u.fp.retain(|h| !common(h));
        }
    }
    let (xs, ys) = (&xs[..], &ys[..]);
    // Fingerprint intersections through an inverted index of B's fingerprints: linear in the
    // fingerprint sizes times the (short) posting lists, not in n × m × size.
    let mut index: HashMap<u64, Vec<u32>> = HashMap::new();
    for (j, y) in ys.iter().enumerate() {
        for &h in &y.fp {
            index.entry(h).or_default().push(j as u32);
        }
    }
    let mut pairs = Pairs {
        by_a: Vec::with_capacity(n),
        by_b: vec![Vec::new(); m],
    };
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for (i, x) in xs.iter().enumerate() {
        counts.clear();
        for h in &x.fp {
            if let Some(list) = index.get(h) {
                for &j in list {
                    *counts.entry(j).or_default() += 1;
                }
            }
        }
        let mut row: Vec<(u32, u32)> = counts.iter().map(|(&j, &c)| (j, c)).collect();
        row.sort_unstable();
        for &(j, c) in &row {
            pairs.by_b[j as usize].push((i as u32, c));
        }
        pairs.by_a.push(row);
    }

    // One-to-one matching, best score first.
    let mut candidates = Vec::new();
    let mut loose = Vec::new();
    // Headings alone can match sections that share no body text; comparing every pair's headings is
    // affordable for outline-sized lists only.
    let all_pairs = n * m <= ALL_PAIRS;
    for (i, x) in xs.iter().enumerate() {
        let js: Vec<usize> = if all_pairs {
            (0..m).collect()
        } else {
            pairs.by_a[i].iter().map(|e| e.0 as usize).collect()
        };
        for j in js {
            let y = &ys[j];
            let inter = pairs.inter(i, j);
            let h = heading_sim(x, y);
            if inter == 0 && h.is_none_or(|h| h < MIN_HEADING) {
                continue;
            }
            let body = dice(inter, x, y);
            let score = pair_score(h, body, x, y);
            if score >= MIN_SCORE && (body >= MIN_BODY || h.is_some_and(|h| h >= MIN_HEADING)) {
                candidates.push((score, i, j));
            } else if score >= LOOSE_SCORE && body >= LOOSE_BODY {
                loose.push((score, i, j));
            }
        }
    }
    let mut match_a: Vec<Option<usize>> = vec![None; n];
    let mut match_b: Vec<Option<usize>> = vec![None; m];
    greedy(&mut candidates, &mut match_a, &mut match_b);
    // Second pass, for rewritten texts (this year's report against last year's): among the sections
    // still unmatched, pairs that are each other's best candidate clear a lower bar.
    // Repeated, since a match can make another pair mutually best.
    loop {
        loose.retain(|&(_, i, j)| match_a[i].is_none() && match_b[j].is_none());
        let mut best_a: Vec<Option<(f64, usize)>> = vec![None; n];
        let mut best_b: Vec<Option<(f64, usize)>> = vec![None; m];
        for &(score, i, j) in &loose {
            if best_a[i].is_none_or(|(s, _)| score > s) {
                best_a[i] = Some((score, j));
            }
            if best_b[j].is_none_or(|(s, _)| score > s) {
                best_b[j] = Some((score, i));
            }
        }
        let mut mutual: Vec<(f64, usize, usize)> = loose
            .iter()
            .copied()
            .filter(|&(_, i, j)| {
                best_a[i].is_some_and(|(_, bj)| bj == j) && best_b[j].is_some_and(|(_, bi)| bi == i)
            })
            .collect();
        if mutual.is_empty() {
            break;
        }
        greedy(&mut mutual, &mut match_a, &mut match_b);
    }

    // Which matches keep their order: LCS of A's partner indices against B's indices.
    let key_a: Vec<usize> = (0..n).map(|i| match_a[i].unwrap_or(m + 1 + i)).collect();
    let key_b: Vec<usize> = (0..m)
        .map(|j| {
            if match_b[j].is_some() {
                j
            } else {
                m + n + 2 + j
            }
        })
        .collect();
    let ops = capture_diff_slices(Algorithm::Lcs, &key_a, &key_b);
    let mut in_order = vec![false; n];
    for op in &ops {
        let (tag, old, _) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            for i in old {
                in_order[i] = true;
            }
        }
    }

    // Split groups (A section → several B sections) and merge groups (several A sections → one B).
    let mut split: HashMap<usize, Vec<usize>> = HashMap::new(); // i → extra js
    let mut extra_b = vec![false; m];
    for j in 0..m {
        if match_b[j].is_some() || ys[j].fp.len() < PART_MIN {
            continue;
        }
        let best = pairs.by_b[j]
            .iter()
            .filter(|e| match_a[e.0 as usize].is_some())
            .map(|e| (e.1 as usize, e.0 as usize))
            .max();
        let Some((inter, i)) = best else { continue };
        let partner = match_a[i].unwrap_or_default();
        if inter as f64 / ys[j].fp.len() as f64 >= PART_CONTAINED
            && gains(&pairs, i, partner, j, xs[i].fp.len(), true)
        {
            split.entry(i).or_default().push(j);
            extra_b[j] = true;
        }
    }
    let mut merge: HashMap<usize, Vec<usize>> = HashMap::new(); // j → extra is
    let mut extra_a = vec![false; n];
    for i in 0..n {
        if match_a[i].is_some() || xs[i].fp.len() < PART_MIN {
            continue;
        }
        let best = pairs.by_a[i]
            .iter()
            .filter(|e| match_b[e.0 as usize].is_some_and(|p| !split.contains_key(&p)))
            .map(|e| (e.1 as usize, e.0 as usize))
            .max();
        let Some((inter, j)) = best else { continue };
        let partner = match_b[j].unwrap_or_default();
        if inter as f64 / xs[i].fp.len() as f64 >= PART_CONTAINED
            && gains(&pairs, partner, j, i, ys[j].fp.len(), false)
        {
            merge.entry(j).or_default().push(i);
            extra_a[i] = true;
        }
    }

    // Rows in reading order: walk the diff; pairs appear at A's position.
    let mut rows = Vec::new();
    for op in &ops {
        let (_, old, new) = op.as_tag_tuple();
        for i in old {
            if extra_a[i] {
                continue; // shown with its merge group
            }
            match match_a[i] {
                None => rows.push(only(Status::OnlyA, &xs[i])),
                Some(j) => {
                    let group_a: Vec<usize> = std::iter::once(i)
                        .chain(merge.get(&j).into_iter().flatten().copied())
                        .collect();
                    let group_b: Vec<usize> = std::iter::once(j)
                        .chain(split.get(&i).into_iter().flatten().copied())
                        .collect();
                    let status = if group_b.len() > 1 {
                        Some(Status::Split)
                    } else if group_a.len() > 1 {
                        Some(Status::Merged)
                    } else if !in_order[i] {
                        Some(Status::Moved)
                    } else {
                        None
                    };
                    let mut group_rows = Vec::new();
                    for &gi in &group_a {
                        for &gj in &group_b {
                            group_rows
                                .push(pair_row(da, db, xs, ys, &pairs, gi, gj, status, credits));
                        }
                    }
                    let cx: Vec<UnitData<'a>> = group_a
                        .iter()
                        .flat_map(|&gi| da.child_units(&xs[gi]))
                        .collect();
                    let cy: Vec<UnitData<'a>> = group_b
                        .iter()
                        .flat_map(|&gj| db.child_units(&ys[gj]))
                        .collect();
                    group_rows[0].children = align_units(da, db, cx, cy, credits);
                    rows.extend(group_rows);
                }
            }
        }
        for j in new {
            if match_b[j].is_none() && !extra_b[j] {
                rows.push(only(Status::OnlyB, &ys[j]));
            }
        }
    }
    rows
}

/// Matches candidate pairs one to one, best score first. Ties go to the pair closer to the diagonal,
/// so repeated identical sections keep their order.
fn greedy(
    candidates: &mut [(f64, usize, usize)],
    match_a: &mut [Option<usize>],
    match_b: &mut [Option<usize>],
) {
    candidates.sort_by(|p, q| {
        q.0.total_cmp(&p.0)
            .then_with(|| p.1.abs_diff(p.2).cmp(&q.1.abs_diff(q.2)))
            .then_with(|| p.1.cmp(&q.1))
    });
    for &(_, i, j) in candidates.iter() {
        if match_a[i].is_none() && match_b[j].is_none() {
            match_a[i] = Some(j);
            match_b[j] = Some(i);
        }
    }
}

/// Whether adding `extra` to the pair (`i` of A, `partner` of B) covers `i` (or, mirrored, `partner`)
/// notably better than the partner alone.
fn gains(pairs: &Pairs, i: usize, j: usize, extra: usize, size: usize, split: bool) -> bool {
    if size == 0 {
        return false;
    }
    let base = pairs.inter(i, j) as f64 / size as f64;
    let added = if split {
        pairs.inter(i, extra)
    } else {
        pairs.inter(extra, j)
    } as f64
        / size as f64;
    added >= PART_GAIN && base + added > base
}

fn only(status: Status, u: &UnitData<'_>) -> Correspondence {
    let children = match u.section {
        None => Vec::new(),
        Some(s) => only_children(status, s, &u.r.path),
    };
    only_row(status, u.r.clone(), children)
}

fn only_row(status: Status, r: SectionRef, children: Vec<Correspondence>) -> Correspondence {
    let is_a = status == Status::OnlyA;
    Correspondence {
        status,
        a: is_a.then(|| r.clone()),
        b: (!is_a).then_some(r),
        heading_similarity: None,
        body_similarity: None,
        heading_diff: Vec::new(),
        children,
    }
}

/// Rows for the descendants of a section found on one side only.
fn only_children(status: Status, s: &Section, path: &[usize]) -> Vec<Correspondence> {
    s.children
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let mut p = path.to_vec();
            p.push(k);
            let kids = only_children(status, c, &p);
            let r = SectionRef {
                path: p,
                marker: c.marker.clone(),
                heading: c.heading.clone(),
                span: c.span,
                excerpt: String::new(),
            };
            only_row(status, r, kids)
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn pair_row(
    da: &Doc<'_>,
    db: &Doc<'_>,
    xs: &[UnitData<'_>],
    ys: &[UnitData<'_>],
    pairs: &Pairs,
    i: usize,
    j: usize,
    status: Option<Status>,
    credits: &mut Credits,
) -> Correspondence {
    let (x, y) = (&xs[i], &ys[j]);
    let inter = pairs.inter(i, j);
    let h = heading_sim(x, y);
    let body = match status {
        Some(Status::Split) | Some(Status::Merged) => {
            let small = x.fp.len().min(y.fp.len());
            if small == 0 {
                0.0
            } else {
                inter as f64 / small as f64
            }
        }
        _ => dice(inter, x, y),
    };
    credits.add(&x.r.path, &y.r.path, pair_score(h, body, x, y));
    let heading_diff = if x.has_heading && y.has_heading && x.r.heading != y.r.heading {
        heading_diff(&da.diff_tokens(x), &db.diff_tokens(y))
    } else {
        Vec::new()
    };
    Correspondence {
        status: status.unwrap_or_else(|| classify(h, body)),
        a: Some(x.r.clone()),
        b: Some(y.r.clone()),
        heading_similarity: h.map(round4),
        body_similarity: Some(round4(body)),
        heading_diff,
        children: Vec::new(),
    }
}

/// Inline diff of two token lists, adjacent tokens of one kind joined.
fn heading_diff(a: &[String], b: &[String]) -> Vec<DiffPiece> {
    let mut out: Vec<DiffPiece> = Vec::new();
    let mut push = |op: DiffOp, toks: &[String]| {
        if toks.is_empty() {
            return;
        }
        let text: String = toks.concat();
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(&text),
            _ => out.push(DiffPiece { op, text }),
        }
    };
    for d in capture_diff_slices(Algorithm::Myers, a, b) {
        let (tag, old, new) = d.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(DiffOp::Equal, &a[old]),
            DiffTag::Delete => push(DiffOp::Delete, &a[old]),
            DiffTag::Insert => push(DiffOp::Insert, &b[new]),
            DiffTag::Replace => {
                push(DiffOp::Delete, &a[old]);
                push(DiffOp::Insert, &b[new]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SpeechFile;
    use crate::diff::{CompareOptions, Granularity, align};
    use crate::text::{Encoding, Text};

    fn file(s: &str) -> SpeechFile {
        SpeechFile::from_text(Text::from_string("t.txt", s, Encoding::Utf8))
    }

    const A: &str = "同志们：\n一、加强党的建设。全面从严治党，落实主体责任，持续深化作风建设，坚决反对形式主义官僚主义。\n二、推动经济发展。稳住经济大盘，扩大有效投资，加快重点项目建设，促进消费持续恢复。\n三、保障改善民生。办好民生实事，稳定和扩大就业，完善社会保障体系，提升公共服务水平。\n";

    #[test]
    fn classify_follows_the_documented_thresholds() {
        assert_eq!(classify(Some(1.0), 0.95), Status::Same);
        assert_eq!(classify(Some(1.0), 0.7), Status::Rewritten);
        assert_eq!(classify(Some(0.5), 0.7), Status::Reworded);
        assert_eq!(classify(Some(0.5), 0.3), Status::Rewritten);
        assert_eq!(classify(None, 0.95), Status::Same);
        assert_eq!(classify(None, 0.5), Status::Rewritten);
    }

    #[test]
    fn heading_diff_joins_runs() {
        let t = |s: &str| s.chars().map(String::from).collect::<Vec<_>>();
        let d = heading_diff(&t("推动经济发展"), &t("推动经济高质量发展"));
        let ops: Vec<(DiffOp, &str)> = d.iter().map(|p| (p.op, p.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                (DiffOp::Equal, "推动经济"),
                (DiffOp::Insert, "高质量"),
                (DiffOp::Equal, "发展")
            ]
        );
    }

    #[test]
    fn dropped_and_new_sections_keep_their_places() {
        let b = A.replace(
            "三、保障改善民生。办好民生实事，稳定和扩大就业，完善社会保障体系，提升公共服务水平。\n",
            "三、加强生态保护。打好污染防治攻坚战，推进山水林田湖草沙一体化保护。\n",
        );
        let (fa, fb) = (file(A), file(&b));
        let al = align(
            Side::of(&fa, 0).unwrap(),
            Side::of(&fb, 0).unwrap(),
            &CompareOptions::default(),
        );
        let st: Vec<Status> = al.alignment.iter().map(|c| c.status).collect();
        assert_eq!(
            st,
            [Status::Same, Status::Same, Status::OnlyA, Status::OnlyB]
        );
        assert_eq!(al.counts.only_a, 1);
        assert!(
            al.verdict.contains("1 only in A, 1 only in B"),
            "{}",
            al.verdict
        );
    }

    #[test]
    fn masks_match_any_char_in_headings() {
        let b = A.replace("一、加强党的建设", "一、加强**的建设");
        let (fa, fb) = (file(A), file(&b));
        for granularity in [Granularity::Char, Granularity::Word] {
            let al = align(
                Side::of(&fa, 0).unwrap(),
                Side::of(&fb, 0).unwrap(),
                &CompareOptions { granularity },
            );
            let first = &al.alignment[0];
            assert!(first.heading_similarity.unwrap() >= 0.85, "{first:?}");
            assert_eq!(first.b.as_ref().unwrap().path, vec![0]);
        }
    }

    #[test]
    fn empty_sides_give_empty_alignments() {
        let fa = file("同志们：\n今天开会。");
        let al = align(
            Side::of(&fa, 0).unwrap(),
            Side::of(&fa, 0).unwrap(),
            &CompareOptions::default(),
        );
        assert_eq!(al.unit, Unit::Paragraph);
        assert!(al.alignment.iter().all(|c| c.status == Status::Same));
        assert_eq!(al.scores.text, 1.0);
        assert!(Side::of(&fa, 1).is_err());
    }

    #[test]
    fn long_paragraph_lists_drop_boilerplate_but_stay_exact() {
        // 300 paragraphs sharing one phrase (more than MAX_POSTING units), each with its own number.
        let mut a = String::new();
        for k in 0..300 {
            a.push_str(&format!(
                "要坚持稳中求进工作总基调，第{k}号任务按期完成，确保第{k}项指标达标。\n"
            ));
        }
        let b = a.replace("第7号任务按期完成", "第7号任务延期完成");
        let (fa, fb) = (file(&a), file(&b));
        assert!(fa.outlines[0].sections.is_empty());
        let al = align(
            Side::of(&fa, 0).unwrap(),
            Side::of(&fb, 0).unwrap(),
            &CompareOptions::default(),
        );
        assert_eq!(al.unit, Unit::Paragraph);
        assert_eq!(al.alignment.len(), 300);
        for (k, c) in al.alignment.iter().enumerate() {
            assert_eq!(c.b.as_ref().unwrap().path, vec![k]);
            let want = if k == 7 {
                Status::Rewritten
            } else {
                Status::Same
            };
            assert_eq!(c.status, want, "{k}: {:?}", c.body_similarity);
        }
    }
}
