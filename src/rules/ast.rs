//! The syntax tree of a rules file, exactly as written.
//!
//! The parser builds it, the printer prints it, and the compiler turns it into an
//! [`crate::rules::Ruleset`]. Nothing here knows about matching. Every node carries a
//! [`Span`]; spans are ignored by equality, so `parse(print(tree)) == tree`.
//!
//! The tree keeps what the author wrote (`"North Korea"` stays a string), and leaves
//! meaning (is that a country?) to the compiler, which can then point at the text.

use super::span::Span;
pub use crate::vocab::{AliasRelation, Decision, Strength};

/// A parsed rules file: its items in source order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct File {
    /// Top-level items.
    pub items: Vec<Item>,
    /// `#` comments, in source order. The printer keeps each where it stands: before
    /// the item or property that follows it, at the end of the line it ends, between
    /// the members of a list, or at the end of a block; so formatting a file never
    /// loses or moves an analyst's notes.
    pub comments: Vec<Comment>,
}

/// A `#` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, up to the end of the line.
    pub text: String,
    /// Whether it ends a line that holds something else (`hs 8703  # cars`), rather
    /// than standing on a line of its own.
    pub trailing: bool,
    /// Whether an empty line follows it, for a comment on a line of its own:
    /// paragraphs of comments, and a comment set apart from the item after it, stay
    /// apart.
    pub blank_after: bool,
    /// Where it stands.
    pub span: Span,
}

/// One top-level item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `include "other.emb"`
    Include(Include),
    /// `list NAME { ... }`
    List(ListDecl),
    /// `category NAME { ... }`
    Category(Category),
    /// `entity LIST:ID { ... }`
    Entity(Entity),
    /// `set KIND NAME = ...`
    Set(SetDecl),
    /// `rule NAME { ... }`
    Rule(Rule),
    /// `allow NAME { ... }`
    Allow(Allow),
    /// `rates { ... }`
    Rates(Rates),
}

impl Item {
    /// Where the whole item stands.
    pub fn span(&self) -> Span {
        match self {
            Item::Include(i) => i.span,
            Item::List(i) => i.span,
            Item::Category(i) => i.span,
            Item::Entity(i) => i.span,
            Item::Set(i) => i.span,
            Item::Rule(i) => i.span,
            Item::Allow(i) => i.span,
            Item::Rates(i) => i.span,
        }
    }
}

/// A name the author chose or a keyword-like value: `luxury_vehicles`, `KP`, `USD`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The identifier text.
    pub name: String,
    /// Where it stands.
    pub span: Span,
}

/// A text value. In most places a bare word is accepted as well as a quoted string
/// (`program DPRK` or `program "CAATSA - RUSSIA"`); the value is the same.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text {
    /// The unescaped value.
    pub value: String,
    /// Where it stands (including quotes).
    pub span: Span,
}

/// A number as written: `0.9`, `500`, `1_000_000`, `1.10`.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// Its value.
    pub value: f64,
    /// The digits as written, which the printer keeps (`1.10` stays `1.10`).
    pub text: String,
    /// Where it stands.
    pub span: Span,
}

/// An amount of money: `USD 500`.
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    /// ISO 4217 currency code.
    pub currency: Ident,
    /// The amount.
    pub amount: Number,
    /// Where it stands.
    pub span: Span,
}

/// An HS / CN / HTS / Schedule B code prefix: `87`, `8703`, `8711.50`, `8703.24.00.10`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HsPrefix {
    /// The digits, without dots.
    pub digits: String,
    /// Where it stands.
    pub span: Span,
}

/// `include "path"`: load another file, relative to this one.
#[derive(Debug, Clone, PartialEq)]
pub struct Include {
    /// The path as written.
    pub path: Text,
    /// Where it stands.
    pub span: Span,
}

