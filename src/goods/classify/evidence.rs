//! The evidence of a matched category: the first place each of its terms was found
//! and each of its code prefixes, placed in what the trader wrote (character offsets
//! in the description, or in the code), once per place, strong first, without a term
//! found inside another.

use compact_str::CompactString;
use smallvec::SmallVec;

use super::build::{CodeUses, Inner, Role, Use};
use super::tally::Effect;
use super::{Evidence, EvidenceKind, GoodsLine};
use crate::goods::terms::Found;
use crate::refdata::hs::CodeDigits;
use crate::rules::ir::Strength;
use crate::text::goods::{normalize_into, piece_span, Normalized, Piece};

/// One piece of evidence found for one category, before it is checked.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub(super) category: u32,
    pub(super) term: u32,
    pub(super) strong: bool,
    /// An exclusion code of the category, found on a line its strong term matched.
    pub(super) mismatch: bool,
    pub(super) kind: EvidenceKind,
    /// For a term, the range the matcher reported: bytes in the normalized text, or
    /// characters of the description when it was read as written; for a code, the
    /// digit count of the prefix in `end`.
    pub(super) start: usize,
    pub(super) end: usize,
}

/// A piece of evidence placed in what the trader wrote, before its text is copied.
#[derive(Debug, Clone, Copy)]
struct Placed {
    kind: EvidenceKind,
    start: usize,
    end: usize,
    strong: bool,
    mismatch: bool,
}

/// What the evidence of a matched category is placed with.
#[derive(Debug, Default)]
pub(super) struct Placing {
    /// The evidence of one matched category, before it is placed.
    pub(super) hits: Vec<Hit>,
    /// Evidence of one category, placed but not yet copied: kind, span, strength.
    placed: Vec<Placed>,
    /// The line's normalized text with its map, built only for a line whose term
    /// evidence the words cannot place; `mapped_ready` says whether it is this line's.
    mapped: Normalized,
    mapped_ready: bool,
}

impl Placing {
    /// Readies the buffers for a new line.
    pub(super) fn start_line(&mut self) {
        self.mapped_ready = false;
    }

    /// Places [`Placing::hits`] in `line`: the terms by `pieces` (the words they were
    /// found in, or `None` when their positions are already the description's
    /// character offsets), the code prefixes in the code as written (`code`, read from
    /// it). Places first, text last: only the evidence that is kept is copied.
    #[inline]
    pub(super) fn place(
        &mut self,
        line: &GoodsLine,
        pieces: Option<&[Piece]>,
        code: Option<&CodeDigits>,
    ) {
        let Placing {
            hits,
            placed,
            mapped,
            mapped_ready,
        } = self;
        placed.clear();
        for h in hits.iter() {
            let span = match h.kind {
                EvidenceKind::Term => match pieces {
                    None => Some((h.start, h.end)),
                    Some(pieces) => piece_span(pieces, h.start, h.end).or_else(|| {
                        if !*mapped_ready {
                            // The same text, now with its map, for a span the words
                            // cannot place (inside a CJK run, say).
                            normalize_into(line.text(), mapped);
                            *mapped_ready = true;
                        }
                        mapped.original_span(h.start, h.end)
                    }),
                },
                EvidenceKind::Hs => {
                    code.and_then(|c| c.span_of_prefix(line.hs.as_deref().unwrap_or(""), h.end))
                }
            };
            if let Some((start, end)) = span {
                placed.push(Placed {
                    kind: h.kind,
                    start,
                    end,
                    strong: h.strong,
                    mismatch: h.mismatch,
                });
            }
        }
        // Strong first among evidence at one place, which is reported once: two terms
        // of a category can be one normalized text (`steel pipe`, `steel pipes`).
        placed.sort_by_key(|p| {
            (
                p.kind == EvidenceKind::Hs,
                p.start,
                p.end,
                p.mismatch,
                !p.strong,
            )
        });
        placed.dedup_by_key(|p| (p.kind, p.start, p.end));
    }

