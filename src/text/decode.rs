//! Encoding detection and decoding.
//!
//! Question: which encoding were these bytes written in, and what text do they hold?
//! Input: a file's bytes and [`ReadOptions`] (a forced encoding, lossy or strict).
//! Output: [`Decoded`]: the text, the encoding, and what the caller should tell the user (bytes replaced
//! in lossy mode; how an ambiguous Big5/GB18030 choice was made).
//! How: a BOM wins; NUL bytes mean UTF-16 without BOM when one endianness decodes to valid UTF-16
//! (surrogates paired) that looks like text, with its NULs on the high byte of ASCII chars, and binary
//! otherwise; valid UTF-8 is UTF-8; otherwise GB18030 (the superset of GBK and GB2312) and Big5 are both
//! tried, and when both decode the evidence decides: the share of Chinese chars that fall in the
//! encoding's own block of common chars (GB2312 level 1, 3,755 chars; Big5 level 1, 5,401 chars). Text in
//! one encoding read as the other lands mostly in rare chars, symbols or the private-use area.
//! Single-byte Western encodings are never guessed: they decode any byte soup into mojibake.
//! In lossy mode a file no encoding decodes cleanly is read in the candidate with the fewest malformed
//! sequences, each replaced by U+FFFD.

use std::path::Path;

use crate::error::{Error, Result};

/// The encoding a file was decoded from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (the BOM is not part of the text).
    Utf8Bom,
    /// GB18030 (also covers GBK and GB2312).
    Gb18030,
    /// Big5 (traditional Chinese).
    Big5,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
}

impl Encoding {
    /// The name reported in output (`"UTF-8"`, `"UTF-8 (BOM)"`, `"GB18030"`, `"Big5"`, `"UTF-16LE"`, `"UTF-16BE"`).
    pub fn name(&self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Gb18030 => "GB18030",
            Encoding::Big5 => "Big5",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
        }
    }

    /// Parses a user-supplied encoding name (case-insensitive; `gbk` and `gb2312` mean GB18030).
    pub fn from_name(name: &str) -> Result<Encoding> {
        let n = name.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match n.as_str() {
            "utf-8" | "utf8" => Encoding::Utf8,
            "gb18030" | "gbk" | "gb2312" | "cp936" => Encoding::Gb18030,
            "big5" => Encoding::Big5,
            "utf-16le" | "utf16le" | "utf-16" | "utf16" => Encoding::Utf16Le,
            "utf-16be" | "utf16be" => Encoding::Utf16Be,
            _ => return Err(Error::UnknownEncoding(name.to_string())),
        })
    }

    fn encoding_rs(&self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 | Encoding::Utf8Bom => encoding_rs::UTF_8,
            Encoding::Gb18030 => encoding_rs::GB18030,
            Encoding::Big5 => encoding_rs::BIG5,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Encoding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// How to read input files: a forced encoding (or detection) and what to do with undecodable bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Decode with this encoding instead of detecting one.
    pub encoding: Option<Encoding>,
    /// Replace undecodable byte sequences with U+FFFD instead of refusing the file.
    pub lossy: bool,
}

impl ReadOptions {
    /// Strict reading with an optional forced encoding (the default mode).
    pub fn strict(encoding: Option<Encoding>) -> ReadOptions {
        ReadOptions {
            encoding,
            lossy: false,
        }
    }
}

/// Undecodable byte sequences replaced by U+FFFD in lossy mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Replacements {
    /// Number of malformed sequences replaced (each by one U+FFFD).
    pub count: usize,
    /// Byte offset in the file of the first one.
    pub first_byte: usize,
}

impl std::fmt::Display for Replacements {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "replaced {} undecodable byte sequence{} with U+FFFD (first at byte {})",
            self.count,
            if self.count == 1 { "" } else { "s" },
            self.first_byte
        )
    }
}

/// The outcome of decoding a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The decoded text (BOM excluded).
    pub text: String,
    /// The encoding it was decoded from.
    pub encoding: Encoding,
    /// What lossy mode replaced, if anything.
    pub replaced: Option<Replacements>,
    /// How the encoding was chosen, when more than one decoded cleanly (Big5 against GB18030).
    pub decision: Option<String>,
}

