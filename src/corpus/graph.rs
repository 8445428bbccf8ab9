//! The corpus graph: documents and formulas, who reuses whom, groups and hub formulas.
//!
//! Input: the distinct documents, the verified [`Pair`]s and the [`Formula`]s. Output: a [`CorpusGraph`]
//! (plain nodes and edges, ready to serialise) with connected components, communities and hubs.
//!
//! How (petgraph holds the structure):
//! - nodes: every distinct document (path, compilation index, title, date, speaker, size) and the
//!   `max_formula_nodes` formulas with the highest document frequency (lineage ones first: they carry the
//!   signal; the most frequent boilerplate ones after, as hubs);
//! - edges: document–formula `occurrence` edges; document–document `reuse` edges, one per pair, weighted
//!   by the distinctive share, with the number of lineage formulas the two share; directed older → newer
//!   when both dates are known and differ (a date that is a prefix of the other, `2023` and `2023-03-05`,
//!   is not an order);
//! - components: union-find over reuse edges;
//! - communities: **weighted label propagation** (Raghavan, Albert & Kumara 2007) made deterministic:
//!   nodes visited in id order, each takes the label of largest total edge weight among its
//!   neighbours, ties to the smallest label, until no label changes (at most 50 rounds). Linear per round,
//!   no resolution parameter to tune, and it splits a component where a bridge is weak (a province's
//!   series joined to a city's by one copied paragraph), which components cannot;
//! - hubs: formulas whose documents fall in the most communities (and then the most documents): the
//!   phrases that travel between groups.

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;
use serde::Serialize;

use super::formulas::{Formula, FormulaClass};
use super::ingest::Ingested;
use super::pairs::Pair;
use crate::document::older;

/// Tuning of the graph.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphParams {
    /// Formula nodes at most (the exports stay loadable in Gephi and Graphviz).
    pub max_formula_nodes: usize,
    /// Hub formulas listed.
    pub hubs: usize,
}

impl Default for GraphParams {
    fn default() -> Self {
        GraphParams {
            max_formula_nodes: 300,
            hubs: 20,
        }
    }
}

/// A node: a document or a formula.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Node {
    /// `d<doc id>` or `f<formula id>`.
    pub id: String,
    /// `document` or `formula`.
    pub kind: &'static str,
    /// Title (or file name) of a document, text of a formula.
    pub label: String,
    /// Document: its file.
    pub path: Option<String>,
    /// Document: its place in the file.
    pub index: Option<usize>,
    /// Document: its date.
    pub date: Option<String>,
    /// Document: its speaker.
    pub speaker: Option<String>,
    /// Document: chars; formula: content chars.
    pub chars: usize,
    /// Formula: document frequency.
    pub df: Option<usize>,
    /// Formula: `lineage` or `boilerplate`.
    pub class: Option<&'static str>,
    /// Document: its component (index into [`CorpusGraph::components`]), if it has reuse edges.
    pub component: Option<usize>,
    /// Document: its community (index into [`CorpusGraph::communities`]), if it has reuse edges.
    pub community: Option<usize>,
}

/// An edge.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Edge {
    /// Source node id (the older document for a directed reuse edge).
    pub source: String,
    /// Target node id.
    pub target: String,
    /// `reuse` (document–document) or `occurrence` (document–formula).
    pub kind: &'static str,
    /// Reuse: distinctive share; occurrence: 1.
    pub weight: f64,
    /// Whether `source` → `target` is a known direction (older → newer).
    pub directed: bool,
    /// Reuse: lineage formulas both documents hold.
    pub shared_formulas: usize,
    /// Reuse: whether the two are near-duplicates.
    pub near_duplicate: bool,
}

/// A formula that travels between groups.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hub {
    /// Formula id.
    pub formula: u32,
    /// Its text.
    pub text: String,
    /// Its document frequency.
    pub df: usize,
    /// Its class.
    pub class: &'static str,
    /// Communities its documents fall in.
    pub communities: usize,
}

