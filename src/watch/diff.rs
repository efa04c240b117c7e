//! What changed between two compiled rulesets: the entities of each list (added,
//! removed, changed, and in which fields), the lists' versions, and the decision logic
//! (rules, categories, sets, rates, allowances).
//!
//! Entities are paired by id (`ofac-sdn:36`), which every importer keeps from the
//! source list, so a renamed entity is a change of its `name`, not a removal and an
//! addition. Repeatable fields (aliases, programs, ...) compare as sets: lists reorder
//! them between versions without meaning anything by it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::rules::ir::{Cond, Entity, EntityFilter, RulesetData};
use crate::rules::Ruleset;

/// How an entity (or an item of decision logic) differs between the old and the new
/// ruleset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only in the new ruleset.
    Added,
    /// Only in the old ruleset.
    Removed,
    /// In both, with different contents.
    Changed,
}

impl ChangeKind {
    /// The word: `added`, `removed`, `changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// The values one field of an entity lost and gained.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldDelta {
    /// Values only in the new version.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<String>,
    /// Values only in the old version.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
}

/// One listed entity that differs between the two rulesets: a line of `lists diff`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityChange {
    /// The list's name (`ofac-sdn`).
    pub list: String,
    /// The entity id (`ofac-sdn:36`).
    pub entity: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// Its primary name: the new one, or the last one listed when removed.
    pub name: String,
    /// The fields that changed (only for `changed`), in a fixed order: `kind`, `name`,
    /// `aliases`, `countries`, `nationalities`, `programs`, `identifiers`, `addresses`,
    /// `born`, `birthplaces`, `positions`, `listed`, `remarks`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<&'static str>,
    /// What each changed field lost and gained.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<&'static str, FieldDelta>,
    /// The as-of date of the list version that made the change (the new one; for a
    /// list that is gone, the old one).
    pub as_of: String,
}

impl EntityChange {
    /// The change in a reviewer's words: `newly listed on ofac-sdn, as of 2026-12-01`,
    /// `removed from ofac-sdn, as of ...`, `changed on ofac-sdn (aliases, programs), as
    /// of ...`.
    pub fn describe(&self) -> String {
        match self.change {
            ChangeKind::Added => format!("newly listed on {}, as of {}", self.list, self.as_of),
            ChangeKind::Removed => format!("removed from {}, as of {}", self.list, self.as_of),
            ChangeKind::Changed => format!(
                "changed on {}: {}, as of {}",
                self.list,
                self.fields.join(", "),
                self.as_of
            ),
        }
    }
}

/// A list whose version (as-of date) or presence differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListVersionChange {
    /// The list's name.
    pub list: String,
    /// Its as-of date in the old ruleset, when it was there.
    pub old_as_of: Option<String>,
    /// Its as-of date in the new ruleset, when it is there.
    pub new_as_of: Option<String>,
}

/// An item of decision logic (a rule, category, set, allowance or the rates) that
/// differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogicChange {
    /// `rule`, `category`, `set`, `allow` or `rates`.
    pub item: &'static str,
    /// Its id (empty for the rates).
    pub id: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
}

impl LogicChange {
    /// `rule dprk_listed_party changed`.
    pub fn describe(&self) -> String {
        if self.id.is_empty() {
            format!("{} {}", self.item, self.change.as_str())
        } else {
            format!("{} {} {}", self.item, self.id, self.change.as_str())
        }
    }
}

/// Everything that differs between two rulesets.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diff {
    /// The old ruleset's hash.
    pub old_ruleset: String,
    /// The new ruleset's hash.
    pub new_ruleset: String,
    /// Listed entities that differ, by list name, then entity id.
    pub entities: Vec<EntityChange>,
    /// Lists whose version changed, or that came or went.
    pub lists: Vec<ListVersionChange>,
    /// Decision logic that differs; when it is not empty, any decision may change.
    pub logic: Vec<LogicChange>,
}

