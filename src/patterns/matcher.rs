//! Matching: paragraphs → views → units → hits; overlap resolution between structural families.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use super::rx::Rx;
use super::structure::{TagCache, structure_hits};
use super::{Family, Lexicon, PatternHit, PatternKind, PatternSet, Series, Share, Unit};
use crate::SpeechFile;
use crate::outline::{Outline, Section, SectionKind};
use crate::segment::{is_clause_end, is_sentence_end};
use crate::text::view::ViewOptions;
use crate::text::view::{is_punctuation, is_view_bracket};
use crate::text::{OverlapIndex, Span, Text, View};

/// One candidate member: a unit's member text with the original span of each char.
#[derive(Clone)]
pub(super) struct Cand {
    pub(super) chars: Vec<char>,
    pub(super) text: String,
    pub(super) origins: Vec<Span>,
    /// View index where the raw unit starts (for anchored regexes); unused for headings.
    pub(super) raw_start: usize,
    /// Whether an end char closes the unit (a title or heading line has none).
    pub(super) closed: bool,
    /// Where jieba words start in `text`, cut on first use: every pattern that trims a unit at a word
    /// boundary asks for them, and cutting is the costliest step of matching.
    starts: OnceCell<Vec<usize>>,
}

impl Cand {
    pub(super) fn new(
        chars: Vec<char>,
        origins: Vec<Span>,
        raw_start: usize,
        closed: bool,
    ) -> Cand {
        Cand {
            text: chars.iter().collect(),
            chars,
            origins,
            raw_start,
            closed,
            starts: OnceCell::new(),
        }
    }

    /// Char offsets where jieba words start in the unit.
    pub(super) fn word_starts(&self) -> &[usize] {
        self.starts
            .get_or_init(|| super::structure::word_starts(&self.text))
    }
}

/// Units of one paragraph (or one run of sibling headings).
pub(super) struct Units {
    pub(super) cands: Vec<Cand>,
    /// Text between member `i` and `i + 1`; `None` = always joinable (sibling headings).
    pub(super) gaps: Vec<Option<String>>,
}

/// A paragraph's view with its string form.
struct Para {
    view: View,
    string: String,
    /// Byte offset of each view char in `string`, plus the end.
    starts: Vec<usize>,
}

impl Para {
    fn new(text: &Text, span: Span) -> Para {
        let view = View::with_options(
            text,
            span,
            ViewOptions {
                drop_whitespace: true,
                drop_punctuation: false,
            },
        );
        let string = view.as_string();
        let mut starts: Vec<usize> = string.char_indices().map(|(b, _)| b).collect();
        starts.push(string.len());
        Para {
            view,
            string,
            starts,
        }
    }
    fn idx_of_byte(&self, b: usize) -> usize {
        self.starts.partition_point(|&s| s < b)
    }
}

/// Bracket role of a view char, judged on the original char (the view folds `“”` into `"`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bracket {
    Open,
    Close,
    Either,
    No,
}

fn bracket_of(c: char) -> Bracket {
    match c {
        '“' | '‘' | '（' | '(' | '《' | '〈' | '【' | '「' | '『' | '〔' | '[' => {
            Bracket::Open
        }
        '”' | '’' | '）' | ')' | '》' | '〉' | '】' | '」' | '』' | '〕' | ']' => {
            Bracket::Close
        }
        '"' | '\'' | '＂' => Bracket::Either,
        _ => Bracket::No,
    }
}

/// Bracket role of each view char of a paragraph.
fn roles(text: &Text, para: &Para) -> Vec<Bracket> {
    let v = para.view.chars();
    (0..para.view.len())
        .map(|i| {
            // Only chars that fold to a quote or bracket need a look at the original.
            if !is_view_bracket(v[i]) {
                return Bracket::No;
            }
            let o = para.view.origin(i);
            match text.char_at(o.start) {
                Some(c) if o.len() == 1 => bracket_of(c),
                _ => Bracket::No,
            }
        })
        .collect()
}

/// Splits a paragraph view into units at `is_end` chars and computes each unit's member text.
fn units_of(text: &Text, para: &Para, is_end: fn(char) -> bool) -> Units {
    let v = para.view.chars();
    let role = roles(text, para);
    let mut cores: Vec<(usize, usize, usize, bool)> = Vec::new();
    let mut a = 0;
    let mut i = 0;
    while i <= v.len() {
        if i == v.len() || is_end(v[i]) {
            if let Some((s, e)) = core_of(v, &role, a, i) {
                cores.push((a, s + ordinal_len(&v[s..e]), e, i < v.len()));
            }
            while i < v.len() && is_end(v[i]) {
                i += 1;
            }
            a = i;
            if i == v.len() {
                break;
            }
            continue;
        }
        i += 1;
    }
    let mut units = Units {
        cands: Vec::with_capacity(cores.len()),
        gaps: Vec::with_capacity(cores.len()),
    };
    for (k, &(raw, s, e, closed)) in cores.iter().enumerate() {
        units.cands.push(Cand::new(
            v[s..e].to_vec(),
            (s..e).map(|j| para.view.origin(j)).collect(),
            raw,
            closed,
        ));
        if let Some(&(_, next, _, _)) = cores.get(k + 1) {
            units.gaps.push(Some(v[e..next].iter().collect()));
        }
    }
    units
}

/// Length of an ordinal marker opening a unit (`一要`, `二是`, `第三，`, `首先`): a member never
/// includes it. 0 when there is none or when too little would be left.
fn ordinal_len(v: &[char]) -> usize {
    const NUM: &str = "一二三四五六七八九十";
    let n = if v.len() >= 2 && NUM.contains(v[0]) && matches!(v[1], '是' | '要') {
        2
    } else if v.len() >= 3
        && NUM.contains(v[0])
        && NUM.contains(v[1])
        && matches!(v[2], '是' | '要')
    {
        3
    } else if v.len() >= 2 && v[0] == '第' && NUM.contains(v[1]) {
        let mut k = 2;
        while k < v.len() && NUM.contains(v[k]) {
            k += 1;
        }
        if k < v.len() && matches!(v[k], ',' | '、') {
            k + 1
        } else {
            0
        }
    } else {
        let s: String = v.iter().take(2).collect();
        if matches!(
            s.as_str(),
            "首先" | "其次" | "再次" | "其一" | "其二" | "其三"
        ) {
            2
        } else {
            0
        }
    };
    if v.len() >= n + 2 { n } else { 0 }
}

