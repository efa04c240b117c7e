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
//!   name test accepts a hit on that version (through any entry of its party then),
//!   or matches one at all and has so many matches that one more or fewer changes the
//!   best `limit` the screener keeps; a hit found alike (score, name, explanation) on
//!   both versions of an entity changed in its names only (the same party, accepted
//!   by the same tests) is no change;
//! - the same for an unchanged entry of a changed entity's party that the change
//!   moved: a name test accepts its party before and not after (or the other way)
//!   and no other test beside it under the same `or` takes the same hits before and
//!   after, or the party's other unchanged entries differ (hits on one party merge),
//!   or the rules have allowances (one naming an entry covers its party);
//! - the vessel's IMO number is one of those entities' IMO numbers;
//! - its previous decision cites such an entity, or an allowance (which may have
//!   expired since);
//! - or it has no previous decision, or one made with another ruleset than the old one,
//!   or one made for another order under the same id (its `order_hash`, see
//!   [`crate::order_hash`], is another, or it has none).
//!
//! Every other order would be screened to the same decision: a name's score against a
//! listed name depends on the two names only (word weights come from a fixed table, not
//! from the other names on the lists), so an entity nobody changed scores as before,
//! and the entities a name matches at most lose or gain the changed ones. When the
//! decision logic changed, every order is screened again.
//!
//! [`Rescreen::rescreen`] decides and screens one order, which is what a service
//! handler needs; [`Rescreen::run_jsonl`] runs a whole file in parallel, in input order.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::RwLock;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::accept;
use super::diff::{diff, ChangeKind, Diff, DiffOptions, EntityChange};
use super::names::NameKey;
pub use super::names::{OrderNames, PartyNames, VesselNames};
use super::previous::{hit_set, PreviousDecision, PreviousDecisions, ScreenedWith};
use crate::engine::{OrderDecision, Screener};
use crate::matching::{NameQuery, SearchOptions};
use crate::order::Order;
use crate::rules::ir::{EntityKind, RulesetData};
use crate::rules::{Decision, Ruleset};

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
    /// Its decision was made under other matching settings (`threshold`, `limit`)
    /// than the re-screen's, or records none.
    SettingsChanged,
    /// Its decision screened other lists than the re-screen's settings enable.
    ListsChanged,
    /// The order differs from the one its previous decision was made for (edited
    /// under the same id): its `order_hash` is another.
    OrderChanged,
    /// Its previous decision has no `order_hash` (an older version of embargo wrote
    /// it), so whether the order is the same is not known.
    NoOrderHash,
    /// Its previous decision cites an entity that changed or went.
    CitesChangedEntity,
    /// Its previous decision cites an entry linked (as one real party) to an entity
    /// that changed or went, before or after the update, in a way a test sees: a
    /// rule's filter accepts a hit through any entry of its party.
    CitesLinkedChange,
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
    pub const ALL: [Reason; 12] = [
        Reason::RulesChanged,
        Reason::NoPrevious,
        Reason::OtherRuleset,
        Reason::SettingsChanged,
        Reason::ListsChanged,
        Reason::OrderChanged,
        Reason::NoOrderHash,
        Reason::CitesChangedEntity,
        Reason::CitesLinkedChange,
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
            Reason::SettingsChanged => "previous decision made under other matching settings",
            Reason::ListsChanged => "previous decision screened other lists",
            Reason::OrderChanged => "the order changed since its previous decision",
            Reason::NoOrderHash => {
                "previous decision has no order_hash (written by an older version)"
            }
            Reason::CitesChangedEntity => "previous decision cites a changed entity",
            Reason::CitesLinkedChange => {
                "previous decision cites an entry linked to a changed entity"
            }
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
    shards: Vec<RwLock<FxHashMap<Box<[u8]>, bool>>>,
}

