//! Request bodies checked against the schemas of the OpenAPI document the service
//! serves, before the library reads them. The library's readers are lenient (a number
//! may come as `"1,000"`, a name as `17`) for the JSON lines of order-entry exports;
//! the HTTP API is typed exactly as its document says, so the document and the server
//! cannot disagree: what the document refuses is refused here with a 422 naming the
//! field, and what it allows the library accepts (a fuzzer checks that side).
//!
//! Only the keywords the document uses are read: `$ref`, `type`, `nullable`, `enum`,
//! `properties`, `required`, `additionalProperties`, `minProperties`, `items`,
//! `minItems`, `maxItems`, `minLength`, `maxLength`, `pattern`, `minimum`,
//! `maximum`, `allOf`, `anyOf`, `oneOf`, and the extension `x-error` (the message
//! when an `anyOf` fails). A keyword it does not know would make the document lie, so
//! a test walks the document and fails on one.

use std::collections::HashMap;

use regex::Regex;
use serde_json::{Map, Value};

/// The keywords [`Schemas::check`] reads; anything else in a schema is a mistake.
#[cfg(test)]
pub const KNOWN_KEYWORDS: [&str; 24] = [
    "$ref",
    "type",
    "nullable",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "items",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "allOf",
    "anyOf",
    "oneOf",
    "x-error",
    // Prose and examples: no effect on what is valid.
    "description",
    "example",
    "title",
    "format",
];

/// Nesting beyond this is refused rather than followed: request bodies of this API
/// are a few levels deep, and the check must not overflow the stack.
const MAX_DEPTH: usize = 64;

/// The components of a document with its patterns compiled.
pub struct Schemas {
    components: Map<String, Value>,
    patterns: HashMap<String, Regex>,
}

/// The first thing wrong with a value: where (`parties[0].name`) and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The path of the offending value; empty for the body itself.
    pub path: String,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Compiles a pattern with the meaning Python's `re.search` gives it, which is what
/// the fuzzer that checks the document uses: a final `$` also matches before one
/// last newline there. Patterns use no other construct the two engines read apart.
fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    match pattern.strip_suffix('$') {
        Some(head) if !head.ends_with('\\') => Regex::new(&format!("{head}\\n?\\z")),
        _ => Regex::new(pattern),
    }
}

