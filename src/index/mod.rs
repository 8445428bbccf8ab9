//! Stage: the corpus kept on disk — which documents are indexed, what do they share, what does a new
//! speech draw from — in one SQLite file that grows as speeches arrive.
//!
//! Input: files and folders of speeches ([`Index::add`]), paths to forget ([`Index::remove`]), a new text
//! to look up ([`Index::query`]). Output: the index file (schema in [`schema`]), [`AddReport`], [`Stats`],
//! ranked [`QueryHit`]s with passages, [`Candidate`] pairs, exports for a distributed engine ([`export`]).
//!
//! How:
//! - a file's content hash (xxh3-64 of its bytes) is kept with its path: re-adding an unchanged file does
//!   nothing, a changed file's rows are replaced;
//! - each file is decoded, split into documents (compilations give several), and each document reduced
//!   to winnowed shingle fingerprints ([`shingles`]), stored as postings `(hash, doc_id)`;
//! - the decoded text is stored zstd-compressed (about a third of its UTF-8 size), so queries show
//!   passages without reading the corpus files;
//! - candidate pairs are documents sharing at least `min_shared` fingerprints whose posting lists hold
//!   at most `max_bucket` documents (the cap keeps boilerplate from pairing everything with everything);
//!   the candidates of the documents just added that share rare text (fingerprints weighted by rarity,
//!   [`candidates::best_per_document`]) are verified with the reuse engine
//!   ([`crate::reuse::compare_texts`]) and pairs with passages are stored, so an add's work grows with
//!   its batch, not with the index;
//! - the batch's postings are written in key order (the B-tree fills page by page), and a file whose
//!   bytes hash as stored is not decoded at all;
//! - every [`Index::add`] is one transaction (an interrupted run leaves the index as it was), the file is
//!   in WAL mode (queries run while an `add` writes), and the schema is versioned with migrations.

pub mod candidates;
pub mod export;
pub mod query;
pub mod schema;
pub mod shingles;
pub mod verify;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

pub use candidates::{Candidate, CandidateParams};
pub use query::{QueryHit, QueryOptions};
pub use shingles::ShingleParams;

use crate::document::split_documents;
use crate::error::{Error, Result};
use crate::reuse::{self, Passage, ReuseParams, Scores};
use crate::segment::Segments;
use crate::text::{Encoding, Span, Text};

/// zstd level for stored texts: level 3 compresses Chinese prose to about a third at high speed.
const ZSTD_LEVEL: i32 = 3;

/// An open index.
pub struct Index {
    conn: Connection,
    path: PathBuf,
    shingle: ShingleParams,
}

/// One indexed document, as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentRecord {
    /// Its id in the index (stable: ids of removed documents are never reused).
    pub id: i64,
    /// The file's path, as given to `add`.
    pub path: String,
    /// Place in its file (0 for the first or only document).
    pub index: usize,
    /// Title from the header, if any.
    pub title: Option<String>,
    /// Date as `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (header, subtitle, else the file name), if any.
    pub date: Option<String>,
    /// Speaker, if any.
    pub speaker: Option<String>,
    /// Where it is in the file's decoded text.
    pub span: Span,
    /// Length in chars.
    pub chars: usize,
}

/// What an [`Index::add`] did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AddReport {
    /// Files read and indexed (new or changed).
    pub added_files: usize,
    /// Of those, files that replaced an older version.
    pub replaced_files: usize,
    /// Files skipped because their content hash is unchanged.
    pub unchanged_files: usize,
    /// Files that could not be read or decoded, with the error (skipped; the batch goes on).
    pub failed: Vec<(String, String)>,
    /// Documents indexed.
    pub documents: usize,
    /// Candidate pairs involving a new document.
    pub candidates: usize,
    /// Of those, pairs checked with the reuse engine (each new document's best
    /// [`AddOptions::verify_per_document`]).
    pub checked: usize,
    /// Verified pairs stored (checked pairs with at least one passage).
    pub pairs: usize,
    /// Where the time went.
    pub timings: AddTimings,
}

/// Seconds spent in each phase of an [`Index::add`] (wall clock).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AddTimings {
    /// Reading, decoding, splitting, fingerprinting and compressing the files (parallel).
    pub prepare_s: f64,
    /// Writing files, documents and postings.
    pub write_s: f64,
    /// Finding the candidate pairs of the new documents and choosing those to check.
    pub candidates_s: f64,
    /// Checking them with the reuse engine (parallel).
    pub verify_s: f64,
    /// Storing the verified pairs and committing.
    pub commit_s: f64,
}

