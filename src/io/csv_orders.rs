//! Orders from CSV: one row per order, with a header row.
//!
//! Columns (case-insensitive; unknown columns are reported by [`CsvOrders::ignored`]):
//!
//! | column | meaning |
//! | --- | --- |
//! | `id` | order id (required) |
//! | `origin`, `destination`, `vessel`, `imo` | route |
//! | `via` | transit places, `;`-separated |
//! | `party_role`, `party_name`, `party_country`, `party_address` | parties: `;`-lists aligned by position |
//! | `partyN_role`, `partyN_name`, ... (N = 1, 2, ...) | one party per number |
//! | `buyer_name`, `seller_country`, `consignee_address`, ... | a party with that role (`buyer`, `seller`, `consignee`, `shipper`, `notify`, `bank`, `carrier`, `end_user`, `insurer`, `agent`) |
//! | `goods_description`, `goods_hs`, `goods_quantity`, `goods_value`, `goods_currency` | goods: `;`-lists aligned by position (also without the `goods_` prefix) |
//! | `goodsN_description`, ... (N = 1, 2, ...) | one goods line per number |

use std::collections::BTreeMap;
use std::io::Read;

use super::{Record, Rejected};
use crate::order::{parse_number, split_list, GoodsLine, Order, Party};

const ROLES: &[&str] = &[
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
const PARTY_FIELDS: &[&str] = &["role", "name", "country", "address"];
const GOODS_FIELDS: &[&str] = &["description", "hs", "quantity", "value", "currency"];

/// Where a column's value goes.
#[derive(Debug, Clone)]
enum Column {
    Id,
    Origin,
    Destination,
    Via,
    Vessel,
    Imo,
    /// `;`-list of a party field.
    PartyList(usize),
    /// Numbered party (group key) and field.
    Party(String, usize),
    /// Goods `;`-list field.
    GoodsList(usize),
    /// Numbered goods line and field.
    Goods(u32, usize),
    Ignored,
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

/// A CSV file of orders.
pub struct CsvOrders<R> {
    reader: csv::Reader<R>,
    columns: Vec<Column>,
    ignored: Vec<String>,
    record: csv::ByteRecord,
}

impl<R: Read> CsvOrders<R> {
    /// Reads the header row; fails when it cannot be read or has no `id` column.
    pub fn new(input: R) -> Result<Self, String> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
        let headers = reader
            .byte_headers()
            .map_err(|e| format!("line 1: cannot read the CSV header: {e}"))?
            .clone();
        let mut columns = Vec::new();
        let mut ignored = Vec::new();
        for h in headers.iter() {
            let h = String::from_utf8_lossy(h).into_owned();
            let c = classify(&h);
            if matches!(c, Column::Ignored) {
                ignored.push(h);
            }
            columns.push(c);
        }
        if !columns.iter().any(|c| matches!(c, Column::Id)) {
            return Err("line 1: the CSV header has no `id` column".to_string());
        }
        Ok(CsvOrders {
            reader,
            columns,
            ignored,
            record: csv::ByteRecord::new(),
        })
    }

    /// Header columns that mean nothing to embargo and are not read.
    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }

    fn order(&self, line: u64) -> Record {
        let reject = |id: Option<String>, error: String| Rejected { line, id, error };
        if self.record.len() != self.columns.len() {
            return Err(reject(
                None,
                format!(
                    "{} fields, but the header has {}",
                    self.record.len(),
                    self.columns.len()
                ),
            ));
        }
        let mut order = Order::default();
        let mut party_lists: [Vec<String>; 4] = Default::default();
        let mut goods_lists: [Vec<String>; 5] = Default::default();
        let mut parties: BTreeMap<String, [Option<String>; 4]> = BTreeMap::new();
        let mut goods: BTreeMap<u32, [Option<String>; 5]> = BTreeMap::new();
        for (col, raw) in self.columns.iter().zip(self.record.iter()) {
            let Ok(value) = std::str::from_utf8(raw) else {
                return Err(reject(None, "a field is not valid UTF-8".to_string()));
            };
            let value = value.trim();
            let some = || (!value.is_empty()).then(|| value.to_string());
            match col {
                Column::Id => order.id = value.to_string(),
                Column::Origin => order.route.origin = some(),
                Column::Destination => order.route.destination = some(),
                Column::Via => order.route.via = split_list(value),
                Column::Vessel => order.route.vessel = some(),
                Column::Imo => order.route.imo = some(),
                Column::PartyList(k) => {
                    if let Some(slot) = party_lists.get_mut(*k) {
                        *slot = value.split(';').map(|s| s.trim().to_string()).collect();
                    }
                }
                Column::GoodsList(k) => {
                    if let Some(slot) = goods_lists.get_mut(*k) {
                        *slot = value.split(';').map(|s| s.trim().to_string()).collect();
                    }
                }
                Column::Party(key, k) => {
                    let entry = parties.entry(key.clone()).or_default();
                    if let Some(slot) = entry.get_mut(*k) {
                        *slot = some();
                    }
                    if let Some(role) = key.strip_prefix('~') {
                        if let Some(slot) = entry.first_mut() {
                            slot.get_or_insert_with(|| role.to_string());
                        }
                    }
                }
                Column::Goods(n, k) => {
                    if let Some(slot) = goods.entry(*n).or_default().get_mut(*k) {
                        *slot = some();
                    }
                }
                Column::Ignored => {}
            }
        }
        let id = Some(order.id.clone()).filter(|s| !s.is_empty());
        let at = |v: &[String], i: usize| v.get(i).filter(|s| !s.is_empty()).cloned();
        let n = party_lists.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..n {
            let [r, nm, c, a] = &party_lists;
            order.parties.push(Party {
                role: at(r, i),
                name: at(nm, i),
                country: at(c, i),
                address: at(a, i),
                ..Party::default()
            });
        }
        for [role, name, country, address] in parties.into_values() {
            order.parties.push(Party {
                role,
                name,
                country,
                address,
                ..Party::default()
            });
        }
        order
            .parties
            .retain(|p| p.name.is_some() || p.country.is_some() || p.address.is_some());
        let number = |field: &str, text: Option<String>| -> Result<Option<f64>, String> {
            match text {
                None => Ok(None),
                Some(t) => parse_number(&t)
                    .map(Some)
                    .ok_or_else(|| format!("{field} `{t}` is not a number")),
            }
        };
        let n = goods_lists.iter().map(Vec::len).max().unwrap_or(0);
        let mut lines: Vec<[Option<String>; 5]> = (0..n)
            .map(|i| std::array::from_fn(|k| goods_lists.get(k).and_then(|v| at(v, i))))
            .collect();
        lines.extend(goods.into_values());
        for [description, hs, quantity, value, currency] in lines {
            if [&description, &hs, &quantity, &value]
                .iter()
                .all(|f| f.is_none())
            {
                continue;
            }
            let quantity = number("quantity", quantity).map_err(|e| reject(id.clone(), e))?;
            let value = number("value", value).map_err(|e| reject(id.clone(), e))?;
            order.goods.push(GoodsLine {
                description,
                hs,
                quantity,
                value,
                currency,
            });
        }
        match order.validate() {
            Ok(()) => Ok((line, order)),
            Err(e) => Err(reject(id, e)),
        }
    }
}

