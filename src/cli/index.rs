//! `tifa index add|remove|stats|query|candidates|export` and `tifa verify`: the corpus index on disk.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use tifa::index::export::{self, ExportFormat};
use tifa::index::{AddOptions, CandidateParams, Index, QueryOptions, verify};
use tifa::reuse::ReuseParams;
use tifa::text::Encoding;

use super::{EXIT_INPUT, progress};

/// Output format of the index commands.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum IndexFormat {
    /// Human-readable.
    Text,
    /// JSON.
    Json,
}

#[derive(Args)]
#[command(
    after_help = "Examples:\n  tifa index add ../shared/corpus/local-reports/txt --db reports.db\n  tifa index add new_speech.txt --db reports.db          # unchanged files are skipped\n  tifa index query draft.txt --db reports.db --format json\n  tifa index stats --db reports.db\n  tifa index remove old.txt --db reports.db\n  tifa index export --parquet out/ --db reports.db      # then sql/candidates.sql on DuckDB or Spark\n\nAn index written by a newer tifa, or a file that is not a tifa index, is refused with exit code 2."
)]
pub struct IndexArgs {
    #[command(subcommand)]
    command: IndexCommand,
}

/// The index database, shared by every index subcommand.
#[derive(Args, Clone)]
struct DbArg {
    /// The index file (SQLite).
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
}

/// Candidate generation flags.
#[derive(Args, Clone)]
struct CandidateArgs {
    /// Fingerprints held by more documents than this are boilerplate and ignored.
    #[arg(long, value_name = "N", default_value_t = CandidateParams::default().max_bucket)]
    max_bucket: usize,
    /// Minimum shared fingerprints for a candidate pair.
    #[arg(long, value_name = "N", default_value_t = CandidateParams::default().min_shared)]
    min_shared: usize,
}

impl CandidateArgs {
    fn params(&self) -> tifa::Result<CandidateParams> {
        if self.max_bucket < 2 || self.min_shared == 0 {
            return Err(tifa::Error::Invalid {
                path: "--max-bucket/--min-shared".into(),
                message: "need --max-bucket at least 2 and --min-shared at least 1".into(),
            });
        }
        Ok(CandidateParams {
            max_bucket: self.max_bucket,
            min_shared: self.min_shared,
        })
    }
}

#[derive(Subcommand)]
enum IndexCommand {
    /// Add files and folders (recursively) to the index, or update changed files; one transaction.
    Add {
        /// Files and folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArg,
        /// Extensions taken from folders, comma-separated (default: txt,text, as `tifa corpus`); files
        /// named directly are always taken.
        #[arg(long, value_name = "LIST", value_delimiter = ',')]
        ext: Vec<String>,
        /// Force the input encoding (utf-8, gb18030, gbk, utf-16le, utf-16be, big5).
        #[arg(long, value_name = "NAME")]
        encoding: Option<String>,
        #[command(flatten)]
        candidates: CandidateArgs,
        /// Candidates checked with the reuse engine per new document (its best by shared
        /// fingerprints); `tifa index candidates` + `tifa verify` check them all.
        #[arg(long, value_name = "N", default_value_t = AddOptions::default().verify_per_document)]
        verify_per_doc: usize,
        /// Minimum passage length (content chars) of verified pairs.
        #[arg(long, value_name = "N", default_value_t = 20)]
        min_len: usize,
        /// Print the seconds spent in each phase on stderr.
        #[arg(long)]
        timings: bool,
        /// Testing aid: wait this many milliseconds before committing.
        #[arg(long, hide = true, value_name = "MS")]
        pause_before_commit: Option<u64>,
    },
    /// Remove files (and their documents, fingerprints and pairs) from the index.
    Remove {
        /// Paths as they were added.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Counts and sizes of the index.
    Stats {
        #[command(flatten)]
        db: DbArg,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value = "text")]
        format: IndexFormat,
    },
    /// Which indexed documents a new text draws from, with passages (the corpus files are not read).
    Query {
        /// The new text (`-` reads standard input).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// Documents shown at most.
        #[arg(long, value_name = "N", default_value_t = 10)]
        top: usize,
        #[command(flatten)]
        candidates: CandidateArgs,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value = "text")]
        format: IndexFormat,
        /// Write to FILE instead of standard output (atomically).
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Force the encoding of FILE.
        #[arg(long, value_name = "NAME")]
        encoding: Option<String>,
    },
    /// Candidate pairs of the whole index as CSV `a,b,shared,rarity` (the in-process twin of
    /// sql/candidates.sql).
    Candidates {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        candidates: CandidateArgs,
        /// Write to FILE instead of standard output (atomically).
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write the index's tables as Parquet (or CSV) files for DuckDB, Spark and other engines.
    Export {
        /// Write Parquet files into DIR (needs the `parquet` cargo feature).
        #[arg(
            long,
            value_name = "DIR",
            conflicts_with = "csv",
            required_unless_present = "csv"
        )]
        parquet: Option<PathBuf>,
        /// Write CSV files into DIR.
        #[arg(long, value_name = "DIR")]
        csv: Option<PathBuf>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        candidates: CandidateArgs,
    },
}

