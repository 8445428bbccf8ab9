//! All default patterns over the 52 government work reports (skipped when ../shared is absent).
//!
//! `cargo bench --bench patterns`. Reading, decoding and outlining are done once outside the timing;
//! the benchmark measures pattern matching and scoring (`PatternSet::find`), sequentially and with rayon.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use tifa::SpeechFile;
use tifa::patterns::PatternSet;

fn reports() -> Option<Vec<SpeechFile>> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/cn-political-corpora/split");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("gwr_"))
        })
        .collect();
    paths.sort();
    Some(
        paths
            .iter()
            .filter_map(|p| SpeechFile::read(p, None).ok())
            .collect(),
    )
}

fn bench(c: &mut Criterion) {
    let Some(files) = reports() else {
        eprintln!("patterns bench: ../shared/corpus not found, skipping");
        return;
    };
    let set = PatternSet::default_set();
    let chars: usize = files.iter().map(|f| f.text.len_chars()).sum();
    eprintln!(
        "patterns bench: {} reports, {chars} chars, {} patterns",
        files.len(),
        set.patterns.len()
    );
    let mut group = c.benchmark_group("patterns");
    group.sample_size(10);
    group.bench_function("gwr_52_sequential", |b| {
        b.iter(|| files.iter().map(|f| set.find(f).len()).sum::<usize>())
    });
    group.bench_function("gwr_52_rayon", |b| {
        b.iter(|| files.par_iter().map(|f| set.find(f).len()).sum::<usize>())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
