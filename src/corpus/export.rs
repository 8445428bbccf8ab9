//! Exports of an [`Analysis`] into a folder: JSONL, CSV, JSON, Graphviz DOT and GraphML.
//!
//! Input: an analysis and an output folder. Output, in the folder: `documents.jsonl`, `formulas.jsonl`,
//! `pairs.jsonl`, `pairs.csv`, `formulas.csv`, `graph.json`, `graph.dot`, `graph.graphml` (formats in the
//! README).
//!
//! How: each file is streamed record by record through a buffered writer into a temporary file in the
//! folder; only when every file is complete are they renamed into place, so a failed run leaves no
//! partial file and never a mix of old and new files (short of a failure between two renames). Files get
//! the mode `0666` minus the umask, like any file the user creates.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::Analysis;
use super::formulas::FormulaClass;
use super::pairs::PairScores;
use crate::document::older;
use crate::error::{Error, Result};
use crate::reuse::{PassageClass, PassageKind};
use crate::text::Span;

/// The files written, in order.
pub const FILES: &[&str] = &[
    "documents.jsonl",
    "formulas.jsonl",
    "pairs.jsonl",
    "pairs.csv",
    "formulas.csv",
    "graph.json",
    "graph.dot",
    "graph.graphml",
];

type Out = BufWriter<tempfile::NamedTempFile>;

fn temp_in(dir: &Path, name: &str) -> Result<Out> {
    Ok(BufWriter::with_capacity(
        1 << 20,
        crate::output::temp_beside(&dir.join(name))?,
    ))
}

/// Where a document is: `{"path", "index"}`.
#[derive(Serialize)]
struct DocRef<'a> {
    path: &'a str,
    index: usize,
}

/// Writes every export into `dir` (created if missing).
pub fn write_all(analysis: &Analysis, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.into(),
        source,
    })?;
    // Each file on its own thread: the formula files hold most of the bytes.
    let outs: Vec<(tempfile::NamedTempFile, PathBuf)> = FILES
        .par_iter()
        .map(|name| {
            let target = dir.join(name);
            let io = |source| Error::Io {
                path: target.clone(),
                source,
            };
            let mut w = temp_in(dir, name)?;
            match *name {
                "documents.jsonl" => documents_jsonl(analysis, &mut w),
                "formulas.jsonl" => formulas_jsonl(analysis, &mut w),
                "pairs.jsonl" => pairs_jsonl(analysis, &mut w),
                "pairs.csv" => pairs_csv(analysis, &mut w),
                "formulas.csv" => formulas_csv(analysis, &mut w),
                "graph.json" => graph_json(analysis, &mut w),
                "graph.dot" => graph_dot(analysis, &mut w),
                _ => graph_graphml(analysis, &mut w),
            }
            .and_then(|_| w.flush())
            .map_err(io)?;
            let tmp = w.into_inner().map_err(|e| io(e.into_error()))?;
            Ok((tmp, target))
        })
        .collect::<Result<_>>()?;
    let mut written = Vec::new();
    for (tmp, target) in outs {
        crate::output::persist(tmp, &target)?;
        written.push(target);
    }
    Ok(written)
}

fn line(w: &mut impl Write, v: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, v)?;
    w.write_all(b"\n")
}

/// Records per block formatted on one thread.
const BLOCK: usize = 2048;
/// Blocks held in memory at once: bounds the buffered bytes (formula lines average under 1 KB).
const BLOCKS_IN_FLIGHT: usize = 8;

/// Writes one record per call of `format`, in order, formatting blocks of records in parallel (the
/// formula and pair files are most of a run's output bytes; serialising them is CPU work).
fn lines_in_parallel<T: Sync>(
    items: &[T],
    w: &mut impl Write,
    format: impl Fn(&T, &mut Vec<u8>) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    for batch in items.chunks(BLOCK * BLOCKS_IN_FLIGHT) {
        let blocks: Vec<Vec<u8>> = batch
            .par_chunks(BLOCK)
            .map(|block| {
                let mut buf = Vec::new();
                for item in block {
                    format(item, &mut buf)?;
                }
                Ok(buf)
            })
            .collect::<std::io::Result<_>>()?;
        for b in blocks {
            w.write_all(&b)?;
        }
    }
    Ok(())
}

