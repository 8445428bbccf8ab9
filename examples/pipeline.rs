//! The whole pipeline in a few lines (the README's library example).

use tifa::{
    SpeechFile, diff,
    patterns::PatternSet,
    reuse::{self, ReuseParams},
};

fn main() -> Result<(), tifa::Error> {
    let a = SpeechFile::read("examples/drafts/003_draft.txt", None)?; // decode, segment, outline
    let b = SpeechFile::read("examples/speeches/003_56fb9e0156cb07c5.txt", None)?;
    for s in &b.outlines[0].sections {
        println!("{} {} {:?}", s.marker, s.heading, s.span); // span: [start, end) in chars
    }
    let al = diff::align(
        diff::Side::of(&a, 0)?,
        diff::Side::of(&b, 0)?,
        &Default::default(),
    );
    println!("{}", al.verdict);
    let r = reuse::compare_texts(&a.text, &b.text, None, &ReuseParams::default());
    println!(
        "{} passages, copy score {:.2}",
        r.passages.len(),
        r.scores.distinctive
    );
    let p = PatternSet::default_set().find(&b);
    println!("{} pattern hits", p[0].hits.len());

    Ok(())
}
