//! Structural parallelism: do consecutive units share a syntactic shape and an anchor word?
//!
//! Input: the units of a paragraph (clauses or sentences) or of a document (the first sentence of each
//! paragraph) and a [`Structure`] rule from the pattern file. Output: hits whose members are whole units
//! (a clause list's first member may lose its lead-in and its last its run-on, cut on word boundaries).
//!
//! How: two units are *parallel* when their lengths are similar and either they share a *skeleton*
//! (equal chars at nearly the same relative positions covering a share of the longer unit: a banded
//! longest common subsequence, no tags needed), or a head of `min_head` chars, or a word-aligned anchor
//! of `min_anchor` chars at a similar relative position (an inner word such as `是`…`的` runs, or a
//! tail), or, in short units, the same char at the same position (`天更蓝、山更绿`), and their jieba POS
//! tag sequences (first `shape_tokens` tokens) are within `max_shape_distance` (edit distance / longer
//! sequence). A run grows from a parallel pair while every new member stays parallel to the previous
//! one with the same anchor and, for sentences, behind the same kind of sentence end; up to `max_gap`
//! non-member units may stand between two members that share a head (paragraph-initial parallelism).
//! Pairs may also be found inside longer clauses: a shared head (`融资难、融资贵问题`) or aligned cores of
//! equal length cut on word boundaries (`成为永远打不倒、压不垮的…`, `core_pairs`); no member starts
//! next to a conjunction (`bound_tags`). Nominal verbs (`vn`) match nouns and verbs in tag shapes.
//! Each unit is tagged at most once per paragraph (the taggings are shared by every structure rule) and
//! only when the skeleton test fails and a cheap test (shared head or shared char bigram) passes, so the
//! pass is linear in the number of units with a bounded cost per pair.

use std::collections::BTreeMap;

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
    /// A regex no member may match (counts with units: `六亿平方米`), or none.
    pub reject: Option<Rx>,
    /// How far apart (as a share of member length) an inner anchor may sit in two members.
    pub anchor_position: f64,
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
    /// Tag-shape distance allowed with such a positional anchor (tags of very short units are noisy).
    pub positional_shape_distance: f64,
    /// Equal-length units with at least 3 tokens whose shapes are this close are parallel without any
    /// shared word (negative: off).
    pub shape_only_distance: f64,
    /// Tokens compared for the shape.
    pub shape_tokens: usize,
    /// Non-member units allowed between two members.
    pub max_gap: usize,
    /// Heads and anchors equal to one of these do not count.
    pub exclude_anchor: Vec<String>,
    /// Whether a list's first unit may lose its lead-in (`使财政资金花得其所、用得安全`).
    pub trim_lead: bool,
    /// Whether every member must share the whole head the run started with.
    pub strict_head: bool,
    /// Most clauses by which two neighbouring members may differ (`usize::MAX`: any).
    pub max_clause_difference: usize,
    /// A shared skeleton ties two units: chars equal at nearly the same relative position (within
    /// `skeleton_band`) covering at least this share of the longer unit, each unit keeping chars of its
    /// own (`在购物时，能够买到…` / `在生病时，能够得到…`). 0: off.
    pub skeleton: f64,
    /// How far apart (as a share of unit length) two skeleton chars may sit.
    pub skeleton_band: f64,
    /// Pairs only: two clauses whose aligned cores are parallel (the end of one, cut after its lead-in,
    /// and the start of the next, cut before its run-on, of equal length, cut on word boundaries) make a
    /// pair: `成为永远打不倒、压不垮的马克思主义政党` → `打不倒` / `压不垮`.
    pub core_pairs: bool,
    /// Pairs only: short units of equal length sharing a head are tied whatever their tags, unless
    /// both are noun phrases (`不划阶段、不分环节`).
    pub equal_head_pairs: bool,
    /// Whole units of equal length with the same word lengths (three words or more) and a char equal
    /// at the same place are parallel whatever their tags (`整改不到位不松手、效果不明显不放手`).
    pub mirrored: bool,
    /// Sentences only: units whose clauses are of equal length, clause by clause (two clauses or more,
    /// one char of slack each), with tag shapes within `clause_shape_distance`, are parallel whatever
    /// their words (`雨露滋润万物，花儿报以芬芳沁脾；阳光普照大地，树木报以茁壮雄健`).
    pub clause_profile: bool,
    /// Tag-shape distance allowed for the clause tie above.
    pub clause_shape_distance: f64,
    /// Chars that may open the second unit's run-on cut off by a core pair (`的`, `中`, `等`, …).
    pub core_run_on: Vec<char>,
    /// Coarse jieba tags (first letters, `c` for conjunctions) of words that bind a lead-in to what
    /// follows: no member is cut right after one (`激发和保护企业家精神` keeps `激发和`).
    pub bound_tags: Vec<u8>,
}

/// How two members are tied.
#[derive(Clone, Debug, PartialEq)]
enum Tie {
    Head(usize),
    Anchor(String),
    Position(usize, char),
    Shape,
    /// Shared chars at nearly the same relative positions: (shared chars, longer unit's length).
    Skeleton(usize, usize),
    /// Clause by clause: the number of clauses, of equal length in both units.
    Clauses(usize),
}

/// Clause separators inside a sentence unit: the segmenter's clause ends and the semicolons it
/// counts as sentence ends.
fn is_clause_mark(c: char) -> bool {
    crate::segment::is_clause_end(c) || matches!(c, '；' | ';')
}

/// The clauses of a unit as char ranges (empty pieces left out).
fn clause_ranges(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (k, &c) in chars.iter().enumerate() {
        if is_clause_mark(c) {
            if k > start {
                out.push((start, k));
            }
            start = k + 1;
        }
    }
    if chars.len() > start {
        out.push((start, chars.len()));
    }
    out
}

/// Whether two units have the same number of clauses (two or more) of equal length, clause by clause,
/// give or take one char: the number of clauses, or none.
fn clause_profile(a: &[char], b: &[char]) -> Option<usize> {
    let (ca, cb) = (clause_ranges(a), clause_ranges(b));
    (ca.len() == cb.len()
        && ca.len() >= 2
        && ca
            .iter()
            .zip(cb.iter())
            .all(|(&(sa, ea), &(sb, eb))| (ea - sa).abs_diff(eb - sb) <= 1))
    .then_some(ca.len())
}

