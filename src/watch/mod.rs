//! Continuous screening: living with lists that change every week.
//!
//! - [`diff()`] compares two compiled rulesets: the entities each list added, removed
//!   and changed (and in which fields), the lists' versions, and the decision logic.
//! - [`Rescreen`] re-screens, after an update, only the orders whose decision can
//!   change, and keeps only the decisions that did, each with the decision it replaces
//!   and the changes that explain it. The module documentation of [`rescreen`] says
//!   why skipping the other orders gives exactly what a full screen would.
//! - [`PreviousDecisions`] reads back the decisions written earlier.
//! - [`dispose`] turns an analyst's clearance of a hit into an `allow` item that
//!   later screening honours and reports.

mod accept;
mod answers;
pub mod diff;
pub mod dispose;
mod names;
pub mod previous;
pub mod rescreen;
mod run;
mod text;

pub use diff::{diff, ChangeKind, Diff, DiffOptions, EntityChange, FieldDelta, LogicChange};
pub use previous::{hit_set, HitSet, PreviousDecision, PreviousDecisions, ScreenedWith};
pub use rescreen::{
    previous_of, previous_ruleset, Because, OrderNames, PreviousSummary, Reason, Rescreen,
    Rescreened,
};
pub use run::Summary;