/// Options of [`Index::add`].
#[derive(Clone, Debug)]
pub struct AddOptions {
    /// Forced input encoding.
    pub encoding: Option<Encoding>,
    /// File extensions taken from folders (files named directly are always taken).
    pub extensions: Vec<String>,
    /// Candidate generation for the pairs verified at add time.
    pub candidates: CandidateParams,
    /// Candidates checked with the reuse engine at add time, at most this many per new document: those
    /// with rare shared fingerprints, the rarest first ([`candidates::best_per_document`]). This bounds
    /// the work of an `add` by its own size whatever the index holds (the stock text of a growing corpus
    /// would otherwise pair each new report with hundreds); every candidate stays available to
    /// `tifa index candidates` and `tifa verify`.
    pub verify_per_document: usize,
    /// Reuse engine tuning for verification.
    pub reuse: ReuseParams,
    /// Stop before committing, after this many files were prepared (crash tests); `None` in normal use.
    pub pause_before_commit: Option<std::time::Duration>,
}

impl Default for AddOptions {
    fn default() -> Self {
        AddOptions {
            encoding: None,
            extensions: vec!["txt".into(), "md".into(), "text".into()],
            candidates: CandidateParams::default(),
            verify_per_document: 32,
            reuse: ReuseParams::default(),
            pause_before_commit: None,
        }
    }
}

/// What [`Index::remove`] did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RemoveReport {
    /// Files removed.
    pub files: usize,
    /// Documents removed with them.
    pub documents: usize,
    /// Paths given that were not in the index.
    pub missing: Vec<String>,
}

/// Sizes of an index.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stats {
    /// The index file.
    pub path: String,
    /// Schema version.
    pub schema_version: i32,
    /// Files indexed.
    pub files: i64,
    /// Documents indexed.
    pub documents: i64,
    /// Fingerprint postings.
    pub shingles: i64,
    /// Mined formulas.
    pub formulas: i64,
    /// Formula occurrences.
    pub formula_occurrences: i64,
    /// Verified pairs.
    pub pairs: i64,
    /// Chars of all indexed texts.
    pub chars: i64,
    /// UTF-8 bytes of all indexed texts.
    pub text_bytes: i64,
    /// Bytes of the stored (compressed) texts.
    pub text_stored_bytes: i64,
    /// Size of the database file (pages in use × page size, WAL not counted).
    pub file_bytes: i64,
    /// Shingle length and winnowing window.
    pub shingle_len: usize,
    /// Winnowing window.
    pub window: usize,
}

/// A file read and fingerprinted, ready to be written.
struct PreparedFile {
    path: String,
    content_hash: i64,
    bytes: u64,
    text: Text,
    compressed: Vec<u8>,
    documents: Vec<PreparedDocument>,
}

struct PreparedDocument {
    index: usize,
    title: Option<String>,
    date: Option<String>,
    speaker: Option<String>,
    span: Span,
    content_chars: usize,
    content_hash: i64,
    fingerprints: Vec<i64>,
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The key a path is stored under: as given, without a leading `./`.
pub fn path_key(path: &Path) -> String {
    let s = path.to_string_lossy();
    let mut s: &str = &s;
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

/// Every file under the given paths: files as named, folders recursively (files with one of
/// `extensions`, hidden entries skipped), sorted and deduplicated.
pub fn expand_paths(paths: &[PathBuf], extensions: &[String]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let filter = if extensions.is_empty() {
                crate::files::FileFilter::default()
            } else {
                crate::files::FileFilter {
                    extensions: extensions.iter().map(|x| x.to_lowercase()).collect(),
                }
            };
            let sel = crate::files::select_dir(p, &filter)?;
            if let Some(e) = sel.errors.into_iter().next() {
                return Err(e);
            }
            out.extend(sel.files);
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Reads, decodes, splits and fingerprints one file; `None` when its bytes hash to `stored` (the
/// unchanged file is not decoded).
fn prepare_file(
    path: &Path,
    key: String,
    stored: Option<i64>,
    encoding: Option<Encoding>,
    shingle: ShingleParams,
) -> Result<Option<PreparedFile>> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })?;
    if bytes.len() as u64 > crate::text::MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            path: path.into(),
            size: bytes.len() as u64,
            limit: crate::text::MAX_FILE_BYTES,
        });
    }
    let content_hash = xxhash_rust::xxh3::xxh3_64(&bytes) as i64;
    if stored == Some(content_hash) {
        return Ok(None);
    }
    let text = Text::from_bytes(&key, &bytes, encoding)?;
    let segments = Segments::new(&text);
    let docs = split_documents(&text, &segments);
    let documents = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let doc_text = document_text(&text, d.span);
            let chars = shingles::canonical(&doc_text);
            PreparedDocument {
                index: i,
                title: d.title.clone(),
                date: d.iso_date(&key),
                speaker: d.meta.speaker.clone(),
                span: d.span,
                content_chars: chars.len(),
                content_hash: shingles::content_hash(&chars),
                fingerprints: shingles::fingerprints(&chars, shingle),
            }
        })
        .collect();
    let compressed =
        zstd::bulk::compress(text.as_str().as_bytes(), ZSTD_LEVEL).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
    Ok(Some(PreparedFile {
        path: key,
        content_hash,
        bytes: bytes.len() as u64,
        text,
        compressed,
        documents,
    }))
}