    /// Copies the evidence [`Placing::place`] placed into `evidence`, with its text as
    /// written in `line`; `description_ascii` says whether the description is ASCII.
    #[inline]
    pub(super) fn copy_into(
        &self,
        line: &GoodsLine,
        description_ascii: bool,
        evidence: &mut SmallVec<[Evidence; 2]>,
    ) {
        let placed = &self.placed;
        for &Placed {
            kind,
            start,
            end,
            strong,
            mismatch,
        } in placed
        {
            // `Rolls-Royce Cullinan` says it all; `Cullinan` inside it adds nothing.
            let inside = kind == EvidenceKind::Term
                && placed.iter().any(|p| {
                    p.kind == EvidenceKind::Term
                        && p.start <= start
                        && end <= p.end
                        && (p.start, p.end) != (start, end)
                });
            if inside {
                continue;
            }
            let source = match kind {
                EvidenceKind::Term => (line.text(), description_ascii),
                EvidenceKind::Hs => {
                    let hs = line.hs.as_deref().unwrap_or("");
                    (hs, hs.is_ascii())
                }
            };
            evidence.push(Evidence {
                kind,
                text: char_slice(source.0, source.1, start, end),
                start,
                end,
                strength: if strong {
                    Strength::Strong
                } else {
                    Strength::Weak
                },
                mismatch,
            });
        }
    }
}

impl Inner {
    /// The evidence of category `ci` on a line, into `hits`: the first place each of
    /// its terms was found (`found` in order), then each of its code prefixes found, in
    /// order of length. Exclusion terms are not evidence; an exclusion code is, marked
    /// a mismatch, as on a matched category it can only be one its strong term outweighed.
    #[inline]
    pub(super) fn hits_of(
        &self,
        ci: u32,
        found: &[Found],
        codes: &[(usize, CodeUses)],
        hits: &mut Vec<Hit>,
    ) {
        hits.clear();
        let mut add = |u: &Use, kind, start, end| {
            let mismatch = u.role == Role::Exclude;
            if u.category != ci || mismatch && kind == EvidenceKind::Term {
                return;
            }
            if hits.iter().any(|h| h.kind == kind && h.term == u.term) {
                return;
            }
            hits.push(Hit {
                category: ci,
                term: u.term,
                strong: u.role == Role::Strong,
                mismatch,
                kind,
                start,
                end,
            });
        };
        // A term or code is evidence of the category only if it is strong or weak in
        // it: its effects say so at once, where its uses would be read one by one.
        let word = ci as usize / 64;
        let bit = 1u64 << (ci % 64);
        let concerns = |effects: &[Effect]| {
            effects
                .get(word)
                .is_some_and(|e| (e.strong | e.weak) & bit != 0)
        };
        for f in found {
            if !concerns(self.term_effects(f.term)) {
                continue;
            }
            let uses = self
                .patterns
                .get(f.term as usize)
                .map(|p| p.uses.as_slice());
            for u in uses.unwrap_or_default() {
                add(u, EvidenceKind::Term, f.start as usize, f.end as usize);
            }
        }
        let concerns_code = |effects: &[Effect]| {
            effects
                .get(word)
                .is_some_and(|e| (e.strong | e.weak | e.exclude) & bit != 0)
        };
        for &(n, code) in codes {
            if !concerns_code(self.code_effects(code)) {
                continue;
            }
            for u in self.code_uses(code) {
                add(u, EvidenceKind::Hs, 0, n);
            }
        }
    }
}

/// Whether category `ci` has two different weak terms found at places that do not
/// overlap: `watch case` holds `watch`, but is one piece of evidence, not two.
#[inline]
pub(super) fn two_weak_terms(hits: &[Hit], ci: u32) -> bool {
    let weak = || {
        hits.iter()
            .filter(move |h| h.category == ci && h.kind == EvidenceKind::Term && !h.strong)
    };
    weak().enumerate().any(|(i, a)| {
        weak()
            .skip(i + 1)
            .any(|b| a.term != b.term && (a.end <= b.start || b.end <= a.start))
    })
}

/// Characters `start..end` of `s`; `ascii` says whether `s` is ASCII.
#[inline]
pub(super) fn char_slice(s: &str, ascii: bool, start: usize, end: usize) -> CompactString {
    // Character offsets are byte offsets in ASCII text, the usual invoice line.
    if ascii {
        let end = end.min(s.len());
        return s.get(start.min(end)..end).unwrap_or("").into();
    }
    // The byte offsets of the two characters, found in one pass over the bytes (a
    // character starts at every byte that is not a UTF-8 continuation byte), then one
    // copy: decoding characters costs several times more.
    let end = end.max(start);
    let (mut from, mut to) = (s.len(), s.len());
    let mut n = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b & 0xC0 == 0x80 {
            continue;
        }
        if n == start {
            from = i;
        }
        if n == end {
            to = i;
            break;
        }
        n += 1;
    }
    s.get(from..to).unwrap_or("").into()
}
