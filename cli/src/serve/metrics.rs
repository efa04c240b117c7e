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

#[derive(Default)]
struct ByRoute {
    /// (route, status) -> requests.
    requests: BTreeMap<(&'static str, u16), u64>,
    /// route -> latency.
    latency: BTreeMap<&'static str, Histogram>,
}

/// The service's counters.
pub struct Metrics {
    /// One lock per request: microseconds at the rates two cores can screen.
    by_route: Mutex<ByRoute>,
    decisions: [AtomicU64; 3],
    reloads_ok: AtomicU64,
    reloads_rejected: AtomicU64,
    ruleset: Mutex<String>,
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
        }
    }

    /// Counts one answered request.
    pub fn request(&self, route: &'static str, status: u16, elapsed: Duration) {
        let mut m = self.by_route.lock().unwrap_or_else(|e| e.into_inner());
        *m.requests.entry((route, status)).or_default() += 1;
        let h = m.latency.entry(route).or_default();
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
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        let m = self.by_route.lock().unwrap_or_else(|e| e.into_inner());
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "# HELP embargo_http_requests_total Requests answered, by route and status.\n\
             # TYPE embargo_http_requests_total counter"
        );
        for ((route, status), n) in &m.requests {
            let _ = writeln!(
                out,
                "embargo_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
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
        out
    }
}
