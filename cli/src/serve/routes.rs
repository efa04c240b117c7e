//! The routes and their handlers. Each handler reads its request with the shared types
//! of [`embargo::api`] / [`embargo::order::Order`], asks the screener, and writes the
//! same answer the CLI writes for a JSON line.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
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
use embargo::reference;

use super::audit;
use super::body::{
    json_bytes, json_response, kind_of, parse_object, parse_value, ApiError, JsonBody,
};
use super::layers::{self, RequestId};
use super::state::{summary, AppState};

/// The OpenAPI document served at `/openapi.json`; a test keeps it and [`table`] in
/// step, and another posts its request examples to a running server.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Every route: path (axum syntax, the same as OpenAPI's), method, handler.
pub fn table() -> Vec<(&'static str, Method, MethodRouter<AppState>)> {
    vec![
        ("/v1/screen", Method::POST, post(screen)),
        ("/v1/match", Method::POST, post(match_name)),
        ("/v1/classify", Method::POST, post(classify)),
        ("/v1/compare", Method::POST, post(compare)),
        ("/v1/entities/{id}", Method::GET, get(entity)),
        ("/v1/ruleset", Method::GET, get(ruleset)),
        ("/v1/reload", Method::POST, post(reload)),
        ("/healthz", Method::GET, get(healthz)),
        ("/readyz", Method::GET, get(readyz)),
        ("/metrics", Method::GET, get(metrics)),
        ("/openapi.json", Method::GET, get(openapi)),
    ]
}

/// The paths of [`table`], for metric labels (a test checks they agree).
const PATHS: [&str; 11] = [
    "/v1/screen",
    "/v1/match",
    "/v1/classify",
    "/v1/compare",
    "/v1/entities/{id}",
    "/v1/ruleset",
    "/v1/reload",
    "/healthz",
    "/readyz",
    "/metrics",
    "/openapi.json",
];

/// The route template a path falls under, or `unmatched`: metric labels stay a
/// small fixed set whatever paths callers send.
pub fn label(path: &str) -> &'static str {
    let fits = |template: &str| {
        let mut t = template.split('/');
        let mut p = path.split('/');
        loop {
            match (t.next(), p.next()) {
                (None, None) => return true,
                (Some(a), Some(b)) if a == b || (a.starts_with('{') && !b.is_empty()) => {}
                _ => return false,
            }
        }
    };
    PATHS
        .iter()
        .copied()
        .find(|t| fits(t))
        .unwrap_or("unmatched")
}

/// The service: routes, JSON fallbacks, auth, then limits and metrics outermost.
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

async fn not_allowed(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} is not allowed on {}; see /openapi.json",
            req.method(),
            req.uri().path()
        ),
    )
}

/// Runs CPU-bound work on the blocking pool once a screening slot is free; the slot is
/// held until the work ends, even if the request times out meanwhile.
async fn on_worker<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
{
    let slot =
        state.slots.clone().acquire_owned().await.map_err(|_| {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the service is stopping")
        })?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    })
    .await
    .map_err(|e| ApiError::internal(format!("the screening worker failed: {e}")))?
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(|e| ApiError::internal(format!("cannot serialize: {e}")))
}

/// A batch's answer.
#[derive(Serialize)]
struct Decisions<'a> {
    decisions: Vec<&'a OrderDecision>,
}

/// The orders of a screening body (one order, or `{"orders": [...]}`) and whether it
/// was a batch.
fn orders_of(body: Value) -> Result<(bool, Vec<Value>), ApiError> {
    match body {
        Value::Object(mut map) if map.contains_key("orders") && !map.contains_key("id") => {
            match map.remove("orders") {
                Some(Value::Array(items)) => Ok((true, items)),
                Some(other) => Err(ApiError::invalid(format!(
                    "\"orders\" must be an array of orders, got {}",
                    kind_of(&other)
                ))),
                None => Ok((true, Vec::new())),
            }
        }
        v @ Value::Object(_) => Ok((false, vec![v])),
        other => Err(ApiError::invalid(format!(
            "expected an order object or {{\"orders\": [...]}}, got {}",
            kind_of(&other)
        ))),
    }
}

