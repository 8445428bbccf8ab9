//! The corpus index through the `tifa index` binary and the library: incremental add (no-op on unchanged
//! files, replacement of changed ones), remove, query from the index alone, refusal of files that are
//! not tifa indexes or come from a newer tifa, migrations, a SIGKILL in the middle of an `add`, and a
//! reader running while an `add` writes.
//!
//! The test corpus is built from the speeches shipped in `examples/`: their paragraphs in one list,
//! file `i` holding paragraphs `[4i, 4i + 8)`, so consecutive files share four paragraphs and files two
//! apart share none — the pairs the index must find are known by construction.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use tifa::index::{AddOptions, CandidateParams, Index, QueryOptions};

fn tifa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tifa"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// Paragraphs (lines of at least 30 chars) of the shipped example speeches, in a fixed order.
fn paragraphs() -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(examples().join("speeches"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files.push(examples().join("reuse/county_a.txt"));
    let mut out = Vec::new();
    for f in files {
        let s = std::fs::read_to_string(f).unwrap();
        out.extend(
            s.lines()
                .map(str::trim)
                .filter(|l| l.chars().count() >= 30)
                .map(String::from),
        );
    }
    out
}

/// Writes `n` files of the overlapping-window corpus into `dir`; returns their paths.
fn window_corpus(dir: &Path, n: usize) -> Vec<PathBuf> {
    let paras = paragraphs();
    assert!(paras.len() >= 4 * n + 4, "{} paragraphs", paras.len());
    (0..n)
        .map(|i| {
            let p = dir.join(format!("doc_{i:03}.txt"));
            let body = paras[4 * i..4 * i + 8].join("\n");
            std::fs::write(&p, format!("第{i}号材料\n{body}\n")).unwrap();
            p
        })
        .collect()
}

fn txt_only() -> AddOptions {
    AddOptions {
        extensions: vec!["txt".into()],
        ..AddOptions::default()
    }
}

/// Waits until a child started with `--pause-before-commit` says it is inside its transaction.
fn wait_for_pause(child: &mut std::process::Child) {
    use std::io::BufRead;
    let stderr = child.stderr.take().unwrap();
    let mut lines = std::io::BufReader::new(stderr).lines();
    loop {
        match lines.next() {
            Some(Ok(l)) if l.contains("pausing before commit") => break,
            Some(Ok(_)) => continue,
            _ => panic!("the writer ended before its commit"),
        }
    }
    // Keep draining stderr so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The invariants of an index after any crash: SQLite integrity, foreign keys, and postings that
/// match the documents' recorded fingerprint counts. Returns the number of files.
fn assert_consistent(db: &Path) -> i64 {
    let c = Connection::open(db).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let fk: i64 = c
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0, "foreign key violations");
    let (postings, recorded): (i64, i64) = c
        .query_row(
            "SELECT (SELECT COUNT(*) FROM shingles), (SELECT COALESCE(SUM(fingerprints), 0) FROM documents)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(postings, recorded, "postings match the documents");
    let orphans: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM shingles WHERE doc_id NOT IN (SELECT doc_id FROM documents)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    c.query_row("SELECT COUNT(*) FROM files", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn add_is_incremental_and_finds_the_overlapping_files() {
    let dir = tempfile::tempdir().unwrap();
    let files = window_corpus(dir.path(), 12);
    let db = dir.path().join("corpus.db");
    let mut index = Index::open(&db).unwrap();
    let opts = AddOptions::default();
    let r = index
        .add(&[dir.path().to_path_buf()], &opts, || {})
        .unwrap();
    assert_eq!((r.added_files, r.documents, r.unchanged_files), (12, 12, 0));
    // Checked pairs are the candidates with rare shared text, at most `verify_per_document` per new
    // document; every stored pair was checked.
    assert!(r.checked <= r.candidates && r.checked <= opts.verify_per_document * r.documents);
    assert!(r.pairs <= r.checked && r.pairs >= 11, "{r:?}");
    // Every pair of consecutive files shares four paragraphs: each is a verified pair; files two or
    // more apart share none of their own text.
    let docs = index.documents().unwrap();
    let id_of = |i: usize| docs.iter().find(|d| d.path == s(&files[i])).unwrap().id;
    let pairs = index.pairs().unwrap();
    for i in 0..11 {
        let (a, b) = (id_of(i), id_of(i + 1));
        let p = pairs.iter().find(|p| p.a == a && p.b == b);
        assert!(p.is_some(), "files {i} and {} paired", i + 1);
        assert!(p.unwrap().scores.a_in_b > 0.2, "{:?}", p.unwrap().scores);
    }
    let far = pairs
        .iter()
        .filter(|p| p.scores.distinctive > 0.2)
        .filter(|p| {
            let ia = docs.iter().position(|d| d.id == p.a).unwrap();
            let ib = docs.iter().position(|d| d.id == p.b).unwrap();
            ib.abs_diff(ia) > 1
        })
        .count();
    assert_eq!(
        far, 0,
        "no strong pair between files that share no paragraph"
    );

    // Unchanged: a no-op.
    let r = index
        .add(&[dir.path().to_path_buf()], &opts, || {})
        .unwrap();
    assert_eq!((r.added_files, r.unchanged_files, r.pairs), (0, 12, 0));
    let before = index.stats().unwrap();

    // A changed file replaces its rows: same counts, new content found by a query.
    let changed = "第5号材料\n今年我们全面推进城市更新行动，改造老旧小区一百二十个，新建口袋公园三十处，城市面貌焕然一新，群众满意度明显提升。\n";
    std::fs::write(&files[5], changed).unwrap();
    let r = index.add(&[files[5].clone()], &opts, || {}).unwrap();
    assert_eq!((r.added_files, r.replaced_files), (1, 1));
    let after = index.stats().unwrap();
    assert_eq!(
        (after.files, after.documents),
        (before.files, before.documents)
    );
    assert!(
        after.pairs < before.pairs,
        "pairs of the old file 5 are gone"
    );
    drop(index);
    assert_eq!(assert_consistent(&db), 12);

    // Remove through the binary.
    let out = tifa(&[
        "index",
        "remove",
        s(&files[0]),
        s(&files[1]),
        "--db",
        s(&db),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(assert_consistent(&db), 10);
    let out = tifa(&["index", "stats", "--db", s(&db), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"], 10);
    assert_eq!(v["documents"], 10);
    assert_eq!(v["schema_version"], 2);
    // The stored text is compressed: smaller than the UTF-8 text.
    assert!(v["text_stored_bytes"].as_i64().unwrap() < v["text_bytes"].as_i64().unwrap());
}

/// With no pairs checked at add time, the candidates are still all there for `tifa verify`, which
/// finds the pairs an add would have stored.
#[test]
fn unchecked_candidates_are_left_to_verify() {
    let dir = tempfile::tempdir().unwrap();
    let files = window_corpus(dir.path(), 6);
    let mut index = Index::open(dir.path().join("v.db")).unwrap();
    let opts = AddOptions {
        verify_per_document: 0,
        ..txt_only()
    };
    let r = index
        .add(&[dir.path().to_path_buf()], &opts, || {})
        .unwrap();
    assert_eq!((r.documents, r.checked, r.pairs), (6, 0, 0));
    assert!(r.candidates >= 5, "{r:?}");
    let cands = index.candidates(&CandidateParams::default()).unwrap();
    assert_eq!(cands.len(), r.candidates);
    let pairs: Vec<(i64, i64)> = cands.iter().map(|c| (c.a, c.b)).collect();
    let mut out = Vec::new();
    let v = tifa::index::verify::verify_pairs(
        &index,
        &pairs,
        &tifa::reuse::ReuseParams::default(),
        &mut out,
        &|_| {},
    )
    .unwrap();
    let docs = index.documents().unwrap();
    let id_of = |i: usize| docs.iter().find(|d| d.path == s(&files[i])).unwrap().id;
    let records: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), v.verified);
    for i in 0..5 {
        let (a, b) = (id_of(i), id_of(i + 1));
        assert!(
            records
                .iter()
                .any(|r| r["a"]["id"] == a.min(b) && r["b"]["id"] == a.max(b)),
            "files {i} and {} verified",
            i + 1
        );
    }
}

#[test]
fn query_answers_from_the_index_alone() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for e in std::fs::read_dir(examples().join("speeches")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&p, corpus.join(p.file_name().unwrap())).unwrap();
        }
    }
    let db = dir.path().join("i.db");
    let out = tifa(&["index", "add", s(&corpus), "--db", s(&db)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let originals: Vec<(String, String)> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (s(&p).to_string(), std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    // The corpus files are gone: the answer must come from the index.
    std::fs::remove_dir_all(&corpus).unwrap();
    let draft = examples().join("drafts/003_draft.txt");
    let out = tifa(&[
        "index",
        "query",
        s(&draft),
        "--db",
        s(&db),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = v["hits"].as_array().unwrap();
    let top = &hits[0];
    assert!(
        top["document"]["path"]
            .as_str()
            .unwrap()
            .ends_with("003_56fb9e0156cb07c5.txt"),
        "{}",
        top["document"]["path"]
    );
    assert!(top["scores"]["b_in_a"].as_f64().unwrap() > 0.8);
    // Passage spans are chars of the original file; the stored text reproduces them.
    let original = &originals
        .iter()
        .find(|(p, _)| p == top["document"]["path"].as_str().unwrap())
        .unwrap()
        .1;
    let chars: Vec<char> = original.trim_start_matches('\u{feff}').chars().collect();
    let draft_chars: Vec<char> = std::fs::read_to_string(&draft).unwrap().chars().collect();
    for p in top["passages"].as_array().unwrap() {
        let (a0, a1) = (
            p["a"][0].as_u64().unwrap() as usize,
            p["a"][1].as_u64().unwrap() as usize,
        );
        let (b0, b1) = (
            p["b"][0].as_u64().unwrap() as usize,
            p["b"][1].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[a0..a1].iter().collect::<String>(),
            p["a_text"].as_str().unwrap()
        );
        assert_eq!(
            draft_chars[b0..b1].iter().collect::<String>(),
            p["b_text"].as_str().unwrap()
        );
    }
    // The other speeches are not the draft's source: well below the top hit.
    for h in &hits[1..] {
        assert!(h["scores"]["b_in_a"].as_f64().unwrap() < 0.3, "{h}");
    }
}

#[test]
fn refuses_files_that_are_not_current_tifa_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let speech = examples().join("speeches/000_1f080de224ac8f35.txt");
    let check = |db: &Path, problem: &str| {
        for args in [
            vec!["index", "stats", "--db", s(db)],
            vec!["index", "add", s(&speech), "--db", s(db)],
        ] {
            let before = std::fs::read(db).ok();
            let out = tifa(&args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert_eq!(err.trim_end().lines().count(), 1, "{err}");
            assert!(err.contains(s(db)) && err.contains(problem), "{err}");
            assert_eq!(std::fs::read(db).ok(), before, "the file is left alone");
        }
    };
    // A text file.
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "这不是数据库文件，只是一段文字。".repeat(40)).unwrap();
    check(&text, "not a tifa index (not an SQLite database)");
    // Another program's SQLite database.
    let other = dir.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    check(
        &other,
        "not a tifa index (an SQLite database of another program)",
    );
    // An index from a newer tifa.
    let newer = dir.path().join("newer.db");
    drop(Index::open(&newer).unwrap());
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    check(&newer, "index written by a newer tifa (schema version 99");
    // A corrupt index: the pages after the header overwritten.
    let corrupt = dir.path().join("corrupt.db");
    {
        let mut index = Index::open(&corrupt).unwrap();
        index
            .add(&[examples().join("speeches")], &txt_only(), || {})
            .unwrap();
        let c = index.connection();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;")
            .unwrap();
    }
    let mut bytes = std::fs::read(&corrupt).unwrap();
    for b in bytes.iter_mut().skip(4096 * 2).take(4096 * 8) {
        *b = 0x5a;
    }
    std::fs::write(&corrupt, &bytes).unwrap();
    let out = tifa(&["index", "add", s(&speech), "--db", s(&corrupt)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("corrupt index"), "{err}");
    // A missing index for a read command.
    let out = tifa(&["index", "stats", "--db", s(&dir.path().join("none.db"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such index"));
}

#[test]
fn an_older_index_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v1.db");
    tifa::index::schema::create_at_version(&db, 1).unwrap();
    let mut index = Index::open(&db).unwrap();
    let r = index
        .add(
            &[examples().join("speeches"), examples().join("drafts")],
            &txt_only(),
            || {},
        )
        .unwrap();
    assert_eq!(r.added_files, 6);
    let v: i32 = index
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, tifa::index::schema::SCHEMA_VERSION);
    assert!(
        index.stats().unwrap().pairs > 0,
        "the pairs table of version 2 holds the draft and its speech"
    );
}

/// Kills `tifa index add` with SIGKILL at several moments; after each kill the index is consistent and
/// as it was before the batch, and the next `add` completes the batch.
#[test]
fn sigkill_during_add_leaves_the_index_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let files = window_corpus(&corpus, 20);
    let db = dir.path().join("k.db");
    // A first batch committed normally: the state every kill must preserve.
    let out = tifa(&["index", "add", s(&files[0]), s(&files[1]), "--db", s(&db)]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(assert_consistent(&db), 2);
    let bin = env!("CARGO_BIN_EXE_tifa");
    // Kill while preparing, while writing, and during the pause right before COMMIT.
    let mut killed_in_pause = false;
    let mut completed = false;
    for delay_ms in [0u64, 30, 150, 400] {
        let mut cmd = Command::new(bin);
        cmd.args(["index", "add", s(&corpus), "--db", s(&db)]);
        if delay_ms == 0 {
            cmd.args(["--pause-before-commit", "20000"]);
        }
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if delay_ms == 0 {
            // Every row of the batch is written; kill before the commit.
            wait_for_pause(&mut child);
            killed_in_pause = child.try_wait().unwrap().is_none();
        } else {
            std::thread::sleep(Duration::from_millis(delay_ms));
        }
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        let files_now = assert_consistent(&db);
        if status.success() || (delay_ms > 0 && files_now == 20) {
            // The add committed before the kill (it may still have been exiting): a completed batch
            // is also a consistent state.
            assert_eq!(files_now, 20);
            completed = true;
            break;
        }
        assert_eq!(
            files_now, 2,
            "killed after {delay_ms} ms: the batch is rolled back"
        );
    }
    assert!(
        killed_in_pause,
        "the kill landed inside the open transaction"
    );
    let out = tifa(&["index", "add", s(&corpus), "--db", s(&db)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(assert_consistent(&db), 20);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The rolled-back batch is redone in full, unless one add ran to completion before its kill.
    let expected = if completed {
        "20 unchanged"
    } else {
        "18 files indexed"
    };
    assert!(stdout.contains(expected), "{stdout}");
}

/// A query and `stats` run while an `add` holds its write transaction open: they answer at once from
/// the last committed state, and see the new documents after the commit.
#[test]
fn readers_run_while_an_add_writes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let files = window_corpus(&corpus, 10);
    let db = dir.path().join("r.db");
    let out = tifa(&["index", "add", s(&files[0]), "--db", s(&db)]);
    assert_eq!(out.status.code(), Some(0));
    let mut writer = Command::new(env!("CARGO_BIN_EXE_tifa"))
        .args([
            "index",
            "add",
            s(&corpus),
            "--db",
            s(&db),
            "--pause-before-commit",
            "4000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_pause(&mut writer);
    assert!(
        writer.try_wait().unwrap().is_none(),
        "the writer is still in its transaction"
    );
    let t = Instant::now();
    let index = Index::open_existing(&db).unwrap();
    assert_eq!(
        index.stats().unwrap().files,
        1,
        "the reader sees the committed state"
    );
    let q = tifa::Text::read(&files[1], None).unwrap();
    let hits = index.query(&q, &QueryOptions::default()).unwrap();
    assert_eq!(
        hits.len(),
        1,
        "file 1 shares paragraphs with the indexed file 0"
    );
    assert!(
        t.elapsed() < Duration::from_secs(3),
        "the reader did not wait for the writer"
    );
    assert!(
        writer.try_wait().unwrap().is_none(),
        "…and it ran during the write"
    );
    let out = writer.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(index.stats().unwrap().files, 10, "the commit is visible");
}

/// A document dated after the query shares its text but cannot be its source: marked `later` and ranked
/// after the earlier one, though it holds more of the query.
#[test]
fn query_ranks_later_documents_last() {
    let dir = tempfile::tempdir().unwrap();
    let p = paragraphs();
    let write = |name: &str, body: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        path
    };
    let earlier = write("报告-2020.txt", format!("{}\n{}\n", p[0], p[1]));
    let later = write("报告-2023.txt", format!("{}\n{}\n{}\n", p[0], p[1], p[2]));
    let mut index = Index::open(dir.path().join("d.db")).unwrap();
    index
        .add(&[earlier.clone(), later.clone()], &txt_only(), || {})
        .unwrap();
    let q = tifa::Text::from_string(
        "报告-2021.txt",
        format!("{}\n{}\n{}\n", p[0], p[1], p[2]),
        tifa::text::Encoding::Utf8,
    );
    let hits = index.query(&q, &QueryOptions::default()).unwrap();
    let got: Vec<(&str, tifa::document::Relation)> = hits
        .iter()
        .map(|h| (h.document.path.rsplit('/').next().unwrap(), h.relation))
        .collect();
    assert_eq!(
        got,
        vec![
            ("报告-2020.txt", tifa::document::Relation::Earlier),
            ("报告-2023.txt", tifa::document::Relation::Later)
        ],
        "{got:?}"
    );
}

/// The index stores the date the document stage reads (header, subtitle, else the file name) in ISO
/// form, so exported tables sort and join on it: `二〇二三年一月十二日` is `2023-01-12`.
#[test]
fn stored_dates_are_iso() {
    let dir = tempfile::tempdir().unwrap();
    let p = paragraphs();
    let header = dir.path().join("甲.txt");
    std::fs::write(
        &header,
        format!(
            "政府工作报告\n——二〇二三年一月十二日在市第十六届人民代表大会第二次会议上\n{}\n",
            p[0]
        ),
    )
    .unwrap();
    let named = dir.path().join("报告-2020.txt");
    std::fs::write(&named, format!("{}\n", p[1])).unwrap();
    let mut index = Index::open(dir.path().join("d.db")).unwrap();
    index.add(&[header, named], &txt_only(), || {}).unwrap();
    let mut got: Vec<(String, Option<String>)> = index
        .documents()
        .unwrap()
        .into_iter()
        .map(|d| (d.path.rsplit('/').next().unwrap().to_string(), d.date))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("报告-2020.txt".to_string(), Some("2020".to_string())),
            ("甲.txt".to_string(), Some("2023-01-12".to_string())),
        ]
    );
}