/// The text of one document of a file, as its own [`Text`] (spans relative to the document).
fn document_text(file: &Text, span: Span) -> Text {
    if span.start == 0 && span.end >= file.len_chars() {
        return file.clone();
    }
    Text::from_string(file.path(), file.slice(span), file.encoding())
}

/// Shifts a passage's A or B spans from document to file coordinates.
fn shift(p: &mut Passage, a_offset: usize, b_offset: usize) {
    p.a = Span::new(p.a.start + a_offset, p.a.end + a_offset);
    p.b = Span::new(p.b.start + b_offset, p.b.end + b_offset);
}

impl Index {
    /// Opens the index at `path`, creating it when it does not exist.
    pub fn open(path: impl AsRef<Path>) -> Result<Index> {
        Index::open_mode(path.as_ref(), schema::Mode::Write)
    }

    /// Opens an existing index (an error names the file when there is none).
    pub fn open_existing(path: impl AsRef<Path>) -> Result<Index> {
        Index::open_mode(path.as_ref(), schema::Mode::Read)
    }

    fn open_mode(path: &Path, mode: schema::Mode) -> Result<Index> {
        let conn = schema::open(path, mode)?;
        let mut index = Index {
            conn,
            path: path.into(),
            shingle: ShingleParams::default(),
        };
        index.shingle = index.read_shingle_params()?;
        Ok(index)
    }

    /// The index file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How this index takes fingerprints (fixed when it was created).
    pub fn shingle_params(&self) -> ShingleParams {
        self.shingle
    }

