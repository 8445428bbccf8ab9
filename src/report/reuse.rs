//! Renderers for reuse reports: terminal text, JSON, Markdown and a self-contained side-by-side HTML page.
//!
//! Each passage is located in both documents by its section path (from the outline) and line number, and
//! its two versions are shown with the differences highlighted (a char diff: text only in A is struck out,
//! text only in B is emphasised).
//!
//! JSON shape (stable): `{"a": {"path", "chars"}, "b": {"path", "chars"}, "scores": {"a_in_b", "b_in_a",
//! "distinctive", "boilerplate"}, "corpus_documents": n | null, "passages": [{"a": [s, e], "b": [s, e],
//! "kind", "similarity", "class", "df", "formula_share", "a_chars", "b_chars", "a_line", "b_line",
//! "a_section", "b_section", "a_text", "b_text"}]}`. Spans are char offsets `[start, end)` of the decoded
//! files; lines are 1-based; `df` is `null` without `--corpus`.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::{Style, md_escape, truncate_to_width};
use crate::SpeechFile;
use crate::outline::Section;
use crate::reuse::{DocInfo, Passage, PassageClass, ReuseReport, Scores};
use crate::text::Span;

/// The section path of a position: `一、… › （二）…`, empty outside any section.
pub fn section_path(file: &SpeechFile, pos: usize) -> String {
    for o in &file.outlines {
        if !o.document.span.contains(pos) {
            continue;
        }
        let mut parts = Vec::new();
        let mut level: &[Section] = &o.sections;
        while let Some(s) = level.iter().find(|s| s.span.contains(pos)) {
            let heading = truncate_to_width(&s.heading, 24);
            parts.push(if s.marker.is_empty() {
                heading
            } else {
                format!("{}{}", s.marker, heading)
            });
            level = &s.children;
        }
        if parts.is_empty() {
            let in_preamble = o.preamble.is_some_and(|p| p.contains(pos));
            return if in_preamble { "(preamble)" } else { "" }.to_string();
        }
        return parts.join(" › ");
    }
    String::new()
}

#[derive(Serialize)]
struct PassageJson<'a> {
    #[serde(flatten)]
    passage: &'a Passage,
    a_line: usize,
    b_line: usize,
    a_section: String,
    b_section: String,
    a_text: &'a str,
    b_text: &'a str,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    a: &'a DocInfo,
    b: &'a DocInfo,
    scores: &'a Scores,
    corpus_documents: Option<usize>,
    /// Distinctive reuse: the evidence of copying.
    passages: Vec<PassageJson<'a>>,
    /// Shared stock formulas (boilerplate passages), kept apart so that `passages` lists only what is
    /// evidence; same shape, `class` is always `boilerplate`.
    boilerplate_passages: Vec<PassageJson<'a>>,
}

/// One span of a diff: its text and whether it is only in this version.
type Piece = (String, bool);

/// Char diff of the two versions: pieces of A (changed = only in A) and of B (changed = only in B).
fn diff_pieces(a: &str, b: &str) -> (Vec<Piece>, Vec<Piece>) {
    let diff = TextDiff::from_chars(a, b);
    let (mut pa, mut pb): (Vec<Piece>, Vec<Piece>) = (Vec::new(), Vec::new());
    let push = |v: &mut Vec<Piece>, s: &str, changed: bool| match v.last_mut() {
        Some((t, c)) if *c == changed => t.push_str(s),
        _ => v.push((s.to_string(), changed)),
    };
    for ch in diff.iter_all_changes() {
        let s = ch.value();
        match ch.tag() {
            ChangeTag::Equal => {
                push(&mut pa, s, false);
                push(&mut pb, s, false);
            }
            ChangeTag::Delete => push(&mut pa, s, true),
            ChangeTag::Insert => push(&mut pb, s, true),
        }
    }
    (pa, pb)
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn df_label(p: &Passage) -> String {
    p.df.map_or_else(|| "-".to_string(), |d| d.to_string())
}

/// JSON for programs (see the module doc for the shape).
pub fn json<'a>(report: &'a ReuseReport, a: &'a SpeechFile, b: &'a SpeechFile) -> String {
    let (distinctive, boilerplate): (Vec<&Passage>, Vec<&Passage>) = report
        .passages
        .iter()
        .partition(|p| p.class == PassageClass::Distinctive);
    let to_json = |p: &'a Passage| PassageJson {
        passage: p,
        a_line: a.text.line_of(p.a.start),
        b_line: b.text.line_of(p.b.start),
        a_section: section_path(a, p.a.start),
        b_section: section_path(b, p.b.start),
        a_text: a.text.slice(p.a),
        b_text: b.text.slice(p.b),
    };
    let mut s = serde_json::to_string_pretty(&ReportJson {
        a: &report.a,
        b: &report.b,
        scores: &report.scores,
        corpus_documents: report.corpus_documents,
        passages: distinctive.into_iter().map(to_json).collect(),
        boilerplate_passages: boilerplate.into_iter().map(to_json).collect(),
    })
    .expect("reuse JSON serialises");
    s.push('\n');
    s
}

