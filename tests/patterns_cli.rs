//! Tests of the `tifa patterns` command line.

use std::path::Path;
use std::process::Command;

fn tifa() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tifa"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

const SEED: &str = "examples/speeches/001_bbf023ef8e8ca942.txt";

#[test]
fn check_passes_on_the_default_file() {
    let out = tifa()
        .args(["patterns", "--check", "patterns/default.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("all examples and counter-examples pass"),
        "{stdout}"
    );
}

#[test]
fn check_fails_with_exit_1_and_lists_failures() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        "[[pattern]]\nid = \"bad\"\nfamily = \"contrast\"\ndescription = \"d\"\nkind = \"regex\"\n\
regex = '不是(?P<m1>@han+)'\nexamples = [\"是这样。\"]\ncounter_examples = [\"不是这样。\"]\n",
    )
    .unwrap();
    let out = tifa()
        .args(["patterns", "--check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(":2: bad: example does not match: 是这样。"),
        "{stdout}"
    );
    assert!(
        stdout.contains("counter-example matches: 不是这样。"),
        "{stdout}"
    );
}

#[test]
fn malformed_pattern_file_is_one_line_error_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "[[pattern]]\nid = \"x\"\nfamily = \n").unwrap();
    let report = dir.path().join("out.json");
    let out = tifa()
        .args(["patterns", SEED, "--patterns"])
        .arg(&path)
        .arg("-o")
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("tifa: "), "{stderr}");
    assert!(stderr.contains("broken.toml:3:"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!report.exists());
}

#[test]
fn json_output_has_the_documented_shape() {
    let out = tifa()
        .args(["patterns", "--format", "json", "--family", "frame", SEED])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let doc = &v["documents"][0];
    assert_eq!(doc["path"], SEED);
    let hits = doc["hits"].as_array().unwrap();
    // 踏踏实实 and 反反复复 (AABB word shapes) come first in text order, then 落实落细 (two predicates
    // in an ABAC frame) and the clause frame.
    let shapes: Vec<&str> = hits
        .iter()
        .map(|h| h["pattern"].as_str().unwrap())
        .collect();
    assert_eq!(
        shapes,
        [
            "frame.word-aabb",
            "frame.word-aabb",
            "frame.word-abac",
            "frame.clause-4"
        ]
    );
    let hit = &hits[3];
    assert_eq!(hit["family"], "frame");
    assert_eq!(hit["slots"]["frame"], "_抓_管");
    assert_eq!(hit["members"].as_array().unwrap().len(), 3);
    assert!(hit["span"][1].as_u64() > hit["span"][0].as_u64());
    assert_eq!(doc["scores"]["by_family"]["frame"], 4);
    assert!(doc["sections"][0]["path"].is_array());
}

#[test]
fn text_output_marks_members() {
    let out = tifa()
        .args(["patterns", "--color", "never", SEED])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("⟦争一流⟧、⟦争第一⟧、⟦争唯一⟧"), "{stdout}");
}

#[test]
fn unknown_family_is_a_usage_error() {
    let out = tifa()
        .args(["patterns", "--family", "metaphor", SEED])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(Path::new(SEED).exists());
}

#[test]
fn markdown_and_html_mark_members() {
    let md = tifa()
        .args(["patterns", "--format", "md", SEED])
        .output()
        .unwrap();
    assert_eq!(md.status.code(), Some(0));
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains("**争一流**、**争第一**、**争唯一**"), "{md}");
    let html = tifa()
        .args(["patterns", "--format", "html", SEED])
        .output()
        .unwrap();
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("<mark>争一流</mark>、<mark>争第一</mark>"),
        "{html}"
    );
}