impl<R: Read> Iterator for CsvOrders<R> {
    type Item = Result<Record, std::io::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map_or(0, csv::Position::line);
                Some(Ok(self.order(line)))
            }
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                match e.into_kind() {
                    csv::ErrorKind::Io(io) => Some(Err(io)),
                    other => Some(Ok(Err(Rejected {
                        line,
                        id: None,
                        error: format!("malformed CSV row: {other:?}"),
                    }))),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Record> {
        CsvOrders::new(text.as_bytes())
            .expect("header")
            .map(|r| r.expect("io"))
            .collect()
    }

    #[test]
    fn lists_numbered_and_role_columns() {
        let csv = "id,party_role,party_name,party_country,buyer_name,buyer_country,goods1_description,goods1_value,goods2_description,hs,origin,destination,via,notes\n\
                   PO-1,seller;bank,Acme Ltd;Koryo Bank,CN;,Dalian Ruifeng,CN,Lexus LX570,\"1,000,000\",cognac XO,,AE,CN,Dalian;Nampo,hello\n";
        let records = read(csv);
        let (line, o) = records[0].as_ref().expect("order");
        assert_eq!(*line, 2);
        assert_eq!(o.parties.len(), 3);
        assert_eq!(o.parties[1].name.as_deref(), Some("Koryo Bank"));
        assert_eq!(o.parties[1].country, None);
        assert_eq!(o.parties[2].role.as_deref(), Some("buyer"));
        assert_eq!(o.goods.len(), 2);
        assert_eq!(o.goods[0].value, Some(1_000_000.0));
        assert_eq!(o.route.via, ["Dalian", "Nampo"]);
        let reader = CsvOrders::new(csv.as_bytes()).expect("header");
        assert_eq!(reader.ignored(), ["notes"]);
    }

    #[test]
    fn bad_rows_are_rejected_with_their_line() {
        let csv = "id,goods_value\nA,10\nB,ten\nC,1,2\n\"D\nstill D\",5\nE,6\n";
        let records = read(csv);
        assert_eq!(records.len(), 5);
        let b = records[1].as_ref().expect_err("B rejected");
        assert_eq!((b.line, b.id.as_deref()), (3, Some("B")));
        assert!(b.error.contains("value `ten` is not a number"));
        assert_eq!(records[2].as_ref().expect_err("C rejected").line, 4);
        // A quoted field spanning lines: the record starts on line 5, the next on 7.
        assert_eq!(
            records[3].as_ref().map(|(l, o)| (*l, o.id.clone())),
            Ok((5, "D\nstill D".to_string()))
        );
        assert_eq!(records[4].as_ref().map(|(l, _)| *l), Ok(7));
    }

    #[test]
    fn a_header_without_id_is_refused() {
        assert!(CsvOrders::new("name,value\n".as_bytes()).is_err());
    }
}
