//! Reading orders from batch files: JSON lines, CSV, and (feature `arrow`) Arrow
//! record batches and Parquet files, the last three in one flat column layout
//! ([`flat`]).
//!
//! Both readers stream: one record at a time, so memory stays bounded whatever the
//! file's size. Every record comes out either as an [`Order`] or as a [`Rejected`]
//! with its line number and the reason, so nothing is lost silently; each reader
//! counts the physical lines it read ([`OrderReader::lines_read`]) so that a summary
//! can show that every line was accounted for. A UTF-8 byte order mark at the start
//! of a file (as Excel and Notepad write one) is skipped.

#[cfg(feature = "arrow")]
pub mod arrow;
mod csv_orders;
pub mod flat;
pub mod output;
#[cfg(feature = "arrow")]
pub mod parquet;

use std::io::BufRead;

pub use csv_orders::CsvOrders;
pub use flat::{flat_columns, Layout};

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A reader of orders: records in file order, and how many lines it has read.
pub trait OrderReader: Iterator<Item = Result<Record, std::io::Error>> {
    /// Physical lines read so far (blank ones included).
    fn lines_read(&self) -> u64;

    /// What a record's number counts: `line` (of a text file) or `row`.
    fn unit(&self) -> &'static str {
        "line"
    }
}

/// The formats of order files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON order per line.
    Jsonl,
    /// A header row, then one order per row.
    Csv,
    /// A Parquet file in the flat column layout of CSV files (feature `arrow` reads it).
    Parquet,
}

impl Format {
    /// The format of a file by its name's extension, when it tells.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "parquet" | "pq" => Some(Format::Parquet),
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            _ => None,
        }
    }

    /// The format of a file by its first bytes: Parquet files start with `PAR1`; JSON
    /// lines start with `{` (after a byte order mark and blank space); anything else
    /// whose first line holds a comma is taken for a CSV header. `None` when none fits.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::io::Format;
    /// assert_eq!(Format::sniff(b"\xEF\xBB\xBF{\"id\":\"A\"}\n"), Some(Format::Jsonl));
    /// assert_eq!(Format::sniff(b"id,destination\nA1,KP\n"), Some(Format::Csv));
    /// assert_eq!(Format::sniff(b"PAR1\x15\x04"), Some(Format::Parquet));
    /// assert_eq!(Format::sniff(b"hello\n"), None);
    /// ```
    pub fn sniff(head: &[u8]) -> Option<Format> {
        if head.starts_with(b"PAR1") {
            return Some(Format::Parquet);
        }
        let head = head.strip_prefix(BOM).unwrap_or(head);
        let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
        let rest = head.get(start..)?;
        if rest.first() == Some(&b'{') {
            return Some(Format::Jsonl);
        }
        let line = rest.split(|b| *b == b'\n').next().unwrap_or(rest);
        line.contains(&b',').then_some(Format::Csv)
    }
}

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

impl<R: BufRead> OrderReader for JsonlOrders<R> {
    fn lines_read(&self) -> u64 {
        self.line
    }
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
            let bytes = match self.buf.strip_prefix(BOM) {
                Some(rest) if line == 1 => rest,
                _ => &self.buf[..],
            };
            let text = match std::str::from_utf8(bytes) {
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

/// Parses one JSON order and validates it: a field the order model does not name and
/// an order with nothing to screen are rejected like malformed JSON.
pub fn parse_order_json(line: u64, text: &str) -> Record {
    match serde_json::from_str::<Order>(text) {
        Ok(order) => validated(line, order),
        Err(e) => Err(Rejected {
            line,
            id: id_of(text),
            error: format!(
                "invalid order: {}",
                crate::order::explain_json_error(text, e)
            ),
        }),
    }
}

/// `order`, read from `line`, once [`Order::validate`] passes it; else rejected with
/// its id.
pub(crate) fn validated(line: u64, order: Order) -> Record {
    match order.validate() {
        Ok(()) => Ok((line, order)),
        Err(error) => Err(Rejected {
            line,
            id: Some(order.id),
            error,
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
        let input = b"{\"id\": \"a\", \"route\": {\"origin\": \"CN\"}}\n\n{\"id\": \"b\", \"goods\": [{\"value\": \"ten\"}]}\n{not json\n\xff\xfe\n{\"id\": \"c\", \"route\": {\"origin\": \"CN\"}}";
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