/// Decodes `bytes`, detecting the encoding unless `opts` forces one.
pub fn decode(path: &Path, bytes: &[u8], opts: &ReadOptions) -> Result<Decoded> {
    if let Some(enc) = opts.encoding {
        let body = strip_bom(bytes, enc);
        let bom = bytes.len() - body.len();
        let enc = if enc == Encoding::Utf8 && bom > 0 {
            Encoding::Utf8Bom
        } else {
            enc
        };
        return finish(
            path,
            decode_counting(body, enc),
            bom,
            opts.lossy,
            None,
            |n| {
                format!(
                    "bytes are not valid {} (forced with --encoding): {n}",
                    enc.name()
                )
            },
        );
    }
    let boms: [(&[u8], Encoding); 3] = [
        (b"\xEF\xBB\xBF", Encoding::Utf8Bom),
        (b"\xFF\xFE", Encoding::Utf16Le),
        (b"\xFE\xFF", Encoding::Utf16Be),
    ];
    for (bom, enc) in boms {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return finish(
                path,
                decode_counting(rest, enc),
                bom.len(),
                opts.lossy,
                None,
                |n| format!("invalid {} after its byte-order mark: {n}", enc.name()),
            );
        }
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        if let Some(attempt) = utf16_without_bom(bytes) {
            return finish(path, attempt, 0, opts.lossy, None, |n| n);
        }
        return Err(Error::Binary {
            path: path.into(),
            detail: format!("NUL byte at offset {nul}"),
        });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return finish(
            path,
            Attempt::clean(s.to_string(), Encoding::Utf8),
            0,
            false,
            None,
            |n| n,
        );
    }
    let gb = decode_counting(bytes, Encoding::Gb18030);
    let big5 = decode_counting(bytes, Encoding::Big5);
    let (gb_share, big5_share) = (common_share(&gb), common_share(&big5));
    let shares = format!(
        "{:.0}% of its Chinese chars are common as Big5, {:.0}% as GB18030",
        big5_share * 100.0,
        gb_share * 100.0
    );
    if gb.errors == 0 && big5.errors == 0 {
        // Both decode: the evidence decides, GB18030 (far more common) on a tie.
        let (attempt, name) = if big5_share > gb_share {
            (big5, "Big5")
        } else {
            (gb, "GB18030")
        };
        let decision = format!("read as {name} ({shares})");
        return finish(path, attempt, 0, false, Some(decision), |n| n);
    }
    // GB18030 decodes almost any byte pairs, Big5 included: a clean GB18030 reading loses to a Big5
    // reading with a few broken bytes when Big5 reads far more like Chinese.
    let broken_big5 = big5_share >= gb_share + 0.3;
    if gb.errors == 0 && !broken_big5 {
        return finish(path, gb, 0, false, None, |n| n);
    }
    if big5.errors == 0 || gb.errors == 0 {
        return finish(path, big5, 0, opts.lossy, None, |n| {
            format!("looks like Big5 ({shares}) but has {n}")
        });
    }
    // Nothing decodes cleanly: the candidate with the fewest malformed sequences is the likely one.
    let utf8 = decode_counting(bytes, Encoding::Utf8);
    let best = [utf8, gb, big5]
        .into_iter()
        .min_by_key(|a| a.errors)
        .expect("three candidates");
    let name = best.encoding.name();
    finish(path, best, 0, opts.lossy, None, |n| {
        format!("not valid UTF-8, GB18030 or Big5; closest is {name} with {n}")
    })
}

/// One decoding attempt: the text with U+FFFD for each malformed sequence, and where they were.
#[derive(Clone, Debug)]
struct Attempt {
    text: String,
    encoding: Encoding,
    errors: usize,
    first_error: usize,
}

impl Attempt {
    fn clean(text: String, encoding: Encoding) -> Attempt {
        Attempt {
            text,
            encoding,
            errors: 0,
            first_error: 0,
        }
    }
}

/// Turns an attempt into the result: clean text as is, malformed text replaced in lossy mode or refused
/// with a message (`problem` phrases the malformed sequences) that points to `--lossy`.
fn finish(
    path: &Path,
    attempt: Attempt,
    offset: usize,
    lossy: bool,
    decision: Option<String>,
    problem: impl FnOnce(String) -> String,
) -> Result<Decoded> {
    let replaced = (attempt.errors > 0).then_some(Replacements {
        count: attempt.errors,
        first_byte: attempt.first_error + offset,
    });
    if let Some(r) = replaced
        && !lossy
    {
        let n = format!(
            "{} undecodable byte sequence{} (first at byte {})",
            r.count,
            if r.count == 1 { "" } else { "s" },
            r.first_byte
        );
        return Err(Error::Undecodable {
            path: path.into(),
            detail: format!(
                "{}; --lossy reads it with U+FFFD in their place, --encoding NAME forces an encoding",
                problem(n)
            ),
        });
    }
    let text = check_controls(path, attempt.text)?;
    Ok(Decoded {
        text,
        encoding: attempt.encoding,
        replaced,
        decision,
    })
}

