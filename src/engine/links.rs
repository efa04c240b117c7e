//! One real party behind several list entries, and what a party's own data says about
//! a name hit.
//!
//! The UN, OFAC and EU lists each designate the DPRK's parties under their own ids. Two
//! entries are one party when they share an identifier (a passport, an IMO number), or
//! when they have the same kind, a name in common (the same words after normalization,
//! two words or more) and something more in common: a country or nationality, a date
//! of birth, or both being DPRK designations. A hit names one entry and lists the
//! others (`also`); an allowance of one covers all.

use crate::normalize::readings::parenthesized_short_form;
use crate::normalize::{normalize, signature, TokenClass};
use crate::order::Party;
use crate::rules::ir::{Entity, EntityKind, Ruleset};

/// Programs of the DPRK sanctions (UN 1718 and its US and EU counterparts).
const DPRK_PROGRAMS: &[&str] = &[
    "UN 1718",
    "DPRK",
    "DPRK2",
    "DPRK3",
    "DPRK4",
    "DPRK-NKSPEA",
    "EU-PRK",
];

/// Groups of entries that are one party: `group[k]` is the smallest index of entity
/// `k`'s group, and `members` lists each group's entities.
#[derive(Debug, Clone, Default)]
pub struct Links {
    group: Vec<usize>,
    members: std::collections::HashMap<usize, Vec<usize>>,
}

impl Links {
    /// Links the entities of `ruleset`.
    pub fn new(ruleset: &Ruleset) -> Links {
        let n = ruleset.entities().len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while let Some(&p) = parent.get(x) {
                if p == x {
                    break;
                }
                let gp = parent.get(p).copied().unwrap_or(p);
                if let Some(slot) = parent.get_mut(x) {
                    *slot = gp;
                }
                x = gp;
            }
            x
        }
        let union = |parent: &mut Vec<usize>, a: usize, b: usize| {
            let (ra, rb) = (find(parent, a), find(parent, b));
            if ra != rb {
                if let Some(slot) = parent.get_mut(ra.max(rb)) {
                    *slot = ra.min(rb);
                }
            }
        };
        let mut by_id: std::collections::HashMap<(String, String), usize> = Default::default();
        let mut by_name: std::collections::HashMap<(EntityKind, String), Vec<usize>> =
            Default::default();
        for (k, e) in ruleset.entities().iter().enumerate() {
            for id in &e.identifiers {
                let value = identifier_value(&id.value);
                if value.len() >= 6 && !matches!(id.scheme.as_str(), "website" | "email" | "phone")
                {
                    match by_id.entry((id.scheme.clone(), value)) {
                        std::collections::hash_map::Entry::Occupied(o) => {
                            let first = *o.get();
                            union(&mut parent, first, k);
                        }
                        std::collections::hash_map::Entry::Vacant(v) => {
                            v.insert(k);
                        }
                    }
                }
            }
            let person = e.kind == EntityKind::Person;
            for name in std::iter::once(&e.name).chain(e.aliases.iter().map(|a| &a.name)) {
                // Lists differ in the legal form (`CORP` / `CORPORATION`) and in a
                // short form they add (`... CORPORATION (KKBC)`): neither tells two
                // parties apart, so the name is compared without them.
                let base = parenthesized_short_form(name).map_or(name.as_str(), |(b, _)| b);
                let toks: Vec<_> = normalize(base, Some(e.kind))
                    .into_iter()
                    .filter(|t| t.class != TokenClass::Legal)
                    .collect();
                let sig = signature(&toks, person);
                if sig.split_whitespace().count() >= 2 {
                    by_name.entry((e.kind, sig)).or_default().push(k);
                }
            }
        }
        for ks in by_name.values_mut() {
            ks.sort_unstable();
            ks.dedup();
            for (i, &a) in ks.iter().enumerate() {
                for &b in ks.iter().skip(i + 1) {
                    let (Some(x), Some(y)) = (ruleset.entities().get(a), ruleset.entities().get(b))
                    else {
                        continue;
                    };
                    if corroborated(x, y) {
                        union(&mut parent, a, b);
                    }
                }
            }
        }
        let group: Vec<usize> = (0..n).map(|k| find(&mut parent, k)).collect();
        Links::from_groups(group)
    }

    /// The links whose groups are `group` (each entity's group, as [`Links::groups`]
    /// gives them): what a compiled ruleset stores.
    pub(crate) fn from_groups(group: Vec<usize>) -> Links {
        let mut members: std::collections::HashMap<usize, Vec<usize>> = Default::default();
        for (k, &g) in group.iter().enumerate() {
            members.entry(g).or_default().push(k);
        }
        members.retain(|_, v| v.len() > 1);
        Links { group, members }
    }

    /// Each entity's group, by entity.
    pub(crate) fn groups(&self) -> &[usize] {
        &self.group
    }

    /// The group of entity `k` (its own index when it stands alone).
    pub fn group(&self, k: usize) -> usize {
        self.group.get(k).copied().unwrap_or(k)
    }

    /// The other entries of entity `k`'s party.
    pub fn others(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        self.members
            .get(&self.group(k))
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&m| m != k)
    }
}