/// The member text `[s, e)` of the raw unit `[a, b)`, or `None` if nothing is left.
fn core_of(v: &[char], role: &[Bracket], a: usize, b: usize) -> Option<(usize, usize)> {
    // Pair brackets inside the unit; unmatched ones open or close outside it.
    let mut stack: Vec<usize> = Vec::new();
    let mut partner: Vec<Option<usize>> = vec![None; b - a];
    let mut first_close: Option<usize> = None;
    for k in a..b {
        let r = role[k];
        let closes = r == Bracket::Close
            || (r == Bracket::Either && stack.last().is_some_and(|&t| v[t] == v[k]));
        if closes {
            if let Some(t) = stack.pop() {
                partner[t - a] = Some(k);
                partner[k - a] = Some(t);
            } else if first_close.is_none() {
                first_close = Some(k);
            }
        } else if r == Bracket::Open || r == Bracket::Either {
            stack.push(k);
        }
    }
    let mut s = stack.last().map_or(a, |&o| o + 1);
    let mut e = match first_close {
        Some(c) if c >= s => c,
        _ => b,
    };
    if first_close.is_some_and(|c| c < s) {
        // `A”B“C`: keep the part after the last unmatched opener.
        e = b;
    }
    let inside = |k: usize, s: usize, e: usize| partner[k - a].is_some_and(|p| p >= s && p < e);
    loop {
        let before = (s, e);
        while s < e && (v[s].is_whitespace() || (is_punctuation(v[s]) && !inside(s, s, e))) {
            s += 1;
        }
        while e > s
            && (v[e - 1].is_whitespace() || (is_punctuation(v[e - 1]) && !inside(e - 1, s, e)))
        {
            e -= 1;
        }
        // Strip a bracket pair wrapping the whole member: `“两个确立”` → `两个确立`.
        if e > s + 1 && partner[s - a] == Some(e - 1) {
            s += 1;
            e -= 1;
        }
        if (s, e) == before {
            break;
        }
    }
    (s < e).then_some((s, e))
}

pub(super) fn cover(origins: &[Span]) -> Span {
    match (origins.first(), origins.last()) {
        (Some(a), Some(b)) => Span::new(a.start, b.end),
        _ => Span::default(),
    }
}

/// A member taken from a candidate.
#[derive(Clone)]
struct Member<'a> {
    chars: &'a [char],
    span: Span,
    groups: Vec<(String, String)>,
}

/// Whole-unit members of one rule, computed once per unit.
struct Memo<'a> {
    series: &'a Series,
    units: &'a Units,
    cache: Vec<Option<Option<Member<'a>>>>,
}

impl<'a> Memo<'a> {
    fn new(series: &'a Series, units: &'a Units) -> Memo<'a> {
        Memo {
            series,
            units,
            cache: vec![None; units.cands.len()],
        }
    }
    fn get(&mut self, i: usize) -> Option<Member<'a>> {
        let (series, units) = (self.series, self.units);
        self.cache[i]
            .get_or_insert_with(|| {
                member_in(series, &units.cands[i], 0, units.cands[i].chars.len())
            })
            .clone()
    }
}

/// The member taken from chars `[from, to)` of a candidate.
fn member_in<'a>(series: &Series, cand: &'a Cand, from: usize, to: usize) -> Option<Member<'a>> {
    if to - from < series.member_len.0 || (series.member_whole && to - from > series.member_len.1) {
        return None;
    }
    let (s, e, groups) = match &series.member {
        Some(rx) => {
            let owned: String;
            let part = if from == 0 && to == cand.chars.len() {
                cand.text.as_str()
            } else {
                owned = cand.chars[from..to].iter().collect();
                owned.as_str()
            };
            let (groups, a, b) = if rx.names().is_empty() {
                let (a, b) = rx.find_from(part, 0)?;
                (Vec::new(), a, b)
            } else {
                let caps = rx.captures_from(part, 0)?;
                let m = caps.get(0)?;
                let groups = rx
                    .names()
                    .iter()
                    .filter_map(|n| caps.name(n).map(|g| (n.clone(), g.as_str().to_string())))
                    .collect();
                (groups, m.start(), m.end())
            };
            let s = part[..a].chars().count();
            let e = s + part[a..b].chars().count();
            (from + s, from + e, groups)
        }
        None => (from, to, Vec::new()),
    };
    let len = e - s;
    if len < series.member_len.0 || len > series.member_len.1 || len == 0 {
        return None;
    }
    if !series.stop.is_empty() {
        let text: String = cand.chars[s..e].iter().collect();
        if series.stop.iter().any(|w| text.starts_with(w.as_str())) {
            return None;
        }
    }
    Some(Member {
        chars: &cand.chars[s..e],
        span: cover(&cand.origins[s..e]),
        groups,
    })
}

/// Lengths to try when trimming a list's lead-in (`做到真抓真管`) or run-out (`制度保障的物业管理新格局`)
/// to the length of its neighbour member.
fn trim_lengths(neighbour: usize, available: usize) -> impl Iterator<Item = usize> {
    [neighbour, neighbour + 1, neighbour.saturating_sub(1)]
        .into_iter()
        .filter(move |&l| l > 0 && l < available)
}

/// The member length a rule fixes (`member_len = [4, 4]`), if any.
fn fixed_len(series: &Series) -> Option<usize> {
    (series.member_len.0 == series.member_len.1).then_some(series.member_len.0)
}

/// State of a growing run of members.
struct Run<'a> {
    members: Vec<Member<'a>>,
    min_len: usize,
    max_len: usize,
    prefix: usize,
    suffix: usize,
    frame: Vec<Option<char>>,
    links: Vec<String>,
}

fn common_prefix(a: &[char], b: &[char]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}
fn common_suffix(a: &[char], b: &[char]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

fn group<'a>(m: &'a Member, name: &str) -> Option<&'a str> {
    m.groups
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

