//! Stage 3: a file's [`Segments`] → its [`Document`]s, with title and meta data.
//!
//! A file holds one speech or a compilation (汇编): a title, a count line such as `(6篇)`, a table of
//! contents (`目录` and one entry per speech), then each speech opening with its title line again. This
//! stage splits such files into documents — table-of-contents entries are recognised as such and never
//! become headings — and finds in each document what is present of: title, subtitle/occasion
//! (`——2023年3月5日在…上`, also without the dash or broken over two lines), speaker (`国务院总理 李强`;
//! a line of an office and a name such as `XX市人民政府市长 某某` or `市长李爱武` is a speaker even where
//! a title could stand; spaces inside a name are dropped), date (`（2022年8月13日）`, or a dated note such as
//! `（2022年3月11日…会议通过）`, bracketed or not), salutation ([`SALUTATIONS`]), preamble, body and
//! closing; HTML comments a web copy left among the header lines (`<!-- …作政府工作报告 -->`) are
//! skipped. A sentence
//! broken over lines (`…所作的` / `政府工作报告` / `。会议…`) is body, not a header. Heading markers are
//! recognised by the outline's grammar ([`crate::outline::marker`]).
//!
//! ```
//! use tifa::{document::split_documents, segment::Segments, text::{Encoding, Text}};
//! let t = Text::from_string("t", "在全市大会上的讲话\n张三\n（2022年8月13日）\n同志们：\n今天开会。", Encoding::Utf8);
//! let docs = split_documents(&t, &Segments::new(&t));
//! assert_eq!(docs[0].title.as_deref(), Some("在全市大会上的讲话"));
//! assert_eq!(docs[0].meta.speaker.as_deref(), Some("张三"));
//! assert_eq!(docs[0].meta.date.as_deref(), Some("2022年8月13日"));
//! assert_eq!(docs[0].meta.salutation.as_deref(), Some("同志们"));
//! assert_eq!(t.slice(docs[0].body), "今天开会。");
//! ```

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::outline::marker;
use crate::segment::{Paragraph, Segments};
use crate::text::{Span, Text};

/// Facts about a document found in its header lines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Meta {
    /// Subtitle or occasion, without the leading dash (`2023年3月5日在第十四届全国人民代表大会第一次会议上`).
    pub subtitle: Option<String>,
    /// The speaker (`刘春光`, `国务院总理 李克强`).
    pub speaker: Option<String>,
    /// The date of the speech as written (`2022年8月13日`).
    pub date: Option<String>,
    /// The salutation without its colon (`同志们`, `各位代表`).
    pub salutation: Option<String>,
}

/// One speech or report in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The title, when the document has one.
    pub title: Option<String>,
    /// Where the title is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_span: Option<Span>,
    /// The whole document, header included.
    pub span: Span,
    /// Subtitle, speaker, date, salutation.
    pub meta: Meta,
    /// The text after the header lines: preamble, sections and closing.
    pub body: Span,
}

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]?\s*((?:\d{4}|[一二〇○零]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?)\s*[）)]?$").unwrap()
});
/// Words a speaker greets the audience with (`同志们：`, `各位代表！`): the one list every stage uses.
pub const SALUTATIONS: &[&str] = &[
    "同志们",
    "同事们",
    "各位代表",
    "各位委员",
    "各位领导",
    "各位同仁",
    "各位嘉宾",
    "同胞们",
    "朋友们",
    "女士们",
    "先生们",
    "老师们",
    "同学们",
    "大家好",
];

/// `同志们`, `女士们，先生们`, `各位代表、各位委员` as a regex group.
fn salutation_run() -> String {
    let alt = SALUTATIONS.join("|");
    format!("(?:{alt})(?:[，、,]?(?:{alt}))*")
}

static SALUTATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^({})[：:！!]$", salutation_run())).unwrap());
/// A flattened header: title, then `（date）` or `※`, then perhaps speaker and salutation, all in one line.
static FLAT_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?:新华社[\p{{Han}}]{{2,4}}\d{{1,2}}月\d{{1,2}}日电)?(?P<title>[^。！？：:]{{4,90}}?)(?:（(?P<date>\d{{4}}年\d{{1,2}}月\d{{1,2}}日)）|※)(?P<speaker>\p{{Han}}{{2,4}}?)?(?:　+|(?P<sal>{})[：！])", salutation_run())).unwrap()
});
static TOC_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,3}\s*[．.、]|[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十\d]{1,3}）)?\s*(.+?)(?:\s*[.…·]{2,}\s*\d+)?$").unwrap()
});

/// Splits a file into documents and reads each one's header.
pub fn split_documents(text: &Text, segments: &Segments) -> Vec<Document> {
    let paras = &segments.paragraphs;
    if paras.is_empty() {
        let end = text.len_chars();
        return vec![Document {
            title: None,
            title_span: None,
            span: Span::new(0, end),
            meta: Meta::default(),
            body: Span::new(end, end),
        }];
    }
    let starts = compilation_starts(text, paras);
    let mut docs = Vec::new();
    if starts.len() >= 2 {
        for (k, &p0) in starts.iter().enumerate() {
            let p1 = starts.get(k + 1).copied().unwrap_or(paras.len());
            docs.push(read_document(text, &paras[p0..p1], true));
        }
    } else {
        docs.push(read_document(text, paras, false));
    }
    docs
}

/// Paragraph indexes where the documents of a compilation start, or empty for a single document.
///
/// A compilation has a `目录` line near the top followed by entries; each entry's title reappears later
/// as a line of its own, which starts that document.
fn compilation_starts(text: &Text, paras: &[Paragraph]) -> Vec<usize> {
    let norm = |p: &Paragraph| -> String {
        text.slice(p.span)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let Some(toc) = paras
        .iter()
        .take(20)
        .position(|p| matches!(norm(p).as_str(), "目录" | "目次"))
    else {
        return Vec::new();
    };
    let mut titles = Vec::new();
    let mut seen = HashSet::new();
    let mut i = toc + 1;
    while i < paras.len() {
        let line = text.slice(paras[i].span);
        if line.chars().count() > 80 || line.ends_with('。') {
            break;
        }
        let title = TOC_ENTRY
            .captures(line)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str())
            .unwrap_or(line);
        let key: String = title.chars().filter(|c| !c.is_whitespace()).collect();
        if !seen.insert(key.clone()) {
            break; // the first document's title line: the TOC is over
        }
        titles.push(key);
        i += 1;
    }
    // Where each entry's title reappears, found in one pass: the paragraphs after the TOC indexed by
    // their normalised text.
    let mut lines: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, p) in paras.iter().enumerate().skip(i) {
        let key = norm(p);
        if seen.contains(&key) {
            lines.entry(key).or_default().push(k);
        }
    }
    let mut starts = Vec::new();
    let mut from = i;
    for t in &titles {
        let at = lines.get(t).and_then(|ks| {
            let n = ks.partition_point(|&k| k < from);
            ks.get(n).copied()
        });
        if let Some(k) = at {
            starts.push(k);
            from = k + 1;
        }
    }
    if starts.len() * 2 > titles.len() && starts.len() >= 2 {
        starts
    } else {
        Vec::new()
    }
}

/// Whether a line opens with a heading marker, by the outline's marker grammar.
fn is_heading_start(s: &str) -> bool {
    let chars: Vec<char> = s.chars().take(12).collect();
    marker::numbered_at(&chars, 0).is_some()
        || marker::enumeration_at(&chars, 0).is_some()
        || s.starts_with("——")
}

/// A bracketed note that opens with a date (`（2022年3月11日第十三届全国人民代表大会第五次会议通过）`).
static DATED_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]?\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)[^。]{0,60}通过\s*[）)]?$")
        .unwrap()
});

