//! The routes and their handlers. The screening handlers check their body against the
//! served document, read it with the library's types ([`embargo::api`],
//! [`embargo::order::Order`]), ask the screener on a worker, and write the same answer
//! the CLI writes for a JSON line.

use std::sync::atomic::Ordering;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{MatchedPath, Path, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Extension, Router};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use embargo::api::{
    ClassifyAnswer, ClassifyRequest, CompareAnswer, CompareRequest, MatchAnswer, MatchRequest,
};
use embargo::engine::OrderDecision;
use embargo::matching::{compare as compare_names, NameQuery};
use embargo::order::Order;

use super::admit::{self, Deadline, Job};
use super::audit;
use super::body::{read_body, Admitted, JsonBody};
use super::error::{json_bytes, json_response, ApiError};
use super::layers::{self, RequestId};
use super::reload::{self, ReloadRequest};
use super::state::{summary, AppState};
use super::watch;

/// Every route: path (axum syntax: OpenAPI's, but for `{*id}`, which takes the rest of
/// the path, slashes and all, since EU ids hold `/`), method, handler.
pub fn table() -> Vec<(&'static str, Method, MethodRouter<AppState>)> {
    vec![
        ("/v1/screen", Method::POST, post(screen)),
        ("/v1/match", Method::POST, post(match_name)),
        ("/v1/classify", Method::POST, post(classify)),
        ("/v1/compare", Method::POST, post(compare)),
        ("/v1/entities/{*id}", Method::GET, get(entity)),
        ("/v1/ruleset", Method::GET, get(ruleset)),
        ("/v1/lists", Method::GET, get(watch::lists)),
        ("/v1/rescreen", Method::POST, post(watch::rescreen)),
        ("/v1/reload", Method::POST, post(reload)),
        ("/healthz", Method::GET, get(healthz)),
        ("/readyz", Method::GET, get(readyz)),
        ("/metrics", Method::GET, get(metrics)),
        ("/openapi.json", Method::GET, get(openapi)),
    ]
}

/// The service: routes, JSON fallbacks, auth, then ids, deadlines and metrics.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for (path, _, handler) in table() {
        router = router.route(path, handler);
    }
    router
        .fallback(not_found)
        .method_not_allowed_fallback(not_allowed)
        .layer(from_fn_with_state(state.clone(), layers::auth))
        .layer(from_fn_with_state(state.clone(), layers::outer))
        .with_state(state)
}

async fn not_found(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!(
            "no route {} {}; see /openapi.json",
            req.method(),
            req.uri().path()
        ),
    )
}

/// 405 with the `Allow` header HTTP asks for, from the route table.
async fn not_allowed(path: Option<MatchedPath>, req: Request) -> Response {
    let mut allowed: Vec<String> = table()
        .into_iter()
        .filter(|(p, _, _)| path.as_ref().is_some_and(|m| m.as_str() == *p))
        .map(|(_, m, _)| m.to_string())
        .collect();
    if allowed.iter().any(|m| m == "GET") {
        allowed.push("HEAD".into());
    }
    let mut r = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} is not allowed on {}; see /openapi.json",
            req.method(),
            req.uri().path()
        ),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&allowed.join(", ")) {
        r.headers_mut().insert(header::ALLOW, v);
    }
    r
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(|e| ApiError::internal(format!("cannot serialize: {e}")))
}

/// A value the document allowed but the library refused: the request is still wrong.
fn read_as<T: DeserializeOwned>(value: Value, at: &str) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|e| ApiError::invalid(format!("{at}{e}")))
}

/// An order the document accepted, read and checked as every entry point reads one
/// ([`Order::from_value`]: the field at fault named), or why not.
pub fn order_of(value: Value, at: &str) -> Result<Order, ApiError> {
    Order::from_value(value).map_err(|e| ApiError::invalid(format!("{at}{e}")))
}

/// A batch's answer.
#[derive(Serialize)]
struct Decisions<'a> {
    decisions: Vec<&'a OrderDecision>,
}

/// The orders of a screening body the document accepted (one order, or
/// `{"orders": [...]}`) and whether it was a batch.
fn orders_of(body: Value) -> (bool, Vec<Value>) {
    match body {
        Value::Object(mut map) if !map.contains_key("id") => match map.remove("orders") {
            Some(Value::Array(items)) => (true, items),
            _ => (true, Vec::new()),
        },
        v => (false, vec![v]),
    }
}

