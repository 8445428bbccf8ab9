//! Renderers for pattern hits and scores: text (members marked `⟦…⟧`), JSON, Markdown, HTML.
//!
//! JSON shape (stable):
//! `{"documents": [{"path", "title", "span", "hits": [{"family", "pattern", "span", "members", "slots"}],
//! "scores": {"chars", "hits", "hits_per_1000", "coverage", "by_family": {family: n},
//! "parallel_density"}, "sections": [{"path", "heading", "scores"}]}]}`. Spans are `[start, end)` in chars
//! of the decoded file.

use std::fmt::Write;

use serde::Serialize;

use super::{Style, md_escape, pad_to_width};
use crate::SpeechFile;
use crate::patterns::{CheckFailure, DocumentPatterns, Family, PatternHit, PatternSet, Scores};
use crate::text::Text;

/// Hit texts longer than this (in chars) are shown as their members only.
const INLINE_LIMIT: usize = 80;

#[derive(Serialize)]
struct Json<'a> {
    documents: Vec<&'a DocumentPatterns>,
}

/// JSON for the documents of all files (`files[i]` holds `docs[i]`).
pub fn json(docs: &[(&SpeechFile, Vec<DocumentPatterns>)]) -> String {
    let all = Json {
        documents: docs.iter().flat_map(|(_, d)| d.iter()).collect(),
    };
    let mut s = serde_json::to_string_pretty(&all).expect("pattern JSON serialises");
    s.push('\n');
    s
}

/// The hit's text with its members marked by `open`/`close`, or its members joined by ` … ` when long.
pub fn marked(text: &Text, hit: &PatternHit, open: &str, close: &str) -> String {
    let mark = |s: &str| format!("{open}{s}{close}");
    if hit.span.len() > INLINE_LIMIT {
        return hit
            .members
            .iter()
            .map(|m| mark(&text.slice(*m).replace('\n', " ")))
            .collect::<Vec<_>>()
            .join(" … ");
    }
    let mut out = String::new();
    let mut at = hit.span.start;
    for m in &hit.members {
        if m.start < at || m.end > hit.span.end {
            continue;
        }
        out.push_str(text.slice(crate::Span::new(at, m.start)));
        out.push_str(&mark(text.slice(*m)));
        at = m.end;
    }
    out.push_str(text.slice(crate::Span::new(at, hit.span.end.max(at))));
    out.replace('\n', " ")
}

pub(crate) fn slots_text(hit: &PatternHit) -> String {
    hit.slots
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn by_family_text(scores: &Scores) -> String {
    let parts: Vec<String> = Family::ALL
        .iter()
        .filter_map(|f| {
            let n = scores.by_family.get(f).copied().unwrap_or(0);
            (n > 0).then(|| format!("{} {n}", f.name()))
        })
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

pub(crate) fn scores_line(s: &Scores) -> String {
    format!(
        "{} hits in {} chars: {:.2} per 1,000 chars, {:.1}% covered, parallel density {:.2}",
        s.hits,
        s.chars,
        s.hits_per_1000,
        s.coverage * 100.0,
        s.parallel_density
    )
}

/// Terminal text: per document, the scores, each hit with its members marked, then the sections.
pub fn text(docs: &[(&SpeechFile, Vec<DocumentPatterns>)], style: Style) -> String {
    text_explained(docs, style, None)
}

/// Why a hit was found: the rule (id, kind, description) and what tied its members (`why`, or its slots).
pub fn explanation(set: &PatternSet, hit: &PatternHit) -> String {
    let rule = set.patterns.iter().find(|p| p.id == hit.pattern);
    let (kind, desc) = rule.map_or(("?", ""), |p| {
        (crate::patterns::kind_name(&p.kind), p.description.as_str())
    });
    let because = if hit.why.is_empty() {
        let slots = slots_text(hit);
        if slots.is_empty() {
            format!("{} member(s) matched", hit.members.len())
        } else {
            format!("slots {slots}")
        }
    } else {
        hit.why.clone()
    };
    format!("{} ({kind}: {desc}): {because}", hit.pattern)
}

/// Text with, under each hit, the rule that fired and why (`tifa patterns --explain`).
pub fn text_explained(
    docs: &[(&SpeechFile, Vec<DocumentPatterns>)],
    style: Style,
    explain: Option<&PatternSet>,
) -> String {
    let bold = anstyle::Style::new().bold();
    let fam = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Cyan.into()));
    let member = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Yellow.into()));
    let (open, close) = if style.color {
        (
            format!("{}", member.render()),
            format!("{}", member.render_reset()),
        )
    } else {
        ("⟦".to_string(), "⟧".to_string())
    };
    let mut out = String::new();
    for (file, list) in docs {
        for d in list {
            let title = d.title.as_deref().unwrap_or("(untitled)");
            let _ = writeln!(
                out,
                "{}",
                style.paint(bold, &format!("{} — {}", d.path, title))
            );
            let _ = writeln!(out, "  {}", scores_line(&d.scores));
            let _ = writeln!(out, "  by family: {}", by_family_text(&d.scores));
            for h in &d.hits {
                let line = crate::patterns::hit_line(file, h.span.start);
                let _ = write!(
                    out,
                    "  {:>5}  {}  {}",
                    format!("L{line}"),
                    style.paint(fam, &format!("{:<18}", h.family.name())),
                    marked(&file.text, h, &open, &close)
                );
                let slots = slots_text(h);
                if !slots.is_empty() {
                    let _ = write!(out, "  [{slots}]");
                }
                let _ = writeln!(out, "  ({})", h.pattern);
                if let Some(set) = explain {
                    let _ = writeln!(out, "           why: {}", explanation(set, h));
                }
            }
            let busy: Vec<_> = d.sections.iter().filter(|s| s.scores.hits > 0).collect();
            if !busy.is_empty() {
                let _ = writeln!(out, "  sections:");
                for s in busy {
                    let path: Vec<String> = s.path.iter().map(|i| (i + 1).to_string()).collect();
                    let _ = writeln!(
                        out,
                        "    {:<8} {} {:>3} hits {:>6.2}/1k  parallel {:>5.2}/1k",
                        path.join("."),
                        pad_to_width(&s.heading, 32),
                        s.scores.hits,
                        s.scores.hits_per_1000,
                        s.scores.parallel_density
                    );
                }
            }
            out.push('\n');
        }
    }
    out
}

