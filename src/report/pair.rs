//! What should a colleague read to see how two speeches relate? The pair report (`tifa report A B`).
//!
//! Input: a [`PairReport`] — the [`CompareReport`] of one pair (outline alignment, every reused passage
//! placed on its row, pattern figures) and both documents' rhetoric hits — and the two prepared documents. Output: one self-contained HTML page ([`html`]), the same report as
//! Markdown ([`markdown`]) and one JSON object bundling the three stages' results ([`json`], schema in
//! `docs/schema/report.schema.json`, documented in `docs/report.md`).
//!
//! How: the tables come from the row view-models of [`super::rows`]; the two full texts are built here
//! in one linear sweep over each document (boundaries of passages, rhetoric hits, masks and section
//! starts), so a 500,000-char pair renders in well under a second. The page's script (`report.js`)
//! links the two panes.
//!
//! # Markup contract of the HTML page
//!
//! Tests and users' scripts rely on these (they are kept stable; classes not listed may change):
//! - `#pane-a`, `#pane-b`: the two full texts (`.pane`), each holding the text of one document.
//! - every highlighted passage element is `<mark class="ps CLASS KIND" data-passage="N">` with the same `N`
//!   on both sides (`N` = the row number in the passages table and the `n` of the JSON); a passage cut by
//!   other markup is split into several elements with the same `N`.
//! - every rhetoric hit is `<u class="rh" data-family="FAMILY">` (families as in pattern files);
//! - every redaction mask is `<span class="mask">`;
//! - every outline row is `<tr data-status="STATUS">` (`same`, `reworded`, `rewritten`, `moved`, `split`,
//!   `merged`, `only_a`, `only_b`), its sides link to `#a-START` / `#b-START`, the anchors of the
//!   sections' starts in the panes;
//! - the legends are `.legend` elements; family toggles are `input[data-toggle-family="FAMILY"]`, whose
//!   unchecking adds the class `off-FAMILY` to `<body>`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::page::{self, Lang, Markup};
use super::rows::{self, AlignmentRow, FormulaRow, PassageRow};
use super::{html_escape, md_escape};
use crate::SpeechFile;
use crate::compare::{self, CompareParams, CompareReport, PatternFigures};
use crate::diff::Status;
use crate::patterns::{DocumentPatterns, Family};
use crate::prepared::PreparedDoc;
use crate::reuse::PassageClass;
use crate::text::{Span, Text};

/// One compared document as the report's header shows it.
#[derive(Clone, Debug, Serialize)]
pub struct PairDocument {
    /// The file as given.
    pub path: String,
    /// The document's title.
    pub title: Option<String>,
    /// The date in its header.
    pub date: Option<String>,
    /// The speaker in its header.
    pub speaker: Option<String>,
    /// The detected (or forced) encoding of the file.
    pub encoding: String,
    /// Chars of the document.
    pub chars: usize,
    /// Index of the document in its file (1-based).
    pub document: usize,
    /// Where the document is in its file.
    pub span: Span,
}

/// The figures the verdict is computed from, each as the stage reports it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PairScores {
    /// Outline similarity (compare), in [0, 1].
    pub outline: f64,
    /// Text similarity (compare), in [0, 1].
    pub text: f64,
    /// Distinctive reuse: the larger of the two bodies' shares of content chars (letters and digits)
    /// covered by distinctive passages, in [0, 1].
    pub distinctive: f64,
    /// Boilerplate: the same share for boilerplate passages, in [0, 1].
    pub boilerplate: f64,
    /// Rhetoric hits per 1,000 chars of A (patterns).
    pub rhetoric_a: f64,
    /// Rhetoric hits per 1,000 chars of B.
    pub rhetoric_b: f64,
}

/// The one-line judgement of a pair, in both languages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// How much was copied: `copied` (distinctive ≥ 50 %), `reused` (≥ 15 %), `some` (≥ 3 %),
    /// `formulas` (less, but boilerplate ≥ 3 %) or `independent`.
    pub reuse: &'static str,
    /// How alike the outlines are: `same` (outline ≥ 0.7), `similar` (≥ 0.4) or `different`.
    pub structure: &'static str,
    /// The sentence in Chinese.
    pub zh: String,
    /// The sentence in English.
    pub en: String,
}

