//! The order model of `CONTRACT.md`: parties, goods lines and route, as order-entry
//! systems send them.
//!
//! Deserialization is lenient where real systems differ harmlessly (an `id` or `hs`
//! sent as a number, a value sent as `"1,250.00"`, `via` as one `;`-separated string)
//! and strict where a field cannot mean anything (a value of `"ten"`, a negative
//! quantity, an HS code with letters): such an order is rejected with the reason,
//! never screened on a guess.
//!
//! Strict too about what an order says: a field this model does not name (`party` for
//! `parties`, `full_name`, a `destination` outside `route`) rejects the order, since
//! screening it without that field could clear what it was meant to catch; and so does
//! an order with nothing to screen.

use serde::{Deserialize, Deserializer, Serialize};

/// One order to screen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// The caller's identifier, echoed in the decision: text as written, or a whole
    /// number digit for digit; a fraction, an exponent or a boolean is refused.
    #[serde(deserialize_with = "de_id")]
    pub id: String,
    /// Buyer, seller, consignee, bank, carrier, ...
    #[serde(default, deserialize_with = "de_null_default")]
    pub parties: Vec<Party>,
    /// Goods lines.
    #[serde(default, deserialize_with = "de_null_default")]
    pub goods: Vec<GoodsLine>,
    /// Where the goods go.
    #[serde(default, deserialize_with = "de_null_default")]
    pub route: Route,
}

/// A party to the order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Free text: `buyer`, `seller`, `consignee`, `notify`, `bank`, `end_user`, ...
    #[serde(default, deserialize_with = "de_opt_text")]
    pub role: Option<String>,
    /// The name as written on the order.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub name: Option<String>,
    /// ISO code or country name, as written.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub country: Option<String>,
    /// Address, as written.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub address: Option<String>,
    /// Date of birth (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`): evidence for or against a
    /// name hit on a listed person.
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub dob: Option<String>,
    /// Nationality (ISO code or country name), evidence as `dob` is.
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub nationality: Option<String>,
    /// Identifiers (passport, national id, ...), evidence as `dob` is.
    #[serde(
        default,
        deserialize_with = "de_null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub identifiers: Vec<PartyIdentifier>,
}

/// An identifier of a party: `{"type": "passport", "value": "..."}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyIdentifier {
    /// The scheme: `passport`, `national_id`, `imo`, ...
    #[serde(rename = "type", deserialize_with = "de_text")]
    pub scheme: String,
    /// The identifier as written.
    #[serde(deserialize_with = "de_text")]
    pub value: String,
}

/// One goods line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodsLine {
    /// Invoice or bill-of-lading text.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub description: Option<String>,
    /// HS / CN / HTS / Schedule B code, with or without dots.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub hs: Option<String>,
    /// Number of items.
    #[serde(default, deserialize_with = "de_opt_number")]
    pub quantity: Option<f64>,
    /// Declared value of the whole line.
    #[serde(default, deserialize_with = "de_opt_number")]
    pub value: Option<f64>,
    /// ISO 4217 currency of `value`.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub currency: Option<String>,
}

/// The route.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Country (or place) of origin.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub origin: Option<String>,
    /// Country (or place) of destination.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub destination: Option<String>,
    /// Transit ports, places or countries.
    #[serde(default, deserialize_with = "de_places")]
    pub via: Vec<String>,
    /// Vessel name.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub vessel: Option<String>,
    /// Vessel IMO number, with or without the `IMO` prefix.
    #[serde(default, deserialize_with = "de_opt_text")]
    pub imo: Option<String>,
}

/// The fields of an order, as JSON names them.
pub const ORDER_FIELDS: &[&str] = &["id", "parties", "goods", "route"];
/// The fields of a party.
pub const PARTY_FIELDS: &[&str] = &[
    "role",
    "name",
    "country",
    "address",
    "dob",
    "nationality",
    "identifiers",
];
/// The fields of a party's identifier.
pub const IDENTIFIER_FIELDS: &[&str] = &["type", "value"];
/// The fields of a goods line.
pub const GOODS_FIELDS: &[&str] = &["description", "hs", "quantity", "value", "currency"];
/// The fields of a route.
pub const ROUTE_FIELDS: &[&str] = &["origin", "destination", "via", "vessel", "imo"];

