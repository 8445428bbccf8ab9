//! Reuse detection: PAN-style benchmark on real texts, negatives, crafted edge cases and the CLI.

mod pan;

use pan::{Annotation, Obfuscation};
use tifa::reuse::{self, PassageClass, PassageKind, ReuseParams};
use tifa::text::Encoding;
use tifa::{Span, Text};

fn text(name: &str, s: &str) -> Text {
    Text::from_string(name, s, Encoding::Utf8)
}

#[test]
fn plagdet_matches_the_official_unit_values() {
    assert_eq!(pan::plagdet_score(1.0, 1.0, 1.0), 1.0);
    assert!((pan::plagdet_score(0.5, 1.0, 1.0) - 2.0 / 3.0).abs() < 1e-9);
    assert!((pan::plagdet_score(1.0, 1.0, 2.0) - 0.630_929_75).abs() < 1e-8);
    assert!((pan::plagdet_score(0.25, 0.75, 2.0) - 0.236_598_65).abs() < 1e-8);
    assert_eq!(pan::plagdet_score(0.0, 0.0, 1.0), 0.0);
    // One case split in two halves: full recall and precision, granularity 2.
    let s = [Annotation {
        pair: 0,
        susp: (0, 100),
        src: (0, 100),
    }];
    let r = [
        Annotation {
            pair: 0,
            susp: (0, 50),
            src: (0, 50),
        },
        Annotation {
            pair: 0,
            susp: (50, 100),
            src: (50, 100),
        },
    ];
    let (p, rec, g, _) = pan::measures(&s, &r);
    assert_eq!((p, rec, g), (1.0, 1.0, 2.0));
    // A detection in the wrong source region detects nothing.
    let r = [Annotation {
        pair: 0,
        susp: (0, 100),
        src: (200, 300),
    }];
    assert_eq!(pan::measures(&s, &r).1, 0.0);
}

fn run_cases(cases: &[pan::Case]) -> (Vec<Annotation>, Vec<Annotation>, Vec<Annotation>) {
    let params = ReuseParams::default();
    let mut gold = Vec::new();
    let mut dets = Vec::new();
    let mut distinctive = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let a = text(&c.source_name, &c.source);
        let b = text(&c.host_name, &c.suspicious);
        gold.push(Annotation {
            pair: i,
            susp: c.susp,
            src: c.src,
        });
        let report = reuse::compare_texts(&a, &b, None, &params);

        for p in report.all_passages() {
            let det = Annotation {
                pair: i,
                susp: (p.b.start, p.b.end),
                src: (p.a.start, p.a.end),
            };
            dets.push(det);
            if p.class == PassageClass::Distinctive {
                distinctive.push(det);
            }
        }
    }
    (gold, dets, distinctive)
}

#[test]
fn pan_obfuscations_reach_the_targets() {
    let shared = pan::shared_reports().is_some();
    if !shared {
        eprintln!("../shared not found: PAN benchmark runs on the seed speeches only");
    }
    let texts = pan::sources(shared);
    let n = if shared { 24 } else { 16 };
    eprintln!(
        "PAN-style benchmark: {n} cases per obfuscation from {} texts",
        texts.len()
    );
    // Detections are the distinctive passages: boilerplate passages are reported as stock formulas, not
    // as copying. The right-hand columns count every reported passage, natural formula sharing between
    // the host and the source included.
    eprintln!(
        "{:<20} {:>5} {:>9} {:>9} {:>6} {:>8}   {:>9} {:>9} {:>6} {:>8}",
        "obfuscation",
        "cases",
        "precision",
        "recall",
        "gran",
        "plagdet",
        "all:prec",
        "recall",
        "gran",
        "plagdet"
    );
    let mut failures = Vec::new();
    for obf in Obfuscation::ALL {
        let cases = pan::make_cases(&texts, obf, n, 20_260_401);
        assert_eq!(
            cases.len(),
            n,
            "generator built too few {} cases",
            obf.name()
        );
        let (gold, all, distinctive) = run_cases(&cases);
        let (p, r, g, pd) = pan::measures(&gold, &distinctive);
        let (ap, ar, ag, apd) = pan::measures(&gold, &all);
        eprintln!(
            "{:<20} {:>5} {:>9.4} {:>9.4} {:>6.3} {:>8.4}   {:>9.4} {:>9.4} {:>6.3} {:>8.4}",
            obf.name(),
            cases.len(),
            p,
            r,
            g,
            pd,
            ap,
            ar,
            ag,
            apd
        );
        if pd < obf.target() {
            failures.push(format!(
                "{}: plagdet {pd:.4} < {}",
                obf.name(),
                obf.target()
            ));
        }
    }
    assert!(failures.is_empty(), "below target: {failures:?}");
}

