//! Corpus mode on real text: the seed speeches' shared formulas, lineage in the government work reports,
//! duplicates counted once, pairs found without all-pairs comparison, bad files skipped, and exports that
//! load in their tools (Graphviz `dot`, Python's networkx, json and csv modules).

use std::path::{Path, PathBuf};
use std::process::Command;

use tifa::Text;
use tifa::corpus::{self, CorpusParams, FormulaClass, NoProgress};
use tifa::files::{self, FileFilter};
use tifa::text::Encoding;

const SEEDS: &str = "examples/speeches";

fn analyze_paths(paths: &[PathBuf]) -> corpus::Analysis {
    let sel = files::select(paths, &FileFilter::default());
    let ingested = corpus::ingest::ingest_files(
        &sel.files,
        None,
        Some(&tifa::patterns::PatternSet::default_set()),
        &NoProgress,
    );
    corpus::analyze(ingested, &CorpusParams::default(), &NoProgress)
}

fn seed_names(a: &corpus::Analysis, f: &corpus::Formula) -> Vec<String> {
    let mut names: Vec<String> = f
        .occurrences
        .iter()
        .map(|o| {
            let p = &a.corpus.docs[o.doc as usize].path;
            Path::new(p).file_name().unwrap().to_string_lossy()[..3].to_string()
        })
        .collect();
    names.dedup();
    names
}

#[test]
fn seed_formulas_with_their_documents() {
    let a = analyze_paths(&[PathBuf::from(SEEDS)]);
    // README.md in the folder is not a speech: 5 files, seed 002 is a compilation of six.
    assert_eq!(a.corpus.texts.len(), 5);
    let in_002 = a
        .corpus
        .docs
        .iter()
        .filter(|d| d.path.contains("002_"))
        .count();
    assert_eq!(in_002, 6);
    let find = |t: &str| {
        a.formulas
            .iter()
            .find(|f| f.text == t)
            .unwrap_or_else(|| panic!("formula {t} not found"))
    };
    let f = find("争一流、争第一、争唯一");
    assert_eq!(seed_names(&a, f), ["001", "002", "004"]);
    assert_eq!(f.class, FormulaClass::Lineage);
    assert_eq!(
        seed_names(&a, find("攻坚三季度、决胜下半年")),
        ["001", "004"]
    );
    assert_eq!(
        seed_names(&a, find("房地产市场平稳健康发展")),
        ["000", "002", "004"]
    );
    let x = find("习近平新时代中国特色社会主义思想");
    assert_eq!(seed_names(&a, x), ["000", "001", "003"]);
    assert_eq!(x.class, FormulaClass::Boilerplate, "a stock formula");
    // Every occurrence's span holds the formula's content chars.
    for f in &a.formulas {
        for o in &f.occurrences {
            let s = a.corpus.text(o.doc).slice(o.span);
            let content = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).count();
            assert!(content(s) >= content(&f.text) / 2, "{s} vs {}", f.text);
        }
    }
}

fn texts(items: &[(&str, String)]) -> Vec<Text> {
    items
        .iter()
        .map(|(n, s)| Text::from_string(n, s.as_str(), Encoding::Utf8))
        .collect()
}

/// Paragraphs of real seed text, distinct from each other.
fn seed_paragraphs() -> Vec<String> {
    let mut out = Vec::new();
    for f in ["000_1f080de224ac8f35.txt", "003_56fb9e0156cb07c5.txt"] {
        let t = std::fs::read_to_string(Path::new(SEEDS).join(f)).unwrap();
        out.extend(
            t.lines()
                .map(str::trim)
                .filter(|l| l.chars().count() > 120)
                .map(String::from),
        );
    }
    out
}

