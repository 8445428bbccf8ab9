//! Tree building: markers found in a document's paragraphs → events → a section tree.
//!
//! Works in passes, all linear in the document length:
//! 0. find unnumbered part headings on their own line, kept when what they head restarts the numbering
//!    or when they open an appendix;
//! 1. scan every paragraph for numbered markers (paragraph start; mid-line too in flattened copies),
//!    dash points and enumeration markers; note the paragraphs that speak at a part's level
//!    (salutations, the turn to problems, a round-up of the other work); a heading ends at its sentence
//!    end (found in O(1) from one backward pass) or at the next marker;
//! 2. find lead sentences per container (the innermost numbered section) and colon lead-in, as groups
//!    of parallel short first sentences, of anaphoric openings, or of parallel opening clauses (排比);
//! 3. run the events in text order through a stack that knows the nesting rules, then drop
//!    enumeration "sequences" of a single item (a lone `第一，` is a word, not a list), and let the shape
//!    of each series bound its last member.

use super::marker::{self, Family, LAST, Marker};
use super::{Section, SectionKind};
use crate::document::{Document, SALUTATIONS};
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
    /// A heading line that opens an appendix (`名词解释`), or one after it.
    appendix: bool,
    /// For a lead sentence: which series of leads it belongs to (1, 2, …); 0 for other markers.
    series: usize,
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

/// For every char, the position of the first sentence end at or after it (`chars.len()` when none): one
/// backward pass, so finding a heading's end costs O(1) however long the sentence.
fn sentence_ends(chars: &[char]) -> Vec<usize> {
    let mut ends = vec![chars.len(); chars.len() + 1];
    for i in (0..chars.len()).rev() {
        ends[i] = if is_sentence_end(chars[i]) {
            i
        } else {
            ends[i + 1]
        };
    }
    ends
}

/// The heading that follows a marker ending at `start`: up to the end of the sentence, or the paragraph.
fn heading_from(chars: &[char], ends: &[usize], start: usize, end: usize) -> Span {
    let mut a = start;
    while a < end
        && (chars[a].is_whitespace() || matches!(chars[a], '，' | '：' | ',' | ':' | '、'))
    {
        a += 1;
    }
    let b = ends[a].min(end);
    Span::new(a, trim_heading_end(chars, a, b))
}

/// `b` moved back over trailing punctuation and blanks, not before `a`.
fn trim_heading_end(chars: &[char], a: usize, mut b: usize) -> usize {
    while b > a && is_trailing_punct(chars[b - 1]) {
        b -= 1;
    }
    b
}

/// A first sentence that could be a lead heading: its span (without end punctuation), if short enough.
/// The second value says whether the sentence is a heading only in an anaphoric series (see
/// `find_leads`): it opens like narrative (`五年来，…`), or it is longer than a heading or judges
/// (`过去五年，是经济平稳快速增长、…的五年。`), which a series of such openings still makes a list.
fn lead_sentence(chars: &[char], para: Span) -> Option<(Span, bool)> {
    // A heading opens with a word, not with the tail of a broken line (`）浓度继续下降`) or a number.
    let first = chars[para.start];
    if !(('\u{4E00}'..='\u{9FFF}').contains(&first) || matches!(first, '“' | '《' | '"')) {
        return None;
    }
    let head: String = chars[para.start..para.end.min(para.start + 4)]
        .iter()
        .collect();
    if SALUTATIONS.iter().any(|w| head.starts_with(w)) {
        return None;
    }
    let narrative = NARRATIVE_OPENERS.iter().any(|w| head.starts_with(w));
    let mut b = para.start;
    while b < para.end && !is_sentence_end(chars[b]) {
        if matches!(chars[b], '：' | ':') {
            return None;
        }
        b += 1;
    }
    if b >= para.end {
        // A line without end punctuation is a heading only as a member of an anaphoric series
        // (`一年来，我们抓住“窗口期”，乘势而为集聚发展新动能` and its kind on lines of their own).
        let comma = chars[para.start..para.end]
            .iter()
            .any(|&c| matches!(c, '，' | ','));
        return (comma && para.len() <= ANAPHORIC_MAX).then_some((para, true));
    }
    if !matches!(chars[b], '。' | '！') {
        return None;
    }
    let sentence = &chars[para.start..b];
    // Figures make a sentence a report, not a heading; a name in quotes (`“中国制造2025”`) does not.
    let mut quoted = 0usize;
    let mut digits = false;
    for &c in sentence {
        match c {
            '“' | '《' => quoted += 1,
            '”' | '》' => quoted = quoted.saturating_sub(1),
            _ if quoted == 0 && (super::marker::is_arabic_digit(c) || c == '％' || c == '%') => {
                digits = true
            }
            _ => {}
        }
    }
    if digits {
        return None;
    }
    // `X是Y` defines or judges (`改革开放是推动发展的制胜法宝`): an introduction, not a heading; `特别是`,
    // `尤其是` and `实事求是` do not judge.
    let judges = sentence.iter().enumerate().any(|(k, &c)| {
        c == '是' && {
            let before: String = sentence[k.saturating_sub(2)..k].iter().collect();
            !matches!(before.as_str(), "特别" | "尤其") && !before.ends_with('求')
        }
    });
    // A heading announces its own topic; a sentence that points back (`实现这些宏伟目标，…`, `按照上述
    // 要求，…`, `以上成绩…`) continues the text before it. (`规模以上工业` is not a pointer.)
    let refers_back = sentence.starts_with(&['以', '上'])
        || sentence
            .windows(2)
            .any(|w| matches!(w, ['这', '些'] | ['上', '述']));
    if (4..=30).contains(&sentence.len()) && !judges && !refers_back {
        return Some((Span::new(para.start, b), narrative));
    }
    // Longer, or judging after its opening (`过去五年，是…`): only in a series, and with a comma
    // after a short opening for the series to repeat.
    let comma = sentence.iter().position(|&c| matches!(c, '，' | ','))?;
    let judges_early = sentence[..comma].contains(&'是');
    (sentence.len() <= ANAPHORIC_MAX && !judges_early).then_some((Span::new(para.start, b), true))
}

/// The opening clause of a paragraph, up to its first comma, when it could head a series of parallel
/// openings: four to sixteen chars of words, not a narrative opening (`过去一年，`) or a salutation.
fn parallel_clause(chars: &[char], p: Span) -> Option<Span> {
    let window = &chars[p.start..p.end.min(p.start + 17)];
    let comma = window.iter().position(|&c| matches!(c, '，' | ','))?;
    let clause = &window[..comma];
    let head: String = clause.iter().take(4).collect();
    let words = clause
        .iter()
        .all(|&c| ('\u{4E00}'..='\u{9FFF}').contains(&c) || matches!(c, '“' | '”'));
    (comma >= 4
        && words
        && !NARRATIVE_OPENERS.iter().any(|w| head.starts_with(w))
        && !SALUTATIONS.iter().any(|w| head.starts_with(w)))
    .then(|| Span::new(p.start, p.start + comma))
}