    /// The SQLite connection (read-only use: exports, tests).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        |e| schema::sql_error(&self.path, e)
    }

    fn read_shingle_params(&self) -> Result<ShingleParams> {
        let get = |key: &str| -> Result<Option<usize>> {
            let v: Option<String> = self
                .conn
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
                .map_err(self.sql())?;
            v.map(|v| {
                v.parse::<usize>().map_err(|_| Error::Invalid {
                    path: self.path.clone(),
                    message: format!("corrupt index (meta {key} = {v:?} is not a number)"),
                })
            })
            .transpose()
        };
        let d = ShingleParams::default();
        match (get("shingle_len")?, get("window")?) {
            (Some(k), Some(w)) if k > 0 && w > 0 => Ok(ShingleParams {
                shingle_len: k,
                window: w,
            }),
            (None, None) => {
                // A new index: record the parameters its fingerprints are taken with.
                self.conn
                    .execute(
                        "INSERT OR IGNORE INTO meta(key, value) VALUES ('shingle_len', ?1), ('window', ?2), ('created_by', ?3)",
                        params![d.shingle_len.to_string(), d.window.to_string(), format!("tifa {}", env!("CARGO_PKG_VERSION"))],
                    )
                    .map_err(self.sql())?;
                Ok(d)
            }
            _ => Err(Error::Invalid {
                path: self.path.clone(),
                message: "corrupt index (fingerprint parameters missing from meta)".into(),
            }),
        }
    }

    /// Adds files and folders (recursively) in one transaction: new files are indexed, changed files
    /// replaced, unchanged files skipped; then the candidate pairs of the new documents are verified
    /// and stored. Unreadable files are reported in [`AddReport::failed`] and skipped. `on_file` is
    /// called once per file prepared (progress).
    pub fn add(
        &mut self,
        paths: &[PathBuf],
        options: &AddOptions,
        on_file: impl Fn() + Sync,
    ) -> Result<AddReport> {
        let started = std::time::Instant::now();
        let files = expand_paths(paths, &options.extensions)?;
        let known: HashMap<String, i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT path, content_hash FROM files")
                .map_err(self.sql())?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(self.sql())?
                .collect::<rusqlite::Result<_>>()
                .map_err(self.sql())?
        };
        let mut report = AddReport::default();
        let shingle = self.shingle;
        let prepared: Vec<std::result::Result<Option<PreparedFile>, (String, String)>> = files
            .par_iter()
            .map(|p| {
                let key = path_key(p);
                let stored = known.get(&key).copied();
                let out = prepare_file(p, key.clone(), stored, options.encoding, shingle)
                    .map_err(|e| (key, e.to_string()));
                on_file();
                out
            })
            .collect();
        let mut batch = Vec::new();
        for p in prepared {
            match p {
                Ok(Some(f)) => batch.push(f),
                Ok(None) => report.unchanged_files += 1,
                Err(failed) => report.failed.push(failed),
            }
        }
        // A file listed twice under two spellings of one path is indexed once.
        let mut seen = HashSet::new();
        batch.retain(|f| seen.insert(f.path.clone()));
        if batch.is_empty() {
            return Ok(report);
        }
        report.timings.prepare_s = started.elapsed().as_secs_f64();
        let path = self.path.clone();
        let sql = |e| schema::sql_error(&path, e);
        let phase = std::time::Instant::now();
        let tx = self.conn.transaction().map_err(sql)?;
        let mut new_docs: Vec<(i64, Text)> = Vec::new();
        // The batch's postings, written in key order once every document has its id: a B-tree
        // filled in key order touches each page once, where scattered inserts would revisit pages
        // long evicted from the cache.
        let mut postings: Vec<(i64, i64)> = Vec::new();
        {
            let mut insert_file = tx
                .prepare(
                    "INSERT INTO files(path, content_hash, bytes, encoding, chars, text_bytes, text, added_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(sql)?;
            let mut insert_doc = tx
                .prepare(
                    "INSERT INTO documents(file_id, idx, title, date, speaker, span_start, span_end, chars,
                       content_chars, content_hash, fingerprints)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .map_err(sql)?;
            let added_at = now_secs();
            for f in &batch {
                if known.contains_key(&f.path) {
                    report.replaced_files += 1;
                    delete_file(&tx, &f.path, shingle).map_err(sql)?;
                }
                insert_file
                    .execute(params![
                        f.path,
                        f.content_hash,
                        f.bytes as i64,
                        f.text.encoding().name(),
                        f.text.len_chars() as i64,
                        f.text.as_str().len() as i64,
                        f.compressed,
                        added_at,
                    ])
                    .map_err(sql)?;
                let file_id = tx.last_insert_rowid();
                for d in &f.documents {
                    insert_doc
                        .execute(params![
                            file_id,
                            d.index as i64,
                            d.title,
                            d.date,
                            d.speaker,
                            d.span.start as i64,
                            d.span.end as i64,
                            d.span.len() as i64,
                            d.content_chars as i64,
                            d.content_hash,
                            d.fingerprints.len() as i64,
                        ])
                        .map_err(sql)?;
                    let doc_id = tx.last_insert_rowid();
                    postings.extend(d.fingerprints.iter().map(|&h| (h, doc_id)));
                    new_docs.push((doc_id, document_text(&f.text, d.span)));
                    report.documents += 1;
                }
                report.added_files += 1;
            }
            postings.par_sort_unstable();
            let mut insert_shingle = tx
                .prepare("INSERT INTO shingles(hash, doc_id) VALUES (?1, ?2)")
                .map_err(sql)?;
            for (h, doc_id) in &postings {
                insert_shingle.execute(params![h, doc_id]).map_err(sql)?;
            }
        }
        report.timings.write_s = phase.elapsed().as_secs_f64();
        // Candidates of the new documents against the whole index (new ones included).
        let phase = std::time::Instant::now();
        let new_fps: Vec<(i64, &[i64])> = {
            let mut v = Vec::new();
            let mut k = 0;
            for f in &batch {
                for d in &f.documents {
                    v.push((new_docs[k].0, d.fingerprints.as_slice()));
                    k += 1;
                }
            }
            v
        };
        let cands = candidates::candidates_of(&tx, &new_fps, &options.candidates).map_err(sql)?;
        report.candidates = cands.len();
        // Each new document's candidates with rare shared text are verified now; the rest stay for
        // `tifa verify`.
        let min_new = new_fps.iter().map(|d| d.0).min().unwrap_or(i64::MAX);
        let cands = candidates::best_per_document(cands, min_new, options.verify_per_document);
        report.checked = cands.len();
        report.timings.candidates_s = phase.elapsed().as_secs_f64();
        let phase = std::time::Instant::now();
        let mut texts: HashMap<i64, Text> = new_docs.into_iter().collect();
        let missing: Vec<i64> = {
            let mut m: Vec<i64> = cands
                .iter()
                .flat_map(|c| [c.a, c.b])
                .filter(|d| !texts.contains_key(d))
                .collect();
            m.sort_unstable();
            m.dedup();
            m
        };
        for (id, t) in load_texts(&tx, &missing).map_err(sql)? {
            texts.insert(id, t.1);
        }
        let verified: Vec<(Candidate, ReuseOutcome)> = cands
            .par_iter()
            .filter_map(|c| {
                let (a, b) = (texts.get(&c.a)?, texts.get(&c.b)?);
                let r = verify_texts(a, b, &options.reuse);
                (!r.passages.is_empty()).then(|| (c.clone(), r))
            })
            .collect();
        report.timings.verify_s = phase.elapsed().as_secs_f64();
        let phase = std::time::Instant::now();
        {
            let mut insert_pair = tx
                .prepare(
                    "INSERT OR REPLACE INTO pairs(a, b, shared, a_in_b, b_in_a, distinctive, boilerplate, passages)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(sql)?;
            let offsets = doc_offsets(&tx, &verified).map_err(sql)?;
            for (c, mut r) in verified {
                let (oa, ob) = (offsets[&c.a], offsets[&c.b]);
                for p in &mut r.passages {
                    shift(p, oa, ob);
                }
                let passages = serde_json::to_string(&r.passages).unwrap_or_else(|_| "[]".into());
                insert_pair
                    .execute(params![
                        c.a,
                        c.b,
                        c.shared as i64,
                        r.scores.a_in_b,
                        r.scores.b_in_a,
                        r.scores.distinctive,
                        r.scores.boilerplate,
                        passages,
                    ])
                    .map_err(sql)?;
                report.pairs += 1;
            }
        }
        if let Some(pause) = options.pause_before_commit {
            // Tests wait for this line to know the transaction is written but not committed.
            eprintln!("tifa: pausing before commit");
            std::thread::sleep(pause);
        }
        tx.commit().map_err(sql)?;
        report.timings.commit_s = phase.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Removes files (and their documents, fingerprints, occurrences and pairs) in one transaction.
    pub fn remove(&mut self, paths: &[PathBuf]) -> Result<RemoveReport> {
        let path = self.path.clone();
        let sql = |e| schema::sql_error(&path, e);
        let shingle = self.shingle;
        let tx = self.conn.transaction().map_err(sql)?;
        let mut report = RemoveReport::default();
        for p in paths {
            let key = path_key(p);
            match delete_file(&tx, &key, shingle).map_err(sql)? {
                Some(docs) => {
                    report.files += 1;
                    report.documents += docs;
                }
                None => report.missing.push(key),
            }
        }
        tx.commit().map_err(sql)?;
        Ok(report)
    }

    /// Counts and sizes.
    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<i64> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, Option<i64>>(0))
                .map(|v| v.unwrap_or(0))
                .map_err(self.sql())
        };
        Ok(Stats {
            path: self.path.display().to_string(),
            schema_version: schema::SCHEMA_VERSION,
            files: count("SELECT COUNT(*) FROM files")?,
            documents: count("SELECT COUNT(*) FROM documents")?,
            shingles: count("SELECT SUM(fingerprints) FROM documents")?,
            formulas: count("SELECT COUNT(*) FROM formulas")?,
            formula_occurrences: count("SELECT COUNT(*) FROM formula_occurrences")?,
            pairs: count("SELECT COUNT(*) FROM pairs")?,
            chars: count("SELECT SUM(chars) FROM files")?,
            text_bytes: count("SELECT SUM(text_bytes) FROM files")?,
            text_stored_bytes: count("SELECT SUM(length(text)) FROM files")?,
            file_bytes: count(
                "SELECT (SELECT page_count FROM pragma_page_count()) * (SELECT page_size FROM pragma_page_size())",
            )?,
            shingle_len: self.shingle.shingle_len,
            window: self.shingle.window,
        })
    }

    /// Every indexed document, by id.
    pub fn documents(&self) -> Result<Vec<DocumentRecord>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{DOC_SELECT} ORDER BY d.doc_id"))
            .map_err(self.sql())?;
        stmt.query_map([], doc_record)
            .map_err(self.sql())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.sql())
    }

    /// The stored text of every indexed file, by path: corpus mode runs from these without the files.
    pub fn file_texts(&self) -> Result<Vec<Text>> {
        let mut stmt = self
            .conn
            .prepare("SELECT path, text, encoding FROM files ORDER BY path")
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(self.sql())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql())?;
        rows.into_iter()
            .map(|(path, blob, enc)| {
                let text = decompress(&blob).ok_or_else(|| Error::Invalid {
                    path: self.path.clone(),
                    message: format!("the stored text of {path} does not decompress"),
                })?;
                let encoding = Encoding::from_name(&enc).unwrap_or(Encoding::Utf8);
                Ok(Text::from_string(&path, text, encoding))
            })
            .collect()
    }

    /// One document and its text (spans of the text relative to the document).
    pub fn document(&self, doc_id: i64) -> Result<Option<(DocumentRecord, Text)>> {
        Ok(load_texts(&self.conn, &[doc_id])
            .map_err(self.sql())?
            .pop()
            .map(|(_, (rec, text))| (rec, text)))
    }

    /// The stored verified pairs, `(a, b, shared, scores)` ordered by `(a, b)`.
    pub fn pairs(&self) -> Result<Vec<StoredPair>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a, b, shared, a_in_b, b_in_a, distinctive, boilerplate, passages FROM pairs ORDER BY a, b",
            )
            .map_err(self.sql())?;
        stmt.query_map([], |r| {
            let passages: String = r.get(7)?;
            Ok(StoredPair {
                a: r.get(0)?,
                b: r.get(1)?,
                shared: r.get::<_, i64>(2)? as usize,
                scores: Scores {
                    a_in_b: r.get(3)?,
                    b_in_a: r.get(4)?,
                    distinctive: r.get(5)?,
                    boilerplate: r.get(6)?,
                },
                passages: serde_json::from_str(&passages).unwrap_or(serde_json::Value::Null),
            })
        })
        .map_err(self.sql())?
        .collect::<rusqlite::Result<_>>()
        .map_err(self.sql())
    }

    /// Candidate pairs over the whole index (the in-process twin of `sql/candidates.sql`).
    pub fn candidates(&self, params: &CandidateParams) -> Result<Vec<Candidate>> {
        candidates::all_candidates(&self.conn, params).map_err(self.sql())
    }
}

