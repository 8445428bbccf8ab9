//! `tifa reuse A B`: passages of B that reuse text of A, formulas told from copying.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use tifa::report;
use tifa::reuse::{self, Corpus, ReuseParams};

use super::{CommonArgs, EXIT_FINDINGS, EXIT_INPUT, progress};

#[derive(Args)]
#[command(
    after_help = "Examples:\n  tifa reuse examples/reuse/county_a.txt examples/reuse/county_b.txt\n  tifa reuse county_a.txt county_b.txt --corpus reports/ --format json -o reuse.json\n  tifa reuse template.txt filled.txt --min-len 30 --format html -o reuse.html\n  tifa reuse a.txt b.txt --fail-above 0.3   # exit 1 when over 30% is distinctive reuse\n\nPassages are classified boilerplate (stock formulas) when half of them is covered by the built-in\nformula list or, with --corpus, when they occur in at least --boilerplate-df corpus documents\n(default: 2, or 2% of the corpus if more); otherwise distinctive."
)]
pub struct ReuseArgs {
    /// The earlier document (the possible source).
    #[arg(value_name = "A")]
    a: PathBuf,
    /// The document checked for passages of A (`-` reads standard input).
    #[arg(value_name = "B")]
    b: PathBuf,
    /// Background corpus: every file under DIR gives document frequencies to tell formulas from copying.
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Minimum passage length in content chars (white space and punctuation not counted).
    #[arg(long, value_name = "N", default_value_t = 20)]
    min_len: usize,
    /// Corpus document frequency from which a passage is boilerplate.
    #[arg(long, value_name = "N")]
    boilerplate_df: Option<usize>,
    /// Exit with status 1 when the distinctive-reuse share exceeds X (0 to 1).
    #[arg(long, value_name = "X")]
    fail_above: Option<f64>,
    #[command(flatten)]
    common: CommonArgs,
}

pub fn run(args: ReuseArgs) -> tifa::Result<ExitCode> {
    if args.min_len == 0 {
        return Err(tifa::Error::Invalid {
            path: "--min-len".into(),
            message: "must be at least 1".into(),
        });
    }
    if let Some(x) = args.fail_above
        && !(0.0..=1.0).contains(&x)
    {
        return Err(tifa::Error::Invalid {
            path: "--fail-above".into(),
            message: format!("{x} is not a share between 0 and 1"),
        });
    }
    let opts = args.common.read_options()?;
    let encoding = opts.encoding;
    let Some((a, b)) = super::read_pair(&args.a, &args.b, &opts) else {
        return Ok(ExitCode::from(EXIT_INPUT));
    };
    let corpus = match &args.corpus {
        Some(dir) => {
            let selection = tifa::files::select_dir(dir, &tifa::files::FileFilter::default())?;
            for e in &selection.errors {
                eprintln!("tifa: warning: skipped {e}");
            }
            let files = selection.files;
            let bar = progress(files.len() as u64, "indexing corpus");
            let corpus = Corpus::from_files(&files, encoding, |_, err| {
                if let Some(e) = err {
                    bar.suspend(|| eprintln!("tifa: warning: skipped {e}"));
                }
                bar.inc(1);
            });
            bar.finish_and_clear();
            Some(corpus)
        }
        None => None,
    };
    let params = ReuseParams {
        min_len: args.min_len,
        boilerplate_min_df: args.boilerplate_df,
        ..ReuseParams::default()
    };
    let result = reuse::compare_files(&a, &b, corpus.as_ref(), &params);
    args.common.render(
        &result,
        (
            report::reuse::json,
            report::reuse::markdown,
            report::reuse::html,
        ),
        report::reuse::text,
    )?;
    match args.fail_above {
        Some(x) if result.scores.distinctive > x => Ok(ExitCode::from(EXIT_FINDINGS)),
        _ => Ok(ExitCode::SUCCESS),
    }
}
