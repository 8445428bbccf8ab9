//! Library example: find reused passages between two files and print them.
//!
//! `cargo run --example reuse -- A.txt B.txt` (defaults to two seed speeches).

use tifa::Text;
use tifa::reuse::{self, ReuseParams};

fn main() -> Result<(), tifa::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let a_path = args
        .first()
        .map_or("examples/speeches/003_56fb9e0156cb07c5.txt", String::as_str);
    let b_path = args
        .get(1)
        .map_or("examples/speeches/000_1f080de224ac8f35.txt", String::as_str);
    let a = Text::read(a_path, None)?;
    let b = Text::read(b_path, None)?;
    let report = reuse::compare_texts(&a, &b, None, &ReuseParams::default());
    println!(
        "A in B {:.1}%  B in A {:.1}%  distinctive {:.1}%  boilerplate {:.1}%",
        report.scores.a_in_b * 100.0,
        report.scores.b_in_a * 100.0,
        report.scores.distinctive * 100.0,
        report.scores.boilerplate * 100.0
    );
    for p in &report.passages {
        println!(
            "{:?} {:?} similarity {:.3}  A {:?} line {}  B {:?} line {}",
            p.kind,
            p.class,
            p.similarity,
            p.a,
            a.line_of(p.a.start),
            p.b,
            b.line_of(p.b.start)
        );
        println!("  A: {}", a.slice(p.a));
        println!("  B: {}", b.slice(p.b));
    }
    Ok(())
}
