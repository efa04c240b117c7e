//! What wraps every routed request: a request id, its deadline, metrics and the error
//! log (outermost), then the bearer-token check.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::admit::Deadline;
use super::error::{ApiError, ErrorMessage};
use super::state::AppState;

/// The request's id, for handlers (audit lines) and the `x-request-id` header.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The route a request took, as its template; requests no route took are one label.
const UNMATCHED: &str = "unmatched";

/// Routes without a deadline: a reload compiles the full ruleset, which can outlast
/// any request limit, and one cut off half-way would throw its work away.
const NO_DEADLINE: [&str; 1] = ["/v1/reload"];

/// A caller-supplied `x-request-id` is kept when it is short and plain, so the
/// caller's logs and our audit line share a key; anything else is replaced.
fn caller_id(req: &Request) -> Option<String> {
    let v = req.headers().get("x-request-id")?.to_str().ok()?;
    let ok = !v.is_empty()
        && v.len() <= 128
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    ok.then(|| v.to_string())
}

/// Request id, deadline (`server.request_timeout_ms`), metrics and error log.
pub async fn outer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = caller_id(&req).unwrap_or_else(|| state.request_id());
    req.extensions_mut().insert(RequestId(id.clone()));
    // The template the router matched (`/v1/entities/{id}`), never the raw path, so
    // the labels stay a fixed set.
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_string();
    if !NO_DEADLINE.contains(&route.as_str()) {
        let limit = Duration::from_millis(state.settings.server.request_timeout_ms.max(1));
        req.extensions_mut().insert(Deadline::after(limit));
    }
    let method = req.method().clone();
    let mut response = next.run(req).await;
    let status = response.status();
    state
        .metrics
        .request(&route, status.as_u16(), started.elapsed());
    // Refusals for load are counted, not logged one by one: under overload they come
    // by the thousand a second.
    if (status.is_client_error() || status.is_server_error())
        && status != StatusCode::TOO_MANY_REQUESTS
    {
        // The message can quote the request (a name, a goods text): only with consent.
        let detail = match response.extensions().get::<ErrorMessage>() {
            Some(m) if state.settings.server.log_order_contents => format!(": {}", m.0),
            _ => String::new(),
        };
        eprintln!(
            "embargo: {id} {method} {route} -> {}{detail}",
            status.as_u16()
        );
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// Paths open without a token: probes must work before anyone configures one.
const OPEN: [&str; 2] = ["/healthz", "/readyz"];

/// The bearer-token check (when a token is configured); 401 JSON otherwise.
pub async fn auth(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !state.has_token() || OPEN.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
    if state.token_matches(presented) {
        return next.run(req).await;
    }
    let message = if presented.is_some() {
        "invalid bearer token"
    } else {
        "missing bearer token: send `Authorization: Bearer TOKEN`"
    };
    let mut r = ApiError::new(StatusCode::UNAUTHORIZED, message).into_response();
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"embargo\""),
    );
    r
}
