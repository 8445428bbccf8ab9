//! Perturbation generator for `tifa compare`: rewrites one sibling list of a real speech (sections
//! moved, headings reworded, sections dropped, inserted and split; markers renumbered so the copy reads
//! like a real text) and records which section of the copy came from which section of the original.

use tifa::outline::{Outline, Section};
use tifa::segment::Segments;
use tifa::text::{Encoding, Text};
use tifa::{Span, SpeechFile};

/// What to do to one sibling list.
#[derive(Clone, Debug, Default)]
pub struct Edits {
    /// Move the section at this index to this position (of the list after drops).
    pub moves: Option<(usize, usize)>,
    /// Reword the headings of these sections.
    pub reword: Vec<usize>,
    /// Drop these sections.
    pub drop: Vec<usize>,
    /// Insert this section text (heading and body, without marker) before this output position.
    pub insert: Option<(usize, String)>,
    /// Split this section (a leaf with at least four sentences) in two.
    pub split: Option<usize>,
    /// Edits applied to the children of one section of the list.
    pub nested: Option<(usize, Box<Edits>)>,
}

/// Where a section of the copy came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The original section with this index (first half of it when split).
    A(usize),
    /// The second half of the split original section with this index.
    SecondHalf(usize),
    /// New text.
    Inserted,
}

/// An expected correspondence: (A path, B path), either side `None` for dropped/inserted sections.
pub type Expected = (Option<Vec<usize>>, Option<Vec<usize>>);

/// A perturbed copy and the correspondences it should produce.
pub struct Perturbed {
    /// The copy's text.
    pub text: String,
    /// Expected correspondences: (A path, B path), either side `None` for dropped/inserted sections.
    pub truth: Vec<Expected>,
    /// Sibling lists of the copy to check (parent path, expected length).
    pub checks: Vec<(Vec<usize>, usize)>,
}

/// Chinese numeral for 1..=99.
fn chinese(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].into(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n - 10]),
        _ => format!("{}十{}", D[n / 10], D[n % 10]),
    }
}