/// An HTML comment left in a web copy's header (`<!-- 陈吉宁同志作政府工作报告。 -->`, a photo
/// caption): neither title nor body.
fn is_markup_comment(s: &str) -> bool {
    s.starts_with("<!--") && s.ends_with("-->")
}

/// The occasion line without its dash (`—2025年1月19日在…会议上`, `2024年1月23日在浙江省`).
static OCCASION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[—\-－（(]*\s*(?:\d{4}|[一二〇○零]{4})\s*年[^。]{1,6}月[^。]{1,6}日?\s*在")
        .unwrap()
});

/// `XX省省长 某某`, `XX市人民政府市长 某某`, `代市长 某 某`: an office and a name, a speaker line even
/// where a title could stand.
static OFFICE_SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Han}·]{0,24}?(?:省长|市长|主席|州长|盟长|县长|区长|旗长|总理|书记|部长|厅长|局长|主任)[\s　]+\p{Han}(?:[\s　]?\p{Han}){1,3}$").unwrap()
});

/// The same without the space (`市长李爱武`, `黑龙江省人民政府省长王宪魁`): an office, then a two- or
/// three-char name ending the line.
static OFFICE_SPEAKER_JOINED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Han}]{0,12}?(?:省长|市长|主席|州长|盟长|县长|区长|旗长|总理)\p{Han}{2,3}$")
        .unwrap()
});

/// `XX市人民政府市长 某某` or `市长李爱武`, but not a title that happens to hold an office
/// (`市长工作报告`).
fn is_office_speaker(s: &str) -> bool {
    OFFICE_SPEAKER.is_match(s)
        || (OFFICE_SPEAKER_JOINED.is_match(s)
            && !["报告", "讲话", "会议", "工作", "致辞", "发言"]
                .iter()
                .any(|w| s.contains(w)))
}

