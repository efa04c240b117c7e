//! Name matching: candidate retrieval ([`NameIndex`]) and scoring ([`compare`]).
//!
//! Names are normalized the same way on both sides. [`compare`] scores one
//! pair; [`NameIndex::search`] finds the listed names that score at or above a
//! threshold against a screened name without scanning the list, and gives each hit the
//! same score [`compare`] gives the pair, with an [`Explanation`].

mod index;
mod score;

pub use index::{
    NameIndex, SearchWork, COUNTRY_CONFLICT_FACTOR, COUNTRY_MISMATCH_FACTOR,
    NAMED_COUNTRY_DIFFERS_FACTOR, WEAK_ALIAS_FACTOR,
};
pub use score::{
    compare, compare_explained, word_weight, AlignedPair, Basis, Explanation, MAX_NAME_BYTES,
    MAX_NON_IDENTICAL,
};

use crate::vocab::EntityKind;

/// The default review threshold: a hit at or above it is reported. Chosen from the
/// threshold sweep over the labelled evaluation sets (see `eval/RESULTS-names.md`):
/// the lowest threshold that keeps false positives on unrelated names at or below 1%
/// and no legitimate look-alike (Korea Development Bank, Kim Min-jun) above it.
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// A name to index.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedName {
    /// The caller's entity index; hits report it.
    pub entity: u32,
    /// The name as listed.
    pub name: String,
    /// The entity's kind.
    pub kind: EntityKind,
    /// A low-quality alias (scores lower).
    pub weak: bool,
    /// ISO codes of the entity's countries (a soft signal).
    pub countries: Vec<String>,
    /// ISO codes of the entity's nationalities: where it is thought to be when no
    /// country is listed (a softer signal: nationals live abroad).
    pub nationalities: Vec<String>,
}

impl IndexedName {
    /// A strong name with no countries.
    pub fn new(entity: u32, name: impl Into<String>, kind: EntityKind) -> IndexedName {
        IndexedName {
            entity,
            name: name.into(),
            kind,
            weak: false,
            countries: Vec::new(),
            nationalities: Vec::new(),
        }
    }
}

/// A name to search for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NameQuery {
    /// The screened name.
    pub name: String,
    /// Its kind, when known.
    pub kind: Option<EntityKind>,
    /// Its country (ISO code), when known.
    pub country: Option<String>,
}

impl NameQuery {
    /// A query of any kind and country.
    pub fn new(name: impl Into<String>) -> NameQuery {
        NameQuery {
            name: name.into(),
            kind: None,
            country: None,
        }
    }

    /// With a kind.
    pub fn kind(mut self, kind: EntityKind) -> NameQuery {
        self.kind = Some(kind);
        self
    }
}

/// Search options.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchOptions {
    /// The lowest score reported; 0 reports the best `limit` candidates found.
    pub threshold: f64,
    /// The most hits reported.
    pub limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            threshold: DEFAULT_THRESHOLD,
            limit: 10,
        }
    }
}

/// One hit: an entity and its best-scoring name.
#[derive(Debug, Clone, PartialEq)]
pub struct NameHit {
    /// The caller's entity index.
    pub entity: u32,
    /// Position of the matched name in the build order.
    pub name_index: u32,
    /// The matched name as listed.
    pub name: String,
    /// The entity's kind.
    pub kind: EntityKind,
    /// The score in [0, 1].
    pub score: f64,
    /// How the score came about.
    pub explanation: Explanation,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_types_are_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<NameIndex>();
        assert_send_sync::<NameHit>();
        assert_send_sync::<NameQuery>();
    }
}
