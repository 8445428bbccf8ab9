//! Tree building: markers found in a document's paragraphs → events → a section tree.
//!
//! Works in three passes, all linear in the document length:
//! 1. scan every paragraph for numbered markers (paragraph start; mid-line too in flattened copies),
//!    dash points and enumeration markers;
//! 2. find lead sentences per container (the innermost numbered section), as groups of parallel
//!    short first sentences;
//! 3. run the events in text order through a stack that knows the nesting rules, then drop
//!    enumeration "sequences" of a single item (a lone `第一，` is a word, not a list).

use super::marker::{self, Family, LAST, Marker};
use super::{Section, SectionKind};
use crate::document::Document;
use crate::segment::{Segments, is_closing, is_sentence_end};
use crate::text::{Span, Text};

#[derive(Clone, Debug)]
struct Event {
    pos: usize,
    marker: Marker,
    at_para_start: bool,
    /// Index of the paragraph the marker stands in.
    para: usize,
    heading: Span,
}

fn rank(kind: SectionKind) -> u8 {
    match kind {
        SectionKind::Part => 1,
        SectionKind::Subpart => 2,
        SectionKind::Numbered => 3,
        SectionKind::Item => 4,
        _ => 0,
    }
}

/// Punctuation stripped from the end of a heading (closing quotes and brackets stay).
fn is_trailing_punct(c: char) -> bool {
    matches!(
        c,
        '。' | '，' | '、' | '；' | '：' | '！' | '？' | ',' | '.' | ';' | ':' | '!' | '?' | '．'
    ) || c.is_whitespace()
}

/// The heading that follows a marker ending at `start`: up to the end of the sentence, or the paragraph.
fn heading_from(chars: &[char], start: usize, end: usize) -> Span {
    let mut a = start;
    while a < end
        && (chars[a].is_whitespace() || matches!(chars[a], '，' | '：' | ',' | ':' | '、'))
    {
        a += 1;
    }
    let mut b = a;
    while b < end && !is_sentence_end(chars[b]) {
        b += 1;
    }
    while b > a && is_trailing_punct(chars[b - 1]) {
        b -= 1;
    }
    Span::new(a, b)
}

/// A first sentence that could be a lead heading: its span (without end punctuation), if short enough.
fn lead_sentence(chars: &[char], para: Span) -> Option<Span> {
    let mut b = para.start;
    while b < para.end && !is_sentence_end(chars[b]) {
        if matches!(chars[b], '：' | ':') {
            return None;
        }
        b += 1;
    }
    if b >= para.end || !matches!(chars[b], '。' | '！') {
        return None;
    }
    let len = b - para.start;
    (4..=30).contains(&len).then_some(Span::new(para.start, b))
}

const SALUTATION_WORDS: &[&str] = &[
    "同志们",
    "各位代表",
    "同事们",
    "同胞们",
    "朋友们",
    "各位委员",
];

/// What pass 3 produces for a document.
pub(super) struct Built {
    pub preamble: Option<Span>,
    pub closing: Option<Span>,
    pub sections: Vec<Section>,
}