/// A speaker line with its spaces normalised: between an office and a name one space, inside a name
/// none (`李 强`, `习　近　平` → `李强`, `习近平`).
fn speaker_text(s: &str) -> String {
    let tokens: Vec<&str> = s.split_whitespace().collect();
    let mut out = String::new();
    for (i, t) in tokens.iter().enumerate() {
        let single = |t: &str| t.chars().count() == 1;
        if i > 0 && !(single(t) && single(tokens[i - 1])) {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

fn is_speaker_line(s: &str) -> bool {
    let n = s.chars().count();
    (2..=16).contains(&n)
        && s.chars().all(|c| {
            ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '\u{3000}' || c == ' ' || c == '·'
        })
        && !s.contains("目录")
}

fn is_title_line(s: &str) -> bool {
    let n = s.chars().count();
    (2..=90).contains(&n)
        && !s.contains('。')
        && !s.ends_with(['！', '？', '；', '：', '，', ':'])
        && !is_heading_start(s)
}

/// Reads the header of the document made of `paras`.
fn read_document(text: &Text, paras: &[Paragraph], titled: bool) -> Document {
    let span = Span::new(paras[0].span.start, paras[paras.len() - 1].span.end);
    let mut meta = Meta::default();
    let mut title: Option<(String, Span)> = None;
    let mut speaker_parts: Vec<String> = Vec::new();
    let mut body_start = span.start;
    let limit = paras.len().min(8);
    let mut i = 0;
    // A file with a single paragraph, or a flattened first paragraph, carries its header inline.
    let first = text.slice(paras[0].span);
    if first.chars().count() > 200 {
        if let Some(c) = FLAT_HEADER.captures(first) {
            let base = paras[0].span.start;
            let to_span = |m: regex::Match| {
                let b = text.byte_of(base);
                text.span_of_bytes(b + m.start()..b + m.end())
            };
            let t = c.name("title").unwrap();
            title = Some((t.as_str().trim().to_string(), to_span(t)));
            meta.date = c.name("date").map(|m| m.as_str().to_string());
            meta.speaker = c.name("speaker").map(|m| m.as_str().to_string());
            meta.salutation = c.name("sal").map(|m| m.as_str().to_string());
            body_start = to_span(c.get(0).unwrap()).end;
        } else if let Some(c) = SALUTATION_PREFIX.captures(first) {
            meta.salutation = Some(c[1].to_string());
            let b = text.byte_of(paras[0].span.start);
            body_start = text.char_of(b + c.get(0).unwrap().end());
        }
        return finish(span, title, meta, body_start);
    }
    let mut subtitle_line: Option<usize> = None;
    while i < limit {
        let p = paras[i];
        let s = text.slice(p.span).trim();
        if is_markup_comment(s) {
            i += 1;
            body_start = paras.get(i).map_or(span.end, |p| p.span.start);
            continue;
        }
        if let Some(c) = SALUTATION.captures(s) {
            meta.salutation = Some(c[1].to_string());
            i += 1;
            body_start = paras.get(i).map_or(span.end, |p| p.span.start);
            break;
        }
        // A sentence broken over lines (`…国务院总理李强所作的` / `政府工作报告` / `。会议…`) is body, not
        // a title and a speaker.
        let broken = paras[i + 1..paras.len().min(i + 3)].iter().any(|q| {
            text.slice(q.span)
                .trim_start()
                .starts_with(['。', '，', '、', '；', '：', '）'])
        });
        if broken && meta.date.is_none() && title.is_none() {
            break;
        }
        if let Some(c) = DATE_LINE.captures(s).or_else(|| DATED_NOTE.captures(s)) {
            let parenthesised = s.starts_with(['（', '(']);
            if meta.date.is_none() || parenthesised {
                meta.date = Some(c[1].chars().filter(|c| !c.is_whitespace()).collect());
            }
        } else if (s.starts_with("——") || OCCASION.is_match(s))
            && s.chars().count() <= 120
            && !s.contains('。')
        {
            let sub = s.trim_start_matches(['—', '-', '－']).trim();
            let sub = match sub.strip_prefix(['（', '(']) {
                Some(inner) => inner.trim_end_matches(['）', ')']),
                None => sub,
            };
            meta.subtitle = Some(sub.to_string());
            subtitle_line = Some(i);
        } else if subtitle_line == Some(i.wrapping_sub(1))
            && s.ends_with('上')
            && s.chars().count() <= 60
            && !s.contains('。')
        {
            // The occasion broken over two lines (`2024年1月23日在浙江省` / `第十四届…会议上`).
            if let Some(sub) = meta.subtitle.as_mut() {
                sub.push_str(s);
            }
            subtitle_line = Some(i);
        } else if is_office_speaker(s) {
            speaker_parts.push(speaker_text(s));
        } else if title.is_none() && is_title_line(s) && (titled || i + 1 < paras.len()) {
            title = Some((s.to_string(), p.span));
        } else if title.is_some() && is_speaker_line(s) {
            speaker_parts.push(speaker_text(s));
        } else {
            break;
        }
        i += 1;
        body_start = paras.get(i).map_or(span.end, |p| p.span.start);
    }
    if !speaker_parts.is_empty() {
        meta.speaker = Some(speaker_parts.join(" "));
    }
    // Header lines without a salutation and with nothing but a title: the body starts after the title.
    finish(span, title, meta, body_start)
}

static SALUTATION_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^({})[：:][\\s　]*", salutation_run())).unwrap());

fn finish(span: Span, title: Option<(String, Span)>, meta: Meta, body_start: usize) -> Document {
    let body = Span::new(body_start.min(span.end), span.end);
    let (title, title_span) = match title {
        Some((t, s)) => (Some(t), Some(s)),
        None => (None, None),
    };
    Document {
        title,
        title_span,
        span,
        meta,
        body,
    }
}

// Dates: normalised from header text and file names, and ordered.

static HEADER_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9０-９〇○零一二三四五六七八九]{4})\s*年\s*(?:([0-9０-９一二三四五六七八九十]{1,3})\s*月\s*(?:([0-9０-９一二三四五六七八九十]{1,3})\s*日)?)?").unwrap()
});
static NAME_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[-_.]([01]?[0-9])(?:[-_.]([0-3]?[0-9]))?)?(?:[^0-9]|$)",
    )
    .unwrap()
});

