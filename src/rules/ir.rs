//! The compiled ruleset: validated, resolved, immutable.
//!
//! Everything the screening engine needs and nothing of the source text: references
//! are resolved to indices, countries to ISO codes, HS codes to digit strings, money to
//! US dollars. A [`Ruleset`] is cheap to clone (an `Arc` inside) and `Send + Sync`, so
//! one compiled ruleset serves every thread.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::text::goods::pattern::{patterns_of, TermPattern};

pub use super::ast::{Comparison, RouteLeg};
pub use crate::vocab::{AliasRelation, Decision, Strength};

pub use crate::vocab::EntityKind;

/// A compiled ruleset. Clone it freely: clones share one immutable body.
#[derive(Debug, Clone)]
pub struct Ruleset {
    pub(crate) inner: Arc<RulesetData>,
    /// The index of every list's names, when the ruleset was read from a compiled
    /// artifact (see [`crate::artifact`]) rather than compiled from text.
    pub(crate) names: Option<crate::matching::NameIndex>,
    /// The entries of one party across lists, stored with the name index.
    pub(crate) links: Option<Arc<crate::engine::links::Links>>,
}

/// The body of a ruleset: what the compiler and the artifact reader fill in, and the
/// library's passes read; outside the library, [`Ruleset`]'s accessors read it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct RulesetData {
    /// `sha256:` + hex digest of every source file's bytes, in load order: any edit
    /// to a rules file, a reformatting included, makes a new ruleset version.
    pub hash: String,
    /// Source lists, by position.
    pub lists: Vec<List>,
    /// Watchlisted entities, by position; sorted by id.
    pub entities: Vec<Entity>,
    /// Goods categories, by position; sorted by id.
    pub categories: Vec<Category>,
    /// Screening rules, in source order.
    pub rules: Vec<Rule>,
    /// Allowances (reviewed false positives).
    pub allows: Vec<Allow>,
    /// Named sets of places (countries and place names), by name.
    pub place_sets: BTreeMap<String, PlaceSet>,
    /// Named sets of categories (indices into `categories`), by name.
    pub category_sets: BTreeMap<String, Vec<usize>>,
    /// US dollars per unit of currency (always contains `USD` = 1).
    pub rates: Rates,
}

impl Ruleset {
    /// Wraps compiled data without the compiler's checks: the caller vouches for it.
    /// The compiler and the artifact reader call it after their checks. Anything from
    /// outside goes through [`Ruleset::from_text`], [`Ruleset::from_paths`] or
    /// [`Ruleset::from_artifact`].
    pub(crate) fn from_data(data: RulesetData) -> Self {
        Ruleset {
            inner: Arc::new(data),
            names: None,
            links: None,
        }
    }

    /// A ruleset of this one's lists and only the entities `keep` accepts, and nothing
    /// else: no rules, categories, sets or allowances. Its name index answers for those
    /// entities alone, which is how a name's score can be shown not to depend on what
    /// else is listed; it can match names but decides nothing.
    pub fn with_entities_only(&self, mut keep: impl FnMut(&Entity) -> bool) -> Ruleset {
        Ruleset::from_data(RulesetData {
            hash: String::new(),
            lists: self.inner.lists.clone(),
            entities: self
                .inner
                .entities
                .iter()
                .filter(|e| keep(e))
                .cloned()
                .collect(),
            ..RulesetData::default()
        })
    }

    /// The compiled body, for the library's own passes.
    pub(crate) fn data(&self) -> &RulesetData {
        &self.inner
    }

    /// The lists screened against, by position.
    pub fn lists(&self) -> &[List] {
        &self.inner.lists
    }

    /// The watchlisted entities, sorted by id.
    pub fn entities(&self) -> &[Entity] {
        &self.inner.entities
    }

    /// The goods categories, sorted by id.
    pub fn categories(&self) -> &[Category] {
        &self.inner.categories
    }

    /// The screening rules, in source order.
    pub fn rules(&self) -> &[Rule] {
        &self.inner.rules
    }

    /// The allowances (reviewed false positives and dispositions).
    pub fn allows(&self) -> &[Allow] {
        &self.inner.allows
    }

    /// Named sets of places, by name.
    pub fn place_sets(&self) -> &BTreeMap<String, PlaceSet> {
        &self.inner.place_sets
    }

    /// Named sets of categories (indices into [`Ruleset::categories`]), by name.
    pub fn category_sets(&self) -> &BTreeMap<String, Vec<usize>> {
        &self.inner.category_sets
    }

    /// Exchange rates the rules state.
    pub fn rates(&self) -> &Rates {
        &self.inner.rates
    }

