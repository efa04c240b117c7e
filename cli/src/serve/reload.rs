//! Rules reload (`POST /v1/reload` and SIGHUP): the rules are loaded aside with the
//! library's own loading, exactly as at start, and swapped in only when they load
//! without error. Otherwise the answer is 422 with the located diagnostics and the
//! old ruleset keeps serving; `/readyz` stays ready (it still screens with rules that
//! loaded) and says that the last reload was rejected.

use std::time::SystemTime;

use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

use embargo::engine::{ScreenOptions, Screener};

use super::audit;
use super::error::ApiError;
use super::state::{summary, AppState};
use crate::Context;

/// The body of `POST /v1/reload`: optional, and an empty object when given. It
/// exists so that a misspelt option is refused rather than ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReloadRequest {}

/// Loads the rules aside (same `--rules`, or the embedded set) and swaps them in when
/// they have no error.
pub async fn reload(state: &AppState) -> Result<Value, ApiError> {
    let _one_at_a_time = state.reloading.lock().await;
    let previous = state.screener().ruleset().hash().to_string();
    let settings = state.settings.clone();
    let rules = state.rules.clone();
    // Loading and indexing take seconds of CPU: off the async threads.
    let built = tokio::task::spawn_blocking(move || {
        let ctx = Context {
            settings: settings.clone(),
        };
        // Unreadable rules (a --rules path gone) are rejected like broken ones.
        let checked = ctx
            .screening_rules(&rules)
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
    let at = audit::rfc3339(SystemTime::now());
    let outcome = match built {
        Ok((screener, warnings)) => {
            let hash = screener.ruleset().hash().to_string();
            let line = summary(screener.ruleset());
            state.swap(screener);
            state.metrics.reloaded(true, &hash);
            eprintln!("embargo: reloaded {line}");
            for warning in state.screener().staleness_warnings() {
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
            state.metrics.reloaded(false, &previous);
            eprintln!(
                "embargo: reload rejected, still serving {previous}: {}",
                e.message
            );
            Err(e.with("ruleset", json!(previous)))
        }
    };
    let record = match &outcome {
        Ok(v) => json!({"status": "reloaded", "at": at, "ruleset": v["ruleset"]}),
        Err(e) => json!({"status": "rejected", "at": at, "error": e.message}),
    };
    *state.last_reload.lock().unwrap_or_else(|e| e.into_inner()) = Some(record);
    outcome
}

/// SIGHUP: reopens the audit log (it may have been rotated away), then reloads.
pub async fn hangup(state: &AppState) {
    if let Some(a) = &state.audit {
        match a.reopen() {
            Ok(()) => eprintln!("embargo: reopened the audit log {}", a.path().display()),
            Err(e) => eprintln!(
                "embargo: cannot reopen the audit log {}: {e}; still writing the old file",
                a.path().display()
            ),
        }
    }
    // The outcome is logged by `reload` itself.
    let _ = reload(state).await;
}