fn strip_bom(bytes: &[u8], enc: Encoding) -> &[u8] {
    let bom: &[u8] = match enc {
        Encoding::Utf8 | Encoding::Utf8Bom => b"\xEF\xBB\xBF",
        Encoding::Utf16Le => b"\xFF\xFE",
        Encoding::Utf16Be => b"\xFE\xFF",
        _ => b"",
    };
    bytes.strip_prefix(bom).unwrap_or(bytes)
}

/// Decodes with U+FFFD for each malformed sequence, counting them and noting where the first starts.
fn decode_counting(bytes: &[u8], enc: Encoding) -> Attempt {
    use encoding_rs::DecoderResult;
    let mut decoder = enc.encoding_rs().new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let (mut pos, mut errors, mut first_error) = (0usize, 0usize, 0usize);
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[pos..], &mut text, true);
        pos += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(bytes.len() - pos)
                    .unwrap_or(bytes.len() - pos)
                    .max(16);
                text.reserve(more);
            }
            DecoderResult::Malformed(bad, after) => {
                if errors == 0 {
                    first_error = pos.saturating_sub(after as usize + bad as usize);
                }
                errors += 1;
                text.push('\u{FFFD}');
            }
        }
    }
    Attempt {
        text,
        encoding: enc,
        errors,
        first_error,
    }
}

/// UTF-16 without a BOM: one endianness decodes with every surrogate paired into something that reads
/// as text. The endianness whose high-byte position holds the NULs (those of ASCII chars) is tried first;
/// a file with NULs that is neither is binary.
fn utf16_without_bom(bytes: &[u8]) -> Option<Attempt> {
    if bytes.len() < 2 || bytes.len() % 2 == 1 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let order = if odd >= even {
        [Encoding::Utf16Le, Encoding::Utf16Be]
    } else {
        [Encoding::Utf16Be, Encoding::Utf16Le]
    };
    order
        .into_iter()
        .map(|enc| decode_counting(bytes, enc))
        .find(|a| a.errors == 0 && reads_as_text(&a.text))
}

/// Whether decoded UTF-16 looks like text: no NUL chars, and nearly all chars printable ASCII, white
/// space, CJK ideographs or CJK and full-width punctuation. Binary read as UTF-16 scatters over the
/// whole plane (Hangul, Yi, private use, unpaired surrogates) and produces U+0000 from aligned zeros;
/// ASCII read in the wrong byte order comes out as U+2000..U+7E00 in steps of 256.
fn reads_as_text(text: &str) -> bool {
    let (mut total, mut texty, mut swapped_ascii) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        if c == '\0' {
            return false;
        }
        total += 1;
        let u = c as u32;
        let ok = (c.is_ascii() && (!c.is_ascii_control() || c.is_ascii_whitespace()))
            || matches!(u, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x3000..=0x303F | 0xFF00..=0xFFEF
                | 0x2000..=0x206F | 0x00A0..=0x00FF | 0x2100..=0x27BF | 0xFE30..=0xFE4F
                | 0x20000..=0x2FFFF);
        texty += usize::from(ok);
        swapped_ascii += usize::from(u & 0xFF == 0 && (0x20..=0x7E).contains(&(u >> 8)));
    }
    total > 0 && texty * 10 >= total * 9 && swapped_ascii * 3 < total
}

