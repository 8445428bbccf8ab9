//! Renderers for reuse reports: terminal text, JSON, Markdown and a self-contained side-by-side HTML page.
//!
//! Each passage is located in both documents by its section path (from the outline) and line number, and
//! its two versions are shown with the differences highlighted (a char diff: text only in A is struck out,
//! text only in B is emphasised).
//!
//! The located passages (lines, section paths, texts) come from the reuse stage ([`ReuseReport`]); the
//! JSON is that report's own serialisation, documented in `docs/json.md` and locked by
//! `docs/schema/reuse.schema.json`.

use similar::{ChangeTag, TextDiff};

use super::{Style, md_escape};
use crate::SpeechFile;
use crate::reuse::{LocatedPassage, Passage, ReuseReport, Scores};
use crate::text::Span;

/// The section path of a position in a file (see [`crate::reuse::section_path`]).
pub fn section_path(file: &SpeechFile, pos: usize) -> String {
    crate::reuse::section_path(&file.outlines, pos)
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

/// JSON for programs: the report's own serialisation (`docs/json.md`, `docs/schema/reuse.schema.json`).
pub fn json(report: &ReuseReport) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("reuse JSON serialises");
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

/// What the text and Markdown listings say of a passage: its kind, class, similarity (three
/// decimals), corpus document frequency, and where it stands in A and in B.
fn passage_facts(p: &LocatedPassage) -> [String; 6] {
    [
        p.kind.as_str().to_string(),
        p.class.as_str().to_string(),
        format!("{:.3}", p.similarity),
        df_label(p),
        location(&p.a_section, p.a_line, p.a),
        location(&p.b_section, p.b_line, p.b),
    ]
}

fn location(section: &str, line: usize, span: Span) -> String {
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
pub fn text(report: &ReuseReport, style: Style) -> String {
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
    if report.all_passages().is_empty() {
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
    for (i, p) in report.all_passages().into_iter().enumerate() {
        out.push('\n');
        let [kind, class, sim, df, a, b] = passage_facts(p);
        let head = format!(
            "#{} {kind} · {class} · similarity {sim} · df {df} · {}+{} chars",
            i + 1,
            p.a_chars,
            p.b_chars
        );
        out.push_str(&style.paint(bold, &head));
        out.push('\n');
        out.push_str(&style.paint(dim, &format!("  A: {a}")));
        out.push('\n');
        out.push_str(&style.paint(dim, &format!("  B: {b}")));
        out.push('\n');
        let (pa, pb) = diff_pieces(&p.a_text, &p.b_text);
        let flat = |s: String| s.replace(['\n', '\r'], " ");
        out.push_str(&format!("  A│ {}\n", flat(render(&pa, del, "[-", "-]"))));
        out.push_str(&format!("  B│ {}\n", flat(render(&pb, ins, "{+", "+}"))));
    }
    out
}

/// Markdown: scores, a table of passages, then each passage's two versions (`<del>`/`<ins>` marks).
pub fn markdown(report: &ReuseReport) -> String {
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
    if report.all_passages().is_empty() {
        out.push_str("No reused passages.\n");
        return out;
    }
    out.push_str(
        "| # | kind | class | similarity | df | A | B |\n|---:|---|---|---:|---:|---|---|\n",
    );
    for (i, p) in report.all_passages().into_iter().enumerate() {
        let [kind, class, sim, df, a, b] = passage_facts(p);
        out.push_str(&format!(
            "| {} | {kind} | {class} | {sim} | {df} | {} | {} |\n",
            i + 1,
            md_escape(&a),
            md_escape(&b)
        ));
    }
    let render = |pieces: &[Piece], tag: &str| tagged(pieces, tag, md_escape);
    for (i, p) in report.all_passages().into_iter().enumerate() {
        let (pa, pb) = diff_pieces(&p.a_text, &p.b_text);
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

#[derive(serde::Serialize)]
struct ReusePassage {
    row: super::rows::PassageRow,
    a_location: String,
    b_location: String,
    a_text: Vec<super::rows::Piece>,
    b_text: Vec<super::rows::Piece>,
}

#[derive(serde::Serialize)]
struct ReusePage<'a> {
    a: &'a crate::reuse::DocInfo,
    b: &'a crate::reuse::DocInfo,
    scores: String,
    passages: Vec<ReusePassage>,
}

/// A self-contained HTML page: scores, a table of passages, then each passage side by side with the
/// differences marked (the `reuse.html` template over the shared passage rows).
pub fn html(report: &ReuseReport) -> String {
    let pieces = |ps: Vec<Piece>, mark: &'static str| -> Vec<super::rows::Piece> {
        ps.into_iter()
            .map(|(text, changed)| super::rows::Piece {
                text,
                mark: changed.then_some(mark),
            })
            .collect()
    };
    let all = report.all_passages();
    let passages = super::rows::located_passage_rows(&all)
        .into_iter()
        .zip(&all)
        .map(|(row, p)| {
            let (pa, pb) = diff_pieces(&p.a_text, &p.b_text);
            ReusePassage {
                row,
                a_location: location(&p.a_section, p.a_line, p.a),
                b_location: location(&p.b_section, p.b_line, p.b),
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
    super::page::render(
        "reuse.html",
        &title,
        super::page::Lang::En,
        &view,
        Vec::new(),
    )
}
