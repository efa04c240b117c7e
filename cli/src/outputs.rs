//! Checks on paths made before anything is read: an output that is also an input
//! would be truncated before it is read (`CONTRACT.md`), and an input that is a
//! folder would fail at its first read with an error that does not name it.

use std::path::{Path, PathBuf};

use super::Failure;

/// The path with its folder resolved, whether or not the file exists yet.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.canonicalize().ok()?,
        _ => std::env::current_dir().ok()?,
    };
    Some(parent.join(path.file_name()?))
}

/// Refuses `output` when it names the same file as one of `inputs` (`-` and absent
/// inputs aside).
pub fn refuse_input_as_output(output: &Path, inputs: &[&Path]) -> Result<(), Failure> {
    if output.as_os_str() == "-" {
        return Ok(());
    }
    let Some(out) = resolved(output) else {
        return Ok(());
    };
    for input in inputs.iter().filter(|i| i.as_os_str() != "-") {
        if resolved(input).is_some_and(|i| i == out) {
            return Err(Failure(format!(
                "the output {} is also an input; refusing to overwrite it",
                output.display()
            )));
        }
    }
    Ok(())
}

/// Opens an input file, naming its path in any error. A folder is refused here: it
/// opens, and only the first read fails, with an error that no longer names it.
pub fn open_input(path: &Path) -> Result<std::fs::File, Failure> {
    let file =
        std::fs::File::open(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Failure(format!(
            "{}: is a folder; name a file",
            path.display()
        )));
    }
    Ok(file)
}

/// Whether an input argument names standard input: none, or `-`.
pub fn is_stdin(path: Option<&Path>) -> bool {
    path.is_none_or(|p| p.as_os_str() == "-")
}

/// The orders input: the file at `path` (see [`open_input`]) with its size when known,
/// or standard input for none or `-`.
pub fn open_orders(
    path: Option<&Path>,
) -> Result<(Box<dyn std::io::BufRead + Send>, Option<u64>), Failure> {
    use std::io::BufReader;
    match path.filter(|p| !is_stdin(Some(p))) {
        None => Ok((Box::new(BufReader::new(std::io::stdin())), None)),
        Some(p) => {
            let f = open_input(p)?;
            let size = f.metadata().ok().map(|m| m.len());
            Ok((Box::new(BufReader::with_capacity(1 << 16, f)), size))
        }
    }
}

/// `--rules` for these paths: the rules loaded are exactly those.
#[expect(
    clippy::field_reassign_with_default,
    reason = "RulesArgs gains flags (--add-rules) that must keep their defaults here"
)]
pub fn rules_at(paths: Vec<std::path::PathBuf>) -> super::RulesArgs {
    let mut args = super::RulesArgs::default();
    args.rules = paths;
    args
}
