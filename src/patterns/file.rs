//! The pattern file: TOML → validated, compiled [`Pattern`]s, with file:line:column errors.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::rx::{Rx, fold_pattern};
use super::{Family, Lexicon, Pattern, PatternKind, Series, Share, Structure, Unit};
use crate::error::{Error, Result};
use crate::outline::SectionKind;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default)]
    version: Option<u32>,
    #[serde(default)]
    pattern: Vec<Spanned<PatternToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternToml {
    id: Spanned<String>,
    family: Spanned<String>,
    description: String,
    kind: Spanned<String>,
    // kind = "regex"
    regex: Option<Spanned<String>>,
    anchor: Option<Spanned<String>>,
    stop: Option<Vec<String>>,
    // kind = "word-shape"
    shape: Option<Spanned<String>>,
    one_token: Option<bool>,
    // kind = "lexicon"
    lexicon: Option<Spanned<String>>,
    // kind = "series"
    unit: Option<Spanned<String>>,
    separators: Option<String>,
    min_members: Option<Spanned<usize>>,
    max_members: Option<usize>,
    member_len: Option<Spanned<[usize; 2]>>,
    member: Option<Spanned<String>>,
    share: Option<Spanned<String>>,
    min_shared: Option<usize>,
    equal_length: Option<bool>,
    length_ratio: Option<Spanned<f64>>,
    trim: Option<bool>,
    shared_fraction: Option<f64>,
    exclude_shared: Option<Vec<String>>,
    chained: Option<bool>,
    inner_pairs: Option<bool>,
    free_run_on: Option<bool>,
    uniform_separators: Option<bool>,
    // kind = "structure"
    min_head: Option<usize>,
    head_shape_distance: Option<f64>,
    min_anchor: Option<usize>,
    max_shape_distance: Option<f64>,
    positional_len: Option<usize>,
    positional_shape_distance: Option<f64>,
    shape_only_distance: Option<f64>,
    shape_tokens: Option<usize>,
    max_gap: Option<usize>,
    exclude_anchor: Option<Vec<String>>,
    reject: Option<Spanned<String>>,
    anchor_position: Option<f64>,
    strict_head: Option<bool>,
    max_clause_difference: Option<usize>,
    skeleton: Option<f64>,
    skeleton_band: Option<f64>,
    core_pairs: Option<bool>,
    equal_head_pairs: Option<bool>,
    mirrored: Option<bool>,
    clause_profile: Option<bool>,
    clause_shape_distance: Option<f64>,
    core_run_on: Option<String>,
    bound_tags: Option<String>,
    // kind = "outline"
    section_kind: Option<Spanned<String>>,
    examples: Spanned<Vec<String>>,
    counter_examples: Spanned<Vec<String>>,
}

/// Line and column (1-based, in chars) of a byte offset.
fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(src.len());
    let before = src.get(..byte).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit_once('\n')
        .map_or(before, |(_, l)| l)
        .chars()
        .count()
        + 1;
    (line, col)
}

struct Ctx<'a> {
    path: &'a Path,
    src: &'a str,
}

impl Ctx<'_> {
    fn err(&self, byte: usize, message: impl Into<String>) -> Error {
        let (line, column) = line_col(self.src, byte);
        Error::Pattern {
            path: self.path.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// The text of a lexicon named in a pattern file: a path relative to the pattern file's folder; the
/// default set's `slogans.txt` is embedded in the binary.
fn read_lexicon(ctx: &Ctx, name: &Spanned<String>) -> Result<String> {
    let rel = name.get_ref().trim();
    let path = ctx.path.parent().unwrap_or(Path::new("")).join(rel);
    match std::fs::read_to_string(&path) {
        Ok(s) => Ok(s),
        Err(_) if rel == "slogans.txt" => Ok(super::DEFAULT_SLOGANS.to_string()),
        Err(e) => Err(ctx.err(
            name.span().start,
            format!("cannot read lexicon {}: {e}", path.display()),
        )),
    }
}

/// Parses and compiles a pattern file.
pub fn parse(path: &Path, src: &str) -> Result<Vec<Pattern>> {
    let ctx = Ctx { path, src };
    let file: FileToml = toml::from_str(src).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        ctx.err(at, e.message().trim().to_string())
    })?;
    if let Some(v) = file.version
        && v != 1
    {
        return Err(ctx.err(
            0,
            format!("unsupported pattern file version {v} (expected 1)"),
        ));
    }
    let mut out: Vec<Pattern> = Vec::new();
    for p in file.pattern {
        let at = p.span().start;
        let pattern = compile(&ctx, p.into_inner())?;
        if out.iter().any(|q| q.id == pattern.id) {
            return Err(ctx.err(at, format!("duplicate pattern id `{}`", pattern.id)));
        }
        out.push(pattern);
    }
    Ok(out)
}