#[derive(Args)]
#[command(
    after_help = "Examples:\n  tifa verify --pairs candidates.csv --db reports.db -o pairs.jsonl\n  tifa verify --pairs part-00003.parquet --db reports.db -o pairs-00003.jsonl\n\nThe pairs file needs integer columns a and b (document ids of the index, as exported and as\nproduced by sql/candidates.sql); other columns are ignored."
)]
pub struct VerifyArgs {
    /// Candidate pairs: CSV with a header, or Parquet; columns `a` and `b` are document ids.
    #[arg(long, value_name = "FILE")]
    pairs: PathBuf,
    /// The index holding the documents.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Write the pair records (JSON lines) to FILE instead of standard output (atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Minimum passage length in content chars.
    #[arg(long, value_name = "N", default_value_t = 20)]
    min_len: usize,
}

fn encoding(name: &Option<String>) -> tifa::Result<Option<Encoding>> {
    name.as_deref().map(Encoding::from_name).transpose()
}

fn min_len(n: usize) -> tifa::Result<ReuseParams> {
    if n == 0 {
        return Err(tifa::Error::Invalid {
            path: "--min-len".into(),
            message: "must be at least 1".into(),
        });
    }
    Ok(ReuseParams {
        min_len: n,
        ..ReuseParams::default()
    })
}

/// Which indexed documents `file` draws from, rendered (`tifa index query`, and `tifa corpus --db
/// --query`): answered from the index alone, the corpus files are not read.
pub fn query_index(
    file: &Path,
    db: &Path,
    top: usize,
    candidates: CandidateParams,
    format: IndexFormat,
    encoding: Option<Encoding>,
) -> tifa::Result<String> {
    let text = tifa::Text::read(file, encoding)?;
    let index = Index::open_existing(db)?;
    let options = QueryOptions {
        top,
        verify: (top * 3).max(30),
        candidates,
        ..QueryOptions::default()
    };
    let hits = index.query(&text, &options)?;
    let out = match format {
        IndexFormat::Json => json(&serde_json::json!({
            "query": {"path": file.display().to_string(), "chars": text.len_chars()},
            "index": db.display().to_string(),
            "hits": hits,
        })),
        IndexFormat::Text => {
            let mut s = format!(
                "{} ({} chars) draws from {} indexed documents:\n",
                file.display(),
                text.len_chars(),
                hits.len()
            );
            for (i, h) in hits.iter().enumerate() {
                let d = &h.document;
                s.push_str(&format!(
                    "{:>3}. {} [document {}] {}{}{}\n     {:.0}% of the query found there, {:.0}% distinctive; {} shared fingerprints, {} passages\n",
                    i + 1,
                    d.path,
                    d.index + 1,
                    d.title.as_deref().unwrap_or("(untitled)"),
                    d.date.as_deref().map(|x| format!(" ({x})")).unwrap_or_default(),
                    if h.relation == tifa::document::Relation::Later {
                        " · later than the query: shares its text, cannot be its source"
                    } else {
                        ""
                    },
                    h.scores.b_in_a * 100.0,
                    h.scores.distinctive * 100.0,
                    h.shared,
                    h.passages.len()
                ));
                for p in h.passages.iter().take(3) {
                    s.push_str(&format!(
                        "       [{}–{}] ↔ [{}–{}] {} {} {:.2}: {}\n",
                        p.passage.a.start,
                        p.passage.a.end,
                        p.passage.b.start,
                        p.passage.b.end,
                        p.passage.kind.as_str(),
                        p.passage.class.as_str(),
                        p.passage.similarity,
                        excerpt(&p.b_text, 50)
                    ));
                }
            }
            s
        }
    };
    Ok(out)
}

