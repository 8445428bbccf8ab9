//! The pair report (`tifa report A B`): Markdown and JSON locked by snapshots of two seed speeches, the
//! HTML markup contract checked on the page itself, the CLI's formats, languages and errors, and the JSON
//! against its schema (docs/schema/report.schema.json).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use tifa::compare::CompareParams;
use tifa::prepared::PreparedDoc;
use tifa::report::page::Lang;
use tifa::report::pair::{self, PairReport};

const DRAFT: &str = "examples/drafts/003_draft.txt";
const PUBLISHED: &str = "examples/speeches/003_56fb9e0156cb07c5.txt";
const COUNTY_A: &str = "examples/reuse/county_a.txt";
const COUNTY_B: &str = "examples/reuse/county_b.txt";

fn doc(path: &str) -> PreparedDoc {
    PreparedDoc::read(path, None).unwrap().remove(0)
}

fn report(a: &str, b: &str) -> (PairReport, PreparedDoc, PreparedDoc) {
    let (a, b) = (doc(a), doc(b));
    let r = PairReport::build(&a, &b, &CompareParams::with_default_patterns());
    (r, a, b)
}

fn tifa() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tifa"))
}

/// The values of attribute `attr` on elements inside the element with id `id` (up to its matching close).
fn attr_values(html: &str, id: &str, attr: &str) -> BTreeSet<String> {
    let start = html.find(&format!("id=\"{id}\"")).expect("pane present");
    let rest = &html[start..];
    // The panes are `<div class="pane" …>…</div>` with no nested div.
    let end = rest.find("</div>").unwrap();
    let pane = &rest[..end];
    let key = format!("{attr}=\"");
    pane.match_indices(&key)
        .map(|(i, _)| {
            let v = &pane[i + key.len()..];
            v[..v.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn markdown_snapshot_of_draft_against_published() {
    let (r, _, _) = report(DRAFT, PUBLISHED);
    insta::assert_snapshot!("pair_draft_published_zh_md", pair::markdown(&r, Lang::Zh));
    insta::assert_snapshot!("pair_draft_published_en_md", pair::markdown(&r, Lang::En));
}

#[test]
fn json_snapshot_of_draft_against_published() {
    let (r, _, _) = report(DRAFT, PUBLISHED);
    let v: serde_json::Value = serde_json::from_str(&pair::json(&r)).unwrap();
    insta::assert_json_snapshot!("pair_draft_published_json", v);
}

#[test]
fn markdown_snapshot_of_two_county_reports() {
    let (r, _, _) = report(COUNTY_A, COUNTY_B);
    insta::assert_snapshot!("pair_county_zh_md", pair::markdown(&r, Lang::Zh));
}

#[test]
fn verdict_follows_the_scores() {
    let (r, _, _) = report(DRAFT, PUBLISHED);
    // The draft and its published text: same outline, the text carried over.
    assert!(r.scores.outline >= 0.9, "{:?}", r.scores);
    assert!(r.scores.distinctive >= 0.9, "{:?}", r.scores);
    assert_eq!(r.verdict.structure, "same");
    assert_eq!(r.verdict.reuse, "copied");
    assert!(r.verdict.zh.contains("提纲基本一致") && r.verdict.zh.contains("大段照搬"));
    // Two unrelated seeds: different outline, no distinctive copying.
    let (u, _, _) = report(
        "examples/speeches/000_1f080de224ac8f35.txt",
        "examples/speeches/004_c7f0127a3eafd24f.txt",
    );
    assert!(u.scores.distinctive < 0.03, "{:?}", u.scores);
    assert_eq!(u.verdict.structure, "different");
    assert!(matches!(u.verdict.reuse, "formulas" | "independent"));
}

#[test]
fn html_keeps_its_markup_contract() {
    for (a, b) in [(DRAFT, PUBLISHED), (COUNTY_A, COUNTY_B)] {
        let (r, da, db) = report(a, b);
        let html = pair::html(&r, &da, &db, Lang::Zh);
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"zh\">"));
        // Self-contained: no network, no external file.
        for bad in ["http://", "https://", "<link", " src=", "@import", "url("] {
            assert!(
                !html.contains(bad),
                "{a}: page refers outside itself ({bad})"
            );
        }
        // The same passage numbers on both sides, every passage of the report highlighted.
        let (pa, pb) = (
            attr_values(&html, "pane-a", "data-passage"),
            attr_values(&html, "pane-b", "data-passage"),
        );
        let all: BTreeSet<String> = (1..=r.compare.passages.len())
            .map(|n| n.to_string())
            .collect();
        assert!(!all.is_empty(), "{a}: the pair shares passages");
        assert_eq!(pa, all, "{a}: pane A");
        assert_eq!(pb, all, "{a}: pane B");
        // Rhetoric hits carry their family, and every family in the panes has a toggle.
        let families: BTreeSet<String> = attr_values(&html, "pane-a", "data-family")
            .union(&attr_values(&html, "pane-b", "data-family"))
            .cloned()
            .collect();
        assert!(!families.is_empty());
        for f in &families {
            assert!(tifa::patterns::Family::from_name(f).is_some(), "{f}");
            assert!(html.contains(&format!("data-toggle-family=\"{f}\"")), "{f}");
        }
        // One outline row per correspondence, each with its status; its sides link to anchors that exist.
        let mut rows = 0;
        r.compare.alignment.walk(|_| rows += 1);
        assert_eq!(html.matches("<tr class=\"st-").count(), rows, "{a}");
        for (i, _) in html.match_indices("data-anchor=\"") {
            let v = &html[i + 13..];
            let id = &v[..v.find('"').unwrap()];
            assert!(
                html.contains(&format!("id=\"{id}\"")),
                "{a}: anchor {id} missing"
            );
        }
        for legend in ["legend-status", "legend-passages", "legend-rhetoric"] {
            assert!(html.contains(legend), "{legend}");
        }
        // The full texts are there, in order: the published text's last paragraph is in pane B.
        let text_b = db.text().slice(db.document().span);
        let tail: String = text_b
            .trim_end()
            .chars()
            .rev()
            .take(12)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        // Highlights (passages, rhetoric hits) may cut the text into spans: compare without tags.
        let plain = strip_tags(&html);
        assert!(
            plain.contains(&tail) || plain.contains(&tifa::report::html_escape(&tail)),
            "{tail}"
        );
    }
}

#[test]
fn html_escapes_the_text_and_shows_masks() {
    let a = "关于<script>alert(1)</script>工作的讲话\n同志们：\n一、抓好**市重点项目建设。全力推进重点项目建设，确保按期完成年度投资目标任务，加快形成实物工作量。\n二、加强作风建设。\n";
    let b = "关于工作的讲话\n同志们：\n一、抓好XX市重点项目建设。全力推进重点项目建设，确保按期完成年度投资目标任务，加快形成实物工作量。\n二、改进工作作风。\n";
    let da = PreparedDoc::from_text(tifa::Text::from_string(
        "a.txt",
        a,
        tifa::text::Encoding::Utf8,
    ))
    .remove(0);
    let db = PreparedDoc::from_text(tifa::Text::from_string(
        "b.txt",
        b,
        tifa::text::Encoding::Utf8,
    ))
    .remove(0);
    let r = PairReport::build(&da, &db, &CompareParams::with_default_patterns());
    let html = pair::html(&r, &da, &db, Lang::En);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only the page's own script"
    );
    assert!(html.contains("<span class=\"mask\">**</span>"), "mask in A");
    assert!(html.contains("<span class=\"mask\">XX</span>"), "mask in B");
    assert!(html.contains("<html lang=\"en\">") && html.contains("Aligned outlines"));
}

#[test]
fn cli_writes_each_format_and_language() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let o = tifa()
        .args(["report", COUNTY_A, COUNTY_B, "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("对比报告") && html.contains("id=\"pane-b\""));
    let en = tifa()
        .args(["report", "--lang", "en", COUNTY_A, COUNTY_B])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&en.stdout).contains("Comparison report"));
    let md = tifa()
        .args(["report", "--format", "md", COUNTY_A, COUNTY_B])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.starts_with("# tifa 对比报告") && md.contains("## 复用段落"));
    let json = tifa()
        .args(["report", "--format", "json", COUNTY_A, COUNTY_B])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    for key in [
        "a",
        "b",
        "scores",
        "verdict",
        "compare",
        "patterns",
        "shared_formulas",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert!(!v["compare"]["passages"].as_array().unwrap().is_empty());
}

