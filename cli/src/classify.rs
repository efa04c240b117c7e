//! `embargo classify`: goods categories of one description, or of JSON lines on stdin.

use std::io::{BufWriter, Write};

use clap::Args;
use serde_json::Value;

use embargo::api::{parse_request, ClassifyAnswer, ClassifyRequest};
use embargo::engine::category_results;
use embargo::goods::{Classifier, GoodsLine};
use embargo::order_values::check_currency;
use embargo::refdata::hs::HsCode;

use super::{answer_jsonl, Context, Exit, Failure, RulesArgs};

/// Arguments of `embargo classify`.
#[derive(Debug, Args)]
pub struct ClassifyArgs {
    #[command(flatten)]
    rules: RulesArgs,
    /// Read `{"id","description","hs","value","currency","quantity"}` lines from stdin
    /// and write one result line each, in input order.
    #[arg(long)]
    jsonl: bool,
    /// HS / CN / HTS / Schedule B code, with or without dots.
    #[arg(long, value_name = "CODE")]
    hs: Option<String>,
    /// Declared value of the line.
    #[arg(long, value_name = "V")]
    value: Option<f64>,
    /// Currency of the value (ISO 4217; default USD).
    #[arg(long, value_name = "C")]
    currency: Option<String>,
    /// Number of items on the line (the value is divided by it for thresholds).
    #[arg(long, value_name = "N")]
    quantity: Option<f64>,
    /// The goods description.
    #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
    description: Option<String>,
}

/// Classifies one description (printing one JSON line) or every stdin line.
pub fn run(ctx: &Context, args: &ClassifyArgs) -> Result<Exit, Failure> {
    let ruleset = ctx.ruleset(&args.rules)?;
    let classifier = Classifier::new(&ruleset);
    let answer = |id: Value, line: &GoodsLine| ClassifyAnswer {
        id,
        categories: category_results(&ruleset, classifier.classify(line)),
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if !args.jsonl {
        // The code is checked as an order's is: a code that is no code must not
        // quietly classify by the description alone.
        if let Some(hs) = args.hs.as_deref() {
            HsCode::declared(hs).map_err(|why| Failure(format!("--hs {why}")))?;
        }
        if let Some(c) = args.currency.as_deref() {
            check_currency(c).map_err(|why| Failure(format!("--currency {why}")))?;
        }
        let line = GoodsLine {
            description: args.description.clone(),
            hs: args.hs.clone(),
            value: args.value,
            currency: args.currency.clone(),
            quantity: args.quantity,
        };
        serde_json::to_writer(&mut out, &answer(Value::Null, &line))?;
        writeln!(out)?;
        out.flush()?;
        return Ok(Exit::Ok);
    }
    answer_jsonl(&mut out, |text| {
        let r = parse_request::<ClassifyRequest>(text)?;
        Ok(answer(r.id.clone(), &r.line()?))
    })
}
