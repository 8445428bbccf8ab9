//! Tests of `tifa::diff` and `tifa compare` on the sample speeches, perturbed copies of them, and (when
//! `../shared` is present) perturbed copies of government work reports.

#[path = "compare/pairs.rs"]
mod pairs;
#[path = "compare/perturb.rs"]
mod perturb;

use std::path::{Path, PathBuf};

use perturb::{Edits, perturb, read_copy, score};
use tifa::diff::{
    Alignment, CompareOptions, Correspondence, Granularity, Side, Status, Unit, align,
};
use tifa::text::{Encoding, Text};
use tifa::{Span, SpeechFile};

fn seed(name: &str) -> SpeechFile {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/speeches");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
        .unwrap();
    SpeechFile::read(path, None).unwrap()
}

fn seeds() -> Vec<SpeechFile> {
    ["000", "001", "002", "003", "004"]
        .iter()
        .map(|s| seed(s))
        .collect()
}

fn compare(a: &SpeechFile, b: &SpeechFile, granularity: Granularity) -> Alignment {
    align(
        Side::of(a, 0).unwrap(),
        Side::of(b, 0).unwrap(),
        &CompareOptions {
            granularity,
            ..CompareOptions::default()
        },
    )
}

fn row<'a>(
    al: &'a Alignment,
    a: Option<&[usize]>,
    b: Option<&[usize]>,
) -> Option<&'a Correspondence> {
    let mut found = None;
    al.walk(|c| {
        let pa = c.a.as_ref().map(|r| r.path.as_slice());
        let pb = c.b.as_ref().map(|r| r.path.as_slice());
        if found.is_none() && pa == a && pb == b {
            found = Some(c);
        }
    });
    found
}

#[test]
fn a_speech_against_itself_is_all_same() {
    for file in seeds() {
        for granularity in [Granularity::Char, Granularity::Word] {
            let al = compare(&file, &file, granularity);
            let mut rows = 0;
            al.walk(|c| {
                rows += 1;
                assert_eq!(c.status, Status::Same, "{}: {:?}", al.a.path, c.a);
                assert_eq!(c.a.as_ref().unwrap().path, c.b.as_ref().unwrap().path);
                assert_eq!(c.body_similarity, Some(1.0));
            });
            assert_eq!(rows, file.outlines[0].count(), "{}", al.a.path);
            assert_eq!(al.scores.outline, 1.0);
            assert_eq!(al.scores.text, 1.0);
            assert!(al.verdict.starts_with("Identical text"), "{}", al.verdict);
        }
    }
}

/// Seed 003 with parts 二 and 三 swapped, the heading of part 四 reworded, and under part 三 the
/// third point dropped, the second split in two and a point from seed 004 inserted first.
fn edited_003() -> (SpeechFile, SpeechFile) {
    let a = seed("003");
    let donor = seed("004");
    // 004's "二是通报表扬喜报连连。…" without its marker.
    let d = donor.outlines[0].get(&[1, 1]).unwrap();
    assert_eq!(d.heading, "通报表扬喜报连连");
    let inserted = donor
        .text
        .slice(Span::new(d.heading_span.start, d.span.end))
        .trim_end()
        .to_string();
    let edits = Edits {
        moves: Some((1, 2)),
        reword: vec![3],
        nested: Some((
            2,
            Box::new(Edits {
                drop: vec![2],
                split: Some(1),
                insert: Some((0, inserted)),
                ..Edits::default()
            }),
        )),
        ..Edits::default()
    };
    let p = perturb(&a, None, &edits).expect("edits apply to seed 003");
    let b = read_copy(&p).expect("the copy outlines as expected");
    (a, b)
}

#[test]
fn an_edited_copy_shows_each_edit_with_its_status() {
    let (a, b) = edited_003();
    for granularity in [Granularity::Char, Granularity::Word] {
        let al = compare(&a, &b, granularity);
        assert_eq!(al.unit, Unit::Section);
        // Part 一 is untouched.
        assert_eq!(
            row(&al, Some(&[0]), Some(&[0])).unwrap().status,
            Status::Same
        );
        assert_eq!(
            row(&al, Some(&[0, 2]), Some(&[0, 2])).unwrap().status,
            Status::Same
        );
        // Parts 二 and 三 swapped: both pairs found, one of them marked moved.
        let p2 = row(&al, Some(&[1]), Some(&[2])).expect("part 二 found at B's third place");
        let p3 = row(&al, Some(&[2]), Some(&[1])).expect("part 三 found at B's second place");
        assert!(
            (p2.status == Status::Moved) ^ (p3.status == Status::Moved),
            "{:?} {:?}",
            p2.status,
            p3.status
        );
        // Part 四 reworded: same body, heading changed, inline diff present.
        let p4 = row(&al, Some(&[3]), Some(&[3])).unwrap();
        assert_eq!(p4.status, Status::Reworded);
        assert!(p4.heading_similarity.unwrap() < 1.0);
        assert!(p4.body_similarity.unwrap() > 0.95);
        assert!(
            p4.heading_diff
                .iter()
                .any(|d| d.op == tifa::diff::DiffOp::Insert)
        );
        // Under part 三 (B's part 二): inserted point, split point, dropped point.
        assert_eq!(row(&al, None, Some(&[1, 0])).unwrap().status, Status::OnlyB);
        assert_eq!(
            row(&al, Some(&[2, 0]), Some(&[1, 1])).unwrap().status,
            Status::Same
        );
        assert_eq!(
            row(&al, Some(&[2, 1]), Some(&[1, 2])).unwrap().status,
            Status::Split
        );
        assert_eq!(
            row(&al, Some(&[2, 1]), Some(&[1, 3])).unwrap().status,
            Status::Split
        );
        assert_eq!(row(&al, Some(&[2, 2]), None).unwrap().status, Status::OnlyA);
        assert!(
            al.scores.text > 0.9 && al.scores.text < 1.0,
            "{:?}",
            al.scores
        );
        assert!(
            al.scores.outline > 0.8 && al.scores.outline < 1.0,
            "{:?}",
            al.scores
        );
    }
}

