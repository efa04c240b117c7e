//! What a screening handler takes from its request before any work: its tickets
//! ([`Admitted`]: 429 at once when too few are left, before a byte of the body is
//! read), then the body under `server.max_body_bytes` and the request's deadline
//! ([`JsonBody`]).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::admit::{Deadline, Ticket};
use super::error::ApiError;
use super::state::AppState;

/// The tickets of a request, weighed by the body it declares: its `Content-Length`, or
/// the largest allowed when it is sent in chunks.
pub struct Admitted(pub Ticket);

impl FromRequestParts<AppState> for Admitted {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Admitted, ApiError> {
        let headers = &parts.headers;
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<usize>().ok());
        let max = state.settings.server.max_body_bytes;
        let bytes = match declared {
            Some(n) => n.min(max),
            None if headers.contains_key(header::TRANSFER_ENCODING) => max,
            None => 0,
        };
        state.admission.admit(bytes).map(Admitted).ok_or_else(|| {
            state
                .metrics
                .queue_full
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            state.admission.busy()
        })
    }
}

/// The raw bytes of a JSON request body, read under `server.max_body_bytes`.
pub struct JsonBody(pub Bytes);

/// Whether a `Content-Type` announces JSON. Absent is accepted (a bare `curl -d`
/// without `-H` is common), and so is `application/x-www-form-urlencoded`, the label
/// `curl -d` and Python's urllib put on any body by default; the body must still be
/// JSON. Anything else (text/plain, XML, multipart) is refused with 415.
fn is_json_type(value: Option<&HeaderValue>) -> bool {
    let Some(v) = value else {
        return true;
    };
    let Ok(text) = v.to_str() else {
        return false;
    };
    let mime = text
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json"
        || mime == "text/json"
        || mime.ends_with("+json")
        || mime == "application/x-www-form-urlencoded"
}

/// Reads the whole body, or why not: too large, broken, or not in by `deadline`.
pub async fn read_body(
    req: Request,
    limit: usize,
    deadline: Option<Deadline>,
) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body larger than {limit} bytes (server.max_body_bytes)"),
        )
    };
    // A declared length over the limit is refused before reading a byte.
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let collect = Limited::new(req.into_body(), limit).collect();
    let collected = match deadline {
        Some(d) => tokio::time::timeout_at(d.at.into(), collect)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    format!(
                        "the request body did not arrive within {} ms (server.request_timeout_ms)",
                        d.limit.as_millis()
                    ),
                )
            })?,
        None => collect.await,
    };
    match collected {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(too_large()),
        Err(e) => Err(ApiError::bad_request(format!(
            "cannot read the request body: {e}"
        ))),
    }
}

impl FromRequest<AppState> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let content_type = req.headers().get(header::CONTENT_TYPE);
        if !is_json_type(content_type) {
            let got = content_type
                .and_then(|v| v.to_str().ok())
                .unwrap_or("?")
                .to_string();
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("expected Content-Type: application/json, got `{got}`"),
            ));
        }
        let deadline = req.extensions().get::<Deadline>().copied();
        let bytes = read_body(req, state.settings.server.max_body_bytes, deadline).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_request(
                "empty request body: expected a JSON object",
            ));
        }
        Ok(JsonBody(bytes))
    }
}
