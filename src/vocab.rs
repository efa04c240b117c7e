//! Words every layer shares: the kinds of parties lists designate. Rules, matching and
//! the engine all speak of them; this module depends on nothing in the crate, so that
//! name matching need not depend on the rule language (`rules::ir` re-exports it).

use serde::Serialize;

/// What kind of party an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
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