fn doc_ref(a: &Analysis, d: u32) -> DocRef<'_> {
    let r = &a.corpus.docs[d as usize];
    DocRef {
        path: &r.path,
        index: r.index,
    }
}

fn documents_jsonl(a: &Analysis, w: &mut impl Write) -> std::io::Result<()> {
    for d in &a.corpus.docs {
        line(
            w,
            &json!({
                "id": d.id, "path": d.path, "index": d.index, "title": d.title, "date": d.date,
                "speaker": d.speaker, "chars": d.chars, "content_chars": d.content_chars,
                "span": d.span, "duplicate_of": d.duplicate_of, "duplicate": d.duplicate,
            }),
        )?;
    }
    Ok(())
}

/// The document of an occurrence in `formulas.jsonl` (its span follows).
#[derive(Serialize)]
struct OccurrenceDoc<'a> {
    path: &'a str,
    index: usize,
    doc: u32,
}

/// One line of `formulas.jsonl` but its occurrences.
#[derive(Serialize)]
struct FormulaLine<'a> {
    id: u32,
    text: &'a str,
    df: usize,
    class: FormulaClass,
    family: Option<&'static str>,
    chars: usize,
    hash: String,
}

/// A JSON object's bytes without its closing brace, so fields can follow.
fn open_object(v: &impl Serialize) -> std::io::Result<Vec<u8>> {
    let mut out = serde_json::to_vec(v)?;
    out.pop();
    Ok(out)
}

fn formulas_jsonl(a: &Analysis, w: &mut impl Write) -> std::io::Result<()> {
    // Occurrences are most of the file (tens of millions on a large corpus): each document's
    // `{"path":…,"index":…,"doc":…,"span":[` is serialised once, not once per occurrence.
    let prefixes: Vec<Vec<u8>> = a
        .corpus
        .docs
        .iter()
        .map(|d| {
            let mut p = open_object(&OccurrenceDoc {
                path: &d.path,
                index: d.index,
                doc: d.id,
            })?;
            p.extend_from_slice(b",\"span\":[");
            Ok(p)
        })
        .collect::<std::io::Result<_>>()?;
    lines_in_parallel(&a.formulas, w, |f, w| {
        w.extend_from_slice(&open_object(&FormulaLine {
            id: f.id,
            text: &f.text,
            df: f.df,
            class: f.class,
            family: f.family,
            chars: f.chars,
            hash: format!("{:016x}", f.hash),
        })?);
        w.extend_from_slice(b",\"occurrences\":[");
        for (i, o) in f.occurrences.iter().enumerate() {
            if i > 0 {
                w.push(b',');
            }
            w.extend_from_slice(&prefixes[o.doc as usize]);
            write!(w, "{},{}]}}", o.span.start, o.span.end)?;
        }
        w.extend_from_slice(b"]}\n");
        Ok(())
    })
}

/// One passage of a pair in `pairs.jsonl`.
#[derive(Serialize)]
struct PassageLine<'a> {
    a: Span,
    b: Span,
    kind: PassageKind,
    class: PassageClass,
    similarity: f64,
    df: Option<usize>,
    formula_share: f64,
    a_chars: usize,
    b_chars: usize,
    text: &'a str,
}

/// One line of `pairs.jsonl`.
#[derive(Serialize)]
struct PairLine<'a> {
    a: DocRef<'a>,
    b: DocRef<'a>,
    a_id: u32,
    b_id: u32,
    scores: &'a PairScores,
    near_duplicate: bool,
    direction: Option<&'static str>,
    passages: Vec<PassageLine<'a>>,
}