thread_local! {
    /// The key of the look-up at hand, built without allocating.
    pub(super) static KEY: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl NameMemo {
    const SHARDS: usize = 16;
    const MAX_PER_SHARD: usize = 1 << 16;

    fn new() -> NameMemo {
        NameMemo {
            shards: (0..Self::SHARDS)
                .map(|_| RwLock::new(FxHashMap::default()))
                .collect(),
        }
    }

    /// The answer for `name`, from the memo or from `search`.
    fn get_or(&self, name: &NameKey<'_>, search: impl FnOnce() -> bool) -> bool {
        KEY.with(|k| {
            let mut key = k.borrow_mut();
            name.write_key(&mut key);
            let mut h = rustc_hash::FxHasher::default();
            key.hash(&mut h);
            let shard = &self.shards[(h.finish() as usize) % Self::SHARDS];
            if let Some(&found) = shard
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .get(key.as_slice())
            {
                return found;
            }
            // Searched outside the lock: two threads may search one name at once, and
            // agree.
            let found = search();
            let mut w = shard.write().unwrap_or_else(|p| p.into_inner());
            // Bounded, for a service that keeps one re-screen for many requests: a
            // full shard starts again (an answer forgotten is only searched again).
            if w.len() >= Self::MAX_PER_SHARD {
                w.clear();
            }
            w.insert(Box::from(key.as_slice()), found);
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
    /// Entries linked (one real party) to a changed entity in the old or the new
    /// ruleset, not changed themselves, with the changes of their party.
    linked: HashMap<String, Vec<usize>>,
    /// Those of `linked` the update moves in or out of a name test, or into another
    /// party (see `accept::Linked`): their hits can change with no change of their
    /// own.
    moved: HashSet<String>,
    /// The names of the changed and moved entities, old and new versions; `None` when
    /// there are none.
    index: Option<Screener>,
    /// Per entity of `index`: the lowest score at which a party test (and a vessel
    /// test) of its own ruleset accepts a hit on that version, through any entry of its
    /// party then (infinite when none does).
    accepted_at: Vec<(f64, f64)>,
    /// Per entity of `index`: its other version, when the entity changed in its names
    /// only (see `accept::changed_in_names_only`). A name that finds both versions
    /// with the same hit is decided as before by this entity, whichever test reads it.
    twin: Vec<Option<u32>>,
    /// IMO numbers (digits) of the changed and moved entities, old and new versions.
    imo: HashSet<String>,
    /// The lowest score any rule of either ruleset accepts.
    floor: f64,
    /// What a decision of the old ruleset made under this re-screen's settings
    /// records of them: a previous decision recording anything else is screened again.
    screened_with: std::sync::Arc<ScreenedWith>,
    memo: NameMemo,
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
        let floor = accept::floor_of(old.data(), screener.options().threshold)
            .min(accept::floor_of(new.data(), screener.options().threshold));
        // Only the changes screening can see select orders; the others are still
        // named when they explain a decision that changed for another reason.
        let changed: HashMap<String, usize> = diff
            .entities
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.change != ChangeKind::Changed
                    || match (old.entity(&c.entity), new.entity(&c.entity)) {
                        (Some(a), Some(b)) => {
                            accept::changes_screening(old.data(), a, new.data(), b)
                        }
                        _ => true,
                    }
            })
            .map(|(k, c)| (c.entity.clone(), k))
            .collect();
        // The old ruleset's parties: stored with a compiled ruleset, else found as the
        // screener finds them.
        let old_links = match &old.links {
            Some(links) => std::sync::Arc::clone(links),
            None => std::sync::Arc::new(crate::engine::links::Links::new(old)),
        };
        let accept::Linked {
            parties: linked,
            moved,
        } = accept::linked(
            (old, &old_links),
            (&new, screener.links()),
            &changed,
            screener.options().threshold,
        );
        // Both versions of each changed or moved entity, in one small ruleset with both
        // rulesets' lists, so that the index is built exactly as the screener builds its
        // own (short forms, weak aliases, countries, lists enabled). A moved entry is
        // there because a test may accept (or no longer accept) a hit on it that it did
        // not before, with no change of its own.
        let mut lists = old.lists().to_vec();
        lists.extend(new.lists().iter().cloned());
        let mut entities = Vec::new();
        let mut accepted = Vec::new();
        let mut imo = HashSet::new();
        let threshold = screener.options().threshold;
        let mut moved_ids: Vec<&String> = moved.iter().collect();
        moved_ids.sort_unstable();
        // Each id with its change, and whether it is a changed entity itself (not a
        // moved entry, whose names are the same while a test sees it otherwise).
        let versions = diff
            .entities
            .iter()
            .filter(|c| changed.contains_key(&c.entity))
            .map(|c| (c.entity.as_str(), c.change, true))
            .chain(
                moved_ids
                    .into_iter()
                    .map(|id| (id.as_str(), ChangeKind::Changed, false)),
            );
        let mut twin = Vec::new();
        for (id, change, own) in versions {
            let first = entities.len();
            let both = [
                (change != ChangeKind::Added).then_some((old, &*old_links, 0)),
                (change != ChangeKind::Removed).then_some((
                    &new,
                    screener.links(),
                    old.lists().len(),
                )),
            ];
            for (rs, links, shift) in both.into_iter().flatten() {
                let party = accept::party(rs, links, id);
                let Some(&e) = party.first() else {
                    continue;
                };
                accepted.push(accept::accepted_at(rs.data(), &party, threshold));
                let mut e = e.clone();
                e.list += shift;
                imo.extend(
                    e.identifiers
                        .iter()
                        .filter(|i| i.scheme == "imo")
                        .filter_map(|i| imo_digits(&i.value)),
                );
                entities.push(e);
                twin.push(None);
            }
            let names_only = own
                && change == ChangeKind::Changed
                && entities.len() == first + 2
                && accepted.get(first) == accepted.get(first + 1)
                && accept::changed_in_names_only((old, &old_links), (&new, screener.links()), id);
            if names_only {
                let at = |k: usize| u32::try_from(k).ok();
                if let [a, b] = &mut twin[first..] {
                    (*a, *b) = (at(first + 1), at(first));
                }
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
        let screened_with = std::sync::Arc::new(screened_with(old, screener.options()));
        Rescreen {
            screener,
            diff,
            changed,
            linked,
            moved,
            index,
            accepted_at: accepted,
            twin,
            imo,
            floor,
            screened_with,
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

    /// What the old ruleset's decisions under this re-screen's settings record of them.
    pub fn screened_with(&self) -> &std::sync::Arc<ScreenedWith> {
        &self.screened_with
    }

    /// Whether `previous` was made under other settings than this re-screen's, and
    /// which: the matching settings (or none recorded), or the lists screened.
    fn other_settings(&self, previous: &PreviousDecision) -> Option<Reason> {
        let Some(was) = previous.screened_with.as_ref() else {
            return Some(Reason::SettingsChanged);
        };
        if std::sync::Arc::ptr_eq(was, &self.screened_with) {
            None
        } else if !was.same_matching(&self.screened_with) {
            Some(Reason::SettingsChanged)
        } else if was.lists != self.screened_with.lists {
            Some(Reason::ListsChanged)
        } else {
            None
        }
    }

    /// Whether the entities a name matches can differ between the old and the new
    /// ruleset in a way a rule sees: the name matches a version of a changed entity at
    /// a score at which some test accepts that version, or it matches one at all and
    /// could have so many matches that one more or one fewer changes which are kept
    /// (the screener keeps the best `limit` per name). `country` as the order writes
    /// it; `vessel`: the route's vessel rather than a party.
    pub(super) fn name_matches_change(
        &self,
        name: &str,
        country: Option<&str>,
        vessel: bool,
    ) -> bool {
        let Some(index) = self.index.as_ref() else {
            return false;
        };
        if name.trim().is_empty() {
            return false;
        }
        let kind = vessel.then_some(EntityKind::Vessel);
        // The query the screener makes of the same name.
        let mut q = NameQuery::new(name);
        q.country = country
            .and_then(crate::reference::country_code)
            .map(str::to_string);
        q.kind = kind;
        let limit = self.screener.options().limit.max(1);
        let changed = index.names().search(
            &q,
            &SearchOptions {
                threshold: self.floor,
                limit: index.names().len(),
            },
        );
        // A hit found alike on both versions of an entity changed in its names only
        // is the same hit before and after: neither the tests nor the best `limit`
        // can tell the two apart.
        let same_on_twin = |h: &crate::matching::NameHit| {
            self.twin
                .get(h.entity as usize)
                .copied()
                .flatten()
                .is_some_and(|t| {
                    changed.iter().any(|o| {
                        o.entity == t
                            && o.score.to_bits() == h.score.to_bits()
                            && o.kind == h.kind
                            && o.name == h.name
                            && o.explanation == h.explanation
                    })
                })
        };
        let changed: Vec<&crate::matching::NameHit> =
            changed.iter().filter(|h| !same_on_twin(h)).collect();
        if changed.is_empty() {
            return false;
        }
        // Only the hits the screener counts: below its eager search, a party
        // name's hit counts only when a distinctive word is shared.
        let seen = changed.iter().any(|h| {
            self.screener
                .counts_name_hit(h.score, &h.explanation, vessel)
                && self
                    .accepted_at
                    .get(h.entity as usize)
                    .is_some_and(|&(party, at_vessel)| {
                        h.score >= if vessel { at_vessel } else { party }
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
    }

    /// Why `order` must be screened again, or `None` when its decision cannot have
    /// changed since `previous`.
    pub fn select(
        &self,
        order: &OrderNames<'_>,
        previous: Option<&PreviousDecision>,
    ) -> Option<Reason> {
        if let Some(decided) = self.select_by_record(order, previous) {
            return decided;
        }
        order
            .names()
            .any(|n| {
                self.memo
                    .get_or(&n, || self.name_matches_change(n.name, n.country, n.vessel))
            })
            .then_some(Reason::NameMatchesChange)
    }

    /// [`Rescreen::select`] as far as it goes without searching the order's names:
    /// `Some` with the answer, or `None` when only the names can still tell (none of
    /// them matches a change: the decision stands).
    pub(super) fn select_by_record(
        &self,
        order: &OrderNames<'_>,
        previous: Option<&PreviousDecision>,
    ) -> Option<Option<Reason>> {
        if !self.diff.logic.is_empty() {
            return Some(Some(Reason::RulesChanged));
        }
        let Some(previous) = previous else {
            return Some(Some(Reason::NoPrevious));
        };
        if *previous.ruleset != self.diff.old_ruleset {
            return Some(Some(Reason::OtherRuleset));
        }
        // Made under other settings, the decision is not what the old rules give under
        // these, so no list change can tell whether it stands.
        if let Some(why) = self.other_settings(previous) {
            return Some(Some(why));
        }
        // An order edited under its id is another order: whatever the lists did, its
        // decision is to be made again. Without a fingerprint to compare (an order read
        // for its names only, a decision of an older version), it may be another too.
        match (previous.order_hash, order.hash) {
            (None, _) => return Some(Some(Reason::NoOrderHash)),
            (Some(before), Some(now)) if before == now => {}
            _ => return Some(Some(Reason::OrderChanged)),
        }
        if !previous.allowed.is_empty() {
            return Some(Some(Reason::Allowance));
        }
        if previous.entities().any(|e| self.changed.contains_key(e)) {
            return Some(Some(Reason::CitesChangedEntity));
        }
        if previous.entities().any(|e| self.moved.contains(e)) {
            return Some(Some(Reason::CitesLinkedChange));
        }
        if self.index.is_none() {
            return Some(None);
        }
        if let Some(digits) = order.route.imo.as_deref().and_then(imo_digits) {
            if self.imo.contains(&digits) {
                return Some(Some(Reason::ImoOfChange));
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
    pub(super) fn compare(
        &self,
        order: &Order,
        previous: Option<&PreviousDecision>,
    ) -> Option<Rescreened> {
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
            Some(p) if self.other_settings(p).is_some() => {
                let now = &self.screened_with;
                changes.push(Because::text(match p.screened_with.as_deref() {
                    None => format!(
                        "the previous decision records no settings (threshold, limit, lists): they may have been other than these ({})",
                        now.matching_text()
                    ),
                    Some(was) if !was.same_matching(now) => format!(
                        "the previous decision was made under other settings ({}; now {})",
                        was.matching_text(),
                        now.matching_text()
                    ),
                    Some(was) => format!(
                        "the previous decision screened other lists ({}; now {})",
                        was.lists_text(),
                        now.lists_text()
                    ),
                }));
            }
            Some(p) if p.order_hash.is_none() => changes.push(Because::text(
                "the previous decision has no order_hash (an older version wrote it): the order may have changed since"
                    .to_string(),
            )),
            Some(p) if p.order_hash != Some(decision.order_hash) => changes.push(Because::text(
                "the order changed since its previous decision (another order_hash)".to_string(),
            )),
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
            .collect();
        cited.sort_unstable();
        cited.dedup();
        // A cited entity's own change, or else the changes of the party it is one of
        // (linked now, or linked when the previous decision was made).
        let mut explained: Vec<usize> = cited
            .iter()
            .flat_map(|e| match self.changed.get(*e) {
                Some(&k) => vec![k],
                None => self.linked.get(*e).cloned().unwrap_or_default(),
            })
            .chain(
                previous
                    .into_iter()
                    .flat_map(|p| &p.linked)
                    .filter_map(|e| self.changed.get(e).copied()),
            )
            .collect();
        explained.sort_unstable();
        explained.dedup();
        for k in explained {
            if let Some(c) = self.diff.entities.get(k) {
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
}

/// A decision just made, as re-screening reads decisions written earlier.
pub fn previous_of(decision: &OrderDecision) -> PreviousDecision {
    PreviousDecision {
        decision: decision.decision,
        ruleset: decision.ruleset.as_str().into(),
        order_hash: Some(decision.order_hash),
        hits: hit_set(decision),
        allowed: decision
            .allowed
            .iter()
            .map(|a| a.hit.entity_id.clone())
            .collect(),
        linked: decision
            .hits
            .iter()
            .filter_map(|h| match &h.evidence {
                crate::engine::eval::Evidence::Entity { hit, .. } => Some(hit.also.iter()),
                _ => None,
            })
            .flatten()
            .cloned()
            .collect(),
        screened_with: Some(std::sync::Arc::new(ScreenedWith {
            threshold: decision.settings.threshold,
            limit: decision.settings.limit as f64,
            lists: {
                let mut l: Vec<String> = decision.lists.iter().map(|l| l.name.clone()).collect();
                l.sort_unstable();
                l
            },
        })),
        line: 0,
    }
}

/// What a decision of `old` made under `options` records of its settings: the
/// screener writes the threshold, the limit and the lists it screens, those of the
/// ruleset that the settings enable (all when they name none).
fn screened_with(old: &Ruleset, options: &crate::engine::ScreenOptions) -> ScreenedWith {
    let mut lists: Vec<String> = old
        .lists()
        .iter()
        .filter(|l| options.lists.is_empty() || options.lists.contains(&l.name))
        .map(|l| l.name.clone())
        .collect();
    lists.sort_unstable();
    ScreenedWith {
        threshold: options.threshold,
        limit: options.limit as f64,
        lists,
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
