//! Reading JSON text into a [`serde_json::Value`] the way every entry point must: a key
//! given twice in one object is refused, naming it and where it is.
//!
//! `serde_json`'s own `Value` keeps the last of two equal keys, so a body built by
//! joining two objects (`{"parties": [listed], "parties": [harmless]}`) would be
//! screened on the second alone and could clear what the first named. The typed order
//! reader (serde's derive) already refuses a repeated field; every reader that goes
//! through a `Value` first (the service's bodies, the CLI's `match`, `classify` and
//! `compare` lines) uses this one, so all of them refuse the same input.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses JSON text, refusing a key repeated in an object.
///
/// The error is serde_json's, so its position and [`crate::json_message`] work as for
/// any other fault; a repeated key is a data error (`is_data()`), not a syntax error.
///
/// # Examples
///
/// ```
/// let ok = embargo::json::from_slice(br#"{"id": "A", "route": {"origin": "CN"}}"#)?;
/// assert_eq!(ok["route"]["origin"], "CN");
/// let e = embargo::json::from_slice(br#"{"id": "A", "parties": [{"name": "X", "name": "Y"}]}"#)
///     .unwrap_err();
/// assert!(e.is_data());
/// assert_eq!(embargo::json_message(&e), "parties[0]: duplicate field `name` at column 44");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn from_slice(text: &[u8]) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(text);
    let value = Strict { path: "" }.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// [`from_slice`] for a string.
pub fn from_str(text: &str) -> Result<Value, serde_json::Error> {
    from_slice(text.as_bytes())
}

/// A value at `path` (`""` for the whole text, `parties[0]`, `route`).
struct Strict<'a> {
    path: &'a str,
}

impl Strict<'_> {
    fn child(&self, step: fmt::Arguments<'_>) -> String {
        if self.path.is_empty() {
            step.to_string().trim_start_matches('.').to_string()
        } else {
            format!("{}{step}", self.path)
        }
    }
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // JSON text holds no NaN or infinity, so this is always a number.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let path = self.child(format_args!("[{}]", items.len()));
            match seq.next_element_seed(Strict { path: &path })? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                let at = if self.path.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", self.path)
                };
                return Err(A::Error::custom(format!("{at}duplicate field `{key}`")));
            }
            let path = self.child(format_args!(".{key}"));
            let value = map.next_value_seed(Strict { path: &path })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_is_refused_at_any_depth_with_its_path() {
        let cases = [
            (r#"{"a": 1, "a": 2}"#, "duplicate field `a`"),
            (
                r#"{"orders": [{"id": "1"}, {"id": "2", "route": {"origin": "KP", "origin": "CN"}}]}"#,
                "orders[1].route: duplicate field `origin`",
            ),
        ];
        for (text, want) in cases {
            let e = from_str(text).expect_err(text);
            assert!(e.is_data(), "{text}");
            assert!(e.to_string().starts_with(want), "{e}");
        }
        // Equal keys in different objects are no repetition; the value is serde_json's.
        let text = r#"{"a": {"k": [1, 2.5, "x", null, true]}, "b": {"k": -3}}"#;
        assert_eq!(
            from_str(text).expect("valid"),
            serde_json::from_str::<Value>(text).expect("valid")
        );
        // Syntax faults stay syntax faults; text after the value is refused.
        assert!(from_str(r#"{"a": 1,}"#)
            .expect_err("trailing comma")
            .is_syntax());
        assert!(from_str(r#"{"a": 1} x"#).is_err());
    }
}
