//! Outlines of 105 real local government work reports against a gold built by reading them.
//!
//! The gold (`tests/gold/local/*.outline`) was proposed from the publisher's bold and the marker grammar
//! (`cargo run --example bold_gold -- FILE`) and corrected by hand, report by report; it never came from
//! tifa's output. Five splits, each of its own localities:
//! - DEV: 40 reports of 40 localities (rules were tuned on them);
//! - HELD: 15 reports of 15 other localities (scored, never tuned on; their failures were read once);
//! - HELD2: 18 reports of 18 further localities (a province, three capitals, fourteen prefectures,
//!   2011–2025), whose gold was written before any rule change of the session that added them and which
//!   were scored only at its end;
//! - HELD3: 17 reports of 17 prefecture-level localities (one per province, autonomous prefectures among
//!   them, 2012–2026; two repeat their whole tasks part and one has headings run into paragraphs). Every
//!   province and 主要城市 of the corpus is already in an earlier split and no unused locality has a report
//!   before 2012, so HELD3 has neither. Its gold was written, and its score recorded, before the rule changes
//!   of the session that added it; its failures are never read for tuning.
//! - HELD4: 15 reports of 15 further prefecture-level localities of 15 provinces (five autonomous
//!   prefectures among them, 2014–2025; one with misnumbered sub-parts, three with unnumbered own-line
//!   parts, four with glossaries of notes). Its gold was written and its score recorded before any rule change of the
//!   session that added it, and it was scored again only at that session's end; its diffs are never read.
//!
//! In that session the failures of HELD and HELD2 were studied to choose rules (a colon lead-in before a
//! run-in `（一）`, running numbering across sections, qualified glossary and attachment headings, an
//! anaphoric series on lines of their own, a lone `各位代表！` after the last part, consecutive leads of
//! mixed shape), so they are no longer strictly held; one gold error was mended by reading (常德-2019:
//! `二、2019年工作安排` is a top-level part). In the session that added HELD4 the failures of HELD3 were
//! read too (a reprinted part, a lost `（八）`, a glossary headed `附注:`, notes numbered `[1]`), so HELD3
//! is no longer strictly held either; HELD4 is.
//!
//! Levels: provinces, 主要城市, 其他地市; years 2003–2026. The texts stay in
//! `../shared/corpus/local-reports/txt/`; the gold holds offsets and excerpts only.
//!
//! Gold format, one line per node, indented two spaces per level below the top:
//! `<char offset>\t<marker>\t<heading excerpt>`. The offset is where the heading starts (its marker, or the
//! first char of an unnumbered heading) and is always the first non-blank char of a line: the gold
//! describes the outline at paragraph level. A line whose marker is `=` is a *return*: at that offset the
//! text goes back to the level of its indentation's parent (the paragraphs after a part's last sub-part,
//! `各位代表！…` closings, a five-year review after one-year sub-parts).
//!
//! The measure, per report:
//! - tifa's sections count when they start a paragraph (after blanks); an enumeration item (`一是`) counts
//!   only when at least two items of its list start paragraphs, since a paragraph-opening `一是` followed by
//!   inline `二是…三是` is an inline list. The parent of a counted section is its nearest counted ancestor.
//! - **node F1**: gold and tifa nodes match on their start offset;
//! - **tree F1**: a node matches only when its parent matches too (same parent offset, or both top level);
//! - **returns**: a return at indentation L is right when no section deeper than L counted levels
//!   contains its offset (nothing swallowed it).
//!
//! Run: `cargo test --release --test outline_local -- --ignored --nocapture`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use tifa::SpeechFile;
use tifa::outline::{Section, SectionKind};

struct GoldNode {
    offset: usize,
    parent: Option<usize>,
}

struct Gold {
    file: String,
    split: String,
    nodes: Vec<GoldNode>,
    /// (offset, indentation level)
    returns: Vec<(usize, usize)>,
}

fn read_gold(path: &Path) -> Gold {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut file = String::new();
    let mut split = String::new();
    let mut nodes = Vec::new();
    let mut returns = Vec::new();
    // Offsets of the open ancestors, by level.
    let mut open: Vec<usize> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(f) = line.strip_prefix("# split: ") {
            split = f.trim().to_string();
            continue;
        }
        if let Some(f) = line.strip_prefix("# ") {
            file = f.trim().to_string();
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        assert!(
            indent % 2 == 0,
            "{}:{}: odd indentation",
            path.display(),
            n + 1
        );
        let level = indent / 2;
        let mut cols = line.trim_start().split('\t');
        let offset: usize = cols
            .next()
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("{}:{}: no offset", path.display(), n + 1));
        let marker = cols.next().unwrap_or("");
        assert!(
            level <= open.len(),
            "{}:{}: indentation jumps",
            path.display(),
            n + 1
        );
        open.truncate(level);
        if marker == "=" {
            returns.push((offset, level));
            continue;
        }
        nodes.push(GoldNode {
            offset,
            parent: level.checked_sub(1).map(|l| open[l]),
        });
        open.push(offset);
    }
    assert!(
        !file.is_empty() && !split.is_empty(),
        "{}: header",
        path.display()
    );
    Gold {
        file,
        split,
        nodes,
        returns,
    }
}