/// Which lists a diff looks at.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Only these lists (by name); empty for every list of either ruleset.
    pub lists: Vec<String>,
}

impl Diff {
    /// Counts of added, removed and changed entities of `list` (every list when
    /// `None`).
    pub fn counts(&self, list: Option<&str>) -> (usize, usize, usize) {
        let mut n = (0, 0, 0);
        for c in self
            .entities
            .iter()
            .filter(|c| list.is_none_or(|l| c.list == l))
        {
            match c.change {
                ChangeKind::Added => n.0 += 1,
                ChangeKind::Removed => n.1 += 1,
                ChangeKind::Changed => n.2 += 1,
            }
        }
        n
    }

    /// A summary for a terminal: one line per list with its counts and versions, then
    /// the changed decision logic.
    pub fn summary(&self) -> String {
        let mut names: BTreeSet<&str> = self.entities.iter().map(|c| c.list.as_str()).collect();
        names.extend(self.lists.iter().map(|l| l.list.as_str()));
        let mut out = String::new();
        if names.is_empty() {
            out.push_str("no listed entity differs\n");
        }
        for name in names {
            let (added, removed, changed) = self.counts(Some(name));
            let version = self
                .lists
                .iter()
                .find(|l| l.list == name)
                .map(|l| {
                    format!(
                        " ({} -> {})",
                        l.old_as_of.as_deref().unwrap_or("absent"),
                        l.new_as_of.as_deref().unwrap_or("absent")
                    )
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "{name}{version}: {added} added, {removed} removed, {changed} changed\n"
            ));
            let mut fields: BTreeMap<&str, usize> = BTreeMap::new();
            for c in self.entities.iter().filter(|c| c.list == name) {
                for f in &c.fields {
                    *fields.entry(f).or_default() += 1;
                }
            }
            if !fields.is_empty() {
                let by_field: Vec<String> =
                    fields.iter().map(|(f, n)| format!("{f} {n}")).collect();
                out.push_str(&format!("  changed fields: {}\n", by_field.join(", ")));
            }
        }
        if !self.logic.is_empty() {
            let items: Vec<String> = self.logic.iter().map(LogicChange::describe).collect();
            out.push_str(&format!("decision logic: {}\n", items.join("; ")));
        }
        out
    }
}

