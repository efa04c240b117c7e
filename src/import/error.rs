//! The importers' error type.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Why an import failed, with the file, line and (where known) column at fault.
///
/// Displayed as `FILE:LINE:COL: message`, like every other diagnostic of embargo.
///
/// # Examples
///
/// ```
/// use embargo::import::{import, Format, ImportOptions};
/// let err = import(Format::Un, &["/no/such/file.xml".into()], &ImportOptions::default())
///     .unwrap_err();
/// assert!(err.to_string().starts_with("/no/such/file.xml"));
/// ```
#[derive(Debug)]
pub struct ImportError {
    kind: Kind,
    path: Option<PathBuf>,
    line: Option<u64>,
    column: Option<u64>,
}

#[derive(Debug)]
enum Kind {
    /// The command was used wrongly (unknown format, missing date, no input).
    Usage(String),
    /// The file could not be read.
    Io(io::Error),
    /// A record does not follow the format.
    Malformed(String),
    /// The input stops before its end: a partial list.
    Truncated(String),
}

impl ImportError {
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        ImportError {
            kind: Kind::Usage(message.into()),
            path: None,
            line: None,
            column: None,
        }
    }

    pub(crate) fn io(path: &Path, line: Option<u64>, err: io::Error) -> Self {
        // A gzip stream cut short shows up as an unexpected end of file from the
        // decoder; that is a truncated list, not a disk problem.
        if err.kind() == io::ErrorKind::UnexpectedEof {
            return ImportError::truncated(path, line, format!("input ends early: {err}"));
        }
        ImportError {
            kind: Kind::Io(err),
            path: Some(path.to_path_buf()),
            line,
            column: None,
        }
    }

    pub(crate) fn malformed(
        path: &Path,
        line: u64,
        column: Option<u64>,
        message: impl Into<String>,
    ) -> Self {
        ImportError {
            kind: Kind::Malformed(message.into()),
            path: Some(path.to_path_buf()),
            line: Some(line),
            column,
        }
    }

    pub(crate) fn truncated(path: &Path, line: Option<u64>, message: impl Into<String>) -> Self {
        ImportError {
            kind: Kind::Truncated(message.into()),
            path: Some(path.to_path_buf()),
            line,
            column: None,
        }
    }

    /// The file at fault, when the error is about one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The 1-based line at fault, when known.
    pub fn line(&self) -> Option<u64> {
        self.line
    }

    /// The 1-based column at fault, when known.
    pub fn column(&self) -> Option<u64> {
        self.column
    }

    /// True when the input ends before its end (a cut download): never a usable list.
    pub fn is_truncated(&self) -> bool {
        matches!(self.kind, Kind::Truncated(_))
    }

    /// True when a record does not follow the format (what `--skip-bad` skips).
    pub fn is_malformed(&self) -> bool {
        matches!(self.kind, Kind::Malformed(_))
    }

    /// True when the command was used wrongly rather than the input being bad.
    pub fn is_usage(&self) -> bool {
        matches!(self.kind, Kind::Usage(_))
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.column {
                    write!(f, ":{col}")?;
                }
            }
            f.write_str(": ")?;
        }
        match &self.kind {
            Kind::Usage(m) | Kind::Malformed(m) => f.write_str(m),
            Kind::Truncated(m) => write!(f, "truncated input: {m}"),
            Kind::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            Kind::Io(e) => Some(e),
            _ => None,
        }
    }
}
