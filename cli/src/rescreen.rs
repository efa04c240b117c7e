//! `embargo rescreen`: after a list or rule update, screen again only the orders whose
//! decision can change, and write only the decisions that did.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use embargo::engine::{ScreenOptions, Screener};
use embargo::io::parquet::ParquetOrders;
use embargo::io::{CsvOrders, Rejected};
use embargo::rules::Ruleset;
use embargo::watch::{previous_ruleset, PreviousDecisions, Rescreen};

use super::screen::Format;
use super::{Context, Exit, Failure, RulesArgs};

/// Arguments of `embargo rescreen`.
#[derive(Debug, Args)]
pub struct RescreenArgs {
    /// The new rules (default: the ruleset compiled into the binary).
    #[command(flatten)]
    rules: RulesArgs,
    /// The decisions written for these orders earlier (JSON lines, as `screen` writes).
    #[arg(long, value_name = "DECISIONS")]
    previous: PathBuf,
    /// The rules the previous decisions were made with (a file or folder; repeatable).
    /// Without it, the ruleset compiled into the binary or the new rules themselves,
    /// whichever made the previous decisions (told by their `ruleset` hash).
    #[arg(long = "previous-rules", value_name = "PATH")]
    previous_rules: Vec<PathBuf>,
    /// The rules added to the ruleset compiled into the binary when the previous
    /// decisions were made (`screen --add-rules PATH`; repeatable).
    #[arg(
        long = "previous-add-rules",
        value_name = "PATH",
        conflicts_with = "previous_rules"
    )]
    previous_add_rules: Vec<PathBuf>,
    /// Input format (default: from the file's extension, else jsonl).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the changed decisions here instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
    /// Also write rejected records here, one JSON line each (`{"line","id","error"}`).
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,
    /// Worker threads (default: `batch.threads`, 0 = one per core).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Orders file, the same orders the previous decisions were made for; `-` or
    /// nothing reads stdin.
    #[arg(value_name = "FILE")]
    input: Option<PathBuf>,
}

/// How much of the previous decisions tells which rules made them, for JSON orders.
const SAMPLE_BYTES: u64 = 64 << 20;

