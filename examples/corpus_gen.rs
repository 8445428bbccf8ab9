//! Scale-test corpus generator for `tifa corpus`: recombines and perturbs real texts and plants copies
//! whose pairs are the ground truth.
//!
//! ```sh
//! cargo run --release --example corpus_gen -- ../shared/corpus/local-reports/txt /tmp/gen10k 10000
//! tifa corpus /tmp/gen10k/docs -o /tmp/gen10k/out
//! python3 scripts/corpus_eval.py /tmp/gen10k /tmp/gen10k/out
//! ```
//!
//! Input: a folder of real texts (e.g. the local government work reports), the number of documents, a
//! seed. Output, in OUTDIR: `docs/gNNNNN.txt` and `truth.jsonl`, one line per generated document
//! (`{"doc", "sources":[file…], "series", "paras":[[start, end, origin]…]}`) and per planted copy
//! (`{"planted": {"src","dst","kind"}}`). A paragraph's origin is `"file:line"` (a real paragraph),
//! `"file:line@r"` (the same paragraph enciphered for pool round r, see below) or `"gNNNNN|origin"`
//! (planted from that document, whose paragraph had that origin); `start`/`end` are its char span in the
//! generated file.
//!
//! How: every real paragraph (line) goes into one pool, shuffled; each document takes the next paragraphs
//! of the pool until it has about 5,000 chars. When the pool runs out (10,000 documents need about 1.5
//! times the 1,990 reports), it is shuffled again and each paragraph of round r > 0 is *enciphered*: every
//! Chinese character is swapped with a near neighbour in the pool's frequency ranking (rank i with rank
//! i XOR r, so each of 15 rounds pairs differently), its digits changed. The text keeps the real
//! paragraph's shape, length, punctuation, markers and character frequencies, but shares no 8-char run
//! with its copy of another round, so documents share text only where a copy was planted or where the
//! real originals already shared it.
//!
//! With ROUND_DOCS (fifth argument), a new round starts every ROUND_DOCS documents as well. A corpus of
//! one round samples a growing share of the pool as it grows, so the pairs of documents whose originals
//! shared text grow with the square of its size (at 1,000 documents each real paragraph is in the
//! corpus with odds of about 0.15, at 6,600 with odds 1); with rounds of a fixed size every block of
//! ROUND_DOCS documents has the same density of shared text, like a real archive that grows by adding
//! places and years, and what the corpus relates grows linearly with it. Then 10 % of the documents
//! receive a copy of 1–3 consecutive paragraphs of an earlier document, starting at a body paragraph
//! (50 chars or more), as one of three kinds: `verbatim`, `edited` (about 4 % of the chars deleted,
//! fillers inserted, synonyms swapped) or `template` (the source's numbers are masked `**`, the copy's
//! are new numbers); 0.5 % are near-duplicates of an
//! earlier document (a few edits over the whole text). Documents inherit the real series
//! (`<level>-<locality>`) of their sources.

use std::io::Write;

/// A planted copy starts at a paragraph of at least this many chars (a body paragraph).
const PASSAGE_CHARS: usize = 50;
use std::path::{Path, PathBuf};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn change_numbers(s: &str, rng: &mut Rng) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                char::from(b'0' + rng.below(10) as u8)
            } else {
                c
            }
        })
        .collect()
}

fn mask_numbers(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_digit() { '*' } else { c })
        .collect()
}

const SYNONYMS: &[(&str, &str)] = &[
    ("加快", "加速"),
    ("措施", "举措"),
    ("推进", "推动"),
    ("提高", "提升"),
];
const FILLERS: &[&str] = &["进一步", "切实", "持续", "积极"];

fn edit(s: &str, rng: &mut Rng) -> String {
    let mut t = s.to_string();
    for (a, b) in SYNONYMS {
        if rng.below(2) == 0 {
            t = t.replacen(a, b, 2);
        }
    }
    let mut out = String::with_capacity(t.len() + 32);
    for c in t.chars() {
        let r = rng.below(100);
        if r < 4 && c != '\n' {
            continue; // deleted
        }
        if r == 99 {
            out.push_str(FILLERS[rng.below(FILLERS.len())]);
        }
        out.push(c);
    }
    out
}

/// Numerals stay as they are (outline markers and numbers keep their shape).
const NUMERALS: &str = "〇零一二三四五六七八九十百千万亿两第";

