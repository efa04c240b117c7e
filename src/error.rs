//! The library's error type: everything that can stop an operation before it
//! produces a result, each with its source where there is one.
//!
//! [`Error`] is opaque, as errors of a library meant to last should be: callers branch
//! on [`Error::kind`] and read [`Error::diagnostics`], so new kinds and new detail can
//! be added without breaking them.

use std::fmt;

/// What went wrong, for callers that act on it (a Python shell raising `RulesError`
/// or `ValueError`, an HTTP shell answering 422 or 500).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Rules could not be read from disk (a missing file, an include loop, a folder
    /// with no rules files).
    Load,
    /// Rules were read but have errors; [`Error::diagnostics`] holds them located.
    InvalidRules,
    /// An order that is not valid JSON, or not a valid order.
    InvalidOrder,
    /// An official list could not be imported.
    Import,
    /// Reading or writing failed.
    Io,
    /// A compiled ruleset was refused: foreign, of another build, or damaged.
    Artifact,
}

/// Why an embargo operation could not run.
#[derive(Debug)]
pub struct Error {
    repr: Repr,
}

#[derive(Debug)]
enum Repr {
    Load(crate::rules::LoadError),
    InvalidRules {
        errors: usize,
        report: String,
    },
    InvalidOrder(String),
    Import(crate::import::ImportError),
    Io(std::io::Error),
    /// A compiled ruleset was refused: foreign, of another build, or damaged.
    Artifact(crate::artifact::ArtifactError),
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match &self.repr {
            Repr::Load(_) => ErrorKind::Load,
            Repr::InvalidRules { .. } => ErrorKind::InvalidRules,
            Repr::InvalidOrder(_) => ErrorKind::InvalidOrder,
            Repr::Import(_) => ErrorKind::Import,
            Repr::Io(_) => ErrorKind::Io,
            Repr::Artifact(_) => ErrorKind::Artifact,
        }
    }

    /// For invalid rules, every error rendered as `FILE:LINE:COL: error: message`
    /// with the line and a caret, one after another.
    pub fn diagnostics(&self) -> Option<&str> {
        match &self.repr {
            Repr::InvalidRules { report, .. } => Some(report),
            _ => None,
        }
    }

    /// For an invalid order, what is wrong with it, naming the field where there is
    /// one (`goods[0].quantity: "many" is not a number`).
    pub fn order_fault(&self) -> Option<&str> {
        match &self.repr {
            Repr::InvalidOrder(why) => Some(why),
            _ => None,
        }
    }

    /// For invalid rules, how many errors they have; otherwise 0.
    pub fn error_count(&self) -> usize {
        match &self.repr {
            Repr::InvalidRules { errors, .. } => *errors,
            _ => 0,
        }
    }

    /// Rules that have errors: `errors` of them, rendered in `report`.
    pub(crate) fn invalid_rules(errors: usize, report: String) -> Error {
        Error {
            repr: Repr::InvalidRules { errors, report },
        }
    }

    /// An order that cannot be read, and why (naming the field where there is one).
    pub(crate) fn invalid_order(why: String) -> Error {
        Error {
            repr: Repr::InvalidOrder(why),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Load(e) => write!(f, "{e}"),
            Repr::InvalidRules { errors, report } => {
                write!(f, "the rules have {errors} error(s):\n{report}")
            }
            Repr::InvalidOrder(why) => write!(f, "invalid order: {why}"),
            Repr::Import(e) => write!(f, "{e}"),
            Repr::Io(e) => write!(f, "{e}"),
            Repr::Artifact(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.repr {
            Repr::Load(e) => Some(e),
            Repr::Import(e) => Some(e),
            Repr::Io(e) => Some(e),
            Repr::Artifact(e) => Some(e),
            Repr::InvalidRules { .. } | Repr::InvalidOrder(_) => None,
        }
    }
}

impl From<crate::rules::LoadError> for Error {
    fn from(e: crate::rules::LoadError) -> Self {
        Error {
            repr: Repr::Load(e),
        }
    }
}

impl From<crate::import::ImportError> for Error {
    fn from(e: crate::import::ImportError) -> Self {
        Error {
            repr: Repr::Import(e),
        }
    }
}

impl From<crate::artifact::ArtifactError> for Error {
    fn from(e: crate::artifact::ArtifactError) -> Self {
        Error {
            repr: Repr::Artifact(e),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error { repr: Repr::Io(e) }
    }
}

/// serde_json's message for `e`, its position said as a column when the text was one
/// line: a JSON line is reported under its own line number in the file, and serde's
/// `at line 1` after it would read as a second, contradicting line number.
///
/// ```
/// let e = serde_json::from_str::<serde_json::Value>(r#"{"id": "A" "b"}"#).unwrap_err();
/// assert_eq!(embargo::json_message(&e), "expected `,` or `}` at column 12");
/// ```
pub fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if e.line() != 1 {
        return text;
    }
    let position = format!(" at line 1 column {}", e.column());
    match text.strip_suffix(&position) {
        Some(why) => format!("{why} at column {}", e.column()),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_rules_carry_their_located_diagnostics() {
        let e = crate::Ruleset::from_text("bad.emb", "rule r { when party in nowhere }")
            .expect_err("the rules are invalid");
        assert_eq!(e.kind(), ErrorKind::InvalidRules);
        assert!(e.error_count() >= 1);
        assert!(e.diagnostics().is_some_and(|d| d.contains("bad.emb:1:")));
    }

    #[test]
    fn an_unreadable_order_names_why() {
        let e = crate::Order::from_json(r#"{"id": "X", "party": []}"#).expect_err("unknown field");
        assert_eq!(e.kind(), ErrorKind::InvalidOrder);
        assert!(e.to_string().contains("party"));
        assert_eq!(e.diagnostics(), None);
    }
}
