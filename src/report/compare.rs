//! Renderers for [`Alignment`]s: a two-column terminal view, JSON, Markdown and a self-contained HTML
//! side-by-side page.
//!
//! JSON shape (stable; fields may be added, never removed):
//! `{"a": {"path", "title", "document", "sections", "chars"}, "b": {…}, "scores": {"outline", "text",
//! "text_a", "text_b"}, "verdict", "unit": "section"|"paragraph", "granularity": "char"|"word",
//! "counts": {"same", …}, "alignment": [{"status", "a": {"path", "marker", "heading", "span", "excerpt"} |
//! null, "b": {…} | null, "heading_similarity", "body_similarity", "heading_diff": [{"op", "text"}],
//! "children": [...]}]}`.

use anstyle::{AnsiColor, Style as Ansi};

use super::{Style, md_escape};
use crate::compare::CompareReport;
use crate::diff::{BodyDiff, ChangeOp, Correspondence, DiffOp, SectionRef, Status, Unit};

/// Options of the terminal view.
#[derive(Clone, Copy, Debug)]
pub struct TextOptions {
    /// Total width in columns.
    pub width: usize,
    /// Fold runs of `same` rows (whose subtrees are all `same`) into one line, and the sub-sections of
    /// sections found on one side only.
    pub compact: bool,
    /// Count East Asian ambiguous-width chars (`“” … — │ ·`) as two columns, as CJK terminals
    /// draw them ([`cjk_locale`] tells from the environment).
    pub cjk_width: bool,
    /// Show the sentence-level diff of matched sections under their rows (when computed).
    pub diff: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            width: 120,
            compact: false,
            cjk_width: false,
            diff: false,
        }
    }
}

/// Whether the locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`) is Chinese, Japanese or Korean,
/// whose terminals draw ambiguous-width chars two columns wide.
pub fn cjk_locale() -> bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    ["zh", "ja", "ko"].iter().any(|p| locale.starts_with(p))
}

/// Width of the middle column: status (9), a space, similarity (17: `h0.92 b0.85 t0.40`).
const MIDDLE: usize = 9 + 1 + 17;

/// Terminal columns of a char (ambiguous-width chars as two when `cjk`).
fn char_cols(c: char, cjk: bool) -> usize {
    let w = if cjk {
        unicode_width::UnicodeWidthChar::width_cjk(c)
    } else {
        unicode_width::UnicodeWidthChar::width(c)
    };
    w.unwrap_or(0)
}

/// Terminal columns of a string.
fn cols(s: &str, cjk: bool) -> usize {
    s.chars().map(|c| char_cols(c, cjk)).sum()
}

/// `s` cut to at most `width` columns, ending with `…` when cut.
fn cut(s: &str, width: usize, cjk: bool) -> String {
    if cols(s, cjk) <= width {
        return s.to_string();
    }
    let ell = char_cols('…', cjk);
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_cols(c, cjk);
        if w + cw + ell > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if w + ell <= width {
        out.push('…');
    }
    out
}

/// `s` wrapped into lines of at most `width` columns (prose lines: verdict, figures).
fn wrap(s: &str, width: usize, cjk: bool) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line: Vec<char> = Vec::new();
    let mut w = 0;
    // Where the line may break: after a space, or beside a wide (CJK) char; Latin words stay whole.
    let mut last_break: Option<usize> = None;
    for c in s.chars() {
        let cw = char_cols(c, cjk);
        if w + cw > width && !line.is_empty() {
            let at = match last_break {
                Some(k) if k > 0 && cw < 2 && c != ' ' => k,
                _ => line.len(),
            };
            let rest: Vec<char> = line.split_off(at);
            lines.push(line.iter().collect::<String>().trim_end().to_string());
            line = rest.into_iter().skip_while(|&c| c == ' ').collect();
            w = line.iter().map(|&c| char_cols(c, cjk)).sum();
            last_break = None;
        }
        if c == ' ' && line.is_empty() && !lines.is_empty() {
            continue;
        }
        if cw >= 2 && !line.is_empty() {
            last_break = Some(line.len());
        }
        line.push(c);
        w += cw;
        if c == ' ' || cw >= 2 {
            last_break = Some(line.len());
        }
    }
    if !line.is_empty() {
        lines.push(line.into_iter().collect());
    }
    lines
}

