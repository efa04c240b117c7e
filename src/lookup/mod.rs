//! Structures built once from the rules and read for every word of every line: a
//! flat hash table from integer keys ([`table`]) and a walk over the set bits of a
//! bit set ([`bits`]). They know nothing of text, goods or rules.

pub(crate) mod bits;
pub(crate) mod table;
