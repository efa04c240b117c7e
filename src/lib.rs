//! embargo: a sanctions screening rules engine.
#![deny(missing_docs)]
// Input from outside (rules, lists, orders, requests) must never panic the engine.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod batch;
pub mod config;
pub mod engine;
pub mod io;
pub mod order;
pub mod places;
pub mod reference;
pub mod rules;