impl Verdict {
    /// Computes the verdict from the scores (thresholds in the field docs).
    pub fn of(s: &PairScores) -> Verdict {
        let reuse = if s.distinctive >= 0.5 {
            "copied"
        } else if s.distinctive >= 0.15 {
            "reused"
        } else if s.distinctive >= 0.03 {
            "some"
        } else if s.boilerplate >= 0.03 {
            "formulas"
        } else {
            "independent"
        };
        let structure = if s.outline >= 0.7 {
            "same"
        } else if s.outline >= 0.4 {
            "similar"
        } else {
            "different"
        };
        let pct = |x: f64| format!("{:.0}%", x * 100.0);
        let zh_structure = match structure {
            "same" => "提纲基本一致",
            "similar" => "提纲相近",
            _ => "提纲不同",
        };
        let en_structure = match structure {
            "same" => "Same outline",
            "similar" => "Similar outline",
            _ => "Different outlines",
        };
        let zh_reuse = match reuse {
            "copied" => "B 大段照搬 A",
            "reused" => "B 大量复用 A 的文字",
            "some" => "B 少量复用 A 的文字",
            "formulas" => "两篇只共用套话",
            _ => "文字基本各自独立",
        };
        let en_reuse = match reuse {
            "copied" => "B copies A wholesale",
            "reused" => "B reuses much of A's text",
            "some" => "B reuses some of A's text",
            "formulas" => "the two share only stock formulas",
            _ => "the texts are independent",
        };
        let (hi, lo) = (
            s.rhetoric_a.max(s.rhetoric_b),
            s.rhetoric_a.min(s.rhetoric_b),
        );
        let denser = (hi >= 1.0 && hi >= 1.5 * lo.max(0.01)).then(|| {
            let (who, other) = if s.rhetoric_a > s.rhetoric_b {
                ("A", "B")
            } else {
                ("B", "A")
            };
            let ratio = if lo > 0.0 {
                format!("{:.1}", hi / lo)
            } else {
                "∞".into()
            };
            (who, other, ratio)
        });
        let mut zh = format!(
            "{zh_structure}（提纲相似度 {:.2}），{zh_reuse}（区别性复用 {}，套话 {}，文字相似度 {:.2}）",
            s.outline,
            pct(s.distinctive),
            pct(s.boilerplate),
            s.text
        );
        let mut en = format!(
            "{en_structure} (outline {:.2}); {en_reuse} (distinctive reuse {}, boilerplate {}, text {:.2})",
            s.outline,
            pct(s.distinctive),
            pct(s.boilerplate),
            s.text
        );
        match &denser {
            Some((who, other, ratio)) => {
                zh.push_str(&format!("；{who} 的修辞密度是 {other} 的 {ratio} 倍。"));
                en.push_str(&format!(
                    "; {who} uses rhetoric {ratio}× as densely as {other}."
                ));
            }
            None => {
                zh.push('。');
                en.push('.');
            }
        }
        Verdict {
            reuse,
            structure,
            zh,
            en,
        }
    }

