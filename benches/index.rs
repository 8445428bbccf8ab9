//! Index at scale (issue 11): build a 10,000-document index once, add 100 documents to it, and time 100
//! queries of new documents against it (median, p95), then a criterion measurement of the query.
//!
//! `cargo bench --bench index` (release). Needs `../shared/corpus/local-reports/txt` (fails without it).
//! Environment: `TIFA_BENCH_DOCS` (default 10000) documents in the index; `TIFA_BENCH_DIR` (default
//! `target/index-bench`) for the generated corpus and the index; `TIFA_BENCH_REUSE=1` keeps an index
//! built by an earlier run of the same size (the query figures then run in a minute instead of the
//! build's few minutes; the 100 documents of the incremental add are removed and added again).
//!
//! The corpus comes from the corpus-mode generator, `examples/corpus_gen.rs` (included below): real
//! paragraphs of the 1,990 local government work reports recombined into documents of about 5,000
//! chars, with planted copies (verbatim, edited, template, near-duplicate) recorded in `truth.jsonl`.
//! It makes `DOCS + 200` documents: the first `DOCS` are the index, the next 100 the incremental add,
//! the last 100 the queries (new documents, some holding planted copies of indexed ones).
//!
//! Printed: build time (with the time of each phase), index file size, planted copies found among the
//! stored pairs; time of the incremental add; time of a re-add of the unchanged files; query latency
//! (median, p95, max over the 100 queries, in-process, index open) and how many of the queries' planted
//! sources were among their hits; then criterion's figure for one query at a time.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use criterion::Criterion;
use tifa::Text;
use tifa::index::{AddOptions, AddReport, Index, QueryOptions};

#[path = "../examples/corpus_gen.rs"]
mod corpus_gen;

/// The generator's seed (its default).
const SEED: u64 = 20260601;
/// Documents of the incremental add, and queries.
const EXTRA: usize = 100;

/// The number of a generated document from its file name (`g00042.txt` → 42).
fn number(path: &str) -> Option<usize> {
    let name = Path::new(path).file_stem()?.to_str()?;
    name.strip_prefix('g')?.parse().ok()
}

/// Generates `n + 2 * EXTRA` documents into `base` (unless a run of the same size did) and moves them
/// into `corpus/`, `extra/` and `queries/`; returns the planted `(source, copy)` document numbers.
fn corpus(base: &Path, n: usize) -> Vec<(usize, usize)> {
    let total = n + 2 * EXTRA;
    let gen_dir = base.join("gen");
    let stamp = base.join("generated");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(&format!("{total} {SEED}")) {
        let _ = std::fs::remove_dir_all(base);
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/local-reports/txt");
        assert!(src.is_dir(), "{}: the bench needs ../shared", src.display());
        corpus_gen::generate(&src, &gen_dir, total, SEED);
        for d in ["corpus", "extra", "queries"] {
            std::fs::create_dir_all(base.join(d)).unwrap();
        }
        for i in 0..total {
            let name = format!("g{i:05}.txt");
            let to = match i {
                i if i < n => "corpus",
                i if i < n + EXTRA => "extra",
                _ => "queries",
            };
            std::fs::rename(gen_dir.join("docs").join(&name), base.join(to).join(&name)).unwrap();
        }
        std::fs::write(&stamp, format!("{total} {SEED}")).unwrap();
    }
    let truth = std::fs::read_to_string(gen_dir.join("truth.jsonl")).unwrap();
    truth
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            let p = v.get("planted")?;
            Some((number(p["src"].as_str()?)?, number(p["dst"].as_str()?)?))
        })
        .collect()
}

fn add_line(what: &str, secs: f64, r: &AddReport) -> String {
    let t = &r.timings;
    format!(
        "{what}: {} documents in {secs:.1} s (prepare {:.1}, write {:.1}, candidates {:.1}, verify {:.1}, commit {:.1}); {} candidate pairs, {} checked, {} verified",
        r.documents,
        t.prepare_s,
        t.write_s,
        t.candidates_s,
        t.verify_s,
        t.commit_s,
        r.candidates,
        r.checked,
        r.pairs
    )
}

