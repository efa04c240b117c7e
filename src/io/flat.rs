//! The flat layout of orders: one row per order, one named column per field. CSV
//! files use it, and so do Arrow record batches and Parquet files; this module is the
//! one place that knows what a column means and how a row becomes an [`Order`].
//!
//! Column names are read without regard to case, spaces or dashes. A column embargo
//! does not know is an error for the whole input ([`Layout::new`]), with a "did you
//! mean": a misspelt `destinaton` read as nothing would clear the orders it was meant
//! to stop.
//!
//! | column | meaning |
//! | --- | --- |
//! | `id` | order id (required) |
//! | `origin`, `destination`, `vessel`, `imo` | route |
//! | `via` | transit places: a list |
//! | `party_role`, `party_name`, `party_country`, `party_address`, `party_dob`, `party_nationality`, `party_identifiers` | parties: lists aligned by position |
//! | `partyN_role`, `partyN_name`, ... (N = 1, 2, ...) | one party per number |
//! | `buyer_name`, `seller_country`, `consignee_address`, ... | a party with that role (`buyer`, `seller`, `consignee`, `shipper`, `notify`, `bank`, `carrier`, `end_user`, `insurer`, `agent`) |
//! | `goods_description`, `goods_hs`, `goods_quantity`, `goods_value`, `goods_currency` | goods: lists aligned by position (also without the `goods_` prefix) |
//! | `goodsN_description`, ... (N = 1, 2, ...) | one goods line per number |
//!
//! A list is a text of `;`-separated items (the only way CSV has), or, in Arrow and
//! Parquet, a list column whose items are taken as they are. A party's identifiers
//! are written `TYPE:VALUE`, several separated by `|` (`passport:PD123|national_id:9`).

use std::collections::BTreeMap;

use super::{Record, Rejected};
use crate::order::{
    parse_number, split_list, GoodsLine, Order, Party, PartyIdentifier, NUMBER_FORM,
};

/// Roles that name a party column (`buyer_name`).
pub(crate) const ROLES: &[&str] = &[
    "buyer",
    "seller",
    "consignee",
    "shipper",
    "notify",
    "bank",
    "carrier",
    "end_user",
    "insurer",
    "agent",
];
/// The fields of a party column, in the order [`Column`] numbers them.
pub(crate) const PARTY_FIELDS: &[&str] = &[
    "role",
    "name",
    "country",
    "address",
    "dob",
    "nationality",
    "identifiers",
];
const PARTY_ROLE: usize = 0;
/// The fields of a goods column, in the order [`Column`] numbers them.
pub(crate) const GOODS_FIELDS: &[&str] = &["description", "hs", "quantity", "value", "currency"];
const GOODS_QUANTITY: usize = 2;
const GOODS_VALUE: usize = 3;

/// Where a column's value goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Column {
    Id,
    Origin,
    Destination,
    Via,
    Vessel,
    Imo,
    /// A list of one party field (index into [`PARTY_FIELDS`]).
    PartyList(usize),
    /// A numbered or role party (group key) and field.
    Party(String, usize),
    /// A list of one goods field (index into [`GOODS_FIELDS`]).
    GoodsList(usize),
    /// A numbered goods line and field.
    Goods(u32, usize),
    Ignored,
}

impl Column {
    /// Whether the column holds a list (several values aligned by position).
    pub(crate) fn is_list(&self) -> bool {
        matches!(
            self,
            Column::Via | Column::PartyList(_) | Column::GoodsList(_)
        )
    }

    /// Whether the column holds numbers (goods quantity and value).
    pub(crate) fn is_number(&self) -> bool {
        matches!(
            self,
            Column::GoodsList(GOODS_QUANTITY | GOODS_VALUE)
                | Column::Goods(_, GOODS_QUANTITY | GOODS_VALUE)
        )
    }
}