impl<'a> Run<'a> {
    fn start(series: &Series, m: Member<'a>) -> Run<'a> {
        let n = m.chars.len();
        Run {
            frame: if series.share == Share::Frame {
                m.chars.iter().map(|&c| Some(c)).collect()
            } else {
                Vec::new()
            },
            min_len: n,
            max_len: n,
            prefix: n,
            suffix: n,
            links: Vec::new(),
            members: vec![m],
        }
    }

    /// Adds `m` if the run stays valid under `series`; gives `m` back otherwise.
    fn push(&mut self, series: &Series, m: Member<'a>) -> Result<(), Member<'a>> {
        self.push_with(series, m, false)
    }

    /// Adds `m`; `run_on` lets a final member exceed the length ratio (`抓好、抓实、抓出成效`).
    fn push_with(
        &mut self,
        series: &Series,
        m: Member<'a>,
        run_on: bool,
    ) -> Result<(), Member<'a>> {
        let last = &self.members[self.members.len() - 1];
        if last.chars == m.chars {
            return Err(m);
        }
        let n = m.chars.len();
        let (min_len, max_len) = if run_on {
            (self.min_len, self.max_len)
        } else {
            (self.min_len.min(n), self.max_len.max(n))
        };
        if (series.equal_length && (min_len != max_len || n != min_len))
            || max_len as f64 > series.length_ratio * min_len as f64
        {
            return Err(m);
        }
        let first = self.members[0].chars;
        let prefix = self.prefix.min(common_prefix(first, m.chars));
        let suffix = self.suffix.min(common_suffix(first, m.chars));
        let mut frame = Vec::new();
        if series.share == Share::Frame {
            frame = self.frame.clone();
            frame.truncate(n);
            for (k, f) in frame.iter_mut().enumerate() {
                if *f != Some(m.chars[k]) {
                    *f = None;
                }
            }
        }
        let mut link = None;
        let enough = |shared: usize| {
            shared >= series.min_shared && shared as f64 >= series.shared_fraction * min_len as f64
        };
        let excluded = |shared: &[char], head: bool| {
            !series.exclude_shared.is_empty() && {
                let s: String = shared.iter().collect();
                series.exclude_shared.iter().any(|x| {
                    if head {
                        s.starts_with(x)
                    } else {
                        s.ends_with(x)
                    }
                })
            }
        };
        let ok = match series.share {
            Share::None => true,
            Share::Head => enough(prefix) && !excluded(&first[..prefix], true),
            Share::Tail => enough(suffix) && !excluded(&first[first.len() - suffix..], false),
            Share::Frame => {
                frame_ok(&frame, series.min_shared)
                    && enough(
                        frame
                            .iter()
                            .filter(|f| f.is_some_and(|c| !is_punctuation(c)))
                            .count(),
                    )
            }
            Share::Chain => {
                link = chain_link(last, &m, series.min_shared);
                link.is_some()
            }
        };
        if !ok {
            return Err(m);
        }
        self.min_len = min_len;
        self.max_len = max_len;
        self.prefix = prefix;
        self.suffix = suffix;
        self.frame = frame;
        if let Some(l) = link {
            self.links.push(l);
        }
        self.members.push(m);
        Ok(())
    }

    fn slots(&self, share: Share) -> BTreeMap<String, String> {
        let mut slots = BTreeMap::new();
        let first = self.members[0].chars;
        match share {
            Share::Head => {
                slots.insert("head".into(), first[..self.prefix].iter().collect());
            }
            Share::Tail => {
                slots.insert(
                    "tail".into(),
                    first[first.len() - self.suffix..].iter().collect(),
                );
            }
            Share::Frame => {
                let mut f: String = self.frame.iter().map(|c| c.unwrap_or('_')).collect();
                if self.max_len > self.frame.len() {
                    f.push('…');
                }
                slots.insert("frame".into(), f);
            }
            Share::Chain => {
                slots.insert("links".into(), self.links.join("、"));
            }
            Share::None => {}
        }
        let mut names: Vec<&str> = Vec::new();
        for m in &self.members {
            for (n, _) in &m.groups {
                if !names.contains(&n.as_str()) {
                    names.push(n);
                }
            }
        }
        for n in names {
            let values: Vec<&str> = self.members.iter().filter_map(|m| group(m, n)).collect();
            slots.insert(n.to_string(), values.join("、"));
        }
        slots
    }
}

/// A frame: enough equal positions, neither only a common prefix nor only a common suffix, and some
/// difference (`真抓真管、敢抓敢管` but not `理论逻辑、历史逻辑`).
fn frame_ok(frame: &[Option<char>], min_shared: usize) -> bool {
    // Shared punctuation (the quotes of `谋事“一盘棋”`) is part of the shape, not of the frame's words.
    let common = frame
        .iter()
        .filter(|f| f.is_some_and(|c| !is_punctuation(c)))
        .count();
    let prefix = frame.iter().take_while(|f| f.is_some()).count();
    let suffix = frame.iter().rev().take_while(|f| f.is_some()).count();
    // Runs of shared chars: two or more (`真抓真管`: `_抓_管`), or one inside a short member (`安不忘危`).
    let mut runs = 0;
    let mut inside = true;
    for (k, f) in frame.iter().enumerate() {
        let shared = f.is_some_and(|c| !is_punctuation(c));
        if shared && (k == 0 || frame[k - 1].is_none_or(is_punctuation)) {
            runs += 1;
            inside &= k > 0;
        }
        if shared && k + 1 == frame.len() {
            inside = false;
        }
    }
    let shaped = runs >= 2 || (runs == 1 && inside && frame.len() <= 5);
    // A shared head or tail of two chars is head or tail sharing (`集体产权、集体林权`, `不确定性、
    // 不稳定性`), and a frame needs a shared char inside (not `自主创业、自谋职业`).
    let interior = frame.len() > 2
        && frame[1..frame.len() - 1]
            .iter()
            .any(|f| f.is_some_and(|c| !is_punctuation(c)));
    shaped
        && interior
        && prefix < 2
        && suffix < 2
        && common >= min_shared.max(1)
        && common > prefix
        && common > suffix
        && common < frame.len()
}

/// Whether a frame run is of the kind the series asks for: chained or not (`以学促研、以研促查` is a
/// 顶真: the second varying char of each member opens the next), and, for pairs, not two compounds
/// matched word by word (`大众创业、万众创新` shares `众创` across the boundary of `大众|创业`).
fn frame_kind_ok(series: &Series, run: &Run) -> bool {
    let shared = |k: usize| run.frame.get(k).is_some_and(|f| f.is_some());
    if !series.inner_pairs
        && run.members.len() == 2
        && run.frame.len() == 4
        && run.members.iter().all(|m| m.chars.len() == 4)
        && !shared(0)
        && shared(1)
        && shared(2)
        && !shared(3)
    {
        return false;
    }
    let Some(want) = series.chained else {
        return true;
    };
    let varying = |m: &Member| -> Vec<char> {
        m.chars
            .iter()
            .enumerate()
            .filter(|&(k, _)| !shared(k))
            .map(|(_, &c)| c)
            .collect()
    };
    let chained = run.members.windows(2).all(|w| {
        let (a, b) = (varying(&w[0]), varying(&w[1]));
        a.len() >= 2 && b.len() >= 2 && a.last() == b.first()
    });
    chained == want
}

/// The link between two chained members: groups `tail`/`head` when present, else the longest end of
/// `prev` (≥ `min` chars, at most 4) that `next` starts with.
fn chain_link(prev: &Member, next: &Member, min: usize) -> Option<String> {
    if let (Some(t), Some(h)) = (group(prev, "tail"), group(next, "head")) {
        return (t == h && !t.is_empty()).then(|| t.to_string());
    }
    let max = 4
        .min(prev.chars.len().saturating_sub(1))
        .min(next.chars.len().saturating_sub(1));
    // A link followed by `的` is a noun referred back to (`召开…会议，会议的主要任务是…`), no chain.
    (min.max(1)..=max).rev().find_map(|k| {
        (prev.chars[prev.chars.len() - k..] == next.chars[..k] && next.chars[k] != '的')
            .then(|| next.chars[..k].iter().collect())
    })
}

fn joinable(series: &Series, gap: &Option<String>) -> bool {
    match gap {
        None => true,
        Some(g) => {
            !g.is_empty()
                && g.chars()
                    .all(|c| series.separators.contains(c) || c.is_whitespace())
        }
    }
}

/// Grows a run from `first` (taken from unit `i`) over the following joinable units; a unit that does
/// not fit as a whole may still end the run with a prefix of its neighbour's length.
fn grow<'a>(memo: &mut Memo<'a>, i: usize, first: Member<'a>) -> (Run<'a>, usize) {
    let (series, units) = (memo.series, memo.units);
    let n = units.cands.len();
    let mut run = Run::start(series, first);
    let mut j = i + 1;
    while j < n && joinable(series, &units.gaps[j - 1]) {
        if series.uniform_separators && j > i + 1 && units.gaps[j - 1] != units.gaps[i] {
            break;
        }
        let whole = memo.get(j);
        let pushed = match whole {
            Some(m) => run.push(series, m).is_ok(),
            None => false,
        };
        if pushed {
            j += 1;
            continue;
        }
        if !series.trim || series.share == Share::Chain {
            break;
        }
        let cand = &units.cands[j];
        if fixed_len(series).is_none() && matches!(series.share, Share::Head | Share::Frame) {
            // The last member may run on beyond the others' length: keep it whole rather than cut it,
            // unless a modifier or conjunction follows at the others' length (`稳就业的政策` → `稳就业`).
            let last = run.members[run.members.len() - 1].chars.len();
            let cut = trim_lengths(last, cand.chars.len())
                .find(|&l| matches!(cand.chars[l], '的' | '等' | '和' | '与' | '及'));
            if let Some(l) = cut {
                if let Some(m) = member_in(series, cand, 0, l)
                    && run.push(series, m).is_ok()
                {
                    j += 1;
                }
            } else if let Some(m) = memo.get(j)
                && run.push_with(series, m, true).is_ok()
            {
                j += 1;
            }
            break;
        }
        let last = run.members[run.members.len() - 1].chars.len();
        // A cut-off last member continues the list only behind the list's own separator (`、…、…，
        // 重要领域和…` ends at the comma).
        if j >= i + 2 && units.gaps[j - 1] != units.gaps[j - 2] {
            break;
        }
        for l in trim_lengths(last, cand.chars.len()) {
            // A cut-off prefix only keeps a shared tail before a conjunction or `的` (`工程监理制和合同管理制`).
            if series.share == Share::Tail
                && !series.free_run_on
                && !matches!(cand.chars[l], '和' | '与' | '及' | '等' | '的')
            {
                continue;
            }
            // The cut falls between words (`并对下半年` is not `并对下半`) and not after a particle
            // (`可持续的|多层次…` is no phrase).
            if !cand.word_starts().contains(&l) || matches!(cand.chars[l - 1], '的' | '地' | '得')
            {
                continue;
            }
            if let Some(m) = member_in(series, cand, 0, l)
                && run.push(series, m).is_ok()
            {
                j += 1;
                break;
            }
        }
        break;
    }
    (run, j)
}

