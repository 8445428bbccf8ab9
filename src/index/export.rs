//! How does the index leave tifa for a distributed engine? As tables in Parquet (or CSV) files.
//!
//! Input: an open [`Index`], an output folder, [`CandidateParams`]. Output, one file per table
//! (`NAME.parquet` or `NAME.csv`), each written to a temporary file and renamed, so a failed export
//! leaves no partial table:
//!
//! | table | columns |
//! |---|---|
//! | `documents` | `doc_id`, `path`, `idx`, `title`, `date`, `speaker`, `span_start`, `span_end`, `chars`, `content_chars`, `content_hash` |
//! | `shingles` | `doc_id`, `hash` (winnowed shingle fingerprint: xxh3-64 as a signed 64-bit integer) |
//! | `formulas` | `formula_id`, `text`, `hash`, `df`, `class`, `family` |
//! | `formula_occurrences` | `formula_id`, `doc_id`, `span_start`, `span_end` |
//! | `pairs` | `a`, `b`, `shared`, `a_in_b`, `b_in_a`, `distinctive`, `boilerplate` (verified pairs) |
//! | `params` | `max_bucket`, `min_shared`, `shingle_len`, `window`, `rarity_scale` (one row, read by `sql/candidates.sql`) |
//!
//! Integers are 64-bit signed (`INT64` / `BIGINT` / Spark `LongType`), scores `DOUBLE`, text UTF-8.
//! Rows are streamed from SQLite in batches (one Parquet row group per batch), never the whole table in memory.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CandidateParams, Index};
use crate::error::{Error, Result};

/// Output file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// Apache Parquet (needs the `parquet` cargo feature).
    Parquet,
    /// CSV with a header line (RFC 4180 quoting; NULL is an empty field).
    Csv,
}

impl ExportFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Parquet => "parquet",
            ExportFormat::Csv => "csv",
        }
    }
}

/// Column types of the exported tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Signed 64-bit integer, never NULL.
    Int64,
    /// 64-bit float, never NULL.
    Double,
    /// UTF-8 string, may be NULL.
    Text,
}

/// One value of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An integer.
    Int(i64),
    /// A float.
    Real(f64),
    /// A string or NULL.
    Text(Option<String>),
}

/// An exported table: its name, columns and the SQLite query producing its rows.
pub struct TableSpec {
    /// File stem.
    pub name: &'static str,
    /// Column names and types.
    pub columns: &'static [(&'static str, ColumnType)],
    /// The query (its columns in this order).
    pub query: &'static str,
}

use ColumnType::{Double, Int64, Text};

/// The tables `export` writes (besides `params`).
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "documents",
        columns: &[
            ("doc_id", Int64),
            ("path", Text),
            ("idx", Int64),
            ("title", Text),
            ("date", Text),
            ("speaker", Text),
            ("span_start", Int64),
            ("span_end", Int64),
            ("chars", Int64),
            ("content_chars", Int64),
            ("content_hash", Int64),
        ],
        query: "SELECT d.doc_id, f.path, d.idx, d.title, d.date, d.speaker, d.span_start, d.span_end, d.chars,
                d.content_chars, d.content_hash FROM documents d JOIN files f ON f.file_id = d.file_id ORDER BY d.doc_id",
    },
    TableSpec {
        name: "shingles",
        columns: &[("doc_id", Int64), ("hash", Int64)],
        query: "SELECT doc_id, hash FROM shingles ORDER BY hash, doc_id",
    },
    TableSpec {
        name: "formulas",
        columns: &[
            ("formula_id", Int64),
            ("text", Text),
            ("hash", Int64),
            ("df", Int64),
            ("class", Text),
            ("family", Text),
        ],
        query: "SELECT formula_id, text, hash, df, class, family FROM formulas ORDER BY formula_id",
    },
    TableSpec {
        name: "formula_occurrences",
        columns: &[
            ("formula_id", Int64),
            ("doc_id", Int64),
            ("span_start", Int64),
            ("span_end", Int64),
        ],
        query: "SELECT formula_id, doc_id, span_start, span_end FROM formula_occurrences
                ORDER BY formula_id, doc_id, span_start",
    },
    TableSpec {
        name: "pairs",
        columns: &[
            ("a", Int64),
            ("b", Int64),
            ("shared", Int64),
            ("a_in_b", Double),
            ("b_in_a", Double),
            ("distinctive", Double),
            ("boilerplate", Double),
        ],
        query: "SELECT a, b, shared, a_in_b, b_in_a, distinctive, boilerplate FROM pairs ORDER BY a, b",
    },
];

/// The one-row parameter table read by `sql/candidates.sql`.
pub const PARAMS_COLUMNS: &[(&str, ColumnType)] = &[
    ("max_bucket", Int64),
    ("min_shared", Int64),
    ("shingle_len", Int64),
    ("window", Int64),
    ("rarity_scale", Int64),
];

