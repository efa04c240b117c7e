//! Compiled conditions over the facts of one order -> fired rules with evidence.
//!
//! The evaluator sees no text and runs no matcher: what the name matcher, the goods
//! classifier and the place matcher found is gathered first into [`Facts`], and each
//! rule's condition is a walk over them. A condition that holds returns the evidence
//! that made it hold, so every decision can be explained hit by hit.

use serde::Serialize;

use crate::places::PlaceMatcher;
use crate::rules::ir::{self, Cond, Decision, RouteLeg};

/// A watchlist entity a name (or vessel) matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityEvidence {
    /// Index into the ruleset's entities.
    #[serde(skip)]
    pub entity: usize,
    /// `LIST:ID`.
    #[serde(rename = "entity")]
    pub entity_id: String,
    /// The listed name or alias that matched.
    pub name: String,
    /// Similarity in [0, 1]; 1.0 for an identifier match.
    pub score: f64,
    /// `name` or the identifier scheme that matched (`imo`).
    pub by: String,
    /// Why the score is what it is (aligned words), when explanations are on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// The other list entries of the same party (`LIST:ID`): one hit per real party.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// Indices of those entries: a rule's filter accepts the hit when it accepts any.
    #[serde(skip)]
    pub linked: Vec<usize>,
    /// An allowance that covered this hit until it expired, and says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowance: Option<String>,
}

impl EntityEvidence {
    /// Whether `accept` holds for the entity or one of its linked entries.
    fn accepted_by(&self, rs: &ir::RulesetData, accept: impl Fn(&ir::Entity) -> bool) -> bool {
        std::iter::once(self.entity)
            .chain(self.linked.iter().copied())
            .any(|k| rs.entities.get(k).is_some_and(&accept))
    }
}

/// A goods category a line fell in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryEvidence {
    /// Index into the ruleset's categories.
    #[serde(skip)]
    pub category: usize,
    /// The category id.
    #[serde(rename = "category")]
    pub category_id: String,
    /// What matched: `term` or `hs`, the text, and its character span in the field.
    pub evidence: Vec<crate::goods::Evidence>,
}

/// What is known about one order before rules run.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Per party (by position): its role (lowercase), country code, address, and the
    /// entities its name matched at or above the lowest threshold any rule uses.
    pub parties: Vec<PartyFacts>,
    /// Entities the route's vessel matched (by IMO, or by name when no IMO is given).
    pub vessel: Vec<EntityEvidence>,
    /// Per goods line (by position): the categories it fell in.
    pub goods: Vec<Vec<CategoryEvidence>>,
    /// Route fields as written.
    pub origin: Option<String>,
    /// Destination as written.
    pub destination: Option<String>,
    /// Transit places as written.
    pub via: Vec<String>,
    /// The order's total declared value in USD, when every valued line converts.
    pub total_usd: Option<f64>,
    /// Route and party fields as place tests read them, by text, filled on first use.
    pub readings: std::cell::RefCell<
        std::collections::HashMap<String, std::rc::Rc<crate::places::FieldReading>>,
    >,
}

impl Facts {
    /// `text` as place tests read it, read once per order.
    fn reading(&self, text: &str) -> std::rc::Rc<crate::places::FieldReading> {
        if let Some(r) = self.readings.borrow().get(text) {
            return r.clone();
        }
        let r = std::rc::Rc::new(crate::places::FieldReading::new(text));
        self.readings
            .borrow_mut()
            .insert(text.to_string(), r.clone());
        r
    }
}

/// Facts about one party.
#[derive(Debug, Clone, Default)]
pub struct PartyFacts {
    /// Role, lowercase.
    pub role: Option<String>,
    /// Country as written.
    pub country: Option<String>,
    /// Address as written.
    pub address: Option<String>,
    /// Name as written, for tests of what it names (`party name in ...`).
    pub name: Option<String>,
    /// Entities the name matched, by descending score.
    pub hits: Vec<EntityEvidence>,
    /// Entities the name matched below the score `hits` were searched to, filled on
    /// first use.
    pub deeper: std::cell::OnceCell<Vec<EntityEvidence>>,
}

