//! The rule language: source text -> syntax tree -> compiled ruleset.
//!
//! - [`parser`] turns text into an [`ast::File`] and diagnostics;
//! - [`mod@print`] prints a tree back in canonical form;
//! - [`compile`] validates trees and builds an immutable [`Ruleset`];
//! - [`mod@load`] finds files (folders, includes, the embedded default) and runs the pipeline.

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
pub use load::{
    export_embedded, load, load_embedded, load_paths, load_str, Checked, LoadError, RuleSource,
};
pub use span::{FileId, SourceFile, SourceMap, Span};

impl Checked {
    /// The ruleset, or every error as an [`crate::Error`] of kind [`crate::ErrorKind::InvalidRules`]. Warnings (an old
    /// list) do not stop it.
    pub fn into_ruleset(self) -> Result<Ruleset, crate::Error> {
        let errors = self.error_count();
        match self.ruleset {
            Some(r) if errors == 0 => Ok(r),
            _ => Err(crate::Error::invalid_rules(
                errors.max(1),
                self.diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| d.render(&self.sources))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )),
        }
    }
}

impl Ruleset {
    /// The default ruleset compiled into the library from the repository's `rules/`:
    /// the OFAC SDN and consolidated lists, the UN consolidated list, the EU DPRK
    /// designations, the DPRK luxury-goods and trade-ban categories, and the DPRK
    /// decision rules.
    ///
    /// # Examples
    ///
    /// ```
    /// let rules = embargo::Ruleset::embedded()?;
    /// assert!(rules.entities().len() > 10_000);
    /// assert!(rules.lists().iter().any(|l| l.name == "un"));
    /// # Ok::<(), embargo::Error>(())
    /// ```
    pub fn embedded() -> Result<Ruleset, crate::Error> {
        Ruleset::load(&RuleSource::Embedded)
    }

    /// Rules from files and folders (folders are read recursively for `*.emb`),
    /// without the embedded ones. They must be able to decide: rules that cannot
    /// review or block anything are an error, not a ruleset that clears every order.
    pub fn from_paths<P: AsRef<std::path::Path>>(paths: &[P]) -> Result<Ruleset, crate::Error> {
        let paths: Vec<std::path::PathBuf> =
            paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
        Ruleset::load(&RuleSource::Paths(paths))
    }

    /// The embedded ruleset plus files and folders of one's own: a list declared in
    /// them replaces the embedded list of that name (a list imported today, screened
    /// with the shipped decision rules), and everything else joins the embedded rules.
    pub fn embedded_with<P: AsRef<std::path::Path>>(paths: &[P]) -> Result<Ruleset, crate::Error> {
        let paths: Vec<std::path::PathBuf> =
            paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
        Ruleset::load(&RuleSource::EmbeddedWith(paths))
    }

    /// The rules `source` names, checked as [`load()`] checks them, with the default
    /// compile options.
    pub fn load(source: &RuleSource) -> Result<Ruleset, crate::Error> {
        load(source, &CompileOptions::default())?.into_ruleset()
    }

    /// Rules from a string; `name` appears in diagnostics. Like [`Ruleset::from_paths`],
    /// they must be able to decide.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = embargo::Ruleset::from_text("mine.emb", "rule r { when party matches any then blok \"x\" }")
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("mine.emb:1:"));
    /// ```
    pub fn from_text(name: &str, text: &str) -> Result<Ruleset, crate::Error> {
        let mut checked = load_str(name, text, &CompileOptions::default());
        checked.require_decisions(false);
        checked.into_ruleset()
    }
}
