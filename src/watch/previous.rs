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
use crate::order_hash::OrderHash;
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
    /// The fingerprint of the order it was made for; `None` for a decision written by
    /// a version of embargo before fingerprints (its order counts as changed).
    pub order_hash: Option<OrderHash>,
    /// The entities and categories it hit.
    pub hits: HitSet,
    /// Entity hits an allowance suppressed: allowances expire, so these orders may
    /// change with no change of the rules.
    pub allowed: Vec<String>,
    /// The entries linked to the entities it hit (their `also`: one real party on
    /// several lists), as the lists were then.
    pub linked: Vec<String>,
    /// The settings it was made under, as it records them (`settings` and the names
    /// in `lists`); `None` when it records none, so they are not known. Shared by the
    /// decisions made alike.
    pub screened_with: Option<Arc<ScreenedWith>>,
    /// The line it was read from.
    pub line: u64,
}

/// What a decision records of the settings it was made under, which can change it:
/// the matching settings and which lists were screened. A decision made under other
/// settings than a re-screen's is not the one the old rules give under the re-screen's
/// settings, so it cannot be kept on the grounds that the lists did not change.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenedWith {
    /// `settings.threshold`.
    pub threshold: f64,
    /// `settings.limit`, as the number written (a decision from elsewhere may hold
    /// any number: one that is no limit equals none).
    pub limit: f64,
    /// The names of the lists screened (its `lists`), sorted.
    pub lists: Vec<String>,
}

impl ScreenedWith {
    /// Whether the matching settings (threshold and limit) are the same; the lists are
    /// compared apart, to say which of the two differs.
    pub fn same_matching(&self, other: &ScreenedWith) -> bool {
        self.threshold.to_bits() == other.threshold.to_bits()
            && self.limit.to_bits() == other.limit.to_bits()
    }

    /// The matching settings in words: `threshold 0.95, limit 10`.
    pub fn matching_text(&self) -> String {
        format!("threshold {}, limit {}", self.threshold, self.limit)
    }

    /// The lists in words: `eu, un`, or `none`.
    pub fn lists_text(&self) -> String {
        if self.lists.is_empty() {
            "none".to_string()
        } else {
            self.lists.join(", ")
        }
    }

    /// Read from a decision line's `settings` and `lists`; `None` unless it has both.
    fn of(settings: Option<&LineSettings>, lists: Option<&[LineList<'_>]>) -> Option<ScreenedWith> {
        let (settings, lists) = (settings?, lists?);
        let mut lists: Vec<String> = lists.iter().map(|l| l.name.to_string()).collect();
        lists.sort_unstable();
        Some(ScreenedWith {
            threshold: settings.threshold,
            limit: settings.limit,
            lists,
        })
    }

    /// Whether it is what a line's `settings` and `lists` record, without building
    /// one: most lines of a file record the same.
    fn is(&self, settings: Option<&LineSettings>, lists: Option<&[LineList<'_>]>) -> bool {
        let (Some(settings), Some(lists)) = (settings, lists) else {
            return false;
        };
        settings.threshold.to_bits() == self.threshold.to_bits()
            && settings.limit.to_bits() == self.limit.to_bits()
            && lists.len() == self.lists.len()
            && lists.iter().enumerate().all(|(k, l)| {
                self.lists
                    .binary_search_by(|n| n.as_str().cmp(&l.name))
                    .is_ok()
                    && lists
                        .get(..k)
                        .is_some_and(|b| b.iter().all(|o| o.name != l.name))
            })
    }
}

/// A decision's `settings`, the part that can change it.
#[derive(Deserialize)]
struct LineSettings {
    threshold: f64,
    limit: f64,
}

/// An entry of a decision's `lists`: only its name is compared (its `as_of` is the
/// ruleset's, which the ruleset hash names).
#[derive(Deserialize)]
struct LineList<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
}

impl PreviousDecision {
    /// Reads one decision (a JSON object as `screen` writes it); its `id` is not read.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::watch::PreviousDecision;
    /// let p = PreviousDecision::from_json(br#"{"decision":"review","ruleset":"sha256:ab","hits":[{"kind":"entity","entity":"un:KPe.001"}]}"#)?;
    /// assert_eq!(p.entities().collect::<Vec<_>>(), ["un:KPe.001"]);
    /// # Ok::<(), String>(())
    /// ```
    pub fn from_json(text: &[u8]) -> Result<PreviousDecision, String> {
        #[derive(Deserialize)]
        struct NoId<'a> {
            decision: Decision,
            #[serde(borrow)]
            ruleset: Cow<'a, str>,
            #[serde(default, borrow)]
            order_hash: Option<Cow<'a, str>>,
            #[serde(default, borrow)]
            hits: Option<Vec<LineHit<'a>>>,
            #[serde(default, borrow)]
            allowed: Option<Vec<LineHit<'a>>>,
            #[serde(default)]
            settings: Option<LineSettings>,
            #[serde(default, borrow)]
            lists: Option<Vec<LineList<'a>>>,
        }
        let l: NoId = serde_json::from_slice(text).map_err(|e| format!("not a decision: {e}"))?;
        let (hits, allowed, linked) = hits_of(l.hits, l.allowed).map_err(|e| e.to_string())?;
        let order_hash = order_hash_of(l.order_hash.as_deref()).map_err(str::to_string)?;
        Ok(PreviousDecision {
            decision: l.decision,
            ruleset: Arc::from(&*l.ruleset),
            order_hash,
            hits,
            allowed,
            linked,
            screened_with: ScreenedWith::of(l.settings.as_ref(), l.lists.as_deref()).map(Arc::new),
            line: 0,
        })
    }

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
    /// Ids with more than one decision, and the line of the first: which one to
    /// compare with is not known, so their orders have none.
    ambiguous: rustc_hash::FxHashMap<String, u64>,
    /// Each distinct ruleset hash, with how many decisions it made.
    rulesets: Vec<(Arc<str>, u64)>,
    /// Each distinct record of settings, kept once.
    screened: Vec<Arc<ScreenedWith>>,
}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, deserialize_with = "super::text::text")]
    id: Cow<'a, str>,
    decision: Decision,
    #[serde(borrow)]
    ruleset: Cow<'a, str>,
    #[serde(default, borrow)]
    order_hash: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    hits: Option<Vec<LineHit<'a>>>,
    #[serde(default, borrow)]
    allowed: Option<Vec<LineHit<'a>>>,
    #[serde(default)]
    settings: Option<LineSettings>,
    #[serde(default, borrow)]
    lists: Option<Vec<LineList<'a>>>,
}