/// How many opening chars the members of a series of parallel openings share.
const PARALLEL_PREFIX: usize = 3;

/// Longest first sentence of a member of an anaphoric series (`五年来，我们培育发展多元支柱产业，
/// 大力调整优化产业结构，实现了产业转型升级的新跨越。` is 41 chars); longer ones narrate.
const ANAPHORIC_MAX: usize = 45;

/// What an anaphoric series repeats: the opening of a sentence up to its first comma when it is a
/// time frame (`五年来`, `过去五年`, `这一年`), or else its narrative opener (`我们` of
/// `我们牢记领袖嘱托，…`), or else a short opening up to the comma.
fn anaphora_key(chars: &[char], s: Span) -> Option<&[char]> {
    let window = &chars[s.start..s.end.min(s.start + 9)];
    let comma = window.iter().position(|&c| matches!(c, '，' | ','));
    if let Some(c) = comma.filter(|&c| c <= 4) {
        return Some(&chars[s.start..s.start + c]);
    }
    let opener = NARRATIVE_OPENERS.iter().find(|w| {
        let n = w.chars().count();
        s.len() > n && chars[s.start..s.start + n].iter().copied().eq(w.chars())
    });
    match (opener, comma) {
        (Some(w), _) => Some(&chars[s.start..s.start + w.chars().count()]),
        (None, Some(c)) => Some(&chars[s.start..s.start + c]),
        (None, None) => None,
    }
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

/// What pass 3 produces for a document.
pub(super) struct Built {
    pub preamble: Option<Span>,
    pub closing: Option<Span>,
    pub sections: Vec<Section>,
}

/// Whether a paragraph opens with a salutation followed by punctuation (`各位代表！`, `同志们，`, or
/// `、` before more of them: `各位代表、各位委员、各位同志，`).
fn opens_with_salutation(chars: &[char], p: Span) -> bool {
    let s: String = chars[p.start..p.end.min(p.start + 6)].iter().collect();
    SALUTATIONS.iter().any(|w| {
        s.starts_with(w)
            && matches!(
                s.chars().nth(w.chars().count()),
                Some('，' | '！' | ',' | '!' | '：' | ':' | '、')
            )
    })
}

/// The turn from achievements to problems that closes a review (`同时也要看到，…`, `我们也清醒地认识到，…`,
/// `在看到成绩的同时，…`): it weighs the whole review, so it speaks at the level of the part.
fn turns_to_problems(chars: &[char], p: Span) -> bool {
    let head: String = chars[p.start..p.end.min(p.start + 14)].iter().collect();
    [
        "同时也要看到",
        "同时也要清醒",
        "在看到成绩的同时",
        "在肯定成绩的同时",
        "成绩面前",
    ]
    .iter()
    .any(|w| head.starts_with(w))
        || (head.contains("清醒") && (head.contains("看到") || head.contains("认识到")))
}

/// Whether a paragraph rounds up the other work of the year: at least three of these fields in its
/// opening.
fn is_other_work(chars: &[char], p: Span) -> bool {
    let head: String = chars[p.start..p.end.min(p.start + 60)].iter().collect();
    OTHER_WORK.iter().filter(|w| head.contains(*w)).count() >= 3
}

/// The fields a report rounds up after its sub-parts (defence, civil air defence, army support,
/// foreign and overseas Chinese affairs, ethnic and religious affairs, statistics, archives, …).
const OTHER_WORK: &[&str] = &[
    "国防",
    "人防",
    "双拥",
    "民兵",
    "预备役",
    "外事",
    "侨务",
    "对台",
    "港澳",
    "民族",
    "宗教",
    "统计",
    "档案",
    "气象",
    "地震",
    "史志",
    "地方志",
    "妇女",
    "儿童",
    "残疾人",
    "红十字",
    "老龄",
    "青少年",
    "工会",
    "共青团",
    "妇联",
    "科协",
    "关心下一代",
    "保密",
    "参事",
    "水文",
    "供销",
    "机关事务",
    "邮政",
    "退役军人",
    "海防",
    "国家安全",
];

/// An appendix heading line: `名词解释`, `附：名词解释和说明`, `【名词解释】`, `附件二 名词注解：`.
fn is_appendix_heading(line: &str) -> bool {
    let numbered = line
        .trim()
        .trim_start_matches("附件")
        .trim_start_matches(|c: char| "一二三四五六七八九十0123456789".contains(c));
    // `附注` is the word itself, not `附：` before `注`.
    if numbered.trim_end_matches(['：', ':']) == "附注" {
        return true;
    }
    let core = numbered
        .trim_start_matches('附')
        .trim_start_matches(['：', ':', '【', '[', ' ', '\u{3000}'])
        .trim_end_matches(['：', ':', '】', ']']);
    matches!(
        core,
        "名词解释"
            | "名词注解"
            | "名词解释和说明"
            | "名词解释及说明"
            | "注释"
            | "注解"
            | "附注"
    ) || {
        // The same words with a qualifier (`有关注释`, `政府工作报告名词解释`): a short Han line that ends
        // in them names an appendix too.
        core.chars().count() <= 12
            && core.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
            && ["名词解释", "名词注解", "注释"]
                .iter()
                .any(|t| core.ends_with(t))
    }
}

/// Whether paragraph `k`, a heading line, opens an appendix: a glossary's heading, the title after an
/// attachment mark (`附件` / `2018年江门市十件民生实事`), or a title after the closing call of the speech
/// (`各位代表！让我们更加紧密地团结在…` / `西安市2024年为民实事`): nothing of the speech follows that call.
fn opens_appendix(chars: &[char], paras: &[Span], k: usize) -> bool {
    let line = |q: Span| chars[q.start..q.end].iter().collect::<String>();
    is_appendix_heading(&line(paras[k]))
        || k.checked_sub(1).is_some_and(|j| {
            let prev = paras[j];
            is_attachment_mark(&line(prev))
                || (is_heading_line(chars, paras[k])
                    && opens_with_salutation(chars, prev)
                    && chars[prev.start..prev.end]
                        .windows(3)
                        .any(|w| w == ['让', '我', '们']))
        })
}

/// A line that only numbers an attachment (`附件一`, `附件2：`): the appendix it marks is headed by the
/// next line (`2013年为民办实事项目(共21项）`).
fn is_attachment_mark(line: &str) -> bool {
    line.trim().strip_prefix("附件").is_some_and(|rest| {
        rest.trim_end_matches(['：', ':'])
            .chars()
            .all(|c| "一二三四五六七八九十0123456789".contains(c))
    })
}

/// A paragraph that looks like a part heading printed on its own line without a number
/// (`2008年工作回顾`, `总体形势与工作要求`): short, no sentence punctuation, not ending as a lead-in
/// (`：`, `，`), without the spaces of a name line (`代省长 李炳军`), not a marker, a salutation or a
/// bracketed aside.
fn is_heading_line(chars: &[char], p: Span) -> bool {
    let line = &chars[p.start..p.end];
    let han = line
        .iter()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(*c))
        .count();
    let first = line[0];
    (4..=30).contains(&line.len())
        && han >= 4
        && !line.iter().any(|c| c.is_whitespace())
        && (('\u{4E00}'..='\u{9FFF}').contains(&first)
            || first.is_ascii_digit()
            || matches!(first, '“' | '《' | '"'))
        && !line.iter().any(|&c| is_sentence_end(c))
        && !matches!(
            line[line.len() - 1],
            '：' | ':' | '，' | ',' | '、' | '）' | ')'
        )
        && marker::numbered_at(chars, p.start).is_none()
        && marker::enumeration_at(chars, p.start).is_none()
        && !opens_with_salutation(chars, p)
}