/// The graph, as plain data.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CorpusGraph {
    /// Nodes: documents then formulas.
    pub nodes: Vec<Node>,
    /// Edges: reuse then occurrence.
    pub edges: Vec<Edge>,
    /// Connected components of the reuse edges with at least two documents (document ids), largest first.
    pub components: Vec<Vec<u32>>,
    /// Communities (document ids), largest first.
    pub communities: Vec<Vec<u32>>,
    /// Hub formulas.
    pub hubs: Vec<Hub>,
    /// Name of the community method.
    pub community_method: &'static str,
}

/// Builds the graph.
pub fn build(
    corpus: &Ingested,
    pairs: &[Pair],
    formulas: &[Formula],
    params: &GraphParams,
) -> CorpusGraph {
    let docs: Vec<u32> = corpus.distinct().collect();
    let mut g: UnGraph<u32, f64> = UnGraph::with_capacity(docs.len(), pairs.len());
    let mut at: HashMap<u32, NodeIndex> = HashMap::new();
    for &d in &docs {
        at.insert(d, g.add_node(d));
    }
    let mut edge_of: HashMap<(u32, u32), usize> = HashMap::new();
    for (i, p) in pairs.iter().enumerate() {
        if let (Some(&x), Some(&y)) = (at.get(&p.a), at.get(&p.b)) {
            g.add_edge(x, y, p.scores.distinctive.max(0.001));
            edge_of.insert((p.a, p.b), i);
        }
    }
    // Lineage formulas shared by each reuse pair.
    let mut shared = vec![0usize; pairs.len()];
    for f in formulas
        .iter()
        .filter(|f| f.class == FormulaClass::Lineage && f.df <= 30)
    {
        let mut ds: Vec<u32> = f.occurrences.iter().map(|o| o.doc).collect();
        ds.dedup();
        for (i, &a) in ds.iter().enumerate() {
            for &b in &ds[i + 1..] {
                if let Some(&e) = edge_of.get(&(a.min(b), a.max(b))) {
                    shared[e] += 1;
                }
            }
        }
    }
    // Components.
    let mut uf = UnionFind::<usize>::new(g.node_count());
    for e in g.edge_indices() {
        if let Some((x, y)) = g.edge_endpoints(e) {
            uf.union(x.index(), y.index());
        }
    }
    let labels = uf.into_labeling();
    let has_edge: Vec<bool> = g
        .node_indices()
        .map(|n| g.neighbors(n).next().is_some())
        .collect();
    let components = groups(&g, &labels, &has_edge);
    let communities = groups(&g, &label_propagation(&g), &has_edge);
    let mut component_of: HashMap<u32, usize> = HashMap::new();
    for (i, c) in components.iter().enumerate() {
        for &d in c {
            component_of.insert(d, i);
        }
    }
    let mut community_of: HashMap<u32, usize> = HashMap::new();
    for (i, c) in communities.iter().enumerate() {
        for &d in c {
            community_of.insert(d, i);
        }
    }
    let mut out = CorpusGraph {
        community_method: "weighted label propagation (deterministic order, ties to the smallest label)",
        ..CorpusGraph::default()
    };
    for &d in &docs {
        let r = &corpus.docs[d as usize];
        let label = r.title.clone().unwrap_or_else(|| {
            std::path::Path::new(&r.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| r.path.clone())
        });
        out.nodes.push(Node {
            id: format!("d{d}"),
            kind: "document",
            label,
            path: Some(r.path.clone()),
            index: Some(r.index),
            date: r.date.clone(),
            speaker: r.speaker.clone(),
            chars: r.chars,
            df: None,
            class: None,
            component: component_of.get(&d).copied(),
            community: community_of.get(&d).copied(),
        });
    }
    for (i, p) in pairs.iter().enumerate() {
        if !edge_of.contains_key(&(p.a, p.b)) {
            continue;
        }
        let (da, db) = (&corpus.docs[p.a as usize], &corpus.docs[p.b as usize]);
        let dir = older(da.date.as_deref(), db.date.as_deref());
        let (s, t) = if dir == Some(false) {
            (p.b, p.a)
        } else {
            (p.a, p.b)
        };
        out.edges.push(Edge {
            source: format!("d{s}"),
            target: format!("d{t}"),
            kind: "reuse",
            weight: p.scores.distinctive,
            directed: dir.is_some(),
            shared_formulas: shared[i],
            near_duplicate: p.near_duplicate,
        });
    }
    // Formula nodes: lineage first, then boilerplate, each by document frequency (formulas are sorted so).
    let lineage = formulas.iter().filter(|f| f.class == FormulaClass::Lineage);
    let boiler = formulas
        .iter()
        .filter(|f| f.class == FormulaClass::Boilerplate);
    let n_boiler = (params.max_formula_nodes / 5).min(boiler.clone().count());
    let chosen: Vec<&Formula> = lineage
        .take(params.max_formula_nodes - n_boiler)
        .chain(boiler.take(n_boiler))
        .collect();
    for f in chosen {
        out.nodes.push(Node {
            id: format!("f{}", f.id),
            kind: "formula",
            label: f.text.clone(),
            path: None,
            index: None,
            date: None,
            speaker: None,
            chars: f.chars,
            df: Some(f.df),
            class: Some(f.class.as_str()),
            component: None,
            community: None,
        });
        let mut ds: Vec<u32> = f.occurrences.iter().map(|o| o.doc).collect();
        ds.dedup();
        for d in ds {
            out.edges.push(Edge {
                source: format!("d{d}"),
                target: format!("f{}", f.id),
                kind: "occurrence",
                weight: 1.0,
                directed: false,
                shared_formulas: 0,
                near_duplicate: false,
            });
        }
    }
    // Hubs: formulas spanning the most communities.
    let mut hubs: Vec<Hub> = formulas
        .iter()
        .filter(|f| f.df >= 3)
        .map(|f| {
            let mut cs: Vec<usize> = f
                .occurrences
                .iter()
                .filter_map(|o| community_of.get(&o.doc).copied())
                .collect();
            cs.sort_unstable();
            cs.dedup();
            Hub {
                formula: f.id,
                text: f.text.clone(),
                df: f.df,
                class: f.class.as_str(),
                communities: cs.len(),
            }
        })
        .filter(|h| h.communities >= 2)
        .collect();
    hubs.sort_by(|a, b| {
        b.communities
            .cmp(&a.communities)
            .then(b.df.cmp(&a.df))
            .then(a.formula.cmp(&b.formula))
    });
    hubs.truncate(params.hubs);
    out.hubs = hubs;
    out.components = components;
    out.communities = communities;
    out
}

