//! Orders from CSV: one row per order, with a header row.
//!
//! The columns are those of the flat layout ([`super::flat`]), shared with Arrow and
//! Parquet; a list is a text of `;`-separated items. Columns one knows to hold nothing
//! to screen (an internal note) are named to [`CsvOrders::with_ignored`].
//!
//! Rows are split here rather than by a general CSV reader, so that every physical line
//! is accounted for: a quoted field runs on over line breaks (a cell with Alt+Enter in
//! Excel), but a quote never closed is not allowed to swallow the rest of the file. Its
//! record is rejected, and reading goes on from the line after the one it opened on.
//! Line numbers count physical lines, whether they end in `\n` or `\r\n`.

use std::collections::VecDeque;
use std::io::BufRead;

use super::flat::{Cell, Layout};
use super::{OrderReader, Record, Rejected, BOM};

/// A quoted field may run over at most this many lines: a longer one is a quote left
/// open, and stopping there bounds the memory one bad quote can take.
const MAX_RECORD_LINES: u64 = 1000;

/// Physical lines of the input, with lines given back after a record that swallowed
/// them is rejected.
struct Lines<R> {
    reader: R,
    /// Lines read from `reader` so far.
    read: u64,
    /// Lines to read again before `reader`: `(number, text)`.
    again: VecDeque<(u64, Vec<u8>)>,
}

impl<R: BufRead> Lines<R> {
    /// The next line, without its line break (`\n` or `\r\n`).
    fn next(&mut self) -> std::io::Result<Option<(u64, Vec<u8>)>> {
        if let Some(l) = self.again.pop_front() {
            return Ok(Some(l));
        }
        let mut buf = Vec::new();
        if self.reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(None);
        }
        self.read += 1;
        if self.read == 1 {
            if let Some(rest) = buf.strip_prefix(BOM) {
                buf = rest.to_vec();
            }
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
        }
        Ok(Some((self.read, buf)))
    }
}

/// One row as split: its fields, or why it could not be.
enum Row {
    /// The fields of a record starting on `line`.
    Fields { line: u64, fields: Vec<Vec<u8>> },
    /// A quote opened on `quote_line` and never closed, in the record starting on
    /// `line`; read up to `last_line`.
    Unclosed {
        line: u64,
        quote_line: u64,
        last_line: u64,
    },
}

/// Splits the next non-blank record. RFC 4180: a field starting with `"` is quoted
/// until a lone `"`, with `""` standing for one quote, and may hold commas and line
/// breaks; text after a closing quote is kept (as common readers do).
fn next_row<R: BufRead>(lines: &mut Lines<R>) -> std::io::Result<Option<Row>> {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let (start, first) = loop {
        match lines.next()? {
            None => return Ok(None),
            Some((_, l)) if l.iter().all(|b| b.is_ascii_whitespace()) => continue,
            Some(l) => break l,
        }
    };
    let mut taken: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut fields = Vec::new();
    let mut field = Vec::new();
    let mut state = State::FieldStart;
    let mut quote_line = start;
    let (mut number, mut line) = (start, first);
    loop {
        for &b in &line {
            match state {
                State::FieldStart if b == b'"' => {
                    state = State::Quoted;
                    quote_line = number;
                }
                State::FieldStart | State::Unquoted if b == b',' => {
                    fields.push(std::mem::take(&mut field));
                    state = State::FieldStart;
                }
                State::FieldStart | State::Unquoted => {
                    field.push(b);
                    state = State::Unquoted;
                }
                State::Quoted if b == b'"' => state = State::QuoteInQuoted,
                State::Quoted => field.push(b),
                State::QuoteInQuoted if b == b'"' => {
                    field.push(b'"');
                    state = State::Quoted;
                }
                State::QuoteInQuoted if b == b',' => {
                    fields.push(std::mem::take(&mut field));
                    state = State::FieldStart;
                }
                State::QuoteInQuoted => {
                    field.push(b);
                    state = State::Unquoted;
                }
            }
        }
        if state != State::Quoted {
            fields.push(field);
            return Ok(Some(Row::Fields {
                line: start,
                fields,
            }));
        }
        // A quoted field goes on over the line break.
        taken.push((number, std::mem::take(&mut line)));
        let next = if number - start + 1 >= MAX_RECORD_LINES {
            None
        } else {
            lines.next()?
        };
        match next {
            Some((n, l)) => {
                field.push(b'\n');
                number = n;
                line = l;
            }
            None => {
                // The lines after the one the quote opened on are rows of their own,
                // most likely; they are read again.
                let last_line = taken.last().map_or(start, |(n, _)| *n);
                let again: Vec<(u64, Vec<u8>)> =
                    taken.into_iter().filter(|(n, _)| *n > quote_line).collect();
                for l in again.into_iter().rev() {
                    lines.again.push_front(l);
                }
                return Ok(Some(Row::Unclosed {
                    line: start,
                    quote_line,
                    last_line,
                }));
            }
        }
    }
}

