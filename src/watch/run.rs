//! Re-screening whole files: orders read in chunks and selected in parallel, the
//! selected ones held and screened again together, the changed decisions written in
//! input order, with a summary of why orders were screened again.
//!
//! Every order is read in full, since its fingerprint ([`crate::order_hash`]) is
//! compared with its previous decision's; an order whose id an earlier order of the
//! input had is rejected as `screen` rejects it ([`crate::batch::OrderIds`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;

use super::answers::Answers;
use super::previous::{self, PreviousDecision, PreviousDecisions};
use super::rescreen::{OrderNames, Reason, Rescreen, Rescreened};
use super::text::Chunk;
use crate::batch::OrderIds;
use crate::io::{OrderReader, Rejected};
use crate::order::Order;
use crate::rules::Decision;

impl Rescreen {
    /// Re-screens a file of JSON order lines against `previous`, in parallel, writing
    /// the decisions that changed to `out` in input order. Orders are read in chunks of
    /// `chunk_size` lines. A line that cannot be read, or whose order id an earlier
    /// line had, is reported to `on_reject` with its line number and counted; I/O
    /// errors stop the run.
    pub fn run_jsonl(
        &self,
        input: impl BufRead + Send,
        previous: &PreviousDecisions,
        chunk_size: usize,
        out: &mut dyn Write,
        on_reject: &dyn Fn(&Rejected),
    ) -> std::io::Result<Summary> {
        let mut input = input;
        let source = Source {
            map: Some(Cow::Borrowed(previous)),
            stream: None,
            rejected: Vec::new(),
        };
        self.run_with(&mut input, source, chunk_size, out, on_reject)
            .map(|(s, _)| s)
    }

    /// [`Rescreen::run_jsonl`] with the previous decisions read from `decisions` in
    /// step with the orders: `screen` writes one decision per order in input order, so
    /// the k-th decision is the k-th order's, and no map of a million decisions is
    /// built. From the first line where they do not line up (an order rejected the
    /// first time, a decision line missing or unreadable), the rest of the decisions
    /// are read into a map and looked up by id, as `run_jsonl` does. Returns, besides
    /// the summary, the decision lines rejected (unreadable, or an id repeated).
    pub fn run_jsonl_in_step(
        &self,
        input: impl BufRead + Send,
        decisions: impl BufRead + Send,
        chunk_size: usize,
        out: &mut dyn Write,
        on_reject: &dyn Fn(&Rejected),
    ) -> std::io::Result<(Summary, Vec<Rejected>)> {
        let mut input = input;
        let mut decisions = decisions;
        let source = Source {
            map: None,
            stream: Some(Stream {
                reader: &mut decisions,
                current: Chunk::default(),
                ahead: Chunk::default(),
                number: 0,
            }),
            rejected: Vec::new(),
        };
        self.run_with(&mut input, source, chunk_size, out, on_reject)
    }

