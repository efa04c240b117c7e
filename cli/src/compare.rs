//! `embargo compare`: the similarity of two names, or of JSON-line pairs on stdin.

use std::io::{BufWriter, Write};

use clap::Args;

use embargo::api::{parse_kind, parse_request, CompareAnswer, CompareRequest};
use embargo::matching::{compare, compare_explained};

use super::{answer_jsonl, Exit, Failure};

/// Arguments of `embargo compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// What the names name: person, organization, vessel, aircraft or any.
    #[arg(long, value_name = "K", default_value = "any")]
    kind: String,
    /// Read `{"a":..,"b":..,"kind":..}` lines from stdin and write `{"score":..}` lines.
    #[arg(long)]
    jsonl: bool,
    /// Also print on stderr which words aligned with which, and why.
    #[arg(long)]
    explain: bool,
    /// The first name.
    #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
    a: Option<String>,
    /// The second name.
    #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
    b: Option<String>,
}

/// Prints the score of one pair, or answers every stdin line.
pub fn run(args: &CompareArgs) -> Result<Exit, Failure> {
    let kind = parse_kind(&args.kind).map_err(Failure)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if !args.jsonl {
        let (a, b) = (
            args.a.as_deref().unwrap_or(""),
            args.b.as_deref().unwrap_or(""),
        );
        let e = compare_explained(a, b, kind);
        if args.explain {
            eprintln!("{e}");
        }
        writeln!(out, "{}", e.score)?;
        out.flush()?;
        return Ok(Exit::Ok);
    }
    answer_jsonl(&mut out, |text| {
        let r = parse_request::<CompareRequest>(text)?;
        let (a, b, k) = r.parts()?;
        Ok(CompareAnswer {
            id: r.id.clone(),
            score: compare(a, b, k.or(kind)),
        })
    })
}
