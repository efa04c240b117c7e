//! Re-screening after a list or rule update: only the orders whose decision can
//! change are screened again, and only the decisions that did change are written.
//!
//! # Which orders can change
//!
//! A decision depends on the decision logic (rules, categories, sets, rates,
//! allowances), on the entities a party name or the vessel matched, and on the day
//! (allowances expire). An entity change counts only when screening can see it: its
//! names (with their strength), kind, countries, identifiers, dates of birth, or which
//! name tests accept it; a new address or remark no test reads changes nothing. With
//! the logic unchanged, an order's decision can change only when
//!
//! - a party name or the vessel name matches a name of an added, removed or changed
//!   entity (the old or the new version; all of them in a small index of their own,
//!   each distinct name of the orders searched in it once) at a score at which some
//!   name test accepts that version, or matches one at all and has so many matches
//!   that one more or fewer changes the best `limit` the screener keeps;
//! - the vessel's IMO number is one of those entities' IMO numbers;
//! - its previous decision cites such an entity, or an allowance (which may have
//!   expired since);
//! - or it has no previous decision, or one made with another ruleset than the old one.
//!
//! Every other order would be screened to the same decision: a name's score against a
//! listed name depends on the two names only (word weights come from a fixed table, not
//! from the other names on the lists), so an entity nobody changed scores as before,
//! and the entities a name matches at most lose or gain the changed ones. When the
//! decision logic changed, every order is screened again.
//!
//! [`Rescreen::rescreen`] decides and screens one order, which is what a service
//! handler needs; [`Rescreen::run_jsonl`] runs a whole file in parallel, in input order.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::{BufRead, Write};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::diff::{diff, ChangeKind, Diff, DiffOptions, EntityChange};
use super::previous::{hit_set, PreviousDecision, PreviousDecisions};
use super::text::Chunk;
use crate::engine::{OrderDecision, Screener};
use crate::io::{Record, Rejected};
use crate::matching::{NameQuery, SearchOptions};
use crate::order::Order;
use crate::rules::ir::{Cond, EntityKind, RulesetData};
use crate::rules::{Decision, Ruleset};

/// What a re-screen needs of an order to tell whether it can change: its id, its
/// parties' names and countries, and the vessel. Texts are borrowed from the JSON line
/// (or the order) where they can be.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct OrderNames<'a> {
    /// The order's id.
    #[serde(borrow, deserialize_with = "super::text::text")]
    pub id: Cow<'a, str>,
    /// Each party's name and country.
    #[serde(default, borrow, deserialize_with = "null_default")]
    pub parties: Vec<PartyNames<'a>>,
    /// The vessel.
    #[serde(default, borrow, deserialize_with = "null_default")]
    pub route: VesselNames<'a>,
}

/// A party's name and country.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct PartyNames<'a> {
    /// The name as written.
    #[serde(default, borrow, deserialize_with = "super::text::opt_text")]
    pub name: Option<Cow<'a, str>>,
    /// The country as written.
    #[serde(default, borrow, deserialize_with = "super::text::opt_text")]
    pub country: Option<Cow<'a, str>>,
}

/// The route's vessel.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct VesselNames<'a> {
    /// The vessel's name.
    #[serde(default, borrow, deserialize_with = "super::text::opt_text")]
    pub vessel: Option<Cow<'a, str>>,
    /// Its IMO number.
    #[serde(default, borrow, deserialize_with = "super::text::opt_text")]
    pub imo: Option<Cow<'a, str>>,
}

fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

impl<'a> OrderNames<'a> {
    /// Reads the names of a JSON order, skipping everything else; an order whose names
    /// cannot be read is an error. Reading nothing but these is what makes selecting
    /// orders cheap: the goods lines, most of an order's bytes, are only scanned.
    pub fn from_json(text: &'a [u8]) -> Result<OrderNames<'a>, String> {
        serde_json::from_slice(text).map_err(|e| format!("invalid order: {e}"))
    }
}

impl<'a> From<&'a Order> for OrderNames<'a> {
    fn from(o: &'a Order) -> Self {
        let text = |t: &'a Option<String>| t.as_deref().map(Cow::Borrowed);
        OrderNames {
            id: Cow::Borrowed(&o.id),
            parties: o
                .parties
                .iter()
                .map(|p| PartyNames {
                    name: text(&p.name),
                    country: text(&p.country),
                })
                .collect(),
            route: VesselNames {
                vessel: text(&o.route.vessel),
                imo: text(&o.route.imo),
            },
        }
    }
}

