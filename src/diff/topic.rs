//! Topical similarity: do two sections speak of the same things, whatever their wording?
//!
//! Input: the jieba words of a document body and section spans. Output: per section a sparse
//! tf-idf vector of its content words ([`TermVector`]), the cosine of two vectors and the shared key
//! terms that make it ([`shared_terms`]).
//!
//! How: words are cut by [`WordSegmenter::search_words`] (jieba's search mode: a word and the
//! dictionary words inside it, so that `推进改革｜开放` and `激发｜改革开放` still share `改革` and `开放`);
//! a word is a content word when [`is_content_word`] says so (two or more chars, at least one Han char, not a numeral or list marker). Each content word
//! weighs `(1 + ln tf) · idf`, heading words up to [`HEADING_BOOST`] times more (a heading names what
//! the section is about) by their [`heading_specificity`]: how much more often the word recurs in
//! the bodies of the sections it heads than in section bodies at large, from the local reports of
//! localities in no gold pair (`src/diff/heading_lift.tsv`, rebuilt by the `heading_lift` example),
//! so that the stock verbs and adverbs of headings (`着力`, `推动`, `加快`, `坚持`) weigh little and
//! the subjects (`民生`, `营商`) fully; a heading word its own body never takes up again weighs half
//! that. A heading's own vector weighs its words by that specificity alone. The idf comes from a
//! table computed from the 52 national government work reports, one paragraph = one document
//! (`src/diff/idf.tsv`, rebuilt by
//! `cargo run --release --example idf_table -- ../shared/corpus/cn-political-corpora/split`); a word
//! absent from it is rare there and gets the table's largest idf. Each comparison then caps a word's
//! idf at its idf over the sentences of the two documents ([`Lexicon::cap_by_spread`]), so that the
//! names a local report repeats everywhere (its locality, `全市`) weigh as little as they tell.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

use crate::segment::WordSegmenter;
use crate::text::{Span, Text};

/// Weight factor of words in a section's heading (of the words that name its topic: see
/// [`heading_specificity`]).
pub const HEADING_BOOST: f32 = 3.0;

/// A heading word whose lift (how much more often it recurs in the bodies of the sections it heads
/// than in section bodies at large) reaches this names its section's topic and weighs fully; below,
/// it weighs in proportion to the log of its lift (`heading_lift.tsv`).
pub const FULL_LIFT: f32 = 4.0;

/// Shipped table: `word\tlift` per line after a `# sections\tN` header, for the heading words
/// whose lift is below [`FULL_LIFT`] (rebuilt by
/// `cargo run --release --example heading_lift -- ../shared/corpus/local-reports/txt`).
const HEADING_LIFT_TSV: &str = include_str!("heading_lift.tsv");

static HEADING_LIFT: LazyLock<FxHashMap<String, f32>> = LazyLock::new(|| {
    HEADING_LIFT_TSV
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (w, v) = l.split_once('\t')?;
            Some((w.to_string(), v.trim().parse::<f32>().ok()?))
        })
        .collect()
});

/// How much a word in a heading says about the section's topic, in [0, 1]: 1 for the words that
/// recur in the bodies they head (`民生`, `营商`, `就业`, and words too rare in headings to tell), near
/// 0 for the stock verbs and adverbs that head sections on every topic (`着力`, `加快`, `坚持`, `全面`,
/// `持续`: lift about 1.5), which must not pair two sections on their own.
pub fn heading_specificity(word: &str) -> f32 {
    match HEADING_LIFT.get(word) {
        Some(&lift) => (lift.max(1.0).ln() / FULL_LIFT.ln()).clamp(0.0, 1.0),
        None => 1.0,
    }
}

/// Shipped table: `word\tidf` per line after a `# paragraphs\tN` header.
const IDF_TSV: &str = include_str!("idf.tsv");

/// An idf table: word → ln(N / df), N paragraphs of the source corpus.
pub struct Idf {
    table: FxHashMap<String, f32>,
    /// idf of a word the table does not hold (seen in at most one paragraph).
    unseen: f32,
}

static SHIPPED: LazyLock<Idf> = LazyLock::new(|| Idf::parse(IDF_TSV));

