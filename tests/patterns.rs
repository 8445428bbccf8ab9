//! Tests of `tifa::patterns` on the seed speeches and crafted cases.

use std::path::Path;

use tifa::patterns::{Family, PatternSet};
use tifa::{Error, SpeechFile, Text, text::Encoding};

fn speech(s: &str) -> SpeechFile {
    SpeechFile::from_text(Text::from_string("t.txt", s, Encoding::Utf8))
}

fn pattern_error(src: &str) -> (usize, usize, String) {
    match PatternSet::from_toml("p.toml", src) {
        Err(Error::Pattern {
            line,
            column,
            message,
            ..
        }) => (line, column, message),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("pattern file accepted"),
    }
}

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
        h.family == family
            && h.members
                .first()
                .is_some_and(|m| m.start >= start && m.start < end)
    });
    if !found {
        let near: Vec<String> = docs
            .iter()
            .flat_map(|d| &d.hits)
            .filter(|h| h.span.end > start && h.span.start < end)
            .map(|h| format!("{} {}", h.pattern, file.text.slice(h.span)))
            .collect();
        panic!(
            "{formula} ({}) not found in {name}; overlapping hits: {near:?}",
            family.name()
        );
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
    assert_found(
        "004",
        "凡是工作，必有目标；凡是目标，必有计划",
        Family::Anadiplosis,
    );
    assert_found("000", "有令必行", Family::Frame);
    assert_found("004", "一荣俱荣、一损俱损", Family::Frame);
    assert_found("000", "一荣俱荣、一损俱损", Family::Frame);
    assert_found("002", "以城建城、以城兴城、以城养城", Family::Frame);
    assert_found(
        "001",
        "靠前指挥、倒排工期、挂图作战",
        Family::FourCharacterRun,
    );
    assert_found(
        "000",
        "既要把工作抓在手上，也要把纪律挺在前面",
        Family::Contrast,
    );
    assert_found("000", "“文件下发了”不等于工作落实了", Family::Contrast);
    assert_found("002", "一是以更高的标准推进", Family::Enumeration);
}

#[test]
fn plain_narrative_sentences_yield_nothing() {
    let file = speech(
        "今天我们召开上半年工作总结会议，会议的主要任务是深入贯彻落实上级会议精神。\n\
刚才，**同志宣读了**局活动方案，各县（市、区）作了交流发言，讲得很好，我都同意。\n\
去年以来，全市住房城乡建设系统在市委、市政府的坚强领导下，克服疫情等不利因素影响，较好地完成了各项目标任务。\n\
1月至6月，全市完成固定资产投资***亿元，同比增长**%。\n\
国务院决定从今年起，在全国范围内实行新的税收政策。\n\
会议由市政府副市长主持，各县区分管负责同志参加会议。\n\
我们要清醒地看到，当前经济运行中还存在一些突出矛盾和问题。",
    );
    let docs = PatternSet::default_set().find(&file);
    let hits: Vec<String> = docs
        .iter()
        .flat_map(|d| &d.hits)
        .map(|h| format!("{} {}", h.pattern, file.text.slice(h.span)))
        .collect();
    assert!(hits.is_empty(), "{hits:?}");
    assert_eq!(docs[0].scores.hits, 0);
    assert_eq!(docs[0].scores.coverage, 0.0);
}

#[test]
fn members_are_clauses_without_separators_or_quotes() {
    let file = seed("000");
    let docs = PatternSet::default_set().find(&file);
    let hit = docs
        .iter()
        .flat_map(|d| &d.hits)
        .find(|h| h.slots.get("head").is_some_and(|v| v == "学") && h.family == Family::Parallelism)
        .unwrap();
    let members: Vec<&str> = hit.members.iter().map(|m| file.text.slice(*m)).collect();
    assert_eq!(members, ["学理论", "学政策", "学业务"]);
    assert_eq!(file.text.slice(hit.span), "学理论、学政策、学业务");
}