pub(super) fn build(text: &Text, segments: &Segments, doc: &Document) -> Built {
    let chars: Vec<char> = text.slice(doc.body).chars().collect();
    let base = doc.body.start;
    // Paragraphs of the body, clipped to it and made relative to `base`.
    let paras: Vec<Span> = segments
        .paragraphs
        .iter()
        .filter(|p| p.span.overlaps(&doc.body))
        .map(|p| {
            Span::new(
                p.span.start.max(doc.body.start) - base,
                p.span.end.min(doc.body.end) - base,
            )
        })
        .filter(|s| !s.is_empty())
        .collect();
    if paras.is_empty() {
        return Built {
            preamble: None,
            closing: None,
            sections: Vec::new(),
        };
    }
    let body_end = chars.len();
    // Closing: a final run of at most three paragraphs opened by a salutation (`同志们，…`).
    let closing_para = (paras.len().saturating_sub(3)..paras.len()).find(|&k| {
        let p = paras[k];
        let s: String = chars[p.start..p.end.min(p.start + 6)].iter().collect();
        k > 0
            && SALUTATION_WORDS.iter().any(|w| {
                s.starts_with(w)
                    && matches!(
                        s.chars().nth(w.chars().count()),
                        Some('，' | '！' | ',' | '!')
                    )
            })
    });
    let scan_paras = &paras[..closing_para.unwrap_or(paras.len())];
    let end = scan_paras.last().map_or(body_end, |p| p.end);
    let total: usize = paras.iter().map(|p| p.len()).sum();
    let flattened = paras.len() <= 5 || total / paras.len() >= 2500;

    let mut events: Vec<Event> = Vec::new();
    let mut carriers = vec![false; scan_paras.len()];
    for (pi, &p) in scan_paras.iter().enumerate() {
        let next = scan_paras.get(pi + 1).copied();
        let push = |events: &mut Vec<Event>,
                    carriers: &mut Vec<bool>,
                    pos: usize,
                    m: Marker,
                    at_start: bool| {
            let mut heading = heading_from(&chars, pos + m.len, p.end);
            if heading.is_empty() && at_start && pos + m.len >= p.end {
                // The marker stands alone on its line; the heading is the next paragraph's first sentence.
                if let Some(n) = next {
                    heading = heading_from(&chars, n.start, n.end);
                    carriers[pi + 1] = true;
                }
            }
            events.push(Event {
                pos,
                marker: m,
                at_para_start: at_start,
                para: pi,
                heading,
            });
        };
        let mut skip_to = p.start;
        if let Some(m) = marker::numbered_at(&chars, p.start) {
            skip_to = p.start + m.len;
            push(&mut events, &mut carriers, p.start, m, true);
        } else if chars[p.start] == '—' && chars.get(p.start + 1) == Some(&'—') {
            let mut n = p.start;
            while n < p.end && chars[n] == '—' {
                n += 1;
            }
            let m = Marker {
                text: chars[p.start..n].iter().collect(),
                len: n - p.start,
                kind: SectionKind::Dash,
                ordinal: 0,
                family: Family::Dash,
            };
            skip_to = n;
            push(&mut events, &mut carriers, p.start, m, true);
        }
        for i in skip_to..p.end {
            let prev = if i == p.start {
                None
            } else {
                Some(chars[i - 1])
            };
            if !marker::may_follow(prev) {
                continue;
            }
            if let Some(m) = marker::enumeration_at(&chars, i) {
                push(&mut events, &mut carriers, i, m, i == p.start);
            } else if flattened
                && i > p.start
                && (is_sentence_end(chars[i - 1]) || is_closing(chars[i - 1]))
            {
                if let Some(m) = marker::numbered_at(&chars, i)
                    .filter(|m| matches!(m.kind, SectionKind::Part | SectionKind::Subpart))
                {
                    push(&mut events, &mut carriers, i, m, false);
                }
            }
        }
    }
    find_leads(&chars, scan_paras, &carriers, &mut events);
    events.sort_by_key(|e| (e.pos, rank(e.marker.kind) == 0));

    let mut tree = Tree::default();
    for e in events {
        tree.add(e);
    }
    tree.close_all(end, &chars);
    tree.drop_singletons();
    let sections = tree.into_sections(&chars, base);
    let closing =
        closing_para.map(|k| Span::new(paras[k].start + base, paras[paras.len() - 1].end + base));
    let first = sections.first().map_or(end + base, |s| s.span.start);
    let preamble = (first > paras[0].start + base).then(|| {
        let mut e = first - base;
        while e > paras[0].start && chars[e - 1].is_whitespace() {
            e -= 1;
        }
        Span::new(paras[0].start + base, e + base)
    });
    Built {
        preamble,
        closing,
        sections,
    }
}

