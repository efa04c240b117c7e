//! The screener: one compiled ruleset plus the indexes built from it, shared by every
//! thread, turning an order into a decision with evidence.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::eval::{self, CompiledPlaces, EntityEvidence, Evidence};
use crate::goods::{Classifier, GoodsLine};
use crate::matching::{Basis, IndexedName, NameIndex, NameQuery, SearchOptions};
use crate::order::Order;
use crate::reference;
use crate::rules::ir::{Cond, Strength};
use crate::rules::Ruleset;

mod decision;
mod facts;

pub use decision::{
    category_results, Allowed, CategoryResult, DecisionSettings, Hit, ListVersion, NameMatch,
    OrderDecision,
};

/// Thresholds and limits of screening.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenOptions {
    /// Score at or above which rules without a `score >=` of their own take a name to
    /// be the listed party.
    pub threshold: f64,
    /// Most entity hits considered per name.
    pub limit: usize,
    /// Attach to every name hit the explanation of its score (which words aligned
    /// with which, and why).
    pub explain: bool,
    /// Screen only the entities of these lists (by list name); empty means all.
    pub lists: Vec<String>,
    /// Distinct name searches remembered across orders (0: none). Order files repeat
    /// their counterparties, and results are the same either way.
    pub name_cache: usize,
    /// A list whose `as_of` is older than this many days is stale: each decision's
    /// `lists` says so. `None`: lists never go stale.
    pub max_list_age_days: Option<u32>,
    /// The day (`YYYY-MM-DD`) lists are aged against when the screener is built and
    /// allowances' expiry dates are checked against for each order; `None`: the
    /// clock's day (UTC) at those times.
    pub today: Option<String>,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions {
            threshold: crate::matching::DEFAULT_THRESHOLD,
            limit: 10,
            explain: true,
            lists: Vec::new(),
            name_cache: 200_000,
            max_list_age_days: Some(365),
            today: None,
        }
    }
}

impl From<&crate::config::Settings> for ScreenOptions {
    fn from(s: &crate::config::Settings) -> Self {
        ScreenOptions {
            threshold: s.matching.threshold,
            limit: s.matching.limit,
            explain: s.output.explain,
            lists: s.lists.enabled.clone(),
            name_cache: s.batch.name_cache,
            max_list_age_days: Some(s.lists.max_age_days),
            today: None,
        }
    }
}

/// A compiled ruleset with its name index and goods classifier. Cheap to clone, and
/// `Send + Sync`: build one and share it.
#[derive(Clone)]
pub struct Screener {
    inner: Arc<Inner>,
}

struct Inner {
    ruleset: Ruleset,
    /// Entries of one party across lists.
    links: super::links::Links,
    names: NameIndex,
    name_cache: super::cache::NameCache,
    imo: HashMap<String, Vec<usize>>,
    /// Built when first asked for: a name search needs none.
    classifier: std::sync::OnceLock<Classifier>,
    /// The place sets of each rule, compiled when first screened: a name search
    /// needs none.
    places: std::sync::OnceLock<Vec<CompiledPlaces>>,
    place_fields: facts::PlaceFields,
    options: ScreenOptions,
    /// The lowest score any rule accepts: names are searched down to it once, and each
    /// rule then keeps the hits at its own threshold.
    floor: f64,
    /// The lowest score of rules that may test a name on every order: names are
    /// searched down to it up front. Rules that first test something cheaper (`party
    /// in hubs and party matches ... score >= 0.55`) search deeper only when that holds.
    eager: f64,
    engine: String,
    lists: Vec<ListVersion>,
    settings: DecisionSettings,
}

/// Whether `cond` tests something other than names before any name: an `and` whose
/// first part matches no names. Its name tests run only on the orders that pass.
fn gated(cond: &Cond) -> bool {
    fn tests_names(c: &Cond) -> bool {
        match c {
            Cond::And(v) | Cond::Or(v) => v.iter().any(tests_names),
            Cond::Not(c) => tests_names(c),
            Cond::PartyMatches { .. } | Cond::VesselMatches { .. } => true,
            _ => false,
        }
    }
    matches!(cond, Cond::And(v) if v.first().is_some_and(|first| !tests_names(first)))
}