/// Screens a checked body on a worker: each order read, screened (stopping between
/// orders once the job should stop), then committed and logged, then serialized.
fn screen_body(
    st: &AppState,
    job: &Job,
    request_id: &str,
    bytes: &[u8],
) -> Result<Vec<u8>, ApiError> {
    let (batch, items) = orders_of(st.api.parse("/v1/screen", bytes)?);
    let mut orders = Vec::with_capacity(items.len());
    // Two orders with one id would get two decisions no one could tell apart.
    let mut ids = embargo::batch::OrderIds::in_array("orders");
    for (k, v) in items.into_iter().enumerate() {
        let at = if batch {
            format!("orders[{k}]: ")
        } else {
            String::new()
        };
        let digest = if st.audit.is_some() {
            audit::digest(&v)
        } else {
            String::new()
        };
        let order = order_of(v, &at)?;
        ids.check(k as u64, &order.id)
            .map_err(|e| ApiError::invalid(format!("{at}{e}")))?;
        orders.push((digest, order));
    }
    let screener = st.screener();
    let mut decisions = Vec::with_capacity(orders.len());
    for (digest, order) in orders {
        if job.should_stop() {
            return Err(job.stopped());
        }
        decisions.push((digest, screener.screen(&order)));
        st.metrics.orders_screened.fetch_add(1, Ordering::Relaxed);
    }
    // From here the client gets these decisions, so they may be logged; a request
    // whose time ran out gets a 503 and leaves no decision in the log.
    if !job.commit() {
        return Err(job.stopped());
    }
    if let Some(a) = &st.audit {
        // No answer without its audit line: a decision the log cannot show must not
        // be acted on.
        let redact = !st.settings.server.log_order_contents;
        a.record(request_id, batch, &decisions, redact)
            .map_err(|e| {
                ApiError::unavailable(format!(
                    "the audit log cannot be written ({e}); no decision was given"
                ))
            })?;
    }
    for (_, d) in &decisions {
        st.metrics.decision(d.decision);
    }
    if batch {
        to_json(&Decisions {
            decisions: decisions.iter().map(|(_, d)| d).collect(),
        })
    } else {
        match decisions.first() {
            Some((_, d)) => to_json(d),
            None => Err(ApiError::internal("no decision for the order")),
        }
    }
}

/// `POST /v1/screen`: a decision per order, each written to the audit log before the
/// answer leaves.
async fn screen(
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
    batch(request, screen_body).await
}

/// A batch operation's answer: the request's state, its job (to stop at the deadline),
/// its id (for the audit log) and body, to the bytes of the answer.
pub(super) type BatchBody = fn(&AppState, &Job, &str, &[u8]) -> Result<Vec<u8>, ApiError>;

/// What [`batch`] needs besides the answer function.
pub(super) struct Batch {
    pub state: AppState,
    pub request_id: String,
    pub ticket: admit::Ticket,
    pub deadline: Deadline,
    pub bytes: Bytes,
}

/// Admits a batch of orders by its size, writes the answer with `body` on a worker
/// before the deadline, and answers it: the shape of `screen` and `rescreen`.
pub(super) async fn batch(b: Batch, body: BatchBody) -> Result<Response, ApiError> {
    let st = b.state.clone();
    let (request_id, bytes) = (b.request_id, b.bytes);
    let weight = (b.ticket, bytes.len());
    let answer = admit::run(
        &b.state.admission,
        &b.state.metrics,
        weight,
        b.deadline,
        move |job| body(&st, job, &request_id, &bytes),
    )
    .await?;
    Ok(json_bytes(StatusCode::OK, answer))
}

/// What [`single`] needs besides the answer function.
struct Single {
    state: AppState,
    path: &'static str,
    ticket: admit::Ticket,
    deadline: Deadline,
    bytes: Bytes,
}

