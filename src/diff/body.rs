//! What changed inside a matched pair of sections: a sentence-level diff of their own text.
//!
//! Input: the two texts, their segments, the two section spans (without headings) and the spans of
//! their children (whose text belongs to the child rows). Output: a [`BodyDiff`]: sentences removed,
//! added and changed (with the changed words inline), and how many stayed the same.
//!
//! How: the sentences of each side that lie outside every child are compared by their normalised
//! form (white space and punctuation dropped) with `similar`'s Patience diff; inside a replaced
//! run, a removed and an added sentence that are alike (char-bigram Dice ≥ [`CHANGED_DICE`]) are
//! paired as one changed sentence, and their jieba words diffed with Myers.

use serde::Serialize;
use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::score::char_bigram_dice;
use super::{DiffOp, DiffPiece};
use crate::segment::{Segments, WordSegmenter};
use crate::text::{Span, Text};

/// A removed and an added sentence at least this alike (char-bigram Dice) are one changed sentence.
pub const CHANGED_DICE: f64 = 0.4;

/// The sentence-level diff of a matched pair's own text.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BodyDiff {
    /// Sentences found unchanged on both sides.
    pub equal: usize,
    /// Removed, added and changed sentences in reading order.
    pub changes: Vec<SentenceChange>,
}

/// One changed sentence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SentenceChange {
    /// `delete` (only in A), `insert` (only in B) or `change` (edited).
    pub op: ChangeOp,
    /// The A sentence (removed or before the edit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a: Option<Span>,
    /// The B sentence (added or after the edit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<Span>,
    /// The sentence with the edits inline: equal, deleted and inserted pieces (one piece for
    /// removed and added sentences).
    pub pieces: Vec<DiffPiece>,
}

/// Kind of a [`SentenceChange`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeOp {
    /// Only in A.
    Delete,
    /// Only in B.
    Insert,
    /// In both, edited.
    Change,
}

impl BodyDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// One side of a body diff: text, segments, the body span and the child spans to leave out.
pub(crate) struct BodySide<'a> {
    pub(crate) text: &'a Text,
    pub(crate) segments: &'a Segments,
    pub(crate) body: Span,
    pub(crate) children: Vec<Span>,
}

impl BodySide<'_> {
    fn sentences(&self) -> Vec<Span> {
        self.segments
            .sentences_in(self.body)
            .iter()
            .map(|s| Span::new(s.start.max(self.body.start), s.end.min(self.body.end)))
            .filter(|s| s.start < s.end)
            .filter(|s| {
                !self
                    .children
                    .iter()
                    .any(|c| c.start <= s.start && s.end <= c.end)
            })
            .filter(|s| !normal(self.text.slice(*s)).is_empty())
            .collect()
    }
}

fn normal(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || ('\u{4E00}'..='\u{9FFF}').contains(c))
        .collect()
}

/// The sentence diff of two bodies.
pub(crate) fn body_diff(a: &BodySide<'_>, b: &BodySide<'_>, seg: &WordSegmenter) -> BodyDiff {
    let (sa, sb) = (a.sentences(), b.sentences());
    let na: Vec<String> = sa.iter().map(|s| normal(a.text.slice(*s))).collect();
    let nb: Vec<String> = sb.iter().map(|s| normal(b.text.slice(*s))).collect();
    let mut out = BodyDiff::default();
    let whole = |text: &Text, s: Span, op: DiffOp| DiffPiece {
        op,
        text: text.slice(s).trim().to_string(),
    };
    for d in capture_diff_slices(Algorithm::Patience, &na, &nb) {
        let (tag, old, new) = d.as_tag_tuple();
        match tag {
            DiffTag::Equal => out.equal += old.len(),
            DiffTag::Delete => {
                for i in old {
                    out.changes.push(SentenceChange {
                        op: ChangeOp::Delete,
                        a: Some(sa[i]),
                        b: None,
                        pieces: vec![whole(a.text, sa[i], DiffOp::Delete)],
                    });
                }
            }
            DiffTag::Insert => {
                for j in new {
                    out.changes.push(SentenceChange {
                        op: ChangeOp::Insert,
                        a: None,
                        b: Some(sb[j]),
                        pieces: vec![whole(b.text, sb[j], DiffOp::Insert)],
                    });
                }
            }
            DiffTag::Replace => {
                // Pair removed and added sentences in order while they are alike.
                let (mut i, mut j) = (old.start, new.start);
                while i < old.end || j < new.end {
                    if i < old.end
                        && j < new.end
                        && char_bigram_dice(&na[i], &nb[j]) >= CHANGED_DICE
                    {
                        let words = |side: &BodySide<'_>, s: Span| -> Vec<String> {
                            seg.words(side.text, s)
                                .into_iter()
                                .map(|w| side.text.slice(w).to_string())
                                .collect()
                        };
                        out.changes.push(SentenceChange {
                            op: ChangeOp::Change,
                            a: Some(sa[i]),
                            b: Some(sb[j]),
                            pieces: super::level::heading_diff(&words(a, sa[i]), &words(b, sb[j])),
                        });
                        i += 1;
                        j += 1;
                    } else if i < old.end && (j >= new.end || (new.end - j) <= (old.end - i)) {
                        out.changes.push(SentenceChange {
                            op: ChangeOp::Delete,
                            a: Some(sa[i]),
                            b: None,
                            pieces: vec![whole(a.text, sa[i], DiffOp::Delete)],
                        });
                        i += 1;
                    } else {
                        out.changes.push(SentenceChange {
                            op: ChangeOp::Insert,
                            a: None,
                            b: Some(sb[j]),
                            pieces: vec![whole(b.text, sb[j], DiffOp::Insert)],
                        });
                        j += 1;
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Encoding;

    #[test]
    fn removed_added_and_edited_sentences() {
        let ta = Text::from_string(
            "a",
            "稳住经济大盘。扩大有效投资，加快重点项目建设。促进消费持续恢复。",
            Encoding::Utf8,
        );
        let tb = Text::from_string(
            "b",
            "稳住经济大盘。扩大有效投资，加快推进重大项目建设。培育新型消费。",
            Encoding::Utf8,
        );
        let (ga, gb) = (Segments::new(&ta), Segments::new(&tb));
        let side = |t: &'static Text, g: &'static Segments| BodySide {
            text: t,
            segments: g,
            body: Span::new(0, t.len_chars()),
            children: Vec::new(),
        };
        let (ta, tb, ga, gb) = (
            Box::leak(Box::new(ta)),
            Box::leak(Box::new(tb)),
            Box::leak(Box::new(ga)),
            Box::leak(Box::new(gb)),
        );
        let d = body_diff(&side(ta, ga), &side(tb, gb), &WordSegmenter::new());
        assert_eq!(d.equal, 1);
        let ops: Vec<ChangeOp> = d.changes.iter().map(|c| c.op).collect();
        assert_eq!(ops, [ChangeOp::Change, ChangeOp::Delete, ChangeOp::Insert]);
        let edit = &d.changes[0];
        assert!(
            edit.pieces
                .iter()
                .any(|p| p.op == DiffOp::Insert && p.text.contains("推进"))
        );
        assert!(
            edit.pieces
                .iter()
                .any(|p| p.op == DiffOp::Equal && p.text.contains("扩大有效投资"))
        );
        assert_eq!(d.changes[2].pieces[0].text, "培育新型消费。");
    }
}