fn min_score(cond: &Cond, default: f64, floor: &mut f64) {
    match cond {
        Cond::And(v) | Cond::Or(v) => v.iter().for_each(|c| min_score(c, default, floor)),
        Cond::Not(c) => min_score(c, default, floor),
        Cond::PartyMatches { min_score: s, .. } | Cond::VesselMatches { min_score: s, .. } => {
            *floor = floor.min(s.unwrap_or(default));
        }
        _ => {}
    }
}

/// Below the scores rules test on every order, fuzzy resemblance is noise; a hit there
/// counts only when a distinctive word of the listed name (one that few listed names
/// share: not `Korea`, `Trading`, nor a city several names carry) appears in the
/// screened name, as written or romanized differently.
pub(crate) fn shares_distinctive_word(e: &crate::matching::Explanation) -> bool {
    e.pairs.iter().any(|p| {
        matches!(p.basis, Basis::Exact | Basis::Phonetic)
            && p.query_weight.min(p.candidate_weight) >= DISTINCTIVE_WEIGHT
    })
}

/// How deep a party's name is searched.
#[derive(Debug, Clone, Copy)]
enum Depth {
    /// Down to the lowest score of the rules tested on every order: every hit.
    Eager,
    /// Below that, down to the lowest score any rule accepts: only the hits below the
    /// eager search that share a distinctive word with the screened name.
    Echo,
}

/// Word weight (1.0 for a word on one listed name) from which a word is distinctive.
const DISTINCTIVE_WEIGHT: f64 = 0.9;

/// IMO digits of an identifier or route field (`IMO 9176187` -> `9176187`).
fn imo_digits(text: &str) -> Option<String> {
    let d: String = text.chars().filter(char::is_ascii_digit).collect();
    (d.len() == 7).then_some(d)
}

/// The names of the entities of the lists `enabled` accepts, as the index takes them.
fn indexed_names(ruleset: &Ruleset, enabled: impl Fn(usize) -> bool) -> Vec<IndexedName> {
    let mut names = Vec::new();
    for (k, e) in ruleset.entities().iter().enumerate() {
        if !enabled(e.list) {
            continue;
        }
        let entity = k as u32;
        // Short forms in parentheses ("... COMPANY, LIMITED (OMM)") and other
        // readings of a name are indexed by the index itself.
        let mut add = |name: &str, weak: bool| {
            let mut n = IndexedName::new(entity, name, e.kind);
            n.weak = weak;
            // Countries of location only: a national of the DPRK may live abroad.
            n.countries = e.countries.clone();
            n.nationalities = e.nationalities.clone();
            names.push(n);
        };
        add(&e.name, false);
        for a in &e.aliases {
            add(&a.name, a.strength == Strength::Weak);
        }
    }
    names
}

impl Screener {
    /// Builds the name index and classifier for `ruleset`.
    pub fn new(ruleset: Ruleset, options: ScreenOptions) -> Screener {
        let mut imo: HashMap<String, Vec<usize>> = HashMap::new();
        let enabled = |list: usize| {
            options.lists.is_empty()
                || ruleset
                    .lists()
                    .get(list)
                    .is_some_and(|l| options.lists.contains(&l.name))
        };
        for (k, e) in ruleset.entities().iter().enumerate() {
            if !enabled(e.list) {
                continue;
            }
            for id in &e.identifiers {
                if id.scheme == "imo" {
                    if let Some(d) = imo_digits(&id.value) {
                        imo.entry(d).or_default().push(k);
                    }
                }
            }
        }
        // A compiled ruleset brings the index of all its lists, built when it was
        // compiled; only a choice of lists builds one here.
        let names = match ruleset.stored_names() {
            Some(stored) if options.lists.is_empty() => stored.clone(),
            _ => NameIndex::build(indexed_names(&ruleset, enabled)),
        };
        let mut floor = options.threshold;
        let mut eager = options.threshold;
        for r in ruleset.rules() {
            min_score(&r.when, options.threshold, &mut floor);
            if !gated(&r.when) {
                min_score(&r.when, options.threshold, &mut eager);
            }
        }
        let today = options
            .today
            .clone()
            .unwrap_or_else(crate::refdata::date::today_utc);
        let today = crate::refdata::date::days_from_civil(&today);
        let lists = ruleset
            .lists()
            .iter()
            .filter(|l| options.lists.is_empty() || options.lists.contains(&l.name))
            .map(|l| {
                let age = today.zip(crate::refdata::date::days_from_civil(&l.as_of));
                let age = age.map(|(now, then)| now - then);
                // A list dated after tomorrow has a wrong date, so its age is unknown:
                // called stale rather than fresh for ever.
                let stale = match (age, options.max_list_age_days) {
                    (Some(a), _) if a < -1 => true,
                    (Some(a), Some(max)) => a > i64::from(max),
                    _ => false,
                };
                ListVersion {
                    name: l.name.clone(),
                    as_of: l.as_of.clone(),
                    stale,
                    age_days: age.filter(|_| stale),
                }
            })
            .collect();
        let settings = DecisionSettings {
            threshold: options.threshold,
            limit: options.limit,
        };
        Screener {
            inner: Arc::new(Inner {
                links: match &ruleset.links {
                    Some(stored) => (**stored).clone(),
                    None => super::links::Links::new(&ruleset),
                },
                names,
                name_cache: super::cache::NameCache::new(options.name_cache),
                imo,
                classifier: std::sync::OnceLock::new(),
                places: std::sync::OnceLock::new(),
                place_fields: facts::PlaceFields::tested_by(ruleset.rules()),
                options,
                floor,
                eager,
                engine: format!("embargo {}", env!("CARGO_PKG_VERSION")),
                lists,
                settings,
                ruleset,
            }),
        }
    }