/// Compares two rulesets.
///
/// # Examples
///
/// ```
/// use embargo::watch::{diff, ChangeKind, DiffOptions};
/// use embargo::Ruleset;
///
/// let old = Ruleset::from_text("old.emb", r#"
/// list un { title "UN" as_of "2026-01-05" }
/// entity un:KPe.001 { kind organization name "KOREA MINING DEVELOPMENT TRADING CORPORATION" }
/// entity un:KPe.002 { kind organization name "KOREA RYONBONG GENERAL CORPORATION" }
/// rule listed { basis "UNSCR 1718 (2006), para. 8(d)" when party matches list(un) then block "listed" }
/// "#)?;
/// let new = Ruleset::from_text("new.emb", r#"
/// list un { title "UN" as_of "2026-02-27" }
/// entity un:KPe.001 { kind organization name "KOREA MINING DEVELOPMENT TRADING CORPORATION" alias "KOMID" }
/// entity un:KPe.003 { kind organization name "TANCHON COMMERCIAL BANK" }
/// rule listed { basis "UNSCR 1718 (2006), para. 8(d)" when party matches list(un) then block "listed" }
/// "#)?;
/// let d = diff(&old, &new, &DiffOptions::default());
/// let what: Vec<(&str, ChangeKind)> = d.entities.iter().map(|c| (c.entity.as_str(), c.change)).collect();
/// assert_eq!(what, [
///     ("un:KPe.001", ChangeKind::Changed),
///     ("un:KPe.002", ChangeKind::Removed),
///     ("un:KPe.003", ChangeKind::Added),
/// ]);
/// assert_eq!(d.entities[0].fields, ["aliases"]);
/// assert_eq!(d.entities[2].describe(), "newly listed on un, as of 2026-02-27");
/// # Ok::<(), embargo::Error>(())
/// ```
pub fn diff(old: &Ruleset, new: &Ruleset, options: &DiffOptions) -> Diff {
    let wanted = |list: &str| options.lists.is_empty() || options.lists.iter().any(|l| l == list);
    let list_name = |rs: &RulesetData, e: &Entity| {
        rs.lists
            .get(e.list)
            .map(|l| l.name.clone())
            .unwrap_or_default()
    };
    let as_of = |rs: &RulesetData, name: &str| {
        rs.lists
            .iter()
            .find(|l| l.name == name)
            .map(|l| l.as_of.clone())
    };
    // Both entity vectors are sorted by id: walk them side by side.
    let (a, b) = (old.entities(), new.entities());
    let (mut i, mut j) = (0, 0);
    let mut entities = Vec::new();
    while i < a.len() || j < b.len() {
        let order = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => x.id.cmp(&y.id),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        let change = match order {
            std::cmp::Ordering::Less => {
                let e = &a[i];
                i += 1;
                let list = list_name(old.data(), e);
                let date = as_of(new.data(), &list)
                    .or_else(|| as_of(old.data(), &list))
                    .unwrap_or_default();
                EntityChange {
                    list,
                    entity: e.id.clone(),
                    change: ChangeKind::Removed,
                    name: e.name.clone(),
                    fields: Vec::new(),
                    details: BTreeMap::new(),
                    as_of: date,
                }
            }
            std::cmp::Ordering::Greater => {
                let e = &b[j];
                j += 1;
                let list = list_name(new.data(), e);
                EntityChange {
                    as_of: as_of(new.data(), &list).unwrap_or_default(),
                    list,
                    entity: e.id.clone(),
                    change: ChangeKind::Added,
                    name: e.name.clone(),
                    fields: Vec::new(),
                    details: BTreeMap::new(),
                }
            }
            std::cmp::Ordering::Equal => {
                let (x, y) = (&a[i], &b[j]);
                i += 1;
                j += 1;
                let details = entity_deltas(x, y);
                if details.is_empty() {
                    continue;
                }
                let list = list_name(new.data(), y);
                EntityChange {
                    as_of: as_of(new.data(), &list).unwrap_or_default(),
                    list,
                    entity: y.id.clone(),
                    change: ChangeKind::Changed,
                    name: y.name.clone(),
                    fields: FIELDS
                        .iter()
                        .copied()
                        .filter(|f| details.contains_key(f))
                        .collect(),
                    details,
                }
            }
        };
        if wanted(&change.list) {
            entities.push(change);
        }
    }
    entities.sort_by(|x, y| (&x.list, &x.entity).cmp(&(&y.list, &y.entity)));

    let mut lists = Vec::new();
    let names: BTreeSet<&str> = old
        .lists()
        .iter()
        .chain(new.lists())
        .map(|l| l.name.as_str())
        .filter(|n| wanted(n))
        .collect();
    for name in names {
        let (o, n) = (as_of(old.data(), name), as_of(new.data(), name));
        if o != n {
            lists.push(ListVersionChange {
                list: name.to_string(),
                old_as_of: o,
                new_as_of: n,
            });
        }
    }

    Diff {
        old_ruleset: old.hash().to_string(),
        new_ruleset: new.hash().to_string(),
        entities,
        lists,
        logic: logic_changes(old.data(), new.data()),
    }
}

/// The entity fields a diff compares, in the order `fields` lists them.
const FIELDS: [&str; 13] = [
    "kind",
    "name",
    "aliases",
    "countries",
    "nationalities",
    "programs",
    "identifiers",
    "addresses",
    "born",
    "birthplaces",
    "positions",
    "listed",
    "remarks",
];