#[test]
fn reversed_comparison_turns_a_split_into_a_merge() {
    let (a, b) = edited_003();
    let al = compare(&b, &a, Granularity::Char);
    assert_eq!(
        row(&al, Some(&[1, 2]), Some(&[2, 1])).unwrap().status,
        Status::Merged
    );
    assert_eq!(
        row(&al, Some(&[1, 3]), Some(&[2, 1])).unwrap().status,
        Status::Merged
    );
    assert_eq!(row(&al, Some(&[1, 0]), None).unwrap().status, Status::OnlyA);
    assert_eq!(row(&al, None, Some(&[2, 2])).unwrap().status, Status::OnlyB);
}

#[test]
fn seed_001_against_seed_004_reads_as_two_different_speeches() {
    // Both are mid-year speeches of housing bureaus, but of different places (001 speaks of 我县 and
    // has four parts; 004 is 济宁's city bureau with three parts) and share no passages: what they have in
    // common is vocabulary (争先进位, 攻坚三季度、决胜下半年), not text.
    let a = seed("001");
    let b = seed("004");
    let al = compare(&a, &b, Granularity::Char);
    assert_eq!(al.unit, Unit::Section);
    assert_eq!(
        al.b.title.as_deref(),
        Some("在市住房城乡建设局2022年上半年工作总结暨攻坚三季度决胜下半年动员会议上的讲话")
    );
    assert!(al.scores.text < 0.05, "{:?}", al.scores);
    assert!(al.verdict.starts_with("Different texts"), "{}", al.verdict);
    let top_a: Vec<&Correspondence> = al.alignment.iter().filter(|c| c.a.is_some()).collect();
    assert_eq!(top_a.len(), 4);
    assert!(top_a.iter().all(|c| c.status == Status::OnlyA));
    assert_eq!(
        top_a[2].a.as_ref().unwrap().heading,
        "紧盯重点、攻坚克难，全速推进重点项目建设"
    );
    assert_eq!(
        top_a[2].children.len(),
        2,
        "the 一是/二是 under part 三 are listed with it"
    );
    let top_b: Vec<&Correspondence> = al.alignment.iter().filter(|c| c.b.is_some()).collect();
    assert_eq!(top_b.len(), 3);
    assert!(top_b.iter().all(|c| c.status == Status::OnlyB));
    // A-only rows come first (A's order), then B's in B's order.
    assert_eq!(al.alignment[4].b.as_ref().unwrap().path, vec![0]);
    assert_eq!(al.counts.only_a, 6);
    assert_eq!(al.counts.only_b, 31);
}