fn seed(prefix: &str) -> Text {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/speeches");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    Text::read(&path, None).unwrap()
}

#[test]
fn different_seed_speeches_share_no_distinctive_passage() {
    let seeds: Vec<Text> = ["000", "001", "002", "003", "004"].map(seed).into();
    let params = ReuseParams::default();
    let mut reported = 0;
    for i in 0..seeds.len() {
        for j in 0..seeds.len() {
            if i == j {
                continue;
            }
            let r = reuse::compare_texts(&seeds[i], &seeds[j], None, &params);
            for p in r.all_passages() {
                reported += 1;
                assert_eq!(
                    p.class,
                    PassageClass::Boilerplate,
                    "{} / {}: {:?} {}",
                    i,
                    j,
                    p,
                    seeds[j].slice(p.b)
                );
            }
            assert_eq!(r.scores.distinctive, 0.0);
        }
    }
    eprintln!("seed pairs: {reported} passages reported, all boilerplate");
}

#[test]
#[ignore = "needs ../shared corpus"]
fn work_reports_decades_apart_share_no_distinctive_passage() {
    let Some(dir) = pan::shared_reports() else {
        panic!(
            "work_reports_decades_apart_share_no_distinctive_passage needs \
             ../shared/corpus/cn-political-corpora/split (not found)"
        );
    };
    let params = ReuseParams::default();
    for (x, y) in [
        (1956, 2010),
        (1982, 2013),
        (1985, 2022),
        (1979, 2009),
        (1995, 2021),
    ] {
        let a = Text::read(dir.join(format!("gwr_{x}.txt")), None).unwrap();
        let b = Text::read(dir.join(format!("gwr_{y}.txt")), None).unwrap();
        let r = reuse::compare_texts(&a, &b, None, &params);
        let distinctive: Vec<&str> = r
            .all_passages()
            .into_iter()
            .filter(|p| p.class == PassageClass::Distinctive)
            .map(|p| b.slice(p.b))
            .collect();
        eprintln!(
            "gwr {x} / {y}: {} passages, {} distinctive",
            r.all_passages().len(),
            distinctive.len()
        );
        assert!(distinctive.is_empty(), "gwr {x} / {y}: {distinctive:?}");
    }
}

const PASSAGE: &str = "全市上半年净增建筑业纳统企业十二家，新增建筑业一级企业三家，完成建筑业产值一百二十亿元、同比增长百分之八。";

#[test]
fn verbatim_copy_has_exact_boundaries_in_both_texts() {
    let a_src = format!(
        "今天召开全市住房城乡建设工作会议，主要任务是总结工作。{PASSAGE}下半年要抓好项目调度。"
    );
    let b_src =
        format!("会议由分管副市长主持，各区县负责同志参加。{PASSAGE}同志们，任务艰巨，使命光荣。");
    let (a, b) = (text("a.txt", &a_src), text("b.txt", &b_src));
    let r = reuse::compare_texts(&a, &b, None, &ReuseParams::default());
    assert_eq!(r.passages.len(), 1, "{:?}", r.passages);
    let p = &r.passages[0];
    assert_eq!(a.slice(p.a), PASSAGE);
    assert_eq!(b.slice(p.b), PASSAGE);
    assert_eq!(p.kind, PassageKind::Verbatim);
    assert_eq!(p.similarity, 1.0);
    assert_eq!(p.class, PassageClass::Distinctive);
    assert!(r.scores.b_in_a > 0.5 && r.scores.b_in_a < 1.0);
}

#[test]
fn masks_match_names_and_numbers_both_ways() {
    // A mask at the very start of a passage is ambiguous (how many chars does it stand for?), so the
    // sentence starts with a shared word.
    let real = "今年，郑州市坚持项目为王，全年实施城建项目126个，完成投资85.6亿元，金水区、二七区争创全省样板。";
    let template =
        "今年，**市坚持项目为王，全年实施城建项目***个，完成投资**.*亿元，XX区、XX区争创全省样板。";
    for (x, y) in [(real, template), (template, real)] {
        let (a, b) = (text("a.txt", x), text("b.txt", y));
        let ps = reuse::find_passages(
            &a,
            Span::new(0, a.len_chars()),
            &b,
            Span::new(0, b.len_chars()),
            &ReuseParams::default(),
        );
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert_eq!(ps[0].kind, PassageKind::Template);
        // From the first name or mask to the final stop, in both texts.
        assert_eq!(ps[0].a, Span::new(0, a.len_chars()), "{}", a.slice(ps[0].a));
        assert_eq!(ps[0].b, Span::new(0, b.len_chars()), "{}", b.slice(ps[0].b));
    }
}

