//! Bounded work. A screening request first takes tickets (one per started 64 KiB of
//! its declared body; at most `max_concurrency + max_queue` are out, and a request that
//! finds too few is answered 429 at once, before its body is read, so the bodies held in
//! memory are bounded), then reads its body, then waits for screening slots (one per
//! started 64 KiB again, out of `max_concurrency`), then runs on the blocking pool.
//! Weighing by size keeps the memory of the work bounded too: a 1 MiB batch is parsed,
//! screened and answered in several times its size, and takes the slots of 17 single
//! orders. Every step ends at the request's deadline (`server.request_timeout_ms`,
//! from its arrival).
//!
//! Work that outlives its deadline is abandoned: it stops at its next check (between
//! the orders of a batch) and its decisions are not logged, because the client got a
//! 503, not a decision. Whether a request is answered or abandoned is settled once, by
//! [`Job`]: the worker commits before it writes the audit log, the waiting side
//! abandons when time is up, and whichever comes first wins.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::error::ApiError;
use super::metrics::Metrics;

/// The body size one ticket or slot stands for.
pub const UNIT_BYTES: usize = 64 * 1024;

/// Tickets or slots for a body of `bytes`: one per started [`UNIT_BYTES`], at most
/// `all` (so that one request of the largest size can still run, alone).
fn units(bytes: usize, all: usize) -> u32 {
    let n = (1 + bytes / UNIT_BYTES).min(all).max(1);
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Tickets and slots.
pub struct Admission {
    tickets: Arc<Semaphore>,
    ticket_count: usize,
    slots: Arc<Semaphore>,
    slot_count: usize,
    /// Requests holding tickets.
    admitted: Arc<AtomicUsize>,
    /// Set when shutdown gives up waiting: all work still running stops.
    stop: Arc<AtomicBool>,
}

impl Admission {
    /// `slots` for screening, `queue` more tickets for waiting.
    pub fn new(slots: usize, queue: usize) -> Admission {
        let slots = slots.clamp(1, Semaphore::MAX_PERMITS / 2);
        let tickets = (slots + queue).min(Semaphore::MAX_PERMITS);
        Admission {
            tickets: Arc::new(Semaphore::new(tickets)),
            ticket_count: tickets,
            slots: Arc::new(Semaphore::new(slots)),
            slot_count: slots,
            admitted: Arc::new(AtomicUsize::new(0)),
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Tickets for a body of `bytes`, or `None` when too few are left.
    pub fn admit(&self, bytes: usize) -> Option<Ticket> {
        let n = units(bytes, self.ticket_count);
        let held = self.tickets.clone().try_acquire_many_owned(n).ok()?;
        self.admitted.fetch_add(1, Ordering::Relaxed);
        Some(Ticket {
            _held: held,
            admitted: self.admitted.clone(),
        })
    }

    /// Requests holding tickets.
    pub fn admitted(&self) -> usize {
        self.admitted.load(Ordering::Relaxed)
    }

    /// Slots in use.
    pub fn screening(&self) -> usize {
        self.slot_count - self.slots.available_permits()
    }

    /// The 429 of a request that found too few tickets.
    pub fn busy(&self) -> ApiError {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "the service is busy: the {} places for requests screening or waiting \
                 (server.max_concurrency + server.max_queue, one per 64 KiB of body) are \
                 taken; retry later",
                self.ticket_count
            ),
        )
        .retry_after(1)
    }

    /// Stops every job at its next check.
    pub fn stop_all(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// A request's place among the admitted, held until its work has ended (even when its
/// client has gone).
pub struct Ticket {
    _held: OwnedSemaphorePermit,
    admitted: Arc<AtomicUsize>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.admitted.fetch_sub(1, Ordering::Relaxed);
    }
}

/// When a request's time is up, and how long it had. Put in the request's extensions
/// by the outer layer.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    /// The instant.
    pub at: Instant,
    /// The limit it came from, for messages.
    pub limit: Duration,
}

impl Deadline {
    /// `limit` from now.
    pub fn after(limit: Duration) -> Deadline {
        Deadline {
            at: Instant::now() + limit,
            limit,
        }
    }

    /// The 503 of a request whose time ran out.
    pub fn expired(&self) -> ApiError {
        ApiError::unavailable(format!(
            "request timed out after {} ms (server.request_timeout_ms); no decision was made",
            self.limit.as_millis()
        ))
    }
}

const RUNNING: u8 = 0;
const COMMITTED: u8 = 1;
const ABANDONED: u8 = 2;

/// One request's work, as seen from the worker.
pub struct Job {
    state: AtomicU8,
    deadline: Deadline,
    stop: Arc<AtomicBool>,
}

impl Job {
    /// Whether the work should stop now: abandoned, past its deadline, or the
    /// service is stopping.
    pub fn should_stop(&self) -> bool {
        self.state.load(Ordering::Acquire) == ABANDONED
            || self.stop.load(Ordering::Relaxed)
            || Instant::now() >= self.deadline.at
    }

    /// Claims the answer for the worker: from here the request is answered with what
    /// the work produced, so its decisions may be logged. False when it was
    /// abandoned or time is up; then nothing may be logged.
    pub fn commit(&self) -> bool {
        !self.should_stop()
            && self
                .state
                .compare_exchange(RUNNING, COMMITTED, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
    }

    /// The error a worker returns when it stopped; the job counts as abandoned.
    pub fn stopped(&self) -> ApiError {
        self.abandon();
        if self.stop.load(Ordering::Relaxed) {
            ApiError::unavailable("the service is stopping; no decision was made")
        } else {
            self.deadline.expired()
        }
    }

    fn abandon(&self) -> bool {
        self.state
            .compare_exchange(RUNNING, ABANDONED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }
}

/// Runs `work` on the blocking pool once screening slots for a body of `bytes` are
/// free, holding `ticket` and the slots until it ends. At the deadline the request is
/// answered 503 and the work abandoned, unless it has already committed: then its
/// answer is awaited.
pub async fn run<T, F>(
    admission: &Admission,
    metrics: &Metrics,
    (ticket, bytes): (Ticket, usize),
    deadline: Deadline,
    work: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Job) -> Result<T, ApiError> + Send + 'static,
{
    let wanted = units(bytes, admission.slot_count);
    let slots = admission.slots.clone().acquire_many_owned(wanted);
    let slot = match tokio::time::timeout_at(deadline.at.into(), slots).await {
        Ok(Ok(slot)) => slot,
        Ok(Err(_)) => return Err(ApiError::unavailable("the service is stopping")),
        Err(_) => return Err(deadline.expired()),
    };
    let job = Arc::new(Job {
        state: AtomicU8::new(RUNNING),
        deadline,
        stop: admission.stop.clone(),
    });
    let worker_job = job.clone();
    let mut handle = tokio::task::spawn_blocking(move || {
        let _held = (ticket, slot);
        work(&worker_job)
    });
    let joined = match tokio::time::timeout_at(deadline.at.into(), &mut handle).await {
        Ok(joined) => joined,
        Err(_) if job.abandon() => {
            metrics.abandoned.fetch_add(1, Ordering::Relaxed);
            return Err(deadline.expired());
        }
        // Committed just before time ran out: the answer is on its way.
        Err(_) => handle.await,
    };
    let result =
        joined.map_err(|e| ApiError::internal(format!("the screening worker failed: {e}")))?;
    // The worker saw the deadline (or shutdown) first and stopped by itself.
    if result.is_err() && job.state.load(Ordering::Acquire) == ABANDONED {
        metrics.abandoned.fetch_add(1, Ordering::Relaxed);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_weigh_by_their_size() {
        assert_eq!(units(0, 64), 1);
        assert_eq!(units(UNIT_BYTES - 1, 64), 1);
        assert_eq!(units(UNIT_BYTES, 64), 2);
        assert_eq!(units(1 << 20, 64), 17);
        assert_eq!(units(64 << 20, 64), 64, "the largest runs alone");
        let a = Admission::new(2, 1);
        let big = a.admit(1 << 20).expect("takes all three");
        assert!(a.admit(0).is_none());
        assert_eq!(a.admitted(), 1);
        drop(big);
        let small = (a.admit(10), a.admit(10), a.admit(10));
        assert!(small.0.is_some() && small.1.is_some() && small.2.is_some());
        assert!(a.admit(10).is_none());
        assert_eq!(a.admitted(), 3);
    }
}