/// Every field of `e` as a set of texts, in the order of [`FIELDS`]. Aliases keep
/// their relation and strength, identifiers their scheme and note: a weak alias made
/// strong, or a passport number moved to another scheme, is a change.
fn field_values(e: &Entity) -> [BTreeSet<String>; 13] {
    let set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<String>>();
    let one = |v: Option<&String>| v.into_iter().cloned().collect::<BTreeSet<String>>();
    [
        BTreeSet::from([e.kind.as_str().to_string()]),
        BTreeSet::from([e.name.clone()]),
        e.aliases
            .iter()
            .map(|a| {
                let relation = match a.relation {
                    crate::rules::ir::AliasRelation::Aka => "",
                    crate::rules::ir::AliasRelation::Fka => "fka ",
                    crate::rules::ir::AliasRelation::Nka => "nka ",
                };
                let weak = match a.strength {
                    crate::rules::ir::Strength::Strong => "",
                    crate::rules::ir::Strength::Weak => "weak ",
                };
                format!("{relation}{weak}{}", a.name)
            })
            .collect(),
        set(&e.countries),
        set(&e.nationalities),
        set(&e.programs),
        e.identifiers
            .iter()
            .map(|i| match &i.note {
                Some(note) => format!("{} {} ({note})", i.scheme, i.value),
                None => format!("{} {}", i.scheme, i.value),
            })
            .collect(),
        set(&e.addresses),
        set(&e.born),
        set(&e.birthplaces),
        set(&e.positions),
        one(e.listed.as_ref()),
        set(&e.remarks),
    ]
}

/// Whether two versions of an entity are written the same, field for field and in the
/// same order: most entities of a new list version are, and this tells so without
/// building sets.
fn written_alike(a: &Entity, b: &Entity) -> bool {
    a.kind == b.kind
        && a.name == b.name
        && a.aliases.len() == b.aliases.len()
        && a.aliases
            .iter()
            .zip(&b.aliases)
            .all(|(x, y)| x.name == y.name && x.relation == y.relation && x.strength == y.strength)
        && a.countries == b.countries
        && a.nationalities == b.nationalities
        && a.programs == b.programs
        && a.identifiers.len() == b.identifiers.len()
        && a.identifiers
            .iter()
            .zip(&b.identifiers)
            .all(|(x, y)| x.scheme == y.scheme && x.value == y.value && x.note == y.note)
        && a.addresses == b.addresses
        && a.born == b.born
        && a.birthplaces == b.birthplaces
        && a.positions == b.positions
        && a.listed == b.listed
        && a.remarks == b.remarks
}

fn entity_deltas(old: &Entity, new: &Entity) -> BTreeMap<&'static str, FieldDelta> {
    if written_alike(old, new) {
        return BTreeMap::new();
    }
    let mut out = BTreeMap::new();
    for ((field, o), n) in FIELDS.iter().zip(field_values(old)).zip(field_values(new)) {
        if o != n {
            out.insert(
                *field,
                FieldDelta {
                    added: n.difference(&o).cloned().collect(),
                    removed: o.difference(&n).cloned().collect(),
                },
            );
        }
    }
    out
}