/// A CSV file of orders.
pub struct CsvOrders<R> {
    lines: Lines<R>,
    layout: Layout,
    record: Vec<Vec<u8>>,
}

impl<R: BufRead> CsvOrders<R> {
    /// Reads the header row; fails when it cannot be read, has no `id` column, or
    /// names a column embargo does not read.
    pub fn new(input: R) -> Result<Self, String> {
        Self::with_ignored(input, &[])
    }

    /// [`CsvOrders::new`], with columns that are known to hold nothing to screen and
    /// are not read (compared without regard to case).
    pub fn with_ignored(input: R, ignored: &[String]) -> Result<Self, String> {
        let mut lines = Lines {
            reader: input,
            read: 0,
            again: VecDeque::new(),
        };
        let (line, headers) = match next_row(&mut lines) {
            Ok(Some(Row::Fields { line, fields })) => (line, fields),
            Ok(Some(Row::Unclosed { line, .. })) => {
                return Err(format!(
                    "line {line}: the CSV header has a quote never closed"
                ))
            }
            Ok(None) => return Err("the CSV input is empty: no header row".to_string()),
            Err(e) => return Err(format!("cannot read the CSV header: {e}")),
        };
        let headers: Vec<String> = headers
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect();
        let layout = Layout::new(&headers, ignored).map_err(|e| match e.column {
            Some(k) => format!("line {line}, column {}: {}", k + 1, e.message),
            None => format!("line {line}: the CSV header has {}", e.message),
        })?;
        Ok(CsvOrders {
            lines,
            layout,
            record: Vec::new(),
        })
    }

    fn order(&self, line: u64) -> Record {
        if self.record.len() != self.layout.len() {
            return Err(Rejected {
                line,
                id: None,
                error: format!(
                    "{} fields, but the header has {}",
                    self.record.len(),
                    self.layout.len()
                ),
            });
        }
        let mut row = self.layout.row();
        for (k, raw) in self.record.iter().enumerate() {
            let Ok(value) = std::str::from_utf8(raw) else {
                return Err(Rejected {
                    line,
                    id: None,
                    error: "a field is not valid UTF-8".to_string(),
                });
            };
            row.set(k, Cell::Text(value));
        }
        row.finish(line)
    }
}

impl<R: BufRead> OrderReader for CsvOrders<R> {
    fn lines_read(&self) -> u64 {
        self.lines.read
    }
}