/// Diff pieces as escaped text with the changed ones wrapped in `<tag>` (`del`/`ins`, for Markdown and HTML).
fn tagged(pieces: &[Piece], tag: &str, escape: impl Fn(&str) -> String) -> String {
    pieces
        .iter()
        .map(|(t, changed)| {
            let t = escape(t);
            if *changed {
                format!("<{tag}>{t}</{tag}>")
            } else {
                t
            }
        })
        .collect()
}

/// `t` with its middle replaced by `…` when it has more than `2 * keep + 10` chars.
fn elide(t: &str, keep: usize) -> String {
    let n = t.chars().count();
    if n <= 2 * keep + 10 {
        return t.to_string();
    }
    let head: String = t.chars().take(keep).collect();
    let tail: String = t.chars().skip(n - keep).collect();
    format!("{head} … {tail}")
}

fn location(file: &SpeechFile, span: Span) -> String {
    let section = section_path(file, span.start);
    let line = file.text.line_of(span.start);
    if section.is_empty() {
        format!("line {line}, chars {}–{}", span.start, span.end)
    } else {
        format!("{section}, line {line}, chars {}–{}", span.start, span.end)
    }
}

fn scores_line(s: &Scores) -> String {
    format!(
        "A in B {}   B in A {}   distinctive {}   boilerplate {}",
        percent(s.a_in_b),
        percent(s.b_in_a),
        percent(s.distinctive),
        percent(s.boilerplate)
    )
}

/// Terminal text: scores, then each passage with its locations and the two versions, differences
/// highlighted (colour when on; `[-…-]` and `{+…+}` otherwise).
pub fn text(report: &ReuseReport, a: &SpeechFile, b: &SpeechFile, style: Style) -> String {
    let bold = anstyle::Style::new().bold();
    let dim = anstyle::Style::new().dimmed();
    let del = anstyle::AnsiColor::Red.on_default().strikethrough();
    let ins = anstyle::AnsiColor::Green.on_default().bold();
    let mut out = String::new();
    out.push_str(&style.paint(
        bold,
        &format!("A: {} ({} chars)", report.a.path, report.a.chars),
    ));
    out.push('\n');
    out.push_str(&style.paint(
        bold,
        &format!("B: {} ({} chars)", report.b.path, report.b.chars),
    ));
    out.push('\n');
    out.push_str(&scores_line(&report.scores));
    if let Some(n) = report.corpus_documents {
        out.push_str(&format!("   (corpus: {n} documents)"));
    }
    out.push('\n');
    if report.passages.is_empty() {
        out.push_str(&style.paint(dim, "no reused passages"));
        out.push('\n');
    }
    // Long unchanged stretches are cut to their ends, so that a terminal shows where the versions differ;
    // `--format html` or `md` gives the whole text.
    let render = |pieces: &[Piece], mark: anstyle::Style, open: &str, close: &str| -> String {
        pieces
            .iter()
            .map(|(t, changed)| {
                if !changed {
                    elide(t, 24)
                } else if style.color {
                    style.paint(mark, t)
                } else {
                    format!("{open}{t}{close}")
                }
            })
            .collect()
    };
    for (i, p) in report.passages.iter().enumerate() {
        out.push('\n');
        let head = format!(
            "#{} {} · {} · similarity {:.3} · df {} · {}+{} chars",
            i + 1,
            p.kind.as_str(),
            p.class.as_str(),
            p.similarity,
            df_label(p),
            p.a_chars,
            p.b_chars
        );
        out.push_str(&style.paint(bold, &head));
        out.push('\n');
        out.push_str(&style.paint(dim, &format!("  A: {}", location(a, p.a))));
        out.push('\n');
        out.push_str(&style.paint(dim, &format!("  B: {}", location(b, p.b))));
        out.push('\n');
        let (pa, pb) = diff_pieces(a.text.slice(p.a), b.text.slice(p.b));
        let flat = |s: String| s.replace(['\n', '\r'], " ");
        out.push_str(&format!("  A│ {}\n", flat(render(&pa, del, "[-", "-]"))));
        out.push_str(&format!("  B│ {}\n", flat(render(&pb, ins, "{+", "+}"))));
    }
    out
}

