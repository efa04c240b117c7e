//! Counters for `GET /metrics`, written in the Prometheus text format by hand: a
//! handful of series does not need a metrics crate.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use embargo::rules::Decision;

/// Upper bounds of the latency buckets, in seconds: fine below 10 ms, where the
/// screening target lies.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Keyed by route template (axum's matched path) or `unmatched`: a small fixed set,
/// whatever paths callers send.
#[derive(Default)]
struct ByRoute {
    /// route -> status -> requests.
    requests: BTreeMap<String, BTreeMap<u16, u64>>,
    /// route -> latency.
    latency: BTreeMap<String, Histogram>,
}

/// Statuses the HTTP parser answers by itself (see `conn.rs`), counted apart: those
/// requests never reach a route.
pub const PROTOCOL_STATUSES: [u16; 3] = [400, 414, 431];

/// The service's counters.
pub struct Metrics {
    /// One lock per request: microseconds at the rates two cores can screen.
    by_route: Mutex<ByRoute>,
    decisions: [AtomicU64; 3],
    reloads_ok: AtomicU64,
    reloads_rejected: AtomicU64,
    ruleset: Mutex<String>,
    /// Orders screened, whether or not their request was answered: a request cut
    /// off at its deadline stops between orders, and this shows where.
    pub orders_screened: AtomicU64,
    /// Requests answered 429 because the queue was full.
    pub queue_full: AtomicU64,
    /// Requests whose deadline passed while their work ran; that work stopped.
    pub abandoned: AtomicU64,
    /// Requests the HTTP parser refused, by [`PROTOCOL_STATUSES`].
    pub protocol_errors: [AtomicU64; 3],
    /// Idle connections closed to make room under `server.max_connections`.
    pub connections_evicted: AtomicU64,
    /// Connections closed for a header-read or idle timeout.
    pub connections_timed_out: AtomicU64,
}

/// Levels read at the time of a scrape.
pub struct Gauges {
    /// Requests admitted: reading their body, waiting for a slot, or screening.
    pub admitted: usize,
    /// Screening slots in use.
    pub screening: usize,
    /// Open connections.
    pub connections: usize,
    /// Whether the audit log (when there is one) can be written.
    pub audit_ok: bool,
}

impl Metrics {
    /// All counters at zero.
    pub fn new() -> Metrics {
        Metrics {
            by_route: Mutex::new(ByRoute::default()),
            decisions: Default::default(),
            reloads_ok: AtomicU64::new(0),
            reloads_rejected: AtomicU64::new(0),
            ruleset: Mutex::new(String::new()),
            orders_screened: AtomicU64::new(0),
            queue_full: AtomicU64::new(0),
            abandoned: AtomicU64::new(0),
            protocol_errors: Default::default(),
            connections_evicted: AtomicU64::new(0),
            connections_timed_out: AtomicU64::new(0),
        }
    }

