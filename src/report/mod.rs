//! Stage 5: results → text for people and programs.
//!
//! One renderer per result and format: terminal text (colour when wanted), JSON (stable, documented in the
//! README), Markdown and self-contained HTML. Renderers only format; every number they print is computed
//! by the stage that produced the result. Markdown and HTML tables print the row view-models of [`rows`];
//! every HTML page is a template of [`page`] (one base layout, one stylesheet, one script), and
//! [`pair`] is the report of `tifa report A B`, which bundles compare, reuse and patterns. [`write_output`] writes a report atomically, so a failed run
//! never leaves a partial file behind.

pub mod compare;
pub mod corpus;
pub mod outline;
pub mod page;
pub mod pair;
pub mod patterns;
pub mod reuse;
pub mod rows;

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Output formats offered by the subcommands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Human-readable terminal output.
    #[default]
    Text,
    /// Stable JSON for programs.
    Json,
    /// Markdown for notes.
    Md,
    /// A self-contained HTML page.
    Html,
}

/// Terminal styling: whether to emit ANSI colour codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Style {
    /// Emit ANSI colour and emphasis.
    pub color: bool,
}

impl Style {
    /// Wraps `s` in the given style when colour is on.
    pub fn paint(&self, style: anstyle::Style, s: &str) -> String {
        if self.color {
            format!("{}{}{}", style.render(), s, style.render_reset())
        } else {
            s.to_string()
        }
    }
}

/// Writes `content` to `path` atomically (temp file in the same directory, then rename), or to stdout
/// when `path` is `None` or `-`. This is the one place every command writes its report.
///
/// A new file gets mode 0666 minus the umask, an overwritten one keeps its mode, and a symlink is
/// followed (its target is replaced, not the link). Errors name `path` as the user gave it, never the
/// temp file; a directory (or a path ending in `/`) is refused before anything is written.
pub fn write_output(path: Option<&Path>, content: &str) -> Result<()> {
    match path {
        None => write_stdout(content),
        Some(p) if p == Path::new("-") => write_stdout(content),
        Some(p) => write_file(p, content),
    }
}

fn write_file(p: &Path, content: &str) -> Result<()> {
    let fail = |message: String| Error::Invalid {
        path: p.into(),
        message,
    };
    let io = |source: std::io::Error| Error::Io {
        path: p.into(),
        source,
    };
    let as_given = p.as_os_str().to_string_lossy();
    if as_given.ends_with('/') || as_given.ends_with(std::path::MAIN_SEPARATOR) || p.is_dir() {
        return Err(fail(
            "is a directory; -o needs a file name (e.g. -o DIR/report.json)".into(),
        ));
    }
    // Write through a symlink to its target, so the link survives.
    let target = match std::fs::symlink_metadata(p) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(p).unwrap_or_else(|_| p.into())
        }
        _ => p.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(fail(format!("'{}' is not a directory", dir.display()))),
        Err(_) => return Err(fail(format!("folder '{}' does not exist", dir.display()))),
    }
    let mut tmp = crate::output::temp_beside(&target)?;
    tmp.write_all(content.as_bytes()).map_err(io)?;
    crate::output::persist(tmp, &target)
}

fn write_stdout(content: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(content.as_bytes()).and_then(|_| out.flush()) {
        // A closed pipe (`tifa … | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Io {
            path: "<stdout>".into(),
            source,
        }),
        Ok(()) => Ok(()),
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    crate::output::escape_markup(s, crate::output::Markup::Html)
}

/// Escapes text for a Markdown table cell or inline text.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Display width of a string in terminal columns (CJK chars count two).
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Truncates `s` to at most `width` columns, adding `…` when cut. A cell is one line: each run of white
/// space holding a line break becomes one space (a formula can span `各位代表：` and the next paragraph).
///
/// ```
/// use tifa::report::truncate_to_width;
/// assert_eq!(truncate_to_width("各位代表：\n\n现在，我代表", 40), "各位代表： 现在，我代表");
/// assert_eq!(truncate_to_width("一二三四五", 5), "一二…");
/// ```
pub fn truncate_to_width(s: &str, width: usize) -> String {
    let one_line;
    let s = if s.contains(['\n', '\r']) {
        one_line = s
            .split(['\n', '\r'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        one_line.as_str()
    } else {
        s
    };
    if display_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pads `s` with spaces to exactly `width` columns (truncating first if needed).
pub fn pad_to_width(s: &str, width: usize) -> String {
    let mut t = truncate_to_width(s, width);
    let w = display_width(&t);
    t.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    t
}