/// Markdown: scores, a table of passages, then each passage's two versions (`<del>`/`<ins>` marks).
pub fn markdown(report: &ReuseReport, a: &SpeechFile, b: &SpeechFile) -> String {
    let mut out = String::new();
    out.push_str("# Reused passages\n\n");
    out.push_str(&format!(
        "- **A**: {} ({} chars)\n- **B**: {} ({} chars)\n\n",
        md_escape(&report.a.path),
        report.a.chars,
        md_escape(&report.b.path),
        report.b.chars
    ));
    out.push_str("| A in B | B in A | distinctive | boilerplate |\n|---:|---:|---:|---:|\n");
    let s = &report.scores;
    out.push_str(&format!(
        "| {} | {} | {} | {} |\n\n",
        percent(s.a_in_b),
        percent(s.b_in_a),
        percent(s.distinctive),
        percent(s.boilerplate)
    ));
    if report.passages.is_empty() {
        out.push_str("No reused passages.\n");
        return out;
    }
    out.push_str(
        "| # | kind | class | similarity | df | A | B |\n|---:|---|---|---:|---:|---|---|\n",
    );
    for (i, p) in report.passages.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {} | {} | {:.3} | {} | {} | {} |\n",
            i + 1,
            p.kind.as_str(),
            p.class.as_str(),
            p.similarity,
            df_label(p),
            md_escape(&location(a, p.a)),
            md_escape(&location(b, p.b))
        ));
    }
    let render = |pieces: &[Piece], tag: &str| tagged(pieces, tag, md_escape);
    for (i, p) in report.passages.iter().enumerate() {
        let (pa, pb) = diff_pieces(a.text.slice(p.a), b.text.slice(p.b));
        out.push_str(&format!(
            "\n## {}. {} ({})\n\n> **A** {}\n\n> **B** {}\n",
            i + 1,
            p.kind.as_str(),
            p.class.as_str(),
            render(&pa, "del"),
            render(&pb, "ins")
        ));
    }
    out
}

#[derive(Serialize)]
struct ReusePassage {
    row: super::rows::PassageRow,
    a_location: String,
    b_location: String,
    a_text: Vec<super::rows::Piece>,
    b_text: Vec<super::rows::Piece>,
}

#[derive(Serialize)]
struct ReusePage<'a> {
    a: &'a DocInfo,
    b: &'a DocInfo,
    scores: String,
    passages: Vec<ReusePassage>,
}

/// A self-contained HTML page: scores, a table of passages, then each passage side by side with the
/// differences marked (the `reuse.html` template over the shared passage rows).
pub fn html(report: &ReuseReport, a: &SpeechFile, b: &SpeechFile) -> String {
    let pieces = |ps: Vec<Piece>, mark: &'static str| -> Vec<super::rows::Piece> {
        ps.into_iter()
            .map(|(text, changed)| super::rows::Piece {
                text,
                mark: changed.then_some(mark),
            })
            .collect()
    };
    let passages = super::rows::passage_rows(&report.passages, a, b)
        .into_iter()
        .zip(&report.passages)
        .map(|(row, p)| {
            let (pa, pb) = diff_pieces(a.text.slice(p.a), b.text.slice(p.b));
            ReusePassage {
                row,
                a_location: location(a, p.a),
                b_location: location(b, p.b),
                a_text: pieces(pa, "del"),
                b_text: pieces(pb, "ins"),
            }
        })
        .collect();
    let view = ReusePage {
        a: &report.a,
        b: &report.b,
        scores: scores_line(&report.scores),
        passages,
    };
    let title = format!("tifa reuse: {} / {}", report.a.path, report.b.path);
    super::page::render("reuse.html", &title, super::page::Lang::En, &view, Vec::new())
}
