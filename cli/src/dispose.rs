//! `embargo dispose`: records that a hit under review is not the listed party, as an
//! `allow` item that later screening honours and reports.
//!
//! The hit comes from a decision (`--decisions FILE --order ID`, as `screen` or
//! `rescreen` wrote it) or is named outright (`--entity ID --name NAME`). Either way the
//! allowance covers the hit's entity and every entry linked to it. With `-o FILE` the
//! items are appended to that allow file, which is checked with the rules before and
//! after: a file with errors is refused (FILE:LINE:COL), and a write that would break
//! it is undone.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use clap::Args;

use embargo::engine::links::Links;
use embargo::refdata::date::{civil_from_days, days_from_civil, today_utc};
use embargo::watch::dispose::{from_decision, group, Clearance, Disposition};
use embargo::Ruleset;

use super::{Context, Exit, Failure, RulesArgs};

/// Arguments of `embargo dispose`.
#[derive(Debug, Args)]
pub struct DisposeArgs {
    #[command(flatten)]
    rules: RulesArgs,
    /// Decisions (JSON lines) holding the order whose hits are cleared.
    #[arg(long, value_name = "FILE", requires = "order")]
    decisions: Option<PathBuf>,
    /// The order's id in `--decisions`.
    #[arg(long, value_name = "ID", requires = "decisions")]
    order: Option<String>,
    /// The listed entity cleared (`ofac-sdn:36`); with `--decisions`, only its hit.
    #[arg(long, value_name = "ENTITY_ID")]
    entity: Option<String>,
    /// The party name as screened (without `--decisions`).
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with = "decisions",
        requires = "entity"
    )]
    name: Option<String>,
    /// With `--decisions`: only the hits of this input field (`parties[1].name`).
    #[arg(long, value_name = "FIELD", requires = "decisions")]
    field: Option<String>,
    /// Why the hit is not the listed party ("false positive: different date of birth").
    #[arg(long, value_name = "TEXT")]
    reason: String,
    /// Who cleared it.
    #[arg(long, value_name = "WHO")]
    by: String,
    /// When it was cleared, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// The last day it applies, YYYY-MM-DD (default: a year after `--on`).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Only for a party in this country.
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// Also clear hits that made the order `block` (refused without it: a block says
    /// the party is the listed one, which a reviewer must have disproved).
    #[arg(long)]
    clear_block: bool,
    /// The allow file to append to (created when missing); `-`, the default, prints.
    #[arg(short = 'o', long = "output", value_name = "FILE", default_value = "-")]
    output: PathBuf,
}

/// A year after `date`, or `None` when it is no date.
fn a_year_after(date: &str) -> Option<String> {
    let (y, m, d) = civil_from_days(days_from_civil(date)? + 365);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// The rules arguments with `file` loaded too (once).
fn with_file(args: &RulesArgs, file: &Path) -> RulesArgs {
    let mut args = args.clone();
    let same = |p: &PathBuf| p.canonicalize().ok() == file.canonicalize().ok();
    if !args.rules.is_empty() {
        if !args.rules.iter().any(same) {
            args.rules.push(file.to_path_buf());
        }
    } else if !args.add_rules.iter().any(same) {
        args.add_rules.push(file.to_path_buf());
    }
    args
}

/// The decision line of order `id` in `path`.
fn decision_of(path: &Path, id: &str) -> Result<serde_json::Value, Failure> {
    let file = std::fs::File::open(path)
        .map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| Failure(format!("{}:{}: not a decision: {e}", path.display(), n + 1)))?;
        let this = match v.get("id") {
            Some(serde_json::Value::String(s)) => s == id,
            Some(serde_json::Value::Number(k)) => k.to_string() == id,
            _ => false,
        };
        if this {
            return Ok(v);
        }
    }
    Err(Failure(format!(
        "no decision of order `{id}` in {}",
        path.display()
    )))
}

