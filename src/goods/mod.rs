//! Goods screening: finds luxury-goods, export-ban and import-ban categories in
//! free-text invoice descriptions and tariff codes.
//!
//! [`Classifier`] is built once from a ruleset's categories and answers, for each
//! [`GoodsLine`], which categories it falls in with the evidence (terms and codes, with
//! character spans into what the trader wrote). The text and codes are read by
//! the crate's goods text functions and [`crate::refdata::hs`]; [`price`] reads unit prices and
//! counts for value thresholds; [`stated`] finds the origin or destination a
//! description states (`origin: Rason`), for the route's place tests.

pub mod classify;
mod line;
pub mod price;
pub mod stated;
mod terms;

pub use classify::{CategoryMatch, Classifier, Evidence, EvidenceKind, Scratch};
pub use line::GoodsLine;
