//! embargo: a sanctions screening rules engine.
#![deny(missing_docs)]

pub mod goods;
pub mod rules;
