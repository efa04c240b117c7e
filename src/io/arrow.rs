//! Orders from Arrow record batches and decisions to them (feature `arrow`): what the
//! Python package hands pyarrow and Spark, and what [`super::parquet`] reads and
//! writes.
//!
//! Orders are in the flat layout of [`super::flat`], the one CSV files have: a column
//! per field, lists either as list columns (items taken as they are) or as text of
//! `;`-separated items. Text columns may be `Utf8`, `LargeUtf8`, `Utf8View` or
//! dictionary-encoded text; any column may hold whole numbers or floats (an `id` of
//! type `Int64` reads as `17`); a column of any other type refuses the whole input, as
//! an unknown column does.
//!
//! Decisions have the columns of [`decision_schema`]: the contract's `id`, `decision`,
//! `ruleset` and `hits` (as JSON text), what a reviewer filters on (`rule`, `rules`,
//! `entities`, `categories`, `top_score`), and the rest of a decision line as JSON
//! text, so that every `screen` JSON line can be rebuilt from a row.

use std::sync::Arc;

use arrow_array::builder::{Float64Builder, ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use rayon::prelude::*;

use super::flat::{self, Cell, Layout};
use super::{Record, Rejected};
use crate::engine::eval::Evidence;
use crate::engine::{OrderDecision, Screener};
use crate::order::Order;

/// The flat layout of a record batch's schema, with every column's type checked.
#[derive(Debug, Clone)]
pub struct ArrowLayout {
    layout: Layout,
}

/// Whether `dt` holds single values the layout can read: text, numbers, or nulls.
fn scalar_type(dt: &DataType) -> bool {
    match dt {
        DataType::Null
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float32
        | DataType::Float64 => true,
        DataType::Dictionary(key, value) => key.is_dictionary_key_type() && scalar_type(value),
        _ => false,
    }
}

/// The item field of a list type the layout reads.
fn list_item(dt: &DataType) -> Option<&Field> {
    match dt {
        DataType::List(f) | DataType::LargeList(f) => Some(f.as_ref()),
        _ => None,
    }
}

impl ArrowLayout {
    /// Reads `schema`'s columns as the flat layout; `ignored` as in [`Layout::new`].
    /// Fails on an unknown column, on no `id` column, and on a column of a type the
    /// layout cannot read (a list where one value is expected, a date, a struct).
    ///
    /// # Examples
    ///
    /// ```
    /// use arrow_schema::{DataType, Field, Schema};
    /// use embargo::io::arrow::ArrowLayout;
    /// let ok = Schema::new(vec![
    ///     Field::new("id", DataType::Int64, false),
    ///     Field::new("party_name", DataType::new_list(DataType::Utf8, true), true),
    /// ]);
    /// assert!(ArrowLayout::new(&ok, &[]).is_ok());
    /// let bad = Schema::new(vec![
    ///     Field::new("id", DataType::Utf8, false),
    ///     Field::new("destination", DataType::Date32, true),
    /// ]);
    /// let err = ArrowLayout::new(&bad, &[]).unwrap_err();
    /// assert!(err.contains("column `destination` has type Date32"), "{err}");
    /// ```
    pub fn new(schema: &Schema, ignored: &[String]) -> Result<ArrowLayout, String> {
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        let layout = Layout::new(&names, ignored).map_err(|e| match e.column {
            Some(k) => format!("column {}: {}", k + 1, e.message),
            None => format!("the orders have {}", e.message),
        })?;
        for (k, field) in schema.fields().iter().enumerate() {
            if !layout.is_read(k) {
                continue;
            }
            let dt = field.data_type();
            let fits = scalar_type(dt)
                || (layout.is_list(k) && list_item(dt).is_some_and(|f| scalar_type(f.data_type())));
            if !fits {
                let expected = if layout.is_list(k) {
                    "text, numbers, or a list of them"
                } else {
                    "text or numbers (one value per order)"
                };
                return Err(format!(
                    "column `{}` has type {dt}; embargo reads it as {expected}",
                    field.name()
                ));
            }
        }
        Ok(ArrowLayout { layout })
    }

    /// The order in row `row` of `batch` (whose schema this layout was read from);
    /// `number` names the row in a rejection (1-based, in the whole input).
    pub fn order(&self, batch: &RecordBatch, row: usize, number: u64) -> Record {
        let mut r = self.layout.row();
        for (k, column) in batch.columns().iter().enumerate() {
            if !self.layout.is_read(k) || row >= column.len() || column.is_null(row) {
                continue;
            }
            match column.data_type() {
                DataType::List(_) => {
                    let list = column.as_list::<i32>();
                    let values = list.values();
                    let range = list.value_offsets();
                    let (start, end) = (range[row] as usize, range[row + 1] as usize);
                    r.set_list(k, (start..end).map(|i| scalar(values.as_ref(), i)));
                }
                DataType::LargeList(_) => {
                    let list = column.as_list::<i64>();
                    let values = list.values();
                    let range = list.value_offsets();
                    let (start, end) = (range[row] as usize, range[row + 1] as usize);
                    r.set_list(k, (start..end).map(|i| scalar(values.as_ref(), i)));
                }
                _ => {
                    if let Some(cell) = scalar(column.as_ref(), row) {
                        r.set(k, cell);
                    }
                }
            }
        }
        r.finish(number)
    }
}

/// The value at `row` of an array of a [`scalar_type`]; `None` for a null (or a type
/// the layout check turned away).
fn scalar(array: &dyn Array, row: usize) -> Option<Cell<'_>> {
    if row >= array.len() || array.is_null(row) {
        return None;
    }
    Some(match array.data_type() {
        DataType::Utf8 => Cell::Text(array.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => Cell::Text(array.as_string::<i64>().value(row)),
        DataType::Utf8View => Cell::Text(array.as_string_view().value(row)),
        DataType::Int8 => Cell::Int(array.as_primitive::<Int8Type>().value(row).into()),
        DataType::Int16 => Cell::Int(array.as_primitive::<Int16Type>().value(row).into()),
        DataType::Int32 => Cell::Int(array.as_primitive::<Int32Type>().value(row).into()),
        DataType::Int64 => Cell::Int(array.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 => Cell::Int(array.as_primitive::<UInt8Type>().value(row).into()),
        DataType::UInt16 => Cell::Int(array.as_primitive::<UInt16Type>().value(row).into()),
        DataType::UInt32 => Cell::Int(array.as_primitive::<UInt32Type>().value(row).into()),
        DataType::UInt64 => {
            let v = array.as_primitive::<UInt64Type>().value(row);
            i64::try_from(v).map_or(Cell::Float(v as f64), Cell::Int)
        }
        DataType::Float32 => Cell::Float(array.as_primitive::<Float32Type>().value(row).into()),
        DataType::Float64 => Cell::Float(array.as_primitive::<Float64Type>().value(row)),
        DataType::Dictionary(_, _) => {
            let dict = array.as_any_dictionary_opt()?;
            let key = dictionary_key(dict.keys(), row)?;
            return scalar(dict.values().as_ref(), key);
        }
        _ => return None,
    })
}

/// The key at `row` of a dictionary's keys, as an index into its values.
fn dictionary_key(keys: &dyn Array, row: usize) -> Option<usize> {
    let key: i64 = match keys.data_type() {
        DataType::Int8 => keys.as_primitive::<Int8Type>().value(row).into(),
        DataType::Int16 => keys.as_primitive::<Int16Type>().value(row).into(),
        DataType::Int32 => keys.as_primitive::<Int32Type>().value(row).into(),
        DataType::Int64 => keys.as_primitive::<Int64Type>().value(row),
        DataType::UInt8 => keys.as_primitive::<UInt8Type>().value(row).into(),
        DataType::UInt16 => keys.as_primitive::<UInt16Type>().value(row).into(),
        DataType::UInt32 => keys.as_primitive::<UInt32Type>().value(row).into(),
        DataType::UInt64 => i64::try_from(keys.as_primitive::<UInt64Type>().value(row)).ok()?,
        _ => return None,
    };
    usize::try_from(key).ok()
}

/// Why a batch could not be screened: its columns, or one of its rows.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchError {
    /// The columns are not the flat layout (an unknown column, a type it cannot read).
    Layout(String),
    /// The first row that could not be read, numbered from 1 across all batches.
    Row(Rejected),
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BatchError::Layout(why) => f.write_str(why),
            BatchError::Row(r) => {
                write!(f, "row {}", r.line)?;
                if let Some(id) = &r.id {
                    write!(f, " (order {id})")?;
                }
                write!(f, ": {}", r.error)
            }
        }
    }
}