/// Why an order is screened again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The decision logic changed: every order is screened again.
    RulesChanged,
    /// No decision was written for it earlier.
    NoPrevious,
    /// Its decision was made with another ruleset than the old one compared against.
    OtherRuleset,
    /// Its previous decision cites an entity that changed or went.
    CitesChangedEntity,
    /// Its previous decision had a hit suppressed by an allowance, which may have
    /// expired.
    Allowance,
    /// A party or vessel name matches a name of an added, removed or changed entity.
    NameMatchesChange,
    /// The vessel's IMO number is an added, removed or changed entity's.
    ImoOfChange,
}

impl Reason {
    /// Every reason, in a fixed order.
    pub const ALL: [Reason; 7] = [
        Reason::RulesChanged,
        Reason::NoPrevious,
        Reason::OtherRuleset,
        Reason::CitesChangedEntity,
        Reason::Allowance,
        Reason::NameMatchesChange,
        Reason::ImoOfChange,
    ];

    /// In words, for summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::RulesChanged => "decision logic changed",
            Reason::NoPrevious => "no previous decision",
            Reason::OtherRuleset => "previous decision made with another ruleset",
            Reason::CitesChangedEntity => "previous decision cites a changed entity",
            Reason::Allowance => "previous decision had an allowance",
            Reason::NameMatchesChange => "a name matches a changed entity",
            Reason::ImoOfChange => "the vessel's IMO is a changed entity's",
        }
    }
}

/// The decision an order had before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviousSummary {
    /// Its decision.
    pub decision: Decision,
    /// The ruleset that made it.
    pub ruleset: String,
}

/// One reason a decision changed, in words and, for a list change, with the entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Because {
    /// `newly listed on ofac-sdn, as of 2026-12-01`, `rule x changed`, ...
    pub text: String,
    /// The list, for a list change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// The entity, for a list change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// Added, removed or changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<ChangeKind>,
    /// The entity's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The entity's fields that changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<&'static str>,
    /// The as-of date of the list version that made the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
}

impl Because {
    fn text(text: String) -> Because {
        Because {
            text,
            list: None,
            entity: None,
            change: None,
            name: None,
            fields: Vec::new(),
            as_of: None,
        }
    }

    fn entity(c: &EntityChange) -> Because {
        Because {
            text: c.describe(),
            list: Some(c.list.clone()),
            entity: Some(c.entity.clone()),
            change: Some(c.change),
            name: Some(c.name.clone()),
            fields: c.fields.clone(),
            as_of: Some(c.as_of.clone()),
        }
    }
}

/// A decision that differs from the one written earlier: the new decision, what it
/// was, and why it changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rescreened {
    /// The new decision, as `screen` writes it.
    #[serde(flatten)]
    pub decision: OrderDecision,
    /// The decision written earlier (`null` when there was none).
    pub previous: Option<PreviousSummary>,
    /// The changes that explain the difference.
    pub changes: Vec<Because>,
}

/// The distinct names already searched among the changed entities' names, with the
/// answer. Order books repeat their counterparties, so most look-ups end here.
struct NameMemo {
    /// Read far more often than written: both threads read a shard at once.
    shards: Vec<RwLock<FxHashMap<Box<str>, bool>>>,
}

