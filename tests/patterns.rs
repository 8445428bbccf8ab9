//! Tests of `tifa::patterns` on the seed speeches and crafted cases.

use std::path::Path;

use tifa::patterns::{Family, PatternSet};
use tifa::{SpeechFile, Text, text::Encoding};

fn seed(name: &str) -> SpeechFile {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/speeches");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
        .unwrap();
    SpeechFile::read(path, None).unwrap()
}

#[test]
fn default_set_passes_its_self_check() {
    let set = PatternSet::default_set();
    assert!(set.patterns.len() >= 40, "{} patterns", set.patterns.len());
    let failures = set.check();
    for f in &failures {
        eprintln!("{} (line {}): {} {}", f.pattern, f.line, f.kind, f.text);
    }
    assert!(failures.is_empty(), "{} failures", failures.len());
}

/// Asserts that some hit of `family` in seed `name` covers `formula` (its span contains the formula text,
/// or the formula text spans the hit's members).
fn assert_found(name: &str, formula: &str, family: Family) {
    let file = seed(name);
    let text = file.text.as_str();
    let byte = text
        .find(formula)
        .unwrap_or_else(|| panic!("{formula} not in seed {name}"));
    let start = file.text.char_of(byte);
    let end = start + formula.chars().count();
    let docs = PatternSet::default_set().find(&file);
    let found = docs.iter().flat_map(|d| &d.hits).any(|h| {
        h.family == family && h.members.first().is_some_and(|m| m.start >= start && m.start < end)
    });
    if !found {
        let near: Vec<String> = docs
            .iter()
            .flat_map(|d| &d.hits)
            .filter(|h| h.span.end > start && h.span.start < end)
            .map(|h| format!("{} {}", h.pattern, file.text.slice(h.span)))
            .collect();
        panic!("{formula} ({}) not found in {name}; overlapping hits: {near:?}", family.name());
    }
}

#[test]
fn issue_formulas_are_found_in_the_seeds() {
    assert_found("001", "争一流、争第一、争唯一", Family::Parallelism);
    assert_found("000", "学理论、学政策、学业务", Family::Parallelism);
    assert_found("001", "真抓真管、敢抓敢管、严抓严管", Family::Frame);
    assert_found("003", "两个确立", Family::NumberedSlogan);
    assert_found("003", "四个意识", Family::NumberedSlogan);
    assert_found("000", "三学三立", Family::NumberedSlogan);
    assert_found("000", "五城同创", Family::NumberedSlogan);
    assert_found("000", "六个百分之百", Family::NumberedSlogan);
    assert_found("002", "5清单1台账", Family::NumberedSlogan);
    assert_found("002", "提高站位抓推进", Family::Parallelism);
    assert_found("002", "以更高的标准推进", Family::Parallelism);
    assert_found("000", "空谈误国，实干兴邦", Family::Antithesis);
    assert_found("003", "今天再晚也是早，明天再早也是晚", Family::Antithesis);
    assert_found("004", "凡是工作，必有目标；凡是目标，必有计划", Family::Anadiplosis);
    assert_found("000", "有令必行", Family::Frame);
    assert_found("004", "一荣俱荣、一损俱损", Family::Frame);
    assert_found("000", "一荣俱荣、一损俱损", Family::Frame);
    assert_found("002", "以城建城、以城兴城、以城养城", Family::Frame);
    assert_found("001", "靠前指挥、倒排工期、挂图作战", Family::FourCharacterRun);
    assert_found("000", "既要把工作抓在手上，也要把纪律挺在前面", Family::Contrast);
    assert_found("000", "“文件下发了”不等于工作落实了", Family::Contrast);
    assert_found("002", "一是以更高的标准推进", Family::Enumeration);
}
