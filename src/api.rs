//! Request and answer shapes of the single-item operations (match a name, classify a
//! description, compare two names), shared by the CLI's JSON lines and the HTTP
//! service so both read and write exactly the same fields.
//!
//! Requests are lenient the way orders are: numbers may arrive as strings
//! (`"1,000"`), a missing optional field and `null` mean the same. What cannot be
//! understood is an error naming the field, and so is a field they do not have (a
//! misspelt `hs_code` must not be ignored).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::{CategoryResult, NameMatch};
use crate::order::{de_opt_number, de_opt_text};
use crate::rules::ir::EntityKind;

/// Parses a `kind` as the contract writes it: `person`, `organization`, `vessel`,
/// `aircraft`, or `any` (no restriction, `None`).
///
/// # Examples
///
/// ```
/// use embargo::api::parse_kind;
/// use embargo::rules::ir::EntityKind;
/// assert_eq!(parse_kind("any"), Ok(None));
/// assert_eq!(parse_kind("Vessel"), Ok(Some(EntityKind::Vessel)));
/// assert!(parse_kind("boat person").is_err());
/// ```
pub fn parse_kind(word: &str) -> Result<Option<EntityKind>, String> {
    let w = word.trim();
    if w.is_empty() || w.eq_ignore_ascii_case("any") {
        return Ok(None);
    }
    match EntityKind::parse(w) {
        Some(EntityKind::Unknown) => Ok(None),
        Some(k) => Ok(Some(k)),
        None => Err(format!(
            "unknown kind `{w}`: expected person, organization, vessel, aircraft or any"
        )),
    }
}

/// One name to look up on the watchlists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
    /// The caller's identifier, echoed in the answer (any JSON value).
    #[serde(default)]
    pub id: Value,
    /// The name as written.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub name: Option<String>,
    /// `person`, `organization`, `vessel`, `aircraft` or `any`.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub kind: Option<String>,
    /// The party's country (ISO code or name); a soft signal.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub country: Option<String>,
    /// Most hits to return.
    #[serde(default, deserialize_with = "de_opt_number")]
    pub limit: Option<f64>,
    /// Lowest score to return; 0 returns the best `limit` whatever their score.
    #[serde(default, deserialize_with = "de_opt_number")]
    pub threshold: Option<f64>,
}

impl MatchRequest {
    /// The name, or why the request cannot be answered.
    pub fn name(&self) -> Result<&str, String> {
        match self.name.as_deref() {
            Some(n) if !n.trim().is_empty() => Ok(n),
            _ => Err("missing \"name\"".to_string()),
        }
    }

    /// The kind, or why it is not one.
    pub fn kind(&self) -> Result<Option<EntityKind>, String> {
        self.kind.as_deref().map_or(Ok(None), parse_kind)
    }

    /// The ISO code of the country, or why it is not one (as a party's country is
    /// checked: a code, a name, a list spelling or a demonym); `None` when absent or
    /// when it says only "Korea".
    pub fn country_code(&self) -> Result<Option<&'static str>, String> {
        self.country
            .as_deref()
            .map(|c| {
                crate::order_values::check_country(c).map_err(|why| format!("\"country\": {why}"))
            })
            .transpose()
            .map(Option::flatten)
    }

    /// The limit, checked to be a whole number from 1 to 1000.
    pub fn limit(&self) -> Result<Option<usize>, String> {
        match self.limit {
            None => Ok(None),
            Some(l) if l.fract() == 0.0 && (1.0..=1000.0).contains(&l) => Ok(Some(l as usize)),
            Some(l) => Err(format!(
                "\"limit\" must be a whole number from 1 to 1000, not {l}"
            )),
        }
    }

    /// The threshold, checked to lie in [0, 1].
    pub fn threshold(&self) -> Result<Option<f64>, String> {
        match self.threshold {
            None => Ok(None),
            Some(t) if (0.0..=1.0).contains(&t) => Ok(Some(t)),
            Some(t) => Err(format!("\"threshold\" must lie between 0 and 1, not {t}")),
        }
    }
}

/// The hits of one name, by descending score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchAnswer {
    /// The request's id.
    pub id: Value,
    /// The listed entities found.
    pub hits: Vec<NameMatch>,
}

/// One goods line to classify.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassifyRequest {
    /// The caller's identifier, echoed in the answer.
    #[serde(default)]
    pub id: Value,
    /// The goods description.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub description: Option<String>,
    /// HS / CN / HTS / Schedule B code, with or without dots.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub hs: Option<String>,
    /// Declared value of the line.
    #[serde(default, deserialize_with = "de_opt_number")]
    pub value: Option<f64>,
    /// ISO 4217 currency of the value (USD when absent).
    #[serde(default, deserialize_with = "de_opt_text")]
    pub currency: Option<String>,
    /// Number of items on the line.
    #[serde(default, deserialize_with = "de_opt_number")]
    pub quantity: Option<f64>,
}