/// `list NAME { ... }`: a source watchlist or regime.
#[derive(Debug, Clone, PartialEq)]
pub struct ListDecl {
    /// The list's short name, also the prefix of its entity ids (`ofac-sdn`).
    pub name: Ident,
    /// `title "..."`
    pub title: Option<Text>,
    /// `authority "..."`
    pub authority: Option<Text>,
    /// `url "..."`
    pub url: Option<Text>,
    /// `as_of "YYYY-MM-DD"`: the date of the list version.
    pub as_of: Option<Text>,
    /// `source "..."`: where the data came from (file names, download).
    pub source: Option<Text>,
    /// `basis "..."`: the legal basis of the list.
    pub basis: Vec<Text>,
    /// `entities N`: how many entities the list holds, as its importer counted them;
    /// `check` verifies it, so that a file cut off at an entity boundary is found.
    pub entities: Option<Number>,
    /// Where it stands.
    pub span: Span,
}

/// `category NAME { ... }`: a goods category.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// The category id.
    pub name: Ident,
    /// `title "..."`
    pub title: Option<Text>,
    /// `tags luxury, export-ban`
    pub tags: Vec<Text>,
    /// `basis "..."`: legal citations, one per line.
    pub basis: Vec<Text>,
    /// `terms [weak] [LANG] "...", "..."`
    pub terms: Vec<TermGroup>,
    /// `hs [weak] 8703, 8711.50`
    pub hs: Vec<HsGroup>,
    /// `exclude "toy", "scale model"` and `exclude hs 9503`
    pub exclusions: Vec<Exclusion>,
    /// `threshold USD 500`: matches only when the unit value is above.
    pub threshold: Option<Threshold>,
    /// Where it stands.
    pub span: Span,
}

/// One `terms` line.
#[derive(Debug, Clone, PartialEq)]
pub struct TermGroup {
    /// Strong or weak.
    pub strength: Strength,
    /// Language tag (`en`, `zh`, `ru`, `ko`, ...), when given.
    pub lang: Option<Ident>,
    /// The terms or phrases.
    pub terms: Vec<Text>,
    /// Where it stands.
    pub span: Span,
}

/// One `hs` line.
#[derive(Debug, Clone, PartialEq)]
pub struct HsGroup {
    /// Strong or weak.
    pub strength: Strength,
    /// Code prefixes.
    pub codes: Vec<HsPrefix>,
    /// Where it stands.
    pub span: Span,
}

/// One `exclude` line: terms or codes that veto the category.
#[derive(Debug, Clone, PartialEq)]
pub enum Exclusion {
    /// `exclude "toy", "model"`
    Terms {
        /// The vetoing terms.
        terms: Vec<Text>,
        /// Where it stands.
        span: Span,
    },
    /// `exclude hs 9503`
    Hs {
        /// The vetoing code prefixes.
        codes: Vec<HsPrefix>,
        /// Where it stands.
        span: Span,
    },
}

/// `threshold USD 500`: the category applies only when one item is worth more.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// The amount that must be exceeded.
    pub above: Money,
    /// Where it stands.
    pub span: Span,
}

/// `entity LIST:ID { ... }`: a watchlisted party.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Its id: the list it comes from and the list's own identifier.
    pub id: EntityId,
    /// `kind person|organization|vessel|aircraft`
    pub kind: Option<Ident>,
    /// `name "..."`: the primary name.
    pub name: Option<Text>,
    /// `alias [aka|fka|nka] [strong|weak] "..."`
    pub aliases: Vec<Alias>,
    /// `country KP, CN`: countries of location or registration.
    pub countries: Vec<Text>,
    /// `nationality KP`
    pub nationalities: Vec<Text>,
    /// `program DPRK, NPWMD`
    pub programs: Vec<Text>,
    /// `identifier imo "9123456"`
    pub identifiers: Vec<Identifier>,
    /// `address "..."`
    pub addresses: Vec<Text>,
    /// `born "1944-10-13"`: dates of birth as the list gives them.
    pub born: Vec<Text>,
    /// `birthplace "..."`
    pub birthplaces: Vec<Text>,
    /// `position "..."`
    pub positions: Vec<Text>,
    /// `listed "YYYY-MM-DD"`: designation date.
    pub listed: Option<Text>,
    /// `remark "..."`
    pub remarks: Vec<Text>,
    /// Where it stands.
    pub span: Span,
}

