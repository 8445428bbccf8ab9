//! Stage 2: [`Text`] → [`Segments`]: paragraphs, sentences, clauses and words, all as char [`Span`]s.
//!
//! - A **paragraph** is a line with its indentation, trailing white space and noise trimmed off. Flattened
//!   web copies that separate paragraphs with a pair of U+3000 inside one line are split there too.
//! - A **sentence** ends after `。！？；…!?;` (a run of them), together with any closing quotes or
//!   brackets that follow (`。”`, `！）`), and always at the end of its paragraph.
//! - A **clause** additionally ends after `，、：,:`.
//! - **Words** come from jieba-rs with its bundled dictionary; [`WordSegmenter::with_user_dict`] adds
//!   formulas (`新质生产力`, `两个确立`) so that they are not split.
//!
//! ```
//! use tifa::{segment::Segments, text::{Encoding, Text}};
//! let t = Text::from_string("t", "　　一、总体要求。稳中求进，守正创新！\n同志们：", Encoding::Utf8);
//! let seg = Segments::new(&t);
//! assert_eq!(seg.paragraphs.len(), 2);
//! let sentences: Vec<&str> = seg.sentences.iter().map(|s| t.slice(*s)).collect();
//! assert_eq!(sentences, ["一、总体要求。", "稳中求进，守正创新！", "同志们："]);
//! ```

use std::sync::LazyLock;

use serde::Serialize;

use crate::text::{Span, Text, is_blank};

/// One paragraph (a non-blank line, trimmed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// The paragraph's text, without indentation, trailing white space or noise at either end.
    pub span: Span,
    /// 1-based line number in the file.
    pub line: usize,
}

/// The segmentation of a whole text.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Segments {
    /// Paragraphs in order.
    pub paragraphs: Vec<Paragraph>,
    /// Sentences in order; none crosses a paragraph boundary.
    pub sentences: Vec<Span>,
    /// Clauses in order; none crosses a sentence boundary.
    pub clauses: Vec<Span>,
}

/// Chars that end a sentence.
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '…' | '!' | '?' | ';' | '．')
}

/// Chars that end a clause (besides sentence ends).
pub fn is_clause_end(c: char) -> bool {
    matches!(c, '，' | '、' | '：' | ',' | ':')
}

/// Closing quotes and brackets that stay with the sentence they close.
pub fn is_closing(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | ')' | '】' | '》' | '〕' | '"' | '\''
    )
}

impl Segments {
    /// Segments the whole text.
    pub fn new(text: &Text) -> Segments {
        let chars: Vec<char> = text.as_str().chars().collect();
        let mut seg = Segments::default();
        let mut line_no = 1;
        let mut start = 0;
        for i in 0..=chars.len() {
            if i == chars.len() || chars[i] == '\n' {
                seg.push_line(text, &chars, start, i, line_no);
                line_no += 1;
                start = i + 1;
            }
        }
        for p in 0..seg.paragraphs.len() {
            let span = seg.paragraphs[p].span;
            let first = seg.sentences.len();
            split_into(&chars, span, is_sentence_end, &mut seg.sentences);
            for s in first..seg.sentences.len() {
                let sentence = seg.sentences[s];
                split_into(&chars, sentence, is_clause_end, &mut seg.clauses);
            }
        }
        // Kept for the life of a prepared document: no growth slack.
        seg.paragraphs.shrink_to_fit();
        seg.sentences.shrink_to_fit();
        seg.clauses.shrink_to_fit();
        seg
    }

    /// Adds the paragraphs of one line `[start, end)`.
    fn push_line(&mut self, text: &Text, chars: &[char], start: usize, end: usize, line: usize) {
        // Split at a pair of U+3000 that follows a sentence end (flattened web copies).
        let mut pieces = Vec::new();
        let mut from = start;
        let mut i = start;
        // The last non-blank char since `from`, tracked as we go (a back-scan per U+3000 pair is
        // quadratic on lines of blanks).
        let mut prev: Option<char> = None;
        while i + 1 < end {
            if chars[i] == '\u{3000}' && chars[i + 1] == '\u{3000}' && i > from {
                if prev.is_some_and(|c| is_sentence_end(c) || is_closing(c)) {
                    pieces.push((from, i));
                    from = i;
                    prev = None;
                }
                while i < end && chars[i] == '\u{3000}' {
                    i += 1;
                }
                continue;
            }
            if !is_blank(chars[i]) {
                prev = Some(chars[i]);
            }
            i += 1;
        }
        pieces.push((from, end));
        for (a, b) in pieces {
            let (mut a, mut b) = (a, b);
            loop {
                let before = (a, b);
                while a < b && (is_blank(chars[a]) || text.is_noise(a)) {
                    a += 1;
                }
                while b > a && (is_blank(chars[b - 1]) || text.is_noise(b - 1)) {
                    b -= 1;
                }
                if (a, b) == before {
                    break;
                }
            }
            if a < b {
                self.paragraphs.push(Paragraph {
                    span: Span::new(a, b),
                    line,
                });
            }
        }
    }