impl std::error::Error for BatchError {}

/// Screens every row of `batches` in parallel on rayon's current pool, and returns
/// one batch of decisions per batch of orders, rows in the same order. All or nothing:
/// the first row that cannot be read (numbered from 1 across the batches), or whose
/// order id an earlier row had, fails the call, as a screening that skipped an order
/// would look complete.
///
/// # Examples
///
/// ```
/// use embargo::io::arrow::{orders_batch, screen_batches};
/// use embargo::{Order, Ruleset, ScreenOptions, Screener};
/// let rules = r#"
/// set countries dprk = KP
/// rule to_dprk { basis "UNSCR 2397 (2017)" when destination in dprk then block "Shipped to the DPRK" }
/// "#;
/// let screener = Screener::new(Ruleset::from_text("r.emb", rules)?, ScreenOptions::default());
/// let orders = [Order::from_json(r#"{"id": "A", "route": {"destination": "North Korea"}}"#)?];
/// let batch = orders_batch(&orders).expect("the orders convert");
/// let decisions = screen_batches(&screener, &[batch]).expect("screened");
/// let column = decisions[0].column_by_name("decision").expect("column");
/// let decision = arrow_array::cast::AsArray::as_string::<i32>(column.as_ref()).value(0);
/// assert_eq!(decision, "block");
/// # Ok::<(), embargo::Error>(())
/// ```
pub fn screen_batches(
    screener: &Screener,
    batches: &[RecordBatch],
) -> Result<Vec<RecordBatch>, BatchError> {
    let Some(first) = batches.first() else {
        return Ok(Vec::new());
    };
    let layout = ArrowLayout::new(&first.schema(), &[]).map_err(BatchError::Layout)?;
    let mut starts = Vec::with_capacity(batches.len());
    let mut rows = 0u64;
    for b in batches {
        if b.schema() != first.schema() {
            return Err(BatchError::Layout(
                "the record batches do not all have the same columns".to_string(),
            ));
        }
        starts.push(rows);
        rows += b.num_rows() as u64;
    }
    let decided: Vec<Vec<OrderDecision>> = batches
        .par_iter()
        .zip(starts.par_iter())
        .map(|(batch, start)| {
            (0..batch.num_rows())
                .into_par_iter()
                .map(|row| {
                    layout
                        .order(batch, row, start + row as u64 + 1)
                        .map(|(_, order)| screener.screen(&order))
                })
                .collect::<Result<_, Rejected>>()
                .map_err(BatchError::Row)
        })
        .collect::<Result<_, _>>()?;
    let mut ids = crate::batch::OrderIds::new("row");
    for (decisions, start) in decided.iter().zip(&starts) {
        for (row, d) in (start + 1..).zip(decisions) {
            ids.check(row, &d.id).map_err(|error| {
                BatchError::Row(Rejected {
                    line: row,
                    id: Some(d.id.clone()),
                    error,
                })
            })?;
        }
    }
    decided
        .par_iter()
        .map(|decisions| {
            let mut builder = DecisionBuilder::with_capacity(decisions.len());
            for d in decisions {
                builder.push(d);
            }
            builder
                .finish()
                .map_err(|e| BatchError::Layout(e.to_string()))
        })
        .collect()
}