/// Pass 0: unnumbered part headings on their own line. A candidate is kept when what it heads restarts the
/// numbering (the next paragraph-opening numbered marker has ordinal one: `一、`, `（一）`), or it is an appendix heading, or —
/// once such a series exists — when no numbered marker follows it before the next candidate. Two heading
/// lines in a row are one heading and its continuation (`强力推进新增长极建设` / `岳阳阔步迈入…`).
fn find_heading_lines(chars: &[char], paras: &[Span], flattened: bool) -> Vec<usize> {
    if flattened {
        return Vec::new();
    }
    let mut cands: Vec<(usize, bool)> = Vec::new(); // (paragraph, appendix)
    let mut prev_cand = false;
    for (pi, &p) in paras.iter().enumerate() {
        if pi + 1 >= paras.len() {
            break;
        }
        let appendix = opens_appendix(chars, paras, pi);
        // A web copy's broken line (`…共建“一带一路”扎实推进。推动` / `区域全面经济伙伴关系协定` /
        // `（RCEP）生效实施…`) continues the prose line before it, which ends mid-sentence.
        let continues_prose = pi > 0 && {
            let q = paras[pi - 1];
            q.len() > 30 && chars[q.end - 1].is_alphanumeric()
        };
        // A title block inside the body (a report reprinted after a cover letter: `政府工作报告` /
        // `——2026年2月27日在…会议上` / `西安市市长 某某` / `各位代表：`) is a title, not a part: the
        // salutation that opens the speech follows it within a few lines.
        let title_block = {
            let next = &paras[pi + 1..paras.len().min(pi + 5)];
            let header_line = |q: &Span| q.len() <= 60 && !chars[q.start..q.end].contains(&'。');
            let salutation = |q: &Span| {
                q.len() <= 8
                    && opens_with_salutation(chars, *q)
                    && matches!(chars[q.end - 1], '：' | ':' | '！' | '!')
            };
            next.iter()
                .position(salutation)
                .is_some_and(|k| next[..k].iter().all(header_line))
        };
        let cand = appendix || (is_heading_line(chars, p) && !continues_prose && !title_block);
        if cand && !prev_cand {
            cands.push((pi, appendix));
        }
        prev_cand = cand && !appendix;
    }
    if cands.is_empty() {
        return Vec::new();
    }
    // For each candidate: the first paragraph-opening numbered marker before the next candidate.
    let mut kept = Vec::new();
    let mut weak = Vec::new();
    for (k, &(pi, appendix)) in cands.iter().enumerate() {
        let until = cands.get(k + 1).map_or(paras.len(), |c| c.0);
        let first_numbered = paras[pi + 1..until]
            .iter()
            .find_map(|q| marker::numbered_at(chars, q.start));
        match first_numbered {
            _ if appendix => kept.push(pi),
            Some(m) if m.ordinal == 1 => kept.push(pi),
            None => weak.push(pi),
            Some(_) => {}
        }
    }
    // Parts do not repeat an opening: three or more weak candidates that do (`一年来，我们坚持…` /
    // `一年来，我们抓住…` / `一年来，我们坚决…`) are an anaphoric series of leads, left to pass 2.
    let mut openings: std::collections::HashMap<&[char], usize> = Default::default();
    for &pi in &weak {
        if let Some(key) = anaphora_key(chars, paras[pi]) {
            *openings.entry(key).or_default() += 1;
        }
    }
    weak.retain(|&pi| anaphora_key(chars, paras[pi]).is_none_or(|key| openings[key] < 3));
    if !kept.is_empty() {
        kept.extend(weak);
        kept.sort_unstable();
        return kept;
    }
    // A report without any `一、` at a paragraph start may head its parts with unnumbered lines alone
    // (`全面建成小康社会` / `岳阳阔步迈上现代化建设新征程`, then leads and dashes): two or more such lines,
    // each heading a block of several paragraphs, are its parts.
    let parts_numbered = paras
        .iter()
        .any(|q| marker::numbered_at(chars, q.start).is_some_and(|m| m.kind == SectionKind::Part));
    let block = |k: usize| {
        let until = weak.get(k + 1).copied().unwrap_or(paras.len());
        until - weak[k]
    };
    if !parts_numbered && weak.len() >= 2 && (0..weak.len()).all(|k| block(k) >= PART_BLOCK) {
        return weak;
    }
    Vec::new()
}

