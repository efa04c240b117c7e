//! embargo: a sanctions screening rules engine.
//!
//! embargo screens orders (their parties, goods and route) against watchlists and
//! luxury-goods rules written in a small rule language, and returns a decision
//! (`clear`, `review`, `block`) with the evidence for it: which rule fired, on which
//! input field, because of which listed entity (with its score) or goods category
//! (with the matched term or HS code and its character span).
//!
//! # A tour
//!
//! 1. **Load a ruleset**: the default compiled into the library
//!    ([`Ruleset::embedded`]: the OFAC, UN and EU lists, the DPRK goods categories and
//!    decision rules), files and folders ([`Ruleset::from_paths`]), or a string
//!    ([`Ruleset::from_text`]). Invalid rules come back as an [`Error`] of kind [`ErrorKind::InvalidRules`] with
//!    every diagnostic located `FILE:LINE:COL`.
//! 2. **Build a [`Screener`]** with [`ScreenOptions`] (match threshold, hits per
//!    name, explanations, lists enabled). It builds the name index and the goods
//!    classifier once; it is `Send + Sync` and cheap to clone (an `Arc` inside), so
//!    share one across threads or web handlers.
//! 3. **Ask it**: [`Screener::screen`] an [`Order`] (an [`OrderDecision`]),
//!    [`Screener::match_name`] a name, [`Screener::classify`] a goods line; or
//!    [`compare`] two names without any ruleset. Every result type is
//!    `serde::Serialize`, and serializes to the JSON the `embargo` command writes.
//!
//! ```
//! use embargo::{compare, NameQuery, Order, Ruleset, ScreenOptions, Screener};
//! use embargo::goods::GoodsLine;
//!
//! let rules = r#"
//! list un { title "UN Security Council Consolidated List" as_of "2026-02-27" }
//! entity un:KPe.001 {
//!   kind organization
//!   name "KOREA MINING DEVELOPMENT TRADING CORPORATION"
//!   alias "KOMID"
//!   country KP
//!   program "UN 1718"
//! }
//! category luxury_vehicles {
//!   title "Motor vehicles for the transport of persons"
//!   tags luxury
//!   basis "UNSCR 2094 (2013), Annex IV(d)"
//!   terms "lexus lx", "maybach", "suv"
//!   hs 8703
//! }
//! set countries dprk = KP
//! rule listed_party {
//!   basis "UNSCR 1718 (2006), para. 8(d)"
//!   when party matches list(un)
//!   then block "A party is designated under UNSCR 1718"
//! }
//! rule luxury_to_dprk {
//!   basis "UNSCR 1718 (2006), para. 8(a)(iii)"
//!   when goods in tagged(luxury) and destination in dprk
//!   then block "Luxury goods may not be supplied to the DPRK"
//! }
//! "#;
//! let screener = Screener::new(Ruleset::from_text("dprk.emb", rules)?, ScreenOptions::default());
//!
//! let order = Order::from_json(r#"{
//!   "id": "PO-7",
//!   "parties": [{"role": "buyer", "name": "Korea Mining Development Trading Corp."}],
//!   "goods": [{"description": "Lexus LX570 SUV, 2020", "hs": "8703.24"}],
//!   "route": {"destination": "North Korea"}
//! }"#)?;
//! let decision = screener.screen(&order);
//! assert_eq!(decision.decision, embargo::Decision::Block);
//! assert!(decision.hits.iter().any(|h| h.rule == "listed_party"));
//! assert!(decision.hits.iter().any(|h| h.rule == "luxury_to_dprk"));
//!
//! let hits = screener.match_name(&NameQuery::new("KOMID"), 0.8, 5);
//! assert_eq!(hits[0].entity, "un:KPe.001");
//!
//! let categories = screener.classify(&GoodsLine::new("Maybach S650 armoured"));
//! assert_eq!(categories[0].id, "luxury_vehicles");
//!
//! assert_eq!(compare("Kim Jong Un", "KIM, Jong Un", None), 1.0);
//! # Ok::<(), embargo::Error>(())
//! ```
//!
//! # How it is built
//!
//! Data flows one way: rules text -> [`rules::ast`] (with spans) -> a compiled,
//! immutable [`rules::Ruleset`] -> screening ([`engine`]) -> a decision with evidence.
//! Beneath everything, [`vocab`] (words every layer shares), `text` (scripts, the
//! name fold, goods text and terms) and [`refdata`] (tariff codes, dates) depend on no
//! other part. The parser knows nothing of matching; the compiler hands the goods
//! classifier each term already read as a pattern; [`matching`] (names) knows nothing
//! of rules, and [`goods`] only the compiled categories; [`engine`] is where they meet.
//! [`import`] turns official lists into rules files; [`io`] and [`batch`] read and
//! screen files of orders; [`api`] holds the request and answer shapes the CLI and the
//! HTTP service share.
#![deny(missing_docs)]
// Input from outside (rules, lists, orders, requests) must never panic the engine.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod api;
pub mod artifact;
pub mod batch;
pub mod config;
pub mod engine;
mod error;
pub mod goods;
pub mod import;
pub mod io;
pub mod json;
mod lookup;
pub mod matching;
mod normalize;
pub mod order;
pub mod order_hash;
pub mod order_values;
mod places;
pub mod refdata;
pub mod reference;
pub mod report;
pub mod roles;
pub mod rules;
mod text;
pub mod vocab;
pub mod watch;

pub use engine::{Hit, OrderDecision, ScreenOptions, Screener};
pub use error::{json_message, Error, ErrorKind};
pub use matching::{compare, NameQuery};
pub use order::Order;
pub use rules::{Decision, Ruleset};
