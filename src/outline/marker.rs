//! The marker grammar: recognising heading markers at a position of a paragraph.
//!
//! Markers are read on the original text (never on the normalised view, where NFKC has already turned
//! `（一）` into `(一)` and `⑴` into `(1)`).

use serde::Serialize;

use super::SectionKind;

/// Which sequence family an enumeration marker belongs to; a sequence may change family mid-way
/// (`一要、二要、三是`) but a new one starts only with ordinal one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// `一是`
    Shi,
    /// `一要`
    Yao,
    /// `第一，`
    Di,
    /// `首先/其次/再次/最后`
    Shouxian,
    /// `——`
    Dash,
    /// lead sentence
    Lead,
    /// an unnumbered part heading on its own line (`2008年工作回顾`, `名词解释`)
    Heading,
    /// GB/T 9704 numbered markers
    Numbered,
}

/// A marker found at a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// The marker as written.
    pub text: String,
    /// Length of the marker in chars.
    pub len: usize,
    /// Heading kind it introduces.
    pub kind: SectionKind,
    /// Ordinal (1-based); [`LAST`] for `最后`, 0 for dashes and leads.
    pub ordinal: u32,
    /// Sequence family.
    pub family: Family,
}

/// The ordinal of `最后` ("last"): continues any open 首先 sequence.
pub const LAST: u32 = u32::MAX;