/// Pretty JSON with a trailing newline.
pub fn json(report: &CompareReport) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("compare report JSON serialises");
    s.push('\n');
    s
}

fn status_color(s: Status) -> Option<AnsiColor> {
    match s {
        Status::Same => None,
        Status::Reworded => Some(AnsiColor::Cyan),
        Status::Rewritten => Some(AnsiColor::Yellow),
        Status::Moved => Some(AnsiColor::Magenta),
        Status::Split | Status::Merged => Some(AnsiColor::Blue),
        Status::OnlyA => Some(AnsiColor::Red),
        Status::OnlyB => Some(AnsiColor::Green),
    }
}

fn status_ansi(s: Status) -> Ansi {
    match status_color(s) {
        None => Ansi::new().dimmed(),
        Some(c) => Ansi::new().fg_color(Some(c.into())),
    }
}

/// A row's similarity as a short label (`h0.92 b0.85 t0.40`: heading, body, topic).
fn sim_label(c: &Correspondence) -> String {
    let mut parts = Vec::new();
    if let Some(h) = c.heading_similarity {
        parts.push(format!("h{h:.2}"));
    }
    if let Some(b) = c.body_similarity {
        parts.push(format!("b{b:.2}"));
    }
    if let Some(t) = c.topic_similarity {
        parts.push(format!("t{t:.2}"));
    }
    parts.join(" ")
}

/// Whether a pair rests on more than its text: its shared key terms are worth showing.
fn shows_evidence(c: &Correspondence) -> bool {
    !c.evidence.is_empty() && !matches!(c.status, Status::Same | Status::Reworded)
}

/// What a side of a row shows: marker and heading, or the excerpt of a paragraph.
fn label(r: &SectionRef, unit: Unit) -> String {
    match unit {
        Unit::Paragraph => format!("¶{} {}", r.path[0] + 1, r.excerpt),
        Unit::Section => {
            if r.marker.is_empty() {
                format!("· {}", r.heading)
            } else {
                format!("{}{}", r.marker, r.heading)
            }
        }
    }
}

/// Styled pieces of one cell.
type Pieces = Vec<(String, Option<Ansi>)>;

/// The pieces of a side: marker, then the heading with the changed parts highlighted.
fn side_pieces(c: &Correspondence, a_side: bool, unit: Unit) -> Pieces {
    let r = if a_side { &c.a } else { &c.b };
    let Some(r) = r else {
        return Vec::new();
    };
    if c.heading_diff.is_empty() || unit == Unit::Paragraph {
        return vec![(label(r, unit), None)];
    }
    let marker = if r.marker.is_empty() {
        "· ".to_string()
    } else {
        r.marker.clone()
    };
    let mut out = vec![(marker, None)];
    let changed = if a_side {
        (DiffOp::Delete, AnsiColor::Red)
    } else {
        (DiffOp::Insert, AnsiColor::Green)
    };
    for p in &c.heading_diff {
        if p.op == DiffOp::Equal {
            out.push((p.text.clone(), None));
        } else if p.op == changed.0 {
            let st = Ansi::new().fg_color(Some(changed.1.into())).underline();
            out.push((p.text.clone(), Some(st)));
        }
    }
    out
}