impl Idf {
    /// The table shipped with tifa (from the national government work reports).
    pub fn shipped() -> &'static Idf {
        &SHIPPED
    }

    /// Reads a table in the shipped format; malformed lines are skipped.
    pub fn parse(tsv: &str) -> Idf {
        let mut table = FxHashMap::default();
        let mut unseen = 0.0f32;
        for line in tsv.lines() {
            if let Some(rest) = line.strip_prefix("# paragraphs\t") {
                if let Ok(n) = rest.trim().parse::<f32>() {
                    unseen = n.max(1.0).ln();
                }
                continue;
            }
            let Some((w, v)) = line.split_once('\t') else {
                continue;
            };
            if let Ok(v) = v.trim().parse::<f32>() {
                unseen = unseen.max(v);
                table.insert(w.to_string(), v);
            }
        }
        Idf { table, unseen }
    }

    /// The idf of a word.
    pub fn idf(&self, word: &str) -> f32 {
        self.table.get(word).copied().unwrap_or(self.unseen)
    }

    /// Number of words in the table.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

/// Whether a jieba word carries content: at least two chars, one of them Han, and not a numeral,
/// date or list marker (`一是`, `第三`, `2023年`).
pub fn is_content_word(w: &str) -> bool {
    // A Han char takes three bytes and another char at least one: shorter cuts (single chars,
    // punctuation, most of a cut) are not content words.
    if w.len() < 4 {
        return false;
    }
    let mut n = 0;
    let mut han = false;
    let mut all_numeric = true;
    for c in w.chars() {
        n += 1;
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            han = true;
        }
        if !(c.is_ascii_digit()
            || matches!(
                c,
                '.' | '%'
                    | '一'
                    | '二'
                    | '三'
                    | '四'
                    | '五'
                    | '六'
                    | '七'
                    | '八'
                    | '九'
                    | '十'
                    | '百'
                    | '千'
                    | '万'
                    | '亿'
                    | '零'
                    | '〇'
                    | '两'
                    | '是'
                    | '要'
                    | '第'
                    | '年'
                    | '月'
                    | '日'
                    | '个'
                    | '项'
                    | '条'
                    | '次'
                    | '倍'
            ))
        {
            all_numeric = false;
        }
    }
    n >= 2 && han && !all_numeric
}

/// A document's content words, in text order, with ids shared by both sides of a comparison.
pub(crate) struct Words {
    /// (char span, word id) per content word.
    pub(crate) words: Vec<(Span, u32)>,
}

/// The content words of one document with ids of its own, in order of first occurrence: the costly
/// half of a [`Lexicon`] (the jieba cut, the content-word test, one hashed lookup per word), free of
/// shared state so that both documents are cut at once; [`Lexicon::join`] then maps the second
/// document's ids onto the first's.
pub(crate) struct DocWords<'t> {
    /// (char span, local id) per content word, in text order.
    words: Vec<(Span, u32)>,
    ids: FxHashMap<&'t str, u32>,
    /// Per local id: the word, and whether it stood as a word of its own.
    entries: Vec<(&'t str, bool)>,
    /// Per local id, the idf, when looked up ([`DocWords::weighed`]).
    idf: Vec<f32>,
    /// Per local id, the heading specificity, looked up with the idf.
    specificity: Vec<f32>,
}