/// A cheap necessary condition for units `a` and `b` to start a run (whatever trimming is applied):
/// a shared head, tail or link needs a char of one unit in the other.
fn may_start(series: &Series, a: &Cand, b: &Cand) -> bool {
    match series.share {
        Share::Head | Share::Chain => b.chars.first().is_some_and(|c| a.chars.contains(c)),
        Share::Tail => a.chars.last().is_some_and(|c| b.chars.contains(c)),
        Share::None | Share::Frame => true,
    }
}

/// Runs a series rule over units, pushing hits.
fn series_hits(
    id: &str,
    family: Family,
    series: &Series,
    units: &Units,
    out: &mut Vec<PatternHit>,
) {
    let n = units.cands.len();
    // A run takes one member per unit: fewer units than members make no hit (most formulas and short
    // paragraphs stop here).
    if n < series.min_members {
        return;
    }
    let mut memo = Memo::new(series, units);
    let mut i = 0;
    while i < n {
        // A unit not joined to the next one cannot start a run of two or more.
        if i + 1 >= n || !joinable(series, &units.gaps[i]) {
            i += 1;
            continue;
        }
        if !may_start(series, &units.cands[i], &units.cands[i + 1]) {
            i += 1;
            continue;
        }
        let mut best: Option<(Run, usize)> = None;
        if let Some(first) = memo.get(i) {
            best = Some(grow(&mut memo, i, first));
        }
        let valid = |r: &Option<(Run, usize)>| {
            r.as_ref()
                .is_some_and(|(run, _)| run.members.len() >= series.min_members)
        };
        if !valid(&best) && series.trim && i + 1 < n && joinable(series, &units.gaps[i]) {
            // The list's first unit may carry a lead-in (`时刻保持心中有党`): with a shared head the
            // member starts where the next member's first char occurs, otherwise it takes the next
            // member's length.
            let cand = &units.cands[i];
            let next = memo.get(i + 1);
            let froms: Vec<usize> = match (&next, series.share) {
                (Some(m), Share::Head) if fixed_len(series).is_none() => (1..cand.chars.len())
                    .filter(|&p| cand.chars[p] == m.chars[0])
                    .collect(),
                _ => next
                    .as_ref()
                    .map(|m| m.chars.len())
                    .or_else(|| fixed_len(series))
                    .map(|l| {
                        trim_lengths(l, cand.chars.len())
                            .map(|l| cand.chars.len() - l)
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            {
                for from in froms {
                    if let Some(first) = member_in(series, cand, from, cand.chars.len()) {
                        // A lead-in is cut at a word boundary (`中共中央总书记` is not `央总书记`).
                        if !cand.word_starts().contains(&from) {
                            continue;
                        }
                        // A phrase of fixed length (四字格) cut from a longer clause opens a list
                        // only before a `、` (`需要每一个党员干部用心铭记、深切体会`); before a comma
                        // it is the end of a clause (`经济运行在合理区间，就业增加`).
                        if fixed_len(series).is_some()
                            && !units.gaps[i].as_deref().is_some_and(|g| g.contains('、'))
                        {
                            continue;
                        }
                        let r = Some(grow(&mut memo, i, first));
                        if valid(&r) {
                            best = r;
                            break;
                        }
                    }
                }
            }
        }
        let Some((mut run, j)) = best else {
            i += 1;
            continue;
        };
        let count = run.members.len();
        // A shared tail: the first unit's lead-in (`全面提升大局意识、攻坚意识`) is not part of the list.
        if series.share == Share::Tail && series.trim && count >= 2 {
            let others = run.members[1..].iter().map(|m| m.chars.len()).max();
            let cand = &units.cands[i];
            // The cut falls on a word boundary (`新开工装配式建筑…` is not cut to `式建筑…`), and a
            // lead-in that shapes the unit like the second member is part of the frame
            // (`增加低收入者收入，调节过高收入`).
            let text = |c: &[char]| c.iter().collect::<String>();
            let first = &run.members[0].chars;
            if let Some(l) = others
                && first.len() > l + 1
                && run.members[0].span.end == cover(&cand.origins).end
                && cand.word_starts().contains(&(cand.chars.len() - l))
                && let Some(m) = member_in(series, cand, cand.chars.len() - l, cand.chars.len())
                && super::structure::better_without_lead_in(
                    &text(first),
                    &text(&first[first.len() - l..]),
                    &text(run.members[1].chars),
                )
            {
                run.members[0] = m;
            }
        }
        let in_range = count >= series.min_members
            && count <= series.max_members
            && (series.share != Share::Frame || frame_kind_ok(series, &run));
        let names = in_range && {
            let texts: Vec<String> = run
                .members
                .iter()
                .map(|m| m.chars.iter().collect())
                .collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            super::structure::is_name_list(&texts, false)
        };
        if names {
            i = j;
        } else if in_range {
            let members: Vec<Span> = run.members.iter().map(|m| m.span).collect();
            out.push(PatternHit {
                family,
                pattern: id.to_string(),
                span: Span::new(members[0].start, members[count - 1].end),
                slots: run.slots(series.share),
                members,
                why: String::new(),
            });
            i = j;
        } else if count > series.max_members {
            i = j;
        } else {
            i += 1;
        }
    }
}

/// Slots that hold a count (`number`, `n1`, `n2`, …): their values are normalised to Arabic numerals.
fn is_number_slot(name: &str) -> bool {
    name == "number"
        || (name.len() == 2
            && name.starts_with('n')
            && name[1..].chars().all(|c| c.is_ascii_digit()))
}

/// The value of a count written in Arabic or Chinese numerals (`14`, `十四`, `两`, `双`, `二十一`, `一百零三`);
/// `None` for what is not a well-formed count (`九二` is a digit string, not a count).
pub(super) fn numeral_value(s: &str) -> Option<u64> {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| match c {
        // `双` counts two in formulas (`双创`, `双循环`).
        '两' | '双' => Some(2),
        c => crate::text::chinese_digit(c).map(u64::from),
    };
    let unit = |c: char| match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        '万' => Some(10_000),
        _ => None,
    };
    let (mut total, mut section, mut pending): (u64, u64, Option<u64>) = (0, 0, None);
    let mut any = false;
    for c in s.chars() {
        any = true;
        if let Some(d) = digit(c) {
            // Two digits in a row (`九二`) make a digit string, not a count; `零` may precede a digit.
            if pending.is_some_and(|p| p != 0) {
                return None;
            }
            pending = Some(d);
        } else if let Some(u) = unit(c) {
            if u == 10_000 {
                section += pending.take().unwrap_or(0);
                total += section.max(1) * u;
                section = 0;
            } else {
                section += pending.take().unwrap_or(1) * u;
            }
        } else {
            return None;
        }
    }
    any.then(|| total + section + pending.unwrap_or(0))
}

/// Builds a hit from regex captures on a paragraph; a hit whose member is a stop word, or whose count
/// slot is not a well-formed count, is dropped.
#[allow(clippy::too_many_arguments)]
fn regex_hit(
    id: &str,
    family: Family,
    rx: &Rx,
    stop: &[String],
    text: &Text,
    para: &Para,
    base: usize,
    caps: &regex::Captures,
) -> Option<PatternHit> {
    let to_span = |m: regex::Match| -> Option<Span> {
        let s = para.idx_of_byte(base + m.start());
        let mut e = para.idx_of_byte(base + m.end());
        let v = para.view.chars();
        while e > s && is_punctuation(v[e - 1]) && !matches!(v[e - 1], '"' | ')' | '》') {
            e -= 1;
        }
        (e > s).then(|| para.view.to_original(Span::new(s, e)))
    };
    let mut members = Vec::new();
    let mut slots = BTreeMap::new();
    for name in rx.names() {
        let Some(m) = caps.name(name) else { continue };
        let is_member = name.len() == 2
            && name.starts_with('m')
            && name[1..].chars().all(|c| c.is_ascii_digit());
        if is_member {
            if let Some(s) = to_span(m) {
                members.push((name.clone(), s));
            }
        } else if !m.as_str().is_empty() {
            slots.insert(name.clone(), m.as_str().to_string());
        }
    }
    // Members in text order, whatever order their groups are named in.
    members.sort_by_key(|(_, s)| (s.start, s.end));
    let whole = to_span(caps.get(0)?)?;
    let members: Vec<Span> = if members.is_empty() {
        vec![whole]
    } else {
        members.into_iter().map(|(_, s)| s).collect()
    };
    if stop
        .iter()
        .any(|w| members.iter().any(|m| text.slice(*m) == w))
    {
        return None;
    }
    for (name, value) in slots.iter_mut() {
        if is_number_slot(name) {
            *value = numeral_value(value)?.to_string();
        }
    }
    // Several members: from the first to the last (the clause boundary the regex consumed is not part of
    // it); one member: the whole match, so `“两个确立”` keeps its quotes around the member.
    let span = if members.len() > 1 {
        let start = members.iter().map(|m| m.start).min().unwrap_or(whole.start);
        let end = members.iter().map(|m| m.end).max().unwrap_or(whole.end);
        Span::new(start, end)
    } else {
        whole.cover(&members[0])
    };
    Some(PatternHit {
        family,
        pattern: id.to_string(),
        span,
        members,
        slots,
        why: String::new(),
    })
}

/// An anchored regex is tried on a window of the paragraph: from the unit start to the first unit end at
/// least this many chars later, so matching costs a bounded amount per unit whatever the pattern.
const ANCHORED_WINDOW: usize = 200;

#[allow(clippy::too_many_arguments)]
fn regex_hits(
    id: &str,
    family: Family,
    rx: &Rx,
    stop: &[String],
    text: &Text,
    anchor: Unit,
    para: &Para,
    units: Option<&Units>,
    out: &mut Vec<PatternHit>,
) {
    match anchor {
        Unit::None | Unit::Heading | Unit::Paragraph => {
            let mut at = 0;
            while at < para.string.len() {
                let Some(caps) = rx.captures_from(&para.string, at) else {
                    break;
                };
                let Some(m) = caps.get(0) else { break };
                if let Some(hit) = regex_hit(id, family, rx, stop, text, para, 0, &caps) {
                    out.push(hit);
                }
                at = if m.end() > m.start() {
                    m.end()
                } else {
                    m.end()
                        + para.string[m.end()..]
                            .chars()
                            .next()
                            .map_or(1, char::len_utf8)
                };
            }
        }
        Unit::Clause | Unit::Sentence => {
            let Some(units) = units else { return };
            let mut done = 0;
            for c in &units.cands {
                let starts = [c.raw_start, para.view.index_at_or_after(c.origins[0].start)];
                for s in starts {
                    if s < done {
                        continue;
                    }
                    let b = para.starts[s];
                    let v = para.view.chars();
                    let mut cut = (s + ANCHORED_WINDOW).min(v.len());
                    while cut < v.len() && !is_clause_end(v[cut]) && !is_sentence_end(v[cut]) {
                        cut += 1;
                    }
                    let window = &para.string[b..para.starts[cut]];
                    if let Some(caps) = rx.captures_anchored(window)
                        && let Some(hit) = regex_hit(id, family, rx, stop, text, para, b, &caps)
                    {
                        done = para.idx_of_byte(b + caps.get(0).map_or(0, |m| m.end()));
                        out.push(hit);
                        break;
                    }
                }
            }
        }
    }
}

/// A paragraph's jieba tagging (start → end and tag), made run by run on first need and shared by
/// every word-shape pattern. jieba cuts each run between punctuation on its own, so a run's tokens are
/// those of the whole paragraph, and most paragraphs need one run tagged, not all of them.
#[derive(Default)]
struct Tokens {
    /// Starts of the runs tagged so far.
    runs: Vec<usize>,
    tags: BTreeMap<usize, (usize, String)>,
}

impl Tokens {
    /// Tags the run of `v` that holds `[a, b)`, once: the chars between two chars that jieba never puts
    /// in a word (neither alphanumeric nor one of `+#&._%-`), whose own tokens follow.
    fn cover(&mut self, v: &[char], a: usize, b: usize) -> &BTreeMap<usize, (usize, String)> {
        let apart = |c: char| !c.is_alphanumeric() && !"+#&._%-".contains(c);
        let s = v[..a].iter().rposition(|&c| apart(c)).map_or(0, |k| k + 1);
        if !self.runs.contains(&s) {
            self.runs.push(s);
            let e = v[b..]
                .iter()
                .position(|&c| apart(c))
                .map_or(v.len(), |k| b + k);
            let run: String = v[s..e].iter().collect();
            for t in crate::segment::default_jieba().tag(&run, true) {
                self.tags
                    .insert(s + t.start, (s + t.end, t.tag.to_string()));
            }
            // The char that ends the run starts a token of its own.
            if e < v.len() {
                self.tags.entry(e).or_insert((e + 1, "x".to_string()));
            }
        }
        &self.tags
    }
}

/// Words of a char shape in a paragraph; members are the shape's two-char pieces (`自立`, `自强`).
/// `tokens` is the paragraph's tagging, computed on first need and shared by every word-shape pattern.
#[allow(clippy::too_many_arguments)]
fn word_shape_hits(
    id: &str,
    family: Family,
    shape: &[u8],
    stop: &[String],
    one_token: bool,
    para: &Para,
    tokens: &mut Option<Tokens>,
    out: &mut Vec<PatternHit>,
) {
    let v = para.view.chars();
    let n = shape.len();
    let is_han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let mut i = 0;
    while i + n <= v.len() {
        let w = &v[i..i + n];
        let fits = w.iter().all(|&c| is_han(c))
            && (0..n).all(|a| (0..a).all(|b| (shape[a] == shape[b]) == (w[a] == w[b])));
        // The word is built only for a window of the right shape (most are not).
        if !fits || {
            let word: String = w.iter().collect();
            stop.iter().any(|s| word.starts_with(s.as_str()))
        } {
            i += 1;
            continue;
        }
        let toks = tokens
            .get_or_insert_with(Tokens::default)
            .cover(v, i, i + n);
        let aligned = if one_token {
            // One dictionary token, not a name or organisation (`中共中央`), not a numeral.
            // One dictionary token tagged as an idiom, set phrase or state word (`全心全意/i`,
            // `各行各业/l`, `踏踏实实/z`), not a noun or numeral (`法律法规/n`, `中共中央/nt`).
            // Or two words of two chars that are verbs, adjectives or adverbs (`自尊/v 自信/v`,
            // `向善/v 向上/d`): a frame made of two predicates, where two nouns are a list
            // (`农业/n 农村/n`, `国有/b 国营/n`); a numeral or `每` opens a slogan or a rate
            // (`一老一小`, `每人每年`), not such a frame; before `的` the pair is a compound
            // modifier (`开放开发的重点`).
            let predicate = |t: &str| t.starts_with(['v', 'a', 'd']) && t != "vn";
            toks.get(&i)
                .is_some_and(|(e, tag)| *e == i + n && matches!(tag.as_str(), "i" | "l" | "z"))
                || (n == 4
                    && !"一二三四五六七八九十两每".contains(w[0])
                    && v.get(i + n) != Some(&'的')
                    && toks
                        .get(&i)
                        .is_some_and(|(e, tag)| *e == i + 2 && predicate(tag))
                    && toks
                        .get(&(i + 2))
                        .is_some_and(|(e, tag)| *e == i + 4 && predicate(tag)))
        } else {
            toks.contains_key(&i)
                && (i + n == v.len() || toks.contains_key(&(i + n)))
                && !w
                    .iter()
                    .any(|c| "一二三四五六七八九十百千万亿〇零两".contains(*c))
        };
        if !aligned {
            i += 1;
            continue;
        }
        let members: Vec<Span> = (0..n / 2)
            .map(|k| para.view.to_original(Span::new(i + 2 * k, i + 2 * k + 2)))
            .collect();
        let mut slots = BTreeMap::new();
        slots.insert(
            "shape".to_string(),
            String::from_utf8_lossy(shape).to_string(),
        );
        out.push(PatternHit {
            family,
            pattern: id.to_string(),
            span: Span::new(members[0].start, members[members.len() - 1].end),
            members,
            slots,
            why: String::new(),
        });
        i += n;
    }
}

fn lexicon_hits(id: &str, family: Family, lex: &Lexicon, para: &Para, out: &mut Vec<PatternHit>) {
    for (a, b, k) in lex.find_iter(&para.string) {
        let (s, e) = (para.idx_of_byte(a), para.idx_of_byte(b));
        if e <= s {
            continue;
        }
        let span = para.view.to_original(Span::new(s, e));
        let mut slots = BTreeMap::new();
        let numbers = &lex.entries[k].1;
        if !numbers.is_empty() {
            slots.insert("numbers".to_string(), numbers.clone());
        }
        out.push(PatternHit {
            family,
            pattern: id.to_string(),
            span,
            members: vec![span],
            slots,
            why: String::new(),
        });
    }
}

/// Whether a marker starts a new ordinal sequence (`一要` after `三要`, `（1）`, `首先`).
fn restarts(marker: &str) -> bool {
    let m = marker.trim_start_matches(['（', '(', '第']);
    m.starts_with('一')
        || m.starts_with("首先")
        || (m.starts_with('1') && !m[1..].starts_with(|c: char| c.is_ascii_digit()))
}

/// Sibling runs of sections (same kind, consecutive) anywhere in the outline.
fn sibling_runs(outline: &Outline) -> Vec<Vec<&Section>> {
    fn visit<'a>(list: &'a [Section], out: &mut Vec<Vec<&'a Section>>) {
        let mut run: Vec<&Section> = Vec::new();
        for s in list {
            if run.last().is_some_and(|l| l.kind != s.kind)
                || (!run.is_empty() && restarts(&s.marker))
            {
                out.push(std::mem::take(&mut run));
            }
            run.push(s);
            visit(&s.children, out);
        }
        if !run.is_empty() {
            out.push(run);
        }
    }
    let mut out = Vec::new();
    visit(&outline.sections, &mut out);
    out
}

fn heading_units(text: &Text, run: &[&Section]) -> Units {
    let mut units = Units {
        cands: Vec::new(),
        gaps: Vec::new(),
    };
    for s in run {
        let para = Para::new(text, s.heading_span);
        let v = para.view.chars();
        let role = roles(text, &para);
        let Some((a, b)) = core_of(v, &role, 0, v.len()) else {
            continue;
        };
        if !units.cands.is_empty() {
            units.gaps.push(None);
        }
        units.cands.push(Cand::new(
            v[a..b].to_vec(),
            (a..b).map(|j| para.view.origin(j)).collect(),
            0,
            true,
        ));
    }
    units
}

fn trim_end(text: &Text, span: Span) -> Span {
    let mut e = span.end;
    while e > span.start && text.char_at(e - 1).is_some_and(char::is_whitespace) {
        e -= 1;
    }
    Span::new(span.start, e)
}

/// An item without trailing white space and punctuation (`社会制度腐败，` → `社会制度腐败`).
fn trim_item(text: &Text, span: Span) -> Span {
    let mut e = span.end;
    while e > span.start
        && text.char_at(e - 1).is_some_and(|c| {
            c.is_whitespace() || (is_punctuation(c) && !matches!(c, '”' | '）' | '》'))
        })
    {
        e -= 1;
    }
    Span::new(span.start, e)
}

fn outline_hits(
    id: &str,
    family: Family,
    kind: SectionKind,
    min: usize,
    text: &Text,
    runs: &[Vec<&Section>],
    out: &mut Vec<PatternHit>,
) {
    for run in runs {
        if run.len() < min || run[0].kind != kind {
            continue;
        }
        let markers: Vec<&str> = run.iter().map(|s| s.marker.as_str()).collect();
        let mut slots = BTreeMap::new();
        slots.insert("markers".to_string(), markers.join("、"));
        let mut members: Vec<Span> = run
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let m = if s.heading_span.is_empty() {
                    trim_end(text, s.span)
                } else {
                    s.heading_span
                };
                // An inline item ends where the next one's marker starts (`一是A，二是B`).
                let end = run
                    .get(k + 1)
                    .map_or(m.end, |n| m.end.min(n.span.start).max(m.start));
                trim_item(text, Span::new(m.start, end))
            })
            .collect();
        // Inline items of one clause each: the last ends with its clause too, not with the sentence
        // (`一是滥占耕地建房，二是乱砍滥伐森林，后果十分严重` → `乱砍滥伐森林`).
        let comma = |c: char| matches!(c, '，' | ',');
        let one_clause = |m: &Span| !(m.start..m.end).any(|i| text.char_at(i).is_some_and(comma));
        let inline = members.len() >= 2
            && !(members[0].start..members[members.len() - 1].start)
                .any(|i| text.char_at(i) == Some('\n'));
        if inline
            && let Some((last, earlier)) = members.split_last_mut()
            && earlier.iter().all(one_clause)
            && let Some(cut) = (last.start..last.end).find(|&i| text.char_at(i).is_some_and(comma))
        {
            *last = Span::new(last.start, cut);
        }
        // Items that all open with a copula belong to markers such as `首先是…其次是…`: the copula is
        // part of the marker, not of the item.
        if members
            .iter()
            .all(|m| m.len() > 1 && text.char_at(m.start) == Some('是'))
        {
            for m in &mut members {
                *m = Span::new(m.start + 1, m.end);
            }
        }
        out.push(PatternHit {
            family,
            pattern: id.to_string(),
            span: trim_end(
                text,
                Span::new(run[0].span.start, run[run.len() - 1].span.end),
            ),
            members,
            slots,
            why: String::new(),
        });
    }
}

