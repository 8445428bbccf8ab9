//! Fuzz target (c): reuse and compare on two inputs. The input is split at its first NUL byte (or in
//! the middle); each half, read as UTF-8 with replacement, is one speech.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tifa::compare::{CompareParams, compare};
use tifa::prepared::PreparedDoc;
use tifa::reuse::{self, ReuseParams};
use tifa::text::{Encoding, Text};
use tifa::SpeechFile;

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0).unwrap_or(data.len() / 2);
    let (a, b) = (&data[..cut], &data[(cut + 1).min(data.len())..]);
    let speech = |name: &str, bytes: &[u8]| {
        SpeechFile::from_text(Text::from_string(
            name,
            String::from_utf8_lossy(bytes),
            Encoding::Utf8,
        ))
    };
    let (fa, fb) = (speech("a.txt", a), speech("b.txt", b));
    let params = ReuseParams::default();
    let r = reuse::compare_texts(&fa.text, &fb.text, None, &params);
    for p in &r.passages {
        assert!(p.a.start <= p.a.end && p.a.end <= fa.text.len_chars());
        assert!(p.b.start <= p.b.end && p.b.end <= fb.text.len_chars());
    }
    let (da, db) = (PreparedDoc::all(fa), PreparedDoc::all(fb));
    if let (Some(da), Some(db)) = (da.first(), db.first()) {
        let report = compare(da, db, &CompareParams::with_default_patterns());
        assert!((0.0..=1.0).contains(&report.alignment.scores.text));
        for p in &report.passages {
            assert!(p.passage.a.end <= da.text().len_chars() && p.passage.b.end <= db.text().len_chars());
        }
    }
});