    fn run_with(
        &self,
        input: &mut (dyn BufRead + Send),
        mut source: Source<'_>,
        chunk_size: usize,
        out: &mut dyn Write,
        on_reject: &dyn Fn(&Rejected),
    ) -> std::io::Result<(Summary, Vec<Rejected>)> {
        let started = Instant::now();
        let mut summary = Summary::default();
        let (mut chunk, mut ahead, mut number) = (Chunk::default(), Chunk::default(), 0u64);
        let old = previous::Shared {
            ruleset: Arc::from(self.diff().old_ruleset.as_str()),
            screened_with: Arc::clone(self.screened_with()),
        };
        // Orders to screen again, held until there are enough to share out: selecting
        // searches the small index of changed names, screening the full one, and each
        // thread keeps the similar words of the index it searched last.
        let mut held = Held::default();
        // The answer for each distinct name met so far: read by all threads at once
        // while a chunk is selected, written between chunks, so it takes no lock.
        let mut memo = RunMemo::default();
        let mut ids = OrderIds::new("line");
        let mut input = input;
        ahead.read(&mut input, &mut number, chunk_size)?;
        source.read_ahead(ahead.lines.len())?;
        loop {
            std::mem::swap(&mut chunk, &mut ahead);
            if chunk.lines.is_empty() {
                break;
            }
            source.advance();
            // The next chunk (orders, and their decisions when read in step) is read
            // on another worker while this one is selected: reading is a tenth of
            // the work and would otherwise leave the other cores waiting.
            let (decisions, read_ahead) = source.parts();
            let (steps, read) = rayon::join(
                || self.select_in_step(&chunk, decisions, &old, &memo),
                || -> std::io::Result<()> {
                    ahead.read(&mut input, &mut number, chunk_size)?;
                    read_ahead.read(ahead.lines.len())
                },
            );
            read?;
            let steps = match steps {
                Some(steps) => steps,
                None => {
                    source.switch_to_map()?;
                    let map = source.map.as_deref().unwrap_or(&EMPTY);
                    chunk
                        .lines
                        .par_chunks(BATCH)
                        .flat_map_iter(|batch| {
                            let lines = chunk.batch(batch);
                            let found = vec![std::cell::Cell::new(None); lines.len()];
                            let steps = self.select_lines(&lines, &memo, &|i, id| {
                                let d = map.get(id);
                                if let Some(f) = found.get(i) {
                                    f.set(d);
                                }
                                d
                            });
                            steps
                                .into_iter()
                                .zip(found)
                                .map(|((order, step), f)| {
                                    (order, step.with_previous(f.get().cloned()))
                                })
                                .collect::<Vec<_>>()
                        })
                        .collect()
                }
            };
            let steps = self.search_new_names(steps, &mut memo);
            let mut done = Vec::new();
            for ((order, step), (line, range)) in steps.into_iter().zip(&chunk.lines) {
                // An order kept as it was has a previous decision for the same content,
                // so it was valid then and took its id; one to screen again takes its id
                // only once it reads as valid, as `screen` has it.
                let duplicate = |ids: &mut OrderIds, id: String| {
                    ids.check(*line, &id).err().map(|error| Rejected {
                        line: *line,
                        id: Some(id),
                        error,
                    })
                };
                match step {
                    Step::Done(o) => match order.and_then(|o| duplicate(&mut ids, o.id)) {
                        Some(r) => done.push(Outcome::Rejected(r)),
                        None => done.push(o),
                    },
                    Step::Again(why, before) => {
                        // Read for selection already; only its values are left to check.
                        let bytes = chunk.buf.get(range.clone()).unwrap_or_default();
                        let order = match order {
                            Some(order) => crate::io::validated(*line, order).map(|(_, o)| o),
                            None => full_order(*line, bytes),
                        };
                        match order {
                            Err(r) => done.push(Outcome::Rejected(r)),
                            Ok(order) => match duplicate(&mut ids, order.id.clone()) {
                                Some(r) => done.push(Outcome::Rejected(r)),
                                None => held.push(bytes.len(), order, why, before),
                            },
                        }
                    }
                    // `search_new_names` left none.
                    Step::Names(..) => done.push(Outcome::Same(None)),
                }
            }
            summary.write(done, out, on_reject)?;
            if held.orders.len() >= HELD_ORDERS || held.bytes >= HELD_BYTES {
                let outcomes = self.screen_held(&held);
                summary.write(outcomes, out, on_reject)?;
                held.clear();
            }
        }
        let outcomes = self.screen_held(&held);
        summary.write(outcomes, out, on_reject)?;
        // Decisions beyond the last order are read too: an unreadable one is still
        // reported, as when they are all read into a map.
        source.read_rest(&ids)?;
        summary.elapsed = started.elapsed();
        Ok((summary, source.rejected))
    }