/// Chars that differ only in person or gender compare equal (`他的无畏` / `她的无畏`).
fn fold_person(c: char) -> char {
    match c {
        '她' | '它' | '祂' => '他',
        '您' => '你',
        '妳' => '你',
        c => c,
    }
}

/// Longest common subsequence of `a` and `b` over chars that sit at nearly the same relative position
/// (`|i/|a| - j/|b|| <= band`); punctuation counts, so the shape of the clauses is part of the skeleton.
/// Members are bounded by `member_len`, so the table is small.
fn skeleton_len(a: &[char], b: &[char], band: f64) -> usize {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return 0;
    }
    let mut prev = vec![0usize; m + 1];
    let mut cur = vec![0usize; m + 1];
    for (i, x) in a.iter().enumerate() {
        let ri = i as f64 / n as f64;
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y && (ri - j as f64 / m as f64).abs() <= band {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// Taggings of a paragraph's units by text, shared by every structure rule (a clause is tagged once
/// however many rules compare it).
pub(super) type TagCache = rustc_hash::FxHashMap<String, Tagged>;

/// A unit's tokens (char ranges in the member text) and coarse POS tags.
#[derive(Clone)]
pub(super) struct Tagged {
    tokens: Vec<(usize, usize)>,
    tags: Vec<u8>,
    /// Whether the unit is a noun phrase: no verb (a nominal verb such as `检查/vn` does not count) and
    /// a noun last.
    noun_phrase: bool,
    /// Whether the unit is a three-char verb–object (or adjective–noun) phrase cut one plus two
    /// (`稳/增长`, `调/结构`, `硬/脊梁`): the 三字格 of slogans, whose short tags are too noisy to compare.
    verb_object: bool,
}

fn tag(cand: &Cand) -> Tagged {
    tag_text(&cand.text)
}

/// A jieba tag's first letter; a nominal verb (`vn`) is `N` and a nominal adjective (`an`) `A`, which
/// match both their own class and nouns (see [`same_tag`]): `行动/vn 上的一致` is shaped like `政治/n
/// 上的团结`, and `调节/vn 过高收入` like `增加/v 低收入者收入`.
fn coarse(tag: &str) -> u8 {
    match tag {
        "vn" => b'N',
        "an" => b'A',
        _ => tag.bytes().next().unwrap_or(b'x'),
    }
}

/// Whether two coarse tags are alike (`N` matches `n` and `v`, `A` matches `a` and `n`).
fn same_tag(x: u8, y: u8) -> bool {
    let flex = |f: u8, o: u8| match f {
        b'N' => matches!(o, b'n' | b'v' | b'N' | b'A'),
        b'A' => matches!(o, b'a' | b'n' | b'N' | b'A'),
        _ => false,
    };
    x == y || flex(x, y) || flex(y, x)
}

fn tag_text(text: &str) -> Tagged {
    let jieba = crate::segment::default_jieba();
    let mut tokens = Vec::new();
    let mut tags = Vec::new();
    let mut has_verb = false;
    let mut noun_last = false;
    for t in jieba.tag(text, true) {
        if t.word.trim().is_empty() {
            continue;
        }
        tokens.push((t.start, t.end));
        // Coarse tag: the first letter (`n`, `v`, `a`, `d`, `p`, `u`, …); punctuation is `x`.
        // A nominal verb or adjective (`行动/vn`, `困难/an`) stands where a noun stands.
        let c = if t.word.chars().all(is_punctuation) {
            b'x'
        } else {
            coarse(t.tag)
        };
        tags.push(c);
        has_verb |= t.tag.starts_with('v') && t.tag != "vn";
        // (`j`: an abbreviation, nominal: `奥运会`.)
        noun_last = t.tag.starts_with('n') || t.tag == "vn" || t.tag == "j";
    }
    // A copula or modal first (`是平台`, `要珍惜`) makes no verb–object phrase. A three-char word
    // of the dictionary (`织密网`, `防污染`) is one too when its first char is a verb and the rest a
    // word (tagged on their own).
    let one_plus_two = |tokens: &[(usize, usize)], tags: &[u8]| {
        tokens == [(0, 1), (1, 3)]
            && matches!(tags[0], b'v' | b'a' | b'd')
            && matches!(tags[1], b'n' | b'v' | b'a' | b'N' | b'A')
    };
    let verb_object = text.chars().count() == 3
        && (one_plus_two(&tokens, &tags)
            || (tokens == [(0, 3)] && {
                let parts: Vec<_> = text
                    .char_indices()
                    .map(|(b, _)| b)
                    .skip(1)
                    .take(1)
                    .flat_map(|b| [&text[..b], &text[b..]])
                    .map(|p| jieba.tag(p, true))
                    .collect();
                parts.len() == 2
                    && parts[1].len() == 1
                    && one_plus_two(
                        &[(0, 1), (1, 3)],
                        &[
                            coarse(parts[0].first().map_or("x", |t| t.tag)),
                            coarse(parts[1][0].tag),
                        ],
                    )
            }))
        && !text.starts_with([
            '是', '有', '要', '能', '会', '应', '可', '将', '让', '使', '在',
        ]);
    Tagged {
        tokens,
        tags,
        noun_phrase: noun_last && !has_verb,
        verb_object,
    }
}

/// Whether a list's first unit `whole` is at least as like the next member `other` without its
/// lead-in (as `cut`) as with it: their tag shapes are compared. `坚持权利平等` / `机会平等` lose `坚持`;
/// `增加低收入者收入` / `调节过高收入` keep `增加`, which is part of the frame (both open with a verb).
pub(super) fn better_without_lead_in(whole: &str, cut: &str, other: &str) -> bool {
    let shape = |t: &str| (t.chars().count(), tag_text(t).tags);
    lead_in_goes(&shape(whole), &shape(cut), &shape(other))
}

/// [`better_without_lead_in`] on (length in chars, tags) of the three units.
fn lead_in_goes(
    whole: &(usize, Vec<u8>),
    cut: &(usize, Vec<u8>),
    other: &(usize, Vec<u8>),
) -> bool {
    // A lead-in that makes the member half as long again as the next is no part of a balanced frame
    // (`全面提升大局意识、攻坚意识`), whatever the tags say.
    if whole.0 as f64 > 1.45 * other.0 as f64 {
        return true;
    }
    let n = usize::MAX;
    // Nominal verbs count as verbs here: a lead-in is judged by the verbs that open the units
    // (`增加/v 低收入者收入` / `调节/vn 过高收入`).
    let verbal = |t: &[u8]| -> Vec<u8> {
        t.iter()
            .map(|&c| match c {
                b'N' => b'v',
                b'A' => b'a',
                c => c,
            })
            .collect()
    };
    let (cut, whole, other) = (verbal(&cut.1), verbal(&whole.1), verbal(&other.1));
    // On a tie the cut wins: it is as long as the other member (a balanced list).
    shape_distance(&cut, &other, n) <= shape_distance(&whole, &other, n)
}

/// Tags that make an anchor a content word (function words alone do not anchor a pair).
fn is_content(tag: u8) -> bool {
    matches!(
        tag,
        b'n' | b'v'
            | b'a'
            | b'N'
            | b'A'
            | b'i'
            | b'l'
            | b'j'
            | b's'
            | b't'
            | b'f'
            | b'b'
            | b'z'
            | b'g'
    )
}

/// Edit distance between two tag sequences.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(!same_tag(*x, *y)))
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

/// A unit's char bigrams (punctuation left out), packed and sorted: units are short, so a merge of two
/// sorted lists beats hashing.
fn bigrams(chars: &[char]) -> Vec<u64> {
    let mut out: Vec<u64> = chars
        .windows(2)
        .filter(|w| !is_punctuation(w[0]) && !is_punctuation(w[1]))
        .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1]))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether two short char slices share a bigram (punctuation left out): a nested scan, as the pre-check
