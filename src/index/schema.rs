//! Is this file a tifa index, of which version, and how is an older one brought up to date?
//!
//! Input: a path. Output: an open [`rusqlite::Connection`] on a database at [`SCHEMA_VERSION`], in WAL
//! mode with foreign keys on, or an [`Error`] naming the file: not an SQLite database, an SQLite
//! database of another program, an index written by a newer tifa, a corrupt file.
//!
//! How: an index is marked twice: `PRAGMA application_id` = [`APPLICATION_ID`] (`"tifa"` in ASCII) and
//! `PRAGMA user_version` = its schema version. A new file gets every migration; an older index gets the
//! missing ones, all in one transaction, so a crash during a migration leaves the old version intact.
//! Migration `i` (0-based) takes the schema from version `i` to `i + 1`; never edit a released one, add
//! a new one.

use std::path::Path;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Error, Result};

/// `PRAGMA application_id` of a tifa index: the ASCII bytes of `"tifa"`.
pub const APPLICATION_ID: i32 = 0x7469_6661;

/// The schema version this tifa writes and reads.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// The migrations, in order; migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: files, their documents and the documents' fingerprints.
    "CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE files (
        file_id      INTEGER PRIMARY KEY AUTOINCREMENT,
        path         TEXT NOT NULL UNIQUE,
        content_hash INTEGER NOT NULL,   -- xxh3-64 of the file's bytes, signed
        bytes        INTEGER NOT NULL,   -- size of the file
        encoding     TEXT NOT NULL,
        chars        INTEGER NOT NULL,   -- chars of the decoded text
        text_bytes   INTEGER NOT NULL,   -- UTF-8 bytes of the decoded text
        text         BLOB NOT NULL,      -- the decoded text, UTF-8, zstd-compressed
        added_at     INTEGER NOT NULL    -- Unix seconds
    );
    CREATE TABLE documents (
        doc_id        INTEGER PRIMARY KEY AUTOINCREMENT,
        file_id       INTEGER NOT NULL REFERENCES files(file_id) ON DELETE CASCADE,
        idx           INTEGER NOT NULL,  -- place in its file (0 for the first or only document)
        title         TEXT,
        date          TEXT,
        speaker       TEXT,
        span_start    INTEGER NOT NULL,  -- [start, end) in chars of the file's decoded text
        span_end      INTEGER NOT NULL,
        chars         INTEGER NOT NULL,
        content_chars INTEGER NOT NULL,  -- chars of the canonical sequence
        content_hash  INTEGER NOT NULL,  -- xxh3-64 of the canonical sequence, signed
        fingerprints  INTEGER NOT NULL,  -- rows this document has in shingles
        UNIQUE (file_id, idx)
    );
    CREATE INDEX documents_content ON documents(content_hash);
    CREATE TABLE shingles (
        hash   INTEGER NOT NULL,         -- winnowed shingle fingerprint (xxh3-64, signed)
        doc_id INTEGER NOT NULL,
        PRIMARY KEY (hash, doc_id)
    ) WITHOUT ROWID;",
    // 2: what corpus mode computes: formulas with occurrences, verified pairs.
    "CREATE TABLE formulas (
        formula_id INTEGER PRIMARY KEY AUTOINCREMENT,
        text       TEXT NOT NULL UNIQUE,
        hash       INTEGER NOT NULL,     -- xxh3-64 of the text, signed
        df         INTEGER NOT NULL,
        class      TEXT NOT NULL,        -- boilerplate | lineage
        family     TEXT
    );
    CREATE TABLE formula_occurrences (
        formula_id INTEGER NOT NULL REFERENCES formulas(formula_id) ON DELETE CASCADE,
        doc_id     INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        span_start INTEGER NOT NULL,
        span_end   INTEGER NOT NULL
    );
    CREATE INDEX formula_occurrences_formula ON formula_occurrences(formula_id);
    CREATE INDEX formula_occurrences_doc ON formula_occurrences(doc_id);
    CREATE TABLE pairs (
        a           INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        b           INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        shared      INTEGER NOT NULL,    -- shared fingerprints that made it a candidate
        a_in_b      REAL NOT NULL,
        b_in_a      REAL NOT NULL,
        distinctive REAL NOT NULL,
        boilerplate REAL NOT NULL,
        passages    TEXT NOT NULL,       -- JSON array of passages, spans in chars of each file's text
        PRIMARY KEY (a, b),
        CHECK (a < b)
    );
    CREATE INDEX pairs_b ON pairs(b);",
];