fn classify(header: &str) -> Column {
    let h = header.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    match h.as_str() {
        "id" | "order_id" => return Column::Id,
        "origin" => return Column::Origin,
        "destination" => return Column::Destination,
        "via" => return Column::Via,
        "vessel" => return Column::Vessel,
        "imo" => return Column::Imo,
        _ => {}
    }
    if let Some(field) = h.strip_prefix("party_") {
        if let Some(k) = PARTY_FIELDS.iter().position(|f| *f == field) {
            return Column::PartyList(k);
        }
    }
    if let Some(k) = GOODS_FIELDS.iter().position(|f| *f == h) {
        return Column::GoodsList(k);
    }
    if let Some(field) = h.strip_prefix("goods_") {
        if let Some(k) = GOODS_FIELDS.iter().position(|f| *f == field) {
            return Column::GoodsList(k);
        }
    }
    if let Some((prefix, field)) = h.split_once('_').or_else(|| h.rsplit_once('_')) {
        let numbered = |p: &str, name: &str| -> Option<u32> {
            p.strip_prefix(name)
                .and_then(|n| n.trim_start_matches('_').parse().ok())
        };
        if let Some(n) = numbered(prefix, "party") {
            if let Some(k) = PARTY_FIELDS.iter().position(|f| *f == field) {
                return Column::Party(format!("{n:06}"), k);
            }
        }
        if let Some(n) = numbered(prefix, "goods") {
            if let Some(k) = GOODS_FIELDS.iter().position(|f| *f == field) {
                return Column::Goods(n, k);
            }
        }
    }
    for role in ROLES {
        if let Some(field) = h.strip_prefix(role).and_then(|r| r.strip_prefix('_')) {
            if let Some(k) = PARTY_FIELDS
                .iter()
                .position(|f| *f == field && *f != "role")
            {
                return Column::Party(format!("~{role}"), k);
            }
        }
    }
    Column::Ignored
}

/// Every column name of the flat layout, for hints: the fixed ones, the list and
/// role columns, and the numbered ones with `1`.
///
/// # Examples
///
/// ```
/// let columns = embargo::io::flat_columns();
/// assert!(columns.iter().any(|c| c == "goods_value"));
/// assert!(columns.iter().any(|c| c == "buyer_dob"));
/// ```
pub fn flat_columns() -> Vec<String> {
    let mut out: Vec<String> = [
        "id",
        "order_id",
        "origin",
        "destination",
        "via",
        "vessel",
        "imo",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for f in PARTY_FIELDS {
        out.push(format!("party_{f}"));
        out.push(format!("party1_{f}"));
    }
    for f in GOODS_FIELDS {
        out.push((*f).to_string());
        out.push(format!("goods_{f}"));
        out.push(format!("goods1_{f}"));
    }
    for role in ROLES {
        for f in PARTY_FIELDS.iter().filter(|f| **f != "role") {
            out.push(format!("{role}_{f}"));
        }
    }
    out
}

/// A column name the layout refuses, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutError {
    /// 0-based position of the column; `None` when the fault is a column missing.
    pub column: Option<usize>,
    /// What is wrong, with a hint.
    pub message: String,
}

/// The columns of one input, by position: what each one holds.
#[derive(Debug, Clone)]
pub struct Layout {
    columns: Vec<Column>,
    /// Header names as given, for messages.
    names: Vec<String>,
}

