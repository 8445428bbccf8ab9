//! PAN-style text-alignment benchmark: a case generator and the PAN character-level measures.
//!
//! The generator takes real texts, picks a passage of whole sentences (150–400 chars) in a source document,
//! obfuscates it and inserts it at a sentence boundary of a different host document. Each case is one
//! (source, suspicious) pair with its gold spans. The measures follow the official PAN code
//! (pan-webis-de/pan-code `sepln09/pan09-plagiarism-detection-performance-measures.py`):
//! macro-averaged precision and recall over the characters of both documents, granularity, plagdet.
//!
//! Reuse it from any test or bench with `#[path = "pan/mod.rs"] mod pan;` (or `mod pan;` from `tests/`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Deterministic generator (SplitMix64), so every run builds the same cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, n)` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - p
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// The obfuscations of the benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Obfuscation {
    /// Copied as is.
    Verbatim,
    /// Names, places and numbers swapped.
    Substituted,
    /// A real text turned into a template: names and numbers replaced by `**`/`XX` masks in the copy.
    TemplateMade,
    /// A template filled in: the source has masks, the copy has names and numbers.
    TemplateFilled,
    /// Two to four char edits in the whole passage.
    LightEdits,
    /// Several edits in every sentence (fillers, synonyms, deletions, substitutions).
    HeavyEdits,
    /// Synonyms swapped and fillers inserted.
    Synonyms,
    /// Adjacent clauses and `、` list items swapped in every sentence.
    ClauseSwaps,
    /// Sentences of the passage shuffled.
    Reordered,
}

impl Obfuscation {
    pub const ALL: [Obfuscation; 9] = [
        Obfuscation::Verbatim,
        Obfuscation::Substituted,
        Obfuscation::TemplateMade,
        Obfuscation::TemplateFilled,
        Obfuscation::LightEdits,
        Obfuscation::HeavyEdits,
        Obfuscation::Synonyms,
        Obfuscation::ClauseSwaps,
        Obfuscation::Reordered,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Obfuscation::Verbatim => "verbatim",
            Obfuscation::Substituted => "substituted",
            Obfuscation::TemplateMade => "template (made)",
            Obfuscation::TemplateFilled => "template (filled)",
            Obfuscation::LightEdits => "light edits",
            Obfuscation::HeavyEdits => "heavy edits",
            Obfuscation::Synonyms => "synonyms/fillers",
            Obfuscation::ClauseSwaps => "clause/list swaps",
            Obfuscation::Reordered => "reordered",
        }
    }
    /// The plagdet the issue requires.
    pub fn target(self) -> f64 {
        match self {
            Obfuscation::HeavyEdits | Obfuscation::Reordered => 0.95,
            Obfuscation::Synonyms | Obfuscation::ClauseSwaps => 0.95,
            _ => 0.97,
        }
    }
}

/// One generated case: the two documents and where the passage is in each (char offsets).
pub struct Case {
    pub source: String,
    pub suspicious: String,
    /// Passage in the source document.
    pub src: (usize, usize),
    /// Obfuscated passage in the suspicious document.
    pub susp: (usize, usize),
    pub source_name: String,
    pub host_name: String,
}

/// Real texts: the seed speeches of the repository, plus government work reports when `../shared` exists.
pub fn sources(with_shared: bool) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(root.join("examples/speeches"))
        .expect("examples/speeches exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seeds.sort();
    for p in seeds {
        out.push((
            p.file_name().unwrap().to_string_lossy().into_owned(),
            std::fs::read_to_string(&p).expect("seed speech is UTF-8"),
        ));
    }
    if with_shared && let Some(dir) = shared_reports() {
        for year in [1982, 1995, 2004, 2013, 2021] {
            let p = dir.join(format!("gwr_{year}.txt"));
            if let Ok(s) = std::fs::read_to_string(&p) {
                out.push((format!("gwr_{year}.txt"), without_footer(s)));
            }
        }
    }
    out
}

/// Cuts a site footer (the Wikisource licence block) that runs to the end of the file: it is noise, and a
/// passage inserted into it would be invisible to any reader of the speech.
fn without_footer(s: String) -> String {
    let t = tifa::Text::from_string("t", &s, tifa::text::Encoding::Utf8);
    match t.noise().last() {
        Some(n) if n.end >= t.len_chars() => s.chars().take(n.start).collect(),
        _ => s,
    }
}