/// The end of a clause unit: a clause or a sentence end.
fn is_clause_or_sentence_end(c: char) -> bool {
    is_clause_end(c) || is_sentence_end(c)
}

/// A paragraph's clause and sentence units, each split on first use and then shared by every pattern.
struct ParaUnits<'a> {
    text: &'a Text,
    para: &'a Para,
    clause: Option<Units>,
    sentence: Option<Units>,
    /// The paragraph's jieba tagging (word-shape patterns).
    tokens: Option<Tokens>,
}

impl<'a> ParaUnits<'a> {
    fn new(text: &'a Text, para: &'a Para) -> Self {
        ParaUnits {
            text,
            para,
            clause: None,
            sentence: None,
            tokens: None,
        }
    }

    /// The clause or sentence units of the paragraph; `None` for any other unit.
    fn get(&mut self, unit: Unit) -> Option<&Units> {
        let (text, para) = (self.text, self.para);
        match unit {
            Unit::Clause => Some(
                self.clause
                    .get_or_insert_with(|| units_of(text, para, is_clause_or_sentence_end)),
            ),
            Unit::Sentence => Some(
                self.sentence
                    .get_or_insert_with(|| units_of(text, para, is_sentence_end)),
            ),
            _ => None,
        }
    }
}

/// Hits of the patterns that work inside one paragraph (regexes, clause and sentence series and
/// structures, word shapes, lexicon entries), before overlap resolution.
fn paragraph_hits(
    set: &PatternSet,
    text: &Text,
    p: &Para,
    units: &mut ParaUnits,
    out: &mut Vec<PatternHit>,
) {
    let mut tag_cache = TagCache::default();
    for pat in &set.patterns {
        match &pat.kind {
            PatternKind::Regex { rx, anchor, stop } => {
                // Most paragraphs cannot match at all: test the unanchored expression first.
                if !rx.could_match(&p.string) {
                    continue;
                }
                let units = units.get(*anchor);
                regex_hits(&pat.id, pat.family, rx, stop, text, *anchor, p, units, out)
            }
            // Heading series run over sibling headings (in `find_unresolved`).
            PatternKind::Series(s) => {
                if let Some(u) = units.get(s.unit) {
                    series_hits(&pat.id, pat.family, s, u, out);
                }
            }
            PatternKind::WordShape {
                shape,
                stop,
                one_token,
            } => word_shape_hits(
                &pat.id,
                pat.family,
                shape,
                stop,
                *one_token,
                p,
                &mut units.tokens,
                out,
            ),
            PatternKind::Lexicon(lex) => lexicon_hits(&pat.id, pat.family, lex, p, out),
            // Paragraph structures run over the paragraphs' first sentences (in `find_unresolved`).
            PatternKind::Structure(s) => {
                if let Some(u) = units.get(s.unit) {
                    structure_hits(&pat.id, pat.family, s, u, &mut tag_cache, out);
                }
            }
            PatternKind::Outline { .. } => {}
        }
    }
}