impl<R: BufRead> Iterator for CsvOrders<R> {
    type Item = Result<Record, std::io::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match next_row(&mut self.lines) {
            Ok(None) => None,
            Ok(Some(Row::Fields { line, fields })) => {
                self.record = fields;
                Some(Ok(self.order(line)))
            }
            Ok(Some(Row::Unclosed {
                line,
                quote_line,
                last_line,
            })) => Some(Ok(Err(Rejected {
                line,
                id: None,
                error: format!(
                    "the quote opened on line {quote_line} is never closed (lines {line} to {last_line} would have been one record); the lines after it are read as rows again"
                ),
            }))),
            Err(e) => Some(Err(e)),
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
        let records: Vec<Record> = CsvOrders::with_ignored(csv.as_bytes(), &["Notes".to_string()])
            .expect("header")
            .map(|r| r.expect("io"))
            .collect();
        let (line, o) = records[0].as_ref().expect("order");
        assert_eq!(*line, 2);
        assert_eq!(o.parties.len(), 3);
        assert_eq!(o.parties[1].name.as_deref(), Some("Koryo Bank"));
        assert_eq!(o.parties[1].country, None);
        assert_eq!(o.parties[2].role.as_deref(), Some("buyer"));
        assert_eq!(o.goods.len(), 2);
        assert_eq!(o.goods[0].value, Some(1_000_000.0));
        assert_eq!(o.route.via, ["Dalian", "Nampo"]);
        // Not named as ignored, the same column refuses the file.
        let err = CsvOrders::new(csv.as_bytes()).err().unwrap_or_default();
        assert!(
            err.starts_with("line 1, column 14: unknown column `notes`"),
            "{err}"
        );
    }

    #[test]
    fn unknown_columns_are_refused_with_a_hint() {
        let err = CsvOrders::new("id,destinaton,buyer_nam\n".as_bytes())
            .err()
            .unwrap_or_default();
        assert!(
            err.starts_with(
                "line 1, column 2: unknown column `destinaton`: did you mean `destination`?"
            ),
            "{err}"
        );
    }

    #[test]
    fn bad_rows_are_rejected_with_their_line() {
        let csv = "id,goods_value,goods_description\nA,10,x\nB,ten,x\nC,1,x,2\n\"D\nstill D\",5,x\nE,6,x\n";
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
    fn an_unclosed_quote_swallows_no_row() {
        let csv = "id,destination,goods_description\nA1,KP,Rolex watch\nA2,KP,\"Rolex watch\nA3,KP,Rolex watch\nA4,KP,Rolex watch\n";
        let mut reader = CsvOrders::new(csv.as_bytes()).expect("header");
        let records: Vec<Record> = reader.by_ref().map(|r| r.expect("io")).collect();
        let lines: Vec<(u64, bool)> = records
            .iter()
            .map(|r| match r {
                Ok((l, _)) => (*l, true),
                Err(rej) => (rej.line, false),
            })
            .collect();
        assert_eq!(lines, [(2, true), (3, false), (4, true), (5, true)]);
        let why = &records[1].as_ref().expect_err("A2").error;
        assert!(
            why.contains("quote opened on line 3 is never closed"),
            "{why}"
        );
        assert_eq!(reader.lines_read(), 5);
    }

    #[test]
    fn crlf_lines_and_a_byte_order_mark() {
        let csv = "\u{feff}id,destination\r\nA1,KP\r\n\r\nA2,\"North\r\nKorea\"\r\nA3,CN\r\n";
        let records = read(csv);
        let got: Vec<(u64, String, Option<String>)> = records
            .iter()
            .map(|r| {
                let (l, o) = r.as_ref().expect("order");
                (*l, o.id.clone(), o.route.destination.clone())
            })
            .collect();
        assert_eq!(
            got,
            [
                (2, "A1".to_string(), Some("KP".to_string())),
                (4, "A2".to_string(), Some("North\nKorea".to_string())),
                (6, "A3".to_string(), Some("CN".to_string())),
            ]
        );
    }

    #[test]
    fn a_header_without_id_is_refused() {
        assert!(CsvOrders::new("name,value\n".as_bytes()).is_err());
        assert!(CsvOrders::new("destination,value\n".as_bytes()).is_err());
    }
}
