//! What every request shares: the current screener (swapped whole on reload), the
//! settings, admission, the audit log, the metrics and the served document.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use embargo::config::Settings;
use embargo::engine::Screener;
use embargo::rules::Ruleset;
use embargo::watch::Rescreen;

use super::admit::Admission;
use super::audit::{self, Audit};
use super::metrics::{Gauges, Metrics};
use super::openapi::Api;
use crate::RulesArgs;

/// A screener with when it was loaded.
#[derive(Clone)]
pub struct Loaded {
    /// The screener; cloning it clones an `Arc`.
    pub screener: Screener,
    /// RFC 3339 time of loading.
    pub loaded_at: String,
}

impl Loaded {
    /// Stamps `screener` with the current time.
    pub fn new(screener: Screener) -> Loaded {
        Loaded {
            screener,
            loaded_at: audit::rfc3339(SystemTime::now()),
        }
    }
}

/// How many replaced rulesets are kept for `/v1/rescreen`.
pub const RETIRED: usize = 3;

/// Shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The state behind [`AppState`].
pub struct Shared {
    /// The screener in force. A request clones it once (an `Arc` clone under a read
    /// lock held for nanoseconds) and uses that clone throughout, so every answer comes
    /// from one ruleset even while a reload swaps in another. A plain `RwLock` does
    /// this without another dependency: writers only swap a pointer.
    current: RwLock<Loaded>,
    /// Settings from embargo.toml.
    pub settings: Settings,
    /// `--rules` paths, read again on reload (empty: the embedded ruleset).
    pub rules: RulesArgs,
    /// One reload at a time: a second waits and then compiles the newest files.
    pub reloading: tokio::sync::Mutex<()>,
    /// The outcome of the last reload, for `/readyz`.
    pub last_reload: Mutex<Option<Value>>,
    /// Rulesets reloads replaced, newest last (at most [`RETIRED`]): the rules earlier
    /// decisions sent to `/v1/rescreen` were made with.
    retired: Mutex<Vec<Ruleset>>,
    /// The last re-screen prepared (old ruleset against the one in force), kept for
    /// the next request comparing the same two.
    rescreen: Mutex<Option<Arc<Rescreen>>>,
    /// Tickets and screening slots.
    pub admission: Admission,
    /// The audit log, when configured.
    pub audit: Option<Audit>,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
    /// The OpenAPI document served and the request schemas checked.
    pub api: Api,
    /// Open connections, kept by the accept loop.
    pub connections: Arc<AtomicUsize>,
    /// The bearer token, when auth is on.
    token: Option<String>,
    /// False once shutdown began.
    ready: AtomicBool,
    /// Request ids: a per-process prefix and a counter.
    id_prefix: String,
    next_id: AtomicU64,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The one-line description of a ruleset printed at startup and on reload.
pub fn summary(r: &Ruleset) -> String {
    let names: usize = r.entities().iter().map(|e| 1 + e.aliases.len()).sum();
    format!(
        "ruleset {} ({} lists, {} entities, {} names, {} categories, {} rules)",
        r.hash(),
        r.lists().len(),
        r.entities().len(),
        names,
        r.categories().len(),
        r.rules().len()
    )
}

impl AppState {
    /// State serving `loaded`.
    pub fn new(
        settings: Settings,
        rules: RulesArgs,
        loaded: Loaded,
        audit: Option<Audit>,
        token: Option<String>,
    ) -> Result<AppState, String> {
        let server = &settings.server;
        let admission = Admission::new(server.max_concurrency, server.max_queue);
        let api = Api::new(token.is_some())?;
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let metrics = Metrics::new();
        metrics.set_ruleset(loaded.screener.ruleset().hash());
        Ok(AppState(Arc::new(Shared {
            current: RwLock::new(loaded),
            settings,
            rules,
            reloading: tokio::sync::Mutex::new(()),
            last_reload: Mutex::new(None),
            retired: Mutex::new(Vec::new()),
            rescreen: Mutex::new(None),
            admission,
            audit,
            metrics,
            api,
            connections: Arc::new(AtomicUsize::new(0)),
            token,
            ready: AtomicBool::new(true),
            id_prefix: format!("{started:x}-{:x}", std::process::id()),
            next_id: AtomicU64::new(1),
        })))
    }