/// Paragraphs an unnumbered part heading must head (itself included) in a report without numbered
/// parts: a part is a block of text, not a line between two others.
const PART_BLOCK: usize = 4;

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
    let ends = sentence_ends(&chars);
    let total: usize = paras.iter().map(|p| p.len()).sum();
    let flattened = paras.len() <= 5 || total / paras.len() >= 2500;
    let heading_lines = find_heading_lines(&chars, &paras, flattened);
    // Appendices (glossaries) come after the speech; its closing is the run before the first of them.
    let appendix = heading_lines
        .iter()
        .copied()
        .find(|&k| opens_appendix(&chars, &paras, k));
    let speech_end = appendix.unwrap_or(paras.len());
    // Closing: a final run of at most three paragraphs opened by a salutation (`同志们，…`).
    // A run that holds a heading is not a closing.
    let closing_para = (speech_end.saturating_sub(3)..speech_end).find(|&k| {
        k > 0
            && opens_with_salutation(&chars, paras[k])
            && paras[k..speech_end]
                .iter()
                .all(|q| marker::numbered_at(&chars, q.start).is_none())
    });
    // Sections end before the closing; appendices after it are sections again, up to the body's end.
    let before_closing = closing_para.map(|k| paras[k - 1].end);
    let end = match (before_closing, appendix) {
        (Some(e), None) => e,
        _ => paras[paras.len() - 1].end,
    };
    let closing_span = closing_para.map(|k| Span::new(paras[k].start, paras[speech_end - 1].end));

    // Numbered markers opening paragraphs: (paragraph, kind, ordinal), in text order.
    let starting: Vec<(usize, SectionKind, u32)> = paras
        .iter()
        .enumerate()
        .filter_map(|(k, q)| marker::numbered_at(&chars, q.start).map(|m| (k, m.kind, m.ordinal)))
        .collect();
    let mut events: Vec<Event> = Vec::new();
    let mut carriers = vec![false; paras.len()];
    // Paragraphs that close the sub-sections of the open part: a salutation addresses the whole meeting.
    // (position, paragraph, closes the part too)
    let mut closers: Vec<(usize, usize, bool)> = Vec::new();
    // Paragraphs on the other work of the year (`国防动员、人民防空、双拥等工作进一步加强。`).
    let mut catch_alls: Vec<(usize, usize)> = Vec::new();
    let mut next_heading_line = heading_lines.iter().copied().peekable();
    for (pi, &p) in paras.iter().enumerate() {
        if closing_span.is_some_and(|c| c.start <= p.start && p.start < c.end) {
            continue;
        }
        let next = paras.get(pi + 1).copied();
        if next_heading_line.peek() == Some(&pi) {
            next_heading_line.next();
            let m = Marker {
                text: String::new(),
                len: 0,
                kind: SectionKind::Lead,
                ordinal: 0,
                family: Family::Heading,
            };
            events.push(Event {
                pos: p.start,
                marker: m,
                at_para_start: true,
                para: pi,
                heading: Span::new(p.start, p.end),
                within: None,
                own_line: true,
                appendix: appendix.is_some_and(|a| pi >= a),
                series: 0,
            });
            // A second heading line in a row continues this one.
            if let Some(n) = next
                && is_heading_line(&chars, n)
            {
                carriers[pi + 1] = true;
            }
            continue;
        }
        if pi > 0 && (opens_with_salutation(&chars, p) || turns_to_problems(&chars, p)) {
            // A salutation alone on its line after the last numbered heading, once a part was seen
            // (`各位代表！` / `新的形势和任务，对政府工作提出了新的更高要求。…` / `一要…`), turns from the
            // last part to the closing topics of the speech: it closes that part too.
            let after_last_part = p.len() <= 8
                && opens_with_salutation(&chars, p)
                && starting.last().is_some_and(|s| s.0 < pi)
                && starting.iter().any(|s| s.1 == SectionKind::Part);
            closers.push((p.start, pi, after_last_part));
        } else if pi > 0 && is_other_work(&chars, p) {
            catch_alls.push((p.start, pi));
        }
        let push = |events: &mut Vec<Event>,
                    carriers: &mut Vec<bool>,
                    pos: usize,
                    m: Marker,
                    at_start: bool| {
            let mut heading = heading_from(&chars, &ends, pos + m.len, p.end);
            let own_line = at_start && heading.end + 1 >= p.end;
            if heading.is_empty() && at_start && pos + m.len >= p.end {
                // The marker stands alone on its line; the heading is the next paragraph's first sentence.
                if let Some(n) = next {
                    heading = heading_from(&chars, &ends, n.start, n.end);
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
                appendix: false,
                series: 0,
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
            } else if i > p.start
                // A lead-in ending in a colon introduces the list run into it (`…主要做了以下工作：（一）…`).
                && (is_sentence_end(chars[i - 1])
                    || is_closing(chars[i - 1])
                    || matches!(chars[i - 1], '：' | ':'))
                && let Some(m) = marker::numbered_at(&chars, i)
                    .filter(|m| matches!(m.kind, SectionKind::Part | SectionKind::Subpart))
                    .filter(|m| flattened || opens_series(&starting, pi, m))
            {
                push(&mut events, &mut carriers, i, m, false);
            }
        }
    }
    find_leads(&chars, &paras, &carriers, &mut events);
    events.sort_by_key(|e| (e.pos, rank(e.marker.kind) == 0));
    // A round-up of the other work (国防, 人防, 双拥, 外事, 统计, 档案…) belongs to no sub-part: reports
    // add it after the last one, at the level of the part. It closes the sub-parts when the next heading
    // after it is a numbered one or a heading line (or none): where leads or list items follow, it is a
    // paragraph of the sub-part they continue (closing a `第八，` would end the list `第九，` continues).
    let closers = {
        let starts_part = |k: usize| {
            events.get(k).is_none_or(|e: &Event| {
                rank(e.marker.kind) > 0 || e.marker.family == Family::Heading
            })
        };
        let mut extra: Vec<(usize, usize, bool)> = catch_alls
            .into_iter()
            .filter(|&(pos, _)| starts_part(events.partition_point(|e| e.pos < pos)))
            .map(|(pos, pi)| (pos, pi, false))
            .collect();
        extra.extend(closers);
        extra.sort_unstable_by_key(|c| c.0);
        extra
    };
    // A heading never runs into the next marker (`一是加强，二是…` in one sentence, `六是…第一，`).
    for i in 0..events.len().saturating_sub(1) {
        let next = events[i + 1].pos;
        let h = events[i].heading;
        if h.start < next && next < h.end {
            events[i].heading = Span::new(h.start, trim_heading_end(&chars, h.start, next));
        }
    }

    let mut tree = Tree::default();
    let mut closers = closers.into_iter().peekable();
    let mut closing_done = false;
    for e in events {
        while let Some((c, pi, top)) = closers.next_if(|&(c, _, _)| c <= e.pos) {
            tree.close_below_part(c, pi, top);
        }
        if let (Some(c), Some(b)) = (closing_span, before_closing)
            && !closing_done
            && e.pos >= c.start
        {
            tree.truncate(1, b);
            closing_done = true;
        }
        tree.add(e, &chars);
    }
    // Paragraphs after the last event that speak at a part's level close what they close, as between
    // events (`各位代表！民族团结是…` after the last lead of the last sub-part); then every open section
    // ends at the end of the body.
    for (c, pi, top) in closers {
        if c < end {
            tree.close_below_part(c, pi, top);
        }
    }
    tree.truncate(1, end);
    tree.drop_singletons();
    tree.cut_by_shape(&paras);
    let sections = tree.to_sections(&chars, base);
    let closing = closing_span.map(|c| Span::new(c.start + base, c.end + base));
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

/// Whether a marker inside paragraph `pi` starts the series whose later members open paragraphs: an
/// ordinal one run into the lead-in sentence (`…重点做好九个方面工作。（一）坚持科技创新引领，…`) while
/// `（二）` opens the next paragraph of its kind.
fn opens_series(starting: &[(usize, SectionKind, u32)], pi: usize, m: &Marker) -> bool {
    m.ordinal == 1
        && starting[starting.partition_point(|s| s.0 <= pi)..]
            .iter()
            .find(|s| s.1 == m.kind)
            .is_some_and(|s| s.2 == 2)
}

/// Longest lead-in line that opens a list of its own (`各位代表，回顾第四届市人民政府的工作，我们的宝贵经验是：`).
const LEAD_IN_MAX: usize = 40;

/// Pass 2: lead sentences, per container, accepted when at least three are parallel.
fn find_leads(chars: &[char], paras: &[Span], carriers: &[bool], events: &mut Vec<Event>) {
    // Containers: numbered sections and heading lines.
    let numbered: Vec<usize> = events
        .iter()
        .filter(|e| rank(e.marker.kind) > 0 || e.marker.family == Family::Heading)
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
    // (container, paragraph, sentence, member of an anaphoric series)
    let mut cands: Vec<(usize, usize, Span, bool)> = Vec::new();
    let mut narratives: Vec<(usize, usize, Span)> = Vec::new();
    // Opening clauses of paragraphs too long to be leads: (paragraph, clause).
    let mut clauses: Vec<(usize, Span)> = Vec::new();
    for (pi, &p) in paras.iter().enumerate() {
        if starts.contains(&p.start) || carriers[pi] {
            continue;
        }
        let Some((sentence, narrative)) = lead_sentence(chars, p) else {
            if let Some(c) = parallel_clause(chars, p) {
                clauses.push((pi, c));
            }
            continue;
        };
        let has_body = p.end > sentence.end + 1
            || paras
                .get(pi + 1)
                .is_some_and(|n| !starts.contains(&n.start));
        if has_body {
            let container = numbered.partition_point(|&pos| pos < p.start);
            if narrative {
                narratives.push((container, pi, sentence));
            } else {
                cands.push((container, pi, sentence, false));
            }
        }
    }
    // Parallel openings (排比) on consecutive paragraphs: three or more opening clauses that share their
    // first words and differ after them (`在工作中更加崇尚创新，…` / `在工作中更加注重协调，…` / …) head
    // their paragraphs, however long the sentence they open.
    let mut k = 0;
    while k < clauses.len() {
        let (p0, c0) = clauses[k];
        let shares = |c: Span| {
            chars[c.start..c.start + PARALLEL_PREFIX] == chars[c0.start..c0.start + PARALLEL_PREFIX]
        };
        let mut j = k + 1;
        while j < clauses.len()
            && clauses[j].0 == clauses[j - 1].0 + 1
            && shares(clauses[j].1)
            && chars[clauses[j].1.start..clauses[j].1.end]
                != chars[clauses[j - 1].1.start..clauses[j - 1].1.end]
        {
            j += 1;
        }
        if j - k >= 3 {
            let container = numbered.partition_point(|&pos| pos < paras[p0].start);
            for &(pi, c) in &clauses[k..j] {
                cands.push((container, pi, c, true));
            }
        }
        k = j;
    }
    // Sentences opening like narrative, or too long for a heading, are headings when at least three in a
    // container repeat the same opening (`五年来，坚持以…` × 6): an anaphoric series is a list, whatever
    // the length of its members.
    let mut openings: std::collections::HashMap<(usize, &[char]), usize> = Default::default();
    for &(container, _, s) in &narratives {
        if let Some(key) = anaphora_key(chars, s) {
            *openings.entry((container, key)).or_default() += 1;
        }
    }
    for &(container, pi, s) in &narratives {
        if anaphora_key(chars, s).is_some_and(|key| openings[&(container, key)] >= 3) {
            cands.push((container, pi, s, true));
        }
    }
    cands.sort_by_key(|c| c.2.start);
    // (numbered container, enclosing enumeration item) → candidate (paragraph, sentence)s
    // An anaphoric series is a list of its own: its members are grouped apart from the plain leads of
    // their container.
    // A short lead-in ending in a colon (`…我们的宝贵经验是：`) opens a list of its own: leads after it are
    // not the same series as leads before it in the container. Count such lead-ins before each paragraph.
    let mut lead_ins = Vec::with_capacity(paras.len());
    let mut seen = 0usize;
    for &p in paras {
        lead_ins.push(seen);
        if p.len() <= LEAD_IN_MAX && matches!(chars[p.end - 1], '：' | ':') {
            seen += 1;
        }
    }
    type Groups =
        std::collections::BTreeMap<(usize, Option<usize>, bool, usize), Vec<(usize, Span, bool)>>;
    let mut groups: Groups = Default::default();
    // Candidates come in text order, so the first one seen per container is its first.
    let mut first_cand: std::collections::HashMap<usize, usize> = Default::default();
    for c in &cands {
        first_cand.entry(c.0).or_insert(c.2.start);
    }
    // Plain leads between the members of an anaphoric series detail them (`过去的五年，体制机制创新取得
    // 重大进展，…。` / `工业整体规模和水平大幅提升。` / `创新型省份建设进展良好。`): in such a container
    // each plain lead nests in the anaphoric member before it.
    let mut anaphoric_at: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for c in cands.iter().filter(|c| c.3) {
        anaphoric_at.entry(c.0).or_default().push(c.2.start);
    }
    let interleaved: std::collections::HashSet<usize> = cands
        .iter()
        .filter(|c| {
            !c.3 && anaphoric_at.get(&c.0).is_some_and(|a| {
                a.first().is_some_and(|&f| f < c.2.start)
                    && a.last().is_some_and(|&l| c.2.start < l)
            })
        })
        .map(|c| c.0)
        .collect();
    for &(container, pi, sentence, anaphoric) in &cands {
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
        let mut sub = item.filter(|_| first_enum.is_some_and(|f| f < first_cand[&container]));
        if !anaphoric && interleaved.contains(&container) {
            let a = &anaphoric_at[&container];
            let member = a[..a.partition_point(|&x| x < sentence.start)]
                .last()
                .copied();
            if member.is_some_and(|m| sub.is_none_or(|e| e < m)) {
                sub = member;
            }
        }
        groups
            .entry((container, sub, anaphoric, lead_ins[pi]))
            .or_default()
            .push((pi, sentence, anaphoric));
    }
    // Parallel means similar length and the same shape: keep the candidates near the median length,
    // then those that agree with the majority on having a comma (`学用新思想，拉高新标杆`); members of
    // an anaphoric series are parallel by their repeated opening.
    /// (enclosing enumeration item, members as (paragraph, sentence, has a comma))
    type Series = (Option<usize>, Vec<(usize, Span, bool)>);
    let mut series: Vec<Series> = Vec::new();
    for ((_, sub, _, _), cands) in groups {
        if cands.len() < 2 {
            continue;
        }
        // The plain members set the shape; an anaphoric series joining them does not move it.
        let mut lens: Vec<usize> = cands
            .iter()
            .filter(|c| !c.2)
            .map(|(_, s, _)| s.len())
            .collect();
        lens.sort_unstable();
        let median = lens.get(lens.len() / 2).copied().unwrap_or(0);
        let near = |l: usize| l * 2 >= median && l * 2 <= (median * 3).max((median + 6) * 2);
        // (paragraph, sentence, has a comma, anaphoric)
        let kept: Vec<(usize, Span, bool, bool)> = cands
            .iter()
            .filter(|(_, s, anaphoric)| *anaphoric || near(s.len()))
            .map(|&(pi, s, anaphoric)| {
                (
                    pi,
                    s,
                    chars[s.start..s.end]
                        .iter()
                        .any(|&c| matches!(c, '，' | ',')),
                    anaphoric,
                )
            })
            .collect();
        let commas = kept.iter().filter(|k| k.2 && !k.3).count();
        let plain = kept.iter().filter(|k| !k.3).count();
        let shape = match (commas * 2).cmp(&plain) {
            std::cmp::Ordering::Greater => Some(true),
            std::cmp::Ordering::Less => Some(false),
            std::cmp::Ordering::Equal => None,
        };
        let agreeing = kept
            .iter()
            .filter(|k| k.3 || shape.is_none_or(|c| c == k.2))
            .count();
        // Three near in length opening consecutive paragraphs stay a series though one differs in shape
        // (`加强农业设施建设，调整农村经济结构。` / `加快推进农业产业化经营。` / `加快县域经济发展，提高
        // 自主增长能力。`): the shape only sorts out the odd one where enough agree.
        let mixed =
            agreeing < 3 && kept.len() >= 3 && kept.windows(2).all(|w| w[1].0 == w[0].0 + 1);
        let members: Vec<_> = kept
            .into_iter()
            .filter(|k| mixed || k.3 || shape.is_none_or(|c| c == k.2))
            .map(|k| (k.0, k.1, k.2))
            .collect();
        if members.len() >= 2 {
            series.push((sub, members));
        }
    }
    // Two are enough when both stand alone on their line, the way printed headings do, or when the
    // document heads its sections with lead sentences elsewhere (two containers with three or more),
    // or, inside paragraph-opening enumeration items, when several items hold such pairs (the points
    // under `第二，` `第五，` `第六，`).
    let standalone = |pi: usize, s: Span| paras[pi].end <= s.end + 1;
    let threes = series.iter().filter(|(_, m)| m.len() >= 3).count();
    let styled = threes >= 2;
    let in_items = series.iter().filter(|(sub, _)| sub.is_some()).count() >= 3;
    for (id, (sub, members)) in series.into_iter().enumerate() {
        let styled = styled || (in_items && sub.is_some());
        if members.len() == 2 && !styled && !members.iter().all(|m| standalone(m.0, m.1)) {
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
                appendix: false,
                series: id + 1,
            });
        }
    }
}

