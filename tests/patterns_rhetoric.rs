//! Scores the default pattern set against the figures annotated in `tests/rhetoric/` (DEV and HELD
//! splits, see its README), and checks that plain narrative and statistical sentences give no hit.
//!
//! `cargo test --test patterns_rhetoric -- --nocapture` prints the per-family table (precision, recall,
//! F1 at exact-member and overlap level) for both splits; with `RHETORIC_DEBUG=1` it also lists every
//! missed figure and every unmatched hit (look at the DEV part only when tuning); `TIFA_PATTERNS=FILE`
//! scores another pattern file.

use std::collections::BTreeMap;
use std::path::Path;

use tifa::patterns::{Family, PatternHit, PatternSet};
use tifa::{Span, SpeechFile, Text, text::Encoding};

/// One annotated excerpt: its document, its text and its figures (family, member spans in chars).
struct Excerpt {
    doc: String,
    text: String,
    figures: Vec<(Family, Vec<Span>)>,
}

fn char_find(hay: &str, needle: &str, from_char: usize) -> Option<usize> {
    let from_byte = hay
        .char_indices()
        .nth(from_char)
        .map_or(hay.len(), |(b, _)| b);
    hay[from_byte..]
        .find(needle)
        .map(|b| hay[..from_byte + b].chars().count())
}

fn load(name: &str) -> Vec<Excerpt> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/rhetoric")
        .join(name);
    let src = std::fs::read_to_string(&path).unwrap();
    let mut out: Vec<Excerpt> = Vec::new();
    let mut doc = String::new();
    let mut firsts: BTreeMap<String, usize> = BTreeMap::new();
    for (k, line) in src.lines().enumerate() {
        if let Some(d) = line.strip_prefix("# doc ") {
            doc = d.trim().to_string();
        } else if let Some(t) = line.strip_prefix("@ ") {
            out.push(Excerpt {
                doc: doc.clone(),
                text: t.to_string(),
                figures: Vec::new(),
            });
            firsts.clear();
        } else if let Some((fam, members)) = line.split_once(": ")
            && !line.starts_with('#')
        {
            let family = Family::from_name(fam)
                .unwrap_or_else(|| panic!("{name}:{}: unknown family {fam}", k + 1));
            let ex = out.last_mut().expect("figure before any excerpt");
            let members: Vec<&str> = members.split(" | ").map(str::trim).collect();
            let mut at = firsts.get(members[0]).map_or(0, |s| s + 1);
            let mut spans = Vec::new();
            for (i, m) in members.iter().enumerate() {
                let s = char_find(&ex.text, m, at)
                    .unwrap_or_else(|| panic!("{name}:{}: member {m} not in excerpt", k + 1));
                if i == 0 {
                    firsts.insert(m.to_string(), s);
                }
                let e = s + m.chars().count();
                spans.push(Span::new(s, e));
                at = e;
            }
            ex.figures.push((family, spans));
        }
    }
    out
}

/// The set scored: the default one, or `TIFA_PATTERNS=FILE` (to try a variant without recompiling).
fn pattern_set() -> PatternSet {
    static SET: std::sync::LazyLock<PatternSet> =
        std::sync::LazyLock::new(|| match std::env::var_os("TIFA_PATTERNS") {
            Some(p) => PatternSet::read(p).expect("TIFA_PATTERNS pattern file"),
            None => PatternSet::default_set(),
        });
    SET.clone()
}

fn hits_of(text: &str) -> Vec<PatternHit> {
    let file = SpeechFile::from_text(Text::from_string("excerpt.txt", text, Encoding::Utf8));
    pattern_set()
        .find(&file)
        .into_iter()
        .flat_map(|d| d.hits)
        .collect()
}

fn overlap(a: Span, b: Span) -> bool {
    let i = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    i * 2 >= a.len().min(b.len()).max(1)
}

fn cover(spans: &[Span]) -> Span {
    Span::new(spans[0].start, spans[spans.len() - 1].end)
}

