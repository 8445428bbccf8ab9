//! Proposes a gold outline for a local government work report from the publisher's bold.
//!
//! Question: which paragraphs of a report are headings, and under which heading does each stand, as far as
//! the publisher's bold and the GB/T 9704 markers tell? The proposal is a starting point for a reader, who
//! then corrects it by hand into `tests/gold/local/*.outline` (format in `tests/outline_local.rs`).
//!
//! Input: file names of `../shared/corpus/local-reports/txt/` (or `--corpus DIR`); reads `bold.jsonl` next
//! to `txt/`. Output: the proposal on stdout, one node per line, indented two spaces per level:
//! `<char offset>\t<marker>\t<heading excerpt>`; a `?` after the excerpt flags a node the bold does not
//! mark (a numbered marker, a paragraph-opening enumeration, or a short line of its own).
//!
//! How: every paragraph that opens with bold, with a numbered marker, with an enumeration or dash marker, or
//! that is a short line without sentence punctuation is a candidate; it is ranked (own-line heading <
//! `一、` < `（一）` < `1.` < `（1）` < bold lead < enumeration < dash) and nested under the nearest open
//! candidate of a lower rank. This deliberately uses only the marker grammar, not tifa's outline builder,
//! so the gold is not tifa's output.
//!
//! `cargo run --example bold_gold -- 主要城市-东莞市-2009.txt`

use std::collections::HashMap;
use std::path::PathBuf;

use tifa::outline::SectionKind;
use tifa::outline::marker;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut corpus = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/local-reports"
    ));
    if let Some(i) = args.iter().position(|a| a == "--corpus") {
        if i + 1 >= args.len() {
            eprintln!("--corpus needs a folder");
            std::process::exit(2);
        }
        corpus = PathBuf::from(args.remove(i + 1));
        args.remove(i);
    }
    let bold_path = corpus.join("bold.jsonl");
    let Ok(bold_text) = std::fs::read_to_string(&bold_path) else {
        eprintln!("{}: cannot read", bold_path.display());
        std::process::exit(2);
    };
    let mut bold: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for line in bold_text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let spans = v["bold"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| Some((s[0].as_u64()? as usize, s[1].as_u64()? as usize)))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(f) = v["file"].as_str() {
            bold.insert(f.to_string(), spans);
        }
    }
    for name in &args {
        let path = corpus.join("txt").join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("{}: cannot read", path.display());
            std::process::exit(2);
        };
        println!("# {name}");
        propose(&text, bold.get(name).map_or(&[][..], |v| v));
    }
}

fn rank(kind: Option<SectionKind>, own_line: bool) -> u8 {
    match kind {
        Some(SectionKind::Part) => 2,
        Some(SectionKind::Subpart) => 3,
        Some(SectionKind::Numbered) => 4,
        Some(SectionKind::Item) => 5,
        Some(SectionKind::Enumeration) => 7,
        Some(SectionKind::Dash) => 8,
        _ if own_line => 1,
        _ => 6,
    }
}

fn propose(text: &str, bold: &[(usize, usize)]) {
    let chars: Vec<char> = text.chars().collect();
    let mut stack: Vec<u8> = Vec::new();
    let mut pos = 0;
    // Header lines (title, speaker) come before the salutation; reports without one start at once.
    let mut seen_salutation = !text
        .chars()
        .take(3000)
        .collect::<String>()
        .contains("各位代表");
    for line in text.split('\n') {
        let n = line.chars().count();
        let start = pos;
        pos += n + 1;
        let Some(lead) = line.chars().position(|c| !c.is_whitespace()) else {
            continue;
        };
        let p0 = start + lead;
        let content: String = line.chars().skip(lead).collect();
        let len = content.chars().count();
        if !seen_salutation {
            if content.starts_with("各位代表") {
                seen_salutation = true;
            }
            continue;
        }
        let is_bold = bold.iter().any(|&(a, b)| a <= p0 && p0 < b);
        let m = marker::numbered_at(&chars, p0).or_else(|| marker::enumeration_at(&chars, p0));
        let dash = content.starts_with("——");
        let own_line = len <= 30
            && !content.contains('。')
            && !content.ends_with(['：', '！', '，', '；'])
            && !content.starts_with("各位代表");
        let kind = if dash {
            Some(SectionKind::Dash)
        } else {
            m.as_ref().map(|m| m.kind)
        };
        // A lead candidate: a short first sentence with more text after it.
        let first: String = content
            .chars()
            .take_while(|c| !matches!(c, '。' | '！' | '？' | '：'))
            .collect();
        let first_len = first.chars().count();
        let lead = (4..=24).contains(&first_len)
            && len > first_len + 8
            && content.chars().nth(first_len) == Some('。')
            && !first
                .chars()
                .any(|c| c.is_ascii_digit() || c == '％' || c == '%');
        if !(is_bold || kind.is_some() || own_line || lead) {
            continue;
        }
        let r = rank(kind, own_line);
        while stack.last().is_some_and(|&t| t >= r) {
            stack.pop();
        }
        let mlen = if dash {
            content.chars().take_while(|&c| c == '—').count()
        } else {
            m.as_ref().map_or(0, |m| m.len)
        };
        let mtext: String = content.chars().take(mlen).collect();
        let excerpt: String = content
            .chars()
            .skip(mlen)
            .take_while(|c| !matches!(c, '。' | '！' | '？' | '；'))
            .take(14)
            .collect();
        println!(
            "{}{}\t{}\t{}{}",
            "  ".repeat(stack.len()),
            p0,
            mtext,
            excerpt,
            if is_bold {
                ""
            } else if kind.is_none() && !own_line {
                " ?L"
            } else {
                " ?"
            }
        );
        stack.push(r);
    }
}
