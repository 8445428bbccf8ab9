//! [`OverlapIndex`]: spans kept one by one, asked "which kept spans overlap this one?".
//!
//! Stages that keep the best of many overlapping candidates (pattern hits competing for members,
//! passages found by several comparison jobs) ask this for every candidate; scanning everything kept
//! makes that quadratic. Kept spans are indexed by start, and a query looks only at starts within the
//! widest kept span before it, so it costs the number of nearby spans, not the number kept.

use std::collections::BTreeMap;

use super::Span;

/// Kept spans with a payload each (usually an index into the caller's own list).
#[derive(Clone, Debug, Default)]
pub struct OverlapIndex<T> {
    by_start: BTreeMap<usize, Vec<(Span, T)>>,
    widest: usize,
}

impl<T> OverlapIndex<T> {
    /// An empty index.
    pub fn new() -> Self {
        OverlapIndex {
            by_start: BTreeMap::new(),
            widest: 0,
        }
    }

    /// Keeps `span` with its payload.
    pub fn insert(&mut self, span: Span, value: T) {
        self.widest = self.widest.max(span.len());
        self.by_start
            .entry(span.start)
            .or_default()
            .push((span, value));
    }

    /// The kept spans sharing at least one char with `span`, with their payloads.
    pub fn overlapping(&self, span: Span) -> impl Iterator<Item = (Span, &T)> + '_ {
        let lo = span.start.saturating_sub(self.widest);
        let hi = span.end.max(lo);
        self.by_start
            .range(lo..hi)
            .flat_map(|(_, v)| v.iter())
            .filter(move |(s, _)| s.overlaps(&span))
            .map(|(s, v)| (*s, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_exactly_the_overlapping_spans() {
        let mut ix = OverlapIndex::new();
        let kept = [(0, 10), (5, 6), (12, 40), (41, 42), (50, 50)];
        for (i, &(s, e)) in kept.iter().enumerate() {
            ix.insert(Span::new(s, e), i);
        }
        let q = |s, e| {
            let mut v: Vec<usize> = ix.overlapping(Span::new(s, e)).map(|(_, &i)| i).collect();
            v.sort();
            v
        };
        assert_eq!(q(9, 13), [0, 2]);
        assert_eq!(q(39, 41), [2]);
        assert_eq!(q(10, 12), Vec::<usize>::new());
        assert_eq!(q(5, 6), [0, 1]);
        // An empty span lies at a point: it overlaps the spans around that point (as `Span::overlaps`).
        assert_eq!(q(50, 51), Vec::<usize>::new());
        assert_eq!(q(0, 100), [0, 1, 2, 3, 4]);
    }
}