    /// Screens the held orders again, in parallel, in input order.
    fn screen_held(&self, held: &Held) -> Vec<Outcome> {
        held.orders
            .par_iter()
            .map(|(order, why, before)| Outcome::of(*why, self.compare(order, before.as_ref())))
            .collect()
    }

    /// Like [`Rescreen::run_jsonl`], for orders read by another reader (CSV, Parquet).
    pub fn run_records(
        &self,
        records: &mut dyn OrderReader,
        previous: &PreviousDecisions,
        chunk_size: usize,
        out: &mut dyn Write,
        on_reject: &dyn Fn(&Rejected),
    ) -> std::io::Result<Summary> {
        let started = Instant::now();
        let mut summary = Summary::default();
        let mut ids = OrderIds::new(records.unit());
        let mut records = records.peekable();
        let mut chunk: Vec<crate::io::Record> = Vec::with_capacity(chunk_size.max(1));
        while records.peek().is_some() {
            chunk.clear();
            for r in records.by_ref() {
                chunk.push(ids.record(r?));
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

    /// Reads the order on a line for selection: settled by its record (or rejected),
    /// or left with the names to look up, with its previous decision as `previous`
    /// finds it by the order's id. The order is read in full, for its fingerprint,
    /// but checked only when it is screened again: one kept as it was has the
    /// fingerprint of an order that was screened, so it was valid then.
    fn read_for_selection<'p>(
        &self,
        line: u64,
        bytes: &[u8],
        previous: &dyn Fn(&str) -> Option<&'p PreviousDecision>,
    ) -> ReadLine {
        let order: Order = match serde_json::from_slice(bytes) {
            Ok(o) => o,
            // The full reader says what is wrong in its own words.
            Err(_) => match full_order(line, bytes) {
                Ok(o) => o,
                Err(r) => return ReadLine::Settled(None, Step::Done(Outcome::Rejected(r))),
            },
        };
        let decided = self.select_by_record(&OrderNames::from(&order), previous(&order.id));
        match decided {
            Some(None) => ReadLine::Settled(Some(order), Step::Done(Outcome::Same(None))),
            Some(Some(why)) => ReadLine::Settled(Some(order), Step::Again(why, None)),
            None => ReadLine::Names(order),
        }
    }

    /// Whether each order of `lines` (line number and text) must be screened again
    /// (`Step::Again` and `Step::Names` are returned without the previous decision,
    /// which the caller adds); `previous(i, id)` finds the previous decision of the
    /// `i`-th order by its id. Names `memo` does not know yet are left for
    /// [`Rescreen::search_new_names`].
    ///
    /// The lines are read first and the memo is asked about all their names after,
    /// in one loop: the memo outgrows the cache, and asking between two orders' reads
    /// waits for each miss in turn, where a loop of look-ups alone has several in
    /// flight at once.
    fn select_lines<'p>(
        &self,
        lines: &[(u64, &[u8])],
        memo: &RunMemo,
        previous: &dyn Fn(usize, &str) -> Option<&'p PreviousDecision>,
    ) -> Vec<Selected> {
        let mut settled = Vec::with_capacity(lines.len());
        let mut orders = Vec::with_capacity(lines.len());
        for (i, (line, bytes)) in lines.iter().enumerate() {
            match self.read_for_selection(*line, bytes, &|id| previous(i, id)) {
                ReadLine::Settled(order, step) => settled.push(Some((order, step))),
                ReadLine::Names(order) => {
                    settled.push(None);
                    orders.push(order);
                }
            }
        }
        let named_steps = self.steps_by_names(&orders, memo);
        let mut orders = orders.into_iter();
        let mut named_steps = named_steps.into_iter();
        settled
            .into_iter()
            .map(|s| {
                s.unwrap_or_else(|| {
                    let step = named_steps.next();
                    (
                        orders.next(),
                        step.unwrap_or(Step::Done(Outcome::Same(None))),
                    )
                })
            })
            .collect()
    }

    /// What the names of `orders` settle, by what `memo` knows of them: screened again
    /// when one matches a change, kept when none can, else the names left to search.
    fn steps_by_names(&self, orders: &[Order], memo: &RunMemo) -> Vec<Step> {
        let named: Vec<OrderNames> = orders.iter().map(OrderNames::unhashed).collect();
        // Every name to look up, its key's bytes in `keys`, and each order's names.
        let mut keys = Vec::new();
        let mut names = Vec::new();
        let mut of_order = Vec::with_capacity(named.len());
        for order in &named {
            let first = names.len();
            for n in order.names() {
                let start = keys.len();
                n.append_key(&mut keys);
                names.push((n, start..keys.len()));
            }
            of_order.push(first..names.len());
        }
        let answers: Vec<Option<bool>> = names
            .iter()
            .map(|(_, k)| memo.found.get(keys.get(k.clone()).unwrap_or_default()))
            .collect();
        of_order
            .into_iter()
            .map(|at| {
                let answers = answers.get(at.clone()).unwrap_or_default();
                if answers.contains(&Some(true)) {
                    return Step::Again(Reason::NameMatchesChange, None);
                }
                let unknown: Vec<NewName> = names
                    .get(at)
                    .unwrap_or_default()
                    .iter()
                    .zip(answers)
                    .filter(|(_, a)| a.is_none())
                    .map(|((n, k), _)| NewName {
                        key: Box::from(keys.get(k.clone()).unwrap_or_default()),
                        name: n.name.to_string(),
                        country: n.country.map(str::to_string),
                        vessel: n.vessel,
                    })
                    .collect();
                if unknown.is_empty() {
                    Step::Done(Outcome::Same(None))
                } else {
                    Step::Names(unknown, None)
                }
            })
            .collect()
    }

    /// Searches, once each and in parallel, the names of `steps` that `memo` did not
    /// know, files the answers in `memo`, and settles those steps.
    fn search_new_names(&self, steps: Vec<Selected>, memo: &mut RunMemo) -> Vec<Selected> {
        let mut todo: Vec<&NewName> = Vec::new();
        let mut seen: FxHashSet<&[u8]> = FxHashSet::default();
        for (_, step) in &steps {
            if let Step::Names(names, _) = step {
                for n in names {
                    if seen.insert(&n.key) {
                        todo.push(n);
                    }
                }
            }
        }
        if todo.is_empty() {
            return steps;
        }
        let found: Vec<bool> = todo
            .par_iter()
            .map(|n| self.name_matches_change(&n.name, n.country.as_deref(), n.vessel))
            .collect();
        // Bounded: a memo this full starts again (an answer forgotten is only
        // searched again).
        if memo.found.len() + todo.len() > RunMemo::MAX {
            memo.found.clear();
        }
        for (n, f) in todo.iter().zip(found) {
            memo.found.insert(&n.key, f);
        }
        drop(seen);
        steps
            .into_iter()
            .map(|(order, step)| match step {
                Step::Names(names, before) => {
                    if names.iter().any(|n| memo.found.get(&n.key) == Some(true)) {
                        (order, Step::Again(Reason::NameMatchesChange, before))
                    } else {
                        (order, Step::Done(Outcome::Same(None)))
                    }
                }
                other => (order, other),
            })
            .collect()
    }
}

/// The distinct names of a run's orders met so far, each with whether it matches a
/// change (see [`Rescreen::name_matches_change`]), by [`super::names::NameKey`]'s key.
#[derive(Default)]
struct RunMemo {
    found: Answers,
}

impl RunMemo {
    /// Names remembered at most (a table of about 64 MB).
    const MAX: usize = 1 << 19;
}

/// A name not met before in a run, to search.
struct NewName {
    key: Box<[u8]>,
    name: String,
    country: Option<String>,
    vessel: bool,
}

/// No previous decision at all.
static EMPTY: std::sync::LazyLock<PreviousDecisions> =
    std::sync::LazyLock::new(PreviousDecisions::default);

/// Where the previous decisions come from: a file read in step with the orders, and
/// from the first misalignment on, a map.
struct Source<'a> {
    map: Option<Cow<'a, PreviousDecisions>>,
    stream: Option<Stream<'a>>,
    rejected: Vec<Rejected>,
}