impl<'t> DocWords<'t> {
    /// The content words of `span` in jieba's search mode, longest first at each start (a word comes
    /// before its parts).
    pub(crate) fn cut(seg: &WordSegmenter, text: &'t Text, span: Span) -> DocWords<'t> {
        let mut cut = Vec::new();
        seg.search_words_with_text(text, span, |w, s| cut.push((w, s)));
        sort_cut(&mut cut);
        let mut ids: FxHashMap<&'t str, u32> = FxHashMap::default();
        ids.reserve(cut.len() / 4);
        let mut entries: Vec<(&'t str, bool)> = Vec::new();
        let mut cover = 0;
        let mut words = Vec::with_capacity(cut.len());
        for (w, s) in cut {
            let part = w.end <= cover;
            cover = cover.max(w.end);
            if !is_content_word(s) {
                continue;
            }
            let id = *ids.entry(s).or_insert_with(|| {
                entries.push((s, false));
                entries.len() as u32 - 1
            });
            entries[id as usize].1 |= !part;
            words.push((w, id));
        }
        DocWords {
            words,
            ids,
            entries,
            idf: Vec::new(),
            specificity: Vec::new(),
        }
    }

    /// With the idf of each word looked up: for the first document of a pair, so that its lookups
    /// (a cache miss each in the table) run beside the second's cut, which needs only its new words'.
    pub(crate) fn weighed(mut self) -> DocWords<'t> {
        (self.idf, self.specificity) = self.entries.iter().map(|e| weights(e.0)).unzip();
        self
    }
}

/// A word's idf and heading specificity, looked up once per distinct word of a comparison.
fn weights(word: &str) -> (f32, f32) {
    (Idf::shipped().idf(word), heading_specificity(word))
}

/// Sorts a search-mode cut by start, longest first. jieba gives each word after its parts, so the cut
/// is sorted but for short runs: insertion sort, unless the moves grow beyond a few per word (then a
/// full sort, so the cost stays n log n whatever the text). Keys are unique (one span, one text).
fn sort_cut(cut: &mut [(Span, &str)]) {
    let key = |e: &(Span, &str)| (e.0.start, std::cmp::Reverse(e.0.end));
    let mut budget = 8 * cut.len();
    for i in 1..cut.len() {
        let mut j = i;
        while j > 0 && key(&cut[j]) < key(&cut[j - 1]) {
            if budget == 0 {
                cut.sort_unstable_by_key(key);
                return;
            }
            budget -= 1;
            cut.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// Word ids and idf weights shared by both documents of a comparison: the first document's words
/// in order of first occurrence, then the second's new ones.
#[derive(Default)]
pub(crate) struct Lexicon<'t> {
    /// idf per word id.
    pub(crate) idf: Vec<f32>,
    /// Heading specificity per word id ([`heading_specificity`]).
    pub(crate) specificity: Vec<f32>,
    /// The word per id.
    pub(crate) words: Vec<&'t str>,
    /// Whether the word stood somewhere as a word of its own, not only as a part of a longer one
    /// (`文化` alone, not just inside `文化软实力`): only such words are shown as evidence.
    pub(crate) whole: Vec<bool>,
}

impl<'t> Lexicon<'t> {
    /// The content words of `span` of `text`.
    #[cfg(test)]
    pub(crate) fn words(seg: &WordSegmenter, text: &'t Text, span: Span) -> (Lexicon<'t>, Words) {
        let (lex, words, _) = Lexicon::join(DocWords::cut(seg, text, span).weighed(), None);
        (lex, words)
    }

    /// One id space for the words of two documents: `a`'s ids are kept, `b`'s are mapped onto them
    /// (a word new in `b` takes the next id), as if both had been interned one after the other.
    pub(crate) fn join(a: DocWords<'t>, b: Option<DocWords<'t>>) -> (Lexicon<'t>, Words, Words) {
        let a = if a.idf.len() == a.entries.len() {
            a
        } else {
            a.weighed()
        };
        let mut lex = Lexicon {
            idf: a.idf,
            specificity: a.specificity,
            words: a.entries.iter().map(|e| e.0).collect(),
            whole: a.entries.iter().map(|e| e.1).collect(),
        };
        let wa = Words { words: a.words };
        let Some(b) = b else {
            return (lex, wa, Words { words: Vec::new() });
        };
        let map: Vec<u32> = b
            .entries
            .iter()
            .map(|&(w, whole)| {
                let id = match a.ids.get(w) {
                    Some(&id) => id,
                    None => {
                        let (idf, specificity) = weights(w);
                        lex.words.push(w);
                        lex.idf.push(idf);
                        lex.specificity.push(specificity);
                        lex.whole.push(false);
                        lex.words.len() as u32 - 1
                    }
                };
                lex.whole[id as usize] |= whole;
                id
            })
            .collect();
        let mut wb = b.words;
        for w in &mut wb {
            w.1 = map[w.1 as usize];
        }
        (lex, wa, Words { words: wb })
    }
}

impl Lexicon<'_> {
    /// Caps each word's idf at its idf among the sentences of the two documents compared,
    /// `ln(S / df)`: a word is no more telling than its spread over these two texts says. The
    /// shipped table comes from national reports, where a locality's name (`福州`, `内蒙古`), its
    /// scope words (`全市`, `全区`, `首府`) and its flagship names are unseen and weigh most; in the
    /// report itself they stand in one sentence out of ten, as common as `发展`, and would pair any
    /// two sections (and fill their evidence). Only words spread that widely are capped at their
    /// local idf ([`SPREAD_LOCAL`]). `docs`: per document, its content words and its sentence
    /// spans, both in text order. Linear in the words.
    pub(crate) fn cap_by_spread(&mut self, docs: &[(&Words, &[Span])]) {
        let total: usize = docs.iter().map(|d| d.1.len()).sum();
        if total < MIN_SPREAD_SENTENCES {
            return;
        }
        let n = self.idf.len();
        // Sentences holding each word, counted once per sentence.
        let mut df = vec![0u32; n];
        let mut last = vec![u32::MAX; n];
        let mut base = 0u32;
        for (words, sentences) in docs {
            let mut k = 0usize;
            for &(w, id) in &words.words {
                while k < sentences.len() && sentences[k].end <= w.start {
                    k += 1;
                }
                let sid = base + k as u32;
                if last[id as usize] != sid {
                    last[id as usize] = sid;
                    df[id as usize] += 1;
                }
            }
            base += sentences.len() as u32 + 1;
        }
        let total = total as f32;
        for (idf, &d) in self.idf.iter_mut().zip(&df) {
            if d > 0 {
                let local = (total / d as f32).ln();
                *idf = idf.min(local * (local / SPREAD_LOCAL).max(1.0).powi(3));
            }
        }
    }
}

/// A word in more than one sentence of 20 (local idf below `ln 20`) weighs its local idf at most;
/// in fewer, the cap rises as the cube of the local idf over this, so that a word of a few sentences
/// keeps the table's weight (the cap would otherwise flatten the rare words of a short pair, whose
/// local idf is `ln S` for all of them, towards the stock ones).
const SPREAD_LOCAL: f32 = 2.995_732_3;

/// Below this many sentences in the two documents, their spread tells nothing about a word.
const MIN_SPREAD_SENTENCES: usize = 100;

/// A sparse, L2-normalised tf-idf vector: (word id, weight), sorted by id.
#[derive(Clone, Debug, Default)]
pub(crate) struct TermVector {
    pub(crate) terms: Vec<(u32, f32)>,
}

impl Words {
    /// Words starting inside a span.
    fn slice(&self, span: Span) -> &[(Span, u32)] {
        let s = self.words.partition_point(|(w, _)| w.start < span.start);
        let e = self.words.partition_point(|(w, _)| w.start < span.end);
        &self.words[s..e.max(s)]
    }

    /// The vectors of a section, from its heading span and its whole span: of the whole section
    /// (the heading's words weighing up to [`HEADING_BOOST`] times more), and of the heading alone.
    /// A heading word weighs by how much it says about the topic: its [`heading_specificity`], and
    /// half that when the section's body never takes it up again (a turn of phrase of the heading,
    /// `培强新动力`, not its subject).
    pub(crate) fn vectors(
        &self,
        lex: &Lexicon<'_>,
        heading: Span,
        whole: Span,
    ) -> (TermVector, TermVector) {
        let words = self.slice(whole);
        let in_heading = |w: Span| w.start >= heading.start && w.start < heading.end;
        // Whether the body is long enough for a topical heading word to be expected in it.
        let body_words = words.iter().filter(|(w, _)| !in_heading(*w)).count();
        let checks_body = body_words >= BODY_ECHO_WORDS;
        let mut head: Vec<(u32, f32)> = Vec::new();
        // The weight of a distinct word from its occurrences, and those in the heading.
        let mut weigh = |id: u32, n: usize, in_head: usize| {
            let base = (1.0 + (n as f32).ln()) * lex.idf[id as usize];
            if in_head == 0 {
                return (id, base);
            }
            let mut s = lex.specificity[id as usize];
            if checks_body && in_head == n {
                s *= UNECHOED;
            }
            head.push((id, (1.0 + (in_head as f32).ln()) * lex.idf[id as usize] * s));
            (id, base * (1.0 + (HEADING_BOOST - 1.0) * s))
        };
        // Sorted by id.
        let mut terms: Vec<(u32, f32)>;
        if words.len() < DENSE_COUNT {
            // Ids sorted, then counted by runs.
            let mut ids: Vec<(u32, bool)> =
                words.iter().map(|&(w, id)| (id, in_heading(w))).collect();
            ids.sort_unstable();
            terms = ids
                .chunk_by(|x, y| x.0 == y.0)
                .map(|run| weigh(run[0].0, run.len(), run.iter().filter(|x| x.1).count()))
                .collect();
        } else {
            // Counted in a table by id, and only the distinct ids sorted: a long section repeats
            // its words.
            terms = SCRATCH.with_borrow_mut(|tally| {
                tally.resize(tally.len().max(lex.idf.len()), (0, 0));
                let mut seen: Vec<u32> = Vec::new();
                for &(w, id) in words {
                    let t = &mut tally[id as usize];
                    if t.0 == 0 {
                        seen.push(id);
                    }
                    t.0 += 1;
                    t.1 += u32::from(in_heading(w));
                }
                seen.sort_unstable();
                seen.iter()
                    .map(|&id| {
                        let (n, h) = std::mem::take(&mut tally[id as usize]);
                        weigh(id, n as usize, h as usize)
                    })
                    .collect()
            });
        }
        normalise(&mut terms);
        normalise(&mut head);
        (TermVector { terms }, TermVector { terms: head })
    }
}

/// Scales weights to unit length (all zero stays zero).
fn normalise(terms: &mut [(u32, f32)]) {
    let norm = terms.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        for t in terms {
            t.1 /= norm;
        }
    }
}

/// Words less specific than this in headings ([`heading_specificity`]) are not shown as evidence.
const EVIDENCE_SPECIFICITY: f32 = 0.5;

/// A section whose body has at least this many content words is expected to take up the words
/// that name its topic.
const BODY_ECHO_WORDS: usize = 20;

/// Factor of the specificity of a heading word the body never takes up again.
const UNECHOED: f32 = 0.5;

/// From this many words on, a section's vector is counted in a table by word id rather than by
/// sorting its words.
const DENSE_COUNT: usize = 256;

thread_local! {
    /// The table of [`Words::vectors`]: (occurrences, of which in the heading) per word id, all zero
    /// between calls.
    static SCRATCH: std::cell::RefCell<Vec<(u32, u32)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Cosine of two normalised vectors, by one merge pass.
pub(crate) fn cosine(x: &TermVector, y: &TermVector) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0f32);
    let (a, b) = (&x.terms, &y.terms);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    f64::from(s.min(1.0))
}

