//! `embargo lists diff OLD NEW`: what changed between two versions of the lists.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use embargo::rules::{CompileOptions, Ruleset};
use embargo::watch::{diff, ChangeKind, DiffOptions};

use super::{Context, Exit, Failure};

/// Arguments of `embargo lists`.
#[derive(Debug, Args)]
pub struct ListsArgs {
    #[command(subcommand)]
    command: ListsCommand,
}

#[derive(Debug, Subcommand)]
enum ListsCommand {
    /// Entities added, removed and changed between two rulesets, per list: JSON lines
    /// `{"list","entity","change","name","fields"?,"details"?,"as_of"}`, and a summary
    /// on stderr (on a terminal, readable lines instead of JSON).
    Diff(DiffArgs),
}

/// Arguments of `embargo lists diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old rules: a file, or a folder read recursively for *.emb.
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The new rules: a file or a folder.
    #[arg(value_name = "NEW")]
    new: PathBuf,
    /// Only this list (by name, e.g. ofac-sdn); repeatable.
    #[arg(long = "list", value_name = "NAME")]
    lists: Vec<String>,
    /// JSON lines even when standard output is a terminal.
    #[arg(long)]
    jsonl: bool,
    /// Write the JSON lines here instead of standard output (`-` is standard output).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
}

/// Rules from `path`, read as lists: unlike the rules a command screens with, a list
/// file alone decides nothing and needs no decision rule.
fn load_lists(path: &Path) -> Result<Ruleset, Failure> {
    // No age warning: a diff compares old versions on purpose.
    let options = CompileOptions {
        max_list_age_days: None,
        ..CompileOptions::default()
    };
    let checked = embargo::rules::load_paths(&[path.to_path_buf()], &options)?;
    checked.into_ruleset().map_err(|e| {
        eprint!("{}", e.diagnostics().unwrap_or_default());
        Failure(format!(
            "{}: the rules have {} error(s); run `embargo check --rules {}` for details",
            path.display(),
            e.error_count(),
            path.display()
        ))
    })
}

/// Runs `embargo lists ...`.
pub fn run(_ctx: &Context, args: &ListsArgs) -> Result<Exit, Failure> {
    match &args.command {
        ListsCommand::Diff(a) => run_diff(a),
    }
}

fn run_diff(args: &DiffArgs) -> Result<Exit, Failure> {
    if let Some(out) = args.output.as_deref().filter(|o| o.as_os_str() != "-") {
        super::outputs::refuse_input_as_output(out, &[&args.old, &args.new])?;
    }
    let load = |path: &PathBuf| load_lists(path);
    let (old, new) = (load(&args.old)?, load(&args.new)?);
    let d = diff(
        &old,
        &new,
        &DiffOptions {
            lists: args.lists.clone(),
        },
    );
    for wanted in &args.lists {
        if !old
            .lists()
            .iter()
            .chain(new.lists())
            .any(|l| &l.name == wanted)
        {
            return Err(Failure(format!(
                "no list `{wanted}` in either ruleset (lists: {})",
                old.lists()
                    .iter()
                    .chain(new.lists())
                    .map(|l| l.name.as_str())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let to_file = args.output.as_deref().filter(|o| o.as_os_str() != "-");
    let readable = to_file.is_none() && !args.jsonl && std::io::stdout().is_terminal();
    let mut out: Box<dyn Write> = match to_file {
        Some(p) => Box::new(BufWriter::new(
            std::fs::File::create(p).map_err(|e| Failure(format!("{}: {e}", p.display())))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    if readable {
        for c in &d.entities {
            let mark = match c.change {
                ChangeKind::Added => '+',
                ChangeKind::Removed => '-',
                ChangeKind::Changed => '~',
            };
            let fields = if c.fields.is_empty() {
                String::new()
            } else {
                format!(" ({})", c.fields.join(", "))
            };
            writeln!(out, "{mark} {} {}{fields}", c.entity, c.name)?;
        }
        write!(out, "{}", d.summary())?;
    } else {
        for c in &d.entities {
            serde_json::to_writer(&mut out, c)?;
            writeln!(out)?;
        }
        eprint!("{}", d.summary());
    }
    out.flush()?;
    Ok(Exit::Ok)
}