impl Order {
    /// Reads one order from JSON and validates it.
    ///
    /// # Examples
    ///
    /// ```
    /// let order = embargo::Order::from_json(r#"{"id": "PO-1", "route": {"destination": "North Korea"}}"#)?;
    /// assert_eq!(order.route.destination.as_deref(), Some("North Korea"));
    /// assert!(embargo::Order::from_json(r#"{"parties": []}"#).is_err());
    /// // A field the order model does not name is refused, never ignored.
    /// let err = embargo::Order::from_json(r#"{"id": "X", "party": [{"name": "KOMID"}]}"#).unwrap_err();
    /// assert!(err.to_string().contains("unknown field `party` (did you mean `parties`?)"));
    /// // So is an order with nothing to screen.
    /// assert!(embargo::Order::from_json(r#"{"id": "X"}"#).is_err());
    /// # Ok::<(), embargo::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Order, crate::Error> {
        let order: Order = serde_json::from_str(text)
            .map_err(|e| crate::Error::invalid_order(explain_json_error(text, e)))?;
        order.validate().map_err(crate::Error::invalid_order)?;
        Ok(order)
    }

    /// [`Order::from_json`] for a JSON value already parsed (an HTTP body).
    pub fn from_value(value: serde_json::Value) -> Result<Order, crate::Error> {
        // The walk names an unknown field with its path; serde's own message is kept
        // for every other fault.
        if let Some(why) = unknown_field(&value) {
            return Err(crate::Error::invalid_order(why));
        }
        let order = match Order::deserialize(&value) {
            Ok(order) => order,
            Err(e) => {
                // Read again, keeping track of where, to name the field at fault.
                let at = serde_path_to_error::deserialize::<_, Order>(&value)
                    .err()
                    .map(|pe| pe.path().to_string());
                return Err(crate::Error::invalid_order(with_path(at, e.to_string())));
            }
        };
        order.validate().map_err(crate::Error::invalid_order)?;
        Ok(order)
    }

    /// Whether the order names anything to screen: a party's name, country or
    /// address, a goods line's description or code, or a route field.
    pub fn has_something_to_screen(&self) -> bool {
        let r = &self.route;
        self.parties.iter().any(Party::says_something)
            || self.goods.iter().any(GoodsLine::says_something)
            || r.origin.is_some()
            || r.destination.is_some()
            || !r.via.is_empty()
            || r.vessel.is_some()
            || r.imo.is_some()
    }

    /// Checks what deserialization cannot: a non-empty id, values and quantities that
    /// are finite and not negative, HS codes as [`crate::refdata::hs::HsCode::declared`]
    /// takes them, dates of birth, countries and IMO numbers that can be read (see
    /// [`crate::order_values`]), something to screen, and no empty party or goods line.
    pub fn validate(&self) -> Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("`id` is missing or empty".to_string());
        }
        for (k, g) in self.goods.iter().enumerate() {
            for (field, v) in [("quantity", g.quantity), ("value", g.value)] {
                if let Some(v) = v {
                    if !v.is_finite() || v < 0.0 {
                        return Err(format!(
                            "goods[{k}].{field} must be a number of zero or more, got {v}"
                        ));
                    }
                }
            }
            if let Some(hs) = g.hs.as_deref().filter(|h| !h.trim().is_empty()) {
                crate::refdata::hs::HsCode::declared(hs)
                    .map_err(|why| format!("goods[{k}].hs {why}"))?;
            }
        }
        self.check_values()?;
        if !self.has_something_to_screen() {
            return Err(
                "nothing to screen: no party name, country or address, no goods description or HS code, no route"
                    .to_string(),
            );
        }
        // An empty party or goods line is a field lost on the way (a name column left
        // blank, a mapping gone wrong): what it stood for cannot be screened.
        for (k, p) in self.parties.iter().enumerate() {
            if !p.says_something() {
                return Err(format!(
                    "parties[{k}] has no name, country or address: nothing to screen"
                ));
            }
        }
        for (k, g) in self.goods.iter().enumerate() {
            if !g.says_something() {
                return Err(format!(
                    "goods[{k}] has no description or HS code: nothing to screen"
                ));
            }
        }
        Ok(())
    }
}

