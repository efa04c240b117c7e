//! Pure text functions that depend on nothing else in the crate but its lookup
//! tables: which script a character is in ([`script`]), the fold under which place and
//! country names are compared ([`fold`]), the reading of goods descriptions and
//! goods terms ([`goods`]), and the parties one name field joins ([`party_name`]).
//!
//! The rules compiler, the goods classifier and the place matcher read text through
//! these, so that a term, a country name or a place means the same to each.

pub mod fold;
pub mod goods;
pub mod party_name;
pub mod script;