    /// The name index stored with the ruleset, when it came from an artifact.
    pub(crate) fn stored_names(&self) -> Option<&crate::matching::NameIndex> {
        self.names.as_ref()
    }

    /// The content hash that identifies this ruleset (`sha256:...`).
    pub fn hash(&self) -> &str {
        &self.inner.hash
    }

    /// The entity with id `id` (`ofac-sdn:36`).
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.inner
            .entities
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.inner.entities.get(i))
    }

    /// The category with id `id`.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.inner
            .categories
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.inner.categories.get(i))
    }

    /// Converts `amount` in `currency` to US dollars, if the rate is known (see
    /// [`Rates::to_usd`]).
    pub fn to_usd(&self, amount: f64, currency: &str) -> Option<f64> {
        self.inner.rates.to_usd(amount, currency)
    }
}

/// Exchange rates: US dollars per unit of each currency, `USD` always 1. The one
/// conversion of amounts to US dollars: of thresholds and value tests when rules
/// compile, of goods lines' values when they are classified, of orders' totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rates(BTreeMap<String, f64>);

impl Default for Rates {
    fn default() -> Self {
        Rates(BTreeMap::from([("USD".to_string(), 1.0)]))
    }
}

impl Rates {
    /// `amount` in `currency` (an ISO 4217 code, in any case and with spaces around
    /// it; none or an empty one is USD) in US dollars; `None` when there is no rate
    /// for the currency.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::rules::{load_str, CompileOptions};
    ///
    /// // Rates alone decide nothing, so they are compiled without a ruleset's checks.
    /// let checked = load_str("r.emb", "rates { rate EUR 1.2 }", &CompileOptions::default());
    /// let rules = checked.ruleset.expect("compiles");
    /// assert_eq!(rules.rates().to_usd(100.0, " eur"), Some(120.0));
    /// assert_eq!(rules.rates().to_usd(100.0, ""), Some(100.0));
    /// assert_eq!(rules.rates().to_usd(100.0, "XAU"), None);
    /// ```
    pub fn to_usd(&self, amount: f64, currency: &str) -> Option<f64> {
        let code = currency.trim();
        let rate = if code.is_empty() {
            self.0.get("USD")
        } else if code.bytes().all(|b| b.is_ascii_uppercase()) {
            // Currencies are written in capitals: no copy for the usual code.
            self.0.get(code)
        } else {
            self.0.get(&code.to_ascii_uppercase())
        };
        rate.map(|r| amount * r)
    }

    /// The rate of `code` (an ISO 4217 code in capitals).
    pub fn get(&self, code: &str) -> Option<f64> {
        self.0.get(code).copied()
    }

    /// Every currency with its rate, by code.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.0.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// Sets the rate of `code`, returning the one it replaces; the rate of `USD` stays 1.
    pub(crate) fn insert(&mut self, code: String, rate: f64) -> Option<f64> {
        if code == "USD" {
            return Some(1.0);
        }
        self.0.insert(code, rate)
    }
}

/// A source list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct List {
    /// Its name (`ofac-sdn`), the prefix of its entity ids.
    pub name: String,
    /// Its title.
    pub title: String,
    /// Who publishes it.
    pub authority: Option<String>,
    /// Where it is published.
    pub url: Option<String>,
    /// The version date, `YYYY-MM-DD`.
    pub as_of: String,
    /// Where the data came from.
    pub source: Option<String>,
    /// Legal basis.
    pub basis: Vec<String>,
}

/// A watchlisted party.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entity {
    /// `LIST:ID`.
    pub id: String,
    /// Index into [`Ruleset::lists`].
    #[serde(skip)]
    pub list: usize,
    /// Its kind.
    pub kind: EntityKind,
    /// The primary name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<Alias>,
    /// ISO codes of countries of location or registration.
    pub countries: Vec<String>,
    /// ISO codes of nationalities.
    pub nationalities: Vec<String>,
    /// Sanctions programs.
    pub programs: Vec<String>,
    /// Identifiers (IMO, SWIFT, passport ...).
    pub identifiers: Vec<Identifier>,
    /// Addresses.
    pub addresses: Vec<String>,
    /// Dates of birth as listed.
    pub born: Vec<String>,
    /// Places of birth.
    pub birthplaces: Vec<String>,
    /// Positions held.
    pub positions: Vec<String>,
    /// Designation date.
    pub listed: Option<String>,
    /// Remarks.
    pub remarks: Vec<String>,
}

/// Another name of an entity.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Alias {
    /// The alias.
    pub name: String,
    /// a.k.a., f.k.a., n.k.a.
    pub relation: AliasRelation,
    /// Whether the list marks it as low quality.
    pub strength: Strength,
}