impl Layout {
    /// Reads the column names of an input. `ignored` names columns known to hold
    /// nothing to screen (compared without regard to case); any other column the
    /// layout does not know is refused, and so are two columns for one field
    /// (`buyer_name` twice, `id` and `order_id`) and an input without an `id` column.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::io::Layout;
    /// assert!(Layout::new(&["id", "buyer_name", "goods_value"], &[]).is_ok());
    /// let err = Layout::new(&["id", "destinaton"], &[]).unwrap_err();
    /// assert_eq!(err.column, Some(1));
    /// assert!(err.message.contains("did you mean `destination`?"));
    /// assert!(Layout::new(&["destination"], &[]).is_err());
    /// let err = Layout::new(&["id", "buyer_name", "Buyer Name"], &[]).unwrap_err();
    /// assert_eq!(err.column, Some(2));
    /// ```
    pub fn new<S: AsRef<str>>(headers: &[S], ignored: &[String]) -> Result<Layout, LayoutError> {
        let known = flat_columns();
        let mut columns = Vec::with_capacity(headers.len());
        for (k, h) in headers.iter().enumerate() {
            let h = h.as_ref();
            if ignored
                .iter()
                .any(|i| i.trim().eq_ignore_ascii_case(h.trim()))
            {
                columns.push(Column::Ignored);
                continue;
            }
            let c = classify(h);
            if c == Column::Ignored {
                let hint = crate::rules::diagnostic::did_you_mean(
                    &h.trim().to_ascii_lowercase(),
                    known.iter().map(String::as_str),
                )
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
                return Err(LayoutError {
                    column: Some(k),
                    message: format!("unknown column `{h}`: {hint}a column embargo does not read could hold what decides an order; rename it, or name it as one to ignore"),
                });
            }
            // Two columns for one field would leave one of them unread: only the
            // last value of a row would count.
            if let Some(first) = columns.iter().position(|seen| *seen == c) {
                let first_name = headers.get(first).map_or("", |f| f.as_ref());
                return Err(LayoutError {
                    column: Some(k),
                    message: format!("column `{h}` repeats column {} (`{first_name}`): both would fill the same field and only one could be read; merge them or remove one", first + 1),
                });
            }
            columns.push(c);
        }
        if !columns.contains(&Column::Id) {
            return Err(LayoutError {
                column: None,
                message: "no `id` column".to_string(),
            });
        }
        Ok(Layout {
            columns,
            names: headers.iter().map(|h| h.as_ref().to_string()).collect(),
        })
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// Whether there is no column (never, for a layout that was read).
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// The name of column `k` as given.
    pub fn name(&self, k: usize) -> &str {
        self.names.get(k).map_or("", String::as_str)
    }

    pub(crate) fn column(&self, k: usize) -> &Column {
        self.columns.get(k).unwrap_or(&Column::Ignored)
    }

    /// Whether column `k` is read at all (not one named to ignore).
    pub fn is_read(&self, k: usize) -> bool {
        *self.column(k) != Column::Ignored
    }

    /// Whether column `k` holds a list: `via`, `party_*`, `goods_*`.
    pub fn is_list(&self, k: usize) -> bool {
        self.column(k).is_list()
    }

    /// Whether column `k` holds numbers: the goods' quantity and value.
    pub fn is_number(&self, k: usize) -> bool {
        self.column(k).is_number()
    }

    /// A new row to fill.
    pub fn row(&self) -> Row<'_> {
        Row {
            layout: self,
            order: Order::default(),
            party_lists: Default::default(),
            goods_lists: Default::default(),
            party_list_columns: Default::default(),
            goods_list_columns: Default::default(),
            parties: BTreeMap::new(),
            goods: BTreeMap::new(),
        }
    }
}

/// One value as an input holds it: text, or a number of a typed column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Text (in a list column without list type, `;`-separated items).
    Text(&'a str),
    /// A whole number.
    Int(i64),
    /// A number.
    Float(f64),
}

/// A value kept until the row is assembled: goods numbers are checked then.
#[derive(Debug, Clone, PartialEq)]
enum Kept {
    Text(String),
    Number(f64),
}

impl Kept {
    fn of(cell: Cell<'_>) -> Option<Kept> {
        match cell {
            Cell::Text(t) => {
                let t = t.trim();
                (!t.is_empty()).then(|| Kept::Text(t.to_string()))
            }
            Cell::Int(i) => Some(Kept::Number(i as f64)),
            Cell::Float(f) => Some(Kept::Number(f)),
        }
    }

    fn into_text(self) -> String {
        match self {
            Kept::Text(t) => t,
            Kept::Number(n) => n.to_string(),
        }
    }
}