fn invalid(path: &Path, message: impl Into<String>) -> Error {
    Error::Invalid {
        path: path.into(),
        message: message.into(),
    }
}

/// Turns an SQLite error on `path` into tifa's one-line error.
pub fn sql_error(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => invalid(path, "not a tifa index (not an SQLite database)"),
        Some(ErrorCode::DatabaseCorrupt) => invalid(
            path,
            "corrupt index (database disk image is malformed); rebuild it with `tifa index add`",
        ),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => invalid(
            path,
            "index is locked by another tifa writing to it; try again when it has finished",
        ),
        Some(ErrorCode::ReadOnly) => invalid(path, "index is read-only"),
        Some(ErrorCode::DiskFull) => invalid(path, "disk full while writing the index"),
        _ => invalid(path, format!("index error: {e}")),
    }
}

/// How to open an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Create the file if it does not exist; migrate an older index.
    Write,
    /// The file must exist and be an index at the current version (older ones are migrated).
    Read,
}

/// Opens (and if needed creates or migrates) the index at `path`.
pub fn open(path: &Path, mode: Mode) -> Result<Connection> {
    let sql = |e| sql_error(path, e);
    let exists = path.exists();
    if !exists && mode == Mode::Read {
        return Err(invalid(
            path,
            "no such index (create it with `tifa index add FILES --db FILE`)",
        ));
    }
    if path.is_dir() {
        return Err(Error::IsDirectory { path: path.into() });
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
    // A reader waits for a writer's commit instead of failing at once.
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(sql)?;
    // Reading the header is the first access: a non-database file fails here.
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(sql)?;
    let version: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    let tables: i64 = conn
        .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(sql)?;
    let fresh = app == 0 && version == 0 && tables == 0;
    if !fresh && app != APPLICATION_ID {
        return Err(invalid(
            path,
            "not a tifa index (an SQLite database of another program)",
        ));
    }
    if version > SCHEMA_VERSION {
        return Err(invalid(
            path,
            format!(
                "index written by a newer tifa (schema version {version}; this tifa reads up to {SCHEMA_VERSION}); upgrade tifa"
            ),
        ));
    }
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(sql)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(sql)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(sql)?;
    // A 64 MB page cache (SQLite's default is 2 MB): the postings of a 10,000-document index are
    // about 150 MB, and an add or a query walks them in key order.
    conn.pragma_update(None, "cache_size", -65_536)
        .map_err(sql)?;
    if version < SCHEMA_VERSION {
        migrate(&conn, version).map_err(sql)?;
    }
    Ok(conn)
}

/// Applies the migrations after `from` in one transaction.
fn migrate(conn: &Connection, from: i32) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let run = || -> rusqlite::Result<()> {
        // Another writer may have migrated while this one waited for the lock.
        let now: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, step) in MIGRATIONS.iter().enumerate().skip(now.max(from) as usize) {
            conn.execute_batch(step)?;
            conn.pragma_update(None, "user_version", i as i32 + 1)?;
        }
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        Ok(())
    };
    match run() {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Builds an index at an older schema version (tests of the migrations).
#[doc(hidden)]
pub fn create_at_version(path: &Path, version: i32) -> Result<()> {
    let sql = |e| sql_error(path, e);
    let conn = Connection::open(path).map_err(sql)?;
    for (i, step) in MIGRATIONS.iter().enumerate().take(version as usize) {
        conn.execute_batch(step).map_err(sql)?;
        conn.pragma_update(None, "user_version", i as i32 + 1)
            .map_err(sql)?;
    }
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(sql)?;
    Ok(())
}
