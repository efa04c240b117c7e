//! embargo: a sanctions screening rules engine.
//!
//! embargo screens orders (their parties, goods and route) against watchlists and
//! luxury-goods rules written in a small rule language, and returns a decision
//! (`clear`, `review`, `block`) with the evidence for it.
//!
//! The pipeline runs one way: rules text -> [`rules::ast`] (with spans) -> a compiled,
//! immutable [`rules::Ruleset`] -> screening -> a decision with evidence.
//!
//! # Examples
//!
//! Compile rules from a string and look inside:
//!
//! ```
//! use embargo::rules::{load_str, CompileOptions};
//!
//! let text = r#"
//! list un { title "UN Security Council Consolidated List" as_of "2026-02-27" }
//! entity un:KPe.001 {
//!   kind organization
//!   name "KOREA MINING DEVELOPMENT TRADING CORPORATION"
//!   alias "KOMID"
//!   country KP
//! }
//! "#;
//! let checked = load_str("example.emb", text, &CompileOptions::default());
//! assert_eq!(checked.error_count(), 0, "{}", checked.render_diagnostics());
//! let ruleset = checked.ruleset.expect("valid rules compile");
//! assert_eq!(ruleset.entity("un:KPe.001").map(|e| e.aliases.len()), Some(1));
//! assert!(ruleset.hash().starts_with("sha256:"));
//! ```
#![deny(missing_docs)]
// Input from outside (rules, lists, orders, requests) must never panic the engine.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod api;
pub mod batch;
pub mod config;
pub mod engine;
mod error;
pub mod goods;
pub mod import;
pub mod io;
pub mod matching;
pub mod normalize;
pub mod order;
pub mod places;
pub mod reference;
pub mod rules;

pub use engine::{Hit, OrderDecision, ScreenOptions, Screener};
pub use error::Error;
pub use matching::{compare, NameQuery};
pub use order::Order;
pub use rules::{Decision, Ruleset};