#[derive(Default, Clone, Copy)]
struct Count {
    gold: usize,
    pred: usize,
    exact_p: usize,
    exact_r: usize,
    over_p: usize,
    over_r: usize,
}

fn prf(tp_p: usize, n_p: usize, tp_r: usize, n_r: usize) -> (f64, f64, f64) {
    let p = if n_p == 0 {
        0.0
    } else {
        tp_p as f64 / n_p as f64
    };
    let r = if n_r == 0 {
        0.0
    } else {
        tp_r as f64 / n_r as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

/// Per-family counts of a split.
fn score(excerpts: &[Excerpt]) -> BTreeMap<Family, Count> {
    let mut by: BTreeMap<Family, Count> =
        Family::ALL.iter().map(|f| (*f, Count::default())).collect();
    // RHETORIC_DEBUG=1 prints every missed figure and every unmatched hit (for tuning on DEV).
    let debug = std::env::var_os("RHETORIC_DEBUG").is_some();
    if debug {
        println!("=== {} excerpts", excerpts.len());
    }
    for ex in excerpts {
        let hits = hits_of(&ex.text);
        if debug {
            let chars: Vec<char> = ex.text.chars().collect();
            let show = |m: &[Span]| {
                m.iter()
                    .map(|s| chars[s.start..s.end].iter().collect::<String>())
                    .collect::<Vec<_>>()
                    .join(" | ")
            };
            for (fam, members) in &ex.figures {
                if !hits
                    .iter()
                    .any(|h| h.family == *fam && &h.members == members)
                {
                    println!("MISS {fam}: {}", show(members));
                }
            }
            for h in &hits {
                if !ex
                    .figures
                    .iter()
                    .any(|(f, m)| *f == h.family && *m == h.members)
                {
                    println!("FP   {} ({}): {}", h.family, h.pattern, show(&h.members));
                }
            }
        }
        for (fam, members) in &ex.figures {
            let c = by.get_mut(fam).unwrap();
            c.gold += 1;
            let same: Vec<&PatternHit> = hits.iter().filter(|h| h.family == *fam).collect();
            if same.iter().any(|h| &h.members == members) {
                c.exact_r += 1;
            }
            if same.iter().any(|h| overlap(h.span, cover(members))) {
                c.over_r += 1;
            }
        }
        for h in &hits {
            let c = by.get_mut(&h.family).unwrap();
            c.pred += 1;
            let gold: Vec<&Vec<Span>> = ex
                .figures
                .iter()
                .filter(|(f, _)| *f == h.family)
                .map(|(_, m)| m)
                .collect();
            if gold.iter().any(|m| **m == h.members) {
                c.exact_p += 1;
            }
            if gold.iter().any(|m| overlap(h.span, cover(m))) {
                c.over_p += 1;
            }
        }
    }
    by
}

fn table(name: &str, by: &BTreeMap<Family, Count>) -> (f64, f64) {
    println!("\n{name}: per-family P / R / F1 (exact members | overlap)");
    println!(
        "{:<20} {:>5} {:>5}   {:>5} {:>5} {:>5}   {:>5} {:>5} {:>5}",
        "family", "gold", "hits", "P", "R", "F1", "P", "R", "F1"
    );
    let mut all = Count::default();
    for (f, c) in by {
        let e = prf(c.exact_p, c.pred, c.exact_r, c.gold);
        let o = prf(c.over_p, c.pred, c.over_r, c.gold);
        println!(
            "{:<20} {:>5} {:>5}   {:>5.2} {:>5.2} {:>5.2}   {:>5.2} {:>5.2} {:>5.2}",
            f.name(),
            c.gold,
            c.pred,
            e.0,
            e.1,
            e.2,
            o.0,
            o.1,
            o.2
        );
        all.gold += c.gold;
        all.pred += c.pred;
        all.exact_p += c.exact_p;
        all.exact_r += c.exact_r;
        all.over_p += c.over_p;
        all.over_r += c.over_r;
    }
    let e = prf(all.exact_p, all.pred, all.exact_r, all.gold);
    let o = prf(all.over_p, all.pred, all.over_r, all.gold);
    println!(
        "{:<20} {:>5} {:>5}   {:>5.2} {:>5.2} {:>5.2}   {:>5.2} {:>5.2} {:>5.2}",
        "all", all.gold, all.pred, e.0, e.1, e.2, o.0, o.1, o.2
    );
    (e.2, o.2)
}

#[test]
fn annotated_set_covers_every_family_with_300_figures() {
    let dev = load("dev.txt");
    let held = load("held.txt");
    let n: usize = dev.iter().chain(&held).map(|e| e.figures.len()).sum();
    assert!(n >= 300, "{n} annotated figures");
    for f in Family::ALL {
        for (name, split) in [("dev", &dev), ("held", &held)] {
            let k = split
                .iter()
                .flat_map(|e| &e.figures)
                .filter(|(g, _)| *g == f)
                .count();
            assert!(k >= 2, "{name}: only {k} {} figures", f.name());
        }
    }
    // The two splits come from different documents.
    let docs = |s: &[Excerpt]| {
        s.iter()
            .map(|e| e.doc.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert!(docs(&dev).is_disjoint(&docs(&held)));
}

#[test]
fn annotated_figures_are_found() {
    let dev = score(&load("dev.txt"));
    let held = score(&load("held.txt"));
    let (dev_exact, dev_overlap) = table("DEV", &dev);
    let (held_exact, held_overlap) = table("HELD", &held);
    // Floors a little under the figures measured when this test was written (see the report), so a
    // regression fails the suite.
    assert!(dev_overlap >= 0.55, "DEV overlap F1 {dev_overlap:.2}");
    assert!(held_overlap >= 0.45, "HELD overlap F1 {held_overlap:.2}");
    assert!(dev_exact >= 0.35, "DEV exact F1 {dev_exact:.2}");
    assert!(held_exact >= 0.3, "HELD exact F1 {held_exact:.2}");
}

#[test]
fn plain_narrative_and_statistical_sentences_give_no_hit() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rhetoric/negatives.txt");
    let src = std::fs::read_to_string(path).unwrap();
    let sentences: Vec<&str> = src
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t').map(|(_, s)| s))
        .collect();
    assert!(sentences.len() >= 100, "{} negatives", sentences.len());
    let mut bad = Vec::new();
    for s in &sentences {
        for h in hits_of(s) {
            let members: Vec<String> = h
                .members
                .iter()
                .map(|m| s.chars().skip(m.start).take(m.len()).collect())
                .collect();
            bad.push(format!("{} {:?} in {s}", h.pattern, members));
        }
    }
    assert!(
        bad.is_empty(),
        "{} hits on negatives:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Where an annotated document lives in `../shared/corpus`.
fn corpus_path(doc: &str) -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    match doc.strip_prefix("xi-") {
        Some(date) => root.join("xi-speeches-2020").join(format!("{date}.txt")),
        None => root
            .join("cn-political-corpora/split")
            .join(format!("{doc}.txt")),
    }
}

#[test]
#[ignore = "needs ../shared corpus"]
fn excerpts_are_verbatim_from_their_documents() {
    let mut cache: BTreeMap<String, String> = BTreeMap::new();
    let mut check = |doc: &str, text: &str| {
        let body = cache.entry(doc.to_string()).or_insert_with(|| {
            let p = corpus_path(doc);
            std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        });
        assert!(body.contains(text), "not in {doc}: {text}");
    };
    for name in ["dev.txt", "held.txt"] {
        for ex in load(name) {
            check(&ex.doc, &ex.text);
        }
    }
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rhetoric/negatives.txt"),
    )
    .unwrap();
    for line in src.lines().filter(|l| !l.starts_with('#')) {
        if let Some((doc, s)) = line.split_once('\t') {
            check(doc, s);
        }
    }
}
