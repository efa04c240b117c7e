//! Dispositions: an analyst's record that a hit under review is not the listed party,
//! written as an `allow` item of the rules language so that later screening honours it
//! and reports it (`cleared by ... on ..., reason: ..., until ...`).
//!
//! A disposition covers the real party behind a hit, not one list entry: the hit's
//! entity and every entry linked to it (its `also`, and the entries the current lists
//! link to it), for the party name as the order wrote it.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::engine::links::Links;
use crate::rules::print::quote;
use crate::rules::Ruleset;

/// One cleared hit, ready to be written as an `allow` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disposition {
    /// The order it was recorded on, if any (it names the allowance).
    pub order: Option<String>,
    /// The hit's entity first, then its linked entries, sorted.
    pub entities: Vec<String>,
    /// The party name as screened.
    pub party: String,
    /// Only for a party in this country (ISO code or name), when given.
    pub country: Option<String>,
    /// Why the hit is not the listed party.
    pub because: String,
    /// Who cleared it.
    pub by: String,
    /// When, `YYYY-MM-DD`.
    pub on: String,
    /// The last day it applies, `YYYY-MM-DD`.
    pub expires: Option<String>,
}

/// What an analyst states when clearing hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clearance {
    /// Why.
    pub because: String,
    /// Who.
    pub by: String,
    /// When, `YYYY-MM-DD`.
    pub on: String,
    /// Until when, `YYYY-MM-DD`.
    pub expires: Option<String>,
    /// Only for a party in this country.
    pub country: Option<String>,
    /// Whether a hit that made the order `block` may be cleared. A block is a rule's
    /// finding that the party is the listed one; clearing it is a different act from
    /// clearing a review, and must be asked for as such.
    pub blocks: bool,
}