#[test]
fn a_document_without_headings_aligns_paragraph_by_paragraph() {
    let a = seed("001");
    // Drop the heading sentences of the four parts (`一、提振信心、…争先进位。`) and the 一是/二是
    // markers: the copy is a run of plain paragraphs.
    let plain: String = a
        .text
        .as_str()
        .lines()
        .map(|l| {
            let l = if ["一、", "二、", "三、", "四、"]
                .iter()
                .any(|m| l.starts_with(m))
            {
                &l[l.find('。').unwrap() + '。'.len_utf8()..]
            } else {
                l
            };
            l.replace("一是", "").replace("二是", "")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let b = SpeechFile::from_text(Text::from_string("plain.txt", plain, Encoding::Utf8));
    assert!(
        b.outlines[0].sections.is_empty(),
        "precondition: no headings found"
    );
    let al = compare(&b, &a, Granularity::Char);
    assert_eq!(al.unit, Unit::Paragraph);
    let paragraphs = b.segments.paragraphs_in(b.outlines[0].document.body).len();
    assert_eq!(paragraphs, 6);
    assert_eq!(al.alignment.len(), paragraphs);
    for (i, c) in al.alignment.iter().enumerate() {
        assert_eq!(c.a.as_ref().unwrap().path, vec![i]);
        assert_eq!(c.b.as_ref().unwrap().path, vec![i]);
        assert_eq!(c.status, Status::Same, "{i}: {:?}", c.body_similarity);
        assert!(c.heading_similarity.is_none());
    }
    // Paragraph 2 of the original starts with the heading the copy lacks.
    assert!(
        al.alignment[1]
            .b
            .as_ref()
            .unwrap()
            .excerpt
            .starts_with("一、提振信心")
    );
    assert_eq!(al.scores.text_a, 1.0, "{:?}", al.scores);
    assert!(
        al.scores.text_b > 0.9 && al.scores.text_b < 1.0,
        "{:?}",
        al.scores
    );
}

/// Deterministic pseudo-random numbers (xorshift), so the perturbations are the same on every run.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Random edits for a list of `n` siblings: one move, one reworded heading, one drop, one insert and one
/// split (of a leaf with enough sentences), each on a different section.
fn random_edits(
    rng: &mut Rng,
    list: &[tifa::outline::Section],
    segs: &tifa::segment::Segments,
    donor: String,
) -> Edits {
    let n = list.len();
    let mut idx: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        idx.swap(i, rng.below(i + 1));
    }
    let leaf_ok = |i: usize| {
        let s = &list[i];
        s.children.is_empty()
            && segs
                .sentences_in(Span::new(s.heading_span.end, s.span.end))
                .iter()
                .filter(|x| x.start > s.heading_span.end)
                .count()
                >= 4
    };
    let split = idx.iter().copied().find(|&i| leaf_ok(i));
    let rest: Vec<usize> = idx.into_iter().filter(|&i| Some(i) != split).collect();
    let (mv, rw, dr) = (rest[0], rest[1], rest[2]);
    let remaining = n - 1;
    Edits {
        moves: Some((mv, rng.below(remaining))),
        reword: vec![rw],
        drop: vec![dr],
        insert: Some((rng.below(remaining + 1), donor)),
        split,
        nested: None,
    }
}

/// Sibling lists worth perturbing: at least four sections, all with markers at their starts.
fn lists(file: &SpeechFile) -> Vec<Option<Vec<usize>>> {
    let o = &file.outlines[0];
    let ok = |l: &[tifa::outline::Section]| l.len() >= 4 && l.iter().all(|s| !s.marker.is_empty());
    let mut out = Vec::new();
    if ok(&o.sections) {
        out.push(None);
    }
    o.walk(|path, s| {
        if ok(&s.children) && out.len() < 4 {
            out.push(Some(path.to_vec()));
        }
    });
    out
}

fn donor_text(file: &SpeechFile, rng: &mut Rng) -> String {
    let mut cands = Vec::new();
    file.outlines[0].walk(|_, s| {
        if s.children.is_empty() && s.span.len() > 120 && s.span.len() < 1500 {
            cands.push(s);
        }
    });
    let s = cands[rng.below(cands.len())];
    file.text
        .slice(Span::new(s.heading_span.start, s.span.end))
        .trim_end()
        .to_string()
}

/// Runs perturbations on `files` with inserted sections taken from `donors` (never from the file itself
/// when the two lists are the same); returns (right, total, cases, skipped).
fn perturbation_run(
    files: &[SpeechFile],
    donors: &[SpeechFile],
    granularity: Granularity,
) -> (usize, usize, usize, usize) {
    let (mut right, mut total, mut cases, mut skipped) = (0, 0, 0, 0);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for file in files {
        for parent in lists(file) {
            let o = &file.outlines[0];
            let list = perturb::list_at(o, parent.as_deref()).unwrap();
            let mut d = rng.below(donors.len());
            if std::ptr::eq(&donors[d], file) {
                d = (d + 1) % donors.len();
            }
            let donor = donor_text(&donors[d], &mut rng);
            let edits = random_edits(&mut rng, list, &file.segments, donor);
            let Some(p) = perturb(file, parent.as_deref(), &edits) else {
                skipped += 1;
                continue;
            };
            let Some(copy) = read_copy(&p) else {
                skipped += 1;
                continue;
            };
            let al = compare(file, &copy, granularity);
            let (r, t) = score(&al, &p.truth);
            if r < t {
                eprintln!(
                    "  {} under {:?}: {r}/{t} right",
                    file.text.path().display(),
                    parent
                );
                // TIFA_DEBUG_PERTURB=DIR keeps the failing copies, to compare them by hand.
                if let Ok(dir) = std::env::var("TIFA_DEBUG_PERTURB") {
                    std::fs::write(format!("{dir}/copy-{cases}.txt"), &p.text).unwrap();
                    eprintln!("    copy written: {dir}/copy-{cases}.txt");
                }
            }
            right += r;
            total += t;
            cases += 1;
        }
    }
    (right, total, cases, skipped)
}

#[test]
fn perturbed_seed_speeches_align_correctly() {
    let files = seeds();
    for granularity in [Granularity::Char, Granularity::Word] {
        let (right, total, cases, skipped) = perturbation_run(&files, &files, granularity);
        let share = right as f64 / total as f64;
        eprintln!(
            "perturbed seeds ({granularity:?}): {right}/{total} correspondences right ({:.1}%) in {cases} cases, {skipped} skipped",
            share * 100.0
        );
        assert!(cases >= 4, "too few perturbation cases ({cases})");
        assert!(share >= 0.95, "{right}/{total}");
    }
}

fn shared() -> Option<PathBuf> {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/cn-political-corpora/split");
    p.is_dir().then_some(p)
}

#[test]
#[ignore = "needs ../shared corpus"]
fn perturbed_government_work_reports_align_correctly() {
    let Some(dir) = shared() else {
        panic!(
            "perturbed_government_work_reports_align_correctly needs ../shared/corpus/cn-political-corpora/split (not found)"
        );
    };
    let mut files: Vec<SpeechFile> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("gwr_"))
        .map(|p| SpeechFile::read(p, None).unwrap())
        .collect();
    files.sort_by_key(|f| f.text.path().to_path_buf());
    // Donor sections come from the seed speeches (municipal housing bureaus), so an inserted section
    // is new text, not a paraphrase of a section of another year's report.
    let donors = seeds();
    let (right, total, cases, skipped) = perturbation_run(&files, &donors, Granularity::Char);
    let share = right as f64 / total as f64;
    eprintln!(
        "perturbed government work reports: {right}/{total} correspondences right ({:.1}%) in {cases} cases, {skipped} skipped",
        share * 100.0
    );
    assert!(share >= 0.95, "{right}/{total}");
}

