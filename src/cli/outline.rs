//! `tifa outline FILE...`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use tifa::report;

use super::{CommonArgs, EXIT_INPUT};

#[derive(Args)]
#[command(
    after_help = "Examples:\n  tifa outline examples/speeches/004_c7f0127a3eafd24f.txt\n  tifa outline --format json a.txt b.txt -o outlines.json\n  tifa outline --encoding gbk old_speech.txt"
)]
pub struct OutlineArgs {
    /// Speech files to outline (`-` reads standard input).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    common: CommonArgs,
}

pub fn run(args: OutlineArgs) -> tifa::Result<ExitCode> {
    let (files, failed) = super::read_files(&args.files, &args.common.read_options()?, "outlining");
    if files.is_empty() {
        return Ok(ExitCode::from(EXIT_INPUT));
    }
    args.common.render(
        &files[..],
        (
            report::outline::json,
            report::outline::markdown,
            report::outline::html,
        ),
        report::outline::text,
    )?;
    Ok(super::batch_exit(failed))
}