/// A problem with one field of a pattern: the field's byte offset and what is wrong with it.
type FieldError = (usize, String);

/// The value a keyword field names out of `choices`, or `default` when the field is absent.
fn keyword<T: Copy>(
    field: &Option<Spanned<String>>,
    what: &str,
    choices: &[(&str, T)],
    default: T,
) -> std::result::Result<T, FieldError> {
    let Some(field) = field else {
        return Ok(default);
    };
    let name = field.get_ref().as_str();
    choices
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, v)| v)
        .ok_or_else(|| {
            let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
            (
                field.span().start,
                format!("unknown {what} `{name}` ({})", names.join(", ")),
            )
        })
}

/// A regex field compiled as written (no anchoring), or none.
fn plain_rx(field: Option<&Spanned<String>>) -> std::result::Result<Option<Rx>, FieldError> {
    field
        .map(|m| Rx::compile(m.get_ref(), |s| s.to_string()).map_err(|e| (m.span().start, e)))
        .transpose()
}

/// Each string folded the way patterns are (none when the field is absent).
fn fold_all(words: Option<&[String]>) -> Vec<String> {
    words
        .unwrap_or_default()
        .iter()
        .map(|x| fold_pattern(x))
        .collect()
}

/// The member fields series and structures share, validated.
struct Members {
    member: Option<Rx>,
    min_members: usize,
    max_members: usize,
    member_len: (usize, usize),
    length_ratio: f64,
    separators: String,
}

/// Reads the member fields of a series or structure: `min_members` (at least 2, default
/// `default_min`), `max_members`, `member_len` (default `default_len`), `length_ratio` (at least 1,
/// default 2), `member` and `separators` (default `default_seps`, folded, backslashes dropped).
fn members(
    p: &PatternToml,
    default_min: usize,
    default_len: [usize; 2],
    default_seps: &str,
) -> std::result::Result<Members, FieldError> {
    let member = plain_rx(p.member.as_ref())?;
    let min_members = p.min_members.as_ref().map_or(default_min, |m| *m.get_ref());
    if min_members < 2 {
        let at = p.min_members.as_ref().map_or(0, |m| m.span().start);
        return Err((at, "min_members must be at least 2".to_string()));
    }
    let member_len = p.member_len.as_ref().map_or(default_len, |m| *m.get_ref());
    if member_len[0] == 0 || member_len[0] > member_len[1] {
        let at = p.member_len.as_ref().map_or(0, |m| m.span().start);
        return Err((
            at,
            "member_len must be [min, max] with 1 <= min <= max".to_string(),
        ));
    }
    let length_ratio = p.length_ratio.as_ref().map_or(2.0, |r| *r.get_ref());
    if length_ratio.is_nan() || length_ratio < 1.0 {
        let at = p.length_ratio.as_ref().map_or(0, |m| m.span().start);
        return Err((at, "length_ratio must be >= 1".to_string()));
    }
    Ok(Members {
        member,
        min_members,
        max_members: p.max_members.unwrap_or(usize::MAX).max(min_members),
        member_len: (member_len[0], member_len[1]),
        length_ratio,
        separators: fold_pattern(p.separators.as_deref().unwrap_or(default_seps))
            .chars()
            .filter(|c| *c != '\\')
            .collect(),
    })
}