/// of a cut unit runs up to three times per unit and building two sorted lists each time cost more.
fn slices_share_bigram(a: &[char], b: &[char]) -> bool {
    a.windows(2)
        .filter(|x| !is_punctuation(x[0]) && !is_punctuation(x[1]))
        .any(|x| b.windows(2).any(|y| x == y))
}

/// Whether two sorted lists share an element.
fn sorted_meet(a: &[u64], b: &[u64]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

struct Pass<'a> {
    rule: &'a Structure,
    units: &'a Units,
    cache: &'a mut TagCache,
    /// Trimmed copies of units (a list's lead-in cut off), addressed as `units.len() + k`.
    extra: Vec<(usize, Cand)>,
    ok: Vec<bool>,
    tagged: Vec<Option<Tagged>>,
    grams: Vec<Option<Vec<u64>>>,
}

impl<'a> Pass<'a> {
    fn new(rule: &'a Structure, units: &'a Units, cache: &'a mut TagCache) -> Pass<'a> {
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
                    && rule
                        .reject
                        .as_ref()
                        .is_none_or(|rx| rx.find_from(&c.text, 0).is_none())
            })
            .collect();
        let n = units.cands.len();
        Pass {
            rule,
            units,
            cache,
            extra: Vec::new(),
            ok,
            tagged: (0..n).map(|_| None).collect(),
            grams: (0..n).map(|_| None).collect(),
        }
    }

    /// Unit `i`, or a trimmed copy when `i` is past the units.
    fn cand(&self, i: usize) -> &Cand {
        let n = self.units.cands.len();
        if i < n {
            &self.units.cands[i]
        } else {
            &self.extra[i - n].1
        }
    }

    /// The unit a (possibly trimmed) candidate comes from.
    fn real(&self, i: usize) -> usize {
        let n = self.units.cands.len();
        if i < n { i } else { self.extra[i - n].0 }
    }

    /// A copy of chars `[from, to)` of unit `i`: a list's first unit without its lead-in
    /// (`使财政资金花得其所` → `花得其所`), or a pair's second unit without its run-on
    /// (`融资贵问题` → `融资贵`).
    fn trimmed(&mut self, i: usize, from: usize, to: usize) -> usize {
        let c = &self.units.cands[i];
        let len = to - from;
        let cand = Cand::new(
            c.chars[from..to].to_vec(),
            c.origins[from..to].to_vec(),
            c.raw_start,
            c.closed,
        );
        let r = self.rule;
        let ok = r
            .member
            .as_ref()
            .is_none_or(|rx| rx.find_from(&cand.text, 0).is_some())
            && r.reject
                .as_ref()
                .is_none_or(|rx| rx.find_from(&cand.text, 0).is_none())
            && len >= r.member_len.0;
        self.extra.push((i, cand));
        self.ok.push(ok);
        self.tagged.push(None);
        self.grams.push(None);
        self.units.cands.len() + self.extra.len() - 1
    }

    fn tags(&mut self, i: usize) -> &Tagged {
        if self.tagged[i].is_none() {
            let text = &self.cand(i).text;
            let t = match self.cache.get(text) {
                Some(t) => t.clone(),
                None => {
                    let t = tag(self.cand(i));
                    self.cache.insert(text.clone(), t.clone());
                    t
                }
            };
            self.tagged[i] = Some(t);
        }
        self.tagged[i].get_or_insert_with(|| Tagged {
            tokens: Vec::new(),
            tags: Vec::new(),
            noun_phrase: false,
            verb_object: false,
        })
    }

    fn shares_bigram(&mut self, i: usize, j: usize) -> bool {
        if self.grams[i].is_none() {
            self.grams[i] = Some(bigrams(&self.cand(i).chars));
        }
        if self.grams[j].is_none() {
            self.grams[j] = Some(bigrams(&self.cand(j).chars));
        }
        let (Some(a), Some(b)) = (&self.grams[i], &self.grams[j]) else {
            return false;
        };
        sorted_meet(a, b)
    }

    /// A head or anchor that is only an excluded word (`我们`) does not tie two units.
    fn excluded(&self, s: &str) -> bool {
        self.rule.exclude_anchor.iter().any(|x| s == x)
    }

    /// How units `i` and `j` are tied, if they are parallel; `want` is the run's tie so far.
    fn tie(&mut self, i: usize, j: usize, want: Option<&Tie>) -> Option<(Tie, f64)> {
        let r = self.rule;
        // A title or heading line (no end char) is not parallel to a sentence.
        let mixed = r.unit != Unit::Clause && self.cand(i).closed != self.cand(j).closed;
        if !self.ok[i] || !self.ok[j] || mixed {
            return None;
        }
        let a: Vec<char> = self.cand(i).chars.iter().map(|&c| fold_person(c)).collect();
        let b: Vec<char> = self.cand(j).chars.iter().map(|&c| fold_person(c)).collect();
        let (la, lb) = (a.len(), b.len());
        if la.max(lb) as f64 > r.length_ratio * la.min(lb) as f64 {
            return None;
        }
        if a == b {
            // A sentence said again (`这个世界需要你。` … `这个世界需要你。`) is a repetition figure; equal
            // clauses or headings are not.
            let repeated = r.unit != Unit::Clause
                && self.cand(i).closed
                && matches!(want, None | Some(Tie::Head(_)));
            return repeated.then_some((Tie::Head(la), 0.0));
        }
        // A shared skeleton needs no tags: tried first, and kept as the fallback of a run tied otherwise.
        let skeleton = (r.skeleton > 0.0)
            .then(|| skeleton_len(&a, &b, r.skeleton_band))
            .filter(|&s| s as f64 >= r.skeleton * la.max(lb) as f64 && la >= s + 2 && lb >= s + 2)
            .map(|s| Tie::Skeleton(s, la.max(lb)));
        let head = a
            .iter()
            .zip(b.iter())
            .take_while(|(x, y)| x == y && !is_punctuation(**x))
            .count();
        let short = r.positional_len > 0 && la.max(lb) <= r.positional_len;
        let may_head = r.min_head > 0 && head >= r.min_head;
        // A run tied by its skeleton goes on with any tie; a shared head is named when there is one.
        let skeleton_run = matches!(want, Some(Tie::Skeleton(..)));
        if let Some(t) = &skeleton
            && (skeleton_run || (want.is_none() && !may_head))
        {
            return Some((t.clone(), 0.0));
        }
        let want = if skeleton_run { None } else { want };
        // Clause by clause (sentences): a cheap char test first, the tags below.
        let clauses = (r.clause_profile && r.unit != Unit::Clause)
            .then(|| clause_profile(&a, &b))
            .flatten();
        if !may_head
            && !short
            && r.shape_only_distance < 0.0
            && clauses.is_none()
            && !self.shares_bigram(i, j)
        {
            return skeleton.map(|t| (t, 0.0));
        }
        self.tags(i);
        self.tags(j);
        let (Some(ta), Some(tb)) = (&self.tagged[i], &self.tagged[j]) else {
            return None;
        };
        let (ta_tags, ta_tokens, tb_tags, tb_tokens) = (&ta.tags, &ta.tokens, &tb.tags, &tb.tokens);
        let dist = shape_distance(ta_tags, tb_tags, r.shape_tokens);
        // Two noun phrases sharing a word are a list, not a couplet (`先进城市、先进单位`, `经济工作会议、
        // 政府工作报告`, `党代会、人代会`).
        // (Chars shared strictly inside equal-length units that open and end differently are a frame:
        // `精细化服务、人性化管理`; not `内地与香港、内地与澳门`, `理论逻辑、历史逻辑`.)
        let inner_frame = la == lb
            && head == 0
            && a[la - 1] != b[la - 1]
            && (1..la - 1).any(|k| a[k] == b[k] && !is_punctuation(a[k]));
        if r.unit == Unit::Clause
            && r.max_members == 2
            && ta.noun_phrase
            && tb.noun_phrase
            && !inner_frame
        {
            return skeleton.map(|t| (t, dist));
        }
        // Shared head.
        if may_head && dist <= r.head_shape_distance {
            let h: String = a[..head].iter().collect();
            let same = matches!(want, None | Some(Tie::Head(_)));
            if same && !self.excluded(&h) {
                return Some((Tie::Head(head), dist));
            }
        }
        // Short equal-length units that share at least half their chars as a head are one frame whatever
        // their tags (`融资难、融资贵`, `人人尽责、人人享有`: tags of two or three words are noise).
        if may_head
            && short
            && la == lb
            && head * 2 >= la
            && matches!(want, None | Some(Tie::Head(_)))
        {
            let h: String = a[..head].iter().collect();
            if !self.excluded(&h) {
                return Some((Tie::Head(head), dist));
            }
        }
        // Pairs: short units of equal length opening with the same char are a couplet when they are
        // not two noun phrases (`不划阶段、不分环节`, `高起点规划、高标准建设`): their words fill the
        // same slots, and jieba's tags of such short units are noise.
        if r.equal_head_pairs
            && r.max_members == 2
            && may_head
            && short
            && la == lb
            && la >= 4
            && !(ta.noun_phrase && tb.noun_phrase)
            // (A unit opening with a conjunction, `不仅…`, is a clause of a complex sentence.)
            && ta_tags.first() != Some(&b'c')
            && tb_tags.first() != Some(&b'c')
            && want.is_none_or(|w| matches!(w, Tie::Head(_)))
        {
            let h: String = a[..head].iter().collect();
            if !self.excluded(&h) {
                return Some((Tie::Head(head), dist));
            }
        }
        // A word-aligned anchor (a run of equal tokens) at a similar relative position.
        if r.min_anchor > 0 && dist <= r.max_shape_distance {
            fn word<'c>(t: &[(usize, usize)], c: &'c [char], k: usize) -> &'c [char] {
                &c[t[k].0..t[k].1]
            }
            let mut best: Option<(usize, String)> = None;
            for ka in 0..ta_tokens.len() {
                for kb in 0..tb_tokens.len() {
                    let mut n = 0;
                    let mut chars = 0;
                    let mut content = false;
                    while ka + n < ta_tokens.len()
                        && kb + n < tb_tokens.len()
                        && ta_tags[ka + n] != b'x'
                        && word(ta_tokens, &a, ka + n) == word(tb_tokens, &b, kb + n)
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
                    if (ra - rb).abs() > r.anchor_position {
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
        // Short units: one equal char at the same inner position. In units of three or four chars
        // whose shared chars all sit strictly inside (`打不倒、压不垮`, `敢字为先、干字当头`, `大众创业、
        // 万众创新`) those chars are the frame, and their tags (of one or two words) are noise; a shared head or tail is a
        // compound's (`化肥厂、水泥厂`) and needs the tags.
        let middle_only = la == lb
            && (3..=4).contains(&la)
            && a[0] != b[0]
            && a[la - 1] != b[la - 1]
            && (1..la - 1).any(|k| a[k] == b[k] && !is_punctuation(a[k]));
        if short && (dist <= r.positional_shape_distance || middle_only) {
            let pos = (1..la.min(lb)).find(|&k| a[k] == b[k] && !is_punctuation(a[k]));
            // A pair of nouns sharing their last char share a suffix (`化肥厂、水泥厂`): a list, not a
            // couplet (three or more such, `社会化、法治化、智能化`, may be a parallelism).
            // A shared locative last (`工作上、计划上`) is such a suffix too.
            let locative = ta.tags.last() == Some(&b'f') && tb.tags.last() == Some(&b'f');
            let suffix = |k: usize| {
                r.max_members == 2
                    && k + 1 == la
                    && la == lb
                    && ((ta.noun_phrase && tb.noun_phrase) || locative)
                    && head == 0
            };
            if let Some(k) = pos.filter(|&k| !suffix(k)) {
                let t = Tie::Position(k, a[k]);
                if want.is_none_or(|w| *w == t) {
                    return Some((t, dist));
                }
            }
        }
        // Three-char verb–object phrases are one shape whatever their words (`稳增长、促改革、调结构`,
        // `长才干、壮筋骨`).
        if ta.verb_object && tb.verb_object && want.is_none_or(|w| *w == Tie::Shape) {
            return Some((Tie::Shape, dist));
        }
        // Mirrored units: equal length, the same sequence of word lengths (three words or more) and a
        // char equal at the same place (`整改不到位不松手、效果不明显不放手`): the words fill the same
        // slots whatever jieba's tags say.
        let lengths = |t: &[(usize, usize)]| t.iter().map(|(s, e)| e - s).collect::<Vec<_>>();
        // (Whole units only: a cut copy's words may line up by chance, `学习领会其理论逻辑`.)
        let whole = i < self.units.cands.len() && j < self.units.cands.len();
        if r.mirrored
            && whole
            && la == lb
            && ta_tokens.len() >= 3
            && lengths(ta_tokens) == lengths(tb_tokens)
            && (0..la).any(|k| a[k] == b[k] && !is_punctuation(a[k]))
            && want.is_none_or(|w| *w == Tie::Shape)
        {
            return Some((Tie::Shape, dist));
        }
        if let Some(n) = clauses
            && dist <= r.clause_shape_distance
            && want.is_none_or(|w| matches!(w, Tie::Clauses(_)))
        {
            return Some((Tie::Clauses(n), dist));
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
        skeleton.map(|t| (t, dist))
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

    /// Whether the unit just before or after `members` (joined to them) carries the run's shared head
    /// or anchor too.
    fn extends_outside(&mut self, members: &[usize], tie: &Tie) -> bool {
        let first = self.real(members[0]);
        let last = self.real(members[members.len() - 1]);
        let n = self.units.cands.len();
        // A neighbour parallel to its adjacent member in the same way (same head, anchor or shape), or a
        // list of four-char phrases behind the pair's own separator, is a longer run (`人人尽责、人人享有，坚守底线、…` is a pair, then a list).
        let four = members.iter().all(|&m| self.cand(m).chars.len() == 4);
        let inner = self.units.gaps.get(first).cloned().flatten();
        let same_gap = |k: usize| self.units.gaps.get(k).cloned().flatten() == inner;
        if first > 0 && self.joinable(first - 1, first) {
            let l = self.units.cands[first - 1].chars.len();
            if (four && l == 4 && same_gap(first - 1))
                || self.tie(first - 1, members[0], Some(tie)).is_some()
            {
                return true;
            }
        }
        if last + 1 < n && self.joinable(last, last + 1) {
            let l = self.units.cands[last + 1].chars.len();
            if (four && l == 4 && same_gap(last)) || self.tie(last, last + 1, Some(tie)).is_some() {
                return true;
            }
        }
        self.shares_outside(members, tie)
    }

    fn shares_outside(&self, members: &[usize], tie: &Tie) -> bool {
        let first = self.real(members[0]);
        let last = self.real(members[members.len() - 1]);
        let shared: String = match tie {
            Tie::Head(h) => self.cand(members[0]).chars[..*h].iter().collect(),
            Tie::Anchor(a) => a.clone(),
            Tie::Position(..) | Tie::Shape | Tie::Skeleton(..) | Tie::Clauses(_) => return false,
        };
        let before = first > 0
            && self.joinable(first - 1, first)
            && self.units.cands[first - 1].text.contains(shared.as_str());
        let after = last + 1 < self.units.cands.len()
            && self.joinable(last, last + 1)
            && match tie {
                Tie::Head(_) => self.units.cands[last + 1].text.starts_with(shared.as_str()),
                _ => self.units.cands[last + 1].text.contains(shared.as_str()),
            };
        before || after
    }

    /// The next member after `prev` tied like `want` (or any tie when `want` is none).
    fn next(&mut self, prev: usize, want: Option<&Tie>) -> Option<(usize, Tie, f64)> {
        let n = self.units.cands.len();
        let real = self.real(prev);
        for j in real + 1..n.min(real + 2 + self.rule.max_gap) {
            if !self.joinable(real, j) {
                return None;
            }
            // Members apart (other units between them) must open alike, on three chars or more: an inner
            // word or a two-char head (`全面…`) is too weak a tie across a gap.
            if let Some((t, d)) = self.tie(prev, j, want)
                && (j == real + 1 || matches!(t, Tie::Head(h) if h >= 3))
            {
                return Some((j, t, d));
            }
        }
        None
    }

    /// The first pair of a run from unit `i`: `i` with a following unit, or, when `i` is longer than
    /// its neighbour, `i` without its lead-in (cut to the neighbour's length, or one char more or less).
    fn start(&mut self, i: usize) -> Option<(usize, usize, Tie, f64)> {
        if let Some((j, t, d)) = self.next(i, None) {
            return Some((i, j, t, d));
        }
        let n = self.units.cands.len();
        if !self.rule.trim_lead || i + 1 >= n || !self.joinable(i, i + 1) {
            return None;
        }
        let (la, lb) = (
            self.units.cands[i].chars.len(),
            self.units.cands[i + 1].chars.len(),
        );
        for l in [lb, lb + 1, lb.saturating_sub(1)] {
            if l == 0 || l >= la || l < self.rule.member_len.0 {
                continue;
            }
            // Cheap test first: the cut unit must share a char with its neighbour at the same place or
            // open like it, or there is nothing to tie.
            let a = &self.units.cands[i].chars[la - l..];
            let b = &self.units.cands[i + 1].chars;
            // (Three-char units may be tied by their verb–object shape alone, longer ones by a shared
            // word anywhere: `所付出的一切努力` / `进行的一切斗争`.)
            if !(a[0] == b[0]
                || (l == 3 && b.len() == 3)
                || a.iter()
                    .zip(b.iter())
                    .any(|(x, y)| x == y && !is_punctuation(*x))
                || (self.rule.min_anchor > 0 && slices_share_bigram(a, b)))
            {
                continue;
            }
            if !self.units.cands[i].word_starts().contains(&(la - l)) {
                continue;
            }
            let v = self.trimmed(i, la - l, la);
            // (The bound-word test tags the whole unit: only once a tie is found.)
            if let Some((t, d)) = self.tie(v, i + 1, None)
                && !self.bound_at(i, la - l)
            {
                return Some((v, i + 1, t, d));
            }
        }
        if self.rule.max_members == 2 {
            if let Some(p) = self.head_pair(i) {
                return Some(p);
            }
            if self.rule.core_pairs {
                return self.core_pair(i);
            }
        }
        None
    }

    /// Whether units `i` and `i + 1` are joined by `、`: it joins phrases of one clause, so what follows
    /// the second one belongs to both (`高起点规划、高标准建设|雄安新区`, `大众创业、万众创新|上水平`).
    fn listed(&self, i: usize) -> bool {
        self.units.gaps[i]
            .as_deref()
            .is_some_and(|g| g.contains('、'))
    }

    /// Whether the word of unit `i` that ends or starts at char `at` binds the two sides (a
    /// conjunction: `激发和|保护企业家精神`, `把学|和做结合起来`), so that no member starts at `at`.
    fn bound_at(&mut self, i: usize, at: usize) -> bool {
        if self.rule.bound_tags.is_empty() || at == 0 {
            return false;
        }
        let bound = self.rule.bound_tags.clone();
        let t = self.tags(i);
        t.tokens
            .iter()
            .zip(t.tags.iter())
            .any(|(&(b, e), tag)| (e == at || b == at) && bound.contains(tag))
    }

    /// The aligned cores of units `i` and `i + 1`: the end of `i` and the start of `i + 1`, of equal
    /// length (longest first, at most `positional_len`), each cut on a word boundary, tied like whole
    /// units (`成为永远打不倒、压不垮的马克思主义政党` → `打不倒` / `压不垮`). At least one unit is cut
    /// (whole units were tried before).
    fn core_pair(&mut self, i: usize) -> Option<(usize, usize, Tie, f64)> {
        let (la, lb) = (
            self.units.cands[i].chars.len(),
            self.units.cands[i + 1].chars.len(),
        );
        let most = la.min(lb).min(self.rule.positional_len.max(1));
        let least = self.rule.member_len.0.max(3);
        for l in (least..=most).rev() {
            if l == la && l == lb {
                continue;
            }
            let (a, b) = (
                &self.units.cands[i].chars[la - l..],
                &self.units.cands[i + 1].chars[..l],
            );
            // Cheap test first: an equal char at the same place.
            if !a
                .iter()
                .zip(b.iter())
                .any(|(x, y)| x == y && !is_punctuation(*x))
            {
                continue;
            }
            // Behind a comma the second unit's run-on opens with a modifier or locative mark that
            // closes the pair (`见世面|中`); any other run-on makes the cut half a clause. Behind a `、`
            // any run-on belongs to both members (see `listed`).
            if l < lb
                && !self
                    .rule
                    .core_run_on
                    .contains(&self.units.cands[i + 1].chars[l])
                && !self.listed(i)
            {
                continue;
            }
            if (l < la && !self.units.cands[i].word_starts().contains(&(la - l)))
                || (l < lb && !self.units.cands[i + 1].word_starts().contains(&l))
            {
                continue;
            }
            let first = if l == la {
                i
            } else {
                self.trimmed(i, la - l, la)
            };
            let second = if l == lb {
                i + 1
            } else {
                self.trimmed(i + 1, 0, l)
            };
            if let Some((t, d)) = self.tie(first, second, None)
                && (l == la || !self.bound_at(i, la - l))
            {
                return Some((first, second, t, d));
            }
        }
        None
    }

    /// Whether unit `k` opens with the same char as the unit after it, joined to it.
    fn opens_like_next(&self, k: usize) -> bool {
        let real = self.real(k);
        let next = real + 1;
        next < self.units.cands.len()
            && self.joinable(real, next)
            && self.cand(k).chars.first() == self.units.cands[next].chars.first()
    }

    /// A first member longer than the second by a lead-in loses it when the cut falls on a word
    /// boundary, stays tied to the second member and is closer to it in shape (see
    /// [`better_without_lead_in`]).
    fn drop_lead_in(&mut self, members: &mut [usize], tie: &Tie) {
        let (first, second) = (members[0], members[1]);
        if first >= self.units.cands.len() {
            return;
        }
        let (la, lb) = (self.cand(first).chars.len(), self.cand(second).chars.len());
        if la < lb + 2 {
            return;
        }
        let units = self.units;
        let starts = units.cands[first].word_starts();
        // The taggings of the whole unit and of the second member, once (they are cached).
        let whole = (la, self.tags(first).tags.clone());
        let other = (lb, self.tags(second).tags.clone());
        for l in [lb, lb + 1, lb.saturating_sub(1)] {
            if l < self.rule.member_len.0.max(2)
                || l >= la
                || !starts.contains(&(la - l))
                || self.bound_at(first, la - l)
            {
                continue;
            }
            let v = self.trimmed(first, la - l, la);
            let cut = (l, self.tags(v).tags.clone());
            if lead_in_goes(&whole, &cut, &other) && self.tie(v, second, Some(tie)).is_some() {
                members[0] = v;
                return;
            }
        }
    }

    /// The unit after `prev` cut to `prev`'s length (or one char more or less) at a word boundary, when
    /// that prefix is tied to `prev` like the run: a last member running on into the rest of its clause.
    fn run_on(&mut self, prev: usize, tie: &Tie) -> Option<(usize, f64)> {
        let real = self.real(prev);
        let j = real + 1;
        if j >= self.units.cands.len() || !self.joinable(real, j) {
            return None;
        }
        let lp = self.cand(prev).chars.len();
        let lj = self.units.cands[j].chars.len();
        for l in [lp, lp + 1, lp.saturating_sub(1)] {
            if l < self.rule.member_len.0.max(2) || l >= lj {
                continue;
            }
            if !self.units.cands[j].word_starts().contains(&l) {
                continue;
            }
            let v = self.trimmed(j, 0, l);
            if let Some((_, d)) = self.tie(prev, v, Some(tie)) {
                return Some((v, d));
            }
        }
        None
    }

    /// Two members sharing a head inside longer clauses: the first loses its lead-in where the second
    /// one's opening occurs, the second its run-on at the first one's length (`解决融资难、融资贵问题` →
    /// `融资难` / `融资贵`; `检验一个政党、一个政权性质的试金石` → `一个政党` / `一个政权`). Cuts fall on
    /// word boundaries.
    fn head_pair(&mut self, i: usize) -> Option<(usize, usize, Tie, f64)> {
        let (a, b) = (&self.units.cands[i].chars, &self.units.cands[i + 1].chars);
        let (la, lb) = (a.len(), b.len());
        if lb < 2 || !a.contains(&b[0]) {
            return None;
        }
        let starts_a = self.units.cands[i].word_starts();
        let starts_b = self.units.cands[i + 1].word_starts();
        let froms: Vec<usize> = (0..la.saturating_sub(1))
            .filter(|&p| a[p] == b[0] && a[p + 1] == b[1] && starts_a.contains(&p))
            .collect();
        // Only short balanced phrases: a long remainder is a clause of its own, not half a couplet.
        let most = if self.rule.positional_len > 0 {
            self.rule.positional_len
        } else {
            8
        };
        for p in froms {
            let l = la - p;
            if l < self.rule.member_len.0 || l > most || (p == 0 && lb <= l) {
                continue;
            }
            // The second member keeps the first one's length when a word ends there.
            let to = if lb > l && starts_b.contains(&l) {
                l
            } else {
                lb
            };
            if to.abs_diff(l) > 1 {
                continue;
            }
            let first = if p == 0 { i } else { self.trimmed(i, p, la) };
            let second = if to == lb {
                i + 1
            } else {
                self.trimmed(i + 1, 0, to)
            };
            if let Some((t, d)) = self.tie(first, second, None) {
                return Some((first, second, t, d));
            }
        }
        None
    }
}

/// The kind of sentence end in a gap between two units: `；`, `。` or another (`！`, `？`, `…`).
fn gap_kind(gap: &str) -> u8 {
    match gap.chars().find(|c| !c.is_whitespace()) {
        Some(';' | '；') => 1,
        Some('。' | '.') => 2,
        _ => 3,
    }
}

/// Char offsets where jieba words start in `text`.
pub(super) fn word_starts(text: &str) -> Vec<usize> {
    crate::segment::default_jieba()
        .cut(text, true)
        .iter()
        .map(|t| t.start)
        .collect()
}

/// Whether most members are proper names (place, person, organisation: `包头钢铁公司、武汉钢铁公司`): a
/// list of names is an inventory, not a parallel structure. With `statements`, members are sentences,
/// and one with a verb is a statement about its subject, not an item of an inventory (`青春/ns 之时，
/// 我们必须勤学奋斗`: jieba's dictionary also holds common words as place names); inside a clause a
/// verb may be part of a name (`下马/v 岭`).
pub(super) fn is_name_list(members: &[&str], statements: bool) -> bool {
    let jieba = crate::segment::default_jieba();
    let named = members
        .iter()
        .filter(|m| {
            let tags = jieba.tag(m, true);
            // Plain `nr` is left out: jieba's dictionary gives it to common words (`养老`, `幸福感`).
            let name = tags.first().is_some_and(|t| {
                t.tag.starts_with("ns")
                    || (t.tag.starts_with("nr") && t.tag != "nr")
                    || t.tag.starts_with("nt")
            });
            name && !(statements && tags.iter().any(|t| t.tag.starts_with('v') && t.tag != "vn"))
        })
        .count();
    named * 2 > members.len()
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
    cache: &mut TagCache,
    out: &mut Vec<PatternHit>,
) {
    let n = units.cands.len();
    // One member per unit: fewer units than members make no hit.
    if n < rule.min_members {
        return;
    }
    let mut pass = Pass::new(rule, units, cache);
    let mut i = 0;
    while i + 1 < n {
        let Some((first, j, tie, d0)) = pass.start(i) else {
            i += 1;
            continue;
        };
        let mut members = vec![first, j];
        let mut worst = d0;
        let (mut lo, mut hi) = {
            let (a, b) = (pass.cand(first).chars.len(), pass.cand(j).chars.len());
            (a.min(b), a.max(b))
        };
        let mut run_tie = tie.clone();
        let mut restart = false;
        // Sentence members are punctuated alike: a run joined by `；` ends at a `。` (and the reverse).
        let stop_kind = |real: usize| {
            units
                .gaps
                .get(real)
                .and_then(|g| g.as_deref())
                .map(gap_kind)
        };
        let kind = (rule.unit == Unit::Sentence).then(|| stop_kind(pass.real(first)));
        while let Some((k, t, d)) = pass.next(members[members.len() - 1], Some(&run_tie)) {
            // A run tied by shape alone stops where a unit opens a run of its own with a shared head
            // (`抓攻坚、求突破，争一流、争第一、争唯一`).
            if run_tie == Tie::Shape && pass.opens_like_next(k) {
                break;
            }
            let len = units.cands[k].chars.len();
            let (l2, h2) = (lo.min(len), hi.max(len));
            if h2 as f64 > rule.length_ratio * l2 as f64 {
                break;
            }
            if kind.is_some_and(|kd| stop_kind(pass.real(members[members.len() - 1])) != kd) {
                break;
            }
            // Members share one frame: a member sharing less of the head than the run so far stands
            // outside it (`感恩像是…；感恩像是…；感恩能带来…`), and a run whose second and third members
            // share more than its first two starts one member later.
            if let (Tie::Head(run_head), Tie::Head(h)) = (&run_tie, &t) {
                let first = &pass.cand(members[0]).chars;
                let next = &units.cands[k].chars;
                let common = first
                    .iter()
                    .zip(next.iter())
                    .take_while(|(x, y)| x == y)
                    .count();
                // Strict: a member keeps at least two thirds of the run's head, or three chars of it
                // (`怎样才能让社会…` / `怎样才能让人们…` and `还记得那个…` / `还记得我们…` go on,
                // `感恩像是…` / `感恩能…` do not): a three-char opening repeated is already a frame.
                if common < rule.min_head
                    || (rule.strict_head && common * 3 < *run_head * 2 && common < 3)
                {
                    if rule.strict_head && members.len() == 2 && *h > *run_head {
                        restart = true;
                    }
                    break;
                }
                run_tie = Tie::Head(common.min(*h));
            }
            if rule.max_clause_difference < usize::MAX {
                let clauses = |c: &Cand| {
                    1 + c
                        .chars
                        .iter()
                        .filter(|&&x| matches!(x, ',' | '、' | ':'))
                        .count()
                };
                let a = clauses(pass.cand(members[members.len() - 1]));
                let b = clauses(&units.cands[k]);
                if a.abs_diff(b) > rule.max_clause_difference {
                    break;
                }
            }
            lo = l2;
            hi = h2;
            worst = worst.max(d);
            members.push(k);
        }
        if restart {
            i = pass.real(members[0]) + 1;
            continue;
        }
        // The list's last member may run on into the rest of its clause (`天蓝、地绿、水清的美丽家园`).
        if rule.trim_lead
            && rule.unit == Unit::Clause
            && let Some((k, d)) = pass.run_on(members[members.len() - 1], &run_tie)
        {
            worst = worst.max(d);
            members.push(k);
        }
        if rule.trim_lead && rule.unit == Unit::Clause {
            pass.drop_lead_in(&mut members, &run_tie);
        }
        let count = members.len();
        if count > rule.max_members {
            // A longer run is another figure (three similar clauses are no antithesis): skip it whole.
            i = pass.real(members[count - 1]) + 1;
            continue;
        }
        if count < rule.min_members {
            i += 1;
            continue;
        }
        if rule.max_members == 2 && pass.extends_outside(&members, &run_tie) {
            // A pair whose shared word also opens (or closes) a neighbouring unit is the end of a longer
            // series (`用公正监管管出公平、管出效率、管出活力`), not a balanced pair.
            i = pass.real(members[count - 1]) + 1;
            continue;
        }
        let texts: Vec<&str> = members
            .iter()
            .map(|&m| pass.cand(m).text.as_str())
            .collect();
        if is_name_list(&texts, rule.unit != Unit::Clause) {
            i = pass.real(members[count - 1]) + 1;
            continue;
        }
        let spans: Vec<Span> = members
            .iter()
            .map(|&m| super::matcher::cover(&pass.cand(m).origins))
            .collect();
        let mut slots = BTreeMap::new();
        let first = pass.cand(members[0]).chars.clone();
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
            Tie::Skeleton(n, len) => {
                format!("shared skeleton of {n} of {len} chars at the same relative positions")
            }
            Tie::Clauses(n) => format!("{n} clauses of equal length, clause by clause"),
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
        i = pass.real(members[count - 1]) + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeletons_are_chars_at_the_same_relative_place() {
        let c = |s: &str| s.chars().collect::<Vec<char>>();
        // `在…时，能够…` sits at the same place in both.
        assert_eq!(
            skeleton_len(
                &c("在购物时，能够买到商品"),
                &c("在看病时，能够找到医生"),
                0.1
            ),
            6
        );
        // Equal chars far apart do not count: `鲜花` ends one and opens the other.
        assert_eq!(skeleton_len(&c("春风唤醒鲜花"), &c("鲜花散发芳香"), 0.1), 0);
        assert_eq!(skeleton_len(&c(""), &c("鲜花"), 0.1), 0);
    }

    #[test]
    fn clause_profiles_compare_clause_lengths_one_by_one() {
        let c = |s: &str| s.chars().collect::<Vec<char>>();
        // Two clauses of 6 and 8 chars in both.
        assert_eq!(
            clause_profile(
                &c("雨露滋润万物，花儿报以芬芳沁脾"),
                &c("阳光普照大地，树木报以茁壮雄健")
            ),
            Some(2)
        );
        // One char of slack per clause.
        assert_eq!(
            clause_profile(&c("回顾五年成就，令人鼓舞"), &c("展望未来发展，催人奋进")),
            Some(2)
        );
        // Different clause counts, or one clause only, or lengths apart by more than one char.
        assert_eq!(
            clause_profile(&c("春风吹绿柳枝，燕子衔来新泥"), &c("春风吹绿柳枝")),
            None
        );
        assert_eq!(clause_profile(&c("春风吹绿柳枝"), &c("夏雨滋润禾苗")), None);
        assert_eq!(
            clause_profile(
                &c("春风吹绿柳枝，燕子衔来新泥"),
                &c("夏雨滋润禾苗，蛙声唱响了整片田野")
            ),
            None
        );
        assert_eq!(clause_ranges(&c("，甲乙，，丙")), vec![(1, 3), (5, 6)]);
    }

    #[test]
    fn names_with_a_verb_are_statements_only_as_sentences() {
        // `青春` is a place name in jieba's dictionary; as sentences these are statements.
        let members = ["青春之时，我们必须勤学奋斗", "青春之时，我们必须敢于立志"];
        assert!(!is_name_list(&members, true));
        assert!(is_name_list(&["包头钢铁公司", "武汉钢铁公司"], true));
        assert!(is_name_list(&["包头钢铁公司", "武汉钢铁公司"], false));
    }

    #[test]
    fn sentence_ends_by_kind() {
        assert_eq!(gap_kind("；"), gap_kind(";"));
        assert_ne!(gap_kind("；"), gap_kind("。"));
        assert_ne!(gap_kind("。"), gap_kind("！"));
    }

    #[test]
    fn nominal_tags_match_nouns_and_verbs() {
        assert!(same_tag(b'N', b'n') && same_tag(b'v', b'N') && same_tag(b'A', b'a'));
        assert!(!same_tag(b'n', b'v') && !same_tag(b'A', b'v'));
        // `政治/n 上 的 团结/a` and `行动/vn 上 的 一致/d` differ by one tag.
        assert_eq!(edit_distance(b"nfua", b"Nfud"), 1);
        assert_eq!(coarse("vn"), b'N');
        assert_eq!(coarse("nr"), b'n');
    }

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
            let t: Vec<String> = j
                .tag(s, true)
                .iter()
                .map(|t| format!("{}/{}", t.word, t.tag))
                .collect();
            println!("{}", t.join(" "));
        }
    }
}
