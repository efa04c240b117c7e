//! Finding and reading rules files, then running the pipeline:
//! text -> [`parser`] -> [`compile`] -> [`Ruleset`].
//!
//! Sources are the embedded default ruleset, files and folders on disk (`--rules`,
//! read recursively for `*.emb`), the embedded ruleset with files of one's own added
//! (`--add-rules`), or a string. `include` is resolved relative to the including file,
//! and every file is read once.
//!
//! [`load`] is what a screening shell calls: besides the language's own checks it
//! refuses a ruleset that cannot decide (no file, no rule that reviews or blocks), since
//! screening with one would clear every order. The lower-level [`load_paths`],
//! [`load_embedded`] and [`load_str`] compile parts of a ruleset (one list, goods
//! categories alone) and leave that check to their caller.

use std::collections::{HashMap, HashSet};
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

/// The fingerprint of this build: its version, sources and rules, hashed (see
/// [`crate::artifact`]).
pub(crate) fn build_fingerprint() -> &'static str {
    embedded::BUILD_FINGERPRINT
}

/// The name under which embedded files appear in diagnostics.
pub const EMBEDDED_PREFIX: &str = "<embedded>/";

/// How many files deep `include` may nest. Real entry points nest two or three deep; a
/// chain thousands deep is a mistake or an attack, and would exhaust the stack.
pub const MAX_INCLUDE_DEPTH: usize = 64;