/// Lays pieces out in exactly `width` columns (truncated with `…`, padded with spaces), ambiguous-width
/// chars counted as two columns when `cjk`.
fn fit_cols(pieces: &Pieces, width: usize, style: Style, cjk: bool) -> String {
    let total: usize = pieces.iter().map(|(s, _)| cols(s, cjk)).sum();
    let ell = char_cols('…', cjk);
    let limit = if total > width {
        width.saturating_sub(ell)
    } else {
        width
    };
    let mut out = String::new();
    let mut w = 0;
    'outer: for (s, st) in pieces {
        let mut part = String::new();
        for ch in s.chars() {
            let cw = char_cols(ch, cjk);
            if w + cw > limit {
                push_piece(&mut out, &part, *st, style);
                break 'outer;
            }
            part.push(ch);
            w += cw;
        }
        push_piece(&mut out, &part, *st, style);
    }
    if total > width && w + ell <= width {
        out.push('…');
        w += ell;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

fn push_piece(out: &mut String, part: &str, st: Option<Ansi>, style: Style) {
    match st {
        Some(st) => out.push_str(&style.paint(st, part)),
        None => out.push_str(part),
    }
}

fn count_rows(rows: &[Correspondence]) -> usize {
    rows.iter().map(|c| 1 + count_rows(&c.children)).sum()
}

fn all_same(c: &Correspondence) -> bool {
    c.status == Status::Same && c.children.iter().all(all_same)
}

fn doc_line(tag: &str, d: &crate::diff::DocumentInfo) -> String {
    let title = d.title.as_deref().unwrap_or("(untitled)");
    format!(
        "{tag}: {} [document {}] {title} ({} chars, {} sections)",
        d.path, d.document, d.chars, d.sections
    )
}

/// The two-column terminal view: A left, B right, status and similarity in the middle. Every line
/// fits in `opts.width` columns: prose lines wrap, table cells and passage lines are cut with `…`.
pub fn text(report: &CompareReport, style: Style, opts: TextOptions) -> String {
    let al = &report.alignment;
    let (width, cjk) = (opts.width, opts.cjk_width);
    let bold = Ansi::new().bold();
    let dim = Ansi::new().dimmed();
    let mut out = String::new();
    let prose = |out: &mut String, line: &str, st: Ansi| {
        for l in wrap(line, width, cjk) {
            out.push_str(&style.paint(st, &l));
            out.push('\n');
        }
    };
    prose(&mut out, &doc_line("A", &al.a), bold);
    prose(&mut out, &doc_line("B", &al.b), bold);
    let scores = format!(
        "scores: outline {:.2}  text {:.2} (A {:.2}, B {:.2})  unit: {}",
        al.scores.outline,
        al.scores.text,
        al.scores.text_a,
        al.scores.text_b,
        match al.unit {
            Unit::Section => "sections",
            Unit::Paragraph => "paragraphs (no headings on one side)",
        }
    );
    prose(&mut out, &scores, Ansi::new());
    prose(&mut out, &al.verdict, bold);
    for line in pattern_lines(report) {
        prose(&mut out, &line, dim);
    }
    out.push('\n');
    let layout = Layout::new(width, cjk);
    let header = format!(
        "{}{}{}{}{}",
        fit_cols(&vec![("A".into(), None)], layout.side, style, cjk),
        layout.sep,
        fit_cols(
            &vec![("status     similarity".into(), None)],
            MIDDLE,
            style,
            cjk
        ),
        layout.sep,
        fit_cols(&vec![("B".into(), None)], layout.side, style, cjk)
    );
    out.push_str(&style.paint(dim, header.trim_end()));
    out.push('\n');
    text_rows(&al.alignment, 0, al.unit, &layout, style, opts, &mut out);
    let r = &report.reuse;
    out.push('\n');
    prose(
        &mut out,
        &format!(
            "Reused passages: {} ({} distinctive, {} boilerplate)",
            r.passages, r.distinctive, r.boilerplate
        ),
        bold,
    );
    for p in &report.passages {
        let [kind, class, sim, a, b] = passage_facts(&p.passage);
        let line = format!(
            "  {} ↔ {}  {kind} {class} sim {sim}  A{a} B{b}  ",
            cut(&p.a_location, layout.side.min(40), cjk),
            cut(&p.b_location, layout.side.min(40), cjk),
        );
        let line = cut(&line, width, cjk);
        let rest = width.saturating_sub(cols(&line, cjk));
        out.push_str(&line);
        out.push_str(&style.paint(dim, &cut(&p.excerpt, rest, cjk)));
        out.push('\n');
    }
    out
}

/// Column layout of the terminal table.
struct Layout {
    /// Width of each side column.
    side: usize,
    /// The column separator (` │ `).
    sep: &'static str,
    /// Its width.
    sep_cols: usize,
    /// Total width.
    width: usize,
    cjk: bool,
}

impl Layout {
    fn new(width: usize, cjk: bool) -> Layout {
        let sep = " │ ";
        let sep_cols = cols(sep, cjk);
        let side = width.saturating_sub(MIDDLE + 2 * sep_cols) / 2;
        Layout {
            side: side.max(4),
            sep,
            sep_cols,
            width,
            cjk,
        }
    }
}

/// Both speeches' rhetorical-pattern figures as two lines (`A: …`, `B: …`), when computed.
/// What every format prints of a reused passage: its kind, class, similarity (two decimals) and its
/// spans in A and B (`[start, end)`).
fn passage_facts(q: &crate::reuse::Passage) -> [String; 5] {
    [
        q.kind.as_str().to_string(),
        q.class.as_str().to_string(),
        format!("{:.2}", q.similarity),
        format!("[{}, {})", q.a.start, q.a.end),
        format!("[{}, {})", q.b.start, q.b.end),
    ]
}

fn pattern_lines(report: &CompareReport) -> Vec<String> {
    let Some(p) = &report.patterns else {
        return Vec::new();
    };
    let line = |tag: &str, s: &crate::patterns::Scores| {
        let families: Vec<String> = s
            .by_family
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(f, n)| format!("{} {n}", f.name()))
            .collect();
        format!(
            "patterns {tag}: {} hits, {:.2} per 1,000 chars, {:.1}% covered, parallel density {:.2} ({})",
            s.hits,
            s.hits_per_1000,
            s.coverage * 100.0,
            s.parallel_density,
            families.join(", ")
        )
    };
    vec![line("A", &p.a), line("B", &p.b)]
}

