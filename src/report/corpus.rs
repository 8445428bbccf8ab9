//! What does a whole corpus look like? The corpus report (`tifa corpus PATH... --report report.html`).
//!
//! Input: a [`CorpusInput`] — the corpus's documents, its verified pairs, its shared formulas and its
//! clusters, as plain rows (built from corpus mode's analysis by its caller) — and [`Caps`].
//! Output: one self-contained HTML page: a summary, the top pairs (sortable, paginated, each linking to
//! the pair report written beside it when there is one), the top formulas by class with their document
//! frequency and a bar of the years they occur in, a similarity heatmap of the most connected documents
//! ordered by cluster, and the reuse graph as an SVG with a threshold slider.
//!
//! How: everything is capped before it reaches the page (the page ships only what it shows); the graph
//! layout is computed here (Fruchterman–Reingold, fixed start and iteration count, so the same corpus
//! gives the same picture), O(iterations × nodes²) on at most [`Caps::graph_nodes`] nodes.
//!
//! Markup contract: `table#pairs tr[data-a][data-b]`, `table.formulas tr[data-df]`, `svg#heatmap
//! rect[data-a][data-b][data-v]`, `svg#graph line[data-weight]` and `circle[data-doc][data-cluster]`,
//! `input#threshold` (edges lighter than its value are hidden), tables with `data-page-size` paginated.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::page::{self, Lang, Markup};

/// A document of the corpus.
#[derive(Clone, Debug, Serialize)]
pub struct CorpusDoc {
    /// Its id (as in the pairs and formulas).
    pub id: u32,
    /// Title, or file name.
    pub title: String,
    /// Its file.
    pub path: String,
    /// Year of its date, if known.
    pub year: Option<i32>,
    /// Index of its cluster, if it is in one.
    pub cluster: Option<usize>,
}

/// A verified pair.
#[derive(Clone, Debug, Serialize)]
pub struct CorpusPair {
    /// Document id.
    pub a: u32,
    /// Document id.
    pub b: u32,
    /// Distinctive reuse share, in [0, 1].
    pub distinctive: f64,
    /// Boilerplate share, in [0, 1].
    pub boilerplate: f64,
    /// Chars of distinctive reuse.
    pub shared_chars: usize,
    /// Whether the two are near-duplicates.
    pub near_duplicate: bool,
    /// The pair report written beside the corpus report (relative link), if any.
    pub report: Option<String>,
}

/// A formula shared by documents.
#[derive(Clone, Debug, Serialize)]
pub struct CorpusFormula {
    /// Its text.
    pub text: String,
    /// Its class (`lineage`, `boilerplate`).
    pub class: String,
    /// Document frequency.
    pub df: usize,
    /// The documents holding it.
    pub docs: Vec<u32>,
}

/// Everything the corpus report shows.
#[derive(Clone, Debug, Default)]
pub struct CorpusInput {
    /// Documents: the distinct ones, and the near-duplicates a pair names.
    pub documents: Vec<CorpusDoc>,
    /// Pairs by decreasing distinctive share.
    pub pairs: Vec<CorpusPair>,
    /// Formulas by decreasing document frequency (the first of each class at least; see
    /// `formulas_total`).
    pub formulas: Vec<CorpusFormula>,
    /// How many formulas the corpus has (`formulas` may hold only the ones shown).
    pub formulas_total: usize,
    /// Clusters (document ids), largest first.
    pub clusters: Vec<Vec<u32>>,
}