/// Reads one request object, answers it on a worker, and writes the answer: the
/// shape of every single-item operation.
async fn single<T, A>(
    s: Single,
    answer: fn(&AppState, T) -> Result<A, ApiError>,
) -> Result<Response, ApiError>
where
    T: DeserializeOwned + Send + 'static,
    A: Serialize + 'static,
{
    let st = s.state.clone();
    let (path, bytes) = (s.path, s.bytes);
    let weight = (s.ticket, bytes.len());
    let body = admit::run(
        &s.state.admission,
        &s.state.metrics,
        weight,
        s.deadline,
        move |job| {
            let request: T = read_as(st.api.parse(path, &bytes)?, "")?;
            let a = answer(&st, request)?;
            if !job.commit() {
                return Err(job.stopped());
            }
            to_json(&a)
        },
    )
    .await?;
    Ok(json_bytes(StatusCode::OK, body))
}

/// `POST /v1/match`: as a `match --jsonl` line.
async fn match_name(
    State(state): State<AppState>,
    Extension(deadline): Extension<Deadline>,
    Admitted(ticket): Admitted,
    JsonBody(bytes): JsonBody,
) -> Result<Response, ApiError> {
    let s = Single {
        state,
        path: "/v1/match",
        ticket,
        deadline,
        bytes,
    };
    single(s, |st, r: MatchRequest| {
        let mut query = NameQuery::new(r.name().map_err(ApiError::invalid)?);
        query.kind = r.kind().map_err(ApiError::invalid)?;
        query.country = r
            .country_code()
            .map_err(ApiError::invalid)?
            .map(str::to_string);
        let matching = &st.settings.matching;
        let threshold = r.threshold().map_err(ApiError::invalid)?;
        let limit = r.limit().map_err(ApiError::invalid)?;
        Ok(MatchAnswer {
            id: r.id.clone(),
            hits: st.screener().match_name(
                &query,
                threshold.unwrap_or(matching.threshold),
                limit.unwrap_or(matching.limit),
            ),
        })
    })
    .await
}

/// `POST /v1/classify`: as a `classify --jsonl` line.
async fn classify(
    State(state): State<AppState>,
    Extension(deadline): Extension<Deadline>,
    Admitted(ticket): Admitted,
    JsonBody(bytes): JsonBody,
) -> Result<Response, ApiError> {
    let s = Single {
        state,
        path: "/v1/classify",
        ticket,
        deadline,
        bytes,
    };
    single(s, |st, r: ClassifyRequest| {
        let line = r.line().map_err(ApiError::invalid)?;
        Ok(ClassifyAnswer {
            categories: st.screener().classify(&line),
            id: r.id,
        })
    })
    .await
}

/// `POST /v1/compare`: as a `compare --jsonl` line.
async fn compare(
    State(state): State<AppState>,
    Extension(deadline): Extension<Deadline>,
    Admitted(ticket): Admitted,
    JsonBody(bytes): JsonBody,
) -> Result<Response, ApiError> {
    let s = Single {
        state,
        path: "/v1/compare",
        ticket,
        deadline,
        bytes,
    };
    single(s, |_, r: CompareRequest| {
        let (a, b, kind) = r.parts().map_err(ApiError::invalid)?;
        Ok(CompareAnswer {
            id: r.id.clone(),
            score: compare_names(a, b, kind),
        })
    })
    .await
}

/// `GET /v1/entities/{id}`: a listed entity by `SOURCE:ID`, with its list's name.
async fn entity(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let screener = state.screener();
    let rs = screener.ruleset();
    let Some(e) = rs.entity(&id) else {
        return Err(
            ApiError::new(StatusCode::NOT_FOUND, format!("no entity `{id}`"))
                .with("ruleset", json!(rs.hash())),
        );
    };
    let mut value = serde_json::to_value(e)
        .map_err(|e| ApiError::internal(format!("cannot serialize: {e}")))?;
    if let Value::Object(map) = &mut value {
        let list = rs.lists().get(e.list).map(|l| l.name.clone());
        map.insert("list".into(), json!(list));
        map.insert("ruleset".into(), json!(rs.hash()));
    }
    Ok(json_response(StatusCode::OK, &value))
}

