//! Scoring of `tifa compare` against the hand-made correspondences of real report pairs
//! (`tests/compare/pair_gold.json`).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use tifa::SpeechFile;
use tifa::diff::Alignment;
use tifa::outline::{Outline, Section};

/// One gold pair of documents.
pub struct GoldPair {
    pub id: String,
    pub split: String,
    pub a: String,
    pub b: String,
    pub pairs: Vec<(String, String)>,
    pub only_a: Vec<String>,
    pub only_b: Vec<String>,
}

pub fn load() -> Vec<GoldPair> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compare/pair_gold.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let strs = |x: &serde_json::Value| -> Vec<String> {
        x.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    v["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| GoldPair {
            id: p["id"].as_str().unwrap().into(),
            split: p["split"].as_str().unwrap().into(),
            a: p["a"].as_str().unwrap().into(),
            b: p["b"].as_str().unwrap().into(),
            pairs: p["pairs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    let v = strs(x);
                    (v[0].clone(), v[1].clone())
                })
                .collect(),
            only_a: strs(&p["only_a"]),
            only_b: strs(&p["only_b"]),
        })
        .collect()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The path of the section a gold reference names: its last link a prefix of the section's marker +
/// heading, the earlier links prefixes of enclosing sections, in order (levels may be skipped).
pub fn resolve(o: &Outline, reference: &str) -> Option<Vec<usize>> {
    let links: Vec<String> = reference.split(" > ").map(squash).collect();
    let (last, outer) = links.split_last()?;
    let mut found = None;
    let mut chain: Vec<&Section> = Vec::new();
    o.walk(|path, s| {
        if found.is_some() {
            return;
        }
        chain.truncate(path.len() - 1);
        chain.push(s);
        let name = |s: &Section| squash(&format!("{}{}", s.marker, s.heading));
        if !name(s).starts_with(last.as_str()) {
            return;
        }
        let mut k = 0;
        for anc in &chain[..chain.len() - 1] {
            if k < outer.len() && name(anc).starts_with(outer[k].as_str()) {
                k += 1;
            }
        }
        if k == outer.len() {
            found = Some(path.to_vec());
        }
    });
    found
}

/// Figures of one or more pairs.
#[derive(Default, Debug, Clone, Copy)]
pub struct Figures {
    /// Gold correspondences, and how many of them tifa found.
    pub gold_pairs: usize,
    pub found_pairs: usize,
    /// Pairs tifa made that involve a gold section, and how many of them are gold.
    pub made_pairs: usize,
    pub made_right: usize,
    /// Gold sections (either side), and how many have exactly their gold partners.
    pub sections: usize,
    pub sections_right: usize,
    /// Gold only_a/only_b sections, and how many tifa left unpaired.
    pub only: usize,
    pub only_kept: usize,
    /// Gold references not found in the outline.
    pub unresolved: usize,
}

impl Figures {
    pub fn add(&mut self, o: &Figures) {
        self.gold_pairs += o.gold_pairs;
        self.found_pairs += o.found_pairs;
        self.made_pairs += o.made_pairs;
        self.made_right += o.made_right;
        self.sections += o.sections;
        self.sections_right += o.sections_right;
        self.only += o.only;
        self.only_kept += o.only_kept;
        self.unresolved += o.unresolved;
    }

    pub fn right(&self) -> f64 {
        self.sections_right as f64 / self.sections.max(1) as f64
    }

    pub fn line(&self) -> String {
        let r = |a: usize, b: usize| a as f64 / b.max(1) as f64;
        format!(
            "sections right {}/{} ({:.2}); pairs made right {}/{} ({:.2}); corresponding pairs found {}/{} ({:.2}); no-counterpart kept {}/{} ({:.2}); unresolved {}",
            self.sections_right,
            self.sections,
            self.right(),
            self.made_right,
            self.made_pairs,
            r(self.made_right, self.made_pairs),
            self.found_pairs,
            self.gold_pairs,
            r(self.found_pairs, self.gold_pairs),
            self.only_kept,
            self.only,
            r(self.only_kept, self.only),
            self.unresolved
        )
    }
}