/// Rows per batch (and Parquet row group).
const BATCH: usize = 1 << 20;

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ExportReport {
    /// `(file, rows)` per table.
    pub tables: Vec<(PathBuf, usize)>,
}

/// A writer of one table file.
trait TableWriter {
    fn write_batch(&mut self, rows: &[Vec<Value>]) -> Result<()>;
    fn finish(self: Box<Self>) -> Result<()>;
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.into(),
        source,
    }
}

/// Writes every table of the index into `dir` (created if needed).
pub fn export(
    index: &Index,
    dir: &Path,
    format: ExportFormat,
    params: &CandidateParams,
) -> Result<ExportReport> {
    if format == ExportFormat::Parquet && !cfg!(feature = "parquet") {
        return Err(Error::Invalid {
            path: dir.into(),
            message: "this tifa was built without Parquet support; rebuild with `cargo build --features parquet` or use --csv".into(),
        });
    }
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let mut report = ExportReport { tables: Vec::new() };
    // Read everything in one transaction: an `add` committing meanwhile does not tear the export.
    index.conn.execute_batch("BEGIN").map_err(index.sql())?;
    let result = (|| -> Result<()> {
        for t in TABLES {
            let path = dir.join(format!("{}.{}", t.name, format.extension()));
            let rows = write_table(index, t, &path, format)?;
            report.tables.push((path, rows));
        }
        let path = dir.join(format!("params.{}", format.extension()));
        let row = vec![
            Value::Int(params.max_bucket as i64),
            Value::Int(params.min_shared as i64),
            Value::Int(index.shingle.shingle_len as i64),
            Value::Int(index.shingle.window as i64),
            Value::Int(super::candidates::RARITY_SCALE as i64),
        ];
        let (mut w, tmp) = open_writer(&path, "params", PARAMS_COLUMNS, format)?;
        w.write_batch(&[row])?;
        w.finish()?;
        persist(tmp, &path)?;
        report.tables.push((path, 1));
        Ok(())
    })();
    let _ = index.conn.execute_batch("COMMIT");
    result.map(|()| report)
}

fn persist(tmp: tempfile::TempPath, path: &Path) -> Result<()> {
    tmp.persist(path).map_err(|e| Error::Io {
        path: path.into(),
        source: e.error,
    })
}

fn write_table(index: &Index, t: &TableSpec, path: &Path, format: ExportFormat) -> Result<usize> {
    let (mut w, tmp) = open_writer(path, t.name, t.columns, format)?;
    let mut stmt = index.conn.prepare(t.query).map_err(index.sql())?;
    let mut rows = stmt.query([]).map_err(index.sql())?;
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(BATCH.min(1 << 16));
    let mut total = 0;
    while let Some(r) = rows.next().map_err(index.sql())? {
        let mut row = Vec::with_capacity(t.columns.len());
        for (i, (_, ty)) in t.columns.iter().enumerate() {
            let v = match ty {
                Int64 => Value::Int(r.get(i).map_err(index.sql())?),
                Double => Value::Real(r.get(i).map_err(index.sql())?),
                Text => Value::Text(r.get(i).map_err(index.sql())?),
            };
            row.push(v);
        }
        batch.push(row);
        if batch.len() == BATCH {
            w.write_batch(&batch)?;
            total += batch.len();
            batch.clear();
        }
    }
    if !batch.is_empty() || total == 0 {
        w.write_batch(&batch)?;
        total += batch.len();
    }
    w.finish()?;
    persist(tmp, path)?;
    Ok(total)
}

fn open_writer(
    path: &Path,
    name: &str,
    columns: &'static [(&'static str, ColumnType)],
    format: ExportFormat,
) -> Result<(Box<dyn TableWriter>, tempfile::TempPath)> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(io_err(path))?;
    let (file, tmp_path) = tmp.into_parts();
    let w: Box<dyn TableWriter> = match format {
        ExportFormat::Csv => Box::new(CsvWriter::new(file, path, columns)?),
        ExportFormat::Parquet => parquet_writer(file, path, name, columns)?,
    };
    Ok((w, tmp_path))
}

struct CsvWriter {
    out: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
}

impl CsvWriter {
    fn new(file: std::fs::File, path: &Path, columns: &[(&str, ColumnType)]) -> Result<CsvWriter> {
        let mut out = std::io::BufWriter::new(file);
        let header: Vec<&str> = columns.iter().map(|c| c.0).collect();
        writeln!(out, "{}", header.join(",")).map_err(io_err(path))?;
        Ok(CsvWriter {
            out,
            path: path.into(),
        })
    }
}

/// A CSV field: quoted when it holds a comma, quote or line break.
fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