/// Whether two entries with a name in common are one party: a country or nationality,
/// a date of birth, or a DPRK designation in common, and no dates of birth that tell
/// two people apart (the lists designate several `KIM Yong Chol`s).
fn corroborated(x: &Entity, y: &Entity) -> bool {
    if born_apart(x, y) {
        return false;
    }
    let places = |e: &Entity| {
        e.countries
            .iter()
            .chain(&e.nationalities)
            .cloned()
            .collect::<Vec<_>>()
    };
    let dprk = |e: &Entity| {
        e.programs
            .iter()
            .any(|p| DPRK_PROGRAMS.contains(&p.as_str()))
            || e.countries.iter().any(|c| c == "KP")
    };
    let py = places(y);
    places(x).iter().any(|c| py.contains(c))
        || x.born.iter().any(|b| y.born.contains(b))
        || (dprk(x) && dprk(y))
}

/// Whether both entries give a date of birth and none of one's is within a year of
/// one of the other's: two people.
fn born_apart(x: &Entity, y: &Entity) -> bool {
    let years = |e: &Entity| e.born.iter().filter_map(|b| year_of(b)).collect::<Vec<_>>();
    let (a, b) = (years(x), years(y));
    !a.is_empty() && !b.is_empty() && !a.iter().any(|p| b.iter().any(|q| same_year(*p, *q)))
}

/// Two years of birth that may be one person's: lists and orders differ by a year
/// where one counts from a lunar calendar or an approximate date.
fn same_year(a: i32, b: i32) -> bool {
    (a - b).abs() <= 1
}

/// An identifier's letters and digits, upper case.
fn identifier_value(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// What a party's own data (date of birth, nationality, identifiers) says about a hit
/// on `entity`: the factor for the score and why, each piece of evidence apart.
pub fn party_evidence(party: &Party, entity: &Entity) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    let ids: Vec<(String, String)> = party
        .identifiers
        .iter()
        .map(|i| {
            (
                i.scheme.trim().to_ascii_lowercase(),
                identifier_value(&i.value),
            )
        })
        .filter(|(_, v)| v.len() >= 4)
        .collect();
    let listed: Vec<(String, String)> = entity
        .identifiers
        .iter()
        .map(|i| (i.scheme.to_ascii_lowercase(), identifier_value(&i.value)))
        .collect();
    if let Some((scheme, _)) = ids.iter().find(|(_, v)| listed.iter().any(|(_, w)| w == v)) {
        out.push((format!("{scheme} number matches"), IDENTIFIER_MATCH));
    } else if ids
        .iter()
        .any(|(s, _)| !s.is_empty() && listed.iter().any(|(t, _)| t == s))
    {
        out.push((
            "identifier of the same type differs".to_string(),
            IDENTIFIER_DIFFERS,
        ));
    }
    if let Some(year) = party.dob.as_deref().and_then(year_of) {
        let years: Vec<i32> = entity.born.iter().filter_map(|b| year_of(b)).collect();
        if !years.is_empty() {
            if years.iter().any(|y| same_year(*y, year)) {
                out.push((format!("date of birth {year} agrees"), DOB_AGREES));
            } else {
                out.push((format!("date of birth {year} differs"), DOB_DIFFERS));
            }
        }
    }
    if let Some(code) = party
        .nationality
        .as_deref()
        .and_then(crate::reference::country_code)
    {
        if !entity.nationalities.is_empty() {
            if entity.nationalities.iter().any(|n| n == code) {
                out.push((format!("nationality {code} agrees"), NATIONALITY_AGREES));
            } else {
                out.push((format!("nationality {code} differs"), NATIONALITY_DIFFERS));
            }
        }
    }
    out
}

/// Whether a factor of [`party_evidence`] names the party as the listed one beyond
/// its name: an identifier or a date of birth that agrees. An allowance clears a name
/// (a look-alike); it does not cover a party such evidence points at.
pub fn corroborates(factor: f64) -> bool {
    factor >= DOB_AGREES
}

/// An identifier both give: the same party, whatever the spelling of the name.
const IDENTIFIER_MATCH: f64 = 1.25;
const IDENTIFIER_DIFFERS: f64 = 0.85;
/// A date of birth within a year of a listed one corroborates a name; a different one
/// is strong evidence of another person.
const DOB_AGREES: f64 = 1.12;
const DOB_DIFFERS: f64 = 0.7;
const NATIONALITY_AGREES: f64 = 1.05;
const NATIONALITY_DIFFERS: f64 = 0.85;

/// The year of a date written `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or with a year in it.
fn year_of(text: &str) -> Option<i32> {
    let digits: Vec<char> = text.chars().collect();
    digits
        .windows(4)
        .find(|w| w.iter().all(char::is_ascii_digit))
        .and_then(|w| w.iter().collect::<String>().parse().ok())
        .filter(|y| (1850..=2100).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_read_from_dates_as_lists_write_them() {
        assert_eq!(year_of("1957-04-15"), Some(1957));
        assert_eq!(year_of("circa 1960"), Some(1960));
        assert_eq!(year_of("15 Apr 1957"), Some(1957));
        assert_eq!(year_of("04/15"), None);
    }
}