/// `GET /v1/ruleset`: which rules are serving.
async fn ruleset(State(state): State<AppState>) -> Response {
    let loaded = state.loaded();
    let s = &loaded.screener;
    let rs = s.ruleset();
    let mut per_list = vec![0usize; rs.lists().len()];
    for e in rs.entities() {
        if let Some(n) = per_list.get_mut(e.list) {
            *n += 1;
        }
    }
    let lists: Vec<Value> = rs
        .lists()
        .iter()
        .zip(&per_list)
        .map(|(l, n)| json!({"name": l.name, "title": l.title, "as_of": l.as_of, "entities": n}))
        .collect();
    let names: usize = rs.entities().iter().map(|e| 1 + e.aliases.len()).sum();
    json_response(
        StatusCode::OK,
        &json!({
            "ruleset": rs.hash(),
            "summary": summary(rs),
            "loaded_at": loaded.loaded_at,
            "engine": format!("embargo {}", env!("CARGO_PKG_VERSION")),
            "counts": {
                "lists": rs.lists().len(),
                "entities": rs.entities().len(),
                "names": names,
                "categories": rs.categories().len(),
                "rules": rs.rules().len(),
                "allowances": rs.allows().len(),
            },
            "lists": lists,
            "options": s.options(),
        }),
    )
}

/// `POST /v1/reload`: load the rules aside and swap them in, or 422 with the
/// diagnostics while the old ruleset keeps serving. The body is optional; when sent it
/// must be an object of known options (there are none yet).
async fn reload(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    // The reload itself has no deadline; sending its (tiny) body has the usual one.
    let server = &state.settings.server;
    let limit = std::time::Duration::from_millis(server.request_timeout_ms.max(1));
    let bytes = read_body(req, server.max_body_bytes, Some(Deadline::after(limit))).await?;
    if !bytes.iter().all(u8::is_ascii_whitespace) {
        let _: ReloadRequest = read_as(state.api.parse("/v1/reload", &bytes)?, "")?;
    }
    let answer = reload::reload(&state).await?;
    Ok(json_response(StatusCode::OK, &answer))
}

/// `GET /healthz`: the process answers.
async fn healthz() -> Response {
    json_response(StatusCode::OK, &json!({"status": "ok"}))
}

/// `GET /readyz`: ready when it can give decisions: a ruleset is loaded, the service
/// is not stopping, and the audit log (when there is one) can be written.
async fn readyz(State(state): State<AppState>) -> Response {
    let last_reload = state
        .last_reload
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let hash = state.screener().ruleset().hash().to_string();
    let mut body = json!({"ruleset": hash});
    if let Some(r) = last_reload {
        body["last_reload"] = r;
    }
    let audit_failure = state.audit.as_ref().and_then(|a| a.failure());
    let status = if !state.is_running() {
        "stopping"
    } else if let Some(e) = audit_failure {
        body["error"] = json!(format!("the audit log cannot be written: {e}"));
        "audit log failing"
    } else {
        body["status"] = json!("ready");
        return json_response(StatusCode::OK, &body);
    };
    body["status"] = json!(status);
    json_response(StatusCode::SERVICE_UNAVAILABLE, &body)
}

/// `GET /metrics`: Prometheus text.
async fn metrics(State(state): State<AppState>) -> Response {
    let mut r = state.metrics.render(&state.gauges()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r
}

/// `GET /openapi.json`: the document as this server behaves.
async fn openapi(State(state): State<AppState>) -> Response {
    json_bytes(StatusCode::OK, state.api.document().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn openapi_lists_exactly_the_routes_of_the_router() {
        let doc: Value = serde_json::from_str(super::super::openapi::SOURCE).expect("JSON");
        let mut documented = BTreeSet::new();
        for (path, ops) in doc["paths"].as_object().expect("paths") {
            for method in ops.as_object().expect("operations").keys() {
                documented.insert((path.clone(), method.to_uppercase()));
            }
        }
        let routed: BTreeSet<(String, String)> = table()
            .into_iter()
            .map(|(p, m, _)| (p.replace("{*", "{"), m.to_string()))
            .collect();
        assert_eq!(documented, routed);
    }

    #[test]
    fn screening_bodies_are_one_order_or_a_batch() {
        let (batch, items) = orders_of(json!({"id": "1"}));
        assert!(!batch && items.len() == 1);
        let (batch, items) = orders_of(json!({"orders": [{"id": "1"}, {"id": "2"}]}));
        assert!(batch && items.len() == 2);
    }
}
