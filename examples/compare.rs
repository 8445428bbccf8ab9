//! Compares two speeches with the library and prints what changed at the top level.
//!
//! `cargo run --example compare -- A.txt B.txt`

use tifa::SpeechFile;
use tifa::diff::{CompareOptions, Side, align};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (a, b) = match args.as_slice() {
        [a, b] => (a.clone(), b.clone()),
        _ => (
            "examples/speeches/001_bbf023ef8e8ca942.txt".to_string(),
            "examples/speeches/004_c7f0127a3eafd24f.txt".to_string(),
        ),
    };
    let fa = SpeechFile::read(&a, None)?;
    let fb = SpeechFile::read(&b, None)?;
    let al = align(
        Side::of(&fa, 0)?,
        Side::of(&fb, 0)?,
        &CompareOptions::default(),
    );
    println!("{}", al.verdict);
    println!(
        "outline similarity {:.2}, text similarity {:.2}",
        al.scores.outline, al.scores.text
    );
    for row in &al.alignment {
        let side = |r: &Option<tifa::diff::SectionRef>| {
            r.as_ref()
                .map(|r| format!("{}{}", r.marker, r.heading))
                .unwrap_or_else(|| "—".into())
        };
        println!(
            "{:<9} {}  ⇄  {}",
            row.status.as_str(),
            side(&row.a),
            side(&row.b)
        );
    }
    Ok(())
}