/// An identifier of an entity.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Identifier {
    /// `imo`, `swift`, `passport`, ...
    pub scheme: String,
    /// The value as listed.
    pub value: String,
    /// A note, when listed.
    pub note: Option<String>,
}

/// A goods category.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Category {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Tags (`luxury`, `export-ban`, ...).
    pub tags: Vec<String>,
    /// Legal citations.
    pub basis: Vec<String>,
    /// Terms and phrases.
    pub terms: Vec<Term>,
    /// HS code prefixes.
    pub hs: Vec<HsPrefix>,
    /// Terms that veto the category.
    pub exclude_terms: Vec<ExcludedTerm>,
    /// HS code prefixes that veto the category.
    pub exclude_hs: Vec<String>,
    /// Minimum value of one item, in US dollars (exclusive).
    pub threshold_usd: Option<f64>,
    /// The threshold as written, for evidence (`USD 500`).
    pub threshold_text: Option<String>,
}

/// A goods term.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Term {
    /// The term as written.
    pub text: String,
    /// Language tag, when given.
    pub lang: Option<String>,
    /// Strong or weak.
    pub strength: Strength,
    /// What the classifier looks for: the term normalized, once, when the rules
    /// compile (see `patterns_of`).
    #[serde(skip)]
    pub patterns: Vec<TermPattern>,
}

impl Term {
    /// A term as the compiler makes it, with its patterns.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::rules::ir::{Strength, Term};
    /// let t = Term::new("Cognac Bottles", None, Strength::Weak);
    /// assert_eq!(t.patterns[0].text, "cognac bottle");
    /// ```
    pub fn new(text: impl Into<String>, lang: Option<String>, strength: Strength) -> Term {
        let text = text.into();
        let patterns = patterns_of(&text);
        Term {
            text,
            lang,
            strength,
            patterns,
        }
    }
}

/// A term that vetoes its category wherever it is found.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExcludedTerm {
    /// The term as written.
    pub text: String,
    /// What the classifier looks for (see [`Term::patterns`]).
    #[serde(skip)]
    pub patterns: Vec<TermPattern>,
}

impl ExcludedTerm {
    /// An exclusion as the compiler makes it, with its patterns.
    pub fn new(text: impl Into<String>) -> ExcludedTerm {
        let text = text.into();
        let patterns = patterns_of(&text);
        ExcludedTerm { text, patterns }
    }
}

/// An HS code prefix of a category.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HsPrefix {
    /// Digits only.
    pub digits: String,
    /// Strong or weak.
    pub strength: Strength,
}

/// A set of places: ISO country codes and normalized place names.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PlaceSet {
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    /// Place names, as written.
    pub places: Vec<String>,
}

/// A screening rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rule {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// Legal citations.
    pub basis: Vec<String>,
    /// The condition.
    pub when: Cond,
    /// The decision when the condition holds.
    pub decision: Decision,
    /// The reason given with the decision.
    pub reason: String,
}

/// A compiled condition.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Cond {
    /// All hold.
    And(Vec<Cond>),
    /// Any holds.
    Or(Vec<Cond>),
    /// Does not hold.
    Not(Box<Cond>),
    /// A party matches a watchlist entity.
    PartyMatches {
        /// Roles (lowercase); empty for any.
        roles: Vec<String>,
        /// Which entities count.
        filter: EntityFilter,
        /// Minimum score; `None` for the engine default.
        min_score: Option<f64>,
    },
    /// A party's country or address is in a place set.
    PartyIn {
        /// Roles (lowercase); empty for any.
        roles: Vec<String>,
        /// The places.
        places: PlaceSet,
    },
    /// A party's name names a country or place of a place set.
    PartyNameIn {
        /// Roles (lowercase); empty for any.
        roles: Vec<String>,
        /// The places.
        places: PlaceSet,
    },
    /// A party's nationality is one of the countries (ISO 3166-1 alpha-2 codes).
    PartyNationalityIn {
        /// Roles (lowercase); empty for any.
        roles: Vec<String>,
        /// The countries.
        countries: Vec<String>,
    },
    /// The route's vessel matches a watchlist entity.
    VesselMatches {
        /// Which entities count.
        filter: EntityFilter,
        /// Minimum score; `None` for the engine default.
        min_score: Option<f64>,
    },
    /// A goods line falls in one of the categories (indices into `categories`).
    GoodsIn(Vec<usize>),
    /// Part of the route is in a place set.
    RouteIn {
        /// Which part.
        leg: RouteLeg,
        /// The places.
        places: PlaceSet,
    },
    /// The order's total value in USD compares so.
    Value {
        /// The comparison.
        op: Comparison,
        /// The amount in USD.
        usd: f64,
    },
}