/// Decisions read in step with the orders, a chunk at a time.
struct Stream<'a> {
    reader: &'a mut (dyn BufRead + Send),
    /// The decisions of the chunk of orders being selected, line for line.
    current: Chunk,
    /// Those of the next chunk, read while this one is selected.
    ahead: Chunk,
    /// Lines read so far.
    number: u64,
}

/// The part of a [`Source`] that reads ahead, borrowed apart from the decisions being
/// selected, so that both can be used at once.
struct ReadAhead<'s, 'a> {
    stream: Option<(
        &'s mut &'a mut (dyn BufRead + Send),
        &'s mut Chunk,
        &'s mut u64,
    )>,
}

impl ReadAhead<'_, '_> {
    /// Reads the decisions of the next chunk of orders, which has `lines` lines.
    fn read(self, lines: usize) -> std::io::Result<()> {
        match self.stream {
            Some((reader, ahead, number)) if lines > 0 => ahead.read(reader, number, lines),
            // No orders left: nothing is read (a chunk reads at least one line), and
            // what was ahead goes, so that `read_rest` files no decision twice.
            Some((_, ahead, _)) => {
                ahead.buf.clear();
                ahead.lines.clear();
                Ok(())
            }
            None => Ok(()),
        }
    }
}

impl<'a> Source<'a> {
    /// The current decisions read in step (none once they are in a map), and the part
    /// that reads the next ones.
    fn parts(&mut self) -> (Option<&Chunk>, ReadAhead<'_, 'a>) {
        match self.stream.as_mut() {
            None => (None, ReadAhead { stream: None }),
            Some(s) => (
                Some(&s.current),
                ReadAhead {
                    stream: Some((&mut s.reader, &mut s.ahead, &mut s.number)),
                },
            ),
        }
    }

