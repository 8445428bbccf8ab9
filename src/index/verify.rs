//! Which candidate pairs are real reuse? Verifies pairs computed elsewhere (`sql/candidates.sql` on
//! DuckDB or Spark) with the reuse engine, reading the documents from the index.
//!
//! Input: a pairs file — CSV with a header, or Parquet (cargo feature `parquet`) — whose columns `a` and
//! `b` are document ids of the index (other columns are ignored), and the [`Index`]. Output: one pair
//! record per pair with at least one passage, as JSON lines:
//! `{"a":{"id","path","index"},"b":{…},"scores":{…},"passages":[…]}` (spans in chars of each file's text).
//!
//! How: pairs are taken in chunks; each chunk's texts are decompressed once from the index and the
//! pairs verified in parallel, so a partition of millions of pairs streams in bounded memory. A
//! distributed job splits the candidate table into partitions and runs one `tifa verify` per partition.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::{DocumentRecord, Index, load_texts, shift, verify_texts};
use crate::error::{Error, Result};
use crate::reuse::{Passage, ReuseParams, Scores};

/// Pairs verified per chunk.
const CHUNK: usize = 4096;

/// A document as named in a pair record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairEnd {
    /// Document id in the index.
    pub id: i64,
    /// File path.
    pub path: String,
    /// Place in the file.
    pub index: usize,
}

/// A verified pair.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairRecord {
    /// The first document (as in the pairs file).
    pub a: PairEnd,
    /// The second document.
    pub b: PairEnd,
    /// Reuse scores.
    pub scores: Scores,
    /// Passages, spans in chars of each file's text.
    pub passages: Vec<Passage>,
}

/// What a verification run did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct VerifyReport {
    /// Pairs read.
    pub pairs: usize,
    /// Pairs with at least one passage (written).
    pub verified: usize,
    /// Pairs naming a document the index does not have (skipped).
    pub unknown: usize,
}

fn invalid(path: &Path, message: impl Into<String>) -> Error {
    Error::Invalid {
        path: path.into(),
        message: message.into(),
    }
}

/// Splits one CSV line into fields (RFC 4180 quotes; a quoted field does not span lines here, which
/// is enough for id columns).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    out.push(field);
    out
}

/// Reads the `(a, b)` columns of a CSV pairs file.
pub fn read_pairs_csv(path: &Path) -> Result<Vec<(i64, i64)>> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })?;
    let mut lines = std::io::BufReader::new(file).lines();
    let header = match lines.next() {
        Some(h) => h.map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?,
        None => {
            return Err(invalid(
                path,
                "empty pairs file (expected a header with a,b)",
            ));
        }
    };
    let names: Vec<String> = csv_fields(header.trim_start_matches('\u{feff}'))
        .into_iter()
        .map(|s| s.trim().to_lowercase())
        .collect();
    let col = |n: &str| names.iter().position(|x| x == n);
    let (Some(ia), Some(ib)) = (col("a"), col("b")) else {
        return Err(invalid(path, "pairs file has no columns named a and b"));
    };
    let mut out = Vec::new();
    for (i, line) in lines.enumerate() {
        let line = line.map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let f = csv_fields(&line);
        let get = |j: usize| -> Result<i64> {
            f.get(j).and_then(|s| s.trim().parse().ok()).ok_or_else(|| {
                invalid(
                    path,
                    format!("line {}: column {} is not a document id", i + 2, names[j]),
                )
            })
        };
        out.push((get(ia)?, get(ib)?));
    }
    Ok(out)
}

