//! Reading orders from batch files: JSON lines and CSV.
//!
//! Both readers stream: one record at a time, so memory stays bounded whatever the
//! file's size. Every record comes out either as an [`Order`] or as a [`Rejected`]
//! with its line number and the reason, so nothing is lost silently.

mod csv_orders;

use std::io::BufRead;

pub use csv_orders::CsvOrders;

use crate::order::Order;

/// A record that could not be screened.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Rejected {
    /// 1-based line number where the record starts.
    pub line: u64,
    /// The order id, when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What is wrong.
    pub error: String,
}

/// One record of a batch file.
pub type Record = Result<(u64, Order), Rejected>;

/// The orders of a JSON lines file, one per non-blank line.
pub struct JsonlOrders<R> {
    reader: R,
    line: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> JsonlOrders<R> {
    /// Reads orders from `reader`.
    pub fn new(reader: R) -> Self {
        JsonlOrders {
            reader,
            line: 0,
            buf: Vec::new(),
        }
    }
}

impl<R: BufRead> Iterator for JsonlOrders<R> {
    type Item = Result<Record, std::io::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => return Some(Err(e)),
            }
            self.line += 1;
            let line = self.line;
            let text = match std::str::from_utf8(&self.buf) {
                Ok(t) => t.trim(),
                Err(e) => {
                    return Some(Ok(Err(Rejected {
                        line,
                        id: None,
                        error: format!("not valid UTF-8 (byte {})", e.valid_up_to()),
                    })))
                }
            };
            if text.is_empty() {
                continue;
            }
            return Some(Ok(parse_order_json(line, text)));
        }
    }
}

/// Parses one JSON order and validates it.
pub fn parse_order_json(line: u64, text: &str) -> Record {
    match serde_json::from_str::<Order>(text) {
        Ok(order) => match order.validate() {
            Ok(()) => Ok((line, order)),
            Err(error) => Err(Rejected {
                line,
                id: Some(order.id),
                error,
            }),
        },
        Err(e) => Err(Rejected {
            line,
            id: id_of(text),
            error: format!("invalid order: {e}"),
        }),
    }
}

/// The `id` of a JSON object that failed to read as an order, to name it in the report.
fn id_of(text: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    match value.get("id")? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_an_order_or_a_rejection() {
        let input = b"{\"id\": \"a\"}\n\n{\"id\": \"b\", \"goods\": [{\"value\": \"ten\"}]}\n{not json\n\xff\xfe\n{\"id\": \"c\"}";
        let records: Vec<Record> = JsonlOrders::new(&input[..])
            .map(|r| r.expect("io"))
            .collect();
        assert_eq!(records.len(), 5);
        assert_eq!(
            records[0].as_ref().map(|(l, o)| (*l, o.id.as_str())),
            Ok((1, "a"))
        );
        let bad = records[1].as_ref().expect_err("rejected");
        assert_eq!((bad.line, bad.id.as_deref()), (3, Some("b")));
        assert!(bad.error.contains("`ten` is not a number"), "{}", bad.error);
        assert_eq!(records[2].as_ref().expect_err("rejected").line, 4);
        assert!(records[3]
            .as_ref()
            .expect_err("rejected")
            .error
            .contains("UTF-8"));
        // The last line has no line break and is still read.
        assert_eq!(records[4].as_ref().map(|(l, _)| *l), Ok(6));
    }
}
