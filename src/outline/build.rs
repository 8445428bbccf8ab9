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
    /// For a lead sentence inside a paragraph-opening enumeration item: that item's position.
    within: Option<usize>,
    /// The marker and its heading fill their paragraph (a heading line, as printed).
    own_line: bool,
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
    // A heading opens with a word, not with the tail of a broken line (`）浓度继续下降`) or a number.
    let first = chars[para.start];
    if !(('\u{4E00}'..='\u{9FFF}').contains(&first) || matches!(first, '“' | '《' | '"')) {
        return None;
    }
    let head: String = chars[para.start..para.end.min(para.start + 4)]
        .iter()
        .collect();
    if SALUTATION_WORDS
        .iter()
        .chain(NARRATIVE_OPENERS)
        .any(|w| head.starts_with(w))
    {
        return None;
    }
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
    // `X是Y` defines or judges (`改革开放是推动发展的制胜法宝`): an introduction, not a heading.
    if chars[para.start..b].contains(&'是') {
        return None;
    }
    let digits = chars[para.start..b]
        .iter()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(c) || *c == '％' || *c == '%');
    ((4..=30).contains(&len) && !digits).then_some(Span::new(para.start, b))
}

/// Openings of narrative sentences, which a heading does not start with (time frames, connectives,
/// pronouns, reported speech).
const NARRATIVE_OPENERS: &[&str] = &[
    "过去",
    "今年",
    "去年",
    "明年",
    "回顾",
    "近年",
    "一年来",
    "五年来",
    "几年来",
    "多年来",
    "当前",
    "目前",
    "同时",
    "此外",
    "另外",
    "我们",
    "我国",
    "这",
    "那",
    "但",
    "总之",
    "总的",
    "根据",
    "为了",
    "随着",
    "由于",
    "因此",
    "所以",
    "如果",
    "只有",
    "今后",
    "下半年",
    "上半年",
    "刚才",
    "会上",
    "可以说",
    "实践证明",
    "事实证明",
    "应当看到",
    "必须看到",
];

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
            let own_line = at_start && heading.end + 1 >= p.end;
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
                within: None,
                own_line,
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
                && let Some(m) = marker::numbered_at(&chars, i)
                    .filter(|m| matches!(m.kind, SectionKind::Part | SectionKind::Subpart))
            {
                push(&mut events, &mut carriers, i, m, false);
            }
        }
    }
    find_leads(&chars, scan_paras, &carriers, &mut events);
    events.sort_by_key(|e| (e.pos, rank(e.marker.kind) == 0));

    let mut tree = Tree::default();
    for e in events {
        tree.add(e);
    }
    tree.truncate(1, end); // close every open section at the end of the body
    tree.drop_singletons();
    let sections = tree.to_sections(&chars, base);
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
    // Enumeration items that open a paragraph (`第一，…` as in older reports) are containers too, but only
    // where such an item precedes every candidate of its numbered container; where lead sentences come
    // first, the enumerations nest in the leads instead (`继续实施积极的财政政策。` → `一是…`).
    let enum_starts: Vec<usize> = events
        .iter()
        .filter(|e| e.at_para_start && e.marker.kind == SectionKind::Enumeration)
        .map(|e| e.pos)
        .collect();
    let mut cands: Vec<(usize, usize, Span)> = Vec::new();
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
        if has_body {
            cands.push((numbered.partition_point(|&pos| pos < p.start), pi, sentence));
        }
    }
    // (numbered container, enclosing enumeration item) → candidate (paragraph, sentence)s
    type Groups = std::collections::BTreeMap<(usize, Option<usize>), Vec<(usize, Span)>>;
    let mut groups: Groups = Default::default();
    // Candidates come in text order, so the first one seen per container is its first.
    let mut first_cand: std::collections::HashMap<usize, usize> = Default::default();
    for c in &cands {
        first_cand.entry(c.0).or_insert(c.2.start);
    }
    for &(container, pi, sentence) in &cands {
        let lo = if container == 0 {
            0
        } else {
            numbered[container - 1]
        };
        // enum_starts is sorted: the last one before the sentence, and the first one after `lo`.
        let before = enum_starts.partition_point(|&e| e < sentence.start);
        let item = before
            .checked_sub(1)
            .map(|i| enum_starts[i])
            .filter(|&e| e > lo);
        let first_enum = enum_starts
            .get(enum_starts.partition_point(|&e| e <= lo))
            .copied();
        let sub = item.filter(|_| first_enum.is_some_and(|f| f < first_cand[&container]));
        groups
            .entry((container, sub))
            .or_default()
            .push((pi, sentence));
    }
    for ((_, sub), cands) in groups {
        if cands.len() < 2 {
            continue;
        }
        // Parallel means similar length and the same shape: keep the candidates near the median length,
        // then those that agree with the majority on having a comma (`学用新思想，拉高新标杆`).
        let mut lens: Vec<usize> = cands.iter().map(|(_, s)| s.len()).collect();
        lens.sort_unstable();
        let median = lens[lens.len() / 2];
        let near = |l: usize| l * 2 >= median && l * 2 <= (median * 3).max((median + 6) * 2);
        let kept: Vec<(usize, Span, bool)> = cands
            .iter()
            .filter(|(_, s)| near(s.len()))
            .map(|&(pi, s)| {
                (
                    pi,
                    s,
                    chars[s.start..s.end]
                        .iter()
                        .any(|&c| matches!(c, '，' | ',' | '、')),
                )
            })
            .collect();
        let commas = kept.iter().filter(|k| k.2).count();
        let shape = match (commas * 2).cmp(&kept.len()) {
            std::cmp::Ordering::Greater => Some(true),
            std::cmp::Ordering::Less => Some(false),
            std::cmp::Ordering::Equal => None,
        };
        let members: Vec<_> = kept
            .into_iter()
            .filter(|k| shape.is_none_or(|c| c == k.2))
            .collect();
        // Two are enough when both stand alone on their line, the way printed headings do.
        let standalone = |pi: usize, s: Span| paras[pi].end <= s.end + 1;
        if members.len() < 2
            || (members.len() == 2 && !members.iter().all(|m| standalone(m.0, m.1)))
        {
            continue;
        }
        for (pi, s, _) in members {
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
                within: sub,
                own_line: false,
            });
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
    /// Sequences of numbered headings nested inside a section of the same kind (dropped when alone).
    nested: std::collections::HashSet<usize>,
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
            nested: Default::default(),
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
            self.add_numbered(e);
            return;
        }
        match kind {
            SectionKind::Lead if e.within.is_some() => {
                let Some(k) = self
                    .stack
                    .iter()
                    .rposition(|&n| self.ev(n).is_some_and(|p| Some(p.pos) == e.within))
                else {
                    return;
                };
                let seq = self.new_seq();
                self.truncate(k + 1, e.pos);
                self.push(e, seq);
            }
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

    /// A GB/T 9704 numbered heading. Numbering must continue an open sequence of the same kind (found
    /// innermost first, so a nested list `一、…五、` inside part `二、` is told from the next part `三、`);
    /// a heading line of its own may skip one number (sources that lost a heading, e.g. a `（三）` missing
    /// from a web copy). Ordinal one starts a sequence: at its GB/T level, or nested in the open section when
    /// a sequence of the same kind is already open (older reports number lists inside parts with `一、`).
    fn add_numbered(&mut self, e: Event) {
        let (kind, ord) = (e.marker.kind, e.marker.ordinal);
        let skip = u32::from(e.own_line);
        let continues = (1..self.stack.len()).rev().find(|&k| {
            self.ev(self.stack[k]).is_some_and(|p| {
                p.marker.kind == kind
                    && (p.marker.ordinal + 1..=p.marker.ordinal + 1 + skip).contains(&ord)
            })
        });
        if let Some(k) = continues {
            let seq = self.nodes[self.stack[k]].seq;
            self.truncate(k, e.pos);
            self.push(e, seq);
            return;
        }
        if ord != 1 {
            return;
        }
        let open_same = self.stack.iter().any(|&n| self.kind(n) == Some(kind));
        let k = if open_same {
            // Nested list: inside the innermost open numbered section.
            self.stack
                .iter()
                .rposition(|&n| n == 0 || rank(self.kind(n).unwrap_or(SectionKind::Lead)) > 0)
                .unwrap_or(0)
        } else {
            // Pop to the innermost numbered section of a higher level (or the root).
            let r = rank(kind);
            self.stack
                .iter()
                .rposition(|&n| n == 0 || self.kind(n).is_some_and(|k| rank(k) > 0 && rank(k) < r))
                .unwrap_or(0)
        };
        let seq = self.new_seq();
        if open_same {
            self.nested.insert(seq);
        }
        self.truncate(k + 1, e.pos);
        self.push(e, seq);
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
            .take_while(|&k| {
                matches!(
                    self.kind(self.stack[k]),
                    Some(SectionKind::Enumeration | SectionKind::Lead)
                )
            })
            .filter(|&k| self.kind(self.stack[k]) == Some(SectionKind::Enumeration))
            .collect();
        let fits = |prev: &Event, loose: bool| {
            let same = prev.marker.family == fam;
            let shi_yao = matches!(fam, Family::Shi | Family::Yao)
                && matches!(prev.marker.family, Family::Shi | Family::Yao);
            (same || (loose && shi_yao))
                && (prev.marker.ordinal.checked_add(1) == Some(ord)
                    || (ord == LAST && prev.marker.ordinal != LAST))
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

    /// Enumeration or dash sequences of one item are not lists: splice their children into the parent.
    fn drop_singletons(&mut self) {
        let mut sizes: std::collections::HashMap<usize, usize> = Default::default();
        for n in &self.nodes[1..] {
            *sizes.entry(n.seq).or_default() += 1;
        }
        let lone = |t: &Tree, c: usize| {
            (t.is_item(c) || t.nested.contains(&t.nodes[c].seq)) && sizes[&t.nodes[c].seq] < 2
        };
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

    fn to_sections(&self, chars: &[char], base: usize) -> Vec<Section> {
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