    /// Sentences inside `span` (those that start in it).
    pub fn sentences_in(&self, span: Span) -> &[Span] {
        within(&self.sentences, span)
    }
    /// Clauses inside `span` (those that start in it).
    pub fn clauses_in(&self, span: Span) -> &[Span] {
        within(&self.clauses, span)
    }
    /// Paragraphs that start inside `span`.
    pub fn paragraphs_in(&self, span: Span) -> &[Paragraph] {
        let a = self
            .paragraphs
            .partition_point(|p| p.span.start < span.start);
        let b = self.paragraphs.partition_point(|p| p.span.start < span.end);
        &self.paragraphs[a..b.max(a)]
    }
}

fn within(spans: &[Span], span: Span) -> &[Span] {
    let a = spans.partition_point(|s| s.start < span.start);
    let b = spans.partition_point(|s| s.start < span.end);
    &spans[a..b.max(a)]
}

/// Splits `span` after each run of `is_end` chars (plus closing quotes), trimming blanks; pushes pieces.
fn split_into(chars: &[char], span: Span, is_end: fn(char) -> bool, out: &mut Vec<Span>) {
    let mut start = span.start;
    let mut i = span.start;
    let end_of = |c: char| is_end(c) || is_sentence_end(c);
    while i < span.end {
        if end_of(chars[i]) {
            let mut j = i + 1;
            while j < span.end && (end_of(chars[j]) || is_closing(chars[j])) {
                j += 1;
            }
            push_trimmed(chars, start, j, out);
            start = j;
            i = j;
        } else {
            i += 1;
        }
    }
    push_trimmed(chars, start, span.end, out);
}

fn push_trimmed(chars: &[char], mut a: usize, mut b: usize, out: &mut Vec<Span>) {
    while a < b && is_blank(chars[a]) {
        a += 1;
    }
    while b > a && is_blank(chars[b - 1]) {
        b -= 1;
    }
    if a < b {
        out.push(Span::new(a, b));
    }
}

static DEFAULT_JIEBA: LazyLock<jieba_rs::Jieba> = LazyLock::new(jieba_rs::Jieba::new);

/// jieba with its bundled dictionary, built once per process (`Jieba::new` takes 0.1 s).
pub fn default_jieba() -> &'static jieba_rs::Jieba {
    &DEFAULT_JIEBA
}

/// Word segmentation with jieba-rs (bundled dictionary, optionally extended by a user dictionary).
#[derive(Default)]
pub struct WordSegmenter {
    custom: Option<jieba_rs::Jieba>,
}

impl WordSegmenter {
    /// A segmenter with jieba's bundled dictionary (loaded once per process).
    pub fn new() -> Self {
        Self::default()
    }

    /// A segmenter whose dictionary also holds the entries of a jieba user dictionary
    /// (`word [freq] [tag]` per line), so that formulas are kept whole.
    pub fn with_user_dict(dict: &str) -> std::io::Result<Self> {
        let mut jieba = jieba_rs::Jieba::new();
        jieba
            .load_dict(&mut std::io::BufReader::new(dict.as_bytes()))
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
        Ok(WordSegmenter {
            custom: Some(jieba),
        })
    }

    fn jieba(&self) -> &jieba_rs::Jieba {
        self.custom.as_ref().unwrap_or(&DEFAULT_JIEBA)
    }

    /// Words of `span` (white space dropped), as char spans of the original text.
    pub fn words(&self, text: &Text, span: Span) -> Vec<Span> {
        let mut out = Vec::new();
        self.cut(text, span, false, |w, _| out.push(w));
        out
    }

