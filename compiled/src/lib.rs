//! The default embargo ruleset (the library's embedded `rules/`) as a compiled
//! artifact, made when this crate is built: read it with
//! [`embargo::Ruleset::from_artifact`] to start screening in milliseconds rather than
//! compiling the rule text and indexing its names.
//!
//! ```
//! let rules = embargo::Ruleset::from_artifact(embargo_compiled::DEFAULT)?;
//! assert_eq!(rules.hash(), embargo::Ruleset::embedded()?.hash());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

/// The artifact of the library's embedded rules, with their name index.
pub static DEFAULT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/default.embc"));

/// [`DEFAULT`] as a rule source.
pub fn source() -> embargo::rules::RuleSource {
    embargo::rules::RuleSource::Compiled(embargo::artifact::StaticArtifact(DEFAULT))
}