#[test]
#[ignore = "needs ../shared corpus"]
fn consecutive_government_work_reports_align_by_topic() {
    let Some(dir) = shared() else {
        panic!(
            "consecutive_government_work_reports_align_by_topic needs ../shared/corpus/cn-political-corpora/split (not found)"
        );
    };
    let a = SpeechFile::read(dir.join("gwr_2018.txt"), None).unwrap();
    let b = SpeechFile::read(dir.join("gwr_2019.txt"), None).unwrap();
    let al = compare(&a, &b, Granularity::Char);
    eprintln!("gwr 2018 vs 2019: {:?}; {}", al.scores, al.verdict);
    // Rewritten every year, about a fifth of the wording carried over.
    assert!(
        al.scores.text > 0.15 && al.scores.text < 0.35,
        "{:?}",
        al.scores
    );
    // 一、过去五年工作回顾 ↔ 一、2018年工作回顾; 二、…总体要求和政策取向 ↔ 二、…; 三、对2018年政府工作的建议 ↔ 三、2019年政府工作任务.
    for k in 0..3 {
        assert_eq!(
            row(&al, Some(&[k]), Some(&[k])).unwrap().status,
            Status::Rewritten
        );
    }
    // （六）扎实推进区域协调发展战略 ↔ （六）促进区域协调发展，提高新型城镇化质量.
    let region = row(&al, Some(&[2, 5]), Some(&[2, 5])).expect("regional development pair");
    assert!(
        region
            .b
            .as_ref()
            .unwrap()
            .heading
            .starts_with("促进区域协调发展")
    );
    // （八）推动形成全面开放新格局 ↔ （九）推动全方位对外开放…, and below it the one point whose heading
    // stayed word for word: 促进贸易和投资自由化便利化.
    assert!(row(&al, Some(&[2, 7]), Some(&[2, 8])).is_some());
    let trade = row(&al, Some(&[2, 7, 3]), Some(&[2, 8, 3])).unwrap();
    assert_eq!(
        trade.a.as_ref().unwrap().heading,
        "促进贸易和投资自由化便利化"
    );
    assert_eq!(trade.heading_similarity, Some(1.0));
    assert_eq!(trade.status, Status::Rewritten);
}

fn tifa() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_tifa"))
}

fn seed_path(name: &str) -> PathBuf {
    seed(name).text.path().to_path_buf()
}

