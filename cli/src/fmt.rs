//! `embargo fmt`: print rules files in canonical form.

use std::path::PathBuf;

use clap::Args;

use embargo::rules::{parser, print, SourceFile, SourceMap};

use super::{Context, Exit, Failure};

/// Arguments of `embargo fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Files to format.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Rewrite the files in place instead of printing them.
    #[arg(long, conflicts_with = "check")]
    write: bool,
    /// Print nothing; exit 1 if a file is not in canonical form.
    #[arg(long)]
    check: bool,
}

/// Formats each file; a file with syntax errors is reported and left alone.
pub fn run(_ctx: &Context, args: &FmtArgs) -> Result<Exit, Failure> {
    let mut exit = Exit::Ok;
    for path in &args.files {
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
