//! Which files of a folder are speeches: the file selection every command that takes a folder uses.
//!
//! Input: paths given by the user (files and folders) and a [`FileFilter`] (the extensions to read).
//! Output: a [`Selection`]: the files to read, sorted within each folder, how many were skipped and why
//! ([`Skipped`]), and the folders that could not be listed (each with its error; the walk goes on).
//!
//! How: a file named on the command line is always taken, whatever its extension (the user asked for it).
//! Folders are walked recursively (`walkdir`, symbolic links not followed, entries sorted by name so the
//! order is stable). In a folder:
//! - hidden files and folders (name starting with `.`) are skipped (`.git`, `.DS_Store`, editor backups);
//! - obvious data files are skipped (`json`, `jsonl`, `csv`, `tsv`, `xml`, `parquet`, archives, office
//!   and image files, …): a JSONL copy of a corpus read as a speech doubles every document frequency;
//! - of the rest, only files whose extension is in the filter are read (default [`DEFAULT_EXTENSIONS`]:
//!   `txt` and `text`; `--ext txt,md` changes it, `--ext '*'` takes every file that is not a data file).
//!
//! Extensions compare case-insensitively (`.TXT` is a text file).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};

/// Extensions read from folders when the user gives none.
pub const DEFAULT_EXTENSIONS: &[&str] = &["txt", "text"];

/// Extensions of files that are data, never speeches, even when `--ext '*'` is given.
pub const DATA_EXTENSIONS: &[&str] = &[
    "json", "jsonl", "ndjson", "csv", "tsv", "xml", "yaml", "yml", "toml", "parquet", "arrow",
    "feather", "sqlite", "db", "pkl", "npy", "npz", "zip", "gz", "bz2", "xz", "zst", "7z", "rar",
    "tar", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "png", "jpg", "jpeg", "gif", "webp",
    "bmp", "tif", "tiff", "svg", "mp3", "mp4", "wav", "exe", "dll", "so", "bin", "html", "htm",
    "dot", "graphml",
];

/// Which files of a folder to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileFilter {
    /// Extensions to read (lower case, no dot); empty means every file that is not a data file.
    pub extensions: Vec<String>,
}

impl Default for FileFilter {
    fn default() -> Self {
        FileFilter {
            extensions: DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl FileFilter {
    /// Parses a `--ext` value: comma-separated extensions (`txt,md`, dots allowed), or `*` for all.
    pub fn parse(spec: &str) -> Result<FileFilter> {
        let mut extensions = Vec::new();
        for part in spec.split(',') {
            let e = part.trim().trim_start_matches('.').to_lowercase();
            if e == "*" {
                return Ok(FileFilter {
                    extensions: Vec::new(),
                });
            }
            if e.is_empty() || e.contains(['/', '\\']) {
                return Err(Error::Invalid {
                    path: "--ext".into(),
                    message: format!("'{spec}' is not a comma-separated list of extensions"),
                });
            }
            extensions.push(e);
        }
        Ok(FileFilter { extensions })
    }

    /// Why a file met in a folder is skipped, or `None` when it is read.
    pub fn skip_reason(&self, path: &Path) -> Option<SkipReason> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if DATA_EXTENSIONS.contains(&ext.as_str()) {
            return Some(SkipReason::Data);
        }
        if self.extensions.is_empty() || self.extensions.contains(&ext) {
            None
        } else {
            Some(SkipReason::Extension)
        }
    }
}

/// Why a file was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// Hidden file or inside a hidden folder.
    Hidden,
    /// A data file (JSON, CSV, archive, image, …).
    Data,
    /// An extension not in the filter.
    Extension,
}

/// Counts of files met in folders and not read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Hidden files and files in hidden folders (hidden folders count as one each).
    pub hidden: usize,
    /// Data files.
    pub data: usize,
    /// Files with another extension.
    pub extension: usize,
}

impl Skipped {
    /// All skipped files.
    pub fn total(&self) -> usize {
        self.hidden + self.data + self.extension
    }

