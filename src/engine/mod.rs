//! Screening: the only place where rules and matching meet.
//!
//! [`eval`] walks compiled rule conditions over the facts gathered for one order.

pub mod eval;