/// A verified pair as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredPair {
    /// The smaller document id.
    pub a: i64,
    /// The larger document id.
    pub b: i64,
    /// Shared fingerprints when it was found.
    pub shared: usize,
    /// Reuse scores.
    pub scores: Scores,
    /// Passages (JSON as stored; spans in chars of each file's text).
    pub passages: serde_json::Value,
}

/// Passages and scores of one verified pair (spans relative to each document).
pub struct ReuseOutcome {
    /// Pair scores.
    pub scores: Scores,
    /// Passages.
    pub passages: Vec<Passage>,
}

/// Verifies one pair of document texts with the reuse engine.
pub fn verify_texts(a: &Text, b: &Text, params: &ReuseParams) -> ReuseOutcome {
    let r = reuse::compare_texts(a, b, None, params);
    // Distinctive and boilerplate passages alike, in A's order: the index stores every passage
    // with its class.
    let mut passages: Vec<Passage> = r
        .passages
        .into_iter()
        .chain(r.boilerplate_passages)
        .map(|l| l.passage)
        .collect();
    passages.sort_by_key(|p| (p.a.start, p.b.start));
    ReuseOutcome {
        scores: r.scores,
        passages,
    }
}

const DOC_SELECT: &str =
    "SELECT d.doc_id, f.path, d.idx, d.title, d.date, d.speaker, d.span_start, d.span_end, d.chars
     FROM documents d JOIN files f ON f.file_id = d.file_id";

