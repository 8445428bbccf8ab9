//! Index at scale: build a 10,000-document index, add 100 documents to it, and time 100 queries.
//!
//! `cargo bench --bench index` (release). Needs `../shared/corpus/local-reports/txt` (fails without it).
//! Sizes can be changed with `TIFA_BENCH_DOCS` (default 10000) and `TIFA_BENCH_DIR` (default
//! `target/index-bench`).
//!
//! The corpus is generated here by recombining the 1,990 real local government work reports: document
//! `i` is the `(i / 1990)`-th fifth of the paragraphs of report `i % 1990` (so the five documents cut from
//! one report do not overlap), and every tenth document receives two paragraphs of another generated
//! document (one verbatim, one with a sentence dropped) — the planted copies. The 100 documents of the
//! incremental add are cut the same way from the next slots. Each query is a new text: half of the
//! paragraphs of an indexed document followed by as much text of a report of another province.
//!
//! Printed: build time and file size, incremental add time, query latency median and p95, planted
//! copies found among the verified pairs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tifa::Text;
use tifa::index::{AddOptions, Index, QueryOptions};
use tifa::text::Encoding;

/// splitmix64: a small deterministic generator (the corpus must be the same on every run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn reports() -> Vec<(String, Vec<String>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/local-reports/txt");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (the bench needs ../shared)", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let s = std::fs::read_to_string(&p).ok()?;
            let paras: Vec<String> = s
                .lines()
                .map(str::trim)
                .filter(|l| l.chars().count() >= 20)
                .map(String::from)
                .collect();
            let name = p.file_stem()?.to_string_lossy().to_string();
            (paras.len() >= 10).then_some((name, paras))
        })
        .collect()
}

/// The paragraphs of generated document `i`.
fn cut(reports: &[(String, Vec<String>)], i: usize) -> Vec<String> {
    let (_, paras) = &reports[i % reports.len()];
    let k = (i / reports.len()) % 5;
    let n = paras.len();
    paras[k * n / 5..(k + 1) * n / 5].to_vec()
}

/// Writes documents `range` into `dir`; returns the planted `(source, copy)` document numbers.
fn generate(
    reports: &[(String, Vec<String>)],
    range: std::ops::Range<usize>,
    dir: &Path,
) -> Vec<(usize, usize)> {
    std::fs::create_dir_all(dir).unwrap();
    let mut planted = Vec::new();
    for i in range.clone() {
        let mut rng = Rng(i as u64 * 7919 + 1);
        let mut paras = cut(reports, i);
        if i % 10 == 0 && i > range.start {
            let src = range.start + rng.below(i - range.start);
            let from = cut(reports, src);
            let long: Vec<&String> = from.iter().filter(|p| p.chars().count() >= 80).collect();
            if long.len() >= 2 {
                let a = long[rng.below(long.len())].clone();
                let b = long[rng.below(long.len())];
                // Edited copy: its first sentence dropped.
                let b = b
                    .split_once('。')
                    .map(|x| x.1.to_string())
                    .unwrap_or(b.clone());
                let at = rng.below(paras.len());
                paras.insert(at, a);
                paras.insert((at + 1).min(paras.len()), b);
                planted.push((src, i));
            }
        }
        let name = &reports[i % reports.len()].0;
        std::fs::write(
            dir.join(format!("{i:05}-{name}.txt")),
            paras.join("\n") + "\n",
        )
        .unwrap();
    }
    planted
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
    let reports = reports();
    let corpus = base.join("corpus");
    let extra = base.join("extra");
    let _ = std::fs::remove_dir_all(&base);
    let t = Instant::now();
    let planted = generate(&reports, 0..n, &corpus);
    generate(&reports, n..n + 100, &extra);
    let bytes: u64 = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    println!(
        "generated {n} documents ({:.1} MB) from {} reports in {:.1} s, {} planted copies",
        bytes as f64 / 1e6,
        reports.len(),
        t.elapsed().as_secs_f64(),
        planted.len()
    );

    let db = base.join("bench.db");
    let options = AddOptions::default();
    let t = Instant::now();
    let mut index = Index::open(&db).unwrap();
    let r = index
        .add(std::slice::from_ref(&corpus), &options, || {})
        .unwrap();
    let build = t.elapsed().as_secs_f64();
    let stats = index.stats().unwrap();
    println!(
        "build: {} documents in {build:.1} s; {} candidate pairs, {} verified; file {:.1} MB (texts {:.1} MB UTF-8 stored as {:.1} MB zstd, {} fingerprints)",
        r.documents,
        r.candidates,
        r.pairs,
        stats.file_bytes as f64 / 1e6,
        stats.text_bytes as f64 / 1e6,
        stats.text_stored_bytes as f64 / 1e6,
        stats.shingles
    );

    // Planted copies found among the verified pairs.
    let docs = index.documents().unwrap();
    let number = |path: &str| -> usize {
        Path::new(path).file_name().unwrap().to_string_lossy()[..5]
            .parse()
            .unwrap()
    };
    let id_to_n: std::collections::HashMap<i64, usize> =
        docs.iter().map(|d| (d.id, number(&d.path))).collect();
    let found: std::collections::HashSet<(usize, usize)> = index
        .pairs()
        .unwrap()
        .iter()
        .map(|p| {
            let (x, y) = (id_to_n[&p.a], id_to_n[&p.b]);
            (x.min(y), x.max(y))
        })
        .collect();
    let hit = planted
        .iter()
        .filter(|&&(s, c)| found.contains(&(s.min(c), s.max(c))))
        .count();
    println!("planted copies found: {hit} of {}", planted.len());

    let t = Instant::now();
    let r = index
        .add(std::slice::from_ref(&extra), &options, || {})
        .unwrap();
    println!(
        "incremental add: {} documents in {:.2} s ({} candidate pairs, {} verified)",
        r.documents,
        t.elapsed().as_secs_f64(),
        r.candidates,
        r.pairs
    );
    let t = Instant::now();
    let r = index
        .add(std::slice::from_ref(&corpus), &options, || {})
        .unwrap();
    println!(
        "re-add of the unchanged {} files: {:.2} s",
        r.unchanged_files,
        t.elapsed().as_secs_f64()
    );

    // 100 queries: half of an indexed document, then text of a report of another province.
    let mut times = Vec::new();
    let mut top_right = 0;
    let qopts = QueryOptions::default();
    for q in 0..100 {
        let i = (q * 97) % n;
        let own = cut(&reports, i);
        let other = &reports[(i + reports.len() / 2) % reports.len()].1;
        let mut paras: Vec<String> = own[..own.len() / 2].to_vec();
        paras.extend(other.iter().take(own.len() / 2).cloned());
        let text = Text::from_string(format!("query-{q}.txt"), paras.join("\n"), Encoding::Utf8);
        let t = Instant::now();
        let hits = index.query(&text, &qopts).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if hits.first().is_some_and(|h| number(&h.document.path) == i) {
            top_right += 1;
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "query: median {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} queries; the source document ranked first in {top_right}",
        times[times.len() / 2],
        times[times.len() * 95 / 100],
        times[times.len() - 1],
        times.len()
    );
}
