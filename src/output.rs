//! Atomic output files: the one place tifa creates a file the user asked for.
//!
//! A file is written to a temp file beside its target and renamed over it only when complete, so a
//! failed run never leaves a partial report. New files get mode 0666 minus the umask (as any file a
//! program creates); a file replaced keeps its mode. Errors name the user's path, never the temp one.
//!
//! It also holds the one escape of text for markup ([`escape_markup`]): HTML pages and GraphML exports.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A temp file beside `target`, to be [`persist`]ed over it. Removed if dropped unpersisted.
pub fn temp_beside(target: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let prefix = format!(".{name}.");
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The umask applies to the mode given at creation, as for any new file.
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b.tempfile_in(&dir).map_err(|e| Error::Io {
        path: target.into(),
        source: without_temp_path(e),
    })
}

/// tempfile's errors name the temp file (`… at path "/dir/.x.tmp"`); the user is told about their
/// own path instead, so that suffix is cut from the message and the kind kept.
fn without_temp_path(e: std::io::Error) -> std::io::Error {
    let message = e.to_string();
    match message.rsplit_once(" at path ") {
        Some((cause, _)) => std::io::Error::new(e.kind(), cause.to_string()),
        None => e,
    }
}

/// Syncs the temp file and renames it over `target`, keeping the mode of a file it replaces.
pub fn persist(tmp: tempfile::NamedTempFile, target: &Path) -> Result<()> {
    let io = |source: std::io::Error| Error::Io {
        path: target.into(),
        source,
    };
    tmp.as_file().sync_all().map_err(io)?;
    if let Ok(m) = std::fs::metadata(target) {
        tmp.as_file().set_permissions(m.permissions()).map_err(io)?;
    }
    tmp.persist(target).map_err(|e| io(e.error))?;
    Ok(())
}

/// The markup language a text is escaped for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Markup {
    /// HTML element content and attribute values: `&<>"'` escaped.
    Html,
    /// XML 1.0 content and attribute values: `&<>"` escaped, control chars other than tab, CR and LF
    /// (not allowed in XML 1.0) written as a space.
    Xml,
}

/// Escapes text for element content and attribute values of `markup`.
pub fn escape_markup(s: &str, markup: Markup) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' if markup == Markup::Html => out.push_str("&#39;"),
            c if markup == Markup::Xml && (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                out.push(' ')
            }
            c => out.push(c),
        }
    }
    out
}
