//! `embargo screen`: decisions for a file of orders (JSON lines, CSV or Parquet), in
//! input order, as JSON lines or a Parquet file, with a summary on stderr.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use embargo::batch::{self, Sinks};
use embargo::engine::OrderDecision;
use embargo::io::output::{is_stdout, refuse_same_files, OutputFile};
use embargo::io::parquet::{ParquetDecisions, ParquetOrders};
use embargo::io::{CsvOrders, JsonlOrders, OrderReader, Rejected};

use super::{Context, Exit, Failure, RulesArgs};

/// Input file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON order per line.
    Jsonl,
    /// A header row, then one order per row (see the README for the columns).
    Csv,
    /// A Parquet file with the columns of a CSV file (read from a file, not stdin).
    Parquet,
}

/// Output file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON decision per line.
    Jsonl,
    /// A Parquet file of decisions, one row each (the columns of the Python
    /// package's `screen_arrow`).
    Parquet,
}

/// Arguments of `embargo screen`.
#[derive(Debug, Args)]
pub struct ScreenArgs {
    #[command(flatten)]
    rules: RulesArgs,
    /// Input format (default: from the file's extension, else from its first bytes,
    /// else jsonl).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write decisions here instead of stdout (`-` is stdout). The file appears when
    /// the run is done; until then it is written beside, as a `.partial` file.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
    /// Output format (default: parquet for an OUT ending in `.parquet` or `.pq`,
    /// else jsonl; standard output is always jsonl).
    #[arg(long, value_enum)]
    output_format: Option<OutputFormat>,
    /// A CSV column that holds nothing to screen (an internal note); repeatable.
    /// Any other column embargo does not read is an error.
    #[arg(long = "ignore-column", value_name = "NAME")]
    ignore_columns: Vec<String>,
    /// Also write rejected records here, one JSON line each (`{"line","id","error"}`).
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,
    /// Worker threads (default: `batch.threads`, 0 = one per core).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// No progress bar, even on a terminal.
    #[arg(long)]
    no_progress: bool,
    /// Orders file; `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    input: Option<PathBuf>,
}

/// The input's format: `--format`, else the file's extension, else its first bytes.
/// Only a guess from the bytes is said on stderr, once, with how to choose.
fn format_of(args: &ScreenArgs, input: &mut dyn BufRead) -> Result<Format, Failure> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    let named = args.input.as_deref().filter(|p| p.as_os_str() != "-");
    match named.and_then(embargo::io::Format::from_extension) {
        Some(embargo::io::Format::Csv) => return Ok(Format::Csv),
        Some(embargo::io::Format::Jsonl) => return Ok(Format::Jsonl),
        Some(embargo::io::Format::Parquet) => return Ok(Format::Parquet),
        None => {}
    }
    let head = input.fill_buf()?;
    let what = named.map_or("standard input".to_string(), |p| p.display().to_string());
    match embargo::io::Format::sniff(head) {
        Some(embargo::io::Format::Csv) => {
            eprintln!("note: {what} is read as CSV (its first line is not JSON); pass --format csv or --format jsonl to choose");
            Ok(Format::Csv)
        }
        Some(embargo::io::Format::Parquet) => Ok(Format::Parquet),
        _ => Ok(Format::Jsonl),
    }
}

/// The output's format: `--output-format`, else the extension of `-o`. Parquet is
/// not written to standard output, which stays JSON lines.
fn output_format_of(args: &ScreenArgs, path: &Path) -> Result<OutputFormat, Failure> {
    let by_name = (!is_stdout(path))
        .then(|| embargo::io::Format::from_extension(path))
        .flatten();
    match (args.output_format, by_name) {
        (Some(OutputFormat::Parquet), _) if is_stdout(path) => Err(Failure(
            "Parquet decisions are written to a file (-o FILE.parquet); standard output takes JSON lines"
                .to_string(),
        )),
        (Some(f), _) => Ok(f),
        (None, Some(embargo::io::Format::Parquet)) => Ok(OutputFormat::Parquet),
        (None, _) => Ok(OutputFormat::Jsonl),
    }
}

/// Counts the bytes read so the progress bar can show how far through the file we are.
struct Counting<R> {
    inner: R,
    bytes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.bytes
            .fetch_add(amt as u64, std::sync::atomic::Ordering::Relaxed);
        self.inner.consume(amt);
    }
}

