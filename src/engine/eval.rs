//! Compiled conditions over the facts of one order -> fired rules with evidence.
//!
//! Evaluation is a pure function of plain data: it searches no names, classifies no
//! goods and reads no field. What the name index and the goods classifier found, and
//! each field as place tests read it (folded, the country it names), is gathered first
//! into [`Facts`]; each rule's condition is a walk over them, and a place test runs the
//! rule's compiled place set over a field already read. A condition that holds returns
//! the evidence that made it hold, so every decision can be explained hit by hit.
//!
//! Two kinds of fact are gathered only for the orders a rule needs them for, because
//! rules that put a cheap test first (`goods in tagged(luxury) and destination in
//! dprk`, `party in hubs and party matches ... score >= 0.55`) reach them on few
//! orders: the order's fields as place tests read them, and a name's hits below the
//! score the facts were searched to. When the walk reaches a test without its facts,
//! [`evaluate`] says which are missing ([`Outcome::NeedsPlaces`],
//! [`Outcome::NeedsDeeperHits`]); the caller gathers them into the facts and evaluates
//! again.

pub use super::evidence::{CategoryEvidence, EntityEvidence, Evidence, NamePart};
use crate::goods::stated::Direction;
use crate::places::{FieldReading, PlaceHit, PlaceMatcher};
use crate::rules::ir::{self, Cond, Decision, RouteLeg};

/// What is known about one order before rules run.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Per party (by position): its role (lowercase) and the entities its name matched.
    pub parties: Vec<PartyFacts>,
    /// Entities the route's vessel matched (by IMO, or by name when no IMO is given).
    pub vessel: Vec<EntityEvidence>,
    /// Per goods line (by position): the categories it fell in.
    pub goods: Vec<Vec<CategoryEvidence>>,
    /// The order's total declared value in USD, of the lines that convert.
    pub total_usd: Option<f64>,
    /// The first goods line whose value is in a currency the rules have no rate for
    /// (by position), and that currency. Its value is unknown, and a value test takes
    /// it as met, as a category's threshold takes an unknown value as above it: a rule
    /// gated on value then fires rather than clears on a value no one could compare.
    pub no_rate: Option<(usize, String)>,
    /// The order's fields as place tests read them; `None` until a rule needs them.
    pub places: Option<PlaceFacts>,
}

/// The fields of one order that place tests read. A field no rule tests (a party's
/// name when no rule has `party name in`) is left out.
#[derive(Debug, Clone, Default)]
pub struct PlaceFacts {
    /// Per party (by position, as [`Facts::parties`]).
    pub parties: Vec<PartyPlaces>,
    /// The route's origin.
    pub origin: Option<PlaceField>,
    /// The route's destination.
    pub destination: Option<PlaceField>,
    /// The route's transit places.
    pub via: Vec<PlaceField>,
    /// Origins and destinations the goods lines' descriptions state (`origin: Rason`,
    /// `final destination Pyongyang`): an origin or destination test reads them as
    /// the route's own.
    pub stated: Vec<StatedField>,
}

/// An origin or destination a goods line's description states, read for place tests.
#[derive(Debug, Clone)]
pub struct StatedField {
    /// The goods line (by position).
    pub line: usize,
    /// Origin or destination.
    pub direction: Direction,
    /// Character offset of the stated words in the description.
    pub start: usize,
    /// The stated words, read.
    pub field: PlaceField,
}

/// The fields of one party that place tests read.
#[derive(Debug, Clone, Default)]
pub struct PartyPlaces {
    /// Its country.
    pub country: Option<PlaceField>,
    /// Its address.
    pub address: Option<PlaceField>,
    /// Its name, for tests of what it names (`party name in ...`).
    pub name: Option<PlaceField>,
    /// The place part of its name, when the name line also holds where the party is
    /// (`Mr. Pak, Sinuiju`, as bills of lading write a notify party): read as its
    /// address is, with where it starts in the name (in characters).
    pub name_location: Option<(usize, PlaceField)>,
}

