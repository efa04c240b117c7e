//! A listed entity as a reviewer reads it: every name with its kind, dates of birth,
//! nationality, programs, identifiers, addresses, and where it is listed (list, source
//! id, version, designation date). Shared by `embargo show` and the HTML report.

use std::fmt;

use serde::Serialize;

use crate::rules::ir::{AliasRelation, Entity, Strength};
use crate::rules::Ruleset;

/// The list an entity is on.
#[derive(Debug, Clone, Serialize)]
pub struct ListRef {
    /// Its name (`ofac-sdn`).
    pub name: String,
    /// Its title.
    pub title: String,
    /// Who publishes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// The version screened against.
    pub as_of: String,
}

/// A listed entity with its list.
#[derive(Debug, Clone, Serialize)]
pub struct EntityDetails {
    /// The entity as compiled (`id`, `kind`, `name`, `aliases`, `countries`, ...).
    #[serde(flatten)]
    pub entity: Entity,
    /// The entity's id on its source list (`36` for `ofac-sdn:36`).
    pub source_id: String,
    /// The list it is on.
    pub list: ListRef,
}

impl EntityDetails {
    /// The entity `id` of `ruleset`.
    ///
    /// # Examples
    ///
    /// ```
    /// let rules = embargo::Ruleset::from_text("t.emb", r#"
    /// list un { title "UN Security Council Consolidated List" as_of "2026-02-27" }
    /// entity un:KPe.001 { kind organization name "KOMID" alias weak "KOMID CORP" program "UN 1718" }
    /// rule listed { basis "UNSCR 1718 (2006), para. 8(d)" when party matches list(un) then block "listed" }
    /// "#)?;
    /// let e = embargo::report::EntityDetails::of(&rules, "un:KPe.001").expect("listed");
    /// assert_eq!(e.source_id, "KPe.001");
    /// assert!(e.to_string().contains("also known as (weak): KOMID CORP"));
    /// # Ok::<(), embargo::Error>(())
    /// ```
    pub fn of(ruleset: &Ruleset, id: &str) -> Option<EntityDetails> {
        let e = ruleset.entity(id)?;
        let list = ruleset.lists().get(e.list)?;
        Some(EntityDetails {
            source_id: e
                .id
                .split_once(':')
                .map_or(e.id.as_str(), |(_, local)| local)
                .to_string(),
            list: ListRef {
                name: list.name.clone(),
                title: list.title.clone(),
                authority: list.authority.clone(),
                as_of: list.as_of.clone(),
            },
            entity: e.clone(),
        })
    }

    /// Ids of `ruleset` a mistyped or partial `id` may have meant: the same source id on
    /// any list (`36` -> `ofac-sdn:36`), or ids that differ only in case.
    pub fn suggestions(ruleset: &Ruleset, id: &str) -> Vec<String> {
        let local = id.split_once(':').map_or(id, |(_, l)| l);
        ruleset
            .entities()
            .iter()
            .filter(|e| {
                e.id.eq_ignore_ascii_case(id)
                    || e.id
                        .split_once(':')
                        .is_some_and(|(_, l)| l.eq_ignore_ascii_case(local))
            })
            .map(|e| e.id.clone())
            .take(10)
            .collect()
    }
}

/// The words for an alias's kind: `also known as`, `formerly known as`, `now known
/// as`, with `(weak)` for a low-quality alias.
pub fn alias_kind(relation: AliasRelation, strength: Strength) -> String {
    let relation = match relation {
        AliasRelation::Aka => "also known as",
        AliasRelation::Fka => "formerly known as",
        AliasRelation::Nka => "now known as",
    };
    match strength {
        Strength::Strong => relation.to_string(),
        Strength::Weak => format!("{relation} (weak)"),
    }
}

impl fmt::Display for EntityDetails {
    /// A block of `label: value` lines for a terminal, empty fields left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.entity;
        writeln!(f, "{} ({})", e.name, e.kind.as_str())?;
        writeln!(f, "  id: {}", e.id)?;
        writeln!(
            f,
            "  listed on: {} ({}), source id {}, version as of {}",
            self.list.name, self.list.title, self.source_id, self.list.as_of
        )?;
        if let Some(a) = &self.list.authority {
            writeln!(f, "  authority: {a}")?;
        }
        if let Some(d) = &e.listed {
            writeln!(f, "  designated: {d}")?;
        }
        for a in &e.aliases {
            writeln!(f, "  {}: {}", alias_kind(a.relation, a.strength), a.name)?;
        }
        let mut line = |label: &str, values: &[String]| -> fmt::Result {
            if values.is_empty() {
                return Ok(());
            }
            writeln!(f, "  {label}: {}", values.join("; "))
        };
        line("programs", &e.programs)?;
        line("countries", &e.countries)?;
        line("nationality", &e.nationalities)?;
        line("born", &e.born)?;
        line("birthplace", &e.birthplaces)?;
        line("positions", &e.positions)?;
        line("addresses", &e.addresses)?;
        for i in &e.identifiers {
            match &i.note {
                Some(note) => writeln!(f, "  {}: {} ({note})", i.scheme, i.value)?,
                None => writeln!(f, "  {}: {}", i.scheme, i.value)?,
            }
        }
        for r in &e.remarks {
            writeln!(f, "  remark: {r}")?;
        }
        Ok(())
    }
}