#[test]
fn pattern_file_features_work_and_check_themselves() {
    let src = r#"
[[pattern]]
id = "t.literal-alternation"
family = "antithesis"
description = "literal text with alternation"
kind = "regex"
regex = '(?P<m1>空谈误国)，(?P<m2>实干兴邦|实干兴国)'
examples = ["空谈误国，实干兴邦。"]
counter_examples = ["空谈无益。"]

[[pattern]]
id = "t.slots"
family = "numbered-slogan"
description = "slots with classes and bounds"
kind = "regex"
regex = '"(?P<m1>(?P<number>@cnum{1,2})个(?P<noun>@han{2,3}))"'
examples = ["做到“两个维护”。"]
counter_examples = ["做到“两个”。", "开展“5个一”活动。"]

[[pattern]]
id = "t.backref"
family = "frame"
description = "back-reference"
kind = "regex"
anchor = "clause"
regex = '(?P<m1>一(?P<x>@han)俱(?P=x))、(?P<m2>一(?P<y>@han)俱(?P=y))'
examples = ["做到，一荣俱荣、一损俱损。"]
counter_examples = ["一荣俱损、一损俱荣。", "做到一荣俱荣、一损俱损。"]

[[pattern]]
id = "t.repeat"
family = "four-character-run"
description = "repetition with a separator at least three times"
kind = "series"
unit = "clause"
separators = "、"
min_members = 3
member_len = [4, 4]
member = '^@han{4}$'
examples = ["靠前指挥、倒排工期、挂图作战。"]
counter_examples = ["靠前指挥、倒排工期，挂图作战。"]

[[pattern]]
id = "t.sentence-anchor"
family = "contrast"
description = "anchored at a sentence start"
kind = "regex"
anchor = "sentence"
regex = '(?P<m1>越是@nopunct+)，(?P<m2>越@nopunct+)'
examples = ["越是困难，越要坚持。"]
counter_examples = ["我们越是困难，越要坚持。"]

[[pattern]]
id = "t.structure"
family = "parallelism"
description = "members of similar length sharing a head of two chars"
kind = "series"
unit = "clause"
separators = "，"
min_members = 3
share = "head"
min_shared = 2
length_ratio = 1.5
examples = ["更加注重统筹兼顾，更加注重以人为本，更加注重改革创新。"]
counter_examples = ["更加注重统筹兼顾，更多注重以人为本，更加注重改革创新。"]
"#;
    let set = PatternSet::from_toml("features.toml", src).unwrap();
    assert_eq!(set.patterns.len(), 6);
    let failures = set.check();
    assert!(failures.is_empty(), "{failures:?}");

    let file = speech("做到“两个维护”。");
    let docs = set.find(&file);
    let hit = &docs[0].hits[0];
    assert_eq!(hit.pattern, "t.slots");
    assert_eq!(hit.slots["number"], "2");
    assert_eq!(hit.slots["noun"], "维护");
    assert_eq!(file.text.slice(hit.members[0]), "两个维护");
}

#[test]
fn check_reports_failing_examples_and_counter_examples() {
    let src = r#"
[[pattern]]
id = "bad"
family = "contrast"
description = "wrong examples"
kind = "regex"
regex = '不是(?P<m1>@han+)'
examples = ["是这样。"]
counter_examples = ["不是这样。"]
"#;
    let set = PatternSet::from_toml("bad.toml", src).unwrap();
    let failures = set.check();
    let kinds: Vec<&str> = failures.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, ["example", "counter_example"]);
    assert_eq!(failures[0].line, 3);
}

#[test]
fn malformed_toml_reports_line_and_column() {
    let (line, column, message) =
        pattern_error("[[pattern]]\nid = \"x\"\nfamily = \"frame\"\ndescription = \n");
    assert_eq!((line, column), (4, 15), "{message}");
}

#[test]
fn invalid_patterns_report_their_line() {
    let head = "[[pattern]]\nid = \"p\"\ndescription = \"d\"\nexamples = [\"a\"]\ncounter_examples = [\"b\"]\n";
    let (line, _, message) = pattern_error(&format!(
        "{head}family = \"metaphor\"\nkind = \"regex\"\nregex = 'a'\n"
    ));
    assert_eq!(line, 6);
    assert!(message.contains("unknown family"), "{message}");
    let (line, _, message) = pattern_error(&format!(
        "{head}family = \"frame\"\nkind = \"regex\"\nregex = '(a'\n"
    ));
    assert_eq!(line, 8);
    assert!(message.contains("invalid regex"), "{message}");
    let (line, _, message) = pattern_error(&format!(
        "{head}family = \"frame\"\nkind = \"regex\"\nregex = '(?P=a)(?P<a>x)'\n"
    ));
    assert_eq!(line, 8);
    assert!(message.contains("back-reference"), "{message}");
    let (_, _, message) = pattern_error(&format!(
        "{head}family = \"frame\"\nkind = \"series\"\nmin_members = 1\n"
    ));
    assert!(message.contains("min_members"), "{message}");
    let (_, _, message) = pattern_error(&format!(
        "{head}family = \"frame\"\nkind = \"regex\"\nregex = 'a'\nbogus = 1\n"
    ));
    assert!(message.contains("bogus"), "{message}");
}