impl Order {
    /// The values that must mean something to be screened (see
    /// [`crate::order_values`]), each refused with its field.
    fn check_values(&self) -> Result<(), String> {
        use crate::order_values::{
            check_country, check_currency, check_dob, check_imo, check_party_name,
            check_route_place,
        };
        let at = |field: String| move |why: String| format!("{field}: {why}");
        for (k, p) in self.parties.iter().enumerate() {
            if let Some(name) = &p.name {
                check_party_name(name).map_err(at(format!("parties[{k}].name")))?;
            }
            if let Some(dob) = &p.dob {
                check_dob(dob).map_err(at(format!("parties[{k}].dob")))?;
            }
            for (field, value) in [("country", &p.country), ("nationality", &p.nationality)] {
                if let Some(v) = value {
                    check_country(v).map_err(at(format!("parties[{k}].{field}")))?;
                }
            }
            for (j, id) in p.identifiers.iter().enumerate() {
                if id.value.trim().is_empty() {
                    return Err(format!(
                        "parties[{k}].identifiers[{j}].value: must not be blank"
                    ));
                }
            }
        }
        for (k, g) in self.goods.iter().enumerate() {
            if let Some(c) = &g.currency {
                check_currency(c).map_err(at(format!("goods[{k}].currency")))?;
            }
        }
        let r = &self.route;
        for (field, value) in [("origin", &r.origin), ("destination", &r.destination)] {
            if let Some(v) = value {
                check_route_place(v).map_err(at(format!("route.{field}")))?;
            }
        }
        for (j, v) in r.via.iter().enumerate() {
            check_route_place(v).map_err(at(format!("route.via[{j}]")))?;
        }
        if let Some(imo) = &r.imo {
            check_imo(imo).map_err(at("route.imo".to_string()))?;
        }
        Ok(())
    }
}

impl Party {
    /// Whether the party names something to screen: a name, a country or an address.
    pub fn says_something(&self) -> bool {
        self.name.is_some() || self.country.is_some() || self.address.is_some()
    }
}

impl GoodsLine {
    /// Whether the line names something to classify: a description or an HS code.
    pub fn says_something(&self) -> bool {
        self.description.is_some() || self.hs.is_some()
    }
}

/// The message for an order that did not deserialize: an unknown field named with its
/// path and a "did you mean", or serde's own message for any other fault, after the
/// path of the field at fault when there is one (`goods[0].value: ...`).
///
/// # Examples
///
/// ```
/// let text = r#"{"id": "A", "goods": [{"value": "ten"}]}"#;
/// let err = serde_json::from_str::<embargo::Order>(text).unwrap_err();
/// let why = embargo::order::explain_json_error(text, err);
/// assert!(why.starts_with("goods[0].value: `ten` is not a number"), "{why}");
/// ```
pub fn explain_json_error(text: &str, e: serde_json::Error) -> String {
    if e.is_data() {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
            if let Some(why) = unknown_field(&value) {
                return why;
            }
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let at = serde_path_to_error::deserialize::<_, Order>(&mut de)
            .err()
            .map(|pe| pe.path().to_string());
        return with_path(at, crate::error::json_message(&e));
    }
    crate::error::json_message(&e)
}

/// `why` after the path of the field at fault, when it names one.
fn with_path(at: Option<String>, why: String) -> String {
    match at {
        Some(path) if path != "." && !path.is_empty() => format!("{path}: {why}"),
        _ => why,
    }
}

/// The first field of `order` (a JSON order) that the order model does not name, as a
/// message with its path (`parties[0].full_name`) and a hint; `None` when every field
/// is known.
///
/// # Examples
///
/// ```
/// use embargo::order::unknown_field;
/// let v = serde_json::json!({"id": "T1", "destination": "KP"});
/// let why = unknown_field(&v).unwrap_or_default();
/// assert!(why.contains("`destination` belongs in `route`"), "{why}");
/// ```
pub fn unknown_field(order: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let obj = order.as_object()?;
    if let Some(k) = first_unknown(obj, ORDER_FIELDS) {
        let inner = [
            ("route", ROUTE_FIELDS, "`route`"),
            ("a party", PARTY_FIELDS, "a party of `parties`"),
            ("a goods line", GOODS_FIELDS, "a line of `goods`"),
        ];
        let lower = k.to_lowercase();
        let hint = match inner
            .iter()
            .find(|(_, fields, _)| fields.contains(&lower.as_str()))
        {
            Some((_, _, place)) => format!("`{lower}` belongs in {place}"),
            None => hint_for(k, ORDER_FIELDS, "an order"),
        };
        return Some(format!("unknown field `{k}` ({hint})"));
    }
    let each = |field: &str, fields: &'static [&'static str], what: &str| -> Option<String> {
        let Some(Value::Array(items)) = obj.get(field) else {
            return None;
        };
        items.iter().enumerate().find_map(|(i, item)| {
            let o = item.as_object()?;
            if let Some(k) = first_unknown(o, fields) {
                return Some(format!(
                    "unknown field `{field}[{i}].{k}` ({})",
                    hint_for(k, fields, what)
                ));
            }
            if field == "parties" {
                if let Some(Value::Array(ids)) = o.get("identifiers") {
                    for (j, id) in ids.iter().enumerate() {
                        if let Some(k) = id
                            .as_object()
                            .and_then(|o| first_unknown(o, IDENTIFIER_FIELDS))
                        {
                            return Some(format!(
                                "unknown field `parties[{i}].identifiers[{j}].{k}` ({})",
                                hint_for(k, IDENTIFIER_FIELDS, "an identifier")
                            ));
                        }
                    }
                }
            }
            None
        })
    };
    if let Some(why) = each("parties", PARTY_FIELDS, "a party") {
        return Some(why);
    }
    if let Some(why) = each("goods", GOODS_FIELDS, "a goods line") {
        return Some(why);
    }
    if let Some(Value::Object(route)) = obj.get("route") {
        if let Some(k) = first_unknown(route, ROUTE_FIELDS) {
            return Some(format!(
                "unknown field `route.{k}` ({})",
                hint_for(k, ROUTE_FIELDS, "a route")
            ));
        }
    }
    None
}

