//! `tifa corpus PATH...`: shared formulas, similar pairs and the formula graph of a folder of speeches.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use clap::Args;
use serde_json::json;
use tifa::Text;
use tifa::corpus::{self, Analysis, CorpusParams, FormulaClass, Progress};
use tifa::files::{self, FileFilter};
use tifa::report::{pad_to_width, truncate_to_width};
use tifa::reuse::ReuseParams;

use rayon::prelude::*;
use tifa::prepared::PreparedDoc;
use tifa::report::corpus::CorpusInput;
use tifa::report::page::Lang;
use tifa::report::pair::PairReport;

use super::index::{IndexFormat, query_index};
use super::report::LangArg;
use super::{EXIT_INPUT, progress};
use tifa::index::CandidateParams;

#[derive(Args)]
#[command(
    after_help = "Examples:\n  tifa corpus ../shared/corpus/local-reports/txt -o out/\n  tifa corpus reports/ --min-docs 3 --format json\n  tifa corpus --query draft.txt reports/\n  tifa corpus notes/ --ext txt,md -o out/\n\nWrites into OUTDIR: documents.jsonl, formulas.jsonl, pairs.jsonl, pairs.csv, formulas.csv,\ngraph.json, graph.dot, graph.graphml (atomically). Folders are read recursively: files with an\nextension in --ext (default txt,text), hidden and data files (json, csv, …) skipped. A file that\ncannot be read is listed on stderr and skipped; the exit code is then 2."
)]
pub struct CorpusArgs {
    /// Files and folders of the corpus.
    #[arg(value_name = "PATH", required_unless_present = "db")]
    paths: Vec<PathBuf>,
    /// Take the corpus from an index file (`tifa index add`) instead of PATHs: its stored texts, not the
    /// files. With --query, answer from the index alone (as `tifa index query`).
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    db: Option<PathBuf>,
    /// Write the exports into this folder (created if missing).
    #[arg(long, short = 'o', value_name = "OUTDIR")]
    output: Option<PathBuf>,
    /// Minimum number of documents sharing a formula.
    #[arg(long, value_name = "N", default_value_t = 2)]
    min_docs: usize,
    /// Minimum formula length in content chars (white space and punctuation not counted).
    #[arg(long, value_name = "N", default_value_t = 8)]
    min_len: usize,
    /// Minimum passage length of a reused passage, in content chars.
    #[arg(long, value_name = "N", default_value_t = 20)]
    min_passage: usize,
    /// Document frequency from which formulas and passages are boilerplate (default: 10).
    #[arg(long, value_name = "N")]
    boilerplate_df: Option<usize>,
    /// Rank the corpus documents this speech draws from.
    #[arg(long, value_name = "FILE")]
    query: Option<PathBuf>,
    /// Extensions read from folders (comma-separated, `*` for any non-data file).
    #[arg(long, value_name = "LIST", default_value = "txt,text")]
    ext: String,
    /// Summary format on standard output.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    format: SummaryFormat,
    /// Force the input encoding (utf-8, gb18030, gbk, utf-16le, utf-16be, big5).
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    /// Print each phase's wall time on stderr.
    #[arg(long)]
    timings: bool,
    /// Write the corpus report (a self-contained HTML page: summary, top pairs, formulas, heatmap,
    /// reuse graph) to FILE, and the pair reports of the top pairs beside it (FILE's name + `-pairs/`).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// How many of the top pairs get a pair report beside the corpus report.
    #[arg(long, value_name = "N", default_value_t = 20, requires = "report")]
    report_pairs: usize,
    /// Language of the report's labels.
    #[arg(long, value_enum, default_value = "zh")]
    lang: LangArg,
}

/// Summary formats.
#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
pub enum SummaryFormat {
    /// Terminal tables.
    Text,
    /// JSON.
    Json,
}

/// Progress bars on stderr (hidden when it is not a terminal), one per phase; with `--timings`, one
/// line per finished phase with its steps and wall time.
struct Bars {
    bar: Mutex<Option<(indicatif::ProgressBar, String, std::time::Instant)>>,
    timings: bool,
}

impl Bars {
    fn new(timings: bool) -> Self {
        Bars {
            bar: Mutex::new(None),
            timings,
        }
    }
}