fn collect_patterns(v: &Value, out: &mut HashMap<String, Regex>) -> Result<(), String> {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(p)) = map.get("pattern") {
                if !out.contains_key(p) {
                    let re = compile(p).map_err(|e| format!("pattern {p:?}: {e}"))?;
                    out.insert(p.clone(), re);
                }
            }
            for child in map.values() {
                collect_patterns(child, out)?;
            }
        }
        Value::Array(items) => {
            for child in items {
                collect_patterns(child, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn fail<T>(path: &str, message: impl Into<String>) -> Result<T, Violation> {
    Err(Violation {
        path: path.to_string(),
        message: message.into(),
    })
}

fn type_name(v: &Value) -> &'static str {
    super::error::kind_of(v)
}

fn is_integer(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

fn has_type(v: &Value, ty: &str) -> bool {
    match ty {
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => is_integer(v),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

fn article(ty: &str) -> &'static str {
    match ty {
        "string" => "a string",
        "number" => "a number",
        "integer" => "a whole number",
        "boolean" => "a boolean",
        "array" => "an array",
        "object" => "an object",
        _ => "a value of another type",
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl Schemas {
    /// The schemas of `doc` (an OpenAPI 3.0 document), with every pattern compiled.
    pub fn new(doc: &Value) -> Result<Schemas, String> {
        let components = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut patterns = HashMap::new();
        collect_patterns(doc, &mut patterns)?;
        Ok(Schemas {
            components,
            patterns,
        })
    }

    /// Whether `value` fits `schema`; the first violation otherwise.
    pub fn check(&self, schema: &Value, value: &Value) -> Result<(), Violation> {
        self.walk(schema, value, "", 0)
    }

    fn resolve<'a>(&'a self, schema: &'a Value, path: &str) -> Result<&'a Value, Violation> {
        let Some(Value::String(r)) = schema.get("$ref") else {
            return Ok(schema);
        };
        r.strip_prefix("#/components/schemas/")
            .and_then(|name| self.components.get(name))
            .map_or_else(|| fail(path, format!("unknown schema {r}")), Ok)
    }

    fn walk(&self, schema: &Value, v: &Value, path: &str, depth: usize) -> Result<(), Violation> {
        if depth > MAX_DEPTH {
            return fail(path, "nested too deeply");
        }
        let s = self.resolve(schema, path)?;
        let Some(s) = s.as_object() else {
            // `true` or a non-object allows anything; `false` nothing.
            return if s == &Value::Bool(false) {
                fail(path, "no value is allowed here")
            } else {
                Ok(())
            };
        };
        let ty = s.get("type").and_then(Value::as_str);
        if v.is_null() && s.get("nullable") == Some(&Value::Bool(true)) {
            return Ok(());
        }
        if let Some(ty) = ty {
            if !has_type(v, ty) {
                return fail(
                    path,
                    format!("expected {}, got {}", article(ty), type_name(v)),
                );
            }
        }
        if let Some(Value::Array(allowed)) = s.get("enum") {
            if !allowed.contains(v) {
                let words: Vec<String> = allowed
                    .iter()
                    .filter(|a| !a.is_null())
                    .map(|a| a.to_string())
                    .collect();
                return fail(path, format!("{v} is not one of {}", words.join(", ")));
            }
        }
        match v {
            Value::String(text) => self.string(s, text, path)?,
            Value::Number(n) => number(s, n.as_f64().unwrap_or(f64::NAN), path)?,
            Value::Array(items) => self.array(s, items, path, depth)?,
            Value::Object(map) => self.object(s, map, path, depth)?,
            _ => {}
        }
        if let Some(Value::Array(all)) = s.get("allOf") {
            for sub in all {
                self.walk(sub, v, path, depth + 1)?;
            }
        }
        if let Some(Value::Array(any)) = s.get("anyOf") {
            self.alternatives(s, any, v, path, depth, false)?;
        }
        if let Some(Value::Array(one)) = s.get("oneOf") {
            self.alternatives(s, one, v, path, depth, true)?;
        }
        Ok(())
    }

    fn string(&self, s: &Map<String, Value>, text: &str, path: &str) -> Result<(), Violation> {
        let chars = text.chars().count();
        if let Some(min) = s.get("minLength").and_then(Value::as_u64) {
            if (chars as u64) < min {
                return fail(path, format!("shorter than {min} characters"));
            }
        }
        if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
            if chars as u64 > max {
                return fail(path, format!("longer than {max} characters"));
            }
        }
        if let Some(Value::String(p)) = s.get("pattern") {
            // Every pattern was compiled at start; a missing one fails closed.
            let fits = self.patterns.get(p).is_some_and(|re| re.is_match(text));
            if !fits {
                let what = s
                    .get("x-error")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("does not match {p}"), str::to_string);
                return fail(path, what);
            }
        }
        Ok(())
    }

    fn array(
        &self,
        s: &Map<String, Value>,
        items: &[Value],
        path: &str,
        depth: usize,
    ) -> Result<(), Violation> {
        if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < min {
                return fail(path, format!("needs at least {min} item(s)"));
            }
        }
        if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
            if items.len() as u64 > max {
                return fail(path, format!("holds more than {max} items"));
            }
        }
        if let Some(item) = s.get("items") {
            for (k, v) in items.iter().enumerate() {
                self.walk(item, v, &format!("{path}[{k}]"), depth + 1)?;
            }
        }
        Ok(())
    }

    fn object(
        &self,
        s: &Map<String, Value>,
        map: &Map<String, Value>,
        path: &str,
        depth: usize,
    ) -> Result<(), Violation> {
        let empty = Map::new();
        let properties = s
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        if let Some(Value::Array(required)) = s.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(name) {
                    return fail(path, format!("missing field `{name}`"));
                }
            }
        }
        if let Some(min) = s.get("minProperties").and_then(Value::as_u64) {
            if (map.len() as u64) < min {
                return fail(path, format!("needs at least {min} field(s)"));
            }
        }
        let extra = s.get("additionalProperties");
        for (key, value) in map {
            let at = child(path, key);
            match (properties.get(key), extra) {
                (Some(sub), _) => self.walk(sub, value, &at, depth + 1)?,
                (None, Some(Value::Bool(false))) => {
                    let known: Vec<&str> = properties.keys().map(String::as_str).collect();
                    let hint = if known.is_empty() {
                        "no field is allowed here".to_string()
                    } else {
                        format!("expected one of {}", known.join(", "))
                    };
                    return fail(path, format!("unknown field `{key}` ({hint})"));
                }
                (None, Some(sub @ Value::Object(_))) => self.walk(sub, value, &at, depth + 1)?,
                (None, _) => {}
            }
        }
        Ok(())
    }

    /// `anyOf` (at least one fits) or `oneOf` (exactly one). When none fits, the
    /// message is the schema's `x-error`, else that of the one alternative whose
    /// required fields the value has (the shape it evidently meant), else the first's.
    fn alternatives(
        &self,
        s: &Map<String, Value>,
        options: &[Value],
        v: &Value,
        path: &str,
        depth: usize,
        exactly_one: bool,
    ) -> Result<(), Violation> {
        let mut fits = 0;
        let mut errors = Vec::with_capacity(options.len());
        for option in options {
            match self.walk(option, v, path, depth + 1) {
                Ok(()) => fits += 1,
                Err(e) => errors.push((option, e)),
            }
        }
        if fits == 1 || (fits > 1 && !exactly_one) {
            return Ok(());
        }
        if fits > 1 {
            return fail(path, "fits more than one of the allowed shapes");
        }
        if let Some(message) = s.get("x-error").and_then(Value::as_str) {
            return fail(path, message);
        }
        let meant: Vec<&Violation> = errors
            .iter()
            .filter(|(option, _)| self.has_required(option, v, path))
            .map(|(_, e)| e)
            .collect();
        let chosen = match meant.as_slice() {
            [one] => Some(*one),
            _ => errors.first().map(|(_, e)| e),
        };
        match chosen {
            Some(e) => Err(e.clone()),
            None => fail(path, "fits none of the allowed shapes"),
        }
    }

    /// Whether `v` has every field `option` requires (and it requires some).
    fn has_required(&self, option: &Value, v: &Value, path: &str) -> bool {
        let Ok(option) = self.resolve(option, path) else {
            return false;
        };
        match (option.get("required"), v) {
            (Some(Value::Array(required)), Value::Object(map)) if !required.is_empty() => required
                .iter()
                .filter_map(Value::as_str)
                .all(|k| map.contains_key(k)),
            _ => false,
        }
    }
}