    /// The index of the names of every list of `ruleset`, as a screener screening all
    /// of them builds it: what a compiled ruleset stores.
    pub(crate) fn index_names(ruleset: &Ruleset) -> NameIndex {
        NameIndex::build(indexed_names(ruleset, |_| true))
    }

    /// The ruleset screened against.
    pub fn ruleset(&self) -> &Ruleset {
        &self.inner.ruleset
    }

    /// The name index.
    pub fn names(&self) -> &NameIndex {
        &self.inner.names
    }

    /// The goods classifier.
    pub fn classifier(&self) -> &Classifier {
        self.inner
            .classifier
            .get_or_init(|| Classifier::new(&self.inner.ruleset))
    }

    /// Finds the listed entities `query` names, best first: at most `limit`, each
    /// scoring at least `threshold` (0 returns the best `limit` whatever their score).
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::engine::{ScreenOptions, Screener};
    /// use embargo::matching::NameQuery;
    /// use embargo::rules::{load_str, CompileOptions};
    ///
    /// let text = r#"
    /// list un { title "UN" as_of "2026-02-27" }
    /// entity un:KPe.001 { kind organization name "KOREA MINING DEVELOPMENT TRADING CORPORATION" alias "KOMID" }
    /// "#;
    /// let ruleset = load_str("t.emb", text, &CompileOptions::default()).ruleset.expect("compiles");
    /// let screener = Screener::new(ruleset, ScreenOptions::default());
    /// let hits = screener.match_name(&NameQuery::new("Korea Mining Development Trading Corp"), 0.8, 5);
    /// assert_eq!(hits[0].entity, "un:KPe.001");
    /// assert_eq!(hits[0].lists, ["un"]);
    /// ```
    pub fn match_name(&self, query: &NameQuery, threshold: f64, limit: usize) -> Vec<NameMatch> {
        let rs = &self.inner.ruleset;
        let opts = SearchOptions { threshold, limit };
        // The index finds names that share something with the query; asked for the best
        // names whatever their score, only a full scan can answer.
        let hits = if threshold <= 0.0 {
            self.inner.names.search_brute_force(query, &opts)
        } else {
            self.inner.names.search(query, &opts)
        };
        let mut seen_groups = std::collections::HashSet::new();
        hits.into_iter()
            .filter(|h| seen_groups.insert(self.inner.links.group(h.entity as usize)))
            .filter_map(|h| {
                let e = rs.entities().get(h.entity as usize)?;
                Some(NameMatch {
                    also: self.also(h.entity as usize).0,
                    entity: e.id.clone(),
                    name: h.name,
                    score: h.score,
                    kind: e.kind.as_str().to_string(),
                    lists: rs
                        .lists()
                        .get(e.list)
                        .map(|l| l.name.clone())
                        .into_iter()
                        .collect(),
                    programs: e.programs.clone(),
                    explanation: self
                        .inner
                        .options
                        .explain
                        .then(|| h.explanation.to_string()),
                })
            })
            .collect()
    }

    /// The categories `line` falls in, with their evidence.
    pub fn classify(&self, line: &GoodsLine) -> Vec<CategoryResult> {
        category_results(&self.inner.ruleset, self.classifier().classify(line))
    }

