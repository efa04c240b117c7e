//! The OpenAPI document: served at `/openapi.json` as this server behaves (bearer
//! security only when a token is configured), and the source of the request-body
//! schemas every body is checked against ([`super::schema`]), so that the two agree.

use std::collections::HashMap;

use serde_json::Value;

use super::error::ApiError;
use super::schema::Schemas;

/// The document as written, with bearer security declared.
pub const SOURCE: &str = include_str!("openapi.json");

/// The document this server serves and the schemas of its request bodies.
pub struct Api {
    served: Vec<u8>,
    schemas: Schemas,
    /// Route path -> the schema of its JSON request body.
    bodies: HashMap<String, Value>,
}

/// Takes bearer security out of `doc`: the scheme, the default requirement, the
/// per-operation overrides and the 401 answers that only a token can cause.
fn without_token(doc: &mut Value) {
    if let Some(map) = doc.as_object_mut() {
        map.remove("security");
    }
    if let Some(Value::Object(c)) = doc.get_mut("components") {
        c.remove("securitySchemes");
        if let Some(Value::Object(r)) = c.get_mut("responses") {
            r.remove("Unauthorized");
        }
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for op in paths.values_mut().filter_map(Value::as_object_mut) {
            for o in op.values_mut().filter_map(Value::as_object_mut) {
                o.remove("security");
                if let Some(Value::Object(r)) = o.get_mut("responses") {
                    r.remove("401");
                }
            }
        }
    }
}

impl Api {
    /// The document for a server with or without a bearer token.
    pub fn new(token: bool) -> Result<Api, String> {
        let mut doc: Value =
            serde_json::from_str(SOURCE).map_err(|e| format!("openapi.json: {e}"))?;
        if !token {
            without_token(&mut doc);
        }
        let schemas = Schemas::new(&doc)?;
        let mut bodies = HashMap::new();
        if let Some(Value::Object(paths)) = doc.get("paths") {
            for (path, ops) in paths {
                let schema = ops.pointer("/post/requestBody/content/application~1json/schema");
                if let Some(s) = schema {
                    bodies.insert(path.clone(), s.clone());
                }
            }
        }
        let served = serde_json::to_vec(&doc).map_err(|e| e.to_string())?;
        Ok(Api {
            served,
            schemas,
            bodies,
        })
    }

    /// The document as served.
    pub fn document(&self) -> &[u8] {
        &self.served
    }

    /// Parses a request body for the route `path`: 400 when it is not JSON, 422 when
    /// it repeats a key in an object or the document's schema refuses it (naming the
    /// field).
    pub fn parse(&self, path: &str, bytes: &[u8]) -> Result<Value, ApiError> {
        let value: Value = embargo::json::from_slice(bytes).map_err(|e| {
            let why = embargo::json_message(&e);
            if e.is_data() {
                ApiError::invalid(why)
            } else {
                ApiError::bad_request(format!("invalid JSON: {why}"))
            }
        })?;
        self.check(path, &value)?;
        Ok(value)
    }

    /// Checks `value` against the request schema of `path` (none: anything goes).
    pub fn check(&self, path: &str, value: &Value) -> Result<(), ApiError> {
        match self.bodies.get(path) {
            Some(schema) => self
                .schemas
                .check(schema, value)
                .map_err(|v| ApiError::invalid(v.to_string())),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::KNOWN_KEYWORDS;
    use super::*;

    /// Every key of every schema in the document, for the keyword check.
    fn schema_keys(v: &Value, in_schema: bool, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    if in_schema {
                        out.push(k.clone());
                    }
                    let child_is_schema = match k.as_str() {
                        "schema" | "items" | "additionalProperties" => true,
                        "properties" | "schemas" => {
                            // A map of names to schemas.
                            if let Value::Object(m) = child {
                                for s in m.values() {
                                    schema_keys(s, true, out);
                                }
                            }
                            continue;
                        }
                        "allOf" | "anyOf" | "oneOf" => {
                            if let Value::Array(items) = child {
                                for s in items {
                                    schema_keys(s, true, out);
                                }
                            }
                            continue;
                        }
                        // Values and examples are data, not schemas.
                        "enum" | "example" | "examples" | "required" => continue,
                        _ => false,
                    };
                    schema_keys(child, child_is_schema, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    schema_keys(item, false, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_document_uses_only_keywords_the_server_checks() {
        let doc: Value = serde_json::from_str(SOURCE).expect("openapi.json is JSON");
        let mut keys = Vec::new();
        schema_keys(&doc, false, &mut keys);
        assert!(keys.len() > 50, "walked the schemas");
        for k in keys {
            assert!(
                KNOWN_KEYWORDS.contains(&k.as_str()),
                "openapi.json uses `{k}`, which the server does not check"
            );
        }
    }

    #[test]
    fn security_is_declared_only_with_a_token() {
        let with: Value =
            serde_json::from_slice(Api::new(true).expect("doc").document()).expect("JSON");
        let without: Value =
            serde_json::from_slice(Api::new(false).expect("doc").document()).expect("JSON");
        assert!(with["security"].is_array());
        assert!(with.pointer("/components/securitySchemes/bearer").is_some());
        assert!(with
            .pointer("/paths/~1v1~1screen/post/responses/401")
            .is_some());
        assert!(without.get("security").is_none());
        assert!(without.pointer("/components/securitySchemes").is_none());
        let text = without.to_string();
        assert!(
            !text.contains("\"401\"") && !text.contains("Unauthorized"),
            "{text}"
        );
    }

    #[test]
    fn every_post_body_has_a_schema() {
        let api = Api::new(false).expect("doc");
        for path in [
            "/v1/screen",
            "/v1/match",
            "/v1/classify",
            "/v1/compare",
            "/v1/reload",
        ] {
            assert!(api.bodies.contains_key(path), "{path}");
        }
    }
}
