//! Pattern regexes: the `regex` crate's syntax plus macros (`@han`, `@num`, …) and back-references
//! (`(?P=name)`), compiled so that matching stays linear.
//!
//! A back-reference is compiled as a *copy* of the referenced group's expression under a hidden name; after
//! the linear-time engine has found a match, the copy must have captured the same text as the original.
//! A rejected match makes the search resume one char further on, at most [`MAX_RETRIES`] times per
//! haystack, so even a pathological pattern costs a bounded number of linear scans.

use std::collections::HashMap;

use crate::text::view::fold_char;
use regex::{Captures, Regex, RegexBuilder};

/// How many rejected back-reference matches a search tolerates before giving up on a haystack.
pub const MAX_RETRIES: usize = 64;
/// Compiled-program size limit: a pattern whose automaton would be larger is rejected.
const SIZE_LIMIT: usize = 2 << 20;

/// Macros expanded before compilation; each expands to a single regex atom.
pub const MACROS: &[(&str, &str)] = &[
    ("@han", r"[\p{Han}\x{E000}]"),
    ("@cnum", "[一二三四五六七八九十两百千万〇零]"),
    ("@digit", "[0-9]"),
    ("@num", "[0-9一二三四五六七八九十两百千万〇零]"),
    ("@sep", "[、,;。]"),
    ("@punct", r#"[、,;。:!?…"'()《》【】〈〉—·]"#),
    ("@nopunct", r#"[^、,;。:!?…"'()《》【】〈〉—·]"#),
];

const COPY_MARK: &str = "__copy";

/// A compiled pattern regex.
#[derive(Clone, Debug)]
pub struct Rx {
    re: Regex,
    /// The unanchored expression, when `re` is wrapped: a cheap test that a haystack can match at all.
    pre: Option<Regex>,
    /// (group, copy) pairs that must capture equal text.
    backrefs: Vec<(String, String)>,
    /// The user's named groups (copies excluded), in order of appearance.
    names: Vec<String>,
}

impl Rx {
    /// Compiles a pattern regex; `wrap` turns the expanded source into the final one (anchoring).
    pub fn compile(source: &str, wrap: impl Fn(&str) -> String) -> Result<Rx, String> {
        let folded = fold_pattern(source);
        let expanded = expand_macros(&folded);
        let (rewritten, backrefs) = rewrite_backrefs(&expanded)?;
        let re = RegexBuilder::new(&wrap(&rewritten))
            .size_limit(SIZE_LIMIT)
            .dfa_size_limit(SIZE_LIMIT)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => {
                    "pattern too large (its automaton exceeds the size limit); bound its repetitions"
                        .to_string()
                }
                other => format!("invalid regex: {}", first_line(&other.to_string())),
            })?;
        let wrapped = wrap(&rewritten);
        let pre = if wrapped == rewritten {
            None
        } else {
            RegexBuilder::new(&rewritten)
                .size_limit(SIZE_LIMIT)
                .dfa_size_limit(SIZE_LIMIT)
                .build()
                .ok()
        };
        let names = re
            .capture_names()
            .flatten()
            .filter(|n| !n.contains(COPY_MARK))
            .map(str::to_string)
            .collect();
        Ok(Rx {
            re,
            pre,
            backrefs,
            names,
        })
    }

    /// The user's named groups.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether the expression (without its anchoring) occurs anywhere in `hay`; `true` when unknown.
    pub fn could_match(&self, hay: &str) -> bool {
        self.pre.as_ref().is_none_or(|p| p.is_match(hay))
    }

    /// Whether every back-reference copy captured the same text as its group.
    fn verified(&self, caps: &Captures) -> bool {
        self.backrefs.iter().all(|(g, c)| {
            caps.name(g).map(|m| m.as_str()) == caps.name(c).map(|m| m.as_str())
                && caps.name(g).is_some()
        })
    }

    /// The first verified match starting at or after byte `from`.
    pub fn captures_from<'h>(&self, hay: &'h str, from: usize) -> Option<Captures<'h>> {
        // The DFA test allocates nothing; most haystacks stop here.
        if !self.re.is_match_at(hay, from) {
            return None;
        }
        let mut at = from;
        for _ in 0..=MAX_RETRIES {
            let caps = self.re.captures_at(hay, at)?;
            if self.verified(&caps) {
                return Some(caps);
            }
            let start = caps.get(0).map_or(at, |m| m.start());
            at = next_char_boundary(hay, start)?;
        }
        None
    }

    /// Bounds of the first verified match at or after byte `from`, without captures when the regex has
    /// no named groups (the common case of member regexes such as `^@han+$`).
    pub fn find_from(&self, hay: &str, from: usize) -> Option<(usize, usize)> {
        if self.names.is_empty() && self.backrefs.is_empty() {
            return self.re.find_at(hay, from).map(|m| (m.start(), m.end()));
        }
        let caps = self.captures_from(hay, from)?;
        caps.get(0).map(|m| (m.start(), m.end()))
    }

    /// A verified match anchored at the start of `hay` (the regex must be compiled with `\A`).
    pub fn captures_anchored<'h>(&self, hay: &'h str) -> Option<Captures<'h>> {
        if !self.re.is_match(hay) {
            return None;
        }
        let caps = self.re.captures(hay)?;
        self.verified(&caps).then_some(caps)
    }
}