/// The columns of decisions, in order.
///
/// | column | type | holds |
/// | --- | --- | --- |
/// | `id` | text | the order's id |
/// | `decision` | text | `clear`, `review` or `block` |
/// | `rule` | text | the first rule that made the decision (null when clear) |
/// | `rules` | list of text | every rule that fired, once each, in the order of the hits |
/// | `entities` | list of text | the listed entities hit (`SOURCE:ID`), once each |
/// | `categories` | list of text | the goods categories hit, once each |
/// | `top_score` | float | the highest name score among the entity hits (null without one) |
/// | `ruleset` | text | the ruleset's hash |
/// | `order_hash` | text | the order's fingerprint ([`crate::order_hash`]) |
/// | `hits` | text | the decision's `hits`, as JSON |
/// | `allowed` | text | the hits an allowance suppressed, as JSON (null when none) |
/// | `engine` | text | the engine and its version |
/// | `settings` | text | the settings that can change a decision, as JSON |
/// | `lists` | text | the list versions screened against, as JSON |
pub fn decision_schema() -> SchemaRef {
    let text = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    let list = |name: &str| Field::new(name, DataType::new_list(DataType::Utf8, true), false);
    Arc::new(Schema::new(vec![
        text("id", false),
        text("decision", false),
        text("rule", true),
        list("rules"),
        list("entities"),
        list("categories"),
        Field::new("top_score", DataType::Float64, true),
        text("ruleset", false),
        text("order_hash", false),
        text("hits", false),
        text("allowed", true),
        text("engine", false),
        text("settings", false),
        text("lists", false),
    ]))
}

