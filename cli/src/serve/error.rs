//! Error answers. Every failure is a JSON object that says what is wrong, with the
//! status that fits: 400 unreadable, 408 sent too slowly, 413 too large, 415 not JSON,
//! 422 understood but invalid, 429 the queue is full, 503 timed out or stopping.
//! Depends on nothing else in the service, so every part can use it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// An error answer: `{"error": MESSAGE, "status": CODE, ...details}`.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What is wrong, in words. May quote the request, so it is logged only when
    /// `server.log_order_contents` is on.
    pub message: String,
    /// Further fields (diagnostics, the ruleset still serving, ...).
    details: Map<String, Value>,
    /// Seconds for a `Retry-After` header: the answers that mean "not now".
    retry_after: Option<u32>,
}

/// Attached to error responses so the logging layer can show the message when
/// allowed (it may quote order contents).
#[derive(Debug, Clone)]
pub struct ErrorMessage(pub String);

impl ApiError {
    /// An error with `status` and `message`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            details: Map::new(),
            retry_after: None,
        }
    }

    /// 400: the body cannot be read as JSON.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 422: JSON, but not a valid request.
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 500: a fault of ours (a worker panicked), never of the input.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// 503 with `Retry-After`: the service cannot answer now (timed out, stopping, or
    /// the audit log cannot be written); the request itself may be fine.
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message).retry_after(1)
    }

    /// Adds (or replaces) a field of the answer.
    pub fn with(mut self, key: &str, value: Value) -> ApiError {
        self.details.insert(key.to_string(), value);
        self
    }

    /// Adds a `Retry-After: SECONDS` header.
    pub fn retry_after(mut self, seconds: u32) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = self.details;
        body.insert("error".into(), Value::String(self.message.clone()));
        body.insert("status".into(), Value::from(self.status.as_u16()));
        let mut response = json_response(self.status, &Value::Object(body));
        if let Some(s) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        response.extensions_mut().insert(ErrorMessage(self.message));
        response
    }
}

/// The body of an error answer, for the few written outside axum (the connection
/// layer's answers to requests the HTTP parser refused).
pub fn error_body(status: u16, message: &str) -> Vec<u8> {
    let mut body = Map::new();
    body.insert("error".into(), Value::String(message.to_string()));
    body.insert("status".into(), Value::from(status));
    serde_json::to_vec(&Value::Object(body)).unwrap_or_default()
}

/// A response with a JSON body.
pub fn json_response<T: serde::Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => json_bytes(status, bytes),
        // Our answer types are plain data; should one ever fail, say so as JSON.
        Err(e) => json_bytes(
            StatusCode::INTERNAL_SERVER_ERROR,
            error_body(500, &format!("cannot serialize the answer: {e}")),
        ),
    }
}

/// A response whose body is already serialized JSON.
pub fn json_bytes(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// `an array`, `a string`, ... for messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
