//! Pure text functions that depend on nothing else in the crate: which script a
//! character is in ([`script`]) and the fold under which place and country names are
//! compared ([`fold`]).

pub mod fold;
pub mod script;
