//! One document against 100 others: reuse detection through prepared documents (each canonical
//! sequence built once) versus from texts (both sequences rebuilt for every pair, as before prepared
//! documents existed). Inputs: gwr_2019 against 100 local government work reports when `../shared` is
//! present, otherwise the bundled seed speeches repeated.
//!
//! `cargo bench --bench prepared`; pairs per second = 100 / the reported time.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use tifa::prepared::PreparedDoc;
use tifa::reuse::{self, ReuseParams};

fn inputs() -> (PreparedDoc, Vec<PreparedDoc>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/corpus");
    let one = shared.join("cn-political-corpora/split/gwr_2019.txt");
    let dir = shared.join("local-reports/txt");
    let (one, others): (std::path::PathBuf, Vec<std::path::PathBuf>) =
        if one.is_file() && dir.is_dir() {
            let mut paths: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            let step = (paths.len() / 100).max(1);
            (one, paths.into_iter().step_by(step).take(100).collect())
        } else {
            eprintln!("bench inputs: bundled seeds (../shared not found)");
            let dir = root.join("examples/speeches");
            let mut paths: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            let others = paths.iter().cycle().take(100).cloned().collect();
            (paths[0].clone(), others)
        };
    let first = |p: &Path| PreparedDoc::read(p, None).unwrap().remove(0);
    (first(&one), others.iter().map(|p| first(p)).collect())
}

fn bench(c: &mut Criterion) {
    let (one, others) = inputs();
    let params = ReuseParams::default();
    let mut g = c.benchmark_group("one_vs_100");
    g.sample_size(10);
    g.bench_function("prepared", |bch| {
        one.seq();
        for d in &others {
            d.seq();
        }
        bch.iter(|| {
            others
                .iter()
                .map(|d| reuse::find_passages_between(&one, d, &params).len())
                .sum::<usize>()
        })
    });
    g.bench_function("from_texts", |bch| {
        bch.iter(|| {
            others
                .iter()
                .map(|d| {
                    reuse::find_passages(one.text(), one.body(), d.text(), d.body(), &params).len()
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
