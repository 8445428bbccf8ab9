//! Never panic on input: property tests (proptest, with shrinking) over random texts built from the
//! pieces that drive every stage (heading markers, ordinals, punctuation, masks, noise markers, blank and
//! invisible chars, full-width forms, combining marks, emoji) through outline, patterns, compare and reuse,
//! and over random bytes through decoding.
//!
//! Properties: no panic; outline spans in bounds, children inside their parent and siblings in order;
//! heading spans slice to the headings; pattern hit and member spans in bounds; compare rows and passages
//! and reuse passages in bounds of their texts.
//!
//! Cases per property: 48 by default (CI time); `PROPTEST_CASES=5000 cargo test --release --test
//! robustness` for a longer run. A failure is shrunk to a minimal list of pieces and saved under
//! `tests/proptest-regressions/` so it reruns first.

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::FileFailurePersistence;
use tifa::compare::{CompareParams, compare};
use tifa::diff::Correspondence;
use tifa::outline::Section;
use tifa::patterns::PatternSet;
use tifa::prepared::PreparedDoc;
use tifa::reuse::{self, ReuseParams};
use tifa::text::{Encoding, Text};
use tifa::{Span, SpeechFile};

/// Heading markers of every family and level.
const MARKERS: &[&str] = &[
    "一、",
    "二、",
    "三、",
    "十一、",
    "（一）",
    "（二）",
    "(三)",
    "1.",
    "2．",
    "3、",
    "（1）",
    "⑵",
    "①",
    "②",
    "——",
    "———",
];

/// Ordinal words that open enumerations and lead sentences.
const ORDINALS: &[&str] = &[
    "一是",
    "二是",
    "三是",
    "一要",
    "二要",
    "第一，",
    "第二，",
    "首先，",
    "其次，",
    "最后，",
];

/// Header and structure lines: salutations, tables of contents, dates.
const HEADERS: &[&str] = &[
    "同志们：",
    "各位代表！",
    "目录",
    "(6篇)",
    "２０２２年",
    "2022年8月13日",
    "（2022年8月13日）",
];

/// Punctuation, full-width and ASCII.
const PUNCTUATION: &[&str] = &[
    "。", "，", "、", "；", "：", "！", "？", "…", "“", "”", "（", "）", "《", "》",
];

/// Line breaks, blanks and invisible chars.
const BLANKS: &[&str] = &[
    "\n", "\r\n", "\n\n", "　", "　　", " ", "\t", "\u{200d}", "\u{feff}",
];

/// Redaction masks.
const MASKS: &[&str] = &["**", "*", "XX", "××", "某某"];

/// Noise that is not body text: paywall markers, QR-code captions, licence footers.
const NOISE: &[&str] = &[
    "##paidbegin##",
    "##paidend##",
    "扫描二维码关注公众号",
    "№12",
    "本作品是中华人民共和国的",
];

/// Words and phrases the pattern, reuse and synonym rules react to.
const PHRASES: &[&str] = &[
    "争一流、争第一、争唯一",
    "真抓真管、敢抓敢管",
    "凡是工作，必有目标；凡是目标，必有计划",
    "两个确立",
    "三学三立",
    "不是",
    "而是",
    "既",
    "又",
    "越是",
    "越",
    "提高站位抓推进",
    "加快",
    "加速",
    "进一步",
    "切实",
    "措施",
    "举措",
    "住房",
    "建设",
    "发展",
    "工作",
];

/// Chars outside the common CJK range: combining marks, emoji, full-width Latin.
const ODD_CHARS: &[&str] = &["e\u{301}", "😀", "Ａ", "ｘ"];

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 48;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    ProptestConfig {
        cases,
        // Shrink far enough that a failure reads as a few pieces, not a page.
        max_shrink_iters: 4096,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/proptest-regressions/robustness.txt",
        ))),
        ..ProptestConfig::default()
    }
}

/// One piece of text, drawn from one of the groups (weighted towards structure and words).
fn piece() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        3 => select(MARKERS),
        2 => select(ORDINALS),
        1 => select(HEADERS),
        3 => select(PUNCTUATION),
        2 => select(BLANKS),
        1 => select(MASKS),
        1 => select(NOISE),
        4 => select(PHRASES),
        1 => select(ODD_CHARS),
    ]
}

/// A text of up to `max` pieces.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..max).prop_map(|p| p.concat())
}

/// Two texts where B is new text followed by the second half of A, so that reuse and alignment have
/// something to chew on.
fn text_pair() -> impl Strategy<Value = (String, String)> {
    (text(500), text(60)).prop_map(|(a, head)| {
        let cut = a
            .char_indices()
            .nth(a.chars().count() / 2)
            .map_or(a.len(), |(i, _)| i);
        let b = format!("{head}{}", &a[cut..]);
        (a, b)
    })
}

fn file(name: &str, s: &str) -> SpeechFile {
    SpeechFile::from_text(Text::from_string(name, s, Encoding::Utf8))
}

fn in_bounds(span: Span, n: usize) -> bool {
    span.start <= span.end && span.end <= n
}

