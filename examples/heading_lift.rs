//! Rebuilds `src/diff/heading_lift.tsv`: for each word of section headings, how much more often it
//! occurs in the bodies of the sections it heads than in section bodies at large (the lift,
//! P(in body | in heading) / P(in body)). A heading word that names the section's topic (`民生`,
//! `营商`, `就业`) recurs in its body; a stock verb or adverb of headings (`着力`, `加快`, `坚持`,
//! `全面`) heads sections on every topic and predicts little. Compare's topical vectors weigh heading
//! words by it.
//!
//! Source: the local government work reports of localities in no pair of the real-pair gold
//! (`tests/compare/pair_gold.json`), so that no gold pair's text shapes the table. Words heading fewer
//! than [`MIN_HEADINGS`] sections, or whose lift reaches the full weight, are not written (they weigh
//! fully).
//!
//! `cargo run --release --example heading_lift -- ../shared/corpus/local-reports/txt > src/diff/heading_lift.tsv`

use std::collections::{HashMap, HashSet};

use tifa::diff::topic::{FULL_LIFT, is_content_word};
use tifa::outline::Section;
use tifa::segment::WordSegmenter;
use tifa::{Span, SpeechFile};

/// Words heading fewer sections than this are left out (too few to tell).
const MIN_HEADINGS: u32 = 20;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus/local-reports/txt".into());
    let gold: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compare/pair_gold.json"),
    )?)?;
    // Locality of a file name: `主要城市-长沙市-2023.txt` → `主要城市-长沙市`.
    let locality = |name: &str| name.rsplit_once('-').map(|(l, _)| l.to_string());
    let gold_localities: HashSet<String> = gold["pairs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| [p["a"].as_str(), p["b"].as_str()])
        .flatten()
        .filter_map(|f| locality(f.rsplit('/').next().unwrap_or(f)))
        .collect();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.ends_with(".txt") && locality(&n).is_none_or(|l| !gold_localities.contains(&l))
            })
        })
        .collect();
    paths.sort();
    let seg = WordSegmenter::new();
    // word → (sections it heads, of which its body has it too, section bodies that have it)
    let mut stats: HashMap<String, (u32, u32, u32)> = HashMap::new();
    let mut sections = 0u32;
    for p in &paths {
        let file = SpeechFile::read(p, None)?;
        for o in &file.outlines {
            let mut stack: Vec<&Section> = o.sections.iter().collect();
            while let Some(s) = stack.pop() {
                stack.extend(s.children.iter());
                sections += 1;
                let words = |span: Span| -> HashSet<&str> {
                    seg.search_words(&file.text, span)
                        .into_iter()
                        .map(|w| file.text.slice(w))
                        .filter(|w| is_content_word(w))
                        .collect()
                };
                let heading = words(s.heading_span);
                let body = words(Span::new(s.heading_span.end.max(s.span.start), s.span.end));
                for w in &heading {
                    let e = stats.entry(w.to_string()).or_default();
                    e.0 += 1;
                    e.1 += u32::from(body.contains(w));
                }
                for w in &body {
                    stats.entry(w.to_string()).or_default().2 += 1;
                }
            }
        }
    }
    eprintln!("{} files, {sections} sections", paths.len());
    let mut rows: Vec<(String, f64)> = stats
        .into_iter()
        .filter(|(_, (h, _, _))| *h >= MIN_HEADINGS)
        .map(|(w, (h, hb, b))| {
            let lift = (f64::from(hb) / f64::from(h)) / (f64::from(b.max(1)) / f64::from(sections));
            (w, lift)
        })
        .filter(|(_, lift)| *lift < f64::from(FULL_LIFT))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    println!("# sections\t{sections}");
    for (w, lift) in rows {
        println!("{w}\t{lift:.3}");
    }
    Ok(())
}
