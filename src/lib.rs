//! embargo: a sanctions screening rules engine.
#![deny(missing_docs)]

pub mod matching;
pub mod normalize;
pub mod rules;
