//! `embargo classify`: goods categories of one description, or of JSON lines on stdin.

use std::io::{BufRead, BufWriter, Write};

use clap::Args;
use serde::Serialize;
use serde_json::Value;

use embargo::goods::{Classifier, EvidenceKind, GoodsLine};
use embargo::rules::Ruleset;

use super::{Context, Exit, Failure, RulesArgs};

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

/// The wire form of one result line (contract: `classify --jsonl`).
#[derive(Serialize)]
struct Output<'a> {
    id: &'a Value,
    categories: Vec<CategoryOut<'a>>,
}

#[derive(Serialize)]
struct CategoryOut<'a> {
    id: &'a str,
    title: &'a str,
    tags: &'a [String],
    basis: &'a [String],
    evidence: Vec<EvidenceOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit_value_usd: Option<f64>,
}

#[derive(Serialize)]
struct EvidenceOut {
    kind: &'static str,
    text: String,
    start: usize,
    end: usize,
}

fn output<'a>(
    ruleset: &'a Ruleset,
    classifier: &Classifier,
    id: &'a Value,
    line: &GoodsLine,
) -> Output<'a> {
    let categories = classifier
        .classify(line)
        .into_iter()
        .filter_map(|m| {
            let c = ruleset.categories.get(m.category)?;
            Some(CategoryOut {
                id: &c.id,
                title: &c.title,
                tags: &c.tags,
                basis: &c.basis,
                evidence: m
                    .evidence
                    .into_iter()
                    .map(|e| EvidenceOut {
                        kind: match e.kind {
                            EvidenceKind::Term => "term",
                            EvidenceKind::Hs => "hs",
                        },
                        text: e.text,
                        start: e.start,
                        end: e.end,
                    })
                    .collect(),
                unit_value_usd: m.unit_value_usd,
            })
        })
        .collect();
    Output { id, categories }
}

/// Reads one input line; the error says what is wrong in words.
fn parse_line(text: &str) -> Result<(Value, GoodsLine), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(map) = v else {
        return Err("expected a JSON object".into());
    };
    let description = match map.get("description") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => return Err("missing \"description\"".into()),
        Some(_) => return Err("\"description\" must be a string".into()),
    };
    let text_field = |name: &str| -> Result<Option<String>, String> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(format!("\"{name}\" must be a string")),
        }
    };
    let number = |name: &str| -> Result<Option<f64>, String> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(Value::String(s)) => s
                .trim()
                .replace(',', "")
                .parse::<f64>()
                .map(Some)
                .map_err(|_| format!("\"{name}\" must be a number")),
            Some(_) => Err(format!("\"{name}\" must be a number")),
        }
    };
    let line = GoodsLine {
        description,
        hs: text_field("hs")?,
        value: number("value")?,
        currency: text_field("currency")?,
        quantity: number("quantity")?,
    };
    let id = map.get("id").cloned().unwrap_or(Value::Null);
    Ok((id, line))
}

/// Classifies one description (printing one JSON line) or every stdin line.
pub fn run(ctx: &Context, args: &ClassifyArgs) -> Result<Exit, Failure> {
    let ruleset = ctx.ruleset(&args.rules)?;
    let classifier = Classifier::new(&ruleset);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if !args.jsonl {
        let line = GoodsLine {
            description: args.description.clone().unwrap_or_default(),
            hs: args.hs.clone(),
            value: args.value,
            currency: args.currency.clone(),
            quantity: args.quantity,
        };
        let result = output(&ruleset, &classifier, &Value::Null, &line);
        serde_json::to_writer(&mut out, &result)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(Exit::Ok);
    }
    let mut rejected = 0usize;
    for (n, text) in std::io::stdin().lock().lines().enumerate() {
        let text = text?;
        if text.trim().is_empty() {
            continue;
        }
        match parse_line(&text) {
            Ok((id, line)) => {
                let result = output(&ruleset, &classifier, &id, &line);
                serde_json::to_writer(&mut out, &result)?;
                writeln!(out)?;
            }
            Err(message) => {
                rejected += 1;
                eprintln!("line {}: {message}", n + 1);
            }
        }
    }
    out.flush()?;
    if rejected > 0 {
        eprintln!("{rejected} line(s) rejected");
        Ok(Exit::Rejected)
    } else {
        Ok(Exit::Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_names_the_fault() {
        let (id, line) = parse_line(r#"{"id":"a","description":"x","hs":870324,"value":"1,000"}"#)
            .expect("valid line");
        assert_eq!(id, Value::String("a".into()));
        assert_eq!(line.hs.as_deref(), Some("870324"));
        assert_eq!(line.value, Some(1000.0));
        assert!(parse_line("{").is_err());
        assert!(parse_line("[]").is_err());
        assert!(parse_line(r#"{"id":1}"#).is_err());
        assert!(parse_line(r#"{"description":"x","value":"lots"}"#).is_err());
    }
}