#[test]
fn cli_json_has_the_documented_shape() {
    let out = tifa()
        .args(["compare", "--format", "json"])
        .arg(seed_path("003"))
        .arg(seed_path("003"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scores"]["text"], 1.0);
    assert_eq!(v["scores"]["outline"], 1.0);
    assert!(v["a"]["path"].as_str().unwrap().ends_with(".txt"));
    assert_eq!(v["b"]["title"], "市住建局局长在年终总结表彰大会上的讲话");
    let first = &v["alignment"][0];
    assert_eq!(first["status"], "same");
    assert_eq!(first["a"]["path"], serde_json::json!([0]));
    assert_eq!(first["a"]["marker"], "一、");
    assert_eq!(first["a"]["span"], serde_json::json!([2081, 3306]));
    assert_eq!(first["heading_similarity"], 1.0);
    assert_eq!(first["children"][1]["b"]["path"], serde_json::json!([0, 1]));
    assert!(first["heading_diff"].as_array().unwrap().is_empty());
}

#[test]
fn cli_fail_below_and_errors() {
    let same = tifa()
        .args(["compare", "--fail-below", "0.95"])
        .arg(seed_path("003"))
        .arg(seed_path("003"))
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));
    let changed = tifa()
        .args(["compare", "--fail-below", "0.95", "--color", "never"])
        .arg(seed_path("001"))
        .arg(seed_path("004"))
        .output()
        .unwrap();
    assert_eq!(changed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&changed.stdout).contains("only_a"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let missing = tifa()
        .args(["compare", "-o"])
        .arg(&out)
        .arg(seed_path("003"))
        .arg("does/not/exist.txt")
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(err.starts_with("tifa: does/not/exist.txt:"), "{err}");
    assert_eq!(err.lines().count(), 1);
    assert!(!out.exists());
    let bad_doc = tifa()
        .args(["compare", "--doc-b", "3"])
        .arg(seed_path("003"))
        .arg(seed_path("003"))
        .output()
        .unwrap();
    assert_eq!(bad_doc.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_doc.stderr).contains("has 1 document(s)"));
}

#[test]
fn cli_html_is_self_contained_and_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a<b>.txt");
    std::fs::write(
        &a,
        "一、加强<script>领导。全面从严治党，落实主体责任。\n二、推动发展。稳住经济大盘。\n",
    )
    .unwrap();
    let out = tifa()
        .args(["compare", "--format", "html"])
        .arg(&a)
        .arg(seed_path("001"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>"));
    assert!(!html.contains("<script"));
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("<link"));
    assert!(html.contains("提振信心、找准差距，切实推进落后指标争先进位"));
}

/// `tifa compare` lists the reuse stage's passages on the rows where they fall: the constructed draft of
/// seed 003 against the published text shows each kept part as reused, the swapped parts on their moved
/// rows, and nothing on the part that only the draft has.
#[test]
fn compare_places_reused_passages_on_their_rows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let draft = tifa::prepared::PreparedDoc::read(root.join("examples/drafts/003_draft.txt"), None)
        .unwrap()
        .remove(0);
    let published = tifa::prepared::PreparedDoc::read(
        root.join("examples/speeches/003_56fb9e0156cb07c5.txt"),
        None,
    )
    .unwrap()
    .remove(0);
    let report =
        tifa::compare::compare(&draft, &published, &tifa::compare::CompareParams::default());
    let reuse = &report.reuse;
    assert!(reuse.passages >= 4, "{reuse:?}");
    assert_eq!(reuse.boilerplate, 0);
    let al = &report.alignment;
    let moved_at = al
        .alignment
        .iter()
        .position(|c| c.status == Status::Moved)
        .unwrap();
    let moved = &al.alignment[moved_at];
    let placed = report
        .passages
        .iter()
        .find(|p| p.row.as_ref().is_some_and(|r| r[0] == moved_at))
        .expect("a passage on the moved row");
    let p = &placed.passage;
    assert!(moved.a.as_ref().unwrap().span.contains(p.a.start));
    assert!(moved.b.as_ref().unwrap().span.contains(p.b.start));
    assert!(p.similarity > 0.95);
    let only_a_at = al
        .alignment
        .iter()
        .position(|c| c.status == Status::OnlyA)
        .unwrap();
    let only_a = &al.alignment[only_a_at];
    assert!(
        !report
            .passages
            .iter()
            .any(|p| p.row.as_ref().is_some_and(|r| r[0] == only_a_at))
    );
    assert!(
        only_a
            .a
            .as_ref()
            .unwrap()
            .heading
            .starts_with("守牢安全底线")
    );
}

/// The JSON of `tifa compare` carries both speeches' pattern figures and the reuse summary.
#[test]
fn compare_json_has_pattern_figures_and_reuse() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tifa"))
        .args(["compare", "--format", "json"])
        .arg(root.join("examples/drafts/003_draft.txt"))
        .arg(root.join("examples/speeches/003_56fb9e0156cb07c5.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (a, b) = (&json["patterns"]["a"], &json["patterns"]["b"]);
    assert!(a["hits"].as_u64().unwrap() > 10 && b["hits"].as_u64().unwrap() > 10);
    assert!(
        b["by_family"]["numbered-slogan"].as_u64().unwrap() >= 1,
        "两个确立 is in 003"
    );
    assert!(json["reuse"]["distinctive"].as_u64().unwrap() >= 4);
    let moved = json["alignment"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r["status"] == "moved")
        .unwrap();
    let on_moved = json["passages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["row"][0] == moved)
        .unwrap();
    assert_eq!(on_moved["class"], "distinctive");
}

fn corpus_root() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        p.join("cn-political-corpora/split").is_dir() && p.join("local-reports/txt").is_dir(),
        "../shared/corpus (national and local government work reports) not found"
    );
    p
}

