//! The opening of a local government work report (`现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协
//! 委员和其他列席人员提出意见`) is a stock formula: every report has it, with the level of government, the
//! verb and the addressees varied. Two reports sharing it do not copy each other, so `compare` and `reuse`
//! must class it `boilerplate`, not `distinctive`.

use std::path::Path;

use tifa::Span;
use tifa::compare::{CompareParams, compare};
use tifa::prepared::PreparedDoc;
use tifa::reuse::PassageClass;
use tifa::reuse::formula::formula_share;
use tifa::reuse::seq::Seq;
use tifa::text::{Encoding, Text};

fn share(s: &str) -> f64 {
    let t = Text::from_string("t", s, Encoding::Utf8);
    formula_share(&Seq::new(&t, Span::new(0, t.len_chars())).chars)
}

/// Openings of provincial, municipal, prefecture and autonomous-region reports, as written.
const OPENINGS: &[&str] = &[
    "现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。",
    "现在，我代表市人民政府向大会作工作报告，请予审议，并请各位政协委员和其他列席人员提出意见。",
    "现在，我代表省人民政府向大会报告工作，请予审议，并请省政协委员和其他列席人员提出意见。",
    "现在，我代表州人民政府，向大会报告工作，请予审议，并请州政协委员和列席人员提出意见。",
    "现在，我代表自治区人民政府，向大会作政府工作报告，请予审议，并请自治区政协委员和其他列席人员提出意见。",
    "现在，我代表深圳市人民政府向大会作政府工作报告，请予审议，并请各位政协委员和其他列席人员提出意见。",
    "现在，我代表市政府向大会报告工作，请予审议，并请市政协各位委员提出意见。",
    "我代表河北省人民政府向大会作工作报告，请予审议，并请省政协委员和列席会议的同志提出意见。",
    "现在，我受市长委托，代表市人民政府向大会报告政府工作，请予审议，并请各位市政协委员和列席会议的同志提出意见。",
];

#[test]
fn local_report_openings_are_stock_formulas() {
    for o in OPENINGS {
        let s = share(o);
        assert!(s >= 0.7, "{s:.2} {o}");
    }
    // What a report says of its own locality stays distinctive.
    let own =
        "全市新建改建农村公路一千二百公里，建成污水处理厂八座，城区供水普及率达到百分之九十八。";
    assert!(share(own) < 0.1, "{}", share(own));
}

fn txt() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/local-reports/txt")
}

/// Every opening sentence of the 1,990 local reports (the sentence asking for 审议) is mostly covered.
#[test]
#[ignore = "needs ../shared corpus"]
fn every_local_opening_is_covered_by_the_stock_list() {
    let mut total = 0;
    let mut covered = 0;
    for e in std::fs::read_dir(txt()).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        let Some(sentence) = text
            .split(['。', '\n'])
            .find(|s| s.contains("请予审议") && s.contains("代表") && s.contains("向大会"))
        else {
            continue;
        };
        total += 1;
        if share(sentence) >= 0.5 {
            covered += 1;
        } else {
            eprintln!("{:.2} {sentence}", share(sentence));
        }
    }
    eprintln!("openings covered: {covered}/{total}");
    assert!(total > 1500, "{total}");
    assert!(covered as f64 >= 0.98 * total as f64, "{covered}/{total}");
}

/// Reports of two localities share their opening sentence and nothing of their own: whatever compare
/// finds in the opening is boilerplate.
#[test]
#[ignore = "needs ../shared corpus"]
fn compare_classes_the_shared_opening_as_boilerplate() {
    for (a, b) in [
        ("主要城市-烟台市-2026.txt", "主要城市-石家庄市-2021.txt"),
        ("主要城市-石家庄市-2021.txt", "其他地市-三亚市-2022.txt"),
        (
            "其他地市-楚雄彝族自治州-2022.txt",
            "其他地市-怒江傈僳族自治州-2022.txt",
        ),
        ("省自治区-浙江省-2024.txt", "省自治区-贵州省-2021.txt"),
    ] {
        let pa = &PreparedDoc::read(txt().join(a), None).unwrap()[0];
        let pb = &PreparedDoc::read(txt().join(b), None).unwrap()[0];
        let r = compare(pa, pb, &CompareParams::default());
        let text = |p: &tifa::compare::PlacedPassage| pa.text().slice(p.passage.a).to_string();
        let openings: Vec<_> = r
            .passages
            .iter()
            .filter(|p| text(p).contains("请予审议"))
            .collect();
        assert!(!openings.is_empty(), "{a} vs {b}: the opening is shared");
        for p in openings {
            assert_eq!(
                p.passage.class,
                PassageClass::Boilerplate,
                "{a} vs {b}: {}",
                text(p)
            );
        }
    }
}
