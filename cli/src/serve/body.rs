//! Reading request bodies and writing errors: every failure is a JSON object that says
//! what is wrong, with the status that fits (400 unreadable, 413 too large, 415 not
//! JSON, 422 understood but invalid).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::state::AppState;

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

    /// Adds (or replaces) a field of the answer.
    pub fn with(mut self, key: &str, value: Value) -> ApiError {
        self.details.insert(key.to_string(), value);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = self.details;
        body.insert("error".into(), Value::String(self.message.clone()));
        body.insert("status".into(), Value::from(self.status.as_u16()));
        let mut response = json_response(self.status, &Value::Object(body));
        response.extensions_mut().insert(ErrorMessage(self.message));
        response
    }
}

/// A response with a JSON body.
pub fn json_response<T: serde::Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => json_bytes(status, bytes),
        // Our answer types are plain data; should one ever fail, say so as JSON.
        Err(e) => json_bytes(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("{{\"error\":\"cannot serialize the answer: {e}\",\"status\":500}}")
                .into_bytes(),
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

impl FromRequest<AppState> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let limit = state.settings.server.max_body_bytes;
        let headers = req.headers();
        if !is_json_type(headers.get(header::CONTENT_TYPE)) {
            let got = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("?")
                .to_string();
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("expected Content-Type: application/json, got `{got}`"),
            ));
        }
        let too_large = || {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("request body larger than {limit} bytes (server.max_body_bytes)"),
            )
        };
        // A declared length over the limit is refused before reading a byte.
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let bytes = match Limited::new(req.into_body(), limit).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(e) if e.is::<LengthLimitError>() => return Err(too_large()),
            Err(e) => {
                return Err(ApiError::bad_request(format!(
                    "cannot read the request body: {e}"
                )))
            }
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_request(
                "empty request body: expected a JSON object",
            ));
        }
        Ok(JsonBody(bytes))
    }
}

/// Parses a body as JSON: 400 when it is not JSON at all.
pub fn parse_value(bytes: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::bad_request(format!("invalid JSON: {e}")))
}

/// Reads a request object of type `T` (400 when not JSON, 422 when not an object or
/// when a field has the wrong type) — the HTTP twin of `embargo::api::parse_request`,
/// which cannot tell the two apart for a status code.
pub fn parse_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let v = parse_value(bytes)?;
    if !v.is_object() {
        return Err(ApiError::invalid(format!(
            "expected a JSON object, got {}",
            kind_of(&v)
        )));
    }
    serde_json::from_value(v).map_err(|e| ApiError::invalid(e.to_string()))
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