/// The real-pair gold: section correspondences decided by reading the bodies of report pairs.
/// Prints the figures of the DEV pairs (used for tuning) and of the HELD, HELD2, HELD3 and HELD4 pairs
/// (other localities; see `tests/compare/pair_gold.json` for how each set was kept apart). The misses
/// are printed for the splits named in `TIFA_PAIR_MISSES` (comma-separated; `dev` when unset), so that
/// the held-out ones are measured without being read.
#[test]
#[ignore = "needs ../shared corpus"]
fn real_pairs_match_the_gold_correspondences() {
    let root = corpus_root();
    let shown = std::env::var("TIFA_PAIR_MISSES").unwrap_or_else(|_| "dev".into());
    let shown: Vec<&str> = shown.split(',').map(str::trim).collect();
    let mut by_split: std::collections::BTreeMap<String, pairs::Figures> = Default::default();
    for g in pairs::load() {
        let fa = SpeechFile::read(root.join(&g.a), None).unwrap();
        let fb = SpeechFile::read(root.join(&g.b), None).unwrap();
        let al = compare(&fa, &fb, Granularity::Char);
        let f = pairs::score(&g, &fa, &fb, &al, shown.contains(&g.split.as_str()));
        eprintln!("{} [{}]: {}", g.id, g.split, f.line());
        by_split.entry(g.split.clone()).or_default().add(&f);
    }
    for (split, f) in &by_split {
        eprintln!("{split}: {}", f.line());
    }
    // Regression locks at the measured share of gold sections with exactly their gold partners.
    for (split, lock) in REAL_PAIR_LOCKS {
        let f = by_split[*split];
        assert!(f.right() >= *lock, "{split}: {}", f.line());
    }
}

/// What the pairing achieves per gold split (sections right), locked a little under the measured
/// figure; raised as it improves.
const REAL_PAIR_LOCKS: &[(&str, f64)] = &[
    ("dev", 0.89),
    ("held", 0.89),
    ("held2", 0.78),
    ("held3", 0.89),
    ("held4", 0.84),
    ("held5", 0.86),
];

fn named<'a>(al: &'a Alignment, a: &str, b: &str) -> Option<&'a Correspondence> {
    let mut found = None;
    al.walk(|c| {
        if let (Some(x), Some(y)) = (&c.a, &c.b)
            && found.is_none()
            && format!("{}{}", x.marker, x.heading).starts_with(a)
            && format!("{}{}", y.marker, y.heading).starts_with(b)
        {
            found = Some(c);
        }
    });
    found
}

/// Zhejiang's 2018 review numbers the year's points `（一）…（三）` and then, again from `（一）`, the
/// five years' points: the five-year series does not merge into 2019's one-year points, which answer
/// the year's series only.
#[test]
#[ignore = "needs ../shared corpus"]
fn a_second_numbered_series_stays_out_of_the_first_series_groups() {
    let dir = corpus_root().join("local-reports/txt");
    let a = SpeechFile::read(dir.join("省自治区-浙江省-2018.txt"), None).unwrap();
    let b = SpeechFile::read(dir.join("省自治区-浙江省-2019.txt"), None).unwrap();
    let al = compare(&a, &b, Granularity::Char);
    let mut with_transition = Vec::new();
    al.walk(|c| {
        if let (Some(x), Some(y)) = (&c.a, &c.b)
            && y.heading.starts_with("着力强创新促转型")
        {
            with_transition.push(x.heading.clone());
        }
    });
    assert_eq!(with_transition, ["着力抓转型促升级"]);
}

/// The pairs a reader of gwr_2023 against gwr_2024 expects, though headings and bodies were rewritten
/// and one side numbers `（一）` where the other says `一是`.
#[test]
#[ignore = "needs ../shared corpus"]
fn gwr_2023_and_2024_pair_rewritten_sections_by_topic() {
    let dir = corpus_root().join("cn-political-corpora/split");
    let a = SpeechFile::read(dir.join("gwr_2023.txt"), None).unwrap();
    let b = SpeechFile::read(dir.join("gwr_2024.txt"), None).unwrap();
    let al = compare(&a, &b, Granularity::Char);
    let risk = named(
        &al,
        "（五）有效防范化解重大经济金融风险",
        "（六）更好统筹发展和安全，有效防范化解重点领域风险",
    )
    .expect("risk sections paired");
    assert!(
        risk.evidence.iter().any(|t| t.contains("风险")),
        "{:?}",
        risk.evidence
    );
    assert!(risk.confidence.unwrap() > 0.0);
    let macro_ = named(
        &al,
        "（一）创新宏观调控，保持经济运行在合理区间",
        "一是加大宏观调控力度",
    )
    .expect("macro-control sections paired across levels");
    assert!(
        macro_.evidence.iter().any(|t| t == "宏观调控"),
        "{:?}",
        macro_.evidence
    );
}

