//! The rule language: source text -> syntax tree -> compiled ruleset.

pub mod ast;
pub mod ir;
pub mod span;
pub use ir::Ruleset;