#[test]
fn cli_errors_name_the_input_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    for args in [
        vec!["report", "missing.txt", COUNTY_B],
        vec!["report", "--doc-a", "0", COUNTY_A, COUNTY_B],
        vec!["report", "--doc-b", "9", COUNTY_A, COUNTY_B],
        vec!["report", "--min-len", "0", COUNTY_A, COUNTY_B],
    ] {
        let o = tifa().args(&args).arg("-o").arg(&out).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("tifa: "), "{err}");
        assert!(!out.exists(), "{args:?} left an output file");
    }
}

/// Validates `instance` against `schema` with Python's `jsonschema` (draft 2020-12).
fn validate_with_python(schema: &Path, instance: &str) -> Result<(), String> {
    let python = std::env::var("TIFA_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = Command::new(&python)
        .args([
            "-c",
            "import json, sys, jsonschema\n\
             schema = json.load(open(sys.argv[1], encoding='utf-8'))\n\
             jsonschema.Draft202012Validator.check_schema(schema)\n\
             errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(sys.stdin)))\n\
             for e in errors[:5]: print(list(e.absolute_path), e.message)\n\
             sys.exit(1 if errors else 0)",
        ])
        .arg(schema)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("{python}: {e}"))?;
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(instance.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    if o.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&o.stdout).into_owned())
    }
}

#[test]
#[ignore = "needs python3 with the jsonschema package (pip install jsonschema)"]
fn json_matches_its_schema() {
    let schema = Path::new("docs/schema/report.schema.json");
    for (a, b) in [
        (DRAFT, PUBLISHED),
        (COUNTY_A, COUNTY_B),
        (
            "examples/speeches/000_1f080de224ac8f35.txt",
            "examples/speeches/002_8497deb454e1b19d.txt",
        ),
    ] {
        let (r, _, _) = report(a, b);
        validate_with_python(schema, &pair::json(&r)).unwrap_or_else(|e| panic!("{a} {b}: {e}"));
    }
    // The validator does reject a report with a field dropped.
    let (r, _, _) = report(COUNTY_A, COUNTY_B);
    let mut v: serde_json::Value = serde_json::from_str(&pair::json(&r)).unwrap();
    v["compare"].as_object_mut().unwrap().remove("passages");
    assert!(validate_with_python(schema, &v.to_string()).is_err());
}

/// The page's text with every tag removed.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