/// The two blocks of common chars, as bit sets over the BMP ideographs U+4E00..U+9FFF: GB2312 level 1
/// (rows 0xB0–0xD7) and Big5 level 1 (0xA440–0xC67E), each decoded once from its own byte range.
fn common_blocks() -> &'static [Vec<u64>; 2] {
    static BLOCKS: std::sync::OnceLock<[Vec<u64>; 2]> = std::sync::OnceLock::new();
    BLOCKS.get_or_init(|| {
        let mut blocks = [vec![0u64; 0x5200 / 64 + 1], vec![0u64; 0x5200 / 64 + 1]];
        let mut add = |block: usize, enc: &'static encoding_rs::Encoding, lead: u8, trail: u8| {
            let pair = [lead, trail];
            let (s, _) = enc.decode_without_bom_handling(&pair);
            if let Some(c) = s.chars().next()
                && (0x4E00..0xA000).contains(&(c as u32))
            {
                let i = c as usize - 0x4E00;
                blocks[block][i / 64] |= 1 << (i % 64);
            }
        };
        for lead in 0xB0..=0xD7u8 {
            for trail in 0xA1..=0xFEu8 {
                add(0, encoding_rs::GB18030, lead, trail);
            }
        }
        for lead in 0xA4..=0xC6u8 {
            for trail in (0x40..=0x7Eu8).chain(0xA1..=0xFE) {
                if lead < 0xC6 || trail <= 0x7E {
                    add(1, encoding_rs::BIG5, lead, trail);
                }
            }
        }
        blocks
    })
}

/// Share of the non-ASCII, non-punctuation chars of a decoding that are common chars of its encoding.
/// Read in its own encoding a Chinese text scores near 1; read in the other, its chars scatter into rare
/// ideographs, kana, Greek, box drawing and the private-use area.
fn common_share(attempt: &Attempt) -> f64 {
    let block = &common_blocks()[usize::from(attempt.encoding == Encoding::Big5)];
    let (mut common, mut total) = (0usize, 0usize);
    for c in attempt.text.chars() {
        let u = c as u32;
        if c.is_ascii() || matches!(u, 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2000..=0x206F) {
            continue;
        }
        total += 1;
        if (0x4E00..0xA000).contains(&u) {
            let i = (u - 0x4E00) as usize;
            common += usize::from(block[i / 64] >> (i % 64) & 1 == 1);
        }
    }
    if total == 0 {
        0.0
    } else {
        common as f64 / total as f64
    }
}