/// Scores one alignment against its gold pair; prints each miss when `show` (held-out splits are
/// scored without showing what failed, so that nobody tunes on them by accident).
pub fn score(
    g: &GoldPair,
    fa: &SpeechFile,
    fb: &SpeechFile,
    al: &Alignment,
    show: bool,
) -> Figures {
    let (oa, ob) = (&fa.outlines[0], &fb.outlines[0]);
    let mut f = Figures::default();
    let mut want_a: HashMap<Vec<usize>, BTreeSet<Vec<usize>>> = HashMap::new();
    let mut want_b: HashMap<Vec<usize>, BTreeSet<Vec<usize>>> = HashMap::new();
    let mut gold: BTreeSet<(Vec<usize>, Vec<usize>)> = BTreeSet::new();
    let res = |o: &Outline, r: &str, f: &mut Figures| {
        let p = resolve(o, r);
        if p.is_none() {
            eprintln!("  {}: not in the outline: {r}", g.id);
            f.unresolved += 1;
        }
        p
    };
    for (ra, rb) in &g.pairs {
        f.gold_pairs += 1;
        let (pa, pb) = (res(oa, ra, &mut f), res(ob, rb, &mut f));
        if let Some(pa) = &pa {
            let e = want_a.entry(pa.clone()).or_default();
            if let Some(pb) = &pb {
                e.insert(pb.clone());
            }
        }
        if let Some(pb) = &pb {
            let e = want_b.entry(pb.clone()).or_default();
            if let Some(pa) = &pa {
                e.insert(pa.clone());
            }
        }
        if let (Some(pa), Some(pb)) = (pa, pb) {
            gold.insert((pa, pb));
        }
    }
    let mut only_a = Vec::new();
    let mut only_b = Vec::new();
    for r in &g.only_a {
        f.only += 1;
        if let Some(p) = res(oa, r, &mut f) {
            want_a.entry(p.clone()).or_default();
            only_a.push(p);
        }
    }
    for r in &g.only_b {
        f.only += 1;
        if let Some(p) = res(ob, r, &mut f) {
            want_b.entry(p.clone()).or_default();
            only_b.push(p);
        }
    }
    let mut got_a: HashMap<Vec<usize>, BTreeSet<Vec<usize>>> = HashMap::new();
    let mut got_b: HashMap<Vec<usize>, BTreeSet<Vec<usize>>> = HashMap::new();
    al.walk(|c| {
        if let (Some(x), Some(y)) = (&c.a, &c.b) {
            got_a
                .entry(x.path.clone())
                .or_default()
                .insert(y.path.clone());
            got_b
                .entry(y.path.clone())
                .or_default()
                .insert(x.path.clone());
            if want_a.contains_key(&x.path) || want_b.contains_key(&y.path) {
                f.made_pairs += 1;
                if gold.contains(&(x.path.clone(), y.path.clone())) {
                    f.made_right += 1;
                } else if show {
                    eprintln!(
                        "  {}: wrong pair {}{} ↔ {}{}",
                        g.id, x.marker, x.heading, y.marker, y.heading
                    );
                }
            }
        }
    });
    f.found_pairs = gold
        .iter()
        .filter(|(a, b)| got_a.get(a).is_some_and(|s| s.contains(b)))
        .count();
    let empty = BTreeSet::new();
    let name = |o: &Outline, p: &[usize]| {
        o.get(p)
            .map(|s| format!("{}{}", s.marker, s.heading))
            .unwrap_or_default()
    };
    for (p, want) in &want_a {
        f.sections += 1;
        if got_a.get(p).unwrap_or(&empty) == want {
            f.sections_right += 1;
        } else if show {
            let got: Vec<String> = got_a
                .get(p)
                .unwrap_or(&empty)
                .iter()
                .map(|q| name(ob, q))
                .collect();
            let want: Vec<String> = want.iter().map(|q| name(ob, q)).collect();
            eprintln!("  {}: A {} → want {want:?}, got {got:?}", g.id, name(oa, p));
        }
    }
    for (p, want) in &want_b {
        f.sections += 1;
        if got_b.get(p).unwrap_or(&empty) == want {
            f.sections_right += 1;
        } else if show {
            let got: Vec<String> = got_b
                .get(p)
                .unwrap_or(&empty)
                .iter()
                .map(|q| name(oa, q))
                .collect();
            let want: Vec<String> = want.iter().map(|q| name(oa, q)).collect();
            eprintln!("  {}: B {} ← want {want:?}, got {got:?}", g.id, name(ob, p));
        }
    }
    f.only_kept = only_a.iter().filter(|p| !got_a.contains_key(*p)).count()
        + only_b.iter().filter(|p| !got_b.contains_key(*p)).count();
    f
}
