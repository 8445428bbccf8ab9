//! Fuzz target (d): corpus and index ingest. The input is cut at NUL bytes into up to six files, raw
//! bytes (any encoding, binary included); they are analysed as a corpus (compilations split, formulas
//! mined on the suffix array, pairs verified, graph built) and added to a fresh index. Checks: no panic,
//! every span inside its text, formulas in at least two documents, pairs of distinct documents, and an
//! index whose counts match what was added.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tifa::corpus::{self, CorpusParams, NoProgress};
use tifa::index::{AddOptions, Index};
use tifa::text::Text;

fuzz_target!(|data: &[u8]| {
    let parts: Vec<&[u8]> = data.split(|&b| b == 0).take(6).collect();
    let texts: Vec<Text> = parts
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Text::from_bytes(format!("f{i}.txt"), p, None).ok())
        .collect();
    let ingested = corpus::ingest::ingest_texts(
        texts,
        Some(&tifa::patterns::PatternSet::default_set()),
    );
    let a = corpus::analyze(ingested, &CorpusParams::default(), &NoProgress);
    for f in &a.formulas {
        assert!(f.df >= 2);
        for o in &f.occurrences {
            assert!(o.span.start <= o.span.end && o.span.end <= a.corpus.text(o.doc).len_chars());
        }
    }
    for p in &a.pairs {
        assert!(p.a < p.b);
        for x in &p.passages {
            assert!(x.a.end <= a.corpus.text(p.a).len_chars());
            assert!(x.b.end <= a.corpus.text(p.b).len_chars());
        }
    }
    // The same files through the index.
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        let path = dir.path().join(format!("f{i}.txt"));
        std::fs::write(&path, p).unwrap();
        paths.push(path);
    }
    let mut index = Index::open(dir.path().join("i.db")).unwrap();
    if let Ok(report) = index.add(&paths, &AddOptions::default(), || {}) {
        let stats = index.stats().unwrap();
        assert_eq!(stats.files as usize, report.added_files);
    }
});