/// The pairing of round `r`: each Chinese character of the frequency ranking `ranked` swapped with the
/// one at rank `i ^ k`, `k` in 1..=15 taken from `r` (round 1 swaps neighbours; rounds 15 apart pair
/// alike). Ranks whose partner is past the end stay as they are.
fn cipher_of(ranked: &[char], r: usize) -> std::collections::HashMap<char, char> {
    let k = (r - 1) % 15 + 1;
    let mut map = std::collections::HashMap::new();
    for (i, &c) in ranked.iter().enumerate() {
        if let Some(&d) = ranked.get(i ^ k) {
            map.insert(c, d);
        }
    }
    map
}

fn encipher(s: &str, map: &std::collections::HashMap<char, char>) -> String {
    s.chars().map(|c| *map.get(&c).unwrap_or(&c)).collect()
}

fn series_of(path: &Path) -> String {
    let name = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    match name.rsplit_once('-') {
        Some((s, _)) => s.to_string(),
        None => name,
    }
}

#[allow(dead_code)] // `benches/index.rs` includes this file for `generate` and never calls `main`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: corpus_gen SRC_DIR OUT_DIR N [SEED] [ROUND_DOCS]");
        std::process::exit(2);
    }
    let (src, out) = (PathBuf::from(&args[1]), PathBuf::from(&args[2]));
    let n: usize = args[3].parse().expect("N");
    let seed: u64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(20260601);
    let round_docs: Option<usize> = args.get(5).and_then(|s| s.parse().ok()).filter(|&r| r > 0);
    generate_in_rounds(&src, &out, n, seed, round_docs);
}

/// Writes `n` documents generated from the texts of `src` into `out/docs` and their truth into
/// `out/truth.jsonl`, one pool round until the pool runs out (the index bench includes this file to call
/// it).
#[allow(dead_code)] // `main` calls `generate_in_rounds`; the index bench calls this.
pub fn generate(src: &Path, out: &Path, n: usize, seed: u64) {
    generate_in_rounds(src, out, n, seed, None)
}