/// First non-blank char of every line.
fn paragraph_starts(text: &str) -> HashSet<usize> {
    let mut starts = HashSet::new();
    let mut at_line_start = true;
    for (i, c) in text.chars().enumerate() {
        if c == '\n' {
            at_line_start = true;
        } else if at_line_start && !c.is_whitespace() {
            starts.insert(i);
            at_line_start = false;
        }
    }
    starts
}

/// tifa's counted sections: (offset, parent offset), and every section as (span, counted depth).
struct Predicted {
    nodes: Vec<(usize, Option<usize>)>,
    spans: Vec<(usize, usize, usize)>,
}

fn predicted(file: &SpeechFile, starts: &HashSet<usize>) -> Predicted {
    let mut nodes = Vec::new();
    let mut spans = Vec::new();
    let counts = |s: &Section, siblings: &[Section]| {
        if !starts.contains(&s.span.start) {
            return false;
        }
        if s.kind != SectionKind::Enumeration {
            return true;
        }
        siblings
            .iter()
            .filter(|o| o.kind == SectionKind::Enumeration && starts.contains(&o.span.start))
            .count()
            >= 2
    };
    for outline in &file.outlines {
        // (siblings, parent offset, counted depth) stack; iterative so deep outlines cannot overflow.
        let mut stack: Vec<(&[Section], Option<usize>, usize)> =
            vec![(&outline.sections[..], None, 0)];
        while let Some((list, parent, depth)) = stack.pop() {
            for s in list {
                let counted = counts(s, list);
                let d = depth + usize::from(counted);
                spans.push((s.span.start, s.span.end, d));
                if counted {
                    nodes.push((s.span.start, parent));
                }
                let p = if counted { Some(s.span.start) } else { parent };
                stack.push((&s.children[..], p, d));
            }
        }
    }
    Predicted { nodes, spans }
}

fn f1(hit: usize, gold: usize, ours: usize) -> f64 {
    if gold + ours == 0 {
        return 1.0;
    }
    2.0 * hit as f64 / (gold + ours) as f64
}

struct Score {
    node_f1: f64,
    tree_f1: f64,
    returns_ok: usize,
    returns: usize,
}

fn score(gold: &Gold, pred: &Predicted) -> Score {
    let gold_parent: HashMap<usize, Option<usize>> =
        gold.nodes.iter().map(|n| (n.offset, n.parent)).collect();
    let node_hits = pred
        .nodes
        .iter()
        .filter(|(o, _)| gold_parent.contains_key(o))
        .count();
    let tree_hits = pred
        .nodes
        .iter()
        .filter(|(o, p)| gold_parent.get(o) == Some(p))
        .count();
    let returns_ok = gold
        .returns
        .iter()
        .filter(|&&(off, level)| {
            pred.spans
                .iter()
                .filter(|&&(a, b, _)| a < off && off < b)
                .all(|&(_, _, d)| d <= level)
        })
        .count();
    Score {
        node_f1: f1(node_hits, gold.nodes.len(), pred.nodes.len()),
        tree_f1: f1(tree_hits, gold.nodes.len(), pred.nodes.len()),
        returns_ok,
        returns: gold.returns.len(),
    }
}

/// With `OUTLINE_DIFF=<file prefix>`: the nodes missing, extra or under another parent, and the returns
/// swallowed, for reading the failures of one report.
fn print_diff(gold: &Gold, pred: &Predicted, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let show = |o: usize| -> String { chars[o..(o + 16).min(chars.len())].iter().collect() };
    let ours: HashMap<usize, Option<usize>> = pred.nodes.iter().copied().collect();
    for n in &gold.nodes {
        match ours.get(&n.offset) {
            None => println!("  missing {} {}", n.offset, show(n.offset)),
            Some(p) if *p != n.parent => println!(
                "  parent  {} {} — ours {:?}, gold {:?}",
                n.offset,
                show(n.offset),
                p.map(show),
                n.parent.map(show)
            ),
            _ => {}
        }
    }
    let gold_set: HashSet<usize> = gold.nodes.iter().map(|n| n.offset).collect();
    for (o, _) in &pred.nodes {
        if !gold_set.contains(o) {
            println!("  extra   {} {}", o, show(*o));
        }
    }
    for &(off, level) in &gold.returns {
        for &(a, b, d) in &pred.spans {
            if a < off && off < b && d > level {
                println!(
                    "  return  {} {} swallowed by {} (depth {d})",
                    off,
                    show(off),
                    show(a)
                );
            }
        }
    }
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/local-reports/txt")
}

