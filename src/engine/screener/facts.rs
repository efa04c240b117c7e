//! Gathering the facts of one order: what the name index, the goods classifier and the
//! currency rates find in it, before any rule is evaluated; then what a rule asks for as
//! it is evaluated, once per order: the order's fields read for place tests, and deeper
//! name searches.

use super::{imo_digits, Allowed, Depth, Screener};
use crate::engine::eval::{
    self, CategoryEvidence, CompiledPlaces, Defaults, Evidence, Facts, Outcome, PartyFacts,
    PartyPlaces, PlaceFacts, PlaceField, StatedField,
};
use crate::goods::stated::stated_places;
use crate::matching::{NameQuery, SearchOptions};
use crate::order::Order;
use crate::rules::ir::{Cond, EntityKind, Rule};

/// Which fields of an order the ruleset's place tests read; the others are not read.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PlaceFields {
    /// Parties' countries and addresses, and the place part of a name line (`party in
    /// ...`).
    party_location: bool,
    /// Parties' names (`party name in ...`).
    party_name: bool,
    /// Origin, destination and transit places (`route in ...`, `via in ...`).
    route: bool,
}

impl PlaceFields {
    /// The fields the place tests of `rules` read.
    pub(super) fn tested_by(rules: &[Rule]) -> PlaceFields {
        fn walk(c: &Cond, fields: &mut PlaceFields) {
            match c {
                Cond::And(v) | Cond::Or(v) => v.iter().for_each(|x| walk(x, fields)),
                Cond::Not(x) => walk(x, fields),
                Cond::PartyIn { .. } => fields.party_location = true,
                Cond::PartyNameIn { .. } => fields.party_name = true,
                Cond::RouteIn { .. } => fields.route = true,
                Cond::PartyMatches { .. }
                | Cond::PartyNationalityIn { .. }
                | Cond::VesselMatches { .. }
                | Cond::GoodsIn(_)
                | Cond::Value { .. } => {}
            }
        }
        let mut fields = PlaceFields::default();
        rules.iter().for_each(|r| walk(&r.when, &mut fields));
        fields
    }
}

/// The origins and destinations the goods lines of `order` state, read.
fn stated(order: &Order) -> Vec<StatedField> {
    let mut out = Vec::new();
    for (line, g) in order.goods.iter().enumerate() {
        let text = g.text();
        for s in stated_places(text) {
            if let Some(words) = text.get(s.bytes.clone()) {
                out.push(StatedField {
                    line,
                    direction: s.direction,
                    start: s.start,
                    field: PlaceField::new(words),
                });
            }
        }
    }
    out
}

/// `text` read for place tests when `wanted`.
fn read(text: Option<&String>, wanted: bool) -> Option<PlaceField> {
    text.filter(|_| wanted).map(|t| PlaceField::new(t))
}