/// Decisions gathered into a record batch of [`decision_schema`].
pub struct DecisionBuilder {
    id: StringBuilder,
    decision: StringBuilder,
    rule: StringBuilder,
    rules: ListBuilder<StringBuilder>,
    entities: ListBuilder<StringBuilder>,
    categories: ListBuilder<StringBuilder>,
    top_score: Float64Builder,
    ruleset: StringBuilder,
    order_hash: StringBuilder,
    hits: StringBuilder,
    allowed: StringBuilder,
    engine: StringBuilder,
    settings: StringBuilder,
    lists: StringBuilder,
    rows: usize,
}

impl Default for DecisionBuilder {
    fn default() -> Self {
        DecisionBuilder::with_capacity(1024)
    }
}

/// Pushes `items` as one list, each once, in order of first appearance.
fn push_distinct<'a>(list: &mut ListBuilder<StringBuilder>, items: impl Iterator<Item = &'a str>) {
    let mut seen: Vec<&str> = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
            list.values().append_value(item);
        }
    }
    list.append(true);
}

impl DecisionBuilder {
    /// An empty builder with room for `rows` decisions.
    pub fn with_capacity(rows: usize) -> DecisionBuilder {
        let text = || StringBuilder::with_capacity(rows, rows * 16);
        let list = || ListBuilder::with_capacity(StringBuilder::new(), rows);
        DecisionBuilder {
            id: text(),
            decision: text(),
            rule: text(),
            rules: list(),
            entities: list(),
            categories: list(),
            top_score: Float64Builder::with_capacity(rows),
            ruleset: text(),
            order_hash: text(),
            hits: text(),
            allowed: text(),
            engine: text(),
            settings: text(),
            lists: text(),
            rows: 0,
        }
    }

    /// Decisions pushed since the last [`DecisionBuilder::finish`].
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no decision was pushed since the last [`DecisionBuilder::finish`].
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Adds one decision as a row.
    pub fn push(&mut self, d: &OrderDecision) {
        self.id.append_value(&d.id);
        self.decision.append_value(d.decision.as_str());
        self.rule.append_option(
            d.hits
                .iter()
                .find(|h| h.decision == d.decision)
                .map(|h| h.rule.as_str()),
        );
        push_distinct(&mut self.rules, d.hits.iter().map(|h| h.rule.as_str()));
        push_distinct(
            &mut self.entities,
            d.hits.iter().filter_map(|h| match &h.evidence {
                Evidence::Entity { hit, .. } => Some(hit.entity_id.as_str()),
                _ => None,
            }),
        );
        push_distinct(
            &mut self.categories,
            d.hits.iter().filter_map(|h| match &h.evidence {
                Evidence::Goods { hit, .. } => Some(hit.category_id.as_str()),
                _ => None,
            }),
        );
        self.top_score.append_option(
            d.hits
                .iter()
                .filter_map(|h| match &h.evidence {
                    Evidence::Entity { hit, .. } => Some(hit.score),
                    _ => None,
                })
                .reduce(f64::max),
        );
        self.ruleset.append_value(&d.ruleset);
        self.order_hash.append_value(d.order_hash.to_string());
        self.hits.append_value(json(&d.hits));
        self.allowed
            .append_option((!d.allowed.is_empty()).then(|| json(&d.allowed)));
        self.engine.append_value(&d.engine);
        self.settings.append_value(json(&d.settings));
        self.lists.append_value(json(&d.lists));
        self.rows += 1;
    }

    /// The decisions pushed so far as a record batch; the builder starts empty again.
    pub fn finish(&mut self) -> Result<RecordBatch, ArrowError> {
        self.rows = 0;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            Arc::new(self.decision.finish()),
            Arc::new(self.rule.finish()),
            Arc::new(self.rules.finish()),
            Arc::new(self.entities.finish()),
            Arc::new(self.categories.finish()),
            Arc::new(self.top_score.finish()),
            Arc::new(self.ruleset.finish()),
            Arc::new(self.order_hash.finish()),
            Arc::new(self.hits.finish()),
            Arc::new(self.allowed.finish()),
            Arc::new(self.engine.finish()),
            Arc::new(self.settings.finish()),
            Arc::new(self.lists.finish()),
        ];
        RecordBatch::try_new(decision_schema(), columns)
    }
}