/// Keeps ASCII letters, digits, `_` and `-` of `s`, every other run of characters
/// becoming one `_`.
fn ident_part(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// `LIST:ID` written as the rules language reads it (quoted when the id needs it).
fn entity_id_text(id: &str) -> String {
    match id.split_once(':') {
        Some((list, local))
            if !local.is_empty()
                && local
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')) =>
        {
            format!("{list}:{local}")
        }
        Some((list, local)) => format!("{list}:{}", quote(local)),
        None => id.to_string(),
    }
}

impl Disposition {
    /// The allowance's id: `cleared_` with the order, the entity and the date.
    pub fn allow_id(&self) -> String {
        let mut id = String::from("cleared");
        for part in [
            self.order.as_deref().unwrap_or_default(),
            self.entities
                .first()
                .map(String::as_str)
                .unwrap_or_default(),
            &self.on,
        ] {
            let p = ident_part(part);
            if !p.is_empty() {
                id.push('_');
                id.push_str(&p);
            }
        }
        id
    }

    /// The `allow` item, in the canonical form `embargo fmt` prints, named `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::watch::dispose::Disposition;
    /// let d = Disposition {
    ///     order: Some("PO-7".into()),
    ///     entities: vec!["un:KPe.001".into(), "ofac-sdn:9345".into()],
    ///     party: "Komid Trading SA".into(),
    ///     country: None,
    ///     because: "false positive: a Swiss trading house".into(),
    ///     by: "j.doe".into(),
    ///     on: "2026-12-06".into(),
    ///     expires: Some("2027-12-06".into()),
    /// };
    /// assert_eq!(d.allow_id(), "cleared_PO-7_un_KPe_001_2026-12-06");
    /// assert!(d.to_rules(&d.allow_id()).contains("  entity un:KPe.001, ofac-sdn:9345\n"));
    /// ```
    pub fn to_rules(&self, id: &str) -> String {
        let mut s = format!("allow {id} {{\n");
        if !self.entities.is_empty() {
            let ids: Vec<String> = self.entities.iter().map(|e| entity_id_text(e)).collect();
            s.push_str(&format!("  entity {}\n", ids.join(", ")));
        }
        s.push_str(&format!("  name {}\n", quote(&self.party)));
        if let Some(c) = &self.country {
            s.push_str(&format!("  country {}\n", quote(c)));
        }
        s.push_str(&format!("  because {}\n", quote(&self.because)));
        s.push_str(&format!("  by {}\n", quote(&self.by)));
        s.push_str(&format!("  on {}\n", quote(&self.on)));
        if let Some(x) = &self.expires {
            s.push_str(&format!("  expires {}\n", quote(x)));
        }
        s.push_str("}\n");
        s
    }
}

/// The entity hits of one decision (a `screen` or `rescreen` JSON line) cleared as
/// `clearance` states: one disposition per hit, covering the hit's entity, its `also`
/// and the entries `ruleset` links to it, for the party name the hit matched
/// (its `input`). `entity` keeps only the hit naming that entity (or linked to it),
/// `field` only the hits of that input field.
///
/// Errors name what is missing: no entity hit, or a hit without its input text.
pub fn from_decision(
    decision: &Value,
    ruleset: &Ruleset,
    entity: Option<&str>,
    field: Option<&str>,
    clearance: &Clearance,
) -> Result<Vec<Disposition>, String> {
    let order = decision.get("id").and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let hits = decision
        .get("hits")
        .and_then(Value::as_array)
        .ok_or("the decision has no `hits`")?;
    let links = Links::new(ruleset);
    let mut out: Vec<Disposition> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    for h in hits {
        if h.get("kind").and_then(Value::as_str) != Some("entity") {
            continue;
        }
        let Some(id) = h.get("entity").and_then(Value::as_str) else {
            continue;
        };
        let also: Vec<&str> = h
            .get("also")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if entity.is_some_and(|e| e != id && !also.contains(&e)) {
            continue;
        }
        let hit_field = h.get("field").and_then(Value::as_str);
        if field.is_some_and(|f| Some(f) != hit_field) {
            continue;
        }
        if h.get("by").and_then(Value::as_str) != Some("name") {
            // An identifier (an IMO number) is the listed one: nothing to clear.
            skipped.push(format!(
                "the hit of {id} matched an identifier, which no allowance clears"
            ));
            continue;
        }
        if h.get("decision").and_then(Value::as_str) == Some("block") && !clearance.blocks {
            let rule = h.get("rule").and_then(Value::as_str).unwrap_or("?");
            let score = h.get("score").and_then(Value::as_f64).unwrap_or(0.0);
            return Err(format!(
                "the hit of {id} blocks the order (rule {rule}, score {score:.2}): clearing a block \
                 needs `--clear-block`, once it is confirmed the party is not the listed one"
            ));
        }
        let Some(party) = h.get("input").and_then(Value::as_str) else {
            return Err(format!(
                "the hit of {id} carries no `input` (the party name): screen again with this version of embargo"
            ));
        };
        let entities = group(ruleset, &links, id, &also);
        if out
            .iter()
            .any(|d| d.party == party && d.entities.first() == entities.first())
        {
            continue;
        }
        out.push(Disposition {
            order: order.clone(),
            entities,
            party: party.to_string(),
            country: clearance.country.clone(),
            because: clearance.because.clone(),
            by: clearance.by.clone(),
            on: clearance.on.clone(),
            expires: clearance.expires.clone(),
        });
    }
    if out.is_empty() {
        if let Some(why) = skipped.into_iter().next() {
            return Err(why);
        }
        return Err(match (entity, field) {
            (None, None) => "the decision has no entity hit to clear".to_string(),
            _ => "no entity hit of the decision is the one named".to_string(),
        });
    }
    Ok(out)
}

/// `id` first, then its `also` and every entry `ruleset` links to it, each once.
pub fn group(ruleset: &Ruleset, links: &Links, id: &str, also: &[&str]) -> Vec<String> {
    let mut rest: BTreeSet<String> = also.iter().map(|s| s.to_string()).collect();
    if let Ok(k) = ruleset
        .entities()
        .binary_search_by(|e| e.id.as_str().cmp(id))
    {
        rest.extend(
            links
                .others(k)
                .filter_map(|m| ruleset.entities().get(m).map(|e| e.id.clone())),
        );
    }
    rest.remove(id);
    std::iter::once(id.to_string()).chain(rest).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_identifiers_of_the_rules_language() {
        let d = Disposition {
            order: Some("PO 7/ä".into()),
            entities: vec!["csl:A B".into()],
            party: "X \"Y\"".into(),
            country: Some("KR".into()),
            because: "b".into(),
            by: "me".into(),
            on: "2026-12-06".into(),
            expires: None,
        };
        assert_eq!(d.allow_id(), "cleared_PO_7_csl_A_B_2026-12-06");
        let text = d.to_rules(&d.allow_id());
        assert!(text.contains("entity csl:\"A B\"\n"), "{text}");
        assert!(text.contains("name \"X \\\"Y\\\"\"\n"), "{text}");
    }
}
