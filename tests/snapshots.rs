//! Locked output: insta snapshots of every command (outline, compare, reuse, patterns) in every format
//! (JSON, Markdown, HTML, and text with `NO_COLOR`) on the bundled examples, run through the built binary
//! from the repository root with relative paths, so the CLI and the renderers are locked together and the
//! output holds no machine-specific path.
//!
//! A change of output fails here with a diff; review it, then accept it with `cargo insta review` or
//! `INSTA_UPDATE=always cargo test --test snapshots` and commit the `.snap` files.

use std::process::Command;

const DRAFT: &str = "examples/drafts/003_draft.txt";
const S000: &str = "examples/speeches/000_1f080de224ac8f35.txt";
const S001: &str = "examples/speeches/001_bbf023ef8e8ca942.txt";
const S002: &str = "examples/speeches/002_8497deb454e1b19d.txt";
const S003: &str = "examples/speeches/003_56fb9e0156cb07c5.txt";
const S004: &str = "examples/speeches/004_c7f0127a3eafd24f.txt";
const ALL: [&str; 6] = [S000, S001, S002, S003, S004, DRAFT];
const COUNTY_A: &str = "examples/reuse/county_a.txt";
const COUNTY_B: &str = "examples/reuse/county_b.txt";

const FORMATS: [&str; 4] = ["text", "json", "md", "html"];

/// Standard output of `tifa ARGS --format FORMAT`, run from the repository root with `NO_COLOR` set.
fn tifa(args: &[&str], format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tifa"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .args(args)
        .args(["--format", format])
        .output()
        .expect("the tifa binary runs");
    assert!(
        out.status.success(),
        "tifa {args:?} --format {format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8(out.stdout).expect("output is UTF-8");
    assert!(
        !s.contains('\u{1b}'),
        "tifa {args:?}: colour escapes despite NO_COLOR"
    );
    s
}

/// One snapshot per format, named `<name>_<format>`.
fn snapshot_all_formats(name: &str, args: &[&str]) {
    for format in FORMATS {
        let out = tifa(args, format);
        insta::assert_snapshot!(format!("{name}_{format}"), out, &args.join(" "));
    }
}

#[test]
fn outline_of_every_example() {
    let mut args = vec!["outline"];
    args.extend(ALL);
    snapshot_all_formats("outline_all", &args);
}

#[test]
fn outline_of_one_speech() {
    // One file: JSON is an object, not an array; the text view has no file separators.
    snapshot_all_formats("outline_004", &["outline", S004]);
}

#[test]
fn compare_draft_with_published_speech() {
    snapshot_all_formats("compare_draft_003", &["compare", DRAFT, S003]);
}

#[test]
fn compare_two_different_speeches() {
    snapshot_all_formats("compare_000_004", &["compare", S000, S004]);
}

#[test]
fn compare_compact_narrow_text_view() {
    let out = tifa(
        &["compare", "--compact", "--width", "80", DRAFT, S003],
        "text",
    );
    insta::assert_snapshot!("compare_draft_003_compact_80_text", out);
}

#[test]
fn reuse_of_a_county_report() {
    snapshot_all_formats("reuse_county", &["reuse", COUNTY_A, COUNTY_B]);
}

#[test]
fn reuse_between_unrelated_speeches_is_boilerplate() {
    snapshot_all_formats("reuse_draft_001", &["reuse", DRAFT, S001]);
}

#[test]
fn patterns_of_every_speech() {
    let mut args = vec!["patterns"];
    args.extend(&ALL[..5]);
    snapshot_all_formats("patterns_speeches", &args);
}

#[test]
fn patterns_of_one_family() {
    snapshot_all_formats(
        "patterns_001_parallelism",
        &["patterns", "--family", "parallelism", S001],
    );
}