fn text_rows(
    rows: &[Correspondence],
    depth: usize,
    unit: Unit,
    layout: &Layout,
    style: Style,
    opts: TextOptions,
    out: &mut String,
) {
    let (side, cjk) = (layout.side, layout.cjk);
    let indent = "  ".repeat(depth);
    let dim = Ansi::new().dimmed();
    let mut i = 0;
    while i < rows.len() {
        if opts.compact {
            let run = rows[i..].iter().take_while(|c| all_same(c)).count();
            if run >= 2 {
                let line = format!(
                    "{indent}… {run} same {} …",
                    if unit == Unit::Section {
                        "sections"
                    } else {
                        "paragraphs"
                    }
                );
                out.push_str(&style.paint(dim, &cut(&line, layout.width, cjk)));
                out.push('\n');
                i += run;
                continue;
            }
        }
        let c = &rows[i];
        let mut left = vec![(indent.clone(), None)];
        left.extend(side_pieces(c, true, unit));
        let mut right = vec![(indent.clone(), None)];
        right.extend(side_pieces(c, false, unit));
        let status = fit_cols(&vec![(c.status.as_str().to_string(), None)], 9, style, cjk);
        let line = format!(
            "{}{}{} {}{}{}",
            fit_cols(&left, side, style, cjk),
            layout.sep,
            style.paint(status_ansi(c.status), &status),
            fit_cols(&vec![(sim_label(c), None)], MIDDLE - 10, style, cjk),
            layout.sep,
            fit_cols(&right, side, style, cjk)
        );
        out.push_str(line.trim_end());
        out.push('\n');
        let under = format!("{indent}    ");
        if shows_evidence(c) {
            let line = format!("{under}key terms: {}", c.evidence.join("、"));
            out.push_str(&style.paint(dim, &cut(&line, layout.width, cjk)));
            out.push('\n');
        }
        if opts.diff
            && let Some(d) = &c.body_diff
        {
            body_diff_lines(d, &under, layout, style, out);
        }
        let one_sided = matches!(c.status, Status::OnlyA | Status::OnlyB);
        if opts.compact && one_sided && !c.children.is_empty() {
            // A section found on one side only: its sub-sections cannot correspond either.
            let n = count_rows(&c.children);
            let pad = if c.status == Status::OnlyB {
                " ".repeat(side + layout.sep_cols + MIDDLE + layout.sep_cols)
            } else {
                String::new()
            };
            let line = format!(
                "{pad}{indent}  … {n} sub-section(s), {} as well …",
                c.status.as_str()
            );
            out.push_str(&style.paint(dim, &cut(&line, layout.width, cjk)));
            out.push('\n');
        } else if !(opts.compact && all_same(c)) {
            text_rows(&c.children, depth + 1, unit, layout, style, opts, out);
        }
        i += 1;
    }
}

