//! The rule language: source text -> syntax tree -> compiled ruleset.
//!
//! - [`parser`] turns text into an [`ast::File`] and diagnostics;
//! - [`print`] prints a tree back in canonical form;
//! - [`compile`] validates trees and builds an immutable [`Ruleset`];
//! - [`load`] finds files (folders, includes, the embedded default) and runs the pipeline.

pub mod ast;
pub mod compile;
pub mod diagnostic;
pub mod ir;
pub mod load;
pub mod parser;
pub mod print;
pub mod span;

pub use ast::Decision;
pub use compile::CompileOptions;
pub use diagnostic::{Diagnostic, Severity};
pub use ir::Ruleset;
pub use load::{load_embedded, load_paths, load_str, Checked, LoadError};
pub use span::{FileId, SourceFile, SourceMap, Span};
