//! Background corpus: document frequency of phrases, to tell stock formulas from copying.
//!
//! Each corpus document is reduced to the set of its distinct canonical 8-grams (mask-free); the index maps
//! each 8-gram to the documents holding it. The document frequency of a passage is the number of corpus
//! documents that hold at least half of the passage's distinct 8-grams (on either side), i.e. that contain
//! the passage itself, edits tolerated. Corpus documents with the same content as A or B are not counted,
//! so pointing `--corpus` at the folder that holds the two files is harmless.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::seq::Seq;
use crate::error::Error;
use crate::text::{Encoding, Span, Text};

/// n-gram length used for document frequencies (longer than the seed length: df is about phrases).
pub const DF_GRAM: usize = 8;

/// An index of a background corpus.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    postings: HashMap<u64, Vec<u32>>,
    fingerprints: Vec<u64>,
}

/// A content fingerprint of a text (its canonical sequence), used to exclude A and B from corpus counts.
pub fn fingerprint(text: &Text) -> u64 {
    let seq = Seq::new(text, Span::new(0, text.len_chars()));
    crate::fingerprint::hash_chars(&seq.chars)
}

fn distinct_grams(chars: &[char]) -> Vec<u64> {
    crate::fingerprint::distinct_kgrams(chars, DF_GRAM)
}

impl Corpus {
    /// Indexes already decoded texts (in parallel).
    pub fn from_texts(texts: &[Text]) -> Corpus {
        let docs: Vec<(u64, Vec<u64>)> = texts
            .par_iter()
            .map(|t| {
                let seq = Seq::new(t, Span::new(0, t.len_chars()));
                (fingerprint(t), distinct_grams(&seq.chars))
            })
            .collect();
        Corpus::from_gram_sets(docs)
    }

    /// Reads and indexes files in parallel. Files that cannot be read or decoded are skipped;
    /// `on_file` is called once per file with the error, if any (for progress bars and warnings).
    pub fn from_files(
        paths: &[PathBuf],
        encoding: Option<Encoding>,
        on_file: impl Fn(&Path, Option<&Error>) + Sync,
    ) -> Corpus {
        let docs: Vec<(u64, Vec<u64>)> = paths
            .par_iter()
            .filter_map(|p| match Text::read(p, encoding) {
                Ok(t) => {
                    let seq = Seq::new(&t, Span::new(0, t.len_chars()));
                    let out = (fingerprint(&t), distinct_grams(&seq.chars));
                    on_file(p, None);
                    Some(out)
                }
                Err(e) => {
                    on_file(p, Some(&e));
                    None
                }
            })
            .collect();
        Corpus::from_gram_sets(docs)
    }

    fn from_gram_sets(docs: Vec<(u64, Vec<u64>)>) -> Corpus {
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut fingerprints = Vec::with_capacity(docs.len());
        for (d, (fp, grams)) in docs.into_iter().enumerate() {
            fingerprints.push(fp);
            for g in grams {
                postings.entry(g).or_default().push(d as u32);
            }
        }
        Corpus {
            postings,
            fingerprints,
        }
    }

    /// Number of documents in the corpus.
    pub fn documents(&self) -> usize {
        self.fingerprints.len()
    }

    /// Number of corpus documents that contain the phrase `chars` (a canonical sequence): those holding at
    /// least half of its distinct 8-grams. Documents whose fingerprint is in `exclude` are not counted.
    pub fn document_frequency(&self, chars: &[char], exclude: &[u64]) -> usize {
        let grams = distinct_grams(chars);
        if grams.is_empty() {
            return 0;
        }
        let mut counts: HashMap<u32, u32> = HashMap::new();
        for g in &grams {
            if let Some(docs) = self.postings.get(g) {
                for &d in docs {
                    *counts.entry(d).or_default() += 1;
                }
            }
        }
        let excluded: HashSet<u64> = exclude.iter().copied().collect();
        counts
            .into_iter()
            .filter(|&(d, c)| {
                c as usize * 2 >= grams.len() && !excluded.contains(&self.fingerprints[d as usize])
            })
            .count()
    }

    /// The document frequency from which a passage counts as boilerplate when the user gives none:
    /// 2 documents, or 2 % of the corpus if that is more.
    pub fn default_boilerplate_df(&self) -> usize {
        (self.documents() as f64 * 0.02).ceil().max(2.0) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_documents_holding_a_phrase() {
        let docs = [
            "我们要坚持房子是用来住的不是用来炒的定位，促进市场健康发展。",
            "会议强调，坚持房子是用来住的、不是用来炒的定位。",
            "全市新建改建农村公路一千二百公里。",
        ]
        .map(|s| Text::from_string("c", s, Encoding::Utf8));
        let corpus = Corpus::from_texts(&docs);
        assert_eq!(corpus.documents(), 3);
        let p: Vec<char> = "坚持房子是用来住的不是用来炒的定位".chars().collect();
        assert_eq!(corpus.document_frequency(&p, &[]), 2);
        assert_eq!(corpus.document_frequency(&p, &[fingerprint(&docs[0])]), 1);
    }
}
