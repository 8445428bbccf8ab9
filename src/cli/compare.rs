//! `tifa compare A B`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use tifa::compare::{self, CompareParams};
use tifa::diff::{CompareOptions, Granularity};
use tifa::prepared::PreparedDoc;
use tifa::report::{self, Format};
use tifa::reuse::ReuseParams;

use super::{CommonArgs, EXIT_FINDINGS};

/// Unit of comparison flag.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum GranularityArg {
    /// Characters.
    Char,
    /// jieba words.
    Word,
}

#[derive(Args)]
#[command(
    after_help = "Examples:\n  tifa compare examples/drafts/003_draft.txt examples/speeches/003_56fb9e0156cb07c5.txt\n  tifa compare --compact --width 160 draft.txt published.txt\n  tifa compare --format html last_year.txt this_year.txt -o compare.html\n  tifa compare --fail-below 0.95 draft_v1.txt draft_v2.txt   # exit 1 when the text changed\n  tifa compare --doc-a 2 compilation.txt speech.txt"
)]
pub struct CompareArgs {
    /// The first speech (A, shown on the left; `-` reads standard input).
    #[arg(value_name = "A")]
    a: PathBuf,
    /// The second speech (B, shown on the right).
    #[arg(value_name = "B")]
    b: PathBuf,
    /// Which document of A to compare when A is a compilation (1-based).
    #[arg(long, value_name = "N", default_value_t = 1)]
    doc_a: usize,
    /// Which document of B to compare when B is a compilation (1-based).
    #[arg(long, value_name = "N", default_value_t = 1)]
    doc_b: usize,
    /// Unit of comparison for section bodies and heading diffs (heading similarity is always char level).
    #[arg(long, value_enum, default_value = "char")]
    granularity: GranularityArg,
    /// Width of the terminal view in columns (40 to 1000).
    #[arg(long, value_name = "N", default_value_t = 120,
          value_parser = clap::value_parser!(u16).range(40..=1000))]
    width: u16,
    /// Fold runs of unchanged sections in the terminal view.
    #[arg(long)]
    compact: bool,
    /// Minimum length in chars of a reused passage listed under the alignment.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(usize))]
    min_len: usize,
    /// Exit with code 1 when the text similarity is below X (0..1), e.g. to check whether a draft changed.
    #[arg(long, value_name = "X")]
    fail_below: Option<f64>,
    #[command(flatten)]
    common: CommonArgs,
}

/// Document `n` (1-based, from `flag`) of a file.
fn document(
    path: &std::path::Path,
    n: usize,
    flag: &str,
    encoding: Option<tifa::text::Encoding>,
) -> tifa::Result<PreparedDoc> {
    if n == 0 {
        return Err(tifa::Error::Invalid {
            path: flag.into(),
            message: "documents are numbered from 1".into(),
        });
    }
    let file = std::sync::Arc::new(tifa::SpeechFile::read(path, encoding)?);
    PreparedDoc::nth(file, n - 1)
}

pub fn run(args: CompareArgs) -> tifa::Result<ExitCode> {
    if let Some(x) = args.fail_below
        && !(0.0..=1.0).contains(&x)
    {
        return Err(tifa::Error::Invalid {
            path: "--fail-below".into(),
            message: format!("{x} is not between 0 and 1"),
        });
    }
    let encoding = args.common.encoding()?;
    let a = document(&args.a, args.doc_a, "--doc-a", encoding)?;
    let b = document(&args.b, args.doc_b, "--doc-b", encoding)?;
    let params = CompareParams {
        diff: CompareOptions {
            granularity: match args.granularity {
                GranularityArg::Char => Granularity::Char,
                GranularityArg::Word => Granularity::Word,
            },
        },
        reuse: ReuseParams {
            min_len: args.min_len,
            ..ReuseParams::default()
        },
        ..CompareParams::with_default_patterns()
    };
    let al = compare::compare(&a, &b, &params);
    let out = match args.common.format.into() {
        Format::Json => report::compare::json(&al),
        Format::Md => report::compare::markdown(&al),
        Format::Html => report::compare::html(&al),
        Format::Text => report::compare::text(
            &al,
            args.common.style(),
            report::compare::TextOptions {
                width: args.width.into(),
                compact: args.compact,
            },
        ),
    };
    args.common.write(&out)?;
    match args.fail_below {
        Some(x) if al.alignment.scores.text < x => Ok(ExitCode::from(EXIT_FINDINGS)),
        _ => Ok(ExitCode::SUCCESS),
    }
}