/// A decision's `order_hash`: absent (an older version wrote it), or `sha256:` and 64
/// hex digits; anything else is no decision embargo wrote.
fn order_hash_of(text: Option<&str>) -> Result<Option<OrderHash>, &'static str> {
    match text {
        None => Ok(None),
        Some(t) => OrderHash::parse(t)
            .map(Some)
            .ok_or("order_hash is not sha256: and 64 hex digits"),
    }
}

#[derive(Deserialize)]
struct LineHit<'a> {
    #[serde(default, borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    entity: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    category: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    also: Option<Vec<Cow<'a, str>>>,
}

/// One decision line, read but not yet filed: its id, hash and what it hit.
struct Parsed<'a> {
    id: Cow<'a, str>,
    ruleset: Cow<'a, str>,
    order_hash: Option<OrderHash>,
    decision: Decision,
    hits: HitSet,
    allowed: Vec<String>,
    linked: Vec<String>,
    settings: Option<LineSettings>,
    lists: Option<Vec<LineList<'a>>>,
}

impl Parsed<'_> {
    /// Its record of settings: one of `known` when the same, else a new one.
    fn screened_with(&self, known: &[Arc<ScreenedWith>]) -> Option<Arc<ScreenedWith>> {
        let (settings, lists) = (self.settings.as_ref(), self.lists.as_deref());
        match known.iter().find(|k| k.is(settings, lists)) {
            Some(k) => Some(Arc::clone(k)),
            None => ScreenedWith::of(settings, lists).map(Arc::new),
        }
    }
}

/// The entities and categories of a decision's hits, and the entities of its
/// allowed hits.
fn hits_of(
    hits: Option<Vec<LineHit<'_>>>,
    allowed: Option<Vec<LineHit<'_>>>,
) -> Result<(HitSet, Vec<String>, Vec<String>), &'static str> {
    let mut set = HitSet::new();
    let mut linked = Vec::new();
    for h in hits.into_iter().flatten() {
        match (h.kind.as_deref(), h.entity, h.category) {
            (Some("entity"), Some(e), _) => {
                set.insert(Hit::Entity(e.into_owned()));
                linked.extend(h.also.into_iter().flatten().map(Cow::into_owned));
            }
            (Some("goods"), _, Some(c)) => {
                set.insert(Hit::Category(c.into_owned()));
            }
            (Some("entity"), None, _) | (Some("goods"), _, None) => {
                return Err("a hit names no entity or category");
            }
            _ => {}
        }
    }
    let allowed = allowed
        .into_iter()
        .flatten()
        .filter_map(|h| h.entity.map(Cow::into_owned))
        .collect();
    Ok((set, allowed, linked))
}

/// What most decisions of a file share, kept once: the ruleset hash and the record
/// of settings a re-screen compares with.
pub(crate) struct Shared {
    pub(crate) ruleset: Arc<str>,
    pub(crate) screened_with: Arc<ScreenedWith>,
}

/// Reads one decision line on its own: the order's id and its decision, the ruleset
/// hash and the record of settings shared with `shared` when they are the same.
pub(crate) fn read_line<'a>(
    line: u64,
    text: &'a [u8],
    shared: &Shared,
) -> Result<(Cow<'a, str>, PreviousDecision), Rejected> {
    let p = parse_line(line, text)?;
    let ruleset = if *p.ruleset == *shared.ruleset {
        Arc::clone(&shared.ruleset)
    } else {
        Arc::from(&*p.ruleset)
    };
    let screened_with = p.screened_with(std::slice::from_ref(&shared.screened_with));
    Ok((
        p.id,
        PreviousDecision {
            decision: p.decision,
            ruleset,
            order_hash: p.order_hash,
            hits: p.hits,
            allowed: p.allowed,
            linked: p.linked,
            screened_with,
            line,
        },
    ))
}

