//! Screening a stream of records with bounded memory, in parallel, in input order.
//!
//! Records are read in chunks; each chunk is screened across the rayon thread pool and
//! written out in input order before the next chunk is read, so memory holds at most
//! one chunk (and the ids met, see [`OrderIds`]) whatever the file's size. Every record
//! ends up either written or rejected, and the [`Summary`] says how many of each.
//!
//! An order whose id an earlier record of the same input already had is rejected
//! (`duplicate order id `PO-7`, first on line 3`): a decision names its order by id
//! only, so two decisions with one id could not be told apart by whoever acts on them
//! or by a re-screen comparing with them.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use rustc_hash::FxHashMap;

use crate::io::{OrderReader, Record, Rejected};
use crate::order::Order;
use crate::rules::Decision;

/// The order ids of one input met so far, each with where it was first met: a second
/// order with one of them is a duplicate. Every reader of a batch of orders (`screen`,
/// `rescreen`, the service, Arrow batches) asks it, so a duplicate is refused alike.
///
/// # Examples
///
/// ```
/// use embargo::batch::OrderIds;
/// let mut ids = OrderIds::new("line");
/// assert!(ids.check(3, "PO-7").is_ok());
/// assert!(ids.check(4, "PO-8").is_ok());
/// assert_eq!(ids.check(9, "PO-7").unwrap_err(), "duplicate order id `PO-7`, first on line 3");
/// ```
#[derive(Debug, Clone)]
pub struct OrderIds {
    first: FxHashMap<Box<str>, u64>,
    place: Place,
}

/// How a position is told in the message of a duplicate.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// A line or row of a file: `first on line 3`.
    Unit(&'static str),
    /// An index into an array of a request body: `first at orders[0]`.
    Index(&'static str),
}

impl OrderIds {
    /// No id met yet; positions are told as `unit` (`line`, `row`).
    pub fn new(unit: &'static str) -> OrderIds {
        OrderIds {
            first: FxHashMap::default(),
            place: Place::Unit(unit),
        }
    }

    /// No id met yet; positions are indexes into the request's array `array`
    /// (`first at orders[0]`).
    ///
    /// ```
    /// let mut ids = embargo::batch::OrderIds::in_array("orders");
    /// assert!(ids.check(0, "PO-7").is_ok());
    /// assert_eq!(ids.check(2, "PO-7").unwrap_err(), "duplicate order id `PO-7`, first at orders[0]");
    /// ```
    pub fn in_array(array: &'static str) -> OrderIds {
        OrderIds {
            first: FxHashMap::default(),
            place: Place::Index(array),
        }
    }

    /// Where `id` was first met, when before; else `id` is taken as met at `at`.
    pub fn first(&mut self, at: u64, id: &str) -> Option<u64> {
        if let Some(&first) = self.first.get(id) {
            return Some(first);
        }
        self.first.insert(Box::from(id), at);
        None
    }

    /// Where `id` was first met, if it was.
    pub fn get(&self, id: &str) -> Option<u64> {
        self.first.get(id).copied()
    }

    /// `Err` with the message for a duplicate when `id` was met before `at`.
    pub fn check(&mut self, at: u64, id: &str) -> Result<(), String> {
        match self.first(at, id) {
            None => Ok(()),
            Some(first) => Err(duplicate_message(
                id,
                &match self.place {
                    Place::Unit(unit) => format!("on {unit} {first}"),
                    Place::Index(array) => format!("at {array}[{first}]"),
                },
            )),
        }
    }

    /// The record, or its rejection when its order's id is a duplicate.
    pub fn record(&mut self, record: Record) -> Record {
        match record {
            Ok((at, order)) => match self.check(at, &order.id) {
                Ok(()) => Ok((at, order)),
                Err(error) => Err(Rejected {
                    line: at,
                    id: Some(order.id),
                    error,
                }),
            },
            rejected => rejected,
        }
    }
}

/// What is said of an order whose id was met before, `first` saying where (`on line
/// 3`, `at orders[0]`).
fn duplicate_message(id: &str, first: &str) -> String {
    format!("duplicate order id `{id}`, first {first}")
}

/// Counts at the end of a batch.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Orders screened, by decision.
    pub decisions: BTreeMap<String, u64>,
    /// Orders screened.
    pub screened: u64,
    /// Records rejected.
    pub rejected: u64,
    /// Physical lines of the input read (set by the caller from the reader's count).
    pub lines: u64,
    /// Wall time.
    #[serde(skip)]
    pub elapsed: Duration,
}

impl Summary {
    /// Orders per second.
    pub fn throughput(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.screened as f64 / secs
        } else {
            0.0
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let get = |d: &str| self.decisions.get(d).copied().unwrap_or(0);
        write!(
            f,
            "screened {} orders ({} block, {} review, {} clear), rejected {} records, {} lines read, {:.1} s, {:.0} orders/s",
            self.screened,
            get("block"),
            get("review"),
            get("clear"),
            self.rejected,
            self.lines,
            self.elapsed.as_secs_f64(),
            self.throughput()
        )
    }
}

/// Where a batch writes.
pub struct Sinks<'a> {
    /// One JSON line per screened order.
    pub out: &'a mut dyn Write,
    /// One JSON line per rejected record (`{"line":..,"id":..,"error":..}`).
    pub errors: Option<&'a mut dyn Write>,
    /// Called after each chunk with the number of records done so far.
    pub progress: Option<&'a dyn Fn(u64)>,
}