impl CorpusInput {
    /// The rows of corpus mode's analysis, with `formulas_per_class` formulas of each class (the page
    /// shows no more) and `reports[i]`, when given, the link to the pair report of the i-th pair.
    pub fn from_analysis(
        a: &crate::corpus::Analysis,
        formulas_per_class: usize,
        reports: &[Option<String>],
    ) -> CorpusInput {
        let mut cluster_of: HashMap<u32, usize> = HashMap::new();
        for (i, c) in a.graph.communities.iter().enumerate() {
            for &d in c {
                cluster_of.insert(d, i);
            }
        }
        // The distinct documents, and the near-duplicates the pairs still name.
        let mut ids: Vec<u32> = a.corpus.distinct().collect();
        ids.extend(a.pairs.iter().flat_map(|p| [p.a, p.b]));
        ids.sort_unstable();
        ids.dedup();
        let documents = ids
            .into_iter()
            .map(|d| {
                let r = &a.corpus.docs[d as usize];
                let file = std::path::Path::new(&r.path)
                    .file_name()
                    .map_or_else(|| r.path.clone(), |n| n.to_string_lossy().into_owned());
                CorpusDoc {
                    id: d,
                    title: r.title.clone().unwrap_or(file),
                    path: r.path.clone(),
                    year: r.date.as_deref().and_then(|x| x.get(..4)?.parse().ok()),
                    cluster: cluster_of.get(&d).copied(),
                }
            })
            .collect();
        let pairs = a
            .pairs
            .iter()
            .enumerate()
            .map(|(i, p)| CorpusPair {
                a: p.a,
                b: p.b,
                distinctive: p.scores.distinctive,
                boilerplate: p.scores.boilerplate,
                shared_chars: p.scores.distinctive_chars,
                near_duplicate: p.near_duplicate,
                report: reports.get(i).cloned().flatten(),
            })
            .collect();
        let mut shown: HashMap<crate::corpus::FormulaClass, usize> = HashMap::new();
        let formulas = a
            .formulas
            .iter()
            .filter(|f| {
                let n = shown.entry(f.class).or_default();
                *n += 1;
                *n <= formulas_per_class
            })
            .map(|f| {
                let mut docs: Vec<u32> = f.occurrences.iter().map(|o| o.doc).collect();
                docs.dedup();
                CorpusFormula {
                    text: f.text.clone(),
                    class: f.class.as_str().to_string(),
                    df: f.df,
                    docs,
                }
            })
            .collect();
        CorpusInput {
            documents,
            pairs,
            formulas,
            formulas_total: a.formulas.len(),
            clusters: a.graph.communities.clone(),
        }
    }
}

/// How much the page ships.
#[derive(Clone, Copy, Debug)]
pub struct Caps {
    /// Pairs listed.
    pub pairs: usize,
    /// Rows per page of a table.
    pub page_rows: usize,
    /// Formulas listed per class.
    pub formulas_per_class: usize,
    /// Documents on the heatmap.
    pub heatmap_docs: usize,
    /// Document nodes on the graph.
    pub graph_nodes: usize,
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            pairs: 300,
            page_rows: 50,
            formulas_per_class: 60,
            heatmap_docs: 80,
            graph_nodes: 150,
        }
    }
}

#[derive(Serialize)]
struct PairRow {
    n: usize,
    a: u32,
    b: u32,
    a_title: String,
    b_title: String,
    a_path: String,
    b_path: String,
    distinctive: f64,
    boilerplate: f64,
    shared_chars: usize,
    near_duplicate: bool,
    report: Option<String>,
}

#[derive(Serialize)]
struct FormulaRow {
    text: String,
    df: usize,
    /// Bars of the years histogram: (x, height) in a 100 × 16 box.
    bars: Vec<(f64, f64)>,
    bar_width: f64,
    years: String,
}

#[derive(Serialize)]
struct FormulaClassBlock {
    class: String,
    total: usize,
    rows: Vec<FormulaRow>,
}

#[derive(Serialize)]
struct Summary {
    documents: usize,
    formulas: usize,
    pairs: usize,
    clusters: usize,
}

#[derive(Serialize)]
struct CorpusPage {
    t: BTreeMap<&'static str, &'static str>,
    summary: Summary,
    pairs: Vec<PairRow>,
    pairs_total: usize,
    page_rows: usize,
    formula_classes: Vec<FormulaClassBlock>,
    year_range: Option<(i32, i32)>,
}

fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    const L: &[(&str, &str, &str)] = &[
        ("heading", "语料报告", "Corpus report"),
        ("summary", "概览", "Summary"),
        ("documents", "文档", "Documents"),
        ("formulas", "提法", "Formulas"),
        ("pairs", "相似文档对", "Similar pairs"),
        ("clusters", "聚类", "Clusters"),
        (
            "heatmap",
            "相似度热图（按聚类排序）",
            "Similarity heatmap (ordered by cluster)",
        ),
        ("graph", "复用关系图", "Reuse graph"),
        (
            "threshold",
            "显示区别性复用不低于",
            "Show distinctive reuse of at least",
        ),
        ("distinctive", "区别性复用", "Distinctive"),
        ("boilerplate", "套话", "Boilerplate"),
        ("shared_chars", "复用字数", "Shared chars"),
        ("df", "文档数", "Documents"),
        ("where", "分布（年份）", "Where (years)"),
        ("text", "文字", "Text"),
        ("open", "对比报告", "Pair report"),
        ("near_duplicate", "近似重复", "near-duplicate"),
        ("shown", "显示前", "Showing the top"),
        ("of", "条，共", "of"),
        ("prev", "上一页", "Previous"),
        ("next", "下一页", "Next"),
        ("none", "没有。", "None."),
        ("lineage", "传承提法", "Lineage formulas"),
    ];
    page::labels(L, lang)
}

/// The self-contained corpus page.
pub fn html(input: &CorpusInput, caps: &Caps, lang: Lang) -> String {
    let t = labels(lang);
    let docs: HashMap<u32, &CorpusDoc> = input.documents.iter().map(|d| (d.id, d)).collect();
    let title = |id: u32| {
        docs.get(&id)
            .map_or_else(|| format!("#{id}"), |d| d.title.clone())
    };
    let path = |id: u32| docs.get(&id).map_or_else(String::new, |d| d.path.clone());
    let pairs: Vec<PairRow> = input
        .pairs
        .iter()
        .take(caps.pairs)
        .enumerate()
        .map(|(i, p)| PairRow {
            n: i + 1,
            a: p.a,
            b: p.b,
            a_title: title(p.a),
            b_title: title(p.b),
            a_path: path(p.a),
            b_path: path(p.b),
            distinctive: p.distinctive,
            boilerplate: p.boilerplate,
            shared_chars: p.shared_chars,
            near_duplicate: p.near_duplicate,
            report: p.report.clone(),
        })
        .collect();
    let years: Vec<i32> = input.documents.iter().filter_map(|d| d.year).collect();
    let year_range = years
        .iter()
        .min()
        .zip(years.iter().max())
        .map(|(a, b)| (*a, *b));
    let mut by_class: BTreeMap<&str, Vec<&CorpusFormula>> = BTreeMap::new();
    for f in &input.formulas {
        by_class.entry(&f.class).or_default().push(f);
    }
    let formula_classes = by_class
        .into_iter()
        .map(|(class, fs)| FormulaClassBlock {
            class: class.to_string(),
            total: fs.len(),
            rows: fs
                .iter()
                .take(caps.formulas_per_class)
                .map(|f| formula_row(f, &docs, year_range))
                .collect(),
        })
        .collect();
    let view = CorpusPage {
        t: t.clone(),
        summary: Summary {
            documents: input.documents.len(),
            formulas: input.formulas_total.max(input.formulas.len()),
            pairs: input.pairs.len(),
            clusters: input.clusters.len(),
        },
        pairs_total: input.pairs.len(),
        pairs,
        page_rows: caps.page_rows,
        formula_classes,
        year_range,
    };
    let heatmap = heatmap_svg(input, caps.heatmap_docs);
    let graph = graph_svg(input, caps.graph_nodes);
    page::render(
        "corpus.html",
        &format!("tifa {}", t["heading"]),
        lang,
        &view,
        vec![("heatmap", heatmap), ("graph", graph)],
    )
}