    /// Words of `span` in jieba's search mode: each word, and before it the dictionary words inside it
    /// (`推进改革` also gives `推进` and `改革`), so that two cuts of one phrase (`推进改革｜开放`,
    /// `激发｜改革开放`) still share their parts. Spans may overlap; they are sorted by start.
    pub fn search_words(&self, text: &Text, span: Span) -> Vec<Span> {
        let mut out = Vec::new();
        self.cut(text, span, true, |w, _| out.push(w));
        out.sort_by_key(|w| w.start);
        out
    }

    /// [`Self::search_words`] with each word's text, in jieba's order (by line; inside a line not
    /// sorted).
    pub fn search_words_with_text<'t>(
        &self,
        text: &'t Text,
        span: Span,
        mut f: impl FnMut(Span, &'t str),
    ) {
        self.cut(text, span, true, &mut f);
    }

    /// Cuts `span` line by line and hands each word to `f` with its char span. Char offsets are
    /// counted along each line rather than looked up per word: a lookup per word cost a tenth of a
    /// comparison.
    fn cut<'t>(&self, text: &'t Text, span: Span, search: bool, mut f: impl FnMut(Span, &'t str)) {
        let s = text.slice(span);
        let mut line_char = span.start;
        // Char offset of each byte of the current line (only char starts are read).
        let mut char_at: Vec<u32> = Vec::new();
        // Cutting per line is about twice as fast as one cut over a long text.
        for line in s.split_inclusive('\n') {
            char_at.clear();
            char_at.resize(line.len() + 1, 0);
            let mut n = 0u32;
            for (b, _) in line.char_indices() {
                char_at[b] = n;
                n += 1;
            }
            char_at[line.len()] = n;
            let toks = if search {
                self.jieba().cut_for_search(line, true)
            } else {
                self.jieba().cut(line, true)
            };
            for tok in toks {
                if tok.word.trim().is_empty() {
                    continue;
                }
                let start = line_char + char_at[tok.byte_start] as usize;
                let end = line_char + char_at[tok.byte_start + tok.word.len()] as usize;
                f(Span::new(start, end), tok.word);
            }
            line_char += n as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Encoding;

    #[test]
    fn sentences_keep_closing_quotes() {
        let t = Text::from_string("t", "他说：“要干就干好。”我们同意！！好", Encoding::Utf8);
        let seg = Segments::new(&t);
        let s: Vec<&str> = seg.sentences.iter().map(|s| t.slice(*s)).collect();
        assert_eq!(s, ["他说：“要干就干好。”", "我们同意！！", "好"]);
        let c: Vec<&str> = seg.clauses.iter().map(|s| t.slice(*s)).collect();
        assert_eq!(c, ["他说：", "“要干就干好。”", "我们同意！！", "好"]);
    }

    #[test]
    fn splits_flattened_paragraphs_at_ideographic_spaces() {
        let t = Text::from_string("t", "第一段。　　第二段，还在。　　", Encoding::Utf8);
        let seg = Segments::new(&t);
        let p: Vec<&str> = seg.paragraphs.iter().map(|p| t.slice(p.span)).collect();
        assert_eq!(p, ["第一段。", "第二段，还在。"]);
    }

    #[test]
    fn user_dictionary_keeps_formulas_whole() {
        let t = Text::from_string("t", "发展新质生产力", Encoding::Utf8);
        let all = Span::new(0, t.len_chars());
        let split: Vec<&str> = WordSegmenter::new()
            .words(&t, all)
            .iter()
            .map(|s| t.slice(*s))
            .collect();
        assert!(!split.contains(&"新质生产力"), "{split:?}");
        let seg = WordSegmenter::with_user_dict("新质生产力 100000 n\n").unwrap();
        let kept: Vec<&str> = seg.words(&t, all).iter().map(|s| t.slice(*s)).collect();
        assert_eq!(kept, ["发展", "新质生产力"]);
    }

    #[test]
    fn words_have_char_spans() {
        let t = Text::from_string("t", "　推动高质量发展", Encoding::Utf8);
        let words = WordSegmenter::new().words(&t, Span::new(0, t.len_chars()));
        let w: Vec<&str> = words.iter().map(|s| t.slice(*s)).collect();
        assert_eq!(w.concat(), "推动高质量发展");
        assert_eq!(words[0].start, 1);
    }
}