/// The text of a cell as a text field reads it: numbers as JSON orders have them read
/// (`17`, not `17.0`); `None` when blank.
fn text_of(cell: Cell<'_>) -> Option<String> {
    match cell {
        Cell::Text(t) => {
            let t = t.trim();
            (!t.is_empty()).then(|| t.to_string())
        }
        Cell::Int(i) => Some(i.to_string()),
        Cell::Float(f) => Some(f.to_string()),
    }
}

/// The cells of one row, gathered into an order by [`Row::finish`].
pub struct Row<'l> {
    layout: &'l Layout,
    order: Order,
    party_lists: [Vec<Option<String>>; 7],
    goods_lists: [Vec<Option<Kept>>; 5],
    /// The column each list of `party_lists` came from, for messages.
    party_list_columns: [Option<usize>; 7],
    /// The column each list of `goods_lists` came from, for messages.
    goods_list_columns: [Option<usize>; 5],
    parties: BTreeMap<String, [Option<String>; 7]>,
    goods: BTreeMap<u32, [Option<Kept>; 5]>,
}

impl Row<'_> {
    /// Sets column `k` from one cell. In a list column, text is split at `;` (items
    /// keep their position, so an empty item leaves its party or line without that
    /// field) and a number is a one-item list.
    pub fn set(&mut self, k: usize, cell: Cell<'_>) {
        match (self.layout.column(k), cell) {
            (Column::Via, Cell::Text(t)) => self.order.route.via = split_list(t),
            (Column::PartyList(_) | Column::GoodsList(_), Cell::Text(t)) => {
                self.set_list(k, t.split(';').map(|s| Some(Cell::Text(s))));
            }
            (Column::Via | Column::PartyList(_) | Column::GoodsList(_), c) => {
                self.set_list(k, std::iter::once(Some(c)));
            }
            (col, cell) => {
                let col = col.clone();
                self.set_scalar(&col, cell);
            }
        }
    }

    fn set_scalar(&mut self, col: &Column, cell: Cell<'_>) {
        let route = &mut self.order.route;
        match col {
            Column::Id => self.order.id = text_of(cell).unwrap_or_default(),
            Column::Origin => route.origin = text_of(cell),
            Column::Destination => route.destination = text_of(cell),
            Column::Vessel => route.vessel = text_of(cell),
            Column::Imo => route.imo = text_of(cell),
            Column::Party(key, k) => {
                let entry = self.parties.entry(key.clone()).or_default();
                if let Some(slot) = entry.get_mut(*k) {
                    *slot = text_of(cell);
                }
                if let Some(role) = key.strip_prefix('~') {
                    if let Some(slot) = entry.get_mut(PARTY_ROLE) {
                        slot.get_or_insert_with(|| role.to_string());
                    }
                }
            }
            Column::Goods(n, k) => {
                if let Some(slot) = self.goods.entry(*n).or_default().get_mut(*k) {
                    *slot = Kept::of(cell);
                }
            }
            Column::Via | Column::PartyList(_) | Column::GoodsList(_) | Column::Ignored => {}
        }
    }

    /// Sets list column `k` from its items, in order (`None`: an absent item). A
    /// column that holds no list takes the first item.
    pub fn set_list<'c>(&mut self, k: usize, items: impl Iterator<Item = Option<Cell<'c>>>) {
        match self.layout.column(k).clone() {
            Column::Via => {
                self.order.route.via = items.flatten().filter_map(text_of).collect();
            }
            Column::PartyList(f) => {
                if let Some(slot) = self.party_lists.get_mut(f) {
                    *slot = items.map(|c| c.and_then(text_of)).collect();
                }
                if let Some(slot) = self.party_list_columns.get_mut(f) {
                    *slot = Some(k);
                }
            }
            Column::GoodsList(f) => {
                if let Some(slot) = self.goods_lists.get_mut(f) {
                    *slot = items.map(|c| c.and_then(Kept::of)).collect();
                }
                if let Some(slot) = self.goods_list_columns.get_mut(f) {
                    *slot = Some(k);
                }
            }
            col => {
                if let Some(Some(first)) = items.into_iter().next() {
                    self.set_scalar(&col, first);
                }
            }
        }
    }

    /// The order the row holds, validated as a JSON order is; `number` is the row's
    /// line (CSV) or row number (Arrow, Parquet) for the rejection.
    pub fn finish(self, number: u64) -> Record {
        let Row {
            layout,
            mut order,
            party_lists,
            goods_lists,
            party_list_columns,
            goods_list_columns,
            parties,
            goods,
        } = self;
        let mut goods_lists = goods_lists;
        // A currency written once is every goods line's: an order is invoiced in one.
        let longest = goods_lists.iter().map(Vec::len).max().unwrap_or(0);
        let currency = GOODS_FIELDS.iter().position(|f| *f == "currency");
        if let Some(list) = currency.and_then(|k| goods_lists.get_mut(k)) {
            if let (1, Some(one)) = (list.len(), list.first().cloned()) {
                *list = vec![one; longest];
            }
        }
        let id = Some(order.id.clone()).filter(|s| !s.trim().is_empty());
        let reject = |error: String| Rejected {
            line: number,
            id: id.clone(),
            error,
        };
        aligned(
            layout,
            ("party", "party"),
            &party_lists,
            &party_list_columns,
        )
        .map_err(reject)?;
        aligned(
            layout,
            ("goods", "goods line"),
            &goods_lists,
            &goods_list_columns,
        )
        .map_err(reject)?;
        let n = party_lists.iter().map(Vec::len).max().unwrap_or(0);
        let mut rows: Vec<[Option<String>; 7]> = (0..n)
            .map(|i| {
                std::array::from_fn(|f| {
                    party_lists.get(f).and_then(|v| v.get(i)).cloned().flatten()
                })
            })
            .collect();
        rows.extend(parties.into_values());
        for [role, name, country, address, dob, nationality, identifiers] in rows {
            let k = order.parties.len();
            let identifiers = match identifiers {
                None => Vec::new(),
                Some(text) => parse_identifiers(&text)
                    .map_err(|e| reject(format!("parties[{k}].identifiers {e}")))?,
            };
            let party = Party {
                role,
                name,
                country,
                address,
                dob,
                nationality,
                identifiers,
            };
            // A role alone is a column left blank for this order, not a party.
            if party.says_something()
                || party.dob.is_some()
                || party.nationality.is_some()
                || !party.identifiers.is_empty()
            {
                order.parties.push(party);
            }
        }
        let n = goods_lists.iter().map(Vec::len).max().unwrap_or(0);
        let mut lines: Vec<[Option<Kept>; 5]> = (0..n)
            .map(|i| {
                std::array::from_fn(|f| {
                    goods_lists.get(f).and_then(|v| v.get(i)).cloned().flatten()
                })
            })
            .collect();
        lines.extend(goods.into_values());
        for [description, hs, quantity, value, currency] in lines {
            if [&description, &hs, &quantity, &value]
                .iter()
                .all(|f| f.is_none())
            {
                continue;
            }
            let k = order.goods.len();
            let number = |field: &str, v: Option<Kept>| -> Result<Option<f64>, Rejected> {
                match v {
                    None => Ok(None),
                    Some(Kept::Number(n)) => Ok(Some(n)),
                    Some(Kept::Text(t)) => parse_number(&t).map(Some).ok_or_else(|| {
                        reject(format!(
                            "goods[{k}].{field} `{t}` is not a number: {NUMBER_FORM}"
                        ))
                    }),
                }
            };
            let quantity = number("quantity", quantity)?;
            let value = number("value", value)?;
            order.goods.push(GoodsLine {
                description: description.map(Kept::into_text),
                hs: hs.map(Kept::into_text),
                quantity,
                value,
                currency: currency.map(Kept::into_text),
            });
        }
        match order.validate() {
            Ok(()) => Ok((number, order)),
            Err(e) => Err(reject(e)),
        }
    }
}

