//! Exports tifa's parallelism and antithesis hits on the Paibi Student Essays (PSE) in the input format of
//! `../shared/tools/pse_score.py`: `{essay: [[[start, end], ...member spans], ...]}`.
//!
//! ```text
//! cargo run --release --example pse_export -- ../shared/corpus/pse-dev all  > /tmp/pse_all.json
//! cargo run --release --example pse_export -- ../shared/corpus/pse-dev tune > /tmp/pse_tune.json
//! cargo run --release --example pse_export -- ../shared/corpus/pse-dev held > /tmp/pse_held.json
//! python3 ../shared/tools/pse_score.py /tmp/pse_gold_tune.json /tmp/pse_tune.json
//! ```
//! The split: `held` = every 4th essay of the sorted list (index 3, 7, 11, …), kept apart from tuning;
//! `tune` = the others. With a third argument `GOLD_OUT`, the matching subset of `gold.json` is written
//! there, so each part is scored against its own gold.
//!
//! Exported: `parallelism` hits, and `antithesis` hits whose members are sentences (PSE annotates 排比,
//! which includes two parallel sentences; a couplet inside one sentence is 对偶 and is left out unless
//! `PSE_ALL_ANTITHESIS=1`). A hit inside one sentence is exported when its members make up at least
//! half of that sentence: PSE marks parallel sentences (排比句), and a short list inside a longer
//! sentence (`…，有梦想，有自信，有坚持，…`) does not make the sentence one (`PSE_ALL_INNER=1` exports
//! them all). `TIFA_PATTERNS=FILE` scores another pattern file.

use std::collections::BTreeMap;
use std::path::Path;

use tifa::SpeechFile;
use tifa::patterns::{Family, PatternKind, PatternSet, Unit};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "../shared/corpus/pse-dev".to_string());
    let part = args.next().unwrap_or_else(|| "all".to_string());
    let gold_out = args.next();
    let dir = Path::new(&dir);
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    // TIFA_PATTERNS=FILE scores another pattern file instead of the default set.
    let set = match std::env::var_os("TIFA_PATTERNS") {
        Some(p) => PatternSet::read(p)?,
        None => PatternSet::default_set(),
    };
    // PSE_DEBUG=1 adds each hit's pattern id and its members' jieba tags (`{essay: [[pattern, [[start,
    // end], ...], [tags, ...]], ...]}`), for analysis; the scorer takes the plain form.
    let debug = std::env::var_os("PSE_DEBUG").is_some();
    let all_antithesis = std::env::var_os("PSE_ALL_ANTITHESIS").is_some();
    let all_inner = std::env::var_os("PSE_ALL_INNER").is_some();
    let sentence_level: Vec<String> = set
        .patterns
        .iter()
        .filter(|p| {
            matches!(&p.kind, PatternKind::Structure(s) if matches!(s.unit, Unit::Sentence | Unit::Paragraph))
                || matches!(&p.kind, PatternKind::Series(s) if s.unit == Unit::Sentence)
        })
        .map(|p| p.id.clone())
        .collect();
    let mut out: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    let mut kept = Vec::new();
    for (k, name) in names.iter().enumerate() {
        let held = k % 4 == 3;
        if (part == "held" && !held) || (part == "tune" && held) {
            continue;
        }
        let id = name.trim_end_matches(".txt").to_string();
        let file = SpeechFile::read(dir.join(name), None)?;
        let hits: Vec<serde_json::Value> = set
            .find(&file)
            .iter()
            .flat_map(|d| d.hits.iter())
            .filter(|h| match h.family {
                Family::Parallelism => true,
                // PSE annotates 排比, including two parallel sentences; a couplet inside one sentence
                // (对偶, `大众创业、万众创新`) is another figure. PSE_ALL_ANTITHESIS=1 exports those too.
                Family::Antithesis => all_antithesis || sentence_level.contains(&h.pattern),
                _ => false,
            })
            .filter(|h| {
                // A hit inside one sentence: its members span at least half of it.
                let (Some(first), Some(last)) = (h.members.first(), h.members.last()) else {
                    return false;
                };
                let sents = &file.segments.sentences;
                let k = sents.partition_point(|s| s.end <= first.start);
                let inside = sents
                    .get(k)
                    .filter(|s| s.start <= first.start && last.end <= s.end);
                all_inner || inside.is_none_or(|s| 2 * (last.end - first.start) >= s.len())
            })
            .map(|h| {
                let members: Vec<[usize; 2]> = h.members.iter().map(|m| [m.start, m.end]).collect();
                if debug {
                    let tags: Vec<String> = h
                        .members
                        .iter()
                        .map(|m| {
                            tifa::segment::default_jieba()
                                .tag(file.text.slice(*m), true)
                                .iter()
                                .map(|t| format!("{}/{}", t.word, t.tag))
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .collect();
                    serde_json::json!([h.pattern, members, tags])
                } else {
                    serde_json::json!(members)
                }
            })
            .collect();
        out.insert(id.clone(), hits);
        kept.push(id);
    }
    if let Some(g) = gold_out {
        let gold: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("gold.json"))?)?;
        let sub: serde_json::Map<String, serde_json::Value> = kept
            .iter()
            .filter_map(|k| gold.get(k).map(|v| (k.clone(), v.clone())))
            .collect();
        std::fs::write(g, serde_json::to_string(&sub)?)?;
    }
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}