#[test]
fn catastrophic_patterns_are_rejected_or_bounded() {
    // An automaton that would explode is rejected at load time, with the pattern's line.
    let src = "[[pattern]]\nid = \"huge\"\nfamily = \"frame\"\ndescription = \"d\"\nkind = \"regex\"\n\
regex = '((@han{1,60}){1,60}){1,60}'\nexamples = [\"a\"]\ncounter_examples = [\"b\"]\n";
    let (line, _, message) = pattern_error(src);
    assert_eq!(line, 6);
    assert!(message.contains("too large"), "{message}");

    // A back-reference that backtracking engines would explore exponentially runs in bounded time here.
    let src = "[[pattern]]\nid = \"nested\"\nfamily = \"frame\"\ndescription = \"d\"\nkind = \"regex\"\n\
regex = '(?P<a>(@han*)*)x(?P=a)y'\nexamples = [\"甲x甲y\"]\ncounter_examples = [\"甲x乙y\"]\n";
    let set = PatternSet::from_toml("nested.toml", src).unwrap();
    assert!(set.check().is_empty());
    let long: String = "争".repeat(20_000) + "x" + &"争".repeat(20_000);
    let docs = set.find(&speech(&long));
    assert!(docs[0].hits.is_empty());
}

#[test]
fn scores_count_hits_per_family_and_section() {
    let file = seed("002");
    let docs = PatternSet::default_set().find(&file);
    let doc = &docs[0];
    let total: usize = doc.scores.by_family.values().sum();
    assert_eq!(total, doc.hits.len());
    assert_eq!(doc.scores.hits, doc.hits.len());
    assert!(doc.scores.coverage > 0.0 && doc.scores.coverage < 1.0);
    let parallel = doc.hits.iter().filter(|h| h.family.is_parallel()).count();
    let expected = (parallel as f64 * 1000.0 / doc.scores.chars as f64 * 1000.0).round() / 1000.0;
    assert_eq!(doc.scores.parallel_density, expected);
    // Section [0] is the first part; its hits are the document's hits that start inside it.
    let first = file.outlines[0].get(&[0]).unwrap();
    let in_first = doc
        .hits
        .iter()
        .filter(|h| first.span.contains(h.span.start))
        .count();
    let s = doc.sections.iter().find(|s| s.path == [0]).unwrap();
    assert_eq!(s.scores.hits, in_first);
    assert!(in_first > 0);
}

#[test]
fn family_filter_keeps_only_that_family() {
    let mut set = PatternSet::default_set();
    set.retain_families(&[Family::NumberedSlogan]);
    let file = seed("003");
    let docs = set.find(&file);
    assert!(!docs[0].hits.is_empty());
    assert!(
        docs[0]
            .hits
            .iter()
            .all(|h| h.family == Family::NumberedSlogan)
    );
    // `三个方面` is generic, not a slogan.
    assert!(
        docs[0]
            .hits
            .iter()
            .all(|h| file.text.slice(h.members[0]) != "三个方面")
    );
}

#[test]
fn spans_are_chars_of_the_original_text_through_full_width_forms() {
    let file = speech("　　要做到真抓真管、敢抓敢管、严抓严管。");
    let docs = PatternSet::default_set().find(&file);
    let hit = docs[0]
        .hits
        .iter()
        .find(|h| h.family == Family::Frame)
        .unwrap();
    assert_eq!(hit.span.start, 5);
    assert_eq!(file.text.slice(hit.span), "真抓真管、敢抓敢管、严抓严管");
    assert_eq!(hit.slots["frame"], "_抓_管");
}

/// A hit as (family, pattern, member texts, slots).
type HitSummary = (
    Family,
    String,
    Vec<String>,
    std::collections::BTreeMap<String, String>,
);

/// Hits of the default set on `s`.
fn hit_list(s: &str) -> Vec<HitSummary> {
    let file = speech(s);
    PatternSet::default_set()
        .find(&file)
        .into_iter()
        .flat_map(|d| d.hits)
        .map(|h| {
            let members = h
                .members
                .iter()
                .map(|m| file.text.slice(*m).to_string())
                .collect();
            (h.family, h.pattern.clone(), members, h.slots.clone())
        })
        .collect()
}