/// The folder of government work reports in `../shared`, if present.
pub fn shared_reports() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/cn-political-corpora/split");
    dir.is_dir().then_some(dir)
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；')
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Sentence spans (char offsets) of a text, each ending after its end mark; line breaks end one too.
fn sentences(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            if i > start {
                out.push((start, i));
            }
            start = i + 1;
        } else if is_sentence_end(c) {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    out
}

/// Picks a passage of whole sentences within one paragraph, 150–400 chars, at least 3 sentences.
fn pick_passage(chars: &[char], rng: &mut Rng) -> Option<(usize, usize)> {
    let sents = sentences(chars);
    for _ in 0..200 {
        let k = rng.below(sents.len());
        let want = 150 + rng.below(250);
        let mut end = k;
        while end < sents.len()
            && sents[end].1 - sents[k].0 < want
            && (end == k || sents[end].0 == sents[end - 1].1)
        {
            end += 1;
        }
        if end >= sents.len() || end - k < 2 {
            continue;
        }
        let span = (sents[k].0, sents[end].1);
        let len = span.1 - span.0;
        let han = chars[span.0..span.1].iter().filter(|&&c| is_han(c)).count();
        if end - k + 1 >= 3 && (150..=450).contains(&len) && han * 10 >= len * 7 {
            return Some(span);
        }
    }
    None
}

const PLACES: &[&str] = &[
    "郑州", "洛阳", "开封", "南阳", "信阳", "周口", "商丘", "许昌", "江宁", "余杭", "顺德", "昆山",
];
const NAMES: &[&str] = &["张建国", "李卫东", "王红梅", "赵立新", "刘志强", "陈晓燕"];
const FILLERS: &[&str] = &["进一步", "切实", "持续", "不断", "积极", "大力"];
const SYNONYMS: &[(&str, &str)] = &[
    ("加快", "加速"),
    ("措施", "举措"),
    ("推进", "推动"),
    ("提高", "提升"),
    ("加强", "增强"),
    ("完善", "健全"),
    ("确保", "保证"),
    ("开展", "展开"),
    ("实现", "达成"),
    ("重点", "关键"),
];

fn random_number(rng: &mut Rng, len: usize) -> String {
    (0..len.max(1))
        .map(|i| {
            char::from(
                b'0' + if i == 0 {
                    1 + rng.below(9)
                } else {
                    rng.below(10)
                } as u8,
            )
        })
        .collect()
}

