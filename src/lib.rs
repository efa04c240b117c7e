//! embargo: a sanctions screening rules engine.
#![deny(missing_docs)]

pub mod import;
pub mod reference;
pub mod rules;