/// Document ids grouped by label (nodes without edges left out), largest group first.
fn groups(g: &UnGraph<u32, f64>, labels: &[usize], has_edge: &[bool]) -> Vec<Vec<u32>> {
    let mut by: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    for n in g.node_indices() {
        if has_edge[n.index()] {
            by.entry(labels[n.index()]).or_default().push(g[n]);
        }
    }
    let mut out: Vec<Vec<u32>> = by.into_values().collect();
    for c in &mut out {
        c.sort_unstable();
    }
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    out
}

/// Deterministic weighted label propagation: a label per node index.
fn label_propagation(g: &UnGraph<u32, f64>) -> Vec<usize> {
    let mut label: Vec<usize> = (0..g.node_count()).collect();
    for _ in 0..50 {
        let mut changed = false;
        for n in g.node_indices() {
            let mut w: BTreeMap<usize, f64> = BTreeMap::new();
            for e in g.edges(n) {
                use petgraph::visit::EdgeRef;
                let other = if e.source() == n {
                    e.target()
                } else {
                    e.source()
                };
                *w.entry(label[other.index()]).or_default() += *e.weight();
            }
            let Some(best) = w
                .iter()
                .fold(None::<(usize, f64)>, |acc, (&l, &x)| match acc {
                    Some((_, bx)) if bx >= x => acc,
                    _ => Some((l, x)),
                })
                .map(|(l, _)| l)
            else {
                continue;
            };
            // Keep the current label on a tie with it (stability), else take the best.
            let cur = label[n.index()];
            if best != cur && w.get(&cur).is_none_or(|&c| c < w[&best]) {
                label[n.index()] = best;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    label
}
