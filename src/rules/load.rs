//! Finding and reading rules files, then running the pipeline:
//! text -> [`parser`] -> [`compile`] -> [`Ruleset`].
//!
//! Sources are the embedded default ruleset, files and folders on disk (`--rules`,
//! read recursively for `*.emb`), or a string. `include` is resolved relative to the
//! including file, and every file is read once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::ast::{self, Item};
use super::compile::{compile, CompileOptions};
use super::diagnostic::{Diagnostic, Severity};
use super::parser;
use super::span::{SourceFile, SourceMap};
use super::Ruleset;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// The name under which embedded files appear in diagnostics.
pub const EMBEDDED_PREFIX: &str = "<embedded>/";

/// The outcome of loading: the sources, every diagnostic, and the ruleset when there
/// were no errors.
#[derive(Debug)]
pub struct Checked {
    /// Every file read, for rendering diagnostics.
    pub sources: SourceMap,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The compiled ruleset, when there was no error.
    pub ruleset: Option<Ruleset>,
}

impl Checked {
    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Renders every diagnostic.
    pub fn render_diagnostics(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(&self.sources))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Why rules could not be read at all (as opposed to being read and found invalid).
#[derive(Debug)]
pub struct LoadError {
    /// The path that failed.
    pub path: PathBuf,
    /// The I/O error.
    pub source: std::io::Error,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot read rules from {}: {}",
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Where a file came from, to resolve its includes.
enum Origin {
    Disk(PathBuf),
    Embedded(String),
    Text,
}

struct Pipeline {
    sources: SourceMap,
    files: Vec<ast::File>,
    diagnostics: Vec<Diagnostic>,
    seen: HashSet<String>,
    hasher: Sha256,
}

impl Pipeline {
    fn new() -> Self {
        Pipeline {
            sources: SourceMap::new(),
            files: Vec::new(),
            diagnostics: Vec::new(),
            seen: HashSet::new(),
            hasher: Sha256::new(),
        }
    }

    /// Parses one file and, depth first, the files it includes.
    fn add(&mut self, name: String, text: Arc<str>, origin: Origin) -> Result<(), LoadError> {
        // The hash covers every file's bytes in load order, so it changes with any
        // edit to the rules and is the same wherever the same files are loaded from.
        self.hasher.update((text.len() as u64).to_le_bytes());
        self.hasher.update(text.as_bytes());
        // The source map and the parser share one copy of the text.
        let id = self.sources.add(SourceFile::new(name, Arc::clone(&text)));
        let (file, diags) = parser::parse(id, &text);
        self.diagnostics.extend(diags);
        let includes: Vec<ast::Include> = file
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Include(inc) => Some(inc.clone()),
                _ => None,
            })
            .collect();
        self.files.push(file);
        for inc in includes {
            match &origin {
                Origin::Disk(path) => {
                    let base = path.parent().unwrap_or(Path::new("."));
                    let target = base.join(&inc.path.value);
                    if !target.is_file() {
                        self.diagnostics.push(Diagnostic::error(
                            inc.path.span,
                            format!("included file `{}` does not exist", target.display()),
                        ));
                        continue;
                    }
                    self.add_disk_file(&target)?;
                }
                Origin::Embedded(rel) => {
                    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
                    let wanted = normalize_rel(dir, &inc.path.value);
                    match embedded::EMBEDDED_RULES.iter().find(|(p, _)| *p == wanted) {
                        Some((p, body)) => self.add_embedded(p, body)?,
                        None => self.diagnostics.push(Diagnostic::error(
                            inc.path.span,
                            format!("included file `{wanted}` is not in the embedded rules"),
                        )),
                    }
                }
                Origin::Text => self.diagnostics.push(Diagnostic::error(
                    inc.path.span,
                    "`include` needs rules loaded from files",
                )),
            }
        }
        Ok(())
    }

    fn add_disk_file(&mut self, path: &Path) -> Result<(), LoadError> {
        let key = path
            .canonicalize()
            .unwrap_or_else(|_| path.to_path_buf())
            .to_string_lossy()
            .into_owned();
        if !self.seen.insert(key) {
            return Ok(());
        }
        let bytes = std::fs::read(path).map_err(|source| LoadError {
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|e| LoadError {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
        })?;
        self.add(
            path.display().to_string(),
            Arc::from(text),
            Origin::Disk(path.to_path_buf()),
        )
    }

    fn add_embedded(&mut self, rel: &str, body: &str) -> Result<(), LoadError> {
        if !self.seen.insert(format!("{EMBEDDED_PREFIX}{rel}")) {
            return Ok(());
        }
        self.add(
            format!("{EMBEDDED_PREFIX}{rel}"),
            Arc::from(body),
            Origin::Embedded(rel.to_string()),
        )
    }

    fn finish(self, options: &CompileOptions) -> Checked {
        let hash = format!("sha256:{:x}", self.hasher.finalize());
        let mut diagnostics = self.diagnostics;
        let parse_failed = diagnostics.iter().any(Diagnostic::is_error);
        let (ruleset, compile_diags) = compile(self.files, hash, options);
        diagnostics.extend(compile_diags);
        // Keep diagnostics in file order, then position, so output reads top to bottom.
        diagnostics.sort_by_key(|d| (d.span.file, d.span.start));
        Checked {
            sources: self.sources,
            diagnostics,
            ruleset: if parse_failed { None } else { ruleset },
        }
    }
}

/// `dir` joined with a relative `path`, resolving `.` and `..`.
fn normalize_rel(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Every `*.emb` file under `dir`, sorted, so that load order (and the hash) does not
/// depend on the file system's listing order.
fn rule_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|source| LoadError {
            path: d.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| LoadError {
                path: d.clone(),
                source,
            })?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "emb") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Loads and compiles rules from files and folders (folders recursively, `*.emb`).
pub fn load_paths(paths: &[PathBuf], options: &CompileOptions) -> Result<Checked, LoadError> {
    let mut p = Pipeline::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| LoadError {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            for f in rule_files(path)? {
                p.add_disk_file(&f)?;
            }
        } else {
            p.add_disk_file(path)?;
        }
    }
    Ok(p.finish(options))
}

/// Loads and compiles the default ruleset compiled into the binary from `rules/`.
pub fn load_embedded(options: &CompileOptions) -> Checked {
    let mut p = Pipeline::new();
    for (rel, body) in embedded::EMBEDDED_RULES {
        // Embedded includes always resolve or report; reading cannot fail.
        let _ = p.add_embedded(rel, body);
    }
    p.finish(options)
}

/// Loads and compiles rules from a string (no `include`).
pub fn load_str(name: &str, text: &str, options: &CompileOptions) -> Checked {
    let mut p = Pipeline::new();
    let _ = p.add(name.to_string(), Arc::from(text), Origin::Text);
    p.finish(options)
}

/// The paths and sizes of the embedded rule files.
pub fn embedded_files() -> impl Iterator<Item = (&'static str, usize)> {
    embedded::EMBEDDED_RULES.iter().map(|(p, b)| (*p, b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_includes_resolve() {
        assert_eq!(normalize_rel("goods", "../lists/un.emb"), "lists/un.emb");
        assert_eq!(normalize_rel("", "./a.emb"), "a.emb");
    }
}
