//! Gathering the facts of one order: what the name index, the goods classifier and the
//! currency rates find in it, before any rule is evaluated.

use super::{imo_digits, Allowed, Depth, Screener};
use crate::engine::eval::{CategoryEvidence, Facts, PartyFacts};
use crate::matching::{NameQuery, SearchOptions};
use crate::order::Order;
use crate::rules::ir::EntityKind;

impl Screener {
    /// Gathers what the matchers find in `order`.
    pub(super) fn facts(&self, order: &Order, allowed: &mut Vec<Allowed>) -> Facts {
        let inner = &self.inner;
        let opts = SearchOptions {
            threshold: inner.eager,
            limit: inner.options.limit.max(1),
        };
        let mut facts = Facts::default();
        for (k, p) in order.parties.iter().enumerate() {
            let mut pf = PartyFacts {
                role: p.role.as_ref().map(|r| r.trim().to_lowercase()),
                country: p.country.clone(),
                address: p.address.clone(),
                name: p.name.clone(),
                hits: Vec::new(),
                deeper: Default::default(),
            };
            pf.hits = self.party_hits(k, p, Depth::Eager, Some(allowed));
            facts.parties.push(pf);
        }
        match order.route.imo.as_deref().and_then(imo_digits) {
            Some(digits) => {
                for &e in inner.imo.get(&digits).into_iter().flatten() {
                    facts.vessel.push(self.entity_evidence(
                        e,
                        format!("IMO {digits}"),
                        1.0,
                        "imo",
                        None,
                    ));
                }
            }
            None => {
                if let Some(vessel) = order
                    .route
                    .vessel
                    .as_deref()
                    .filter(|v| !v.trim().is_empty())
                {
                    let q = NameQuery::new(vessel).kind(EntityKind::Vessel);
                    for h in inner.names.search(&q, &opts) {
                        let why = inner.options.explain.then(|| h.explanation.to_string());
                        facts.vessel.push(self.entity_evidence(
                            h.entity as usize,
                            h.name,
                            h.score,
                            "name",
                            why,
                        ));
                    }
                }
            }
        }
        let mut total = Some(0.0);
        for g in &order.goods {
            let matches = inner.classifier.classify(g);
            facts.goods.push(
                matches
                    .into_iter()
                    .map(|m| CategoryEvidence {
                        category: m.category,
                        category_id: inner
                            .ruleset
                            .categories
                            .get(m.category)
                            .map(|c| c.id.clone())
                            .unwrap_or_default(),
                        evidence: m.evidence.into_vec(),
                    })
                    .collect(),
            );
            if let Some(v) = g.value {
                let cur = g.currency.as_deref().unwrap_or("USD");
                total = match (total, inner.ruleset.to_usd(v, cur)) {
                    (Some(t), Some(u)) => Some(t + u),
                    _ => None,
                };
            }
        }
        facts.total_usd = total;
        facts.origin = order.route.origin.clone();
        facts.destination = order.route.destination.clone();
        facts.via = order.route.via.clone();
        facts
    }
}
