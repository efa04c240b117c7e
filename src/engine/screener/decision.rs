//! What screening answers: a decision for an order with the hits that made it, the
//! allowances that cleared hits, and the versions of the lists used; and the shapes of
//! `match` and `classify` answers. Every type serializes to the JSON the `embargo`
//! command writes (CONTRACT.md).

use serde::Serialize;

use super::super::eval::{EntityEvidence, Evidence};
use crate::rules::{Decision, Ruleset};

/// Which version of a list a decision used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListVersion {
    /// The list name.
    pub name: String,
    /// Its as-of date.
    pub as_of: String,
    /// Whether the list is older than the settings allow (`lists.max_age_days`), or
    /// dated after tomorrow (its age unknown).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
    /// The list's age in days, given when it is stale (negative: dated ahead).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_days: Option<i64>,
}

impl ListVersion {
    /// A line to warn of a stale list on, or `None` when it is not stale.
    pub fn staleness_warning(&self, max_age_days: Option<u32>) -> Option<String> {
        let age = self.age_days.filter(|_| self.stale)?;
        if age < 0 {
            return Some(format!(
                "warning: list `{}` is dated {}, after today, so its age cannot be checked: correct its `as_of`",
                self.name, self.as_of
            ));
        }
        Some(format!(
            "warning: list `{}` is {age} days old (as of {}), older than the {} days `lists.max_age_days` allows: import a current version",
            self.name,
            self.as_of,
            max_age_days.unwrap_or(0)
        ))
    }
}

/// The settings that can change a decision, recorded in it so that it can be
/// reproduced. (The lists enabled are in [`OrderDecision::lists`].)
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionSettings {
    /// `matching.threshold`: the score from which rules without one of their own take
    /// a name to match.
    pub threshold: f64,
    /// `matching.limit`: the most entity hits considered per name.
    pub limit: usize,
}

/// One reason for a decision: a rule that fired and what made it fire.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The rule's id.
    pub rule: String,
    /// The rule's decision.
    pub decision: Decision,
    /// The rule's reason.
    pub reason: String,
    /// The rule's legal basis, as its `basis` lines cite it.
    pub basis: Vec<String>,
    /// The text of the input field the evidence was found in (the party name, goods
    /// description or route field as the order wrote it), so evidence spans can be shown
    /// in place without the order at hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// What matched, where.
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// The decision on one order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderDecision {
    /// The order's id.
    pub id: String,
    /// `clear`, `review` or `block`.
    pub decision: Decision,
    /// Every rule that fired, with its evidence.
    pub hits: Vec<Hit>,
    /// Entity hits suppressed by an allowance, with the allowance.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<Allowed>,
    /// The ruleset's content hash.
    pub ruleset: String,
    /// The fingerprint of the order decided ([`crate::order_hash`]): a re-screen
    /// compares it to tell an order edited under the same id.
    pub order_hash: crate::order_hash::OrderHash,
    /// The engine and its version.
    pub engine: String,
    /// The settings that can change a decision.
    pub settings: DecisionSettings,
    /// The list versions screened against: only the lists whose entities were
    /// screened, each marked when stale.
    pub lists: Vec<ListVersion>,
}

/// An entity hit an allowance suppressed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allowed {
    /// The allowance's id.
    pub allow: String,
    /// The input field.
    pub field: String,
    /// Who cleared the hit, when, why and until when: `cleared by A on D, reason: R,
    /// until X`.
    pub cleared: String,
    /// The suppressed match.
    #[serde(flatten)]
    pub hit: EntityEvidence,
}

/// A listed entity a name matched (the contract's `match` hit).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct NameMatch {
    /// `SOURCE:ID` of the entity.
    pub entity: String,
    /// The listed name or alias that matched.
    pub name: String,
    /// Similarity in [0, 1].
    pub score: f64,
    /// The entity's kind.
    pub kind: String,
    /// The lists the entity is on.
    pub lists: Vec<String>,
    /// The other list entries of the same party (`LIST:ID`): one hit per real party.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// The entity's sanctions programs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
    /// Why the score is what it is, when explanations are on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

/// A goods category a line falls in (the contract's `classify` category).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CategoryResult {
    /// The category id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its tags (`luxury`, `export-ban`, `import-ban`, ...).
    pub tags: Vec<String>,
    /// Its legal basis citations.
    pub basis: Vec<String>,
    /// The terms and codes found, with character spans in the description.
    pub evidence: Vec<crate::goods::Evidence>,
    /// The value of one item in USD, when the category has a threshold and the value
    /// was known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_value_usd: Option<f64>,
}

/// Classifier matches as the categories they name, with titles, tags and basis from
/// `ruleset` (the one the classifier was built from).
pub fn category_results(
    ruleset: &Ruleset,
    matches: Vec<crate::goods::CategoryMatch>,
) -> Vec<CategoryResult> {
    matches
        .into_iter()
        .filter_map(|m| {
            let c = ruleset.categories().get(m.category)?;
            Some(CategoryResult {
                id: c.id.clone(),
                title: c.title.clone(),
                tags: c.tags.clone(),
                basis: c.basis.clone(),
                evidence: m.evidence.into_vec(),
                unit_value_usd: m.unit_value_usd,
            })
        })
        .collect()
}