    /// Counts one request the HTTP parser refused with `status`.
    pub fn protocol_error(&self, status: u16) {
        if let Some(k) = PROTOCOL_STATUSES.iter().position(|s| *s == status) {
            if let Some(c) = self.protocol_errors.get(k) {
                c.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Counts one answered request.
    pub fn request(&self, route: &str, status: u16, elapsed: Duration) {
        let mut m = self.by_route.lock().unwrap_or_else(|e| e.into_inner());
        // Looked up by `&str` first: the key is allocated once per route, not per request.
        match m.requests.get_mut(route) {
            Some(by_status) => *by_status.entry(status).or_default() += 1,
            None => {
                m.requests
                    .insert(route.to_string(), BTreeMap::from([(status, 1)]));
            }
        }
        if !m.latency.contains_key(route) {
            m.latency.insert(route.to_string(), Histogram::default());
        }
        let Some(h) = m.latency.get_mut(route) else {
            return;
        };
        let secs = elapsed.as_secs_f64();
        h.count += 1;
        h.sum += secs;
        if let Some(k) = BUCKETS.iter().position(|b| secs <= *b) {
            if let Some(c) = h.counts.get_mut(k) {
                *c += 1;
            }
        }
    }

    /// Counts one decision.
    pub fn decision(&self, d: Decision) {
        let k = match d {
            Decision::Clear => 0,
            Decision::Review => 1,
            Decision::Block => 2,
        };
        if let Some(c) = self.decisions.get(k) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Records the ruleset in force.
    pub fn set_ruleset(&self, hash: &str) {
        *self.ruleset.lock().unwrap_or_else(|e| e.into_inner()) = hash.to_string();
    }

    /// Counts a reload; `hash` is the ruleset serving afterwards.
    pub fn reloaded(&self, ok: bool, hash: &str) {
        let c = if ok {
            &self.reloads_ok
        } else {
            &self.reloads_rejected
        };
        c.fetch_add(1, Ordering::Relaxed);
        self.set_ruleset(hash);
    }

    /// The Prometheus text exposition.
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::with_capacity(4096);
        let m = self.by_route.lock().unwrap_or_else(|e| e.into_inner());
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "# HELP embargo_http_requests_total Requests answered, by route and status.\n\
             # TYPE embargo_http_requests_total counter"
        );
        for (route, by_status) in &m.requests {
            for (status, n) in by_status {
                let _ = writeln!(
                    out,
                    "embargo_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP embargo_http_request_duration_seconds Time from request to answer, by route.\n\
             # TYPE embargo_http_request_duration_seconds histogram"
        );
        for (route, h) in &m.latency {
            let mut cumulative = 0;
            for (bound, c) in BUCKETS.iter().zip(h.counts.iter()) {
                cumulative += c;
                let _ = writeln!(
                    out,
                    "embargo_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "embargo_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\n\
                 embargo_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\n\
                 embargo_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count, h.sum, h.count
            );
        }
        drop(m);
        let _ = writeln!(
            out,
            "# HELP embargo_decisions_total Orders screened, by decision.\n\
             # TYPE embargo_decisions_total counter"
        );
        for (name, c) in ["clear", "review", "block"].iter().zip(&self.decisions) {
            let _ = writeln!(
                out,
                "embargo_decisions_total{{decision=\"{name}\"}} {}",
                c.load(Ordering::Relaxed)
            );
        }
        let hash = self
            .ruleset
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let _ = writeln!(
            out,
            "# HELP embargo_ruleset_info The ruleset serving (its hash as a label).\n\
             # TYPE embargo_ruleset_info gauge\n\
             embargo_ruleset_info{{hash=\"{hash}\"}} 1\n\
             # HELP embargo_ruleset_reloads_total Reloads, by outcome.\n\
             # TYPE embargo_ruleset_reloads_total counter\n\
             embargo_ruleset_reloads_total{{result=\"ok\"}} {}\n\
             embargo_ruleset_reloads_total{{result=\"rejected\"}} {}",
            self.reloads_ok.load(Ordering::Relaxed),
            self.reloads_rejected.load(Ordering::Relaxed)
        );
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "# HELP embargo_orders_screened_total Orders screened (a request cut off at its deadline stops between orders).\n\
             # TYPE embargo_orders_screened_total counter\n\
             embargo_orders_screened_total {}\n\
             # HELP embargo_requests_rejected_total Requests refused for load: the queue was full (429).\n\
             # TYPE embargo_requests_rejected_total counter\n\
             embargo_requests_rejected_total{{reason=\"queue_full\"}} {}\n\
             # HELP embargo_requests_abandoned_total Requests whose work was stopped at their deadline.\n\
             # TYPE embargo_requests_abandoned_total counter\n\
             embargo_requests_abandoned_total {}\n\
             # HELP embargo_requests_admitted Requests admitted: reading their body, waiting for a slot, or screening.\n\
             # TYPE embargo_requests_admitted gauge\n\
             embargo_requests_admitted {}\n\
             # HELP embargo_screening_slots_busy Screening slots in use (one per 64 KiB of body).\n\
             # TYPE embargo_screening_slots_busy gauge\n\
             embargo_screening_slots_busy {}\n\
             # HELP embargo_connections Open connections.\n\
             # TYPE embargo_connections gauge\n\
             embargo_connections {}\n\
             # HELP embargo_connections_closed_total Connections the server closed, by cause.\n\
             # TYPE embargo_connections_closed_total counter\n\
             embargo_connections_closed_total{{cause=\"evicted_idle\"}} {}\n\
             embargo_connections_closed_total{{cause=\"timeout\"}} {}\n\
             # HELP embargo_audit_log_ok Whether the audit log can be written (1 when there is none).\n\
             # TYPE embargo_audit_log_ok gauge\n\
             embargo_audit_log_ok {}\n\
             # HELP embargo_http_protocol_errors_total Requests the HTTP parser refused, by status.\n\
             # TYPE embargo_http_protocol_errors_total counter",
            load(&self.orders_screened),
            load(&self.queue_full),
            load(&self.abandoned),
            gauges.admitted,
            gauges.screening,
            gauges.connections,
            load(&self.connections_evicted),
            load(&self.connections_timed_out),
            u8::from(gauges.audit_ok),
        );
        for (status, c) in PROTOCOL_STATUSES.iter().zip(&self.protocol_errors) {
            let _ = writeln!(
                out,
                "embargo_http_protocol_errors_total{{status=\"{status}\"}} {}",
                load(c)
            );
        }
        out
    }
}