/// The sentence diff of a row, one line per changed sentence: `- removed`, `+ added`,
/// `~ edited` with the removed words as `[-…-]` and the added ones as `{+…+}` (and in colour).
fn body_diff_lines(d: &BodyDiff, under: &str, layout: &Layout, style: Style, out: &mut String) {
    let (del, ins) = (
        Ansi::new().fg_color(Some(AnsiColor::Red.into())),
        Ansi::new().fg_color(Some(AnsiColor::Green.into())),
    );
    let dim = Ansi::new().dimmed();
    for ch in &d.changes {
        let (mark, pieces): (&str, Pieces) = match ch.op {
            ChangeOp::Delete => ("- ", vec![(ch.pieces[0].text.clone(), Some(del))]),
            ChangeOp::Insert => ("+ ", vec![(ch.pieces[0].text.clone(), Some(ins))]),
            ChangeOp::Change => (
                "~ ",
                ch.pieces
                    .iter()
                    .map(|p| match p.op {
                        DiffOp::Equal => (p.text.clone(), None),
                        DiffOp::Delete => (format!("[-{}-]", p.text), Some(del)),
                        DiffOp::Insert => (format!("{{+{}+}}", p.text), Some(ins)),
                    })
                    .collect(),
            ),
        };
        let lead = format!("{under}{mark}");
        let room = layout.width.saturating_sub(cols(&lead, layout.cjk));
        let line = fit_cols(&pieces, room, style, layout.cjk);
        out.push_str(&style.paint(dim, &lead));
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if d.equal > 0 {
        let line = format!("{under}  ({} sentence(s) unchanged)", d.equal);
        out.push_str(&style.paint(dim, &cut(&line, layout.width, layout.cjk)));
        out.push('\n');
    }
}

fn md_side(
    r: &Option<SectionRef>,
    c: &Correspondence,
    a_side: bool,
    unit: Unit,
    depth: usize,
) -> String {
    let Some(r) = r else {
        return String::new();
    };
    let indent = "　".repeat(depth);
    if unit == Unit::Section && !c.heading_diff.is_empty() {
        let mut s = format!("{indent}{}", md_escape(&r.marker));
        for p in &c.heading_diff {
            match (p.op, a_side) {
                (DiffOp::Equal, _) => s.push_str(&md_escape(&p.text)),
                (DiffOp::Delete, true) => s.push_str(&format!("~~{}~~", md_escape(&p.text))),
                (DiffOp::Insert, false) => s.push_str(&format!("**{}**", md_escape(&p.text))),
                _ => {}
            }
        }
        s
    } else {
        format!("{indent}{}", md_escape(&label(r, unit)))
    }
}

/// Markdown: scores, verdict and a table with one row per correspondence (nested rows indented).
pub fn markdown(report: &CompareReport) -> String {
    let al = &report.alignment;
    let mut out = String::new();
    out.push_str("# Comparison\n\n");
    for (tag, d) in [("A", &al.a), ("B", &al.b)] {
        out.push_str(&format!("- {}\n", md_escape(&doc_line(tag, d))));
    }
    out.push_str(&format!(
        "- Scores: outline {:.2}, text {:.2} (A {:.2}, B {:.2})\n\n**{}**\n\n",
        al.scores.outline,
        al.scores.text,
        al.scores.text_a,
        al.scores.text_b,
        md_escape(&al.verdict)
    ));
    out.push_str(
        "| A | status | heading | body | topic | confidence | key terms | B |\n|---|---|---|---|---|---|---|---|\n",
    );
    fn rows(rs: &[Correspondence], depth: usize, unit: Unit, out: &mut String) {
        for c in rs {
            let f = |x: Option<f64>| x.map(|v| format!("{v:.2}")).unwrap_or_default();
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                md_side(&c.a, c, true, unit, depth),
                c.status.as_str(),
                f(c.heading_similarity),
                f(c.body_similarity),
                f(c.topic_similarity),
                f(c.confidence),
                md_escape(&c.evidence.join("、")),
                md_side(&c.b, c, false, unit, depth),
            ));
            rows(&c.children, depth + 1, unit, out);
        }
    }
    rows(&al.alignment, 0, al.unit, &mut out);
    let mut diffs = Vec::new();
    al.walk(|c| {
        if let (Some(x), Some(y), Some(d)) = (&c.a, &c.b, &c.body_diff) {
            diffs.push((x, y, d));
        }
    });
    if !diffs.is_empty() {
        out.push_str("\n## What changed inside matched sections\n");
        for (x, y, d) in diffs {
            out.push_str(&format!(
                "\n### {} ↔ {}\n\n",
                md_escape(&label(x, al.unit)),
                md_escape(&label(y, al.unit))
            ));
            for ch in &d.changes {
                let line: String = match ch.op {
                    ChangeOp::Delete => format!("removed: ~~{}~~", md_escape(&ch.pieces[0].text)),
                    ChangeOp::Insert => format!("added: **{}**", md_escape(&ch.pieces[0].text)),
                    ChangeOp::Change => {
                        let mut l = String::from("edited: ");
                        for p in &ch.pieces {
                            match p.op {
                                DiffOp::Equal => l.push_str(&md_escape(&p.text)),
                                DiffOp::Delete => {
                                    l.push_str(&format!("~~{}~~", md_escape(&p.text)))
                                }
                                DiffOp::Insert => {
                                    l.push_str(&format!("**{}**", md_escape(&p.text)))
                                }
                            }
                        }
                        l
                    }
                };
                out.push_str(&format!("- {line}\n"));
            }
            if d.equal > 0 {
                out.push_str(&format!("- {} sentence(s) unchanged\n", d.equal));
            }
        }
    }
    let patterns = pattern_lines(report);
    if !patterns.is_empty() {
        out.push_str("\n## Rhetorical patterns\n\n");
        for l in patterns {
            out.push_str(&format!("- {}\n", md_escape(&l)));
        }
    }
    {
        let r = &report.reuse;
        out.push_str(&format!(
            "\n## Reused passages\n\n{} passages ({} distinctive, {} boilerplate).\n\n",
            r.passages, r.distinctive, r.boilerplate
        ));
        if r.passages > 0 {
            out.push_str("| A section | B section | kind | class | similarity | A span | B span | opening |\n|---|---|---|---|---|---|---|---|\n");
            for p in &report.passages {
                let [kind, class, sim, a, b] = passage_facts(&p.passage);
                out.push_str(&format!(
                    "| {} | {} | {kind} | {class} | {sim} | {a} | {b} | {} |\n",
                    md_escape(&p.a_location),
                    md_escape(&p.b_location),
                    md_escape(&p.excerpt)
                ));
            }
        }
    }
    out
}