    /// The screening options in force.
    pub fn options(&self) -> &ScreenOptions {
        &self.inner.options
    }

    /// The list versions screened against.
    pub fn lists(&self) -> &[ListVersion] {
        &self.inner.lists
    }

    /// The score down to which every party name and vessel is searched. A name hit
    /// below it counts only for a party, and only when it shares a distinctive word
    /// with the listed name (see [`Screener::counts_name_hit`]).
    pub fn eager_threshold(&self) -> f64 {
        self.inner.eager
    }

    /// Whether a name hit of `score`, explained by `explanation`, can count in a
    /// decision of this screener: at or above [`Screener::eager_threshold`], or below
    /// it for a party name that shares a distinctive word with the listed name.
    pub fn counts_name_hit(
        &self,
        score: f64,
        explanation: &crate::matching::Explanation,
        vessel: bool,
    ) -> bool {
        score >= self.inner.eager || (!vessel && shares_distinctive_word(explanation))
    }

    /// The groups of list entries that are one real party (a hit names one and lists
    /// the others as `also`).
    pub fn links(&self) -> &super::links::Links {
        &self.inner.links
    }

    /// One warning line per stale list screened against (see
    /// [`ScreenOptions::max_list_age_days`]), for a shell to print when it starts.
    pub fn staleness_warnings(&self) -> Vec<String> {
        self.inner
            .lists
            .iter()
            .filter_map(|l| l.staleness_warning(self.inner.options.max_list_age_days))
            .collect()
    }

    fn entity_evidence(
        &self,
        entity: usize,
        name: String,
        score: f64,
        by: &str,
        explanation: Option<String>,
    ) -> EntityEvidence {
        let id = self
            .inner
            .ruleset
            .entities()
            .get(entity)
            .map(|e| e.id.clone())
            .unwrap_or_default();
        let (also, linked) = self.also(entity);
        EntityEvidence {
            entity,
            entity_id: id,
            name,
            score,
            by: by.to_string(),
            explanation,
            also,
            linked,
            allowance: None,
            part: None,
        }
    }

    /// The ids and indices of the other entries of entity `k`'s party.
    fn also(&self, k: usize) -> (Vec<String>, Vec<usize>) {
        let rs = &self.inner.ruleset;
        let linked: Vec<usize> = self.inner.links.others(k).collect();
        let ids = linked
            .iter()
            .filter_map(|&m| rs.entities().get(m).map(|e| e.id.clone()))
            .collect();
        (ids, linked)
    }

    /// The day allowances are checked against (`YYYY-MM-DD`): the options' `today`, else
    /// the clock's, read once per order so that one order's hits all see the same day;
    /// `None` when the ruleset allows nothing (no clock read at all).
    fn screening_day(&self) -> Option<String> {
        if self.inner.ruleset.allows().is_empty() {
            return None;
        }
        Some(
            self.inner
                .options
                .today
                .clone()
                .unwrap_or_else(crate::refdata::date::today_utc),
        )
    }

    /// The allowance covering a hit of `entity` for this party, if one does; or else
    /// one that would but has expired, so that the hit can say so.
    fn allowance(
        &self,
        entity: usize,
        party_name: &str,
        country: Option<&str>,
        day: Option<&str>,
    ) -> Option<(&crate::rules::ir::Allow, bool)> {
        let rs = &self.inner.ruleset;
        // Most rulesets allow nothing; then there is no day either.
        let today = day?;
        // An allowance naming any entry of the party covers them all.
        let ids: Vec<&str> = std::iter::once(entity)
            .chain(self.inner.links.others(entity))
            .filter_map(|k| rs.entities().get(k).map(|e| e.id.as_str()))
            .collect();
        let fold = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let mut expired = None;
        for a in rs.allows().iter().filter(|a| {
            a.entities.iter().any(|e| ids.contains(&e.as_str()))
                && fold(&a.party) == fold(party_name)
                && a.country.as_ref().is_none_or(|c| {
                    country
                        .and_then(reference::country_code)
                        .is_some_and(|q| q == c)
                })
        }) {
            if a.expires.as_ref().is_none_or(|x| x.as_str() >= today) {
                return Some((a, true));
            }
            expired = expired.or(Some((a, false)));
        }
        expired
    }