fn doc_record(r: &rusqlite::Row) -> rusqlite::Result<DocumentRecord> {
    Ok(DocumentRecord {
        id: r.get(0)?,
        path: r.get(1)?,
        index: r.get::<_, i64>(2)? as usize,
        title: r.get(3)?,
        date: r.get(4)?,
        speaker: r.get(5)?,
        span: Span::new(r.get::<_, i64>(6)? as usize, r.get::<_, i64>(7)? as usize),
        chars: r.get::<_, i64>(8)? as usize,
    })
}

/// Decompressed texts of documents, each as its own [`Text`]; a file's text is decompressed once.
fn load_texts(
    conn: &Connection,
    doc_ids: &[i64],
) -> rusqlite::Result<Vec<(i64, (DocumentRecord, Text))>> {
    let mut stmt = conn.prepare(&format!("{DOC_SELECT} WHERE d.doc_id = ?1"))?;
    let mut file_stmt = conn.prepare(
        "SELECT f.text, f.encoding FROM files f JOIN documents d ON d.file_id = f.file_id WHERE d.doc_id = ?1",
    )?;
    let mut cache: HashMap<String, Text> = HashMap::new();
    let mut out = Vec::with_capacity(doc_ids.len());
    for &id in doc_ids {
        let Some(rec) = stmt.query_row([id], doc_record).optional()? else {
            continue;
        };
        if !cache.contains_key(&rec.path) {
            let (blob, enc): (Vec<u8>, String) =
                file_stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let text = decompress(&blob).ok_or_else(|| {
                rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                    Some(format!("stored text of {} does not decompress", rec.path)),
                )
            })?;
            let encoding = Encoding::from_name(&enc).unwrap_or(Encoding::Utf8);
            cache.insert(
                rec.path.clone(),
                Text::from_string(&rec.path, text, encoding),
            );
        }
        let file = &cache[&rec.path];
        let doc = document_text(file, rec.span);
        out.push((id, (rec, doc)));
    }
    Ok(out)
}