/// The shared terms that weigh most in the cosine of two vectors, best first (at most `k`).
pub(crate) fn shared_terms(
    lex: &Lexicon<'_>,
    x: &TermVector,
    y: &TermVector,
    k: usize,
) -> Vec<String> {
    let (mut i, mut j) = (0, 0);
    let (a, b) = (&x.terms, &y.terms);
    let mut shared: Vec<(f32, u32)> = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared.push((a[i].1 * b[j].1, a[i].0));
                i += 1;
                j += 1;
            }
        }
    }
    shared.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)));
    // Search mode also cuts the parts of a word (`房地产` → `房地`, `地产`, `社会主义` → `会主`): only
    // words that stood as words somewhere are listed, and not the stock verbs of headings (`推动`,
    // `加快`), which name no subject.
    shared
        .into_iter()
        .filter(|&(_, id)| {
            lex.whole[id as usize] && lex.specificity[id as usize] >= EVIDENCE_SPECIFICITY
        })
        .take(k)
        .map(|(_, id)| lex.words[id as usize].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Encoding;

    #[test]
    fn content_words_exclude_markers_and_numbers() {
        assert!(is_content_word("宏观调控"));
        assert!(is_content_word("风险"));
        assert!(!is_content_word("一是"));
        assert!(!is_content_word("2023年"));
        assert!(!is_content_word("第三"));
        assert!(!is_content_word("的"));
    }

    #[test]
    fn a_cut_is_sorted_by_start_longest_first_whatever_its_order() {
        let t = Text::from_string(
            "t",
            "坚持以供给侧结构性改革为主线，推动中华人民共和国经济高质量发展。",
            Encoding::Utf8,
        );
        let mut cut = Vec::new();
        WordSegmenter::new()
            .search_words_with_text(&t, Span::new(0, t.len_chars()), |w, s| cut.push((w, s)));
        let key = |e: &(Span, &str)| (e.0.start, std::cmp::Reverse(e.0.end));
        let mut want = cut.clone();
        want.sort_by_key(key);
        // jieba's order (parts before their word), and reversed (the full sort past the budget).
        for mut v in [cut.clone(), cut.iter().rev().copied().collect::<Vec<_>>()] {
            sort_cut(&mut v);
            assert_eq!(v, want);
        }
        assert!(cut != want, "jieba gives parts before their word");
    }

    #[test]
    fn shipped_table_weighs_rare_words_above_common_ones() {
        let idf = Idf::shipped();
        assert!(idf.len() > 5_000, "{}", idf.len());
        assert!(idf.idf("发展") < idf.idf("宏观调控"));
        assert!(idf.idf("宏观调控") < idf.idf("一个从未见过的词"));
    }

    #[test]
    fn stock_heading_words_weigh_less_than_subjects() {
        for stock in ["着力", "推动", "加快", "坚持", "全面", "持续"] {
            assert!(heading_specificity(stock) < 0.5, "{stock}");
        }
        for subject in ["民生", "营商", "就业", "乡村", "一个从未见过的词"] {
            assert_eq!(heading_specificity(subject), 1.0, "{subject}");
        }
        // Two headings sharing only their stock verbs are far apart; two on one subject are close.
        let t = Text::from_string(
            "t",
            "着力推动经济稳定增长\n着力推动营商环境优化\n持续优化营商环境\n",
            Encoding::Utf8,
        );
        let seg = WordSegmenter::new();
        let (lex, words) = Lexicon::words(&seg, &t, Span::new(0, t.len_chars()));
        let heading = |start: usize, len: usize| {
            let s = Span::new(start, start + len);
            words.vectors(&lex, s, s).1
        };
        let (growth, business, business2) = (heading(0, 10), heading(11, 10), heading(22, 8));
        assert!(
            cosine(&growth, &business) < 0.1,
            "{}",
            cosine(&growth, &business)
        );
        assert!(
            cosine(&business, &business2) > 0.7,
            "{}",
            cosine(&business, &business2)
        );
    }

    #[test]
    fn a_word_in_every_sentence_weighs_as_little_as_its_spread_says() {
        assert!((SPREAD_LOCAL - 20f32.ln()).abs() < 1e-6);
        // 福州 stands in every sentence, 金鱼 in one: the national table holds both as rare.
        let mut text = String::new();
        for k in 0..120 {
            let topic = if k == 7 {
                "培育金鱼电商"
            } else {
                "建设项目"
            };
            text.push_str(&format!("福州{topic}第{k}批。"));
        }
        let t = Text::from_string("t", &text, Encoding::Utf8);
        let seg = WordSegmenter::new();
        let (mut lex, words) = Lexicon::words(&seg, &t, Span::new(0, t.len_chars()));
        let segments = crate::segment::Segments::new(&t);
        let id = |w: &str| lex.words.iter().position(|x| *x == w).unwrap();
        let (fz, fish) = (id("福州"), id("金鱼"));
        assert!(lex.idf[fz] > 8.0 && lex.idf[fish] > 8.0);
        lex.cap_by_spread(&[(&words, &segments.sentences)]);
        assert!(lex.idf[fz] < 0.01, "{}", lex.idf[fz]);
        // A word of one sentence keeps the table's weight.
        assert!(lex.idf[fish] > 8.0, "{}", lex.idf[fish]);
    }

    #[test]
    fn reworded_sections_on_one_topic_share_key_terms() {
        let t = Text::from_string(
            "t",
            "防范化解重大经济金融风险。稳妥处置地方政府债务风险，防范房地产风险。\n更好统筹发展和安全，有效防范化解重点领域风险。化解房地产风险和地方债务风险。\n扩大国内需求。促进消费，扩大有效投资。\n",
            Encoding::Utf8,
        );
        let seg = WordSegmenter::new();
        let (lex, words) = Lexicon::words(&seg, &t, Span::new(0, t.len_chars()));
        let line = |k: usize| {
            let s: usize = t
                .as_str()
                .lines()
                .take(k)
                .map(|l| l.chars().count() + 1)
                .sum();
            let n = t.as_str().lines().nth(k).unwrap().chars().count();
            let h = t.as_str().lines().nth(k).unwrap().find('。').unwrap();
            let h = t.as_str().lines().nth(k).unwrap()[..h].chars().count();
            words
                .vectors(&lex, Span::new(s, s + h), Span::new(s, s + n))
                .0
        };
        let (a, b, c) = (line(0), line(1), line(2));
        assert!(
            cosine(&a, &b) > 3.0 * cosine(&a, &c),
            "{} {}",
            cosine(&a, &b),
            cosine(&a, &c)
        );
        let terms = shared_terms(&lex, &a, &b, 3);
        assert!(terms.iter().any(|t| t == "风险"), "{terms:?}");
    }
}