/// Screens every order of the input; exit 2 when some records were rejected.
pub fn run(ctx: &Context, args: &ScreenArgs) -> Result<Exit, Failure> {
    // Before anything is read: `screen X -o X` would truncate its own input.
    let stdin = Path::new("-");
    let input_path = args.input.as_deref().unwrap_or(stdin);
    let decisions_path = args.output.as_deref().unwrap_or(stdin);
    let mut outputs = vec![decisions_path];
    outputs.extend(args.errors.as_deref());
    refuse_same_files(&[input_path], &outputs).map_err(Failure)?;

    // Place tests need the country and city names of every language; built on the
    // other core while the rules load, they cost a one-order run no wall time.
    std::thread::spawn(embargo::reference::warm);
    let ruleset = ctx.ruleset(&args.rules)?;
    let screener = crate::screener_until_exit(ruleset, &ctx.settings);
    for warning in screener.staleness_warnings() {
        eprintln!("{warning}");
    }
    let threads = args.threads.unwrap_or(ctx.settings.batch.threads);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .map_err(|e| Failure(format!("cannot start worker threads: {e}")))?;

    let output_format = output_format_of(args, decisions_path)?;
    let (mut input, size) = super::outputs::open_orders(args.input.as_deref())?;
    let format = format_of(args, &mut input)?;
    let bytes = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let input = Counting {
        inner: input,
        bytes: bytes.clone(),
    };
    let mut records: Box<dyn OrderReader> = match format {
        Format::Jsonl => Box::new(JsonlOrders::new(input)),
        Format::Csv => {
            Box::new(CsvOrders::with_ignored(input, &args.ignore_columns).map_err(Failure)?)
        }
        Format::Parquet => {
            let path = args.input.as_deref().filter(|p| !is_stdout(p)).ok_or_else(|| {
                Failure("Parquet is read from a file (it is read from its end first): give its path".to_string())
            })?;
            drop(input);
            let rows = ctx.settings.batch.chunk_size.clamp(1, 8192);
            Box::new(ParquetOrders::open(path, &args.ignore_columns, rows).map_err(Failure)?)
        }
    };

    let out = OutputFile::create(decisions_path)?;
    let mut errors = match &args.errors {
        Some(p) => Some(OutputFile::log(p)?),
        None => None,
    };

    let show_progress =
        ctx.settings.output.progress && !args.no_progress && std::io::stderr().is_terminal();
    let bar = show_progress.then(|| match size {
        Some(n) => ProgressBar::new(n).with_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({eta}) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner(),
    });
    let progress = |done: u64| {
        if let Some(b) = &bar {
            b.set_position(bytes.load(std::sync::atomic::Ordering::Relaxed));
            b.set_message(format!("{done} orders"));
        }
    };
    let report = |r: &Rejected| {
        let id =
            r.id.as_deref()
                .map(|i| format!(" (order {i})"))
                .unwrap_or_default();
        let unit = if format == Format::Parquet {
            "row"
        } else {
            "line"
        };
        let line = format!("{unit} {}{id}: {}", r.line, r.error);
        match &bar {
            Some(b) => b.println(line),
            None => eprintln!("{line}"),
        }
    };
    let mut errors_sink = errors.as_mut().map(|e| e as &mut dyn Write);
    let (mut summary, out) = match output_format {
        OutputFormat::Jsonl => {
            let mut out = out;
            let screen = |order: &embargo::order::Order| {
                let decision = screener.screen(order);
                let line = serde_json::to_string(&decision).unwrap_or_else(|e| {
                    // Serializing plain data cannot fail; say so in the output rather
                    // than lose the order if it ever does.
                    format!(
                        "{{\"id\":{:?},\"error\":\"cannot serialize: {e}\"}}",
                        order.id
                    )
                });
                (decision.decision, line)
            };
            let summary = batch::run(
                &mut *records,
                ctx.settings.batch.chunk_size,
                screen,
                Sinks {
                    out: &mut out,
                    errors: errors_sink.take(),
                    progress: Some(&progress),
                },
                &report,
            )?;
            (summary, out)
        }
        OutputFormat::Parquet => {
            let mut sink = ParquetDecisions::new(out)?;
            let screen = |order: &embargo::order::Order| -> (embargo::Decision, OrderDecision) {
                let decision = screener.screen(order);
                (decision.decision, decision)
            };
            let summary = batch::run_into(
                &mut *records,
                ctx.settings.batch.chunk_size,
                screen,
                &mut sink,
                errors_sink.take(),
                Some(&progress),
                &report,
            )?;
            (summary, sink.finish()?)
        }
    };
    summary.lines = records.lines_read();
    out.commit()?;
    if let Some(e) = errors {
        e.commit()?;
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    eprintln!("{summary}");
    if summary.rejected > 0 {
        return Ok(Exit::Rejected);
    }
    Ok(Exit::Ok)
}