fn compile(ctx: &Ctx, p: PatternToml) -> Result<Pattern> {
    let id = p.id.get_ref().trim().to_string();
    if id.is_empty() {
        return Err(ctx.err(p.id.span().start, "empty pattern id"));
    }
    let family = Family::from_name(p.family.get_ref()).ok_or_else(|| {
        ctx.err(
            p.family.span().start,
            format!(
                "unknown family `{}` (use one of: {})",
                p.family.get_ref(),
                Family::ALL.map(|f| f.name()).join(", ")
            ),
        )
    })?;
    let missing = |field: &str| {
        ctx.err(
            p.kind.span().start,
            format!(
                "pattern `{id}`: kind `{}` needs `{field}`",
                p.kind.get_ref()
            ),
        )
    };
    // A problem with one field of this pattern, at that field's byte offset.
    let fail = |(at, e): (usize, String)| ctx.err(at, format!("pattern `{id}`: {e}"));
    let kind = match p.kind.get_ref().as_str() {
        "regex" => {
            let src = p.regex.as_ref().ok_or_else(|| missing("regex"))?;
            let anchor = keyword(
                &p.anchor,
                "anchor",
                &[
                    ("none", Unit::None),
                    ("clause", Unit::Clause),
                    ("sentence", Unit::Sentence),
                ],
                Unit::None,
            )
            .map_err(fail)?;
            let rx = match anchor {
                Unit::None => Rx::compile(src.get_ref(), |s| s.to_string()),
                Unit::Clause => Rx::compile(src.get_ref(), |s| {
                    format!(r#"\A(?:{s})(?:[、,;。:!?…"'()《》]|\z)"#)
                }),
                _ => Rx::compile(src.get_ref(), |s| format!(r"\A(?:{s})(?:[;。!?…]|\z)")),
            }
            .map_err(|e| fail((src.span().start, e)))?;
            let stop = p
                .stop
                .clone()
                .unwrap_or_default()
                .iter()
                .map(|w| w.trim().to_string())
                .collect();
            PatternKind::Regex { rx, anchor, stop }
        }
        "series" => {
            let unit = keyword(
                &p.unit,
                "unit",
                &[
                    ("clause", Unit::Clause),
                    ("sentence", Unit::Sentence),
                    ("heading", Unit::Heading),
                ],
                Unit::Clause,
            )
            .map_err(fail)?;
            let share = keyword(
                &p.share,
                "share",
                &[
                    ("none", Share::None),
                    ("head", Share::Head),
                    ("tail", Share::Tail),
                    ("frame", Share::Frame),
                    ("chain", Share::Chain),
                ],
                Share::None,
            )
            .map_err(fail)?;
            let default_seps = match unit {
                Unit::Sentence => "。；！？",
                _ => "、，；",
            };
            let m = members(&p, 3, [1, 60], default_seps).map_err(fail)?;
            PatternKind::Series(Series {
                unit,
                separators: m.separators,
                min_members: m.min_members,
                max_members: m.max_members,
                member_len: m.member_len,
                member_whole: p.member.as_ref().is_some_and(|m| {
                    let m = m.get_ref().trim();
                    m.starts_with('^') && m.ends_with('$') && !m.ends_with("\\$")
                }),
                member: m.member,
                share,
                min_shared: p.min_shared.unwrap_or(1),
                equal_length: p.equal_length.unwrap_or(false),
                length_ratio: m.length_ratio,
                trim: p.trim.unwrap_or(share != Share::None),
                shared_fraction: p.shared_fraction.unwrap_or(0.0),
                stop: p.stop.clone().unwrap_or_default(),
                exclude_shared: fold_all(p.exclude_shared.as_deref()),
                chained: p.chained,
                inner_pairs: p.inner_pairs.unwrap_or(true),
                free_run_on: p.free_run_on.unwrap_or(false),
                uniform_separators: p.uniform_separators.unwrap_or(false),
            })
        }
        "structure" => {
            let unit = keyword(
                &p.unit,
                "unit",
                &[
                    ("clause", Unit::Clause),
                    ("sentence", Unit::Sentence),
                    ("paragraph", Unit::Paragraph),
                ],
                Unit::Sentence,
            )
            .map_err(fail)?;
            let default_seps = match unit {
                Unit::Clause => "、，；",
                _ => "。；！？",
            };
            let m = members(&p, 2, [2, 120], default_seps).map_err(fail)?;
            let reject = plain_rx(p.reject.as_ref()).map_err(fail)?;
            PatternKind::Structure(Box::new(Structure {
                reject,
                anchor_position: p.anchor_position.unwrap_or(0.3).clamp(0.0, 1.0),
                trim_lead: p.trim.unwrap_or(unit == Unit::Clause),
                strict_head: p.strict_head.unwrap_or(false),
                max_clause_difference: p.max_clause_difference.unwrap_or(usize::MAX),
                skeleton: p.skeleton.unwrap_or(0.0).clamp(0.0, 1.0),
                skeleton_band: p.skeleton_band.unwrap_or(0.1).clamp(0.0, 1.0),
                core_pairs: p.core_pairs.unwrap_or(false),
                equal_head_pairs: p.equal_head_pairs.unwrap_or(false),
                mirrored: p.mirrored.unwrap_or(false),
                clause_profile: p.clause_profile.unwrap_or(false),
                clause_shape_distance: p
                    .clause_shape_distance
                    .or(p.max_shape_distance)
                    .unwrap_or(0.4)
                    .max(0.0),
                core_run_on: fold_pattern(p.core_run_on.as_deref().unwrap_or("的之中等和与及"))
                    .chars()
                    .collect(),
                bound_tags: p.bound_tags.clone().unwrap_or_default().into_bytes(),
                unit,
                separators: m.separators,
                min_members: m.min_members,
                max_members: m.max_members,
                member_len: m.member_len,
                member: m.member,
                length_ratio: m.length_ratio,
                min_head: p.min_head.unwrap_or(2),
                head_shape_distance: p.head_shape_distance.unwrap_or(1.0).max(0.0),
                min_anchor: p.min_anchor.unwrap_or(2),
                max_shape_distance: p.max_shape_distance.unwrap_or(0.4).max(0.0),
                positional_len: p.positional_len.unwrap_or(0),
                positional_shape_distance: p
                    .positional_shape_distance
                    .or(p.max_shape_distance)
                    .unwrap_or(0.4)
                    .max(0.0),
                shape_only_distance: p.shape_only_distance.unwrap_or(-1.0),
                shape_tokens: p.shape_tokens.unwrap_or(12).clamp(1, 64),
                max_gap: p.max_gap.unwrap_or(0).min(8),
                exclude_anchor: fold_all(p.exclude_anchor.as_deref()),
            }))
        }
        "word-shape" => {
            let sh = p.shape.as_ref().ok_or_else(|| missing("shape"))?;
            let shape: Vec<u8> = sh.get_ref().trim().bytes().collect();
            if shape.len() < 4
                || shape.len() > 12
                || !shape.len().is_multiple_of(2)
                || !shape.iter().all(u8::is_ascii_uppercase)
            {
                return Err(ctx.err(
                    sh.span().start,
                    format!(
                        "pattern `{id}`: shape must be 4 to 12 capital letters, an even number (`ABAC`)"
                    ),
                ));
            }
            PatternKind::WordShape {
                shape,
                stop: p.stop.clone().unwrap_or_default(),
                one_token: p.one_token.unwrap_or(true),
            }
        }
        "lexicon" => {
            let f = p.lexicon.as_ref().ok_or_else(|| missing("lexicon"))?;
            let src = read_lexicon(ctx, f)?;
            let lexicon = Lexicon::parse(&src).map_err(|(line, e)| {
                ctx.err(
                    f.span().start,
                    format!("pattern `{id}`: lexicon `{}` line {line}: {e}", f.get_ref()),
                )
            })?;
            PatternKind::Lexicon(lexicon)
        }
        "outline" => {
            let sk = p
                .section_kind
                .as_ref()
                .ok_or_else(|| missing("section_kind"))?;
            let kind = match sk.get_ref().as_str() {
                "part" => SectionKind::Part,
                "subpart" => SectionKind::Subpart,
                "numbered" => SectionKind::Numbered,
                "item" => SectionKind::Item,
                "enumeration" => SectionKind::Enumeration,
                "dash" => SectionKind::Dash,
                "lead" => SectionKind::Lead,
                other => {
                    return Err(ctx.err(
                        sk.span().start,
                        format!("pattern `{id}`: unknown section_kind `{other}`"),
                    ));
                }
            };
            PatternKind::Outline {
                kind,
                min_members: p.min_members.as_ref().map_or(2, |m| *m.get_ref()).max(1),
            }
        }
        other => {
            return Err(ctx.err(
                p.kind.span().start,
                format!("pattern `{id}`: unknown kind `{other}` (regex, series, structure, word-shape, lexicon, outline)"),
            ));
        }
    };
    if p.examples.get_ref().is_empty() {
        return Err(ctx.err(
            p.examples.span().start,
            format!("pattern `{id}`: at least one example is required"),
        ));
    }
    if p.counter_examples.get_ref().is_empty() {
        return Err(ctx.err(
            p.counter_examples.span().start,
            format!("pattern `{id}`: at least one counter-example is required"),
        ));
    }
    let (line, _) = line_col(ctx.src, p.id.span().start);
    Ok(Pattern {
        id,
        family,
        description: p.description,
        kind,
        examples: p.examples.into_inner(),
        counter_examples: p.counter_examples.into_inner(),
        source: PathBuf::from(ctx.path),
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_chars() {
        assert_eq!(line_col("ab\n争cd", 6), (2, 2));
        assert_eq!(line_col("x", 0), (1, 1));
    }
}
