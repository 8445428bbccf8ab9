//! Rebuilds `src/diff/idf.tsv`, the idf table of compare's topical similarity, from a folder of
//! government work reports (one paragraph = one document; words cut in jieba's search mode, as the
//! topical vectors cut them; only words seen in two or more paragraphs are written, the others get the
//! table's largest idf). (A table from the 1,990 local reports as well scored lower on the real-pair
//! gold and weighs 1.2 MB.)
//!
//! `cargo run --release --example idf_table -- ../shared/corpus/cn-political-corpora/split > src/diff/idf.tsv`

use std::collections::HashMap;

use tifa::SpeechFile;
use tifa::diff::topic::is_content_word;
use tifa::segment::WordSegmenter;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus/cn-political-corpora/split".into());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("gwr_"))
        })
        .collect();
    paths.sort();
    let seg = WordSegmenter::new();
    let mut df: HashMap<String, u32> = HashMap::new();
    let mut paragraphs = 0u32;
    for p in &paths {
        let file = SpeechFile::read(p, None)?;
        for para in &file.segments.paragraphs {
            paragraphs += 1;
            let mut seen: Vec<&str> = seg
                .search_words(&file.text, para.span)
                .into_iter()
                .map(|w| file.text.slice(w))
                .filter(|w| is_content_word(w))
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for w in seen {
                *df.entry(w.to_string()).or_default() += 1;
            }
        }
    }
    eprintln!(
        "{} files, {paragraphs} paragraphs, {} words",
        paths.len(),
        df.len()
    );
    let mut rows: Vec<(String, u32)> = df.into_iter().filter(|(_, n)| *n >= 2).collect();
    rows.sort();
    println!("# paragraphs\t{paragraphs}");
    for (w, n) in rows {
        println!("{w}\t{:.3}", (f64::from(paragraphs) / f64::from(n)).ln());
    }
    Ok(())
}