    /// The entities party `k`'s name matches at `depth`, minus those an allowance
    /// suppresses (recorded in `allowed` when given).
    fn party_hits(
        &self,
        k: usize,
        p: &crate::order::Party,
        depth: Depth,
        mut allowed: Option<&mut Vec<Allowed>>,
        day: Option<&str>,
    ) -> Vec<EntityEvidence> {
        let inner = &self.inner;
        let limit = inner.options.limit.max(1);
        // The two depths search to different thresholds (the echo search runs only
        // when `floor < eager`), so they never share a cache entry.
        let (opts, echo_below) = match depth {
            Depth::Eager => (
                SearchOptions {
                    threshold: inner.eager,
                    limit,
                },
                None,
            ),
            Depth::Echo => (
                SearchOptions {
                    threshold: inner.floor,
                    limit,
                },
                Some(inner.eager),
            ),
        };
        let Some(name) = p.name.as_deref().filter(|n| !n.trim().is_empty()) else {
            return Vec::new();
        };
        let country = p
            .country
            .as_deref()
            .and_then(reference::country_code)
            .map(str::to_string);
        // A field joining parties (`A c/o B`) is screened whole and part by part: either
        // may be the listed one, and the other's words would dilute it.
        let parts = crate::text::party_name::joined_parties(name);
        let queries = std::iter::once((name, None)).chain(
            parts
                .iter()
                .map(|part| (part.text, Some(super::eval::NamePart::from(part)))),
        );
        let mut hits: Vec<EntityEvidence> = Vec::new();
        // Groups of entries an allowance cleared: one record per party, as for hits.
        let mut cleared: Vec<usize> = Vec::new();
        for (text, part) in queries {
            let mut q = NameQuery::new(text);
            q.country.clone_from(&country);
            let found =
                inner
                    .name_cache
                    .get_or_search(
                        text,
                        q.country.as_deref(),
                        opts.threshold,
                        || match echo_below {
                            None => inner.names.search(&q, &opts),
                            Some(_) => inner.names.search_sharing_word(
                                &q,
                                &opts,
                                DISTINCTIVE_WEIGHT as f32,
                            ),
                        },
                    );
            for h in found.iter() {
                self.add_party_hit(
                    (k, p, name),
                    h,
                    part.as_ref(),
                    echo_below,
                    (&mut hits, &mut cleared),
                    allowed.as_deref_mut(),
                    day,
                );
            }
        }
        hits
    }

    /// Adds name hit `h` of party `k` (`p`, whose field is `name`), found on `part` of
    /// the field when not on all of it, to `hits`: its evidence weighed in, one hit per
    /// real party (the best), or to `allowed` when an allowance clears it (its group
    /// then recorded in `cleared`).
    #[allow(clippy::too_many_arguments)]
    fn add_party_hit(
        &self,
        (k, p, name): (usize, &crate::order::Party, &str),
        h: &crate::matching::NameHit,
        part: Option<&super::eval::NamePart>,
        echo_below: Option<f64>,
        (hits, cleared): (&mut Vec<EntityEvidence>, &mut Vec<usize>),
        allowed: Option<&mut Vec<Allowed>>,
        day: Option<&str>,
    ) {
        let inner = &self.inner;
        if let Some(below) = echo_below {
            // Hits from `below` up are the eager search's.
            if h.score >= below || !shares_distinctive_word(&h.explanation) {
                return;
            }
        }
        // The party's own date of birth, nationality and identifiers, for or against the
        // listed entity.
        let mut score = h.score;
        let mut explanation = std::borrow::Cow::Borrowed(&h.explanation);
        // What of it points at the listed party beyond the name.
        let mut corroboration = None;
        if let Some(e) = inner.ruleset.entities().get(h.entity as usize) {
            let evidence = super::links::party_evidence(p, e);
            if !evidence.is_empty() {
                let x = explanation.to_mut();
                for (why, factor) in evidence {
                    if super::links::corroborates(factor) && corroboration.is_none() {
                        corroboration = Some(why.clone());
                    }
                    score *= factor;
                    x.adjustments.push((why, factor));
                }
                score = score.clamp(0.0, 1.0);
                x.score = score;
            }
        }
        let why = || {
            inner.options.explain.then(|| match part {
                Some(part) => part.explain(&explanation),
                None => explanation.to_string(),
            })
        };
        let evidence = |why: Option<String>| {
            let mut ev =
                self.entity_evidence(h.entity as usize, h.name.clone(), score, "name", why);
            ev.part = part.cloned();
            ev
        };
        // One hit per party: its best entry, the others listed with it.
        let group = inner.links.group(h.entity as usize);
        if cleared.contains(&group) {
            return;
        }
        if let Some(prev) = hits
            .iter_mut()
            .find(|x| inner.links.group(x.entity) == group)
        {
            if prev.score < score {
                *prev = evidence(why());
            }
            return;
        }
        let ev = evidence(why());
        // An allowance names the party as its field writes it, whole.
        match self.allowance(ev.entity, name, p.country.as_deref(), day) {
            Some((allow, true)) if corroboration.is_none() => {
                cleared.push(group);
                if let Some(a) = allowed {
                    let field = format!("parties[{k}].name");
                    // A party met by both searches is cleared once.
                    let known = a.iter().any(|x| {
                        x.allow == allow.id
                            && x.field == field
                            && inner.links.group(x.hit.entity) == group
                    });
                    if !known {
                        a.push(Allowed {
                            allow: allow.id.clone(),
                            field,
                            cleared: allow.cleared(),
                            hit: ev,
                        });
                    }
                }
            }
            Some((allow, live)) => {
                let mut ev = ev;
                ev.allowance = Some(match (live, &corroboration) {
                    (true, Some(why)) => format!(
                        "allowance {} does not apply, as the party's {why} ({}): the hit stands",
                        allow.id,
                        allow.cleared()
                    ),
                    _ => format!(
                        "allowance {} expired on {} ({}): the hit stands",
                        allow.id,
                        allow.expires.as_deref().unwrap_or_default(),
                        allow.cleared()
                    ),
                });
                hits.push(ev);
            }
            None => hits.push(ev),
        }
    }