fn first_line(s: &str) -> String {
    // regex errors are multi-line ASCII art; keep the last line, which says what is wrong.
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

fn next_char_boundary(s: &str, at: usize) -> Option<usize> {
    let c = s.get(at..)?.chars().next()?;
    Some(at + c.len_utf8())
}

/// Folds a pattern source the way the view folds text (full-width ASCII, quotes, NFKC), escaping chars that
/// become regex metacharacters (`（` → `\(`), so patterns can be written with ordinary Chinese punctuation.
pub fn fold_pattern(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut escaped = false;
    for c in source.chars() {
        if escaped {
            out.push(c);
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            out.push(c);
            continue;
        }
        let f = fold_char(c);
        if f.len() == 1 && f != c.to_string() && f.chars().all(|f| f.is_ascii_punctuation()) {
            out.push('\\');
        }
        out.push_str(&f);
    }
    out
}

fn expand_macros(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    let mut i = 0;
    'outer: while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with('@') {
            // Longest macro name first (`@nopunct` before `@num`).
            let mut best: Option<(&str, &str)> = None;
            for &(name, body) in MACROS {
                if rest.starts_with(name)
                    && !rest[name.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
                    && best.is_none_or(|b| b.0.len() < name.len())
                {
                    best = Some((name, body));
                }
            }
            if let Some((name, body)) = best {
                out.push_str(body);
                i += name.len();
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Replaces each `(?P=name)` by a copy of group `name` under a hidden name; returns the rewritten source and
/// the (group, copy) pairs to verify.
fn rewrite_backrefs(s: &str) -> Result<(String, Vec<(String, String)>), String> {
    let chars: Vec<char> = s.chars().collect();
    let mut groups: HashMap<String, String> = HashMap::new();
    let mut out = String::with_capacity(s.len());
    let mut pairs = Vec::new();
    let mut i = 0;
    let mut in_class = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            out.push(c);
            if let Some(&n) = chars.get(i + 1) {
                out.push(n);
            }
            i += 2;
            continue;
        }
        if in_class > 0 {
            if c == '[' {
                in_class += 1;
            } else if c == ']' {
                in_class -= 1;
            }
            out.push(c);
            i += 1;
            continue;
        }
        if c == '[' {
            in_class = 1;
            out.push(c);
            // A `]` right after `[` or `[^` is a literal.
            if chars.get(i + 1) == Some(&'^') {
                out.push('^');
                i += 1;
            }
            if chars.get(i + 1) == Some(&']') {
                out.push(']');
                i += 1;
            }
            i += 1;
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
        if rest.starts_with("(?P=") {
            let close = chars[i..]
                .iter()
                .position(|&c| c == ')')
                .ok_or("unclosed back-reference `(?P=`")?;
            let name: String = chars[i + 4..i + close].iter().collect();
            let body = groups.get(&name).ok_or_else(|| {
                format!("back-reference to group `{name}`, which is not defined before it")
            })?;
            let copy = format!("{name}{COPY_MARK}{}", pairs.len());
            out.push_str(&format!("(?P<{copy}>{body})"));
            pairs.push((name, copy));
            i += close + 1;
            continue;
        }
        if rest.starts_with("(?P<") || (rest.starts_with("(?<") && !rest.starts_with("(?<=")) {
            let name_start = i + if rest.starts_with("(?P<") { 4 } else { 3 };
            let gt = chars[name_start..]
                .iter()
                .position(|&c| c == '>')
                .ok_or("unclosed group name")?;
            let name: String = chars[name_start..name_start + gt].iter().collect();
            let body_start = name_start + gt + 1;
            let body_end = group_end(&chars, body_start).ok_or("unclosed group")?;
            let body: String = chars[body_start..body_end].iter().collect();
            if body.contains("(?P<") || body.contains("(?<") {
                // Copies of nested named groups would clash; only flat groups can be referenced.
                groups.remove(&name);
            } else {
                groups.insert(name, body);
            }
        }
        out.push(c);
        i += 1;
    }
    Ok((out, pairs))
}

/// Index of the `)` closing the group whose body starts at `from`.
fn group_end(chars: &[char], from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut i = from;
    let mut in_class = 0usize;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                i += 2;
                continue;
            }
            '[' => in_class += 1,
            ']' if in_class > 0 => in_class -= 1,
            '(' if in_class == 0 => depth += 1,
            ')' if in_class == 0 => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backreference_is_verified() {
        let rx = Rx::compile(r"(?P<a>@han)抓(?P=a)管", |s| s.to_string()).unwrap();
        assert!(rx.captures_from("要真抓真管", 0).is_some());
        assert!(rx.captures_from("要真抓实管", 0).is_none());
        assert_eq!(rx.names(), ["a"]);
    }

    #[test]
    fn chinese_punctuation_is_folded_and_escaped() {
        let rx = Rx::compile("空谈误国，实干兴邦（好）", |s| s.to_string()).unwrap();
        assert!(rx.captures_from("空谈误国,实干兴邦(好)", 0).is_some());
    }

    #[test]
    fn undefined_backreference_is_an_error() {
        assert!(Rx::compile("(?P=x)(?P<x>a)", |s| s.to_string()).is_err());
    }
}