#[test]
fn numbered_slogans_carry_their_real_numerals() {
    let hits = hit_list(
        "编制实施“十四五”规划，坚持“九二共识”，巩固“两不愁三保障”成果，统筹推进“五位一体”总体布局。",
    );
    let slogan = |m: &str| {
        hits.iter()
            .find(|h| h.0 == Family::NumberedSlogan && h.2 == [m])
            .unwrap_or_else(|| panic!("{m} not found in {hits:?}"))
    };
    assert_eq!(slogan("十四五").3["numbers"], "14,5");
    // A named formula: no `number=九`, no count at all.
    assert!(!slogan("九二共识").3.contains_key("numbers"));
    assert!(!slogan("九二共识").3.contains_key("number"));
    assert_eq!(slogan("两不愁三保障").3["numbers"], "2,3");
    // Generic: quoted five-year plans and `双X` formulas.
    let plans = hit_list("执行“八五”计划，“十一五”时期，推进“双创”示范基地建设。");
    let found = |m: &str| {
        plans
            .iter()
            .find(|h| h.0 == Family::NumberedSlogan && h.2 == [m])
            .unwrap_or_else(|| panic!("{m} not found in {plans:?}"))
            .3
            .clone()
    };
    assert_eq!(
        (found("八五")["n1"].as_str(), found("八五")["n2"].as_str()),
        ("8", "5")
    );
    assert_eq!(found("十一五")["numbers"], "11,5");
    assert_eq!(found("双创")["number"], "2");
    // Generic rules give counts, never digit strings.
    let generic = hit_list("力争今年实现“四个上台阶”，深入开展三抓三促行动。");
    let four = generic.iter().find(|h| h.2 == ["四个上台阶"]).unwrap();
    assert_eq!(four.3["number"], "4");
    let xnyn = generic.iter().find(|h| h.2 == ["三抓三促"]).unwrap();
    assert_eq!((xnyn.3["n1"].as_str(), xnyn.3["n2"].as_str()), ("3", "3"));
    // No generic `三个方面`.
    assert!(hit_list("重点要盯紧三个方面工作。").is_empty());
}

#[test]
fn known_wrong_output_is_fixed() {
    // Not an antithesis.
    assert_no_family("撸起袖子加油干，一步一个脚印。", Family::Antithesis);
    // No ordinal marker inside a member.
    let hits = hit_list("一要全面提升大局意识、攻坚意识、担当意识。");
    let p = hits.iter().find(|h| h.0 == Family::Parallelism).unwrap();
    assert_eq!(p.2, ["大局意识", "攻坚意识", "担当意识"]);
    // No trailing words outside the frame.
    let hits = hit_list("要多出有利于稳预期、稳增长、稳就业的政策，审慎出台收缩性政策。");
    let p = hits.iter().find(|h| h.0 == Family::Parallelism).unwrap();
    assert_eq!(p.2, ["稳预期", "稳增长", "稳就业"]);
    // A masked count is no figure.
    let hits =
        hit_list("全局共实施城乡建设项目**个，完成投资**.**亿元，完工项目*个、开工项目*个。");
    assert!(hits.is_empty(), "{hits:?}");
}

#[test]
fn hits_in_flattened_texts_report_their_paragraph_line() {
    // A whole speech on one physical line, paragraphs split at `\u{3000}\u{3000}` after a sentence end.
    let text = "同志们：\u{3000}\u{3000}今天我们召开会议，总结工作。\u{3000}\u{3000}我们要让天更蓝、山更绿、水更清，建设美丽家园。\u{3000}\u{3000}坚持共商共建共享。";
    let file = speech(text);
    assert!(
        file.segments.paragraphs.len() >= 3,
        "{:?}",
        file.segments.paragraphs
    );
    let docs = PatternSet::default_set().find(&file);
    let lines: Vec<usize> = docs
        .iter()
        .flat_map(|d| &d.hits)
        .map(|h| tifa::patterns::hit_line(&file, h.span.start))
        .collect();
    assert!(lines.len() >= 2, "{lines:?}");
    assert!(lines.iter().any(|&l| l > 1), "{lines:?}");
    let rendered =
        tifa::report::patterns::text(&[(&file, docs)], tifa::report::Style { color: false });
    assert!(
        rendered.contains("L3") || rendered.contains("L4"),
        "{rendered}"
    );
}

