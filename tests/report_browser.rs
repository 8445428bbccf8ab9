//! The pair report in a real browser (Debian's `chromium` and `chromium-driver`, run headless), and the
//! 500,000-char pair's analysis and render times.
//!
//! Ignored by default (CI runs them with `--ignored`); they fail, never skip, when a tool or `../shared`
//! is missing. Reports and screenshots are written under `target/report-artefacts/` — look at them.
//! Setup (see tests/browser/README.md): `apt-get install -y chromium chromium-driver` and
//! `python3 -m venv target/browser-venv && target/browser-venv/bin/pip install selenium jsonschema`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use tifa::compare::CompareParams;
use tifa::prepared::PreparedDoc;
use tifa::report::page::Lang;
use tifa::report::pair::{self, PairReport};

const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

const SEED_PAIRS: [(&str, &str, &str); 2] = [
    (
        "seed-draft-published",
        "examples/drafts/003_draft.txt",
        "examples/speeches/003_56fb9e0156cb07c5.txt",
    ),
    (
        "seed-county",
        "examples/reuse/county_a.txt",
        "examples/reuse/county_b.txt",
    ),
];

fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("report-artefacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tool(env: &str, default: &str) -> String {
    let path = std::env::var(env).unwrap_or_else(|_| default.to_string());
    assert!(
        Path::new(&path).exists(),
        "{path} is missing (set {env}, or see tests/browser/README.md)"
    );
    path
}

