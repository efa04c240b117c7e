//! Screening: the only place where rules and matching meet.
//!
//! `eval` walks compiled rule conditions over the facts gathered for one order;
//! [`screener`] gathers those facts (names, vessels, goods, places) and combines the fired
//! rules into a decision.

mod cache;
pub(crate) mod eval;
mod evidence;
pub(crate) mod field;
pub mod links;
pub mod screener;

pub use eval::{CategoryEvidence, EntityEvidence, Evidence};
pub use screener::{
    category_results, Allowed, CategoryResult, Hit, ListVersion, NameMatch, OrderDecision,
    ScreenOptions, Screener,
};