/// One reason a rule fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Evidence {
    /// A party or the vessel matched a watchlist entity.
    Entity {
        /// The input field (`parties[0].name`, `route.vessel`, `route.imo`).
        field: String,
        /// The match.
        #[serde(flatten)]
        hit: EntityEvidence,
    },
    /// A goods line fell in a category.
    Goods {
        /// The input field (`goods[0]`).
        field: String,
        /// The category and what matched.
        #[serde(flatten)]
        hit: CategoryEvidence,
    },
    /// A route field or party location is in a place set.
    Route {
        /// The input field (`route.destination`, `parties[1].address`).
        field: String,
        /// The country code or place of the set.
        place: String,
        /// The matched text.
        text: String,
        /// Start, in characters.
        start: usize,
        /// End (exclusive), in characters.
        end: usize,
    },
    /// The order's value compared as the rule asks.
    Value {
        /// Always `goods`.
        field: String,
        /// The total in USD.
        usd: f64,
    },
    /// A `not` condition held: the thing it excludes is absent.
    Absent {
        /// A description of what was absent.
        field: String,
    },
}

/// Place matchers compiled once per condition, in the order the walk meets them.
#[derive(Debug, Clone, Default)]
pub struct CompiledPlaces {
    matchers: Vec<PlaceMatcher>,
}

impl CompiledPlaces {
    /// Compiles every place set of `cond`, depth first.
    pub fn new(cond: &Cond) -> Self {
        let mut matchers = Vec::new();
        fn walk(c: &Cond, out: &mut Vec<PlaceMatcher>) {
            match c {
                Cond::And(v) | Cond::Or(v) => v.iter().for_each(|x| walk(x, out)),
                Cond::Not(x) => walk(x, out),
                Cond::PartyIn { places, .. }
                | Cond::PartyNameIn { places, .. }
                | Cond::RouteIn { places, .. } => {
                    out.push(PlaceMatcher::new(places));
                }
                _ => {}
            }
        }
        walk(cond, &mut matchers);
        CompiledPlaces { matchers }
    }
}

/// Deeper name hits of one party (by position): those below the score its `hits` were
/// searched to, down to the lowest score any rule asks for.
pub type DeeperSearch<'a> = &'a dyn Fn(usize) -> Vec<EntityEvidence>;

/// Thresholds for tests that do not state their own `score >=`, and how to find name
/// hits below the score the facts were gathered at.
#[derive(Clone, Copy)]
pub struct Defaults<'a> {
    /// Score at or above which a name is taken to match.
    pub score: f64,
    /// The score down to which `PartyFacts::hits` were searched.
    pub searched_to: f64,
    /// Searches one party's name down to the lowest score of any rule; asked only when
    /// a test below `searched_to` is reached, so rules that put a cheap test first
    /// (`party in hubs and party matches ... score >= 0.55`) pay for it only when it
    /// matters.
    pub deeper: Option<DeeperSearch<'a>>,
}

/// Evaluates `cond`; `Some(evidence)` when it holds.
pub fn evaluate(
    cond: &Cond,
    facts: &Facts,
    ruleset: &ir::RulesetData,
    places: &CompiledPlaces,
    defaults: Defaults<'_>,
) -> Option<Vec<Evidence>> {
    let mut next_place = 0;
    eval(cond, facts, ruleset, places, defaults, &mut next_place)
}

fn roles_ok(roles: &[String], role: Option<&String>) -> bool {
    roles.is_empty() || role.is_some_and(|r| roles.iter().any(|x| x == r))
}

/// Counts the place sets under `cond`, to keep the matcher cursor in step when a
/// branch is skipped.
fn place_count(cond: &Cond) -> usize {
    match cond {
        Cond::And(v) | Cond::Or(v) => v.iter().map(place_count).sum(),
        Cond::Not(x) => place_count(x),
        Cond::PartyIn { .. } | Cond::PartyNameIn { .. } | Cond::RouteIn { .. } => 1,
        _ => 0,
    }
}

