//! The library's error type: everything that can stop an operation before it
//! produces a result, each with its source where there is one.

use std::fmt;

/// Why an embargo operation could not run.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Rules could not be read from disk.
    Load(crate::rules::LoadError),
    /// Rules were read but have errors; `report` renders every diagnostic as
    /// `FILE:LINE:COL: error: message` with the line and a caret.
    InvalidRules {
        /// Number of errors.
        errors: usize,
        /// Every diagnostic, rendered.
        report: String,
    },
    /// An order that is not valid JSON, or not a valid order.
    InvalidOrder(String),
    /// An official list could not be imported.
    Import(crate::import::ImportError),
    /// Reading or writing failed.
    Io(std::io::Error),
    /// A compiled ruleset was refused: foreign, of another build, or damaged.
    Artifact(crate::artifact::ArtifactError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Load(e) => write!(f, "{e}"),
            Error::InvalidRules { errors, report } => {
                write!(f, "the rules have {errors} error(s):\n{report}")
            }
            Error::InvalidOrder(why) => write!(f, "invalid order: {why}"),
            Error::Import(e) => write!(f, "{e}"),
            Error::Io(e) => write!(f, "{e}"),
            Error::Artifact(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Load(e) => Some(e),
            Error::Import(e) => Some(e),
            Error::Io(e) => Some(e),
            Error::Artifact(e) => Some(e),
            Error::InvalidRules { .. } | Error::InvalidOrder(_) => None,
        }
    }
}

impl From<crate::rules::LoadError> for Error {
    fn from(e: crate::rules::LoadError) -> Self {
        Error::Load(e)
    }
}

impl From<crate::import::ImportError> for Error {
    fn from(e: crate::import::ImportError) -> Self {
        Error::Import(e)
    }
}

impl From<crate::artifact::ArtifactError> for Error {
    fn from(e: crate::artifact::ArtifactError) -> Self {
        Error::Artifact(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}
