//! Never panic on input: random texts built from the characters that drive every stage (heading markers,
//! ordinals, punctuation, masks, noise markers, blank and invisible chars, full-width forms, combining
//! marks, emoji) go through outline, compare, reuse and patterns. A deterministic generator, so a failure
//! reproduces.

use tifa::compare::{CompareParams, compare};
use tifa::patterns::PatternSet;
use tifa::prepared::PreparedDoc;
use tifa::reuse::{self, ReuseParams};
use tifa::text::{Encoding, Text};
use tifa::{Span, SpeechFile};

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
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
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
    "——",
    "———",
    "同志们：",
    "各位代表！",
    "目录",
    "(6篇)",
    "。",
    "，",
    "、",
    "；",
    "：",
    "！",
    "？",
    "…",
    "“",
    "”",
    "（",
    "）",
    "《",
    "》",
    "\n",
    "\r\n",
    "\n\n",
    "　",
    "　　",
    " ",
    "\t",
    "\u{200d}",
    "\u{feff}",
    "**",
    "*",
    "XX",
    "××",
    "某某",
    "##paidbegin##",
    "##paidend##",
    "扫描二维码关注公众号",
    "№12",
    "本作品是中华人民共和国的",
    "２０２２年",
    "2022年8月13日",
    "（2022年8月13日）",
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
    "e\u{301}",
    "😀",
    "Ａ",
    "ｘ",
];

fn random_text(rng: &mut Rng, pieces: usize) -> String {
    (0..pieces)
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect()
}

fn run_all(a: &str, b: &str) {
    let fa = SpeechFile::from_text(Text::from_string("a.txt", a, Encoding::Utf8));
    let fb = SpeechFile::from_text(Text::from_string("b.txt", b, Encoding::Utf8));
    for f in [&fa, &fb] {
        let n = f.text.len_chars();
        for o in &f.outlines {
            o.walk(|_, s| {
                assert!(s.span.start <= s.span.end && s.span.end <= n, "{s:?}");
                assert!(s.heading_span.end <= n);
                assert_eq!(f.text.slice(s.heading_span), s.heading);
            });
        }
        let hits = PatternSet::default_set().find(f);
        for d in &hits {
            for h in &d.hits {
                assert!(h.span.end <= n);
            }
        }
    }
    let (da, db) = (
        PreparedDoc::all(fa.clone()).remove(0),
        PreparedDoc::all(fb.clone()).remove(0),
    );
    let report = compare(&da, &db, &CompareParams::default());
    assert!((0.0..=1.0).contains(&report.alignment.scores.text));
    for p in &report.passages {
        assert!(p.passage.a.end <= fa.text.len_chars() && p.passage.b.end <= fb.text.len_chars());
    }
    let r = reuse::compare_texts(&fa.text, &fb.text, None, &ReuseParams::default());
    for p in &r.passages {
        assert!(p.a.end <= fa.text.len_chars() && p.b.end <= fb.text.len_chars());
    }
    let _ = reuse::find_passages(
        &fa.text,
        Span::new(0, 0),
        &fb.text,
        Span::new(0, fb.text.len_chars()),
        &ReuseParams::default(),
    );
}

#[test]
fn random_texts_never_panic() {
    // `TIFA_FUZZ_ROUNDS=5000 cargo test --release --test robustness` for a longer run.
    let rounds = std::env::var("TIFA_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150usize);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..rounds {
        let round = round % 300;
        let a = random_text(&mut rng, 20 + round * 3);
        // B shares part of A, so that reuse and alignment have something to chew on.
        let cut = a
            .char_indices()
            .nth(a.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        let b = format!("{}{}", random_text(&mut rng, 30), &a[cut..]);
        run_all(&a, &b);
    }
}

#[test]
fn degenerate_texts_never_panic() {
    for s in [
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
        run_all(s, s);
        run_all(s, "一、总体要求。内容。");
    }
}

#[test]
fn random_bytes_decode_or_fail_cleanly() {
    let mut rng = Rng(42);
    for len in 0..400 {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                // Mostly high bytes and CJK lead bytes, some ASCII and NULs.
                match rng.below(10) {
                    0 => 0,
                    1..=3 => (rng.below(128)) as u8,
                    _ => (128 + rng.below(128)) as u8,
                }
            })
            .collect();
        match Text::from_bytes("random.bin", &bytes, None) {
            Ok(t) => {
                let _ = SpeechFile::from_text(t);
            }
            Err(e) => assert!(e.to_string().starts_with("random.bin: "), "{e}"),
        }
    }
}
