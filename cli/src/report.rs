//! `embargo report DECISIONS`: one self-contained HTML page for reviewers.

use std::io::{BufReader, Write};
use std::path::PathBuf;

use clap::Args;

use embargo::io::JsonlOrders;
use embargo::report::{ReportBuilder, ReportOptions};

use super::{Context, Exit, Failure, RulesArgs};

/// Arguments of `embargo report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The rules the decisions were made with, for rule titles and the listed entities'
    /// details (default: the ruleset compiled into the binary).
    #[command(flatten)]
    rules: RulesArgs,
    /// Decisions (JSON lines, as `screen` or `rescreen` write them).
    #[arg(value_name = "DECISIONS")]
    decisions: PathBuf,
    /// Write the page here (default: report.html; `-` is standard output).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "OUT",
        default_value = "report.html"
    )]
    output: PathBuf,
    /// The orders the decisions were made for (JSON lines): the text of each hit is
    /// read from them when a decision does not carry it (decisions of older versions).
    #[arg(long, value_name = "ORDERS")]
    orders: Option<PathBuf>,
    /// Orders held or blocked whose evidence is embedded; past it they are still
    /// counted and listed.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    max_details: usize,
}

/// Writes the report; exit 2 when some lines were not decisions (they are listed on
/// the page and on stderr), exit 1 and nothing written when none was.
pub fn run(ctx: &Context, args: &ReportArgs) -> Result<Exit, Failure> {
    let mut inputs = vec![args.decisions.as_path()];
    inputs.extend(args.orders.as_deref());
    super::outputs::refuse_input_as_output(&args.output, &inputs)?;
    let ruleset = ctx.ruleset(&args.rules)?;
    let title = args
        .decisions
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "decisions".to_string());
    let mut builder = ReportBuilder::new(
        Some(&ruleset),
        ReportOptions {
            title,
            max_details: args.max_details,
            ..ReportOptions::default()
        },
    );
    let file = super::outputs::open_input(&args.decisions)?;
    builder
        .add_lines(BufReader::with_capacity(1 << 16, file))
        .map_err(|e| Failure(format!("{}: {e}", args.decisions.display())))?;
    if let Some(path) = &args.orders {
        if builder.wants_orders() {
            let f = super::outputs::open_input(path)?;
            for record in JsonlOrders::new(BufReader::with_capacity(1 << 16, f)) {
                match record? {
                    Ok((_, order)) => builder.add_order(&order),
                    Err(r) => eprintln!("{} line {}: {}", path.display(), r.line, r.error),
                }
            }
        }
    }
    let report = builder.finish();
    // A file none of whose lines is a decision is the wrong file (orders, say): an
    // empty page and a screenful of per-line errors would hide that.
    if report.counts.total() == 0 {
        if let Some(first) = report.rejected.first() {
            return Err(Failure(format!(
                "{} holds no decisions: line {} is not one ({}); pass the decisions `screen` wrote",
                args.decisions.display(),
                first.line,
                first.error
            )));
        }
    }
    let html = report.to_html();
    if args.output.as_os_str() == "-" {
        std::io::stdout().lock().write_all(html.as_bytes())?;
    } else {
        std::fs::write(&args.output, html.as_bytes())
            .map_err(|e| Failure(format!("{}: {e}", args.output.display())))?;
    }
    for r in &report.rejected {
        eprintln!("{} line {}: {}", args.decisions.display(), r.line, r.error);
    }
    let c = report.counts;
    eprintln!(
        "report of {} decisions ({} block, {} review, {} clear), {} orders in the worklist, {} KB{}",
        c.total(),
        c.block,
        c.review,
        c.clear,
        report.rows.len(),
        html.len() / 1024,
        if args.output.as_os_str() == "-" {
            String::new()
        } else {
            format!(", written to {}", args.output.display())
        }
    );
    if let Some(note) = report.other_rules_note() {
        eprintln!("note: {note}");
    }
    if !report.stale_lists.is_empty() {
        eprintln!(
            "note: decisions made with stale lists: {}",
            report.stale_list_text()
        );
    }
    if report.rejected.is_empty() {
        Ok(Exit::Ok)
    } else {
        Ok(Exit::Rejected)
    }
}