/// Which entities a match test accepts; every non-empty facet must hold.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EntityFilter {
    /// List indices.
    pub lists: Vec<usize>,
    /// Program names.
    pub programs: Vec<String>,
    /// ISO country codes.
    pub countries: Vec<String>,
    /// Kinds.
    pub kinds: Vec<EntityKind>,
    /// Entity ids.
    pub entities: Vec<String>,
    /// Lowercase texts one of which a remark must contain.
    pub remarks: Vec<String>,
}

impl EntityFilter {
    /// Whether `entity` passes every facet.
    pub fn accepts(&self, entity: &Entity) -> bool {
        (self.lists.is_empty() || self.lists.contains(&entity.list))
            && (self.programs.is_empty()
                || entity
                    .programs
                    .iter()
                    .any(|p| self.programs.iter().any(|q| q.eq_ignore_ascii_case(p))))
            && (self.countries.is_empty()
                || entity
                    .countries
                    .iter()
                    .chain(&entity.nationalities)
                    .any(|c| self.countries.contains(c)))
            && (self.kinds.is_empty() || self.kinds.contains(&entity.kind))
            && (self.entities.is_empty() || self.entities.contains(&entity.id))
            && (self.remarks.is_empty()
                || entity.remarks.iter().any(|r| {
                    let r = r.to_lowercase();
                    self.remarks.iter().any(|m| r.contains(m.as_str()))
                }))
    }
}

/// A reviewed false positive.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Allow {
    /// Its id.
    pub id: String,
    /// The entities whose hits are suppressed (at least one); a hit is covered when
    /// it or one of its linked entries is named.
    pub entities: Vec<String>,
    /// The party name as screened (not blank).
    pub party: String,
    /// Only for a party in this country.
    pub country: Option<String>,
    /// Justification.
    pub because: String,
    /// Who cleared the hit.
    pub by: Option<String>,
    /// When it was cleared, `YYYY-MM-DD`.
    pub on: Option<String>,
    /// Last day it applies, `YYYY-MM-DD`.
    pub expires: Option<String>,
}

impl Allow {
    /// The record as decisions report it: `cleared by A on D, reason R, until X`
    /// (the parts the allowance states).
    ///
    /// # Examples
    ///
    /// ```
    /// let rs = embargo::Ruleset::from_text("a.emb", r#"
    /// list un { title "UN" as_of "2026-02-27" }
    /// entity un:KPe.001 { name "KOMID" }
    /// rule listed { basis "UNSCR 1718 (2006)" when party matches list(un) then block "Listed" }
    /// allow komid_trading {
    ///   entity un:KPe.001
    ///   name "Komid Trading"
    ///   because "false positive: a Swiss trading house"
    ///   by "j.doe"
    ///   on "2026-12-01"
    ///   expires "2027-12-01"
    /// }
    /// "#)?;
    /// assert_eq!(
    ///     rs.allows()[0].cleared(),
    ///     "cleared by j.doe on 2026-12-01, reason: false positive: a Swiss trading house, until 2027-12-01"
    /// );
    /// # Ok::<(), embargo::Error>(())
    /// ```
    pub fn cleared(&self) -> String {
        let mut s = String::from("cleared");
        if let Some(by) = &self.by {
            s.push_str(" by ");
            s.push_str(by);
        }
        if let Some(on) = &self.on {
            s.push_str(" on ");
            s.push_str(on);
        }
        s.push_str(", reason: ");
        s.push_str(&self.because);
        if let Some(x) = &self.expires {
            s.push_str(", until ");
            s.push_str(x);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remark_facet_reads_remarks_case_blind() {
        let entity = Entity {
            id: "ofac-sdn:11581".into(),
            list: 0,
            kind: EntityKind::Organization,
            name: "KOREA KWANGSON BANKING CORP".into(),
            aliases: vec![],
            countries: vec![],
            nationalities: vec![],
            programs: vec!["NPWMD".into()],
            identifiers: vec![],
            addresses: vec![],
            born: vec![],
            birthplaces: vec![],
            positions: vec![],
            listed: None,
            remarks: vec![
                "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201"
                    .into(),
            ],
        };
        let filter = EntityFilter {
            remarks: vec!["north korea sanctions regulations".into()],
            ..EntityFilter::default()
        };
        assert!(filter.accepts(&entity));
        let other = EntityFilter {
            remarks: vec!["iranian transactions".into()],
            ..EntityFilter::default()
        };
        assert!(!other.accepts(&entity));
    }

    #[test]
    fn ruleset_is_send_sync() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Ruleset>();
    }
}
