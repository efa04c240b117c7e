//! `embargo check`: validate rules, print every diagnostic and a summary.

use clap::Args;

use super::{Context, Exit, Failure, RulesArgs};

/// Arguments of `embargo check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    rules: RulesArgs,
}

/// Prints diagnostics on stderr and the summary on stdout; exit 1 on any error.
pub fn run(ctx: &Context, args: &CheckArgs) -> Result<Exit, Failure> {
    let checked = ctx.check_rules(&args.rules)?;
    if !checked.diagnostics.is_empty() {
        eprint!("{}", checked.render_diagnostics());
    }
    let errors = checked.error_count();
    let warnings = checked.warning_count();
    match &checked.ruleset {
        Some(r) if errors == 0 => {
            let names: usize = r.entities().iter().map(|e| 1 + e.aliases.len()).sum();
            let sets = r.place_sets().len() + r.category_sets().len();
            println!(
                "ok: {} files, {} lists, {} entities, {} names, {} categories, {} rules, {} sets, {} allowances",
                checked.sources.len(),
                r.lists().len(),
                r.entities().len(),
                names,
                r.categories().len(),
                r.rules().len(),
                sets,
                r.allows().len()
            );
            for l in r.lists() {
                let count = r
                    .entities()
                    .iter()
                    .filter(|e| r.lists().get(e.list).is_some_and(|x| x.name == l.name))
                    .count();
                println!(
                    "list {} as of {}: {} entities ({})",
                    l.name, l.as_of, count, l.title
                );
            }
            println!("ruleset {}", r.hash());
            if warnings > 0 {
                eprintln!("{warnings} warning(s)");
            }
            Ok(Exit::Ok)
        }
        _ => {
            eprintln!("{errors} error(s), {warnings} warning(s)");
            Ok(Exit::Failure)
        }
    }
}
