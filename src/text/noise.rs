//! Noise: text in a file that is not part of any speech.
//!
//! Web copies and WeChat reposts carry paywall markers (`##paidbegin##`), QR-code and public-account
//! captions (`扫描二维码关注“笔苑”公众号`), series lines (`“日新月异”系列№4465`) and site footers (the
//! Wikisource licence block `本作品是中华人民共和国的…`). They are found here once, as spans of the
//! original text, so that every later stage skips them the same way.

use super::{Span, Text};

/// Paywall and similar inline markers, removed wherever they stand in a line.
const INLINE_MARKERS: &[&str] = &["##paidbegin##", "##paidend##", "##paid##"];

/// Words that make a short line a caption rather than body text.
const CAPTION_WORDS: &[&str] = &[
    "二维码",
    "公众号",
    "扫码",
    "长按识别",
    "点击关注",
    "点击上方",
    "阅读原文",
    "微信号",
];

/// A char of every caption word: lines without one (nearly all) skip the word search.
const CAPTION_CHARS: &[char] = &['码', '号', '识', '击', '读'];

/// A line that starts one of these begins a site footer running to the end of the file.
const FOOTER_STARTS: &[&str] = &[
    "本作品是中华人民共和国",
    "本作品来自",
    "本作品在全世界都属于公有领域",
];

/// Finds noise spans, sorted and non-overlapping.
pub fn find_noise(text: &Text) -> Vec<Span> {
    let s = text.as_str();
    let mut noise: Vec<Span> = Vec::new();
    let mut line_start_byte = 0usize;
    let total = s.len();
    for line in s.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let start_b = line_start_byte;
        line_start_byte += line.len();
        let trimmed = body.trim();
        if trimmed.is_empty() {
            continue;
        }
        // A footer in the last third of the file swallows everything after it.
        if start_b * 3 >= total && FOOTER_STARTS.iter().any(|f| trimmed.starts_with(f)) {
            noise.push(text.span_of_bytes(start_b..total));
            break;
        }
        if is_noise_line(trimmed) {
            noise.push(text.span_of_bytes(start_b..start_b + body.len()));
            continue;
        }
        // Every marker opens with `#` (a test holds it): most lines have none.
        if !body.contains('#') {
            continue;
        }
        for marker in INLINE_MARKERS {
            let mut from = 0;
            while let Some(pos) = body[from..].find(marker) {
                let b = start_b + from + pos;
                noise.push(text.span_of_bytes(b..b + marker.len()));
                from += pos + marker.len();
            }
        }
    }
    noise.sort();
    noise
}

/// Whether a whole (trimmed) line is noise.
fn is_noise_line(line: &str) -> bool {
    let chars = line.chars().count();
    if chars <= 160
        && line.contains(CAPTION_CHARS)
        && CAPTION_WORDS.iter().any(|w| line.contains(w))
        && !line.contains('。')
    {
        return true;
    }
    // Series numbers: `“日新月异”系列№4465`.
    if chars <= 60 && (line.contains('№') || (line.contains('N') && line.contains("系列No."))) {
        return true;
    }
    // Stray lines left by web pages: `Public domain`, `false`.
    matches!(line, "Public domain" | "false" | "true")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Encoding;

    #[test]
    fn the_cheap_tests_hold_for_every_word() {
        assert!(CAPTION_WORDS.iter().all(|w| w.contains(CAPTION_CHARS)));
        assert!(INLINE_MARKERS.iter().all(|m| m.starts_with('#')));
    }

    #[test]
    fn finds_noise() {
        let s =
            "“日新月异”系列№4465\n扫描二维码关注“笔苑”公众号\n##paidbegin##一、总体要求\n正文。\n";
        let t = Text::from_string("t", s, Encoding::Utf8);
        let texts: Vec<&str> = t.noise().iter().map(|&n| t.slice(n)).collect();
        assert_eq!(
            texts,
            vec![
                "“日新月异”系列№4465",
                "扫描二维码关注“笔苑”公众号",
                "##paidbegin##"
            ]
        );
    }
}