#[test]
fn synonyms_fillers_and_edits_stay_one_passage() {
    let a_src = "要加快推进城市更新，完善基础设施，提高服务水平，采取有力措施保障群众住房安全，推动房地产市场平稳健康发展。";
    let b_src = "今年以来，各项工作有序开展。要进一步加速推进城市更新，健全基础设施，切实提升服务水平，采取有力举措保障群众住房安全，推动房地产市场平稳健康发展。";
    let (a, b) = (text("a.txt", a_src), text("b.txt", b_src));
    let r = reuse::compare_texts(&a, &b, None, &ReuseParams::default());
    assert_eq!(r.passages.len(), 1, "{:?}", r.passages);
    let p = &r.passages[0];
    assert_eq!(a.slice(p.a), a_src);
    assert_eq!(b.slice(p.b), &b_src[b_src.find("要进一步").unwrap()..]);
    assert_eq!(p.kind, PassageKind::Edited);
    assert!(p.similarity > 0.7 && p.similarity < 1.0, "{}", p.similarity);
}

#[test]
fn reordered_sentences_are_one_reordered_passage() {
    let s1 = "全面推行工程建设项目审批制度改革，审批时限压缩到七十个工作日以内。";
    let s2 = "大力发展装配式建筑，新开工装配式建筑占比达到百分之三十。";
    let s3 = "扎实推进老旧小区改造，惠及居民两万三千户，群众满意度持续提升。";
    let a_src = format!("过去一年，我们主要做了以下工作。{s1}{s2}{s3}这些成绩来之不易。");
    let b_src = format!("下面我讲三点意见。{s3}{s1}{s2}请大家抓好落实。");
    let (a, b) = (text("a.txt", &a_src), text("b.txt", &b_src));
    let r = reuse::compare_texts(&a, &b, None, &ReuseParams::default());
    assert_eq!(r.passages.len(), 1, "{:?}", r.passages);
    let p = &r.passages[0];
    assert_eq!(p.kind, PassageKind::Reordered);
    assert_eq!(a.slice(p.a), format!("{s1}{s2}{s3}"));
    assert_eq!(b.slice(p.b), format!("{s3}{s1}{s2}"));
    assert!(p.similarity > 0.95, "{}", p.similarity);
}

#[test]
fn shared_strings_shorter_than_min_len_are_not_passages() {
    // 16 content chars in common.
    let a = text("a.txt", "我们要坚持以人民为中心的发展思想不动摇。");
    let b = text("b.txt", "会议强调，坚持以人民为中心的发展思想，办好实事。");
    let r = reuse::compare_texts(&a, &b, None, &ReuseParams::default());
    assert!(r.all_passages().is_empty(), "{:?}", r.all_passages());
    let short = ReuseParams {
        min_len: 10,
        ..ReuseParams::default()
    };
    let r = reuse::compare_texts(&a, &b, None, &short);
    // The phrase is a stock formula: listed apart from the distinctive passages.
    assert!(r.passages.is_empty(), "{:?}", r.passages);
    assert_eq!(r.boilerplate_passages.len(), 1);
    let p = &r.boilerplate_passages[0];
    assert_eq!(b.slice(p.b), "坚持以人民为中心的发展思想");
    assert_eq!(p.class, PassageClass::Boilerplate);
}