    /// Screens one order.
    pub fn screen(&self, order: &Order) -> OrderDecision {
        let inner = &self.inner;
        let mut allowed = Vec::new();
        let day = self.screening_day();
        let day = day.as_deref();
        let mut facts = self.facts(order, &mut allowed, day);
        let mut fired: Vec<(&crate::rules::ir::Rule, Vec<Evidence>)> = Vec::new();
        let places = inner.places.get_or_init(|| {
            inner
                .ruleset
                .rules()
                .iter()
                .map(|r| CompiledPlaces::new(&r.when))
                .collect()
        });
        for (rule, places) in inner.ruleset.rules().iter().zip(places) {
            if let Some(mut evidence) =
                self.evaluate(&rule.when, places, order, &mut facts, &mut allowed, day)
            {
                // `or` branches can cite the same match twice.
                let mut k = 0;
                while k < evidence.len() {
                    if evidence[..k].contains(&evidence[k]) {
                        evidence.remove(k);
                    } else {
                        k += 1;
                    }
                }
                fired.push((rule, evidence));
            }
        }
        // A name match a more severe rule (or an earlier rule of the same decision)
        // already cites adds nothing: a blocked party is not also listed as worth a
        // review. A rule left with none of its name matches is covered by the rule that
        // cites them, and drops out with its context (places, goods).
        let mut hits = Vec::new();
        for (k, (rule, evidence)) in fired.iter().enumerate() {
            let cited_before = |e: &Evidence| {
                matches!(e, Evidence::Entity { .. })
                    && fired.iter().enumerate().any(|(j, (other, ev))| {
                        (other.decision > rule.decision
                            || (other.decision == rule.decision && j < k))
                            && ev.contains(e)
                    })
            };
            let is_name = |e: &&Evidence| matches!(e, Evidence::Entity { .. });
            let names = evidence.iter().filter(is_name).count();
            let kept: Vec<&Evidence> = evidence.iter().filter(|e| !cited_before(e)).collect();
            if names > 0 && !kept.iter().any(is_name) {
                continue;
            }
            for e in kept {
                hits.push(Hit {
                    rule: rule.id.clone(),
                    decision: rule.decision,
                    reason: rule.reason.clone(),
                    basis: rule.basis.clone(),
                    input: super::field::text_of(order, e).map(str::to_string),
                    evidence: e.clone(),
                });
            }
        }
        let decision = eval::combine(hits.iter().map(|h| h.decision));
        OrderDecision {
            id: order.id.clone(),
            decision,
            hits,
            allowed,
            ruleset: inner.ruleset.hash().to_string(),
            order_hash: crate::order_hash::OrderHash::of(order),
            engine: inner.engine.clone(),
            settings: inner.settings.clone(),
            lists: inner.lists.clone(),
        }
    }
}