/// `POST /v1/screen`: a decision per order, each written to the audit log before the
/// answer leaves.
async fn screen(
    State(state): State<AppState>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    JsonBody(bytes): JsonBody,
) -> Result<Response, ApiError> {
    let st = state.clone();
    let body = on_worker(&state, move || {
        let (batch, items) = orders_of(parse_value(&bytes)?)?;
        let mut orders = Vec::with_capacity(items.len());
        for (k, v) in items.into_iter().enumerate() {
            let at = if batch {
                format!("orders[{k}]: ")
            } else {
                String::new()
            };
            if !v.is_object() {
                return Err(ApiError::invalid(format!(
                    "{at}expected an order object, got {}",
                    kind_of(&v)
                )));
            }
            let digest = if st.audit.is_some() {
                audit::digest(&v)
            } else {
                String::new()
            };
            let order: Order =
                serde_json::from_value(v).map_err(|e| ApiError::invalid(format!("{at}{e}")))?;
            order
                .validate()
                .map_err(|e| ApiError::invalid(format!("{at}{e}")))?;
            orders.push((digest, order));
        }
        let screener = st.screener();
        let decisions: Vec<(String, OrderDecision)> = orders
            .into_iter()
            .map(|(digest, order)| (digest, screener.screen(&order)))
            .collect();
        if let Some(a) = &st.audit {
            // No answer without its audit line: a decision the log cannot show must
            // not be acted on.
            a.record(&request_id, batch, &decisions).map_err(|e| {
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!("the audit log cannot be written ({e}); no decision was given"),
                )
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
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, body))
}

/// Reads one request object, answers it on a worker, and writes the answer: the
/// shape of every single-item operation.
async fn single<T, A>(
    state: AppState,
    bytes: Bytes,
    answer: fn(&AppState, T) -> Result<A, ApiError>,
) -> Result<Response, ApiError>
where
    T: DeserializeOwned + Send + 'static,
    A: Serialize + 'static,
{
    let st = state.clone();
    let body = on_worker(&state, move || {
        to_json(&answer(&st, parse_object(&bytes)?)?)
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, body))
}

/// `POST /v1/match`: as a `match --jsonl` line.
async fn match_name(
    State(state): State<AppState>,
    JsonBody(bytes): JsonBody,
) -> Result<Response, ApiError> {
    single(state, bytes, |st, r: MatchRequest| {
        let mut query = NameQuery::new(r.name().map_err(ApiError::invalid)?);
        query.kind = r.kind().map_err(ApiError::invalid)?;
        query.country = r
            .country
            .as_deref()
            .and_then(reference::country_code)
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
    JsonBody(bytes): JsonBody,
) -> Result<Response, ApiError> {
    single(state, bytes, |st, r: ClassifyRequest| {
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
    JsonBody(bytes): JsonBody,
) -> Result<Response, ApiError> {
    single(state, bytes, |_, r: CompareRequest| {
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
        let list = rs.lists.get(e.list).map(|l| l.name.clone());
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
    let mut per_list = vec![0usize; rs.lists.len()];
    for e in &rs.entities {
        if let Some(n) = per_list.get_mut(e.list) {
            *n += 1;
        }
    }
    let lists: Vec<Value> = rs
        .lists
        .iter()
        .zip(&per_list)
        .map(|(l, n)| json!({"name": l.name, "title": l.title, "as_of": l.as_of, "entities": n}))
        .collect();
    let names: usize = rs.entities.iter().map(|e| 1 + e.aliases.len()).sum();
    json_response(
        StatusCode::OK,
        &json!({
            "ruleset": rs.hash(),
            "summary": summary(rs),
            "loaded_at": loaded.loaded_at,
            "engine": format!("embargo {}", env!("CARGO_PKG_VERSION")),
            "counts": {
                "lists": rs.lists.len(),
                "entities": rs.entities.len(),
                "names": names,
                "categories": rs.categories.len(),
                "rules": rs.rules.len(),
                "allowances": rs.allows.len(),
            },
            "lists": lists,
            "options": s.options(),
        }),
    )
}

/// `POST /v1/reload`: compile the rules aside and swap them in, or 422 with the
/// diagnostics while the old ruleset keeps serving.
async fn reload(State(state): State<AppState>) -> Result<Response, ApiError> {
    let answer = state.reload().await?;
    Ok(json_response(StatusCode::OK, &answer))
}

/// `GET /healthz`: the process answers.
async fn healthz() -> Response {
    json_response(StatusCode::OK, &json!({"status": "ok"}))
}

/// `GET /readyz`: a ruleset is loaded and the service is not stopping.
async fn readyz(State(state): State<AppState>) -> Response {
    if state.is_ready() {
        let hash = state.screener().ruleset().hash().to_string();
        json_response(StatusCode::OK, &json!({"status": "ready", "ruleset": hash}))
    } else {
        json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({"status": "stopping"}),
        )
    }
}

/// `GET /metrics`: Prometheus text.
async fn metrics(State(state): State<AppState>) -> Response {
    let mut r = state.metrics.render().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r
}

/// `GET /openapi.json`.
async fn openapi() -> Response {
    json_bytes(StatusCode::OK, OPENAPI.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn openapi_lists_exactly_the_routes_of_the_router() {
        let doc: Value = serde_json::from_str(OPENAPI).expect("openapi.json is JSON");
        let mut documented = BTreeSet::new();
        for (path, ops) in doc["paths"].as_object().expect("paths") {
            for method in ops.as_object().expect("operations").keys() {
                documented.insert((path.clone(), method.to_uppercase()));
            }
        }
        let routed: BTreeSet<(String, String)> = table()
            .into_iter()
            .map(|(p, m, _)| (p.to_string(), m.to_string()))
            .collect();
        assert_eq!(documented, routed);
    }

    #[test]
    fn metric_labels_are_the_routes() {
        let paths: Vec<&str> = table().into_iter().map(|(p, _, _)| p).collect();
        assert_eq!(paths, PATHS);
        assert_eq!(label("/v1/entities/un:KPe.001"), "/v1/entities/{id}");
        assert_eq!(label("/v1/entities/"), "unmatched");
        assert_eq!(label("/v1/screen"), "/v1/screen");
        assert_eq!(label("/v1/screen/x"), "unmatched");
        assert_eq!(label("/"), "unmatched");
    }

    #[test]
    fn screening_bodies_are_one_order_or_a_batch() {
        let (batch, items) = orders_of(json!({"id": "1"})).expect("one order");
        assert!(!batch && items.len() == 1);
        let (batch, items) =
            orders_of(json!({"orders": [{"id": "1"}, {"id": "2"}]})).expect("batch");
        assert!(batch && items.len() == 2);
        // An order that happens to carry an `orders` field is still an order.
        let (batch, _) = orders_of(json!({"id": "1", "orders": 3})).expect("order");
        assert!(!batch);
        assert!(orders_of(json!({"orders": "x"})).is_err());
        assert!(orders_of(json!([1])).is_err());
    }
}