#[test]
fn duplicates_counted_once_and_copies_found() {
    let p = seed_paragraphs();
    assert!(p.len() >= 12);
    let a = format!("{}\n{}\n{}", p[0], p[1], p[2]);
    let near = format!("{}\n{}\n{}", p[0], p[1].replacen("要", "须", 2), p[2]);
    // C takes one paragraph of B, numbers changed; D and E are unrelated.
    let b = format!("{}\n{}\n{}", p[3], p[4], p[5]);
    let c = format!("{}\n{}\n{}", p[6], p[4].replace('2', "7"), p[7]);
    let d = format!("{}\n{}", p[8], p[9]);
    let e = format!("{}\n{}", p[10], p[11]);
    let ing = corpus::ingest::ingest_texts(
        texts(&[
            ("a.txt", a.clone()),
            ("a-copy.txt", a),
            ("a-near.txt", near),
            ("b.txt", b),
            ("c.txt", c),
            ("d.txt", d),
            ("e.txt", e),
        ]),
        None,
    );
    let an = corpus::analyze(ing, &CorpusParams::default(), &NoProgress);
    let dup: Vec<(u32, Option<u32>, Option<&str>)> = an
        .corpus
        .docs
        .iter()
        .map(|d| (d.id, d.duplicate_of, d.duplicate))
        .collect();
    assert_eq!(dup[1], (1, Some(0), Some("exact")));
    assert_eq!(dup[2], (2, Some(0), Some("near")));
    assert!(dup[3..].iter().all(|d| d.1.is_none()));
    let pairs: Vec<(u32, u32, bool)> = an
        .pairs
        .iter()
        .map(|p| (p.a, p.b, p.near_duplicate))
        .collect();
    assert!(pairs.contains(&(0, 2, true)), "{pairs:?}");
    assert!(pairs.contains(&(3, 4, false)), "{pairs:?}");
    assert_eq!(
        pairs.len(),
        2,
        "no pair with D or E, none with the duplicates: {pairs:?}"
    );
    let bc = an.pairs.iter().find(|p| (p.a, p.b) == (3, 4)).unwrap();
    let copied = &bc.passages[0];
    let in_c = an.corpus.text(4).slice(copied.b);
    let core: String = p[4].replace('2', "7").chars().skip(10).take(60).collect();
    assert!(in_c.contains(&core), "{in_c}");
    assert!(bc.scores.distinctive > 0.2 && bc.scores.distinctive < 0.5);
    // Formulas count the near-duplicate once: nothing is shared by A and its near copy only.
    assert!(
        an.formulas
            .iter()
            .all(|f| f.occurrences.iter().all(|o| o.doc != 2))
    );
}

#[test]
fn query_ranks_the_source() {
    let p = seed_paragraphs();
    let ing = corpus::ingest::ingest_texts(
        texts(&[
            ("x.txt", format!("{}\n{}", p[0], p[1])),
            ("y.txt", format!("{}\n{}", p[2], p[3])),
            ("z.txt", format!("{}\n{}", p[4], p[5])),
        ]),
        None,
    );
    let an = corpus::analyze(ing, &CorpusParams::default(), &NoProgress);
    let q = Text::from_string(
        "draft.txt",
        format!("新的开头。\n{}\n结尾。", p[3]),
        Encoding::Utf8,
    );
    let r = corpus::query::query(&an, q, 2, &tifa::reuse::ReuseParams::default());
    assert_eq!(r.matches.len(), 1);
    assert_eq!(r.matches[0].doc, 1);
    assert!(r.matches[0].scores.b_in_a > 0.9);
}

/// A document dated after the query shares its text but cannot be its source: it is marked `later` and
/// ranked after the possible sources, even when it holds more of the query.
#[test]
fn query_puts_later_documents_after_the_sources() {
    use tifa::document::Relation;
    let p = seed_paragraphs();
    let ing = corpus::ingest::ingest_texts(
        texts(&[
            ("报告-2020.txt", format!("{}\n{}", p[0], p[1])),
            ("报告-2023.txt", format!("{}\n{}\n{}", p[0], p[1], p[2])),
            ("其他-2019.txt", format!("{}\n{}", p[4], p[5])),
            ("无日期.txt", format!("{}\n{}", p[6], p[7])),
        ]),
        None,
    );
    let an = corpus::analyze(ing, &CorpusParams::default(), &NoProgress);
    let q = Text::from_string(
        "报告-2021.txt",
        format!("{}\n{}\n{}\n{}", p[0], p[1], p[2], p[6]),
        Encoding::Utf8,
    );
    let r = corpus::query::query(&an, q, 2, &tifa::reuse::ReuseParams::default());
    let got: Vec<(u32, Relation)> = r.matches.iter().map(|m| (m.doc, m.relation)).collect();
    // 2023 holds three of the query's paragraphs, 2020 two, the undated one one: the later one last.
    assert_eq!(
        got,
        vec![
            (0, Relation::Earlier),
            (3, Relation::Unknown),
            (1, Relation::Later)
        ],
        "{got:?}"
    );
}

