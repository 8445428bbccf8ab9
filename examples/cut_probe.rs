// TEMP probe
use tifa::segment::WordSegmenter;
use tifa::{Span, Text, text::Encoding};
fn main() {
    let seg = WordSegmenter::new();
    for a in std::env::args().skip(1) {
        let t = Text::from_string("x", &a, Encoding::Utf8);
        let w: Vec<String> = seg
            .search_words(&t, Span::new(0, t.len_chars()))
            .into_iter()
            .map(|w| t.slice(w).to_string())
            .collect();
        println!("{}", w.join("|"));
    }
}
