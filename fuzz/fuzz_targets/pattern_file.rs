//! Fuzz target (b): a pattern file is parsed (`PatternSet::from_toml`) and, when valid, matched against
//! a speech and checked against its own examples. The input is `<toml>` or `<toml>\n=====\n<speech>`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tifa::patterns::PatternSet;
use tifa::text::{Encoding, Text};
use tifa::SpeechFile;

const SPEECH: &str = "同志们：\n一、提高站位。一是学理论，二是学政策，三是学业务。\n\
既要抓发展，又要抓安全。坚持稳中求进、守正创新、先立后破。\n二、狠抓落实。";

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let (toml, speech) = src.split_once("\n=====\n").unwrap_or((src, SPEECH));
    let Ok(set) = PatternSet::from_toml("fuzz.toml", toml) else {
        return;
    };
    let _ = set.check();
    let file = SpeechFile::from_text(Text::from_string("fuzz.txt", speech, Encoding::Utf8));
    let n = file.text.len_chars();
    for doc in set.find(&file) {
        for h in &doc.hits {
            assert!(h.span.end <= n, "{:?}", h.span);
        }
    }
});