#[derive(serde::Serialize)]
struct StatusEntry {
    key: &'static str,
    label: &'static str,
    count: usize,
}

#[derive(serde::Serialize)]
struct ComparePage {
    t: std::collections::BTreeMap<&'static str, &'static str>,
    documents: Vec<String>,
    scores: crate::diff::Scores,
    verdict: String,
    statuses: Vec<StatusEntry>,
    rows: Vec<super::rows::AlignmentRow>,
    patterns: Vec<String>,
    reuse: crate::compare::ReuseSummary,
    passages: Vec<super::rows::PassageRow>,
}

/// A self-contained side-by-side HTML page (the `compare.html` template over the shared row view-model).
pub fn html(report: &CompareReport) -> String {
    let al = &report.alignment;
    let c = &al.counts;
    let statuses = [
        (Status::Same, c.same),
        (Status::Reworded, c.reworded),
        (Status::Rewritten, c.rewritten),
        (Status::Moved, c.moved),
        (Status::Split, c.split),
        (Status::Merged, c.merged),
        (Status::OnlyA, c.only_a),
        (Status::OnlyB, c.only_b),
    ]
    .into_iter()
    .map(|(s, count)| StatusEntry {
        key: s.as_str(),
        label: s.as_str(),
        count,
    })
    .collect();
    let view = ComparePage {
        t: [("heading_sim", "heading"), ("body_sim", "body")]
            .into_iter()
            .collect(),
        documents: vec![doc_line("A", &al.a), doc_line("B", &al.b)],
        scores: al.scores,
        verdict: al.verdict.clone(),
        statuses,
        rows: super::rows::alignment_rows(al, None),
        patterns: pattern_lines(report),
        reuse: report.reuse.clone(),
        passages: super::rows::placed_passage_rows(&report.passages),
    };
    let title = format!("tifa compare: {} ↔ {}", al.a.path, al.b.path);
    super::page::render(
        "compare.html",
        &title,
        super::page::Lang::En,
        &view,
        Vec::new(),
    )
}
