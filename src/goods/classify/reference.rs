//! The classifier as first written: one Aho-Corasick automaton of every term run over
//! the whole normalized text, with the offset map of every line. Slower than the
//! production path, and kept only for tests, which assert that the production path
//! finds the same categories with the same evidence.

use aho_corasick::{AhoCorasick, MatchKind};

use super::{
    char_slice, two_weak_terms, Between, CategoryMatch, Classifier, Evidence, EvidenceKind,
    GoodsLine, Hit, NameSide, Role, Strength, Use,
};
use crate::goods::normalize::{reference, Normalized};
use crate::refdata::hs::HsCode;

/// A classifier answering as the first version did.
pub(crate) struct Reference {
    classifier: Classifier,
    automaton: Option<AhoCorasick>,
}

impl Reference {
    pub(crate) fn new(classifier: &Classifier) -> Reference {
        let texts: Vec<&str> = classifier
            .inner
            .patterns
            .iter()
            .map(|p| p.spec.text.as_str())
            .collect();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .ok()
            .filter(|_| !texts.is_empty());
        Reference {
            classifier: classifier.clone(),
            automaton,
        }
    }

    pub fn classify(&self, line: &GoodsLine) -> Vec<CategoryMatch> {
        let inner = &*self.classifier.inner;
        let mut norm = Normalized::default();
        let mut hits = Vec::new();
        let mut state = vec![CatState::default(); inner.categories.len()];
        let (norm, hits, state) = (&mut norm, &mut hits, &mut state);

        reference::normalize_into(line.text(), norm);
        if let Some(ac) = &self.automaton {
            let text = norm.text.as_bytes();
            let mut matches = Vec::new();
            for m in ac.find_overlapping_iter(norm.text.as_str()) {
                let Some(p) = inner.patterns.get(m.pattern().as_usize()) else {
                    continue;
                };
                let (open_start, open_end) = (p.spec.open_start(), p.spec.open_end());
                let left_ok = open_start || text.get(m.start().wrapping_sub(1)) == Some(&b' ');
                let right_ok = p.spec.prefix || open_end || text.get(m.end()) == Some(&b' ');
                if left_ok && right_ok {
                    matches.push((p, m.start(), m.end()));
                }
            }
            // A match next to a name word on its side is a name.
            let names: Vec<_> = matches
                .iter()
                .filter_map(|&(p, start, end)| Some((p.name_word?, start, end)))
                .collect();
            let next_to =
                |end: usize, start: usize| Between::Normalized.adjacent(end as u32, start as u32);
            for &(p, start, end) in &matches {
                let named = names.iter().any(|&(side, w_start, w_end)| match side {
                    NameSide::After => next_to(end, w_start),
                    NameSide::Before => next_to(w_end, start),
                });
                if p.name_word.is_some() || named {
                    continue;
                }
                for u in &p.uses {
                    record(state, hits, *u, EvidenceKind::Term, start, end);
                }
            }
        }

        let code = line.hs.as_deref().and_then(HsCode::parse);
        if let Some(code) = &code {
            // The key of each prefix, built digit by digit (see `hs_key`) rather than
            // parsing every prefix afresh.
            let mut value: u64 = 0;
            for (k, b) in code.digits.bytes().enumerate() {
                value = value * 10 + u64::from(b.wrapping_sub(b'0'));
                let n = k + 1;
                if n < 2 {
                    continue;
                }
                let uses = inner.hs.get(value * 16 + n as u64);
                for u in uses.map(|c| inner.code_uses(c)).unwrap_or_default() {
                    record(state, hits, *u, EvidenceKind::Hs, 0, n);
                }
            }
        }

        let mut out = Vec::new();
        let mut unit_value: Option<Option<f64>> = None;
        // Every category, in order, one at a time: the classifier decides them 64 at
        // a time, from sets of categories, which this checks rather than shares.
        for ci in 0..inner.categories.len() as u32 {
            let Some(&s) = state.get(ci as usize) else {
                continue;
            };
            let matched =
                s.strong || (s.weak_term && s.weak_hs) || (s.weak_term && two_weak_terms(hits, ci));
            if s.excluded || !matched {
                continue;
            }
            let Some(cat) = inner.categories.get(ci as usize) else {
                continue;
            };
            let mut unit_usd = None;
            if let Some(threshold) = cat.threshold_usd {
                let unit = *unit_value.get_or_insert_with(|| self.classifier.unit_value_usd(line));
                if unit.is_some_and(|u| u <= threshold) {
                    continue;
                }
                unit_usd = unit;
            }
            let mut evidence: Vec<Evidence> = Vec::new();
            for h in hits.iter().filter(|h| h.category == ci) {
                let found = match h.kind {
                    EvidenceKind::Term => norm.original_span(h.start, h.end).map(|(a, b)| {
                        (a, b, char_slice(line.text(), line.text().is_ascii(), a, b))
                    }),
                    EvidenceKind::Hs => code.as_ref().and_then(|c| {
                        let hs = line.hs.as_deref().unwrap_or("");
                        let (a, b) = c.span_of_prefix(h.end)?;
                        Some((a, b, char_slice(hs, hs.is_ascii(), a, b)))
                    }),
                };
                if let Some((start, end, text)) = found {
                    evidence.push(Evidence {
                        kind: h.kind,
                        text,
                        start,
                        end,
                        strength: if h.strong {
                            Strength::Strong
                        } else {
                            Strength::Weak
                        },
                    });
                }
            }
            evidence.sort_by_key(|e| {
                (
                    e.kind == EvidenceKind::Hs,
                    e.start,
                    e.end,
                    e.strength == Strength::Weak,
                )
            });
            // One piece of evidence per place, the strong one if any.
            evidence.dedup_by_key(|e| (e.kind, e.start, e.end));
            // `Rolls-Royce Cullinan` says it all; `Cullinan` inside it adds nothing.
            let spans: Vec<(usize, usize)> = evidence
                .iter()
                .filter(|e| e.kind == EvidenceKind::Term)
                .map(|e| (e.start, e.end))
                .collect();
            evidence.retain(|e| {
                e.kind == EvidenceKind::Hs
                    || !spans
                        .iter()
                        .any(|&(s, t)| s <= e.start && e.end <= t && (s, t) != (e.start, e.end))
            });
            out.push(CategoryMatch {
                category: ci as usize,
                evidence: evidence.into(),
                unit_value_usd: unit_usd,
            });
        }
        out
    }
}

/// What a line's finds say of one category.
#[derive(Debug, Clone, Copy, Default)]
struct CatState {
    excluded: bool,
    strong: bool,
    weak_term: bool,
    weak_hs: bool,
}

/// Records one use of a term or code found on the line: its category's state, and the
/// first place each term was found.
fn record(
    state: &mut [CatState],
    hits: &mut Vec<Hit>,
    u: Use,
    kind: EvidenceKind,
    start: usize,
    end: usize,
) {
    let Some(st) = state.get_mut(u.category as usize) else {
        return;
    };
    match u.role {
        Role::Exclude => {
            st.excluded = true;
            return;
        }
        Role::Strong => st.strong = true,
        Role::Weak => match kind {
            EvidenceKind::Hs => st.weak_hs = true,
            EvidenceKind::Term => st.weak_term = true,
        },
    }
    let seen = hits
        .iter()
        .any(|h| h.category == u.category && h.kind == kind && h.term == u.term);
    if !seen {
        hits.push(Hit {
            category: u.category,
            term: u.term,
            strong: u.role == Role::Strong,
            kind,
            start,
            end,
        });
    }
}