/// Markdown: a scores table per document, then a table of hits with members in bold.
pub fn markdown(docs: &[(&SpeechFile, Vec<DocumentPatterns>)]) -> String {
    let mut out = String::from("# Rhetorical patterns\n\n");
    for (file, list) in docs {
        for d in list {
            let title = d.title.as_deref().unwrap_or("(untitled)");
            let _ = writeln!(out, "## {} — {}\n", md_escape(&d.path), md_escape(title));
            let _ = writeln!(out, "{}\n", scores_line(&d.scores));
            out.push_str("| family | hits |\n|---|---:|\n");
            for f in Family::ALL {
                let _ = writeln!(
                    out,
                    "| {} | {} |",
                    f.name(),
                    d.scores.by_family.get(&f).copied().unwrap_or(0)
                );
            }
            out.push_str("\n| line | family | text | slots | pattern |\n|---:|---|---|---|---|\n");
            for h in &d.hits {
                let text = marked(&file.text, h, "\u{1}", "\u{2}");
                let text = md_escape(&text).replace(['\u{1}', '\u{2}'], "**");
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    crate::patterns::hit_line(file, h.span.start),
                    h.family.name(),
                    text,
                    md_escape(&slots_text(h)),
                    md_escape(&h.pattern)
                );
            }
            out.push('\n');
        }
    }
    out
}

#[derive(Serialize)]
struct PatternsDocPage {
    path: String,
    title: String,
    scores: String,
    families: Vec<(&'static str, usize)>,
    hits: Vec<super::rows::HitRow>,
}

#[derive(Serialize)]
struct PatternsPage {
    documents: Vec<PatternsDocPage>,
}

/// A self-contained HTML page: scores per document, then the hits with members highlighted (the
/// `patterns.html` template over the shared hit rows).
pub fn html(docs: &[(&SpeechFile, Vec<DocumentPatterns>)]) -> String {
    let view = PatternsPage {
        documents: docs
            .iter()
            .flat_map(|(file, list)| {
                list.iter().map(move |d| PatternsDocPage {
                    path: d.path.clone(),
                    title: d.title.clone().unwrap_or_else(|| "(untitled)".into()),
                    scores: scores_line(&d.scores),
                    families: Family::ALL
                        .iter()
                        .map(|f| (f.name(), d.scores.by_family.get(f).copied().unwrap_or(0)))
                        .collect(),
                    hits: super::rows::hit_rows(file, &d.hits),
                })
            })
            .collect(),
    };
    super::page::render(
        "patterns.html",
        "tifa patterns",
        super::page::Lang::En,
        &view,
        Vec::new(),
    )
}

/// The result of `--check`: `ok` or one line per failure.
pub fn check_text(path: &str, patterns: usize, failures: &[CheckFailure]) -> String {
    if failures.is_empty() {
        return format!("{path}: {patterns} patterns, all examples and counter-examples pass\n");
    }
    let mut out = String::new();
    for f in failures {
        let what = if f.kind == "example" {
            "example does not match"
        } else {
            "counter-example matches"
        };
        let _ = writeln!(out, "{path}:{}: {}: {what}: {}", f.line, f.pattern, f.text);
    }
    let _ = writeln!(
        out,
        "{path}: {} of {patterns} patterns fail their checks",
        failures
            .iter()
            .map(|f| &f.pattern)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    out
}