#[test]
#[ignore = "needs ../shared corpus"]
fn gwr_2018_and_2019_keep_supply_side_reform() {
    let dir = corpus_root().join("cn-political-corpora/split");
    let a = SpeechFile::read(dir.join("gwr_2018.txt"), None).unwrap();
    let b = SpeechFile::read(dir.join("gwr_2019.txt"), None).unwrap();
    let al = compare(&a, &b, Granularity::Char);
    let pair = named(
        &al,
        "（二）坚持以供给侧结构性改革为主线",
        "三是深化供给侧结构性改革",
    )
    .expect("supply-side reform paired");
    assert!(
        pair.evidence.iter().any(|t| t.contains("供给")),
        "{:?}",
        pair.evidence
    );
}

/// The alignment of two local reports of `../shared` (file names in `local-reports/txt`).
fn local_pair(a: &str, b: &str) -> Alignment {
    let dir = corpus_root().join("local-reports/txt");
    let a = SpeechFile::read(dir.join(a), None).unwrap();
    let b = SpeechFile::read(dir.join(b), None).unwrap();
    compare(&a, &b, Granularity::Char)
}

/// A point grown into a part: 武汉 2025 gives culture a task part of its own (`（九）…文化…`), made of
/// what 2024 said in one point (`提升城市文化软实力`) of its livelihood part. The new part is paired
/// with that part, with the shared key terms as evidence, not left `only_b`.
#[test]
#[ignore = "needs ../shared corpus"]
fn wuhan_2024_and_2025_pair_a_part_grown_out_of_a_point() {
    let al = local_pair("主要城市-武汉市-2024.txt", "主要城市-武汉市-2025.txt");
    let culture = named(
        &al,
        "（九）奋力推动民生事业持续进步",
        "（九）在加强文化资源保护和推动文化创新发展上担当使命",
    )
    .expect("culture part paired with the livelihood part");
    assert_eq!(culture.status, Status::Split, "{culture:?}");
    assert!(
        culture.evidence.iter().any(|t| t.contains("文化")),
        "{:?}",
        culture.evidence
    );
    // The livelihood parts themselves still correspond.
    assert!(
        named(
            &al,
            "（九）奋力推动民生事业持续进步",
            "（十）在保障和改善民生上用心用情"
        )
        .is_some()
    );
}

/// One point of a part against the part grown out of it elsewhere: 福州 2024 regroups its tasks, the
/// industry of 2023's `（二）聚焦实体经济，建设现代化产业体系` going to `（一）…加快推进新型工业化`, while
/// the new rural part `（五）致力乡村全面振兴…` shares with it only the point `发展特色现代农业`. The
/// industry parts are paired; the rural part is not paired with the industry part.
#[test]
#[ignore = "needs ../shared corpus"]
fn fuzhou_2023_and_2024_pair_the_industry_parts_not_a_point_and_a_part() {
    let al = local_pair("主要城市-福州市-2023.txt", "主要城市-福州市-2024.txt");
    assert!(named(&al, "（二）聚焦实体经济", "（一）致力科技创新引领").is_some());
    assert!(named(&al, "（二）聚焦实体经济", "（五）致力乡村全面振兴").is_none());
    // The city's name stands in a tenth of the sentences: it is no key term of a pair.
    let mut rows = 0;
    let mut with_name = 0;
    al.walk(|c| {
        if !c.evidence.is_empty() {
            rows += 1;
            with_name += usize::from(c.evidence.iter().any(|t| t == "福州"));
        }
    });
    assert!(with_name * 10 <= rows, "{with_name} of {rows} rows");
}

/// A province and its capital: the names of the locality and its scope words (`内蒙古`, `呼和浩特`,
/// `全区`, `全市`, `首府`), unseen in the national reports the idf table comes from, stand in every
/// part of both reports and are listed as no pair's key terms.
#[test]
#[ignore = "needs ../shared corpus"]
fn locality_names_are_no_key_terms() {
    let al = local_pair(
        "省自治区-内蒙古自治区-2024.txt",
        "主要城市-呼和浩特市-2024.txt",
    );
    let mut rows = 0;
    al.walk(|c| {
        rows += usize::from(!c.evidence.is_empty());
        for t in &c.evidence {
            assert!(
                !["内蒙古", "呼和浩特", "全区", "全市", "首府"].contains(&t.as_str()),
                "{t} in {:?}",
                c.a.as_ref().map(|x| &x.heading)
            );
        }
    });
    assert!(rows > 10, "{rows}");
}

