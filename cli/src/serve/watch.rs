//! Continuous screening over HTTP: `GET /v1/lists` (which list versions are serving,
//! how old, whether stale) and `POST /v1/rescreen` (orders with the decisions given
//! earlier in, only the decisions that changed out, each with what it was and why).
//!
//! The old ruleset of a re-screen is the one that made most of the decisions sent,
//! among the ruleset in force and those reloads replaced ([`super::state::RETIRED`]);
//! a decision made with any other is screened again in full and compared. So the
//! answer is always what a full screen would change, whatever the server knows.

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde::Serialize;
use serde_json::{json, Value};

use embargo::engine::OrderDecision;
use embargo::order::Order;
use embargo::refdata::date::{days_from_civil, today_utc};
use embargo::watch::{OrderNames, PreviousDecision, Rescreened};

use super::admit::{Deadline, Job};
use super::audit;
use super::body::{Admitted, JsonBody};
use super::error::{json_response, ApiError};
use super::layers::RequestId;
use super::routes::{batch, Batch};
use super::state::AppState;

/// `GET /v1/lists`: every list loaded, with its version, age, entity count and
/// whether it is stale (older than `lists.max_age_days`) or screened at all.
pub async fn lists(State(state): State<AppState>) -> Response {
    let screener = state.screener();
    let rs = screener.ruleset();
    let max_age = state.settings.lists.max_age_days;
    let today = days_from_civil(&today_utc());
    let mut counts = vec![0usize; rs.lists().len()];
    for e in rs.entities() {
        if let Some(n) = counts.get_mut(e.list) {
            *n += 1;
        }
    }
    let lists: Vec<Value> = rs
        .lists()
        .iter()
        .zip(&counts)
        .map(|(l, n)| {
            let age = today.zip(days_from_civil(&l.as_of)).map(|(t, a)| t - a);
            let screened = screener.lists().iter().any(|v| v.name == l.name);
            json!({
                "name": l.name,
                "title": l.title,
                "authority": l.authority,
                "source": l.source,
                "url": l.url,
                "as_of": l.as_of,
                "entities": n,
                "age_days": age,
                "stale": age.is_some_and(|a| a > i64::from(max_age)),
                "screened": screened,
            })
        })
        .collect();
    json_response(
        StatusCode::OK,
        &json!({
            "ruleset": rs.hash(),
            "max_age_days": max_age,
            "lists": lists,
        }),
    )
}

/// The answer of `POST /v1/rescreen`.
#[derive(Serialize)]
struct Answer {
    /// The ruleset in force, which made the new decisions.
    ruleset: String,
    /// The ruleset the decisions sent were compared against.
    compared_with: String,
    /// Orders sent.
    orders: usize,
    /// Orders screened again (the others cannot have changed).
    rescreened: usize,
    /// The decisions that changed, in input order.
    decisions: Vec<Rescreened>,
}

/// One order of the body with its previous decision, read and checked.
struct Item {
    digest: String,
    order: Order,
    previous: Option<PreviousDecision>,
}

/// Reads the body's items: each order as `/v1/screen` reads one, each previous
/// decision as `rescreen --previous` reads a line.
fn items(st: &AppState, bytes: &[u8]) -> Result<Vec<Item>, ApiError> {
    let body = st.api.parse("/v1/rescreen", bytes)?;
    let list = match body.get("items") {
        Some(Value::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    let mut out = Vec::with_capacity(list.len());
    // Two orders with one id: which previous decision is whose is not known.
    let mut ids = embargo::batch::OrderIds::in_array("items");
    for (k, mut item) in list.into_iter().enumerate() {
        let order_value = item.get_mut("order").map(Value::take).unwrap_or_default();
        let digest = if st.audit.is_some() {
            audit::digest(&order_value)
        } else {
            String::new()
        };
        let order = super::routes::order_of(order_value, &format!("items[{k}].order: "))?;
        ids.check(k as u64, &order.id)
            .map_err(|e| ApiError::invalid(format!("items[{k}].order: {e}")))?;
        let previous = match item.get("previous") {
            None | Some(Value::Null) => None,
            Some(p) => {
                let text = serde_json::to_vec(p)
                    .map_err(|e| ApiError::internal(format!("cannot serialize: {e}")))?;
                Some(
                    PreviousDecision::from_json(&text)
                        .map_err(|e| ApiError::invalid(format!("items[{k}].previous: {e}")))?,
                )
            }
        };
        out.push(Item {
            digest,
            order,
            previous,
        });
    }
    Ok(out)
}

/// Re-screens a checked body on a worker, stopping between orders once the job
/// should stop; the changed decisions are logged before the answer leaves.
fn rescreen_body(
    st: &AppState,
    job: &Job,
    request_id: &str,
    bytes: &[u8],
) -> Result<Vec<u8>, ApiError> {
    let items = items(st, bytes)?;
    let screener = st.screener();
    let known = st.known_rulesets();
    // The old ruleset: the known one that made most of the decisions sent.
    let made = |hash: &str| {
        items
            .iter()
            .filter(|i| i.previous.as_ref().is_some_and(|p| &*p.ruleset == hash))
            .count()
    };
    let old = known
        .iter()
        .max_by_key(|r| made(r.hash()))
        .filter(|r| made(r.hash()) > 0)
        .unwrap_or(screener.ruleset());
    let rescreen = st.rescreen(old, &screener);
    let mut rescreened = 0;
    let mut changed: Vec<(String, Rescreened)> = Vec::new();
    for item in &items {
        if job.should_stop() {
            return Err(job.stopped());
        }
        let names = OrderNames::from(&item.order);
        if rescreen.select(&names, item.previous.as_ref()).is_none() {
            continue;
        }
        rescreened += 1;
        if let Some(r) = rescreen.rescreen(&item.order, item.previous.as_ref()) {
            changed.push((item.digest.clone(), r));
        }
    }
    st.metrics
        .orders_screened
        .fetch_add(rescreened as u64, Ordering::Relaxed);
    if !job.commit() {
        return Err(job.stopped());
    }
    if let Some(a) = &st.audit {
        // Only the changed decisions leave; each is logged first, as for /v1/screen.
        let logged: Vec<(String, OrderDecision)> = changed
            .iter()
            .map(|(d, r)| (d.clone(), r.decision.clone()))
            .collect();
        let redact = !st.settings.server.log_order_contents;
        a.record(request_id, true, &logged, redact).map_err(|e| {
            ApiError::unavailable(format!(
                "the audit log cannot be written ({e}); no decision was given"
            ))
        })?;
    }
    for (_, r) in &changed {
        st.metrics.decision(r.decision.decision);
    }
    let answer = Answer {
        ruleset: screener.ruleset().hash().to_string(),
        compared_with: old.hash().to_string(),
        orders: items.len(),
        rescreened,
        decisions: changed.into_iter().map(|(_, r)| r).collect(),
    };
    serde_json::to_vec(&answer).map_err(|e| ApiError::internal(format!("cannot serialize: {e}")))
}

/// `POST /v1/rescreen`: `{"items": [{"order": ORDER, "previous": DECISION}]}` in,
/// the decisions that changed out.
pub async fn rescreen(
    State(state): State<AppState>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    Extension(deadline): Extension<Deadline>,
    Admitted(ticket): Admitted,
    JsonBody(bytes): JsonBody,
) -> Result<Response, ApiError> {
    let request = Batch {
        state,
        request_id,
        ticket,
        deadline,
        bytes,
    };
    batch(request, rescreen_body).await
}