impl Progress for Bars {
    fn start(&self, phase: &str, len: u64) {
        if let Ok(mut b) = self.bar.lock() {
            *b = Some((
                progress(len, phase),
                phase.to_string(),
                std::time::Instant::now(),
            ));
        }
    }
    fn inc(&self, n: u64) {
        if let Ok(b) = self.bar.lock()
            && let Some((b, _, _)) = b.as_ref()
        {
            b.inc(n);
        }
    }
    fn finish(&self) {
        if let Ok(mut b) = self.bar.lock()
            && let Some((b, phase, started)) = b.take()
        {
            b.finish_and_clear();
            if self.timings {
                eprintln!(
                    "tifa: {phase}: {} steps in {:.2} s",
                    b.position(),
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }
}

pub fn run(args: CorpusArgs) -> tifa::Result<ExitCode> {
    for (name, v) in [("--min-docs", args.min_docs), ("--min-len", args.min_len)] {
        if v < if name == "--min-docs" { 2 } else { 1 } {
            return Err(tifa::Error::Invalid {
                path: name.into(),
                message: format!("{v} is too small (--min-docs ≥ 2, --min-len ≥ 1)"),
            });
        }
    }
    let encoding = args
        .encoding
        .as_deref()
        .map(tifa::text::Encoding::from_name)
        .transpose()?;
    if let (Some(db), Some(q)) = (&args.db, &args.query) {
        let format = match args.format {
            SummaryFormat::Json => IndexFormat::Json,
            SummaryFormat::Text => IndexFormat::Text,
        };
        let out = query_index(q, db, 10, CandidateParams::default(), format, encoding)?;
        tifa::report::write_output(None, &out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let filter = FileFilter::parse(&args.ext)?;
    // Read the query first: a bad query file is a usage error before any long run.
    let query = args
        .query
        .as_ref()
        .map(|q| Text::read(q, encoding))
        .transpose()?;
    let selection = files::select(&args.paths, &filter);
    let bars = Bars::new(args.timings);
    let patterns = tifa::patterns::PatternSet::default_set();
    let ingested = match &args.db {
        Some(db) => {
            let texts = tifa::index::Index::open_existing(db)?.file_texts()?;
            corpus::ingest::ingest_texts(texts, Some(&patterns))
        }
        None => corpus::ingest::ingest_files(&selection.files, encoding, Some(&patterns), &bars),
    };
    let failed = selection.errors.len() + ingested.errors.len();
    for e in &selection.errors {
        eprintln!("tifa: {e}");
    }
    for e in &ingested.errors {
        eprintln!("tifa: {}", e.error);
    }
    if ingested.docs.is_empty() {
        return Err(tifa::Error::Invalid {
            path: args
                .db
                .clone()
                .or_else(|| args.paths.first().cloned())
                .unwrap_or_default(),
            message: "no readable text file (see --ext)".into(),
        });
    }
    let params = CorpusParams {
        formulas: corpus::FormulaParams {
            min_docs: args.min_docs,
            min_len: args.min_len,
            boilerplate_df: args.boilerplate_df,
            ..corpus::FormulaParams::default()
        },
        pairs: corpus::PairParams {
            reuse: ReuseParams {
                min_len: args.min_passage,
                ..ReuseParams::default()
            },
            ..corpus::PairParams::default()
        },
        ..CorpusParams::default()
    };
    let analysis = corpus::analyze(ingested, &params, &bars);
    if let Some(dir) = &args.output {
        bars.start("writing", 1);
        corpus::export::write_all(&analysis, dir)?;
        bars.finish();
    }
    if let Some(path) = &args.report {
        bars.start("report", args.report_pairs as u64);
        write_report(&analysis, path, args.report_pairs, args.lang.into(), &bars)?;
        bars.finish();
    }
    let out = match query {
        Some(q) => {
            let r =
                corpus::query::query(&analysis, q, params.pairs.min_shared, &params.pairs.reuse);
            match args.format {
                SummaryFormat::Json => format!("{:#}\n", query_json(&analysis, &r)),
                SummaryFormat::Text => query_text(&analysis, &r),
            }
        }
        None => match args.format {
            SummaryFormat::Json => format!("{:#}\n", summary_json(&analysis, &selection)),
            SummaryFormat::Text => summary_text(&analysis, &selection),
        },
    };
    tifa::report::write_output(None, &out)?;
    // Like grep: the good files were processed, but a failed file makes the exit code 2.
    if failed > 0 {
        return Ok(ExitCode::from(EXIT_INPUT));
    }
    Ok(ExitCode::SUCCESS)
}

/// The corpus report at `path`, and the pair reports of the `pairs` top pairs in the folder beside it
/// (`<name>-pairs/001.html`, …), linked from its pairs table.
fn write_report(
    a: &Analysis,
    path: &std::path::Path,
    pairs: usize,
    lang: Lang,
    progress: &dyn Progress,
) -> tifa::Result<()> {
    let stem = path
        .file_stem()
        .map_or_else(|| "corpus".into(), |s| s.to_string_lossy().into_owned());
    let folder = format!("{stem}-pairs");
    let dir = path
        .parent()
        .unwrap_or(std::path::Path::new(""))
        .join(&folder);
    let top: Vec<(usize, &corpus::Pair)> = a.pairs.iter().take(pairs).enumerate().collect();
    if !top.is_empty() {
        std::fs::create_dir_all(&dir).map_err(|source| tifa::Error::Io {
            path: dir.clone(),
            source,
        })?;
    }
    let params = tifa::compare::CompareParams::with_default_patterns();
    let prepared = |d: u32| {
        let r = &a.corpus.docs[d as usize];
        let file = std::sync::Arc::new(tifa::SpeechFile::from_text(a.corpus.text(d).clone()));
        PreparedDoc::nth(file, r.index)
    };
    let links: Vec<Option<String>> = top
        .par_iter()
        .map(|&(i, p)| {
            let (da, db) = (prepared(p.a)?, prepared(p.b)?);
            let pair = PairReport::build(&da, &db, &params);
            let name = format!("{:03}.html", i + 1);
            tifa::report::write_output(
                Some(&dir.join(&name)),
                &tifa::report::pair::html(&pair, &da, &db, lang),
            )?;
            progress.inc(1);
            Ok(Some(format!("{folder}/{name}")))
        })
        .collect::<tifa::Result<_>>()?;
    let caps = tifa::report::corpus::Caps::default();
    let input = CorpusInput::from_analysis(a, caps.formulas_per_class, &links);
    tifa::report::write_output(Some(path), &tifa::report::corpus::html(&input, &caps, lang))
}

fn doc_name(a: &Analysis, d: u32) -> String {
    let r = &a.corpus.docs[d as usize];
    let file = std::path::Path::new(&r.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| r.path.clone());
    if a.corpus.docs.iter().filter(|x| x.path == r.path).count() > 1 {
        format!("{file}#{}", r.index + 1)
    } else {
        file
    }
}

fn counts(a: &Analysis) -> (usize, usize, usize) {
    let exact = a
        .corpus
        .docs
        .iter()
        .filter(|d| d.duplicate == Some("exact"))
        .count();
    let near = a
        .corpus
        .docs
        .iter()
        .filter(|d| d.duplicate == Some("near"))
        .count();
    (a.corpus.distinct_count(), exact, near)
}

fn summary_json(a: &Analysis, sel: &files::Selection) -> serde_json::Value {
    let (distinct, exact, near) = counts(a);
    let top = |class: FormulaClass| -> Vec<serde_json::Value> {
        a.formulas
            .iter()
            .filter(|f| f.class == class)
            .take(20)
            .map(|f| json!({"id": f.id, "text": f.text, "df": f.df, "family": f.family}))
            .collect()
    };
    json!({
        "files": a.corpus.texts.len(),
        "failed": a.corpus.errors.iter().map(|e| e.error.to_string()).chain(sel.errors.iter().map(|e| e.to_string())).collect::<Vec<_>>(),
        "skipped": sel.skipped,
        "documents": a.corpus.docs.len(),
        "distinct_documents": distinct,
        "exact_duplicates": exact,
        "near_duplicates": near,
        "boilerplate_df": a.boilerplate_df,
        "formulas": a.formulas.len(),
        "lineage_formulas": a.formulas.iter().filter(|f| f.class == FormulaClass::Lineage).count(),
        "pairs": a.pairs.len(),
        "components": a.graph.components.len(),
        "communities": a.graph.communities.len(),
        "top_lineage": top(FormulaClass::Lineage),
        "top_boilerplate": top(FormulaClass::Boilerplate),
        "top_pairs": a.pairs.iter().take(20).map(|p| json!({
            "a": doc_name(a, p.a), "b": doc_name(a, p.b), "scores": p.scores,
        })).collect::<Vec<_>>(),
        "hubs": a.graph.hubs,
    })
}

fn summary_text(a: &Analysis, sel: &files::Selection) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let (distinct, exact, near) = counts(a);
    let failed = a.corpus.errors.len() + sel.errors.len();
    let skipped = sel
        .skipped
        .describe()
        .map(|d| format!(", {d}"))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "{} files read ({failed} failed{skipped}), {} documents, {distinct} distinct ({exact} exact and {near} near duplicates counted once)",
        a.corpus.texts.len(),
        a.corpus.docs.len(),
    );
    let lineage = a
        .formulas
        .iter()
        .filter(|f| f.class == FormulaClass::Lineage)
        .count();
    let _ = writeln!(
        s,
        "{} shared formulas ({lineage} lineage, {} boilerplate at df ≥ {}), {} similar pairs in {} connected groups, {} clusters\n",
        a.formulas.len(),
        a.formulas.len() - lineage,
        a.boilerplate_df,
        a.pairs.len(),
        a.graph.components.len(),
        a.graph.communities.len(),
    );
    for (class, title) in [
        (FormulaClass::Lineage, "Top lineage formulas"),
        (FormulaClass::Boilerplate, "Top boilerplate formulas"),
    ] {
        let _ = writeln!(s, "{title}");
        let _ = writeln!(
            s,
            "  {}  {:>5}  documents",
            pad_to_width("formula", 44),
            "df"
        );
        for f in a.formulas.iter().filter(|f| f.class == class).take(10) {
            let mut ds: Vec<u32> = f.occurrences.iter().map(|o| o.doc).collect();
            ds.dedup();
            let names: Vec<String> = ds.iter().take(3).map(|&d| doc_name(a, d)).collect();
            let more = if ds.len() > 3 { ", …" } else { "" };
            let _ = writeln!(
                s,
                "  {}  {:>5}  {}{more}",
                pad_to_width(&f.text, 44),
                f.df,
                truncate_to_width(&names.join(", "), 60)
            );
        }
        s.push('\n');
    }
    let _ = writeln!(s, "Top pairs (distinctive share of the larger side)");
    for p in a.pairs.iter().take(10) {
        let _ = writeln!(
            s,
            "  {:>5.1}%  {} ↔ {}  ({} passage{}, {} chars{})",
            p.scores.distinctive * 100.0,
            pad_to_width(&doc_name(a, p.a), 34),
            pad_to_width(&doc_name(a, p.b), 34),
            p.passages.len(),
            if p.passages.len() == 1 { "" } else { "s" },
            p.scores.distinctive_chars,
            if p.near_duplicate {
                ", near-duplicate"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(s, "\nClusters ({})", a.graph.community_method);
    for c in a.graph.communities.iter().take(10) {
        let names: Vec<String> = c.iter().take(4).map(|&d| doc_name(a, d)).collect();
        let more = if c.len() > 4 { ", …" } else { "" };
        let _ = writeln!(
            s,
            "  {:>4} documents  {}{more}",
            c.len(),
            truncate_to_width(&names.join(", "), 90)
        );
    }
    if !a.graph.hubs.is_empty() {
        let _ = writeln!(s, "\nHub formulas (communities they link)");
        for h in a.graph.hubs.iter().take(10) {
            let _ = writeln!(
                s,
                "  {}  {:>4}  df {}",
                pad_to_width(&h.text, 44),
                h.communities,
                h.df
            );
        }
    }
    s
}

fn query_json(a: &Analysis, r: &corpus::query::QueryResult) -> serde_json::Value {
    json!({
        "query": r.query.texts.first().map(|t| t.path().display().to_string()),
        "query_date": r.query.docs.first().and_then(|d| d.date.clone()),
        "matches": r.matches.iter().map(|m| {
            let d = &a.corpus.docs[m.doc as usize];
            json!({
                "path": d.path, "index": d.index, "title": d.title, "date": d.date,
                "relation": m.relation, "scores": m.scores,
                "passages": m.passages.iter().map(|p| json!({
                    "corpus_span": p.a, "query_span": p.b, "kind": p.kind, "class": p.class,
                    "similarity": p.similarity, "df": p.df,
                    "text": r.query.texts[0].slice(p.b),
                })).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
        "formulas": r.formulas.iter().map(|f| {
            let x = &a.formulas[f.formula as usize];
            json!({"id": x.id, "text": x.text, "query_text": r.query.texts[0].slice(f.span), "df": x.df, "class": x.class, "span": f.span})
        }).collect::<Vec<_>>(),
    })
}

fn query_text(a: &Analysis, r: &corpus::query::QueryResult) -> String {
    use std::fmt::Write;
    use tifa::document::Relation;
    let mut s = String::new();
    let q = &r.query.texts[0];
    let count = |rel: Relation| r.matches.iter().filter(|m| m.relation == rel).count();
    let (earlier, unknown, later) = (
        count(Relation::Earlier),
        count(Relation::Unknown),
        count(Relation::Later),
    );
    let date = r.query.docs.first().and_then(|d| d.date.as_deref());
    let _ = writeln!(
        s,
        "{} ({}) draws from {} corpus documents ({earlier} earlier, {unknown} undated or of the same date)",
        q.path().display(),
        date.unwrap_or("undated"),
        earlier + unknown,
    );
    if later > 0 {
        let _ = writeln!(
            s,
            "and shares text with {later} later documents, which cannot be its sources"
        );
    }
    // Up to 20 possible sources, then up to 5 later documents under their own heading.
    let (sources, later_docs): (Vec<_>, Vec<_>) = r
        .matches
        .iter()
        .partition(|m| m.relation != Relation::Later);
    let shown = [
        (&sources, 20, None),
        (&later_docs, 5, Some("Later documents sharing its text")),
    ];
    for (group, top, heading) in shown {
        if group.is_empty() {
            continue;
        }
        if let Some(h) = heading {
            let _ = writeln!(s, "\n{h}");
        }
        for m in group.iter().take(top) {
            let d = &a.corpus.docs[m.doc as usize];
            let _ = writeln!(
                s,
                "  {:>5.1}% of the query  {} ({})  ({} passages, {} distinctive chars)",
                m.scores.b_in_a * 100.0,
                doc_name(a, m.doc),
                d.date.as_deref().unwrap_or("undated"),
                m.passages.len(),
                m.scores.distinctive_chars
            );
            for p in m.passages.iter().take(3) {
                let _ = writeln!(
                    s,
                    "      [{}–{}] {} {}: {}",
                    p.b.start,
                    p.b.end,
                    p.kind.as_str(),
                    p.class.as_str(),
                    truncate_to_width(q.slice(p.b), 70)
                );
            }
        }
        if group.len() > top {
            let _ = writeln!(
                s,
                "  … {} more (--format json lists all)",
                group.len() - top
            );
        }
    }
    // Lineage formulas first, rarest and longest first: they mark where the text comes from; the stock
    // ones are counted, the commonest few shown. Each in the query's own words (digits fold in matching,
    // so the formula's first occurrence may carry another year's date).
    let of = |f: &&corpus::query::QueryFormula| &a.formulas[f.formula as usize];
    // Each formula once, at its first place in the query (`r.formulas` is in text order).
    let mut seen = std::collections::HashSet::new();
    let (mut lineage, mut stock): (Vec<_>, Vec<_>) = r
        .formulas
        .iter()
        .filter(|f| seen.insert(f.formula))
        .partition(|f| of(f).class == corpus::FormulaClass::Lineage);
    lineage.sort_by_key(|f| (of(f).df, std::cmp::Reverse(of(f).chars), f.span.start));
    stock.sort_by_key(|f| (std::cmp::Reverse(of(f).df), f.span.start));
    let _ = writeln!(
        s,
        "\nShared formulas: {} lineage, {} boilerplate",
        lineage.len(),
        stock.len()
    );
    for (group, top) in [(&lineage, 20), (&stock, 5)] {
        for f in group.iter().take(top) {
            let x = of(f);
            let _ = writeln!(
                s,
                "  {}  df {:>4}  {}",
                pad_to_width(q.slice(f.span), 44),
                x.df,
                x.class.as_str()
            );
        }
        if group.len() > top {
            let _ = writeln!(s, "  … {} more", group.len() - top);
        }
    }
    s
}