/// A field of the order as written and as place tests read it. Several rules test the
/// same field against their own place sets; it is read once for all of them.
#[derive(Debug, Clone, Default)]
pub struct PlaceField {
    /// The text as written.
    pub text: String,
    /// The text folded, and the country it names if it names one.
    pub reading: FieldReading,
}

impl PlaceField {
    /// Reads `text`.
    pub fn new(text: &str) -> PlaceField {
        PlaceField {
            text: text.to_string(),
            reading: FieldReading::new(text),
        }
    }

    /// Whether a route field (a code, a country name or a place name) is in `set`.
    fn is_in(&self, set: &PlaceMatcher) -> Option<PlaceHit> {
        set.matches_reading(&self.text, &self.reading)
    }

    /// The first place of `set` named anywhere in the field (an address, a name).
    fn names_place_of(&self, set: &PlaceMatcher) -> Option<PlaceHit> {
        set.find_in_reading(&self.text, &self.reading)
    }
}

/// Facts about one party.
#[derive(Debug, Clone, Default)]
pub struct PartyFacts {
    /// Role, as [`crate::roles::role_key`] spells it.
    pub role: Option<String>,
    /// Its nationality when it names a country: the country (ISO 3166-1 alpha-2) and
    /// the field as written.
    pub nationality: Option<(String, String)>,
    /// Entities the name matched, by descending score.
    pub hits: Vec<EntityEvidence>,
    /// Entities the name matched below the score `hits` were searched to (see
    /// [`Defaults::searched_to`]); `None` until a rule needs them.
    pub deeper: Option<Vec<EntityEvidence>>,
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

/// Thresholds for tests that do not state their own `score >=`, and the score name
/// hits were gathered at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Defaults {
    /// Score at or above which a name is taken to match.
    pub score: f64,
    /// The score down to which [`PartyFacts::hits`] were searched. A test asking for
    /// less needs the party's [`PartyFacts::deeper`] hits too.
    pub searched_to: f64,
}

/// What evaluating a condition over the facts came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The condition holds, for these reasons.
    Holds(Vec<Evidence>),
    /// The condition does not hold.
    Fails,
    /// The walk reached a place test and [`Facts::places`] is not gathered: gather it
    /// and evaluate again.
    NeedsPlaces,
    /// The walk reached a name test below [`Defaults::searched_to`] and party `party`'s
    /// [`PartyFacts::deeper`] hits are not gathered: gather them and evaluate again.
    /// Asked only when the tests before it in the condition hold, so rules that put a
    /// cheap test first pay for the deeper search only when it matters.
    NeedsDeeperHits {
        /// The party, by position in [`Facts::parties`].
        party: usize,
    },
}

/// A fact the walk needs and the facts lack; it ends the walk.
enum Missing {
    /// [`Facts::places`].
    Places,
    /// The deeper name hits of this party (by position).
    DeeperHits(usize),
}

/// A walk's answer: `Some(evidence)` when the condition holds.
type Walk = Result<Option<Vec<Evidence>>, Missing>;

/// Evaluates `cond` over `facts`.
pub fn evaluate(
    cond: &Cond,
    facts: &Facts,
    ruleset: &ir::RulesetData,
    places: &CompiledPlaces,
    defaults: Defaults,
) -> Outcome {
    let mut next_place = 0;
    match eval(cond, facts, ruleset, places, defaults, &mut next_place) {
        Ok(Some(evidence)) => Outcome::Holds(evidence),
        Ok(None) => Outcome::Fails,
        Err(Missing::Places) => Outcome::NeedsPlaces,
        Err(Missing::DeeperHits(party)) => Outcome::NeedsDeeperHits { party },
    }
}