fn create(path: &Path) -> Result<BufWriter<File>, Failure> {
    let f = File::create(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    Ok(BufWriter::with_capacity(1 << 16, f))
}

/// The ruleset the previous decisions were made with: `--previous-rules` (`given`),
/// or whichever of the new rules and the embedded ones made most of them.
fn old_ruleset(
    given: Option<Ruleset>,
    embedded: Option<Ruleset>,
    new: &Ruleset,
    previous: &PreviousDecisions,
) -> Result<Ruleset, Failure> {
    let named: Vec<String> = previous
        .rulesets()
        .map(|(h, n)| format!("{h} ({n} decisions)"))
        .collect();
    if let Some(old) = given {
        if previous_ruleset(previous, std::slice::from_ref(&old)).is_none() {
            return Err(Failure(format!(
                "none of the previous decisions was made with the previous rules given ({}); they name {}",
                old.hash(),
                named.join(", ")
            )));
        }
        return Ok(old);
    }
    let mut candidates = vec![new.clone()];
    candidates.extend(embedded);
    previous_ruleset(previous, &candidates).ok_or_else(|| {
        Failure(format!(
            "the previous decisions were made with {}, which is neither the new ruleset ({}) nor the one compiled into this binary; give those rules with --previous-rules, or with --previous-add-rules when they were added to the built-in ones",
            if named.is_empty() { "no ruleset (the file holds no decision)".to_string() } else { named.join(", ") },
            new.hash()
        ))
    })
}

/// Re-screens; exit 2 when some records (orders or previous decisions) were rejected.
pub fn run(ctx: &Context, args: &RescreenArgs) -> Result<Exit, Failure> {
    let mut inputs: Vec<&Path> = vec![&args.previous];
    inputs.extend(args.input.as_deref());
    for out in args.output.iter().chain(&args.errors) {
        super::outputs::refuse_input_as_output(out, &inputs)?;
    }
    if let (Some(o), Some(e)) = (&args.output, &args.errors) {
        super::outputs::refuse_input_as_output(o, &[e])?;
    }
    let threads = args.threads.unwrap_or(ctx.settings.batch.threads);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .map_err(|e| Failure(format!("cannot start worker threads: {e}")))?;

    let mut errors = match &args.errors {
        Some(p) => Some(create(p)?),
        None => None,
    };
    let rejected_lines = std::sync::Mutex::new(Vec::<String>::new());
    let report = |what: &str, r: &Rejected| {
        let id =
            r.id.as_deref()
                .map(|i| format!(" (order {i})"))
                .unwrap_or_default();
        // `what`: the input and its unit (`orders line`, `orders row` for Parquet).
        eprintln!("{what} {}{id}: {}", r.line, r.error);
        if let Ok(line) = serde_json::to_string(r) {
            rejected_lines
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(line);
        }
    };

    // Which rules made the previous decisions is told by the first of them (JSON
    // orders then read their decisions in step, with no map of them all; CSV orders
    // look theirs up in a map of every decision). They are read, and the old rules
    // compiled, while the new ruleset compiles and its indexes are built, on different
    // cores. Without --previous-rules, the rules embedded in the binary are compiled in
    // case they made the previous decisions.
    let open_previous =
        || super::outputs::open_input(&args.previous).map(|f| BufReader::with_capacity(1 << 16, f));
    let previous_file = open_previous()?;
    // CSV and Parquet orders look their previous decisions up in a map of them all.
    let csv = match args.format {
        Some(f) => f != Format::Jsonl,
        None => args
            .input
            .as_deref()
            .filter(|p| p.as_os_str() != "-")
            .and_then(embargo::io::Format::from_extension)
            .is_some_and(|f| matches!(f, embargo::io::Format::Csv | embargo::io::Format::Parquet)),
    };
    let (read, given, embedded, screener) = std::thread::scope(|s| {
        let reader = s.spawn(|| {
            if csv {
                PreviousDecisions::read(previous_file)
            } else {
                PreviousDecisions::read(previous_file.take(SAMPLE_BYTES))
            }
        });
        let old = s.spawn(|| {
            // The tables of country and city names, which the first order screened
            // again would otherwise build while the other threads wait.
            embargo::reference::warm();
            if !args.previous_rules.is_empty() {
                let rules = super::outputs::rules_at(args.previous_rules.clone());
                (Some(ctx.ruleset(&rules)), None)
            } else if !args.previous_add_rules.is_empty() {
                let rules = RulesArgs {
                    add_rules: args.previous_add_rules.clone(),
                    ..RulesArgs::default()
                };
                (Some(ctx.ruleset(&rules)), None)
            } else if !args.rules.rules.is_empty() || !args.rules.add_rules.is_empty() {
                // New rules other than the embedded ones: the embedded ones may have
                // made the previous decisions.
                (None, Some(ctx.ruleset(&RulesArgs::default())))
            } else {
                (None, None)
            }
        });
        let screener = ctx
            .ruleset(&args.rules)
            .map(|r| Screener::new(r, ScreenOptions::from(&ctx.settings)));
        let failed = |what: &str| Failure(format!("{what} failed"));
        let read = reader
            .join()
            .map_err(|_| failed("reading the previous decisions"));
        let (given, embedded) = match old.join() {
            Ok(pair) => pair,
            Err(_) => (Some(Err(failed("compiling the previous rules"))), None),
        };
        (read, given, embedded, screener)
    });
    let (previous, previous_rejected) =
        read?.map_err(|e| Failure(format!("{}: {e}", args.previous.display())))?;
    let screener = screener?;
    let given = given.transpose()?;
    // The embedded rules are only a guess: when they do not compile (they always do),
    // the new rules may still be the old ones.
    let embedded = embedded.and_then(Result::ok);
    if csv {
        for r in &previous_rejected {
            report(&format!("{} line", args.previous.display()), r);
        }
    }
    let old = old_ruleset(given, embedded, screener.ruleset(), &previous)?;
    let other: u64 = previous
        .rulesets()
        .filter(|(h, _)| *h != old.hash())
        .map(|(_, n)| n)
        .sum();
    if other > 0 && csv {
        eprintln!(
            "note: {other} previous decisions were made with another ruleset than {}; their orders are screened again",
            old.hash()
        );
    }

    let rescreen = crate::until_exit(Rescreen::new(&old, screener));
    // The old rules served the comparison; the orders need only the new ones.
    drop(old);
    eprint!("{}", rescreen.diff().summary());

    let (input, _) = super::outputs::open_orders(args.input.as_deref())?;
    let is_stdin = super::outputs::is_stdin(args.input.as_deref());
    let format = args.format.unwrap_or_else(|| match &args.input {
        Some(p) if !is_stdin => match embargo::io::Format::from_extension(p) {
            Some(embargo::io::Format::Csv) => Format::Csv,
            Some(embargo::io::Format::Parquet) => Format::Parquet,
            _ => Format::Jsonl,
        },
        _ => Format::Jsonl,
    });
    let stdout = std::io::stdout();
    let mut out: Box<dyn Write> = match args.output.as_deref().filter(|o| o.as_os_str() != "-") {
        Some(p) => Box::new(create(p)?),
        None => Box::new(BufWriter::with_capacity(1 << 16, stdout.lock())),
    };
    let orders_unit = if format == Format::Parquet {
        "orders row"
    } else {
        "orders line"
    };
    let on_reject = |r: &Rejected| report(orders_unit, r);
    let chunk = ctx.settings.batch.chunk_size;
    let (summary, previous_rejected) = match format {
        Format::Jsonl => {
            drop(previous);
            let (summary, rejected) =
                rescreen.run_jsonl_in_step(input, open_previous()?, chunk, &mut out, &on_reject)?;
            for r in &rejected {
                report(&format!("{} line", args.previous.display()), r);
            }
            (summary, rejected)
        }
        Format::Csv => {
            let mut orders = CsvOrders::new(input).map_err(Failure)?;
            let summary =
                rescreen.run_records(&mut orders, &previous, chunk, &mut out, &on_reject)?;
            (summary, previous_rejected)
        }
        Format::Parquet => {
            let path = args.input.as_deref().filter(|_| !is_stdin).ok_or_else(|| {
                Failure(
                    "Parquet is read from a file (it is read from its end first): give its path"
                        .to_string(),
                )
            })?;
            drop(input);
            let rows = chunk.clamp(1, 8192);
            let mut orders = ParquetOrders::open(path, &[], rows).map_err(Failure)?;
            let summary =
                rescreen.run_records(&mut orders, &previous, chunk, &mut out, &on_reject)?;
            (summary, previous_rejected)
        }
    };
    out.flush()?;
    if let Some(e) = errors.as_mut() {
        for line in rejected_lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            writeln!(e, "{line}")?;
        }
        e.flush()?;
    }
    eprintln!("{summary}");
    if summary.rejected > 0 || !previous_rejected.is_empty() {
        return Ok(Exit::Rejected);
    }
    Ok(Exit::Ok)
}
