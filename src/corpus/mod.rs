//! Corpus mode: which formulas travel between the documents of a folder, which documents copy from which,
//! and the graph that links them.
//!
//! Input: files and folders (selected by [`crate::files`]), read into an [`Ingested`] corpus.
//! Output: an [`Analysis`]: documents (duplicates marked), the fingerprint [`Postings`], verified
//! similar [`Pair`]s, shared [`Formula`]s and the [`CorpusGraph`]; [`export`] writes them as JSONL, CSV,
//! JSON, Graphviz and GraphML, [`query`] ranks the documents a new speech draws from.
//!
//! How, phase by phase (each a library function on plain data, so an index can store any phase):
//! 1. [`ingest`]: decode, split compilations, one canonical sequence per document (kept) → clause cuts
//!    and winnowed shingle fingerprints; exact duplicates marked;
//! 2. [`pairs`]: inverted index of fingerprints, candidates from rare shared fingerprints, verification
//!    with the reuse engine around the shared text, near-duplicates marked (and then counted once);
//! 3. [`formulas`]: maximal shared phrases from a generalized suffix array of the sequences, aligned
//!    to clause cuts;
//! 4. [`graph`]: documents and formulas, reuse and occurrence edges, components, communities, hubs and
//!    direction by date.
//!
//! Every phase is linear in the corpus size (plus the verified candidates); none compares all pairs.
//! Content hashes (fingerprints, formula hashes) are [`crate::fingerprint`]'s: xxh3-64 of the chars as
//! UTF-32 LE, stable across runs and platforms.
//!
//! ```
//! use tifa::{Text, text::Encoding, corpus};
//! let texts = [
//!     "一、总体要求。坚持稳中求进工作总基调，全力攻坚三季度、决胜下半年，确保完成全年目标任务。",
//!     "二、重点工作。我们要攻坚三季度、决胜下半年，奋力争一流、争第一、争唯一。",
//!     "三、保障措施。全市上下要争一流、争第一、争唯一，以优异成绩迎接党的二十大胜利召开。",
//! ]
//! .iter()
//! .enumerate()
//! .map(|(i, s)| Text::from_string(format!("{i}.txt"), *s, Encoding::Utf8))
//! .collect();
//! let analysis = corpus::analyze(
//!     corpus::ingest::ingest_texts(texts, None),
//!     &corpus::CorpusParams::default(),
//!     &corpus::NoProgress,
//! );
//! let f = analysis.formulas.iter().find(|f| f.text == "争一流、争第一、争唯一").unwrap();
//! assert_eq!(f.df, 2);
//! assert!(analysis.formulas.iter().any(|f| f.text == "攻坚三季度、决胜下半年"));
//! ```

pub mod export;
pub mod formulas;
pub mod graph;
pub mod ingest;
pub mod pairs;
pub mod query;

pub use formulas::{Formula, FormulaClass, FormulaParams};
pub use graph::CorpusGraph;
pub use ingest::{DocRecord, Ingested};
pub use pairs::{Pair, PairParams, Postings};

/// Progress of the phases (the CLI draws bars; the library and tests use [`NoProgress`]).
pub trait Progress: Sync {
    /// A phase starts with `len` steps.
    fn start(&self, phase: &str, len: u64);
    /// `n` steps done.
    fn inc(&self, n: u64);
    /// The phase is over.
    fn finish(&self);
}

/// Progress that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &str, _: u64) {}
    fn inc(&self, _: u64) {}
    fn finish(&self) {}
}

pub use crate::fingerprint::{hash_chars, hash_tokens};

/// Tuning of the whole analysis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorpusParams {
    /// Formula mining.
    pub formulas: FormulaParams,
    /// Pair finding.
    pub pairs: PairParams,
    /// Graph building.
    pub graph: graph::GraphParams,
}

/// Everything corpus mode computes.
#[derive(Debug)]
pub struct Analysis {
    /// The corpus (documents with duplicates marked, texts, features, failed files).
    pub corpus: Ingested,
    /// The fingerprint index.
    pub postings: Postings,
    /// Verified pairs with distinctive reuse (and near-duplicates), by decreasing copy score.
    pub pairs: Vec<Pair>,
    /// Shared formulas.
    pub formulas: Vec<Formula>,
    /// The graph.
    pub graph: CorpusGraph,
    /// The document frequency from which formulas and passages are boilerplate.
    pub boilerplate_df: usize,
}

/// Runs every phase after ingest.
pub fn analyze(mut corpus: Ingested, params: &CorpusParams, progress: &dyn Progress) -> Analysis {
    let threshold = params
        .formulas
        .boilerplate_df
        .unwrap_or(formulas::BOILERPLATE_DF);
    let postings = Postings::build(&corpus);
    let boilerplate_df = params.pairs.boilerplate_df.unwrap_or(threshold);
    let mut pairs = pairs::find_pairs(&corpus, &postings, &params.pairs, boilerplate_df, progress);
    mark_near_duplicates(&mut corpus, &mut pairs);
    pairs.sort_by(|x, y| {
        y.scores
            .distinctive
            .total_cmp(&x.scores.distinctive)
            .then(y.scores.distinctive_chars.cmp(&x.scores.distinctive_chars))
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    let formulas = formulas::mine(
        &corpus,
        &FormulaParams {
            boilerplate_df: Some(threshold),
            ..params.formulas.clone()
        },
        progress,
    );
    progress.start("graph", 1);
    let graph = graph::build(&corpus, &pairs, &formulas, &params.graph);
    progress.finish();
    Analysis {
        corpus,
        postings,
        pairs,
        formulas,
        graph,
        boilerplate_df: threshold,
    }
}

/// Groups near-duplicate pairs (union-find, the lowest id represents its group), marks the others
/// `duplicate_of` it, and keeps one pair per member (with its representative) and none of the members'
/// other pairs, so each near-duplicate is reported once.
fn mark_near_duplicates(corpus: &mut Ingested, pairs: &mut Vec<Pair>) {
    let n = corpus.docs.len();
    let mut uf = petgraph::unionfind::UnionFind::<u32>::new(n);
    for p in pairs.iter().filter(|p| p.near_duplicate) {
        uf.union(p.a, p.b);
    }
    let labels = uf.into_labeling();
    // Representative of each group: its lowest id.
    let mut rep: Vec<u32> = (0..n as u32).collect();
    for d in (0..n).rev() {
        let l = labels[d] as usize;
        rep[l] = rep[l].min(d as u32);
    }
    let root = |d: u32| rep[labels[d as usize] as usize];
    for d in 0..n as u32 {
        let r = root(d);
        if r != d && corpus.docs[d as usize].duplicate_of.is_none() {
            corpus.docs[d as usize].duplicate_of = Some(r);
            corpus.docs[d as usize].duplicate = Some("near");
        }
    }
    pairs.retain(|p| {
        let (ra, rb) = (root(p.a), root(p.b));
        if ra == rb {
            // Within a group: only the representative's pair with each member.
            p.near_duplicate && (p.a == ra || p.b == ra)
        } else {
            ra == p.a && rb == p.b
        }
    });
}