/// Checks that the given lists of one group (the party or the goods columns) have as
/// many items each: they are matched by position, so a list one item short would give
/// its values to the wrong party or goods line. A list that is blank throughout is not
/// given and not counted.
fn aligned<T>(
    layout: &Layout,
    (group, each): (&str, &str),
    lists: &[Vec<Option<T>>],
    columns: &[Option<usize>],
) -> Result<(), String> {
    let given: Vec<(usize, usize)> = lists
        .iter()
        .zip(columns)
        .filter_map(|(list, column)| {
            let k = (*column)?;
            list.iter().any(Option::is_some).then_some((k, list.len()))
        })
        .collect();
    let Some(&(_, first)) = given.first() else {
        return Ok(());
    };
    if given.iter().all(|&(_, n)| n == first) {
        return Ok(());
    }
    let counts: Vec<String> = given
        .iter()
        .map(|&(k, n)| {
            let items = if n == 1 { "item" } else { "items" };
            format!("`{}` has {n} {items}", layout.name(k))
        })
        .collect();
    Err(format!(
        "the {group} lists disagree: {}; their items are matched by position, so each needs one per {each}, an empty item (`a;;c`) where a value is left blank",
        counts.join(", ")
    ))
}

/// Identifiers written `TYPE:VALUE|TYPE:VALUE`.
fn parse_identifiers(text: &str) -> Result<Vec<PartyIdentifier>, String> {
    text.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|entry| match entry.split_once(':') {
            Some((scheme, value)) if !value.trim().is_empty() => Ok(PartyIdentifier {
                scheme: scheme.trim().to_string(),
                value: value.trim().to_string(),
            }),
            _ => Err(format!(
                "`{entry}` is not TYPE:VALUE (several are separated by `|`)"
            )),
        })
        .collect()
}