    /// The sentence in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Both documents' rhetoric hits and scores.
#[derive(Clone, Debug, Serialize)]
pub struct PatternPair {
    /// Document A.
    pub a: DocumentPatterns,
    /// Document B.
    pub b: DocumentPatterns,
}

/// Everything the pair report shows, and its JSON object.
#[derive(Clone, Debug, Serialize)]
pub struct PairReport {
    /// Document A.
    pub a: PairDocument,
    /// Document B.
    pub b: PairDocument,
    /// The figures of the header.
    pub scores: PairScores,
    /// The judgement computed from them.
    pub verdict: Verdict,
    /// The `tifa compare` object: alignment, reuse counts, every reused passage (in B order, placed on
    /// its alignment row, `n` = index + 1) and both documents' pattern figures.
    pub compare: CompareReport,
    /// Both documents' rhetoric hits (the `tifa patterns` document objects).
    pub patterns: PatternPair,
    /// Formulas (pattern hits of the same pattern with the same text) found in both documents.
    pub shared_formulas: Vec<FormulaRow>,
}

fn document_info(d: &PreparedDoc) -> PairDocument {
    let doc = d.document();
    PairDocument {
        path: d.path().display().to_string(),
        title: doc.title.clone(),
        date: doc.meta.date.clone(),
        speaker: doc.meta.speaker.clone(),
        encoding: d.text().encoding().to_string(),
        chars: doc.span.len(),
        document: d.index() + 1,
        span: doc.span,
    }
}

/// Share of the content chars (letters and digits: Han chars, Latin, numbers) of `body` covered by
/// `spans`, which may overlap.
fn covered_share(text: &Text, body: Span, spans: impl Iterator<Item = Span>) -> f64 {
    let content = |s: Span| {
        text.slice(s)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .count()
    };
    let total = content(body);
    if total == 0 {
        return 0.0;
    }
    let mut spans: Vec<Span> = spans
        .map(|s| Span::new(s.start.max(body.start), s.end.min(body.end)))
        .filter(|s| !s.is_empty())
        .collect();
    spans.sort_unstable();
    let (mut covered, mut end) = (0, body.start);
    for s in spans {
        let start = s.start.max(end);
        if s.end > start {
            covered += content(Span::new(start, s.end));
            end = s.end;
        }
    }
    // Four decimals, as the stages round their scores.
    (covered as f64 / total as f64 * 10_000.0).round() / 10_000.0
}

impl PairReport {
    /// Compares `a` and `b` ([`compare::compare`]) and finds both documents' rhetoric hits with the
    /// pattern set of `params` (the built-in set when it has none).
    pub fn build(a: &PreparedDoc, b: &PreparedDoc, params: &CompareParams) -> PairReport {
        let default_set;
        let set = match &params.patterns {
            Some(set) => set,
            None => {
                default_set = crate::patterns::PatternSet::default_set();
                &default_set
            }
        };
        // The hits are found once here; the compare stage takes their scores.
        let stage_params = CompareParams {
            patterns: None,
            ..params.clone()
        };
        let (mut compare, (pa, pb)) = rayon::join(
            || compare::compare(a, b, &stage_params),
            || {
                rayon::join(
                    || crate::patterns::score_document(set, a.file(), a.outline()),
                    || crate::patterns::score_document(set, b.file(), b.outline()),
                )
            },
        );
        compare.patterns = Some(PatternFigures {
            a: pa.scores.clone(),
            b: pb.scores.clone(),
        });
        let class_share = |class: PassageClass| {
            let side = |doc: &PreparedDoc, a_side: bool| {
                covered_share(
                    doc.text(),
                    doc.body(),
                    compare
                        .passages
                        .iter()
                        .filter(|p| p.passage.class == class)
                        .map(|p| if a_side { p.passage.a } else { p.passage.b }),
                )
            };
            side(a, true).max(side(b, false))
        };
        let scores = PairScores {
            outline: compare.alignment.scores.outline,
            text: compare.alignment.scores.text,
            distinctive: class_share(PassageClass::Distinctive),
            boilerplate: class_share(PassageClass::Boilerplate),
            rhetoric_a: pa.scores.hits_per_1000,
            rhetoric_b: pb.scores.hits_per_1000,
        };
        let shared_formulas = shared_formulas(a.file(), &pa, b.file(), &pb);
        PairReport {
            a: document_info(a),
            b: document_info(b),
            scores,
            verdict: Verdict::of(&scores),
            compare,
            patterns: PatternPair { a: pa, b: pb },
            shared_formulas,
        }
    }
}

/// Longest hit text (content chars, white space dropped) counted as a formula; longer hits are passages.
const FORMULA_MAX_CHARS: usize = 60;

/// Hits of the same pattern with the same text (white space dropped) in both documents. Enumerations
/// (`一是…二是…`, whole outline sequences) and hits longer than [`FORMULA_MAX_CHARS`] are structure or
/// passages, not formulas, and are left out.
fn shared_formulas(
    a: &SpeechFile,
    pa: &DocumentPatterns,
    b: &SpeechFile,
    pb: &DocumentPatterns,
) -> Vec<FormulaRow> {
    type Key = (String, String);
    let count = |f: &SpeechFile, d: &DocumentPatterns| -> BTreeMap<Key, (Family, usize)> {
        let mut m: BTreeMap<Key, (Family, usize)> = BTreeMap::new();
        for h in &d.hits {
            if h.family == Family::Enumeration || h.span.len() > 2 * FORMULA_MAX_CHARS {
                continue;
            }
            let text = rows::excerpt(f.text.slice(h.span), usize::MAX);
            if text.chars().count() > FORMULA_MAX_CHARS {
                continue;
            }
            m.entry((h.pattern.clone(), text))
                .or_insert((h.family, 0))
                .1 += 1;
        }
        m
    };
    let (ca, cb) = (count(a, pa), count(b, pb));
    let mut out: Vec<FormulaRow> = ca
        .into_iter()
        .filter_map(|(key, (family, na))| {
            let (_, nb) = cb.get(&key)?;
            Some(FormulaRow {
                text: key.1,
                family: family.name(),
                pattern: key.0,
                a_count: na,
                b_count: *nb,
            })
        })
        .collect();
    out.sort_by_key(|x| std::cmp::Reverse(x.a_count + x.b_count));
    out
}

/// Pretty JSON of the report with a trailing newline.
pub fn json(report: &PairReport) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("pair report JSON serialises");
    s.push('\n');
    s
}

