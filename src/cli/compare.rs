//! `tifa compare A B`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use tifa::compare::{self, CompareParams};
use tifa::diff::{CompareOptions, Granularity};
use tifa::prepared::PreparedDoc;
use tifa::report;
use tifa::reuse::ReuseParams;

use super::{CommonArgs, EXIT_FINDINGS};

/// `--ambiguous-width` values.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum AmbiguousWidth {
    /// From the locale.
    Auto,
    /// One column.
    #[value(name = "1")]
    One,
    /// Two columns.
    #[value(name = "2")]
    Two,
}

/// The terminal width: the flag, else `COLUMNS` (when a number from 40 to 1000), else 120.
fn terminal_width(flag: Option<u16>) -> usize {
    flag.map(usize::from)
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse::<usize>().ok())
                .map(|c| c.clamp(40, 1000))
        })
        .unwrap_or(120)
}

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
    /// Width of the terminal view in columns (40 to 1000; default: $COLUMNS, else 120). Every line
    /// fits: prose wraps, cells are cut with `…`.
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u16).range(40..=1000))]
    width: Option<u16>,
    /// How wide East Asian ambiguous-width chars (`“” … — │ ·`) are drawn: 2 in CJK terminals, 1
    /// elsewhere; `auto` tells from the locale (LC_ALL, LC_CTYPE, LANG starting with zh, ja or ko).
    #[arg(long, value_enum, default_value = "auto")]
    ambiguous_width: AmbiguousWidth,
    /// Fold runs of unchanged sections in the terminal view.
    #[arg(long)]
    compact: bool,
    /// Show what changed inside each matched section: removed, added and edited sentences, with the
    /// edited words inline (text and Markdown; in JSON as `body_diff`).
    #[arg(long)]
    diff: bool,
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
fn document(file: tifa::SpeechFile, n: usize, flag: &str) -> tifa::Result<PreparedDoc> {
    if n == 0 {
        return Err(tifa::Error::Invalid {
            path: flag.into(),
            message: "documents are numbered from 1".into(),
        });
    }
    PreparedDoc::nth(std::sync::Arc::new(file), n - 1)
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
    let Some((fa, fb)) = super::read_pair(&args.a, &args.b, &args.common.read_options()?) else {
        return Ok(ExitCode::from(super::EXIT_INPUT));
    };
    let a = document(fa, args.doc_a, "--doc-a")?;
    let b = document(fb, args.doc_b, "--doc-b")?;
    let params = CompareParams {
        diff: CompareOptions {
            granularity: match args.granularity {
                GranularityArg::Char => Granularity::Char,
                GranularityArg::Word => Granularity::Word,
            },
            body_diff: args.diff,
        },
        reuse: ReuseParams {
            min_len: args.min_len,
            ..ReuseParams::default()
        },
        ..CompareParams::with_default_patterns()
    };
    let al = compare::compare(&a, &b, &params);
    args.common.render(
        &al,
        (
            report::compare::json,
            report::compare::markdown,
            report::compare::html,
        ),
        |al, style| {
            report::compare::text(
                al,
                style,
                report::compare::TextOptions {
                    width: terminal_width(args.width),
                    compact: args.compact,
                    cjk_width: match args.ambiguous_width {
                        AmbiguousWidth::Auto => report::compare::cjk_locale(),
                        AmbiguousWidth::One => false,
                        AmbiguousWidth::Two => true,
                    },
                    diff: args.diff,
                },
            )
        },
    )?;
    match args.fail_below {
        Some(x) if al.alignment.scores.text < x => Ok(ExitCode::from(EXIT_FINDINGS)),
        _ => Ok(ExitCode::SUCCESS),
    }
}
