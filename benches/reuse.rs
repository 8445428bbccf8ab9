//! Reuse detection speed: two 20,000-char documents built from the seed speeches (target < 10 ms).
//!
//! A is speeches 000 + 002 + 004 (cut to 20,000 chars); B is speeches 003 + 001 + 000 with four passages
//! of A inserted (one verbatim, one with a filler, one masked, one with two sentences swapped), cut to
//! 20,000 chars. `cargo bench --bench reuse` prints the time and the throughput in chars/s (A + B).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tifa::Text;
use tifa::reuse::{self, ReuseParams};
use tifa::text::Encoding;

const N: usize = 20_000;

fn seed(prefix: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/speeches");
    let path = std::fs::read_dir(&dir)
        .expect("examples/speeches")
        .map(|e| e.expect("dir entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .expect("seed speech");
    std::fs::read_to_string(path).expect("UTF-8 seed")
}

fn cut(s: &str) -> String {
    s.chars().take(N).collect()
}

fn documents() -> (Text, Text) {
    let a = cut(&format!("{}{}{}", seed("000"), seed("002"), seed("004")));
    let chars: Vec<char> = a.chars().collect();
    let piece = |s: usize, len: usize| chars[s..s + len].iter().collect::<String>();
    let verbatim = piece(1000, 300);
    let filler = piece(5000, 250).replacen("推进", "进一步推进", 1);
    let masked = piece(9000, 200).replace(|c: char| c.is_ascii_digit(), "*");
    let swapped = {
        let p = piece(15000, 300);
        let mut parts: Vec<&str> = p.split_inclusive('。').collect();
        if parts.len() > 2 {
            parts.swap(0, 1);
        }
        parts.concat()
    };
    let host = format!("{}{}{}", seed("003"), seed("001"), seed("000"));
    let host: Vec<char> = host.chars().collect();
    let at = |k: usize| host[k * 4000..(k + 1) * 4000].iter().collect::<String>();
    let b = cut(&format!(
        "{}{verbatim}{}{filler}{}{masked}{}{swapped}{}",
        at(0),
        at(1),
        at(2),
        at(3),
        at(4)
    ));
    (
        Text::from_string("a.txt", &a, Encoding::Utf8),
        Text::from_string("b.txt", &b, Encoding::Utf8),
    )
}

fn bench(c: &mut Criterion) {
    let (a, b) = documents();
    let params = ReuseParams::default();
    let found = reuse::compare_texts(&a, &b, None, &params).passages.len();
    eprintln!(
        "A {} chars, B {} chars, {found} passages found",
        a.len_chars(),
        b.len_chars()
    );
    let mut g = c.benchmark_group("reuse");
    g.throughput(Throughput::Elements((a.len_chars() + b.len_chars()) as u64));
    g.bench_function("compare_texts 20k x 20k chars", |bch| {
        bch.iter(|| reuse::compare_texts(black_box(&a), black_box(&b), None, &params))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