/// Pass 2: lead sentences, per container, accepted when at least three are parallel.
fn find_leads(chars: &[char], paras: &[Span], carriers: &[bool], events: &mut Vec<Event>) {
    let numbered: Vec<usize> = events
        .iter()
        .filter(|e| rank(e.marker.kind) > 0)
        .map(|e| e.pos)
        .collect();
    let starts: std::collections::HashSet<usize> = events
        .iter()
        .filter(|e| e.at_para_start)
        .map(|e| e.pos)
        .collect();
    let mut groups: std::collections::BTreeMap<usize, Vec<(usize, Span)>> = Default::default();
    for (pi, &p) in paras.iter().enumerate() {
        if starts.contains(&p.start) || carriers[pi] {
            continue;
        }
        let Some(sentence) = lead_sentence(chars, p) else {
            continue;
        };
        let has_body = p.end > sentence.end + 1
            || paras
                .get(pi + 1)
                .is_some_and(|n| !starts.contains(&n.start));
        if !has_body {
            continue;
        }
        let container = numbered.partition_point(|&pos| pos < p.start);
        groups.entry(container).or_default().push((pi, sentence));
    }
    for (_, cands) in groups {
        if cands.len() < 3 {
            continue;
        }
        // Keep the largest set whose lengths stay within a factor of 1.7 of each other.
        let mut lens: Vec<usize> = cands.iter().map(|(_, s)| s.len()).collect();
        lens.sort_unstable();
        let (mut best, mut best_lo) = (0, 0);
        for lo in 0..lens.len() {
            let hi = lens.partition_point(|&l| l * 10 <= lens[lo] * 17);
            if hi - lo > best {
                best = hi - lo;
                best_lo = lens[lo];
            }
        }
        if best < 3 {
            continue;
        }
        for (pi, s) in cands {
            if s.len() >= best_lo && s.len() * 10 <= best_lo * 17 {
                let m = Marker {
                    text: String::new(),
                    len: 0,
                    kind: SectionKind::Lead,
                    ordinal: 0,
                    family: Family::Lead,
                };
                events.push(Event {
                    pos: s.start,
                    marker: m,
                    at_para_start: true,
                    para: pi,
                    heading: s,
                });
            }
        }
    }
}

struct Node {
    event: Option<Event>,
    children: Vec<usize>,
    end: usize,
    seq: usize,
}

struct Tree {
    nodes: Vec<Node>,
    stack: Vec<usize>,
    next_seq: usize,
}

impl Default for Tree {
    fn default() -> Self {
        Tree {
            nodes: vec![Node {
                event: None,
                children: Vec::new(),
                end: 0,
                seq: 0,
            }],
            stack: vec![0],
            next_seq: 1,
        }
    }
}

impl Tree {
    fn ev(&self, n: usize) -> Option<&Event> {
        self.nodes[n].event.as_ref()
    }
    fn kind(&self, n: usize) -> Option<SectionKind> {
        self.ev(n).map(|e| e.marker.kind)
    }
    fn is_item(&self, n: usize) -> bool {
        matches!(
            self.kind(n),
            Some(SectionKind::Enumeration | SectionKind::Dash)
        )
    }

    /// Closes the stack above index `k` (exclusive) at `pos`.
    fn truncate(&mut self, k: usize, pos: usize) {
        for &n in &self.stack[k..] {
            self.nodes[n].end = pos;
        }
        self.stack.truncate(k);
    }

    fn push(&mut self, e: Event, seq: usize) {
        let parent = *self.stack.last().unwrap();
        let id = self.nodes.len();
        self.nodes.push(Node {
            event: Some(e),
            children: Vec::new(),
            end: 0,
            seq,
        });
        self.nodes[parent].children.push(id);
        self.stack.push(id);
    }

    fn new_seq(&mut self) -> usize {
        self.next_seq += 1;
        self.next_seq
    }

    fn add(&mut self, e: Event) {
        let kind = e.marker.kind;
        let r = rank(kind);
        if r > 0 {
            // Pop to the innermost numbered section of a higher level (or the root).
            let k = self
                .stack
                .iter()
                .rposition(|&n| {
                    n == 0 || (rank(self.kind(n).unwrap()) > 0 && rank(self.kind(n).unwrap()) < r)
                })
                .unwrap_or(0);
            let parent = self.stack[k];
            let last_same = self.nodes[parent]
                .children
                .iter()
                .rev()
                .filter_map(|&c| self.ev(c))
                .find(|c| c.marker.kind == kind);
            let ok = match last_same {
                Some(prev) => e.marker.ordinal == prev.marker.ordinal + 1,
                None => e.marker.ordinal == 1,
            };
            if !ok {
                return;
            }
            self.truncate(k + 1, e.pos);
            let seq = self.new_seq();
            self.push(e, seq);
            return;
        }
        match kind {
            SectionKind::Dash | SectionKind::Lead => {
                let parent_k = self
                    .stack
                    .iter()
                    .rposition(|&n| !self.is_item(n) && self.kind(n) != Some(SectionKind::Lead))
                    .unwrap_or(0);
                let parent = self.stack[parent_k];
                let seq = match self.nodes[parent].children.last() {
                    Some(&c) if self.kind(c) == Some(kind) => self.nodes[c].seq,
                    _ => self.new_seq(),
                };
                self.truncate(parent_k + 1, e.pos);
                self.push(e, seq);
            }
            _ => self.add_enumeration(e),
        }
    }