#[test]
fn word_frames_and_chains_by_rule() {
    let hits =
        hit_list("全心全意为人民服务，做到真学真懂真信真用，坚持共商共建共享，踏踏实实做事。");
    let frames: Vec<&Vec<String>> = hits
        .iter()
        .filter(|h| h.0 == Family::Frame)
        .map(|h| &h.2)
        .collect();
    assert!(
        frames.contains(&&vec!["全心".to_string(), "全意".to_string()]),
        "{frames:?}"
    );
    assert!(
        frames.iter().any(|m| m.len() == 4 && m[0] == "真学"),
        "{frames:?}"
    );
    assert!(
        frames.iter().any(|m| m.len() == 3 && m[2] == "共享"),
        "{frames:?}"
    );
    assert!(frames.iter().any(|m| m[0] == "踏踏"), "{frames:?}");
    // Ordinary words of the same shape are not frames.
    let plain = hit_list("推动农业农村发展，完善法律法规，越来越多的企业涉及方方面面。");
    assert!(plain.iter().all(|h| h.0 != Family::Frame), "{plain:?}");
}

#[test]
fn structural_parallelism_shares_inner_words_and_shapes() {
    let hits = hit_list("我们要让天更蓝、山更绿、水更清，建设美丽家园。");
    let p = hits.iter().find(|h| h.0 == Family::Parallelism).unwrap();
    assert_eq!(p.2, ["天更蓝", "山更绿", "水更清"]);
    let hits = hit_list("产业是根本，项目是支撑，企业是主体，这是我们的基本判断。");
    let p = hits.iter().find(|h| h.0 == Family::Parallelism).unwrap();
    assert_eq!(p.2, ["产业是根本", "项目是支撑", "企业是主体"]);
    // Paragraph-initial parallelism: members separated by other sentences.
    let hits = hit_list(
        "学会感恩，为帮助你的人带来一阵清风。父母养育了我们。\n学会感恩，为帮助你的人献上一谷清泉。老师教导了我们。\n学会感恩，为帮助你的人敬上一杯清茶。",
    );
    assert!(
        hits.iter()
            .any(|h| h.0 == Family::Parallelism && h.2.len() == 3),
        "{hits:?}"
    );
}

#[test]
fn sentences_sharing_a_skeleton_are_parallel_and_a_run_is_punctuated_alike() {
    // Only one char opens all three; the shared skeleton `在…时，能够…的…` ties them.
    let hits = hit_list(
        "在出行时，能够坐上准点舒适的列车；在看病时，能够找到耐心负责的医生；在求学时，能够遇到博学善教的老师。",
    );
    let p = hits
        .iter()
        .find(|h| h.0 == Family::Parallelism && h.1 == "parallelism.structure-sentence")
        .unwrap_or_else(|| panic!("{hits:?}"));
    assert_eq!(p.2.len(), 3);
    assert!(p.2[0].starts_with("在出行时"));
    // Members joined by `；` end at the `。`: the next sentence opens alike but is no member.
    let hits = hit_list(
        "珍惜时间，让学习更加扎实；珍惜机会，让能力不断提升；珍惜友谊，让生活充满温暖。珍惜是一种态度，也是一种修养。",
    );
    let p = hits
        .iter()
        .find(|h| h.0 == Family::Parallelism && h.2.len() >= 3)
        .unwrap_or_else(|| panic!("{hits:?}"));
    assert_eq!(p.2.len(), 3, "{:?}", p.2);
    assert!(p.2[2].starts_with("珍惜友谊"));
}

#[test]
fn a_sentence_said_again_at_paragraph_starts_is_a_figure() {
    let hits = hit_list(
        "这片土地需要我们。\n多年来，一代代建设者扎根边疆。\n这片土地需要我们。\n今天，新的任务摆在面前。",
    );
    assert!(
        hits.iter()
            .any(|h| h.0 == Family::Parallelism && h.2 == ["这片土地需要我们", "这片土地需要我们"]),
        "{hits:?}"
    );
    // A title is not parallel to a sentence of the body.
    assert_no_family(
        "坚持学习\n坚持学习，才能跟上时代。\n我们要努力工作。",
        Family::Parallelism,
    );
}