impl ClassifyRequest {
    /// The goods line, or why the request cannot be answered. A line needs a
    /// description or an HS code (a vague invoice text leaves the code to decide).
    pub fn line(&self) -> Result<crate::goods::GoodsLine, String> {
        let description = self.description.as_deref().unwrap_or_default();
        if description.trim().is_empty() && self.hs.as_deref().is_none_or(|h| h.trim().is_empty()) {
            return Err("missing \"description\" (or \"hs\")".to_string());
        }
        for (field, v) in [("value", self.value), ("quantity", self.quantity)] {
            if v.is_some_and(|v| !v.is_finite() || v < 0.0) {
                return Err(format!("\"{field}\" must be a number not below 0"));
            }
        }
        if let Some(hs) = self.hs.as_deref().filter(|h| !h.trim().is_empty()) {
            crate::refdata::hs::HsCode::declared(hs).map_err(|why| format!("\"hs\" {why}"))?;
        }
        if let Some(c) = &self.currency {
            crate::order_values::check_currency(c).map_err(|why| format!("\"currency\": {why}"))?;
        }
        Ok(crate::goods::GoodsLine {
            description: self.description.clone(),
            hs: self.hs.clone(),
            value: self.value,
            currency: self.currency.clone(),
            quantity: self.quantity,
        })
    }
}

/// The categories of one goods line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassifyAnswer {
    /// The request's id.
    pub id: Value,
    /// The categories the line falls in.
    pub categories: Vec<CategoryResult>,
}

/// Two names to compare.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    /// The caller's identifier, echoed in the answer when given.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub id: Value,
    /// The first name.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub a: Option<String>,
    /// The second name.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub b: Option<String>,
    /// `person`, `organization`, `vessel`, `aircraft` or `any`.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub kind: Option<String>,
}

impl CompareRequest {
    /// The two names and the kind, or why the request cannot be answered.
    pub fn parts(&self) -> Result<(&str, &str, Option<EntityKind>), String> {
        let a = self.a.as_deref().ok_or("missing \"a\"")?;
        let b = self.b.as_deref().ok_or("missing \"b\"")?;
        let kind = self.kind.as_deref().map_or(Ok(None), parse_kind)?;
        Ok((a, b, kind))
    }
}

/// The similarity of two names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareAnswer {
    /// The request's id, when it had one.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub id: Value,
    /// The score in [0, 1]; 1.0 only for identical normalized names.
    pub score: f64,
}

/// Parses one JSON line (or HTTP body) into a request type, with a message that says
/// what is wrong in words.
pub fn parse_request<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let v: Value = crate::json::from_str(text).map_err(|e| {
        let why = crate::error::json_message(&e);
        // A repeated key is valid JSON but not a valid request.
        if e.is_data() {
            why
        } else {
            format!("invalid JSON: {why}")
        }
    })?;
    if !v.is_object() {
        return Err("expected a JSON object".to_string());
    }
    serde_json::from_value(v).map_err(|e| crate::error::json_message(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_requests_are_lenient_and_name_the_fault() {
        let r: ClassifyRequest =
            parse_request(r#"{"id":"a","description":"x","hs":870324,"value":"1,000"}"#)
                .expect("valid");
        let line = r.line().expect("a line");
        assert_eq!(r.id, Value::String("a".into()));
        assert_eq!(line.hs.as_deref(), Some("870324"));
        assert_eq!(line.value, Some(1000.0));
        assert!(parse_request::<ClassifyRequest>("{").is_err());
        assert!(parse_request::<ClassifyRequest>("[]").is_err());
        let no_text: ClassifyRequest = parse_request(r#"{"id":1}"#).expect("parses");
        assert!(no_text.line().is_err());
        assert!(parse_request::<ClassifyRequest>(r#"{"description":"x","value":"lots"}"#).is_err());
        let negative: ClassifyRequest =
            parse_request(r#"{"description":"x","value":-1}"#).expect("parses");
        assert!(negative.line().is_err());
        for (hs, ok) in [
            ("abc", false),
            ("10121", false),
            ("8703.24", true),
            ("8703", true),
        ] {
            let r: ClassifyRequest =
                parse_request(&format!(r#"{{"description":"x","hs":"{hs}"}}"#)).expect("parses");
            assert_eq!(r.line().is_ok(), ok, "{hs}");
        }
    }

    #[test]
    fn match_requests_check_their_ranges() {
        let r: MatchRequest =
            parse_request(r#"{"name":"KOMID","limit":"5","threshold":0.5,"kind":"any"}"#)
                .expect("valid");
        assert_eq!(r.limit(), Ok(Some(5)));
        assert_eq!(r.threshold(), Ok(Some(0.5)));
        assert_eq!(r.kind(), Ok(None));
        let bad: MatchRequest =
            parse_request(r#"{"name":" ","limit":0,"threshold":2}"#).expect("parses");
        assert!(bad.name().is_err());
        assert!(bad.limit().is_err());
        assert!(bad.threshold().is_err());
    }
}
