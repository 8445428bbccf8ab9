//! Reading real files: every encoding and every bad-input case, through the `tifa outline` binary.
//! Bad input must give one clear line naming the file, exit code 2, and no output file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn tifa(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tifa"));
    cmd.args(args)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(bytes) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn tmp(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    (dir, p)
}

fn seed(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/speeches")
        .join(name)
}

/// Asserts a one-line error naming the file and the problem, exit code 2, nothing on stdout.
fn assert_input_error(out: &Output, file: &str, problem: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(out.stdout.is_empty());
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(file), "names the file: {err}");
    assert!(err.contains(problem), "says '{problem}': {err}");
}

#[test]
fn missing_file() {
    let out = tifa(&["outline", "no/such/speech.txt"], None);
    assert_input_error(&out, "no/such/speech.txt", "No such file");
}

#[test]
fn directory_instead_of_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert_input_error(&tifa(&["outline", d], None), d, "is a directory");
}

#[test]
fn binary_file() {
    let (_d, p) = tmp("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00");
    assert_input_error(
        &tifa(&["outline", p.to_str().unwrap()], None),
        "image.png",
        "binary file",
    );
}

#[test]
fn undecodable_bytes() {
    // Lone continuation bytes and 0xFF are invalid in UTF-8, GB18030 and Big5 alike.
    let (_d, p) = tmp("broken.txt", b"\xff\xfe\xfd\x80\x80abc\xff\x80");
    let out = tifa(
        &["outline", p.to_str().unwrap(), "--encoding", "utf-8"],
        None,
    );
    assert_input_error(&out, "broken.txt", "cannot decode");
    let (_d2, p2) = tmp("broken2.txt", b"\x80\x80\xff\xff\x80\xfe");
    assert_input_error(
        &tifa(&["outline", p2.to_str().unwrap()], None),
        "broken2.txt",
        "cannot decode",
    );
}

#[test]
fn empty_and_blank_files() {
    let (_d, p) = tmp("empty.txt", b"");
    assert_input_error(
        &tifa(&["outline", p.to_str().unwrap()], None),
        "empty.txt",
        "empty file",
    );
    let (_d2, p2) = tmp("blank.txt", "\r\n\t\u{3000}\u{3000}\n   \n".as_bytes());
    assert_input_error(
        &tifa(&["outline", p2.to_str().unwrap()], None),
        "blank.txt",
        "empty file",
    );
    let (_d3, p3) = tmp(
        "noise.txt",
        "##paidbegin##\n扫描二维码关注公众号\n##paidend##\n".as_bytes(),
    );
    assert_input_error(
        &tifa(&["outline", p3.to_str().unwrap()], None),
        "noise.txt",
        "empty file",
    );
}

