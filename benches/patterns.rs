//! All default patterns over the 52 government work reports, and over one document of 500,000 chars
//! built from local reports (skipped when ../shared is absent).
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
    // One large document (about 500,000 chars of local government work reports in one file): the
    // pattern pass of a big pair report (issue 13) is two of these.
    if let Some(big) = big_document(500_000) {
        eprintln!(
            "patterns bench: big document of {} chars",
            big.text.len_chars()
        );
        group.bench_function("big_500k", |b| b.iter(|| set.find(&big).len()));
    }
    group.finish();
}

/// The first local reports (sorted by name) concatenated up to `chars` chars, as one file.
fn big_document(chars: usize) -> Option<SpeechFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/local-reports/txt");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    let mut text = String::new();
    for p in paths {
        if text.chars().count() >= chars {
            break;
        }
        if let Ok(t) = std::fs::read_to_string(&p) {
            text.push_str(&t);
            text.push('\n');
        }
    }
    let text: String = text.chars().take(chars).collect();
    Some(SpeechFile::from_text(tifa::Text::from_string(
        "big.txt",
        &text,
        tifa::text::Encoding::Utf8,
    )))
}

criterion_group!(benches, bench);
criterion_main!(benches);