/// [`generate`], with a new pool round every `round_docs` documents as well.
pub fn generate_in_rounds(src: &Path, out: &Path, n: usize, seed: u64, round_docs: Option<usize>) {
    let mut rng = Rng(seed | 1);
    let mut files: Vec<PathBuf> = std::fs::read_dir(src)
        .expect("source folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    // The pool: (file index, line index, paragraph).
    let mut pool: Vec<(usize, usize, String)> = Vec::new();
    let mut freq: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    for (i, f) in files.iter().enumerate() {
        let Ok(t) = std::fs::read_to_string(f) else {
            continue;
        };
        for (li, line) in t.lines().enumerate() {
            let l = line.trim();
            if l.chars().count() >= 30 {
                for c in l.chars() {
                    if ('\u{4e00}'..='\u{9fff}').contains(&c) && !NUMERALS.contains(c) {
                        *freq.entry(c).or_default() += 1;
                    }
                }
                pool.push((i, li, l.to_string()));
            }
        }
    }
    assert!(!pool.is_empty(), "no paragraphs in {}", src.display());
    let mut ranked: Vec<(usize, char)> = freq.into_iter().map(|(c, n)| (n, c)).collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    let ranked: Vec<char> = ranked.into_iter().map(|x| x.1).collect();
    let mut cipher = std::collections::HashMap::new();
    let shuffle = |pool: &mut Vec<(usize, usize, String)>, rng: &mut Rng| {
        for i in (1..pool.len()).rev() {
            let j = rng.below(i + 1);
            pool.swap(i, j);
        }
    };
    shuffle(&mut pool, &mut rng);
    let mut next = 0usize;
    let mut round = 0usize;
    // docs[d] = paragraphs; origins[d] = where each paragraph comes from; sources[d] = source files.
    let mut docs: Vec<Vec<String>> = Vec::with_capacity(n);
    let mut origins: Vec<Vec<String>> = Vec::with_capacity(n);
    let mut sources: Vec<Vec<usize>> = Vec::with_capacity(n);
    let name = |i: usize| files[i].file_name().unwrap().to_string_lossy().into_owned();
    for d in 0..n {
        if round_docs.is_some_and(|r| d > 0 && d % r == 0) {
            next = pool.len(); // a new round starts at this document
        }
        let mut paras = Vec::new();
        let mut from = Vec::new();
        let mut src_files = Vec::new();
        let mut len = 0;
        while len < 5000 {
            if next == pool.len() {
                next = 0;
                round += 1;
                shuffle(&mut pool, &mut rng);
                cipher = cipher_of(&ranked, round);
            }
            let (f, li, p) = &pool[next];
            next += 1;
            let (p, origin) = if round > 0 {
                (
                    change_numbers(&encipher(p, &cipher), &mut rng),
                    format!("{}:{li}@{round}", name(*f)),
                )
            } else {
                (p.clone(), format!("{}:{li}", name(*f)))
            };
            len += p.chars().count();
            paras.push(p);
            from.push(origin);
            src_files.push(*f);
        }
        docs.push(paras);
        origins.push(from);
        sources.push(src_files);
    }
    let mut planted: Vec<(usize, usize, &str)> = Vec::new();
    for dst in 1..n {
        let r = rng.below(1000);
        if r < 100 {
            let src = rng.below(dst);
            let k = 1 + rng.below(3);
            let mut start = rng.below(docs[src].len().saturating_sub(k).max(1));
            // A copy is a passage: it starts at a body paragraph. A lone subtitle, heading or glossary
            // note (under PASSAGE_CHARS) is genre stock that no tool can tell from independent use (the
            // real corpus holds `“四个全面”：全面建成小康社会、…` in two unrelated cities' glossaries).
            let len = docs[src].len();
            if let Some(j) = (0..len)
                .map(|i| (start + i) % len)
                .find(|&j| docs[src][j].chars().count() >= PASSAGE_CHARS)
            {
                start = j;
            }
            let end = (start + k).min(len);
            let kind = ["verbatim", "edited", "template"][rng.below(3)];
            let block: Vec<String> = docs[src][start..end].to_vec();
            let copy: Vec<String> = match kind {
                "verbatim" => block,
                "edited" => block.iter().map(|p| edit(p, &mut rng)).collect(),
                _ => {
                    for p in &mut docs[src][start..end] {
                        *p = mask_numbers(p);
                    }
                    block.iter().map(|p| change_numbers(p, &mut rng)).collect()
                }
            };
            let at = rng.below(docs[dst].len());
            for (i, p) in copy.into_iter().enumerate() {
                docs[dst].insert(at + i, p);
                let o = format!("g{src:05}|{}", origins[src][start + i]);
                origins[dst].insert(at + i, o);
            }
            planted.push((src, dst, kind));
        } else if r < 105 {
            let src = rng.below(dst);
            docs[dst] = docs[src]
                .iter()
                .map(|p| {
                    if rng.below(10) == 0 {
                        edit(p, &mut rng)
                    } else {
                        p.clone()
                    }
                })
                .collect();
            origins[dst] = origins[src]
                .iter()
                .map(|o| format!("g{src:05}|{o}"))
                .collect();
            sources[dst] = sources[src].clone();
            planted.push((src, dst, "near-duplicate"));
        }
    }
    let dir = out.join("docs");
    std::fs::create_dir_all(&dir).expect("output folder");
    let mut bytes = 0usize;
    // Char spans of the paragraphs in each written file.
    let mut spans: Vec<Vec<(usize, usize)>> = Vec::with_capacity(n);
    for (d, paras) in docs.iter().enumerate() {
        let head = format!("第{d}号报告\n");
        let mut at = head.chars().count();
        let mut s = Vec::with_capacity(paras.len());
        for p in paras {
            let len = p.chars().count();
            s.push((at, at + len));
            at += len + 1;
        }
        spans.push(s);
        let text = format!("{head}{}\n", paras.join("\n"));
        bytes += text.len();
        std::fs::write(dir.join(format!("g{d:05}.txt")), text).expect("write");
    }
    let mut truth =
        std::io::BufWriter::new(std::fs::File::create(out.join("truth.jsonl")).expect("truth"));
    for (d, s) in sources.iter().enumerate() {
        let mut names: Vec<String> = s.iter().map(|&i| name(i)).collect();
        names.sort();
        names.dedup();
        let mut series: Vec<String> = s.iter().map(|&i| series_of(&files[i])).collect();
        series.sort();
        series.dedup();
        let q = |v: &[String]| {
            v.iter()
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let paras = spans[d]
            .iter()
            .zip(&origins[d])
            .map(|((s, e), o)| format!("[{s},{e},{o:?}]"))
            .collect::<Vec<_>>()
            .join(",");
        writeln!(
            truth,
            "{{\"doc\":\"g{d:05}.txt\",\"sources\":[{}],\"series\":[{}],\"paras\":[{paras}]}}",
            q(&names),
            q(&series)
        )
        .unwrap();
    }
    for (s, d, k) in &planted {
        writeln!(
            truth,
            "{{\"planted\":{{\"src\":\"g{s:05}.txt\",\"dst\":\"g{d:05}.txt\",\"kind\":\"{k}\"}}}}"
        )
        .unwrap();
    }
    truth.flush().unwrap();
    eprintln!(
        "{n} documents, {:.1} MB, {} planted ({} pool paragraphs, {} pool rounds)",
        bytes as f64 / 1e6,
        planted.len(),
        pool.len(),
        round + 1
    );
}