fn eval(
    cond: &Cond,
    facts: &Facts,
    rs: &ir::RulesetData,
    places: &CompiledPlaces,
    defaults: Defaults<'_>,
    cursor: &mut usize,
) -> Option<Vec<Evidence>> {
    match cond {
        Cond::And(parts) => {
            let mut all = Vec::new();
            let mut failed = false;
            for p in parts {
                if failed {
                    *cursor += place_count(p);
                    continue;
                }
                match eval(p, facts, rs, places, defaults, cursor) {
                    Some(ev) => all.extend(ev),
                    None => failed = true,
                }
            }
            (!failed).then_some(all)
        }
        Cond::Or(parts) => {
            // Every branch that holds is evidence; an auditor wants all the reasons.
            let mut any = None::<Vec<Evidence>>;
            for p in parts {
                if let Some(ev) = eval(p, facts, rs, places, defaults, cursor) {
                    any.get_or_insert_with(Vec::new).extend(ev);
                }
            }
            any
        }
        Cond::Not(inner) => match eval(inner, facts, rs, places, defaults, cursor) {
            Some(_) => None,
            None => Some(vec![Evidence::Absent {
                field: describe(inner),
            }]),
        },
        Cond::PartyMatches {
            roles,
            filter,
            min_score,
        } => {
            let min = min_score.unwrap_or(defaults.score);
            let mut ev = Vec::new();
            for (k, p) in facts.parties.iter().enumerate() {
                if !roles_ok(roles, p.role.as_ref()) {
                    continue;
                }
                let below: &[EntityEvidence] = match defaults.deeper {
                    Some(deeper) if min < defaults.searched_to => {
                        p.deeper.get_or_init(|| deeper(k))
                    }
                    _ => &[],
                };
                for h in p.hits.iter().chain(below) {
                    let accepted = h.accepted_by(rs, |e| filter.accepts(e));
                    if h.score >= min && accepted {
                        ev.push(Evidence::Entity {
                            field: format!("parties[{k}].name"),
                            hit: h.clone(),
                        });
                    }
                }
            }
            (!ev.is_empty()).then_some(ev)
        }
        Cond::VesselMatches { filter, min_score } => {
            let min = min_score.unwrap_or(defaults.score);
            let ev: Vec<Evidence> = facts
                .vessel
                .iter()
                .filter(|h| h.score >= min && h.accepted_by(rs, |e| filter.accepts(e)))
                .map(|h| Evidence::Entity {
                    field: if h.by == "name" {
                        "route.vessel"
                    } else {
                        "route.imo"
                    }
                    .to_string(),
                    hit: h.clone(),
                })
                .collect();
            (!ev.is_empty()).then_some(ev)
        }
        Cond::PartyIn { roles, .. } => {
            let matcher = places.matchers.get(*cursor);
            *cursor += 1;
            let matcher = matcher?;
            let mut ev = Vec::new();
            for (k, p) in facts.parties.iter().enumerate() {
                if !roles_ok(roles, p.role.as_ref()) {
                    continue;
                }
                let found = p
                    .country
                    .as_deref()
                    .and_then(|c| {
                        matcher
                            .matches_reading(c, &facts.reading(c))
                            .map(|h| (format!("parties[{k}].country"), h))
                    })
                    .or_else(|| {
                        p.address.as_deref().and_then(|a| {
                            matcher
                                .find_in_reading(a, &facts.reading(a))
                                .map(|h| (format!("parties[{k}].address"), h))
                        })
                    });
                if let Some((field, h)) = found {
                    ev.push(Evidence::Route {
                        field,
                        place: h.place,
                        text: h.text,
                        start: h.start,
                        end: h.end,
                    });
                }
            }
            (!ev.is_empty()).then_some(ev)
        }
        Cond::PartyNameIn { roles, .. } => {
            let matcher = places.matchers.get(*cursor);
            *cursor += 1;
            let matcher = matcher?;
            let ev: Vec<Evidence> = facts
                .parties
                .iter()
                .enumerate()
                .filter(|(_, p)| roles_ok(roles, p.role.as_ref()))
                .filter_map(|(k, p)| {
                    let name = p.name.as_deref()?;
                    let h = matcher.find_in_reading(name, &facts.reading(name))?;
                    Some(Evidence::Route {
                        field: format!("parties[{k}].name"),
                        place: h.place,
                        text: h.text,
                        start: h.start,
                        end: h.end,
                    })
                })
                .collect();
            (!ev.is_empty()).then_some(ev)
        }
        Cond::RouteIn { leg, .. } => {
            let matcher = places.matchers.get(*cursor);
            *cursor += 1;
            let matcher = matcher?;
            let mut fields: Vec<(String, &str)> = Vec::new();
            if matches!(leg, RouteLeg::Origin | RouteLeg::Any) {
                fields.extend(
                    facts
                        .origin
                        .as_deref()
                        .map(|o| ("route.origin".to_string(), o)),
                );
            }
            if matches!(leg, RouteLeg::Destination | RouteLeg::Any) {
                fields.extend(
                    facts
                        .destination
                        .as_deref()
                        .map(|d| ("route.destination".to_string(), d)),
                );
            }
            if matches!(leg, RouteLeg::Via | RouteLeg::Any) {
                fields.extend(
                    facts
                        .via
                        .iter()
                        .enumerate()
                        .map(|(k, v)| (format!("route.via[{k}]"), v.as_str())),
                );
            }
            let ev: Vec<Evidence> = fields
                .into_iter()
                .filter_map(|(field, text)| {
                    let reading = facts.reading(text);
                    matcher
                        .matches_reading(text, &reading)
                        .map(|h| Evidence::Route {
                            field,
                            place: h.place,
                            text: h.text,
                            start: h.start,
                            end: h.end,
                        })
                })
                .collect();
            (!ev.is_empty()).then_some(ev)
        }
        Cond::GoodsIn(categories) => {
            let mut ev = Vec::new();
            for (k, line) in facts.goods.iter().enumerate() {
                for c in line {
                    if categories.contains(&c.category) {
                        ev.push(Evidence::Goods {
                            field: format!("goods[{k}]"),
                            hit: c.clone(),
                        });
                    }
                }
            }
            (!ev.is_empty()).then_some(ev)
        }
        Cond::Value { op, usd } => {
            let total = facts.total_usd?;
            let holds = match op {
                ir::Comparison::Gt => total > *usd,
                ir::Comparison::Ge => total >= *usd,
                ir::Comparison::Lt => total < *usd,
                ir::Comparison::Le => total <= *usd,
            };
            holds.then(|| {
                vec![Evidence::Value {
                    field: "goods".to_string(),
                    usd: total,
                }]
            })
        }
    }
}