fn pairs_jsonl(a: &Analysis, w: &mut impl Write) -> std::io::Result<()> {
    lines_in_parallel(&a.pairs, w, |p, w| {
        let passages = p
            .passages
            .iter()
            .map(|x| PassageLine {
                a: x.a,
                b: x.b,
                kind: x.kind,
                class: x.class,
                similarity: x.similarity,
                df: x.df,
                formula_share: x.formula_share,
                a_chars: x.a_chars,
                b_chars: x.b_chars,
                text: a.corpus.text(p.b).slice(x.b),
            })
            .collect();
        let (da, db) = (&a.corpus.docs[p.a as usize], &a.corpus.docs[p.b as usize]);
        let direction = match older(da.date.as_deref(), db.date.as_deref()) {
            Some(true) => Some("a->b"),
            Some(false) => Some("b->a"),
            None => None,
        };
        line(
            w,
            &PairLine {
                a: doc_ref(a, p.a),
                b: doc_ref(a, p.b),
                a_id: p.a,
                b_id: p.b,
                scores: &p.scores,
                near_duplicate: p.near_duplicate,
                direction,
                passages,
            },
        )
    })
}

/// One CSV field (RFC 4180: quoted when it holds a comma, quote or line break).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_row(w: &mut impl Write, fields: &[String]) -> std::io::Result<()> {
    let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    w.write_all(row.join(",").as_bytes())?;
    w.write_all(b"\r\n")
}

fn pairs_csv(a: &Analysis, w: &mut impl Write) -> std::io::Result<()> {
    // A BOM so spreadsheet programs read the Chinese paths as UTF-8.
    w.write_all("\u{feff}".as_bytes())?;
    csv_row(
        w,
        &[
            "a_path",
            "a_index",
            "a_date",
            "b_path",
            "b_index",
            "b_date",
            "distinctive",
            "boilerplate",
            "a_in_b",
            "b_in_a",
            "distinctive_chars",
            "passages",
            "near_duplicate",
        ]
        .map(String::from),
    )?;
    for p in &a.pairs {
        let (da, db) = (&a.corpus.docs[p.a as usize], &a.corpus.docs[p.b as usize]);
        csv_row(
            w,
            &[
                da.path.clone(),
                da.index.to_string(),
                da.date.clone().unwrap_or_default(),
                db.path.clone(),
                db.index.to_string(),
                db.date.clone().unwrap_or_default(),
                p.scores.distinctive.to_string(),
                p.scores.boilerplate.to_string(),
                p.scores.a_in_b.to_string(),
                p.scores.b_in_a.to_string(),
                p.scores.distinctive_chars.to_string(),
                p.passages.len().to_string(),
                p.near_duplicate.to_string(),
            ],
        )?;
    }
    Ok(())
}

fn formulas_csv(a: &Analysis, w: &mut impl Write) -> std::io::Result<()> {
    w.write_all("\u{feff}".as_bytes())?;
    csv_row(
        w,
        &["id", "text", "df", "class", "family", "chars", "documents"].map(String::from),
    )?;
    lines_in_parallel(&a.formulas, w, |f, w| {
        let mut ds: Vec<u32> = f.occurrences.iter().map(|o| o.doc).collect();
        ds.dedup();
        let mut names: Vec<String> = ds
            .iter()
            .take(20)
            .map(|&d| {
                let r = &a.corpus.docs[d as usize];
                if r.index > 0 {
                    format!("{}#{}", r.path, r.index)
                } else {
                    r.path.clone()
                }
            })
            .collect();
        if ds.len() > 20 {
            names.push(format!("… {} more", ds.len() - 20));
        }
        csv_row(
            w,
            &[
                f.id.to_string(),
                f.text.clone(),
                f.df.to_string(),
                f.class.as_str().to_string(),
                f.family.unwrap_or("").to_string(),
                f.chars.to_string(),
                names.join("; "),
            ],
        )
    })
}