#[test]
#[ignore = "needs ../shared corpus"]
fn local_report_outlines_match_the_gold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold/local");
    let mut golds: Vec<Gold> = std::fs::read_dir(&dir)
        .expect("tests/gold/local")
        .map(|e| read_gold(&e.unwrap().path()))
        .collect();
    golds.sort_by(|a, b| (&a.split, &a.file).cmp(&(&b.split, &b.file)));
    assert_eq!(golds.len(), 105, "gold reports");
    let mut by_split: HashMap<String, Vec<Score>> = HashMap::new();
    println!(
        "{:<34} {:>5} {:>5} {:>6} {:>6} {:>7}",
        "report", "split", "gold", "node", "tree", "returns"
    );
    for g in &golds {
        let path = corpus().join(&g.file);
        let file = SpeechFile::read(&path, None)
            .unwrap_or_else(|e| panic!("{}: {e} (the corpus is needed)", path.display()));
        let starts = paragraph_starts(file.text.as_str());
        for n in &g.nodes {
            assert!(
                starts.contains(&n.offset),
                "{}: gold offset {} is not a paragraph start",
                g.file,
                n.offset
            );
        }
        let pred = predicted(&file, &starts);
        let s = score(g, &pred);
        if std::env::var("OUTLINE_DIFF").is_ok_and(|d| g.file.starts_with(&d)) {
            print_diff(g, &pred, file.text.as_str());
        }
        println!(
            "{:<34} {:>5} {:>5} {:>6.3} {:>6.3} {:>4}/{}",
            g.file.trim_end_matches(".txt"),
            g.split,
            g.nodes.len(),
            s.node_f1,
            s.tree_f1,
            s.returns_ok,
            s.returns
        );
        by_split.entry(g.split.clone()).or_default().push(s);
    }
    let mut summary = Vec::new();
    for split in ["dev", "held", "held2", "held3", "held4"] {
        let scores = &by_split[split];
        let n = scores.len() as f64;
        let node = scores.iter().map(|s| s.node_f1).sum::<f64>() / n;
        let tree = scores.iter().map(|s| s.tree_f1).sum::<f64>() / n;
        let min = scores.iter().map(|s| s.tree_f1).fold(1.0, f64::min);
        let ret_ok: usize = scores.iter().map(|s| s.returns_ok).sum();
        let ret: usize = scores.iter().map(|s| s.returns).sum();
        println!(
            "{split}: {} reports, node F1 {node:.3}, tree F1 {tree:.3} (lowest {min:.3}), returns {ret_ok}/{ret}",
            scores.len()
        );
        summary.push((split, tree, min));
    }
    for (split, tree, min) in summary {
        assert!(
            tree >= TREE_MEAN[split_index(split)],
            "{split}: tree F1 {tree:.3}"
        );
        assert!(
            min >= TREE_MIN[split_index(split)],
            "{split}: lowest tree F1 {min:.3}"
        );
    }
}

/// What the rules achieve (dev, held, held2, held3, held4); raised as they improve, never above the measured figure.
const TREE_MEAN: [f64; 5] = [0.984, 0.99, 0.975, 0.97, 0.98];
// Lowest per split: a bolded summary paragraph heading a list (浙江-2024, dev), bold colon leads heading
// a list (周口-2014, held2; 安庆-2015, held3); the bold is not in the text.
// HELD4 scored 0.940 (lowest 0.435) on the rules as they stood when its gold was written, 0.984 (lowest
// 0.867) at the end of that session; it was never tuned on.
const TREE_MIN: [f64; 5] = [0.77, 0.94, 0.65, 0.63, 0.86];

fn split_index(split: &str) -> usize {
    match split {
        "dev" => 0,
        "held" => 1,
        "held2" => 2,
        "held3" => 3,
        _ => 4,
    }
}

#[test]
fn gold_files_parse_with_parents_and_returns() {
    let g = read_gold(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/gold/local/主要城市-东莞市-2009.outline"),
    );
    assert_eq!(g.split, "dev");
    // `2008年工作回顾` (offset 57) holds the numbered `一、` that follows it.
    let first = g.nodes.iter().find(|n| n.offset == 1642).unwrap();
    assert_eq!(first.parent, Some(57));
    assert!(g.returns.contains(&(5426, 1)));
}

#[test]
fn scorer_needs_the_parent_for_tree_f1() {
    let gold = Gold {
        file: String::new(),
        split: String::new(),
        nodes: vec![
            GoldNode {
                offset: 0,
                parent: None,
            },
            GoldNode {
                offset: 10,
                parent: Some(0),
            },
        ],
        returns: vec![(30, 0)],
    };
    let pred = Predicted {
        nodes: vec![(0, None), (10, None)],
        spans: vec![(0, 40, 1), (10, 40, 1)],
    };
    let s = score(&gold, &pred);
    assert_eq!((s.node_f1, s.tree_f1), (1.0, 0.5));
    assert_eq!(s.returns_ok, 0);
}