/// An entity id `LIST:ID`, e.g. `ofac-sdn:36`, `un:KPi.033`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityId {
    /// The list name before the colon.
    pub list: Ident,
    /// The list's own identifier after it.
    pub local: String,
    /// Where it stands.
    pub span: Span,
}

impl std::fmt::Display for EntityId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.list.name, self.local)
    }
}

/// One `alias` line.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// a.k.a., f.k.a. or n.k.a.
    pub relation: AliasRelation,
    /// Strong (good quality) or weak (low quality) alias.
    pub strength: Strength,
    /// The alias.
    pub name: Text,
    /// Where it stands.
    pub span: Span,
}

/// One `identifier SCHEME "VALUE"` line.
#[derive(Debug, Clone, PartialEq)]
pub struct Identifier {
    /// The scheme: `imo`, `swift`, `passport`, `registration`, `call_sign`, ...
    pub scheme: Ident,
    /// The value as listed.
    pub value: Text,
    /// Optional note (`"issued 2012, DPRK"`).
    pub note: Option<Text>,
    /// Where it stands.
    pub span: Span,
}

/// What a set holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetKind {
    /// ISO country codes or country names.
    Countries,
    /// Place names: ports, cities, border crossings.
    Places,
    /// Goods category ids.
    Categories,
}

/// `set KIND NAME = item, item, ...`, or `set KIND NAME += item, ...` to add members
/// to a set declared elsewhere (a shipped set, from a file given with `--add-rules`).
#[derive(Debug, Clone, PartialEq)]
pub struct SetDecl {
    /// What the set holds.
    pub kind: SetKind,
    /// Its name.
    pub name: Ident,
    /// Whether it adds to a set of that name declared elsewhere (`+=`).
    pub extends: bool,
    /// The members as written.
    pub items: Vec<Text>,
    /// Where it stands.
    pub span: Span,
}

/// `rule NAME { when ... then DECISION "reason" }`
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The rule id.
    pub name: Ident,
    /// `title "..."`
    pub title: Option<Text>,
    /// `basis "..."`: legal citations.
    pub basis: Vec<Text>,
    /// `when EXPR`
    pub when: Expr,
    /// `then DECISION "reason"`
    pub then: Outcome,
    /// Where it stands.
    pub span: Span,
}

/// `then block "reason"`
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The decision.
    pub decision: Decision,
    /// Why, in words an analyst can show an auditor.
    pub reason: Text,
    /// Where it stands.
    pub span: Span,
}

/// A condition expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `a and b and c`
    And(Vec<Expr>, Span),
    /// `a or b or c`
    Or(Vec<Expr>, Span),
    /// `not a`
    Not(Box<Expr>, Span),
    /// A single test.
    Cond(Condition),
}

impl Expr {
    /// Where the expression stands.
    pub fn span(&self) -> Span {
        match self {
            Expr::And(_, s) | Expr::Or(_, s) | Expr::Not(_, s) => *s,
            Expr::Cond(c) => c.span,
        }
    }
}

/// One test over an order.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// What is tested.
    pub test: Test,
    /// Where it stands.
    pub span: Span,
}

/// The tests a rule can make.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `party [role(..)] matches FILTER [score >= N]`
    PartyMatches {
        /// Only parties with these roles (empty: any role).
        roles: Vec<Text>,
        /// Which entities count.
        filter: EntityFilter,
        /// Minimum score; `None` takes the engine's default threshold.
        min_score: Option<Number>,
    },
    /// `party [role(..)] in PLACES`: a party's country or address is in the set.
    PartyIn {
        /// Only parties with these roles (empty: any role).
        roles: Vec<Text>,
        /// The places.
        places: PlaceRef,
    },
    /// `party [role(..)] name in PLACES`: a party's name names a country or place of
    /// the set ("Embassy of North Korea in Moscow").
    PartyNameIn {
        /// Only parties with these roles (empty: any role).
        roles: Vec<Text>,
        /// The places.
        places: PlaceRef,
    },
    /// `party [role(..)] nationality in PLACES`: a party's nationality is a country of
    /// the set (a national of the DPRK abroad).
    PartyNationalityIn {
        /// Only parties with these roles (empty: any role).
        roles: Vec<Text>,
        /// The countries.
        places: PlaceRef,
    },
    /// `vessel matches FILTER [score >= N]`: the route's vessel (IMO or name).
    VesselMatches {
        /// Which entities count.
        filter: EntityFilter,
        /// Minimum score for a name match; `None` takes the default.
        min_score: Option<Number>,
    },
    /// `goods in CATEGORIES`
    GoodsIn(CategoryRef),
    /// `origin in PLACES`, `destination in ...`, `via in ...`, `route in ...`
    RouteIn {
        /// Which part of the route.
        leg: RouteLeg,
        /// The places.
        places: PlaceRef,
    },
    /// `value > USD 10000`: the order's total declared value.
    Value {
        /// The comparison.
        op: Comparison,
        /// The amount compared against.
        amount: Money,
    },
}