#[test]
fn a_pair_inside_longer_clauses_keeps_only_the_balanced_members() {
    // The first member loses its lead-in, the second its run-on.
    let hits = hit_list("着力解决小微企业融资难、融资贵问题。");
    let a = hits
        .iter()
        .find(|h| h.0 == Family::Antithesis)
        .unwrap_or_else(|| panic!("{hits:?}"));
    assert_eq!(a.2, ["融资难", "融资贵"]);
    // Two noun phrases that open alike are a list, not a couplet.
    assert_no_family("表彰先进城市、先进单位。", Family::Antithesis);
}

#[test]
fn members_named_out_of_text_order_give_a_forward_span() {
    let src = r#"
[[pattern]]
id = "t.reversed"
family = "antithesis"
description = "members named in reverse order"
kind = "regex"
regex = '(?P<m2>空谈误国)，(?P<m1>实干兴邦)'
examples = ["空谈误国，实干兴邦。"]
counter_examples = ["空谈无益。"]
"#;
    let set = PatternSet::from_toml("r.toml", src).unwrap();
    let file = speech("我们说，空谈误国，实干兴邦。");
    let hit = set.find(&file).remove(0).hits.remove(0);
    assert!(hit.span.start < hit.span.end, "{:?}", hit.span);
    assert!(hit.members[0].start < hit.members[1].start);
    assert_eq!(file.text.slice(hit.span), "空谈误国，实干兴邦");
}

#[test]
fn a_hostile_anchored_pattern_is_bounded_per_clause() {
    // Anchored at every clause, the expression could run to the paragraph end from each clause start;
    // matching is bounded per clause, so 40,000 clauses take well under a second per 10,000 in debug.
    let src = r#"
[[pattern]]
id = "t.hostile"
family = "contrast"
description = "runs over any number of clauses"
kind = "regex"
anchor = "clause"
regex = '(?P<m1>[^。]+)而是(?P<m2>[^。]+)'
examples = ["不是甲，而是乙。"]
counter_examples = ["甲。"]
"#;
    let set = PatternSet::from_toml("h.toml", src).unwrap();
    let text = "加强落实，".repeat(40_000) + "。";
    let file = speech(&text);
    // Its time is measured by `cargo bench --bench patterns`; here: it ends, with no hit.
    let docs = set.find(&file);
    assert!(docs.iter().all(|d| d.hits.is_empty()));
}

/// Paragraph-level matching (what corpus mode names formula families with) finds, in each span, the
/// hits a one-paragraph document of that text gets, at the same offsets relative to the span.
#[test]
fn hits_in_paragraphs_match_one_paragraph_documents() {
    let set = PatternSet::default_set();
    let paragraphs = [
        "我们要抓攻坚、求突破，争一流、争第一、争唯一，全力做好下半年的各项工作。",
        "坚持全心全意为人民服务的根本宗旨，踏踏实实办好民生实事。",
        "产业是根本，项目是支撑，企业是主体。",
        "全年地区生产总值增长6.5%，一般公共预算收入增长8%。",
        "深入学习贯彻“两个确立”“两个维护”，推动“三抓三促”行动走深走实。",
    ];
    let joined = paragraphs.join("\n");
    let text = Text::from_string("batch", joined.as_str(), Encoding::Utf8);
    let mut spans = Vec::new();
    let mut at = 0;
    for p in &paragraphs {
        let n = p.chars().count();
        spans.push(tifa::text::Span::new(at, at + n));
        at += n + 1;
    }
    let batch = set.hits_in_paragraphs(&text, &spans);
    assert_eq!(batch.len(), paragraphs.len());
    let mut total = 0;
    for ((p, hits), span) in paragraphs.iter().zip(&batch).zip(&spans) {
        let file = speech(p);
        let alone = set.hits(&file, &file.outlines[0]);
        let shifted: Vec<(Family, usize, usize)> = hits
            .iter()
            .map(|h| (h.family, h.span.start - span.start, h.span.end - span.start))
            .collect();
        let expected: Vec<(Family, usize, usize)> = alone
            .iter()
            .map(|h| (h.family, h.span.start, h.span.end))
            .collect();
        assert_eq!(shifted, expected, "{p}");
        total += hits.len();
    }
    // Parallelism, frames (全心全意, 踏踏实实), a parallel definition and slogans: not a vacuous match.
    assert!(total >= 5, "{total} hits");
}

/// The members of the first hit of `family` in `s`.
fn members_of(s: &str, family: Family) -> Vec<String> {
    let hits = hit_list(s);
    hits.iter()
        .find(|h| h.0 == family)
        .map(|h| h.2.clone())
        .unwrap_or_else(|| panic!("no {} in {s}: {hits:?}", family.name()))
}

