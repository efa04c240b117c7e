//! embargo: a sanctions screening rules engine.
#![deny(missing_docs)]

pub mod config;
pub mod reference;
pub mod rules;