/// Words for what a `not` excluded, for its evidence.
fn describe(cond: &Cond) -> String {
    match cond {
        Cond::And(_) => "no combination of the excluded conditions".to_string(),
        Cond::Or(_) => "none of the excluded conditions".to_string(),
        Cond::Not(_) => "a negated condition".to_string(),
        Cond::PartyMatches { .. } => "no party matching the excluded entities".to_string(),
        Cond::VesselMatches { .. } => "no vessel matching the excluded entities".to_string(),
        Cond::PartyIn { .. } => "no party in the excluded places".to_string(),
        Cond::PartyNameIn { .. } => "no party named for the excluded places".to_string(),
        Cond::GoodsIn(_) => "no goods in the excluded categories".to_string(),
        Cond::RouteIn { leg, .. } => {
            format!("route {leg:?} not in the excluded places").to_lowercase()
        }
        Cond::Value { .. } => "value outside the excluded range".to_string(),
    }
}

/// The most severe of several decisions; `clear` when there is none.
pub fn combine(decisions: impl IntoIterator<Item = Decision>) -> Decision {
    decisions.into_iter().max().unwrap_or(Decision::Clear)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{load_str, CompileOptions};

    const RULES: &str = r#"
list un { title "UN" as_of "2026-02-27" }
entity un:KPe.001 { kind organization name "KOMID" country KP program "UN 1718" }
entity un:KPe.002 { kind organization name "OTHER" country CN }
category cars { title "Cars" tags luxury basis "UNSCR 2094" hs 8703 }
rates { rate EUR 1.2 }
set countries dprk = KP
set places hubs = "Dandong"
rule listed { basis "b" when party matches country(KP) score >= 0.9 then block "listed" }
rule to_dprk { basis "b" when goods in tagged(luxury) and (destination in dprk or party role(consignee) in dprk) then block "lux" }
rule hub { basis "b" when goods in cars and via in hubs and not destination in dprk then review "hub" }
rule big { basis "b" when value >= EUR 100 then review "big" }
"#;

    fn ruleset() -> crate::rules::Ruleset {
        let checked = load_str("t.emb", RULES, &CompileOptions::default());
        assert_eq!(checked.render_diagnostics(), "");
        checked.ruleset.expect("compiles")
    }

    fn fired(facts: &Facts) -> Vec<(String, Decision)> {
        let rs = ruleset();
        rs.rules
            .iter()
            .filter_map(|r| {
                let places = CompiledPlaces::new(&r.when);
                evaluate(
                    &r.when,
                    facts,
                    &rs,
                    &places,
                    Defaults {
                        score: 0.9,
                        searched_to: 0.0,
                        deeper: None,
                    },
                )
                .map(|_| (r.id.clone(), r.decision))
            })
            .collect()
    }

    fn car() -> Vec<CategoryEvidence> {
        vec![CategoryEvidence {
            category: 0,
            category_id: "cars".into(),
            evidence: vec![],
        }]
    }

    #[test]
    fn party_hits_respect_filter_and_score() {
        let rs = ruleset();
        let komid = rs
            .entities
            .iter()
            .position(|e| e.id == "un:KPe.001")
            .unwrap_or(0);
        let other = rs
            .entities
            .iter()
            .position(|e| e.id == "un:KPe.002")
            .unwrap_or(0);
        let hit = |entity, score| EntityEvidence {
            entity,
            entity_id: String::new(),
            name: String::new(),
            score,
            by: "name".into(),
            explanation: None,
            also: Vec::new(),
            linked: Vec::new(),
            allowance: None,
        };
        let mut facts = Facts {
            parties: vec![PartyFacts {
                hits: vec![hit(komid, 0.89), hit(other, 0.99)],
                ..PartyFacts::default()
            }],
            ..Facts::default()
        };
        assert!(
            fired(&facts).is_empty(),
            "below the score, or not a KP entity"
        );
        facts.parties[0].hits[0].score = 0.95;
        assert_eq!(fired(&facts), [("listed".to_string(), Decision::Block)]);
    }

    #[test]
    fn goods_route_and_not() {
        let facts = Facts {
            goods: vec![car()],
            destination: Some("CN".into()),
            via: vec!["Dandong, Liaoning".into()],
            ..Facts::default()
        };
        assert_eq!(fired(&facts), [("hub".to_string(), Decision::Review)]);
        let to_dprk = Facts {
            destination: Some("Korea, North".into()),
            ..facts.clone()
        };
        assert_eq!(fired(&to_dprk), [("to_dprk".to_string(), Decision::Block)]);
        let consignee = Facts {
            parties: vec![PartyFacts {
                role: Some("consignee".into()),
                address: Some("Sosong District, Pyongyang, DPRK".into()),
                ..PartyFacts::default()
            }],
            ..facts
        };
        assert_eq!(fired(&consignee)[0].0, "to_dprk");
    }

    #[test]
    fn value_converts_currency() {
        let facts = Facts {
            total_usd: Some(119.0),
            ..Facts::default()
        };
        assert!(fired(&facts).is_empty(), "EUR 100 = USD 120");
        let facts = Facts {
            total_usd: Some(120.0),
            ..Facts::default()
        };
        assert_eq!(fired(&facts), [("big".to_string(), Decision::Review)]);
    }

    #[test]
    fn decisions_combine_to_the_most_severe() {
        assert_eq!(combine([]), Decision::Clear);
        assert_eq!(
            combine([Decision::Review, Decision::Block, Decision::Clear]),
            Decision::Block
        );
    }
}
