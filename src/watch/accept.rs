//! Which name tests of a ruleset accept a listed entity: alone, or through the party
//! it is one entry of (a rule's filter accepts a hit when it accepts any entry of the
//! hit's party), and which unchanged entries an update moves in or out of a test that
//! way.

use std::collections::{HashMap, HashSet};

use crate::engine::links::Links;
use crate::rules::ir::{Cond, Entity, RulesetData};
use crate::rules::Ruleset;

/// The lowest `score >=` of the name tests of `rs`, `default` for tests without one.
pub(super) fn floor_of(rs: &RulesetData, default: f64) -> f64 {
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

/// The lowest score at which a party test, and a vessel test, of `rs` accept a hit on
/// the first entry of `party` (accepted through any of its entries; infinite when no
/// test does). Tests under `not` count too: there an entity found or gone changes the
/// decision just as well.
pub(super) fn accepted_at(rs: &RulesetData, party: &[&Entity], default: f64) -> (f64, f64) {
    fn walk(c: &Cond, party: &[&Entity], default: f64, at: &mut (f64, f64)) {
        match c {
            Cond::And(v) | Cond::Or(v) => v.iter().for_each(|x| walk(x, party, default, at)),
            Cond::Not(x) => walk(x, party, default, at),
            Cond::PartyMatches {
                filter, min_score, ..
            } if party.iter().any(|e| filter.accepts(e)) => {
                at.0 = at.0.min(min_score.unwrap_or(default));
            }
            Cond::VesselMatches { filter, min_score }
                if party.iter().any(|e| filter.accepts(e)) =>
            {
                at.1 = at.1.min(min_score.unwrap_or(default));
            }
            _ => {}
        }
    }
    let mut at = (f64::INFINITY, f64::INFINITY);
    for r in &rs.rules {
        walk(&r.when, party, default, &mut at);
    }
    at
}

/// Whether each name test of `rs` accepts a hit on an entry of `party`, keyed by rule
/// and position in the rule (rules keep their ids when files are loaded in another
/// order, list indices do not).
pub(super) fn acceptance(rs: &RulesetData, party: &[&Entity]) -> Vec<(String, usize, bool)> {
    fn walk(c: &Cond, party: &[&Entity], out: &mut Vec<bool>) {
        match c {
            Cond::And(v) | Cond::Or(v) => v.iter().for_each(|x| walk(x, party, out)),
            Cond::Not(x) => walk(x, party, out),
            Cond::PartyMatches { filter, .. } | Cond::VesselMatches { filter, .. } => {
                out.push(party.iter().any(|e| filter.accepts(e)));
            }
            _ => {}
        }
    }
    let mut all = Vec::new();
    for r in &rs.rules {
        let mut tests = Vec::new();
        walk(&r.when, party, &mut tests);
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

/// Whether every rule decides a hit on a party the same before the update (`old_rs`,
/// the party's entries `before`) and after (`new_rs`, `after`), with the same hits as
/// evidence. A name test that accepts the party in one and not in the other changes
/// nothing when another test beside it under the same `or` accepts the party in both,
/// for the same kind of name (party or vessel), at least the same roles and from a
/// score as low: every hit on the party the one test takes the other takes too, an
/// `or` weighs every branch that holds (no branch goes unread), and the hits cited
/// are compared by entity, not by test. So lifting the SDN entry of a party whose EU
/// entry a `list(eu)` test beside the SDN test accepts moves nothing.
pub(super) fn same_verdicts(
    old_rs: &RulesetData,
    before: &[&Entity],
    new_rs: &RulesetData,
    after: &[&Entity],
    default: f64,
) -> bool {
    if old_rs.rules.len() != new_rs.rules.len() {
        return false;
    }
    let sides = Sides {
        before,
        after,
        default,
    };
    old_rs.rules.iter().all(|a| {
        new_rs
            .rules
            .iter()
            .find(|b| b.id == a.id)
            .is_some_and(|b| sides.same(&a.when, &b.when))
    })
}

/// The party before and after an update, for [`same_verdicts`].
struct Sides<'p, 'e> {
    before: &'p [&'e Entity],
    after: &'p [&'e Entity],
    default: f64,
}

/// What a name test reads of a hit: whether a vessel's or a party's, the roles
/// (empty: any), the lowest score and the filter.
fn test_of(
    c: &Cond,
) -> Option<(
    bool,
    &[String],
    Option<f64>,
    &crate::rules::ir::EntityFilter,
)> {
    match c {
        Cond::PartyMatches {
            roles,
            filter,
            min_score,
        } => Some((false, roles, *min_score, filter)),
        Cond::VesselMatches { filter, min_score } => Some((true, &[], *min_score, filter)),
        _ => None,
    }
}

impl Sides<'_, '_> {
    /// Whether test `a` (before) and the same test `b` (after) accept the party.
    fn verdicts(&self, a: &Cond, b: &Cond) -> Option<(bool, bool)> {
        let (_, _, _, fa) = test_of(a)?;
        let (_, _, _, fb) = test_of(b)?;
        Some((
            self.before.iter().any(|e| fa.accepts(e)),
            self.after.iter().any(|e| fb.accepts(e)),
        ))
    }

    /// Whether conditions `a` (before) and `b` (after, the same text) hold for the
    /// same hits on the party, citing the same entities.
    fn same(&self, a: &Cond, b: &Cond) -> bool {
        match (a, b) {
            (Cond::And(x), Cond::And(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| self.same(p, q))
            }
            (Cond::Or(x), Cond::Or(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y)
                        .enumerate()
                        .all(|(k, (p, q))| match self.verdicts(p, q) {
                            Some((was, is)) => was == is || self.covered(x, y, k),
                            None => self.same(p, q),
                        })
            }
            (Cond::Not(p), Cond::Not(q)) => self.same(p, q),
            _ => match self.verdicts(a, b) {
                Some((was, is)) => was == is,
                // Conditions on places, goods and values read nothing of the party.
                None => test_of(a).is_none() && test_of(b).is_none(),
            },
        }
    }

    /// Whether another test of the `or` branches `x` (before) and `y` (after) takes
    /// every hit on the party that test `k` takes, before and after alike.
    fn covered(&self, x: &[Cond], y: &[Cond], k: usize) -> bool {
        let Some((vessel, roles, min, _)) = x.get(k).and_then(test_of) else {
            return false;
        };
        let min = min.unwrap_or(self.default);
        x.iter().zip(y).enumerate().any(|(j, (p, q))| {
            let Some((v, r, m, _)) = test_of(p) else {
                return false;
            };
            j != k
                && v == vessel
                && (r.is_empty() || (!roles.is_empty() && roles.iter().all(|x| r.contains(x))))
                && m.unwrap_or(self.default) <= min
                && self.verdicts(p, q) == Some((true, true))
        })
    }
}

/// Whether an entity changed in anything screening reads: the names it is indexed
/// under (with their strength, its kind and countries), its identifiers and dates of
/// birth (evidence for or against a name), or which name tests accept it. A new
/// address or remark that no test reads changes no decision.
pub(super) fn changes_screening(
    old_rs: &RulesetData,
    old: &Entity,
    new_rs: &RulesetData,
    new: &Entity,
) -> bool {
    let names = |e: &Entity| {
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
    let ids = |e: &Entity| {
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
        || acceptance(old_rs, &[old]) != acceptance(new_rs, &[new])
}

/// Entity `id` of `rs` and the other entries of its party (`links`), in that order;
/// empty when `rs` has no such entity.
pub(super) fn party<'r>(rs: &'r Ruleset, links: &Links, id: &str) -> Vec<&'r Entity> {
    let Ok(at) = rs.entities().binary_search_by(|e| e.id.as_str().cmp(id)) else {
        return Vec::new();
    };
    std::iter::once(at)
        .chain(links.others(at))
        .filter_map(|k| rs.entities().get(k))
        .collect()
}

/// Unchanged entries of a changed entity's party.
pub(super) struct Linked {
    /// Each entry linked to a changed entity (`changed`: id to change) in the old or
    /// the new ruleset, not changed itself, with the changes of its party.
    pub parties: HashMap<String, Vec<usize>>,
    /// Those of them whose hits the update can decide otherwise: a name test accepts
    /// their party before and not after (or the other way) with no other test beside
    /// it accepting it in both (see [`same_verdicts`]), or the unchanged entries
    /// of their party differ (one hit per party: hits on two entries merge or part),
    /// or the rules have allowances (an allowance naming one entry covers its party).
    pub moved: HashSet<String>,
}

/// The unchanged entries linked to a changed entity, and which of them moved (see
/// [`Linked`]).
pub(super) fn linked(
    old: (&Ruleset, &Links),
    new: (&Ruleset, &Links),
    changed: &HashMap<String, usize>,
    default_score: f64,
) -> Linked {
    let mut parties: HashMap<String, Vec<usize>> = HashMap::new();
    for (id, &k) in changed {
        for (rs, links) in [old, new] {
            for e in party(rs, links, id).into_iter().skip(1) {
                if changed.contains_key(&e.id) {
                    continue;
                }
                let changes = parties.entry(e.id.clone()).or_default();
                if !changes.contains(&k) {
                    changes.push(k);
                }
            }
        }
    }
    let allowances = !old.0.allows().is_empty() || !new.0.allows().is_empty();
    let unchanged = |p: &[&Entity]| {
        let mut ids: Vec<String> = p
            .iter()
            .map(|e| e.id.clone())
            .filter(|id| !changed.contains_key(id))
            .collect();
        ids.sort_unstable();
        ids
    };
    let moved = parties
        .keys()
        .filter(|id| {
            let before = party(old.0, old.1, id);
            let after = party(new.0, new.1, id);
            allowances
                || before.is_empty()
                || after.is_empty()
                || unchanged(&before) != unchanged(&after)
                || !same_verdicts(old.0.data(), &before, new.0.data(), &after, default_score)
        })
        .cloned()
        .collect();
    Linked { parties, moved }
}

/// Whether entity `id` changed in its names and nothing else screening could read of
/// it or of its party: the same list, the same fields besides `name` and `aliases`,
/// the same entries in its party, each name test accepting the party alike, and no
/// allowances in either ruleset. A name then scores against each version as it scores
/// against that version's names alone, so a name that finds both versions with the
/// same hit (score, name matched, explanation) is decided the same before and after.
pub(super) fn changed_in_names_only(
    old: (&Ruleset, &Links),
    new: (&Ruleset, &Links),
    id: &str,
) -> bool {
    if !old.0.allows().is_empty() || !new.0.allows().is_empty() {
        return false;
    }
    let before = party(old.0, old.1, id);
    let after = party(new.0, new.1, id);
    let (Some(a), Some(b)) = (before.first(), after.first()) else {
        return false;
    };
    let list = |rs: &Ruleset, e: &Entity| rs.lists().get(e.list).map(|l| l.name.clone());
    // Every field but the names, as written (a remark changed along with an alias is
    // not read by screening, but comparing it too keeps the test simple and safe).
    let rest = |e: &Entity| {
        let mut e = e.clone();
        e.name.clear();
        e.aliases.clear();
        serde_json::to_value(&e).ok()
    };
    let ids = |p: &[&Entity]| {
        let mut v: Vec<String> = p.iter().map(|e| e.id.clone()).collect();
        v.sort_unstable();
        v
    };
    list(old.0, a).is_some()
        && list(old.0, a) == list(new.0, b)
        && rest(a).is_some()
        && rest(a) == rest(b)
        && ids(&before) == ids(&after)
        && acceptance(old.0.data(), &before) == acceptance(new.0.data(), &after)
}