fn decompress(blob: &[u8]) -> Option<String> {
    let bytes = zstd::stream::decode_all(blob).ok()?;
    String::from_utf8(bytes).ok()
}

/// Span start of each document of the verified pairs (to shift passages to file coordinates).
fn doc_offsets(
    conn: &Connection,
    pairs: &[(Candidate, ReuseOutcome)],
) -> rusqlite::Result<HashMap<i64, usize>> {
    let mut stmt = conn.prepare("SELECT span_start FROM documents WHERE doc_id = ?1")?;
    let mut out = HashMap::new();
    for (c, _) in pairs {
        for id in [c.a, c.b] {
            if let std::collections::hash_map::Entry::Vacant(e) = out.entry(id) {
                let s: i64 = stmt.query_row([id], |r| r.get(0))?;
                e.insert(s as usize);
            }
        }
    }
    Ok(out)
}

/// Deletes a file's rows; returns the number of its documents, or `None` when it is not indexed.
/// Postings are deleted by key, from the fingerprints recomputed from the stored text; when the
/// count does not match what was stored (the fingerprinting changed since), a full scan removes the rest.
fn delete_file(
    conn: &Connection,
    path: &str,
    shingle: ShingleParams,
) -> rusqlite::Result<Option<usize>> {
    let Some(file_id): Option<i64> = conn
        .query_row("SELECT file_id FROM files WHERE path = ?1", [path], |r| {
            r.get(0)
        })
        .optional()?
    else {
        return Ok(None);
    };
    let docs: Vec<(i64, i64)> = {
        let mut stmt =
            conn.prepare("SELECT doc_id, fingerprints FROM documents WHERE file_id = ?1")?;
        stmt.query_map([file_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let ids: Vec<i64> = docs.iter().map(|d| d.0).collect();
    let texts = load_texts(conn, &ids)?;
    let mut del = conn.prepare("DELETE FROM shingles WHERE hash = ?1 AND doc_id = ?2")?;
    for ((id, stored), (_, (_, text))) in docs.iter().zip(&texts) {
        let fps = shingles::fingerprints(&shingles::canonical(text), shingle);
        let mut deleted = 0i64;
        for h in &fps {
            deleted += del.execute(params![h, id])? as i64;
        }
        if deleted != *stored {
            conn.execute("DELETE FROM shingles WHERE doc_id = ?1", [id])?;
        }
    }
    conn.execute("DELETE FROM files WHERE file_id = ?1", [file_id])?;
    Ok(Some(docs.len()))
}