/// Where a batch puts what it made of each screened order, in input order.
pub trait Sink<T> {
    /// One screened order.
    fn put(&mut self, item: T) -> std::io::Result<()>;
    /// The end of a chunk (every record read so far is put): a place to write out.
    fn chunk_done(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// JSON lines: one line per screened order.
struct Lines<'a>(&'a mut dyn Write);

impl Sink<String> for Lines<'_> {
    fn put(&mut self, line: String) -> std::io::Result<()> {
        self.0.write_all(line.as_bytes())?;
        self.0.write_all(b"\n")
    }
}

/// Screens every record of `records` with `screen`, which returns the decision and
/// the JSON line to write for an order.
///
/// I/O errors of the input or output stop the batch (they are not a record's fault);
/// rejected records are reported on `sinks.errors` and on stderr via `on_reject`.
pub fn run<F>(
    records: &mut dyn OrderReader,
    chunk_size: usize,
    screen: F,
    sinks: Sinks<'_>,
    on_reject: &dyn Fn(&Rejected),
) -> std::io::Result<Summary>
where
    F: Fn(&Order) -> (Decision, String) + Sync,
{
    let Sinks {
        out,
        errors,
        progress,
    } = sinks;
    let mut lines = Lines(out);
    let summary = run_into(
        records, chunk_size, screen, &mut lines, errors, progress, on_reject,
    )?;
    lines.0.flush()?;
    Ok(summary)
}

/// [`run`], putting what `screen` makes of each order (a JSON line, a decision for a
/// Parquet file) into `out`, chunk by chunk. An order whose id an earlier record had
/// is rejected ([`OrderIds`]).
pub fn run_into<F, T>(
    records: &mut dyn OrderReader,
    chunk_size: usize,
    screen: F,
    out: &mut dyn Sink<T>,
    mut errors: Option<&mut dyn Write>,
    progress: Option<&dyn Fn(u64)>,
    on_reject: &dyn Fn(&Rejected),
) -> std::io::Result<Summary>
where
    F: Fn(&Order) -> (Decision, T) + Sync,
    T: Send,
{
    let started = Instant::now();
    let mut summary = Summary::default();
    let mut chunk: Vec<Record> = Vec::with_capacity(chunk_size);
    let mut ids = OrderIds::new(records.unit());
    let mut records = records.peekable();
    let mut done = 0u64;
    while records.peek().is_some() {
        chunk.clear();
        while chunk.len() < chunk_size.max(1) {
            match records.next() {
                Some(r) => chunk.push(ids.record(r?)),
                None => break,
            }
        }
        let results: Vec<Result<(Decision, T), &Rejected>> = chunk
            .par_iter()
            .map(|r| match r {
                Ok((_, order)) => Ok(screen(order)),
                Err(rejected) => Err(rejected),
            })
            .collect();
        for r in results {
            match r {
                Ok((decision, item)) => {
                    out.put(item)?;
                    summary.screened += 1;
                    *summary
                        .decisions
                        .entry(decision.as_str().to_string())
                        .or_default() += 1;
                }
                Err(rejected) => {
                    summary.rejected += 1;
                    if let Some(e) = errors.as_mut() {
                        let line =
                            serde_json::to_string(rejected).map_err(std::io::Error::other)?;
                        e.write_all(line.as_bytes())?;
                        e.write_all(b"\n")?;
                        // A run that dies later still shows what it rejected.
                        e.flush()?;
                    }
                    on_reject(rejected);
                }
            }
            done += 1;
        }
        out.chunk_done()?;
        if let Some(p) = progress {
            p(done);
        }
    }
    if let Some(e) = errors.as_mut() {
        e.flush()?;
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::JsonlOrders;

    #[test]
    fn output_keeps_input_order_and_rejections_are_counted() {
        let mut input = String::new();
        for i in 0..1000 {
            if i % 100 == 7 {
                input.push_str("{broken\n");
            } else {
                input.push_str(&format!(
                    "{{\"id\": \"o{i}\", \"route\": {{\"origin\": \"CN\"}}}}\n"
                ));
            }
        }
        let mut out = Vec::new();
        let mut errs = Vec::new();
        let summary = run(
            &mut JsonlOrders::new(input.as_bytes()),
            64,
            |o| {
                let d = if o.id.ends_with('3') {
                    Decision::Block
                } else {
                    Decision::Clear
                };
                (d, o.id.clone())
            },
            Sinks {
                out: &mut out,
                errors: Some(&mut errs),
                progress: None,
            },
            &|_| {},
        )
        .expect("io");
        assert_eq!(summary.screened, 990);
        assert_eq!(summary.rejected, 10);
        assert_eq!(summary.decisions.get("block"), Some(&100));
        let ids: Vec<String> = String::from_utf8_lossy(&out)
            .lines()
            .map(String::from)
            .collect();
        let expected: Vec<String> = (0..1000)
            .filter(|i| i % 100 != 7)
            .map(|i| format!("o{i}"))
            .collect();
        assert_eq!(ids, expected);
        let first_error = String::from_utf8_lossy(&errs)
            .lines()
            .next()
            .map(String::from);
        assert!(first_error.is_some_and(|l| l.starts_with("{\"line\":8,")));
    }
}