/// Which rules to load.
///
/// # Examples
///
/// ```
/// use embargo::rules::{load, CompileOptions, RuleSource};
///
/// let checked = load(&RuleSource::Embedded, &CompileOptions::default())?;
/// assert_eq!(checked.error_count(), 0);
/// let empty = std::env::temp_dir().join(format!("embargo-doc-empty-{}", std::process::id()));
/// std::fs::create_dir_all(&empty)?;
/// // A folder without rule files is refused rather than screened with nothing.
/// assert!(load(&RuleSource::Paths(vec![empty]), &CompileOptions::default()).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RuleSource {
    /// The default ruleset compiled into the library from the repository's `rules/`.
    #[default]
    Embedded,
    /// Exactly these files and folders (folders read recursively for `*.emb`), and
    /// nothing of the embedded ruleset.
    Paths(Vec<PathBuf>),
    /// The embedded ruleset plus these files and folders. A list declared in them
    /// replaces the embedded list of the same name, its entities included; their
    /// entities, categories, sets, rules and allowances join the embedded ones.
    EmbeddedWith(Vec<PathBuf>),
    /// A compiled ruleset held in memory, such as the default one the `embargo`
    /// binary carries (see [`crate::artifact`]).
    Compiled(crate::artifact::StaticArtifact),
}

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

    /// Adds an error when the ruleset, valid as it is, cannot decide: it has no rule
    /// that reviews or blocks, so every order screened with it would be `clear`.
    /// `paths_only` says the rules were given as paths, replacing the embedded ones,
    /// which the hint then points at.
    pub fn require_decisions(&mut self, paths_only: bool) {
        let Some(ruleset) = &self.ruleset else {
            return;
        };
        if ruleset
            .rules()
            .iter()
            .any(|r| r.decision > super::Decision::Clear)
        {
            return;
        }
        let message = if ruleset.rules().is_empty() {
            "no rule in these files decides anything: every order would be `clear`".to_string()
        } else {
            format!(
                "none of the {} rule(s) reviews or blocks: every order would be `clear`",
                ruleset.rules().len()
            )
        };
        let hint = if paths_only {
            "rules given as paths (`--rules`) replace the shipped rules; to screen with the \
             shipped decision rules plus these files, add them instead (`--add-rules`)"
        } else {
            "add a `rule` whose `then` is `review` or `block`"
        };
        // The ruleset as a whole is at fault; its first file is where a reader starts.
        let first = self
            .sources
            .files()
            .next()
            .map(|(id, _)| id)
            .unwrap_or_default();
        self.diagnostics
            .push(Diagnostic::error(super::Span::new(first, 0, 0), message).with_hint(hint));
        self.ruleset = None;
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

impl LoadError {
    fn not_regular(path: &Path) -> LoadError {
        LoadError {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file (a rule file must be a plain file, not a pipe or device)",
            ),
        }
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
    /// Whether `files[i]` is one of the embedded files.
    embedded: Vec<bool>,
    /// The text of `files[i]`, for the hash.
    texts: Vec<Arc<str>>,
    /// Whether `files[i]` lost every item to a list of the user's (it then takes no
    /// part in the hash).
    replaced: Vec<bool>,
    diagnostics: Vec<Diagnostic>,
    seen: HashSet<String>,
}

impl Pipeline {
    fn new() -> Self {
        Pipeline {
            sources: SourceMap::new(),
            files: Vec::new(),
            embedded: Vec::new(),
            texts: Vec::new(),
            replaced: Vec::new(),
            diagnostics: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Parses one file and, depth first, the files it includes; `depth` is how many
    /// includes led to it.
    fn add(
        &mut self,
        name: String,
        text: Arc<str>,
        origin: Origin,
        depth: usize,
    ) -> Result<(), LoadError> {
        // The source map and the parser share one copy of the text.
        let id = self.sources.add(SourceFile::new(name, Arc::clone(&text)));
        let (file, diags) = parser::parse(id, &text);
        // A file of the user's with nothing in it is a file cut short or emptied by
        // mistake: loading it as nothing would drop what it held without a word, as a
        // folder with no rule file would.
        if matches!(origin, Origin::Disk(_))
            && file.items.is_empty()
            && !diags.iter().any(Diagnostic::is_error)
        {
            self.diagnostics.push(Diagnostic::error(
                super::Span::new(id, 0, 0),
                "the file holds no rules, lists or entities",
            ));
        }
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
        self.embedded.push(matches!(origin, Origin::Embedded(_)));
        self.texts.push(text);
        self.replaced.push(false);
        for inc in includes {
            if depth >= MAX_INCLUDE_DEPTH {
                self.diagnostics.push(
                    Diagnostic::error(
                        inc.path.span,
                        format!("`include` nests more than {MAX_INCLUDE_DEPTH} files deep"),
                    )
                    .with_hint("include the files from one entry point, or load a folder"),
                );
                break;
            }
            match &origin {
                Origin::Disk(path) => {
                    let base = path.parent().unwrap_or(Path::new("."));
                    let target = base.join(&inc.path.value);
                    match std::fs::metadata(&target) {
                        Ok(m) if m.is_file() => self.add_disk_file(&target, depth + 1)?,
                        Ok(_) => self.diagnostics.push(Diagnostic::error(
                            inc.path.span,
                            format!("included `{}` is not a regular file", target.display()),
                        )),
                        Err(_) => self.diagnostics.push(Diagnostic::error(
                            inc.path.span,
                            format!("included file `{}` does not exist", target.display()),
                        )),
                    }
                }
                Origin::Embedded(rel) => {
                    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
                    let wanted = normalize_rel(dir, &inc.path.value);
                    match embedded::EMBEDDED_RULES.iter().find(|(p, _)| *p == wanted) {
                        Some((p, body)) => self.add_embedded(p, body, depth + 1)?,
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

    fn add_disk_file(&mut self, path: &Path, depth: usize) -> Result<(), LoadError> {
        let key = path
            .canonicalize()
            .unwrap_or_else(|_| path.to_path_buf())
            .to_string_lossy()
            .into_owned();
        if !self.seen.insert(key) {
            return Ok(());
        }
        // Opening a FIFO or a device would wait for a writer that never comes.
        let meta = std::fs::metadata(path).map_err(|source| LoadError {
            path: path.to_path_buf(),
            source,
        })?;
        if !meta.is_file() {
            return Err(LoadError::not_regular(path));
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
            depth,
        )
    }

    fn add_embedded(&mut self, rel: &str, body: &str, depth: usize) -> Result<(), LoadError> {
        if !self.seen.insert(format!("{EMBEDDED_PREFIX}{rel}")) {
            return Ok(());
        }
        self.add(
            format!("{EMBEDDED_PREFIX}{rel}"),
            Arc::from(body),
            Origin::Embedded(rel.to_string()),
            depth,
        )
    }

    fn add_embedded_all(&mut self) {
        for (rel, body) in embedded::EMBEDDED_RULES {
            // Embedded includes always resolve or report; reading cannot fail.
            let _ = self.add_embedded(rel, body, 0);
        }
    }

    /// Adds files and folders given by the user.
    fn add_paths(&mut self, paths: &[PathBuf]) -> Result<(), LoadError> {
        for path in paths {
            let meta = std::fs::metadata(path).map_err(|source| LoadError {
                path: path.clone(),
                source,
            })?;
            if meta.is_dir() {
                let files = rule_files(path)?;
                if files.is_empty() {
                    return Err(LoadError {
                        path: path.clone(),
                        source: std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "the folder holds no rule file (*.emb)",
                        ),
                    });
                }
                for f in files {
                    self.add_disk_file(&f, 0)?;
                }
            } else {
                self.add_disk_file(path, 0)?;
            }
        }
        Ok(())
    }

    /// Drops the embedded lists that a file of the user's declares again, with their
    /// entities: the user's version of a list replaces the shipped one whole.
    /// Each replacement is a warning at the user's list: a company that names its own
    /// list `eu` would otherwise lose the shipped EU designations without a word.
    fn replace_embedded_lists(&mut self) {
        let declared: Vec<(String, super::Span)> = self
            .files
            .iter()
            .zip(&self.embedded)
            .filter(|(_, embedded)| !**embedded)
            .flat_map(|(f, _)| f.items.iter())
            .filter_map(|i| match i {
                Item::List(l) => Some((l.name.name.clone(), l.name.span)),
                _ => None,
            })
            .collect();
        if declared.is_empty() {
            return;
        }
        let mine: HashSet<String> = declared.iter().map(|(n, _)| n.clone()).collect();
        let shipped = self
            .files
            .iter()
            .zip(&self.embedded)
            .filter(|(_, embedded)| **embedded)
            .flat_map(|(f, _)| f.items.iter());
        let mut counts: HashMap<&str, (usize, Option<String>)> = HashMap::new();
        for item in shipped {
            match item {
                Item::List(l) if mine.contains(&l.name.name) => {
                    counts.entry(&l.name.name).or_default().1 =
                        l.as_of.as_ref().map(|t| t.value.clone());
                }
                Item::Entity(e) if mine.contains(&e.id.list.name) => {
                    counts.entry(&e.id.list.name).or_default().0 += 1;
                }
                _ => {}
            }
        }
        for (name, span) in &declared {
            let Some((entities, as_of)) = counts.get(name.as_str()) else {
                continue;
            };
            let as_of = as_of.as_deref().unwrap_or("no date");
            self.diagnostics.push(
                Diagnostic::warning(
                    *span,
                    format!(
                        "list `{name}` replaces the shipped list `{name}` ({entities} entities, as of {as_of}): the shipped entries are not screened"
                    ),
                )
                .with_hint("give your own list another name to screen both"),
            );
        }
        let files = self.files.iter_mut().zip(&self.embedded);
        for ((file, _), replaced) in files.zip(&mut self.replaced).filter(|((_, e), _)| **e) {
            let before = file.items.len();
            file.items.retain(|i| match i {
                Item::List(l) => !mine.contains(&l.name.name),
                Item::Entity(e) => !mine.contains(&e.id.list.name),
                _ => true,
            });
            *replaced = before > 0 && file.items.is_empty();
        }
    }

    fn finish(self, options: &CompileOptions) -> Checked {
        // The hash covers the bytes of every file that takes part, in load order, so it
        // changes with any edit to the rules and is the same wherever the same files are
        // loaded from. An embedded file whose every item a file of the user's replaced
        // takes no part.
        let mut hasher = Sha256::new();
        for (text, replaced) in self.texts.iter().zip(&self.replaced) {
            if *replaced {
                continue;
            }
            hasher.update((text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        let hash = format!("sha256:{:x}", hasher.finalize());
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
/// depend on the file system's listing order. A folder reached again through a
/// symlink is walked once; a `*.emb` that is not a regular file (a FIFO, a device) is
/// an error, as reading it could wait forever. (Files found by several walks, as when
/// a folder and its subfolder are both given, are read once by the pipeline.)
pub fn rule_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut walked = HashSet::new();
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let canonical = d.canonicalize().map_err(|source| LoadError {
            path: d.clone(),
            source,
        })?;
        if !walked.insert(canonical) {
            continue;
        }
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
            // Follows symlinks: a linked folder or file counts as what it points to.
            let Ok(meta) = std::fs::metadata(&path) else {
                // A dangling symlink named `*.emb` is a rule file that cannot be read.
                if is_rules_file(&path) {
                    return Err(LoadError {
                        path,
                        source: std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "the link points nowhere",
                        ),
                    });
                }
                continue;
            };
            if meta.is_dir() {
                stack.push(path);
            } else if is_rules_file(&path) {
                if !meta.is_file() {
                    return Err(LoadError::not_regular(&path));
                }
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Whether a file in a rules folder is read as rules: `*.emb`, the extension in any
/// case (a file saved as `LIST.EMB` is not skipped without a word).
fn is_rules_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("emb"))
}

/// Loads and compiles rules from files and folders (folders recursively, `*.emb`).
///
/// A folder with no rule file in it is an error. The ruleset is not required to
/// decide anything (it may be one list); [`load`] is the entry point for screening.
pub fn load_paths(paths: &[PathBuf], options: &CompileOptions) -> Result<Checked, LoadError> {
    if let Some(checked) = compiled_among(paths)? {
        return Ok(checked);
    }
    let mut p = Pipeline::new();
    p.add_paths(paths)?;
    Ok(p.finish(options))
}

/// The first of `paths` that is a compiled ruleset: a file named `*.embc` or one
/// that begins with the artifact signature. Folders are read for `*.emb` only.
fn artifact_path(paths: &[PathBuf]) -> Result<Option<&Path>, LoadError> {
    for path in paths {
        if path.is_dir() {
            continue;
        }
        if path
            .extension()
            .is_some_and(|e| e == crate::artifact::EXTENSION)
        {
            return Ok(Some(path));
        }
        // Only a regular file is sniffed: opening a FIFO would wait for a writer, and
        // the rules loader refuses what is not a regular file with its own message.
        if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let mut start = [0u8; 8];
        let read = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut start))
            .map_err(|source| LoadError {
                path: path.clone(),
                source,
            })?;
        if crate::artifact::is_artifact(start.get(..read).unwrap_or_default()) {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

/// The compiled ruleset among `paths`, when there is one; it must be given alone.
fn compiled_among(paths: &[PathBuf]) -> Result<Option<Checked>, LoadError> {
    let Some(path) = artifact_path(paths)? else {
        return Ok(None);
    };
    if paths.len() > 1 {
        return Err(LoadError {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a compiled ruleset is a whole ruleset: give it alone, or compile the \
                 other files with the rules it was compiled from",
            ),
        });
    }
    let fail = |source| LoadError {
        path: path.to_path_buf(),
        source,
    };
    let bytes = std::fs::read(path).map_err(fail)?;
    compiled(path, &bytes).map(Some)
}

/// The ruleset of an artifact, as a load without diagnostics; a refused artifact is
/// an error that says why.
fn compiled(path: &Path, bytes: &[u8]) -> Result<Checked, LoadError> {
    let ruleset = Ruleset::from_artifact(bytes).map_err(|e| LoadError {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })?;
    let mut sources = SourceMap::default();
    sources.add(SourceFile::new(path.display().to_string(), ""));
    Ok(Checked {
        sources,
        diagnostics: Vec::new(),
        ruleset: Some(ruleset),
    })
}

/// Loads and compiles the default ruleset compiled into the binary from `rules/`.
pub fn load_embedded(options: &CompileOptions) -> Checked {
    let mut p = Pipeline::new();
    p.add_embedded_all();
    p.finish(options)
}

/// Loads and compiles rules from a string (no `include`).
pub fn load_str(name: &str, text: &str, options: &CompileOptions) -> Checked {
    let mut p = Pipeline::new();
    let _ = p.add(name.to_string(), Arc::from(text), Origin::Text, 0);
    p.finish(options)
}

/// Loads, compiles and checks a ruleset to screen with: everything [`load_paths`]
/// checks, and that the ruleset can decide (see [`Checked::require_decisions`]).
///
/// # Errors
///
/// A path that cannot be read, a folder with no rule file, a `*.emb` that is not a
/// regular file. Invalid rules are not an error here: they are in the diagnostics.
pub fn load(source: &RuleSource, options: &CompileOptions) -> Result<Checked, LoadError> {
    let mut p = Pipeline::new();
    match source {
        RuleSource::Embedded => p.add_embedded_all(),
        RuleSource::Compiled(bytes) => {
            let mut checked = compiled(Path::new("<embedded>.embc"), bytes.0)?;
            checked.require_decisions(false);
            return Ok(checked);
        }
        RuleSource::Paths(paths) => {
            if let Some(mut checked) = compiled_among(paths)? {
                checked.require_decisions(true);
                return Ok(checked);
            }
            p.add_paths(paths)?
        }
        RuleSource::EmbeddedWith(paths) => {
            if let Some(path) = artifact_path(paths)? {
                return Err(LoadError {
                    path: path.to_path_buf(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        "a compiled ruleset is a whole ruleset and cannot be added to the \
                         embedded one: compile both into one (`embargo compile --add-rules \
                         FILES -o rules.embc`) and give it with --rules",
                    ),
                });
            }
            p.add_embedded_all();
            p.add_paths(paths)?;
            p.replace_embedded_lists();
        }
    }
    let replaced_all = matches!(source, RuleSource::Paths(_));
    let mut checked = p.finish(options);
    checked.require_decisions(replaced_all);
    Ok(checked)
}

/// Writes the embedded rule files under `dir`, in the folders they have in `rules/`,
/// so that they can be read, edited and loaded with `--rules DIR` (to the same
/// ruleset hash, unedited). Existing files are never overwritten.
///
/// # Errors
///
/// A file that exists already, or one that cannot be written; each names its path.
pub fn export_embedded(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let fail = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LoadError { path, source }
    };
    let mut written = Vec::new();
    for (rel, body) in embedded::EMBEDDED_RULES {
        let target = dir.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(fail(parent))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(fail(&target))?;
        std::io::Write::write_all(&mut file, body.as_bytes()).map_err(fail(&target))?;
        written.push(target);
    }
    Ok(written)
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
