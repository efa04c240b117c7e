//! `embargo import`: turn an official list file into a rules file.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use embargo::import::{self, Format, ImportOptions};

use super::{Context, Exit, Failure};

/// How many skipped records are listed one by one on stderr (all are counted).
const SKIPPED_SHOWN: usize = 20;

/// Arguments of `embargo import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The list format: ofac-sdn, ofac-cons, un, eu, uk, csl, ftm.
    #[arg(value_parser = parse_format)]
    format: Format,
    /// The list's files. OFAC: the primary file, then any alias (`alt`), address
    /// (`add`) and comments files, told apart by their names.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Write the rules file here instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
    /// Skip malformed records (each reported with its line) instead of failing;
    /// exit 2 when any was skipped. A truncated file fails either way (an OFAC CSV
    /// without the end-of-file mark OFAC ends it with counts as cut).
    #[arg(long)]
    skip_bad: bool,
    /// The list's as-of date (YYYY-MM-DD), overriding the date in the file; required
    /// for formats that carry none (OFAC CSV, CSL) unless the file name holds one.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse::<Format>().map_err(|e| e.to_string())
}

/// Imports, writes the rules, and prints a summary with counts on stderr.
pub fn run(_ctx: &Context, args: &ImportArgs) -> Result<Exit, Failure> {
    let opts = ImportOptions {
        skip_bad: args.skip_bad,
        as_of: args.as_of.clone(),
    };
    let imported = import::import(args.format, &args.inputs, &opts)?;
    let text = import::render(&imported);
    match &args.output {
        Some(path) => {
            // Write beside the target and rename, so that a failed run never leaves a
            // half-written list where the ruleset would load it.
            let tmp = path.with_extension("emb.tmp");
            std::fs::write(&tmp, &text)
                .and_then(|()| std::fs::rename(&tmp, path))
                .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Failure(format!("cannot write the output: {e}")))?;
        }
    }
    let s = &imported.stats;
    for f in &s.files {
        eprintln!("read {}: {} records", f.path.display(), f.records);
    }
    for note in &s.notes {
        eprintln!("note: {note}");
    }
    for skipped in s.skipped.iter().take(SKIPPED_SHOWN) {
        eprintln!("skipped {skipped}");
    }
    if s.skipped.len() > SKIPPED_SHOWN {
        eprintln!("... and {} more skipped", s.skipped.len() - SKIPPED_SHOWN);
    }
    eprintln!(
        "imported {}: {} entities, {} aliases, {} addresses, {} identifiers; {} records skipped, {} unmatched, {} empty",
        args.format,
        s.entities,
        s.aliases,
        s.addresses,
        s.identifiers,
        s.skipped.len(),
        s.unmatched,
        s.empty
    );
    Ok(if s.skipped.is_empty() {
        Exit::Ok
    } else {
        Exit::Rejected
    })
}
