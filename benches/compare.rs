//! Benchmark of `tifa::diff::align` on two ~20,000-char speeches: two government work reports when
//! `../shared` is present, otherwise seed speeches concatenated to that size.
//!
//! Measured 2026-11-25 (2-core machine shared with other builds, gwr_2019 vs gwr_2018): align 9.7 ms
//! (char), 13.6 ms (word); outline + align 10.3 ms. Target: < 20 ms.
//! Measured 2026-12-07 with topical pairing (jieba search-mode content words, idf): 27.2 ms (char),
//! 48.5 ms (word), 28.9 ms; then, with the body's n-gram hashes computed once per document, rolled run
//! keys for the text scores, Fx maps, one char count per line of the cut and the two documents cut
//! and prepared side by side (rayon::join): 12.7 ms (char), 24.3 ms (word), 17.6 ms. Target (issue 9):
//! < 15 ms for align (char).
//! Measured 2026-12-07 (load 1.6–1.9), medians, this version against the one before in the same
//! minutes: 6.8–7.6 ms against 14.4–17.3 (char), 18.5–19.6 against 24.8–25.2 (word), 10.8–11.6
//! against 18.8–20.7 (outline + align). Content words interned per document beside the cut, posting
//! lists in flat arrays, one-shot XXH3 for n-grams, children's vectors handed down, and the child
//! lists of one depth aligned in parallel.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use tifa::SpeechFile;
use tifa::diff::{CompareOptions, Granularity, Side, align};
use tifa::text::{Encoding, Text};

fn inputs() -> (Text, Text) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/corpus/cn-political-corpora/split");
    let (a, b) = (shared.join("gwr_2019.txt"), shared.join("gwr_2018.txt"));
    if a.is_file() && b.is_file() {
        eprintln!("bench inputs: gwr_2019.txt and gwr_2018.txt");
        return (Text::read(a, None).unwrap(), Text::read(b, None).unwrap());
    }
    eprintln!("bench inputs: seed speeches concatenated (../shared not found)");
    let seed = |n: &str| {
        let dir = root.join("examples/speeches");
        let p = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(n))
            .unwrap();
        std::fs::read_to_string(p).unwrap()
    };
    // 000 + 004 and 003 + 002 + 001: about 19,000 and 17,000 chars.
    let a = format!("{}\n{}", seed("000"), seed("004"));
    let b = format!("{}\n{}\n{}", seed("003"), seed("002"), seed("001"));
    (
        Text::from_string("a.txt", a, Encoding::Utf8),
        Text::from_string("b.txt", b, Encoding::Utf8),
    )
}

fn bench(c: &mut Criterion) {
    let (ta, tb) = inputs();
    eprintln!("chars: {} and {}", ta.len_chars(), tb.len_chars());
    let fa = SpeechFile::from_text(ta.clone());
    let fb = SpeechFile::from_text(tb.clone());
    let (sa, sb) = (Side::of(&fa, 0).unwrap(), Side::of(&fb, 0).unwrap());
    c.bench_function("align 2 x 20k chars (char)", |bench| {
        bench.iter(|| align(sa, sb, &CompareOptions::default()))
    });
    let word = CompareOptions {
        granularity: Granularity::Word,
        ..CompareOptions::default()
    };
    c.bench_function("align 2 x 20k chars (word)", |bench| {
        bench.iter(|| align(sa, sb, &word))
    });
    c.bench_function("outline + align 2 x 20k chars (char)", |bench| {
        bench.iter(|| {
            let fa = SpeechFile::from_text(ta.clone());
            let fb = SpeechFile::from_text(tb.clone());
            align(
                Side::of(&fa, 0).unwrap(),
                Side::of(&fb, 0).unwrap(),
                &CompareOptions::default(),
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