fn first_unknown<'a>(
    obj: &'a serde_json::Map<String, serde_json::Value>,
    known: &[&str],
) -> Option<&'a str> {
    obj.keys().map(String::as_str).find(|k| !known.contains(k))
}

/// "did you mean `x`?", or the fields `what` has.
fn hint_for(field: &str, known: &[&'static str], what: &str) -> String {
    match crate::rules::diagnostic::did_you_mean(field, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("{what} has {}", known.join(", ")),
    }
}

/// Parses a number as order systems write it: `1250`, `1250.5`, `"1,250.50"`.
/// `"USD 1,250"` is not accepted (the currency has its own field), and neither is a
/// comma anywhere but between groups of three digits before the point: `2.500,00`,
/// `1,5` and `1,00` are decimal commas, which a reader of thousands separators would
/// take for 2.5, 15 and 100, so they are refused rather than guessed.
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    if fraction.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let digits = whole.trim_start_matches(['+', '-']);
    if digits.contains(',') {
        let mut groups = digits.split(',');
        let first = groups.next().unwrap_or_default();
        let is_digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
        if first.is_empty() || first.len() > 3 || !is_digits(first) {
            return None;
        }
        if !groups.all(|g| g.len() == 3 && is_digits(g)) {
            return None;
        }
    }
    let cleaned: String = text.chars().filter(|c| *c != ',' && *c != '_').collect();
    if cleaned.is_empty() {
        return None;
    }
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// What a number that [`parse_number`] refuses should look like.
pub const NUMBER_FORM: &str = "write a point before decimals, and commas only between groups of three digits (`2500.00`, `2,500.00`)";

/// A field that trading systems write as text, number or boolean.
enum Scalar {
    Text(String),
    Int(i64),
    /// A whole number above `i64::MAX`, kept exact.
    UInt(u64),
    Float(f64),
    Bool(bool),
}

// By hand rather than `#[serde(untagged)]`: an untagged enum buffers each value and
// builds an error for every variant it tries, for every field of every order.
impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl serde::de::Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::Text(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(i64::try_from(v).map_or(Scalar::UInt(v), Scalar::Int))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(v))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }
        }
        d.deserialize_any(ScalarVisitor)
    }
}

fn scalar_text(s: Scalar) -> String {
    match s {
        Scalar::Text(t) => t,
        Scalar::Int(i) => i.to_string(),
        Scalar::UInt(u) => u.to_string(),
        Scalar::Float(f) => f.to_string(),
        Scalar::Bool(b) => b.to_string(),
    }
}

pub(crate) fn de_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = Scalar::deserialize(d)?;
    Ok(scalar_text(s))
}

/// The one rule for an order's `id`, whichever reader it came through (JSON lines, the
/// service, Python): text as written (a blank one is refused by [`Order::validate`]),
/// or a whole number written digit for digit, kept as that text. Anything else is
/// refused rather than echoed changed: JSON gives a number with a fraction or an
/// exponent (`1.5`, `1e3`), or a whole number beyond 64 bits, only as a float, whose
/// text would differ from what the caller sent (`12345678901234567890123` came back
/// as `12345678901234568000000`), and two such ids could come back as one. A boolean is
/// no identifier.
pub(crate) fn de_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Scalar::deserialize(d)? {
        Scalar::Float(_) => Err(serde::de::Error::custom(
            "must be a non-blank string or a whole number written without a fraction or exponent and within 64 bits (send any other as a string)",
        )),
        Scalar::Bool(b) => Err(serde::de::Error::custom(format!(
            "must be a non-blank string or a whole number, got `{b}`"
        ))),
        s => Ok(scalar_text(s)),
    }
}