    /// Reads the decisions of the next chunk of orders, which has `lines` lines.
    fn read_ahead(&mut self, lines: usize) -> std::io::Result<()> {
        self.parts().1.read(lines)
    }

    /// Makes the decisions read ahead the current ones.
    fn advance(&mut self) {
        if let Some(s) = self.stream.as_mut() {
            std::mem::swap(&mut s.current, &mut s.ahead);
        }
    }

    /// Out of step: the current decisions, those read ahead and the rest of the
    /// file, into a map (no-op once there).
    fn switch_to_map(&mut self) -> std::io::Result<()> {
        let Some(s) = self.stream.take() else {
            return Ok(());
        };
        let mut map = PreviousDecisions::default();
        map.file_chunk(&s.current, &mut self.rejected);
        map.file_chunk(&s.ahead, &mut self.rejected);
        map.read_on(s.reader, &mut { s.number }, &mut self.rejected)?;
        self.map = Some(Cow::Owned(map));
        Ok(())
    }

    /// Reads the decisions after the last order's, reporting unreadable ones and
    /// those for an order of the input (`ids`): read in step, its order was compared
    /// with its first decision, and which of the two is right is not known.
    fn read_rest(&mut self, ids: &OrderIds) -> std::io::Result<()> {
        if let Some(s) = self.stream.as_mut() {
            let mut rest = PreviousDecisions::default();
            rest.file_chunk(&s.ahead, &mut self.rejected);
            rest.read_on(s.reader, &mut s.number, &mut self.rejected)?;
            let mut again: Vec<Rejected> = rest
                .lines()
                .filter_map(|(id, line)| {
                    let order = ids.get(id)?;
                    Some(Rejected {
                        line,
                        id: Some(id.to_string()),
                        error: format!(
                            "order {id} already has a decision, the one its order (line {order} of the orders) was compared with; which one is right is not known: screen the order again"
                        ),
                    })
                })
                .collect();
            again.sort_by_key(|r| r.line);
            self.rejected.extend(again);
        }
        Ok(())
    }
}

