//! `tifa patterns FILE... [--patterns FILE]... [--family F]... [--check FILE]`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rayon::prelude::*;
use tifa::patterns::{Family, PatternSet};
use tifa::report;

use super::{CommonArgs, EXIT_FINDINGS, EXIT_INPUT};

#[derive(Args)]
#[command(
    after_help = "Families: parallelism, antithesis, anadiplosis, frame, numbered-slogan, enumeration, \
four-character-run, contrast.\n\nExamples:\n  tifa patterns examples/speeches/001_bbf023ef8e8ca942.txt\n  \
tifa patterns --family parallelism --family antithesis a.txt b.txt\n  tifa patterns --format json speech.txt -o hits.json\n  \
tifa patterns --patterns my_patterns.toml speech.txt\n  tifa patterns --explain speech.txt\n  tifa patterns --check patterns/default.toml"
)]
pub struct PatternsArgs {
    /// Speech files to search (`-` reads standard input).
    #[arg(value_name = "FILE", required_unless_present = "check")]
    files: Vec<PathBuf>,
    /// Pattern file to use instead of the built-in default set (repeatable; ids must be unique).
    #[arg(long = "patterns", value_name = "FILE")]
    patterns: Vec<PathBuf>,
    /// Report only this family (repeatable).
    #[arg(long = "family", value_name = "F")]
    families: Vec<String>,
    /// Verify a pattern file's examples and counter-examples; exit 1 if any fails.
    #[arg(long, value_name = "FILE")]
    check: Option<PathBuf>,
    /// Under each hit, show the rule that fired and why (shared head or anchor, POS tag shapes).
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    common: CommonArgs,
}

pub fn run(args: PatternsArgs) -> tifa::Result<ExitCode> {
    if let Some(path) = &args.check {
        let set = PatternSet::read(path)?;
        let failures = set.check();
        let out = report::patterns::check_text(
            &path.display().to_string(),
            set.patterns.len(),
            &failures,
        );
        args.common.write(&out)?;
        if !failures.is_empty() {
            return Ok(ExitCode::from(EXIT_FINDINGS));
        }
        if args.files.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let mut set = if args.patterns.is_empty() {
        PatternSet::default_set()
    } else {
        let mut set = PatternSet::default();
        for p in &args.patterns {
            set.extend(PatternSet::read(p)?)?;
        }
        set
    };
    if !args.families.is_empty() {
        let families = args
            .families
            .iter()
            .map(|f| {
                Family::from_name(f).ok_or_else(|| tifa::Error::Invalid {
                    path: "--family".into(),
                    message: format!(
                        "unknown family '{f}' (use one of: {})",
                        Family::ALL.map(|f| f.name()).join(", ")
                    ),
                })
            })
            .collect::<tifa::Result<Vec<_>>>()?;
        set.retain_families(&families);
    }
    let (files, failed) = super::read_files(&args.files, &args.common.read_options()?, "patterns");
    if files.is_empty() {
        return Ok(ExitCode::from(EXIT_INPUT));
    }
    let docs: Vec<_> = files.par_iter().map(|f| (f, set.find(f))).collect();
    args.common.render(
        &docs[..],
        (
            report::patterns::json,
            report::patterns::markdown,
            report::patterns::html,
        ),
        |docs, style| report::patterns::text_explained(docs, style, args.explain.then_some(&set)),
    )?;
    Ok(super::batch_exit(failed))
}