/// Writes the allowances; exit 1 when they cannot be made or the file is refused.
pub fn run(ctx: &Context, args: &DisposeArgs) -> Result<Exit, Failure> {
    let on = args.on.clone().unwrap_or_else(today_utc);
    if days_from_civil(&on).is_none() {
        return Err(Failure(format!("--on `{on}` is not a date (YYYY-MM-DD)")));
    }
    let until = match &args.until {
        Some(u) if days_from_civil(u).is_none() => {
            return Err(Failure(format!("--until `{u}` is not a date (YYYY-MM-DD)")))
        }
        Some(u) if *u < on => {
            return Err(Failure(format!("--until {u} is before --on {on}")));
        }
        Some(u) => u.clone(),
        None => a_year_after(&on).unwrap_or_default(),
    };
    for (what, text) in [("--reason", &args.reason), ("--by", &args.by)] {
        if text.trim().is_empty() {
            return Err(Failure(format!("{what} must not be empty")));
        }
    }
    let stdout = args.output.as_os_str() == "-";
    if let Some(d) = &args.decisions {
        super::outputs::refuse_input_as_output(&args.output, &[d])?;
    }
    // The rules as they will screen: with the allow file when it exists, so that a file
    // with errors is refused before anything is added to it.
    let rules = if !stdout && args.output.exists() {
        with_file(&args.rules, &args.output)
    } else {
        args.rules.clone()
    };
    let ruleset = ctx.ruleset(&rules)?;
    let clearance = Clearance {
        because: args.reason.trim().to_string(),
        by: args.by.trim().to_string(),
        on,
        expires: Some(until),
        country: args.country.clone(),
        blocks: args.clear_block,
    };
    let mut found = match (&args.decisions, &args.order) {
        (Some(path), Some(order)) => {
            let decision = decision_of(path, order)?;
            from_decision(
                &decision,
                &ruleset,
                args.entity.as_deref(),
                args.field.as_deref(),
                &clearance,
            )
            .map_err(|e| Failure(format!("order `{order}`: {e}")))?
        }
        _ => {
            let (Some(entity), Some(name)) = (&args.entity, &args.name) else {
                return Err(Failure(
                    "name the hit: --decisions FILE --order ID, or --entity ID --name NAME"
                        .to_string(),
                ));
            };
            let links = Links::new(&ruleset);
            vec![Disposition {
                order: None,
                entities: group(&ruleset, &links, entity.trim(), &[]),
                party: name.clone(),
                country: clearance.country.clone(),
                because: clearance.because.clone(),
                by: clearance.by.clone(),
                on: clearance.on.clone(),
                expires: clearance.expires.clone(),
            }]
        }
    };
    let text = items(&ruleset, &mut found)?;
    if stdout {
        print!("{text}");
        return Ok(Exit::Ok);
    }
    append_checked(ctx, args, &text)?;
    for d in &found {
        eprintln!(
            "{}: cleared {} for \"{}\" until {}",
            args.output.display(),
            d.entities.join(", "),
            d.party,
            d.expires.as_deref().unwrap_or("-")
        );
    }
    Ok(Exit::Ok)
}

/// The `allow` items of `found`, each with an id no loaded allowance has; linked
/// entries the lists no longer hold are left out (an unknown entity is an error in
/// the rules), and a hit whose own entity is gone is refused.
fn items(ruleset: &Ruleset, found: &mut [Disposition]) -> Result<String, Failure> {
    let known = |id: &str| {
        ruleset
            .entities()
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .is_ok()
    };
    let mut taken: std::collections::HashSet<String> =
        ruleset.allows().iter().map(|a| a.id.clone()).collect();
    let mut text = String::new();
    for d in found.iter_mut() {
        match d.entities.first() {
            Some(first) if known(first) => {}
            Some(first) => {
                return Err(Failure(format!(
                    "no listed entity `{first}` in the rules: nothing to clear"
                )))
            }
            None => return Err(Failure("no entity to clear".to_string())),
        }
        d.entities.retain(|e| known(e));
        let base = d.allow_id();
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(id.clone());
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&d.to_rules(&id));
    }
    Ok(text)
}

/// Appends `text` to the allow file and checks the rules with it; on any error the
/// file is put back as it was.
fn append_checked(ctx: &Context, args: &DisposeArgs, text: &str) -> Result<(), Failure> {
    let path = &args.output;
    let before = match std::fs::read_to_string(path) {
        Ok(s) => Some(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Failure(format!("cannot read {}: {e}", path.display()))),
    };
    let mut after = before.clone().unwrap_or_else(|| {
        "# Dispositions: hits reviewed and cleared (embargo dispose, or the report's export).\n"
            .to_string()
    });
    if !after.is_empty() {
        if !after.ends_with('\n') {
            after.push('\n');
        }
        after.push('\n');
    }
    after.push_str(text);
    std::fs::write(path, &after)
        .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))?;
    let checked = ctx.ruleset(&with_file(&args.rules, path));
    if let Err(e) = checked {
        let undo = match &before {
            Some(b) => std::fs::write(path, b),
            None => std::fs::remove_file(path),
        };
        if let Err(u) = undo {
            return Err(Failure(format!(
                "{}; and {} could not be restored: {u}",
                e.0,
                path.display()
            )));
        }
        return Err(Failure(format!("{} (left unchanged)", e.0)));
    }
    Ok(())
}