fn graph_json(a: &Analysis, w: &mut impl Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, &a.graph)?;
    w.write_all(b"\n")
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', " ")
}

fn graph_dot(a: &Analysis, w: &mut impl Write) -> std::io::Result<()> {
    let g = &a.graph;
    writeln!(w, "digraph corpus {{")?;
    writeln!(w, "  graph [overlap=false, splines=true];")?;
    writeln!(w, "  node [fontname=\"Noto Sans CJK SC\", fontsize=10];")?;
    for n in &g.nodes {
        let (shape, color) = match (n.kind, n.class) {
            ("document", _) => ("box", "black"),
            (_, Some("lineage")) => ("ellipse", "firebrick"),
            _ => ("ellipse", "gray50"),
        };
        let label = match &n.date {
            Some(d) => format!("{}\\n{}", dot_escape(&n.label), dot_escape(d)),
            None => dot_escape(&n.label),
        };
        writeln!(
            w,
            "  \"{}\" [label=\"{label}\", shape={shape}, color={color}];",
            n.id
        )?;
    }
    for e in &g.edges {
        let dir = if e.directed { "forward" } else { "none" };
        let style = if e.kind == "reuse" { "solid" } else { "dotted" };
        writeln!(
            w,
            "  \"{}\" -> \"{}\" [dir={dir}, style={style}, weight={:.3}];",
            e.source, e.target, e.weight
        )?;
    }
    writeln!(w, "}}")
}

fn xml_escape(s: &str) -> String {
    crate::output::escape_markup(s, crate::output::Markup::Xml)
}

fn graph_graphml(a: &Analysis, w: &mut impl Write) -> std::io::Result<()> {
    let g = &a.graph;
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        w,
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"
    )?;
    let keys = [
        ("kind", "node", "string"),
        ("label", "node", "string"),
        ("path", "node", "string"),
        ("index", "node", "int"),
        ("date", "node", "string"),
        ("chars", "node", "int"),
        ("df", "node", "int"),
        ("class", "node", "string"),
        ("community", "node", "int"),
        ("ekind", "edge", "string"),
        ("weight", "edge", "double"),
        ("directed", "edge", "boolean"),
        ("shared_formulas", "edge", "int"),
    ];
    for (id, target, ty) in keys {
        let name = if id == "ekind" { "kind" } else { id };
        writeln!(
            w,
            "  <key id=\"{id}\" for=\"{target}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
        )?;
    }
    // Directed edges by default: GraphML readers refuse mixed graphs, so undirected reuse edges carry
    // `directed=false` as data.
    writeln!(w, "  <graph id=\"corpus\" edgedefault=\"directed\">")?;
    for n in &g.nodes {
        write!(w, "    <node id=\"{}\">", n.id)?;
        let mut data =
            |k: &str, v: String| write!(w, "<data key=\"{k}\">{}</data>", xml_escape(&v));
        data("kind", n.kind.to_string())?;
        data("label", n.label.clone())?;
        if let Some(p) = &n.path {
            data("path", p.clone())?;
        }
        if let Some(i) = n.index {
            data("index", i.to_string())?;
        }
        if let Some(d) = &n.date {
            data("date", d.clone())?;
        }
        data("chars", n.chars.to_string())?;
        if let Some(df) = n.df {
            data("df", df.to_string())?;
        }
        if let Some(c) = n.class {
            data("class", c.to_string())?;
        }
        if let Some(c) = n.community {
            data("community", c.to_string())?;
        }
        writeln!(w, "</node>")?;
    }
    for e in &g.edges {
        writeln!(
            w,
            "    <edge source=\"{}\" target=\"{}\"><data key=\"ekind\">{}</data><data key=\"weight\">{}</data><data key=\"directed\">{}</data><data key=\"shared_formulas\">{}</data></edge>",
            e.source, e.target, e.kind, e.weight, e.directed, e.shared_formulas
        )?;
    }
    writeln!(w, "  </graph>")?;
    writeln!(w, "</graphml>")
}
