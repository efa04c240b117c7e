//! `embargo compile`: rules compiled once into an artifact (`rules.embc`) that every
//! command, the service and the Python package load in milliseconds with `--rules`,
//! instead of compiling the text and indexing its names at every start.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{Context, Exit, Failure, RulesArgs};

/// Arguments of `embargo compile`.
#[derive(Debug, Args)]
pub struct CompileArgs {
    /// Rules files or folders to compile (as `--rules`, read recursively for *.emb);
    /// none: the embedded default, or that plus `--add-rules`.
    #[arg(value_name = "RULES")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RulesArgs,
    /// Where to write the artifact (`-` for standard output).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: PathBuf,
}

/// Compiles the rules (refusing any with errors, as every command does) and writes
/// their artifact; a summary on stderr.
pub fn run(ctx: &Context, args: &CompileArgs) -> Result<Exit, Failure> {
    let mut rules = args.rules.clone();
    if !args.paths.is_empty() {
        if !rules.add_rules.is_empty() {
            return Err(Failure(
                "give the rules to compile either as paths (exactly those) or with \
                 --add-rules (the embedded ones plus those), not both"
                    .to_string(),
            ));
        }
        rules.rules.extend(args.paths.iter().cloned());
    }
    let inputs: Vec<&std::path::Path> = rules
        .rules
        .iter()
        .chain(&rules.add_rules)
        .map(PathBuf::as_path)
        .collect();
    super::outputs::refuse_input_as_output(&args.output, &inputs)?;
    let started = std::time::Instant::now();
    let ruleset = ctx.ruleset(&rules)?;
    let bytes = ruleset.to_artifact()?;
    if args.output.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)
            .and_then(|()| out.flush())
            .map_err(|e| Failure(format!("cannot write the output: {e}")))?;
    } else {
        // Beside the target, then renamed: a failed run never leaves half an artifact
        // where --rules would find it.
        let tmp = args.output.with_extension("embc.tmp");
        std::fs::write(&tmp, &bytes)
            .and_then(|()| std::fs::rename(&tmp, &args.output))
            .map_err(|e| Failure(format!("cannot write {}: {e}", args.output.display())))?;
    }
    let names: usize = ruleset.entities().iter().map(|e| 1 + e.aliases.len()).sum();
    eprintln!(
        "compiled {} lists, {} entities, {} names, {} categories, {} rules into {} ({:.1} MB) in {:.2} s; ruleset {}",
        ruleset.lists().len(),
        ruleset.entities().len(),
        names,
        ruleset.categories().len(),
        ruleset.rules().len(),
        args.output.display(),
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        ruleset.hash()
    );
    Ok(Exit::Ok)
}
