//! `tifa report A B`: the pair report (compare, reuse and patterns of two speeches in one page).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use tifa::compare::CompareParams;
use tifa::prepared::PreparedDoc;
use tifa::report::page::Lang;
use tifa::report::{self, pair::PairReport};
use tifa::reuse::ReuseParams;

/// Output format of the report.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    /// A self-contained HTML page (the default).
    Html,
    /// Markdown.
    Md,
    /// One JSON object bundling compare, reuse and patterns (docs/schema/report.schema.json).
    Json,
}

/// Label language.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    /// Chinese.
    Zh,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Args)]
#[command(
    after_help = "Examples:\n  tifa report examples/drafts/003_draft.txt examples/speeches/003_56fb9e0156cb07c5.txt -o report.html\n  tifa report a.txt b.txt --lang en -o report.html\n  tifa report a.txt b.txt --format md -o report.md\n  tifa report a.txt b.txt --format json | jq .verdict\n\nThe HTML page is self-contained (inline CSS and script, no network): both outlines aligned, both\nfull texts side by side with reused passages and rhetoric highlighted, sortable tables of passages\nand shared formulas. Its markup contract is documented in docs/report.md."
)]
pub struct ReportArgs {
    /// The first speech (A, left; `-` reads standard input).
    #[arg(value_name = "A")]
    a: PathBuf,
    /// The second speech (B, right).
    #[arg(value_name = "B")]
    b: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "html")]
    format: ReportFormat,
    /// Write the report to FILE instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Language of the labels.
    #[arg(long, value_enum, default_value = "zh")]
    lang: LangArg,
    /// Which document of A to report on when A is a compilation (1-based).
    #[arg(long, value_name = "N", default_value_t = 1)]
    doc_a: usize,
    /// Which document of B (1-based).
    #[arg(long, value_name = "N", default_value_t = 1)]
    doc_b: usize,
    /// Minimum length in content chars of a reused passage.
    #[arg(long, value_name = "N", default_value_t = 20)]
    min_len: usize,
    /// Force the input encoding (utf-8, gb18030, gbk, utf-16le, utf-16be, big5) instead of detecting it.
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
}

/// Document `n` (1-based, from `flag`) of a file.
fn document(
    path: &std::path::Path,
    n: usize,
    flag: &str,
    encoding: Option<tifa::text::Encoding>,
) -> tifa::Result<PreparedDoc> {
    let index = n.checked_sub(1).ok_or_else(|| tifa::Error::Invalid {
        path: flag.into(),
        message: "documents are numbered from 1".into(),
    })?;
    let file = std::sync::Arc::new(tifa::SpeechFile::read(path, encoding)?);
    PreparedDoc::nth(file, index)
}

pub fn run(args: ReportArgs) -> tifa::Result<ExitCode> {
    if args.min_len == 0 {
        return Err(tifa::Error::Invalid {
            path: "--min-len".into(),
            message: "must be at least 1".into(),
        });
    }
    let encoding = args
        .encoding
        .as_deref()
        .map(tifa::text::Encoding::from_name)
        .transpose()?;
    let a = document(&args.a, args.doc_a, "--doc-a", encoding)?;
    let b = document(&args.b, args.doc_b, "--doc-b", encoding)?;
    let params = CompareParams {
        reuse: ReuseParams {
            min_len: args.min_len,
            ..ReuseParams::default()
        },
        ..CompareParams::with_default_patterns()
    };
    let pair = PairReport::build(&a, &b, &params);
    let lang = Lang::from(args.lang);
    let out = match args.format {
        ReportFormat::Html => report::pair::html(&pair, &a, &b, lang),
        ReportFormat::Md => report::pair::markdown(&pair, lang),
        ReportFormat::Json => report::pair::json(&pair),
    };
    report::write_output(args.output.as_deref(), &out)?;
    Ok(ExitCode::SUCCESS)
}