/// Which part of a route a test looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum RouteLeg {
    /// The country or place of origin.
    Origin,
    /// The destination.
    Destination,
    /// Any transit place.
    Via,
    /// Origin, destination or any transit place.
    Any,
}

/// `>`, `>=`, `<`, `<=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Comparison {
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
}

/// Which watchlist entities a match test accepts. Facets combine with "and";
/// values inside one facet with "or". No facet at all (`any`) accepts every entity.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EntityFilter {
    /// `list(un, ofac-sdn)`
    pub lists: Vec<Ident>,
    /// `program(DPRK, DPRK2)`
    pub programs: Vec<Text>,
    /// `country(KP)`
    pub countries: Vec<Text>,
    /// `kind(vessel)`
    pub kinds: Vec<Ident>,
    /// `entity(ofac-sdn:36)`
    pub entities: Vec<EntityId>,
    /// `remark("North Korea Sanctions Regulations")`: a remark contains one of these
    /// (case does not matter). Lists say some links only in remarks, such as OFAC
    /// entries designated under other programs that cite the DPRK regulations.
    pub remarks: Vec<Text>,
}

/// Places named in a test: a named set, or inline `countries(..)` / `places(..)`.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaceRef {
    /// A `set countries` or `set places` by name.
    Set(Ident),
    /// `countries(KP, "North Korea")`
    Countries(Vec<Text>, Span),
    /// `places("Dandong", "Nampo")`
    Places(Vec<Text>, Span),
}

/// Categories named in a test.
#[derive(Debug, Clone, PartialEq)]
pub enum CategoryRef {
    /// A `set categories` or a single category, by name.
    Named(Ident),
    /// `categories(a, b)`
    List(Vec<Ident>, Span),
    /// `tagged(luxury)`: every category with one of these tags.
    Tagged(Vec<Text>, Span),
}

/// `allow NAME { ... }`: a reviewed false positive to suppress.
#[derive(Debug, Clone, PartialEq)]
pub struct Allow {
    /// Its id.
    pub name: Ident,
    /// `entity LIST:ID, ...`: the entities whose hits are suppressed, usually the
    /// entries of one real party on several lists (an allowance naming any entry of a
    /// linked party covers them all).
    pub entities: Vec<EntityId>,
    /// `name "..."`: the counterparty name as screened.
    pub party: Option<Text>,
    /// `country KR`: only for a party in this country.
    pub country: Option<Text>,
    /// `because "..."`: the justification (required).
    pub because: Option<Text>,
    /// `by "..."`: who cleared the hit.
    pub by: Option<Text>,
    /// `on "YYYY-MM-DD"`: when it was cleared.
    pub on: Option<Text>,
    /// `expires "YYYY-MM-DD"`: after this date the allowance no longer applies.
    pub expires: Option<Text>,
    /// Where it stands.
    pub span: Span,
}

/// `rates { ... }`: currency conversion to USD for value thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    /// `as_of "YYYY-MM-DD"`
    pub as_of: Option<Text>,
    /// `source "..."`
    pub source: Option<Text>,
    /// `rate EUR 1.08`: US dollars per one unit of the currency.
    pub rates: Vec<Rate>,
    /// Where it stands.
    pub span: Span,
}

/// One `rate CUR N` line.
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    /// The currency.
    pub currency: Ident,
    /// US dollars per unit.
    pub usd: Number,
    /// Where it stands.
    pub span: Span,
}