/// Every section lies inside its parent (or the text), siblings come in order, and each heading span
/// slices to the heading.
fn check_sections(f: &SpeechFile, sections: &[Section], parent: Span) {
    let mut prev_end = parent.start;
    for s in sections {
        assert!(in_bounds(s.span, f.text.len_chars()), "{s:?}");
        assert!(
            parent.start <= s.span.start && s.span.end <= parent.end,
            "section {:?} outside its parent {parent:?}",
            s.span
        );
        assert!(
            s.span.start >= prev_end,
            "section {:?} starts inside its previous sibling",
            s.span
        );
        prev_end = s.span.end;
        assert!(in_bounds(s.heading_span, f.text.len_chars()), "{s:?}");
        assert_eq!(f.text.slice(s.heading_span), s.heading);
        check_sections(f, &s.children, s.span);
    }
}

fn check_outline_and_patterns(f: &SpeechFile) {
    let n = f.text.len_chars();
    for o in &f.outlines {
        assert!(in_bounds(o.document.span, n), "{:?}", o.document);
        check_sections(f, &o.sections, Span::new(0, n));
    }
    for d in PatternSet::default_set().find(f) {
        assert!(in_bounds(d.span, n));
        for h in &d.hits {
            assert!(in_bounds(h.span, n), "{h:?}");
            assert!(h.members.iter().all(|m| in_bounds(*m, n)), "{h:?}");
        }
    }
}

fn check_rows(rows: &[Correspondence], na: usize, nb: usize) {
    for r in rows {
        assert!(r.a.as_ref().is_none_or(|s| in_bounds(s.span, na)), "{r:?}");
        assert!(r.b.as_ref().is_none_or(|s| in_bounds(s.span, nb)), "{r:?}");
        check_rows(&r.children, na, nb);
    }
}

fn check_all_stages(a: &str, b: &str) {
    let (fa, fb) = (file("a.txt", a), file("b.txt", b));
    check_outline_and_patterns(&fa);
    check_outline_and_patterns(&fb);
    let (na, nb) = (fa.text.len_chars(), fb.text.len_chars());

    let (da, db) = (
        PreparedDoc::all(fa.clone()).remove(0),
        PreparedDoc::all(fb.clone()).remove(0),
    );
    let report = compare(&da, &db, &CompareParams::default());
    assert!((0.0..=1.0).contains(&report.alignment.scores.text));
    check_rows(&report.alignment.alignment, na, nb);
    for p in &report.passages {
        assert!(
            in_bounds(p.passage.a, na) && in_bounds(p.passage.b, nb),
            "{p:?}"
        );
    }

    let r = reuse::compare_files(&fa, &fb, None, &ReuseParams::default());
    for p in r.all_passages() {
        assert!(in_bounds(p.a, na) && in_bounds(p.b, nb), "{p:?}");
        assert_eq!(fa.text.slice(p.a), p.a_text);
        assert_eq!(fb.text.slice(p.b), p.b_text);
    }
    for s in [r.scores.a_in_b, r.scores.b_in_a, r.scores.distinctive] {
        assert!((0.0..=1.0).contains(&s), "{:?}", r.scores);
    }
    let empty_a = reuse::find_passages(
        &fa.text,
        Span::new(0, 0),
        &fb.text,
        Span::new(0, nb),
        &ReuseParams::default(),
    );
    assert!(empty_a.is_empty(), "{empty_a:?}");
}

/// A byte: mostly high bytes and CJK lead bytes, some ASCII and NULs.
fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![1 => Just(0u8), 3 => 0u8..128, 6 => 128u8..=255]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_texts_never_panic((a, b) in text_pair()) {
        check_all_stages(&a, &b);
    }

    #[test]
    fn random_bytes_decode_or_fail_cleanly(bytes in prop::collection::vec(byte(), 0..400)) {
        match Text::from_bytes("random.bin", &bytes, None) {
            Ok(t) => check_outline_and_patterns(&SpeechFile::from_text(t)),
            Err(e) => prop_assert!(e.to_string().starts_with("random.bin: "), "{}", e),
        }
    }
}

/// Inputs the properties once failed on, shrunk by proptest: an ordinal lead whose heading ran over the
/// next ordinal (siblings overlapped), and a run of part markers that left a circled-number child
/// reaching past its parent's end.
#[test]
fn shrunk_outline_failures_stay_fixed() {
    let overlapping = "第一，三、第二，建设。";
    let child_past_parent = format!("1.、{}\n十一、\n①\n一、十一、", "一、".repeat(80));
    for s in [overlapping, &child_past_parent] {
        check_all_stages(s, s);
    }
}

#[test]
fn degenerate_texts_never_panic() {
    for s in [
        "",
        "一、",
        "（一）",
        "一是",
        "——",
        "同志们：",
        "目录\n1．甲\n2．乙\n甲\n乙",
        "**",
        "\u{200d}。",
        "。。。。",
        "一是一是一是",
        "1.1.1.1.",
    ] {
        check_all_stages(s, s);
        check_all_stages(s, "一、总体要求。内容。");
    }
}
