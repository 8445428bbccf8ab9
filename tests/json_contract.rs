//! The JSON contract: each command's `--format json` output, run through the built binary on the bundled
//! examples, validates against its JSON Schema in `docs/schema/`, and is exactly the library's `Serialize`
//! output of the result type (one schema per command, no shape assembled in the CLI).
//!
//! The schemas list required fields and allow additional ones, so fields added later pass while a
//! dropped or renamed field fails; the negative tests below check that they do.

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use tifa::SpeechFile;
use tifa::compare::{self, CompareParams};
use tifa::patterns::PatternSet;
use tifa::prepared::PreparedDoc;
use tifa::reuse::{self, ReuseParams};

const DRAFT: &str = "examples/drafts/003_draft.txt";
const SPEECH_003: &str = "examples/speeches/003_56fb9e0156cb07c5.txt";
const SPEECHES: [&str; 5] = [
    "examples/speeches/000_1f080de224ac8f35.txt",
    "examples/speeches/001_bbf023ef8e8ca942.txt",
    "examples/speeches/002_8497deb454e1b19d.txt",
    "examples/speeches/003_56fb9e0156cb07c5.txt",
    "examples/speeches/004_c7f0127a3eafd24f.txt",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `tifa ARGS --format json` from the repository root and parses its standard output.
fn run_json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_tifa"))
        .current_dir(root())
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("the tifa binary runs");
    assert!(
        out.status.success(),
        "tifa {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("tifa {args:?}: not JSON: {e}"))
}

fn validator(command: &str) -> jsonschema::Validator {
    let path = root().join(format!("docs/schema/{command}.schema.json"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("{}: invalid schema: {e}", path.display()))
}

fn assert_valid(command: &str, value: &Value) {
    let v = validator(command);
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(10)
        .collect();
    assert!(errors.is_empty(), "{command}: {errors:#?}");
}

/// The output with the value at `pointer` removed from its parent object.
fn without(value: &Value, pointer: &str) -> Value {
    let mut v = value.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    v.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {parent}"))
        .remove(key)
        .unwrap_or_else(|| panic!("no field {pointer}"));
    v
}

fn assert_rejects(command: &str, value: &Value, what: &str) {
    assert!(
        !validator(command).is_valid(value),
        "{command} schema accepts output {what}"
    );
}

fn read(path: &str) -> SpeechFile {
    SpeechFile::read(root().join(path), None).unwrap()
}

#[test]
fn outline_json_matches_its_schema_and_is_the_library_result() {
    let one = run_json(&["outline", SPEECHES[4]]);
    assert_valid("outline", &one);
    let mut lib = serde_json::to_value(read(SPEECHES[4]).outlines_with_source()).unwrap();
    lib["source"]["path"] = SPEECHES[4].into();
    assert_eq!(one, lib);
    assert_eq!(one["source"]["path"], SPEECHES[4]);
    assert!(
        !one["documents"][0]["sections"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Several files: an array of the same objects, in argument order.
    let mut args = vec!["outline"];
    args.extend(SPEECHES);
    args.push(DRAFT);
    let many = run_json(&args);
    assert_valid("outline", &many);
    let many = many.as_array().unwrap();
    assert_eq!(many.len(), 6);
    assert_eq!(many[4], one);
    // Seed 002 is a compilation of six documents.
    assert_eq!(many[2]["documents"].as_array().unwrap().len(), 6);

    assert_rejects(
        "outline",
        &without(&one, "/documents/0/sections/0/heading_span"),
        "without a section's heading_span",
    );
    assert_rejects(
        "outline",
        &without(&one, "/source/encoding"),
        "without source.encoding",
    );
}

#[test]
fn compare_json_matches_its_schema_and_is_the_library_report() {
    let out = run_json(&["compare", DRAFT, SPEECH_003]);
    assert_valid("compare", &out);
    let a = &PreparedDoc::read(root().join(DRAFT), None).unwrap()[0];
    let b = &PreparedDoc::read(root().join(SPEECH_003), None).unwrap()[0];
    // The library report's paths are the absolute ones given here; the CLI was given relative ones.
    let mut lib = serde_json::to_value(compare::compare(
        a,
        b,
        &CompareParams::with_default_patterns(),
    ))
    .unwrap();
    lib["a"]["path"] = DRAFT.into();
    lib["b"]["path"] = SPEECH_003.into();
    assert_eq!(out, lib);
    assert!(!out["passages"].as_array().unwrap().is_empty());

    assert_rejects(
        "compare",
        &without(&out, "/alignment/0/status"),
        "without a row's status",
    );
    assert_rejects(
        "compare",
        &without(&out, "/passages/0/row"),
        "without a passage's row",
    );
    assert_rejects(
        "compare",
        &without(&out, "/scores/text"),
        "without scores.text",
    );
}

#[test]
fn reuse_json_matches_its_schema_and_is_the_library_report() {
    let params = ReuseParams::default();
    let mut boilerplate_seen = 0;
    for (x, y) in [
        ("examples/reuse/county_a.txt", "examples/reuse/county_b.txt"),
        (DRAFT, SPEECHES[1]),
        (DRAFT, SPEECH_003),
    ] {
        let out = run_json(&["reuse", x, y]);
        assert_valid("reuse", &out);
        let mut lib =
            serde_json::to_value(reuse::compare_files(&read(x), &read(y), None, &params)).unwrap();
        lib["a"]["path"] = x.into();
        lib["b"]["path"] = y.into();
        assert_eq!(out, lib, "{x} / {y}");
        boilerplate_seen += out["boilerplate_passages"].as_array().unwrap().len();
    }
    // The draft and seed 001 share a stock formula: the boilerplate list is exercised too.
    assert!(boilerplate_seen > 0);

    let out = run_json(&[
        "reuse",
        "examples/reuse/county_a.txt",
        "examples/reuse/county_b.txt",
    ]);
    assert!(!out["passages"].as_array().unwrap().is_empty());
    assert_rejects(
        "reuse",
        &without(&out, "/boilerplate_passages"),
        "without boilerplate_passages",
    );
    assert_rejects(
        "reuse",
        &without(&out, "/passages/0/a_section"),
        "without a passage's a_section",
    );
    let mut wrong_class = out.clone();
    wrong_class["passages"][0]["class"] = "boilerplate".into();
    assert_rejects(
        "reuse",
        &wrong_class,
        "with a boilerplate passage in `passages`",
    );
}

#[test]
fn patterns_json_matches_its_schema_and_is_the_library_result() {
    let mut args = vec!["patterns"];
    args.extend(SPEECHES);
    let out = run_json(&args);
    assert_valid("patterns", &out);
    let set = PatternSet::default_set();
    let documents: Vec<Value> = SPEECHES
        .iter()
        .flat_map(|p| {
            let file = read(p);
            set.find(&file)
                .into_iter()
                .map(|d| {
                    let mut d = serde_json::to_value(d).unwrap();
                    d["path"] = (*p).into();
                    d
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(out, serde_json::json!({ "documents": documents }));
    let hits: usize = out["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["hits"].as_array().unwrap().len())
        .sum();
    assert!(hits > 0);

    assert_rejects(
        "patterns",
        &without(&out, "/documents/0/hits/0/members"),
        "without a hit's members",
    );
    assert_rejects(
        "patterns",
        &without(&out, "/documents/0/scores"),
        "without a document's scores",
    );
}