thread_local! {
    /// The key of the look-up at hand, built without allocating.
    static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

impl NameMemo {
    const SHARDS: usize = 16;

    fn new() -> NameMemo {
        NameMemo {
            shards: (0..Self::SHARDS)
                .map(|_| RwLock::new(FxHashMap::default()))
                .collect(),
        }
    }

    /// The answer for `name` in `country` (`vessel`: searched as a vessel), from the
    /// memo or from `search`.
    fn get_or(
        &self,
        name: &str,
        country: &str,
        vessel: bool,
        search: impl FnOnce() -> bool,
    ) -> bool {
        KEY.with(|k| {
            let mut key = k.borrow_mut();
            key.clear();
            key.push_str(name);
            key.push('\u{0}');
            key.push_str(country);
            if vessel {
                key.push_str("\u{0}v");
            }
            let mut h = rustc_hash::FxHasher::default();
            key.hash(&mut h);
            let shard = &self.shards[(h.finish() as usize) % Self::SHARDS];
            if let Some(&found) = shard
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .get(key.as_str())
            {
                return found;
            }
            // Searched outside the lock: two threads may search one name at once, and
            // agree.
            let found = search();
            shard
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .insert(Box::from(key.as_str()), found);
            found
        })
    }
}

/// Re-screening against a new ruleset of orders screened earlier with an old one.
pub struct Rescreen {
    screener: Screener,
    diff: Diff,
    /// The changes by entity id.
    changed: HashMap<String, usize>,
    /// The names of the changed entities, old and new versions; `None` when no entity
    /// changed.
    index: Option<Screener>,
    /// Per entity of `index`: the lowest score at which a party test (and a vessel
    /// test) of its own ruleset accepts that version (infinite when none does).
    accepted_at: Vec<(f64, f64)>,
    /// IMO numbers (digits) of the changed entities, old and new versions.
    imo: HashSet<String>,
    /// The lowest score any rule of either ruleset accepts.
    floor: f64,
    memo: NameMemo,
}

/// The lowest `score >=` of the name tests of `rs`, `default` for tests without one.
fn floor_of(rs: &RulesetData, default: f64) -> f64 {
    fn walk(c: &Cond, default: f64, floor: &mut f64) {
        match c {
            Cond::And(v) | Cond::Or(v) => v.iter().for_each(|x| walk(x, default, floor)),
            Cond::Not(x) => walk(x, default, floor),
            Cond::PartyMatches { min_score, .. } | Cond::VesselMatches { min_score, .. } => {
                *floor = floor.min(min_score.unwrap_or(default));
            }
            _ => {}
        }
    }
    let mut floor = default;
    for r in &rs.rules {
        walk(&r.when, default, &mut floor);
    }
    floor
}

/// The lowest score at which a party test, and a vessel test, of `rs` accept `e`
/// (infinite when none does). Tests under `not` count too: there an entity found or
/// gone changes the decision just as well.
fn accepted_at(rs: &RulesetData, e: &crate::rules::ir::Entity, default: f64) -> (f64, f64) {
    fn walk(c: &Cond, e: &crate::rules::ir::Entity, default: f64, at: &mut (f64, f64)) {
        match c {
            Cond::And(v) | Cond::Or(v) => v.iter().for_each(|x| walk(x, e, default, at)),
            Cond::Not(x) => walk(x, e, default, at),
            Cond::PartyMatches {
                filter, min_score, ..
            } if filter.accepts(e) => at.0 = at.0.min(min_score.unwrap_or(default)),
            Cond::VesselMatches { filter, min_score } if filter.accepts(e) => {
                at.1 = at.1.min(min_score.unwrap_or(default));
            }
            _ => {}
        }
    }
    let mut at = (f64::INFINITY, f64::INFINITY);
    for r in &rs.rules {
        walk(&r.when, e, default, &mut at);
    }
    at
}

/// Whether each name test of `rs` accepts `e`, keyed by rule and position in the rule
/// (rules keep their ids when files are loaded in another order).
fn acceptance(rs: &RulesetData, e: &crate::rules::ir::Entity) -> Vec<(String, usize, bool)> {
    fn walk(c: &Cond, e: &crate::rules::ir::Entity, out: &mut Vec<bool>) {
        match c {
            Cond::And(v) | Cond::Or(v) => v.iter().for_each(|x| walk(x, e, out)),
            Cond::Not(x) => walk(x, e, out),
            Cond::PartyMatches { filter, .. } | Cond::VesselMatches { filter, .. } => {
                out.push(filter.accepts(e));
            }
            _ => {}
        }
    }
    let mut all = Vec::new();
    for r in &rs.rules {
        let mut tests = Vec::new();
        walk(&r.when, e, &mut tests);
        all.extend(
            tests
                .into_iter()
                .enumerate()
                .map(|(k, a)| (r.id.clone(), k, a)),
        );
    }
    all.sort();
    all
}

/// Whether an entity changed in anything screening reads: the names it is indexed
/// under (with their strength, its kind and countries), its identifiers and dates of
/// birth (evidence for or against a name), or which name tests accept it. A new
/// address or remark that no test reads changes no decision.
fn changes_screening(
    old_rs: &RulesetData,
    old: &crate::rules::ir::Entity,
    new_rs: &RulesetData,
    new: &crate::rules::ir::Entity,
) -> bool {
    let names = |e: &crate::rules::ir::Entity| {
        let mut v: Vec<(String, bool)> = e
            .aliases
            .iter()
            .map(|a| {
                (
                    a.name.clone(),
                    a.strength == crate::rules::ir::Strength::Weak,
                )
            })
            .collect();
        v.push((e.name.clone(), false));
        v.sort();
        v
    };
    let ids = |e: &crate::rules::ir::Entity| {
        let mut v: Vec<(String, String)> = e
            .identifiers
            .iter()
            .map(|i| (i.scheme.clone(), i.value.clone()))
            .collect();
        v.sort();
        v
    };
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    old.kind != new.kind
        || names(old) != names(new)
        || sorted(&old.countries) != sorted(&new.countries)
        || sorted(&old.nationalities) != sorted(&new.nationalities)
        || sorted(&old.born) != sorted(&new.born)
        || ids(old) != ids(new)
        || acceptance(old_rs, old) != acceptance(new_rs, new)
}

/// IMO digits of an identifier or route field, as the screener reads them.
fn imo_digits(text: &str) -> Option<String> {
    let d: String = text.chars().filter(char::is_ascii_digit).collect();
    (d.len() == 7).then_some(d)
}

impl Rescreen {
    /// Prepares re-screening with `screener` (the new ruleset) of decisions made with
    /// `old`.
    pub fn new(old: &Ruleset, screener: Screener) -> Rescreen {
        let new = screener.ruleset().clone();
        let diff = diff(old, &new, &DiffOptions::default());
        let floor = floor_of(old, screener.options().threshold)
            .min(floor_of(&new, screener.options().threshold));
        // Only the changes screening can see select orders; the others are still
        // named when they explain a decision that changed for another reason.
        let changed: HashMap<String, usize> = diff
            .entities
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.change != ChangeKind::Changed
                    || match (old.entity(&c.entity), new.entity(&c.entity)) {
                        (Some(a), Some(b)) => changes_screening(old, a, &new, b),
                        _ => true,
                    }
            })
            .map(|(k, c)| (c.entity.clone(), k))
            .collect();
        // Both versions of each changed entity, in one small ruleset with both rulesets'
        // lists, so that the index is built exactly as the screener builds its own
        // (short forms, weak aliases, countries, lists enabled).
        let mut lists = old.lists.clone();
        lists.extend(new.lists.iter().cloned());
        let mut entities = Vec::new();
        let mut accepted = Vec::new();
        let mut imo = HashSet::new();
        let threshold = screener.options().threshold;
        for c in diff
            .entities
            .iter()
            .filter(|c| changed.contains_key(&c.entity))
        {
            let versions = [
                (c.change != ChangeKind::Added)
                    .then(|| old.entity(&c.entity).map(|e| (e, 0, &**old)))
                    .flatten(),
                (c.change != ChangeKind::Removed)
                    .then(|| new.entity(&c.entity).map(|e| (e, old.lists.len(), &*new)))
                    .flatten(),
            ];
            for (e, shift, rs) in versions.into_iter().flatten() {
                accepted.push(accepted_at(rs, e, threshold));
                let mut e = e.clone();
                e.list += shift;
                imo.extend(
                    e.identifiers
                        .iter()
                        .filter(|i| i.scheme == "imo")
                        .filter_map(|i| imo_digits(&i.value)),
                );
                entities.push(e);
            }
        }
        let index = (!entities.is_empty()).then(|| {
            let data = RulesetData {
                hash: String::new(),
                lists,
                entities,
                ..RulesetData::default()
            };
            let mut options = screener.options().clone();
            options.name_cache = 0;
            options.explain = false;
            Screener::new(Ruleset::from_data(data), options)
        });
        Rescreen {
            screener,
            diff,
            changed,
            index,
            accepted_at: accepted,
            imo,
            floor,
            memo: NameMemo::new(),
        }
    }

    /// What changed between the old ruleset and the new.
    pub fn diff(&self) -> &Diff {
        &self.diff
    }

    /// The screener of the new ruleset.
    pub fn screener(&self) -> &Screener {
        &self.screener
    }

    /// Whether the entities a name matches can differ between the old and the new
    /// ruleset in a way a rule sees: the name matches a version of a changed entity at
    /// a score at which some test accepts that version, or it matches one at all and
    /// could have so many matches that one more or one fewer changes which are kept
    /// (the screener keeps the best `limit` per name).
    fn matches_change(
        &self,
        index: &Screener,
        name: &str,
        country: Option<&str>,
        kind: Option<EntityKind>,
    ) -> bool {
        if name.trim().is_empty() {
            return false;
        }
        let code = country.and_then(crate::reference::country_code);
        self.memo
            .get_or(name, code.unwrap_or(""), kind.is_some(), || {
                // The query the screener makes of the same name.
                let mut q = NameQuery::new(name);
                q.country = code.map(str::to_string);
                q.kind = kind;
                let limit = self.screener.options().limit.max(1);
                let changed = index.names().search(
                    &q,
                    &SearchOptions {
                        threshold: self.floor,
                        limit: index.names().len(),
                    },
                );
                if changed.is_empty() {
                    return false;
                }
                let seen = changed.iter().any(|h| {
                    self.accepted_at
                        .get(h.entity as usize)
                        .is_some_and(|&(party, vessel)| {
                            h.score >= if kind.is_some() { vessel } else { party }
                        })
                });
                if seen {
                    return true;
                }
                // No test sees these entities, but they take places among the best
                // `limit`: when the name has that many matches, old and new versions
                // together, the ones kept may differ.
                let now = self.screener.names().search(
                    &q,
                    &SearchOptions {
                        threshold: self.floor,
                        limit,
                    },
                );
                now.len() + changed.len() >= limit
            })
    }

    /// Why `order` must be screened again, or `None` when its decision cannot have
    /// changed since `previous`.
    pub fn select(
        &self,
        order: &OrderNames<'_>,
        previous: Option<&PreviousDecision>,
    ) -> Option<Reason> {
        if !self.diff.logic.is_empty() {
            return Some(Reason::RulesChanged);
        }
        let Some(previous) = previous else {
            return Some(Reason::NoPrevious);
        };
        if *previous.ruleset != self.diff.old_ruleset {
            return Some(Reason::OtherRuleset);
        }
        if !previous.allowed.is_empty() {
            return Some(Reason::Allowance);
        }
        if previous.entities().any(|e| self.changed.contains_key(e)) {
            return Some(Reason::CitesChangedEntity);
        }
        let index = self.index.as_ref()?;
        if let Some(digits) = order.route.imo.as_deref().and_then(imo_digits) {
            if self.imo.contains(&digits) {
                return Some(Reason::ImoOfChange);
            }
        }
        for p in &order.parties {
            if let Some(name) = p.name.as_deref() {
                if self.matches_change(index, name, p.country.as_deref(), None) {
                    return Some(Reason::NameMatchesChange);
                }
            }
        }
        if let Some(vessel) = order.route.vessel.as_deref() {
            if self.matches_change(index, vessel, None, Some(EntityKind::Vessel)) {
                return Some(Reason::NameMatchesChange);
            }
        }
        None
    }

    /// Screens `order` again when it can have changed, and returns the new decision
    /// when it differs from `previous` in its decision or in the entities and
    /// categories it hit.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::engine::{ScreenOptions, Screener};
    /// use embargo::watch::{previous_of, Rescreen};
    /// use embargo::{Order, Ruleset};
    ///
    /// let rules = |entities: &str| format!(r#"
    /// list un {{ title "UN" as_of "2026-02-27" }}
    /// {entities}
    /// rule listed {{ basis "UNSCR 1718 (2006)" when party matches list(un) then block "Listed" }}
    /// "#);
    /// let old = Ruleset::from_text("old.emb", &rules(r#"entity un:KPe.001 { name "KOMID" }"#))?;
    /// let new = Ruleset::from_text("new.emb", &rules(r#"entity un:KPe.001 { name "KOMID" }
    /// entity un:KPe.009 { kind organization name "HUAXIN TRADING COMPANY LIMITED" }"#))?;
    ///
    /// let order = Order::from_json(r#"{"id": "PO-1", "parties": [{"name": "Huaxin Trading Co Ltd"}]}"#)?;
    /// let before = previous_of(&Screener::new(old.clone(), ScreenOptions::default()).screen(&order));
    ///
    /// let rescreen = Rescreen::new(&old, Screener::new(new, ScreenOptions::default()));
    /// let changed = rescreen.rescreen(&order, Some(&before)).expect("newly blocked");
    /// assert_eq!(changed.decision.decision, embargo::Decision::Block);
    /// assert_eq!(changed.changes[0].text, "newly listed on un, as of 2026-02-27");
    ///
    /// let other = Order::from_json(r#"{"id": "PO-2", "parties": [{"name": "Sunrise Logistics"}]}"#)?;
    /// let before = previous_of(&Screener::new(old.clone(), ScreenOptions::default()).screen(&other));
    /// assert!(rescreen.rescreen(&other, Some(&before)).is_none());
    /// # Ok::<(), embargo::Error>(())
    /// ```
    pub fn rescreen(
        &self,
        order: &Order,
        previous: Option<&PreviousDecision>,
    ) -> Option<Rescreened> {
        self.select(&OrderNames::from(order), previous)?;
        self.compare(order, previous)
    }

    /// Screens `order` and compares the decision with `previous`.
    fn compare(&self, order: &Order, previous: Option<&PreviousDecision>) -> Option<Rescreened> {
        let decision = self.screener.screen(order);
        let hits = hit_set(&decision);
        if previous.is_some_and(|p| p.decision == decision.decision && p.hits == hits) {
            return None;
        }
        let mut changes = Vec::new();
        match previous {
            None => changes.push(Because::text("no previous decision".to_string())),
            Some(p) if *p.ruleset != self.diff.old_ruleset => changes.push(Because::text(format!(
                "the previous decision was made with ruleset {}, not the one compared against ({})",
                p.ruleset, self.diff.old_ruleset
            ))),
            Some(_) => {}
        }
        changes.extend(self.diff.logic.iter().map(|l| Because::text(l.describe())));
        // The changed entities the new or the old decision cites.
        let mut cited: Vec<&str> = hits
            .iter()
            .filter_map(|h| match h {
                super::previous::Hit::Entity(e) => Some(e.as_str()),
                super::previous::Hit::Category(_) => None,
            })
            .chain(decision.allowed.iter().map(|a| a.hit.entity_id.as_str()))
            .chain(previous.into_iter().flat_map(PreviousDecision::entities))
            .filter(|e| self.changed.contains_key(*e))
            .collect();
        cited.sort_unstable();
        cited.dedup();
        for e in cited {
            if let Some(c) = self.changed.get(e).and_then(|&k| self.diff.entities.get(k)) {
                changes.push(Because::entity(c));
            }
        }
        if let Some(p) = previous {
            let now_allowed: HashSet<&str> = decision
                .allowed
                .iter()
                .map(|a| a.hit.entity_id.as_str())
                .collect();
            for e in p
                .allowed
                .iter()
                .filter(|e| !now_allowed.contains(e.as_str()))
            {
                changes.push(Because::text(format!(
                    "the allowance for {e} no longer applies"
                )));
            }
        }
        Some(Rescreened {
            previous: previous.map(|p| PreviousSummary {
                decision: p.decision,
                ruleset: p.ruleset.to_string(),
            }),
            decision,
            changes,
        })
    }

    /// Re-screens a file of JSON order lines against `previous`, in parallel, writing
    /// the decisions that changed to `out` in input order. Orders are read in chunks of
    /// `chunk_size` lines; an order is parsed in full only when it must be screened
    /// again. A line that cannot be read is reported to `on_reject` with its line
    /// number and counted; I/O errors stop the run.
    pub fn run_jsonl(
        &self,
        input: impl BufRead,
        previous: &PreviousDecisions,
        chunk_size: usize,
        out: &mut dyn Write,
        on_reject: &dyn Fn(&Rejected),
    ) -> std::io::Result<Summary> {
        let started = Instant::now();
        let mut summary = Summary::default();
        let mut input = input;
        let (mut chunk, mut number) = (Chunk::default(), 0u64);
        // Orders to screen again, held until there are enough to share out: selecting
        // searches the small index of changed names, screening the full one, and each
        // thread keeps the similar words of the index it searched last.
        let mut held = Held::default();
        loop {
            chunk.read(&mut input, &mut number, chunk_size)?;
            if chunk.lines.is_empty() {
                break;
            }
            let steps: Vec<Step> = chunk
                .lines
                .par_iter()
                .map(|(line, range)| {
                    self.select_line(
                        *line,
                        chunk.buf.get(range.clone()).unwrap_or_default(),
                        previous,
                    )
                })
                .collect();
            let mut done = Vec::new();
            for (step, (line, range)) in steps.into_iter().zip(&chunk.lines) {
                match step {
                    Step::Done(o) => done.push(o),
                    Step::Again(why) => {
                        held.push(*line, chunk.buf.get(range.clone()).unwrap_or_default(), why)
                    }
                }
            }
            summary.write(done, out, on_reject)?;
            if held.lines.len() >= HELD_ORDERS || held.buf.len() >= HELD_BYTES {
                let outcomes = self.screen_held(&held, previous);
                summary.write(outcomes, out, on_reject)?;
                held.clear();
            }
        }
        let outcomes = self.screen_held(&held, previous);
        summary.write(outcomes, out, on_reject)?;
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// Screens the held orders again, in parallel, in input order.
    fn screen_held(&self, held: &Held, previous: &PreviousDecisions) -> Vec<Outcome> {
        held.lines
            .par_iter()
            .map(|(line, range, why)| {
                let bytes = held.buf.get(range.clone()).unwrap_or_default();
                match full_order(*line, bytes) {
                    Err(r) => Outcome::Rejected(r),
                    Ok(order) => {
                        let before = previous.get(&order.id);
                        Outcome::of(*why, self.compare(&order, before))
                    }
                }
            })
            .collect()
    }

    /// Like [`Rescreen::run_jsonl`], for orders read by another reader (CSV).
    pub fn run_records(
        &self,
        records: impl Iterator<Item = std::io::Result<Record>>,
        previous: &PreviousDecisions,
        chunk_size: usize,
        out: &mut dyn Write,
        on_reject: &dyn Fn(&Rejected),
    ) -> std::io::Result<Summary> {
        let started = Instant::now();
        let mut summary = Summary::default();
        let mut records = records.peekable();
        let mut chunk: Vec<Record> = Vec::with_capacity(chunk_size.max(1));
        while records.peek().is_some() {
            chunk.clear();
            for r in records.by_ref() {
                chunk.push(r?);
                if chunk.len() >= chunk_size.max(1) {
                    break;
                }
            }
            let outcomes: Vec<Outcome> = chunk
                .par_iter()
                .map(|r| match r {
                    Ok((_, order)) => self.one_order(order, previous),
                    Err(rejected) => Outcome::Rejected(rejected.clone()),
                })
                .collect();
            summary.write(outcomes, out, on_reject)?;
        }
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    fn one_order(&self, order: &Order, previous: &PreviousDecisions) -> Outcome {
        let before = previous.get(&order.id);
        match self.select(&OrderNames::from(order), before) {
            None => Outcome::Same(None),
            Some(why) => Outcome::of(why, self.compare(order, before)),
        }
    }

    /// Whether the order on a line must be screened again.
    fn select_line(&self, line: u64, bytes: &[u8], previous: &PreviousDecisions) -> Step {
        let names = match OrderNames::from_json(bytes) {
            Ok(n) => n,
            // The full reader says what is wrong in its own words.
            Err(_) => {
                return Step::Done(match full_order(line, bytes) {
                    Err(r) => Outcome::Rejected(r),
                    Ok(order) => self.one_order(&order, previous),
                })
            }
        };
        match self.select(&names, previous.get(&names.id)) {
            None => Step::Done(Outcome::Same(None)),
            Some(why) => Step::Again(why),
        }
    }
}

/// Orders held for screening again: at most this many, or this many bytes of lines.
const HELD_ORDERS: usize = 50_000;
const HELD_BYTES: usize = 64 << 20;

/// Lines of orders to screen again, with why.
#[derive(Default)]
struct Held {
    buf: Vec<u8>,
    lines: Vec<(u64, std::ops::Range<usize>, Reason)>,
}

impl Held {
    fn push(&mut self, line: u64, bytes: &[u8], why: Reason) {
        let start = self.buf.len();
        self.buf.extend_from_slice(bytes);
        self.lines.push((line, start..self.buf.len(), why));
    }

    fn clear(&mut self) {
        self.buf.clear();
        self.lines.clear();
    }
}

/// What became of a line once read for selection.
enum Step {
    /// Nothing more to do.
    Done(Outcome),
    /// To be screened again.
    Again(Reason),
}

/// The order on a line, read in full and checked.
fn full_order(line: u64, bytes: &[u8]) -> Result<Order, Rejected> {
    match std::str::from_utf8(bytes) {
        Ok(text) => crate::io::parse_order_json(line, text.trim()).map(|(_, o)| o),
        Err(e) => Err(Rejected {
            line,
            id: None,
            error: format!("not valid UTF-8 (byte {})", e.valid_up_to()),
        }),
    }
}

/// What became of one order.
enum Outcome {
    /// Not screened again (`None`), or screened again to the same decision.
    Same(Option<Reason>),
    /// Screened again to another decision: the line to write.
    Changed(Reason, Decision, String),
    /// Could not be read.
    Rejected(Rejected),
}

impl Outcome {
    fn of(why: Reason, changed: Option<Rescreened>) -> Outcome {
        match changed {
            None => Outcome::Same(Some(why)),
            Some(r) => {
                let line = serde_json::to_string(&r).unwrap_or_else(|e| {
                    // Plain data always serializes; say so in the output rather than
                    // lose the order if it ever does not.
                    format!(
                        "{{\"id\":{:?},\"error\":\"cannot serialize: {e}\"}}",
                        r.decision.id
                    )
                });
                Outcome::Changed(why, r.decision.decision, line)
            }
        }
    }
}

/// Counts at the end of a re-screen.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Orders read.
    pub orders: u64,
    /// Orders screened again, by reason.
    pub rescreened: HashMap<Reason, u64>,
    /// Decisions that changed, by new decision.
    pub changed: HashMap<Decision, u64>,
    /// Records rejected.
    pub rejected: u64,
    /// Wall time.
    #[serde(skip)]
    pub elapsed: Duration,
}

