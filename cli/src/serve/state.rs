//! What every request shares: the current screener (swapped whole on reload), the
//! settings, the screening slots, the audit log and the metrics.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use serde_json::{json, Value};
use tokio::sync::{Mutex, Semaphore};

use embargo::config::Settings;
use embargo::engine::{ScreenOptions, Screener};
use embargo::rules::Ruleset;

use super::audit::{self, Audit};
use super::body::ApiError;
use super::metrics::Metrics;
use crate::{Context, RulesArgs};

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
    rules: RulesArgs,
    /// One reload at a time: a second waits and then compiles the newest files.
    reloading: Mutex<()>,
    /// Screening slots (`server.max_concurrency`): CPU-bound work beyond this waits
    /// in line (and times out there) instead of piling onto two cores.
    pub slots: Arc<Semaphore>,
    /// The audit log, when configured.
    pub audit: Option<Audit>,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
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
    let names: usize = r.entities.iter().map(|e| 1 + e.aliases.len()).sum();
    format!(
        "ruleset {} ({} lists, {} entities, {} names, {} categories, {} rules)",
        r.hash(),
        r.lists.len(),
        r.entities.len(),
        names,
        r.categories.len(),
        r.rules.len()
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
    ) -> AppState {
        let slots = settings.server.max_concurrency.max(1);
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let metrics = Metrics::new();
        metrics.set_ruleset(loaded.screener.ruleset().hash());
        AppState(Arc::new(Shared {
            current: RwLock::new(loaded),
            settings,
            rules,
            reloading: Mutex::new(()),
            slots: Arc::new(Semaphore::new(slots)),
            audit,
            metrics,
            token,
            ready: AtomicBool::new(true),
            id_prefix: format!("{started:x}-{:x}", std::process::id()),
            next_id: AtomicU64::new(1),
        }))
    }

    /// The screener in force and when it was loaded.
    pub fn loaded(&self) -> Loaded {
        // A poisoned lock only means a writer panicked mid-swap; the value is whole.
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
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

    /// Whether the service takes traffic.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Relaxed)
    }

    /// Marks the service (not) ready.
    pub fn set_ready(&self, ready: bool) {
        self.ready.store(ready, Ordering::Relaxed);
    }

    /// A new request id, unique within this process and across restarts.
    pub fn request_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{}-{n}", self.id_prefix)
    }

    /// Compiles the rules aside (same `--rules`, or the embedded set) and swaps them in
    /// when they have no error; otherwise the old ruleset keeps serving and the answer
    /// carries the diagnostics (422).
    pub async fn reload(&self) -> Result<Value, ApiError> {
        let _one_at_a_time = self.reloading.lock().await;
        let previous = self.screener().ruleset().hash().to_string();
        let settings = self.settings.clone();
        let rules = self.rules.clone();
        // Compiling and indexing take seconds of CPU: off the async threads.
        let built = tokio::task::spawn_blocking(move || {
            let ctx = Context {
                settings: settings.clone(),
            };
            // Unreadable rules (a --rules path gone) are rejected like broken ones.
            let checked = ctx
                .check_rules(&rules)
                .map_err(|f| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, f.0))?;
            let errors = checked.error_count();
            let rendered: Vec<String> = checked
                .diagnostics
                .iter()
                .map(|d| d.render(&checked.sources))
                .collect();
            match checked.ruleset {
                Some(r) if errors == 0 => {
                    Ok((Screener::new(r, ScreenOptions::from(&settings)), rendered))
                }
                _ => Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("the new rules have {errors} error(s); the old ruleset keeps serving"),
                )
                .with("diagnostics", json!(rendered))),
            }
        })
        .await
        .map_err(|e| ApiError::internal(format!("reload failed: {e}")))?;
        match built {
            Ok((screener, warnings)) => {
                let hash = screener.ruleset().hash().to_string();
                let line = summary(screener.ruleset());
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Loaded::new(screener);
                self.metrics.reloaded(true, &hash);
                eprintln!("embargo: reloaded {line}");
                for warning in self.screener().staleness_warnings() {
                    eprintln!("embargo: {warning}");
                }
                Ok(json!({
                    "status": "reloaded",
                    "ruleset": hash,
                    "previous": previous,
                    "changed": hash != previous,
                    "warnings": warnings,
                }))
            }
            Err(e) => {
                self.metrics.reloaded(false, &previous);
                eprintln!(
                    "embargo: reload rejected, still serving {previous}: {}",
                    e.message
                );
                Err(e.with("ruleset", json!(previous)))
            }
        }
    }
}