#[test]
fn unknown_encoding_name() {
    let p = seed("001_bbf023ef8e8ca942.txt");
    let out = tifa(
        &["outline", p.to_str().unwrap(), "--encoding", "latin9"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown encoding 'latin9'"));
}

#[test]
fn usage_error_exits_2() {
    let out = tifa(&["outline"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = tifa(&["outline", "--format", "pdf", "x.txt"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_partial_output_file_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.json");
    let out = tifa(
        &[
            "outline",
            "--format",
            "json",
            "-o",
            target.to_str().unwrap(),
            "missing.txt",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!target.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temp file left behind"
    );
}

fn outline_json(args: &[&str], stdin: Option<&[u8]>) -> serde_json::Value {
    let out = tifa(args, stdin);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The same speech in every supported encoding yields the same outline, with the encoding reported and
/// spans in chars of the decoded text (BOM excluded).
#[test]
fn every_encoding_gives_the_same_outline() {
    let text = std::fs::read_to_string(seed("001_bbf023ef8e8ca942.txt")).unwrap();
    let reference = outline_json(
        &[
            "outline",
            "--format",
            "json",
            seed("001_bbf023ef8e8ca942.txt").to_str().unwrap(),
        ],
        None,
    );
    let utf16 = |le: bool| -> Vec<u8> {
        let mut v = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            v.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        v
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "UTF-8 (BOM)",
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        ),
        ("GB18030", encoding_rs::GB18030.encode(&text).0.into_owned()),
        ("UTF-16LE", utf16(true)),
        ("UTF-16BE", utf16(false)),
    ];
    for (name, bytes) in cases {
        let (_d, p) = tmp("speech.txt", &bytes);
        let json = outline_json(&["outline", "--format", "json", p.to_str().unwrap()], None);
        assert_eq!(json["source"]["encoding"], name);
        assert_eq!(
            json["source"]["chars"], reference["source"]["chars"],
            "{name}"
        );
        assert_eq!(json["documents"], reference["documents"], "{name}");
    }
}

#[test]
fn reads_standard_input() {
    let bytes = std::fs::read(seed("001_bbf023ef8e8ca942.txt")).unwrap();
    let json = outline_json(&["outline", "--format", "json", "-"], Some(&bytes));
    assert_eq!(json["source"]["path"], "-");
    assert_eq!(
        json["documents"][0]["sections"].as_array().unwrap().len(),
        4
    );
}

/// Every span in the JSON slices the decoded text (by chars) to exactly what the JSON says.
#[test]
fn json_spans_slice_the_text_by_chars() {
    let path = seed("004_c7f0127a3eafd24f.txt");
    let chars: Vec<char> = std::fs::read_to_string(&path).unwrap().chars().collect();
    let json = outline_json(
        &["outline", "--format", "json", path.to_str().unwrap()],
        None,
    );
    let slice = |v: &serde_json::Value| -> String {
        let (s, e) = (
            v[0].as_u64().unwrap() as usize,
            v[1].as_u64().unwrap() as usize,
        );
        chars[s..e].iter().collect()
    };
    fn walk(v: &serde_json::Value, f: &mut dyn FnMut(&serde_json::Value)) {
        for s in v.as_array().unwrap() {
            f(s);
            walk(&s["children"], f);
        }
    }
    let mut n = 0;
    walk(&json["documents"][0]["sections"], &mut |s| {
        n += 1;
        assert_eq!(slice(&s["heading_span"]), s["heading"].as_str().unwrap());
        let whole = slice(&s["span"]);
        assert!(whole.starts_with(s["marker"].as_str().unwrap()), "{whole}");
        assert!(whole.contains(s["heading"].as_str().unwrap()));
    });
    assert_eq!(n, 31);
    assert_eq!(json["documents"][0]["meta"]["date"], "2022年8月13日");
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("outline.md");
    let p = seed("000_1f080de224ac8f35.txt");
    let out = tifa(
        &[
            "outline",
            "--format",
            "md",
            "-o",
            target.to_str().unwrap(),
            p.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success());
    let md = std::fs::read_to_string(&target).unwrap();
    assert!(md.contains("- **一、** 勠力同心，喜交优异“期中卷” _(part)_"));
    assert!(md.contains("    - **一是** 建筑产业韧性更足 _(enumeration)_"));
}

#[test]
fn text_output_has_no_colour_with_no_color() {
    let p = seed("003_56fb9e0156cb07c5.txt");
    let out = tifa(&["outline", "--color", "auto", p.to_str().unwrap()], None);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(!s.contains('\u{1b}'));
    assert!(s.contains("三是 强化统筹协调，齐心协力抓落实"));
    let out = tifa(&["outline", "--color", "always", p.to_str().unwrap()], None);
    assert!(String::from_utf8(out.stdout).unwrap().contains('\u{1b}'));
}

/// Every national and local report, encoded as GB18030, is read back as GB18030 with the same text; when
/// the bytes also happen to decode as Big5 the choice is explained and still GB18030.
#[test]
#[ignore = "needs ../shared corpus"]
fn corpus_in_gb18030_is_never_read_as_big5() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("cn-political-corpora/split"))
        .expect("../shared corpus present")
        .map(|e| e.unwrap().path())
        .collect();
    let mut local: Vec<PathBuf> = std::fs::read_dir(root.join("local-reports/txt"))
        .expect("../shared corpus present")
        .map(|e| e.unwrap().path())
        .collect();
    local.sort();
    paths.extend(local.into_iter().step_by(10));
    let (mut n, mut explained) = (0, 0);
    for p in &paths {
        let s = std::fs::read_to_string(p).unwrap();
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&s);
        assert!(!unmappable);
        let t = tifa::Text::from_bytes(p, &bytes, None).unwrap();
        assert_eq!(
            t.encoding(),
            tifa::text::Encoding::Gb18030,
            "{}",
            p.display()
        );
        assert_eq!(t.as_str(), s);
        explained += usize::from(t.decision().is_some());
        n += 1;
    }
    assert!(n > 250, "{n} files");
    eprintln!("{n} files, {explained} also decoded as Big5");
}