/// Value of a Chinese numeral from 一 to 九十九 (`十一`, `二十`, `二十三`), or `None`.
pub fn chinese_numeral(s: &[char]) -> Option<u32> {
    let digit = |c: char| crate::text::chinese_digit(c).filter(|&d| d > 0);
    match s {
        [a] if *a == '十' => Some(10),
        [a] => digit(*a),
        ['十', b] => digit(*b).map(|d| 10 + d),
        [a, '十'] => digit(*a).map(|d| d * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

fn is_cn_digit(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// Reads a Chinese numeral of 1–3 chars starting at `i`; returns (value, length).
fn read_cn(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let mut j = i;
    while j < chars.len() && j - i < 3 && is_cn_digit(chars[j]) {
        j += 1;
    }
    // Prefer the longest numeral that parses.
    (i + 1..=j)
        .rev()
        .find_map(|k| chinese_numeral(&chars[i..k]).map(|v| (v, k - i)))
}

/// An ASCII or full-width digit.
pub(super) fn is_arabic_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn read_arabic(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let mut j = i;
    while j < chars.len() && j - i < 2 && is_arabic_digit(chars[j]) {
        j += 1;
    }
    if j == i || chars.get(j).is_some_and(|&c| is_arabic_digit(c)) {
        return None;
    }
    let v: String = chars[i..j]
        .iter()
        .map(|&c| {
            if c.is_ascii_digit() {
                c
            } else {
                char::from_u32(c as u32 - 0xFEE0).unwrap()
            }
        })
        .collect();
    v.parse().ok().filter(|&v| v > 0).map(|v| (v, j - i))
}

fn marker(
    chars: &[char],
    i: usize,
    len: usize,
    kind: SectionKind,
    ordinal: u32,
    family: Family,
) -> Marker {
    Marker {
        text: chars[i..i + len].iter().collect(),
        len,
        kind,
        ordinal,
        family,
    }
}

/// A GB/T 9704 numbered marker (`一、` `（一）` `1.` `（1）` `①`), or a note's `[1]`, at `chars[i]`.
pub fn numbered_at(chars: &[char], i: usize) -> Option<Marker> {
    let c = *chars.get(i)?;
    let after = |k: usize| chars.get(k).copied();
    let numbered = |len: usize, kind: SectionKind, ordinal: u32| {
        Some(marker(chars, i, len, kind, ordinal, Family::Numbered))
    };
    // 一、  (but not `一、二季度`: a numeral list inside a sentence)
    if is_cn_digit(c) {
        let (v, n) = read_cn(chars, i)?;
        if after(i + n) == Some('、') {
            // `一、二季度`, `二、三产业`: the next numeral continues the count, so this is a list of numbers;
            // `一、三产业` (the primary and tertiary sectors) names sectors whatever the numerals.
            if let Some((w, m)) = read_cn(chars, i + n + 1) {
                let next = after(i + n + 1 + m);
                if (w == v + 1
                    && matches!(
                        next,
                        Some('、' | '季' | '月' | '年' | '等' | '个' | '是' | '产' | '级' | '类')
                    ))
                    || next == Some('产')
                {
                    return None;
                }
            }
            return numbered(n + 1, SectionKind::Part, v);
        }
        return None;
    }
    // （一） (1) （1）; web copies put spaces inside the brackets (`（一 ）`).
    if c == '（' || c == '(' {
        let blanks = |k: usize| {
            chars[k.min(chars.len())..]
                .iter()
                .take(2)
                .take_while(|c| matches!(c, ' ' | '\u{3000}' | '\u{a0}'))
                .count()
        };
        let open = i + 1 + blanks(i + 1);
        // Length of the marker when a closing bracket follows the numeral ending at `k`.
        let close = |k: usize| {
            let k = k + blanks(k);
            matches!(after(k), Some('）' | ')')).then_some(k + 1 - i)
        };
        if let Some((v, n)) = read_cn(chars, open)
            && let Some(len) = close(open + n)
        {
            return numbered(len, SectionKind::Subpart, v);
        }
        if let Some((v, n)) = read_arabic(chars, open)
            && let Some(len) = close(open + n)
        {
            return numbered(len, SectionKind::Item, v);
        }
        return None;
    }
    // [1] ［1］ 【1】: the entries of a glossary of notes, numbered like the references in the text.
    if matches!(c, '[' | '［' | '【') {
        let (v, n) = read_arabic(chars, i + 1)?;
        return matches!(after(i + 1 + n)?, ']' | '］' | '】')
            .then(|| marker(chars, i, n + 2, SectionKind::Numbered, v, Family::Numbered));
    }
    // 1. 1． 1、 (not 2.5, not 2022年)
    if is_arabic_digit(c) {
        let (v, n) = read_arabic(chars, i)?;
        let sep = after(i + n)?;
        if matches!(sep, '.' | '．' | '、') {
            // `2.5` is a number; `17.2006年关系群众…` is item 17 opening with a year.
            let year = (i + n + 1..i + n + 5).all(|k| after(k).is_some_and(is_arabic_digit))
                && after(i + n + 5) == Some('年');
            if after(i + n + 1).is_some_and(is_arabic_digit) && !year {
                return None;
            }
            return numbered(n + 1, SectionKind::Numbered, v);
        }
        return None;
    }
    // ⑴..⒇ and ①..⑳ (items), ⒈..⒛ (numbered): the ordinal is the place in the range.
    [
        ('⑴', '⒇', SectionKind::Item),
        ('①', '⑳', SectionKind::Item),
        ('⒈', '⒛', SectionKind::Numbered),
    ]
    .into_iter()
    .find(|&(first, last, _)| (first..=last).contains(&c))
    .and_then(|(first, _, kind)| numbered(1, kind, c as u32 - first as u32 + 1))
}

/// Whether an enumeration marker may start after `prev` (line start is always fine): after punctuation or
/// white space, never inside a word (`全市第一`, `统一是`).
pub fn may_follow(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '。' | '；'
                        | '：'
                        | '，'
                        | '！'
                        | '？'
                        | '、'
                        | '”'
                        | '）'
                        | ')'
                        | ';'
                        | ':'
                        | ','
                        | '!'
                        | '?'
                        | '」'
                        | '】'
                        | '…'
                )
        }
    }
}

/// An enumeration marker (`一是` `二要` `第一，` `首先`) at `chars[i]`; the caller checks [`may_follow`].
pub fn enumeration_at(chars: &[char], i: usize) -> Option<Marker> {
    let c = *chars.get(i)?;
    if is_cn_digit(c) {
        let (v, n) = read_cn(chars, i)?;
        let family = match chars.get(i + n) {
            Some('是') => Family::Shi,
            Some('要') => Family::Yao,
            _ => return None,
        };
        // `二要素`, `一要求` are words, not markers.
        if family == Family::Yao && matches!(chars.get(i + n + 1), Some('素' | '求' | '件' | '点'))
        {
            return None;
        }
        return Some(marker(chars, i, n + 1, SectionKind::Enumeration, v, family));
    }
    if c == '第' {
        let (v, n) = read_cn(chars, i + 1)?;
        if matches!(chars.get(i + 1 + n), Some('，' | '、' | '：' | ',' | ':')) {
            return Some(marker(
                chars,
                i,
                n + 1,
                SectionKind::Enumeration,
                v,
                Family::Di,
            ));
        }
        return None;
    }
    let two: String = chars.get(i..i + 2)?.iter().collect();
    let ordinal = match two.as_str() {
        "首先" => 1,
        "其次" => 2,
        "再次" => 3,
        "最后" => LAST,
        _ => return None,
    };
    Some(marker(
        chars,
        i,
        2,
        SectionKind::Enumeration,
        ordinal,
        Family::Shouxian,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::chars as cs;

    #[test]
    fn numerals() {
        assert_eq!(chinese_numeral(&cs("十一")), Some(11));
        assert_eq!(chinese_numeral(&cs("二十")), Some(20));
        assert_eq!(chinese_numeral(&cs("三十五")), Some(35));
        assert_eq!(chinese_numeral(&cs("十十")), None);
    }

    #[test]
    fn numbered_markers() {
        let m = numbered_at(&cs("（十二）加强"), 0).unwrap();
        assert_eq!((m.kind, m.ordinal, m.len), (SectionKind::Subpart, 12, 4));
        assert_eq!(
            numbered_at(&cs("1．全力"), 0).unwrap().kind,
            SectionKind::Numbered
        );
        assert_eq!(numbered_at(&cs("⑵推进"), 0).unwrap().ordinal, 2);
        assert!(numbered_at(&cs("2.5"), 0).is_none());
        assert!(numbered_at(&cs("2.2006"), 0).is_none());
        let year = numbered_at(&cs("17.2006年关系群众"), 0).unwrap();
        assert_eq!((year.ordinal, year.len), (17, 3));
        assert!(numbered_at(&cs("一、二季度"), 0).is_none());
        assert!(numbered_at(&cs("二、三产业"), 0).is_none());
        assert!(numbered_at(&cs("一、三产业稳步增长"), 0).is_none());
        assert_eq!(
            numbered_at(&cs("一、一年来工作回顾"), 0).unwrap().ordinal,
            1
        );
        assert!(numbered_at(&cs("（2022年8月13日）"), 0).is_none());
        let spaced = numbered_at(&cs("（一 ） 突出"), 0).unwrap();
        assert_eq!(
            (spaced.kind, spaced.ordinal, spaced.len),
            (SectionKind::Subpart, 1, 4)
        );
        assert!(numbered_at(&cs("（一 是）"), 0).is_none());
        assert!(numbered_at(&cs("（市、区）"), 0).is_none());
        assert!(numbered_at(&cs("2022年"), 0).is_none());
        let note = numbered_at(&cs("［12］惠十条"), 0).unwrap();
        assert_eq!(
            (note.kind, note.ordinal, note.len),
            (SectionKind::Numbered, 12, 4)
        );
        assert!(numbered_at(&cs("[注]"), 0).is_none());
    }

    #[test]
    fn enumeration_markers() {
        assert_eq!(
            enumeration_at(&cs("三是要"), 0).unwrap().family,
            Family::Shi
        );
        assert_eq!(enumeration_at(&cs("第十，"), 0).unwrap().ordinal, 10);
        assert!(enumeration_at(&cs("第一要务"), 0).is_none());
        assert!(enumeration_at(&cs("二要素"), 0).is_none());
        assert!(!may_follow(Some('市')));
        assert!(enumeration_at(&cs("一方面"), 0).is_none());
    }
}
