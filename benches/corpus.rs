//! Corpus-mode bench: time of each phase (read, candidates, verification, formulas) and in total.
//!
//! `cargo bench --bench corpus` runs on the 52 government work reports (`../shared`), or on the bundled
//! seed speeches when they are absent; `TIFA_CORPUS_DIR=/tmp/gen10k/docs cargo bench --bench corpus`
//! runs on a corpus made by `examples/corpus_gen.rs`. Recall and false pairs of a generated corpus are
//! measured by `scripts/corpus_bench.sh` (it runs the CLI, which also writes the exports).

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use tifa::corpus::{self, CorpusParams, Progress};
use tifa::files::{self, FileFilter};

/// The phase running (name, start) and the phases done (name, seconds).
type Phases = (Option<(String, Instant)>, Vec<(String, f64)>);

/// Records how long each phase took.
struct Timer(Mutex<Phases>);

impl Progress for Timer {
    fn start(&self, phase: &str, _: u64) {
        self.0.lock().unwrap().0 = Some((phase.to_string(), Instant::now()));
    }
    fn inc(&self, _: u64) {}
    fn finish(&self) {
        let mut g = self.0.lock().unwrap();
        if let Some((p, t)) = g.0.take() {
            g.1.push((p, t.elapsed().as_secs_f64()));
        }
    }
}

fn main() {
    let dir = std::env::var_os("TIFA_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let gwr = PathBuf::from("../shared/corpus/cn-political-corpora/split");
            if gwr.is_dir() {
                gwr
            } else {
                PathBuf::from("examples/speeches")
            }
        });
    let runs: usize = std::env::var("TIFA_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let sel = files::select(std::slice::from_ref(&dir), &FileFilter::default());
    let patterns = tifa::patterns::PatternSet::default_set();
    let mut totals = Vec::new();
    for run in 0..runs {
        let timer = Timer(Mutex::new((None, Vec::new())));
        let t0 = Instant::now();
        let ing = corpus::ingest::ingest_files(&sel.files, None, Some(&patterns), &timer);
        let a = corpus::analyze(ing, &CorpusParams::default(), &timer);
        let total = t0.elapsed().as_secs_f64();
        let phases = timer.0.lock().unwrap().1.clone();
        let phases: Vec<String> = phases.iter().map(|(p, s)| format!("{p} {s:.2}s")).collect();
        println!(
            "run {run}: {} files, {} documents, {} pairs, {} formulas in {total:.2}s ({})",
            sel.files.len(),
            a.corpus.docs.len(),
            a.pairs.len(),
            a.formulas.len(),
            phases.join(", ")
        );
        totals.push(total);
    }
    totals.sort_by(f64::total_cmp);
    println!(
        "corpus {}: median {:.2}s over {runs} runs",
        dir.display(),
        totals[totals.len() / 2]
    );
}