fn number(s: &Map<String, Value>, n: f64, path: &str) -> Result<(), Violation> {
    if let Some(min) = s.get("minimum").and_then(Value::as_f64) {
        if n < min {
            return fail(path, format!("must be at least {min}, not {n}"));
        }
    }
    if let Some(max) = s.get("maximum").and_then(Value::as_f64) {
        if n > max {
            return fail(path, format!("must be at most {max}, not {n}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schemas() -> Schemas {
        Schemas::new(&json!({"components": {"schemas": {
            "Thing": {"type": "object", "additionalProperties": false, "required": ["id"],
                "properties": {
                    "id": {"type": "string", "pattern": "[^ ]"},
                    "n": {"type": "integer", "minimum": 1, "maximum": 9, "nullable": true},
                    "code": {"type": "string", "pattern": "^[0-9]{4}$"},
                    "tags": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                    "kind": {"type": "string", "enum": ["a", "b", null], "nullable": true}
                }},
            "Batch": {"type": "object", "additionalProperties": false, "required": ["things"],
                "properties": {"things": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}},
            "Either": {"oneOf": [{"$ref": "#/components/schemas/Thing"}, {"$ref": "#/components/schemas/Batch"}]},
            "Some": {"type": "object", "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
                "x-error": "needs a or b"}
        }}}))
        .expect("compiles")
    }

    fn check(name: &str, v: Value) -> Result<(), String> {
        let s = schemas();
        let schema = json!({"$ref": format!("#/components/schemas/{name}")});
        s.check(&schema, &v).map_err(|e| e.to_string())
    }

    #[test]
    fn types_nulls_ranges_and_enums() {
        assert_eq!(
            check("Thing", json!({"id": "x", "n": 3, "kind": "a"})),
            Ok(())
        );
        assert_eq!(
            check("Thing", json!({"id": "x", "n": null, "kind": null})),
            Ok(())
        );
        assert_eq!(check("Thing", json!({"id": "x", "n": 3.0})), Ok(()));
        let e = check("Thing", json!({"id": 5})).unwrap_err();
        assert_eq!(e, "id: expected a string, got a number");
        assert!(check("Thing", json!({"id": null})).is_err(), "not nullable");
        assert!(check("Thing", json!({"id": "x", "n": 2.5})).is_err());
        assert!(check("Thing", json!({"id": "x", "n": 10})).is_err());
        assert!(check("Thing", json!({"id": "x", "n": "3"})).is_err());
        assert!(check("Thing", json!({"id": "x", "kind": "c"})).is_err());
        assert!(check("Thing", json!({"id": "x", "tags": []})).is_err());
        let e = check("Thing", json!({"id": "x", "tags": ["a", 1]})).unwrap_err();
        assert!(e.starts_with("tags[1]: "), "{e}");
    }

    #[test]
    fn unknown_and_missing_fields_are_named() {
        let e = check("Thing", json!({"id": "x", "nn": 1})).unwrap_err();
        assert!(e.contains("unknown field `nn`"), "{e}");
        let e = check("Thing", json!({})).unwrap_err();
        assert_eq!(e, "missing field `id`");
        let e = check(
            "Batch",
            json!({"things": [{"id": "x"}, {"id": "y", "full_name": 1}]}),
        )
        .unwrap_err();
        assert!(e.starts_with("things[1]: unknown field `full_name`"), "{e}");
    }

    #[test]
    fn patterns_read_as_python_reads_them() {
        assert_eq!(check("Thing", json!({"id": "x", "code": "1234"})), Ok(()));
        // Python's `$` also matches before a final newline; the fuzzer relies on it.
        assert_eq!(check("Thing", json!({"id": "x", "code": "1234\n"})), Ok(()));
        assert!(check("Thing", json!({"id": "x", "code": "1234\n\n"})).is_err());
        assert!(check("Thing", json!({"id": "x", "code": "12345"})).is_err());
        assert!(check("Thing", json!({"id": "   "})).is_err());
    }

    #[test]
    fn alternatives_report_the_shape_meant() {
        assert_eq!(check("Either", json!({"id": "x"})), Ok(()));
        assert_eq!(check("Either", json!({"things": []})), Ok(()));
        let e = check("Either", json!({"things": [{"id": 1}]})).unwrap_err();
        assert!(e.starts_with("things[0].id: "), "{e}");
        assert!(check("Either", json!({"id": "x", "things": []})).is_err());
        assert_eq!(check("Some", json!({"b": 1})), Ok(()));
        assert_eq!(check("Some", json!({"c": 1})).unwrap_err(), "needs a or b");
    }

    #[test]
    fn deep_values_are_refused_not_followed() {
        // Valid at every level: only the depth limit can refuse it.
        let mut v = json!({});
        for _ in 0..200 {
            v = json!({"a": v});
        }
        let s = Schemas::new(&json!({"components": {"schemas": {
            "Deep": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Deep"}}
        }}}))
        .expect("compiles");
        let r = s.check(&json!({"$ref": "#/components/schemas/Deep"}), &v);
        assert!(r.is_err_and(|e| e.message.contains("deeply")));
    }
}
