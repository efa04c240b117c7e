//! Decisions written earlier, read back for re-screening: for each order id, the
//! decision, the ruleset that made it, and the entities and categories it hit.
//!
//! Only what re-screening compares is kept (a few words per order), so the decisions
//! of a million orders fit in memory. Fields a decision line carries beyond those are
//! ignored, so decisions of older and newer versions of embargo read alike.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::BufRead;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::text::Chunk;

use crate::io::Rejected;
use crate::rules::Decision;

/// What a decision hit: a listed entity or a goods category, by id. Decisions compare
/// equal on these and the decision itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Hit {
    /// A listed entity (`ofac-sdn:36`).
    Entity(String),
    /// A goods category (`luxury_vehicles`).
    Category(String),
}

/// The entities and categories a decision hit, as a set.
pub type HitSet = BTreeSet<Hit>;

/// The hits of a decision as re-screening compares them.
pub fn hit_set(decision: &crate::engine::OrderDecision) -> HitSet {
    use crate::engine::eval::Evidence;
    decision
        .hits
        .iter()
        .filter_map(|h| match &h.evidence {
            Evidence::Entity { hit, .. } => Some(Hit::Entity(hit.entity_id.clone())),
            Evidence::Goods { hit, .. } => Some(Hit::Category(hit.category_id.clone())),
            _ => None,
        })
        .collect()
}

/// One decision written earlier.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousDecision {
    /// The decision.
    pub decision: Decision,
    /// The hash of the ruleset that made it (shared by every decision it made).
    pub ruleset: Arc<str>,
    /// The entities and categories it hit.
    pub hits: HitSet,
    /// Entity hits an allowance suppressed: allowances expire, so these orders may
    /// change with no change of the rules.
    pub allowed: Vec<String>,
    /// The line it was read from.
    pub line: u64,
}

impl PreviousDecision {
    /// The entity ids it hit or had allowed.
    pub fn entities(&self) -> impl Iterator<Item = &str> {
        self.hits
            .iter()
            .filter_map(|h| match h {
                Hit::Entity(id) => Some(id.as_str()),
                Hit::Category(_) => None,
            })
            .chain(self.allowed.iter().map(String::as_str))
    }
}

/// The decision of each order id, read from a decisions file.
#[derive(Debug, Clone, Default)]
pub struct PreviousDecisions {
    by_id: rustc_hash::FxHashMap<String, PreviousDecision>,
    /// Each distinct ruleset hash, with how many decisions it made.
    rulesets: Vec<(Arc<str>, u64)>,
}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, deserialize_with = "super::text::text")]
    id: Cow<'a, str>,
    decision: Decision,
    #[serde(borrow)]
    ruleset: Cow<'a, str>,
    #[serde(default, borrow)]
    hits: Option<Vec<LineHit<'a>>>,
    #[serde(default, borrow)]
    allowed: Option<Vec<LineHit<'a>>>,
}

#[derive(Deserialize)]
struct LineHit<'a> {
    #[serde(default, borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    entity: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    category: Option<Cow<'a, str>>,
}

/// One decision line, read but not yet filed: its id, hash and what it hit.
struct Parsed<'a> {
    id: Cow<'a, str>,
    ruleset: Cow<'a, str>,
    decision: Decision,
    hits: HitSet,
    allowed: Vec<String>,
}

/// Reads one decision line.
fn parse_line(line: u64, text: &[u8]) -> Result<Parsed<'_>, Rejected> {
    let l: Line = serde_json::from_slice(text).map_err(|e| Rejected {
        line,
        id: None,
        error: format!("not a decision: {e}"),
    })?;
    let mut hits = HitSet::new();
    for h in l.hits.into_iter().flatten() {
        match (h.kind.as_deref(), h.entity, h.category) {
            (Some("entity"), Some(e), _) => {
                hits.insert(Hit::Entity(e.into_owned()));
            }
            (Some("goods"), _, Some(c)) => {
                hits.insert(Hit::Category(c.into_owned()));
            }
            (Some("entity"), None, _) | (Some("goods"), _, None) => {
                return Err(Rejected {
                    line,
                    id: Some(l.id.into_owned()),
                    error: "a hit names no entity or category".to_string(),
                })
            }
            _ => {}
        }
    }
    let allowed = l
        .allowed
        .into_iter()
        .flatten()
        .filter_map(|h| h.entity.map(Cow::into_owned))
        .collect();
    Ok(Parsed {
        id: l.id,
        ruleset: l.ruleset,
        decision: l.decision,
        hits,
        allowed,
    })
}