#[test]
#[ignore = "needs ../shared corpus"]
fn consecutive_government_work_reports_are_linked_more_strongly() {
    let dir = Path::new("../shared/corpus/cn-political-corpora/split");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("../shared corpus missing")
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("gwr_"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 50, "expected the 52 reports");
    let a = analyze_paths(&paths);
    let year = |d: u32| -> i32 {
        a.corpus.docs[d as usize].date.as_deref().unwrap()[..4]
            .parse()
            .unwrap()
    };
    let mut score = std::collections::HashMap::new();
    for p in &a.pairs {
        score.insert(
            (year(p.a).min(year(p.b)), year(p.a).max(year(p.b))),
            p.scores.distinctive,
        );
    }
    let years: Vec<i32> = a.corpus.distinct().map(year).collect();
    let mean = |gap: std::ops::RangeInclusive<i32>| {
        let mut v = Vec::new();
        for &x in &years {
            for &y in &years {
                if x < y && gap.contains(&(y - x)) {
                    v.push(*score.get(&(x, y)).unwrap_or(&0.0));
                }
            }
        }
        v.iter().sum::<f64>() / v.len() as f64
    };
    let (near, far) = (mean(1..=1), mean(10..=60));
    eprintln!("mean distinctive share: consecutive {near:.4}, ≥10 years apart {far:.4}");
    assert!(near > 3.0 * far, "consecutive {near} vs distant {far}");
    // Direction: edges between dated reports run older → newer.
    let e = a
        .graph
        .edges
        .iter()
        .find(|e| e.kind == "reuse" && e.directed)
        .unwrap();
    let id = |s: &str| s[1..].parse::<u32>().unwrap();
    assert!(year(id(&e.source)) < year(id(&e.target)));
}

/// The 1,990 local government work reports, as an analyst would read corpus mode's pairs: a place's
/// consecutive years share the most distinctive text, then the same place years apart, then different
/// places (figures are means over every pair of documents of a group, unreported pairs counting 0).
#[test]
#[ignore = "needs ../shared corpus"]
fn local_reports_link_a_place_s_consecutive_years_first() {
    let a = analyze_paths(&[PathBuf::from("../shared/corpus/local-reports/txt")]);
    assert!(
        a.corpus.docs.len() > 1900,
        "expected the 1,990 local reports"
    );
    // `<level>-<place>-<year>.txt`
    let place_year = |d: u32| -> (String, i32) {
        let p = &a.corpus.docs[d as usize].path;
        let stem = Path::new(p)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let (place, year) = stem.rsplit_once('-').unwrap();
        (place.to_string(), year.parse().unwrap())
    };
    let docs: Vec<(String, i32)> = a.corpus.distinct().map(place_year).collect();
    // Group of a pair: Some(gap) for one place `gap` years apart, None for two places.
    let group =
        |x: &(String, i32), y: &(String, i32)| (x.0 == y.0).then(|| (x.1 - y.1).abs().min(4));
    let mut sum: std::collections::HashMap<Option<i32>, (f64, f64)> = Default::default();
    for (i, x) in docs.iter().enumerate() {
        for y in &docs[i + 1..] {
            sum.entry(group(x, y)).or_default().1 += 1.0;
        }
    }
    for p in &a.pairs {
        let g = group(&place_year(p.a), &place_year(p.b));
        sum.entry(g).or_default().0 += p.scores.distinctive;
    }
    let mean = |g: Option<i32>| sum.get(&g).map_or(0.0, |(s, n)| s / n);
    let (y1, y2, y4, other) = (mean(Some(1)), mean(Some(2)), mean(Some(4)), mean(None));
    eprintln!(
        "mean distinctive share: same place 1 year apart {y1:.4}, 2 years {y2:.4}, 4+ years {y4:.4}, two places {other:.5}"
    );
    assert!(y1 > y2 && y2 > y4, "{y1} {y2} {y4}");
    assert!(y4 > 3.0 * other, "same place {y4} vs two places {other}");
    // Passages feed the graph: no two passages of a pair cover the same text on either side.
    for p in &a.pairs {
        for side in [
            |q: &tifa::reuse::Passage| q.a,
            |q: &tifa::reuse::Passage| q.b,
        ] {
            let mut spans: Vec<_> = p.passages.iter().map(side).collect();
            spans.sort_by_key(|s| s.start);
            for w in spans.windows(2) {
                assert!(w[0].end <= w[1].start, "{:?} overlaps {:?}", w[0], w[1]);
            }
        }
    }
}