impl TableWriter for CsvWriter {
    fn write_batch(&mut self, rows: &[Vec<Value>]) -> Result<()> {
        let mut line = String::new();
        for row in rows {
            line.clear();
            for (i, v) in row.iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                match v {
                    Value::Int(x) => line.push_str(&x.to_string()),
                    Value::Real(x) => line.push_str(&x.to_string()),
                    Value::Text(Some(s)) => line.push_str(&csv_field(s)),
                    Value::Text(None) => {}
                }
            }
            line.push('\n');
            self.out
                .write_all(line.as_bytes())
                .map_err(io_err(&self.path))?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.out.flush().map_err(io_err(&self.path))?;
        self.out.get_ref().sync_all().map_err(io_err(&self.path))
    }
}

#[cfg(not(feature = "parquet"))]
fn parquet_writer(
    _file: std::fs::File,
    path: &Path,
    _name: &str,
    _columns: &'static [(&'static str, ColumnType)],
) -> Result<Box<dyn TableWriter>> {
    Err(Error::Invalid {
        path: path.into(),
        message: "this tifa was built without Parquet support (cargo feature `parquet`)".into(),
    })
}

#[cfg(feature = "parquet")]
fn parquet_writer(
    file: std::fs::File,
    path: &Path,
    name: &str,
    columns: &'static [(&'static str, ColumnType)],
) -> Result<Box<dyn TableWriter>> {
    Ok(Box::new(parquet_io::ParquetWriter::new(
        file, path, name, columns,
    )?))
}

#[cfg(feature = "parquet")]
pub(crate) mod parquet_io {
    //! Parquet through the `parquet` crate's column writers (no Arrow dependency).

    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use parquet::basic::Compression;
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    use super::{ColumnType, TableWriter, Value};
    use crate::error::{Error, Result};

    pub fn err(path: &Path, e: impl std::fmt::Display) -> Error {
        Error::Invalid {
            path: path.into(),
            message: format!("Parquet: {e}"),
        }
    }

    pub struct ParquetWriter {
        writer: SerializedFileWriter<std::fs::File>,
        columns: &'static [(&'static str, ColumnType)],
        path: PathBuf,
    }

    impl ParquetWriter {
        pub fn new(
            file: std::fs::File,
            path: &Path,
            name: &str,
            columns: &'static [(&'static str, ColumnType)],
        ) -> Result<ParquetWriter> {
            let fields: Vec<String> = columns
                .iter()
                .map(|(c, t)| match t {
                    ColumnType::Int64 => format!("REQUIRED INT64 {c};"),
                    ColumnType::Double => format!("REQUIRED DOUBLE {c};"),
                    ColumnType::Text => format!("OPTIONAL BYTE_ARRAY {c} (UTF8);"),
                })
                .collect();
            let message = format!("message {name} {{ {} }}", fields.join(" "));
            let schema = Arc::new(parse_message_type(&message).map_err(|e| err(path, e))?);
            let props = Arc::new(
                WriterProperties::builder()
                    .set_compression(Compression::SNAPPY)
                    .build(),
            );
            let writer =
                SerializedFileWriter::new(file, schema, props).map_err(|e| err(path, e))?;
            Ok(ParquetWriter {
                writer,
                columns,
                path: path.into(),
            })
        }
    }

    impl TableWriter for ParquetWriter {
        fn write_batch(&mut self, rows: &[Vec<Value>]) -> Result<()> {
            let path = self.path.clone();
            let e = |x: parquet::errors::ParquetError| err(&path, x);
            let mut rg = self.writer.next_row_group().map_err(e)?;
            let mut i = 0;
            while let Some(mut col) = rg.next_column().map_err(e)? {
                match self.columns[i].1 {
                    ColumnType::Int64 => {
                        let v: Vec<i64> = rows
                            .iter()
                            .map(|r| match r[i] {
                                Value::Int(x) => x,
                                _ => 0,
                            })
                            .collect();
                        col.typed::<Int64Type>()
                            .write_batch(&v, None, None)
                            .map_err(e)?;
                    }
                    ColumnType::Double => {
                        let v: Vec<f64> = rows
                            .iter()
                            .map(|r| match r[i] {
                                Value::Real(x) => x,
                                _ => 0.0,
                            })
                            .collect();
                        col.typed::<DoubleType>()
                            .write_batch(&v, None, None)
                            .map_err(e)?;
                    }
                    ColumnType::Text => {
                        let mut vals = Vec::new();
                        let mut defs = Vec::with_capacity(rows.len());
                        for r in rows {
                            match &r[i] {
                                Value::Text(Some(s)) => {
                                    vals.push(ByteArray::from(s.as_str()));
                                    defs.push(1);
                                }
                                _ => defs.push(0),
                            }
                        }
                        col.typed::<ByteArrayType>()
                            .write_batch(&vals, Some(&defs), None)
                            .map_err(e)?;
                    }
                }
                col.close().map_err(e)?;
                i += 1;
            }
            rg.close().map_err(e)?;
            Ok(())
        }

        fn finish(self: Box<Self>) -> Result<()> {
            let path = self.path.clone();
            let file = self.writer.into_inner().map_err(|x| err(&path, x))?;
            file.sync_all().map_err(|source| Error::Io { path, source })
        }
    }
}