    /// `"3 skipped: 1 hidden, 2 data"`, or `None` when nothing was skipped.
    pub fn describe(&self) -> Option<String> {
        if self.total() == 0 {
            return None;
        }
        let parts: Vec<String> = [
            (self.hidden, "hidden"),
            (self.data, "data"),
            (self.extension, "other extension"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        Some(format!("{} skipped: {}", self.total(), parts.join(", ")))
    }

    fn count(&mut self, reason: SkipReason) {
        match reason {
            SkipReason::Hidden => self.hidden += 1,
            SkipReason::Data => self.data += 1,
            SkipReason::Extension => self.extension += 1,
        }
    }
}

/// The files to read.
#[derive(Debug, Default)]
pub struct Selection {
    /// Files to read: named files as given, then each folder's files in name order.
    pub files: Vec<PathBuf>,
    /// What was skipped in folders.
    pub skipped: Skipped,
    /// Paths that could not be listed or do not exist, with the error (the selection goes on).
    pub errors: Vec<Error>,
}

/// Selects the files to read from paths given by the user (files and folders, recursively).
pub fn select(paths: &[PathBuf], filter: &FileFilter) -> Selection {
    let mut sel = Selection::default();
    for path in paths {
        if path == Path::new("-") || path.is_file() {
            sel.files.push(path.clone());
        } else if path.is_dir() {
            walk(path, filter, &mut sel);
        } else {
            // Missing or unreadable: let the reader produce the usual message for it.
            match std::fs::metadata(path) {
                Err(source) => sel.errors.push(Error::Io {
                    path: path.clone(),
                    source,
                }),
                Ok(_) => sel.files.push(path.clone()),
            }
        }
    }
    sel
}

/// The files to read under one folder (`--corpus DIR`): an error when `dir` is not a folder.
pub fn select_dir(dir: &Path, filter: &FileFilter) -> Result<Selection> {
    if !dir.is_dir() {
        return Err(Error::Invalid {
            path: dir.into(),
            message: "not a directory (expected a folder of text files)".into(),
        });
    }
    let mut sel = Selection::default();
    walk(dir, filter, &mut sel);
    Ok(sel)
}

fn walk(dir: &Path, filter: &FileFilter, sel: &mut Selection) {
    let is_hidden =
        |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
    let mut it = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(false)
        .into_iter();
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let source = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("file system loop"));
                sel.errors.push(Error::Io { path, source });
                continue;
            }
        };
        if is_hidden(&entry) {
            sel.skipped.count(SkipReason::Hidden);
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        let ty = entry.file_type();
        // A symbolic link to a file is read; to a folder, not followed (no loops, no surprises).
        let is_file = ty.is_file() || (ty.is_symlink() && entry.path().is_file());
        if !is_file {
            continue;
        }
        match filter.skip_reason(entry.path()) {
            Some(reason) => sel.skipped.count(reason),
            None => sel.files.push(entry.into_path()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_by_extension_hidden_and_data_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir_all(p.join("sub/.git")).unwrap();
        for f in [
            "b.txt",
            "a.TXT",
            "sub/c.txt",
            "sub/.hidden.txt",
            "sub/.git/x.txt",
            "docs.jsonl",
            "notes.md",
            "table.csv",
        ] {
            std::fs::write(p.join(f), "一、讲话。").unwrap();
        }
        let sel = select(&[p.to_path_buf()], &FileFilter::default());
        let names: Vec<String> = sel
            .files
            .iter()
            .map(|f| f.strip_prefix(p).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.TXT", "b.txt", "sub/c.txt"]);
        assert_eq!(
            sel.skipped,
            Skipped {
                hidden: 2,
                data: 2,
                extension: 1
            }
        );
        assert_eq!(
            sel.skipped.describe().unwrap(),
            "5 skipped: 2 hidden, 2 data, 1 other extension"
        );
        // `--ext txt,md` reads the Markdown file too; a file named explicitly is always read.
        let sel = select(
            &[p.to_path_buf(), p.join("table.csv")],
            &FileFilter::parse("txt, .md").unwrap(),
        );
        assert_eq!(sel.files.len(), 5);
        assert!(sel.files.last().unwrap().ends_with("table.csv"));
        let all = FileFilter::parse("*").unwrap();
        assert_eq!(all.skip_reason(Path::new("x.md")), None);
        assert_eq!(all.skip_reason(Path::new("x.json")), Some(SkipReason::Data));
        assert!(FileFilter::parse("txt,").is_err());
    }

    #[test]
    fn missing_paths_are_listed_not_fatal() {
        let sel = select(
            &[
                PathBuf::from("/nonexistent/tifa/x"),
                PathBuf::from("Cargo.toml"),
            ],
            &FileFilter::default(),
        );
        assert_eq!(sel.files, [PathBuf::from("Cargo.toml")]);
        assert_eq!(sel.errors.len(), 1);
        assert!(
            sel.errors[0]
                .to_string()
                .starts_with("/nonexistent/tifa/x: ")
        );
    }
}