fn formula_row(
    f: &CorpusFormula,
    docs: &HashMap<u32, &CorpusDoc>,
    range: Option<(i32, i32)>,
) -> FormulaRow {
    let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
    for d in &f.docs {
        if let Some(y) = docs.get(d).and_then(|d| d.year) {
            *per_year.entry(y).or_default() += 1;
        }
    }
    let (bars, bar_width) = match range {
        Some((lo, hi)) => {
            let span = (hi - lo + 1).max(1) as f64;
            let max = per_year.values().copied().max().unwrap_or(1) as f64;
            let w = 100.0 / span;
            let bars = per_year
                .iter()
                .map(|(y, n)| ((*y - lo) as f64 * w, (*n as f64 / max * 16.0).max(1.5)))
                .collect();
            (bars, w.max(0.8))
        }
        None => (Vec::new(), 0.0),
    };
    let years = match (per_year.keys().next(), per_year.keys().next_back()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    FormulaRow {
        text: f.text.clone(),
        df: f.df,
        bars,
        bar_width,
        years,
    }
}

/// The documents of the heaviest pairs, ordered by cluster then id, at most `cap`.
fn connected_docs(input: &CorpusInput, cap: usize) -> Vec<u32> {
    let mut weight: HashMap<u32, f64> = HashMap::new();
    for p in &input.pairs {
        *weight.entry(p.a).or_default() += p.distinctive;
        *weight.entry(p.b).or_default() += p.distinctive;
    }
    let mut ids: Vec<u32> = weight.keys().copied().collect();
    ids.sort_by(|x, y| weight[y].total_cmp(&weight[x]).then(x.cmp(y)));
    ids.truncate(cap);
    let cluster: HashMap<u32, usize> = input
        .clusters
        .iter()
        .enumerate()
        .flat_map(|(c, ds)| ds.iter().map(move |d| (*d, c)))
        .collect();
    ids.sort_by_key(|d| (cluster.get(d).copied().unwrap_or(usize::MAX), *d));
    ids
}

fn heatmap_svg(input: &CorpusInput, cap: usize) -> Markup {
    use super::html_escape as esc;
    let ids = connected_docs(input, cap);
    if ids.is_empty() {
        return Markup::default();
    }
    let pos: HashMap<u32, usize> = ids.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let titles: HashMap<u32, &str> = input
        .documents
        .iter()
        .map(|d| (d.id, d.title.as_str()))
        .collect();
    let cell = (600.0 / ids.len() as f64).clamp(4.0, 24.0);
    let size = cell * ids.len() as f64;
    let mut out = format!(
        "<svg id=\"heatmap\" viewBox=\"0 0 {size:.0} {size:.0}\" width=\"{size:.0}\" height=\"{size:.0}\" role=\"img\"><rect width=\"100%\" height=\"100%\" fill=\"#f6f8fa\"/>"
    );
    for p in &input.pairs {
        let (Some(&i), Some(&j)) = (pos.get(&p.a), pos.get(&p.b)) else {
            continue;
        };
        let v = p.distinctive.clamp(0.0, 1.0);
        let colour = format!("rgba(209,36,47,{:.3})", 0.15 + 0.85 * v);
        let label = format!(
            "{} ↔ {}: {:.1}%",
            titles.get(&p.a).unwrap_or(&""),
            titles.get(&p.b).unwrap_or(&""),
            v * 100.0
        );
        for (x, y) in [(i, j), (j, i)] {
            out.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{cell:.1}\" height=\"{cell:.1}\" fill=\"{colour}\" data-a=\"{}\" data-b=\"{}\" data-v=\"{v:.3}\"><title>{}</title></rect>",
                x as f64 * cell,
                y as f64 * cell,
                p.a,
                p.b,
                esc(&label)
            ));
        }
    }
    out.push_str("</svg>");
    Markup(out)
}

