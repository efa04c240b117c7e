//! Name matching.
