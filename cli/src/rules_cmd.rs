//! `embargo rules export DIR`: the default ruleset compiled into the binary, written
//! out as a folder to read, start from, and load with `--rules DIR`.

use std::path::PathBuf;

use clap::Subcommand;

use super::{Exit, Failure};

/// Subcommands of `embargo rules`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Write the default rules (lists, goods categories, decision rules) into a folder;
    /// `--rules DIR` then loads the same ruleset (same hash). Existing files are kept.
    Export {
        /// The folder to write into (created when missing).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

/// Runs a `rules` subcommand.
pub fn run(command: &RulesCommand) -> Result<Exit, Failure> {
    match command {
        RulesCommand::Export { dir } => {
            let written = embargo::rules::export_embedded(dir)?;
            eprintln!(
                "wrote {} rule files under {}; load them with `--rules {}`",
                written.len(),
                dir.display(),
                dir.display()
            );
            Ok(Exit::Ok)
        }
    }
}
