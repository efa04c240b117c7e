//! Re-screening whole files: orders read in chunks and selected in parallel, the
//! selected ones held and screened again together, the changed decisions written in
//! input order, with a summary of why orders were screened again.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use super::previous::PreviousDecisions;
use super::rescreen::{OrderNames, Reason, Rescreen, Rescreened};
use super::text::Chunk;
use crate::io::{Record, Rejected};
use crate::order::Order;
use crate::rules::Decision;

impl Rescreen {
    /// Re-screens a file of JSON order lines against `previous`, in parallel, writing
    /// the decisions that changed to `out` in input order. Orders are read in chunks of
    /// `chunk_size` lines; an order is parsed in full only when it must be screened
    /// again. A line that cannot be read is reported to `on_reject` with its line
    /// number and counted; I/O errors stop the run.
    pub fn run_jsonl(
        &self,
        input: impl BufRead,
        previous: &PreviousDecisions,
        chunk_size: usize,
        out: &mut dyn Write,
        on_reject: &dyn Fn(&Rejected),
    ) -> std::io::Result<Summary> {
        let started = Instant::now();
        let mut summary = Summary::default();
        let mut input = input;
        let (mut chunk, mut number) = (Chunk::default(), 0u64);
        // Orders to screen again, held until there are enough to share out: selecting
        // searches the small index of changed names, screening the full one, and each
        // thread keeps the similar words of the index it searched last.
        let mut held = Held::default();
        loop {
            chunk.read(&mut input, &mut number, chunk_size)?;
            if chunk.lines.is_empty() {
                break;
            }
            let steps: Vec<Step> = chunk
                .lines
                .par_iter()
                .map(|(line, range)| {
                    self.select_line(
                        *line,
                        chunk.buf.get(range.clone()).unwrap_or_default(),
                        previous,
                    )
                })
                .collect();
            let mut done = Vec::new();
            for (step, (line, range)) in steps.into_iter().zip(&chunk.lines) {
                match step {
                    Step::Done(o) => done.push(o),
                    Step::Again(why) => {
                        held.push(*line, chunk.buf.get(range.clone()).unwrap_or_default(), why)
                    }
                }
            }
            summary.write(done, out, on_reject)?;
            if held.lines.len() >= HELD_ORDERS || held.buf.len() >= HELD_BYTES {
                let outcomes = self.screen_held(&held, previous);
                summary.write(outcomes, out, on_reject)?;
                held.clear();
            }
        }
        let outcomes = self.screen_held(&held, previous);
        summary.write(outcomes, out, on_reject)?;
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// Screens the held orders again, in parallel, in input order.
    fn screen_held(&self, held: &Held, previous: &PreviousDecisions) -> Vec<Outcome> {
        held.lines
            .par_iter()
            .map(|(line, range, why)| {
                let bytes = held.buf.get(range.clone()).unwrap_or_default();
                match full_order(*line, bytes) {
                    Err(r) => Outcome::Rejected(r),
                    Ok(order) => {
                        let before = previous.get(&order.id);
                        Outcome::of(*why, self.compare(&order, before))
                    }
                }
            })
            .collect()
    }

    /// Like [`Rescreen::run_jsonl`], for orders read by another reader (CSV).
    pub fn run_records(
        &self,
        records: impl Iterator<Item = std::io::Result<Record>>,
        previous: &PreviousDecisions,
        chunk_size: usize,
        out: &mut dyn Write,
        on_reject: &dyn Fn(&Rejected),
    ) -> std::io::Result<Summary> {
        let started = Instant::now();
        let mut summary = Summary::default();
        let mut records = records.peekable();
        let mut chunk: Vec<Record> = Vec::with_capacity(chunk_size.max(1));
        while records.peek().is_some() {
            chunk.clear();
            for r in records.by_ref() {
                chunk.push(r?);
                if chunk.len() >= chunk_size.max(1) {
                    break;
                }
            }
            let outcomes: Vec<Outcome> = chunk
                .par_iter()
                .map(|r| match r {
                    Ok((_, order)) => self.one_order(order, previous),
                    Err(rejected) => Outcome::Rejected(rejected.clone()),
                })
                .collect();
            summary.write(outcomes, out, on_reject)?;
        }
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    fn one_order(&self, order: &Order, previous: &PreviousDecisions) -> Outcome {
        let before = previous.get(&order.id);
        match self.select(&OrderNames::from(order), before) {
            None => Outcome::Same(None),
            Some(why) => Outcome::of(why, self.compare(order, before)),
        }
    }

    /// Whether the order on a line must be screened again.
    fn select_line(&self, line: u64, bytes: &[u8], previous: &PreviousDecisions) -> Step {
        let names = match OrderNames::from_json(bytes) {
            Ok(n) => n,
            // The full reader says what is wrong in its own words.
            Err(_) => {
                return Step::Done(match full_order(line, bytes) {
                    Err(r) => Outcome::Rejected(r),
                    Ok(order) => self.one_order(&order, previous),
                })
            }
        };
        match self.select(&names, previous.get(&names.id)) {
            None => Step::Done(Outcome::Same(None)),
            Some(why) => Step::Again(why),
        }
    }
}

/// Orders held for screening again: at most this many, or this many bytes of lines.
const HELD_ORDERS: usize = 50_000;
const HELD_BYTES: usize = 64 << 20;

/// Lines of orders to screen again, with why.
#[derive(Default)]
struct Held {
    buf: Vec<u8>,
    lines: Vec<(u64, std::ops::Range<usize>, Reason)>,
}

impl Held {
    fn push(&mut self, line: u64, bytes: &[u8], why: Reason) {
        let start = self.buf.len();
        self.buf.extend_from_slice(bytes);
        self.lines.push((line, start..self.buf.len(), why));
    }

    fn clear(&mut self) {
        self.buf.clear();
        self.lines.clear();
    }
}

/// What became of a line once read for selection.
enum Step {
    /// Nothing more to do.
    Done(Outcome),
    /// To be screened again.
    Again(Reason),
}

/// The order on a line, read in full and checked.
fn full_order(line: u64, bytes: &[u8]) -> Result<Order, Rejected> {
    match std::str::from_utf8(bytes) {
        Ok(text) => crate::io::parse_order_json(line, text.trim()).map(|(_, o)| o),
        Err(e) => Err(Rejected {
            line,
            id: None,
            error: format!("not valid UTF-8 (byte {})", e.valid_up_to()),
        }),
    }
}

/// What became of one order.
enum Outcome {
    /// Not screened again (`None`), or screened again to the same decision.
    Same(Option<Reason>),
    /// Screened again to another decision: the line to write.
    Changed(Reason, Decision, String),
    /// Could not be read.
    Rejected(Rejected),
}

impl Outcome {
    fn of(why: Reason, changed: Option<Rescreened>) -> Outcome {
        match changed {
            None => Outcome::Same(Some(why)),
            Some(r) => {
                let line = serde_json::to_string(&r).unwrap_or_else(|e| {
                    // Plain data always serializes; say so in the output rather than
                    // lose the order if it ever does not.
                    format!(
                        "{{\"id\":{:?},\"error\":\"cannot serialize: {e}\"}}",
                        r.decision.id
                    )
                });
                Outcome::Changed(why, r.decision.decision, line)
            }
        }
    }
}

/// Counts at the end of a re-screen.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Orders read.
    pub orders: u64,
    /// Orders screened again, by reason.
    pub rescreened: HashMap<Reason, u64>,
    /// Decisions that changed, by new decision.
    pub changed: HashMap<Decision, u64>,
    /// Records rejected.
    pub rejected: u64,
    /// Wall time.
    #[serde(skip)]
    pub elapsed: Duration,
}

impl Summary {
    fn write(
        &mut self,
        outcomes: Vec<Outcome>,
        out: &mut dyn Write,
        on_reject: &dyn Fn(&Rejected),
    ) -> std::io::Result<()> {
        for o in outcomes {
            match o {
                Outcome::Same(why) => {
                    self.orders += 1;
                    if let Some(why) = why {
                        *self.rescreened.entry(why).or_default() += 1;
                    }
                }
                Outcome::Changed(why, decision, line) => {
                    self.orders += 1;
                    *self.rescreened.entry(why).or_default() += 1;
                    *self.changed.entry(decision).or_default() += 1;
                    out.write_all(line.as_bytes())?;
                    out.write_all(b"\n")?;
                }
                Outcome::Rejected(r) => {
                    self.rejected += 1;
                    on_reject(&r);
                }
            }
        }
        Ok(())
    }

    /// Orders screened again.
    pub fn rescreened_total(&self) -> u64 {
        self.rescreened.values().sum()
    }

    /// Decisions written.
    pub fn changed_total(&self) -> u64 {
        self.changed.values().sum()
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let changed = |d: Decision| self.changed.get(&d).copied().unwrap_or(0);
        write!(
            f,
            "read {} orders, screened {} again, {} decisions changed (now {} block, {} review, {} clear), rejected {} records, {:.1} s",
            self.orders,
            self.rescreened_total(),
            self.changed_total(),
            changed(Decision::Block),
            changed(Decision::Review),
            changed(Decision::Clear),
            self.rejected,
            self.elapsed.as_secs_f64()
        )?;
        let why: Vec<String> = Reason::ALL
            .iter()
            .filter_map(|r| {
                self.rescreened
                    .get(r)
                    .map(|n| format!("{n} because {}", r.as_str()))
            })
            .collect();
        if !why.is_empty() {
            write!(f, "\nscreened again: {}", why.join("; "))?;
        }
        Ok(())
    }
}