    fn add_enumeration(&mut self, e: Event) {
        let (ord, fam) = (e.marker.ordinal, e.marker.family);
        if ord == 1 {
            // A new sequence nests in an open item of the same paragraph (`三要…。一是…`); items opened in
            // earlier paragraphs end here, and the new sequence becomes their sibling.
            let k = self
                .stack
                .iter()
                .rposition(|&n| !self.is_item(n) || self.ev(n).unwrap().para == e.para)
                .unwrap_or(0);
            self.truncate(k + 1, e.pos);
            let seq = self.new_seq();
            self.push(e, seq);
            return;
        }
        // Continue an open sequence: same family first, then 是/要 interchangeably.
        let open: Vec<usize> = (0..self.stack.len())
            .rev()
            .take_while(|&k| self.kind(self.stack[k]) == Some(SectionKind::Enumeration))
            .collect();
        let fits = |prev: &Event, loose: bool| {
            let same = prev.marker.family == fam;
            let shi_yao = matches!(fam, Family::Shi | Family::Yao)
                && matches!(prev.marker.family, Family::Shi | Family::Yao);
            (same || (loose && shi_yao))
                && (prev.marker.ordinal + 1 == ord || (ord == LAST && prev.marker.ordinal != LAST))
        };
        let found = open
            .iter()
            .copied()
            .find(|&k| fits(self.ev(self.stack[k]).unwrap(), false))
            .or_else(|| {
                open.iter()
                    .copied()
                    .find(|&k| fits(self.ev(self.stack[k]).unwrap(), true))
            });
        if let Some(k) = found {
            let seq = self.nodes[self.stack[k]].seq;
            self.truncate(k, e.pos);
            self.push(e, seq);
        }
    }

    fn close_all(&mut self, end: usize, _chars: &[char]) {
        self.truncate(1, end);
    }

    /// Enumeration or dash sequences of one item are not lists: splice their children into the parent.
    fn drop_singletons(&mut self) {
        let mut sizes: std::collections::HashMap<usize, usize> = Default::default();
        for n in &self.nodes[1..] {
            *sizes.entry(n.seq).or_default() += 1;
        }
        let lone = |t: &Tree, c: usize| t.is_item(c) && sizes[&t.nodes[c].seq] < 2;
        let mut order = vec![0usize];
        while let Some(n) = order.pop() {
            let mut out = Vec::new();
            let mut queue: std::collections::VecDeque<usize> =
                self.nodes[n].children.drain(..).collect();
            while let Some(c) = queue.pop_front() {
                if lone(self, c) {
                    let kids: Vec<usize> = self.nodes[c].children.drain(..).collect();
                    for k in kids.into_iter().rev() {
                        queue.push_front(k);
                    }
                } else {
                    out.push(c);
                }
            }
            order.extend(out.iter().copied());
            self.nodes[n].children = out;
        }
    }

    fn into_sections(&self, chars: &[char], base: usize) -> Vec<Section> {
        fn make(t: &Tree, n: usize, level: usize, chars: &[char], base: usize) -> Section {
            let e = t.ev(n).unwrap();
            let mut end = t.nodes[n].end.max(e.heading.end);
            while end > e.pos && chars[end - 1].is_whitespace() {
                end -= 1;
            }
            Section {
                marker: e.marker.text.clone(),
                kind: e.marker.kind,
                level,
                heading: chars[e.heading.start..e.heading.end].iter().collect(),
                heading_span: Span::new(e.heading.start + base, e.heading.end + base),
                span: Span::new(e.pos + base, end + base),
                children: t.nodes[n]
                    .children
                    .iter()
                    .map(|&c| make(t, c, level + 1, chars, base))
                    .collect(),
            }
        }
        self.nodes[0]
            .children
            .iter()
            .map(|&c| make(self, c, 1, chars, base))
            .collect()
    }
}