/// Labels of the page in one language (`key → text`), looked up by the templates as `t.KEY`.
fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    const L: &[(&str, &str, &str)] = &[
        ("heading", "对比报告", "Comparison report"),
        ("overview", "概览", "Overview"),
        ("outline", "提纲对照", "Aligned outlines"),
        ("texts", "全文对照", "Full texts"),
        ("passages", "复用段落", "Reused passages"),
        ("formulas", "共同提法", "Shared formulas"),
        ("title", "标题", "Title"),
        ("date", "日期", "Date"),
        ("speaker", "讲话人", "Speaker"),
        ("chars", "字数", "Chars"),
        ("encoding", "编码", "Encoding"),
        ("file", "文件", "File"),
        ("score_outline", "提纲相似度", "Outline similarity"),
        ("score_text", "文字相似度", "Text similarity"),
        ("score_distinctive", "区别性复用", "Distinctive reuse"),
        ("score_boilerplate", "套话", "Boilerplate"),
        (
            "score_rhetoric",
            "修辞密度（每千字）",
            "Rhetoric density (per 1,000 chars)",
        ),
        ("verdict", "结论", "Verdict"),
        ("status", "关系", "Status"),
        ("similarity", "相似度", "Similarity"),
        ("heading_sim", "标题", "heading"),
        ("body_sim", "正文", "body"),
        ("body_changes", "正文变化", "Body changes"),
        ("kind", "方式", "Kind"),
        ("class", "类别", "Class"),
        ("length", "长度", "Length"),
        ("section", "所在章节", "Section"),
        ("opening", "开头", "Opening"),
        ("family", "修辞类别", "Family"),
        ("pattern", "规则", "Pattern"),
        ("text", "文字", "Text"),
        ("count", "次数", "Count"),
        ("sync", "同步滚动", "Synchronised scrolling"),
        ("legend_status", "关系图例", "Status legend"),
        ("legend_passages", "复用图例", "Passage legend"),
        (
            "legend_rhetoric",
            "修辞图例（点击切换）",
            "Rhetoric legend (click to toggle)",
        ),
        ("mask", "脱敏遮盖", "Redaction mask"),
        ("none_passages", "没有复用段落。", "No reused passages."),
        ("none_formulas", "没有共同提法。", "No shared formulas."),
        (
            "hint",
            "点击高亮段落，另一侧滚动到对应段落。",
            "Click a highlighted passage to scroll the other side to its counterpart.",
        ),
        ("untitled", "（无标题）", "(untitled)"),
        ("same", "相同", "same"),
        ("reworded", "标题改写", "reworded"),
        ("rewritten", "内容重写", "rewritten"),
        ("moved", "移位", "moved"),
        ("split", "拆分", "split"),
        ("merged", "合并", "merged"),
        ("only_a", "仅 A 有（删去）", "only in A (dropped)"),
        ("only_b", "仅 B 有（新增）", "only in B (new)"),
        ("distinctive", "区别性复用", "distinctive"),
        ("boilerplate", "套话", "boilerplate"),
        ("verbatim", "原文照搬", "verbatim"),
        ("substituted", "替换词语", "substituted"),
        ("template", "套用模板", "template"),
        ("edited", "改写", "edited"),
        ("reordered", "调整语序", "reordered"),
        ("parallelism", "排比", "parallelism"),
        ("antithesis", "对偶", "antithesis"),
        ("anadiplosis", "顶真", "anadiplosis"),
        ("frame", "框式结构", "frame"),
        ("numbered-slogan", "数字概括", "numbered slogan"),
        ("enumeration", "序列列举", "enumeration"),
        ("four-character-run", "四字格", "four-character run"),
        ("contrast", "对照句式", "contrast"),
    ];
    L.iter()
        .map(|(k, zh, en)| (*k, if lang == Lang::Zh { *zh } else { *en }))
        .collect()
}