/// A party's identifiers as the flat layout writes them; `Err` names what cannot be
/// written so that it reads back the same. Only Arrow batches are written (feature
/// `arrow`).
#[cfg_attr(not(feature = "arrow"), allow(dead_code))]
pub(crate) fn write_identifiers(ids: &[PartyIdentifier]) -> Result<Option<String>, String> {
    if ids.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let (scheme, value) = (id.scheme.trim(), id.value.trim());
        if scheme.contains([':', '|']) || value.contains('|') || value.is_empty() {
            return Err(format!(
                "identifier `{}:{}` cannot be written as TYPE:VALUE (a type holds no `:` or `|`, a value no `|` and is not empty)",
                id.scheme, id.value
            ));
        }
        out.push(format!("{scheme}:{value}"));
    }
    Ok(Some(out.join("|")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(headers: &[&str], cells: &[Cell<'_>]) -> Record {
        let layout = Layout::new(headers, &[]).expect("layout");
        let mut row = layout.row();
        for (k, c) in cells.iter().enumerate() {
            row.set(k, *c);
        }
        row.finish(2)
    }

    #[test]
    fn text_lists_numbers_and_identifiers() {
        let (_, o) = order(
            &[
                "id",
                "party_name",
                "party_dob",
                "party_identifiers",
                "goods_value",
                "goods_description",
                "via",
            ],
            &[
                Cell::Int(17),
                Cell::Text("Kim Chol; Acme Ltd"),
                Cell::Text("1961-02-03;"),
                Cell::Text("passport:PD123|national_id: 9 ;"),
                Cell::Float(1250.5),
                Cell::Text("cognac"),
                Cell::Text("Dalian; ;Nampo"),
            ],
        )
        .expect("order");
        assert_eq!(o.id, "17");
        assert_eq!(o.parties.len(), 2);
        assert_eq!(o.parties[0].dob.as_deref(), Some("1961-02-03"));
        assert_eq!(o.parties[0].identifiers.len(), 2);
        assert_eq!(o.parties[0].identifiers[1].value, "9");
        assert!(o.parties[1].identifiers.is_empty());
        assert_eq!(o.goods[0].value, Some(1250.5));
        assert_eq!(o.route.via, ["Dalian", "Nampo"]);
    }

    #[test]
    fn bad_values_name_their_field() {
        let bad = order(
            &[
                "id",
                "goods1_description",
                "goods2_description",
                "goods2_value",
            ],
            &[
                Cell::Text("A"),
                Cell::Text("x"),
                Cell::Text("y"),
                Cell::Text("ten"),
            ],
        )
        .expect_err("rejected");
        assert!(
            bad.error
                .starts_with("goods[1].value `ten` is not a number: "),
            "{}",
            bad.error
        );
        assert_eq!((bad.line, bad.id.as_deref()), (2, Some("A")));
        let bad = order(
            &["id", "buyer_identifiers", "buyer_name"],
            &[Cell::Text("B"), Cell::Text("PD123"), Cell::Text("X")],
        )
        .expect_err("rejected");
        assert!(
            bad.error
                .starts_with("parties[0].identifiers `PD123` is not TYPE:VALUE"),
            "{}",
            bad.error
        );
    }

    #[test]
    fn lists_of_one_group_must_agree_in_length() {
        let bad = order(
            &["id", "party_role", "party_name", "party_country"],
            &[
                Cell::Text("H1"),
                Cell::Text("seller;bank"),
                Cell::Text("Foo"),
                Cell::Text("CN;KP;RU"),
            ],
        )
        .expect_err("rejected");
        assert_eq!((bad.line, bad.id.as_deref()), (2, Some("H1")));
        assert!(
            bad.error.starts_with("the party lists disagree: `party_role` has 2 items, `party_name` has 1 item, `party_country` has 3 items;"),
            "{}",
            bad.error
        );
        let bad = order(
            &["id", "goods_description", "goods_value"],
            &[
                Cell::Text("G1"),
                Cell::Text("cognac;cars"),
                Cell::Text("10"),
            ],
        )
        .expect_err("rejected");
        assert!(
            bad.error.starts_with("the goods lists disagree: `goods_description` has 2 items, `goods_value` has 1 item;"),
            "{}",
            bad.error
        );
        // One currency for several goods lines is every line's.
        let (_, o) = order(
            &["id", "goods_description", "goods_value", "goods_currency"],
            &[
                Cell::Text("G2"),
                Cell::Text("cognac;cars"),
                Cell::Text("10;20"),
                Cell::Text("EUR"),
            ],
        )
        .expect("one currency for the order");
        let currencies: Vec<_> = o.goods.iter().map(|g| g.currency.as_deref()).collect();
        assert_eq!(currencies, [Some("EUR"), Some("EUR")]);
        // Empty items keep their place, and a list left blank is not given.
        let (_, o) = order(
            &["id", "party_name", "party_country", "party_address"],
            &[
                Cell::Text("H2"),
                Cell::Text("Foo;Bar;Baz"),
                Cell::Text("CN;;RU"),
                Cell::Text(" "),
            ],
        )
        .expect("order");
        assert_eq!(o.parties.len(), 3);
        assert_eq!(o.parties[1].country, None);
    }

    #[test]
    fn two_columns_for_one_field_refuse_the_layout() {
        for headers in [
            &["id", "buyer_name", "buyer_name"][..],
            &["id", "buyer_name", "Buyer-Name"][..],
            &["id", "buyer_name", "order_id"][..],
            &["id", "goods_value", "value"][..],
        ] {
            let err = Layout::new(headers, &[]).expect_err("refused");
            assert_eq!(err.column, Some(2), "{headers:?}");
            assert!(err.message.contains("repeats column"), "{}", err.message);
        }
        assert!(Layout::new(&["id", "buyer_name", "seller_name"], &[]).is_ok());
    }

    #[test]
    fn identifiers_round_trip_or_are_refused() {
        let ids = vec![
            PartyIdentifier {
                scheme: "passport".into(),
                value: "PD:123".into(),
            },
            PartyIdentifier {
                scheme: "imo".into(),
                value: "9312345".into(),
            },
        ];
        let text = write_identifiers(&ids).expect("written").expect("some");
        assert_eq!(parse_identifiers(&text), Ok(ids));
        let bad = [PartyIdentifier {
            scheme: "passport".into(),
            value: "A|B".into(),
        }];
        assert!(write_identifiers(&bad).is_err());
    }
}