/// Fruchterman–Reingold layout of `n` nodes with weighted edges in the unit square; deterministic.
fn layout(n: usize, edges: &[(usize, usize, f64)]) -> Vec<(f64, f64)> {
    // Start on a golden-angle spiral: spread out, no randomness.
    let mut p: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let r = ((i as f64 + 0.5) / n.max(1) as f64).sqrt() * 0.5;
            let a = i as f64 * 2.399_963;
            (0.5 + r * a.cos(), 0.5 + r * a.sin())
        })
        .collect();
    if n < 2 {
        return p;
    }
    let k = (1.0 / n as f64).sqrt();
    let iterations = 150;
    for it in 0..iterations {
        let temp = 0.1 * (1.0 - it as f64 / iterations as f64) + 0.002;
        let mut d = vec![(0.0f64, 0.0f64); n];
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (p[i].0 - p[j].0, p[i].1 - p[j].1);
                let dist = (dx * dx + dy * dy).sqrt().max(1e-4);
                let f = k * k / dist;
                let (fx, fy) = (dx / dist * f, dy / dist * f);
                d[i].0 += fx;
                d[i].1 += fy;
                d[j].0 -= fx;
                d[j].1 -= fy;
            }
        }
        for &(i, j, w) in edges {
            let (dx, dy) = (p[i].0 - p[j].0, p[i].1 - p[j].1);
            let dist = (dx * dx + dy * dy).sqrt().max(1e-4);
            let f = dist * dist / k * (0.3 + w);
            let (fx, fy) = (dx / dist * f, dy / dist * f);
            d[i].0 -= fx;
            d[i].1 -= fy;
            d[j].0 += fx;
            d[j].1 += fy;
        }
        for i in 0..n {
            // Gravity keeps loose components on the canvas.
            d[i].0 += (0.5 - p[i].0) * k * 2.0;
            d[i].1 += (0.5 - p[i].1) * k * 2.0;
            let len = (d[i].0 * d[i].0 + d[i].1 * d[i].1).sqrt().max(1e-9);
            let step = len.min(temp);
            p[i].0 += d[i].0 / len * step;
            p[i].1 += d[i].1 / len * step;
        }
    }
    // Fitted to the canvas at the end: clamping at every step piled the repelled nodes on its border.
    let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for q in &p {
        lo = (lo.0.min(q.0), lo.1.min(q.1));
        hi = (hi.0.max(q.0), hi.1.max(q.1));
    }
    let span = |a: f64, b: f64| (b - a).max(1e-9);
    for q in &mut p {
        q.0 = 0.03 + 0.94 * (q.0 - lo.0) / span(lo.0, hi.0);
        q.1 = 0.03 + 0.94 * (q.1 - lo.1) / span(lo.1, hi.1);
    }
    p
}

const CLUSTER_COLOURS: [&str; 10] = [
    "#0969da", "#d1242f", "#1a7f37", "#8250df", "#bf8700", "#0a7f87", "#bf3989", "#953800",
    "#57606a", "#116329",
];

fn graph_svg(input: &CorpusInput, cap: usize) -> Markup {
    use super::html_escape as esc;
    let ids = connected_docs(input, cap);
    if ids.is_empty() {
        return Markup::default();
    }
    let pos: HashMap<u32, usize> = ids.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let edges: Vec<(usize, usize, f64)> = input
        .pairs
        .iter()
        .filter_map(|p| {
            Some((
                *pos.get(&p.a)?,
                *pos.get(&p.b)?,
                p.distinctive.clamp(0.0, 1.0),
            ))
        })
        .collect();
    let xy = layout(ids.len(), &edges);
    let docs: HashMap<u32, &CorpusDoc> = input.documents.iter().map(|d| (d.id, d)).collect();
    let (w, h) = (800.0, 560.0);
    let mut out = format!(
        "<svg id=\"graph\" viewBox=\"0 0 {w} {h}\" role=\"img\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><g class=\"edges\">"
    );
    for &(i, j, v) in &edges {
        out.push_str(&format!(
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke-width=\"{:.2}\" data-weight=\"{v:.3}\" data-a=\"{}\" data-b=\"{}\"/>",
            xy[i].0 * w,
            xy[i].1 * h,
            xy[j].0 * w,
            xy[j].1 * h,
            0.5 + 3.5 * v,
            ids[i],
            ids[j]
        ));
    }
    out.push_str("</g><g class=\"nodes\">");
    for (i, id) in ids.iter().enumerate() {
        let d = docs.get(id);
        let cluster = d.and_then(|d| d.cluster);
        let colour = cluster.map_or("#8c959f", |c| CLUSTER_COLOURS[c % CLUSTER_COLOURS.len()]);
        let label = d.map_or_else(|| format!("#{id}"), |d| d.title.clone());
        out.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"{colour}\" data-doc=\"{id}\" data-cluster=\"{}\"><title>{}</title></circle>",
            xy[i].0 * w,
            xy[i].1 * h,
            cluster.map_or_else(|| "-".to_string(), |c| c.to_string()),
            esc(&label)
        ));
    }
    out.push_str("</g></svg>");
    Markup(out)
}