fn roles_ok(roles: &[String], role: Option<&String>) -> bool {
    crate::roles::is_tested(roles, role.map(String::as_str))
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
    defaults: Defaults,
    cursor: &mut usize,
) -> Walk {
    Ok(match cond {
        Cond::And(parts) => {
            let mut all = Vec::new();
            let mut failed = false;
            for p in parts {
                if failed {
                    *cursor += place_count(p);
                    continue;
                }
                match eval(p, facts, rs, places, defaults, cursor)? {
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
                if let Some(ev) = eval(p, facts, rs, places, defaults, cursor)? {
                    any.get_or_insert_with(Vec::new).extend(ev);
                }
            }
            any
        }
        Cond::Not(inner) => match eval(inner, facts, rs, places, defaults, cursor)? {
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
                let below: &[EntityEvidence] = if min < defaults.searched_to {
                    p.deeper.as_deref().ok_or(Missing::DeeperHits(k))?
                } else {
                    &[]
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
        Cond::PartyNationalityIn { roles, countries } => {
            let ev: Vec<Evidence> = facts
                .parties
                .iter()
                .enumerate()
                .filter(|(_, party)| roles_ok(roles, party.role.as_ref()))
                .filter_map(|(k, party)| {
                    let (code, written) = party.nationality.as_ref()?;
                    countries.contains(code).then(|| Evidence::Route {
                        field: format!("parties[{k}].nationality"),
                        place: code.clone(),
                        // The whole field names the country.
                        text: written.clone(),
                        start: 0,
                        end: written.chars().count(),
                        reading: None,
                    })
                })
                .collect();
            (!ev.is_empty()).then_some(ev)
        }
        Cond::PartyIn { roles, .. } => {
            let matcher = places.matchers.get(*cursor);
            *cursor += 1;
            let Some(matcher) = matcher else {
                return Ok(None);
            };
            let read = facts.places.as_ref().ok_or(Missing::Places)?;
            let mut ev = Vec::new();
            for (k, (party, p)) in facts.parties.iter().zip(&read.parties).enumerate() {
                if !roles_ok(roles, party.role.as_ref()) {
                    continue;
                }
                let found = p
                    .country
                    .as_ref()
                    .and_then(|c| {
                        c.is_in(matcher)
                            .map(|h| Evidence::place(format!("parties[{k}].country"), h, 0))
                    })
                    .or_else(|| {
                        p.address.as_ref().and_then(|a| {
                            a.names_place_of(matcher)
                                .map(|h| Evidence::place(format!("parties[{k}].address"), h, 0))
                        })
                    })
                    .or_else(|| {
                        p.name_location.as_ref().and_then(|(offset, l)| {
                            l.names_place_of(matcher)
                                .map(|h| Evidence::place(format!("parties[{k}].name"), h, *offset))
                        })
                    });
                ev.extend(found);
            }
            (!ev.is_empty()).then_some(ev)
        }
        Cond::PartyNameIn { roles, .. } => {
            let matcher = places.matchers.get(*cursor);
            *cursor += 1;
            let Some(matcher) = matcher else {
                return Ok(None);
            };
            let read = facts.places.as_ref().ok_or(Missing::Places)?;
            let ev: Vec<Evidence> = facts
                .parties
                .iter()
                .zip(&read.parties)
                .enumerate()
                .filter(|(_, (party, _))| roles_ok(roles, party.role.as_ref()))
                .filter_map(|(k, (_, p))| {
                    let h = p.name.as_ref()?.names_place_of(matcher)?;
                    Some(Evidence::place(format!("parties[{k}].name"), h, 0))
                })
                .collect();
            (!ev.is_empty()).then_some(ev)
        }
        Cond::RouteIn { leg, .. } => {
            let matcher = places.matchers.get(*cursor);
            *cursor += 1;
            let Some(matcher) = matcher else {
                return Ok(None);
            };
            let read = facts.places.as_ref().ok_or(Missing::Places)?;
            let mut fields: Vec<(String, &PlaceField)> = Vec::new();
            if matches!(leg, RouteLeg::Origin | RouteLeg::Any) {
                fields.extend(
                    read.origin
                        .as_ref()
                        .map(|o| ("route.origin".to_string(), o)),
                );
            }
            if matches!(leg, RouteLeg::Destination | RouteLeg::Any) {
                fields.extend(
                    read.destination
                        .as_ref()
                        .map(|d| ("route.destination".to_string(), d)),
                );
            }
            if matches!(leg, RouteLeg::Via | RouteLeg::Any) {
                fields.extend(
                    read.via
                        .iter()
                        .enumerate()
                        .map(|(k, v)| (format!("route.via[{k}]"), v)),
                );
            }
            let mut ev: Vec<Evidence> = fields
                .into_iter()
                .filter_map(|(field, place)| {
                    place.is_in(matcher).map(|h| Evidence::place(field, h, 0))
                })
                .collect();
            // What a description states of its goods' origin or destination, after
            // the route's own fields: its hit is placed in the description.
            ev.extend(
                read.stated
                    .iter()
                    .filter(|s| match s.direction {
                        Direction::Origin => matches!(leg, RouteLeg::Origin | RouteLeg::Any),
                        Direction::Destination => {
                            matches!(leg, RouteLeg::Destination | RouteLeg::Any)
                        }
                    })
                    .filter_map(|s| {
                        s.field
                            .is_in(matcher)
                            .map(|h| Evidence::place(format!("goods[{}]", s.line), h, s.start))
                    }),
            );
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
            if let Some((k, currency)) = &facts.no_rate {
                return Ok(Some(vec![Evidence::Value {
                    field: format!("goods[{k}].currency"),
                    usd: facts.total_usd.unwrap_or(0.0),
                    no_rate: Some(currency.clone()),
                }]));
            }
            let Some(total) = facts.total_usd else {
                return Ok(None);
            };
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
                    no_rate: None,
                }]
            })
        }
    })
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
        Cond::PartyNationalityIn { .. } => "no party of the excluded nationalities".to_string(),
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
rule echo { basis "b" when party in hubs and party matches country(KP) score >= 0.55 then review "echo" }
"#;

    fn ruleset() -> crate::rules::Ruleset {
        let checked = load_str("t.emb", RULES, &CompileOptions::default());
        assert_eq!(checked.render_diagnostics(), "");
        checked.ruleset.expect("compiles")
    }

    /// The rules of [`RULES`] that fire on `facts`, names searched to every score; facts
    /// without places read none, so their place tests fail.
    fn fired(facts: &Facts) -> Vec<(String, Decision)> {
        let rs = ruleset();
        let mut facts = facts.clone();
        facts.places.get_or_insert_with(PlaceFacts::default);
        rs.rules()
            .iter()
            .filter_map(|r| match outcome(&rs, &r.id, &facts, 0.0) {
                Outcome::Holds(_) => Some((r.id.clone(), r.decision)),
                Outcome::Fails => None,
                need => panic!("{}: {need:?} with every fact gathered", r.id),
            })
            .collect()
    }

    fn entity(rs: &crate::rules::Ruleset, id: &str) -> usize {
        rs.entities().iter().position(|e| e.id == id).unwrap_or(0)
    }

    fn hit(entity: usize, score: f64) -> EntityEvidence {
        EntityEvidence {
            entity,
            entity_id: String::new(),
            name: String::new(),
            score,
            by: "name".into(),
            explanation: None,
            also: Vec::new(),
            linked: Vec::new(),
            allowance: None,
            part: None,
        }
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
        let (komid, other) = (entity(&rs, "un:KPe.001"), entity(&rs, "un:KPe.002"));
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

    /// What rule `id` of [`RULES`] comes to on `facts` gathered with names searched down
    /// to `searched_to`.
    fn outcome(rs: &crate::rules::Ruleset, id: &str, facts: &Facts, searched_to: f64) -> Outcome {
        let Some(rule) = rs.rules().iter().find(|r| r.id == id) else {
            panic!("no rule {id}");
        };
        let defaults = Defaults {
            score: 0.9,
            searched_to,
        };
        evaluate(
            &rule.when,
            facts,
            rs.data(),
            &CompiledPlaces::new(&rule.when),
            defaults,
        )
    }

    /// Facts of parties at `addresses`, their fields read for place tests.
    fn at(addresses: &[&str]) -> Facts {
        let read = |a: &&str| PartyPlaces {
            address: Some(PlaceField::new(a)),
            ..PartyPlaces::default()
        };
        Facts {
            parties: vec![PartyFacts::default(); addresses.len()],
            places: Some(PlaceFacts {
                parties: addresses.iter().map(read).collect(),
                ..PlaceFacts::default()
            }),
            ..Facts::default()
        }
    }

    #[test]
    fn places_are_asked_for_only_when_a_place_test_is_reached() {
        let rs = ruleset();
        let unread = |goods| Facts {
            goods,
            ..Facts::default()
        };
        assert_eq!(
            outcome(&rs, "to_dprk", &unread(vec![]), 0.0),
            Outcome::Fails,
            "no luxury goods: the destination is not tested"
        );
        assert_eq!(
            outcome(&rs, "to_dprk", &unread(vec![car()]), 0.0),
            Outcome::NeedsPlaces
        );
        assert_eq!(
            outcome(&rs, "echo", &Facts::default(), 0.0),
            Outcome::NeedsPlaces
        );
    }

    #[test]
    fn deeper_hits_are_asked_for_only_when_the_cheap_test_before_them_holds() {
        let rs = ruleset();
        let komid = entity(&rs, "un:KPe.001");
        let elsewhere = at(&["Shenyang, Liaoning"]);
        assert_eq!(
            outcome(&rs, "echo", &elsewhere, 0.7),
            Outcome::Fails,
            "no party in a hub"
        );
        assert_eq!(
            outcome(&rs, "listed", &elsewhere, 0.7),
            Outcome::Fails,
            "0.9 is above the score hits were searched to"
        );

        let mut near = at(&["Shenyang", "Dandong, Liaoning"]);
        assert_eq!(
            outcome(&rs, "echo", &near, 0.7),
            Outcome::NeedsDeeperHits { party: 0 }
        );
        near.parties[0].deeper = Some(vec![hit(komid, 0.5)]);
        assert_eq!(
            outcome(&rs, "echo", &near, 0.7),
            Outcome::NeedsDeeperHits { party: 1 }
        );
        near.parties[1].deeper = Some(vec![hit(komid, 0.6)]);
        let Outcome::Holds(evidence) = outcome(&rs, "echo", &near, 0.7) else {
            panic!("party 1 is in a hub and its name scores 0.6 >= 0.55");
        };
        let named: Vec<&str> = evidence
            .iter()
            .map(|e| match e {
                Evidence::Entity { field, .. } | Evidence::Route { field, .. } => field.as_str(),
                _ => "",
            })
            .collect();
        assert_eq!(named, ["parties[1].address", "parties[1].name"]);
    }

    #[test]
    fn facts_are_plain_data_threads_can_share() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Facts>();
        send_sync::<Defaults>();
        send_sync::<Outcome>();
    }

    #[test]
    fn goods_route_and_not() {
        let route = |destination: &str| PlaceFacts {
            destination: Some(PlaceField::new(destination)),
            via: vec![PlaceField::new("Dandong, Liaoning")],
            ..PlaceFacts::default()
        };
        let facts = Facts {
            goods: vec![car()],
            places: Some(route("CN")),
            ..Facts::default()
        };
        assert_eq!(fired(&facts), [("hub".to_string(), Decision::Review)]);
        let to_dprk = Facts {
            places: Some(route("Korea, North")),
            ..facts.clone()
        };
        assert_eq!(fired(&to_dprk), [("to_dprk".to_string(), Decision::Block)]);
        let mut consignee = at(&["Sosong District, Pyongyang, DPRK"]);
        consignee.goods = vec![car()];
        consignee.parties[0].role = Some("consignee".into());
        if let Some(read) = consignee.places.as_mut() {
            read.destination = route("CN").destination;
        }
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
        // A line in a currency without a rate: its value is unknown, the test is met.
        let facts = Facts {
            total_usd: Some(10.0),
            no_rate: Some((1, "BRL".to_string())),
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