    /// The screener in force and when it was loaded.
    pub fn loaded(&self) -> Loaded {
        // A poisoned lock only means a writer panicked mid-swap; the value is whole.
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Puts `screener` in force; the ruleset it replaces is kept for re-screening.
    pub fn swap(&self, screener: Screener) {
        let old = std::mem::replace(
            &mut *self.current.write().unwrap_or_else(|e| e.into_inner()),
            Loaded::new(screener),
        );
        let ruleset = old.screener.ruleset().clone();
        let mut retired = self.retired.lock().unwrap_or_else(|e| e.into_inner());
        let (mut freed, mut kept): (Vec<Ruleset>, Vec<Ruleset>) = std::mem::take(&mut *retired)
            .into_iter()
            .partition(|r| r.hash() == ruleset.hash());
        kept.push(ruleset);
        if kept.len() > RETIRED {
            freed.push(kept.remove(0));
        }
        *retired = kept;
        drop(retired);
        // A ruleset and its name index are some hundred thousand allocations: freed
        // on a thread of their own rather than before the reload answers.
        let _ = std::thread::Builder::new()
            .name("embargo-retire".into())
            .spawn(move || drop((old, freed)));
    }

    /// The rulesets earlier decisions may have been made with: the one in force, then
    /// those reloads replaced, newest first.
    pub fn known_rulesets(&self) -> Vec<Ruleset> {
        let mut all = vec![self.screener().ruleset().clone()];
        let retired = self.retired.lock().unwrap_or_else(|e| e.into_inner());
        all.extend(retired.iter().rev().cloned());
        all
    }

    /// The re-screen of decisions made with `old` against `screener` (the ruleset in
    /// force), prepared once for both and kept for later requests.
    pub fn rescreen(&self, old: &Ruleset, screener: &Screener) -> Arc<Rescreen> {
        let same = |r: &Rescreen| {
            r.diff().old_ruleset == old.hash() && r.diff().new_ruleset == screener.ruleset().hash()
        };
        if let Some(r) = self
            .rescreen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|r| same(r))
        {
            return Arc::clone(r);
        }
        // Prepared outside the lock: two requests may prepare it at once, and agree.
        let made = Arc::new(Rescreen::new(old, screener.clone()));
        *self.rescreen.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&made));
        made
    }

    /// The screener in force.
    pub fn screener(&self) -> Screener {
        self.loaded().screener
    }

    /// Whether a bearer token guards the API.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// Whether `presented` (the text after `Bearer `) is the token; true when there is
    /// no token. Compared in constant time so response times do not leak a prefix.
    pub fn token_matches(&self, presented: Option<&str>) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        let Some(p) = presented else {
            return false;
        };
        let (a, b) = (token.as_bytes(), p.as_bytes());
        let mut diff = a.len() ^ b.len();
        for (k, x) in a.iter().enumerate() {
            diff |= usize::from(x ^ b.get(k).copied().unwrap_or(0));
        }
        diff == 0
    }

    /// Whether the service is not stopping.
    pub fn is_running(&self) -> bool {
        self.ready.load(Ordering::Relaxed)
    }

    /// Marks the service as stopping.
    pub fn set_stopping(&self) {
        self.ready.store(false, Ordering::Relaxed);
    }

    /// A new request id, unique within this process and across restarts.
    pub fn request_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{}-{n}", self.id_prefix)
    }

    /// Levels for `/metrics`.
    pub fn gauges(&self) -> Gauges {
        Gauges {
            admitted: self.admission.admitted(),
            screening: self.admission.screening(),
            connections: self.connections.load(Ordering::Relaxed),
            audit_ok: self.audit.as_ref().is_none_or(|a| a.failure().is_none()),
        }
    }
}
