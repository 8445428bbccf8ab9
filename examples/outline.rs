//! Outline a speech file with the library and print its top-level sections with their sizes.
//!
//! `cargo run --example outline -- examples/speeches/004_c7f0127a3eafd24f.txt`

use tifa::SpeechFile;

fn main() -> Result<(), tifa::Error> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/speeches/004_c7f0127a3eafd24f.txt".into());
    let file = SpeechFile::read(&path, None)?;
    println!(
        "{} ({}, {} chars)",
        path,
        file.text.encoding(),
        file.text.len_chars()
    );
    for outline in &file.outlines {
        println!(
            "{}",
            outline.document.title.as_deref().unwrap_or("(untitled)")
        );
        for section in &outline.sections {
            let subsections = section.children.len();
            println!(
                "  {} {} — {} chars, {} subsections",
                section.marker,
                section.heading,
                section.span.len(),
                subsections
            );
        }
    }
    Ok(())
}
