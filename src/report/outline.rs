//! Renderers for outlines: an indented tree (text), JSON, Markdown.
//!
//! JSON: each file's [`crate::FileOutlines`] as serialised (an array of them for several files),
//! documented in `docs/json.md` and locked by `docs/schema/outline.schema.json`.

use serde::Serialize;

use super::{Style, md_escape};
use crate::SpeechFile;
use crate::outline::{Outline, Section, SectionKind};
use crate::text::{Encoding, Span};

/// JSON for one file (an object) or several (an array of objects).
pub fn json(files: &[SpeechFile]) -> String {
    let mut s = if files.len() == 1 {
        serde_json::to_string_pretty(&files[0].outlines_with_source())
    } else {
        serde_json::to_string_pretty(
            &files
                .iter()
                .map(SpeechFile::outlines_with_source)
                .collect::<Vec<_>>(),
        )
    }
    .expect("outline JSON serialises");
    s.push('\n');
    s
}

fn kind_label(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::Part => "part",
        SectionKind::Subpart => "subpart",
        SectionKind::Numbered => "numbered",
        SectionKind::Item => "item",
        SectionKind::Enumeration => "enumeration",
        SectionKind::Dash => "dash",
        SectionKind::Lead => "lead",
    }
}

fn doc_header(o: &Outline, index: usize, total: usize) -> String {
    let title = o.document.title.as_deref().unwrap_or("(untitled)");
    let mut meta = Vec::new();
    let m = &o.document.meta;
    for (k, v) in [
        ("speaker", &m.speaker),
        ("date", &m.date),
        ("occasion", &m.subtitle),
        ("salutation", &m.salutation),
    ] {
        if let Some(v) = v {
            meta.push(format!("{k}: {v}"));
        }
    }
    let n = if total > 1 {
        format!("[{}/{}] ", index + 1, total)
    } else {
        String::new()
    };
    if meta.is_empty() {
        format!("{n}{title}")
    } else {
        format!("{n}{title}  ({})", meta.join("; "))
    }
}

/// The indented tree for terminals.
pub fn text(files: &[SpeechFile], style: Style) -> String {
    let bold = anstyle::Style::new().bold();
    let dim = anstyle::Style::new().dimmed();
    let mut out = String::new();
    for file in files {
        out.push_str(&style.paint(
            bold,
            &format!(
                "{} ({}, {} chars)",
                file.text.path().display(),
                file.text.encoding(),
                file.text.len_chars()
            ),
        ));
        out.push('\n');
        for (i, o) in file.outlines.iter().enumerate() {
            out.push_str(&format!(
                "  {}\n",
                style.paint(bold, &doc_header(o, i, file.outlines.len()))
            ));
            if o.sections.is_empty() {
                out.push_str(&format!(
                    "    {}\n",
                    style.paint(dim, "(no headings found)")
                ));
            }
            o.walk(|path, s| {
                let indent = "  ".repeat(path.len() + 1);
                let marker = if s.marker.is_empty() {
                    "·".to_string()
                } else {
                    s.marker.clone()
                };
                let line = format!("{indent}{} {}", style.paint(bold, &marker), s.heading);
                out.push_str(&line);
                let tag = format!("  [{} {}–{}]", kind_label(s.kind), s.span.start, s.span.end);
                out.push_str(&style.paint(dim, &tag));
                out.push('\n');
            });
        }
    }
    out
}

/// Markdown: a heading per document and a nested list of sections.
pub fn markdown(files: &[SpeechFile]) -> String {
    let mut out = String::new();
    for file in files {
        out.push_str(&format!(
            "# Outline of `{}`\n\n",
            file.text.path().display()
        ));
        out.push_str(&format!(
            "Encoding {}, {} chars, {} document(s).\n\n",
            file.text.encoding(),
            file.text.len_chars(),
            file.outlines.len()
        ));
        for (i, o) in file.outlines.iter().enumerate() {
            out.push_str(&format!(
                "## {}\n\n",
                md_escape(&doc_header(o, i, file.outlines.len()))
            ));
            if o.sections.is_empty() {
                out.push_str("_No headings found._\n\n");
                continue;
            }
            o.walk(|path, s| {
                let indent = "  ".repeat(path.len() - 1);
                let marker = if s.marker.is_empty() {
                    String::new()
                } else {
                    format!("**{}** ", md_escape(&s.marker))
                };
                out.push_str(&format!(
                    "{indent}- {marker}{} _({})_\n",
                    md_escape(&s.heading),
                    kind_label(s.kind)
                ));
            });
            out.push('\n');
        }
    }
    out
}

#[derive(Serialize)]
struct OutlineDocPage<'a> {
    header: String,
    sections: Vec<SectionView<'a>>,
}

#[derive(Serialize)]
struct SectionView<'a> {
    marker: &'a str,
    heading: &'a str,
    kind: &'static str,
    span: Span,
    children: Vec<SectionView<'a>>,
}

fn section_views(sections: &[Section]) -> Vec<SectionView<'_>> {
    sections
        .iter()
        .map(|s| SectionView {
            marker: &s.marker,
            heading: &s.heading,
            kind: kind_label(s.kind),
            span: s.span,
            children: section_views(&s.children),
        })
        .collect()
}

#[derive(Serialize)]
struct OutlineFilePage<'a> {
    path: String,
    encoding: Encoding,
    chars: usize,
    documents: Vec<OutlineDocPage<'a>>,
}

#[derive(Serialize)]
struct OutlinePage<'a> {
    files: Vec<OutlineFilePage<'a>>,
}

/// A self-contained HTML page: each document's outline as a nested list (the `outline.html` template).
pub fn html(files: &[SpeechFile]) -> String {
    let view = OutlinePage {
        files: files
            .iter()
            .map(|file| OutlineFilePage {
                path: file.text.path().display().to_string(),
                encoding: file.text.encoding(),
                chars: file.text.len_chars(),
                documents: file
                    .outlines
                    .iter()
                    .enumerate()
                    .map(|(i, o)| OutlineDocPage {
                        header: doc_header(o, i, file.outlines.len()),
                        sections: section_views(&o.sections),
                    })
                    .collect(),
            })
            .collect(),
    };
    super::page::render(
        "outline.html",
        "tifa outline",
        super::page::Lang::En,
        &view,
        Vec::new(),
    )
}