impl Screener {
    /// Gathers what the matchers find in `order`.
    pub(super) fn facts(
        &self,
        order: &Order,
        allowed: &mut Vec<Allowed>,
        day: Option<&str>,
    ) -> Facts {
        let inner = &self.inner;
        let opts = SearchOptions {
            threshold: inner.eager,
            limit: inner.options.limit.max(1),
        };
        let mut facts = Facts::default();
        for (k, p) in order.parties.iter().enumerate() {
            let mut pf = PartyFacts {
                role: p.role.as_deref().map(crate::roles::role_key),
                nationality: p.nationality.as_deref().and_then(|n| {
                    let code = crate::reference::country_code(n)?;
                    Some((code.to_string(), n.to_string()))
                }),
                hits: Vec::new(),
                deeper: None,
            };
            pf.hits = self.party_hits(k, p, Depth::Eager, Some(allowed), day);
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
                    // A remark in parentheses after the name (`(flag KP)`) is no part
                    // of it: the name is screened as written and without the remark.
                    let bare = crate::text::party_name::vessel_without_remark(vessel);
                    let queries = std::iter::once((vessel, None))
                        .chain(bare.map(|b| (b.text, Some(eval::NamePart::from(&b)))));
                    for (text, part) in queries {
                        let q = NameQuery::new(text).kind(EntityKind::Vessel);
                        for h in inner.names.search(&q, &opts) {
                            if facts
                                .vessel
                                .iter()
                                .any(|v| v.entity == h.entity as usize && v.score >= h.score)
                            {
                                continue;
                            }
                            facts.vessel.retain(|v| v.entity != h.entity as usize);
                            let why = inner.options.explain.then(|| match &part {
                                Some(p) => p.explain(&h.explanation),
                                None => h.explanation.to_string(),
                            });
                            let mut ev = self.entity_evidence(
                                h.entity as usize,
                                h.name,
                                h.score,
                                "name",
                                why,
                            );
                            ev.part = part.clone();
                            facts.vessel.push(ev);
                        }
                    }
                }
            }
        }
        let mut total = Some(0.0);
        for (k, g) in order.goods.iter().enumerate() {
            let matches = self.classifier().classify(g);
            facts.goods.push(
                matches
                    .into_iter()
                    .map(|m| CategoryEvidence {
                        category: m.category,
                        category_id: inner
                            .ruleset
                            .categories()
                            .get(m.category)
                            .map(|c| c.id.clone())
                            .unwrap_or_default(),
                        evidence: m.evidence.into_vec(),
                    })
                    .collect(),
            );
            if let Some(v) = g.value {
                let cur = g.currency.as_deref().unwrap_or("USD");
                match inner.ruleset.to_usd(v, cur) {
                    Some(u) => total = total.map(|t| t + u),
                    // A real currency the rules have no rate for: the value is unknown,
                    // and the value tests take it as met (see `Facts::no_rate`).
                    None => {
                        facts
                            .no_rate
                            .get_or_insert_with(|| (k, cur.trim().to_ascii_uppercase()));
                    }
                }
            }
        }
        facts.total_usd = total;
        facts
    }

    /// The fields of `order` the ruleset's place tests read, read.
    fn places(&self, order: &Order) -> PlaceFacts {
        let fields = self.inner.place_fields;
        let route = &order.route;
        PlaceFacts {
            parties: order
                .parties
                .iter()
                .map(|p| PartyPlaces {
                    country: read(p.country.as_ref(), fields.party_location),
                    address: read(p.address.as_ref(), fields.party_location),
                    name: read(p.name.as_ref(), fields.party_name),
                    name_location: p
                        .name
                        .as_deref()
                        .filter(|_| fields.party_location)
                        .and_then(crate::places::location_in_name)
                        .map(|(at, text)| (at, PlaceField::new(text))),
                })
                .collect(),
            origin: read(route.origin.as_ref(), fields.route),
            destination: read(route.destination.as_ref(), fields.route),
            via: if fields.route {
                route.via.iter().map(|v| PlaceField::new(v)).collect()
            } else {
                Vec::new()
            },
            stated: if fields.route {
                stated(order)
            } else {
                Vec::new()
            },
        }
    }

    /// Evaluates `cond` (of a rule whose place sets are `places`) over the facts of
    /// `order`, gathering what the evaluation asks for into them: each fact at most once
    /// per order, whichever rules ask.
    pub(super) fn evaluate(
        &self,
        cond: &Cond,
        places: &CompiledPlaces,
        order: &Order,
        facts: &mut Facts,
        allowed: &mut Vec<Allowed>,
        day: Option<&str>,
    ) -> Option<Vec<Evidence>> {
        let inner = &self.inner;
        let defaults = Defaults {
            score: inner.options.threshold,
            searched_to: inner.eager,
        };
        loop {
            match eval::evaluate(cond, facts, inner.ruleset.data(), places, defaults) {
                Outcome::Holds(evidence) => return Some(evidence),
                Outcome::Fails => return None,
                Outcome::NeedsPlaces => facts.places = Some(self.places(order)),
                Outcome::NeedsDeeperHits { party } => {
                    // The evaluator asks only for what the facts lack, and each answer
                    // fills it in, so the loop ends.
                    let party_facts = facts.parties.get_mut(party)?;
                    // What an allowance clears of the deeper hits is reported too: a
                    // cleared name echo is why its rule no longer fires.
                    party_facts.deeper = Some(match order.parties.get(party) {
                        Some(p) => self.party_hits(party, p, Depth::Echo, Some(allowed), day),
                        None => Vec::new(),
                    });
                }
            }
        }
    }
}