/// JSON text of a part of a decision. Plain data serializes; were it ever to fail,
/// the row says so rather than look clean.
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot serialize: {e}\"}}"))
}

/// The columns [`orders_batch`] writes: the flat layout with every list as a list
/// column, so that no separator inside a value can split it.
pub fn order_schema() -> SchemaRef {
    let text = |name: &str| Field::new(name, DataType::Utf8, true);
    let texts = |name: String| Field::new(name, DataType::new_list(DataType::Utf8, true), true);
    let numbers =
        |name: String| Field::new(name, DataType::new_list(DataType::Float64, true), true);
    let mut fields = vec![Field::new("id", DataType::Utf8, false)];
    for f in flat::PARTY_FIELDS {
        fields.push(texts(format!("party_{f}")));
    }
    for f in flat::GOODS_FIELDS {
        let name = format!("goods_{f}");
        fields.push(if matches!(*f, "quantity" | "value") {
            numbers(name)
        } else {
            texts(name)
        });
    }
    fields.extend([text("origin"), text("destination")]);
    fields.push(texts("via".to_string()));
    fields.extend([text("vessel"), text("imo")]);
    Arc::new(Schema::new(fields))
}

/// Orders as one record batch of [`order_schema`], which [`ArrowLayout`] reads back
/// to the same orders (values trimmed of surrounding blanks, as every flat input is).
/// Fails, naming the order and field, on an identifier that the layout's
/// `TYPE:VALUE|...` text cannot hold.
pub fn orders_batch(orders: &[Order]) -> Result<RecordBatch, String> {
    let n = orders.len();
    let list = || ListBuilder::with_capacity(StringBuilder::new(), n);
    let mut id = StringBuilder::with_capacity(n, n * 8);
    let mut party: Vec<ListBuilder<StringBuilder>> =
        flat::PARTY_FIELDS.iter().map(|_| list()).collect();
    let mut description = list();
    let mut hs = list();
    let mut quantity = ListBuilder::with_capacity(Float64Builder::new(), n);
    let mut value = ListBuilder::with_capacity(Float64Builder::new(), n);
    let mut currency = list();
    let mut origin = StringBuilder::new();
    let mut destination = StringBuilder::new();
    let mut via = list();
    let mut vessel = StringBuilder::new();
    let mut imo = StringBuilder::new();
    for (k, o) in orders.iter().enumerate() {
        id.append_value(&o.id);
        for (i, p) in o.parties.iter().enumerate() {
            let ids = flat::write_identifiers(&p.identifiers).map_err(|e| {
                format!(
                    "orders[{k}] (order {}): parties[{i}].identifiers: {e}",
                    o.id
                )
            })?;
            let fields = [
                &p.role,
                &p.name,
                &p.country,
                &p.address,
                &p.dob,
                &p.nationality,
                &ids,
            ];
            for (b, v) in party.iter_mut().zip(fields) {
                b.values().append_option(v.as_deref());
            }
        }
        for b in &mut party {
            b.append(true);
        }
        for g in &o.goods {
            description.values().append_option(g.description.as_deref());
            hs.values().append_option(g.hs.as_deref());
            quantity.values().append_option(g.quantity);
            value.values().append_option(g.value);
            currency.values().append_option(g.currency.as_deref());
        }
        description.append(true);
        hs.append(true);
        quantity.append(true);
        value.append(true);
        currency.append(true);
        let r = &o.route;
        origin.append_option(r.origin.as_deref());
        destination.append_option(r.destination.as_deref());
        for place in &r.via {
            via.values().append_value(place);
        }
        via.append(true);
        vessel.append_option(r.vessel.as_deref());
        imo.append_option(r.imo.as_deref());
    }
    let mut columns: Vec<ArrayRef> = vec![Arc::new(id.finish())];
    columns.extend(party.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.extend([
        Arc::new(description.finish()) as ArrayRef,
        Arc::new(hs.finish()),
        Arc::new(quantity.finish()),
        Arc::new(value.finish()),
        Arc::new(currency.finish()),
        Arc::new(origin.finish()),
        Arc::new(destination.finish()),
        Arc::new(via.finish()),
        Arc::new(vessel.finish()),
        Arc::new(imo.finish()),
    ]);
    RecordBatch::try_new(order_schema(), columns).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::types::Int32Type as I32;
    use arrow_array::{Int64Array, ListArray, StringArray};

    fn order(json: &str) -> Order {
        Order::from_json(json).expect("order")
    }

    #[test]
    fn orders_round_trip_through_a_batch() {
        let orders = vec![
            order(
                r#"{"id": "A", "parties": [{"role": "buyer", "name": "Kim; Chol", "dob": "1961", "identifiers": [{"type": "passport", "value": "PD:1"}]}, {"name": "Acme", "country": "CN"}],
                      "goods": [{"description": "cognac", "value": 1250.5, "quantity": 3, "currency": "EUR"}, {"hs": "8703.24"}],
                      "route": {"origin": "AE", "via": ["Dalian", "Nampo"], "imo": "9312341"}}"#,
            ),
            order(r#"{"id": "B", "route": {"destination": "KP"}}"#),
        ];
        let batch = orders_batch(&orders).expect("batch");
        let layout = ArrowLayout::new(&batch.schema(), &[]).expect("layout");
        for (row, want) in orders.iter().enumerate() {
            let (n, got) = layout.order(&batch, row, row as u64 + 1).expect("read");
            assert_eq!(n, row as u64 + 1);
            assert_eq!(&got, want);
        }
    }

    #[test]
    fn decisions_carry_the_order_hash_and_a_repeated_id_fails_the_call() {
        let rules = "set countries dprk = KP\nrule to_dprk { basis \"UNSCR 1718 (2006)\" when destination in dprk then block \"DPRK\" }\n";
        let screener = Screener::new(
            crate::Ruleset::from_text("r.emb", rules).expect("rules"),
            crate::ScreenOptions::default(),
        );
        let orders = [
            order(r#"{"id": "A", "route": {"destination": "KP"}}"#),
            order(r#"{"id": "B", "route": {"destination": "CN"}}"#),
        ];
        let batch = orders_batch(&orders).expect("batch");
        let decisions = screen_batches(&screener, std::slice::from_ref(&batch)).expect("screened");
        let column = decisions[0]
            .column_by_name("order_hash")
            .expect("an order_hash column");
        let hashes = arrow_array::cast::AsArray::as_string::<i32>(column.as_ref());
        for (row, o) in orders.iter().enumerate() {
            assert_eq!(
                hashes.value(row),
                crate::order_hash::OrderHash::of(o).to_string()
            );
        }
        // `A` again, in a second batch: row 3 across the batches.
        let again = orders_batch(&[order(r#"{"id": "A", "route": {"destination": "CN"}}"#)])
            .expect("batch");
        match screen_batches(&screener, &[batch, again]) {
            Err(BatchError::Row(r)) => {
                assert_eq!((r.line, r.id.as_deref()), (3, Some("A")));
                assert_eq!(r.error, "duplicate order id `A`, first on row 1");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn typed_and_text_columns_and_rejections() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, false),
            Field::new("buyer_name", DataType::Utf8, true),
            Field::new("goods_value", DataType::Utf8, true),
            Field::new(
                "goods_description",
                DataType::new_list(DataType::Int32, true),
                true,
            ),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(vec![7, 8])),
                Arc::new(StringArray::from(vec![Some("Acme"), None])),
                Arc::new(StringArray::from(vec![Some("1,000;2"), Some("ten")])),
                Arc::new(ListArray::from_iter_primitive::<I32, _, _>(vec![
                    Some(vec![Some(1), Some(2)]),
                    Some(vec![Some(3)]),
                ])) as ArrayRef,
            ],
        );
        // A list of numbers where descriptions are expected is still read (as text).
        let batch = batch.expect("batch");
        let layout = ArrowLayout::new(&schema, &[]).expect("layout");
        let (_, o) = layout.order(&batch, 0, 1).expect("row 1");
        assert_eq!(o.id, "7");
        assert_eq!(o.goods.len(), 2);
        assert_eq!(o.goods[0].value, Some(1000.0));
        assert_eq!(o.goods[1].description.as_deref(), Some("2"));
        let bad = layout.order(&batch, 1, 2).expect_err("row 2");
        assert_eq!((bad.line, bad.id.as_deref()), (2, Some("8")));
        assert!(
            bad.error
                .starts_with("goods[0].value `ten` is not a number: "),
            "{}",
            bad.error
        );
    }

    #[test]
    fn a_list_where_one_value_belongs_is_refused() {
        let schema = Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new(
                "destination",
                DataType::new_list(DataType::Utf8, true),
                true,
            ),
        ]);
        let err = ArrowLayout::new(&schema, &[]).expect_err("refused");
        assert!(
            err.starts_with("column `destination` has type List"),
            "{err}"
        );
    }
}
