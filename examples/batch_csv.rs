//! Batch-screen a CSV file of orders in parallel, decisions in input order, with the
//! rejected rows reported by line number. What `embargo screen orders.csv` does, from
//! the library.
//!
//! Run with `cargo run --release --example batch_csv [FILE.csv]` (default:
//! `examples/data/orders.csv`).

use std::fs::File;
use std::io::BufReader;

use embargo::batch::{self, Sinks};
use embargo::io::{CsvOrders, OrderReader};
use embargo::{Ruleset, ScreenOptions, Screener};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/data/orders.csv".to_string());
    let screener = Screener::new(Ruleset::embedded()?, ScreenOptions::default());

    let mut orders = CsvOrders::new(BufReader::new(File::open(&path)?))?;
    let mut out = std::io::stdout().lock();
    let mut summary = batch::run(
        &mut orders,
        1024,
        |order| {
            let decision = screener.screen(order);
            let line = serde_json::to_string(&decision).unwrap_or_default();
            (decision.decision, line)
        },
        Sinks {
            out: &mut out,
            errors: None,
            progress: None,
        },
        &|rejected| eprintln!("{path}: line {}: {}", rejected.line, rejected.error),
    )?;
    summary.lines = orders.lines_read();
    eprintln!("{summary}");
    Ok(())
}