const STATUSES: [Status; 8] = [
    Status::Same,
    Status::Reworded,
    Status::Rewritten,
    Status::Moved,
    Status::Split,
    Status::Merged,
    Status::OnlyA,
    Status::OnlyB,
];

/// A legend entry: key (CSS class, data attribute value), label and counts.
#[derive(Serialize)]
struct LegendEntry {
    key: &'static str,
    label: &'static str,
    a: usize,
    b: usize,
}

#[derive(Serialize)]
struct PairPage<'a> {
    t: BTreeMap<&'static str, &'static str>,
    a: &'a PairDocument,
    b: &'a PairDocument,
    scores: &'a PairScores,
    verdict: &'a str,
    verdict_level: &'static str,
    statuses: Vec<LegendEntry>,
    classes: Vec<LegendEntry>,
    families: Vec<LegendEntry>,
    rows: Vec<AlignmentRow>,
    passages: Vec<PassageRow>,
    formulas: &'a [FormulaRow],
}

/// One passage's extent on one side of the panes.
struct PanePassage {
    n: usize,
    span: Span,
    class: &'static str,
    kind: &'static str,
}

/// The full text of one document as HTML: passages as `<mark data-passage>`, hits as `<u data-family>`,
/// masks as `<span class="mask">`, section starts as empty anchors (`id="a-START"`).
///
/// One sweep over the boundaries: between two consecutive boundaries the set of open annotations is
/// constant, and it is opened and closed in one fixed order, so overlapping annotations nest correctly.
fn pane(
    text: &Text,
    doc: Span,
    tag: &str,
    passages: &[PanePassage],
    hits: &[(Span, Family)],
    anchors: &[usize],
) -> Markup {
    // An annotation: (span, order, opening tag, closing tag).
    let mut ann: Vec<(Span, (u8, usize), String, &'static str)> = Vec::new();
    for p in passages {
        ann.push((
            p.span,
            (0, p.n),
            format!(
                "<mark class=\"ps {} {}\" data-passage=\"{}\">",
                p.class, p.kind, p.n
            ),
            "</mark>",
        ));
    }
    for (i, (span, family)) in hits.iter().enumerate() {
        ann.push((
            *span,
            (1, i),
            format!("<u class=\"rh\" data-family=\"{}\">", family.name()),
            "</u>",
        ));
    }
    for (i, m) in text.masks().iter().enumerate() {
        ann.push((
            m.span,
            (2, i),
            "<span class=\"mask\">".to_string(),
            "</span>",
        ));
    }
    let clip = |s: Span| Span::new(s.start.max(doc.start), s.end.min(doc.end));
    let ann: Vec<_> = ann
        .into_iter()
        .map(|(s, o, open, close)| (clip(s), o, open, close))
        .filter(|(s, ..)| !s.is_empty())
        .collect();
    let mut bounds: Vec<usize> = vec![doc.start, doc.end];
    for (s, ..) in &ann {
        bounds.push(s.start);
        bounds.push(s.end);
    }
    bounds.extend(anchors.iter().copied().filter(|&p| doc.contains(p)));
    bounds.sort_unstable();
    bounds.dedup();
    let mut starts: Vec<usize> = (0..ann.len()).collect();
    starts.sort_by_key(|&i| ann[i].0.start);
    let mut anchors: Vec<usize> = anchors.to_vec();
    anchors.sort_unstable();
    anchors.dedup();
    let mut next_start = 0;
    let mut next_anchor = anchors.partition_point(|&p| p < doc.start);
    let mut active: Vec<usize> = Vec::new();
    let mut out = String::with_capacity(doc.len() * 4);
    for w in bounds.windows(2) {
        let (p, q) = (w[0], w[1]);
        while next_anchor < anchors.len() && anchors[next_anchor] <= p {
            if anchors[next_anchor] == p {
                out.push_str(&format!("<span class=\"anchor\" id=\"{tag}-{p}\"></span>"));
            }
            next_anchor += 1;
        }
        active.retain(|&i| ann[i].0.end > p);
        while next_start < starts.len() && ann[starts[next_start]].0.start <= p {
            let i = starts[next_start];
            if ann[i].0.end > p {
                active.push(i);
            }
            next_start += 1;
        }
        active.sort_by_key(|&i| ann[i].1);
        for &i in &active {
            out.push_str(&ann[i].2);
        }
        out.push_str(&html_escape(text.slice(Span::new(p, q))));
        for &i in active.iter().rev() {
            out.push_str(ann[i].3);
        }
    }
    Markup(out)
}

/// The self-contained HTML page (see the module doc for its markup contract).
pub fn html(report: &PairReport, a: &PreparedDoc, b: &PreparedDoc, lang: Lang) -> String {
    let t = labels(lang);
    let label = |k: &str| -> &'static str { t.get(k).copied().unwrap_or("") };
    let rows = rows::alignment_rows(&report.compare.alignment, Some((a.file(), b.file())));
    let passages = rows::placed_passage_rows(&report.compare.passages);
    let side_passages = |a_side: bool| -> Vec<PanePassage> {
        passages
            .iter()
            .map(|p| PanePassage {
                n: p.n,
                span: if a_side { p.a } else { p.b },
                class: p.class,
                kind: p.kind,
            })
            .collect()
    };
    let hits = |d: &DocumentPatterns| -> Vec<(Span, Family)> {
        d.hits.iter().map(|h| (h.span, h.family)).collect()
    };
    let anchors = |a_side: bool| -> Vec<usize> {
        rows.iter()
            .filter_map(|r| if a_side { &r.a } else { &r.b }.as_ref())
            .map(|c| c.span.start)
            .collect()
    };
    let (pane_a, pane_b) = rayon::join(
        || {
            pane(
                a.text(),
                report.a.span,
                "a",
                &side_passages(true),
                &hits(&report.patterns.a),
                &anchors(true),
            )
        },
        || {
            pane(
                b.text(),
                report.b.span,
                "b",
                &side_passages(false),
                &hits(&report.patterns.b),
                &anchors(false),
            )
        },
    );
    let count_status = |s: Status, a_side: bool| {
        rows.iter()
            .filter(|r| {
                r.status == s.as_str() && if a_side { r.a.is_some() } else { r.b.is_some() }
            })
            .count()
    };
    let statuses = STATUSES
        .iter()
        .map(|&s| LegendEntry {
            key: s.as_str(),
            label: label(s.as_str()),
            a: count_status(s, true),
            b: count_status(s, false),
        })
        .collect();
    let classes = ["distinctive", "boilerplate"]
        .into_iter()
        .map(|c| {
            let n = passages.iter().filter(|p| p.class == c).count();
            LegendEntry {
                key: c,
                label: label(c),
                a: n,
                b: n,
            }
        })
        .collect();
    let families = Family::ALL
        .iter()
        .map(|f| {
            let n = |d: &DocumentPatterns| d.hits.iter().filter(|h| h.family == *f).count();
            LegendEntry {
                key: f.name(),
                label: label(f.name()),
                a: n(&report.patterns.a),
                b: n(&report.patterns.b),
            }
        })
        .collect();
    let title = format!(
        "tifa {}: {} ↔ {}",
        label("heading"),
        report.a.title.as_deref().unwrap_or(&report.a.path),
        report.b.title.as_deref().unwrap_or(&report.b.path)
    );
    let view = PairPage {
        t: t.clone(),
        a: &report.a,
        b: &report.b,
        scores: &report.scores,
        verdict: report.verdict.text(lang),
        verdict_level: report.verdict.reuse,
        statuses,
        classes,
        families,
        rows,
        passages,
        formulas: &report.shared_formulas,
    };
    page::render(
        "pair.html",
        &title,
        lang,
        &view,
        vec![("pane_a", pane_a), ("pane_b", pane_b)],
    )
}

/// The report as Markdown: header, scores and verdict, the aligned outlines, the passages and the shared
/// formulas (the same rows as the HTML page, without the full texts).
pub fn markdown(report: &PairReport, lang: Lang) -> String {
    let t = labels(lang);
    let l = |k: &str| -> &'static str { t.get(k).copied().unwrap_or("") };
    let mut out = format!("# tifa {}\n\n", l("heading"));
    out.push_str(&format!(
        "| | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---:|---|---|\n",
        l("title"),
        l("date"),
        l("speaker"),
        l("chars"),
        l("encoding"),
        l("file")
    ));
    for (tag, d) in [("A", &report.a), ("B", &report.b)] {
        out.push_str(&format!(
            "| {tag} | {} | {} | {} | {} | {} | {} |\n",
            md_escape(d.title.as_deref().unwrap_or(l("untitled"))),
            md_escape(d.date.as_deref().unwrap_or("")),
            md_escape(d.speaker.as_deref().unwrap_or("")),
            d.chars,
            d.encoding,
            md_escape(&d.path)
        ));
    }
    let s = &report.scores;
    out.push_str(&format!(
        "\n| {} | {} | {} | {} | {} A | {} B |\n|---:|---:|---:|---:|---:|---:|\n| {:.2} | {:.2} | {:.1}% | {:.1}% | {:.2} | {:.2} |\n\n**{}**: {}\n",
        l("score_outline"),
        l("score_text"),
        l("score_distinctive"),
        l("score_boilerplate"),
        l("score_rhetoric"),
        l("score_rhetoric"),
        s.outline,
        s.text,
        s.distinctive * 100.0,
        s.boilerplate * 100.0,
        s.rhetoric_a,
        s.rhetoric_b,
        l("verdict"),
        md_escape(report.verdict.text(lang))
    ));
    out.push_str(&format!(
        "\n## {}\n\n| A | {} | {} | {} | B |\n|---|---|---:|---:|---|\n",
        l("outline"),
        l("status"),
        l("heading_sim"),
        l("body_sim")
    ));
    let f = |x: Option<f64>| x.map(|v| format!("{v:.2}")).unwrap_or_default();
    for r in rows::alignment_rows(&report.compare.alignment, None) {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            rows::md_side(&r.a, r.depth),
            l(r.status),
            f(r.heading_similarity),
            f(r.body_similarity),
            rows::md_side(&r.b, r.depth)
        ));
    }
    out.push_str(&format!("\n## {}\n\n", l("passages")));
    let passages = rows::placed_passage_rows(&report.compare.passages);
    if passages.is_empty() {
        out.push_str(l("none_passages"));
        out.push('\n');
    } else {
        out.push_str(&format!(
            "| # | {} | {} | {} | {} | A {} | B {} | {} |\n|---:|---|---|---:|---:|---|---|---|\n",
            l("class"),
            l("kind"),
            l("similarity"),
            l("length"),
            l("section"),
            l("section"),
            l("opening")
        ));
        for p in &passages {
            out.push_str(&format!(
                "| {} | {} | {} | {:.2} | {} | {} | {} | {} |\n",
                p.n,
                l(p.class),
                l(p.kind),
                p.similarity,
                p.chars,
                md_escape(&p.a_section),
                md_escape(&p.b_section),
                md_escape(&p.excerpt)
            ));
        }
    }
    out.push_str(&format!("\n## {}\n\n", l("formulas")));
    if report.shared_formulas.is_empty() {
        out.push_str(l("none_formulas"));
        out.push('\n');
    } else {
        out.push_str(&format!(
            "| {} | {} | {} | A | B |\n|---|---|---|---:|---:|\n",
            l("text"),
            l("family"),
            l("pattern")
        ));
        for fr in &report.shared_formulas {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                md_escape(&fr.text),
                l(fr.family),
                md_escape(&fr.pattern),
                fr.a_count,
                fr.b_count
            ));
        }
    }
    out
}