/// All hits of the set in one document, before overlap resolution.
pub(super) fn find_unresolved(
    set: &PatternSet,
    file: &SpeechFile,
    outline: &Outline,
) -> Vec<PatternHit> {
    let text = &file.text;
    let mut out = Vec::new();
    let needs_heading = set.patterns.iter().any(|p| {
        matches!(&p.kind, PatternKind::Series(s) if s.unit == Unit::Heading)
            || matches!(p.kind, PatternKind::Outline { .. })
    });
    let runs = if needs_heading {
        sibling_runs(outline)
    } else {
        Vec::new()
    };
    let needs_paragraph = set
        .patterns
        .iter()
        .any(|p| matches!(&p.kind, PatternKind::Structure(s) if s.unit == Unit::Paragraph));
    let mut initial = Units {
        cands: Vec::new(),
        gaps: Vec::new(),
    };
    for para in file.segments.paragraphs_in(outline.document.span) {
        let p = Para::new(text, para.span);
        let mut units = ParaUnits::new(text, &p);
        paragraph_hits(set, text, &p, &mut units, &mut out);
        if needs_paragraph {
            let u = units.get(Unit::Sentence).expect("sentence units");
            if let Some(first) = u.cands.first() {
                if !initial.cands.is_empty() {
                    initial.gaps.push(None);
                }
                initial.cands.push(first.clone());
            }
        }
    }
    for pat in &set.patterns {
        if let PatternKind::Structure(s) = &pat.kind
            && s.unit == Unit::Paragraph
        {
            structure_hits(
                &pat.id,
                pat.family,
                s,
                &initial,
                &mut TagCache::default(),
                &mut out,
            );
        }
    }
    for pat in &set.patterns {
        match &pat.kind {
            PatternKind::Series(s) if s.unit == Unit::Heading => {
                for run in &runs {
                    let u = heading_units(text, run);
                    series_hits(&pat.id, pat.family, s, &u, &mut out);
                }
            }
            PatternKind::Outline { kind, min_members } => {
                outline_hits(
                    &pat.id,
                    pat.family,
                    *kind,
                    *min_members,
                    text,
                    &runs,
                    &mut out,
                );
            }
            _ => {}
        }
    }
    out
}