/// Decoded text full of C0 control chars is a binary file that happened to decode.
fn check_controls(path: &Path, text: String) -> Result<String> {
    let mut controls = 0usize;
    let mut total = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return Err(Error::Binary {
                path: path.into(),
                detail: "NUL character in text".into(),
            });
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0c}' | '\u{0b}' | '\u{85}') {
            controls += 1;
        }
    }
    if controls > 0 && controls * 100 > total {
        return Err(Error::Binary {
            path: path.into(),
            detail: format!("{controls} control characters"),
        });
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> Result<Decoded> {
        decode(Path::new("t.txt"), bytes, &ReadOptions::default())
    }

    fn lossy(bytes: &[u8]) -> Result<Decoded> {
        decode(
            Path::new("t.txt"),
            bytes,
            &ReadOptions {
                encoding: None,
                lossy: true,
            },
        )
    }

    const SIMPLIFIED: &str = "一、加强党的建设。同志们：过去一年，我们坚持稳中求进工作总基调，经济运行总体平稳，\
就业形势保持稳定，人民生活持续改善。";
    const TRADITIONAL: &str = "各位代表：現在，我代表政府向大會報告工作，請予審議，並請各位政協委員提出意見。\
過去一年，經濟發展穩中有進，民生持續改善，社會大局保持穩定。";

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    }

    #[test]
    fn detects_gb18030() {
        let (bytes, _, _) = encoding_rs::GB18030.encode(SIMPLIFIED);
        let d = dec(&bytes).unwrap();
        assert_eq!(d.encoding, Encoding::Gb18030);
        assert_eq!(d.text, SIMPLIFIED);
        assert_eq!(d.replaced, None);
    }

    #[test]
    fn big5_is_chosen_on_evidence() {
        let (bytes, _, bad) = encoding_rs::BIG5.encode(TRADITIONAL);
        assert!(!bad);
        // The same bytes decode cleanly as GB18030 too, into nonsense.
        assert_eq!(decode_counting(&bytes, Encoding::Gb18030).errors, 0);
        let d = dec(&bytes).unwrap();
        assert_eq!(d.encoding, Encoding::Big5);
        assert_eq!(d.text, TRADITIONAL);
        let why = d.decision.expect("ambiguous choice explained");
        assert!(why.starts_with("read as Big5 ("), "{why}");
        assert!(
            why.contains("as Big5") && why.contains("as GB18030"),
            "{why}"
        );
    }

    #[test]
    fn gbk_text_that_also_decodes_as_big5_stays_gb18030() {
        let (bytes, _, _) =
            encoding_rs::GB18030.encode("同志们：现在，我代表国务院，向大会报告政府工作。");
        let big5 = decode_counting(&bytes, Encoding::Big5);
        let d = dec(&bytes).unwrap();
        assert_eq!(d.encoding, Encoding::Gb18030);
        if big5.errors == 0 {
            assert!(d.decision.unwrap().starts_with("read as GB18030"));
        }
    }

    #[test]
    fn detects_utf16_without_bom_both_endians() {
        // 一 is U+4E00: its low byte is NUL, so NULs fall on both parities in UTF-16LE.
        let s = "一、总体要求\n1. 坚持一个中心 abc\n";
        for (le, enc) in [(true, Encoding::Utf16Le), (false, Encoding::Utf16Be)] {
            let d = dec(&utf16(s, le)).unwrap();
            assert_eq!(d.encoding, enc);
            assert_eq!(d.text, s);
        }
    }

    #[test]
    fn utf16_with_surrogate_pairs_and_no_ascii() {
        let s = "𠀀一二𪚥三\u{3000}。";
        let d = dec(&utf16(s, true)).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), (Encoding::Utf16Le, s));
    }

    #[test]
    fn unpaired_surrogate_is_not_utf16() {
        // 'a', NUL-high ASCII, then a lone high surrogate D800 followed by 'b'.
        let bytes = [b'a', 0, 0x00, 0xD8, b'b', 0, b'c', 0];
        assert!(matches!(dec(&bytes), Err(Error::Binary { .. })));
    }

    #[test]
    fn rejects_binary() {
        assert!(matches!(
            dec(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00"),
            Err(Error::Binary { .. })
        ));
    }

    #[test]
    fn strict_refuses_one_bad_byte_and_suggests_lossy() {
        let mut bytes = "一、总体要求。".as_bytes().to_vec();
        bytes.insert(6, 0xFF);
        bytes.extend_from_slice("二、重点任务。".as_bytes());
        let e = dec(&bytes).unwrap_err().to_string();
        assert!(
            e.contains("1 undecodable byte sequence (first at byte 6)"),
            "{e}"
        );
        assert!(e.contains("--lossy"), "{e}");
        let d = lossy(&bytes).unwrap();
        assert_eq!(d.encoding, Encoding::Utf8);
        assert_eq!(d.text, "一、\u{FFFD}总体要求。二、重点任务。");
        assert_eq!(
            d.replaced,
            Some(Replacements {
                count: 1,
                first_byte: 6
            })
        );
    }

    #[test]
    fn forced_encoding_lossy_counts_every_sequence() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice("提高站位".as_bytes());
        bytes.extend_from_slice(b"\x80\xFF");
        bytes.extend_from_slice("狠抓落实".as_bytes());
        let opts = ReadOptions {
            encoding: Some(Encoding::Utf8),
            lossy: true,
        };
        let d = decode(Path::new("t.txt"), &bytes, &opts).unwrap();
        assert_eq!(d.encoding, Encoding::Utf8Bom);
        assert_eq!(d.text, "提高站位\u{FFFD}\u{FFFD}狠抓落实");
        assert_eq!(d.replaced.unwrap().count, 2);
        assert_eq!(
            d.replaced.unwrap().first_byte,
            15,
            "offset in the file, BOM included"
        );
        let strict = decode(
            Path::new("t.txt"),
            &bytes,
            &ReadOptions::strict(Some(Encoding::Utf8)),
        );
        let e = strict.unwrap_err().to_string();
        assert!(
            e.contains("forced with --encoding") && e.contains("--lossy"),
            "{e}"
        );
    }

    #[test]
    fn lossy_gb18030_with_a_broken_tail() {
        let (mut bytes, _, _) = encoding_rs::GB18030.encode(SIMPLIFIED).to_owned();
        let bytes = bytes.to_mut();
        let at = bytes.len();
        bytes.push(0xFF);
        let d = lossy(bytes).unwrap();
        assert_eq!(d.encoding, Encoding::Gb18030);
        assert_eq!(d.text, format!("{SIMPLIFIED}\u{FFFD}"));
        assert_eq!(d.replaced.unwrap().first_byte, at);
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(Encoding::from_name("GBK").unwrap(), Encoding::Gb18030);
        assert!(Encoding::from_name("latin1").is_err());
    }
}