impl Summary {
    fn write(
        &mut self,
        outcomes: Vec<Outcome>,
        out: &mut dyn Write,
        on_reject: &dyn Fn(&Rejected),
    ) -> std::io::Result<()> {
        for o in outcomes {
            match o {
                Outcome::Same(why) => {
                    self.orders += 1;
                    if let Some(why) = why {
                        *self.rescreened.entry(why).or_default() += 1;
                    }
                }
                Outcome::Changed(why, decision, line) => {
                    self.orders += 1;
                    *self.rescreened.entry(why).or_default() += 1;
                    *self.changed.entry(decision).or_default() += 1;
                    out.write_all(line.as_bytes())?;
                    out.write_all(b"\n")?;
                }
                Outcome::Rejected(r) => {
                    self.rejected += 1;
                    on_reject(&r);
                }
            }
        }
        Ok(())
    }

    /// Orders screened again.
    pub fn rescreened_total(&self) -> u64 {
        self.rescreened.values().sum()
    }

    /// Decisions written.
    pub fn changed_total(&self) -> u64 {
        self.changed.values().sum()
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let changed = |d: Decision| self.changed.get(&d).copied().unwrap_or(0);
        write!(
            f,
            "read {} orders, screened {} again, {} decisions changed (now {} block, {} review, {} clear), rejected {} records, {:.1} s",
            self.orders,
            self.rescreened_total(),
            self.changed_total(),
            changed(Decision::Block),
            changed(Decision::Review),
            changed(Decision::Clear),
            self.rejected,
            self.elapsed.as_secs_f64()
        )?;
        let why: Vec<String> = Reason::ALL
            .iter()
            .filter_map(|r| {
                self.rescreened
                    .get(r)
                    .map(|n| format!("{n} because {}", r.as_str()))
            })
            .collect();
        if !why.is_empty() {
            write!(f, "\nscreened again: {}", why.join("; "))?;
        }
        Ok(())
    }
}

/// A decision just made, as re-screening reads decisions written earlier.
pub fn previous_of(decision: &OrderDecision) -> PreviousDecision {
    PreviousDecision {
        decision: decision.decision,
        ruleset: decision.ruleset.as_str().into(),
        hits: hit_set(decision),
        allowed: decision
            .allowed
            .iter()
            .map(|a| a.hit.entity_id.clone())
            .collect(),
        line: 0,
    }
}

/// Among `candidates` (rulesets the caller can load), the one that made most of the
/// `previous` decisions: the old ruleset to compare against.
pub fn previous_ruleset(previous: &PreviousDecisions, candidates: &[Ruleset]) -> Option<Ruleset> {
    let mut best: Option<(&Ruleset, u64)> = None;
    for c in candidates {
        let made = previous
            .rulesets()
            .find(|(h, _)| *h == c.hash())
            .map_or(0, |(_, n)| n);
        if made > 0 && best.is_none_or(|(_, n)| made > n) {
            best = Some((c, made));
        }
    }
    best.map(|(r, _)| r.clone())
}