fn json<T: serde::Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into());
    s.push('\n');
    s
}

/// Shortens a passage for the terminal.
fn excerpt(s: &str, max: usize) -> String {
    let flat: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if flat.chars().count() <= max {
        flat
    } else {
        let mut t: String = flat.chars().take(max).collect();
        t.push('…');
        t
    }
}

pub fn run(args: IndexArgs) -> tifa::Result<ExitCode> {
    match args.command {
        IndexCommand::Add {
            paths,
            db,
            ext,
            encoding: enc,
            candidates,
            verify_per_doc,
            min_len: ml,
            timings,
            pause_before_commit,
        } => {
            let options = AddOptions {
                encoding: encoding(&enc)?,
                extensions: ext
                    .into_iter()
                    .map(|e| e.trim_start_matches('.').to_string())
                    .collect(),
                candidates: candidates.params()?,
                verify_per_document: verify_per_doc,
                reuse: min_len(ml)?,
                pause_before_commit: pause_before_commit.map(std::time::Duration::from_millis),
            };
            for p in &paths {
                if !p.exists() {
                    return Err(tifa::Error::Io {
                        path: p.clone(),
                        source: std::io::Error::from(std::io::ErrorKind::NotFound),
                    });
                }
            }
            let mut index = Index::open(&db.db)?;
            let files = tifa::index::expand_paths(&paths, &options.extensions)?;
            let bar = progress(files.len() as u64, "indexing");
            let report = index.add(&paths, &options, || bar.inc(1))?;
            bar.finish_and_clear();
            for (path, err) in &report.failed {
                eprintln!(
                    "tifa: warning: skipped {path}: {}",
                    err.trim_start_matches(&format!("{path}: "))
                );
            }
            println!(
                "{}: {} files indexed ({} replaced), {} unchanged, {} skipped; {} documents; {} candidate pairs, {} checked, {} verified",
                db.db.display(),
                report.added_files,
                report.replaced_files,
                report.unchanged_files,
                report.failed.len(),
                report.documents,
                report.candidates,
                report.checked,
                report.pairs
            );
            if timings {
                let t = &report.timings;
                eprintln!(
                    "tifa: prepare {:.2} s, write {:.2} s, candidates {:.2} s, verify {:.2} s, commit {:.2} s",
                    t.prepare_s, t.write_s, t.candidates_s, t.verify_s, t.commit_s
                );
            }
            if report.added_files + report.unchanged_files == 0 && !report.failed.is_empty() {
                return Ok(ExitCode::from(EXIT_INPUT));
            }
            Ok(ExitCode::SUCCESS)
        }
        IndexCommand::Remove { paths, db } => {
            let mut index = Index::open_existing(&db.db)?;
            let report = index.remove(&paths)?;
            for m in &report.missing {
                eprintln!("tifa: warning: {m}: not in the index");
            }
            println!(
                "{}: {} files removed ({} documents)",
                db.db.display(),
                report.files,
                report.documents
            );
            Ok(ExitCode::SUCCESS)
        }
        IndexCommand::Stats { db, format } => {
            let index = Index::open_existing(&db.db)?;
            let s = index.stats()?;
            let out = match format {
                IndexFormat::Json => json(&s),
                IndexFormat::Text => {
                    let mb = |b: i64| b as f64 / 1_048_576.0;
                    format!(
                        "{}: tifa index, schema version {}\n  files {}  documents {}  formulas {} ({} occurrences)  pairs {}\n  fingerprints {} (shingles of {} chars, winnowing window {})\n  text {} chars, {:.1} MB UTF-8 stored as {:.1} MB (zstd)\n  file {:.1} MB\n",
                        s.path,
                        s.schema_version,
                        s.files,
                        s.documents,
                        s.formulas,
                        s.formula_occurrences,
                        s.pairs,
                        s.shingles,
                        s.shingle_len,
                        s.window,
                        s.chars,
                        mb(s.text_bytes),
                        mb(s.text_stored_bytes),
                        mb(s.file_bytes)
                    )
                }
            };
            tifa::report::write_output(None, &out)?;
            Ok(ExitCode::SUCCESS)
        }
        IndexCommand::Query {
            file,
            db,
            top,
            candidates,
            format,
            output,
            encoding: enc,
        } => {
            let params = candidates.params()?;
            let out = query_index(&file, &db.db, top, params, format, encoding(&enc)?)?;
            tifa::report::write_output(output.as_deref(), &out)?;
            Ok(ExitCode::SUCCESS)
        }
        IndexCommand::Candidates {
            db,
            candidates,
            output,
        } => {
            let index = Index::open_existing(&db.db)?;
            let cands = index.candidates(&candidates.params()?)?;
            let mut s = String::from("a,b,shared,rarity\n");
            for c in &cands {
                s.push_str(&format!("{},{},{},{}\n", c.a, c.b, c.shared, c.rarity));
            }
            tifa::report::write_output(output.as_deref(), &s)?;
            Ok(ExitCode::SUCCESS)
        }
        IndexCommand::Export {
            parquet,
            csv,
            db,
            candidates,
        } => {
            let (dir, format) = match (parquet, csv) {
                (Some(d), _) => (d, ExportFormat::Parquet),
                (None, Some(d)) => (d, ExportFormat::Csv),
                (None, None) => unreachable!("clap requires --parquet or --csv"),
            };
            let index = Index::open_existing(&db.db)?;
            let report = export::export(&index, &dir, format, &candidates.params()?)?;
            for (path, rows) in &report.tables {
                println!("{}: {rows} rows", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn run_verify(args: VerifyArgs) -> tifa::Result<ExitCode> {
    let params = min_len(args.min_len)?;
    let pairs = verify::read_pairs(&args.pairs)?;
    let index = Index::open_existing(&args.db)?;
    let bar = progress(pairs.len() as u64, "verifying");
    let tick = |n: usize| bar.inc(n as u64);
    let report = match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => std::path::Path::new("."),
            };
            let io = |source| tifa::Error::Io {
                path: path.clone(),
                source,
            };
            let tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
            let mut w = std::io::BufWriter::new(tmp);
            let report = verify::verify_pairs(&index, &pairs, &params, &mut w, &tick)?;
            let tmp = w.into_inner().map_err(|e| io(e.into_error()))?;
            tmp.persist(path).map_err(|e| io(e.error))?;
            report
        }
        _ => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            verify::verify_pairs(&index, &pairs, &params, &mut w, &tick)?
        }
    };
    bar.finish_and_clear();
    if report.unknown > 0 {
        eprintln!(
            "tifa: warning: {}: {} pairs name documents not in {}",
            args.pairs.display(),
            report.unknown,
            args.db.display()
        );
    }
    eprintln!(
        "tifa: {} pairs read, {} verified",
        report.pairs, report.verified
    );
    Ok(ExitCode::SUCCESS)
}