/// A numbered heading printed on a line of its own (`（七）着力提高政府履职能力`): its body is the text
/// after it, not the line. (A dash point or an enumeration item filling its paragraph is all body.)
fn printed_heading(e: &Event) -> bool {
    e.own_line && rank(e.marker.kind) > 0
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
    fn family(&self, n: usize) -> Option<Family> {
        self.ev(n).map(|e| e.marker.family)
    }
    fn is_item(&self, n: usize) -> bool {
        matches!(
            self.kind(n),
            Some(SectionKind::Enumeration | SectionKind::Dash)
        )
    }
    /// An unnumbered part heading on its own line: a container like a numbered part, above it.
    fn is_heading_line(&self, n: usize) -> bool {
        self.family(n) == Some(Family::Heading)
    }
    /// The root, a heading line or a numbered section: what holds lists, dashes and leads.
    fn is_container(&self, n: usize) -> bool {
        n == 0 || self.is_heading_line(n) || self.kind(n).is_some_and(|k| rank(k) > 0)
    }

    /// Closes the stack above index `k` (exclusive) at `pos`.
    fn truncate(&mut self, k: usize, pos: usize) {
        for &n in &self.stack[k..] {
            self.nodes[n].end = pos;
        }
        self.stack.truncate(k);
    }

    /// A paragraph addressing the meeting (`各位代表！…`) or turning to the problems speaks at the level
    /// of a part: it closes the sub-parts, lists and leads open below the innermost heading line, or else
    /// below the innermost part; with `top` (a salutation alone on its line after the last numbered heading) it closes the
    /// part too. A section whose heading line is the paragraph just before stays open: the salutation
    /// opens its body (`（七）…` / `各位代表！新的一年，…`).
    fn close_below_part(&mut self, pos: usize, para: usize, top: bool) {
        let k = if top { 0 } else { self.part_level() };
        let just_opened = self
            .stack
            .iter()
            .position(|&n| self.ev(n).is_some_and(|e| e.own_line && e.para + 1 == para))
            .map_or(0, |j| j + 1);
        self.truncate((k + 1).max(just_opened).min(self.stack.len()), pos);
    }

    /// Stack index of the innermost heading line, or else of the innermost part (0: the root).
    fn part_level(&self) -> usize {
        self.stack
            .iter()
            .rposition(|&n| n == 0 || self.is_heading_line(n))
            .filter(|&k| k > 0)
            .or_else(|| {
                self.stack
                    .iter()
                    .rposition(|&n| self.kind(n) == Some(SectionKind::Part))
            })
            .unwrap_or(0)
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

    fn add(&mut self, e: Event, chars: &[char]) {
        let kind = e.marker.kind;
        let r = rank(kind);
        if r > 0 {
            self.add_numbered(e, chars);
            return;
        }
        if e.marker.family == Family::Heading {
            // Heading lines are the top level: each closes everything before it.
            let seq = match self.nodes[0].children.last() {
                Some(&c) if self.is_heading_line(c) => self.nodes[c].seq,
                _ => self.new_seq(),
            };
            self.truncate(1, e.pos);
            self.push(e, seq);
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
                // Lead sentences between two dash points detail the earlier one (`——抗洪救灾…取得全面
                // 胜利` / `以发展农业农村经济为重点推进新农村建设。…`); after the last dash point the
                // series shape decides (see `cut_by_shape`).
                let parent_k = self
                    .stack
                    .iter()
                    .rposition(|&n| {
                        let dash_holds_lead =
                            kind == SectionKind::Lead && self.kind(n) == Some(SectionKind::Dash);
                        dash_holds_lead
                            || (!self.is_item(n)
                                && (self.kind(n) != Some(SectionKind::Lead)
                                    || self.is_heading_line(n)))
                    })
                    .unwrap_or(0);
                let parent = self.stack[parent_k];
                // Two series of leads in one container (a review, then the lessons after `…经验是：`)
                // are two lists.
                let seq = match self.nodes[parent].children.last() {
                    Some(&c)
                        if self.kind(c) == Some(kind)
                            && !self.is_heading_line(c)
                            && self.ev(c).is_some_and(|p| p.series == e.series) =>
                    {
                        self.nodes[c].seq
                    }
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
    /// from a web copy). Ordinal one starts a sequence: at its GB/T level, or nested directly in the open
    /// section of the same kind (older reports number lists inside parts with `一、`) — once: a nested
    /// sequence never holds another, and a `一、` under a lower level (a new report's first part after the
    /// last `（五）` of the previous one) starts again at the top, so depth is bounded by the grammar.
    /// A heading that repeats an open one word for word (`二、2014年工作安排` twice: a web copy that
    /// reprints a whole part) is that heading again, a sibling of it.
    fn add_numbered(&mut self, e: Event, chars: &[char]) {
        let (kind, ord) = (e.marker.kind, e.marker.ordinal);
        let words = |h: Span| &chars[h.start..h.end];
        if e.at_para_start && !e.heading.is_empty() {
            let reprinted = (1..self.stack.len()).rev().find(|&k| {
                self.ev(self.stack[k]).is_some_and(|p| {
                    p.at_para_start
                        && p.marker.kind == kind
                        && p.marker.ordinal == ord
                        && words(p.heading) == words(e.heading)
                })
            });
            if let Some(k) = reprinted {
                let seq = self.nodes[self.stack[k]].seq;
                self.truncate(k, e.pos);
                self.push(e, seq);
                return;
            }
        }
        // A paragraph-opening heading may skip one number too once a run of three stands before it: a
        // web copy that lost a `（八）` goes on with `（九）` at its level (a `（三）` after a lone `（一）`
        // is a stray).
        let fits = |n: usize| {
            self.ev(n).is_some_and(|p| {
                let skip = u32::from(e.own_line || (e.at_para_start && p.marker.ordinal >= 3));
                p.marker.kind == kind
                    && (p.marker.ordinal + 1..=p.marker.ordinal + 1 + skip).contains(&ord)
            })
        };
        // Innermost first: an open section, or the last numbered child of an open one (a `各位代表！`
        // paragraph may have closed `（四）` before `（五）`; a five-year series of leads may follow
        // `一、` at its level before `二、`).
        let continues = (0..self.stack.len()).rev().find_map(|k| {
            let n = self.stack[k];
            if k > 0 && fits(n) {
                return Some((k, n));
            }
            let last = *self.nodes[n]
                .children
                .iter()
                .rev()
                .find(|&&c| rank(self.kind(c).unwrap_or(SectionKind::Lead)) > 0)?;
            fits(last).then_some((k + 1, last))
        });
        if let Some((k, prev)) = continues {
            let seq = self.nodes[prev].seq;
            self.truncate(k, e.pos);
            self.push(e, seq);
            return;
        }
        // Running numbering across sections (`1．…4．` under `一、`, `5．…8．` under `二、` in a list of
        // practical projects): the sequence of the previous section of the higher level goes on under the
        // open one. The open section is the last child of its parent, so its previous sibling is O(1).
        let higher = self.stack.iter().rposition(|&n| {
            self.kind(n)
                .is_some_and(|x| rank(x) > 0 && rank(x) < rank(kind))
        });
        if ord != 1
            && e.at_para_start
            && let Some(k) = higher.filter(|&k| k > 0)
        {
            let sibs = &self.nodes[self.stack[k - 1]].children;
            let prev_last = (sibs.len() >= 2 && sibs[sibs.len() - 1] == self.stack[k])
                .then(|| sibs[sibs.len() - 2])
                .and_then(|prev| {
                    self.nodes[prev]
                        .children
                        .iter()
                        .rev()
                        .copied()
                        .find(|&c| rank(self.kind(c).unwrap_or(SectionKind::Lead)) > 0)
                })
                .filter(|&last| fits(last));
            if let Some(last) = prev_last {
                let seq = self.nodes[last].seq;
                self.truncate(k + 1, e.pos);
                self.push(e, seq);
                return;
            }
        }
        // Notes keep the numbers of their references in the text, and a copy may lose the first note
        // (`注释：` / `[2]“六城”同创：…`): right under an appendix heading a list opens at any number.
        let top = *self.stack.last().unwrap();
        if ord != 1
            && e.at_para_start
            && self.ev(top).is_some_and(|p| p.appendix)
            && self.nodes[top].children.is_empty()
        {
            let seq = self.new_seq();
            self.push(e, seq);
            return;
        }
        if ord != 1 {
            return;
        }
        let r = rank(kind);
        let open_same = self.stack.iter().any(|&n| self.kind(n) == Some(kind));
        let innermost = self
            .stack
            .iter()
            .rposition(|&n| self.is_container(n))
            .unwrap_or(0);
        let inner = self.stack[innermost];
        let nests = open_same
            && self.kind(inner) == Some(kind)
            && !self.nested.contains(&self.nodes[inner].seq);
        let k = if nests {
            innermost
        } else if open_same {
            // A restart: back to the innermost heading line or the root.
            self.stack
                .iter()
                .rposition(|&n| n == 0 || self.is_heading_line(n))
                .unwrap_or(0)
        } else {
            // Pop to the innermost numbered section of a higher level (or a heading line, or the root).
            self.stack
                .iter()
                .rposition(|&n| {
                    n == 0
                        || self.is_heading_line(n)
                        || self.kind(n).is_some_and(|k| rank(k) > 0 && rank(k) < r)
                })
                .unwrap_or(0)
        };
        let seq = self.new_seq();
        if nests {
            self.nested.insert(seq);
        }
        self.truncate(k + 1, e.pos);
        self.push(e, seq);
    }

    fn add_enumeration(&mut self, e: Event) {
        let (ord, fam) = (e.marker.ordinal, e.marker.family);
        if ord == 1 {
            // A new sequence nests in an open item of the same paragraph (`三要…。一是…`); items opened in
            // earlier paragraphs end here, and the new sequence becomes their sibling. It never nests in an
            // item of its own family (`一是…二是…一是…` × n is a run of lists, not a staircase), so the
            // depth of enumerations is bounded by the number of families.
            let mut k = self
                .stack
                .iter()
                .rposition(|&n| !self.is_item(n) || self.ev(n).unwrap().para == e.para)
                .unwrap_or(0);
            if let Some(same) = (0..=k).find(|&j| {
                self.kind(self.stack[j]) == Some(SectionKind::Enumeration)
                    && self.family(self.stack[j]) == Some(fam)
            }) {
                k = same - 1;
            }
            self.truncate(k + 1, e.pos);
            let seq = self.new_seq();
            self.push(e, seq);
            return;
        }
        // Continue an open sequence: same family first, then 是/要 or 第/首先 interchangeably.
        let open: Vec<usize> = (0..self.stack.len())
            .rev()
            .take_while(|&k| {
                matches!(
                    self.kind(self.stack[k]),
                    Some(SectionKind::Enumeration | SectionKind::Lead)
                ) && !self.is_heading_line(self.stack[k])
            })
            .filter(|&k| self.kind(self.stack[k]) == Some(SectionKind::Enumeration))
            .collect();
        let fits = |prev: &Event, loose: bool| {
            let same = prev.marker.family == fam;
            let pair = |a: Family, b: Family| {
                matches!(
                    (a, b),
                    (Family::Shi | Family::Yao, Family::Shi | Family::Yao)
                        | (Family::Di | Family::Shouxian, Family::Di | Family::Shouxian)
                )
            };
            (same || (loose && pair(fam, prev.marker.family)))
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

    /// The shape of a series bounds its last member. When every earlier member of a sequence (three or
    /// more) ends in the paragraph where its own content ends — its heading paragraph, or that of its last
    /// sub-section — the next member starting in that paragraph or the one after, then the last member
    /// ends there too: what follows (`各位代表！…`, a `此外，…` paragraph, the closing lines of a part, a
    /// five-year review after one-year sub-parts) returns to the parent, with any sub-sections in it.
    fn cut_by_shape(&mut self, paras: &[Span]) {
        let para_of = |pos: usize| paras.partition_point(|p| p.start <= pos).saturating_sub(1);
        // Post-order over the tree, iteratively.
        let mut order = Vec::with_capacity(self.nodes.len());
        let mut todo = vec![0usize];
        while let Some(n) = todo.pop() {
            order.push(n);
            todo.extend(self.nodes[n].children.iter().copied());
        }
        // Paragraph where each node's content ends.
        let mut content = vec![0usize; self.nodes.len()];
        // Nodes a cut moved up out of a series' last member: they follow that member at its parent's
        // level, and do not count as the parent's own content (so the parent, when it is itself the
        // last member of a series, can let them go further up).
        let mut moved_up = vec![false; self.nodes.len()];
        for &n in order.iter().rev() {
            // Series are taken from the front of the work list; nodes moved out of a cut member go back
            // to its front, right after that member, so each node is handled once.
            let mut work: std::collections::VecDeque<usize> =
                self.nodes[n].children.drain(..).collect();
            let mut out = Vec::with_capacity(work.len());
            while let Some(first) = work.pop_front() {
                let seq = self.nodes[first].seq;
                let mut members = vec![first];
                while let Some(&c) = work.front()
                    && self.nodes[c].seq == seq
                {
                    members.push(c);
                    work.pop_front();
                }
                // Tight: every earlier member ends where its content ends; in a long series (five or
                // more) one exception is the series' typical shape still.
                let loose = members
                    .windows(2)
                    .filter(|w| {
                        let next = para_of(self.ev(w[1]).unwrap().pos);
                        next > content[w[0]] + 1
                    })
                    .count();
                let tight =
                    members.len() >= 3 && (loose == 0 || (members.len() >= 5 && loose == 1));
                let last = members[members.len() - 1];
                // Earlier members without sub-sections: the last one is a single paragraph too, and a
                // list after it (a five-year dash list after one-year sub-parts) is its sibling.
                let childless = members[..members.len() - 1]
                    .iter()
                    .all(|&m| self.nodes[m].children.is_empty());
                out.extend(members.iter().copied());
                if tight {
                    let own = self.ev(last).map_or(0, |e| {
                        let own = para_of(e.heading.start.max(e.pos));
                        // An own-line heading keeps its body paragraph, as when it has no sub-sections.
                        if printed_heading(e)
                            && own + 1 < paras.len()
                            && paras[own + 1].start < self.nodes[last].end
                        {
                            own + 1
                        } else {
                            own
                        }
                    });
                    let cut = paras[if childless { own } else { content[last] }].end;
                    if cut < self.nodes[last].end {
                        // Sub-sections after the cut move up, right after the last member: at every
                        // depth of its rightmost chain (only that chain can straddle the cut), or a
                        // grandchild would be left outside its parent.
                        let pos = |nodes: &[Node], c: usize| nodes[c].event.as_ref().unwrap().pos;
                        let mut moved: Vec<usize> = Vec::new();
                        let mut x = last;
                        loop {
                            self.nodes[x].end = self.nodes[x].end.min(cut);
                            let at = self.nodes[x]
                                .children
                                .partition_point(|&c| pos(&self.nodes, c) < cut);
                            moved.extend(self.nodes[x].children.split_off(at));
                            match self.nodes[x].children.last() {
                                Some(&c) => x = c,
                                None => break,
                            }
                        }
                        moved.sort_by_key(|&m| pos(&self.nodes, m));
                        for m in moved.into_iter().rev() {
                            moved_up[m] = true;
                            work.push_front(m);
                        }
                        // The cut member's content now ends at the cut.
                        content[last] = content[last].min(para_of(cut.saturating_sub(1)));
                    }
                }
            }
            self.nodes[n].children = out;
            let own_last = self.nodes[n].children.iter().rev().find(|&&c| !moved_up[c]);
            content[n] = match (self.ev(n), own_last) {
                (_, Some(&c)) => content[c],
                // A heading printed on its own line heads at least the paragraph after it.
                (Some(e), None) => {
                    let own = para_of(e.heading.start.max(e.pos));
                    let body = own + 1;
                    if printed_heading(e)
                        && body < paras.len()
                        && paras[body].start < self.nodes[n].end
                    {
                        body
                    } else {
                        own
                    }
                }
                (None, None) => 0,
            };
        }
    }

    /// The sections, built iteratively (the depth is bounded by the grammar, but a walk must not be
    /// able to overflow the stack whatever the input). A section ends where its node was closed, never
    /// past its parent; its heading is clipped to it.
    fn to_sections(&self, chars: &[char], base: usize) -> Vec<Section> {
        let make = |n: usize, level: usize, parent_end: usize, children: Vec<Section>| -> Section {
            let e = self.ev(n).unwrap();
            let mut end = self.nodes[n].end.min(parent_end).max(e.pos);
            while end > e.pos && chars[end - 1].is_whitespace() {
                end -= 1;
            }
            let hs = e.heading.start.clamp(e.pos, end);
            let he = e.heading.end.clamp(hs, end);
            Section {
                marker: e.marker.text.clone(),
                kind: e.marker.kind,
                family: e.marker.family,
                ordinal: e.marker.ordinal,
                level,
                heading: chars[hs..he].iter().collect(),
                heading_span: Span::new(hs + base, he + base),
                span: Span::new(e.pos + base, end + base),
                children,
            }
        };
        struct Frame {
            node: usize,
            next: usize,
            parent_end: usize,
            level: usize,
            children: Vec<Section>,
        }
        let mut top = Vec::new();
        for &c in &self.nodes[0].children {
            let mut frames = vec![Frame {
                node: c,
                next: 0,
                parent_end: usize::MAX,
                level: 1,
                children: Vec::new(),
            }];
            while let Some(f) = frames.last_mut() {
                if let Some(&child) = self.nodes[f.node].children.get(f.next) {
                    f.next += 1;
                    let (parent_end, level) =
                        (self.nodes[f.node].end.min(f.parent_end), f.level + 1);
                    frames.push(Frame {
                        node: child,
                        next: 0,
                        parent_end,
                        level,
                        children: Vec::new(),
                    });
                } else {
                    let f = frames.pop().unwrap();
                    let s = make(f.node, f.level, f.parent_end, f.children);
                    match frames.last_mut() {
                        Some(parent) => parent.children.push(s),
                        None => top.push(s),
                    }
                }
            }
        }
        top
    }
}
