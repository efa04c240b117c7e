//! `embargo match`: the listed entities one name matches, or those of JSON-line names
//! on stdin.

use std::io::{BufWriter, Write};

use clap::Args;
use serde_json::Value;

use embargo::api::{parse_kind, parse_request, MatchAnswer, MatchRequest};
use embargo::matching::NameQuery;
use embargo::order_values::check_country;

use super::{answer_jsonl, Context, Exit, Failure, RulesArgs};

/// Arguments of `embargo match`.
#[derive(Debug, Args)]
pub struct MatchArgs {
    #[command(flatten)]
    rules: RulesArgs,
    /// What the name names: person, organization, vessel, aircraft or any.
    #[arg(long, value_name = "K", default_value = "any")]
    kind: String,
    /// The party's country (ISO code or name); a soft signal.
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// Most hits per name (default: `matching.limit`, 10).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1000))]
    limit: Option<u64>,
    /// Lowest score reported (default: `matching.threshold`, 0.8); 0 returns the best
    /// `--limit` whatever their score.
    #[arg(long, value_name = "T", value_parser = unit_interval)]
    threshold: Option<f64>,
    /// Read `{"id","name","kind","country"}` lines from stdin and write one
    /// `{"id","hits"}` line each, in input order.
    #[arg(long)]
    jsonl: bool,
    /// The name to look up.
    #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
    name: Option<String>,
}

fn unit_interval(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(t) if (0.0..=1.0).contains(&t) => Ok(t),
        _ => Err(format!("`{s}` is not a number between 0 and 1")),
    }
}

/// Looks up one name (printing one JSON line) or every stdin line.
pub fn run(ctx: &Context, args: &MatchArgs) -> Result<Exit, Failure> {
    let kind = parse_kind(&args.kind).map_err(Failure)?;
    // A country that is not one is refused before the rules load, as an unknown kind is.
    let country = |text: Option<&str>| -> Result<Option<&'static str>, String> {
        text.map(check_country).transpose().map(Option::flatten)
    };
    let default_country =
        country(args.country.as_deref()).map_err(|why| Failure(format!("--country {why}")))?;
    let ruleset = ctx.ruleset(&args.rules)?;
    let screener = crate::screener_until_exit(ruleset, &ctx.settings);
    for warning in screener.staleness_warnings() {
        eprintln!("{warning}");
    }
    let threshold = args.threshold.unwrap_or(ctx.settings.matching.threshold);
    let limit = args
        .limit
        .map_or(ctx.settings.matching.limit, |l| l as usize);
    let lookup = |id: Value, name: &str, kind, country: Option<&str>, threshold, limit| {
        let mut q = NameQuery::new(name);
        q.kind = kind;
        q.country = country.map(str::to_string);
        MatchAnswer {
            id,
            hits: screener.match_name(&q, threshold, limit),
        }
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if !args.jsonl {
        let name = args.name.as_deref().unwrap_or("");
        let answer = lookup(Value::Null, name, kind, default_country, threshold, limit);
        serde_json::to_writer(&mut out, &answer)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(Exit::Ok);
    }
    answer_jsonl(&mut out, |text| {
        let r = parse_request::<MatchRequest>(text)?;
        let name = r.name()?;
        let k = r.kind()?.or(kind);
        let country = r.country_code()?.or(default_country);
        let t = r.threshold()?.unwrap_or(threshold);
        let l = r.limit()?.unwrap_or(limit);
        Ok(lookup(r.id.clone(), name, k, country, t, l))
    })
}
