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

        for p in &report.passages {
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
