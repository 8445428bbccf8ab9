//! Command-line definitions (clap derive), shared options, exit codes and progress bars.
//!
//! Exit codes: 0 ok, 1 a findings threshold was crossed (`--fail-above`), 2 usage or input error.

mod compare;
mod corpus;
mod index;
mod outline;
mod patterns;
mod report;
mod reuse;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use tifa::SpeechFile;
use tifa::report::{Format, Style};
use tifa::text::{Encoding, ReadOptions, Text};

/// Exit code for usage and input errors.
pub const EXIT_INPUT: u8 = 2;
/// Exit code when a findings threshold was crossed.
#[allow(dead_code)] // used by the comparison subcommands
pub const EXIT_FINDINGS: u8 = 1;

#[derive(Parser)]
#[command(
    name = "tifa",
    version,
    about = "提法 tifa: compare Chinese official speeches and reports",
    long_about = "tifa reads Chinese official speeches and reports (UTF-8, GB18030/GBK, Big5, UTF-16), extracts \
their outline (一、 （一） 1. （1） 一是 —— and lead sentences), compares two speeches section by section, finds \
reused passages and tells stock formulas from copying, and scores rhetorical patterns (排比, 对偶, slogans).",
    after_help = "Examples:\n  tifa outline examples/speeches/003_56fb9e0156cb07c5.txt\n  tifa compare examples/drafts/003_draft.txt examples/speeches/003_56fb9e0156cb07c5.txt\n  tifa reuse examples/reuse/county_a.txt examples/reuse/county_b.txt --format html -o reuse.html\n  tifa patterns --family parallelism examples/speeches/000_1f080de224ac8f35.txt\n  tifa corpus ../shared/corpus/seeds -o corpus-out/\n  tifa index add reports/ --db reports.db && tifa index query draft.txt --db reports.db\n  tifa report examples/drafts/003_draft.txt examples/speeches/003_56fb9e0156cb07c5.txt -o report.html\n  cat speech.txt | tifa outline --format json -\n\nExit codes: 0 ok, 1 findings threshold crossed, 2 usage or input error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compare two speeches side by side at the outline level.
    Compare(compare::CompareArgs),
    /// Mine a folder of speeches: shared formulas, similar pairs, the formula graph.
    Corpus(corpus::CorpusArgs),
    /// Extract the heading tree (outline) of each speech in the files.
    Outline(outline::OutlineArgs),
    /// Find passages of B that reuse text of A, and tell stock formulas from copying.
    Reuse(reuse::ReuseArgs),
    /// Find rhetorical patterns (parallelism, antithesis, slogans, …) and score their density.
    Patterns(patterns::PatternsArgs),
    /// Keep a corpus in an index file (SQLite): add, remove, stats, query, export for other engines.
    Index(index::IndexArgs),
    /// Verify candidate pairs (CSV or Parquet, e.g. from sql/candidates.sql) with the reuse engine.
    Verify(index::VerifyArgs),
    /// Write the pair report of two speeches: outlines, full texts, passages and rhetoric in one page.
    Report(report::ReportArgs),
}

/// Output format flag.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// Human-readable terminal output.
    Text,
    /// Stable JSON (see README).
    Json,
    /// Markdown.
    Md,
    /// Self-contained HTML page.
    Html,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Md => Format::Md,
            FormatArg::Html => Format::Html,
        }
    }
}

/// When to colour terminal output.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorArg {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Options every subcommand shares.
#[derive(Args, Clone, Debug)]
pub struct CommonArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: FormatArg,
    /// Write the report to FILE instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Force the input encoding (utf-8, gb18030, gbk, utf-16le, utf-16be, big5) instead of detecting it.
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Replace undecodable bytes with U+FFFD (one warning per file says how many) instead of refusing the file.
    #[arg(long)]
    pub lossy: bool,
    /// When to use colour in text output (NO_COLOR is respected in auto mode).
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
}

impl CommonArgs {
    /// How to read input files: the forced encoding, if any, and `--lossy`.
    pub fn read_options(&self) -> tifa::Result<ReadOptions> {
        Ok(ReadOptions {
            encoding: self
                .encoding
                .as_deref()
                .map(Encoding::from_name)
                .transpose()?,
            lossy: self.lossy,
        })
    }

    /// Terminal style for text output.
    pub fn style(&self) -> Style {
        let color = match self.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                self.output.is_none()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        };
        Style { color }
    }

    /// Writes a rendered report where the user asked.
    pub fn write(&self, content: &str) -> tifa::Result<()> {
        tifa::report::write_output(self.output.as_deref(), content)
    }

    /// Renders `value` in the chosen `--format` with its renderers (`(json, md, html)`, and `text`,
    /// which also gets the terminal style) and writes it where the user asked.
    pub fn render<T: ?Sized, J, M, H, X>(
        &self,
        value: &T,
        (json, md, html): (J, M, H),
        text: X,
    ) -> tifa::Result<()>
    where
        J: FnOnce(&T) -> String,
        M: FnOnce(&T) -> String,
        H: FnOnce(&T) -> String,
        X: FnOnce(&T, Style) -> String,
    {
        let out = match self.format.into() {
            Format::Json => json(value),
            Format::Md => md(value),
            Format::Html => html(value),
            Format::Text => text(value, self.style()),
        };
        self.write(&out)
    }
}

/// The exit code of a batch whose good files were reported: 2 when any file failed, else 0.
pub fn batch_exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(EXIT_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads and outlines files in parallel, with a progress bar. Like grep, a bad file does not stop the
/// batch: each gets one line on stderr and the good ones are returned in input order, with whether any
/// failed (the command then exits 2 after printing the good ones). Decoding notices (lossy replacements,
/// an ambiguous encoding choice) go to stderr too, one line each.
pub fn read_files(paths: &[PathBuf], opts: &ReadOptions, what: &str) -> (Vec<SpeechFile>, bool) {
    use rayon::prelude::*;
    let bar = progress(paths.len() as u64, what);
    let results: Vec<_> = paths
        .par_iter()
        .map(|p| {
            let file = Text::read_with(p, opts).map(SpeechFile::from_text);
            bar.inc(1);
            file
        })
        .collect();
    bar.finish_and_clear();
    let mut failed = false;
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(file) => {
                for notice in file.text.notices() {
                    eprintln!("tifa: warning: {notice}");
                }
                files.push(file);
            }
            Err(e) => {
                eprintln!("tifa: {e}");
                failed = true;
            }
        }
    }
    (files, failed)
}

/// Reads the two files a comparison needs. If either is bad, each bad one gets its line on stderr and
/// `None` comes back: the command exits 2 without output.
pub fn read_pair(a: &Path, b: &Path, opts: &ReadOptions) -> Option<(SpeechFile, SpeechFile)> {
    let (mut files, failed) = read_files(&[a.to_path_buf(), b.to_path_buf()], opts, "reading");
    if failed {
        return None;
    }
    let fb = files.pop()?;
    let fa = files.pop()?;
    Some((fa, fb))
}

/// A progress bar on stderr, hidden when stderr is not a terminal.
pub fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(len)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(what.to_string());
    bar
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_INPUT } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Compare(args) => compare::run(args),
        Command::Corpus(args) => corpus::run(args),
        Command::Outline(args) => outline::run(args),
        Command::Reuse(args) => reuse::run(args),
        Command::Patterns(args) => patterns::run(args),
        Command::Index(args) => index::run(args),
        Command::Verify(args) => index::run_verify(args),
        Command::Report(args) => report::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tifa: {e}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}