/// Reads the `(a, b)` columns of a Parquet pairs file.
#[cfg(feature = "parquet")]
pub fn read_pairs_parquet(path: &Path) -> Result<Vec<(i64, i64)>> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let perr = |e: parquet::errors::ParquetError| invalid(path, format!("Parquet: {e}"));
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })?;
    let reader = SerializedFileReader::new(file).map_err(perr)?;
    let mut out = Vec::new();
    for row in reader.get_row_iter(None).map_err(perr)? {
        let row = row.map_err(perr)?;
        let (mut a, mut b) = (None, None);
        for (name, field) in row.get_column_iter() {
            let v = match field {
                Field::Long(x) => Some(*x),
                Field::Int(x) => Some(*x as i64),
                Field::Short(x) => Some(*x as i64),
                Field::ULong(x) => i64::try_from(*x).ok(),
                Field::UInt(x) => Some(*x as i64),
                _ => None,
            };
            match name.to_lowercase().as_str() {
                "a" => a = v,
                "b" => b = v,
                _ => {}
            }
        }
        match (a, b) {
            (Some(a), Some(b)) => out.push((a, b)),
            _ => return Err(invalid(path, "pairs file has no integer columns a and b")),
        }
    }
    Ok(out)
}

/// Reads a pairs file by its extension (`.csv`, `.parquet`).
pub fn read_pairs(path: &Path) -> Result<Vec<(i64, i64)>> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => read_pairs_csv(path),
        #[cfg(feature = "parquet")]
        "parquet" | "pq" => read_pairs_parquet(path),
        #[cfg(not(feature = "parquet"))]
        "parquet" | "pq" => Err(invalid(
            path,
            "this tifa was built without Parquet support (cargo feature `parquet`); give a CSV file",
        )),
        _ => Err(invalid(path, "pairs file must end in .csv or .parquet")),
    }
}

fn end(rec: &DocumentRecord) -> PairEnd {
    PairEnd {
        id: rec.id,
        path: rec.path.clone(),
        index: rec.index,
    }
}

/// Verifies `pairs` and writes one JSON line per verified pair to `out`.
pub fn verify_pairs(
    index: &Index,
    pairs: &[(i64, i64)],
    params: &ReuseParams,
    out: &mut dyn Write,
    on_chunk: &dyn Fn(usize),
) -> Result<VerifyReport> {
    let mut report = VerifyReport {
        pairs: pairs.len(),
        ..VerifyReport::default()
    };
    let out_err = |source| Error::Io {
        path: "<pairs output>".into(),
        source,
    };
    for chunk in pairs.chunks(CHUNK) {
        let mut ids: Vec<i64> = chunk.iter().flat_map(|&(a, b)| [a, b]).collect();
        ids.sort_unstable();
        ids.dedup();
        let docs: HashMap<i64, _> = load_texts(&index.conn, &ids)
            .map_err(index.sql())?
            .into_iter()
            .collect();
        let records: Vec<Option<PairRecord>> = chunk
            .par_iter()
            .map(|&(a, b)| {
                let ((ra, ta), (rb, tb)) = (docs.get(&a)?, docs.get(&b)?);
                let mut r = verify_texts(ta, tb, params);
                for p in &mut r.passages {
                    shift(p, ra.span.start, rb.span.start);
                }
                Some(PairRecord {
                    a: end(ra),
                    b: end(rb),
                    scores: r.scores,
                    passages: r.passages,
                })
            })
            .collect();
        for (rec, &(a, b)) in records.into_iter().zip(chunk) {
            match rec {
                None if !docs.contains_key(&a) || !docs.contains_key(&b) => report.unknown += 1,
                Some(rec) if !rec.passages.is_empty() => {
                    let line = serde_json::to_string(&rec).map_err(|e| Error::Invalid {
                        path: "<pairs output>".into(),
                        message: e.to_string(),
                    })?;
                    writeln!(out, "{line}").map_err(out_err)?;
                    report.verified += 1;
                }
                _ => {}
            }
        }
        on_chunk(chunk.len());
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::csv_fields;

    #[test]
    fn splits_quoted_csv() {
        assert_eq!(
            csv_fields("1,\"a,b\",\"say \"\"hi\"\"\""),
            vec!["1", "a,b", "say \"hi\""]
        );
        assert_eq!(csv_fields("3,4"), vec!["3", "4"]);
    }
}
