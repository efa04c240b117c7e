//! What a fired rule says about the order: the evidence of each hit (an entity a name
//! matched, a category a goods line fell in, a place, a value), as decisions carry it.

use serde::Serialize;

use crate::places::PlaceHit;
use crate::rules::ir;

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
    /// The part of the field that matched, when it was screened as a name of its own
    /// (`Korea Kwangson Banking Corp` of `Korea Kwangson Banking Corp c/o Acme`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<NamePart>,
}

/// A part of a name field screened as a name of its own: a party a wrapper (`c/o`,
/// `o/b/o`) joins to another, or a vessel's name before a remark in parentheses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamePart {
    /// The part as the field writes it.
    pub text: String,
    /// Its start in the field, in characters.
    pub start: usize,
    /// Its end (exclusive), in characters.
    pub end: usize,
    /// What set it apart (see [`crate::text::party_name::NamePart`]), for the
    /// explanation only.
    #[serde(skip)]
    pub apart_from: &'static str,
}

impl From<&crate::text::party_name::NamePart<'_>> for NamePart {
    fn from(part: &crate::text::party_name::NamePart<'_>) -> NamePart {
        NamePart {
            text: part.text.to_string(),
            start: part.start,
            end: part.end,
            apart_from: part.apart_from,
        }
    }
}

impl NamePart {
    /// The explanation of a hit on this part: which part, why it was screened alone,
    /// then `explanation`.
    pub(crate) fn explain(&self, explanation: impl std::fmt::Display) -> String {
        let by = match self.apart_from {
            "(remark)" => "the name before a remark in parentheses".to_string(),
            w => format!("a party the field joins to another with `{w}`"),
        };
        format!(
            "part \"{}\" (characters {}..{}) screened alone: {by}; {explanation}",
            self.text, self.start, self.end
        )
    }
}

impl EntityEvidence {
    /// Whether `accept` holds for the entity or one of its linked entries.
    pub(super) fn accepted_by(
        &self,
        rs: &ir::RulesetData,
        accept: impl Fn(&ir::Entity) -> bool,
    ) -> bool {
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
        /// How the text was read when not as a name: `UN/LOCODE` (the code's country
        /// letters are the text).
        #[serde(skip_serializing_if = "Option::is_none")]
        reading: Option<&'static str>,
    },
    /// The order's value compared as the rule asks.
    Value {
        /// `goods`, or `goods[K].currency` when that line's currency has no rate.
        field: String,
        /// The total in USD (of the lines that convert, when one does not).
        usd: f64,
        /// The currency without a rate, when the test was taken as met for it.
        #[serde(skip_serializing_if = "Option::is_none")]
        no_rate: Option<String>,
    },
    /// A `not` condition held: the thing it excludes is absent.
    Absent {
        /// A description of what was absent.
        field: String,
    },
}

impl Evidence {
    /// A place test's hit in `field`, its span moved by `offset` characters (where the
    /// text read starts within the field).
    pub(super) fn place(field: String, hit: PlaceHit, offset: usize) -> Evidence {
        Evidence::Route {
            field,
            place: hit.place,
            text: hit.text,
            start: hit.start + offset,
            end: hit.end + offset,
            reading: hit.reading,
        }
    }
}