impl Rescreen {
    /// The steps of `chunk` selected with `decisions` read in step, or `None` when
    /// there are none (they are in a map) or they do not line up with the orders.
    fn select_in_step(
        &self,
        chunk: &Chunk,
        decisions: Option<&Chunk>,
        old: &previous::Shared,
        memo: &RunMemo,
    ) -> Option<Vec<Selected>> {
        let decisions = decisions?;
        let batches: Option<Vec<Vec<Selected>>> = chunk
            .lines
            .par_chunks(BATCH)
            .enumerate()
            .map(|(b, batch)| {
                let first = b * BATCH;
                let mut before = Vec::with_capacity(batch.len());
                for k in first..first + batch.len() {
                    let (dline, drange) = decisions.lines.get(k)?;
                    let text = decisions.buf.get(drange.clone()).unwrap_or_default();
                    before.push(previous::read_line(*dline, text, old).ok()?);
                }
                // In step only when the order was read and its id is the decision's: a
                // line rejected now was rejected the first time too, and has none.
                let aligned = vec![std::cell::Cell::new(false); batch.len()];
                let steps = self.select_lines(&chunk.batch(batch), memo, &|i, order| {
                    let (id, decision) = before.get(i)?;
                    let same = order == id;
                    if let Some(a) = aligned.get(i) {
                        a.set(same);
                    }
                    same.then_some(decision)
                });
                if !aligned.iter().all(std::cell::Cell::get) {
                    return None;
                }
                Some(
                    steps
                        .into_iter()
                        .zip(before)
                        .map(|((order, step), (_, decision))| {
                            (order, step.with_previous(Some(decision)))
                        })
                        .collect(),
                )
            })
            .collect();
        batches.map(|b| b.into_iter().flatten().collect())
    }
}

/// Lines selected together (see [`Rescreen::select_lines`]).
const BATCH: usize = 64;

/// An order read for selection.
enum ReadLine {
    /// Settled by its record (with the order), or rejected (with none).
    Settled(Option<Order>, Step),
    /// Settled by what its names match.
    Names(Order),
}

/// Orders held for screening again: at most this many, or this many bytes of lines.
const HELD_ORDERS: usize = 50_000;
const HELD_BYTES: usize = 64 << 20;

/// Orders to screen again, with why, and the bytes of their lines.
#[derive(Default)]
struct Held {
    bytes: usize,
    orders: Vec<(Order, Reason, Option<PreviousDecision>)>,
}

impl Held {
    fn push(&mut self, bytes: usize, order: Order, why: Reason, before: Option<PreviousDecision>) {
        self.bytes += bytes;
        self.orders.push((order, why, before));
    }

    fn clear(&mut self) {
        self.bytes = 0;
        self.orders.clear();
    }
}

/// A line's order (`None` when it could not be read) and what became of it.
type Selected = (Option<Order>, Step);

/// What became of a line once read for selection.
enum Step {
    /// Nothing more to do.
    Done(Outcome),
    /// To be screened again, with its previous decision.
    Again(Reason, Option<PreviousDecision>),
    /// To be screened again when one of these names, not met before, matches a
    /// change; with its previous decision.
    Names(Vec<NewName>, Option<PreviousDecision>),
}

impl Step {
    /// The step with its previous decision, when it is to be screened again.
    fn with_previous(self, before: Option<PreviousDecision>) -> Step {
        match self {
            Step::Again(why, _) => Step::Again(why, before),
            Step::Names(names, _) => Step::Names(names, before),
            done => done,
        }
    }
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