fn tifa() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tifa"))
}

/// Runs a command that must succeed (its stderr is the failure message); returns its stdout.
fn succeed(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn python(script: &str, dir: &Path) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(dir)
        .output()
        .expect("python3 is needed (CI installs python3-networkx)");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
#[ignore = "needs graphviz `dot` and Python networkx: .ci/run installs them"]
fn exports_load_in_their_tools() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("corpus-out");
    let stdout = succeed(
        tifa()
            .args(["corpus", SEEDS, "examples/reuse", "-o"])
            .arg(&dir),
    );
    assert!(stdout.contains("3 similar pairs"), "{stdout}");
    for f in corpus::export::FILES {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    // Graphviz renders the DOT file.
    let svg = Command::new("dot")
        .arg("-Tsvg")
        .arg(dir.join("graph.dot"))
        .output()
        .expect("graphviz `dot` is needed (CI installs graphviz)");
    assert!(
        svg.status.success(),
        "{}",
        String::from_utf8_lossy(&svg.stderr)
    );
    assert!(String::from_utf8_lossy(&svg.stdout).contains("<svg"));
    // networkx reads the GraphML with graph.json's counts; every JSONL line parses; the CSVs open.
    let report = python(
        r#"
import csv, json, sys, networkx as nx
d = sys.argv[1]
g = nx.read_graphml(d + "/graph.graphml")
j = json.load(open(d + "/graph.json"))
assert g.number_of_nodes() == len(j["nodes"]), (g.number_of_nodes(), len(j["nodes"]))
assert g.number_of_edges() == len(j["edges"]), (g.number_of_edges(), len(j["edges"]))
n = {}
for f in ["documents", "formulas", "pairs"]:
    n[f] = sum(1 for line in open(d + "/" + f + ".jsonl", encoding="utf-8") if json.loads(line) is not None)
rows = list(csv.DictReader(open(d + "/formulas.csv", encoding="utf-8-sig", newline="")))
assert len(rows) == n["formulas"], (len(rows), n["formulas"])
assert all(r["class"] in ("lineage", "boilerplate") for r in rows)
prow = list(csv.DictReader(open(d + "/pairs.csv", encoding="utf-8-sig", newline="")))
assert len(prow) == n["pairs"]
print(g.number_of_nodes(), g.number_of_edges(), n["documents"], n["formulas"], n["pairs"])
"#,
        &dir,
    );
    let counts: Vec<usize> = report
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    assert_eq!(
        counts[2], 12,
        "10 seed documents and the two reuse examples"
    );
    assert!(counts[3] >= 20 && counts[4] >= 1, "{report}");
}

#[test]
fn a_bad_file_is_listed_and_skipped() {
    let d = tempfile::tempdir().unwrap();
    for f in ["000_1f080de224ac8f35.txt", "004_c7f0127a3eafd24f.txt"] {
        std::fs::copy(Path::new(SEEDS).join(f), d.path().join(f)).unwrap();
    }
    std::fs::write(
        d.path().join("broken.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .unwrap();
    std::fs::write(d.path().join("table.csv"), "a,b\n1,2\n").unwrap();
    let out = d.path().join("out");
    let run = tifa()
        .arg("corpus")
        .arg(d.path())
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8(run.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("broken.txt: binary file"), "{err}");
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(
        stdout.starts_with("2 files read (1 failed, 1 skipped: 1 data)"),
        "{stdout}"
    );
    let docs = std::fs::read_to_string(out.join("documents.jsonl")).unwrap();
    assert_eq!(docs.lines().count(), 2);
    assert!(stdout.contains("以优异成绩迎接党的二十大胜利召开"));
}

/// `tifa corpus --db` reads the stored texts of an index and writes what the files give; with `--query`
/// it answers from the index alone.
#[test]
fn corpus_from_an_index_equals_corpus_from_the_files() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("seeds.db");
    succeed(tifa().args(["index", "add", SEEDS, "--db"]).arg(&db));
    let (from_files, from_db) = (d.path().join("files"), d.path().join("db"));
    let run = |args: &[&std::ffi::OsStr]| succeed(tifa().arg("corpus").args(args));
    let summary_files = run(&[SEEDS.as_ref(), "-o".as_ref(), from_files.as_os_str()]);
    let summary_db = run(&[
        "--db".as_ref(),
        db.as_os_str(),
        "-o".as_ref(),
        from_db.as_os_str(),
    ]);
    // The first line counts the files of the folder (the README is skipped there); the rest is equal.
    let rest = |s: &str| s.split_once('\n').unwrap().1.to_string();
    assert_eq!(rest(&summary_files), rest(&summary_db));
    for f in [
        "documents.jsonl",
        "formulas.jsonl",
        "pairs.jsonl",
        "graph.json",
    ] {
        assert_eq!(
            std::fs::read_to_string(from_files.join(f)).unwrap(),
            std::fs::read_to_string(from_db.join(f)).unwrap(),
            "{f}"
        );
    }
    // A query: the seed itself comes first, found whole.
    let q = format!("{SEEDS}/001_bbf023ef8e8ca942.txt");
    let json = run(&[
        "--db".as_ref(),
        db.as_os_str(),
        "--query".as_ref(),
        q.as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = &v["hits"][0];
    assert!(
        first["document"]["path"]
            .as_str()
            .unwrap()
            .ends_with("001_bbf023ef8e8ca942.txt"),
        "{first}"
    );
}

/// `tifa corpus --report`: the corpus page with its markup contract, and the pair reports of the top
/// pairs written beside it and linked from the pairs table.
#[test]
fn corpus_report_links_the_pair_reports_written_beside_it() {
    let d = tempfile::tempdir().unwrap();
    let page = d.path().join("corpus.html");
    succeed(
        tifa()
            .args(["corpus", "examples/reuse", SEEDS, "--report"])
            .arg(&page)
            .args(["--report-pairs", "2", "--lang", "en"]),
    );
    let html = std::fs::read_to_string(&page).unwrap();
    for contract in [
        "id=\"pairs\"",
        "<tr data-a=\"",
        "class=\"sortable data formulas\"",
        "<tr data-df=\"",
        "id=\"heatmap\"",
        "id=\"graph\"",
        "id=\"threshold\"",
        "data-summary=\"documents\"",
        "Similar pairs",
    ] {
        assert!(html.contains(contract), "{contract} missing");
    }
    // The county pair is the top pair; its report is beside the page and linked relatively (the
    // template escapes `/` in attributes as `&#x2f;`, which a browser reads as `/`).
    assert!(
        html.replace("&#x2f;", "/")
            .contains("href=\"corpus-pairs/001.html\"")
    );
    let pair = std::fs::read_to_string(d.path().join("corpus-pairs/001.html")).unwrap();
    assert!(
        pair.contains("data-passage=\""),
        "the pair report highlights its passages"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "self-contained"
    );
}

/// A phrase few documents share but pieced together from stock text that many hold is boilerplate; a
/// phrase of rare text in the same few documents is lineage.
#[test]
fn stock_pieces_in_a_rare_combination_are_boilerplate() {
    let p = seed_paragraphs();
    // Not in the built-in stock list (reuse/formulas.txt), so only the corpus can tell they are stock.
    let s1 = "大力培育县域特色产业集群";
    let s2 = "持续改善农村人居环境面貌";
    let rare = "湘江新区智能网联汽车测试区扩容至三百公里";
    let mut items = Vec::new();
    for (i, para) in p.iter().take(12).enumerate() {
        let body = if i < 3 {
            format!("我们{s1}，{s2}。\n{para}\n推动{rare}。\n")
        } else {
            format!("{para}\n今年{s1}。\n各地{s2}。\n")
        };
        items.push((format!("d{i:02}.txt"), body));
    }
    let named: Vec<(&str, String)> = items.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let an = corpus::analyze(
        corpus::ingest::ingest_texts(texts(&named), None),
        &CorpusParams::default(),
        &NoProgress,
    );
    let class_of = |needle: &str| {
        an.formulas
            .iter()
            .find(|f| f.text.contains(needle) && f.df == 3)
            .map(|f| (f.text.clone(), f.class))
    };
    let combined = class_of("产业集群，持续").expect("the combination is a formula");
    assert_eq!(combined.1, FormulaClass::Boilerplate, "{combined:?}");
    let lineage = class_of("智能网联汽车测试区").expect("the rare phrase is a formula");
    assert_eq!(lineage.1, FormulaClass::Lineage, "{lineage:?}");
}
