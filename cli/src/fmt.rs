//! `embargo fmt`: print rules files in canonical form.

use std::path::PathBuf;

use clap::Args;

use embargo::rules::{load, parser, print, SourceFile, SourceMap};

use super::{Context, Exit, Failure};

/// Arguments of `embargo fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Rules files or folders to format (folders read recursively for `*.emb`, as
    /// `--rules` reads them).
    #[arg(value_name = "PATH")]
    files: Vec<PathBuf>,
    /// Rewrite the files in place instead of printing them.
    #[arg(long, conflicts_with = "check")]
    write: bool,
    /// Print nothing; exit 1 if a file is not in canonical form.
    #[arg(long)]
    check: bool,
}

/// The rules files that `paths` name: a file as given, a folder's `*.emb` files as the
/// rules loader finds them. A folder that holds none is an error, as it is for
/// `--rules`: `fmt --check` passing on it would say nothing.
fn rule_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    if paths.is_empty() {
        return Err(Failure(
            "name the rules files or folders to format, e.g. `embargo fmt --check my-rules/`; \
             `embargo rules export DIR` writes out the shipped rules"
                .to_string(),
        ));
    }
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let found = load::rule_files(path)?;
            if found.is_empty() {
                return Err(Failure(format!(
                    "{}: the folder holds no rule file (*.emb)",
                    path.display()
                )));
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Formats each file; a file with syntax errors is reported and left alone.
pub fn run(_ctx: &Context, args: &FmtArgs) -> Result<Exit, Failure> {
    let mut exit = Exit::Ok;
    for path in &rule_files(&args.files)? {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new(path.display().to_string(), text.clone()));
        let (file, diagnostics) = parser::parse(id, &text);
        if !diagnostics.is_empty() {
            for d in &diagnostics {
                eprint!("{}", d.render(&sources));
            }
            exit = Exit::Failure;
            continue;
        }
        let formatted = print::print_file(&file);
        if args.check {
            if formatted != text {
                eprintln!("{}: not in canonical form", path.display());
                exit = Exit::Failure;
            }
        } else if args.write {
            if formatted != text {
                std::fs::write(path, &formatted)
                    .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))?;
            }
        } else {
            print!("{formatted}");
        }
    }
    Ok(exit)
}