/// Asserts that no hit of `s` is of `family`.
fn assert_no_family(s: &str, family: Family) {
    let hits = hit_list(s);
    assert!(hits.iter().all(|h| h.0 != family), "{hits:?}");
}

#[test]
fn three_char_verb_object_slogans_are_parallel_without_a_shared_word() {
    // 三字格 lists of local reports share no char; their one-plus-two verb–object cut is the frame.
    assert_eq!(
        members_of(
            "要坚持拉清单、建台账、明责任、定时限，逐项推进。",
            Family::Parallelism
        ),
        ["拉清单", "建台账", "明责任", "定时限"]
    );
    assert_eq!(
        members_of("就集中精力促改革、调结构、添动力。", Family::Parallelism),
        ["促改革", "调结构", "添动力"]
    );
    // Pairs are couplets.
    assert_eq!(
        members_of("着力防风险、保稳定，守住底线。", Family::Antithesis),
        ["防风险", "保稳定"]
    );
    // A copula or a modal opens no verb–object phrase, and a run stops where a shared head begins.
    let hits = hit_list("精神，抓攻坚、求突破，争一流、争第一、争唯一，全力做好各项工作。");
    assert!(
        hits.iter()
            .any(|h| h.0 == Family::Parallelism && h.2 == ["争一流", "争第一", "争唯一"]),
        "{hits:?}"
    );
    // Noun compounds are no such phrase.
    assert_no_family("新建养老院、幼儿园、卫生院各一所。", Family::Parallelism);
}

#[test]
fn a_lead_in_leaves_the_first_member_unless_it_is_part_of_the_frame() {
    // `坚持` governs the list; `增加` is one of three verbs.
    assert_eq!(
        members_of(
            "坚持权利平等、机会平等、规则平等，落实支持政策。",
            Family::Parallelism
        ),
        ["权利平等", "机会平等", "规则平等"]
    );
    assert_eq!(
        members_of(
            "增加低收入者收入，调节过高收入，取缔非法收入。",
            Family::Parallelism
        ),
        ["增加低收入者收入", "调节过高收入", "取缔非法收入"]
    );
    assert_eq!(
        members_of(
            "一要全面提升大局意识、攻坚意识、担当意识。",
            Family::Parallelism
        ),
        ["大局意识", "攻坚意识", "担当意识"]
    );
}

#[test]
fn a_repeated_clause_leading_each_member_is_a_refrain() {
    assert_eq!(
        members_of(
            "抓项目，就是抓发展；抓项目，就是抓未来，全县上下要把项目建设摆在突出位置。",
            Family::Parallelism
        ),
        ["抓项目，就是抓发展", "抓项目，就是抓未来"]
    );
}

#[test]
fn short_couplets_tie_by_one_shared_inner_char() {
    // Three or four chars whose only shared char sits inside: the char is the frame, tags are noise.
    assert_eq!(
        members_of("做到言必信、行必果、违必究。", Family::Parallelism),
        ["言必信", "行必果", "违必究"]
    );
    assert_eq!(
        members_of("坚持正排时序、倒排工期。", Family::Antithesis),
        ["正排时序", "倒排工期"]
    );
    assert_eq!(
        members_of("人民军队打不倒、压不垮。", Family::Antithesis),
        ["打不倒", "压不垮"]
    );
    // A shared tail is a compound's, not a couplet's.
    assert_no_family("新建化肥厂、水泥厂。", Family::Antithesis);
}

#[test]
fn long_couplets_share_a_skeleton() {
    assert_eq!(
        members_of(
            "一个忘记来路的民族必定是没有出路的民族，一个忘记初心的政党必定是没有未来的政党。",
            Family::Antithesis
        ),
        [
            "一个忘记来路的民族必定是没有出路的民族",
            "一个忘记初心的政党必定是没有未来的政党"
        ]
    );
    assert_eq!(
        members_of(
            "对照目标，把短板补得再扎实一些，把基础打得再牢靠一些。",
            Family::Antithesis
        ),
        ["把短板补得再扎实一些", "把基础打得再牢靠一些"]
    );
    // Two narrative clauses about one subject share words, not a skeleton.
    assert_no_family(
        "成立土地管理委员会，严格土地管理和供应。",
        Family::Antithesis,
    );
}

