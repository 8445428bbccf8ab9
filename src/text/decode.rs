//! Encoding detection and decoding.
//!
//! Order of decisions: a BOM wins; NUL bytes mean UTF-16 without BOM when they sit regularly on one byte
//! of each pair, and binary otherwise; valid UTF-8 is UTF-8; anything else is tried as GB18030 (the
//! superset of GBK and GB2312) and then as whatever `chardetng` guesses among the Chinese encodings.
//! Single-byte Western encodings are never guessed: they decode any byte soup into mojibake.

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

/// Decodes `bytes`, detecting the encoding unless `forced` names one.
pub fn decode(path: &Path, bytes: &[u8], forced: Option<Encoding>) -> Result<(String, Encoding)> {
    if let Some(enc) = forced {
        let body = strip_bom(bytes, enc);
        let text = decode_strict(body, enc).ok_or_else(|| Error::Undecodable {
            path: path.into(),
            detail: format!(
                "bytes are not valid {} (forced with --encoding)",
                enc.name()
            ),
        })?;
        let enc = if enc == Encoding::Utf8 && body.len() != bytes.len() {
            Encoding::Utf8Bom
        } else {
            enc
        };
        return check_controls(path, text, enc);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_as(path, rest, Encoding::Utf8Bom);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_as(path, rest, Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_as(path, rest, Encoding::Utf16Be);
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        if let Some(enc) = utf16_without_bom(bytes) {
            return decode_as(path, bytes, enc);
        }
        return Err(Error::Binary {
            path: path.into(),
            detail: format!("NUL byte at offset {nul}"),
        });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return check_controls(path, s.to_string(), Encoding::Utf8);
    }
    if let Some(s) = decode_strict(bytes, Encoding::Gb18030) {
        return check_controls(path, s, Encoding::Gb18030);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, false);
    if guess == encoding_rs::BIG5
        && let Some(s) = decode_strict(bytes, Encoding::Big5)
    {
        return check_controls(path, s, Encoding::Big5);
    }
    let bad = first_invalid_utf8(bytes);
    Err(Error::Undecodable {
        path: path.into(),
        detail: format!(
            "not valid UTF-8 (bad byte at offset {bad}), GB18030 or Big5; try --encoding"
        ),
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

fn decode_as(path: &Path, bytes: &[u8], enc: Encoding) -> Result<(String, Encoding)> {
    let text = decode_strict(bytes, enc).ok_or_else(|| Error::Undecodable {
        path: path.into(),
        detail: format!("invalid {} sequence", enc.name()),
    })?;
    check_controls(path, text, enc)
}

/// Decodes without replacement characters: `None` if any byte sequence is malformed.
fn decode_strict(bytes: &[u8], enc: Encoding) -> Option<String> {
    if bytes.len() % 2 == 1 && matches!(enc, Encoding::Utf16Le | Encoding::Utf16Be) {
        return None;
    }
    enc.encoding_rs()
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|c| c.into_owned())
}

/// UTF-16 without a BOM shows NULs in the high byte of every ASCII char: regularly on odd (LE) or even
/// (BE) offsets, never on the other parity.
fn utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    if bytes.len() % 2 == 1 || bytes.len() < 4 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 { even += 1 } else { odd += 1 }
        }
    }
    let pairs = bytes.len() / 2;
    if even == 0 && odd * 10 >= pairs {
        Some(Encoding::Utf16Le)
    } else if odd == 0 && even * 10 >= pairs {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Decoded text full of C0 control chars is a binary file that happened to decode.
fn check_controls(path: &Path, text: String, enc: Encoding) -> Result<(String, Encoding)> {
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
    Ok((text, enc))
}

fn first_invalid_utf8(bytes: &[u8]) -> usize {
    match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> Result<(String, Encoding)> {
        decode(Path::new("t.txt"), bytes, None)
    }

    #[test]
    fn detects_gb18030() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("一、加强党的建设。同志们：");
        let (s, e) = dec(&bytes).unwrap();
        assert_eq!(e, Encoding::Gb18030);
        assert_eq!(s, "一、加强党的建设。同志们：");
    }

    #[test]
    fn detects_utf16_without_bom() {
        let mut bytes = Vec::new();
        for u in "1. 总体要求 abc".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (s, e) = dec(&bytes).unwrap();
        assert_eq!(e, Encoding::Utf16Le);
        assert_eq!(s, "1. 总体要求 abc");
    }

    #[test]
    fn rejects_binary() {
        assert!(matches!(
            dec(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00"),
            Err(Error::Binary { .. })
        ));
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(Encoding::from_name("GBK").unwrap(), Encoding::Gb18030);
        assert!(Encoding::from_name("latin1").is_err());
    }
}