/// Writes the pair report of `a` and `b` to `out` with the CLI.
fn write_report(a: &Path, b: &Path, out: &Path, lang: &str) {
    let o = Command::new(env!("CARGO_BIN_EXE_tifa"))
        .args(["report", "--lang", lang])
        .arg(a)
        .arg(b)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn seed_reports() -> Vec<PathBuf> {
    let dir = artefacts();
    SEED_PAIRS
        .iter()
        .map(|(name, a, b)| {
            let out = dir.join(format!("{name}.html"));
            write_report(Path::new(a), Path::new(b), &out, "zh");
            out
        })
        .collect()
}

/// Runs a driven browser script; its output is printed, and every check must pass. Returns stdout.
fn browser_checks(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    eprintln!("{stdout}{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "browser checks failed");
    assert!(stdout.contains(" passed, 0 failed"));
    stdout
}

/// The values of `attr` inside the element with id `id` (a pane: no nested div).
fn attr_values(html: &str, id: &str, attr: &str) -> BTreeSet<String> {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("{id} missing"));
    let pane = &html[start..];
    let pane = &pane[..pane.find("</div>").unwrap()];
    let key = format!("{attr}=\"");
    pane.match_indices(&key)
        .map(|(i, _)| {
            let v = &pane[i + key.len()..];
            v[..v.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
#[ignore = "needs Debian's chromium (apt-get install chromium)"]
fn dom_after_scripts_holds_both_panes_linked_passages_and_legends() {
    let chromium = tool("TIFA_CHROMIUM", "/usr/bin/chromium");
    for report in seed_reports() {
        let profile = tempfile::tempdir().unwrap();
        let o = Command::new(&chromium)
            .args(CHROMIUM_FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--virtual-time-budget=5000", "--dump-dom"])
            .arg(format!(
                "file://{}",
                report.canonicalize().unwrap().display()
            ))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let dom = String::from_utf8(o.stdout).unwrap();
        let name = report.display();
        // The script ran: it links the panes and says how many passages it indexed.
        for pane in ["pane-a", "pane-b"] {
            let tag_start = dom.find(&format!("id=\"{pane}\"")).unwrap();
            let tag = &dom[tag_start..tag_start + dom[tag_start..].find('>').unwrap()];
            assert!(
                tag.contains("data-linked=\""),
                "{name}: {pane} not linked: {tag}"
            );
        }
        let (pa, pb) = (
            attr_values(&dom, "pane-a", "data-passage"),
            attr_values(&dom, "pane-b", "data-passage"),
        );
        assert!(!pa.is_empty(), "{name}: no highlighted passage");
        assert_eq!(pa, pb, "{name}: data-passage differs between the panes");
        for legend in ["legend-status", "legend-passages", "legend-rhetoric"] {
            assert!(
                dom.contains(&format!("class=\"legend {legend}\"")),
                "{name}: {legend}"
            );
        }
        assert!(dom.contains("data-status=\""), "{name}: outline rows");
        assert!(dom.contains("data-family=\""), "{name}: rhetoric hits");
    }
}

/// Builds two documents of `chars` chars each from the government work reports in `../shared` (A: every
/// other year from the first, B: the years between, each report cut before its site footer so that a
/// file is one document), so that they share formulas and some text.
fn large_pair(chars: usize) -> (PathBuf, PathBuf) {
    let dir = Path::new("../shared/corpus/cn-political-corpora/split");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e} (needs ../shared corpus)", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("gwr_") && n.ends_with(".txt"))
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 40,
        "expected the 52 work reports in {}",
        dir.display()
    );
    let out = artefacts();
    let build = |offset: usize, name: &str| -> PathBuf {
        let mut text = String::new();
        for f in files.iter().skip(offset).step_by(2) {
            let t = std::fs::read_to_string(f).unwrap();
            let body = t.split("本作品是中华人民共和国").next().unwrap_or("");
            text.push_str(body.trim());
            text.push_str("\n\n");
        }
        let text: String = text.chars().take(chars).collect();
        assert_eq!(
            text.chars().count(),
            chars,
            "not enough text for {chars} chars"
        );
        let path = out.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    (build(0, "large_a.txt"), build(1, "large_b.txt"))
}

/// The pair report of the two 500,000-char documents, written once per test run; with the seconds the
/// analysis (compare, reuse, patterns) and the rendering of the page took.
fn large_report() -> &'static (PathBuf, f64, f64) {
    static REPORT: OnceLock<(PathBuf, f64, f64)> = OnceLock::new();
    REPORT.get_or_init(|| {
        let (a, b) = large_pair(500_000);
        let read = |p: &Path| PreparedDoc::read(p, None).unwrap().remove(0);
        let (da, db) = (read(&a), read(&b));
        assert_eq!(
            (da.document().span.len(), db.document().span.len()),
            (500_000, 500_000),
            "one document per file"
        );
        let t = Instant::now();
        let report = PairReport::build(&da, &db, &CompareParams::with_default_patterns());
        let analysis = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let html = pair::html(&report, &da, &db, Lang::Zh);
        let render = t.elapsed().as_secs_f64();
        let out = artefacts().join("large-pair.html");
        std::fs::write(&out, &html).unwrap();
        eprintln!(
            "large pair: 2 × 500,000 chars, {} passages → {} bytes; analysis {analysis:.2} s, rendering {render:.3} s",
            report.compare.passages.len(),
            html.len()
        );
        (out, analysis, render)
    })
}

#[test]
#[ignore = "needs ../shared corpus"]
fn large_pair_report_holds_both_texts_and_linked_passages() {
    let (out, _analysis, render) = large_report();
    let html = std::fs::read_to_string(out).unwrap();
    let passages = attr_values(&html, "pane-a", "data-passage");
    assert!(!passages.is_empty());
    assert_eq!(passages, attr_values(&html, "pane-b", "data-passage"));
    // The whole text of both documents is on the page.
    assert!(html.len() > 2 * 500_000);
    // The time is printed for the record, not asserted: tests do not time (run in release for the figure).
    eprintln!("large pair: report rendered in {render:.2} s");
}

#[test]
#[ignore = "needs chromium, chromium-driver, the selenium venv (tests/browser/README.md) and ../shared corpus"]
fn driven_click_scrolls_counterpart_and_toggle_hides_family() {
    let python = tool("TIFA_BROWSER_PYTHON", "target/browser-venv/bin/python");
    tool("TIFA_CHROMEDRIVER", "/usr/bin/chromedriver");
    let mut reports = seed_reports();
    reports.push(large_report().0.clone());
    let english = artefacts().join("seed-county-en.html");
    write_report(
        Path::new(SEED_PAIRS[1].1),
        Path::new(SEED_PAIRS[1].2),
        &english,
        "en",
    );
    reports.push(english);
    let shots = artefacts().join("screenshots");
    let stdout = browser_checks(
        Command::new(&python)
            .arg("tests/browser/drive.py")
            .arg(&shots)
            .args(&reports),
    );
    // Responsiveness on the large pair: clicks and scroll frames stay fast.
    let large_line = stdout
        .lines()
        .find(|l| l.contains("\"large-pair.html\""))
        .expect("figures of the large pair");
    let figures: serde_json::Value = serde_json::from_str(large_line).unwrap();
    let click = figures["click_ms_median"].as_f64().unwrap();
    let frame = figures["scroll_frame_ms_median"].as_f64().unwrap();
    assert!(click < 100.0, "click handler {click} ms");
    assert!(frame < 50.0, "median scroll frame {frame} ms");
    for r in ["seed-draft-published", "seed-county", "large-pair"] {
        for shot in ["laptop", "after-click", "family-off", "phone"] {
            let p = shots.join(format!("{r}-{shot}.png"));
            assert!(
                p.metadata().is_ok_and(|m| m.len() > 10_000),
                "{}",
                p.display()
            );
        }
    }
}

#[path = "../examples/corpus_gen.rs"]
mod corpus_gen;

/// The corpus report of 3,000 documents made by the corpus generator from the local reports in
/// `../shared` (`tifa corpus DIR --report`), driven in Chromium (tests/browser/corpus.py): it ships
/// only what it shows, paginates, its slider hides edges, its top pair opens; the load time is printed.
#[test]
#[ignore = "needs chromium, chromium-driver, the selenium venv (tests/browser/README.md) and ../shared corpus"]
fn corpus_report_of_3000_documents_in_a_browser() {
    let python = tool("TIFA_BROWSER_PYTHON", "target/browser-venv/bin/python");
    tool("TIFA_CHROMEDRIVER", "/usr/bin/chromedriver");
    let dir = artefacts().join("corpus-3000");
    if !dir.join("docs").is_dir() {
        corpus_gen::generate(
            Path::new("../shared/corpus/local-reports/txt"),
            &dir,
            3000,
            20260601,
        );
    }
    let page = dir.join("corpus.html");
    let t = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_tifa"))
        .arg("corpus")
        .arg(dir.join("docs"))
        .arg("--report")
        .arg(&page)
        .args(["--report-pairs", "5"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    eprintln!(
        "corpus of 3,000 documents analysed and reported in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let stdout = browser_checks(
        Command::new(&python)
            .arg("tests/browser/corpus.py")
            .arg(artefacts().join("screenshots"))
            .arg(&page),
    );
    let figures: serde_json::Value =
        serde_json::from_str(stdout.lines().find(|l| l.starts_with('{')).unwrap()).unwrap();
    // Near-duplicates are counted once (a few of the 3,000 are).
    let docs = figures["documents"].as_u64().unwrap();
    assert!((2900..=3000).contains(&docs), "{figures}");
}