fn is_cn_digit(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// The marker with its number replaced by `n` in the same script (`（三）` → `（五）`, `3.` → `5.`).
pub fn renumber(marker: &str, n: usize) -> String {
    let chars: Vec<char> = marker.chars().collect();
    let Some(s) = chars
        .iter()
        .position(|&c| is_cn_digit(c) || c.is_ascii_digit())
    else {
        return marker.to_string();
    };
    let arabic = chars[s].is_ascii_digit();
    let mut e = s;
    while e < chars.len()
        && (if arabic {
            chars[e].is_ascii_digit()
        } else {
            is_cn_digit(chars[e])
        })
    {
        e += 1;
    }
    let num = if arabic { n.to_string() } else { chinese(n) };
    let mut out: String = chars[..s].iter().collect();
    out.push_str(&num);
    out.extend(&chars[e..]);
    out
}

/// A reworded heading: clauses rotated, or a phrase prefixed when there is one clause.
pub fn reword(heading: &str) -> String {
    let parts: Vec<&str> = heading
        .split(['，', '、'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() >= 2 {
        let mut p = parts.clone();
        p.rotate_left(1);
        p.join("，")
    } else {
        let c: Vec<char> = heading.chars().collect();
        let keep: String = c[..c.len().saturating_sub(2).max(c.len().min(1))]
            .iter()
            .collect();
        format!("切实{keep}工作")
    }
}

struct Piece {
    text: String,
    origin: Origin,
    children_truth: Vec<(Option<usize>, Option<usize>)>,
}

/// The text of each section of a sibling list (marker first), trailing white space trimmed, plus the
/// separator that stood between them.
fn pieces(text: &Text, list: &[Section]) -> (Vec<String>, String) {
    let mut out = Vec::new();
    let mut sep = String::new();
    for (i, s) in list.iter().enumerate() {
        let end = list.get(i + 1).map(|n| n.span.start).unwrap_or(s.span.end);
        let raw = text.slice(Span::new(s.span.start, end));
        let trimmed = raw.trim_end();
        if i == 0 {
            sep = raw[trimmed.len()..].to_string();
        }
        out.push(trimmed.to_string());
    }
    (out, sep)
}

/// Rewrites a sibling list; `None` when the list does not fit (markers not at section starts, no leaf
/// to split, …).
fn rewrite(
    text: &Text,
    segments: &Segments,
    list: &[Section],
    edits: &Edits,
) -> Option<(Vec<Piece>, String)> {
    let (texts, sep) = pieces(text, list);
    for (s, t) in list.iter().zip(&texts) {
        if s.marker.is_empty() || !t.starts_with(&s.marker) {
            return None;
        }
    }
    let marker0 = &list[0].marker;
    let mut bodies: Vec<String> = texts
        .iter()
        .zip(list)
        .map(|(t, s)| t[s.marker.len()..].to_string())
        .collect();
    let mut nested_truth = vec![Vec::new(); list.len()];
    if let Some((x, sub)) = &edits.nested {
        let s = list.get(*x)?;
        if s.children.len() < 2 {
            return None;
        }
        let (kids, ksep) = rewrite(text, segments, &s.children, sub)?;
        let head = text.slice(Span::new(s.span.start, s.children[0].span.start));
        let tail_from = s.children.last()?.span.end;
        let tail = text.slice(Span::new(tail_from, s.span.end));
        let joined: Vec<&str> = kids.iter().map(|p| p.text.as_str()).collect();
        let full = format!("{head}{}{}", joined.join(&ksep), tail.trim_end());
        bodies[*x] = full[s.marker.len()..].to_string();
        nested_truth[*x] = kids
            .iter()
            .enumerate()
            .map(|(k, p)| match p.origin {
                Origin::A(i) | Origin::SecondHalf(i) => (Some(i), Some(k)),
                Origin::Inserted => (None, Some(k)),
            })
            .chain(sub.drop.iter().map(|&i| (Some(i), None)))
            .collect();
    }
    for &i in &edits.reword {
        let s = list.get(i)?;
        let h = &s.heading;
        let body = &bodies[i];
        let at = body.find(h.as_str())?;
        bodies[i] = format!("{}{}{}", &body[..at], reword(h), &body[at + h.len()..]);
    }
    let mut order: Vec<Origin> = (0..list.len())
        .filter(|i| !edits.drop.contains(i))
        .map(Origin::A)
        .collect();
    if let Some((from, to)) = edits.moves {
        let at = order.iter().position(|o| *o == Origin::A(from))?;
        let o = order.remove(at);
        order.insert(to.min(order.len()), o);
    }
    let mut second_half = None;
    if let Some(i) = edits.split {
        let s = list.get(i)?;
        if !s.children.is_empty() {
            return None;
        }
        let body_start = s.heading_span.end;
        let sentences: Vec<Span> = segments
            .sentences_in(Span::new(body_start, s.span.end))
            .iter()
            .copied()
            .filter(|x| x.start > body_start)
            .collect();
        if sentences.len() < 4 {
            return None;
        }
        let cut = sentences[sentences.len() / 2].start;
        let whole = bodies[i].clone();
        // Char offset of the cut inside the body string (which starts after the marker).
        let marker_chars = s.marker.chars().count();
        let cut_in_body = cut - s.span.start - marker_chars;
        let byte = whole.char_indices().nth(cut_in_body).map(|(b, _)| b)?;
        let (first, rest) = whole.split_at(byte);
        let after_heading = text.char_at(s.heading_span.end).unwrap_or('\n');
        let joiner = if after_heading == '\n' || after_heading == '\r' {
            "\n".to_string()
        } else {
            after_heading.to_string()
        };
        // The second half's heading: its first clause, at most 16 chars.
        let h2: String = rest
            .chars()
            .take_while(|c| !"，。；：、".contains(*c))
            .take(16)
            .collect();
        bodies[i] = first.trim_end().to_string();
        second_half = Some(format!("{h2}{joiner}{rest}"));
        let at = order.iter().position(|o| *o == Origin::A(i))?;
        order.insert(at + 1, Origin::SecondHalf(i));
    }
    let mut inserted = None;
    if let Some((pos, body)) = &edits.insert {
        order.insert((*pos).min(order.len()), Origin::Inserted);
        inserted = Some(body.clone());
    }
    let out = order
        .iter()
        .enumerate()
        .map(|(k, o)| {
            let body = match o {
                Origin::A(i) => bodies[*i].clone(),
                Origin::SecondHalf(_) => second_half.clone().unwrap_or_default(),
                Origin::Inserted => inserted.clone().unwrap_or_default(),
            };
            let children_truth = match o {
                Origin::A(i) => nested_truth[*i].clone(),
                _ => Vec::new(),
            };
            Piece {
                text: format!("{}{}", renumber(marker0, k + 1), body),
                origin: *o,
                children_truth,
            }
        })
        .collect();
    Some((out, sep))
}

/// The sibling list at `parent` (`None`: the top level).
pub fn list_at<'a>(outline: &'a Outline, parent: Option<&[usize]>) -> Option<&'a [Section]> {
    match parent {
        None => Some(&outline.sections),
        Some(p) => outline.get(p).map(|s| s.children.as_slice()),
    }
}

/// Perturbs the sibling list under `parent` of the first document of `file`.
pub fn perturb(file: &SpeechFile, parent: Option<&[usize]>, edits: &Edits) -> Option<Perturbed> {
    let outline = &file.outlines[0];
    let list = list_at(outline, parent)?;
    if list.len() < 2 {
        return None;
    }
    let (ps, sep) = rewrite(&file.text, &file.segments, list, edits)?;
    let before = file.text.slice(Span::new(0, list[0].span.start));
    let after = file
        .text
        .slice(Span::new(list.last()?.span.end, file.text.len_chars()));
    let joined: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
    let text = format!("{before}{}{after}", joined.join(&sep));
    let base: Vec<usize> = parent.map(|p| p.to_vec()).unwrap_or_default();
    let path = |i: usize| {
        let mut p = base.clone();
        p.push(i);
        p
    };
    let mut truth = Vec::new();
    for (k, p) in ps.iter().enumerate() {
        match p.origin {
            Origin::A(i) | Origin::SecondHalf(i) => truth.push((Some(path(i)), Some(path(k)))),
            Origin::Inserted => truth.push((None, Some(path(k)))),
        }
        if let Origin::A(i) = p.origin {
            for (a, b) in &p.children_truth {
                let ca = a.map(|a| {
                    let mut x = path(i);
                    x.push(a);
                    x
                });
                let cb = b.map(|b| {
                    let mut x = path(k);
                    x.push(b);
                    x
                });
                truth.push((ca, cb));
            }
        }
    }
    for &i in &edits.drop {
        truth.push((Some(path(i)), None));
    }
    let checks = vec![(base, ps.len())];
    Some(Perturbed {
        text,
        truth,
        checks,
    })
}

/// Reads the copy and checks that its outline has the expected shape (the list has as many sections
/// as pieces were written); `None` when the outline builder read the copy differently.
pub fn read_copy(p: &Perturbed) -> Option<SpeechFile> {
    let file = SpeechFile::from_text(Text::from_string(
        "copy.txt",
        p.text.clone(),
        Encoding::Utf8,
    ));
    for (parent, n) in &p.checks {
        let list = list_at(
            file.outlines.first()?,
            if parent.is_empty() {
                None
            } else {
                Some(parent)
            },
        )?;
        if list.len() != *n {
            return None;
        }
    }
    for (_, b) in &p.truth {
        if let Some(b) = b
            && file.outlines[0].get(b).is_none()
        {
            return None;
        }
    }
    Some(file)
}

/// Share of truth entries the alignment got right: a section is right when its set of partners in the
/// alignment equals the expected set. Returns (right, total).
pub fn score(al: &tifa::diff::Alignment, truth: &[Expected]) -> (usize, usize) {
    use std::collections::{BTreeSet, HashMap};
    let mut pred_a: HashMap<Vec<usize>, BTreeSet<Vec<usize>>> = HashMap::new();
    let mut pred_b: HashMap<Vec<usize>, BTreeSet<Vec<usize>>> = HashMap::new();
    al.walk(|c| {
        if let (Some(a), Some(b)) = (&c.a, &c.b) {
            pred_a
                .entry(a.path.clone())
                .or_default()
                .insert(b.path.clone());
            pred_b
                .entry(b.path.clone())
                .or_default()
                .insert(a.path.clone());
        }
    });
    let mut want_a: HashMap<Vec<usize>, BTreeSet<Vec<usize>>> = HashMap::new();
    let mut want_b: HashMap<Vec<usize>, BTreeSet<Vec<usize>>> = HashMap::new();
    for (a, b) in truth {
        if let Some(a) = a {
            let e = want_a.entry(a.clone()).or_default();
            if let Some(b) = b {
                e.insert(b.clone());
            }
        }
        if let Some(b) = b {
            let e = want_b.entry(b.clone()).or_default();
            if let Some(a) = a {
                e.insert(a.clone());
            }
        }
    }
    let empty = BTreeSet::new();
    let mut right = 0;
    let mut total = 0;
    for (a, want) in &want_a {
        total += 1;
        if pred_a.get(a).unwrap_or(&empty) == want {
            right += 1;
        } else {
            eprintln!("    A {a:?}: expected {want:?}, got {:?}", pred_a.get(a));
        }
    }
    for (b, want) in &want_b {
        // A B section whose A partner is already counted only adds an entry when it is new.
        if want.is_empty() {
            total += 1;
            if pred_b.get(b).unwrap_or(&empty) == want {
                right += 1;
            } else {
                eprintln!("    B {b:?}: expected {want:?}, got {:?}", pred_b.get(b));
            }
        }
    }
    (right, total)
}