/// Names, places and numbers swapped (masks in the source count as names).
fn substitute(p: &[char], rng: &mut Rng) -> Vec<char> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut since = 0;
    while i < p.len() {
        let c = p[i];
        if c.is_ascii_digit() {
            let mut j = i;
            while j < p.len() && p[j].is_ascii_digit() {
                j += 1;
            }
            let len = j - i + rng.below(2);
            out.extend(random_number(rng, len).chars());
            i = j;
            continue;
        }
        if c == '*' {
            let mut j = i;
            while j < p.len() && p[j] == '*' {
                j += 1;
            }
            out.extend(rng.pick(PLACES).chars());
            i = j;
            continue;
        }
        // `XX市/县/区` style place: swap the two chars before the suffix.
        if i + 2 < p.len()
            && is_han(c)
            && is_han(p[i + 1])
            && matches!(p[i + 2], '省' | '市' | '县' | '区' | '镇' | '乡')
        {
            out.extend(rng.pick(PLACES).chars());
            out.push(p[i + 2]);
            i += 3;
            continue;
        }
        // Every 40 chars or so a personal or unit name changes (a 2-char stretch becomes a 3-char name).
        since += 1;
        if since > 40 && is_han(c) && i + 1 < p.len() && is_han(p[i + 1]) && rng.chance(0.2) {
            out.extend(rng.pick(NAMES).chars());
            i += 2;
            since = 0;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Names and numbers replaced by masks (`***`, `**`, `XX`).
fn make_template(p: &[char], rng: &mut Rng) -> Vec<char> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut since = 0;
    while i < p.len() {
        let c = p[i];
        if c.is_ascii_digit() {
            let mut j = i;
            while j < p.len() && (p[j].is_ascii_digit() || p[j] == '.') {
                j += 1;
            }
            out.extend(std::iter::repeat_n('*', 3));
            i = j;
            continue;
        }
        if i + 2 < p.len()
            && is_han(c)
            && is_han(p[i + 1])
            && matches!(p[i + 2], '省' | '市' | '县' | '区' | '镇' | '乡' | '局')
        {
            out.extend(['*', '*', p[i + 2]]);
            i += 3;
            continue;
        }
        since += 1;
        if since > 30 && is_han(c) && i + 1 < p.len() && is_han(p[i + 1]) && rng.chance(0.15) {
            out.extend(if rng.chance(0.5) {
                ['X', 'X']
            } else {
                ['*', '*']
            });
            i += 2;
            since = 0;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

fn edit_positions(p: &[char]) -> Vec<usize> {
    (0..p.len()).filter(|&i| is_han(p[i])).collect()
}

/// One random char edit (insert, delete or substitute) at a Han char.
fn one_edit(p: &mut Vec<char>, rng: &mut Rng, lo: usize, hi: usize) {
    let pos: Vec<usize> = edit_positions(&p[lo..hi])
        .into_iter()
        .map(|i| i + lo)
        .collect();
    if pos.is_empty() {
        return;
    }
    let at = *rng.pick(&pos);
    let other = p[*rng.pick(&pos)];
    match rng.below(3) {
        0 => p.insert(at, other),
        1 => {
            p.remove(at);
        }
        _ => p[at] = if other != p[at] { other } else { '新' },
    }
}

fn light_edits(p: &[char], rng: &mut Rng) -> Vec<char> {
    let mut out = p.to_vec();
    for _ in 0..2 + rng.below(3) {
        let n = out.len();
        one_edit(&mut out, rng, 0, n);
    }
    out
}

fn replace_synonyms(s: &str, rng: &mut Rng, p: f64) -> String {
    let mut s = s.to_string();
    for (x, y) in SYNONYMS {
        if s.contains(x) && rng.chance(p) {
            s = s.replacen(x, y, 1);
        } else if s.contains(y) && rng.chance(p) {
            s = s.replacen(y, x, 1);
        }
    }
    s
}

fn insert_filler(s: &mut Vec<char>, rng: &mut Rng) {
    let pos = edit_positions(s);
    if let Some(&at) = (!pos.is_empty()).then(|| rng.pick(&pos)) {
        let f: Vec<char> = rng.pick(FILLERS).chars().collect();
        s.splice(at..at, f);
    }
}

/// Applies `f` to each sentence (end mark included) of `p`.
fn per_sentence(p: &[char], mut f: impl FnMut(Vec<char>) -> Vec<char>) -> Vec<char> {
    let mut out = Vec::new();
    for (s, e) in sentences(p) {
        out.extend(f(p[s..e].to_vec()));
        // Keep any line break between sentences.
        out.extend(p[e..].iter().take_while(|&&c| c == '\n'));
    }
    out
}

fn heavy_edits(p: &[char], rng: &mut Rng) -> Vec<char> {
    per_sentence(p, |s| {
        let s: String = s.into_iter().collect();
        let mut s: Vec<char> = replace_synonyms(&s, rng, 0.7).chars().collect();
        insert_filler(&mut s, rng);
        let edits = (s.len() / 25).clamp(1, 4);
        for _ in 0..edits {
            let n = s.len();
            one_edit(&mut s, rng, 0, n);
        }
        s
    })
}

fn synonyms(p: &[char], rng: &mut Rng) -> Vec<char> {
    per_sentence(p, |s| {
        let s: String = s.into_iter().collect();
        let mut s: Vec<char> = replace_synonyms(&s, rng, 1.0).chars().collect();
        if rng.chance(0.6) {
            insert_filler(&mut s, rng);
        }
        s
    })
}

fn clause_swaps(p: &[char], rng: &mut Rng) -> Vec<char> {
    per_sentence(p, |s| {
        // Swap two adjacent 、-list items if any, else two adjacent clauses.
        let split = |s: &[char], sep: char| -> Vec<Vec<char>> {
            let mut parts = vec![Vec::new()];
            for &c in s {
                parts.last_mut().unwrap().push(c);
                if c == sep {
                    parts.push(Vec::new());
                }
            }
            parts
        };
        let body_end = s.len() - usize::from(s.last().is_some_and(|&c| is_sentence_end(c)));
        let (body, end) = s.split_at(body_end);
        for sep in ['、', '，'] {
            let mut parts = split(body, sep);
            if parts.len() >= 3 || (sep == '，' && parts.len() >= 2) {
                // The last part has no separator: keep separators where they were by swapping contents.
                let k = rng.below(parts.len() - 1);
                let strip =
                    |v: &Vec<char>| v.iter().copied().filter(|&c| c != sep).collect::<Vec<_>>();
                let (x, y) = (strip(&parts[k]), strip(&parts[k + 1]));
                let xs = parts[k].last() == Some(&sep);
                let ys = parts[k + 1].last() == Some(&sep);
                parts[k] = y;
                if xs {
                    parts[k].push(sep);
                }
                parts[k + 1] = x;
                if ys {
                    parts[k + 1].push(sep);
                }
                let mut out: Vec<char> = parts.concat();
                out.extend(end);
                return out;
            }
        }
        s
    })
}

fn reorder(p: &[char], rng: &mut Rng) -> Vec<char> {
    let sents: Vec<Vec<char>> = sentences(p)
        .into_iter()
        .map(|(s, e)| p[s..e].to_vec())
        .collect();
    let n = sents.len();
    let mut order: Vec<usize> = (0..n).collect();
    while order.iter().enumerate().all(|(i, &o)| i == o) && n > 1 {
        for i in (1..n).rev() {
            order.swap(i, rng.below(i + 1));
        }
    }
    order.into_iter().flat_map(|i| sents[i].clone()).collect()
}

/// A sentence boundary in `host` (a char offset after an end mark or a line break).
fn insertion_point(host: &[char], rng: &mut Rng) -> usize {
    let cands: Vec<usize> = (1..host.len())
        .filter(|&i| is_sentence_end(host[i - 1]) || host[i - 1] == '\n')
        .collect();
    if cands.is_empty() {
        host.len()
    } else {
        *rng.pick(&cands)
    }
}

/// Builds `n` cases of one obfuscation from the given texts.
pub fn make_cases(texts: &[(String, String)], obf: Obfuscation, n: usize, seed: u64) -> Vec<Case> {
    let mut rng = Rng::new(seed ^ (obf as u64).wrapping_mul(0x1000_0000_01b3));
    let mut cases = Vec::new();
    let mut tries = 0;
    while cases.len() < n && tries < n * 50 {
        tries += 1;
        let si = rng.below(texts.len());
        // The host comes from another family of texts when there is one (a speech into a work report
        // and back), as PAN pairs unrelated documents: two work reports share whole stock paragraphs.
        let family = |i: usize| {
            texts[i].0.split('_').next().unwrap_or("").len() <= 3 && texts[i].0.starts_with('0')
        };
        let others: Vec<usize> = (0..texts.len())
            .filter(|&h| {
                h != si
                    && (family(h) != family(si)
                        || texts
                            .iter()
                            .enumerate()
                            .all(|(k, _)| family(k) == family(si)))
            })
            .collect();
        if others.is_empty() {
            continue;
        }
        let hi = *rng.pick(&others);
        let src: Vec<char> = texts[si].1.chars().collect();
        let host: Vec<char> = texts[hi].1.chars().collect();
        let Some((ps, pe)) = pick_passage(&src, &mut rng) else {
            continue;
        };
        let passage = &src[ps..pe];
        let (source, src_span, copy): (Vec<char>, (usize, usize), Vec<char>) = match obf {
            Obfuscation::TemplateFilled => {
                let masked = make_template(passage, &mut rng);
                if masked == passage {
                    continue;
                }
                let mut s = src[..ps].to_vec();
                s.extend(&masked);
                s.extend(&src[pe..]);
                let filled = substitute(&masked, &mut rng);
                (s, (ps, ps + masked.len()), filled)
            }
            _ => {
                let copy = match obf {
                    Obfuscation::Verbatim => passage.to_vec(),
                    Obfuscation::Substituted => substitute(passage, &mut rng),
                    Obfuscation::TemplateMade => make_template(passage, &mut rng),
                    Obfuscation::LightEdits => light_edits(passage, &mut rng),
                    Obfuscation::HeavyEdits => heavy_edits(passage, &mut rng),
                    Obfuscation::Synonyms => synonyms(passage, &mut rng),
                    Obfuscation::ClauseSwaps => clause_swaps(passage, &mut rng),
                    Obfuscation::Reordered => reorder(passage, &mut rng),
                    Obfuscation::TemplateFilled => unreachable!(),
                };
                if obf != Obfuscation::Verbatim && copy == passage {
                    continue;
                }
                (src.clone(), (ps, pe), copy)
            }
        };
        let at = insertion_point(&host, &mut rng);
        let mut susp = host[..at].to_vec();
        susp.extend(&copy);
        susp.extend(&host[at..]);
        cases.push(Case {
            source: source.into_iter().collect(),
            suspicious: susp.into_iter().collect(),
            src: src_span,
            susp: (at, at + copy.len()),
            source_name: texts[si].0.clone(),
            host_name: texts[hi].0.clone(),
        });
    }
    cases
}

/// A case or a detection: its pair and its spans in the suspicious and source documents.
#[derive(Clone, Copy, Debug)]
pub struct Annotation {
    pub pair: usize,
    pub susp: (usize, usize),
    pub src: (usize, usize),
}

fn overlap(x: (usize, usize), y: (usize, usize)) -> Option<(usize, usize)> {
    let (s, e) = (x.0.max(y.0), x.1.min(y.1));
    (s < e).then_some((s, e))
}

fn union_len(mut v: Vec<(usize, usize)>) -> usize {
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

fn detects(r: &Annotation, s: &Annotation) -> bool {
    r.pair == s.pair && overlap(r.susp, s.susp).is_some() && overlap(r.src, s.src).is_some()
}

/// PAN macro-averaged recall: mean over cases of the share of the case's chars (both documents) covered by
/// the detections that detect it. `macro_precision(S, R)` is `macro_recall(R, S)`.
pub fn macro_recall(cases: &[Annotation], dets: &[Annotation]) -> f64 {
    if cases.is_empty() {
        return if dets.is_empty() { 1.0 } else { 0.0 };
    }
    let mut sum = 0.0;
    for s in cases {
        let hits: Vec<&Annotation> = dets.iter().filter(|r| detects(r, s)).collect();
        let susp = union_len(
            hits.iter()
                .filter_map(|r| overlap(r.susp, s.susp))
                .collect(),
        );
        let src = union_len(hits.iter().filter_map(|r| overlap(r.src, s.src)).collect());
        sum += (susp + src) as f64 / ((s.susp.1 - s.susp.0) + (s.src.1 - s.src.0)) as f64;
    }
    sum / cases.len() as f64
}

pub fn macro_precision(cases: &[Annotation], dets: &[Annotation]) -> f64 {
    macro_recall(dets, cases)
}

/// Mean number of detections per detected case (1 when nothing is detected).
pub fn granularity(cases: &[Annotation], dets: &[Annotation]) -> f64 {
    let counts: Vec<usize> = cases
        .iter()
        .map(|s| dets.iter().filter(|r| detects(r, s)).count())
        .filter(|&c| c > 0)
        .collect();
    if counts.is_empty() {
        1.0
    } else {
        counts.iter().sum::<usize>() as f64 / counts.len() as f64
    }
}

/// plagdet = F1 / log2(1 + granularity).
pub fn plagdet_score(precision: f64, recall: f64, granularity: f64) -> f64 {
    if precision + recall == 0.0 {
        return 0.0;
    }
    let f1 = 2.0 * precision * recall / (precision + recall);
    f1 / (1.0 + granularity).log2()
}

/// All four measures: (precision, recall, granularity, plagdet).
pub fn measures(cases: &[Annotation], dets: &[Annotation]) -> (f64, f64, f64, f64) {
    let p = macro_precision(cases, dets);
    let r = macro_recall(cases, dets);
    let g = granularity(cases, dets);
    (p, r, g, plagdet_score(p, r, g))
}