fn members_overlap(a: &PatternHit, b: &PatternHit) -> bool {
    a.members
        .iter()
        .any(|x| b.members.iter().any(|y| x.overlaps(y)))
}

/// All hits of the set in one document: structural families compete for members (frame > anadiplosis >
/// parallelism > antithesis > four-character-run, then more covered chars), other families drop
/// overlapping hits of their own family. Sorted by span.
pub(super) fn find(set: &PatternSet, file: &SpeechFile, outline: &Outline) -> Vec<PatternHit> {
    resolve(find_unresolved(set, file, outline))
}

/// The hits of the paragraph-level patterns in each span of `text` taken as one paragraph, overlaps
/// resolved within each (see [`PatternSet::hits_in_paragraphs`]).
pub(super) fn find_in_paragraphs(
    set: &PatternSet,
    text: &Text,
    spans: &[Span],
) -> Vec<Vec<PatternHit>> {
    spans
        .iter()
        .map(|&span| {
            let p = Para::new(text, span);
            let mut units = ParaUnits::new(text, &p);
            let mut out = Vec::new();
            paragraph_hits(set, text, &p, &mut units, &mut out);
            resolve(out)
        })
        .collect()
}

/// Overlap resolution (see [`find`]).
fn resolve(mut hits: Vec<PatternHit>) -> Vec<PatternHit> {
    let covered = |h: &PatternHit| h.members.iter().map(|m| m.len()).sum::<usize>();
    hits.sort_by(|a, b| {
        let ra = a.family.structural_rank().unwrap_or(0);
        let rb = b.family.structural_rank().unwrap_or(0);
        ra.cmp(&rb)
            .then(covered(b).cmp(&covered(a)))
            .then(a.span.cmp(&b.span))
    });
    // Only hits whose extent overlaps can clash (members lie inside the extent).
    let extent = |h: &PatternHit| h.members.iter().fold(h.span, |acc, m| acc.cover(m));
    let mut kept: Vec<PatternHit> = Vec::with_capacity(hits.len());
    let mut near: OverlapIndex<usize> = OverlapIndex::new();
    for h in hits {
        // Word-level frames (`自立自强`, slot `shape`) sit inside members of larger figures.
        let word = |x: &PatternHit| x.slots.contains_key("shape");
        let reach = extent(&h);
        let clash = near.overlapping(reach).any(|(_, &i)| {
            let k = &kept[i];
            let both_structural = h.family.structural_rank().is_some()
                && k.family.structural_rank().is_some()
                && word(&h) == word(k);
            if both_structural {
                members_overlap(&h, k)
            } else {
                h.family == k.family && h.span.overlaps(&k.span)
            }
        });
        if !clash {
            near.insert(reach, kept.len());
            kept.push(h);
        }
    }
    // One figure, one family: a pair whose members each overlap their own member of a contrast
    // (`既尽力而为，又量力而行`, `不仅成不了事，而且注定坏事`) is that contrast, named by its markers.
    // Contrasts indexed by their first member (looked up per pair, not scanned: a 30 MB text holds
    // thousands of both).
    let mut contrasts: OverlapIndex<usize> = OverlapIndex::new();
    for (i, h) in kept.iter().enumerate() {
        if let (Family::Contrast, Some(&first)) = (h.family, h.members.first()) {
            contrasts.insert(first, i);
        }
    }
    let inside_contrast: Vec<bool> = kept
        .iter()
        .map(|h| {
            h.family == Family::Antithesis
                && h.members.first().is_some_and(|&first| {
                    contrasts.overlapping(first).any(|(_, &c)| {
                        let c = &kept[c].members;
                        c.len() == h.members.len()
                            && c.iter().zip(&h.members).all(|(x, y)| x.overlaps(y))
                    })
                })
        })
        .collect();
    let mut inside = inside_contrast.into_iter();
    kept.retain(|_| !inside.next().unwrap_or(false));
    kept.sort_by(|a, b| a.span.cmp(&b.span).then(a.family.cmp(&b.family)));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Encoding;

    fn members(s: &str) -> Vec<String> {
        let text = Text::from_string("t", s, Encoding::Utf8);
        let para = Para::new(&text, Span::new(0, text.len_chars()));
        let units = units_of(&text, &para, is_clause_or_sentence_end);
        units.cands.iter().map(|c| c.text.clone()).collect()
    }

    #[test]
    fn members_are_cut_at_quotes_that_open_or_close_outside_the_unit() {
        assert_eq!(
            members("开展“立目标、立标准、立规矩”大讨论。"),
            ["立目标", "立标准", "立规矩"]
        );
        // Quotes opened and closed inside a member stay; a quote wrapping the whole member goes.
        assert_eq!(
            members("谋事“一盘棋”、“干事”，成事。"),
            ["谋事\"一盘棋\"", "干事", "成事"]
        );
    }

    #[test]
    fn frames_need_shared_chars_beyond_a_prefix_or_suffix() {
        let f = |a: &str, b: &str| {
            let a: Vec<char> = a.chars().collect();
            let b: Vec<char> = b.chars().collect();
            let frame: Vec<Option<char>> = a
                .iter()
                .zip(&b)
                .map(|(x, y)| (x == y).then_some(*x))
                .collect();
            frame_ok(&frame, 2)
        };
        assert!(f("真抓真管", "敢抓敢管"));
        assert!(f("一荣俱荣", "一损俱损"));
        assert!(f("安不忘危", "治不忘乱"));
        assert!(!f("心中有党", "心中有责"));
        assert!(!f("理论逻辑", "历史逻辑"));
        assert!(!f("修订外商投资相关法律", "健全外商投资监管体系"));
        assert!(!f("集体产权", "集体林权"));
        assert!(!f("不确定性", "不稳定性"));
        assert!(!f("自主创业", "自谋职业"));
    }

    #[test]
    fn numeral_values_are_counts() {
        assert_eq!(numeral_value("十四"), Some(14));
        assert_eq!(numeral_value("两"), Some(2));
        assert_eq!(numeral_value("二十一"), Some(21));
        assert_eq!(numeral_value("一百零三"), Some(103));
        assert_eq!(numeral_value("5"), Some(5));
        assert_eq!(numeral_value("九二"), None);
        assert_eq!(numeral_value("十四五"), None);
    }

    #[test]
    fn restarting_markers() {
        assert!(restarts("一要"));
        assert!(restarts("（1）"));
        assert!(restarts("首先"));
        assert!(!restarts("二是"));
        assert!(!restarts("12."));
    }
}