/// Each item of decision logic with a text that is equal exactly when the item decides
/// the same way. Indices inside conditions (lists, categories) are written as the names
/// they stand for, since loading files in another order or adding a list or a category
/// renumbers them without changing any rule.
fn logic_items(rs: &RulesetData) -> BTreeMap<(&'static str, String), String> {
    let list = |k: &usize| rs.lists.get(*k).map_or("?", |l| l.name.as_str());
    let category = |k: &usize| -> String {
        rs.categories
            .get(*k)
            .map_or_else(|| "?".to_string(), |c| c.id.clone())
    };
    let filter = |f: &EntityFilter| {
        let lists: Vec<&str> = f.lists.iter().map(list).collect();
        format!(
            "lists {lists:?} programs {:?} countries {:?} kinds {:?} entities {:?} remarks {:?}",
            f.programs, f.countries, f.kinds, f.entities, f.remarks
        )
    };
    fn cond(
        c: &Cond,
        f: &dyn Fn(&EntityFilter) -> String,
        cat: &dyn Fn(&usize) -> String,
    ) -> String {
        match c {
            Cond::And(v) => format!(
                "and({})",
                v.iter()
                    .map(|x| cond(x, f, cat))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Cond::Or(v) => format!(
                "or({})",
                v.iter()
                    .map(|x| cond(x, f, cat))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Cond::Not(x) => format!("not({})", cond(x, f, cat)),
            Cond::PartyMatches {
                roles,
                filter,
                min_score,
            } => format!("party {roles:?} matches {} score {min_score:?}", f(filter)),
            Cond::VesselMatches { filter, min_score } => {
                format!("vessel matches {} score {min_score:?}", f(filter))
            }
            Cond::GoodsIn(v) => format!("goods in {:?}", v.iter().map(cat).collect::<Vec<_>>()),
            other => format!("{other:?}"),
        }
    }
    let mut items = BTreeMap::new();
    for r in &rs.rules {
        let text = format!(
            "{:?} {:?} {} {:?} {:?}",
            r.title,
            r.basis,
            cond(&r.when, &filter, &category),
            r.decision,
            r.reason
        );
        items.insert(("rule", r.id.clone()), text);
    }
    for c in &rs.categories {
        items.insert(("category", c.id.clone()), format!("{c:?}"));
    }
    for (name, places) in &rs.place_sets {
        items.insert(("set", name.clone()), format!("{places:?}"));
    }
    for (name, members) in &rs.category_sets {
        let ids: Vec<String> = members.iter().map(category).collect();
        items.insert(("set", name.clone()), format!("{ids:?}"));
    }
    for a in &rs.allows {
        items.insert(("allow", a.id.clone()), format!("{a:?}"));
    }
    items.insert(("rates", String::new()), format!("{:?}", rs.rates));
    items
}

/// The items of decision logic that differ between `old` and `new`.
fn logic_changes(old: &RulesetData, new: &RulesetData) -> Vec<LogicChange> {
    let (a, b) = (logic_items(old), logic_items(new));
    let mut out = Vec::new();
    for (key, text) in &a {
        match b.get(key) {
            None => out.push(LogicChange {
                item: key.0,
                id: key.1.clone(),
                change: ChangeKind::Removed,
            }),
            Some(t) if t != text => out.push(LogicChange {
                item: key.0,
                id: key.1.clone(),
                change: ChangeKind::Changed,
            }),
            Some(_) => {}
        }
    }
    for key in b.keys().filter(|k| !a.contains_key(*k)) {
        out.push(LogicChange {
            item: key.0,
            id: key.1.clone(),
            change: ChangeKind::Added,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
list un { title "UN" as_of "2026-01-05" }
list eu { title "EU" as_of "2026-01-05" }
entity un:KPe.001 { kind organization name "KOMID" country KP program "UN 1718" }
entity eu:1 { kind person name "KIM, Jong Un" born "1984-01-08" }
category cars { title "Cars" tags luxury basis "UNSCR 2094" hs 8703 }
set countries dprk = KP
rule listed { basis "b" when party matches list(un) then block "listed" }
rule cars { basis "b" when goods in cars and destination in dprk then block "cars" }
"#;

    fn load(text: &str) -> Ruleset {
        Ruleset::from_text("t.emb", text).expect("valid rules")
    }

    #[test]
    fn identical_rulesets_differ_in_nothing() {
        let d = diff(&load(BASE), &load(BASE), &DiffOptions::default());
        assert!(d.entities.is_empty() && d.lists.is_empty() && d.logic.is_empty());
        assert_eq!(d.summary(), "no listed entity differs\n");
    }

    #[test]
    fn repeatable_fields_compare_as_sets_and_report_what_moved() {
        let old = load(&BASE.replace(
            r#"name "KIM, Jong Un" born"#,
            r#"name "KIM, Jong Un" alias "KIM Jong-un" alias weak "KJU" born"#,
        ));
        let new = load(&BASE.replace(
            r#"name "KIM, Jong Un" born "1984-01-08""#,
            r#"name "KIM, Jong Un" alias weak "KIM Jong-un" born "1984-01-08" born "1983-01-08""#,
        ));
        let d = diff(&old, &new, &DiffOptions::default());
        assert_eq!(d.entities.len(), 1);
        let c = &d.entities[0];
        assert_eq!((c.entity.as_str(), c.change), ("eu:1", ChangeKind::Changed));
        assert_eq!(c.fields, ["aliases", "born"]);
        assert_eq!(c.details["aliases"].added, ["weak KIM Jong-un"]);
        assert_eq!(c.details["aliases"].removed, ["KIM Jong-un", "weak KJU"]);
        assert_eq!(c.details["born"].added, ["1983-01-08"]);
        assert!(d.logic.is_empty(), "entities are not decision logic");
        // The same aliases in another order are no change.
        let reordered = load(&BASE.replace(
            r#"name "KIM, Jong Un" born"#,
            r#"name "KIM, Jong Un" alias weak "KJU" alias "KIM Jong-un" born"#,
        ));
        assert!(diff(&old, &reordered, &DiffOptions::default())
            .entities
            .is_empty());
    }

    #[test]
    fn list_versions_and_decision_logic_are_reported_apart() {
        let new = load(
            &BASE
                .replace(
                    r#"list eu { title "EU" as_of "2026-01-05" }"#,
                    r#"list eu { title "EU" as_of "2026-03-01" }"#,
                )
                .replace("then block \"cars\"", "then review \"cars\""),
        );
        let d = diff(&load(BASE), &new, &DiffOptions::default());
        assert_eq!(
            d.lists,
            [ListVersionChange {
                list: "eu".into(),
                old_as_of: Some("2026-01-05".into()),
                new_as_of: Some("2026-03-01".into()),
            }]
        );
        assert_eq!(
            d.logic
                .iter()
                .map(LogicChange::describe)
                .collect::<Vec<_>>(),
            ["rule cars changed"]
        );
        // A new category renumbers nothing a rule means.
        let more = load(&format!(
            "{BASE}\ncategory aaa {{ title \"A\" basis \"b\" hs 9101 }}"
        ));
        let d = diff(&load(BASE), &more, &DiffOptions::default());
        assert_eq!(
            d.logic
                .iter()
                .map(LogicChange::describe)
                .collect::<Vec<_>>(),
            ["category aaa added"]
        );
    }

    #[test]
    fn lists_declared_in_another_order_change_no_rule() {
        let swapped = BASE.replace(
            "list un { title \"UN\" as_of \"2026-01-05\" }\nlist eu { title \"EU\" as_of \"2026-01-05\" }",
            "list eu { title \"EU\" as_of \"2026-01-05\" }\nlist un { title \"UN\" as_of \"2026-01-05\" }",
        );
        assert_ne!(swapped, BASE);
        let (a, b) = (load(BASE), load(&swapped));
        assert_ne!(
            a.lists()[0].name,
            b.lists()[0].name,
            "the lists are numbered otherwise"
        );
        let d = diff(&a, &b, &DiffOptions::default());
        assert!(d.logic.is_empty() && d.entities.is_empty(), "{d:?}");
    }

    #[test]
    fn options_restrict_the_lists() {
        let new = load(
            &BASE
                .replace("KOMID", "KOMID TRADING")
                .replace("KIM, Jong Un", "KIM, Jong-un"),
        );
        let all = diff(&load(BASE), &new, &DiffOptions::default());
        assert_eq!(all.entities.len(), 2);
        let un = diff(
            &load(BASE),
            &new,
            &DiffOptions {
                lists: vec!["un".into()],
            },
        );
        assert_eq!(un.entities.len(), 1);
        assert_eq!(un.entities[0].fields, ["name"]);
        assert_eq!(
            un.entities[0].details["name"],
            FieldDelta {
                added: vec!["KOMID TRADING".into()],
                removed: vec!["KOMID".into()],
            }
        );
    }
}
