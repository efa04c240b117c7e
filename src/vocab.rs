//! Words every layer shares: the rule language writes them, the matchers and the
//! classifier read them, the engine decides with them (the kinds of parties lists
//! designate, how much a term counts, what a rule decides).
//!
//! This module depends on nothing else in the crate, so that the rules, the goods
//! classifier, the name matcher and the engine can all use one meaning of each word
//! without depending on one another.

use serde::{Deserialize, Serialize};

/// How much a term, code or alias counts on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// Enough by itself (the default).
    #[default]
    Strong,
    /// Needs corroboration: a weak alias is reported with a lower score; a weak goods
    /// term or code matches a category only together with another piece of evidence.
    Weak,
}

/// How an alias relates to the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AliasRelation {
    /// Also known as (the default).
    #[default]
    Aka,
    /// Formerly known as.
    Fka,
    /// Now known as.
    Nka,
}

/// The outcome of a rule, ordered by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Nothing to stop.
    Clear,
    /// A person must look at it.
    Review,
    /// Must not proceed.
    Block,
}

impl Decision {
    /// The keyword: `clear`, `review` or `block`.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::vocab::Decision;
    /// assert_eq!(Decision::Review.as_str(), "review");
    /// assert!(Decision::Block > Decision::Review);
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Clear => "clear",
            Decision::Review => "review",
            Decision::Block => "block",
        }
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of party an entity is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A natural person.
    Person,
    /// A company, bank, government body or other organization.
    Organization,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
    /// The list does not say.
    #[default]
    Unknown,
}

impl EntityKind {
    /// Parses `person`, `organization` (or `organisation`, `entity`), `vessel`, `aircraft`.
    pub fn parse(word: &str) -> Option<EntityKind> {
        match word.to_ascii_lowercase().as_str() {
            "person" | "individual" => Some(EntityKind::Person),
            "organization" | "organisation" | "entity" | "company" => {
                Some(EntityKind::Organization)
            }
            "vessel" | "ship" => Some(EntityKind::Vessel),
            "aircraft" => Some(EntityKind::Aircraft),
            "unknown" => Some(EntityKind::Unknown),
            _ => None,
        }
    }

    /// The keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Vessel => "vessel",
            EntityKind::Aircraft => "aircraft",
            EntityKind::Unknown => "unknown",
        }
    }
}