/// Reads one decision line.
fn parse_line(line: u64, text: &[u8]) -> Result<Parsed<'_>, Rejected> {
    let l: Line = serde_json::from_slice(text).map_err(|e| Rejected {
        line,
        id: None,
        error: format!("not a decision: {e}"),
    })?;
    let rejected = |error: &str| Rejected {
        line,
        id: Some(l.id.to_string()),
        error: error.to_string(),
    };
    let (hits, allowed, linked) = hits_of(l.hits, l.allowed).map_err(rejected)?;
    let order_hash = order_hash_of(l.order_hash.as_deref()).map_err(rejected)?;
    Ok(Parsed {
        id: l.id,
        ruleset: l.ruleset,
        order_hash,
        decision: l.decision,
        hits,
        allowed,
        linked,
        settings: l.settings,
        lists: l.lists,
    })
}

impl PreviousDecisions {
    /// Reads decisions (JSON lines, as `screen` writes them). A line that is no
    /// decision, or repeats an id already read, is returned as rejected with its line
    /// number; every other line is kept, but an id with two decisions has none (which
    /// one its order was screened to is not known: the order is screened again).
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
    /// assert_eq!(previous.len(), 1);
    /// assert_eq!(previous.get("PO-1").map(|d| d.decision), Some(embargo::Decision::Block));
    /// assert!(previous.get("PO-2").is_none());
    /// assert_eq!(rejected[0].line, 3);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn read(mut reader: impl BufRead) -> std::io::Result<(PreviousDecisions, Vec<Rejected>)> {
        let mut out = PreviousDecisions::default();
        let mut rejected = Vec::new();
        out.read_on(&mut reader, &mut 0, &mut rejected)?;
        Ok((out, rejected))
    }

    /// Reads the rest of `reader`, whose lines before are `*number`, adding its
    /// decisions and the lines rejected.
    pub(crate) fn read_on(
        &mut self,
        reader: &mut dyn BufRead,
        number: &mut u64,
        rejected: &mut Vec<Rejected>,
    ) -> std::io::Result<()> {
        let mut chunk = Chunk::default();
        let mut reader = reader;
        loop {
            chunk.read(&mut reader, number, 1 << 15)?;
            if chunk.lines.is_empty() {
                return Ok(());
            }
            self.file_chunk(&chunk, rejected);
        }
    }

    /// Adds the decisions of a chunk of lines: parsed in parallel, filed in order (an
    /// id met twice keeps neither).
    pub(crate) fn file_chunk(&mut self, chunk: &Chunk, rejected: &mut Vec<Rejected>) {
        let parsed: Vec<Result<Parsed, Rejected>> = chunk
            .lines
            .par_iter()
            .map(|(line, range)| {
                parse_line(*line, chunk.buf.get(range.clone()).unwrap_or_default())
            })
            .collect();
        for (p, (line, _)) in parsed.into_iter().zip(&chunk.lines) {
            let filed = p.and_then(|p| {
                let screened_with = p.screened_with(&self.screened);
                // A few kept (a file holds one or two); the rest are each their own.
                if let Some(s) = screened_with.as_ref().filter(|_| self.screened.len() < 8) {
                    if !self.screened.iter().any(|k| Arc::ptr_eq(k, s)) {
                        self.screened.push(Arc::clone(s));
                    }
                }
                let decision = PreviousDecision {
                    decision: p.decision,
                    ruleset: self.intern(&p.ruleset),
                    order_hash: p.order_hash,
                    hits: p.hits,
                    allowed: p.allowed,
                    linked: p.linked,
                    screened_with,
                    line: *line,
                };
                self.insert(p.id.into_owned(), decision)
            });
            if let Err(r) = filed {
                rejected.push(r);
            }
        }
    }

    /// Adds one decision. An id already present is refused, naming both lines, and
    /// the decision filed for it goes too: which one its order was screened to is not
    /// known, so its order has no previous decision (and is screened again).
    pub fn insert(&mut self, id: String, decision: PreviousDecision) -> Result<(), Rejected> {
        let first = match self.by_id.remove(&id) {
            Some(first) => Some(first.line),
            None => self.ambiguous.get(&id).copied(),
        };
        if let Some(first) = first {
            self.ambiguous.insert(id.clone(), first);
            return Err(Rejected {
                line: decision.line,
                error: format!(
                    "order {id} already has a decision (line {first}); which one to compare with is not known, so neither is: the order is screened again"
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

    /// Each id with the line of its decision, in no particular order.
    pub(crate) fn lines(&self) -> impl Iterator<Item = (&str, u64)> {
        self.by_id.iter().map(|(id, d)| (id.as_str(), d.line))
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
