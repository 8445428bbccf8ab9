//! The distributed path: `sql/candidates.sql` run on DuckDB over the exported tables gives exactly the
//! candidate pairs of tifa's in-process path, and `tifa verify` turns them into pair records.
//!
//! With the `parquet` cargo feature the export is Parquet (what a cluster reads) and the pairs are
//! verified from a Parquet file too (`cargo test --release --features parquet --test index_sql --
//! --ignored`); without it, CSV.
//! DuckDB comes from PyPI: the test uses `$TIFA_PYTHON` when set (a Python with `duckdb`), else it makes a
//! venv under `target/venv-index-sql` and installs `duckdb` there. It fails (not skips) when that is
//! impossible, hence `#[ignore]`: CI runs it with `--ignored`.
//!
//! The corpus: the shipped speeches, plus 16 files cut from their paragraphs where file `i` holds
//! paragraphs `[4i, 4i + 8)` and every file carries one common boilerplate paragraph, which the bucket
//! cap must keep from pairing all files with all files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn tifa(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_tifa"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tifa {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A Python that imports duckdb.
fn python_with_duckdb() -> PathBuf {
    if let Some(p) = std::env::var_os("TIFA_PYTHON") {
        return p.into();
    }
    let venv = root().join("target/venv-index-sql");
    let py = venv.join("bin/python");
    let ok = |py: &Path| {
        Command::new(py)
            .args(["-c", "import duckdb"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !ok(&py) {
        let st = Command::new("python3")
            .args(["-m", "venv", s(&venv)])
            .status()
            .expect("python3 is needed for the DuckDB test");
        assert!(st.success(), "python3 -m venv failed");
        let st = Command::new(&py)
            .args(["-m", "pip", "install", "-q", "duckdb"])
            .status()
            .unwrap();
        assert!(st.success(), "pip install duckdb failed");
    }
    assert!(ok(&py), "duckdb does not import in {}", py.display());
    py
}

fn corpus(dir: &Path) {
    let speeches = root().join("examples/speeches");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&speeches)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut paras = Vec::new();
    for f in &files {
        std::fs::copy(f, dir.join(f.file_name().unwrap())).unwrap();
        let text = std::fs::read_to_string(f).unwrap();
        paras.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| l.chars().count() >= 30)
                .map(String::from),
        );
    }
    let boilerplate = "我们要坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神，坚定不移推动高质量发展。";
    for i in 0..16 {
        let body = paras[4 * i..4 * i + 8].join("\n");
        std::fs::write(
            dir.join(format!("cut_{i:02}.txt")),
            format!("第{i}号材料\n{boilerplate}\n{body}\n"),
        )
        .unwrap();
    }
}

#[test]
#[ignore = "needs python3 and PyPI duckdb (a venv is made under target/)"]
fn duckdb_runs_the_candidate_sql_with_the_same_result() {
    let py = python_with_duckdb();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("corpus");
    std::fs::create_dir(&src).unwrap();
    corpus(&src);
    let db = dir.path().join("c.db");
    tifa(&["index", "add", s(&src), "--db", s(&db)]);
    // A small cap, so the boilerplate paragraph shared by all 16 cut files is ignored.
    let caps = ["--max-bucket", "6", "--min-shared", "2"];
    let export = dir.path().join("export");
    let format = if cfg!(feature = "parquet") {
        "--parquet"
    } else {
        "--csv"
    };
    let mut args = vec!["index", "export", format, s(&export), "--db", s(&db)];
    args.extend(caps);
    tifa(&args);
    let ext = if cfg!(feature = "parquet") {
        "parquet"
    } else {
        "csv"
    };
    for t in ["documents", "shingles", "formulas", "pairs", "params"] {
        assert!(export.join(format!("{t}.{ext}")).exists(), "{t}.{ext}");
    }

    let inproc = dir.path().join("inproc.csv");
    let mut args = vec!["index", "candidates", "--db", s(&db), "-o", s(&inproc)];
    args.extend(caps);
    tifa(&args);
    let duck = dir.path().join("duckdb.csv");
    let duck_parquet = dir.path().join("duckdb-pairs");
    let script = root().join("scripts/candidates.py");
    let mut args = vec![s(&script), "--engine", "duckdb", s(&export), s(&duck)];
    if cfg!(feature = "parquet") {
        args.extend(["--parquet-out", s(&duck_parquet)]);
    }
    let out = Command::new(&py).args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = std::fs::read_to_string(&inproc).unwrap();
    let b = std::fs::read_to_string(&duck).unwrap();
    assert_eq!(a, b, "DuckDB and tifa give the same candidate pairs");
    let pairs: Vec<(i64, i64)> = a
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<i64> = l.split(',').map(|x| x.parse().unwrap()).collect();
            (f[0], f[1])
        })
        .collect();

    // What the pairs mean: consecutive cut files are candidates, files two apart (which share only
    // the capped boilerplate) are not.
    let docs = tifa(&[
        "index",
        "export",
        "--csv",
        s(&dir.path().join("csv")),
        "--db",
        s(&db),
    ]);
    assert!(docs.status.success());
    let documents = std::fs::read_to_string(dir.path().join("csv/documents.csv")).unwrap();
    let id_of = |name: &str| -> i64 {
        documents
            .lines()
            .find(|l| l.contains(name))
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    for i in 0..15 {
        let (x, y) = (
            id_of(&format!("cut_{i:02}.txt")),
            id_of(&format!("cut_{:02}.txt", i + 1)),
        );
        assert!(
            pairs.contains(&(x.min(y), x.max(y))),
            "cut {i} and {}",
            i + 1
        );
    }
    for i in 0..14 {
        let (x, y) = (
            id_of(&format!("cut_{i:02}.txt")),
            id_of(&format!("cut_{:02}.txt", i + 2)),
        );
        assert!(
            !pairs.contains(&(x.min(y), x.max(y))),
            "cut {i} and {}",
            i + 2
        );
    }

    // The SQL's output feeds `tifa verify`.
    let records = dir.path().join("pairs.jsonl");
    tifa(&[
        "verify",
        "--pairs",
        s(&duck),
        "--db",
        s(&db),
        "-o",
        s(&records),
    ]);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&records)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() >= 15, "{} records", lines.len());
    for r in &lines {
        assert!(!r["passages"].as_array().unwrap().is_empty());
        assert!(r["a"]["path"].is_string() && r["scores"]["a_in_b"].is_number());
    }

    // The same pairs as Parquet (what a cluster job hands each `tifa verify`): the same records.
    if cfg!(feature = "parquet") {
        let part = duck_parquet.join("part-00000.parquet");
        let from_parquet = dir.path().join("pairs-parquet.jsonl");
        tifa(&[
            "verify",
            "--pairs",
            s(&part),
            "--db",
            s(&db),
            "-o",
            s(&from_parquet),
        ]);
        assert_eq!(
            std::fs::read_to_string(&from_parquet).unwrap(),
            std::fs::read_to_string(&records).unwrap(),
            "tifa verify reads Parquet pairs as it reads CSV"
        );
    }
}