#[test]
fn two_predicates_in_an_abac_frame_are_a_frame_two_nouns_are_not() {
    assert_eq!(
        members_of("培育自尊自信、理性平和的社会心态。", Family::Frame),
        ["自尊", "自信"]
    );
    for plain in ["推动农业农村发展。", "完善法律法规。", "照顾好一老一小。"]
    {
        let hits = hit_list(plain);
        assert!(
            hits.iter().all(|h| h.1 != "frame.word-abac"),
            "{plain}: {hits:?}"
        );
    }
}

#[test]
fn longer_clauses_chain_when_balanced() {
    assert_eq!(
        members_of(
            "加强海内外中华儿女大团结，团结一切可以团结的力量。",
            Family::Anadiplosis
        ),
        ["加强海内外中华儿女大团结", "团结一切可以团结的力量"]
    );
    // An unbalanced pair whose second clause only refers back is no chain.
    assert_no_family(
        "今天我们召开上半年工作总结会议，会议的主要任务是：深入贯彻落实会议精神。",
        Family::Anadiplosis,
    );
}

#[test]
fn one_figure_one_family_by_a_reason() {
    // Four-char members whose varying chars chain are a 顶真 inside a frame: anadiplosis, not frame.
    let s = "边学边研边查边改，以学促研、以研促查、以查促改。";
    assert_eq!(
        members_of(s, Family::Anadiplosis),
        ["以学促研", "以研促查", "以查促改"]
    );
    // Two compounds matched word by word (`大众|创业` / `万众|创新`) are a couplet, not a frame.
    let s = "要提供全方位创新创业服务，促进大众创业、万众创新上水平。";
    assert_eq!(members_of(s, Family::Antithesis), ["大众创业", "万众创新"]);
    assert_no_family(s, Family::Frame);
    // A pair over the members of a contrast is that contrast.
    let s = "保障和改善民生，既尽力而为，又量力而行。";
    assert_no_family(s, Family::Antithesis);
    members_of(s, Family::Contrast);
}

#[test]
fn pairs_are_found_by_their_aligned_cores() {
    // Lead-in `成为永远` and run-on `的马克思主义政党` are cut on word boundaries.
    assert_eq!(
        members_of(
            "才能够成为永远打不倒、压不垮的马克思主义政党。",
            Family::Antithesis
        ),
        ["打不倒", "压不垮"]
    );
    // What follows a `、` pair belongs to both members.
    assert_eq!(
        members_of(
            "要提供全方位创新创业服务，促进大众创业、万众创新上水平。",
            Family::Antithesis
        ),
        ["大众创业", "万众创新"]
    );
    // Mirrored units: equal length, the same word lengths, `不` in place.
    assert_eq!(
        members_of(
            "对查出的问题，整改不到位不松手、效果不明显不放手，确保取得实效。",
            Family::Antithesis
        ),
        ["整改不到位不松手", "效果不明显不放手"]
    );
    // Names, suffixed nouns and locatives stay lists.
    assert_no_family("做好2024年奥运会、残奥会备战参赛工作。", Family::Antithesis);
    assert_no_family("虽然在工作上、计划上暴露了若干错误。", Family::Antithesis);
    assert_no_family(
        "还签署了内地与香港、内地与澳门建立更紧密经贸关系的安排。",
        Family::Antithesis,
    );
}

#[test]
fn short_lists_and_lead_ins_keep_their_words() {
    // Two-char members sharing a tail, the last one cut from its clause.
    assert_eq!(
        members_of(
            "构建养老、孝老、敬老政策体系和社会环境。",
            Family::Parallelism
        ),
        ["养老", "孝老", "敬老"]
    );
    // A conjunction binds its neighbours: no member starts right after or at one (`激发和|保护…`,
    // `把学|和做…`).
    for s in [
        "激发和保护企业家精神，壮大企业家队伍，增强企业家信心，让民营企业尽显身手。",
        "把学和做结合起来、查和改贯通起来，边学边研边查边改。",
    ] {
        for h in hit_list(s) {
            assert!(
                h.2.iter()
                    .all(|m| !m.starts_with("保护") && !m.starts_with('和')),
                "{h:?}"
            );
        }
    }
    // `首先是…其次是…`: the copula belongs to the marker.
    assert_eq!(
        members_of(
            "在商业工作方面需要提起注意的，首先是必须保证对农村的生产资料的及时供应；其次是必须做好农产品的收购工作，",
            Family::Enumeration
        ),
        [
            "必须保证对农村的生产资料的及时供应",
            "必须做好农产品的收购工作"
        ]
    );
}
