//! Scores: how densely a document or outline section uses rhetorical patterns.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Family, PatternHit};
use crate::SpeechFile;
use crate::outline::Outline;
use crate::text::Span;

/// Pattern figures of a span of text.
///
/// `chars` counts non-white-space chars, so reflowed copies of a speech score alike. A hit belongs to the
/// span its start lies in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scores {
    /// Non-white-space chars in the span.
    pub chars: usize,
    /// Number of hits.
    pub hits: usize,
    /// Hits per 1,000 chars.
    pub hits_per_1000: f64,
    /// Share of the chars covered by hit members (0–1).
    pub coverage: f64,
    /// Hits per family (every family listed, zeros included).
    pub by_family: BTreeMap<Family, usize>,
    /// Parallel-structure density: parallelism, antithesis, anadiplosis and frame hits per 1,000 chars.
    pub parallel_density: f64,
}

/// Scores of one outline section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SectionScores {
    /// Index path of the section in the outline (`[0, 2]` = third child of the first section).
    pub path: Vec<usize>,
    /// The section heading.
    pub heading: String,
    /// Its scores (the section includes its sub-sections).
    pub scores: Scores,
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Scores of `span` given hits sorted by start.
fn scores_of(file: &SpeechFile, span: Span, hits: &[PatternHit]) -> Scores {
    let text = &file.text;
    let chars = text
        .slice(span)
        .chars()
        .filter(|c| !c.is_whitespace())
        .count();
    let a = hits.partition_point(|h| h.span.start < span.start);
    let b = hits.partition_point(|h| h.span.start < span.end);
    let inside = &hits[a..b.max(a)];
    let mut by_family: BTreeMap<Family, usize> = Family::ALL.iter().map(|f| (*f, 0)).collect();
    for h in inside {
        *by_family.entry(h.family).or_default() += 1;
    }
    // Union of member spans clipped to the span, counted in non-white-space chars.
    let mut spans: Vec<Span> = inside
        .iter()
        .flat_map(|h| h.members.iter())
        .map(|m| Span::new(m.start.max(span.start), m.end.min(span.end)))
        .filter(|m| !m.is_empty())
        .collect();
    spans.sort();
    let mut covered = 0;
    let mut reach = span.start;
    for m in spans {
        let s = m.start.max(reach);
        if m.end > s {
            covered += text
                .slice(Span::new(s, m.end))
                .chars()
                .filter(|c| !c.is_whitespace())
                .count();
            reach = m.end;
        }
    }
    let per_1000 = |n: usize| {
        if chars == 0 {
            0.0
        } else {
            round(n as f64 * 1000.0 / chars as f64)
        }
    };
    let parallel = inside.iter().filter(|h| h.family.is_parallel()).count();
    Scores {
        chars,
        hits: inside.len(),
        hits_per_1000: per_1000(inside.len()),
        coverage: if chars == 0 {
            0.0
        } else {
            round(covered as f64 / chars as f64)
        },
        by_family,
        parallel_density: per_1000(parallel),
    }
}

/// Document and section scores for hits sorted by span.
pub(super) fn score(
    file: &SpeechFile,
    outline: &Outline,
    hits: &[PatternHit],
) -> (Scores, Vec<SectionScores>) {
    let doc = scores_of(file, outline.document.span, hits);
    let mut sections = Vec::new();
    outline.walk(|path, s| {
        sections.push(SectionScores {
            path: path.to_vec(),
            heading: s.heading.clone(),
            scores: scores_of(file, s.span, hits),
        });
    });
    (doc, sections)
}