#[test]
fn corpus_document_frequency_decides_the_class() {
    let formula =
        "坚持房子是用来住的、不是用来炒的定位，因城施策用好政策工具箱，支持刚性和改善性住房需求。";
    let copied = "新区片区开发指挥部统筹土地收储与安置房建设，首批三千二百套安置房于十月交付使用。";
    let a = text(
        "a.txt",
        &format!(
            "一、房地产工作。{formula}上半年商品房销售面积同比下降，去化周期延长到二十个月，部分项目资金链紧张，需要分类处置、逐一化解。二、安置工作。{copied}"
        ),
    );
    let b = text(
        "b.txt",
        &format!(
            "会议要求，{formula}与会同志围绕城市更新和物业管理作了交流发言，提出了许多很好的意见建议，大家一致认为会议开得及时、开得必要。据介绍，{copied}"
        ),
    );
    let corpus_texts = [
        text("c1.txt", &format!("省里强调：{formula}全力保交楼。")),
        text("c2.txt", &format!("今年，{formula}稳定市场预期。")),
        text(
            "c3.txt",
            "全年新建改建农村公路一千二百公里，建成美丽乡村示范村四十个。",
        ),
        // A copy of B itself in the corpus folder does not count.
        b.clone(),
    ];
    let corpus = reuse::Corpus::from_texts(&corpus_texts);
    let r = reuse::compare_texts(&a, &b, Some(&corpus), &ReuseParams::default());
    assert_eq!(r.corpus_documents, Some(4));
    assert_eq!(r.all_passages().len(), 2, "{:?}", r.all_passages());
    let by_text = |s: &str| {
        r.all_passages()
            .into_iter()
            .find(|p| b.slice(p.b).contains(s))
            .unwrap()
    };
    let f = by_text("房子");
    assert_eq!((f.class, f.df), (PassageClass::Boilerplate, Some(2)));
    let c = by_text("安置房");
    assert_eq!((c.class, c.df), (PassageClass::Distinctive, Some(0)));
    assert!(r.scores.distinctive > 0.0 && r.scores.boilerplate > 0.0);
    // Without the corpus both are distinctive: the formula is not on the built-in list.
    let r = reuse::compare_texts(&a, &b, None, &ReuseParams::default());
    assert!(
        r.boilerplate_passages.is_empty(),
        "{:?}",
        r.boilerplate_passages
    );
    assert!(
        r.passages
            .iter()
            .all(|p| p.class == PassageClass::Distinctive && p.df.is_none())
    );
}

#[test]
fn find_passages_stays_inside_the_given_spans() {
    let a = seed("003");
    let b_src = format!("前言。{}后记。", a.slice(Span::new(1000, 1400)));
    let b = text("b.txt", &b_src);
    let a_span = Span::new(1100, 1300);
    let ps = reuse::find_passages(
        &a,
        a_span,
        &b,
        Span::new(0, b.len_chars()),
        &ReuseParams::default(),
    );
    assert!(!ps.is_empty());
    for p in &ps {
        assert!(
            p.a.start >= a_span.start && p.a.end <= a_span.end,
            "{:?}",
            p.a
        );
    }
    let total: usize = ps.iter().map(|p| p.a.len()).sum();
    assert!(total >= 180, "{ps:?}");
}

#[test]
fn degenerate_inputs_give_no_passages() {
    let params = ReuseParams::default();
    for (x, y) in [
        ("。。。", "，，，"),
        ("", "加强建设"),
        ("**", "XX"),
        (
            "的的的的的的的的的的的的的的的的的的的的的的的的",
            "的的的的的的的的的的的的的的的的的的的的的的",
        ),
    ] {
        let (a, b) = (text("a", x), text("b", y));
        let r = reuse::compare_texts(&a, &b, None, &params);
        assert!(
            r.all_passages()
                .iter()
                .all(|p| p.a.end <= a.len_chars() && p.b.end <= b.len_chars())
        );
        assert!(r.scores.a_in_b <= 1.0 && r.scores.b_in_a <= 1.0);
    }
    // Out-of-range spans are clamped, not a panic.
    let a = text("a", PASSAGE);
    assert!(
        reuse::find_passages(&a, Span::new(5, 500), &a, Span::new(900, 1000), &params).is_empty()
    );
}

mod cli {
    use std::process::Command;

    fn tifa() -> Command {
        Command::new(env!("CARGO_BIN_EXE_tifa"))
    }

