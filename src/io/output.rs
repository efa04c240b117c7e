//! Output files that cannot be mistaken for a finished run, and that never clobber
//! their own input.
//!
//! A file of decisions is written to a temporary file beside its target and renamed
//! onto it only when the run is done ([`OutputFile::commit`]); any earlier file of that
//! name is removed when writing starts. A run that dies midway therefore leaves no file
//! that looks like its result, only a `.partial` one. Standard output (`-`) and
//! targets that are not regular files (`/dev/null`, a pipe) are written directly.
//! Every write error names the file.
//!
//! [`refuse_same_files`] checks, before anything is read, that no output is also an
//! input or another output (through a symlink or a hard link too).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where an output goes.
enum Target {
    Stdout(BufWriter<io::Stdout>),
    /// Written directly: a device or a pipe, which cannot be renamed onto.
    Direct(BufWriter<File>),
    /// Written to `temp`, renamed onto `target` at the end.
    Staged {
        file: BufWriter<File>,
        temp: PathBuf,
        target: PathBuf,
    },
}

/// An output file (or standard output) being written.
pub struct OutputFile {
    target: Option<Target>,
    /// The name the user gave, for messages.
    name: String,
}

/// Whether `path` names standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

impl OutputFile {
    /// Standard output.
    pub fn stdout() -> OutputFile {
        OutputFile {
            target: Some(Target::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            ))),
            name: "standard output".to_string(),
        }
    }

    /// Starts writing `path` (`-` is standard output). A regular file (or a new one) is
    /// staged beside the target, and the target is removed until [`commit`] renames the
    /// finished file onto it.
    ///
    /// [`commit`]: OutputFile::commit
    pub fn create(path: &Path) -> io::Result<OutputFile> {
        if is_stdout(path) {
            return Ok(OutputFile::stdout());
        }
        let name = path.display().to_string();
        let named = |e: io::Error| io::Error::new(e.kind(), format!("{name}: {e}"));
        let target = match std::fs::metadata(path) {
            Ok(m) if !m.is_file() => {
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .truncate(true)
                    .open(path)
                    .map_err(named)?;
                Target::Direct(BufWriter::with_capacity(1 << 16, f))
            }
            existing => {
                // Through a symlink, the file it points to is replaced, not the link.
                let target = if existing.is_ok() {
                    path.canonicalize().map_err(named)?
                } else {
                    path.to_path_buf()
                };
                let dir = target
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let file_name = target
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .ok_or_else(|| named(io::Error::other("not a file name")))?;
                let temp = dir.join(format!(
                    ".{file_name}.embargo-{}.partial",
                    std::process::id()
                ));
                let f = File::create(&temp).map_err(named)?;
                if existing.is_ok() {
                    // A stale result of an earlier run must not pass for this one's.
                    if let Err(e) = std::fs::remove_file(&target) {
                        let _ = std::fs::remove_file(&temp);
                        return Err(named(e));
                    }
                }
                Target::Staged {
                    file: BufWriter::with_capacity(1 << 16, f),
                    temp,
                    target,
                }
            }
        };
        Ok(OutputFile {
            target: Some(target),
            name,
        })
    }

    /// Starts writing a log to `path` (`-` is standard output): written in place, so
    /// that what a run wrote before it died can be read. A log of rejected records is
    /// one, flushed after each.
    pub fn log(path: &Path) -> io::Result<OutputFile> {
        if is_stdout(path) {
            return Ok(OutputFile::stdout());
        }
        let name = path.display().to_string();
        let f = File::create(path).map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")))?;
        Ok(OutputFile {
            target: Some(Target::Direct(BufWriter::new(f))),
            name,
        })
    }

    /// The name the output was given.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn named(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("{}: {e}", self.name))
    }

    /// Flushes everything and, for a staged file, syncs it and renames it onto its
    /// target: from here on the output is complete.
    pub fn commit(mut self) -> io::Result<()> {
        match self.target.take() {
            None => Ok(()),
            Some(Target::Stdout(mut w)) => w.flush().map_err(|e| self.named(e)),
            Some(Target::Direct(mut w)) => w.flush().map_err(|e| self.named(e)),
            Some(Target::Staged { file, temp, target }) => {
                let done = file
                    .into_inner()
                    .map_err(io::IntoInnerError::into_error)
                    .and_then(|f| f.sync_all())
                    .and_then(|()| std::fs::rename(&temp, &target));
                if let Err(e) = done {
                    let _ = std::fs::remove_file(&temp);
                    return Err(self.named(e));
                }
                Ok(())
            }
        }
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = match &mut self.target {
            Some(Target::Stdout(w)) => w.write(buf),
            Some(Target::Direct(w)) => w.write(buf),
            Some(Target::Staged { file, .. }) => file.write(buf),
            None => Ok(0),
        };
        r.map_err(|e| self.named(e))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let r = match &mut self.target {
            Some(Target::Stdout(w)) => w.write_all(buf),
            Some(Target::Direct(w)) => w.write_all(buf),
            Some(Target::Staged { file, .. }) => file.write_all(buf),
            None => Ok(()),
        };
        r.map_err(|e| self.named(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = match &mut self.target {
            Some(Target::Stdout(w)) => w.flush(),
            Some(Target::Direct(w)) => w.flush(),
            Some(Target::Staged { file, .. }) => file.flush(),
            None => Ok(()),
        };
        r.map_err(|e| self.named(e))
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        // Not committed: the run failed, and its partial output goes.
        if let Some(Target::Staged { temp, .. }) = &self.target {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// Fails when an output would overwrite an input or another output, before anything
/// is read or written: `screen X -o X` would otherwise truncate its input to nothing.
/// `-` is standard input among `inputs` and standard output among `outputs`; two
/// outputs to standard output are refused too, as their lines would mix.
///
/// # Examples
///
/// ```
/// use std::path::Path;
/// use embargo::io::output::refuse_same_files;
/// let dir = std::env::temp_dir();
/// let orders = dir.join(format!("embargo-doc-orders-{}.jsonl", std::process::id()));
/// std::fs::write(&orders, "")?;
/// assert!(refuse_same_files(&[&orders], &[&orders]).is_err());
/// assert!(refuse_same_files(&[&orders], &[Path::new("-"), &dir.join("out.jsonl")]).is_ok());
/// assert!(refuse_same_files(&[], &[Path::new("-"), Path::new("-")]).is_err());
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn refuse_same_files(inputs: &[&Path], outputs: &[&Path]) -> Result<(), String> {
    for (k, out) in outputs.iter().enumerate() {
        for input in inputs {
            if !is_stdout(input) && !is_stdout(out) && same_file(input, out) {
                return Err(format!(
                    "{} is both an input and an output: it would be overwritten before it is read",
                    out.display()
                ));
            }
        }
        for other in outputs.iter().skip(k + 1) {
            let both_stdout = is_stdout(out) && is_stdout(other);
            if both_stdout || (!is_stdout(out) && !is_stdout(other) && same_file(out, other)) {
                return Err(format!(
                    "{} is given as two outputs: their lines would be mixed",
                    other.display()
                ));
            }
        }
    }
    Ok(())
}

/// Whether two paths name the same file: the same inode when both exist (symlinks and
/// hard links included), else the same place once their folders are resolved.
fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            return ma.dev() == mb.dev() && ma.ino() == mb.ino();
        }
        #[cfg(not(unix))]
        {
            let _ = (ma, mb);
        }
    }
    let resolve = |p: &Path| -> Option<PathBuf> {
        if let Ok(c) = p.canonicalize() {
            return Some(c);
        }
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = parent.unwrap_or(Path::new(".")).canonicalize().ok()?;
        Some(dir.join(p.file_name()?))
    };
    match (resolve(a), resolve(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_file_appears_only_on_commit() {
        let dir = std::env::temp_dir().join(format!("embargo-output-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let target = dir.join("decisions.jsonl");
        std::fs::write(&target, "stale\n").expect("write");
        let mut out = OutputFile::create(&target).expect("create");
        out.write_all(b"fresh\n").expect("write");
        out.flush().expect("flush");
        assert!(!target.exists(), "the stale result is gone while writing");
        out.commit().expect("commit");
        assert_eq!(
            std::fs::read_to_string(&target).ok().as_deref(),
            Some("fresh\n")
        );

        let mut out = OutputFile::create(&target).expect("create");
        out.write_all(b"half").expect("write");
        drop(out);
        assert!(!target.exists());
        let left: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(Result::ok)
            .collect();
        assert!(left.is_empty(), "no partial file is left behind: {left:?}");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_to_an_input_are_the_input() {
        let dir = std::env::temp_dir().join(format!("embargo-same-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let input = dir.join("orders.jsonl");
        std::fs::write(&input, "{}\n").expect("write");
        let link = dir.join("link.jsonl");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&input, &link).expect("symlink");
        assert!(refuse_same_files(&[&input], &[&link]).is_err());
        let new = dir.join("new.jsonl");
        assert!(refuse_same_files(&[&input], &[&new, &dir.join("./new.jsonl")]).is_err());
        assert!(refuse_same_files(&[&input], &[&new]).is_ok());
    }
}