/// Planted copies among `planted` whose two documents are both in `ids` and paired in the index.
fn planted_found(index: &Index, planted: &[(usize, usize)], within: impl Fn(usize, usize) -> bool) {
    let docs = index.documents().unwrap();
    let id_to_n: HashMap<i64, usize> = docs
        .iter()
        .filter_map(|d| Some((d.id, number(&d.path)?)))
        .collect();
    let found: HashSet<(usize, usize)> = index
        .pairs()
        .unwrap()
        .iter()
        .filter_map(|p| {
            let (x, y) = (*id_to_n.get(&p.a)?, *id_to_n.get(&p.b)?);
            Some((x.min(y), x.max(y)))
        })
        .collect();
    let wanted: Vec<_> = planted.iter().filter(|&&(s, c)| within(s, c)).collect();
    let hit = wanted
        .iter()
        .filter(|&&&(s, c)| found.contains(&(s.min(c), s.max(c))))
        .count();
    println!(
        "  planted copies found among the stored pairs: {hit} of {}",
        wanted.len()
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a plain `cargo test --benches` run passes nothing: skip then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let n: usize = std::env::var("TIFA_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let base = std::env::var_os("TIFA_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/index-bench"));
    let reuse = std::env::var_os("TIFA_BENCH_REUSE").is_some_and(|v| v == "1");
    let t = Instant::now();
    let planted = corpus(&base, n);
    println!(
        "corpus: {} documents from examples/corpus_gen.rs ({} planted copies) ready in {:.1} s",
        n + 2 * EXTRA,
        planted.len(),
        t.elapsed().as_secs_f64()
    );
    let (corpus_dir, extra, queries) = (
        base.join("corpus"),
        base.join("extra"),
        base.join("queries"),
    );
    let db = base.join(format!("index-{n}.db"));
    let options = AddOptions::default();
    let mut index;
    if reuse && db.exists() {
        index = Index::open(&db).unwrap();
        println!("build: skipped (TIFA_BENCH_REUSE=1, {} kept)", db.display());
    } else {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
        }
        let t = Instant::now();
        index = Index::open(&db).unwrap();
        let r = index
            .add(std::slice::from_ref(&corpus_dir), &options, || {})
            .unwrap();
        println!("{}", add_line("build", t.elapsed().as_secs_f64(), &r));
        planted_found(&index, &planted, |s, c| s < n && c < n);
    }
    let stats = index.stats().unwrap();
    let file = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!(
        "  index file {:.1} MB ({} documents, {} fingerprints, {} pairs; texts {:.1} MB UTF-8 stored as {:.1} MB zstd)",
        file as f64 / 1e6,
        stats.documents,
        stats.shingles,
        stats.pairs,
        stats.text_bytes as f64 / 1e6,
        stats.text_stored_bytes as f64 / 1e6
    );

    // The incremental add (after removing the 100 documents when a kept index has them).
    let extra_files: Vec<PathBuf> = (n..n + EXTRA)
        .map(|i| extra.join(format!("g{i:05}.txt")))
        .collect();
    index.remove(&extra_files).unwrap();
    let t = Instant::now();
    let r = index
        .add(std::slice::from_ref(&extra), &options, || {})
        .unwrap();
    println!(
        "{}",
        add_line("incremental add", t.elapsed().as_secs_f64(), &r)
    );
    planted_found(&index, &planted, |s, c| {
        s < n + EXTRA && (n..n + EXTRA).contains(&c)
    });
    let t = Instant::now();
    let r = index
        .add(std::slice::from_ref(&corpus_dir), &options, || {})
        .unwrap();
    println!(
        "re-add of the {} unchanged files: {:.2} s",
        r.unchanged_files,
        t.elapsed().as_secs_f64()
    );

    // 100 queries: new documents, each timed once.
    let texts: Vec<(usize, Text)> = (n + EXTRA..n + 2 * EXTRA)
        .map(|i| {
            let p = queries.join(format!("g{i:05}.txt"));
            (i, Text::read(&p, None).unwrap())
        })
        .collect();
    let sources: HashMap<usize, usize> = planted
        .iter()
        .filter(|&&(s, c)| s < n + EXTRA && c >= n + EXTRA)
        .map(|&(s, c)| (c, s))
        .collect();
    let docs = index.documents().unwrap();
    let id_to_n: HashMap<i64, usize> = docs
        .iter()
        .filter_map(|d| Some((d.id, number(&d.path)?)))
        .collect();
    let qopts = QueryOptions::default();
    let mut times = Vec::new();
    let mut found = 0;
    for (i, text) in &texts {
        let t = Instant::now();
        let hits = index.query(text, &qopts).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if let Some(s) = sources.get(i)
            && hits.iter().any(|h| id_to_n.get(&h.document.id) == Some(s))
        {
            found += 1;
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "query: median {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} new documents; planted source among the hits for {found} of {}",
        times[times.len() / 2],
        times[(times.len() * 95).div_ceil(100) - 1],
        times[times.len() - 1],
        times.len(),
        sources.len()
    );

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .measurement_time(std::time::Duration::from_secs(20));
    let mut k = 0;
    c.bench_function(&format!("index query ({n} documents)"), |b| {
        b.iter(|| {
            k = (k + 1) % texts.len();
            index.query(&texts[k].1, &qopts).unwrap()
        })
    });
    c.final_summary();
}