/// A number written with digits (ASCII or full-width) or Chinese numerals (`二〇二二`, `十三`).
fn number(s: &str) -> Option<u32> {
    let digit = |c: char| match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        '○' => Some(0),
        c => crate::text::chinese_digit(c),
    };
    if let Some(p) = s.find('十') {
        let (hi, lo) = (&s[..p], &s[p + '十'.len_utf8()..]);
        let hi = if hi.is_empty() { 1 } else { number(hi)? };
        let lo = if lo.is_empty() { 0 } else { number(lo)? };
        return Some(hi * 10 + lo);
    }
    s.chars()
        .try_fold(0u32, |acc, c| Some(acc * 10 + digit(c)?))
}

fn format_date(y: u32, m: Option<u32>, d: Option<u32>) -> Option<String> {
    if !(1900..=2100).contains(&y) {
        return None;
    }
    match (
        m.filter(|m| (1..=12).contains(m)),
        d.filter(|d| (1..=31).contains(d)),
    ) {
        (Some(m), Some(d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
        (Some(m), None) => Some(format!("{y:04}-{m:02}")),
        _ => Some(format!("{y:04}")),
    }
}

/// `2022年8月13日` → `2022-08-13`; `二〇二三年三月` → `2023-03`.
pub fn date_from_header(s: &str) -> Option<String> {
    let c = HEADER_DATE.captures(s)?;
    let y = number(c.get(1)?.as_str())?;
    let m = c.get(2).and_then(|m| number(m.as_str()));
    let d = c.get(3).and_then(|d| number(d.as_str()));
    format_date(y, m, d)
}

/// The last date-like part of a file name: `gwr_2023.txt` → `2023`, `2023-03-05讲话.txt` → `2023-03-05`.
pub fn date_from_name(path: &str) -> Option<String> {
    let name = std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let c = NAME_DATE.captures_iter(&name).last()?;
    let y: u32 = c.get(1)?.as_str().parse().ok()?;
    let m = c.get(2).and_then(|m| m.as_str().parse().ok());
    let d = c.get(3).and_then(|d| d.as_str().parse().ok());
    format_date(y, m, d)
}

impl Document {
    /// The document's date as `YYYY-MM-DD`, `YYYY-MM` or `YYYY`: the header's date line, else the
    /// subtitle's date (`——2023年3月5日在…上`), else the last date in the file name `path`.
    pub fn iso_date(&self, path: &str) -> Option<String> {
        self.meta
            .date
            .as_deref()
            .and_then(date_from_header)
            .or_else(|| self.meta.subtitle.as_deref().and_then(date_from_header))
            .or_else(|| date_from_name(path))
    }
}

/// Older → newer: `Some(true)` when `a` is older, `Some(false)` when `b` is, `None` when unknown (a
/// date missing, or one a prefix of the other: `2023` and `2023-03-05`).
pub fn older(a: Option<&str>, b: Option<&str>) -> Option<bool> {
    let (a, b) = (a?, b?);
    if a.starts_with(b) || b.starts_with(a) {
        return None;
    }
    Some(a < b)
}

/// How a found document's date stands to a query's (`tifa corpus --query`, `tifa index query`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// Dated before the query: a possible source.
    Earlier,
    /// No date on one side, or the same date (`2023` and `2023-03-05` included).
    Unknown,
    /// Dated after the query: it shares the query's text but cannot be its source.
    Later,
}

impl Relation {
    /// `"earlier"`, `"unknown"` or `"later"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Earlier => "earlier",
            Relation::Unknown => "unknown",
            Relation::Later => "later",
        }
    }

    /// The relation of a document dated `doc` to a query dated `query`.
    pub fn of(doc: Option<&str>, query: Option<&str>) -> Relation {
        match older(doc, query) {
            Some(true) => Relation::Earlier,
            Some(false) => Relation::Later,
            None => Relation::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_from_dates() {
        assert_eq!(older(Some("2019"), Some("2020")), Some(true));
        assert_eq!(older(Some("2021-03-05"), Some("2020")), Some(false));
        assert_eq!(older(Some("2023"), Some("2023-03-05")), None);
        assert_eq!(older(None, Some("2020")), None);
    }

    #[test]
    fn dates_from_headers_and_names() {
        assert_eq!(
            date_from_header("2022年8月13日").as_deref(),
            Some("2022-08-13")
        );
        assert_eq!(
            date_from_header("二〇二三年三月五日").as_deref(),
            Some("2023-03-05")
        );
        assert_eq!(
            date_from_header("——2023年3月5日在第十四届全国人民代表大会第一次会议上").as_deref(),
            Some("2023-03-05")
        );
        assert_eq!(
            date_from_name("split/gwr_2023.txt").as_deref(),
            Some("2023")
        );
        assert_eq!(
            date_from_name("省级-浙江省-2019.txt").as_deref(),
            Some("2019")
        );
        assert_eq!(
            date_from_name("a/2023-03-05讲话.txt").as_deref(),
            Some("2023-03-05")
        );
        assert_eq!(date_from_name("000_1f080de224ac8f35.txt"), None);
    }
    use crate::text::Encoding;

    fn docs(s: &str) -> (Text, Vec<Document>) {
        let t = Text::from_string("t", s, Encoding::Utf8);
        let d = split_documents(&t, &Segments::new(&t));
        (t, d)
    }

    #[test]
    fn reads_report_header() {
        let (t, d) = docs(
            "政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n国务院总理　\n李克强\n各位代表：\n本届政府任期即将结束。",
        );
        assert_eq!(d[0].title.as_deref(), Some("政府工作报告"));
        assert_eq!(
            d[0].meta.subtitle.as_deref(),
            Some("2023年3月5日在第十四届全国人民代表大会第一次会议上")
        );
        assert_eq!(d[0].meta.speaker.as_deref(), Some("国务院总理 李克强"));
        assert_eq!(d[0].meta.salutation.as_deref(), Some("各位代表"));
        assert_eq!(t.slice(d[0].body), "本届政府任期即将结束。");
    }

    #[test]
    fn an_office_and_a_name_without_a_space_is_a_speaker() {
        let (_, d) = docs(
            "——2021年12月30日在岳阳市第九届人民代表大会第一次会议上\n市长李爱武\n各位代表：\n今天开会。",
        );
        assert_eq!(d[0].title, None);
        assert_eq!(d[0].meta.speaker.as_deref(), Some("市长李爱武"));
        let (_, d) = docs(
            "2011年黑龙江省人民政府工作报告\n黑龙江省人民政府省长王宪魁\n各位代表：\n今天开会。",
        );
        assert_eq!(
            d[0].title.as_deref(),
            Some("2011年黑龙江省人民政府工作报告")
        );
        assert_eq!(
            d[0].meta.speaker.as_deref(),
            Some("黑龙江省人民政府省长王宪魁")
        );
        assert!(!is_office_speaker("市长工作报告"));
    }

    #[test]
    fn skips_markup_comments_and_reads_unbracketed_dated_notes() {
        let (t, d) = docs(
            "<!-- 在长沙市第十五届人民代表大会第七次会议上，郑建新作《政府工作报告》。 -->\n政府工作报告\n2021年1月21日长沙市第十五届人民代表大会第七次会议通过\n市长 郑建新\n各位代表：\n一、2020年工作回顾\n",
        );
        assert_eq!(d[0].title.as_deref(), Some("政府工作报告"));
        assert_eq!(d[0].meta.date.as_deref(), Some("2021年1月21日"));
        assert_eq!(d[0].meta.speaker.as_deref(), Some("市长 郑建新"));
        assert_eq!(t.slice(d[0].body).trim_end(), "一、2020年工作回顾");
    }

    #[test]
    fn reads_flattened_header() {
        let body = "在全党开展主题教育，是党的十九大作出的重大决策。".repeat(10);
        let (t, d) = docs(&format!(
            "在主题教育总结大会上的讲话（2020年1月8日）习近平同志们：{body}"
        ));
        assert_eq!(d[0].title.as_deref(), Some("在主题教育总结大会上的讲话"));
        assert_eq!(d[0].meta.date.as_deref(), Some("2020年1月8日"));
        assert_eq!(d[0].meta.speaker.as_deref(), Some("习近平"));
        assert_eq!(d[0].meta.salutation.as_deref(), Some("同志们"));
        assert!(t.slice(d[0].body).starts_with("在全党开展"));
    }

    #[test]
    fn speaker_names_with_inner_spaces() {
        let (_, d) = docs("政府工作报告\n国务院总理 李 强\n各位代表：\n现在报告工作。");
        assert_eq!(d[0].meta.speaker.as_deref(), Some("国务院总理 李强"));
        let (_, d) = docs("在座谈会上的讲话\n习　近　平\n同志们：\n今天开会。");
        assert_eq!(d[0].meta.speaker.as_deref(), Some("习近平"));
    }

    #[test]
    fn an_office_and_a_name_is_a_speaker_not_a_title() {
        // 邢台市-2022: the occasion first, then `XX市人民政府市长 某某`, no title line.
        let (_, d) = docs(
            "——2022年1月23日在邢台市第十六届人民代表大会第二次会议上\n邢台市人民政府市长 宋华英\n各位代表：\n现在报告工作。",
        );
        assert_eq!(d[0].title, None);
        assert_eq!(
            d[0].meta.speaker.as_deref(),
            Some("邢台市人民政府市长 宋华英")
        );
        // 浙江省-2024: the occasion broken over two lines, `XX省省长 王 浩`.
        let (_, d) = docs(
            "政府工作报告\n2024年1月23日在浙江省\n第十四届人民代表大会第二次会议上\n浙江省省长 王 浩\n各位代表：\n现在报告工作。",
        );
        assert_eq!(d[0].title.as_deref(), Some("政府工作报告"));
        assert_eq!(
            d[0].meta.subtitle.as_deref(),
            Some("2024年1月23日在浙江省第十四届人民代表大会第二次会议上")
        );
        assert_eq!(d[0].meta.speaker.as_deref(), Some("浙江省省长 王浩"));
    }

    #[test]
    fn npc_resolutions_keep_their_title_and_a_broken_sentence_is_body() {
        let (_, d) = docs(
            "第十三届全国人民代表大会第五次会议关于政府工作报告的决议\n（2022年3月11日第十三届全国人民代表大会第五次会议通过）\n第十三届全国人民代表大会第五次会议听取和审议了国务院总理李克强所作的政府工作报告。",
        );
        assert_eq!(
            d[0].title.as_deref(),
            Some("第十三届全国人民代表大会第五次会议关于政府工作报告的决议")
        );
        assert_eq!(d[0].meta.date.as_deref(), Some("2022年3月11日"));
        let (t, d) = docs(
            "第十二届全国人民代表大会第二次会议听取和审议了国务院总理李克强所作的\n政府工作报告\n。会议充分肯定国务院过去一年的工作。",
        );
        assert_eq!(d[0].title, None);
        assert_eq!(d[0].meta.speaker, None);
        assert!(t.slice(d[0].body).starts_with("第十二届"));
    }

    #[test]
    fn no_header_when_text_starts_with_body() {
        let (_, d) =
            docs("今天我们召开上半年工作总结会议，会议的主要任务是：总结工作。\n一、提振信心。");
        assert_eq!(d[0].title, None);
        assert_eq!(d[0].body, d[0].span);
    }
}