impl PreviousDecisions {
    /// Reads decisions (JSON lines, as `screen` writes them). A line that is no
    /// decision, or repeats an id already read, is returned as rejected with its line
    /// number; every other line is kept.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::watch::PreviousDecisions;
    /// let text = r#"{"id":"PO-1","decision":"block","hits":[{"rule":"r","kind":"entity","entity":"un:KPe.001","name":"KOMID","score":1.0}],"ruleset":"sha256:ab"}
    /// {"id":"PO-2","decision":"clear","hits":[],"ruleset":"sha256:ab"}
    /// {"id":"PO-2","decision":"clear","hits":[],"ruleset":"sha256:ab"}
    /// "#;
    /// let (previous, rejected) = PreviousDecisions::read(text.as_bytes())?;
    /// assert_eq!(previous.len(), 2);
    /// assert_eq!(previous.get("PO-1").map(|d| d.decision), Some(embargo::Decision::Block));
    /// assert_eq!(rejected[0].line, 3);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn read(mut reader: impl BufRead) -> std::io::Result<(PreviousDecisions, Vec<Rejected>)> {
        let mut out = PreviousDecisions::default();
        let mut rejected = Vec::new();
        let (mut chunk, mut number) = (Chunk::default(), 0u64);
        loop {
            chunk.read(&mut reader, &mut number, 1 << 15)?;
            if chunk.lines.is_empty() {
                break;
            }
            // Parsed in parallel, filed in order (the first of two equal ids wins).
            let parsed: Vec<Result<Parsed, Rejected>> = chunk
                .lines
                .par_iter()
                .map(|(line, range)| {
                    parse_line(*line, chunk.buf.get(range.clone()).unwrap_or_default())
                })
                .collect();
            for (p, (line, _)) in parsed.into_iter().zip(&chunk.lines) {
                let filed = p.and_then(|p| {
                    let decision = PreviousDecision {
                        decision: p.decision,
                        ruleset: out.intern(&p.ruleset),
                        hits: p.hits,
                        allowed: p.allowed,
                        line: *line,
                    };
                    out.insert(p.id.into_owned(), decision)
                });
                if let Err(r) = filed {
                    rejected.push(r);
                }
            }
        }
        Ok((out, rejected))
    }

    /// Adds one decision; an id already present is refused, naming both lines.
    pub fn insert(&mut self, id: String, decision: PreviousDecision) -> Result<(), Rejected> {
        if let Some(first) = self.by_id.get(&id) {
            return Err(Rejected {
                line: decision.line,
                error: format!(
                    "order {id} already has a decision (line {}); which one to compare with is not known",
                    first.line
                ),
                id: Some(id),
            });
        }
        let hash = self.intern(&decision.ruleset);
        if let Some((_, n)) = self
            .rulesets
            .iter_mut()
            .find(|(h, _)| Arc::ptr_eq(h, &hash))
        {
            *n += 1;
        }
        self.by_id.insert(id, decision);
        Ok(())
    }

    /// The one shared copy of ruleset hash `hash`.
    fn intern(&mut self, hash: &str) -> Arc<str> {
        match self.rulesets.iter().find(|(h, _)| &**h == hash) {
            Some((h, _)) => h.clone(),
            None => {
                let h: Arc<str> = Arc::from(hash);
                self.rulesets.push((h.clone(), 0));
                h
            }
        }
    }

    /// The decision written for order `id`.
    pub fn get(&self, id: &str) -> Option<&PreviousDecision> {
        self.by_id.get(id)
    }

    /// Number of decisions.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Each ruleset hash the decisions name, with how many decisions it made, in the
    /// order first met.
    pub fn rulesets(&self) -> impl Iterator<Item = (&str, u64)> {
        self.rulesets
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(h, n)| (&**h, *n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_that_are_no_decision_are_rejected_by_line() {
        let text = "{\"id\":\"a\",\"decision\":\"clear\",\"ruleset\":\"h\"}\n\n{\"id\":\"b\",\"decision\":\"maybe\",\"ruleset\":\"h\"}\n{\"id\":7,\"decision\":\"review\",\"ruleset\":\"h\",\"hits\":[{\"kind\":\"goods\",\"category\":\"cars\"},{\"kind\":\"route\",\"place\":\"KP\"}],\"allowed\":[{\"allow\":\"x\",\"entity\":\"un:1\"}],\"extra\":1}\n{\"id\":\"c\",\"decision\":\"block\",\"ruleset\":\"h\",\"hits\":[{\"kind\":\"entity\"}]}\n";
        let (p, rejected) = PreviousDecisions::read(text.as_bytes()).expect("reads");
        assert_eq!(p.len(), 2);
        let lines: Vec<u64> = rejected.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 5]);
        let seven = p.get("7").expect("numeric ids read as text");
        assert_eq!(seven.hits, HitSet::from([Hit::Category("cars".into())]));
        assert_eq!(seven.entities().collect::<Vec<_>>(), ["un:1"]);
        assert_eq!(p.rulesets().collect::<Vec<_>>(), [("h", 2)]);
    }
}
