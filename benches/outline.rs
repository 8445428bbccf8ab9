//! Outline throughput: all 52 government work reports (`../shared`, skipped with a message when absent)
//! and the five bundled seed speeches. Run with `cargo bench --bench outline`.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use tifa::{SpeechFile, Text};

fn load(paths: &[PathBuf]) -> Vec<Text> {
    paths
        .iter()
        .map(|p| Text::read(p, None).expect("readable corpus file"))
        .collect()
}

fn files_in(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
    });
    v.sort();
    v
}

/// Marker ladders and long enumeration sentences at 4,000 and 16,000 units: linear code takes about
/// four times as long for the larger input (a quadratic pass would take sixteen).
fn ladder(c: &mut Criterion) {
    for (name, unit) in [
        ("ladder", "一、甲\n（一）乙\n1．丙\n（1）丁\n①戊\n"),
        (
            "ladder enumeration sentence",
            "一是加强，二是落实，三是推进，",
        ),
    ] {
        for n in [4000, 16000] {
            let text = Text::from_string(
                "ladder.txt",
                format!("同志们：\n{}", unit.repeat(n)),
                tifa::text::Encoding::Utf8,
            );
            c.bench_function(&format!("{name} x{n}"), |b| {
                b.iter(|| SpeechFile::from_text(text.clone()).outlines.len())
            });
        }
    }
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = load(&files_in(&root.join("examples/speeches"), ""));
    c.bench_function("outline 5 seed speeches", |b| {
        b.iter(|| {
            seeds
                .iter()
                .map(|t| SpeechFile::from_text(t.clone()).outlines.len())
                .sum::<usize>()
        })
    });
    let gwr = files_in(
        &root.join("../shared/corpus/cn-political-corpora/split"),
        "gwr_",
    );
    if gwr.is_empty() {
        eprintln!("skipping the government-work-report bench: ../shared/corpus is not present");
        return;
    }
    let reports = load(&gwr);
    let chars: usize = reports.iter().map(|t| t.len_chars()).sum();
    eprintln!("{} government work reports, {} chars", reports.len(), chars);
    c.bench_function("outline 52 government work reports", |b| {
        b.iter(|| {
            reports
                .iter()
                .map(|t| SpeechFile::from_text(t.clone()).outlines.len())
                .sum::<usize>()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench, ladder
}
criterion_main!(benches);