    fn write(dir: &std::path::Path, name: &str, s: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, s).unwrap();
        p
    }

    #[test]
    fn json_report_and_fail_above_exit_code() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            dir.path(),
            "a.txt",
            &format!(
                "同志们：\n一、总结工作\n{}\n二、部署任务\n下半年要抓好项目调度，确保完成全年目标。\n",
                super::PASSAGE
            ),
        );
        let b = write(
            dir.path(),
            "b.txt",
            &format!(
                "会议由副市长主持。\n{}\n其他工作另行安排。\n",
                super::PASSAGE
            ),
        );
        let out = dir.path().join("r.json");
        let st = tifa()
            .args([
                "reuse",
                a.to_str().unwrap(),
                b.to_str().unwrap(),
                "--format",
                "json",
                "-o",
            ])
            .arg(&out)
            .args(["--fail-above", "0.3"])
            .status()
            .unwrap();
        assert_eq!(st.code(), Some(1));
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(v["passages"].as_array().unwrap().len(), 1);
        let p = &v["passages"][0];
        assert_eq!(p["kind"], "verbatim");
        assert_eq!(p["class"], "distinctive");
        assert!(p["df"].is_null());
        assert_eq!(p["a_section"].as_str().unwrap(), "一、总结工作");
        assert_eq!(p["a_line"], 3);
        assert_eq!(p["b_text"].as_str().unwrap(), super::PASSAGE);
        for k in ["a_in_b", "b_in_a", "distinctive", "boilerplate"] {
            assert!(v["scores"][k].is_number());
        }
        // Below the threshold: exit 0; html is a full page.
        let o = tifa()
            .args([
                "reuse",
                a.to_str().unwrap(),
                b.to_str().unwrap(),
                "--format",
                "html",
                "--fail-above",
                "0.99",
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0));
        let html = String::from_utf8(o.stdout).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<table>"));
    }

    #[test]
    fn bad_input_exits_2_without_output_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(dir.path(), "a.txt", super::PASSAGE);
        let out = dir.path().join("r.json");
        let o = tifa()
            .args(["reuse", a.to_str().unwrap(), "/nonexistent/b.txt", "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8(o.stderr).unwrap();
        assert!(err.starts_with("tifa: /nonexistent/b.txt:"), "{err}");
        assert!(!out.exists());
        let o = tifa()
            .args([
                "reuse",
                a.to_str().unwrap(),
                a.to_str().unwrap(),
                "--fail-above",
                "7",
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
    }

    #[test]
    fn corpus_folder_with_an_undecodable_file_warns_and_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        write(&corpus, "c1.txt", &format!("省里强调：{}", super::PASSAGE));
        // A .txt file that is not text: selected by its extension, then skipped with a warning.
        std::fs::write(corpus.join("bin.txt"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
        // Not a text extension: never read.
        std::fs::write(corpus.join("image.dat"), [0u8, 1, 2]).unwrap();
        let a = write(
            dir.path(),
            "a.txt",
            &format!("一、总结。{}", super::PASSAGE),
        );
        let b = write(
            dir.path(),
            "b.txt",
            &format!("会议指出，{}", super::PASSAGE),
        );
        let o = tifa()
            .args([
                "reuse",
                a.to_str().unwrap(),
                b.to_str().unwrap(),
                "--format",
                "json",
                "--corpus",
            ])
            .arg(&corpus)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0));
        let err = String::from_utf8(o.stderr).unwrap();
        assert!(
            err.contains("warning: skipped")
                && err.contains("bin.txt")
                && !err.contains("image.dat"),
            "{err}"
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["corpus_documents"], 1);
        assert_eq!(v["passages"][0]["df"], 1);
    }
}

/// Next year's report inserts a sentence between two that both years share (浙江 2024 → 2025): the
/// passage does not run over it, so each side covers only text the other has.
#[test]
fn a_passage_never_spans_a_sentence_the_other_side_lacks() {
    let first = "经济金融、房地产、安全生产等领域仍存在不少风险隐患，一些政府工作人员的服务意识、工作能力、创新思维和担当精神需要进一步增强。";
    let added = "明年是“十四五”规划收官之年，是高质量发展建设共同富裕示范区的关键之年。";
    let second = "总体要求是：坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神，完整准确全面贯彻新发展理念，加快构建新发展格局。";
    let a = text("a.txt", &format!("{first}\n{second}\n"));
    let b = text("b.txt", &format!("{first}\n{added}{second}\n"));
    let r = reuse::compare_texts(&a, &b, None, &ReuseParams::default());
    // The second sentence is stock (boilerplate), the first distinctive: both lists count.
    let all: Vec<&reuse::LocatedPassage> =
        r.passages.iter().chain(&r.boilerplate_passages).collect();
    let in_b: Vec<&str> = all.iter().map(|p| b.slice(p.b)).collect();
    assert_eq!(all.len(), 2, "{in_b:?}");
    assert!(in_b.iter().all(|s| !s.contains("收官之年")), "{in_b:?}");
    // The same two sentences swapped (a move inside the passage, not a sentence lacked) stay one.
    let c = text("c.txt", &format!("{second}{first}\n"));
    let d = text("d.txt", &format!("{first}{second}\n"));
    let r = reuse::compare_texts(&c, &d, None, &ReuseParams::default());
    assert_eq!(
        r.passages.len() + r.boilerplate_passages.len(),
        1,
        "{:?}",
        r.passages
    );
}
