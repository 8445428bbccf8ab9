//! Fuzz target (a): raw bytes → decode → segment → outline → patterns, checking that every span the
//! pipeline returns lies inside the decoded text and slices to what it claims.
//! The first byte chooses the read options (bit 0: lossy; bits 1–3: a forced encoding), the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tifa::patterns::PatternSet;
use tifa::text::{Encoding, ReadOptions, Text};
use tifa::SpeechFile;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, bytes)) = data.split_first() else {
        return;
    };
    let encoding = match (flags >> 1) & 7 {
        1 => Some(Encoding::Utf8),
        2 => Some(Encoding::Gb18030),
        3 => Some(Encoding::Big5),
        4 => Some(Encoding::Utf16Le),
        5 => Some(Encoding::Utf16Be),
        _ => None,
    };
    let opts = ReadOptions {
        encoding,
        lossy: flags & 1 == 1,
    };
    let Ok(text) = Text::from_bytes_with("fuzz.txt", bytes, &opts) else {
        return;
    };
    if !opts.lossy {
        assert!(text.replaced().is_none());
    }
    let file = SpeechFile::from_text(text);
    let n = file.text.len_chars();
    for p in &file.segments.paragraphs {
        assert!(p.span.start < p.span.end && p.span.end <= n);
    }
    for o in &file.outlines {
        o.walk(|_, s| {
            assert!(s.span.start <= s.span.end && s.span.end <= n, "{s:?}");
            assert_eq!(file.text.slice(s.heading_span), s.heading);
        });
    }
    for doc in PatternSet::default_set().find(&file) {
        for h in &doc.hits {
            assert!(h.span.end <= n, "{:?}", h.span);
        }
    }
});