/// Two flattened copies of one speech (one long line each, the copy with a title line in front):
/// the verdict quotes the paragraphs it aligned, never "0 of 0".
#[test]
#[ignore = "needs ../shared corpus"]
fn flattened_copies_get_a_verdict_consistent_with_their_numbers() {
    let dir = corpus_root().join("xi-speeches-2020");
    let a = SpeechFile::read(dir.join("2020-09-09.txt"), None).unwrap();
    let b = SpeechFile::read(dir.join("2020-10-15.txt"), None).unwrap();
    let al = compare(&a, &b, Granularity::Char);
    assert_eq!(al.unit, Unit::Paragraph);
    assert!(al.scores.text > 0.95, "{:?}", al.scores);
    assert!(!al.alignment.is_empty());
    assert!(!al.verdict.contains("0 of 0"), "{}", al.verdict);
    let units_a = al.alignment.iter().filter(|r| r.a.is_some()).count();
    let matched = al
        .alignment
        .iter()
        .filter(|r| r.a.is_some() && r.b.is_some())
        .count();
    assert!(matched > 0);
    assert!(
        al.verdict
            .contains(&format!("{matched} of {units_a} paragraphs")),
        "{}",
        al.verdict
    );
    assert!(
        al.verdict.starts_with("Nearly the same text"),
        "{}",
        al.verdict
    );
}

/// `一是加强。二是落实。` × 1500 in one paragraph: 3000 sections of repeated content (the outline
/// bounds the nesting, so they come out as one long list); identical units still pair one to one,
/// and the alignment walks the rows without recursion.
#[test]
fn deeply_nested_enumerations_align_without_overflowing_the_stack() {
    let text = format!("同志们：\n{}\n", "一是加强。二是落实。".repeat(1500));
    // The outline stage's own tree building is not this test's subject (issue 14 bounds its nesting):
    // it gets a large stack; the alignment below runs on the test thread's default one.
    let read = move || {
        let a = SpeechFile::from_text(Text::from_string("deep.txt", text.clone(), Encoding::Utf8));
        let b = SpeechFile::from_text(Text::from_string("deep2.txt", text, Encoding::Utf8));
        (a, b)
    };
    let (a, b) = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(read)
        .unwrap()
        .join()
        .unwrap();
    assert!(a.outlines[0].count() >= 3000);
    let al = compare(&a, &b, Granularity::Char);
    let mut rows = 0;
    al.walk(|c| {
        rows += 1;
        assert!(c.a.is_some() && c.b.is_some());
    });
    assert_eq!(rows, a.outlines[0].count());
    assert!(al.verdict.starts_with("Identical text"), "{}", al.verdict);
    // Dropping the deep row tree must not recurse either: done here, inside the test thread.
    drop(al);
    // The outlines themselves are dropped on a large stack, like they were built.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || drop((a, b)))
        .unwrap()
        .join()
        .unwrap();
}

/// A part of one year become one point of the next year's tasks (青岛 2022: `四、建设人民满意的服务型政府`;
/// 2023: `（十二）在全面加强政府自身建设上持续用力` under `三、2023年重点工作安排`): the part pairs with the
/// point across levels, not with the whole tasks part, and its own points do not pair with the point.
#[test]
#[ignore = "needs ../shared corpus"]
fn a_part_become_a_point_pairs_with_the_point() {
    let al = local_pair("主要城市-青岛市-2022.txt", "主要城市-青岛市-2023.txt");
    let pair = named(
        &al,
        "四、建设人民满意的服务型政府",
        "（十二）在全面加强政府自身建设上持续用力",
    )
    .expect("the part paired with the point");
    assert!(pair.confidence.unwrap() > 0.0);
    assert!(
        named(
            &al,
            "四、建设人民满意的服务型政府",
            "三、2023年重点工作安排"
        )
        .is_none()
    );
    assert!(
        named(
            &al,
            "（二）建设法治政府",
            "（十二）在全面加强政府自身建设上持续用力"
        )
        .is_none()
    );
}

/// What a reader found wrong in 湖南 2023 against 长沙 2023: `（一）着力推动经济稳定增长` paired with
/// `（五）着力推动营商环境优化` on the heading's stock words alone, and the review point on 民生 left
/// unpaired beside the city's review lead on 民生. Stock verbs carry no pairing (what is left of
/// the first pair rests on the bodies' shared subjects, 市场主体 and 小升规, at a topical score under
/// 0.3 where it was 0.38) and are shown as no evidence; the two review points on 民生 pair.
#[test]
#[ignore = "needs ../shared corpus"]
fn stock_heading_words_carry_no_pairing() {
    let al = local_pair("省自治区-湖南省-2023.txt", "主要城市-长沙市-2023.txt");
    if let Some(c) = named(
        &al,
        "（一）着力推动经济稳定增长",
        "（五）着力推动营商环境优化",
    ) {
        assert!(c.topic_similarity.unwrap() < 0.3, "{c:?}");
    }
    let livelihood = named(
        &al,
        "八是突出保障改善民生",
        "一年来，我们用心发力、兜牢底线",
    )
    .expect("the two review points on 民生 paired");
    assert!(
        livelihood.evidence.iter().any(|t| t == "民生"),
        "{:?}",
        livelihood.evidence
    );
    al.walk(|c| {
        for stock in ["着力", "推动", "加快", "坚持", "全面", "持续", "深入"] {
            assert!(!c.evidence.iter().any(|t| t == stock), "{:?}", c.evidence);
        }
    });
}
