//! Pure text functions that depend on nothing else in the crate but its lookup
//! tables: which script a character is in ([`script`]), the fold under which place and
//! country names are compared ([`fold`]), and the reading of goods descriptions and
//! goods terms ([`goods`]).
//!
//! The rules compiler, the goods classifier and the place matcher read text through
//! these, so that a term, a country name or a place means the same to each.

pub mod fold;
pub mod goods;
pub mod script;
