//! The five seed speeches against their hand-checked gold outlines (copied from `../shared/gold/outline`
//! into `tests/gold/`), scored the way an outline scorer does: a node matches on (marker, first 8 chars of
//! heading) together with its chain of ancestors, and the tree F1 is computed over all nodes.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;
use tifa::SpeechFile;
use tifa::outline::Section;

type Key = Vec<(String, String)>;

fn head8(s: &str) -> String {
    s.chars().take(8).collect()
}

fn gold_keys(doc: usize, nodes: &[Value], chain: &mut Key, out: &mut Vec<(usize, Key)>) {
    for n in nodes {
        chain.push((
            n["marker"].as_str().unwrap().to_string(),
            head8(n["heading"].as_str().unwrap()),
        ));
        out.push((doc, chain.clone()));
        gold_keys(doc, n["children"].as_array().unwrap(), chain, out);
        chain.pop();
    }
}

fn our_keys(doc: usize, nodes: &[Section], chain: &mut Key, out: &mut Vec<(usize, Key)>) {
    for n in nodes {
        chain.push((n.marker.clone(), head8(&n.heading)));
        out.push((doc, chain.clone()));
        our_keys(doc, &n.children, chain, out);
        chain.pop();
    }
}

/// Tree F1 of predicted against gold node keys (multiset matching).
fn tree_f1(gold: &[(usize, Key)], ours: &[(usize, Key)]) -> (f64, f64, f64) {
    let mut counts: HashMap<&(usize, Key), isize> = HashMap::new();
    for g in gold {
        *counts.entry(g).or_default() += 1;
    }
    let mut hit = 0;
    for o in ours {
        if let Some(c) = counts.get_mut(o)
            && *c > 0
        {
            *c -= 1;
            hit += 1;
        }
    }
    let p = if ours.is_empty() {
        1.0
    } else {
        hit as f64 / ours.len() as f64
    };
    let r = if gold.is_empty() {
        1.0
    } else {
        hit as f64 / gold.len() as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

fn check(name: &str) -> SpeechFile {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gold: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/gold").join(format!("{name}.json"))).unwrap(),
    )
    .unwrap();
    let file = SpeechFile::read(
        root.join("examples/speeches").join(format!("{name}.txt")),
        None,
    )
    .unwrap();
    let gold_docs = gold["documents"].as_array().unwrap();
    assert_eq!(
        file.outlines.len(),
        gold_docs.len(),
        "{name}: number of documents"
    );
    let (mut g, mut o) = (Vec::new(), Vec::new());
    for (i, (gd, od)) in gold_docs.iter().zip(&file.outlines).enumerate() {
        assert_eq!(
            gd["title"].as_str(),
            od.document.title.as_deref(),
            "{name}: title of document {i}"
        );
        gold_keys(
            i,
            gd["sections"].as_array().unwrap(),
            &mut Vec::new(),
            &mut g,
        );
        our_keys(i, &od.sections, &mut Vec::new(), &mut o);
    }
    let (p, r, f) = tree_f1(&g, &o);
    if f < 1.0 {
        let missing: Vec<_> = g.iter().filter(|k| !o.contains(k)).collect();
        let extra: Vec<_> = o.iter().filter(|k| !g.contains(k)).collect();
        panic!(
            "{name}: tree P={p:.3} R={r:.3} F1={f:.3}\nmissing: {missing:#?}\nextra: {extra:#?}"
        );
    }
    file
}

#[test]
fn seed_000_midyear_housing_bureau() {
    check("000_1f080de224ac8f35");
}

#[test]
fn seed_001_half_year_summary_inline_headings() {
    check("001_bbf023ef8e8ca942");
}

#[test]
fn seed_002_compilation_of_six_with_lead_sentences() {
    let file = check("002_8497deb454e1b19d");
    let titles: Vec<_> = file
        .outlines
        .iter()
        .map(|o| o.document.title.clone().unwrap())
        .collect();
    assert_eq!(titles.len(), 6);
    assert_eq!(titles[0], "全力打造过硬干部队伍 推进赶超发展争先进位");
    assert_eq!(titles[5], "担当城市建设更新使命 建设山水车城宜居**");
}

#[test]
fn seed_003_family_change_continues_sequence() {
    check("003_56fb9e0156cb07c5");
}

#[test]
fn seed_004_nested_enumerations_and_noise() {
    let file = check("004_c7f0127a3eafd24f");
    let meta = &file.outlines[0].document.meta;
    assert_eq!(meta.speaker.as_deref(), Some("刘春光"));
    assert_eq!(meta.date.as_deref(), Some("2022年8月13日"));
    assert_eq!(meta.salutation.as_deref(), Some("同志们"));
}

#[test]
fn scorer_counts_ancestor_chains() {
    let k = |m: &str| vec![(m.to_string(), String::new())];
    let g = vec![(0, k("一、")), (0, k("二、"))];
    let o = vec![(0, k("一、"))];
    let (p, r, _) = tree_f1(&g, &o);
    assert_eq!((p, r), (1.0, 0.5));
}
