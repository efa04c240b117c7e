//! `embargo show ENTITY_ID`: a listed entity's details.

use clap::Args;

use embargo::report::EntityDetails;

use super::{Context, Exit, Failure, RulesArgs};

/// Arguments of `embargo show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    rules: RulesArgs,
    /// The entity's id, `SOURCE:ID` (`ofac-sdn:36`, `un:KPi.033`).
    #[arg(value_name = "ENTITY_ID")]
    id: String,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Prints the entity; exit 1 when no entity has that id.
pub fn run(ctx: &Context, args: &ShowArgs) -> Result<Exit, Failure> {
    let ruleset = ctx.ruleset(&args.rules)?;
    let Some(details) = EntityDetails::of(&ruleset, args.id.trim()) else {
        let near = EntityDetails::suggestions(&ruleset, args.id.trim());
        let hint = if near.is_empty() {
            " (to find an entity by name, use `embargo match NAME`)".to_string()
        } else {
            format!("; did you mean {}?", near.join(", "))
        };
        return Err(Failure(format!("no listed entity `{}`{hint}", args.id)));
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&details)?);
    } else {
        print!("{details}");
    }
    Ok(Exit::Ok)
}