pub(crate) fn de_opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s: Option<Scalar> = Option::deserialize(d)?;
    Ok(s.map(scalar_text).filter(|t| !t.trim().is_empty()))
}

pub(crate) fn de_opt_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let s: Option<Scalar> = Option::deserialize(d)?;
    match s {
        None => Ok(None),
        Some(Scalar::Int(i)) => Ok(Some(i as f64)),
        Some(Scalar::UInt(u)) => Ok(Some(u as f64)),
        Some(Scalar::Float(f)) => Ok(Some(f)),
        Some(Scalar::Text(t)) if t.trim().is_empty() => Ok(None),
        Some(Scalar::Text(t)) => parse_number(&t).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!("`{t}` is not a number: {NUMBER_FORM}"))
        }),
        Some(Scalar::Bool(b)) => Err(serde::de::Error::custom(format!("`{b}` is not a number"))),
    }
}

fn de_places<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Places {
        One(String),
        Many(Vec<Option<Scalar>>),
    }
    let places: Option<Places> = Option::deserialize(d)?;
    Ok(match places {
        None => Vec::new(),
        Some(Places::One(s)) => split_list(&s),
        Some(Places::Many(v)) => v
            .into_iter()
            .flatten()
            .map(scalar_text)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    })
}

fn de_null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Splits a `;`-separated list, dropping empty members.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_thousands_separators_read_and_decimal_commas_are_refused() {
        for (text, want) in [
            ("1250", 1250.0),
            ("1250.5", 1250.5),
            ("1,250.50", 1250.5),
            ("12,345,678", 12_345_678.0),
            ("-1,000", -1000.0),
            (" 2500 ", 2500.0),
        ] {
            assert_eq!(parse_number(text), Some(want), "{text}");
        }
        for text in [
            "2.500,00",
            "1,5",
            "1,00",
            "12,34,567",
            ",500",
            "1,000,00",
            "1.000,5",
            "USD 10",
            "",
        ] {
            assert_eq!(parse_number(text), None, "{text}");
        }
    }

    #[test]
    fn contract_example_reads() {
        let line = r#"{"id": "PO-1",
 "parties": [{"role": "buyer", "name": "Jiangsu Overseas Group Co", "country": "CN", "address": "Nanjing"}],
 "goods":   [{"description": "Lexus LX570 SUV, 2020", "hs": "8703.24", "quantity": 10, "value": 1000000, "currency": "USD"}],
 "route":   {"origin": "AE", "destination": "CN", "via": ["Ningbo"], "vessel": "", "imo": ""}}"#;
        let o: Order = serde_json::from_str(line).expect("parses");
        assert_eq!(o.id, "PO-1");
        assert_eq!(o.goods[0].value, Some(1_000_000.0));
        assert_eq!(o.route.via, ["Ningbo"]);
        assert_eq!(o.route.vessel, None, "empty strings mean absent");
        assert!(o.validate().is_ok());
    }

    #[test]
    fn lenient_where_harmless() {
        let o: Order = serde_json::from_str(
            r#"{"id": 17, "goods": [{"hs": 870324, "value": "1,250.50", "quantity": null}], "route": {"via": "Dalian; Nampo"}}"#,
        )
        .expect("parses");
        assert_eq!(o.id, "17");
        assert_eq!(o.goods[0].hs.as_deref(), Some("870324"));
        assert_eq!(o.goods[0].value, Some(1250.5));
        assert_eq!(o.route.via, ["Dalian", "Nampo"]);
    }

    #[test]
    fn strict_where_meaningless() {
        assert!(
            serde_json::from_str::<Order>(r#"{"id": "x", "goods": [{"value": "ten"}]}"#).is_err()
        );
        let neg: Order =
            serde_json::from_str(r#"{"id": "x", "goods": [{"quantity": -1}]}"#).expect("parses");
        assert!(neg.validate().is_err());
        let hs: Order =
            serde_json::from_str(r#"{"id": "x", "goods": [{"hs": "87O3"}]}"#).expect("parses");
        assert!(hs.validate().unwrap_err().contains("goods[0].hs"));
        let empty: Order = serde_json::from_str(r#"{"id": " "}"#).expect("parses");
        assert!(empty.validate().is_err());
        assert!(
            serde_json::from_str::<Order>(r#"{"parties": []}"#).is_err(),
            "id is required"
        );
    }
}
